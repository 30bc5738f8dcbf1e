/* cpu/riscv/rv_block.c: the translation-block cache (DESIGN.md, "Execution engine").
 * Blocks are found through a per-hart jump cache keyed by virtual pc, then a hash of
 * physical addresses. Each RAM page that holds blocks is marked; the first store to a
 * marked page (by any hart, DMA or the page-table walker) drops every block of that page.
 * Dropped blocks are freed only at the next quantum boundary, since the running hart may
 * still be inside one. */
#include "cpu/riscv/rv_block.h"

#include <stdio.h>
#include <stdlib.h>

#define TB_HASH_SIZE (1u << RV_TB_HASH_BITS)

static unsigned hash_pa(uint64_t pa) { return (unsigned)((pa >> 1) ^ (pa >> 17)) & (TB_HASH_SIZE - 1); }
static unsigned hash_page(uint64_t pa) { return (unsigned)((pa >> 12) ^ (pa >> 28)) & (TB_HASH_SIZE - 1); }

static RvBlock *tb_find(RvCore *c, uint64_t pa)
{
    for (RvBlock *b = c->tb_hash[hash_pa(pa)]; b; b = b->hash_next)
        if (b->pa == pa)
            return b;
    return NULL;
}

static bool code_page_index(const RvCore *c, uint64_t pa, uint64_t *pg)
{
    uint64_t pfn = pa >> 12;
    if (pfn < c->code_base || pfn - c->code_base >= c->code_pages)
        return false;
    *pg = pfn - c->code_base;
    return true;
}

/* A page gets its first block: stores to it must take the slow path from now on. */
static void mark_code_page(RvCore *c, uint64_t pa)
{
    uint64_t pg;
    if (!code_page_index(c, pa, &pg) || c->code_page[pg])
        return;
    c->code_page[pg] = 1;
    uint64_t ppage = pa & ~0xfffULL;
    for (unsigned n = 0; n < c->nharts; n++) {
        RvHart *h = c->harts[n];
        for (unsigned idx = 0; idx < RV_MMU_COUNT; idx++)
            for (unsigned k = 0; k < RV_TLB_SIZE; k++) {
                RvTlbEntry *e = &h->tlb[idx][k];
                if (e->pa_page == ppage && e->tag[RV_ACC_WRITE] != RV_TLB_INVALID)
                    e->tag[RV_ACC_WRITE] |= RV_TLB_SLOW;
            }
    }
}

static void invalidate_everywhere(RvCore *c)
{
    c->tb_gen++;
    for (unsigned n = 0; n < c->nharts; n++) {
        rv_renew_jc(c->harts[n]);
        c->harts[n]->tb_dirty = true;
    }
}

static void unlink_hash(RvCore *c, RvBlock *b)
{
    for (RvBlock **pp = &c->tb_hash[hash_pa(b->pa)]; *pp; pp = &(*pp)->hash_next)
        if (*pp == b) {
            *pp = b->hash_next;
            return;
        }
}

static void unlink_straddler(RvCore *c, RvBlock *b)
{
    for (RvBlock **pp = &c->straddlers; *pp; pp = &(*pp)->straddle_next)
        if (*pp == b) {
            *pp = b->straddle_next;
            return;
        }
}

static void unlink_page(RvCore *c, RvBlock *b)
{
    for (RvBlock **pp = &c->tb_page[hash_page(b->pa)]; *pp; pp = &(*pp)->page_next)
        if (*pp == b) {
            *pp = b->page_next;
            return;
        }
}

/* Moves a block out of every index into the graveyard. */
static void retire(RvCore *c, RvBlock *b)
{
    unlink_hash(c, b);
    if (b->pa2 != RV_NO_PAGE2)
        unlink_straddler(c, b);
    b->grave_next = c->graveyard;
    c->graveyard = b;
    c->tb_count--;
}

static void drop_page(RvCore *c, uint64_t ppage)
{
    RvBlock **pp = &c->tb_page[hash_page(ppage)];
    while (*pp) {
        RvBlock *b = *pp;
        if ((b->pa & ~0xfffULL) == ppage) {
            *pp = b->page_next;
            retire(c, b);
        } else {
            pp = &b->page_next;
        }
    }
    /* Instructions that start on another page and end on this one. */
    for (RvBlock *b = c->straddlers, *next; b; b = next) {
        next = b->straddle_next;
        if (b->pa2 == ppage) {
            unlink_page(c, b);
            retire(c, b);
        }
    }
}

void rv_code_written(void *opaque, uint64_t pa, uint64_t len)
{
    RvCore *c = opaque;
    bool dropped = false;
    if (len == 0)
        return;
    for (uint64_t page = pa & ~0xfffULL; page < pa + len; page += 4096) {
        uint64_t pg;
        if (!code_page_index(c, page, &pg) || !c->code_page[pg])
            continue;
        c->code_page[pg] = 0;
        drop_page(c, page);
        dropped = true;
    }
    if (dropped)
        invalidate_everywhere(c);
}

void rv_blocks_reap(RvCore *c)
{
    while (c->graveyard) {
        RvBlock *b = c->graveyard;
        c->graveyard = b->grave_next;
        free(b);
    }
}

