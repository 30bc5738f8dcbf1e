/* cpu/riscv/rv_hart.c: the hart's execution loop, its trap router and its interrupt
 * logic (Volume II, 3.1.6.1 "Privilege and Global Interrupt-Enable Stack", 3.1.9 "mip and
 * mie", 3.1.8 "medeleg and mideleg", 3.3.1 on trap entry). Semantic functions return an
 * RvStatus; this file alone decides where a trap goes. */
#include "cpu/riscv/rv_block.h"

#include <stdlib.h>

void rv_core_init(RvCore *c, Bus *bus, VClock *clock, unsigned nharts, RvHart **harts)
{
    *c = (RvCore){ .bus = bus, .clock = clock, .ns_per_mtime_tick = 100, .nharts = nharts,
                   .harts = harts };
    rv_blocks_init(c);
}

void rv_core_destroy(RvCore *c)
{
    tb_cache_destroy(&c->tb);
}

static void stimecmp_fire(void *opaque, uint64_t now)
{
    rv_update_stip(opaque);
}

void rv_hart_init(RvHart *h, RvCore *core, unsigned index)
{
    memset(h, 0, sizeof(*h));
    h->tlb_nfilled = RV_MMU_COUNT * RV_TLB_SIZE + 1; /* everything to clear */
    h->core = core;
    h->index = index;
    h->mhartid = index;
    vtimer_init(&h->stimecmp_timer, stimecmp_fire, h);
    rv_hart_reset(h, 0);
}

/* 3.4 "Reset": M-mode, MIE and MPRV clear, misa with every extension present. */
void rv_hart_reset(RvHart *h, uint64_t pc)
{
    memset(h->x, 0, sizeof(h->x));
    memset(h->f, 0, sizeof(h->f));
    h->pc = pc;
    h->priv = RV_PRIV_M;
    h->misa = (2ULL << 62) | (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('A' - 'A')) |
              (1 << ('F' - 'A')) | (1 << ('D' - 'A')) | (1 << ('C' - 'A')) |
              (1 << ('S' - 'A')) | (1 << ('U' - 'A'));
    h->mstatus = (2ULL << 32) | (2ULL << 34);
    h->fflags = h->frm = 0;
    h->medeleg = h->mideleg = h->mie = h->mip = h->mip_sw = 0;
    h->mip_hw &= MIP_MEIP | MIP_SEIP | MIP_MTIP | MIP_MSIP;
    h->stip_sstc = false;
    h->mip = h->mip_hw;
    h->mtvec = h->stvec = h->satp = h->menvcfg = h->senvcfg = 0;
    h->mcounteren = h->scounteren = 0;
    h->stimecmp = ~0ULL;
    h->lr_addr = ~0ULL;
    h->wfi = false;
    rv_tlb_flush(h);
    rv_update_mmu_idx(h);
}

