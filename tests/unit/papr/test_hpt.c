/* tests/unit/papr/test_hpt.c: the guest HPT and the hcall-pft / hcall-bulk hypercalls of
 * hypervisor/papr/papr_hpt.c (LoPAR "Hypervisor Interface Requirements": H_ENTER, H_REMOVE,
 * H_BULK_REMOVE, H_READ, H_PROTECT, H_CLEAR_REF, H_CLEAR_MOD), called directly on a
 * 256 KiB table with 256 MiB of guest RAM and a PCI window at 0x200000000000. Every
 * success path and every error the hcalls return is checked with exact values, as are the
 * big-endian storage, the modified bits, the hooks, the register-level adapters, the hcall
 * table rows, and the hash MMU walking the table through papr_hpt_mmu_ops. */
#include <stdlib.h>

#include "hypervisor/papr/papr_hpt.h"
#include "tests/unit/unit.h"

#define RAM_SIZE 0x10000000ULL
#define IO_BASE 0x200000000000ULL
#define IO_SIZE 0x100000000ULL

typedef struct Calls {
    unsigned zero, changed;
    uint64_t zero_addr, zero_len;
    uint64_t changed_ptex, changed_v, changed_r;
} Calls;

static void zero_page(void *opaque, uint64_t addr, uint64_t len)
{
    Calls *c = opaque;
    c->zero++;
    c->zero_addr = addr;
    c->zero_len = len;
}

static void hpte_changed(void *opaque, uint64_t ptex, uint64_t v, uint64_t r)
{
    Calls *c = opaque;
    c->changed++;
    c->changed_ptex = ptex;
    c->changed_v = v;
    c->changed_r = r;
}

static bool is_io(void *opaque, uint64_t addr, uint64_t len)
{
    return addr >= IO_BASE && addr - IO_BASE < IO_SIZE && len <= IO_SIZE - (addr - IO_BASE);
}

static void hpt_new(PaprHpt *h, Calls *c)
{
    *c = (Calls){ 0 };
    PaprHptHooks hooks = { .zero_page = zero_page, .hpte_changed = hpte_changed,
                           .is_io = is_io, .opaque = c };
    if (!papr_hpt_init(h, 18, RAM_SIZE, &hooks)) {
        fprintf(stderr, "test_hpt: papr_hpt_init failed\n");
        exit(2);
    }
}

/* A 4K HPTE: doubleword 0 with AVA `ava`, doubleword 1 mapping `ra` read/write. */
#define V4K(ava) (((uint64_t)(ava) << HPTE64_V_AVPN_SHIFT) | HPTE64_V_VALID)
#define R4K(ra) ((uint64_t)(ra) | HPTE64_R_M | 2)

static void test_geometry(void)
{
    CHECK_EQ(papr_hpt_order_for_ram(256 * MiB), 21);
    CHECK_EQ(papr_hpt_order_for_ram(1 * GiB), 23);
    CHECK_EQ(papr_hpt_order_for_ram(3 * GiB), 25);
    CHECK_EQ(papr_hpt_order_for_ram(16 * MiB), 18);
    CHECK_EQ(papr_hpt_order_for_ram(1ULL << 50), 36);
    PaprHpt h;
    CHECK(!papr_hpt_init(&h, 17, RAM_SIZE, NULL));
    CHECK(!papr_hpt_init(&h, 37, RAM_SIZE, NULL));
    CHECK(papr_hpt_init(&h, 18, RAM_SIZE, NULL));
    CHECK_EQ(h.n_hptes, 16384);
    CHECK_EQ(h.order, 18);
    Hash64Ops ops = papr_hpt_mmu_ops(&h);
    CHECK_EQ(ops.pteg_mask(ops.opaque), 2047);
    papr_hpt_free(&h);
    CHECK(h.table == NULL);
}

