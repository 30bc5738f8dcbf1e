/* cpu/ppc/booke/booke_spr.c: the SPRs of the e500mc model (Power ISA v2.06B Book III-E
 * 4.4.4 "Move To/From System Register Instructions" with its SPR table, the E.HV guest
 * registers and guest-state aliases of Book III-E chapter 7; e500mc Reference Manual
 * 2.x "Register Model"). One const row per number, sorted; ppc_spr.c looks here first
 * for a Book III-E model and falls back to the shared table for the Book I registers
 * (XER, LR, CTR, TB, PVR). Privilege: USR and SUP as in Book III-S; HYP is hypervisor
 * state (MSR[GS] = 0): a guest's access is the embedded hypervisor privilege interrupt. In
 * guest state the rows with a gs_alias reach the guest copy (SRR0 -> GSRR0, ...). The MMU
 * configuration registers are the hypervisor's too: KVM answers a guest's MMUCFG read
 * without LPIDSIZE, so the guest does not take itself for a hypervisor. */
#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_spr_table.h"

/* A plain register with only some bits writable. */
#define W32M(f, m) .off = offsetof(PpcCpu, f), .fsize = 8, .wmask = (m)
#define F32M(f, m) .off = offsetof(PpcCpu, f), .fsize = 4, .wmask = (m)

#define E PPC_CAT_E
#define EHV (PPC_CAT_E | PPC_CAT_EHV)

/* L1CFG0/1 of e500mc: 32 KiB, 8 ways, 64-byte blocks, pseudo-LRU, line locking and
 * parity (CBSIZE bits 7:8 = 1, CREPL 9:10 = 2, CLA, CPA, CNWAY 13:20 = 7, CSIZE = 32). */
#define E500MC_L1CFG 0x00d83820u

static uint64_t dec_read(PpcCpu *c, const PpcSpr *s)
{
    return booke_dec_read(c);
}

static void dec_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    booke_dec_write(c, (uint32_t)v);
}

static void decar_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->decar = (uint32_t)v;
}

/* TSR: writing 1 clears a bit (8.5). */
static void tsr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->tsr &= ~(uint32_t)v;
    booke_timers_update(c);
}

static void tcr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    /* WRC can only be set once (8.5: it stays until reset). */
    uint32_t wrc = c->tcr & TCR_WRC;
    c->tcr = ((uint32_t)v & ~TCR_WRC) | (wrc ? wrc : ((uint32_t)v & TCR_WRC));
    booke_tcr_written(c);
}

/* TBL/TBU writes (hypervisor): move the time base by changing its offset. */
static void tbl_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    uint64_t tb = ppc_timebase(c);
    c->tb_offset += ((tb & ~0xffffffffULL) | (uint32_t)v) - tb;
    booke_timers_update(c);
}

static void tbu_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    uint64_t tb = ppc_timebase(c);
    c->tb_offset += (((uint64_t)(uint32_t)v << 32) | (uint32_t)tb) - tb;
    booke_timers_update(c);
}

/* Registers that change translation: PID, LPIDR, the TLB flash invalidations. */
static void pid_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->pid = (uint32_t)v & 0xff;
    booke_tlb_changed(c);
}

static void lpidr_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->lpidr = (uint32_t)v & 0x3f;
    booke_tlb_changed(c);
}

static uint64_t zero_read(PpcCpu *c, const PpcSpr *s)
{
    return 0;
}

static void mmucsr0_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    if (booke_mmucsr0(&c->btlb, (uint32_t)v))
        booke_tlb_changed(c);
}

static uint64_t mmucfg_read(PpcCpu *c, const PpcSpr *s) { return booke_mmucfg(); }
static uint64_t tlb0cfg_read(PpcCpu *c, const PpcSpr *s) { return booke_tlbcfg(0); }
static uint64_t tlb1cfg_read(PpcCpu *c, const PpcSpr *s) { return booke_tlbcfg(1); }
static uint64_t l1cfg_read(PpcCpu *c, const PpcSpr *s) { return E500MC_L1CFG; }

/* L1CSR0/1: flash invalidate and lock flash clear complete at once (the bits read 0). */
static void l1csr0_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->l1csr[0] = (uint32_t)v & ~0x00000502u;
}

static void l1csr1_write(PpcCpu *c, const PpcSpr *s, uint64_t v)
{
    c->l1csr[1] = (uint32_t)v & ~0x00000102u;
}

/* IVORn: bits 48:59 (the low four bits read 0). */
#define IVOR(n, num) SPR(num, "IVOR" #n, E, HYP, HYP, F32M(ivor[n], 0xfff0))
#define GIVOR(n, num) SPR(num, "GIVOR" #n, EHV, HYP, HYP, F32M(givor[n], 0xfff0))