void rv_update_mmu_idx(RvHart *h)
{
    static const uint8_t by_priv[4] = { RV_MMU_U, RV_MMU_S, RV_MMU_S, RV_MMU_M };
    unsigned p = h->priv;
    h->mmu_idx_fetch = by_priv[p];
    if (p == RV_PRIV_M && (h->mstatus & MSTATUS_MPRV))
        p = (h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    h->mmu_idx_data = by_priv[p];
    if (p == RV_PRIV_S && (h->mstatus & MSTATUS_SUM))
        h->mmu_idx_data = RV_MMU_S_SUM;
}

uint64_t rv_hart_time(const RvHart *h)
{
    const VClock *c = h->core->clock;
    uint64_t now = c->base + h->executed;
    return now / h->core->ns_per_mtime_tick;
}

void rv_update_mip(RvHart *h)
{
    uint64_t sw = h->mip_sw;
    uint64_t sstc = 0;
    if (h->menvcfg & MENVCFG_STCE) {
        sw &= ~MIP_STIP;
        sstc = h->stip_sstc ? MIP_STIP : 0;
    }
    h->mip = h->mip_hw | sw | sstc;
    if (h->mip & h->mie)
        h->wfi = false;
}

void rv_hart_set_irq(void *hart, unsigned n, bool level)
{
    RvHart *h = hart;
    uint64_t bit = 1ULL << n;
    if (n == IRQ_S_SOFT) { /* SSWI setssip: an edge that sets the software bit */
        if (level)
            h->mip_sw |= bit;
    } else if (level) {
        h->mip_hw |= bit;
    } else {
        h->mip_hw &= ~bit;
    }
    rv_update_mip(h);
}

/* Sstc: STIP follows (time >= stimecmp) while menvcfg.STCE is set. */
void rv_update_stip(RvHart *h)
{
    if (!(h->menvcfg & MENVCFG_STCE)) {
        vtimer_disarm(h->core->clock, &h->stimecmp_timer);
        h->stip_sstc = false;
        rv_update_mip(h);
        return;
    }
    uint64_t t = rv_hart_time(h);
    bool pending = t >= h->stimecmp;
    h->stip_sstc = pending;
    rv_update_mip(h);
    if (pending || h->stimecmp == ~0ULL) {
        vtimer_disarm(h->core->clock, &h->stimecmp_timer);
    } else {
        uint64_t tick = h->core->ns_per_mtime_tick;
        uint64_t deadline = h->stimecmp > UINT64_MAX / tick ? UINT64_MAX : h->stimecmp * tick;
        vtimer_arm(h->core->clock, &h->stimecmp_timer, deadline);
    }
}

bool rv_hart_interrupt_pending(const RvHart *h)
{
    return (h->mip & h->mie) != 0;
}

static const char *const exc_names[16] = {
    "instruction address misaligned", "instruction access fault", "illegal instruction",
    "breakpoint", "load address misaligned", "load access fault",
    "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
    "ecall from S-mode", "ecall from VS-mode", "ecall from M-mode", "instruction page fault",
    "load page fault", "reserved", "store/AMO page fault",
};

/* 3.1.8 and 4.1.1: a trap goes to S-mode when it is delegated and the hart is not in
 * M-mode; otherwise to M-mode. */
void rv_take_trap(RvHart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    uint64_t deleg = interrupt ? h->mideleg : h->medeleg;
    uint64_t code = cause & 63;
    uint64_t xcause = cause | (interrupt ? CAUSE_INTERRUPT : 0);
    if (h->core->log_mask & RV_LOG_INT)
        fprintf(h->core->log_exec, "hart%u: trap %s%llu (%s) epc=0x%llx tval=0x%llx priv=%u\n",
                h->index, interrupt ? "irq " : "", (unsigned long long)code,
                interrupt ? "interrupt" : (code < 16 ? exc_names[code] : "?"),
                (unsigned long long)h->pc, (unsigned long long)tval, h->priv);
    h->wfi = false;
    if (h->priv <= RV_PRIV_S && ((deleg >> code) & 1)) {
        h->sepc = h->pc;
        h->scause = xcause;
        h->stval = tval;
        uint64_t s = h->mstatus;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s &= ~MSTATUS_SIE;
        s = (s & ~MSTATUS_SPP) | (h->priv == RV_PRIV_S ? MSTATUS_SPP : 0);
        h->mstatus = s;
        h->priv = RV_PRIV_S;
        h->pc = (h->stvec & ~3ULL) + ((interrupt && (h->stvec & 1)) ? 4 * code : 0);
    } else {
        h->mepc = h->pc;
        h->mcause = xcause;
        h->mtval = tval;
        uint64_t s = h->mstatus;
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s &= ~MSTATUS_MIE;
        s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << MSTATUS_MPP_SHIFT);
        h->mstatus = s;
        h->priv = RV_PRIV_M;
        h->pc = (h->mtvec & ~3ULL) + ((interrupt && (h->mtvec & 1)) ? 4 * code : 0);
        if (h->core->sbi_in_emulator) {
            fprintf(stderr, "hvemu: hart %u: %s %llu (%s) reached M-mode, which the built-in SBI "
                    "does not handle: epc=0x%llx tval=0x%llx\n", h->index,
                    interrupt ? "interrupt" : "exception", (unsigned long long)code,
                    interrupt ? "" : (code < 16 ? exc_names[code] : "?"),
                    (unsigned long long)h->mepc, (unsigned long long)tval);
            h->stopped = true;
            h->core->fatal = true;
        }
    }
    rv_update_mmu_idx(h);
}

