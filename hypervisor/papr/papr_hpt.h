/* hypervisor/papr/papr_hpt.h: the hashed page table of a PAPR (pseries) guest, owned by the
 * built-in hypervisor, and the hypercalls that manage it (LoPAR, "Hypervisor Interface
 * Requirements", the "hcall-pft" function set: H_ENTER, H_REMOVE, H_READ, H_CLEAR_MOD,
 * H_CLEAR_REF, H_PROTECT; the "hcall-bulk" function set: H_BULK_REMOVE). The table is a
 * byte array of big-endian 16-byte HPTEs in the ISA 2.07 layout, as the architecture
 * stores them, 2^order bytes (the order is what the guest reads from ibm,pft-size). The
 * hcalls are pure functions of the table, the guest RAM size and their arguments: every
 * argument comes from the guest and is checked; none can make them read or write outside
 * the table. Each change marks the HPTE modified for the HTAB stream (papr_htab.h) and
 * calls hooks.hpte_changed so the machine can drop soft-TLB entries. The CPU's hash MMU
 * reaches the table through papr_hpt_mmu_ops (the "virtual hypervisor" HPT). */
#ifndef HVEMU_PAPR_HPT_H
#define HVEMU_PAPR_HPT_H

#include "mmu/ppc_hash64.h"

/* hcall return codes. */
#define H_SUCCESS 0
#define H_HARDWARE -1
#define H_FUNCTION -2
#define H_PRIVILEGE -3
#define H_PARAMETER -4
#define H_BAD_MODE -5
#define H_PTEG_FULL -6
#define H_NOT_FOUND -7

/* hcall numbers (r3). */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_CLEAR_MOD 0x10
#define H_CLEAR_REF 0x14
#define H_PROTECT 0x18
#define H_BULK_REMOVE 0x124

/* Flags (r4), by IBM bit number (0 is the most significant bit). */
#define PAPR_BIT(n) (1ULL << (63 - (n)))
#define H_LARGE_PAGE PAPR_BIT(16)
#define H_EXACT PAPR_BIT(24)       /* H_ENTER: use exactly this slot or fail */
#define H_R_XLATE PAPR_BIT(25)     /* return logical addresses (ours always are) */
#define H_READ_4 PAPR_BIT(26)      /* H_READ: four HPTEs from ptex & ~3 */
#define H_AVPN PAPR_BIT(32)        /* the AVPN argument must match doubleword 0 */
#define H_ANDCOND PAPR_BIT(33)     /* fail if doubleword 0 & AVPN argument != 0 */
#define H_LOCAL PAPR_BIT(35)       /* a hint: only this processor used the entry */
#define H_ICACHE_INVALIDATE PAPR_BIT(40)
#define H_ICACHE_SYNCHRONIZE PAPR_BIT(41)
#define H_COALESCE_CAND PAPR_BIT(42)
#define H_ZERO_PAGE PAPR_BIT(48)   /* H_ENTER: zero the page before mapping it */
/* H_PROTECT carries the new protection in the flags: pp0, key, N, pp1||pp2. */
#define H_PROTECT_PP0 0x0000000000000100ULL   /* -> HPTE64_R_PP0 (shift 55) */
#define H_PROTECT_KEY_HI 0x0000000000003000ULL /* -> HPTE64_R_KEY_HI (shift 48) */
#define H_PROTECT_BITS (HPTE64_R_KEY_LO | HPTE64_R_N | HPTE64_R_PP) /* in place */

/* H_BULK_REMOVE translation specifiers (r4, r6, r8, r10; the AVPN follows each). */
#define H_BULK_REMOVE_TYPE 0xC000000000000000ULL
#define H_BULK_REMOVE_REQUEST 0x4000000000000000ULL
#define H_BULK_REMOVE_RESPONSE 0x8000000000000000ULL
#define H_BULK_REMOVE_END 0xC000000000000000ULL
#define H_BULK_REMOVE_CODE 0x3000000000000000ULL
#define H_BULK_REMOVE_SUCCESS 0x0000000000000000ULL
#define H_BULK_REMOVE_NOT_FOUND 0x1000000000000000ULL
#define H_BULK_REMOVE_PARM 0x2000000000000000ULL
#define H_BULK_REMOVE_HW 0x3000000000000000ULL
#define H_BULK_REMOVE_RC 0x0C00000000000000ULL /* R, C of the removed HPTE */
#define H_BULK_REMOVE_R 0x0800000000000000ULL
#define H_BULK_REMOVE_C 0x0400000000000000ULL
#define H_BULK_REMOVE_FLAGS 0x0300000000000000ULL
#define H_BULK_REMOVE_ABSOLUTE 0x0000000000000000ULL
#define H_BULK_REMOVE_ANDCOND 0x0100000000000000ULL
#define H_BULK_REMOVE_AVPN 0x0200000000000000ULL
#define H_BULK_REMOVE_PTEX 0x00FFFFFFFFFFFFFFULL
#define H_BULK_REMOVE_MAX_BATCH 4

/* Table sizes. The minimum is the architecture's (2^11 PTEGs); the maximum keeps every HPTE
 * index within the HTAB stream's 32-bit index (a 64 GiB table, for 8 TiB of RAM). */
#define PAPR_HPT_MIN_ORDER 18
#define PAPR_HPT_MAX_ORDER 36

