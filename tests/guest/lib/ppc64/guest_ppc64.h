/* tests/guest/lib/ppc64/guest_ppc64.h: the Power (pseries, PAPR partition) half of the
 * guest test library. Programs start in privileged non-hypervisor state, real mode,
 * little-endian, with r3 = the device tree (the machine's direct boot) on CPU 0. The
 * runtime installs interrupt vectors at real address 0 (Book III-S 7.5 offsets): every
 * interrupt saves the interrupted context in a trap_frame and calls the handler a test
 * registered for that vector, or fails the test; a handler may change the frame (srr0 to
 * skip an instruction, gprs, srr1) before the context is restored with rfid. The entry
 * saves the FP, VMX and VSX registers with FPSCR and VSCR too and turns MSR[FP VEC VSX]
 * on for the handler (compiled C uses them freely), so a handler sees and returns the
 * interrupted context whole; SRR1 in the frame is that context's MSR. hcall() makes a
 * PAPR hypercall (`sc 1`), rtas_call() an RTAS call through H_RTAS. */
#ifndef GUEST_PPC64_H
#define GUEST_PPC64_H

#define GUEST_MAX_CPUS 8
#define GUEST_STACK_SIZE 16384

/* trap_frame layout (offsets used by crt0.S). */
#define TF_GPR 0
#define TF_LR (32 * 8)
#define TF_CTR (33 * 8)
#define TF_CR (34 * 8)
#define TF_XER (35 * 8)
#define TF_SRR0 (36 * 8)
#define TF_SRR1 (37 * 8)
#define TF_DAR (38 * 8)
#define TF_DSISR (39 * 8)
#define TF_VECTOR (40 * 8)
#define TF_FPSCR (42 * 8)
#define TF_VSCR (44 * 8)   /* a 16-byte slot: stvx/lvx of VSCR */
#define TF_VSR (46 * 8)    /* 64 x 16 bytes, 16-byte aligned */
#define TF_SIZE (46 * 8 + 64 * 16)
#define GUEST_IRQ_STACK_SIZE 16384

#ifndef __ASSEMBLER__
#include "libguest.h"

struct trap_frame {
    uint64_t gpr[32];
    uint64_t lr, ctr, cr, xer;
    uint64_t srr0, srr1, dar, dsisr;
    uint64_t vector;
    uint64_t pad;
    uint64_t fpscr, pad2;
    uint32_t vscr[4];
    uint8_t vsr[64][16];
};

/* The interrupt vectors a test may handle (Book III-S figure "Interrupt vectors"). */
enum {
    VEC_SYSTEM_RESET = 0x100, VEC_MACHINE_CHECK = 0x200, VEC_DSI = 0x300, VEC_DSEGI = 0x380,
    VEC_ISI = 0x400, VEC_ISEGI = 0x480, VEC_EXTERNAL = 0x500, VEC_ALIGNMENT = 0x600,
    VEC_PROGRAM = 0x700, VEC_FP_UNAVAIL = 0x800, VEC_DECREMENTER = 0x900, VEC_SYSCALL = 0xc00,
    VEC_TRACE = 0xd00, VEC_PERF = 0xf00, VEC_VMX_UNAVAIL = 0xf20, VEC_VSX_UNAVAIL = 0xf40,
    VEC_FAC_UNAVAIL = 0xf60,
};

/* SRR1 program interrupt reasons. */
#define SRR1_FP (1ULL << 20)
#define SRR1_ILLEGAL (1ULL << 19)
#define SRR1_PRIV (1ULL << 18)
#define SRR1_TRAP (1ULL << 17)

#define MSR_SF (1ULL << 63)
#define MSR_VEC (1ULL << 25)
#define MSR_VSX (1ULL << 23)
#define MSR_EE (1ULL << 15)
#define MSR_PR (1ULL << 14)
#define MSR_FP (1ULL << 13)
#define MSR_ME (1ULL << 12)
#define MSR_IR (1ULL << 5)
#define MSR_DR (1ULL << 4)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)

typedef void (*trap_handler_fn)(struct trap_frame *f);
/* Installs fn for `vector`; returns the previous handler (NULL: none). */
trap_handler_fn set_trap_handler(unsigned vector, trap_handler_fn fn);
/* How many interrupts reached `vector` since the program started. */
unsigned trap_count(unsigned vector);

#define mfspr(n) ({ uint64_t v_; __asm__ volatile("mfspr %0, %1" : "=r"(v_) : "i"(n)); v_; })
#define mtspr(n, v) __asm__ volatile("mtspr %0, %1" : : "i"(n), "r"((uint64_t)(v)) : "memory")

static inline uint64_t mfmsr(void)
{
    uint64_t v;
    __asm__ volatile("mfmsr %0" : "=r"(v));
    return v;
}

static inline void mtmsrd(uint64_t v)
{
    __asm__ volatile("mtmsrd %0" : : "r"(v) : "memory");
}

static inline uint64_t mftb(void)
{
    uint64_t v;
    __asm__ volatile("mftb %0" : "=r"(v));
    return v;
}

/* A PAPR hypercall: returns r3; out (if not NULL) receives r4-r12. */
int64_t hcall(uint64_t op, uint64_t *out, int nargs, ...);
#define hcall0(op) hcall((op), NULL, 0)

/* RTAS: the token of a call named in /rtas (0 if absent), and a call with up to 8 args;
 * returns the first return cell (the status), rets (if not NULL) gets the others. */