/* 3.1.9: priority MEI, MSI, MTI, SEI, SSI, STI. */
bool rv_check_interrupts(RvHart *h)
{
    uint64_t pending = h->mip & h->mie;
    if (!pending)
        return false;
    uint64_t m_pending = pending & ~h->mideleg;
    uint64_t s_pending = pending & h->mideleg;
    bool m_enabled = h->priv < RV_PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool s_enabled = h->priv < RV_PRIV_S || (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_SIE));
    uint64_t take = m_enabled && m_pending ? m_pending : s_enabled ? s_pending : 0;
    if (!take)
        return false;
    static const uint8_t order[] = { IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT,
                                     IRQ_S_TIMER };
    for (unsigned k = 0; k < ARRAY_SIZE(order); k++) {
        if ((take >> order[k]) & 1) {
            rv_take_trap(h, order[k], 0, true);
            return true;
        }
    }
    return false;
}

/* Runs one block from its first instruction; returns how many instructions retired.
 * h->pc holds the block's address until an instruction ends the block; on the way out it
 * is set to where execution continues (or to the faulting instruction, for a trap). */
static inline uint32_t run_block(RvHart *h, const RvBlock *b, bool log)
{
    const RvInsn *ins = b->insns, *end = b->insns + b->ninsns;
    RvStatus st = RV_NEXT;
    h->tb_dirty = false;
    for (; ins < end; ins++) {
        if (log) {
            char text[96];
            rv_disasm(ins, rv_pc(h, ins), text, sizeof(text));
            fprintf(h->core->log_exec, "hart%u: %c 0x%016llx: %s\n", h->index, "USHM"[h->priv],
                    (unsigned long long)rv_pc(h, ins), text);
        }
        st = ins->fn(h, ins);
        if (unlikely(st != RV_NEXT))
            break;
    }
    uint32_t k = (uint32_t)(ins - b->insns);
    switch (st) {
    case RV_NEXT: /* fell off the end */
        h->pc += ins[-1].pc_off + ins[-1].len;
        break;
    case RV_TRAP:
        h->pc += ins->pc_off;
        h->executed += k;
        h->retired += k;
        rv_take_trap(h, h->exc.cause, h->exc.tval, false);
        return 0;
    case RV_WFI:
        h->wfi = true;
        /* fall through */
    case RV_END:
        h->pc += ins->pc_off + ins->len;
        k++;
        break;
    case RV_JUMP:
        k++;
        break;
    }
    h->executed += k;
    h->retired += k;
    return k;
}

uint64_t rv_hart_run(RvHart *h, uint64_t budget)
{
    bool log = (h->core->log_mask & RV_LOG_EXEC) != 0;
    RvBlock *prev = NULL;
    h->budget = budget;
    h->executed = 0;
    if (h->core->last_runner != h && !h->stopped && (!h->wfi || (h->mip & h->mie))) {
        h->core->last_runner = h;
        h->core->run_epoch++;
    }
    while (h->executed < budget && !h->stopped) {
        if (unlikely(h->mip & h->mie)) {
            h->wfi = false;
            if (rv_check_interrupts(h))
                prev = NULL;
        }
        if (h->wfi)
            break;
        /* Follow the previous block's link when it is still valid for this hart. */
        RvBlock *b = NULL;
        RvBlockLink *l = NULL;
        if (prev) {
            l = &prev->link[0];
            if (l->vpc != h->pc && (prev->link[1].vpc == h->pc || l->block))
                l = &prev->link[1];
            if (l->vpc == h->pc && l->gen == h->jc_gen && l->idx == h->mmu_idx_fetch)
                b = l->block;
        }
        if (!b) {
            b = rv_block_lookup(h, h->pc);
            if (unlikely(!b)) {
                rv_take_trap(h, h->exc.cause, h->exc.tval, false);
                prev = NULL;
                continue;
            }
            if (l)
                *l = (RvBlockLink){ .vpc = h->pc, .gen = h->jc_gen, .block = b,
                                    .idx = h->mmu_idx_fetch };
        }
        uint32_t retired = run_block(h, b, log);
        /* A block that trapped, or that was dropped while it ran, links to nothing. */
        prev = retired && !h->tb_dirty ? b : NULL;
    }
    return h->executed;
}
