/* ks_rng.c -- xoshiro256** (Blackman & Vigna, public domain reference code
 * re-typed here) and splitmix64 seeding. */
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

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t ks_rng_u64(ks_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t ks_rng_below(ks_rng *r, uint64_t n)
{
    unsigned __int128 m;
    uint64_t lo;
    if (n == 0)
        return 0;
    m = (unsigned __int128)ks_rng_u64(r) * n;
    lo = (uint64_t)m;
    if (lo < n) {
        uint64_t threshold = -n % n;
        while (lo < threshold) {
            m = (unsigned __int128)ks_rng_u64(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double ks_rng_unit(ks_rng *r)
{
    return (double)(ks_rng_u64(r) >> 11) * 0x1.0p-53;
}

int64_t ks_rng_exp(ks_rng *r, double mean)
{
    /* 1 - u is in (0, 1], so log never sees 0 */
    double x = -mean * log(1.0 - ks_rng_unit(r));
    return (int64_t)(x + 0.5);        /* x >= 0: rounds half up */
}