static void test_enter(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot = 0;
    /* Not exact: the first free slot of the PTEG holding ptex. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x105, V4K(0x1234), R4K(0x5000), &slot), H_SUCCESS);
    CHECK_EQ(slot, 0x100);
    /* Stored big-endian, as the architecture stores HPTEs. */
    static const uint8_t want[16] = { 0, 0, 0, 0, 0, 0x09, 0x1a, 0x01,
                                      0, 0, 0, 0, 0, 0, 0x50, 0x12 };
    CHECK_MEM(h.table + 0x100 * 16, want, 16);
    CHECK(papr_hpt_is_modified(&h, 0x100));
    CHECK(!papr_hpt_is_modified(&h, 0x101));
    CHECK_EQ(c.changed, 1);
    CHECK_EQ(c.changed_ptex, 0x100);
    CHECK_EQ(c.changed_v, 0);
    /* V is set whatever the guest passed; bolted and other software bits are kept. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x100, (V4K(0x1235) & ~HPTE64_V_VALID) | HPTE64_V_BOLTED,
                          R4K(0x6000), &slot),
             H_SUCCESS);
    CHECK_EQ(slot, 0x101);
    CHECK_EQ(papr_hpt_get(&h, 0x101).pte0, V4K(0x1235) | HPTE64_V_BOLTED);
    CHECK_EQ(papr_hpt_get(&h, 0x101).pte1, R4K(0x6000));
    for (unsigned k = 2; k < 8; k++)
        CHECK_EQ(papr_h_enter(&h, 0, 0x107, V4K(0x1240 + k), R4K(0x7000), &slot), H_SUCCESS);
    CHECK_EQ(slot, 0x107);
    unsigned changed = c.changed;
    CHECK_EQ(papr_h_enter(&h, 0, 0x103, V4K(0x9999), R4K(0x8000), &slot), H_PTEG_FULL);
    CHECK_EQ(c.changed, changed);
    /* H_EXACT: that slot or H_PTEG_FULL. */
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x203, V4K(0x1), R4K(0x9000), &slot), H_SUCCESS);
    CHECK_EQ(slot, 0x203);
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x203, V4K(0x2), R4K(0x9000), &slot), H_PTEG_FULL);
    CHECK_EQ(papr_hpt_get(&h, 0x203).pte0, V4K(0x1));
    /* Cache hints and H_LOCAL are accepted. */
    CHECK_EQ(papr_h_enter(&h, H_EXACT | H_LOCAL | H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE |
                                  H_COALESCE_CAND | H_R_XLATE,
                          0x300, V4K(0x3), R4K(0xa000), &slot),
             H_SUCCESS);
    changed = c.changed;

    /* Parameter errors change nothing. */
    CHECK_EQ(papr_h_enter(&h, 0, 16384, V4K(0x4), R4K(0x1000), &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, ~0ULL, V4K(0x4), R4K(0x1000), &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, PAPR_BIT(0), 0x400, V4K(0x4), R4K(0x1000), &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, H_AVPN, 0x400, V4K(0x4), R4K(0x1000), &slot), H_PARAMETER);
    /* RPN outside RAM (and no I/O window there). */
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(RAM_SIZE), &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(0x0fff000000000ULL), &slot), H_PARAMETER);
    /* Page size encodings: L=1 with an LP no base size has; reserved B. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4) | HPTE64_V_LARGE, R4K(0x2000), &slot),
             H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4) | 2ULL << 62, R4K(0x1000), &slot), H_PARAMETER);
    /* RAM must be mapped cacheable and not write-through. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(0x1000) | HPTE64_R_I, &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(0x1000) | HPTE64_R_W, &slot), H_PARAMETER);
    /* An I/O window page must be cache-inhibited. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(IO_BASE), &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), R4K(IO_BASE + IO_SIZE) | HPTE64_R_I, &slot),
             H_PARAMETER);
    CHECK_EQ(c.changed, changed);
    CHECK(!papr_hpt_is_modified(&h, 0x400));
    CHECK_EQ(papr_h_enter(&h, 0, 0x400, V4K(0x4), IO_BASE | HPTE64_R_I | HPTE64_R_G | 2, &slot),
             H_SUCCESS);
    CHECK_EQ(slot, 0x400);

    /* Page sizes and the last bytes of RAM. */
    CHECK_EQ(papr_h_enter(&h, 0, 0x408, V4K(0x5), R4K(RAM_SIZE - 0x1000), &slot), H_SUCCESS);
    CHECK_EQ(papr_h_enter(&h, 0, 0x408, V4K(0x6) | HPTE64_V_LARGE,
                          R4K(RAM_SIZE - 0x1000000), &slot),
             H_SUCCESS);
    CHECK_EQ(papr_h_enter(&h, 0, 0x408, V4K(0x6) | HPTE64_V_LARGE, R4K(RAM_SIZE), &slot),
             H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h, 0, 0x408, V4K(0x7) | HPTE64_V_LARGE, R4K(0x30000 | 0x1000), &slot),
             H_SUCCESS);
    CHECK_EQ(papr_h_enter(&h, 0, 0x408, V4K(0x8) | 1ULL << 62, R4K(0x1000), &slot), H_SUCCESS);

    /* H_ZERO_PAGE zeroes a RAM page of the HPTE's size, not an I/O page. */
    CHECK_EQ(papr_h_enter(&h, H_ZERO_PAGE, 0x500, V4K(0x9), R4K(0x7000), &slot), H_SUCCESS);
    CHECK_EQ(c.zero, 1);
    CHECK_EQ(c.zero_addr, 0x7000);
    CHECK_EQ(c.zero_len, 0x1000);
    CHECK_EQ(papr_h_enter(&h, H_ZERO_PAGE, 0x500, V4K(0xa) | HPTE64_V_LARGE,
                          R4K(0x50000 | 0x1000), &slot),
             H_SUCCESS);
    CHECK_EQ(c.zero, 2);
    CHECK_EQ(c.zero_addr, 0x50000);
    CHECK_EQ(c.zero_len, 0x10000);
    CHECK_EQ(papr_h_enter(&h, H_ZERO_PAGE, 0x500, V4K(0xb), IO_BASE | HPTE64_R_I | 2, &slot),
             H_SUCCESS);
    CHECK_EQ(c.zero, 2);
    CHECK_EQ(papr_h_enter(&h, H_ZERO_PAGE, 0x500, V4K(0xb), R4K(RAM_SIZE), &slot), H_PARAMETER);
    CHECK_EQ(c.zero, 2);

    /* Without an is_io hook every page must be RAM. */
    PaprHpt h2;
    CHECK(papr_hpt_init(&h2, 18, RAM_SIZE, NULL));
    CHECK_EQ(papr_h_enter(&h2, 0, 0, V4K(0x4), IO_BASE | HPTE64_R_I | 2, &slot), H_PARAMETER);
    CHECK_EQ(papr_h_enter(&h2, 0, 0, V4K(0x4), R4K(0x1000), &slot), H_SUCCESS);
    CHECK_EQ(papr_hpt_check_hpte(&h2, V4K(0x4), R4K(0x1000)), H_SUCCESS);
    CHECK_EQ(papr_hpt_check_hpte(&h2, V4K(0x4), R4K(RAM_SIZE)), H_PARAMETER);
    papr_hpt_free(&h2);
    papr_hpt_free(&h);
}

