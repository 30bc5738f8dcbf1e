/* tests/guest/lib/riscv/riscv.h: RISC-V architectural constants for guest tests, named
 * as in The RISC-V Instruction Set Manual, Volume II: Privileged Architecture 1.12
 * (chapter 3 "Machine-Level ISA", chapter 4 "Supervisor-Level ISA", chapter 8 "Hypervisor
 * Extension") and the Sstc and CMO extensions, plus CSR access macros. Usable from C and from assembly. */
#ifndef GUEST_RISCV_H
#define GUEST_RISCV_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE (_UL(1) << 1)
#define MSTATUS_MIE (_UL(1) << 3)
#define MSTATUS_SPIE (_UL(1) << 5)
#define MSTATUS_MPIE (_UL(1) << 7)
#define MSTATUS_SPP (_UL(1) << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (_UL(3) << 11)
#define MSTATUS_FS (_UL(3) << 13)
#define MSTATUS_FS_OFF (_UL(0) << 13)
#define MSTATUS_FS_INITIAL (_UL(1) << 13)
#define MSTATUS_FS_CLEAN (_UL(2) << 13)
#define MSTATUS_FS_DIRTY (_UL(3) << 13)
#define MSTATUS_MPRV (_UL(1) << 17)
#define MSTATUS_SUM (_UL(1) << 18)
#define MSTATUS_MXR (_UL(1) << 19)
#define MSTATUS_TVM (_UL(1) << 20)
#define MSTATUS_TW (_UL(1) << 21)
#define MSTATUS_TSR (_UL(1) << 22)
#define MSTATUS_GVA (_UL(1) << 38) /* 8.4.1 */
#define MSTATUS_MPV (_UL(1) << 39)
#define MSTATUS_SD (_UL(1) << 63)

#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT 9
#define IRQ_M_EXT 11
#define IRQ_VS_SOFT 2  /* 8.2.3 */
#define IRQ_VS_TIMER 6
#define IRQ_VS_EXT 10
#define IRQ_S_GEXT 12
#define MIP_VSSIP (_UL(1) << IRQ_VS_SOFT)
#define MIP_VSTIP (_UL(1) << IRQ_VS_TIMER)
#define MIP_VSEIP (_UL(1) << IRQ_VS_EXT)
#define MIP_SGEIP (_UL(1) << IRQ_S_GEXT)
#define MIP_SSIP (_UL(1) << IRQ_S_SOFT)
#define MIP_MSIP (_UL(1) << IRQ_M_SOFT)
#define MIP_STIP (_UL(1) << IRQ_S_TIMER)
#define MIP_MTIP (_UL(1) << IRQ_M_TIMER)
#define MIP_SEIP (_UL(1) << IRQ_S_EXT)
#define MIP_MEIP (_UL(1) << IRQ_M_EXT)

#define CAUSE_INTERRUPT (_UL(1) << 63)
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15
#define CAUSE_VIRTUAL_SUPERVISOR_ECALL 10 /* 8.6.1 */
#define CAUSE_FETCH_GUEST_PAGE_FAULT 20
#define CAUSE_LOAD_GUEST_PAGE_FAULT 21
#define CAUSE_VIRTUAL_INSTRUCTION 22
#define CAUSE_STORE_GUEST_PAGE_FAULT 23

#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44
#define SATP_MODE_BARE _UL(0)
#define SATP_MODE_SV39 _UL(8)
#define SATP_MODE_SV48 _UL(9)
#define SATP_MODE_SV57 _UL(10)

#define PTE_V (_UL(1) << 0)
#define PTE_R (_UL(1) << 1)
#define PTE_W (_UL(1) << 2)
#define PTE_X (_UL(1) << 3)
#define PTE_U (_UL(1) << 4)
#define PTE_G (_UL(1) << 5)
#define PTE_A (_UL(1) << 6)
#define PTE_D (_UL(1) << 7)
#define PTE_PPN_SHIFT 10

