/* mmu/ppc_hash64.c: Book3S-64 segment and hashed page table translation (Power ISA 2.07B
 * and 3.0B, Book III, chapter 5 "Storage Control": "Virtual Address Generation" and the
 * SLB, "Virtual to Real Translation" with the hashed page table search and multiple page
 * size segments, "Reference and Change Recording", "Storage Protection" with the basic PP
 * scheme and virtual page class keys). hash64_translate follows the order of the spec text;
 * its numbered steps carry the spec's terms. The walker sets R on every translated access
 * and C on every translated store, as the hardware does; it sets neither on a fault. */
#include "mmu/ppc_hash64.h"

#include <inttypes.h>
#include <stdio.h>

#define AVA_BITS 55
#define AVA_MASK ((1ULL << AVA_BITS) - 1)
#define HASH_MASK 0x7FFFFFFFFFULL /* the hash value is 39 bits */

static const Hash64SegPageSize sps_p8p9[] = {
    { .shift = 12, .slb_enc = 0, .enc = { { 12, 0x0 }, { 16, 0x7 }, { 24, 0x38 } } },
    { .shift = 16, .slb_enc = SLB_VSID_L | 0x10, .enc = { { 16, 0x1 }, { 24, 0x8 } } },
    { .shift = 24, .slb_enc = SLB_VSID_L, .enc = { { 24, 0x0 } } },
};

const Hash64PageSizes hash64_page_sizes_p8p9 = { .sps = sps_p8p9, .n = ARRAY_SIZE(sps_p8p9) };

/* The PP column of the storage protection table: what pp0||pp1||pp2 grants with key 0
 * (Ks or Kp clear) and with key 1. Unlisted encodings are reserved and grant nothing. */
#define R_X (HASH64_PROT_READ | HASH64_PROT_EXEC)
#define RWX (HASH64_PROT_READ | HASH64_PROT_WRITE | HASH64_PROT_EXEC)
static const uint8_t pp_table[2][8] = {
    [0] = { [0] = RWX, [1] = RWX, [2] = RWX, [3] = R_X, [6] = R_X },
    [1] = { [1] = R_X, [2] = RWX, [3] = R_X },
};

unsigned hash64_slbe_segment_shift(const Hash64Slbe *e)
{
    switch (e->vsid & SLB_VSID_B) {
    case SLB_VSID_B_256M: return 28;
    case SLB_VSID_B_1T: return 40;
    default: return 0;
    }
}

uint64_t hash64_slbe_vsid(const Hash64Slbe *e)
{
    if ((e->vsid & SLB_VSID_B) == SLB_VSID_B_1T)
        return bits64(e->vsid, SLB_VSID_SHIFT_1T, 38);
    return bits64(e->vsid, SLB_VSID_SHIFT, 50);
}

const Hash64SegPageSize *hash64_slbe_page_size(const Hash64PageSizes *ps, const Hash64Slbe *e)
{
    for (unsigned k = 0; k < ps->n; k++)
        if ((e->vsid & SLB_VSID_LLP) == ps->sps[k].slb_enc)
            return &ps->sps[k];
    return NULL;
}

const Hash64Slbe *hash64_slb_lookup(const Hash64Slbe *slb, unsigned n, uint64_t ea,
                                    unsigned *index)
{
    for (unsigned k = 0; k < n; k++) {
        const Hash64Slbe *e = &slb[k];
        unsigned s = hash64_slbe_segment_shift(e);
        if (!(e->esid & SLB_ESID_V) || !s)
            continue;
        if ((e->esid >> s) == (ea >> s)) {
            if (index)
                *index = k;
            return e;
        }
    }
    return NULL;
}

uint64_t hash64_ava(uint64_t vsid, unsigned segment_shift, uint64_t ea)
{
    uint64_t offset = ea & ((1ULL << segment_shift) - 1);
    return ((vsid << (segment_shift - 23)) | (offset >> 23)) & AVA_MASK;
}

