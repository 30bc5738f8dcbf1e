/* cpu/ppc/booke/booke.h: what the Book III-E parts of the Power CPU share (Power ISA v2.06B
 * Book III-E: chapter 7 "Interrupts and Exceptions" with category E.HV's guest state,
 * chapter 8 "Timer Facilities", chapter 6 "Storage Control"; e500mc Reference Manual
 * chapter 4 for the implementation's choices): the interrupt numbers IVORn are indexed by,
 * the bits of EPCR, ESR, TCR and TSR, the pending-interrupt set of a thread, and the entry
 * points the generic execution loop and storage code call for an e500mc thread. */
#ifndef HVEMU_PPC_BOOKE_H
#define HVEMU_PPC_BOOKE_H

#include "cpu/ppc/ppc_core.h"

/* Interrupt numbers: IVORn / GIVORn (Book III-E 7.6 "Interrupt Definitions"). */
enum {
    BOOKE_IVOR_CRITICAL = 0,
    BOOKE_IVOR_MACHINE_CHECK = 1,
    BOOKE_IVOR_DSI = 2,
    BOOKE_IVOR_ISI = 3,
    BOOKE_IVOR_EXTERNAL = 4,
    BOOKE_IVOR_ALIGNMENT = 5,
    BOOKE_IVOR_PROGRAM = 6,
    BOOKE_IVOR_FP_UNAVAIL = 7,
    BOOKE_IVOR_SYSCALL = 8,
    BOOKE_IVOR_AP_UNAVAIL = 9,
    BOOKE_IVOR_DECREMENTER = 10,
    BOOKE_IVOR_FIT = 11,
    BOOKE_IVOR_WATCHDOG = 12,
    BOOKE_IVOR_DTLB = 13,
    BOOKE_IVOR_ITLB = 14,
    BOOKE_IVOR_DEBUG = 15,
    BOOKE_IVOR_PERF_MONITOR = 35,
    BOOKE_IVOR_DOORBELL = 36,
    BOOKE_IVOR_DOORBELL_CRIT = 37,
    BOOKE_IVOR_GUEST_DOORBELL = 38,
    BOOKE_IVOR_GUEST_DOORBELL_CRIT = 39,
    BOOKE_IVOR_HYPERCALL = 40,
    BOOKE_IVOR_EHPRIV = 41,
};

/* EPCR (E.HV, 2.06 Book III-E 4.2.8 "Embedded Processor Control Register"). */
#define EPCR_EXTGS 0x80000000u  /* external input to guest state */
#define EPCR_DTLBGS 0x40000000u /* data TLB error to guest state */
#define EPCR_ITLBGS 0x20000000u /* instruction TLB error to guest state */
#define EPCR_DSIGS 0x10000000u  /* data storage to guest state */
#define EPCR_ISIGS 0x08000000u  /* instruction storage to guest state */
#define EPCR_DUVD 0x04000000u   /* disable embedded hypervisor debug */
#define EPCR_ICM 0x02000000u    /* interrupt computation mode (64-bit) */
#define EPCR_GICM 0x01000000u   /* guest interrupt computation mode */
#define EPCR_DGTMI 0x00800000u  /* disable guest TLB management instructions */
#define EPCR_DMIUH 0x00400000u  /* disable MAS updates by interrupts in hypervisor state */

/* ESR (Book III-E 7.2.6 "Exception Syndrome Register"). */
#define ESR_PIL 0x08000000u     /* program: illegal instruction */
#define ESR_PPR 0x04000000u     /* program: privileged instruction */
#define ESR_PTR 0x02000000u     /* program: trap */
#define ESR_FP 0x01000000u      /* floating-point operation */
#define ESR_ST 0x00800000u      /* store operation */
#define ESR_DLK 0x00200000u     /* data cache locking */
#define ESR_AP 0x00080000u      /* auxiliary processor operation */
#define ESR_PUO 0x00040000u     /* unimplemented operation */
#define ESR_BO 0x00020000u      /* byte ordering */
#define ESR_PIE 0x00010000u     /* imprecise exception */
#define ESR_SPV 0x00000080u     /* SPE/vector operation */
#define ESR_EPID 0x00000040u    /* external PID access */
#define ESR_VLEMI 0x00000020u
#define ESR_MIF 0x00000002u

/* TCR and TSR (Book III-E 8.4-8.5). */
#define TCR_WP 0xc0000000u
#define TCR_WRC 0x30000000u
#define TCR_WIE 0x08000000u
#define TCR_DIE 0x04000000u
#define TCR_FP 0x03000000u
#define TCR_FIE 0x00800000u
#define TCR_ARE 0x00400000u
#define TCR_WPEXT 0x001e0000u   /* e500mc: watchdog period extension */
#define TCR_FPEXT 0x0001e000u   /* e500mc: FIT period extension */
#define TSR_ENW 0x80000000u
#define TSR_WIS 0x40000000u
#define TSR_WRS 0x30000000u
#define TSR_DIS 0x08000000u
#define TSR_FIS 0x04000000u

/* msgsnd/msgclr RB (Book III-E 11.x "Processor Control"): message type in bits 32:36,
 * broadcast bit 37, LPID tag bits 42:49, PIR tag bits 50:63. */