/* 8.2.1 hstatus */
#define HSTATUS_VSBE (_UL(1) << 5)
#define HSTATUS_GVA (_UL(1) << 6)
#define HSTATUS_SPV (_UL(1) << 7)
#define HSTATUS_SPVP (_UL(1) << 8)
#define HSTATUS_HU (_UL(1) << 9)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN (_UL(0x3f) << 12)
#define HSTATUS_VTVM (_UL(1) << 20)
#define HSTATUS_VTW (_UL(1) << 21)
#define HSTATUS_VTSR (_UL(1) << 22)
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL (_UL(3) << 32)
/* 8.2.10 hgatp: MODE as in satp (Sv39x4 = 8, Sv48x4 = 9, Sv57x4 = 10), VMID[57:44] */
#define HGATP_MODE_SHIFT 60
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID (_UL(0x3fff) << 44)
/* 8.6.3 pseudoinstructions for implicit VS-stage page-table accesses (VSXLEN = 64) */
#define HTINST_PTE_READ64 _UL(0x3000)
#define HTINST_PTE_WRITE64 _UL(0x3020)

#define MENVCFG_FIOM (_UL(1) << 0)
#define MENVCFG_CBIE (_UL(3) << 4)
#define MENVCFG_CBCFE (_UL(1) << 6)
#define MENVCFG_CBZE (_UL(1) << 7)
#define MENVCFG_STCE (_UL(1) << 63)

#define FFLAGS_NX 0x01
#define FFLAGS_UF 0x02
#define FFLAGS_OF 0x04
#define FFLAGS_DZ 0x08
#define FFLAGS_NV 0x10

/* CSRs the assembler may not know by name. */
#define CSR_SENVCFG 0x10a
#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG 0x30a
#define CSR_MCOUNTINHIBIT 0x320
/* The H extension's CSRs (8.2, 8.4), by number. */
#define CSR_VSSTATUS 0x200
#define CSR_VSIE 0x204
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC 0x241
#define CSR_VSCAUSE 0x242
#define CSR_VSTVAL 0x243
#define CSR_VSIP 0x244
#define CSR_VSTIMECMP 0x24d
#define CSR_VSATP 0x280
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE 0x607
#define CSR_HENVCFG 0x60a
#define CSR_HTVAL 0x643
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_HGEIP 0xe12
#define CSR_MTINST 0x34a
#define CSR_MTVAL2 0x34b

#define RISCV_STR1(x) #x
#define RISCV_STR(x) RISCV_STR1(x)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define csr_read(csr)                                                                  \
    ({                                                                                 \
        unsigned long __v;                                                             \
        __asm__ volatile("csrr %0, " RISCV_STR(csr) : "=r"(__v) : : "memory");         \
        __v;                                                                           \
    })
#define csr_write(csr, val)                                                            \
    ({ __asm__ volatile("csrw " RISCV_STR(csr) ", %0" : : "rK"((unsigned long)(val)) : "memory"); })
#define csr_swap(csr, val)                                                             \
    ({                                                                                 \
        unsigned long __v = (unsigned long)(val);                                      \
        __asm__ volatile("csrrw %0, " RISCV_STR(csr) ", %1" : "=r"(__v) : "rK"(__v) : "memory"); \
        __v;                                                                           \
    })
#define csr_set(csr, val)                                                              \
    ({ __asm__ volatile("csrs " RISCV_STR(csr) ", %0" : : "rK"((unsigned long)(val)) : "memory"); })
#define csr_clear(csr, val)                                                            \
    ({ __asm__ volatile("csrc " RISCV_STR(csr) ", %0" : : "rK"((unsigned long)(val)) : "memory"); })

static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }
static inline void sfence_vma(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("nop" ::: "memory"); }

static inline uint32_t readl(unsigned long addr) { return *(volatile uint32_t *)addr; }
static inline void writel(unsigned long addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint8_t readb(unsigned long addr) { return *(volatile uint8_t *)addr; }
static inline void writeb(unsigned long addr, uint8_t v) { *(volatile uint8_t *)addr = v; }
static inline uint64_t readq(unsigned long addr) { return *(volatile uint64_t *)addr; }
static inline void writeq(unsigned long addr, uint64_t v) { *(volatile uint64_t *)addr = v; }
#endif

#endif
