/* grow.c: an array's capacity doubled until it holds what is needed. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int grow(void *ptr, size_t *cap, size_t need, size_t elem, size_t max)
{
    if (need <= *cap)
        return 0;
    if (elem == 0 || (max && need > max))
        return -ENOMEM;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -ENOMEM;
        n *= 2;
    }
    if (max && n > max)
        n = max;
    if (n > SIZE_MAX / elem)
        return -ENOMEM;
    void *old;
    memcpy(&old, ptr, sizeof old); /* ptr is a T **: any object pointer */
    void *p = realloc(old, n * elem);
    if (!p)
        return -ENOMEM;
    memcpy(ptr, &p, sizeof p);
    *cap = n;
    return 0;
}
