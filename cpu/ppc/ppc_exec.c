/* cpu/ppc/ppc_exec.c: the execution loop of a Power thread (DESIGN.md, "Execution
 * engine"): translation blocks of pre-decoded instructions keyed by the real address of
 * their first instruction and MSR[LE] (the byte order instructions are fetched in), found
 * through a per-thread jump cache keyed by effective address and fetch context, linked
 * block to block; the time base and decrementer on the virtual clock (Book II chapter 5
 * "Time Base", Book III-S 6.2 "Time Base" and 6.5 "Decrementer"); and the points where
 * asynchronous interrupts are taken (between blocks, Book III-S 7.3 "Interrupt
 * Synchronization": an instruction that may enable them ends its block). */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"
#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_spr.h"

#include <stdlib.h>
#include <string.h>

/* Blocks end at the end of an aligned window of code (build). */
#define PPC_BLOCK_WINDOW 256u
#define PPC_BLOCK_MAX (PPC_BLOCK_WINDOW / 4)

typedef struct PpcBlock PpcBlock;

/* A direct link from the end of one block to the block that ran next, valid for the
 * thread whose jump-cache generation is `gen` and the same fetch context. */
typedef struct PpcBlockLink {
    uint64_t ea;
    uint64_t gen;
    unsigned ctx;
    PpcBlock *block;
} PpcBlockLink;

struct PpcBlock {
    TbBlock tb;            /* key: MSR[LE] */
    PpcBlockLink link[2];
    uint32_t ninsns;
    PpcInsn insns[];
};

static void renew_jc(PpcCpu *c)
{
    c->jc_gen = ++ppc_core(c)->gen_source;
}

static void page_marked(void *opaque, uint64_t ppage)
{
    ppc_mem_code_page(opaque, ppage);
}

static void blocks_dropped(void *opaque)
{
    PpcCore *core = opaque;
    for (unsigned n = 0; n < core->ncpus; n++) {
        renew_jc(core->cpus[n]);
        core->cpus[n]->tb_dirty = true;
    }
}

void ppc_core_init(PpcCore *core, Bus *bus, VClock *clock, unsigned ncpus, PpcCpu **cpus)
{
    *core = (PpcCore){ .bus = bus, .clock = clock, .ncpus = ncpus, .cpus = cpus,
                       .tb_freq = 512000000 };
    TbCacheHooks hooks = { .page_marked = page_marked, .dropped = blocks_dropped,
                           .opaque = core };
    tb_cache_init(&core->tb, bus, &hooks);
}

void ppc_core_destroy(PpcCore *core)
{
    tb_cache_destroy(&core->tb);
    ppc_disasm_close(core->disasm);
    core->disasm = NULL;
    free(core->gdb_xml);
    core->gdb_xml = NULL;
}

/* Instruction i at ea as the logs show it (Capstone, opened on first use), with the
 * model's name of the SPR an mtspr/mfspr reaches. */
static void disasm(PpcCpu *c, uint64_t ea, const PpcInsn *i, char *buf, size_t size)
{
    PpcCore *core = ppc_core(c);
    if (!core->disasm)
        core->disasm = ppc_disasm_open();
    ppc_disasm(core->disasm, ppc_is_64(c), ea, i->raw,
               i->op < PPC_OP_COUNT ? ppc_insn_table[i->op].name : NULL, buf, size);
    if (i->op == PPC_OP_mtspr || i->op == PPC_OP_mfspr) {
        const PpcSpr *s = ppc_spr_lookup(c->model, i->spr);
        size_t n = strlen(buf);
        if (s && s->name && n < size)
            snprintf(buf + n, size - n, "  # %s", s->name);
    }
}

/* --- Time base and decrementer --- */

static uint64_t ns_now(const PpcCpu *c)
{
    return ppc_core(c)->clock->base + ppc_progress(c);
}

static uint64_t ns_to_tb(const PpcCore *core, uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * core->tb_freq / 1000000000u);
}

