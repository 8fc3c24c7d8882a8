/* Fuzz the KEY=VALUE parser of .env and the conf file. */
#include "autoconfig.h"

#include <string.h>

#include "conffile_int.h"
#include "fuzz.h"

static void on_entry(void *o, const char *file, unsigned line, const char *key, const char *value)
{
    if (!*key || strlen(key) >= 64 || strlen(value) >= 4096)
        __builtin_trap();
}

static void on_error(void *o, const char *file, unsigned line, const char *what)
{
    if (!what || !*what)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    conffile_parse("fuzz.env", (const char *)data, size, on_entry, on_error, NULL);
    return 0;
}