uint32_t rtas_token(const char *name);
int32_t rtas_call(const char *name, int nargs, int nret, uint32_t *rets, ...);

/* Runs fn(arg) in problem state on its own stack; returns when fn returns. MSR[PR] = 1
 * forces MSR[EE IR DR] = 1 (Book III-S 4.2.1), so the program must have called
 * mmu_identity_map() first; the byte order stays. */
void run_in_user(void (*fn)(void *), void *arg);

extern const void *guest_fdt;
unsigned guest_cpu_id(void);
/* The size of RAM from /memory@0 (RAM starts at 0). */
uint64_t guest_ram_size(void);

/* ---- Relocation (mmu.c): SLB entries and HPTEs, ISA 2.07 layout (Book III-S 5.7) ---- */
#define SLB_ESID_V 0x08000000ULL
#define SLB_VSID_B_1T (1ULL << 62)
#define SLB_VSID_KS 0x800ULL
#define SLB_VSID_KP 0x400ULL
#define SLB_VSID_N 0x200ULL
#define SLB_VSID_L 0x100ULL
#define SLB_VSID_LP_01 0x010ULL

#define HPTE_V_1TB (1ULL << 62)
#define HPTE_V_AVPN 0x3fffffffffffff80ULL
#define HPTE_V_BOLTED 0x10ULL
#define HPTE_V_LARGE 0x04ULL
#define HPTE_V_SECONDARY 0x02ULL
#define HPTE_V_VALID 0x01ULL
#define HPTE_R_PP0 (1ULL << 63)
#define HPTE_R_RPN 0x0ffffffffffff000ULL
#define HPTE_R_R 0x100ULL
#define HPTE_R_C 0x080ULL
#define HPTE_R_W 0x040ULL
#define HPTE_R_I 0x020ULL
#define HPTE_R_M 0x010ULL
#define HPTE_R_G 0x008ULL
#define HPTE_R_N 0x004ULL
#define HPTE_R_PP 0x003ULL
#define HPTE_PP_RW 0x2ULL /* pp = 0b010: read/write with either key */
#define HPTE_PP_RO 0x3ULL /* pp = 0b011: read-only with either key */

/* DSISR bits of a Data Storage interrupt, SRR1 bits of an Instruction Storage one. */
#define DSISR_NOPTE 0x40000000u
#define DSISR_PROTFAULT 0x08000000u
#define DSISR_ISSTORE 0x02000000u
#define SRR1_ISI_NOPTE 0x40000000ULL
#define SRR1_ISI_N_G 0x10000000ULL
#define SRR1_ISI_PROT 0x08000000ULL

/* A segment: its effective address, size (28: 256 MiB, 40: 1 TiB), VSID, base page size
 * (12, 16 or 24) and the SLB Ks/Kp/N bits. */
struct segment {
    uint64_t ea;
    unsigned shift;
    uint64_t vsid;
    unsigned base_shift;
    uint64_t flags;
};

/* The identity segment: EA 0 - 1 TiB, VSID IDENTITY_VSID, 16 MiB pages, Kp = 1. */
#define IDENTITY_VSID 0x1d3a7ULL
extern const struct segment identity_seg;

uint64_t hpt_pteg_mask(void);        /* PTEGs in the HPT - 1, from ibm,pft-size */
int hpt_lp_enc(unsigned base_shift, unsigned page_shift); /* -1: not offered */
uint64_t seg_vsid_word(const struct segment *s);
void slb_install(unsigned index, const struct segment *s);  /* slbmte; isync */
void slb_remove(const struct segment *s);                    /* slbie; isync */
uint64_t hpt_hash(const struct segment *s, uint64_t ea);     /* the primary hash */
/* The index of the first HPTE of ea's primary (or secondary) PTEG. */
uint64_t hpt_group(const struct segment *s, uint64_t ea, bool secondary);
/* HPTE doublewords for ea in s mapping ra with a page of 2^page_shift bytes (without V). */
uint64_t hpte_v(const struct segment *s, uint64_t ea, unsigned page_shift);
uint64_t hpte_r(const struct segment *s, uint64_t ra, unsigned page_shift, uint64_t flags);
/* H_ENTER into ea's primary PTEG; *ptex gets the slot. */
int64_t hpt_map(const struct segment *s, uint64_t ea, uint64_t ra, unsigned page_shift,
                uint64_t v_flags, uint64_t r_flags, uint64_t *ptex);
/* Maps all of RAM 1:1 with bolted 16 MiB pages in identity_seg and puts the segment in
 * SLB entry 0 (once). Problem state always runs relocated (MSR[PR] = 1 forces IR and DR),
 * so run_in_user needs this first. */
bool mmu_identity_map(void);
void mmu_on(void);  /* MSR[IR DR] = 1 */
void mmu_off(void); /* MSR[IR DR] = 0 */

/* hcall numbers and return codes (LoPAR). */
#define H_SUCCESS 0
#define H_HARDWARE -1
#define H_FUNCTION -2
#define H_PRIVILEGE -3
#define H_PARAMETER -4
#define H_NOT_FOUND -7

#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_CLEAR_MOD 0x10
#define H_CLEAR_REF 0x14
#define H_PROTECT 0x18
#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_SET_XDABR 0x134
#define H_PAGE_INIT 0x2c
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_BULK_REMOVE 0x124
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_RANDOM 0x300
#define H_SET_MODE 0x31c
#define H_RTAS 0xf000

#define VTY_TERMNO 0x71000000
#endif

#endif