static void test_remove(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot;
    Hash64Hpte old = { 1, 1 };
    uint64_t v = V4K(0x4321) | HPTE64_V_BOLTED, r = R4K(0x3000) | HPTE64_R_R;
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x10, v, r, &slot), H_SUCCESS);
    papr_hpt_clear_modified(&h, 0x10);
    c.changed = 0;
    /* Errors first: flags, index, nothing there, AVPN/ANDCOND mismatches. */
    CHECK_EQ(papr_h_remove(&h, H_AVPN | H_ANDCOND, 0x10, 0, &old), H_PARAMETER);
    CHECK_EQ(papr_h_remove(&h, H_EXACT, 0x10, 0, &old), H_PARAMETER);
    CHECK_EQ(papr_h_remove(&h, 0, 16384, 0, &old), H_PARAMETER);
    CHECK_EQ(papr_h_remove(&h, 0, 0x11, 0, &old), H_NOT_FOUND);
    CHECK_EQ(papr_h_remove(&h, H_AVPN, 0x10, V4K(0x4322) & ~0x7fULL, &old), H_NOT_FOUND);
    CHECK_EQ(papr_h_remove(&h, H_AVPN, 0x10, (V4K(0x4321) & ~0x7fULL) | SLB_VSID_B_1T, &old),
             H_NOT_FOUND);
    CHECK_EQ(papr_h_remove(&h, H_ANDCOND, 0x10, HPTE64_V_BOLTED, &old), H_NOT_FOUND);
    CHECK_EQ(c.changed, 0);
    CHECK(!papr_hpt_is_modified(&h, 0x10));
    CHECK_EQ(old.pte0, 1);
    /* AVPN match: the low 7 bits are not compared. */
    CHECK_EQ(papr_h_remove(&h, H_AVPN, 0x10, V4K(0x4321) & ~0x7fULL, &old), H_SUCCESS);
    CHECK_EQ(old.pte0, v);
    CHECK_EQ(old.pte1, r);
    CHECK_EQ(papr_hpt_get(&h, 0x10).pte0, 0);
    CHECK_EQ(papr_hpt_get(&h, 0x10).pte1, 0);
    CHECK(papr_hpt_is_modified(&h, 0x10));
    CHECK_EQ(c.changed, 1);
    CHECK_EQ(c.changed_ptex, 0x10);
    CHECK_EQ(c.changed_v, v);
    CHECK_EQ(c.changed_r, r);
    CHECK_EQ(papr_h_remove(&h, 0, 0x10, 0, &old), H_NOT_FOUND);
    /* ANDCOND passes when no bit of the argument is set in doubleword 0. */
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x10, V4K(0x4321), r, &slot), H_SUCCESS);
    CHECK_EQ(papr_h_remove(&h, H_ANDCOND, 0x10, HPTE64_V_BOLTED, &old), H_SUCCESS);
    /* Absolute: no check. Through the register-level adapter: r4, r5 get the old HPTE. */
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x10, v, r, &slot), H_SUCCESS);
    uint64_t args[8] = { 0, 0x10, 0 };
    CHECK_EQ(papr_hcall_remove(&h, args), H_SUCCESS);
    CHECK_EQ(args[0], v);
    CHECK_EQ(args[1], r);
    papr_hpt_free(&h);
}