#define DBELL_TYPE_SHIFT 27
#define DBELL_TYPE_MASK 0x1fu
#define DBELL_BRDCAST 0x04000000u
#define DBELL_LPIDTAG_SHIFT 14
#define DBELL_LPIDTAG_MASK 0xffu
#define DBELL_PIRTAG 0x3fffu
enum { DBELL_TYPE_DBELL, DBELL_TYPE_DBELL_CRIT, DBELL_TYPE_G_DBELL, DBELL_TYPE_G_DBELL_CRIT,
       DBELL_TYPE_G_DBELL_MC };

/* PpcCpu.booke_irqs: asynchronous interrupt sources of a thread. */
enum {
    BOOKE_IRQ_CRITICAL = 1u << 0,       /* critical input (the PIC's CINT) */
    BOOKE_IRQ_DBELL = 1u << 1,
    BOOKE_IRQ_DBELL_CRIT = 1u << 2,
    BOOKE_IRQ_G_DBELL = 1u << 3,
    BOOKE_IRQ_G_DBELL_CRIT = 1u << 4,
    BOOKE_IRQ_G_DBELL_MC = 1u << 5,
    BOOKE_IRQ_FIT = 1u << 6,            /* TSR[FIS] & TCR[FIE] */
    BOOKE_IRQ_WDT = 1u << 7,            /* TSR[WIS] & TCR[WIE] */
};

/* booke_excp.c */
void booke_deliver(PpcCpu *c);
/* Takes the highest-priority pending asynchronous interrupt that is enabled; true if one
 * was taken. */
bool booke_take_async(PpcCpu *c);
bool booke_wakeup_pending(const PpcCpu *c);
/* The time facilities (DEC, FIT, watchdog) after TCR, TSR, DEC or the time base changed. */
void booke_timers_update(PpcCpu *c);
/* TCR was written: the FIT and watchdog periods and the interrupt levels. */
void booke_tcr_written(PpcCpu *c);
/* DEC as mfspr reads it and the effect of mtspr DEC. */
uint32_t booke_dec_read(const PpcCpu *c);
void booke_dec_write(PpcCpu *c, uint32_t v);
/* The IVOR number of an interrupt kind (0 for kinds Book III-E does not have). */
unsigned booke_exc_ivor(unsigned kind);
/* The interrupt's name as the logs give it ("data TLB error"). */
const char *booke_exc_name(unsigned kind);
/* Delivers interrupt e into the guest at `vector` as the guest's own vectors would: for
 * a hypervisor that reflects what it cannot or need not handle (hypervisor/epapr). */
void booke_reflect(PpcCpu *c, const PpcException *e, uint64_t from, uint64_t vector);
/* Puts a thread in guest state as a hypervisor entering its partition: LPIDR, EPCR,
 * GPIR = PIR, MSR[GS] = 1, and the valid TLB entries tagged TGS with the LPID. */
void booke_cpu_enter_guest(PpcCpu *c, uint32_t lpid, uint32_t epcr);
/* The reset state of an e500mc thread (interrupt registers, MMU configuration). */
void booke_cpu_reset(PpcCpu *c);
/* The ePAPR boot state (ePAPR 1.1 5.4 "Boot CPU Initial State"): MSR = 0, TLB1 entry 0
 * maps [base, base + size) with IPROT for privileged access, r3 = fdt, r6 = ePAPR magic,
 * r7 = size, nip = entry. */
void booke_cpu_epapr_start(PpcCpu *c, uint64_t entry, uint64_t r3, uint64_t map_base,
                           uint64_t map_size);

/* booke_mmu.c: the soft TLB's translation step for an e500mc thread. prot gets
 * HASH64_PROT_* bits for what the page allows the current state. */
/* A debugger's look-up of ea in the TLB for a data access (no MAS update, no
 * interrupt): false on a miss. */
bool booke_debug_translate(const PpcCpu *c, uint64_t ea, uint64_t *ra);
PpcStatus booke_translate_page(PpcCpu *c, uint64_t ea, unsigned acc, uint64_t *ra,
                               unsigned *prot);
/* A TLB entry changed on thread c: its soft TLB and jump cache forget translations. */
void booke_tlb_changed(PpcCpu *c);
/* The TLB instructions' effects with the soft TLB kept coherent, dropping only what the
 * change reaches: tlbwe from the MAS registers m, tlbivax on every thread (MAS5 context
 * mas5), tlbilx of the given type with the thread's MAS5/MAS6. */
void booke_tlbwe_cpu(PpcCpu *c, const BookeMas *m);
void booke_tlbivax_all(PpcCore *core, uint64_t ea, uint32_t mas5);
void booke_tlbilx_cpu(PpcCpu *c, unsigned type, uint64_t ea);
void booke_invalidated_at(PpcCpu *c, uint64_t ea, bool tlb1_too);

/* Whether the thread is in guest state (MSR[GS] = 1 on a model with E.HV). */
static inline bool booke_guest(const PpcCpu *c)
{
    return (c->msr & MSR_GS) != 0;
}

static inline bool ppc_is_booke(const PpcCpu *c)
{
    return (c->model->categories & PPC_CAT_E) != 0;
}

#endif