const PpcSpr ppc_spr_table_booke[] = {
    SPR(22, "DEC", E, HYP, HYP, .read = dec_read, .write = dec_write),
    SPR(26, "SRR0", E, SUP, SUP, W32(srr0), .gs_alias = 378),
    SPR(27, "SRR1", E, SUP, SUP, W32(srr1), .gs_alias = 379),
    SPR(48, "PID", E, SUP, SUP, F32(pid), .write = pid_write, .end = true),
    SPR(54, "DECAR", E, NON, HYP, .write = decar_write),
    SPR(58, "CSRR0", E, HYP, HYP, W32(csrr0)),
    SPR(59, "CSRR1", E, HYP, HYP, W32(csrr1)),
    SPR(61, "DEAR", E, SUP, SUP, W32(dear), .gs_alias = 381),
    SPR(62, "ESR", E, SUP, SUP, F32(esr), .gs_alias = 383),
    SPR(63, "IVPR", E, HYP, HYP, W32M(ivpr, 0xffff0000ULL)),
    SPR(256, "USPRG0", E, USR, USR, W32(sprg_e[0])),
    SPR(259, "SPRG3", E, USR, NON, W32(sprg[3]), .gs_alias = 371),
    SPR(260, "SPRG4", E, USR, NON, W32(sprg_e[4])),
    SPR(261, "SPRG5", E, USR, NON, W32(sprg_e[5])),
    SPR(262, "SPRG6", E, USR, NON, W32(sprg_e[6])),
    SPR(263, "SPRG7", E, USR, NON, W32(sprg_e[7])),
    SPR(272, "SPRG0", E, SUP, SUP, W32(sprg[0]), .gs_alias = 368),
    SPR(273, "SPRG1", E, SUP, SUP, W32(sprg[1]), .gs_alias = 369),
    SPR(274, "SPRG2", E, SUP, SUP, W32(sprg[2]), .gs_alias = 370),
    SPR(275, "SPRG3", E, SUP, SUP, W32(sprg[3]), .gs_alias = 371),
    SPR(276, "SPRG4", E, SUP, SUP, W32(sprg_e[4])),
    SPR(277, "SPRG5", E, SUP, SUP, W32(sprg_e[5])),
    SPR(278, "SPRG6", E, SUP, SUP, W32(sprg_e[6])),
    SPR(279, "SPRG7", E, SUP, SUP, W32(sprg_e[7])),
    SPR(284, "TBL", E, NON, HYP, .write = tbl_write),
    SPR(285, "TBU", E, NON, HYP, .write = tbu_write),
    SPR(286, "PIR", E, SUP, NON, W32(pir), .gs_alias = 382),
    SPR(304, "DBSR", E, HYP, HYP, F32(dbsr)),
    SPR(307, "EPCR", EHV, HYP, HYP, F32M(epcr, 0xffc00000ULL), .end = true),
    SPR(308, "DBCR0", E, HYP, HYP, F32(dbcr[0])),
    SPR(309, "DBCR1", E, HYP, HYP, F32(dbcr[1])),
    SPR(310, "DBCR2", E, HYP, HYP, F32(dbcr[2])),
    SPR(311, "MSRP", EHV, HYP, HYP, F32M(msrp, 0x04000204ULL)),
    SPR(312, "IAC1", E, HYP, HYP, W32(iac[0])),
    SPR(313, "IAC2", E, HYP, HYP, W32(iac[1])),
    SPR(316, "DAC1", E, HYP, HYP, W32(dac[0])),
    SPR(317, "DAC2", E, HYP, HYP, W32(dac[1])),
    SPR(336, "TSR", E, HYP, HYP, F32(tsr), .write = tsr_write, .end = true),
    SPR(338, "LPIDR", EHV, HYP, HYP, W32(lpidr), .write = lpidr_write, .end = true),
    SPR(339, "MAS5", EHV, HYP, HYP, F32M(mas.mas5, MAS5_SGS | MAS5_SLPID)),
    SPR(340, "TCR", E, HYP, HYP, F32(tcr), .write = tcr_write, .end = true),
    SPR(341, "MAS8", EHV, HYP, HYP, F32M(mas.mas8, MAS8_TGS | MAS8_VF | MAS8_TLPID)),
    SPR(368, "GSPRG0", EHV, HYP, HYP, W32(gsprg[0])),
    SPR(369, "GSPRG1", EHV, HYP, HYP, W32(gsprg[1])),
    SPR(370, "GSPRG2", EHV, HYP, HYP, W32(gsprg[2])),
    SPR(371, "GSPRG3", EHV, HYP, HYP, W32(gsprg[3])),
    SPR(378, "GSRR0", EHV, HYP, HYP, W32(gsrr0)),
    SPR(379, "GSRR1", EHV, HYP, HYP, W32(gsrr1)),
    SPR(380, "GEPR", EHV, HYP, HYP, F32(gepr)),
    SPR(381, "GDEAR", EHV, HYP, HYP, W32(gdear)),
    SPR(382, "GPIR", EHV, HYP, HYP, F32(gpir)),
    SPR(383, "GESR", EHV, HYP, HYP, F32(gesr)),
    IVOR(0, 400), IVOR(1, 401), IVOR(2, 402), IVOR(3, 403), IVOR(4, 404), IVOR(5, 405),
    IVOR(6, 406), IVOR(7, 407), IVOR(8, 408), IVOR(9, 409), IVOR(10, 410), IVOR(11, 411),
    IVOR(12, 412), IVOR(13, 413), IVOR(14, 414), IVOR(15, 415),
    SPR(432, "IVOR38", EHV, HYP, HYP, F32M(ivor[38], 0xfff0)),
    SPR(433, "IVOR39", EHV, HYP, HYP, F32M(ivor[39], 0xfff0)),
    SPR(434, "IVOR40", EHV, HYP, HYP, F32M(ivor[40], 0xfff0)),
    SPR(435, "IVOR41", EHV, HYP, HYP, F32M(ivor[41], 0xfff0)),
    GIVOR(2, 440), GIVOR(3, 441), GIVOR(4, 442), GIVOR(8, 443), GIVOR(13, 444),
    GIVOR(14, 445),
    SPR(447, "GIVPR", EHV, HYP, HYP, W32M(givpr, 0xffff0000ULL)),
    SPR(515, "L1CFG0", E, SUP, NON, .read = l1cfg_read),
    SPR(516, "L1CFG1", E, SUP, NON, .read = l1cfg_read),
    SPR(528, "IVOR32", E, HYP, HYP, F32M(ivor[32], 0xfff0)),
    SPR(529, "IVOR33", E, HYP, HYP, F32M(ivor[33], 0xfff0)),
    SPR(530, "IVOR34", E, HYP, HYP, F32M(ivor[34], 0xfff0)),
    SPR(531, "IVOR35", E, HYP, HYP, F32M(ivor[35], 0xfff0)),
    SPR(532, "IVOR36", E, HYP, HYP, F32M(ivor[36], 0xfff0)),
    SPR(533, "IVOR37", E, HYP, HYP, F32M(ivor[37], 0xfff0)),
    SPR(569, "MCARU", E, HYP, NON, .read = zero_read),
    SPR(570, "MCSRR0", E, HYP, HYP, W32(mcsrr0)),
    SPR(571, "MCSRR1", E, HYP, HYP, W32(mcsrr1)),
    SPR(572, "MCSR", E, HYP, HYP, F32(mcsr)),
    SPR(573, "MCAR", E, HYP, NON, W32(mcar)),
    SPR(574, "DSRR0", E, HYP, HYP, W32(dsrr0)),
    SPR(575, "DSRR1", E, HYP, HYP, W32(dsrr1)),
    SPR(604, "SPRG8", E, HYP, HYP, W32(sprg_e[8])),
    SPR(605, "SPRG9", E, HYP, HYP, W32(sprg_e[9])),
    SPR(606, "L1CSR2", E, HYP, HYP, F32(l1csr[2])),
    SPR(624, "MAS0", E, SUP, SUP, F32(mas.mas0)),
    SPR(625, "MAS1", E, SUP, SUP, F32(mas.mas1)),
    SPR(626, "MAS2", E, SUP, SUP, W32(mas.mas2)),
    SPR(627, "MAS3", E, SUP, SUP, F32(mas.mas3)),
    SPR(628, "MAS4", E, SUP, SUP, F32(mas.mas4)),
    SPR(630, "MAS6", E, SUP, SUP, F32(mas.mas6)),
    SPR(688, "TLB0CFG", E, HYP, NON, .read = tlb0cfg_read),
    SPR(689, "TLB1CFG", E, HYP, NON, .read = tlb1cfg_read),
    SPR(702, "EPR", E, SUP, NON, F32(epr), .gs_alias = 380),
    SPR(944, "MAS7", E, SUP, SUP, F32M(mas.mas7, MAS7_RPN)),
    SPR(947, "EPLC", E, SUP, SUP, F32(eplc)),
    SPR(948, "EPSC", E, SUP, SUP, F32(epsc)),
    SPR(1008, "HID0", E, HYP, HYP, W32(hid[0])),
    SPR(1009, "HID1", E, HYP, HYP, W32(hid[1])),
    SPR(1010, "L1CSR0", E, HYP, HYP, F32(l1csr[0]), .write = l1csr0_write),
    SPR(1011, "L1CSR1", E, HYP, HYP, F32(l1csr[1]), .write = l1csr1_write),
    SPR(1012, "MMUCSR0", E, HYP, HYP, .read = zero_read, .write = mmucsr0_write,
        .end = true),
    SPR(1013, "BUCSR", E, HYP, HYP, F32(bucsr)),
    SPR(1015, "MMUCFG", E, HYP, NON, .read = mmucfg_read),
    SPR(1023, "SVR", E, SUP, NON, F32(svr)),
};

const unsigned ppc_spr_count_booke = ARRAY_SIZE(ppc_spr_table_booke);
