/* cpu/ppc/insn_loadstore.c: fixed-point loads and stores (Power ISA v3.0B Book I,
 * chapter 3 "Fixed-Point Facility": 3.3.2-3.3.6 load and store byte/halfword/word/
 * doubleword/quadword with update and indexed forms, 3.3.7 byte-reverse, 3.3.8 multiple
 * and string) and the storage control instructions of Book II chapter 4 "Storage Control
 * Instructions" (4.3 cache management, 4.4.1 isync, 4.4.2 load and reserve and store
 * conditional, 4.4.3 sync and eieio, 4.6 wait). Effective addresses wrap at 4 GiB in
 * 32-bit mode (Book I 1.10.3) and update forms write that EA to RA. Invalid forms raise
 * the Illegal Instruction Program interrupt. Load/store multiple and string raise the
 * Alignment interrupt in Little-Endian mode, lmw/stmw also for an unaligned word,
 * larx/stcx., lq/stq for an unaligned operand (Book III-S 7.5.8).
 *
 * Reservations: larx records the real address, the size, the bytes it read and the
 * core's run epoch; stcx. succeeds only for the same address and size, when no other
 * thread has run since (so none can have stored to the granule) and storage still holds
 * those bytes. A store by this thread to the granule that changes it thus fails the
 * stcx., which Book II 4.4.2 allows (the reservation may be lost for any reason). */
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"

#define GPR(r) (c->gpr[(r)])
#define RA GPR(i->ra)
#define RB GPR(i->rb)
#define RS GPR(i->rt)

/* EA = (RA|0) + D/DS/DQ, or (RA|0) + RB; PPCF_RA0 rows read gpr[32] for RA = 0. */
static uint64_t ea_d(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, RA + (uint64_t)i->imm);
}

static uint64_t ea_x(const PpcCpu *c, const PpcInsn *i)
{
    return ppc_ea(c, RA + RB);
}

#define EA_D ea_d(c, i)
#define EA_X ea_x(c, i)

/* A store into the running block's code ends the block. */
static PpcStatus stored(const PpcCpu *c)
{
    return c->tb_dirty ? PPC_END : PPC_NEXT;
}

/* --- loads and stores of one scalar --- */

/* The value in the byte order MSR[LE] (or, reversed, the other one) gives. */
static inline uint64_t order(const PpcCpu *c, uint64_t v, unsigned size, bool reverse)
{
    return ppc_msr_le(c) != reverse ? v : bswap_sized(v, size);
}

static inline PpcStatus load(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned size,
                             bool sign, bool reverse)
{
    uint64_t v;
    uint8_t *h = ppc_fast_host(c, ea, size, PPC_TLB_LOAD);
    if (likely(h)) {
        v = order(c, ld_le(h, size), size, reverse);
    } else {
        PpcStatus st = ppc_load(c, ea, size, reverse, &v);
        if (st != PPC_NEXT)
            return st;
    }
    GPR(i->rt) = sign ? (uint64_t)sext64(v, size * 8) : v;
    return PPC_NEXT;
}

/* Update forms: RA = 0 and RA = RT are invalid. */
static PpcStatus load_u(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned size, bool sign)
{
    if (i->ra == 0 || i->ra == i->rt)
        return ppc_illegal(c);
    PpcStatus st = load(c, i, ea, size, sign, false);
    if (st == PPC_NEXT)
        GPR(i->ra) = ea;
    return st;
}

static inline PpcStatus store(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned size,
                              bool reverse)
{
    uint8_t *h = ppc_fast_host(c, ea, size, PPC_TLB_STORE);
    if (likely(h)) {
        st_le(h, size, order(c, RS, size, reverse)); /* no code on the page: no block ends */
        return PPC_NEXT;
    }
    PpcStatus st = ppc_store(c, ea, size, reverse, RS);
    return st == PPC_NEXT ? stored(c) : st;
}

/* Update forms: RA = 0 is invalid; RS is read before RA changes. */
static PpcStatus store_u(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned size)
{
    if (i->ra == 0)
        return ppc_illegal(c);
    PpcStatus st = ppc_store(c, ea, size, false, RS);
    if (st != PPC_NEXT)
        return st;
    GPR(i->ra) = ea;
    return stored(c);
}

