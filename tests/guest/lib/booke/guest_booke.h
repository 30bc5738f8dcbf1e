/* tests/guest/lib/booke/guest_booke.h: the e500mc (Power ISA 2.06 Book III-E, 32-bit,
 * big-endian, category E.HV) half of the guest test library. Programs are loaded with
 * -kernel and start as the ePAPR boot contract says (ePAPR v1.1 chapter 5.4 "Boot CPU
 * Initial Register State"): MSR = 0, r3 = the device tree, r6 = the ePAPR magic, r7 =
 * the size of the initial mapping, and TLB1 entry 0 mapping EA [0, 64 MiB) to RA 0. The
 * runtime maps the devices (36-bit real addresses) with TLB1 entry 1, points IVPR and
 * every IVORn at its vectors (Book III-E 7.2 "Interrupt Registers", 7.6 "Interrupt
 * Definitions"), and saves the interrupted context of every interrupt in a trap_frame
 * for the handler a test registered. A handler may change the frame (srr0 to skip an
 * instruction, srr1, gprs) before it is restored with the return instruction of the
 * interrupt's class (rfi, rfci, rfmci, rfgi). The same vectors serve a guest: the
 * GIVORs point at a second set of stubs, and in guest state SRR0/1, SPRG0-3, ESR and
 * DEAR are the guest's copies (E.HV 2.2 "Guest and Hypervisor SPRs"), so one entry
 * path works at both levels. */
#ifndef GUEST_BOOKE_H
#define GUEST_BOOKE_H

#define GUEST_MAX_CPUS 8
#define GUEST_STACK_SIZE 16384
#define GUEST_IRQ_STACK_SIZE 8192

/* SPR numbers (Book III-E 2.06; Linux reg_booke.h agrees). */
#define SPRN_XER 1
#define SPRN_LR 8
#define SPRN_CTR 9
#define SPRN_DEC 22
#define SPRN_SRR0 26
#define SPRN_SRR1 27
#define SPRN_PID 48
#define SPRN_DECAR 54
#define SPRN_CSRR0 58
#define SPRN_CSRR1 59
#define SPRN_DEAR 61
#define SPRN_ESR 62
#define SPRN_IVPR 63
#define SPRN_TBRL 268
#define SPRN_TBRU 269
#define SPRN_SPRG0 272
#define SPRN_SPRG1 273
#define SPRN_SPRG2 274
#define SPRN_SPRG3 275
#define SPRN_SPRG4 276
#define SPRN_SPRG5 277
#define SPRN_SPRG6 278
#define SPRN_SPRG7 279
#define SPRN_TBWL 284
#define SPRN_TBWU 285
#define SPRN_PIR 286
#define SPRN_PVR 287
#define SPRN_EPCR 307
#define SPRN_TSR 336
#define SPRN_LPIDR 338
#define SPRN_MAS5 339
#define SPRN_TCR 340
#define SPRN_MAS8 341
#define SPRN_GSPRG0 368
#define SPRN_GSPRG1 369
#define SPRN_GSPRG2 370
#define SPRN_GSPRG3 371
#define SPRN_GSRR0 378
#define SPRN_GSRR1 379
#define SPRN_GEPR 380
#define SPRN_GDEAR 381
#define SPRN_GPIR 382
#define SPRN_GESR 383
#define SPRN_IVOR(n) (400 + (n))         /* IVOR0-15 */
#define SPRN_IVOR32_(n) (528 + (n) - 32) /* IVOR32-37 */
#define SPRN_IVOR38_(n) (432 + (n) - 38) /* IVOR38-42 */
#define SPRN_GIVOR2 440
#define SPRN_GIVOR3 441
#define SPRN_GIVOR4 442
#define SPRN_GIVOR8 443
#define SPRN_GIVOR13 444
#define SPRN_GIVOR14 445
#define SPRN_GIVPR 447
#define SPRN_MCSRR0 570
#define SPRN_MCSRR1 571
#define SPRN_MCSR 572
#define SPRN_MAS0 624
#define SPRN_MAS1 625
#define SPRN_MAS2 626
#define SPRN_MAS3 627
#define SPRN_MAS4 628
#define SPRN_MAS6 630
#define SPRN_TLB0CFG 688
#define SPRN_TLB1CFG 689
#define SPRN_MAS7 944
#define SPRN_MMUCSR0 1012
#define SPRN_MMUCFG 1015

