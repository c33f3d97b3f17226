/* ks_rng.h -- the simulation's seeded pseudo-random numbers.
 *
 * xoshiro256** seeded through splitmix64: small, fast, and the same stream
 * on every machine for a given seed. A ks_rng is a plain value owned by its
 * user (the sim keeps one per purpose, see ks_sim_rng); nothing here touches
 * the C library's generator or the clock.
 * Depends on: libc, libm.
 */
#ifndef KS_RNG_H
#define KS_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct ks_rng {
    uint64_t s[4];
} ks_rng;

/* Seeds r from one 64-bit seed (any value, 0 included). */
void ks_rng_seed(ks_rng *r, uint64_t seed);
/* The draws below are inline: the scheduler's tie-breaks and every Poisson
 * arrival make one, so a call would cost as much as the draw. */

/* Next 64 random bits. */
static inline uint64_t ks_rng_u64(ks_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform integer in [0, n), unbiased (Lemire's method); 0 when n == 0. */
static inline uint64_t ks_rng_below(ks_rng *r, uint64_t n)
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

/* Uniform double in [0, 1), 53 bits. */
static inline double ks_rng_unit(ks_rng *r)
{
    return (double)(ks_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Exponential variate with the given mean (for Poisson arrivals), rounded
 * to a whole number >= 0. 1 - u is in (0, 1], so log never sees 0. */
static inline int64_t ks_rng_exp(ks_rng *r, double mean)
{
    double x = -mean * log(1.0 - ks_rng_unit(r));
    return (int64_t)(x + 0.5);        /* x >= 0: rounds half up */
}

/* splitmix64 step: also handy to derive independent seeds. */
uint64_t ks_splitmix64(uint64_t *state);

#endif