uint64_t hash64_hash(uint64_t vsid, unsigned segment_shift, unsigned base_shift, uint64_t ea)
{
    /* 256 MB: VA[11:49] xor (0 || page index). 1 TB: (VA[24:37] || 0^25) xor
     * (0 || VA[0:37]) xor (0 || page index). The page index is the EA's offset in the
     * segment over the base page size. */
    uint64_t page_index = (ea & ((1ULL << segment_shift) - 1)) >> base_shift;
    uint64_t h = segment_shift == 28 ? vsid ^ page_index : vsid ^ (vsid << 25) ^ page_index;
    return h & HASH_MASK;
}

bool hash64_htab_decode(uint64_t sdr1, Hash64Htab *out)
{
    unsigned size = (unsigned)(sdr1 & SDR1_HTABSIZE);
    if (size > HASH64_HTABSIZE_MAX)
        return false;
    /* HTABORG must be aligned to the table size; bits below it are ignored. */
    uint64_t bytes = 1ULL << (18 + size);
    *out = (Hash64Htab){ .htaborg = sdr1 & SDR1_HTABORG & ~(bytes - 1), .htabsize = size };
    return true;
}

uint64_t hash64_htab_pteg_mask(const Hash64Htab *h)
{
    return (1ULL << (11 + h->htabsize)) - 1;
}

uint64_t hash64_htab_pteg_addr(const Hash64Htab *h, uint64_t hash)
{
    return h->htaborg + ((hash & hash64_htab_pteg_mask(h)) * HASH64_PTEG_SIZE);
}

void hash64_hpte_from_isa300(uint64_t *pte0, uint64_t *pte1)
{
    uint64_t b = (*pte1 & HPTE64_R_3_0_SSIZE) >> HPTE64_R_3_0_SSIZE_SHIFT;
    *pte0 = (*pte0 & HPTE64_V_3_0_COMMON) | (b << HPTE64_V_SSIZE_SHIFT);
    *pte1 &= ~HPTE64_R_3_0_SSIZE;
}

void hash64_hpte_to_isa300(uint64_t *pte0, uint64_t *pte1)
{
    uint64_t b = *pte0 >> HPTE64_V_SSIZE_SHIFT;
    *pte1 = (*pte1 & ~HPTE64_R_3_0_SSIZE) | (b << HPTE64_R_3_0_SSIZE_SHIFT);
    *pte0 &= HPTE64_V_3_0_COMMON;
}

unsigned hash64_hpte_page_shift(const Hash64SegPageSize *sps, uint64_t pte0, uint64_t pte1)
{
    bool large = (pte0 & HPTE64_V_LARGE) != 0;
    for (unsigned k = 0; k < HASH64_MAX_ENC && sps->enc[k].shift; k++) {
        const Hash64PageEnc *e = &sps->enc[k];
        if (e->shift == 12) {
            if (!large)
                return 12;
            continue;
        }
        if (!large)
            continue;
        /* LP lives in the RPN bits below the actual page, at most 8 of them. */
        unsigned lp_bits = MIN(e->shift - 12u, 8u);
        if (bits64(pte1, HPTE64_R_RPN_SHIFT, lp_bits) == e->pte_enc)
            return e->shift;
    }
    return 0;
}

unsigned hash64_hpte_page_shift_noslb(const Hash64PageSizes *ps, uint64_t pte0, uint64_t pte1,
                                      unsigned *base_shift)
{
    for (unsigned k = 0; k < ps->n; k++) {
        unsigned p = hash64_hpte_page_shift(&ps->sps[k], pte0, pte1);
        if (p) {
            if (base_shift)
                *base_shift = ps->sps[k].shift;
            return p;
        }
    }
    return 0;
}

unsigned hash64_hpte_key(uint64_t pte1)
{
    return (unsigned)(bits64(pte1, 60, 2) << 3 | bits64(pte1, 9, 3));
}

