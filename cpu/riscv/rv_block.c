/* cpu/riscv/rv_block.c: RISC-V translation blocks (DESIGN.md, "Execution engine"). Blocks
 * are found through a per-hart jump cache keyed by virtual pc, then through the shared
 * physical-address index of cpu/common/tb_cache.h, which also drops a page's blocks on the
 * first store to it (by any hart, DMA or the page-table walker) and frees them at the next
 * quantum boundary. Here: decoding a block, 32-bit instructions that straddle a page, and
 * the soft-TLB side of marking a page as code. */
#include "cpu/riscv/rv_block.h"
#include "cpu/riscv/rv_decode.h"

#include <stdio.h>
#include <stdlib.h>

/* A page got its first block: the harts' cached write translations of it must take the
 * slow path from now on. */
static void page_marked(void *opaque, uint64_t ppage)
{
    RvCore *c = opaque;
    for (unsigned n = 0; n < c->nharts; n++)
        rv_tlb_mark_code(c->harts[n], ppage);
}

static void invalidate_everywhere(void *opaque)
{
    RvCore *c = opaque;
    for (unsigned n = 0; n < c->nharts; n++) {
        rv_renew_jc(c->harts[n]);
        c->harts[n]->tb_dirty = true;
    }
}

void rv_blocks_init(RvCore *c)
{
    TbCacheHooks hooks = { .page_marked = page_marked, .dropped = invalidate_everywhere,
                           .opaque = c };
    tb_cache_init(&c->tb, c->bus, &hooks);
}

void rv_code_written(void *core, uint64_t pa, uint64_t len)
{
    tb_code_written(&((RvCore *)core)->tb, pa, len);
}

static RvBlock *alloc_block(unsigned n)
{
    RvBlock *b = malloc(sizeof(RvBlock) + n * sizeof(RvInsn));
    if (!b) {
        fprintf(stderr, "hvemu: out of memory for translated code\n");
        exit(1);
    }
    return b;
}

/* Decodes from pa (host page `page`) until a block-ending instruction or the end of the
 * 256-byte window pa lies in (RV_BLOCK_WINDOW). Where a block ends is thus a property of
 * the instruction's address alone, never of where the block began: a hart that enters
 * the same code at another point (a cut quantum, a restored snapshot, a gdb step) meets
 * the same block ends, and so takes interrupts at the same instructions. An instruction
 * that straddles the page end is left to a block of its own built by build_straddling(). */
static RvBlock *build(RvCore *c, uint64_t pa, const uint8_t *page)
{
    RvInsn buf[RV_BLOCK_MAX];
    unsigned n = 0;
    unsigned off = pa & 0xfff;
    unsigned wend = (off & ~(RV_BLOCK_WINDOW - 1)) + RV_BLOCK_WINDOW;
    while (off < wend) {
        uint16_t lo = (uint16_t)ld_le(page + off, 2);
        unsigned len = rv_insn_len(lo);
        if (off + len > 4096)
            break;
        uint32_t raw = len == 2 ? lo : (uint32_t)ld_le(page + off, 4);
        unsigned flags = rv_decode_for(raw, &buf[n], c->has_h);
        buf[n++].pc_off = (uint16_t)(off - (pa & 0xfff));
        off += len;
        if (flags & RVF_END)
            break;
    }
    if (n == 0)
        return NULL;
    RvBlock *b = alloc_block(n);
    b->tb = (TbBlock){ .pa = pa, .pa2 = TB_NO_PAGE2 };
    b->ninsns = n;
    memset(b->link, 0, sizeof(b->link));
    memcpy(b->insns, buf, n * sizeof(RvInsn));
    tb_insert(&c->tb, &b->tb);
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
    RvBlock *b = alloc_block(1);
    *b = (RvBlock){ .tb = { .pa = pa, .pa2 = pa2 & ~0xfffULL }, .ninsns = 1 };
    rv_decode_for(raw, &b->insns[0], h->core->has_h);
    tb_insert(&h->core->tb, &b->tb);
    return b;
}

/* A cached straddler whose second half now translates elsewhere is stale. */
static bool straddler_current(RvHart *h, RvBlock *b, uint64_t pc)
{
    uint64_t pa2;
    const uint8_t *page2;
    if (rv_fetch_page(h, pc + 2, &pa2, &page2) != RV_NEXT)
        return true; /* let the rebuild report the fault */
    return (pa2 & ~0xfffULL) == b->tb.pa2;
}

/* -d in_asm: a block as it is translated, once: its virtual and physical address and the
 * privilege it was fetched in, then each instruction's address, encoding (16 bits for a
 * compressed one, shown as the instruction it expands to) and disassembly. */
static void log_block(RvHart *h, uint64_t pc, uint64_t pa, const RvBlock *b)
{
    FILE *f = h->core->log_exec;
    static const char *const priv[2][4] = { { "U", "S", "H", "M" }, { "VU", "VS", "?", "?" } };
    fprintf(f, "IN: hart%u 0x%016llx (pa 0x%llx, %s-mode)\n", h->index,
            (unsigned long long)pc, (unsigned long long)pa, priv[h->virt][h->priv & 3]);
    for (uint32_t k = 0; k < b->ninsns; k++) {
        const RvInsn *i = &b->insns[k];
        char text[96];
        rv_disasm(i, pc + i->pc_off, text, sizeof(text));
        if (i->len == 2)
            fprintf(f, "0x%016llx:  %04x      %s\n", (unsigned long long)(pc + i->pc_off),
                    i->raw & 0xffff, text);
        else
            fprintf(f, "0x%016llx:  %08x  %s\n", (unsigned long long)(pc + i->pc_off), i->raw,
                    text);
    }
    fputc('\n', f);
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
    RvBlock *b = (RvBlock *)tb_find(&h->core->tb, pa, 0);
    if (b && b->tb.pa2 != TB_NO_PAGE2 && !straddler_current(h, b, pc)) {
        tb_drop(&h->core->tb, &b->tb);
        b = NULL;
    }
    if (!b) {
        b = build(h->core, pa, page);
        if (!b)
            b = build_straddling(h, pc, pa);
        if (!b)
            return NULL;
        if (unlikely(h->core->log_mask & RV_LOG_IN_ASM))
            log_block(h, pc, pa, b);
    }
    *jc = (RvJumpCacheEntry){ .vpc = pc, .gen = h->jc_gen, .idx = h->mmu_idx_fetch, .block = b };
    return b;
}
