/* cpu/riscv/rv_block.h: translation blocks: runs of pre-decoded instructions keyed by
 * the physical address of their first instruction. Decoding does not depend on the
 * privilege or virtualization mode (privilege checks happen when an instruction executes;
 * the H rows depend only on the core's fixed misa.H), so the physical address is the whole
 * key; the jump cache and block links also key on the fetch context, which tells V=1
 * from V=0. */
#ifndef HVEMU_RV_BLOCK_H
#define HVEMU_RV_BLOCK_H

#include "cpu/riscv/rv_decode.h"

/* Blocks end at the end of an aligned window of code (rv_block.c, build). */
#define RV_BLOCK_WINDOW 256u
#define RV_BLOCK_MAX (RV_BLOCK_WINDOW / 2)

/* A direct link from the end of one block to the block that ran next, valid only for
 * the hart whose jump-cache generation is `gen` (generations are unique per hart) and
 * the same fetch context: it skips the jump-cache lookup on the hot path. */
typedef struct RvBlockLink {
    uint64_t vpc;
    uint64_t gen;
    RvBlock *block;
    unsigned idx;
} RvBlockLink;

struct RvBlock {
    TbBlock tb;            /* keyed by physical address alone (key 0) */
    RvBlockLink link[2];
    uint32_t ninsns;
    RvInsn insns[];
};

/* Sets up the core's block cache over its bus. */
void rv_blocks_init(RvCore *c);
RvStatus rv_fetch_page(RvHart *h, uint64_t va, uint64_t *pa, const uint8_t **host);
/* The block that starts at the hart's pc, built if needed; NULL with h->exc set when the
 * fetch faults. */
RvBlock *rv_block_lookup(RvHart *h, uint64_t pc);

#endif
