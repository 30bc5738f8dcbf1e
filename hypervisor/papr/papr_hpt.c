/* hypervisor/papr/papr_hpt.c: the guest HPT and the page frame table hcalls (LoPAR,
 * "Hypervisor Interface Requirements": the hcall-pft function set H_ENTER, H_REMOVE,
 * H_READ, H_CLEAR_MOD, H_CLEAR_REF, H_PROTECT, and the hcall-bulk function set
 * H_BULK_REMOVE). Each hcall checks its flags, then its PTE index, then the HPTE it acts
 * on, and only then changes the table. Flag bits an hcall does not define are H_PARAMETER;
 * H_LOCAL and the cache hints of H_ENTER are accepted and need no action here. */
#include "hypervisor/papr/papr_hpt.h"

#include <stdlib.h>

#define H_ENTER_FLAGS                                                                        \
    (H_LARGE_PAGE | H_EXACT | H_R_XLATE | H_LOCAL | H_ICACHE_INVALIDATE |                    \
     H_ICACHE_SYNCHRONIZE | H_COALESCE_CAND | H_ZERO_PAGE)
#define H_REMOVE_FLAGS (H_AVPN | H_ANDCOND | H_LOCAL)
#define H_READ_FLAGS (H_READ_4 | H_R_XLATE)
#define H_PROTECT_FLAGS (H_AVPN | H_LOCAL | H_PROTECT_PP0 | H_PROTECT_KEY_HI | H_PROTECT_BITS)
#define H_CLEAR_FLAGS (H_LOCAL)
#define HPTE64_R_PROT_MASK                                                                   \
    (HPTE64_R_PP0 | HPTE64_R_KEY_HI | HPTE64_R_KEY_LO | HPTE64_R_N | HPTE64_R_PP)
#define AVPN_COMPARE_MASK (~0x7FULL) /* doubleword 0 bits 0:56 */

static uint64_t ld_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < 8; k++)
        v = v << 8 | p[k];
    return v;
}

static void st_be64(uint8_t *p, uint64_t v)
{
    for (unsigned k = 0; k < 8; k++)
        p[k] = (uint8_t)(v >> (56 - 8 * k));
}

unsigned papr_hpt_order_for_ram(uint64_t ram_size)
{
    unsigned shift = 0;
    while (shift < 63 && (1ULL << shift) < ram_size)
        shift++;
    unsigned order = shift > 7 ? shift - 7 : 0;
    return MIN(MAX(order, (unsigned)PAPR_HPT_MIN_ORDER), (unsigned)PAPR_HPT_MAX_ORDER);
}

bool papr_hpt_init(PaprHpt *h, unsigned order, uint64_t ram_size, const PaprHptHooks *hooks)
{
    *h = (PaprHpt){ 0 };
    if (order < PAPR_HPT_MIN_ORDER || order > PAPR_HPT_MAX_ORDER)
        return false;
    uint64_t n = 1ULL << (order - 4);
    h->table = calloc(n, HPTE64_SIZE);
    h->modified = calloc(n / 64, sizeof(uint64_t));
    if (!h->table || !h->modified) {
        papr_hpt_free(h);
        return false;
    }
    h->order = order;
    h->n_hptes = n;
    h->ram_size = ram_size;
    h->page_sizes = &hash64_page_sizes_p8p9;
    if (hooks)
        h->hooks = *hooks;
    return true;
}

void papr_hpt_free(PaprHpt *h)
{
    free(h->table);
    free(h->modified);
    *h = (PaprHpt){ 0 };
}

Hash64Hpte papr_hpt_get(const PaprHpt *h, uint64_t ptex)
{
    const uint8_t *p = h->table + ptex * HPTE64_SIZE;
    return (Hash64Hpte){ ld_be64(p), ld_be64(p + 8) };
}

bool papr_hpt_is_modified(const PaprHpt *h, uint64_t ptex)
{
    return (h->modified[ptex / 64] >> (ptex % 64)) & 1;
}

void papr_hpt_clear_modified(PaprHpt *h, uint64_t ptex)
{
    h->modified[ptex / 64] &= ~(1ULL << (ptex % 64));
}

static void mark_modified(PaprHpt *h, uint64_t ptex)
{
    h->modified[ptex / 64] |= 1ULL << (ptex % 64);
}