unsigned hash64_pp_prot(unsigned key, uint64_t pte1)
{
    unsigned pp = (unsigned)((pte1 & HPTE64_R_PP0) >> 61 | (pte1 & HPTE64_R_PP));
    return pp_table[key & 1][pp];
}

/* Virtual page class key protection: AMR bits 2n (store) and 2n+1 (load), IAMR bit 2n+1
 * (instruction fetch) for key n, bit 0 being the most significant. */
static unsigned key_prot(const Hash64Xlate *x, unsigned key)
{
    if (!x->check_keys)
        return RWX;
    unsigned amr = (unsigned)bits64(x->amr, 62 - 2 * key, 2);
    unsigned iamr = (unsigned)bits64(x->iamr, 62 - 2 * key, 2);
    unsigned prot = RWX;
    if (amr & 2)
        prot &= ~HASH64_PROT_WRITE;
    if (amr & 1)
        prot &= ~HASH64_PROT_READ;
    if (iamr & 1)
        prot &= ~HASH64_PROT_EXEC;
    return prot;
}

static void trace(const Hash64Xlate *x, Hash64Step s)
{
    if (x->trace)
        x->trace(x->trace_opaque, &s);
}

/* What the search compares an HPTE against. */
typedef struct Segment {
    uint64_t b;       /* SLB B, for the HPTE's B */
    uint64_t ava;     /* VA[0:54] */
    const Hash64SegPageSize *sps;
} Segment;

/* Why HPTE (pte0, pte1) does not translate the access, or NULL with *shift set to the
 * actual page size. The AVA bits that fall inside an actual page larger than 2^23 bytes
 * are not compared. */
static const char *hpte_mismatch(const Segment *seg, uint64_t pte0, uint64_t pte1,
                                 bool secondary, unsigned *shift)
{
    if (!(pte0 & HPTE64_V_VALID))
        return "not valid";
    if (((pte0 & HPTE64_V_SECONDARY) != 0) != secondary)
        return "H differs";
    if ((pte0 >> HPTE64_V_SSIZE_SHIFT) != seg->b)
        return "B differs";
    unsigned p = hash64_hpte_page_shift(seg->sps, pte0, pte1);
    if (!p)
        return "L/LP: no page size of this segment";
    uint64_t mask = AVA_MASK;
    if (p > 23)
        mask &= ~((1ULL << (p - 23)) - 1);
    if ((((pte0 & HPTE64_V_AVPN) >> HPTE64_V_AVPN_SHIFT) ^ seg->ava) & mask)
        return "AVA differs";
    *shift = p;
    return NULL;
}

/* Search the 8 HPTEs of one PTEG. 1: found (*ptex, *hpte, *shift); 0: not there; -1: the
 * ops failed. */
static int search_pteg(const Hash64Mmu *m, const Segment *seg, uint64_t pteg, bool secondary,
                       const Hash64Xlate *x, uint64_t ea, uint64_t *ptex, Hash64Hpte *hpte,
                       unsigned *shift)
{
    Hash64Hpte g[HPTES_PER_GROUP];
    uint64_t base = pteg * HPTES_PER_GROUP;
    if (!m->ops->read_hptes(m->ops->opaque, base, HPTES_PER_GROUP, g))
        return -1;
    for (unsigned k = 0; k < HPTES_PER_GROUP; k++) {
        uint64_t v = g[k].pte0, r = g[k].pte1;
        if (m->hpte_isa300)
            hash64_hpte_from_isa300(&v, &r);
        const char *why = hpte_mismatch(seg, v, r, secondary, shift);
        trace(x, (Hash64Step){ .kind = HASH64_STEP_HPTE, .ea = ea, .index = k,
                               .secondary = secondary, .ptex = base + k, .pte0 = v,
                               .pte1 = r, .why = why });
        if (!why) {
            *ptex = base + k;
            *hpte = (Hash64Hpte){ v, r };
            return 1;
        }
    }
    return 0;
}

