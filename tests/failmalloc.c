/* failmalloc.c: an LD_PRELOAD shim that fails one allocation of this process.
 *
 * TEST_FAIL_MALLOC=N makes the Nth call (from 1) of malloc, calloc or realloc
 * return NULL with errno ENOMEM; every other call is served by glibc.  With
 * TEST_FAIL_MALLOC_TRACE set, the failing call's stack goes to stderr (for
 * addr2line -f -e PROGRAM +OFFSET).  With
 * TEST_FAIL_MALLOC=0 nothing fails and the calls are counted: at exit the
 * count is written to the file TEST_MALLOC_COUNT names, so a test knows the
 * range to sample.  For the tests that an allocation failing anywhere fails
 * the report and publishes nothing.  Built by `make check` as
 * tests/failmalloc.so. */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long calls, fail_at = -1;

/* Whether this call is the one to fail (read without allocating). */
static int fails(void)
{
    if (fail_at < 0) {
        const char *v = getenv("TEST_FAIL_MALLOC");
        fail_at = v ? strtol(v, NULL, 10) : 0;
    }
    if (++calls != fail_at)
        return 0;
    if (getenv("TEST_FAIL_MALLOC_TRACE")) {
        void *pc[16];
        fail_at = -2; /* backtrace() may allocate: let it */
        backtrace_symbols_fd(pc, backtrace(pc, 16), 2);
    }
    return 1;
}

void *malloc(size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    if (fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

__attribute__((destructor)) static void count_out(void)
{
    const char *path = getenv("TEST_MALLOC_COUNT");
    if (!path)
        return;
    char s[32];
    int len = snprintf(s, sizeof s, "%ld\n", calls);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (write(fd, s, (size_t)len) != len)
            len = -1;
        close(fd);
    }
}
