/* ks_rng.c -- splitmix64 seeding and the exponential draw; the xoshiro256**
 * step itself (Blackman & Vigna, public domain reference code re-typed) is
 * inline in ks_rng.h. */
#include "ks_rng.h"

#include <math.h>

uint64_t ks_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void ks_rng_seed(ks_rng *r, uint64_t seed)
{
    uint64_t st = seed;
    int i;
    for (i = 0; i < 4; i++)
        r->s[i] = ks_splitmix64(&st);
}

int64_t ks_rng_exp(ks_rng *r, double mean)
{
    /* 1 - u is in (0, 1], so log never sees 0 */
    double x = -mean * log(1.0 - ks_rng_unit(r));
    return (int64_t)(x + 0.5);        /* x >= 0: rounds half up */
}
