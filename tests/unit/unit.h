/* tests/unit/unit.h: the assertion helpers of hvemu's host unit tests. Each test program
 * includes it once, runs its checks and ends with `return unit_summary("name");`, which
 * prints "name: N passed, N failed" and gives a non-zero exit status on any failure.
 * A failed check prints file:line, the expression and, for CHECK_EQ, both values. */
#ifndef HVEMU_UNIT_H
#define HVEMU_UNIT_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct UnitCounts {
    unsigned passed, failed;
} UnitCounts;

/* The counters of the one test program that includes this header. */
static inline UnitCounts *unit_counts(void)
{
    static UnitCounts counts;
    return &counts;
}

static inline void unit_pass(void)
{
    unit_counts()->passed++;
}

static inline void unit_fail(void)
{
    unit_counts()->failed++;
}

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (cond) {                                                                            \
            unit_pass();                                                                       \
        } else {                                                                               \
            unit_fail();                                                                       \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);           \
        }                                                                                      \
    } while (0)

#define CHECK_EQ(actual, expected)                                                             \
    do {                                                                                       \
        uint64_t unit_a_ = (uint64_t)(actual), unit_e_ = (uint64_t)(expected);                 \
        if (unit_a_ == unit_e_) {                                                              \
            unit_pass();                                                                       \
        } else {                                                                               \
            unit_fail();                                                                       \
            fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n", \
                    __FILE__, __LINE__, #actual, #expected, unit_a_, unit_e_);                 \
        }                                                                                      \
    } while (0)

#define CHECK_MEM(actual, expected, len)                                                       \
    do {                                                                                       \
        if (memcmp((actual), (expected), (len)) == 0) {                                        \
            unit_pass();                                                                       \
        } else {                                                                               \
            unit_fail();                                                                       \
            fprintf(stderr, "%s:%d: CHECK_MEM(%s, %s, %s) failed\n", __FILE__, __LINE__,        \
                    #actual, #expected, #len);                                                 \
        }                                                                                      \
    } while (0)

static inline int unit_summary(const char *name)
{
    const UnitCounts *c = unit_counts();
    printf("%s: %u passed, %u failed\n", name, c->passed, c->failed);
    return c->failed ? 1 : 0;
}

#endif