static void test_bulk_remove(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot;
    uint64_t va = V4K(0xa), vb = V4K(0xb), vc = V4K(0xc) | HPTE64_V_BOLTED;
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x20, va, R4K(0x1000) | HPTE64_R_R | HPTE64_R_C, &slot),
             H_SUCCESS);
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x21, vb, R4K(0x2000) | HPTE64_R_C, &slot), H_SUCCESS);
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x22, vc, R4K(0x3000), &slot), H_SUCCESS);
    uint64_t spec[8] = {
        H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_ABSOLUTE | 0x20, 0,
        H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_AVPN | 0x21, vb & ~0x7fULL,
        H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_ANDCOND | 0x22, HPTE64_V_BOLTED,
        H_BULK_REMOVE_END, 0x5555,
    };
    CHECK_EQ(papr_h_bulk_remove(&h, spec), H_SUCCESS);
    CHECK_EQ(spec[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | H_BULK_REMOVE_R |
                          H_BULK_REMOVE_C | 0x20);
    CHECK_EQ(spec[0], 0x8c00000000000020ULL);
    CHECK_EQ(spec[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_C | H_BULK_REMOVE_AVPN | 0x21);
    CHECK_EQ(spec[4], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | H_BULK_REMOVE_ANDCOND |
                          0x22);
    CHECK_EQ(spec[6], H_BULK_REMOVE_END);
    CHECK_EQ(spec[7], 0x5555);
    CHECK_EQ(papr_hpt_get(&h, 0x20).pte0, 0);
    CHECK_EQ(papr_hpt_get(&h, 0x21).pte0, 0);
    CHECK_EQ(papr_hpt_get(&h, 0x22).pte0, vc);

    /* Four requests and no end marker: all four are done. */
    uint64_t four[8] = {
        H_BULK_REMOVE_REQUEST | 0x22, 0, H_BULK_REMOVE_REQUEST | 0x23, 0,
        H_BULK_REMOVE_REQUEST | 0x24, 0, H_BULK_REMOVE_REQUEST | 0x25, 0,
    };
    CHECK_EQ(papr_hcall_bulk_remove(&h, four), H_SUCCESS);
    CHECK_EQ(four[0], H_BULK_REMOVE_RESPONSE | 0x22);
    CHECK_EQ(four[2], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | 0x23);
    CHECK_EQ(four[6], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | 0x25);
    CHECK_EQ(papr_hpt_get(&h, 0x22).pte0, 0);

    /* A specifier that is neither a request nor the end: H_PARAMETER, later ones untouched. */
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x30, va, R4K(0x1000), &slot), H_SUCCESS);
    uint64_t bad_type[8] = {
        H_BULK_REMOVE_REQUEST | 0x31, 0, H_BULK_REMOVE_RESPONSE | 0x30, 0,
        H_BULK_REMOVE_REQUEST | 0x30, 0, H_BULK_REMOVE_END, 0,
    };
    CHECK_EQ(papr_h_bulk_remove(&h, bad_type), H_PARAMETER);
    CHECK_EQ(bad_type[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | 0x31);
    CHECK_EQ(bad_type[2], H_BULK_REMOVE_RESPONSE | 0x30);
    CHECK_EQ(bad_type[4], H_BULK_REMOVE_REQUEST | 0x30);
    CHECK_EQ(papr_hpt_get(&h, 0x30).pte0, va);
    uint64_t zero_type[8] = { 0x30, 0 };
    CHECK_EQ(papr_h_bulk_remove(&h, zero_type), H_PARAMETER);
    CHECK_EQ(zero_type[0], 0x30);
    /* Both AVPN and ANDCOND; an index outside the table: the PARM code, H_PARAMETER. */
    uint64_t both[8] = {
        H_BULK_REMOVE_REQUEST | H_BULK_REMOVE_FLAGS | 0x30, 0,
        H_BULK_REMOVE_REQUEST | 0x30, 0,
    };
    CHECK_EQ(papr_h_bulk_remove(&h, both), H_PARAMETER);
    CHECK_EQ(both[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | H_BULK_REMOVE_FLAGS | 0x30);
    CHECK_EQ(both[2], H_BULK_REMOVE_REQUEST | 0x30);
    CHECK_EQ(papr_hpt_get(&h, 0x30).pte0, va);
    uint64_t range[8] = { H_BULK_REMOVE_REQUEST | 16384, 0 };
    CHECK_EQ(papr_h_bulk_remove(&h, range), H_PARAMETER);
    CHECK_EQ(range[0], H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | 16384);
    uint64_t end_first[8] = { H_BULK_REMOVE_END, 0, H_BULK_REMOVE_REQUEST | 0x30, 0 };
    CHECK_EQ(papr_h_bulk_remove(&h, end_first), H_SUCCESS);
    CHECK_EQ(end_first[2], H_BULK_REMOVE_REQUEST | 0x30);
    CHECK_EQ(papr_hpt_get(&h, 0x30).pte0, va);
    papr_hpt_free(&h);
}

static void test_read(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot;
    for (unsigned k = 0; k < 4; k++)
        CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x104 + k, V4K(0x50 + k), R4K(0x1000 * (k + 1)), &slot),
                 H_SUCCESS);
    Hash64Hpte e[4];
    unsigned n = 0;
    CHECK_EQ(papr_h_read(&h, 0, 0x106, e, &n), H_SUCCESS);
    CHECK_EQ(n, 1);
    CHECK_EQ(e[0].pte0, V4K(0x52));
    CHECK_EQ(e[0].pte1, R4K(0x3000));
    /* H_READ_4 starts at ptex & ~3. */
    CHECK_EQ(papr_h_read(&h, H_READ_4 | H_R_XLATE, 0x107, e, &n), H_SUCCESS);
    CHECK_EQ(n, 4);
    CHECK_EQ(e[0].pte0, V4K(0x50));
    CHECK_EQ(e[3].pte1, R4K(0x4000));
    /* An empty slot reads as zeros. */
    CHECK_EQ(papr_h_read(&h, 0, 0x108, e, &n), H_SUCCESS);
    CHECK_EQ(e[0].pte0, 0);
    CHECK_EQ(papr_h_read(&h, H_READ_4, 16383, e, &n), H_SUCCESS);
    CHECK_EQ(n, 4);
    n = 9;
    CHECK_EQ(papr_h_read(&h, 0, 16384, e, &n), H_PARAMETER);
    CHECK_EQ(papr_h_read(&h, H_READ_4, ~0ULL, e, &n), H_PARAMETER);
    CHECK_EQ(papr_h_read(&h, H_AVPN, 0x104, e, &n), H_PARAMETER);
    CHECK_EQ(n, 9);
    /* Registers: r4..r11. */
    uint64_t args[8] = { H_READ_4, 0x105 };
    CHECK_EQ(papr_hcall_read(&h, args), H_SUCCESS);
    CHECK_EQ(args[0], V4K(0x50));
    CHECK_EQ(args[1], R4K(0x1000));
    CHECK_EQ(args[6], V4K(0x53));
    CHECK_EQ(args[7], R4K(0x4000));
    CHECK_EQ(c.changed, 4); /* reading changes nothing */
    papr_hpt_free(&h);
}