/* Every change of an HPTE goes through here. */
static void hpt_store(PaprHpt *h, uint64_t ptex, uint64_t pte0, uint64_t pte1)
{
    Hash64Hpte old = papr_hpt_get(h, ptex);
    uint8_t *p = h->table + ptex * HPTE64_SIZE;
    st_be64(p, pte0);
    st_be64(p + 8, pte1);
    mark_modified(h, ptex);
    if (h->hooks.hpte_changed)
        h->hooks.hpte_changed(h->hooks.opaque, ptex, old.pte0, old.pte1);
}

void papr_hpt_reset(PaprHpt *h)
{
    for (uint64_t k = 0; k < h->n_hptes; k++)
        if (papr_hpt_get(h, k).pte0 & HPTE64_V_VALID)
            hpt_store(h, k, 0, 0);
}

static uint64_t ops_pteg_mask(void *opaque)
{
    const PaprHpt *h = opaque;
    return h->n_hptes / HPTES_PER_GROUP - 1;
}

static bool ops_read_hptes(void *opaque, uint64_t ptex, unsigned n, Hash64Hpte *out)
{
    const PaprHpt *h = opaque;
    if (ptex >= h->n_hptes || n > h->n_hptes - ptex)
        return false;
    for (unsigned k = 0; k < n; k++)
        out[k] = papr_hpt_get(h, ptex + k);
    return true;
}

static void ops_store_hpte_rc(void *opaque, uint64_t ptex, uint64_t pte1)
{
    PaprHpt *h = opaque;
    if (ptex >= h->n_hptes)
        return;
    st_be64(h->table + ptex * HPTE64_SIZE + 8, pte1);
    mark_modified(h, ptex);
}

Hash64Ops papr_hpt_mmu_ops(PaprHpt *h)
{
    return (Hash64Ops){ .pteg_mask = ops_pteg_mask, .read_hptes = ops_read_hptes,
                        .store_hpte_rc = ops_store_hpte_rc, .opaque = h };
}

/* Where an HPTE maps: its page and whether that is RAM. */
typedef struct HpteTarget {
    uint64_t addr, size;
    bool ram;
} HpteTarget;

static int64_t check_hpte(const PaprHpt *h, uint64_t pteh, uint64_t ptel, HpteTarget *t)
{
    /* 1. B must name a segment size (256 MB or 1 TB). */
    if ((pteh & HPTE64_V_SSIZE) >> HPTE64_V_SSIZE_SHIFT > 1)
        return H_PARAMETER;
    /* 2. L and LP must encode a page size the machine offers. */
    unsigned shift = hash64_hpte_page_shift_noslb(h->page_sizes, pteh, ptel, NULL);
    if (!shift)
        return H_PARAMETER;
    /* 3. The page: RAM, cacheable and not write-through; or an I/O window, inhibited. */
    uint64_t size = 1ULL << shift;
    uint64_t addr = ptel & HPTE64_R_RPN & ~(size - 1);
    bool ram = addr < h->ram_size && size <= h->ram_size - addr;
    if (ram) {
        if (ptel & (HPTE64_R_W | HPTE64_R_I))
            return H_PARAMETER;
    } else {
        if (!h->hooks.is_io || !h->hooks.is_io(h->hooks.opaque, addr, size))
            return H_PARAMETER;
        if ((ptel & (HPTE64_R_W | HPTE64_R_I)) != HPTE64_R_I)
            return H_PARAMETER;
    }
    if (t)
        *t = (HpteTarget){ .addr = addr, .size = size, .ram = ram };
    return H_SUCCESS;
}

int64_t papr_hpt_check_hpte(const PaprHpt *h, uint64_t pteh, uint64_t ptel)
{
    return check_hpte(h, pteh, ptel, NULL);
}

