/* mmu/riscv_pt.c: the RISC-V virtual-address translation process (Volume II, 4.3.2),
 * for Sv39, Sv48 and Sv57. A and D are updated by the walker (the Svadu behaviour the
 * "hardware updating of A/D bits" option of 4.3.1 describes). Svpbmt and Svnapot are not
 * implemented, so PTEs with those bits set fault as reserved encodings. */
#include "mmu/riscv_pt.h"

#include "cpu/riscv/rv_defs.h"

static unsigned levels_for_mode(unsigned mode)
{
    switch (mode) {
    case SATP_MODE_SV39: return 3;
    case SATP_MODE_SV48: return 4;
    case SATP_MODE_SV57: return 5;
    default: return 0;
    }
}

/* Step 5 of 4.3.2: is the leaf PTE's permission enough for this access? */
static bool leaf_allows(uint64_t pte, const RvXlate *x)
{
    if (x->user ? !(pte & PTE_U) : ((pte & PTE_U) && (x->access == RV_PT_EXEC || !x->sum)))
        return false;
    switch (x->access) {
    case RV_PT_READ: return (pte & PTE_R) || (x->mxr && (pte & PTE_X));
    case RV_PT_WRITE: return (pte & PTE_W) != 0;
    default: return (pte & PTE_X) != 0;
    }
}

RvPtResult rv_pt_walk(const PtMem *mem, uint64_t satp, uint64_t va, const RvXlate *x,
                      RvPtWalk *out)
{
    unsigned mode = satp >> SATP_MODE_SHIFT;
    unsigned levels = levels_for_mode(mode);
    if (!levels) {
        *out = (RvPtWalk){ .pa = va };
        return RV_PT_OK;
    }
    /* The virtual address must be sign-extended from its top bit. */
    unsigned vabits = 12 + 9 * levels;
    if ((uint64_t)sext64(va, vabits) != va)
        return RV_PT_PAGE_FAULT;

    /* 1. a = satp.ppn * PAGESIZE, i = LEVELS - 1 */
    uint64_t a = (satp & SATP_PPN_MASK) << 12;
    for (int i = (int)levels - 1; i >= 0; i--) {
        /* 2. pte = mem[a + va.vpn[i] * PTESIZE] */
        uint64_t vpn = (va >> (12 + 9 * i)) & 0x1ff;
        uint64_t pte_addr = a + vpn * 8;
        uint8_t *p = mem->pte_ptr(mem->opaque, pte_addr);
        if (!p)
            return RV_PT_ACCESS_FAULT;
        uint64_t pte = ld_le(p, 8);
        /* 3. invalid, reserved W-without-R, or reserved high bits */
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte & (PTE_RESERVED_MASK | PTE_PBMT_MASK | PTE_N)))
            return RV_PT_PAGE_FAULT;
        /* 4. a pointer to the next level */
        if (!(pte & (PTE_R | PTE_X))) {
            if (pte & (PTE_A | PTE_D | PTE_U))
                return RV_PT_PAGE_FAULT;
            a = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
            continue;
        }
        /* 5. leaf: permission check */
        if (!leaf_allows(pte, x))
            return RV_PT_PAGE_FAULT;
        /* 6. misaligned superpage */
        uint64_t ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (i > 0 && (ppn & ((1ULL << (9 * i)) - 1)))
            return RV_PT_PAGE_FAULT;
        /* 7. A/D update */
        uint64_t want = PTE_A | (x->access == RV_PT_WRITE ? PTE_D : 0);
        if ((pte & want) != want) {
            pte |= want;
            st_le(p, 8, pte);
            if (mem->pte_written)
                mem->pte_written(mem->opaque, pte_addr);
        }
        /* 8. the physical address: superpages take low VPNs from va */
        uint64_t off_mask = (1ULL << (12 + 9 * i)) - 1;
        *out = (RvPtWalk){ .pa = ((ppn << 12) & ~off_mask) | (va & off_mask),
                           .level = (unsigned)i, .pte = pte, .pte_addr = pte_addr };
        return RV_PT_OK;
    }
    return RV_PT_PAGE_FAULT;
}