static void test_protect(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot;
    uint64_t v = V4K(0x77), r = R4K(0x9000) | HPTE64_R_R | HPTE64_R_C | (3ULL << 9) | 2;
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x40, v, r, &slot), H_SUCCESS);
    papr_hpt_clear_modified(&h, 0x40);
    c.changed = 0;
    /* New pp0=1, key 0b10101 (hi 10, lo 101), N=1, pp=01; RPN, WIMG, R, C stay. */
    uint64_t flags = H_AVPN | H_PROTECT_PP0 | 0x2000 | (5ULL << 9) | HPTE64_R_N | 1;
    CHECK_EQ(papr_h_protect(&h, flags, 0x40, v & ~0x7fULL), H_SUCCESS);
    CHECK_EQ(papr_hpt_get(&h, 0x40).pte1, HPTE64_R_PP0 | 0x2000000000000000ULL | 0x9000 |
                                              (5ULL << 9) | HPTE64_R_R | HPTE64_R_C |
                                              HPTE64_R_M | HPTE64_R_N | 1);
    CHECK_EQ(hash64_hpte_key(papr_hpt_get(&h, 0x40).pte1), 0x15);
    CHECK_EQ(papr_hpt_get(&h, 0x40).pte0, v);
    CHECK(papr_hpt_is_modified(&h, 0x40));
    CHECK_EQ(c.changed, 1);
    CHECK_EQ(c.changed_r, r);
    /* Back to pp=10 without AVPN. */
    CHECK_EQ(papr_hcall_protect(&h, (uint64_t[8]){ 2, 0x40, 0 }), H_SUCCESS);
    CHECK_EQ(papr_hpt_get(&h, 0x40).pte1, 0x9000 | HPTE64_R_R | HPTE64_R_C | HPTE64_R_M | 2);
    /* Errors. */
    CHECK_EQ(papr_h_protect(&h, H_AVPN | 1, 0x40, V4K(0x78) & ~0x7fULL), H_NOT_FOUND);
    CHECK_EQ(papr_h_protect(&h, 1, 0x41, 0), H_NOT_FOUND);
    CHECK_EQ(papr_h_protect(&h, 1, 16384, 0), H_PARAMETER);
    CHECK_EQ(papr_h_protect(&h, H_ANDCOND | 1, 0x40, 0), H_PARAMETER);
    CHECK_EQ(papr_h_protect(&h, HPTE64_R_G | 1, 0x40, 0), H_PARAMETER);
    CHECK_EQ(papr_hpt_get(&h, 0x40).pte1 & HPTE64_R_PP, 2);
    CHECK_EQ(c.changed, 2);
    papr_hpt_free(&h);
}

