/* cpu/riscv/rv_hart.c: the hart's execution loop, its trap router and its interrupt
 * logic (Volume II, 3.1.6.1 "Privilege and Global Interrupt-Enable Stack", 3.1.9 "mip and
 * mie", 3.1.8 "medeleg and mideleg", 3.3.1 on trap entry; with the H extension 8.2.2-8.2.4
 * "hedeleg/hideleg", "hvip, hip and hie", "hgeip and hgeie", 8.6.2 "Trap Entry" and 8.6.3
 * on htinst/mtinst). Semantic functions return an RvStatus; this file alone decides where
 * a trap goes. */
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
    free(c->gdb_xml);
    c->gdb_xml = NULL;
}

static void stimecmp_fire(void *opaque, uint64_t now)
{
    rv_update_stip(opaque);
}

static void vstimecmp_fire(void *opaque, uint64_t now)
{
    rv_update_vstip(opaque);
}

void rv_hart_init(RvHart *h, RvCore *core, unsigned index)
{
    memset(h, 0, sizeof(*h));
    h->core = core;
    h->index = index;
    h->mhartid = index;
    vtimer_init(&h->stimecmp_timer, stimecmp_fire, h);
    vtimer_init(&h->vstimecmp_timer, vstimecmp_fire, h);
    rv_tlb_init(h);
    rv_hart_reset(h, 0);
}

/* 3.4 "Reset": M-mode with V=0, MIE and MPRV clear, misa with every extension present
 * (H only when the machine asked for it). 8.4.2: with H, the VS-level and guest external
 * interrupts are always delegated past M-mode (mideleg bits 2, 6, 10 and 12 read-only
 * one). */