typedef struct PaprHptHooks {
    /* H_ZERO_PAGE: zero guest RAM [addr, addr + len), which lies within RAM. */
    void (*zero_page)(void *opaque, uint64_t addr, uint64_t len);
    /* HPTE ptex was changed by an hcall or the HTAB stream; (old_pte0, old_pte1) is what it
     * held, so translations made through it can be dropped. */
    void (*hpte_changed)(void *opaque, uint64_t ptex, uint64_t old_pte0, uint64_t old_pte1);
    /* Is [addr, addr + len) in an I/O window (PCI MMIO) a guest may map cache-inhibited?
     * NULL: there is none, and every HPTE must map RAM. */
    bool (*is_io)(void *opaque, uint64_t addr, uint64_t len);
    void *opaque;
} PaprHptHooks;

typedef struct PaprHpt {
    uint8_t *table;     /* n_hptes * 16 bytes, big-endian */
    unsigned order;     /* log2 of the table size in bytes */
    uint64_t n_hptes;
    uint64_t *modified; /* one bit per HPTE: changed since the HTAB stream sent it */
    uint64_t ram_size;  /* guest RAM is [0, ram_size) */
    const Hash64PageSizes *page_sizes; /* what H_ENTER accepts; init sets the P8/P9 set */
    PaprHptHooks hooks;
} PaprHpt;

/* The order for a RAM size: 1/128 of RAM rounded up to a power of two (one PTEG for two
 * 4 KiB pages), within [PAPR_HPT_MIN_ORDER, PAPR_HPT_MAX_ORDER]. */
unsigned papr_hpt_order_for_ram(uint64_t ram_size);
/* An empty table, nothing marked modified. False if order is out of range or memory runs
 * out. */
bool papr_hpt_init(PaprHpt *h, unsigned order, uint64_t ram_size, const PaprHptHooks *hooks);
void papr_hpt_free(PaprHpt *h);
/* Invalidate every HPTE (machine reset). */
void papr_hpt_reset(PaprHpt *h);

/* HPTE ptex (< n_hptes), host order. */
Hash64Hpte papr_hpt_get(const PaprHpt *h, uint64_t ptex);
bool papr_hpt_is_modified(const PaprHpt *h, uint64_t ptex);
void papr_hpt_clear_modified(PaprHpt *h, uint64_t ptex);

/* The HPT as the hash MMU sees it. R/C updates made through it mark the HPTE modified
 * (so an incremental HTAB pass carries them) but do not call hpte_changed. */
Hash64Ops papr_hpt_mmu_ops(PaprHpt *h);

/* Would H_ENTER accept (pteh, ptel)? H_SUCCESS or H_PARAMETER: B is a segment size, L/LP
 * is a page size the machine offers, and the page lies in RAM mapped with W=0 I=0, or in
 * an I/O window mapped with W=0 I=1. */
int64_t papr_hpt_check_hpte(const PaprHpt *h, uint64_t pteh, uint64_t ptel);

/* The hcalls. Results the guest gets in r4 and up come back through the pointers. */
int64_t papr_h_enter(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel,
                     uint64_t *slot);
int64_t papr_h_remove(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn,
                      Hash64Hpte *old);
/* spec[0..7]: r4..r11, four (translation specifier, AVPN) pairs, updated in place with
 * the responses. */
int64_t papr_h_bulk_remove(PaprHpt *h, uint64_t spec[2 * H_BULK_REMOVE_MAX_BATCH]);
/* One HPTE, or four from ptex & ~3 with H_READ_4; *n tells how many. */
int64_t papr_h_read(PaprHpt *h, uint64_t flags, uint64_t ptex, Hash64Hpte out[4], unsigned *n);
int64_t papr_h_protect(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn);
/* *old_pte1: doubleword 1 before R (C) was cleared. */
int64_t papr_h_clear_ref(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_pte1);
int64_t papr_h_clear_mod(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_pte1);

/* The same at register level for the hcall table: args[0..7] are r4..r11 on entry and
 * receive the outputs; the result goes to r3. */
typedef int64_t (*PaprHptHcall)(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_enter(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_remove(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_bulk_remove(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_read(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_protect(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_clear_ref(PaprHpt *h, uint64_t *args);
int64_t papr_hcall_clear_mod(PaprHpt *h, uint64_t *args);

/* Rows for the one PAPR hcall table, grouped by function set (the ibm,hypertas-functions
 * names): X(function_set, opcode, name, handler). */
#define PAPR_HPT_HCALLS(X)                                                                   \
    X("hcall-pft", H_REMOVE, "H_REMOVE", papr_hcall_remove)                                 \
    X("hcall-pft", H_ENTER, "H_ENTER", papr_hcall_enter)                                    \
    X("hcall-pft", H_READ, "H_READ", papr_hcall_read)                                       \
    X("hcall-pft", H_CLEAR_MOD, "H_CLEAR_MOD", papr_hcall_clear_mod)                        \
    X("hcall-pft", H_CLEAR_REF, "H_CLEAR_REF", papr_hcall_clear_ref)                        \
    X("hcall-pft", H_PROTECT, "H_PROTECT", papr_hcall_protect)                              \
    X("hcall-bulk", H_BULK_REMOVE, "H_BULK_REMOVE", papr_hcall_bulk_remove)

#endif