/* The interrupt a trap_frame came from: the IVOR number (Book III-E 7.6; E.HV adds
 * 38-41), or GUEST_VEC(n) for the guest stubs GIVORn points at. */
#define VEC_CRITICAL 0
#define VEC_MCHECK 1
#define VEC_DSI 2
#define VEC_ISI 3
#define VEC_EXTERNAL 4
#define VEC_ALIGNMENT 5
#define VEC_PROGRAM 6
#define VEC_FP_UNAVAIL 7
#define VEC_SYSCALL 8
#define VEC_AP_UNAVAIL 9
#define VEC_DECREMENTER 10
#define VEC_FIT 11
#define VEC_WATCHDOG 12
#define VEC_DTLB 13
#define VEC_ITLB 14
#define VEC_DEBUG 15
#define VEC_PERF 35
#define VEC_DBELL 36
#define VEC_DBELL_CRIT 37
#define VEC_GDBELL 38
#define VEC_GDBELL_CRIT 39
#define VEC_HCALL 40
#define VEC_HPRIV 41
#define VEC_LRAT 42
#define GUEST_VEC(n) (64 + (n))
#define NUM_VECS 128

/* Vector stub layout: IVPR = the start of .vectors, IVORn = n * VEC_STRIDE, GIVORn =
 * GUEST_VEC_BASE + n * VEC_STRIDE. */
#define VEC_STRIDE 0x20
#define GUEST_VEC_BASE 0x800

/* Interrupt classes (Book III-E 7.1): which save/restore pair the interrupt uses. */
#define CLASS_BASE 0  /* SRR0/SRR1, rfi (GSRR0/GSRR1 in guest state) */
#define CLASS_CRIT 1  /* CSRR0/CSRR1, rfci */
#define CLASS_MCHK 2  /* MCSRR0/MCSRR1, rfmci */
#define CLASS_GUEST 3 /* GSRR0/GSRR1 taken by the hypervisor (guest doorbell), rfgi */

/* trap_frame layout (offsets used by crt0.S). */
#define TF_GPR 0
#define TF_LR (32 * 4)
#define TF_CTR (33 * 4)
#define TF_CR (34 * 4)
#define TF_XER (35 * 4)
#define TF_SRR0 (36 * 4)
#define TF_SRR1 (37 * 4)
#define TF_DEAR (38 * 4)
#define TF_ESR (39 * 4)
#define TF_VECTOR (40 * 4)
#define TF_CLASS (41 * 4)
#define TF_SIZE (44 * 4)
#define C_FRAME 16 /* SysV 32-bit minimum frame: back chain, LR save, padding */

/* The magic r0 of the `sc` / `sc 1` that ends run_in_user/run_in_as1/run_in_guest. */
#define CTX_EXIT_MAGIC 0x7e57

/* MSR (Book III-E 4.2.1; E.HV adds GS). */
#define MSR_CM 0x80000000u
#define MSR_GS 0x10000000u
#define MSR_UCLE 0x04000000u
#define MSR_WE 0x00040000u
#define MSR_CE 0x00020000u
#define MSR_EE 0x00008000u
#define MSR_PR 0x00004000u
#define MSR_FP 0x00002000u
#define MSR_ME 0x00001000u
#define MSR_DE 0x00000200u
#define MSR_IS 0x00000020u
#define MSR_DS 0x00000010u
#define MSR_PMM 0x00000004u
#define MSR_RI 0x00000002u

/* ESR (Book III-E 7.2.7). */
#define ESR_PIL 0x08000000u
#define ESR_PPR 0x04000000u
#define ESR_PTR 0x02000000u
#define ESR_FP 0x01000000u
#define ESR_ST 0x00800000u
#define ESR_DLK 0x00200000u
#define ESR_ILK 0x00100000u
#define ESR_AP 0x00080000u
#define ESR_PUO 0x00040000u
#define ESR_BO 0x00020000u
#define ESR_PIE 0x00010000u
#define ESR_EPID 0x00000040u