/* The first virtual ns at which the time base (without offset) reaches tb. */
static uint64_t tb_to_ns(const PpcCore *core, uint64_t tb)
{
    unsigned __int128 ns = ((unsigned __int128)tb * 1000000000u + core->tb_freq - 1) / core->tb_freq;
    return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

uint64_t ppc_timebase(const PpcCpu *c)
{
    return ns_to_tb(ppc_core(c), ns_now(c)) + c->tb_offset;
}

static void dec_fire(void *opaque, uint64_t now)
{
    ppc_dec_update(opaque);
}

/* DEC reads dec_deadline - TB; its bit 0 (the 32-bit sign) is what raises the
 * interrupt, for as long as it is 1 (Book III-S 6.5). */
void ppc_dec_update(PpcCpu *c)
{
    if (ppc_is_booke(c)) {
        booke_timers_update(c);
        return;
    }
    PpcCore *core = ppc_core(c);
    uint64_t tb = ppc_timebase(c);
    bool negative = (int64_t)(c->dec_deadline - tb) < 0;
    c->dec_pending = negative;
    if (negative) {
        vtimer_disarm(core->clock, &c->dec_timer);
        return;
    }
    uint64_t target = c->dec_deadline + 1 - c->tb_offset;
    vtimer_arm(core->clock, &c->dec_timer, tb_to_ns(core, target));
}

void ppc_set_external(PpcCpu *c, bool level)
{
    c->ext_pending = level;
    if (level)
        c->waiting = false;
}

void ppc_set_critical(PpcCpu *c, bool level)
{
    if (level) {
        c->booke_irqs |= BOOKE_IRQ_CRITICAL;
        c->waiting = false;
    } else {
        c->booke_irqs &= ~BOOKE_IRQ_CRITICAL;
    }
}

bool ppc_wakeup_pending(const PpcCpu *c)
{
    return c->dec_pending || c->ext_pending || c->booke_irqs;
}

void ppc_cpu_init(PpcCpu *c, PpcCore *core, const PpcModel *model, unsigned index)
{
    memset(c, 0, sizeof(*c));
    c->model = model;
    c->core = core;
    c->index = index;
    c->pir = index;
    c->pvr = model->pvr;
    c->resv_addr = ~0ULL;
    c->dec_deadline = ~0ULL >> 1;
    vtimer_init(&c->dec_timer, dec_fire, c);
    if (ppc_is_booke(c))
        booke_cpu_reset(c);
    renew_jc(c);
}

/* --- Interrupts between blocks --- */

/* Takes the highest-priority enabled asynchronous interrupt (Book III-S 7.8 "Interrupt
 * Priorities": external before decrementer). True if one was taken. */
static bool take_async(PpcCpu *c)
{
    if (ppc_is_booke(c))
        return booke_take_async(c);
    if (c->ext_pending || c->dec_pending)
        c->waiting = false;
    if (!(c->msr & MSR_EE))
        return false;
    if (c->ext_pending)
        c->exc = (PpcException){ .kind = PPC_EXC_EXTERNAL };
    else if (c->dec_pending)
        c->exc = (PpcException){ .kind = PPC_EXC_DECREMENTER };
    else
        return false;
    ppc_deliver(c);
    return true;
}

/* --- Blocks --- */

static uint32_t fetch_word(const uint8_t *p, bool le)
{
    uint32_t w = (uint32_t)ld_le(p, 4);
    return le ? w : (uint32_t)bswap_sized(w, 4);
}

/* Decodes from ra (host page `page`) until a block-ending instruction or the end of the
 * 256-byte window ra lies in. Where a block ends is thus a property of the instruction's
 * address alone, never of where the block began: a thread entering the same code at
 * another point (a cut quantum, a restored snapshot, a gdb step) meets the same block
 * ends, and so takes interrupts at the same instructions. */
static PpcBlock *build(PpcCpu *c, uint64_t ra, const uint8_t *page, bool le)
{
    PpcInsn buf[PPC_BLOCK_MAX];
    unsigned n = 0;
    unsigned off = ra & 0xfff;
    uint32_t cats = c->model->categories;
    unsigned wend = (off & ~(PPC_BLOCK_WINDOW - 1)) + PPC_BLOCK_WINDOW;
    while (off < wend) {
        unsigned flags = ppc_decode(fetch_word(page + off, le), cats, &buf[n]);
        buf[n++].pc_off = (uint16_t)(off - (ra & 0xfff));
        off += 4;
        if (flags & PPCF_END)
            break;
    }
    PpcBlock *b = malloc(sizeof(PpcBlock) + n * sizeof(PpcInsn));
    if (!b) {
        fprintf(stderr, "hvemu: out of memory for translated code\n");
        exit(1);
    }
    b->tb = (TbBlock){ .pa = ra, .pa2 = TB_NO_PAGE2, .key = le };
    memset(b->link, 0, sizeof(b->link));
    b->ninsns = n;
    memcpy(b->insns, buf, n * sizeof(PpcInsn));
    tb_insert(&ppc_core(c)->tb, &b->tb);
    return b;
}

/* What a jump-cache entry depends on besides the effective address: the fetch
 * translation context, the byte order and the addressing mode. */
static unsigned fetch_ctx(const PpcCpu *c)
{
    return (unsigned)(c->msr & (MSR_IR | MSR_PR | MSR_LE | MSR_GS)) |
           ((c->msr & MSR_SF) ? 1u << 16 : 0) | ((c->msr & MSR_HV) ? 1u << 17 : 0);
}

/* -d in_asm: a block as it is translated, once: its effective and real address, then each
 * instruction's address, word and disassembly. */
static void log_block(PpcCpu *c, uint64_t ea, uint64_t ra, const PpcBlock *b, bool le)
{
    FILE *f = ppc_core(c)->log;
    bool wide = ppc_is_64(c);
    fprintf(f, "IN: cpu%u 0x%0*llx (ra 0x%llx, %s)\n", c->index, wide ? 16 : 8,
            (unsigned long long)ea, (unsigned long long)ra, le ? "LE" : "BE");
    for (uint32_t k = 0; k < b->ninsns; k++) {
        const PpcInsn *i = &b->insns[k];
        char text[128];
        uint64_t pc = ea + i->pc_off;
        if (!wide)
            pc = (uint32_t)pc;
        disasm(c, pc, i, text, sizeof(text));
        fprintf(f, "0x%0*llx:  %08x  %s\n", wide ? 16 : 8, (unsigned long long)pc, i->raw,
                text);
    }
    fputc('\n', f);
}

/* The block at c->nip, built if needed; NULL with c->exc set when the fetch faults. */
static PpcBlock *lookup(PpcCpu *c, unsigned ctx)
{
    uint64_t ea = c->nip;
    PpcJumpCacheEntry *jc = &c->jc[(ea >> 2) & (PPC_JC_SIZE - 1)];
    if (jc->ea == ea && jc->gen == c->jc_gen && jc->ctx == ctx)
        return jc->block;
    uint64_t ra;
    const uint8_t *page;
    if (ppc_fetch_page(c, ea, &ra, &page) != PPC_NEXT)
        return NULL;
    bool le = ppc_msr_le(c);
    PpcBlock *b = (PpcBlock *)tb_find(&ppc_core(c)->tb, ra, le);
    if (!b) {
        b = build(c, ra, page, le);
        if (unlikely(ppc_core(c)->log_mask & PPC_LOG_IN_ASM))
            log_block(c, ea, ra, b, le);
    }
    *jc = (PpcJumpCacheEntry){ .ea = ea, .gen = c->jc_gen, .ctx = ctx, .block = b };
    return b;
}

static void log_insn(PpcCpu *c, const PpcInsn *i)
{
    PpcCore *core = ppc_core(c);
    char text[128];
    disasm(c, ppc_pc(c, i), i, text, sizeof(text));
    fprintf(core->log, "cpu%u: %c 0x%016llx: %08x %s\n", c->index,
            (c->msr & MSR_PR) ? 'U' : (c->msr & MSR_HV) ? 'H' : 'S',
            (unsigned long long)ppc_pc(c, i), i->raw, text);
}

/* Runs the first n instructions of a block (fewer if one ends it); returns how many
 * retired and, in *status, how the last one ended. c->nip holds the block's address
 * while it runs; on the way out it is where execution continues (or the interrupted
 * instruction, for an interrupt). */
static uint32_t run_block(PpcCpu *c, const PpcBlock *b, uint32_t n, bool log,
                          PpcStatus *status)
{
    const PpcInsn *ins = b->insns, *end = b->insns + n;
    PpcStatus st = PPC_NEXT;
    c->tb_dirty = false;
    c->blk = ins;
    for (; ins < end; ins++) {
        c->cur = ins;
        if (unlikely(log))
            log_insn(c, ins);
        st = ins->fn(c, ins);
        if (unlikely(st != PPC_NEXT))
            break;
    }
    c->cur = c->blk;
    /* Cut short (by the budget, a debugger or MSR[SE]) rather than ended by an instruction
     * or by its window: asynchronous interrupts wait for the block's natural end. */
    c->cut = st == PPC_NEXT && end != b->insns + b->ninsns;
    uint32_t k = (uint32_t)(ins - b->insns);
    *status = st;
    switch (st) {
    case PPC_NEXT: /* fell off the end */
        c->nip += ins[-1].pc_off + 4;
        break;
    case PPC_TRAP:
        c->nip += ins->pc_off;
        c->executed += k;
        c->retired += k;
        ppc_deliver(c);
        return 0;
    case PPC_WAIT:
        c->waiting = true;
        /* fall through */
    case PPC_END:
        c->nip += ins->pc_off + 4;
        k++;
        break;
    case PPC_JUMP:
        k++;
        break;
    }
    if (!ppc_is_64(c))
        c->nip = (uint32_t)c->nip;
    c->executed += k;
    c->retired += k;
    return k;
}

/* Single-step trace (Book III-S 4.2.1 MSR[SE], 7.5.15 "Trace Interrupt"): while
 * MSR[SE] = 1 instructions run one at a time, and each one that completes is followed
 * by a Trace interrupt with SRR0 = the next instruction, except the rfid class (they
 * return into the traced context, whose first instruction is then traced) and the
 * instructions that end in an interrupt of their own (sc, a trap that traps, a fault). */
static void run_traced(PpcCpu *c, const PpcBlock *b, bool log)
{
    unsigned op = b->insns[0].op;
    PpcStatus st;
    run_block(c, b, 1, log, &st);
    if (st == PPC_TRAP || st == PPC_WAIT || op == PPC_OP_rfid || op == PPC_OP_hrfid ||
        op == PPC_OP_rfscv)
        return;
    c->exc = (PpcException){ .kind = PPC_EXC_TRACE };
    ppc_deliver(c);
}

uint64_t ppc_cpu_run(PpcCpu *c, uint64_t budget)
{
    return ppc_cpu_run_from(c, 0, budget);
}

uint64_t ppc_cpu_run_from(PpcCpu *c, uint64_t done, uint64_t budget)
{
    PpcCore *core = ppc_core(c);
    bool log = core->log && (core->log_mask & PPC_LOG_EXEC);
    PpcBlock *prev = NULL;
    c->budget = budget;
    c->executed = done;
    if (core->last_runner != c && !c->stopped) {
        core->last_runner = c;
        core->run_epoch++;
    }
    while (c->executed < budget && !c->stopped) {
        /* Asynchronous interrupts are taken between blocks that ended by themselves, never
         * where a quantum or a stop happened to cut one: then stopping changes nothing. */
        if (unlikely(c->dec_pending || c->ext_pending || c->booke_irqs) && !c->cut) {
            if (take_async(c))
                prev = NULL;
        }
        if (c->waiting)
            break;
        unsigned ctx = fetch_ctx(c);
        PpcBlock *b = NULL;
        PpcBlockLink *l = NULL;
        if (prev) {
            l = &prev->link[0];
            if (l->ea != c->nip && (prev->link[1].ea == c->nip || l->block))
                l = &prev->link[1];
            if (l->ea == c->nip && l->gen == c->jc_gen && l->ctx == ctx)
                b = l->block;
        }
        if (!b) {
            b = lookup(c, ctx);
            if (unlikely(!b)) {
                ppc_deliver(c);
                prev = NULL;
                continue;
            }
            if (l)
                *l = (PpcBlockLink){ .ea = c->nip, .gen = c->jc_gen, .ctx = ctx, .block = b };
        }
        if (unlikely((c->msr & MSR_SE) && (c->model->categories & PPC_CAT_S))) {
            run_traced(c, b, log);
            prev = NULL;
            continue;
        }
        /* The budget ends exactly: a block cut short goes on in the next call from the
         * instruction where it stopped, so that the quantum boundaries (and so the whole
         * run) do not depend on where blocks happen to start. */
        PpcStatus st;
        uint64_t left = budget - c->executed;
        uint32_t n = left < b->ninsns ? (uint32_t)left : b->ninsns;
        if (unlikely(core->dbg != NULL)) {
            /* A debugger's breakpoints cut the block before their instruction; with
             * watchpoints instructions run one by one, so the stop follows the access. */
            CpuDebug *d = core->dbg;
            n = dbg_block_limit(d, c->index, c->nip, &b->insns[0].pc_off, sizeof(PpcInsn), n);
            if (n == 0 || d->hit != DBG_HIT_NONE)
                break;
            run_block(c, b, n, log, &st);
            prev = NULL;
            if (d->hit != DBG_HIT_NONE)
                break;
            continue;
        }
        uint32_t retired = run_block(c, b, n, log, &st);
        prev = retired == b->ninsns && !c->tb_dirty ? b : NULL;
    }
    return c->executed;
}

bool ppc_cpu_idle(const PpcCpu *c)
{
    return c->stopped || (c->waiting && !ppc_wakeup_pending(c));
}
