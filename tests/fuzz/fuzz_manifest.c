/* Fuzz the manifest parser; whatever it accepts must survive a round trip. */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m, back;
    const char *why;
    if (!manifest_parse((const char *)data, size, &m, &why))
        return 0;
    if (m.window_from > m.window_to)
        __builtin_trap();
    size_t len;
    char *text = manifest_to_json(&m, &len);
    if (!text)
        return 0;
    /* Compared by their serialisations: padding bytes are not a value. */
    size_t len2;
    char *text2 = manifest_parse(text, len, &back, &why) ? manifest_to_json(&back, &len2) : NULL;
    if (!text2 || len2 != len || memcmp(text, text2, len) != 0)
        __builtin_trap();
    free(text2);
    free(text);
    return 0;
}
