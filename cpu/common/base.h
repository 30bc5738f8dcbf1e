/* cpu/common/base.h: small helpers shared by every library of hvemu (bit fields, sizes,
 * branch hints, host-endian loads and stores). Nothing here holds state. */
#ifndef HVEMU_BASE_H
#define HVEMU_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define KiB (1024ULL)
#define MiB (1024ULL * 1024)
#define GiB (1024ULL * 1024 * 1024)

/* Extract bits [lo, lo+len) of v. */
static inline uint64_t bits64(uint64_t v, unsigned lo, unsigned len)
{
    return len >= 64 ? v >> lo : (v >> lo) & ((1ULL << len) - 1);
}

static inline int64_t sext64(uint64_t v, unsigned width)
{
    return (int64_t)(v << (64 - width)) >> (64 - width);
}

static inline uint64_t ld_le(const void *p, unsigned size)
{
    switch (size) {
    case 1: return *(const uint8_t *)p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline void st_le(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *(uint8_t *)p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static inline uint64_t bswap_sized(uint64_t v, unsigned size)
{
    switch (size) {
    case 2: return __builtin_bswap16((uint16_t)v);
    case 4: return __builtin_bswap32((uint32_t)v);
    case 8: return __builtin_bswap64(v);
    default: return v;
    }
}

static inline uint64_t ld_be(const void *p, unsigned size)
{
    return bswap_sized(ld_le(p, size), size);
}

static inline void st_be(void *p, unsigned size, uint64_t v)
{
    st_le(p, size, bswap_sized(v, size));
}

#endif