static void test_clear_ref_mod(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t slot, old = 0;
    uint64_t r = R4K(0x9000) | HPTE64_R_R | HPTE64_R_C;
    CHECK_EQ(papr_h_enter(&h, H_EXACT, 0x50, V4K(0x5), r, &slot), H_SUCCESS);
    papr_hpt_clear_modified(&h, 0x50);
    c.changed = 0;
    CHECK_EQ(papr_h_clear_ref(&h, 0, 0x50, &old), H_SUCCESS);
    CHECK_EQ(old, r);
    CHECK_EQ(papr_hpt_get(&h, 0x50).pte1, r & ~HPTE64_R_R);
    CHECK(papr_hpt_is_modified(&h, 0x50));
    CHECK_EQ(c.changed, 1);
    /* Already clear: the old value comes back, nothing is modified. */
    papr_hpt_clear_modified(&h, 0x50);
    CHECK_EQ(papr_h_clear_ref(&h, H_LOCAL, 0x50, &old), H_SUCCESS);
    CHECK_EQ(old, r & ~HPTE64_R_R);
    CHECK(!papr_hpt_is_modified(&h, 0x50));
    CHECK_EQ(c.changed, 1);
    uint64_t args[8] = { 0, 0x50 };
    CHECK_EQ(papr_hcall_clear_mod(&h, args), H_SUCCESS);
    CHECK_EQ(args[0], r & ~HPTE64_R_R);
    CHECK_EQ(papr_hpt_get(&h, 0x50).pte1, R4K(0x9000));
    CHECK_EQ(c.changed, 2);
    CHECK_EQ(papr_h_clear_mod(&h, 0, 0x50, &old), H_SUCCESS);
    CHECK_EQ(old, R4K(0x9000));
    CHECK_EQ(c.changed, 2);
    args[0] = 0;
    args[1] = 0x50;
    CHECK_EQ(papr_hcall_clear_ref(&h, args), H_SUCCESS);
    CHECK_EQ(args[0], R4K(0x9000));
    /* Errors. */
    CHECK_EQ(papr_h_clear_ref(&h, 0, 0x51, &old), H_NOT_FOUND);
    CHECK_EQ(papr_h_clear_mod(&h, 0, 0x51, &old), H_NOT_FOUND);
    CHECK_EQ(papr_h_clear_ref(&h, 0, 16384, &old), H_PARAMETER);
    CHECK_EQ(papr_h_clear_mod(&h, 0, ~0ULL, &old), H_PARAMETER);
    CHECK_EQ(papr_h_clear_ref(&h, H_AVPN, 0x50, &old), H_PARAMETER);
    CHECK_EQ(papr_h_clear_mod(&h, H_EXACT, 0x50, &old), H_PARAMETER);
    papr_hpt_free(&h);
}