void rv_hart_reset(RvHart *h, uint64_t pc)
{
    memset(h->x, 0, sizeof(h->x));
    memset(h->f, 0, sizeof(h->f));
    h->pc = pc;
    h->priv = RV_PRIV_M;
    h->misa = (2ULL << 62) | (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('A' - 'A')) |
              (1 << ('F' - 'A')) | (1 << ('D' - 'A')) | (1 << ('C' - 'A')) |
              (1 << ('S' - 'A')) | (1 << ('U' - 'A')) | (h->core->has_h ? MISA_H : 0);
    h->mstatus = (2ULL << 32) | (2ULL << 34);
    h->virt = false;
    h->fflags = h->frm = 0;
    h->medeleg = h->mideleg = h->mie = h->mip = h->mip_sw = 0;
    if (h->core->has_h)
        h->mideleg = HIP_MASK;
    h->hstatus = h->core->has_h ? 2ULL << 32 : 0; /* VSXL = 64 */
    h->hedeleg = h->hideleg = h->hvip = h->hgeie = 0;
    h->hgeip &= RV_HGEI_MASK; /* lines keep their level */
    h->htval = h->htinst = h->hgatp = h->hcounteren = h->htimedelta = h->henvcfg = 0;
    h->vsstatus = 2ULL << 32; /* UXL = 64 */
    h->vstvec = h->vsscratch = h->vsepc = h->vscause = h->vstval = h->vsatp = 0;
    h->vstimecmp = ~0ULL;
    h->vstip_sstc = false;
    h->mtval2 = h->mtinst = 0;
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

/* The translation context of a nominal privilege and virtualization mode; with V=1 the
 * SUM that applies is vsstatus.SUM (8.2.10). */
static unsigned mmu_idx_of(const RvHart *h, unsigned p, bool virt)
{
    static const uint8_t by_priv[4] = { RV_MMU_U, RV_MMU_S, RV_MMU_S, RV_MMU_M };
    if (virt) {
        if (p == RV_PRIV_U)
            return RV_MMU_VU;
        return (h->vsstatus & MSTATUS_SUM) ? RV_MMU_VS_SUM : RV_MMU_VS;
    }
    if (p == RV_PRIV_S && (h->mstatus & MSTATUS_SUM))
        return RV_MMU_S_SUM;
    return by_priv[p];
}

/* 3.1.6.3 and 8.4.1 (table "Effect of MPRV"): with MPRV, loads and stores act as though
 * at MPP and, with H, MPV. */
void rv_update_mmu_idx(RvHart *h)
{
    unsigned p = h->priv;
    bool virt = h->virt;
    h->mmu_idx_fetch = mmu_idx_of(h, p, virt);
    if (p == RV_PRIV_M && (h->mstatus & MSTATUS_MPRV)) {
        p = (h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
        virt = p != RV_PRIV_M && (h->mstatus & MSTATUS_MPV);
    }
    h->mmu_idx_data = mmu_idx_of(h, p, virt);
    rv_tlb_sync(h);
}

/* The context of HLV/HLVX/HSV (8.3.1): as though V=1 at privilege hstatus.SPVP. */
unsigned rv_hlv_mmu_idx(const RvHart *h)
{
    return mmu_idx_of(h, (h->hstatus & HSTATUS_SPVP) ? RV_PRIV_S : RV_PRIV_U, true);
}

uint64_t rv_hart_time(const RvHart *h)
{
    const VClock *c = h->core->clock;
    uint64_t now = c->base + rv_progress(h);
    return now / h->core->ns_per_mtime_tick;
}

/* 8.2.3: the VS-level and guest external bits of mip (hip): VSSIP is hvip's; VSTIP is
 * hvip's or the VS Sstc comparator; VSEIP is hvip's or the hgeip line hstatus.VGEIN
 * selects; SGEIP is set while hgeip & hgeie is not zero. */
static uint64_t hip_bits(const RvHart *h)
{
    uint64_t v = h->hvip & VSIP_MASK;
    if (h->vstip_sstc)
        v |= MIP_VSTIP;
    unsigned vgein = (unsigned)((h->hstatus & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT);
    if (vgein && ((h->hgeip >> vgein) & 1))
        v |= MIP_VSEIP;
    if (h->hgeip & h->hgeie)
        v |= MIP_SGEIP;
    return v;
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
    if (h->core->has_h)
        h->mip |= hip_bits(h);
    if (h->mip & h->mie)
        h->wfi = false;
}

void rv_hart_set_guest_irq(void *hart, unsigned n, bool level)
{
    RvHart *h = hart;
    if (n < 1 || n > RV_GEILEN)
        return;
    if (level)
        h->hgeip |= 1ULL << n;
    else
        h->hgeip &= ~(1ULL << n);
    rv_update_mip(h);
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

/* Sstc with H: VSTIP follows (time + htimedelta >= vstimecmp) while henvcfg.STCE is set
 * (which menvcfg.STCE gates). */
void rv_update_vstip(RvHart *h)
{
    bool on = (h->menvcfg & MENVCFG_STCE) && (h->henvcfg & HENVCFG_STCE);
    uint64_t t = rv_hart_time(h) + h->htimedelta;
    bool pending = on && t >= h->vstimecmp;
    h->vstip_sstc = pending;
    rv_update_mip(h);
    if (!on || pending || h->vstimecmp == ~0ULL) {
        vtimer_disarm(h->core->clock, &h->vstimecmp_timer);
        return;
    }
    /* Host ticks until the guest's time reaches vstimecmp. */
    uint64_t now = rv_hart_time(h), ahead = h->vstimecmp - t;
    uint64_t host_cmp = ahead > UINT64_MAX - now ? UINT64_MAX : now + ahead;
    uint64_t tick = h->core->ns_per_mtime_tick;
    uint64_t deadline = host_cmp > UINT64_MAX / tick ? UINT64_MAX : host_cmp * tick;
    vtimer_arm(h->core->clock, &h->vstimecmp_timer, deadline);
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

/* What one trap carries to its handler. */
typedef struct RvTrap {
    uint64_t code;      /* exception or interrupt code */
    bool interrupt;
    uint64_t tval, tval2, tinst;
    bool gva;
} RvTrap;

static uint64_t vector_pc(uint64_t tvec, const RvTrap *t, uint64_t code)
{
    return (tvec & ~3ULL) + ((t->interrupt && (tvec & 1)) ? 4 * code : 0);
}

/* 8.6.2: a trap taken into VS-mode. VS-level interrupts appear as the S-level ones
 * (10 -> 9, 6 -> 5, 2 -> 1). hstatus and the HS-level sstatus stay as they are. */
static void enter_vs(RvHart *h, const RvTrap *t)
{
    uint64_t code = t->code;
    if (t->interrupt && (code == IRQ_VS_SOFT || code == IRQ_VS_TIMER || code == IRQ_VS_EXT))
        code--;
    h->vsepc = h->pc;
    h->vscause = code | (t->interrupt ? CAUSE_INTERRUPT : 0);
    h->vstval = t->tval;
    uint64_t s = h->vsstatus;
    s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
    s &= ~MSTATUS_SIE;
    s = (s & ~MSTATUS_SPP) | (h->priv == RV_PRIV_S ? MSTATUS_SPP : 0);
    h->vsstatus = s;
    h->priv = RV_PRIV_S;
    h->pc = vector_pc(h->vstvec, t, code);
}

/* 3.1.8, 4.1.1 and 8.6.2: a trap taken into (H)S-mode; with H it also writes hstatus.SPV,
 * SPVP (only when coming from V=1) and GVA, htval and htinst, and leaves V=0. */
static void enter_hs(RvHart *h, const RvTrap *t)
{
    h->sepc = h->pc;
    h->scause = t->code | (t->interrupt ? CAUSE_INTERRUPT : 0);
    h->stval = t->tval;
    uint64_t s = h->mstatus;
    s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
    s &= ~MSTATUS_SIE;
    s = (s & ~MSTATUS_SPP) | (h->priv == RV_PRIV_S ? MSTATUS_SPP : 0);
    h->mstatus = s;
    if (h->core->has_h) {
        uint64_t hs = h->hstatus & ~(HSTATUS_SPV | HSTATUS_GVA);
        if (h->virt)
            hs = (hs & ~HSTATUS_SPVP) | HSTATUS_SPV | (h->priv == RV_PRIV_S ? HSTATUS_SPVP : 0);
        if (t->gva)
            hs |= HSTATUS_GVA;
        h->hstatus = hs;
        h->htval = t->tval2;
        h->htinst = t->tinst;
    }
    h->priv = RV_PRIV_S;
    h->virt = false;
    h->pc = vector_pc(h->stvec, t, t->code);
}

static void enter_m(RvHart *h, const RvTrap *t)
{
    h->mepc = h->pc;
    h->mcause = t->code | (t->interrupt ? CAUSE_INTERRUPT : 0);
    h->mtval = t->tval;
    uint64_t s = h->mstatus;
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    s &= ~MSTATUS_MIE;
    s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << MSTATUS_MPP_SHIFT);
    if (h->core->has_h) {
        s &= ~(MSTATUS_MPV | MSTATUS_GVA);
        s |= (h->virt ? MSTATUS_MPV : 0) | (t->gva ? MSTATUS_GVA : 0);
        h->mtval2 = t->tval2;
        h->mtinst = t->tinst;
    }
    h->mstatus = s;
    h->priv = RV_PRIV_M;
    h->virt = false;
    h->pc = vector_pc(h->mtvec, t, t->code);
    if (h->core->sbi_in_emulator) {
        fprintf(stderr, "hvemu: hart %u: %s %llu (%s) reached M-mode, which the built-in SBI "
                "does not handle: epc=0x%llx tval=0x%llx\n", h->index,
                t->interrupt ? "interrupt" : "exception", (unsigned long long)t->code,
                t->interrupt ? "" : (t->code < 16 ? exc_names[t->code] : "?"),
                (unsigned long long)h->mepc, (unsigned long long)t->tval);
        h->stopped = true;
        h->core->fatal = true;
    }
}

/* The trap router (3.1.8, 8.6.2 "Trap Entry"): a trap from below M-mode goes to HS-mode
 * when medeleg/mideleg delegate it, and from V=1 on to VS-mode when hedeleg/hideleg
 * delegate it further; otherwise to M-mode. Guest-page faults and virtual-instruction
 * exceptions never reach VS-mode: their hedeleg bits are read-only zero. When the machine
 * is the hypervisor (RvEnvOps.hv_exit), what would enter HS-mode from V=1 goes to it. */
static void route(RvHart *h, const RvTrap *t)
{
    uint64_t code = t->code;
    if (h->core->log_mask & RV_LOG_INT)
        fprintf(h->core->log_exec, "hart%u: trap %s%llu (%s) epc=0x%llx tval=0x%llx priv=%u%s\n",
                h->index, t->interrupt ? "irq " : "", (unsigned long long)code,
                t->interrupt ? "interrupt" : (code < 16 ? exc_names[code] : "?"),
                (unsigned long long)h->pc, (unsigned long long)t->tval, h->priv,
                h->virt ? " V=1" : "");
    h->wfi = false;
    uint64_t mdeleg = t->interrupt ? h->mideleg : h->medeleg;
    uint64_t hdeleg = t->interrupt ? h->hideleg : h->hedeleg;
    if (h->priv <= RV_PRIV_S && ((mdeleg >> code) & 1)) {
        if (h->virt && ((hdeleg >> code) & 1)) {
            enter_vs(h, t);
        } else if (h->virt && h->core->env.hv_exit) {
            /* The machine is the hypervisor: HS-mode is C code, not a vector. */
            RvException e = { .cause = code | (t->interrupt ? CAUSE_INTERRUPT : 0),
                              .tval = t->tval, .tval2 = t->tval2, .tinst = t->tinst,
                              .gva = t->gva };
            h->core->env.hv_exit(h->core->env.opaque, h, &e);
        } else {
            enter_hs(h, t);
        }
    } else {
        enter_m(h, t);
    }
    rv_update_mmu_idx(h);
}

void rv_inject_vs_trap(RvHart *h, uint64_t cause, uint64_t tval)
{
    RvTrap t = { .code = cause & 63, .interrupt = (cause & CAUSE_INTERRUPT) != 0, .tval = tval };
    h->wfi = false;
    enter_vs(h, &t);
    rv_update_mmu_idx(h);
}

/* The exceptions whose tval is an address: with V=1 that is a guest virtual address
 * (8.2.1 on hstatus.GVA). */
static bool tval_is_address(uint64_t code)
{
    static const uint32_t addr_causes =
        1u << EXC_INSN_MISALIGNED | 1u << EXC_INSN_ACCESS | 1u << EXC_BREAKPOINT |
        1u << EXC_LOAD_MISALIGNED | 1u << EXC_LOAD_ACCESS | 1u << EXC_STORE_MISALIGNED |
        1u << EXC_STORE_ACCESS | 1u << EXC_INSN_PAGE_FAULT | 1u << EXC_LOAD_PAGE_FAULT |
        1u << EXC_STORE_PAGE_FAULT | 1u << EXC_INSN_GUEST_PAGE_FAULT |
        1u << EXC_LOAD_GUEST_PAGE_FAULT | 1u << EXC_STORE_GUEST_PAGE_FAULT;
    return code < 32 && ((addr_causes >> code) & 1);
}

void rv_take_trap(RvHart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    RvTrap t = { .code = cause & 63, .interrupt = interrupt, .tval = tval,
                 .gva = !interrupt && h->virt && tval_is_address(cause & 63) };
    route(h, &t);
}

void rv_take_exception(RvHart *h)
{
    h->cut = false; /* the handler's first instruction starts a block */
    const RvException *e = &h->exc;
    uint64_t code = e->cause & 63;
    RvTrap t = { .code = code, .tval = e->tval, .tval2 = e->tval2, .tinst = e->tinst,
                 .gva = e->gva || (h->virt && tval_is_address(code)) };
    route(h, &t);
}

/* 3.1.9 and 8.2.3: an interrupt is taken by the level it is delegated to, when that
 * level's interrupts are enabled: M-level ones unless in M-mode with MIE clear; HS-level
 * ones (delegated by mideleg, not by hideleg) in U-mode, VS/VU-mode, or HS-mode with
 * sstatus.SIE; VS-level ones (delegated by hideleg) only with V=1, in VU-mode or with
 * vsstatus.SIE. Among the enabled, the order is MEI, MSI, MTI, SEI, SSI, STI, SGEI, VSEI,
 * VSSI, VSTI. */
bool rv_check_interrupts(RvHart *h)
{
    uint64_t pending = h->mip & h->mie;
    if (!pending)
        return false;
    uint64_t m_pending = pending & ~h->mideleg;
    uint64_t hs_pending = pending & h->mideleg & ~h->hideleg;
    uint64_t vs_pending = pending & h->mideleg & h->hideleg;
    bool m_enabled = h->priv < RV_PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool hs_enabled = h->priv < RV_PRIV_S || h->virt ||
                      (h->priv == RV_PRIV_S && (h->mstatus & MSTATUS_SIE));
    bool vs_enabled = h->virt && (h->priv == RV_PRIV_U || (h->vsstatus & MSTATUS_SIE));
    uint64_t take = m_enabled && m_pending     ? m_pending
                    : hs_enabled && hs_pending ? hs_pending
                    : vs_enabled               ? vs_pending
                                               : 0;
    if (!take)
        return false;
    static const uint8_t order[] = { IRQ_M_EXT,  IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT,
                                     IRQ_S_SOFT, IRQ_S_TIMER, IRQ_S_GEXT, IRQ_VS_EXT,
                                     IRQ_VS_SOFT, IRQ_VS_TIMER };
    for (unsigned k = 0; k < ARRAY_SIZE(order); k++) {
        if ((take >> order[k]) & 1) {
            rv_take_trap(h, order[k], 0, true);
            return true;
        }
    }
    return false;
}

/* 8.6.3: the transformed instruction htinst/mtinst receive for a fault of the explicit
 * access of a load, store, atomic or HLV/HSV: the encoding with the address offset (the
 * faulting address minus the original one, nonzero only when a misaligned access crosses
 * into the faulting page) in bits 19:15 and, for basic loads and stores, the immediate
 * zeroed; bit 1 cleared for a compressed instruction. Every other exception gets 0. */
uint64_t rv_transformed_insn(const RvHart *h, const RvInsn *i)
{
    uint64_t c = h->exc.cause;
    bool mem_fault = c == EXC_LOAD_MISALIGNED || c == EXC_LOAD_ACCESS ||
                     c == EXC_STORE_MISALIGNED || c == EXC_STORE_ACCESS ||
                     c == EXC_LOAD_PAGE_FAULT || c == EXC_STORE_PAGE_FAULT ||
                     c == EXC_LOAD_GUEST_PAGE_FAULT || c == EXC_STORE_GUEST_PAGE_FAULT;
    if (!mem_fault)
        return 0;
    uint32_t x = i->len == 2 ? rv_expand_compressed((uint16_t)i->raw) : i->raw;
    uint64_t va;
    uint32_t keep;
    switch (x & 0x7f) {
    case 0x03: case 0x07: /* LOAD, LOAD-FP: funct3, rd, opcode */
        va = h->x[i->rs1] + (uint64_t)i->imm;
        keep = 0x00007fff;
        break;
    case 0x23: case 0x27: /* STORE, STORE-FP: rs2, funct3, opcode */
        va = h->x[i->rs1] + (uint64_t)i->imm;
        keep = 0x01f0707f;
        break;
    case 0x2f: /* AMO, LR, SC: all but rs1 */
        va = h->x[i->rs1];
        keep = ~0x000f8000u;
        break;
    case 0x73: /* HLV, HLVX, HSV: all but rs1 */
        if (((x >> 12) & 7) != 4)
            return 0;
        va = h->x[i->rs1];
        keep = ~0x000f8000u;
        break;
    default: /* cache-block operations and the rest: no transformation defined */
        return 0;
    }
    uint64_t off = h->exc.tval - va;
    uint32_t t = (x & keep) | (uint32_t)((off & 31) << 15);
    return i->len == 2 ? (t & ~2u) : t;
}

/* Runs the first n instructions of a block (fewer if one ends it); returns how many
 * retired. h->pc holds the block's address until an instruction ends the block; on the
 * way out it is set to where execution continues (or to the faulting instruction, for a
 * trap). h->cur follows the running instruction, so that time read in the middle of a
 * block is exact (rv_progress). */
static inline uint32_t run_block(RvHart *h, const RvBlock *b, uint32_t n, bool log)
{
    const RvInsn *ins = b->insns, *end = b->insns + n;
    RvStatus st = RV_NEXT;
    h->tb_dirty = false;
    h->blk = ins;
    for (; ins < end; ins++) {
        h->cur = ins;
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
    h->cur = h->blk;
    /* Cut short (by the budget or a debugger) rather than ended by an instruction or by
     * its window: interrupts wait for the block's natural end (rv_hart_run_from). */
    h->cut = st == RV_NEXT && end != b->insns + b->ninsns;
    uint32_t k = (uint32_t)(ins - b->insns);
    switch (st) {
    case RV_NEXT: /* fell off the end */
        h->pc += ins[-1].pc_off + ins[-1].len;
        break;
    case RV_TRAP:
        h->pc += ins->pc_off;
        h->executed += k;
        h->retired += k;
        if (h->core->has_h && !h->exc.tinst_fixed)
            h->exc.tinst = rv_transformed_insn(h, ins);
        rv_take_exception(h);
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
    return rv_hart_run_from(h, 0, budget);
}

uint64_t rv_hart_run_from(RvHart *h, uint64_t done, uint64_t budget)
{
    bool log = (h->core->log_mask & RV_LOG_EXEC) != 0;
    RvBlock *prev = NULL;
    h->budget = budget;
    h->executed = done;
    if (h->core->last_runner != h && !h->stopped && (!h->wfi || (h->mip & h->mie))) {
        h->core->last_runner = h;
        h->core->run_epoch++;
    }
    while (h->executed < budget && !h->stopped) {
        /* Interrupts are taken between blocks that ended by themselves, never where a
         * quantum or a stop happened to cut one: then stopping anywhere changes nothing. */
        if (unlikely(h->mip & h->mie) && !h->cut) {
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
                rv_take_exception(h); /* a fetch fault: htinst/mtinst stay 0 */
                prev = NULL;
                continue;
            }
            if (l)
                *l = (RvBlockLink){ .vpc = h->pc, .gen = h->jc_gen, .block = b,
                                    .idx = h->mmu_idx_fetch };
        }
        /* The budget ends exactly: a block cut short goes on in the next call from the
         * instruction where it stopped, so that the quantum boundaries (and so the whole
         * run) do not depend on where blocks happen to start. */
        uint64_t left = budget - h->executed;
        uint32_t n = left < b->ninsns ? (uint32_t)left : b->ninsns;
        if (unlikely(h->core->dbg != NULL)) {
            /* A debugger's breakpoints cut the block before their instruction; with
             * watchpoints instructions run one by one, so the stop follows the access. */
            CpuDebug *d = h->core->dbg;
            n = dbg_block_limit(d, h->index, h->pc, &b->insns[0].pc_off, sizeof(RvInsn), n);
            if (n == 0 || d->hit != DBG_HIT_NONE)
                break;
            run_block(h, b, n, log);
            prev = NULL;
            if (d->hit != DBG_HIT_NONE)
                break;
            continue;
        }
        uint32_t retired = run_block(h, b, n, log);
        /* A block that trapped, was cut short, or was dropped while it ran links to
         * nothing. */
        prev = retired == b->ninsns && !h->tb_dirty ? b : NULL;
    }
    return h->executed;
}
