/* replay.c: run every file of a corpus directory through a fuzz target.
 * Usage: replay_TARGET [DIR...] (default: the corpus compiled in). */
#include "autoconfig.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int run_dir(const char *dir, unsigned *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open corpus %s\n", dir);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
        size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
        fclose(f);
        LLVMFuzzerTestOneInput(buf, got);
        free(buf);
        (*count)++;
    }
    closedir(d);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int bad = 0;
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            bad |= run_dir(argv[i], &count);
    else
        bad |= run_dir(CORPUS_DIR, &count);
    printf("%u inputs replayed\n%u passed, %d failed\n", count, count, bad);
    return bad || count == 0;
}
