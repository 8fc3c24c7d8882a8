/* fuzz.h: the libFuzzer entry point each target defines.  Built with clang
 * -fsanitize=fuzzer for `make fuzz`, and with replay.c (any compiler) for
 * `make check`, which runs every file of the target's corpus through it. */
#ifndef LASTFM_FUZZ_H
#define LASTFM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
