/* Fuzz the response classifier: the first byte picks an HTTP status, the rest
 * is the body, as the network would deliver it. */
#include "autoconfig.h"

#include "fuzz.h"
#include "classify_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = {200, 200, 200, 200, 403, 404, 429, 500, 502, 503, 504, 400};
    if (size < 1)
        return 0;
    struct lastfm_result r;
    long status = statuses[data[0] % (sizeof statuses / sizeof *statuses)];
    lastfm_classify(status, (const char *)data + 1, size - 1, 1, 200, "fuzz", &r);
    if (r.verdict == LFM_OK && (r.total < 0 || r.total_pages < 0 || r.scrobbles < 0))
        __builtin_trap();
    return 0;
}
