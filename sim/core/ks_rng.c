/* ks_rng.c -- splitmix64 seeding; the xoshiro256** step (Blackman & Vigna,
 * public domain reference code re-typed) and the draws are inline in
 * ks_rng.h. */
#include "ks_rng.h"

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