PpcStatus ppc_exec_lbz(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 1, false, false); }
PpcStatus ppc_exec_lbzx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 1, false, false); }
PpcStatus ppc_exec_lbzu(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_D, 1, false); }
PpcStatus ppc_exec_lbzux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 1, false); }
PpcStatus ppc_exec_lhz(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 2, false, false); }
PpcStatus ppc_exec_lhzx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 2, false, false); }
PpcStatus ppc_exec_lhzu(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_D, 2, false); }
PpcStatus ppc_exec_lhzux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 2, false); }
PpcStatus ppc_exec_lha(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 2, true, false); }
PpcStatus ppc_exec_lhax(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 2, true, false); }
PpcStatus ppc_exec_lhau(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_D, 2, true); }
PpcStatus ppc_exec_lhaux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 2, true); }
PpcStatus ppc_exec_lwz(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 4, false, false); }
PpcStatus ppc_exec_lwzx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 4, false, false); }
PpcStatus ppc_exec_lwzu(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_D, 4, false); }
PpcStatus ppc_exec_lwzux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 4, false); }
PpcStatus ppc_exec_lwa(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 4, true, false); }
PpcStatus ppc_exec_lwax(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 4, true, false); }
PpcStatus ppc_exec_lwaux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 4, true); }
PpcStatus ppc_exec_ld(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_D, 8, false, false); }
PpcStatus ppc_exec_ldx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 8, false, false); }
PpcStatus ppc_exec_ldu(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_D, 8, false); }
PpcStatus ppc_exec_ldux(PpcCpu *c, const PpcInsn *i) { return load_u(c, i, EA_X, 8, false); }

PpcStatus ppc_exec_stb(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_D, 1, false); }
PpcStatus ppc_exec_stbx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 1, false); }
PpcStatus ppc_exec_stbu(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_D, 1); }
PpcStatus ppc_exec_stbux(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_X, 1); }
PpcStatus ppc_exec_sth(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_D, 2, false); }
PpcStatus ppc_exec_sthx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 2, false); }
PpcStatus ppc_exec_sthu(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_D, 2); }
PpcStatus ppc_exec_sthux(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_X, 2); }
PpcStatus ppc_exec_stw(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_D, 4, false); }
PpcStatus ppc_exec_stwx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 4, false); }
PpcStatus ppc_exec_stwu(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_D, 4); }
PpcStatus ppc_exec_stwux(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_X, 4); }
PpcStatus ppc_exec_std(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_D, 8, false); }
PpcStatus ppc_exec_stdx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 8, false); }
PpcStatus ppc_exec_stdu(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_D, 8); }
PpcStatus ppc_exec_stdux(PpcCpu *c, const PpcInsn *i) { return store_u(c, i, EA_X, 8); }

/* 3.3.7 byte-reverse: the other byte order than MSR[LE] gives. */
PpcStatus ppc_exec_lhbrx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 2, false, true); }
PpcStatus ppc_exec_lwbrx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 4, false, true); }
PpcStatus ppc_exec_ldbrx(PpcCpu *c, const PpcInsn *i) { return load(c, i, EA_X, 8, false, true); }
PpcStatus ppc_exec_sthbrx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 2, true); }
PpcStatus ppc_exec_stwbrx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 4, true); }
PpcStatus ppc_exec_stdbrx(PpcCpu *c, const PpcInsn *i) { return store(c, i, EA_X, 8, true); }

/* --- quadwords: RTp (even) is the high doubleword of MEM(EA, 16) in the current byte
 * order, RTp+1 the low one (Big-Endian: EA and EA+8; Little-Endian: EA+8 and EA, each
 * byte-reversed) --- */

static uint64_t be64_at(const uint8_t *p)
{
    return __builtin_bswap64(ld_le(p, 8));
}

static void quad_to_regs(PpcCpu *c, unsigned rtp, const uint8_t *buf)
{
    bool le = ppc_msr_le(c);
    GPR(rtp) = le ? ld_le(buf + 8, 8) : be64_at(buf);
    GPR(rtp + 1) = le ? ld_le(buf, 8) : be64_at(buf + 8);
}

