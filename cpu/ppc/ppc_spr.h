/* cpu/ppc/ppc_spr.h: the Special Purpose Registers mfspr and mtspr reach, as one table
 * (Power ISA v3.0B Book I 3.3.17 and Book III-S 4.4.4 "Move To/From System Register
 * Instructions", figure "SPR encodings"). Each row gives the number, the name, the
 * categories a model needs for it, the least privileged state that may read and write it,
 * and where the value lives; the access rules for numbers a model lacks live in
 * ppc_spr.c. */
#ifndef HVEMU_PPC_SPR_H
#define HVEMU_PPC_SPR_H

#include "cpu/ppc/ppc_cpu.h"

/* Privilege states, least privileged first (Book III-S 2.2: MSR[HV PR]). */
typedef enum PpcPriv {
    PPC_PRIV_USER,  /* problem state: MSR[PR] = 1 */
    PPC_PRIV_SUPER, /* privileged non-hypervisor state: MSR[HV PR] = 0b00 */
    PPC_PRIV_HYP,   /* hypervisor state: MSR[HV PR] = 0b10 */
    PPC_PRIV_NONE,  /* the SPR number has no such operation */
} PpcPriv;

typedef struct PpcSpr PpcSpr;

struct PpcSpr {
    uint16_t num;
    const char *name;
    uint32_t categories; /* PPC_CAT_* the model must have */
    uint32_t removed_in; /* PPC_CAT_* in which the SPR no longer exists (SDR1 in 3.0) */
    uint8_t read_priv, write_priv; /* PpcPriv */
    bool end;            /* a write changes translation or facilities: the block ends */
    /* Book III-E E.HV: in guest state (MSR[GS] = 1) the access goes to this SPR instead
     * (SRR0 -> GSRR0, SPRG0 -> GSPRG0, ...), with the guest's privilege; 0: none. */
    uint16_t gs_alias;
    /* A plain register: a field of PpcCpu of fsize bytes (4 or 8) and the bits mtspr may
     * change; or else the functions below. */
    uint16_t off, fsize;
    uint64_t wmask;
    uint64_t (*read)(PpcCpu *c, const PpcSpr *s);
    void (*write)(PpcCpu *c, const PpcSpr *s, uint64_t v);
    /* Conditions beyond privilege (the PMU's MMCR0[PMCC]): PPC_NEXT allows the access,
     * anything else is the interrupt it raised. */
    PpcStatus (*check)(PpcCpu *c, const PpcSpr *s, bool write);
};

extern const PpcSpr ppc_spr_table[];
extern const unsigned ppc_spr_count;
/* The Book III-E rows (booke/booke_spr.c), sorted by number like ppc_spr_table. */
extern const PpcSpr ppc_spr_table_booke[];
extern const unsigned ppc_spr_count_booke;

/* The row for SPR `num` on model m, or NULL when the model has no such SPR. */
const PpcSpr *ppc_spr_lookup(const PpcModel *m, unsigned num);

/* The current privilege state. */
PpcPriv ppc_priv(const PpcCpu *c);

/* mfspr/mtspr of any SPR number, with the Book III-S 4.4.4 rules for numbers that are
 * not defined or not accessible: *rt is written only when the move happens. mtspr returns
 * PPC_END when the SPR changes translation or facilities. */
PpcStatus ppc_spr_mfspr(PpcCpu *c, unsigned num, uint64_t *rt);
PpcStatus ppc_spr_mtspr(PpcCpu *c, unsigned num, uint64_t val);

#endif