static Hash64Status fault(const Hash64Xlate *x, uint64_t ea, Hash64Status st, uint32_t bits,
                          const char *why, Hash64Result *out)
{
    out->fault_bits = bits;
    trace(x, (Hash64Step){ .kind = HASH64_STEP_FAULT, .ea = ea, .word = bits, .why = why });
    return st;
}

Hash64Status hash64_translate(const Hash64Mmu *m, uint64_t ea, const Hash64Xlate *x,
                              Hash64Result *out)
{
    const Hash64PageSizes *ps = m->page_sizes ? m->page_sizes : &hash64_page_sizes_p8p9;
    bool ifetch = x->access == HASH64_IFETCH, store = x->access == HASH64_STORE;
    uint32_t nopte = ifetch ? SRR1_ISI_NOPTE : DSISR_NOPTE | (store ? DSISR_ISSTORE : 0);
    *out = (Hash64Result){ 0 };

    /* 1. SLB search: the valid entry whose ESID matches EA[0:63-s], s being its
     *    segment size. None: a Data or Instruction Segment interrupt. */
    unsigned idx = 0;
    const Hash64Slbe *e = hash64_slb_lookup(m->slb, m->slb_entries, ea, &idx);
    if (!e) {
        trace(x, (Hash64Step){ .kind = HASH64_STEP_SLB_MISS, .ea = ea });
        return fault(x, ea, HASH64_SEGMENT_FAULT, 0, "segment fault", out);
    }
    trace(x, (Hash64Step){ .kind = HASH64_STEP_SLB_HIT, .ea = ea, .index = idx,
                           .word = e->vsid });
    out->slb_index = idx;

    /* 2. An instruction fetch from a no-execute segment (SLBE[N]=1) is an ISI. */
    if (ifetch && (e->vsid & SLB_VSID_N))
        return fault(x, ea, HASH64_PAGE_FAULT, SRR1_ISI_N_G, "no-execute segment", out);

    /* 3. Virtual address: VA = VSID || EA[64-s:63]; the base page size b comes from
     *    SLBE[L||LP]. */
    unsigned s = hash64_slbe_segment_shift(e);
    const Hash64SegPageSize *sps = hash64_slbe_page_size(ps, e);
    if (!sps)
        return fault(x, ea, HASH64_PAGE_FAULT, nopte, "SLB L||LP gives no page size", out);
    uint64_t vsid = hash64_slbe_vsid(e);
    Segment seg = { .b = (e->vsid & SLB_VSID_B) >> SLB_VSID_SSIZE_SHIFT,
                    .ava = hash64_ava(vsid, s, ea), .sps = sps };
    out->vsid = vsid;
    out->base_shift = sps->shift;
    trace(x, (Hash64Step){ .kind = HASH64_STEP_VA, .ea = ea, .vsid = vsid, .shift = s,
                           .base_shift = sps->shift, .word = seg.ava });

    /* 4. Primary hash and PTEG: PTEG index = hash & (number of PTEGs - 1). Search its
     *    8 HPTEs for V=1, H=0, B = SLBE[B], AVA = VA[0:54] and an actual page size the
     *    segment allows. 5. If none matches, the secondary hash (one's complement) and
     *    H=1. */
    uint64_t mask = m->ops->pteg_mask(m->ops->opaque);
    uint64_t hash = hash64_hash(vsid, s, sps->shift, ea);
    uint64_t ptex = 0;
    Hash64Hpte hpte = { 0, 0 };
    unsigned shift = 0;
    int found = 0;
    for (int secondary = 0; secondary <= 1 && !found; secondary++) {
        uint64_t h = secondary ? ~hash & HASH_MASK : hash;
        trace(x, (Hash64Step){ .kind = HASH64_STEP_HASH, .ea = ea, .secondary = secondary,
                               .hash = h, .pteg = h & mask });
        found = search_pteg(m, &seg, h & mask, secondary, x, ea, &ptex, &hpte, &shift);
        if (found < 0)
            return fault(x, ea, HASH64_HPT_ERROR, 0, "HPT not readable", out);
    }

    /* 6. No HPTE: a DSI or ISI reporting "no translation". */
    if (!found)
        return fault(x, ea, HASH64_PAGE_FAULT, nopte, "no HPTE", out);

    /* 7. Real address: RPN with the low bits of the actual page from the EA. */
    uint64_t off_mask = (1ULL << shift) - 1;
    uint64_t ra = ((hpte.pte1 & HPTE64_R_RPN) & ~off_mask) | (ea & off_mask);
    trace(x, (Hash64Step){ .kind = HASH64_STEP_MATCH, .ea = ea, .ptex = ptex, .shift = shift,
                           .ra = ra });

    /* 8. Storage protection: PP under key Ks (privileged) or Kp (problem state); no
     *    fetch from an N=1 or G=1 page; AMR/IAMR for the HPTE's class key. */
    unsigned key = (e->vsid & (x->pr ? SLB_VSID_KP : SLB_VSID_KS)) ? 1 : 0;
    unsigned pp_prot = hash64_pp_prot(key, hpte.pte1);
    unsigned class_key = hash64_hpte_key(hpte.pte1);
    unsigned kprot = key_prot(x, class_key);
    bool n_or_g = (hpte.pte1 & (HPTE64_R_N | HPTE64_R_G)) != 0;
    unsigned prot = pp_prot & kprot;
    if (n_or_g || (e->vsid & SLB_VSID_N))
        prot &= ~HASH64_PROT_EXEC; /* a load in a no-execute segment grants no fetch */
    trace(x, (Hash64Step){ .kind = HASH64_STEP_PROT, .ea = ea, .word = key,
                           .index = (unsigned)((hpte.pte1 & HPTE64_R_PP0) >> 61 |
                                               (hpte.pte1 & HPTE64_R_PP)),
                           .prot = prot, .ptex = ptex });
    *out = (Hash64Result){ .ra = ra, .page_shift = shift, .base_shift = sps->shift,
                           .prot = prot, .key = class_key, .slb_index = idx, .vsid = vsid,
                           .ptex = ptex, .pte0 = hpte.pte0, .pte1 = hpte.pte1 };
    unsigned need = ifetch ? HASH64_PROT_EXEC : store ? HASH64_PROT_WRITE : HASH64_PROT_READ;
    if (!(prot & need)) {
        uint32_t bits = 0;
        if (ifetch) {
            if (n_or_g)
                bits |= SRR1_ISI_N_G;
            if (!(pp_prot & need))
                bits |= SRR1_ISI_PROTFAULT;
            if (!(kprot & need))
                bits |= SRR1_ISI_KEYFAULT;
        } else {
            if (!(pp_prot & need))
                bits |= DSISR_PROTFAULT;
            if (!(kprot & need))
                bits |= DSISR_KEYFAULT;
            if (store)
                bits |= DSISR_ISSTORE;
        }
        return fault(x, ea, HASH64_PAGE_FAULT, bits, "storage protection", out);
    }

    /* 9. Reference and change recording: R on every access, C on a store. */
    uint64_t rc = HPTE64_R_R | (store ? HPTE64_R_C : 0);
    if ((hpte.pte1 & rc) != rc && !x->probe) {
        Hash64Hpte raw;
        if (!m->ops->read_hptes(m->ops->opaque, ptex, 1, &raw))
            return fault(x, ea, HASH64_HPT_ERROR, 0, "HPT not readable", out);
        m->ops->store_hpte_rc(m->ops->opaque, ptex, raw.pte1 | rc);
        out->pte1 = hpte.pte1 | rc;
        trace(x, (Hash64Step){ .kind = HASH64_STEP_RC, .ea = ea, .ptex = ptex,
                               .pte1 = raw.pte1 | rc });
    }
    out->tlb_prot = (out->pte1 & HPTE64_R_C) ? prot : prot & ~HASH64_PROT_WRITE;
    return HASH64_OK;
}