int64_t papr_h_enter(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t pteh, uint64_t ptel,
                     uint64_t *slot)
{
    /* 1. Flags, PTE index, then the HPTE itself. */
    if (flags & ~H_ENTER_FLAGS)
        return H_PARAMETER;
    if (ptex >= h->n_hptes)
        return H_PARAMETER;
    HpteTarget t;
    int64_t rc = check_hpte(h, pteh, ptel, &t);
    if (rc != H_SUCCESS)
        return rc;
    /* 2. The slot: exactly ptex with H_EXACT, else the first free one of its PTEG. */
    uint64_t k = ptex;
    if (flags & H_EXACT) {
        if (papr_hpt_get(h, k).pte0 & HPTE64_V_VALID)
            return H_PTEG_FULL;
    } else {
        uint64_t group = ptex & ~(uint64_t)(HPTES_PER_GROUP - 1);
        for (k = group; k < group + HPTES_PER_GROUP; k++)
            if (!(papr_hpt_get(h, k).pte0 & HPTE64_V_VALID))
                break;
        if (k == group + HPTES_PER_GROUP)
            return H_PTEG_FULL;
    }
    /* 3. H_ZERO_PAGE clears a RAM page before it becomes reachable. */
    if ((flags & H_ZERO_PAGE) && t.ram && h->hooks.zero_page)
        h->hooks.zero_page(h->hooks.opaque, t.addr, t.size);
    /* 4. Store it valid; the bolted and other software bits stay as the guest gave them. */
    hpt_store(h, k, pteh | HPTE64_V_VALID, ptel);
    *slot = k;
    return H_SUCCESS;
}

/* What H_REMOVE and H_BULK_REMOVE share. H_AVPN: doubleword 0 bits 0:56 must equal the
 * argument's; H_ANDCOND: doubleword 0 AND the argument must be 0. */
static int64_t remove_hpte(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn,
                           Hash64Hpte *old)
{
    if ((flags & H_AVPN) && (flags & H_ANDCOND))
        return H_PARAMETER;
    if (ptex >= h->n_hptes)
        return H_PARAMETER;
    Hash64Hpte e = papr_hpt_get(h, ptex);
    if (!(e.pte0 & HPTE64_V_VALID) || ((flags & H_AVPN) && ((e.pte0 ^ avpn) & AVPN_COMPARE_MASK)) ||
        ((flags & H_ANDCOND) && (e.pte0 & avpn)))
        return H_NOT_FOUND;
    hpt_store(h, ptex, 0, 0);
    *old = e;
    return H_SUCCESS;
}

int64_t papr_h_remove(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn,
                      Hash64Hpte *old)
{
    if (flags & ~H_REMOVE_FLAGS)
        return H_PARAMETER;
    return remove_hpte(h, flags, ptex, avpn, old);
}

int64_t papr_h_bulk_remove(PaprHpt *h, uint64_t spec[2 * H_BULK_REMOVE_MAX_BATCH])
{
    for (unsigned k = 0; k < H_BULK_REMOVE_MAX_BATCH; k++) {
        uint64_t *tsh = &spec[2 * k], avpn = spec[2 * k + 1];
        /* 1. An end marker stops the batch; anything but a request is an error. */
        uint64_t type = *tsh & H_BULK_REMOVE_TYPE;
        if (type == H_BULK_REMOVE_END)
            break;
        if (type != H_BULK_REMOVE_REQUEST)
            return H_PARAMETER;
        /* 2. The specifier becomes the response: PTEX and flags kept, code and RC set. */
        uint64_t ptex = *tsh & H_BULK_REMOVE_PTEX;
        uint64_t bflags = *tsh & H_BULK_REMOVE_FLAGS;
        *tsh = H_BULK_REMOVE_RESPONSE | bflags | ptex;
        uint64_t flags = bflags == H_BULK_REMOVE_AVPN      ? H_AVPN
                         : bflags == H_BULK_REMOVE_ANDCOND ? H_ANDCOND
                         : bflags == H_BULK_REMOVE_ABSOLUTE ? 0
                                                            : H_AVPN | H_ANDCOND;
        Hash64Hpte old;
        switch (remove_hpte(h, flags, ptex, avpn, &old)) {
        case H_SUCCESS:
            *tsh |= H_BULK_REMOVE_SUCCESS | ((old.pte1 & HPTE64_R_R) ? H_BULK_REMOVE_R : 0) |
                    ((old.pte1 & HPTE64_R_C) ? H_BULK_REMOVE_C : 0);
            break;
        case H_NOT_FOUND:
            *tsh |= H_BULK_REMOVE_NOT_FOUND;
            break;
        default:
            *tsh |= H_BULK_REMOVE_PARM;
            return H_PARAMETER;
        }
    }
    return H_SUCCESS;
}