static void regs_to_quad(const PpcCpu *c, unsigned rsp, uint8_t *buf)
{
    bool le = ppc_msr_le(c);
    st_le(buf + (le ? 8 : 0), 8, le ? GPR(rsp) : __builtin_bswap64(GPR(rsp)));
    st_le(buf + (le ? 0 : 8), 8, le ? GPR(rsp + 1) : __builtin_bswap64(GPR(rsp + 1)));
}

/* lq: RTp odd or RTp = RA is invalid. */
PpcStatus ppc_exec_lq(PpcCpu *c, const PpcInsn *i)
{
    if ((i->rt & 1) || i->rt == i->ra)
        return ppc_illegal(c);
    uint64_t ea = ea_d(c, i);
    if (ea & 15)
        return ppc_mem_alignment(c, ea);
    uint8_t buf[16];
    PpcStatus st = ppc_load_bytes(c, ea, 16, buf);
    if (st != PPC_NEXT)
        return st;
    quad_to_regs(c, i->rt, buf);
    return PPC_NEXT;
}

/* stq: RSp odd is invalid. */
PpcStatus ppc_exec_stq(PpcCpu *c, const PpcInsn *i)
{
    if (i->rt & 1)
        return ppc_illegal(c);
    uint64_t ea = ea_d(c, i);
    if (ea & 15)
        return ppc_mem_alignment_acc(c, ea, true);
    uint8_t buf[16];
    regs_to_quad(c, i->rt, buf);
    PpcStatus st = ppc_store_bytes(c, ea, 16, buf);
    return st == PPC_NEXT ? stored(c) : st;
}

/* --- 3.3.8 multiple and string: Big-Endian mode only; registers hold the bytes in
 * bits 32:63, most significant first --- */

/* lmw: RA in the range RT..31 is invalid. */
PpcStatus ppc_exec_lmw(PpcCpu *c, const PpcInsn *i)
{
    if (i->ra != PPC_REG_ZERO && i->ra >= i->rt)
        return ppc_illegal(c);
    uint64_t ea = ea_d(c, i);
    if (ppc_msr_le(c) || (ea & 3))
        return ppc_mem_alignment(c, ea);
    for (unsigned r = i->rt; r < 32; r++, ea += 4) {
        uint64_t v;
        PpcStatus st = ppc_load(c, ea, 4, false, &v);
        if (st != PPC_NEXT)
            return st;
        GPR(r) = v;
    }
    return PPC_NEXT;
}

PpcStatus ppc_exec_stmw(PpcCpu *c, const PpcInsn *i)
{
    uint64_t ea = ea_d(c, i);
    if (ppc_msr_le(c) || (ea & 3))
        return ppc_mem_alignment_acc(c, ea, true);
    for (unsigned r = i->rt; r < 32; r++, ea += 4) {
        PpcStatus st = ppc_store(c, ea, 4, false, GPR(r));
        if (st != PPC_NEXT)
            return st;
    }
    return stored(c);
}

/* Whether register r is among the ceil(n/4) registers from rt on (wrapping 31 -> 0). */
static bool in_string_range(unsigned r, unsigned rt, unsigned n)
{
    unsigned count = (n + 3) / 4;
    return r < 32 && ((r - rt) & 31) < count;
}

static PpcStatus load_string(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        uint64_t b;
        PpcStatus st = ppc_load(c, ea + k, 1, false, &b);
        if (st != PPC_NEXT)
            return st;
        unsigned r = (i->rt + k / 4) & 31;
        if (k % 4 == 0)
            GPR(r) = 0;
        GPR(r) |= b << (24 - 8 * (k % 4));
    }
    return PPC_NEXT;
}

static PpcStatus store_string(PpcCpu *c, const PpcInsn *i, uint64_t ea, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        unsigned r = (i->rt + k / 4) & 31;
        PpcStatus st = ppc_store(c, ea + k, 1, false, GPR(r) >> (24 - 8 * (k % 4)));
        if (st != PPC_NEXT)
            return st;
    }
    return stored(c);
}