static void test_enter_adapter_and_reset(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t args[8] = { 0, 0x61, V4K(0x61), R4K(0x1000) };
    CHECK_EQ(papr_hcall_enter(&h, args), H_SUCCESS);
    CHECK_EQ(args[0], 0x60);
    uint64_t bad[8] = { 0, 16384, V4K(0x61), R4K(0x1000) };
    CHECK_EQ(papr_hcall_enter(&h, bad), H_PARAMETER);
    CHECK_EQ(bad[0], 0);
    papr_hpt_clear_modified(&h, 0x60);
    papr_hpt_reset(&h);
    CHECK_EQ(papr_hpt_get(&h, 0x60).pte0, 0);
    CHECK(papr_hpt_is_modified(&h, 0x60));
    CHECK(!papr_hpt_is_modified(&h, 0x61));
    papr_hpt_free(&h);
}

/* The rows the PAPR hcall table is built from. */
#define ROW(set, op, name, fn) { set, op, name, fn },
static const struct {
    const char *set;
    unsigned op;
    const char *name;
    PaprHptHcall fn;
} rows[] = { PAPR_HPT_HCALLS(ROW) };

static void test_table_rows(void)
{
    CHECK_EQ(ARRAY_SIZE(rows), 7);
    CHECK_EQ(rows[0].op, 0x04);
    CHECK(rows[1].fn == papr_hcall_enter);
    CHECK_EQ(rows[1].op, 0x08);
    CHECK_EQ(rows[2].op, 0x0c);
    CHECK_EQ(rows[3].op, 0x10);
    CHECK_EQ(rows[4].op, 0x14);
    CHECK_EQ(rows[5].op, 0x18);
    CHECK_EQ(rows[6].op, 0x124);
    CHECK(strcmp(rows[6].set, "hcall-bulk") == 0);
    CHECK(strcmp(rows[6].name, "H_BULK_REMOVE") == 0);
    CHECK_EQ(H_NOT_FOUND, -7);
    CHECK_EQ(H_PTEG_FULL, -6);
    CHECK_EQ(H_PARAMETER, -4);
    CHECK_EQ(H_EXACT, 0x0000008000000000ULL);
    CHECK_EQ(H_AVPN, 0x0000000080000000ULL);
    CHECK_EQ(H_ZERO_PAGE, 0x0000000000008000ULL);
}