int64_t papr_h_read(PaprHpt *h, uint64_t flags, uint64_t ptex, Hash64Hpte out[4], unsigned *n)
{
    if (flags & ~H_READ_FLAGS)
        return H_PARAMETER;
    if (ptex >= h->n_hptes)
        return H_PARAMETER;
    unsigned count = 1;
    if (flags & H_READ_4) {
        ptex &= ~3ULL; /* n_hptes is a multiple of 8, so all four exist */
        count = 4;
    }
    for (unsigned k = 0; k < count; k++)
        out[k] = papr_hpt_get(h, ptex + k);
    *n = count;
    return H_SUCCESS;
}

int64_t papr_h_protect(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t avpn)
{
    if (flags & ~H_PROTECT_FLAGS)
        return H_PARAMETER;
    if (ptex >= h->n_hptes)
        return H_PARAMETER;
    Hash64Hpte e = papr_hpt_get(h, ptex);
    if (!(e.pte0 & HPTE64_V_VALID) || ((flags & H_AVPN) && ((e.pte0 ^ avpn) & AVPN_COMPARE_MASK)))
        return H_NOT_FOUND;
    uint64_t prot = ((flags << 55) & HPTE64_R_PP0) | ((flags << 48) & HPTE64_R_KEY_HI) |
                    (flags & H_PROTECT_BITS);
    hpt_store(h, ptex, e.pte0, (e.pte1 & ~HPTE64_R_PROT_MASK) | prot);
    return H_SUCCESS;
}

static int64_t clear_rc(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t bit,
                        uint64_t *old_pte1)
{
    if (flags & ~H_CLEAR_FLAGS)
        return H_PARAMETER;
    if (ptex >= h->n_hptes)
        return H_PARAMETER;
    Hash64Hpte e = papr_hpt_get(h, ptex);
    if (!(e.pte0 & HPTE64_V_VALID))
        return H_NOT_FOUND;
    *old_pte1 = e.pte1;
    if (e.pte1 & bit)
        hpt_store(h, ptex, e.pte0, e.pte1 & ~bit);
    return H_SUCCESS;
}

int64_t papr_h_clear_ref(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_pte1)
{
    return clear_rc(h, flags, ptex, HPTE64_R_R, old_pte1);
}

int64_t papr_h_clear_mod(PaprHpt *h, uint64_t flags, uint64_t ptex, uint64_t *old_pte1)
{
    return clear_rc(h, flags, ptex, HPTE64_R_C, old_pte1);
}

int64_t papr_hcall_enter(PaprHpt *h, uint64_t *args)
{
    uint64_t slot = 0;
    int64_t rc = papr_h_enter(h, args[0], args[1], args[2], args[3], &slot);
    if (rc == H_SUCCESS)
        args[0] = slot;
    return rc;
}

int64_t papr_hcall_remove(PaprHpt *h, uint64_t *args)
{
    Hash64Hpte old;
    int64_t rc = papr_h_remove(h, args[0], args[1], args[2], &old);
    if (rc == H_SUCCESS) {
        args[0] = old.pte0;
        args[1] = old.pte1;
    }
    return rc;
}

int64_t papr_hcall_bulk_remove(PaprHpt *h, uint64_t *args)
{
    return papr_h_bulk_remove(h, args);
}

int64_t papr_hcall_read(PaprHpt *h, uint64_t *args)
{
    Hash64Hpte e[4];
    unsigned n = 0;
    int64_t rc = papr_h_read(h, args[0], args[1], e, &n);
    for (unsigned k = 0; k < n; k++) {
        args[2 * k] = e[k].pte0;
        args[2 * k + 1] = e[k].pte1;
    }
    return rc;
}

int64_t papr_hcall_protect(PaprHpt *h, uint64_t *args)
{
    return papr_h_protect(h, args[0], args[1], args[2]);
}

int64_t papr_hcall_clear_ref(PaprHpt *h, uint64_t *args)
{
    uint64_t r = 0;
    int64_t rc = papr_h_clear_ref(h, args[0], args[1], &r);
    if (rc == H_SUCCESS)
        args[0] = r;
    return rc;
}

int64_t papr_hcall_clear_mod(PaprHpt *h, uint64_t *args)
{
    uint64_t r = 0;
    int64_t rc = papr_h_clear_mod(h, args[0], args[1], &r);
    if (rc == H_SUCCESS)
        args[0] = r;
    return rc;
}