/* lswi: NB = 0 means 32 bytes; RA in the range of registers loaded is invalid. */
PpcStatus ppc_exec_lswi(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = i->rb ? i->rb : 32;
    if (in_string_range(i->ra, i->rt, n))
        return ppc_illegal(c);
    uint64_t ea = ppc_ea(c, RA);
    if (ppc_msr_le(c))
        return ppc_mem_alignment(c, ea);
    return load_string(c, i, ea, n);
}

/* lswx: XER[BC] bytes; RA or RB in the range is invalid; 0 bytes load nothing. */
PpcStatus ppc_exec_lswx(PpcCpu *c, const PpcInsn *i)
{
    unsigned n = c->xer & XER_BC;
    if (in_string_range(i->ra, i->rt, n) || in_string_range(i->rb, i->rt, n))
        return ppc_illegal(c);
    uint64_t ea = ea_x(c, i);
    if (ppc_msr_le(c))
        return ppc_mem_alignment(c, ea);
    return load_string(c, i, ea, n);
}

PpcStatus ppc_exec_stswi(PpcCpu *c, const PpcInsn *i)
{
    uint64_t ea = ppc_ea(c, RA);
    if (ppc_msr_le(c))
        return ppc_mem_alignment_acc(c, ea, true);
    return store_string(c, i, ea, i->rb ? i->rb : 32);
}

PpcStatus ppc_exec_stswx(PpcCpu *c, const PpcInsn *i)
{
    uint64_t ea = ea_x(c, i);
    if (ppc_msr_le(c))
        return ppc_mem_alignment_acc(c, ea, true);
    return store_string(c, i, ea, c->xer & XER_BC);
}

/* --- Book II 4.4.2 load and reserve, store conditional --- */

static uint64_t host_value(const PpcCpu *c, const uint8_t *p, unsigned size)
{
    uint64_t v = ld_le(p, size);
    return ppc_msr_le(c) ? v : bswap_sized(v, size);
}

static void set_host_value(const PpcCpu *c, uint8_t *p, unsigned size, uint64_t v)
{
    st_le(p, size, ppc_msr_le(c) ? v : bswap_sized(v, size));
}

static void reserve(PpcCpu *c, uint64_t ra, const uint8_t *host, unsigned size)
{
    c->resv_addr = ra;
    c->resv_size = size;
    memcpy(c->resv_val, host, size);
    c->resv_epoch = ppc_core(c)->run_epoch;
}

/* Whether a stcx. of `size` bytes at ra may store; the reservation is gone after it. */
static bool take_reservation(PpcCpu *c, uint64_t ra, const uint8_t *host, unsigned size)
{
    bool ok = c->resv_addr == ra && c->resv_size == size &&
              c->resv_epoch == ppc_core(c)->run_epoch && memcmp(host, c->resv_val, size) == 0;
    c->resv_addr = ~0ULL;
    return ok;
}

/* CR0 = 0b00 || n || XER[SO]. */
static PpcStatus stcx_done(PpcCpu *c, bool ok)
{
    ppc_set_cr_field(c, 0, (ok ? 2 : 0) | ((c->xer & XER_SO) ? 1 : 0));
    return ok ? stored(c) : PPC_NEXT;
}

static PpcStatus larx(PpcCpu *c, const PpcInsn *i, unsigned size)
{
    uint64_t ra;
    uint8_t *host;
    PpcStatus st = ppc_translate_atomic(c, ea_x(c, i), size, false, &ra, &host);
    if (st != PPC_NEXT)
        return st;
    reserve(c, ra, host, size);
    GPR(i->rt) = host_value(c, host, size);
    return PPC_NEXT;
}

static PpcStatus stcx(PpcCpu *c, const PpcInsn *i, unsigned size)
{
    uint64_t ra;
    uint8_t *host;
    PpcStatus st = ppc_translate_atomic(c, ea_x(c, i), size, true, &ra, &host);
    if (st != PPC_NEXT)
        return st;
    bool ok = take_reservation(c, ra, host, size);
    if (ok)
        set_host_value(c, host, size, RS);
    return stcx_done(c, ok);
}

