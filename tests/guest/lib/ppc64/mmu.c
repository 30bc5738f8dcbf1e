/* tests/guest/lib/ppc64/mmu.c: relocation for pseries guest programs (Power ISA v3.0B
 * Book III-S chapter 5 "Storage Control": 5.7.6 "Segment Lookaside Buffer", 5.7.7
 * "Virtual to Real Translation" with the hashed page table search and its hash
 * functions, figure "Page Table Entry" in the ISA 2.07 layout; LoPAR "hcall-pft" for
 * H_ENTER). The guest never sees the HPT: it computes where an HPTE belongs (the PTEG of
 * the primary hash, masked by the table size the device tree gives in ibm,pft-size) and
 * asks the hypervisor to put it there. The LP encodings of the large pages come from
 * ibm,segment-page-sizes, as a kernel reads them. */
#include "guest_ppc64.h"

static const char *const cpu_nodes[] = { "/cpus/PowerPC,POWER8@0", "/cpus/PowerPC,POWER9@0" };

static const void *cpu_prop(const char *name, uint32_t *len)
{
    for (unsigned k = 0; k < ARRAY_SIZE(cpu_nodes); k++) {
        const void *p = fdt_getprop(guest_fdt, cpu_nodes[k], name, len);
        if (p)
            return p;
    }
    return NULL;
}

uint64_t hpt_pteg_mask(void)
{
    uint32_t len = 0;
    const uint8_t *p = cpu_prop("ibm,pft-size", &len);
    if (!p || len != 8)
        return 0;
    /* 2^pft bytes of 128-byte PTEGs. */
    return (1ULL << (fdt_be32(p + 4) - 7)) - 1;
}

int hpt_lp_enc(unsigned base_shift, unsigned page_shift)
{
    uint32_t len = 0;
    const uint8_t *p = cpu_prop("ibm,segment-page-sizes", &len);
    if (!p)
        return -1;
    /* { base shift, SLB enc, count, { page shift, LP enc } x count } ... */
    for (uint32_t off = 0; off + 12 <= len;) {
        uint32_t base = fdt_be32(p + off), n = fdt_be32(p + off + 8);
        off += 12;
        for (uint32_t k = 0; k < n && off + 8 <= len; k++, off += 8)
            if (base == base_shift && fdt_be32(p + off) == page_shift)
                return (int)fdt_be32(p + off + 4);
    }
    return -1;
}

uint64_t seg_vsid_word(const struct segment *s)
{
    uint64_t w = s->flags;
    if (s->shift == 40)
        w |= SLB_VSID_B_1T | (s->vsid << 24);
    else
        w |= s->vsid << 12;
    switch (s->base_shift) {
    case 16: w |= SLB_VSID_L | SLB_VSID_LP_01; break;
    case 24: w |= SLB_VSID_L; break;
    default: break;
    }
    return w;
}

void slb_install(unsigned index, const struct segment *s)
{
    uint64_t esid = s->ea & ~((1ULL << s->shift) - 1);
    __asm__ volatile("slbmte %0, %1; isync"
                     :
                     : "r"(seg_vsid_word(s)), "r"(esid | SLB_ESID_V | index)
                     : "memory");
}

void slb_remove(const struct segment *s)
{
    uint64_t rb = s->ea & ~((1ULL << s->shift) - 1);
    if (s->shift == 40)
        rb |= 1ULL << 25; /* slbie RB[37:38]: B = 0b01 */
    __asm__ volatile("slbie %0; isync" : : "r"(rb) : "memory");
}

/* Offset of ea in its segment. */
static uint64_t seg_offset(const struct segment *s, uint64_t ea)
{
    return ea & ((1ULL << s->shift) - 1);
}

uint64_t hpt_hash(const struct segment *s, uint64_t ea)
{
    uint64_t page = seg_offset(s, ea) >> s->base_shift;
    uint64_t h = s->shift == 40 ? s->vsid ^ (s->vsid << 25) ^ page : s->vsid ^ page;
    return h & 0x7fffffffffULL;
}

uint64_t hpt_group(const struct segment *s, uint64_t ea, bool secondary)
{
    uint64_t h = hpt_hash(s, ea);
    if (secondary)
        h = ~h;
    return (h & hpt_pteg_mask()) * 8;
}

uint64_t hpte_v(const struct segment *s, uint64_t ea, unsigned page_shift)
{
    /* AVA = VA[0:54]: the VSID and the segment offset above 2^23; bits inside a page
     * larger than 8 MiB are left 0. */
    uint64_t ava = (s->vsid << (s->shift - 23)) | (seg_offset(s, ea) >> 23);
    if (page_shift > 23)
        ava &= ~((1ULL << (page_shift - 23)) - 1);
    uint64_t v = (ava << 7) & HPTE_V_AVPN;
    if (s->shift == 40)
        v |= HPTE_V_1TB;
    if (page_shift != 12)
        v |= HPTE_V_LARGE;
    return v;
}

uint64_t hpte_r(const struct segment *s, uint64_t ra, unsigned page_shift, uint64_t flags)
{
    uint64_t r = (ra & ~((1ULL << page_shift) - 1) & HPTE_R_RPN) | flags;
    if (page_shift != 12) {
        int lp = hpt_lp_enc(s->base_shift, page_shift);
        unsigned bits = page_shift - 12 < 8 ? page_shift - 12 : 8;
        r |= ((uint64_t)(lp < 0 ? 0 : lp) & ((1ULL << bits) - 1)) << 12;
    }
    return r;
}

int64_t hpt_map(const struct segment *s, uint64_t ea, uint64_t ra, unsigned page_shift,
                uint64_t v_flags, uint64_t r_flags, uint64_t *ptex)
{
    uint64_t out[9];
    int64_t rc = hcall(H_ENTER, out, 4, (uint64_t)0, hpt_group(s, ea, false),
                       hpte_v(s, ea, page_shift) | v_flags, hpte_r(s, ra, page_shift, r_flags));
    if (rc == H_SUCCESS && ptex)
        *ptex = out[0];
    return rc;
}

const struct segment identity_seg = {
    .ea = 0, .shift = 40, .vsid = IDENTITY_VSID, .base_shift = 24, .flags = SLB_VSID_KP,
};

uint64_t guest_ram_size(void)
{
    uint32_t len = 0;
    const uint8_t *reg = fdt_getprop(guest_fdt, "/memory@0", "reg", &len);
    return reg && len >= 16 ? fdt_be64(reg + 8) : 0;
}

static bool identity_done;

bool mmu_identity_map(void)
{
    if (identity_done)
        return true;
    uint64_t ram = guest_ram_size();
    if (!ram || !hpt_pteg_mask())
        return false;
    for (uint64_t a = 0; a < ram; a += 1ULL << 24)
        if (hpt_map(&identity_seg, a, a, 24, HPTE_V_BOLTED, HPTE_R_M | HPTE_PP_RW, NULL) !=
            H_SUCCESS)
            return false;
    slb_install(0, &identity_seg);
    identity_done = true;
    return true;
}

void mmu_on(void)
{
    mtmsrd(mfmsr() | MSR_IR | MSR_DR);
}

void mmu_off(void)
{
    mtmsrd(mfmsr() & ~(MSR_IR | MSR_DR));
}