/* The hash MMU walking the hypervisor's table: R and C land in it and mark it modified,
 * without an hpte_changed call. */
static void test_mmu_view(void)
{
    PaprHpt h;
    Calls c;
    hpt_new(&h, &c);
    uint64_t vsid = 0xabcdef, ea = 0x30004567;
    uint64_t hash = hash64_hash(vsid, 28, 12, ea);
    uint64_t slot;
    uint64_t v = hash64_ava(vsid, 28, ea) << HPTE64_V_AVPN_SHIFT | HPTE64_V_VALID;
    CHECK_EQ(papr_h_enter(&h, 0, (hash & 2047) * 8, v, R4K(0x2000000), &slot), H_SUCCESS);
    papr_hpt_clear_modified(&h, slot);
    c.changed = 0;
    Hash64Ops ops = papr_hpt_mmu_ops(&h);
    Hash64Slbe slb = { (ea & SLB_ESID_ESID) | SLB_ESID_V, vsid << SLB_VSID_SHIFT };
    Hash64Mmu mmu = { .ops = &ops, .slb = &slb, .slb_entries = 1 };
    Hash64Result r;
    CHECK_EQ(hash64_translate(&mmu, ea, &(Hash64Xlate){ .access = HASH64_STORE }, &r),
             HASH64_OK);
    CHECK_EQ(r.ra, 0x2000567);
    CHECK_EQ(r.ptex, slot);
    CHECK_EQ(papr_hpt_get(&h, slot).pte1, R4K(0x2000000) | HPTE64_R_R | HPTE64_R_C);
    CHECK(papr_hpt_is_modified(&h, slot));
    CHECK_EQ(c.changed, 0);
    Hash64Hpte e[2];
    CHECK(!ops.read_hptes(ops.opaque, 16383, 2, e));
    CHECK(!ops.read_hptes(ops.opaque, 16384, 1, e));
    CHECK(ops.read_hptes(ops.opaque, 16382, 2, e));
    papr_hpt_free(&h);
}

int main(void)
{
    test_geometry();
    test_enter();
    test_remove();
    test_bulk_remove();
    test_read();
    test_protect();
    test_clear_ref_mod();
    test_enter_adapter_and_reset();
    test_table_rows();
    test_mmu_view();
    return unit_summary("test_hpt");
}