void rv_blocks_flush_all(RvCore *c)
{
    for (unsigned k = 0; k < TB_HASH_SIZE; k++) {
        while (c->tb_page[k]) {
            RvBlock *b = c->tb_page[k];
            c->tb_page[k] = b->page_next;
            b->grave_next = c->graveyard;
            c->graveyard = b;
        }
        c->tb_hash[k] = NULL;
    }
    c->straddlers = NULL;
    memset(c->code_page, 0, c->code_pages);
    c->tb_count = 0;
    invalidate_everywhere(c);
}

/* Decodes from pa (host page `page`) until a block-ending instruction, the page end or
 * RV_BLOCK_MAX instructions. An instruction that straddles the page end is left to a
 * block of its own built by build_straddling(). */
static RvBlock *build(RvCore *c, uint64_t pa, const uint8_t *page)
{
    RvInsn buf[RV_BLOCK_MAX];
    unsigned n = 0;
    unsigned off = pa & 0xfff;
    while (n < RV_BLOCK_MAX && off < 4096) {
        uint16_t lo = (uint16_t)ld_le(page + off, 2);
        unsigned len = rv_insn_len(lo);
        if (off + len > 4096)
            break;
        uint32_t raw = len == 2 ? lo : (uint32_t)ld_le(page + off, 4);
        unsigned flags = rv_decode(raw, &buf[n]);
        buf[n++].pc_off = (uint16_t)(off - (pa & 0xfff));
        off += len;
        if (flags & RVF_END)
            break;
    }
    if (n == 0)
        return NULL;
    RvBlock *b = malloc(sizeof(RvBlock) + n * sizeof(RvInsn));
    if (!b) {
        fprintf(stderr, "hvemu: out of memory for translated code\n");
        exit(1);
    }
    b->pa = pa;
    b->pa2 = RV_NO_PAGE2;
    b->ninsns = n;
    memset(b->link, 0, sizeof(b->link));
    memcpy(b->insns, buf, n * sizeof(RvInsn));
    b->hash_next = c->tb_hash[hash_pa(pa)];
    c->tb_hash[hash_pa(pa)] = b;
    b->page_next = c->tb_page[hash_page(pa)];
    c->tb_page[hash_page(pa)] = b;
    c->tb_count++;
    mark_code_page(c, pa);
    return b;
}

/* A 32-bit instruction whose halves lie on two pages gets a block of its own, indexed by
 * its first page and listed as a straddler so that a store to its second page drops it
 * too; a lookup also checks that the second half still translates to the same page. */
static RvBlock *build_straddling(RvHart *h, uint64_t pc, uint64_t pa)
{
    uint32_t raw;
    unsigned len;
    uint64_t pa2;
    const uint8_t *page2;
    if (rv_fetch_slow(h, pc, &raw, &len) != RV_NEXT)
        return NULL;
    if (rv_fetch_page(h, pc + 2, &pa2, &page2) != RV_NEXT) {
        h->exc.tval = pc + 2;
        return NULL;
    }
    RvBlock *b = malloc(sizeof(RvBlock) + sizeof(RvInsn));
    if (!b) {
        fprintf(stderr, "hvemu: out of memory for translated code\n");
        exit(1);
    }
    RvCore *c = h->core;
    *b = (RvBlock){ .pa = pa, .pa2 = pa2 & ~0xfffULL, .ninsns = 1 };
    rv_decode(raw, &b->insns[0]);
    b->hash_next = c->tb_hash[hash_pa(pa)];
    c->tb_hash[hash_pa(pa)] = b;
    b->page_next = c->tb_page[hash_page(pa)];
    c->tb_page[hash_page(pa)] = b;
    b->straddle_next = c->straddlers;
    c->straddlers = b;
    c->tb_count++;
    mark_code_page(c, pa);
    mark_code_page(c, b->pa2);
    return b;
}

/* A cached straddler whose second half now translates elsewhere is stale. */
static bool straddler_current(RvHart *h, RvBlock *b, uint64_t pc)
{
    uint64_t pa2;
    const uint8_t *page2;
    if (rv_fetch_page(h, pc + 2, &pa2, &page2) != RV_NEXT)
        return true; /* let the rebuild report the fault */
    return (pa2 & ~0xfffULL) == b->pa2;
}

RvBlock *rv_block_lookup(RvHart *h, uint64_t pc)
{
    RvJumpCacheEntry *jc = &h->jc[(pc >> 1) & (RV_JC_SIZE - 1)];
    if (jc->vpc == pc && jc->gen == h->jc_gen && jc->idx == h->mmu_idx_fetch)
        return jc->block;
    if (pc & 1) {
        rv_raise(h, EXC_INSN_MISALIGNED, pc);
        return NULL;
    }
    uint64_t pa;
    const uint8_t *page;
    if (rv_fetch_page(h, pc, &pa, &page) != RV_NEXT)
        return NULL;
    RvBlock *b = tb_find(h->core, pa);
    if (b && b->pa2 != RV_NO_PAGE2 && !straddler_current(h, b, pc)) {
        unlink_page(h->core, b);
        retire(h->core, b);
        invalidate_everywhere(h->core);
        b = NULL;
    }
    if (!b) {
        b = build(h->core, pa, page);
        if (!b)
            b = build_straddling(h, pc, pa);
        if (!b)
            return NULL;
    }
    *jc = (RvJumpCacheEntry){ .vpc = pc, .gen = h->jc_gen, .idx = h->mmu_idx_fetch, .block = b };
    return b;
}