/* EPCR (E.HV 2.2.4). */
#define EPCR_EXTGS 0x80000000u
#define EPCR_DTLBGS 0x40000000u
#define EPCR_ITLBGS 0x20000000u
#define EPCR_DSIGS 0x10000000u
#define EPCR_ISIGS 0x08000000u
#define EPCR_DUVD 0x04000000u
#define EPCR_ICM 0x02000000u
#define EPCR_GICM 0x01000000u
#define EPCR_DGTMI 0x00800000u
#define EPCR_DMIUH 0x00400000u

/* TCR / TSR (Book III-E 9.5; e500 adds WPEXT/FPEXT). */
#define TCR_WIE 0x08000000u
#define TCR_DIE 0x04000000u
#define TCR_FP(x) (((x) & 3u) << 24)
#define TCR_FIE 0x00800000u
#define TCR_ARE 0x00400000u
#define TCR_FPEXT(x) (((x) & 0xfu) << 13)
#define TSR_ENW 0x80000000u
#define TSR_WIS 0x40000000u
#define TSR_DIS 0x08000000u
#define TSR_FIS 0x04000000u

/* MAS registers (Book III-E 6.10.3; e500mc is MMU architecture version 1.0, where
 * MAS1[TSIZE] is 4 bits at 52:55 and a page is 4^TSIZE KiB). */
#define MAS0_TLBSEL(x) (((uint32_t)(x) & 3u) << 28)
#define MAS0_GET_TLBSEL(m) (((m) >> 28) & 3u)
#define MAS0_ESEL(x) (((uint32_t)(x) & 0xfffu) << 16)
#define MAS0_GET_ESEL(m) (((m) >> 16) & 0xfffu)
#define MAS0_NV(x) ((uint32_t)(x) & 0xfffu)
#define MAS1_V 0x80000000u
#define MAS1_IPROT 0x40000000u
#define MAS1_TID(x) (((uint32_t)(x) & 0x3fffu) << 16)
#define MAS1_GET_TID(m) (((m) >> 16) & 0x3fffu)
#define MAS1_TS 0x00001000u
#define MAS1_TSIZE(x) (((uint32_t)(x) & 0xfu) << 8)
#define MAS1_GET_TSIZE(m) (((m) >> 8) & 0xfu)
#define MAS2_EPN 0xfffff000u
#define MAS2_W 0x10u
#define MAS2_I 0x08u
#define MAS2_M 0x04u
#define MAS2_G 0x02u
#define MAS2_E 0x01u
#define MAS3_RPN 0xfffff000u
#define MAS3_U0_3 0x3c0u
#define MAS3_UX 0x20u
#define MAS3_SX 0x10u
#define MAS3_UW 0x08u
#define MAS3_SW 0x04u
#define MAS3_UR 0x02u
#define MAS3_SR 0x01u
#define MAS3_SUPER (MAS3_SX | MAS3_SW | MAS3_SR)
#define MAS3_ALL (MAS3_SUPER | MAS3_UX | MAS3_UW | MAS3_UR)
#define MAS4_TLBSELD(x) MAS0_TLBSEL(x)
#define MAS4_TSIZED(x) MAS1_TSIZE(x)
#define MAS5_SGS 0x80000000u
#define MAS6_SPID(x) (((uint32_t)(x) & 0x3fffu) << 16)
#define MAS6_SAS 0x1u
#define MAS8_TGS 0x80000000u
#define MAS8_VF 0x40000000u
#define MAS8_TLPID(x) ((uint32_t)(x) & 0xffu)

/* Page sizes for MAS1_TSIZE: 4^n KiB. */
#define TSIZE_4K 1
#define TSIZE_16K 2
#define TSIZE_64K 3
#define TSIZE_256K 4
#define TSIZE_1M 5
#define TSIZE_4M 6
#define TSIZE_16M 7
#define TSIZE_64M 8
#define TSIZE_256M 9
#define TSIZE_1G 10

/* MMUCFG / TLBnCFG / MMUCSR0. */
#define MMUCFG_MAVN(m) ((m) & 3u)
#define MMUCFG_NTLBS(m) (((m) >> 2) & 3u)
#define MMUCFG_PIDSIZE(m) (((m) >> 6) & 0x1fu)
#define MMUCFG_RASIZE(m) (((m) >> 17) & 0x7fu)
#define MMUCFG_LPIDSIZE(m) (((m) >> 24) & 0xfu)
#define TLBCFG_ASSOC(c) ((c) >> 24)
#define TLBCFG_NENTRY(c) ((c) & 0xfffu)
#define TLBCFG_IPROT 0x00008000u
#define MMUCSR0_TLB1FI 0x2u
#define MMUCSR0_TLB0FI 0x4u