static const char *size_name(unsigned shift)
{
    switch (shift) {
    case 12: return "4K";
    case 16: return "64K";
    case 24: return "16M";
    case 28: return "256M";
    case 34: return "16G";
    case 40: return "1T";
    default: return "?";
    }
}

int hash64_step_format(const Hash64Step *s, char *buf, size_t len)
{
    switch (s->kind) {
    case HASH64_STEP_SLB_MISS:
        return snprintf(buf, len, "EA 0x%016" PRIx64 ": no valid SLB entry", s->ea);
    case HASH64_STEP_SLB_HIT:
        return snprintf(buf, len,
                        "EA 0x%016" PRIx64 ": SLB entry %u, VSID word 0x%016" PRIx64
                        " (Ks=%d Kp=%d N=%d L||LP=0x%x)",
                        s->ea, s->index, s->word, !!(s->word & SLB_VSID_KS),
                        !!(s->word & SLB_VSID_KP), !!(s->word & SLB_VSID_N),
                        (unsigned)((s->word & SLB_VSID_LLP) >> 4));
    case HASH64_STEP_VA:
        return snprintf(buf, len,
                        "  VSID 0x%" PRIx64 ", %s segment, base page %s, AVA 0x%" PRIx64,
                        s->vsid, size_name(s->shift), size_name(s->base_shift), s->word);
    case HASH64_STEP_HASH:
        return snprintf(buf, len, "  %s hash 0x%010" PRIx64 " -> PTEG 0x%" PRIx64
                        " at HTABORG + 0x%" PRIx64 " (HPTE index 0x%" PRIx64 ", H=%d)",
                        s->secondary ? "secondary" : "primary", s->hash, s->pteg,
                        s->pteg * HPTES_PER_GROUP * 16, s->pteg * HPTES_PER_GROUP,
                        s->secondary ? 1 : 0);
    case HASH64_STEP_HPTE:
        return snprintf(buf, len,
                        "    HPTE 0x%" PRIx64 " [slot %u] %016" PRIx64 " %016" PRIx64 ": %s",
                        s->ptex, s->index, s->pte0, s->pte1, s->why ? s->why : "match");
    case HASH64_STEP_MATCH:
        return snprintf(buf, len, "  HPTE 0x%" PRIx64 ": %s page, RA 0x%016" PRIx64, s->ptex,
                        size_name(s->shift), s->ra);
    case HASH64_STEP_PROT:
        return snprintf(buf, len, "  key %u, PP %u%u%u: %c%c%c", (unsigned)s->word,
                        (s->index >> 2) & 1, (s->index >> 1) & 1, s->index & 1,
                        (s->prot & HASH64_PROT_READ) ? 'r' : '-',
                        (s->prot & HASH64_PROT_WRITE) ? 'w' : '-',
                        (s->prot & HASH64_PROT_EXEC) ? 'x' : '-');
    case HASH64_STEP_RC:
        return snprintf(buf, len, "  R/C: HPTE 0x%" PRIx64 " dword 1 := %016" PRIx64, s->ptex,
                        s->pte1);
    case HASH64_STEP_FAULT:
        return snprintf(buf, len, "  fault: %s (0x%08" PRIx64 ")", s->why, s->word);
    }
    return snprintf(buf, len, "?");
}

typedef struct ExplainSink {
    void (*line)(void *opaque, const char *text);
    void *opaque;
} ExplainSink;

static void explain_step(void *opaque, const Hash64Step *s)
{
    ExplainSink *sink = opaque;
    char text[192];
    hash64_step_format(s, text, sizeof(text));
    sink->line(sink->opaque, text);
}

Hash64Status hash64_explain(const Hash64Mmu *m, uint64_t ea, const Hash64Xlate *x,
                            void (*line)(void *opaque, const char *text), void *opaque,
                            Hash64Result *out)
{
    ExplainSink sink = { line, opaque };
    Hash64Xlate probe = *x;
    probe.probe = true;
    probe.trace = explain_step;
    probe.trace_opaque = &sink;
    return hash64_translate(m, ea, &probe, out);
}
