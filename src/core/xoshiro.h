/*
 * xoshiro.h - xoshiro256** (Blackman and Vigna 2018), a small fast generator
 * for reproducible draws (the demo's data, the impact bootstrap), its state
 * set from a 64-bit seed by splitmix64. Not for secrets (libsodium is).
 */
#ifndef TB_XOSHIRO_H
#define TB_XOSHIRO_H

#include <stdint.h>

static inline uint64_t splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void xoshiro256_seed(uint64_t s[4], uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        s[i] = splitmix64_next(&seed);
}

static inline uint64_t xoshiro256_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro256_next(uint64_t s[4])
{
    uint64_t result = xoshiro256_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = xoshiro256_rotl(s[3], 45);
    return result;
}

#endif