/* tlbivax EA bits (e500 family, MMU v1.0): bit 60 selects TLB1, bit 61 invalidates all. */
#define TLBIVAX_TLB1 0x8u
#define TLBIVAX_ALL 0x4u

/* msgsnd/msgclr rB (Book III-E 11 "Processor Control", E.HV doorbell types). */
#define DBELL_TYPE(t) ((uint32_t)(t) << 27)
#define DBELL_BRDCST 0x04000000u
#define DBELL_LPIDTAG(l) (((uint32_t)(l) & 0xffu) << 14)
#define DBELL_PIRTAG(p) ((uint32_t)(p) & 0x3fffu)
#define DBELL_T_DBELL 0
#define DBELL_T_DBELL_CRIT 1
#define DBELL_T_G_DBELL 2
#define DBELL_T_G_DBELL_CRIT 3
#define DBELL_T_G_DBELL_MC 4

/* The machine (hvemu -M e500, the ePAPR contract): 36-bit real addresses of the devices,
 * reached through TLB1 entry 1 at DEV_EA. */
#define EPAPR_MAGIC 0x45504150u
#define DEV_RA 0xfe0000000ULL
#define DEV_EA 0xe0000000u
#define UART0_EA (DEV_EA + 0x4500u)
#define MPIC_EA (DEV_EA + 0x40000u)
#define EXIT_EA (DEV_EA + 0x0e000000u)
#define SPIN_EA (DEV_EA + 0x0f000000u)
#define SPIN_ENTRY_SIZE 32

/* TLB1 entries the runtime owns; tests use TLB1_FIRST_FREE and above. */
#define TLB1_RAM 0
#define TLB1_DEV 1
#define TLB1_AS1 2
#define TLB1_GUEST_RAM 3
#define TLB1_GUEST_DEV 4
#define TLB1_FIRST_FREE 8

#ifndef __ASSEMBLER__
#include "libguest.h"

struct trap_frame {
    uint32_t gpr[32];
    uint32_t lr, ctr, cr, xer;
    uint32_t srr0, srr1, dear, esr;
    uint32_t vector, cls;
    uint32_t pad[2];
};

typedef void (*trap_handler_fn)(struct trap_frame *f);
/* Installs fn for `vector` (VEC_* or GUEST_VEC(n)); returns the previous handler. */
trap_handler_fn set_trap_handler(unsigned vector, trap_handler_fn fn);
/* How many interrupts reached `vector` since the program started (all CPUs). */
unsigned trap_count(unsigned vector);

#define mfspr(n) ({ uint32_t v_; __asm__ volatile("mfspr %0, %1" : "=r"(v_) : "i"(n)); v_; })
#define mtspr(n, v) __asm__ volatile("mtspr %0, %1" : : "i"(n), "r"((uint32_t)(v)) : "memory")

static inline uint32_t mfmsr(void)
{
    uint32_t v;
    __asm__ volatile("mfmsr %0" : "=r"(v));
    return v;
}

static inline void mtmsr(uint32_t v)
{
    __asm__ volatile("mtmsr %0; isync" : : "r"(v) : "memory");
}

static inline void isync(void)
{
    __asm__ volatile("isync" : : : "memory");
}

static inline void msync(void)
{
    __asm__ volatile("msync" : : : "memory");
}

static inline uint64_t mftb(void)
{
    uint32_t hi, lo, hi2;
    do {
        hi = mfspr(SPRN_TBRU);
        lo = mfspr(SPRN_TBRL);
        hi2 = mfspr(SPRN_TBRU);
    } while (hi != hi2);
    return (uint64_t)hi << 32 | lo;
}

static inline void msgsnd(uint32_t rb)
{
    __asm__ volatile("msgsnd %0" : : "r"(rb) : "memory");
}

static inline void msgclr(uint32_t rb)
{
    __asm__ volatile("msgclr %0" : : "r"(rb) : "memory");
}

