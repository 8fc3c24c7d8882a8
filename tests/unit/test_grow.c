/* grow(): capacity doubles from 16, stops at max, never overflows, and a
 * failure leaves the array as it was. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"
#include "test.h"

int main(void)
{
    long *v = NULL;
    size_t cap = 0;
    CHECK_INT(grow(&v, &cap, 1, sizeof *v, 0), 0);
    CHECK(v != NULL);
    CHECK_INT(cap, 16);
    for (long i = 0; i < 16; i++)
        v[i] = i;
    CHECK_INT(grow(&v, &cap, 16, sizeof *v, 0), 0); /* enough already */
    CHECK_INT(cap, 16);
    CHECK_INT(grow(&v, &cap, 17, sizeof *v, 0), 0);
    CHECK_INT(cap, 32);
    CHECK_INT(v[15], 15); /* kept */
    CHECK_INT(grow(&v, &cap, 1000, sizeof *v, 0), 0);
    CHECK_INT(cap, 1024);
    /* A maximum: the capacity stops there; more is refused. */
    char *b = NULL;
    size_t bcap = 0;
    CHECK_INT(grow(&b, &bcap, 100, 1, 150), 0);
    CHECK_INT(bcap, 128);
    CHECK_INT(grow(&b, &bcap, 129, 1, 150), 0);
    CHECK_INT(bcap, 150);
    CHECK_INT(grow(&b, &bcap, 151, 1, 150), -ENOMEM);
    CHECK_INT(bcap, 150);
    /* Sizes that overflow are refused, the array untouched. */
    long *before = v;
    CHECK_INT(grow(&v, &cap, SIZE_MAX / 4, sizeof *v, 0), -ENOMEM);
    CHECK(v == before);
    CHECK_INT(cap, 1024);
    CHECK_INT(grow(&v, &cap, SIZE_MAX, 1, 0), -ENOMEM);
    free(v);
    free(b);
    TEST_DONE();
}
