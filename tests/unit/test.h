/* test.h: the assertions of the unit tests.  Each failed check prints file:line
 * and what differed; main() returns the failure count through TEST_DONE.  Output
 * ends with a line automake's harness and CI read: "N passed, N failed". */
#ifndef LASTFM_TEST_H
#define LASTFM_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            test_passed++;                                                           \
        } else {                                                                     \
            test_failed++;                                                           \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_INT(a, b)                                                                         \
    do {                                                                                        \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                   \
        if (va_ == vb_) {                                                                       \
            test_passed++;                                                                      \
        } else {                                                                                \
            test_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, \
                    va_, #b, vb_);                                                              \
        }                                                                                       \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                                    \
    do {                                                                                         \
        double va_ = (a), vb_ = (b);                                                             \
        if (fabs(va_ - vb_) <= (eps)) {                                                          \
            test_passed++;                                                                       \
        } else {                                                                                 \
            test_failed++;                                                                       \
            fprintf(stderr, "%s:%d: %s == %g, expected %g\n", __FILE__, __LINE__, #a, va_, vb_); \
        }                                                                                        \
    } while (0)

#define CHECK_STR(a, b)                                                                       \
    do {                                                                                      \
        const char *sa_ = (a), *sb_ = (b);                                                    \
        if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                            \
            test_passed++;                                                                    \
        } else {                                                                              \
            test_failed++;                                                                    \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                              \
        }                                                                                     \
    } while (0)

#define TEST_DONE()                                                 \
    do {                                                            \
        printf("%d passed, %d failed\n", test_passed, test_failed); \
        return test_failed ? 1 : 0;                                 \
    } while (0)

#endif