/* Boot state recorded by crt0 (CPU 0). */
extern const void *guest_fdt;
extern uint32_t guest_boot_r6, guest_boot_r7, guest_boot_msr;
/* This CPU's index (0 = the boot CPU; SPRG3 holds it) and PIR. */
unsigned guest_cpu_index(void);
unsigned guest_cpu_id(void);
/* How many CPUs the device tree lists under /cpus. */
int guest_cpu_count(void);
/* Starts CPU `index` through the ePAPR spin table; it runs secondary_main(index). */
bool guest_start_cpu(unsigned index);
/* The PIR the spin table gives for CPU `index`. */
uint32_t guest_spin_pir(unsigned index);
void secondary_main(unsigned index);

/* Points IVPR and the IVORs of this CPU at the runtime's vectors. */
void vectors_init(void);

/* Runs fn(arg) in problem state with MSR[IS DS] = 1 (TLB1_AS1 maps the program there
 * with user permissions); the code must not touch the devices (they are mapped in AS 0
 * only). Returns when fn returns. */
void run_in_user(void (*fn)(void *), void *arg);
/* Runs fn(arg) privileged with MSR[IS DS] = 1 (address space 1). */
void run_in_as1(void (*fn)(void *), void *arg);

/* ---- E.HV: running a guest (hypervisor programs) ---- */
#define GUEST_LPID 5
/* GIVPR/GIVORs at the runtime's guest stubs, GSPRG2/GSPRG3 for the guest's trap entry. */
void ehv_guest_vectors_init(void);
/* TLB1 entries TGS = 1, TLPID = lpid: the program's RAM [0, 64 MiB) 1:1 and the devices
 * at DEV_EA, so the guest runs the same code and prints through the same UART. */
void ehv_guest_map(unsigned lpid);
/* Runs fn(arg) in guest state (SRR1 = MSR_GS | MSR_ME | msr_extra, entered with rfi) on
 * the guest stack; returns when fn returns (the guest ends with `sc 1`). */
void run_in_guest(void (*fn)(void *), void *arg, uint32_t msr_extra);

/* ---- TLB (tlb.c): MAS-register access to TLB0 and TLB1 ---- */
struct tlb_entry {
    uint32_t mas0, mas1, mas2, mas3, mas7, mas8;
};
/* tlbwe from MAS0-3 and 7 (and MAS8 = 0 in hypervisor state); the _mas8 form writes
 * e->mas8 too (a guest entry) and leaves MAS8 = 0. */
void tlb_write(const struct tlb_entry *e);
void tlb_write_mas8(const struct tlb_entry *e);
void tlb_read(unsigned tlbsel, unsigned esel, uint32_t epn, struct tlb_entry *out);
/* tlbsx for ea with MAS6 = mas6; out gets MAS0-3, 7. Returns MAS1[V]. */
bool tlb_search(uint32_t ea, uint32_t mas6, struct tlb_entry *out);
/* The same from a hypervisor with MAS5 = mas5 (SGS, SLPID: which partition's entries to
 * search); out also gets MAS8. MAS5 is 0 again afterwards. */
bool tlb_search_mas5(uint32_t ea, uint32_t mas5, uint32_t mas6, struct tlb_entry *out);
/* A TLB1 entry: EA -> RA of 4^tsize KiB, with MAS1 flags (TS, TID, IPROT), MAS2 WIMGE
 * and MAS3 permissions. */
void tlb1_map(unsigned esel, uint32_t ea, uint64_t ra, unsigned tsize, uint32_t mas1_flags,
              uint32_t wimge, uint32_t perms);
/* The same with MAS8 (TGS, TLPID): a guest translation. */
void tlb1_map_guest(unsigned esel, uint32_t ea, uint64_t ra, unsigned tsize,
                    uint32_t mas1_flags, uint32_t wimge, uint32_t perms, uint32_t mas8);
/* A 4 KiB TLB0 entry in way `way` of ea's set. */
void tlb0_map(unsigned way, uint32_t ea, uint64_t ra, uint32_t mas1_flags, uint32_t wimge,
              uint32_t perms);
void tlb1_unmap(unsigned esel);
void tlbivax(uint32_t ea);
void tlbilx_all(void);     /* T = 0 */
void tlbilx_pid(void);     /* T = 1, MAS6[SPID] */
void tlbilx_va(uint32_t ea); /* T = 3, MAS6[SPID SAS] */
void tlb_console_map(void);  /* TLB1_DEV: DEV_EA -> DEV_RA, 256 MiB, I|G, IPROT */
#endif

#endif
