/* cpu/riscv/rv_block.h: translation blocks: runs of pre-decoded instructions keyed by
 * the physical address of their first instruction. Decoding does not depend on the
 * privilege mode (privilege checks happen when an instruction executes), so the physical
 * address is the whole key. */
#ifndef HVEMU_RV_BLOCK_H
#define HVEMU_RV_BLOCK_H

#include "cpu/riscv/rv_decode.h"

#define RV_BLOCK_MAX 64
#define RV_TB_HASH_BITS 16

/* A direct link from the end of one block to the block that ran next, valid only for
 * the hart whose jump-cache generation is `gen` (generations are unique per hart) and
 * the same fetch context: it skips the jump-cache lookup on the hot path. */
typedef struct RvBlockLink {
    uint64_t vpc;
    uint64_t gen;
    RvBlock *block;
    unsigned idx;
} RvBlockLink;

#define RV_NO_PAGE2 (~0ULL)

struct RvBlock {
    uint64_t pa;
    uint64_t pa2;          /* second physical page of a page-straddling instruction */
    RvBlockLink link[2];
    RvBlock *hash_next;    /* chain of the bucket of pa */
    RvBlock *page_next;    /* chain of blocks of the same physical page */
    RvBlock *grave_next;
    RvBlock *straddle_next;
    uint32_t ninsns;
    RvInsn insns[];
};

RvStatus rv_fetch_page(RvHart *h, uint64_t va, uint64_t *pa, const uint8_t **host);
/* The block that starts at the hart's pc, built if needed; NULL with h->exc set when the
 * fetch faults. */
RvBlock *rv_block_lookup(RvHart *h, uint64_t pc);
/* Frees blocks dropped since the last call (at a quantum boundary). */
void rv_blocks_reap(RvCore *c);
void rv_blocks_flush_all(RvCore *c);

#endif