PpcStatus ppc_exec_lbarx(PpcCpu *c, const PpcInsn *i) { return larx(c, i, 1); }
PpcStatus ppc_exec_lharx(PpcCpu *c, const PpcInsn *i) { return larx(c, i, 2); }
PpcStatus ppc_exec_lwarx(PpcCpu *c, const PpcInsn *i) { return larx(c, i, 4); }
PpcStatus ppc_exec_ldarx(PpcCpu *c, const PpcInsn *i) { return larx(c, i, 8); }
PpcStatus ppc_exec_stbcx_(PpcCpu *c, const PpcInsn *i) { return stcx(c, i, 1); }
PpcStatus ppc_exec_sthcx_(PpcCpu *c, const PpcInsn *i) { return stcx(c, i, 2); }
PpcStatus ppc_exec_stwcx_(PpcCpu *c, const PpcInsn *i) { return stcx(c, i, 4); }
PpcStatus ppc_exec_stdcx_(PpcCpu *c, const PpcInsn *i) { return stcx(c, i, 8); }

/* lqarx: RTp odd, RTp = RA or RTp = RB is invalid. */
PpcStatus ppc_exec_lqarx(PpcCpu *c, const PpcInsn *i)
{
    if ((i->rt & 1) || i->rt == i->ra || i->rt == i->rb)
        return ppc_illegal(c);
    uint64_t ra;
    uint8_t *host;
    PpcStatus st = ppc_translate_atomic(c, ea_x(c, i), 16, false, &ra, &host);
    if (st != PPC_NEXT)
        return st;
    reserve(c, ra, host, 16);
    quad_to_regs(c, i->rt, host);
    return PPC_NEXT;
}

/* stqcx.: RSp odd is invalid. */
PpcStatus ppc_exec_stqcx_(PpcCpu *c, const PpcInsn *i)
{
    if (i->rt & 1)
        return ppc_illegal(c);
    uint64_t ra;
    uint8_t *host;
    PpcStatus st = ppc_translate_atomic(c, ea_x(c, i), 16, true, &ra, &host);
    if (st != PPC_NEXT)
        return st;
    bool ok = take_reservation(c, ra, host, 16);
    if (ok)
        regs_to_quad(c, i->rt, host);
    return stcx_done(c, ok);
}

/* --- Book II 4.3 cache management, 4.4.1/4.4.3 synchronization, 4.6 wait ---
 * One thread runs at a time and sees its own accesses in order, so the barriers have
 * nothing to order; stores already drop translated code through the bus, so icbi only
 * checks the address and isync ends the block. */

PpcStatus ppc_exec_dcbz(PpcCpu *c, const PpcInsn *i)
{
    PpcStatus st = ppc_mem_zero_block(c, ea_x(c, i), c->model->dcache_line);
    return st == PPC_NEXT ? stored(c) : st;
}

/* dcbf, dcbst and icbi are treated as loads for protection; dcbt, dcbtst, icbt are
 * hints that never cause an interrupt. */
static PpcStatus probe_load(PpcCpu *c, const PpcInsn *i)
{
    return ppc_mem_probe(c, EA_X, PPC_ACC_LOAD);
}

PpcStatus ppc_exec_dcbf(PpcCpu *c, const PpcInsn *i) { return probe_load(c, i); }
PpcStatus ppc_exec_dcbst(PpcCpu *c, const PpcInsn *i) { return probe_load(c, i); }
PpcStatus ppc_exec_icbi(PpcCpu *c, const PpcInsn *i) { return probe_load(c, i); }
PpcStatus ppc_exec_dcbt(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_dcbtst(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_icbt(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }

/* sync L (0 hwsync, 1 lwsync, 2 ptesync) and eieio. */
PpcStatus ppc_exec_sync(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_eieio(PpcCpu *c, const PpcInsn *i) { return PPC_NEXT; }
PpcStatus ppc_exec_isync(PpcCpu *c, const PpcInsn *i) { return PPC_END; }

/* wait WC (bits 9:10): 0 waits for an interrupt; the reserved values do nothing. */
PpcStatus ppc_exec_wait(PpcCpu *c, const PpcInsn *i)
{
    return (i->rt & 3) == 0 ? PPC_WAIT : PPC_NEXT;
}
