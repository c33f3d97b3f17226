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

#include <stdint.h>

typedef struct ks_rng {
    uint64_t s[4];
} ks_rng;

/* Seeds r from one 64-bit seed (any value, 0 included). */
void ks_rng_seed(ks_rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t ks_rng_u64(ks_rng *r);
/* Uniform integer in [0, n), unbiased (Lemire's method); 0 when n == 0. */
uint64_t ks_rng_below(ks_rng *r, uint64_t n);
/* Uniform double in [0, 1), 53 bits. */
double ks_rng_unit(ks_rng *r);
/* Exponential variate with the given mean (for Poisson arrivals), rounded
 * to a whole number >= 0. */
int64_t ks_rng_exp(ks_rng *r, double mean);

/* splitmix64 step: also handy to derive independent seeds. */
uint64_t ks_splitmix64(uint64_t *state);

#endif
