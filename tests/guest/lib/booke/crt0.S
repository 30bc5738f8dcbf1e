/* tests/guest/lib/booke/crt0.S: program entry on the ePAPR boot contract (ePAPR v1.1
 * 5.4: r3 = the device tree, r6 = the magic, r7 = the initial mapping's size, MSR = 0),
 * the entry of CPUs released from the spin table (5.5), the interrupt vector stubs that
 * IVPR + IVORn (and GIVPR + GIVORn) select (Power ISA 2.06 Book III-E 7.2.10-7.2.11,
 * "Interrupt Vector Prefix/Offset Registers"; E.HV 7.2.12-7.2.13 for the guest copies),
 * one common entry and exit per interrupt class (7.1: base SRR0/SRR1 + rfi, critical
 * CSRR0/CSRR1 + rfci, machine check MCSRR0/MCSRR1 + rfmci, and the guest processor
 * doorbell that saves into GSRR0/GSRR1 + rfgi), and the switch into another context
 * (problem state, address space 1, guest state) that ends with a magic `sc`/`sc 1`.
 *
 * Scratch SPRs of the entry: base class SPRG1 (scratch) + SPRG2 (interrupt stack top),
 * critical SPRG4 + SPRG5, machine check SPRG6 + SPRG7; SPRG3 holds the CPU index. In
 * guest state the same mfspr/mtspr reach GSPRG0-3, GSRR0/1, GESR and GDEAR, so the
 * guest's handlers run through the same code on the guest's own copies. */
#include "guest_booke.h"

#define LA(r, sym) lis r, sym@ha; addi r, r, sym@l

    .section .vectors, "ax"
    .globl __vectors
__vectors:
    .macro STUB id, off, scratch, stack, common
    .org \off
    mtspr \scratch, %r1
    mfspr %r1, \stack
    subi %r1, %r1, TF_SIZE + C_FRAME
    stw %r3, C_FRAME + TF_GPR + 3 * 4(%r1)
    li %r3, \id
    b \common
    .endm
    .macro BASE n
    STUB \n, (\n) * VEC_STRIDE, SPRN_SPRG1, SPRN_SPRG2, common_base
    .endm
    .macro CRIT n
    STUB \n, (\n) * VEC_STRIDE, SPRN_SPRG4, SPRN_SPRG5, common_crit
    .endm
    .macro GUEST n
    STUB GUEST_VEC(\n), GUEST_VEC_BASE + (\n) * VEC_STRIDE, SPRN_SPRG1, SPRN_SPRG2, common_base
    .endm
    CRIT 0
    STUB 1, 1 * VEC_STRIDE, SPRN_SPRG6, SPRN_SPRG7, common_mchk
    .irp n, 2,3,4,5,6,7,8,9,10,11
    BASE \n
    .endr
    CRIT 12
    BASE 13
    BASE 14
    CRIT 15
    .irp n, 32,33,34,35,36
    BASE \n
    .endr
    CRIT 37
    STUB 38, 38 * VEC_STRIDE, SPRN_SPRG1, SPRN_SPRG2, common_guest
    CRIT 39
    BASE 40
    BASE 41
    BASE 42
    .irp n, 2,3,4,8,13,14
    GUEST \n
    .endr
    .org 0x1000

/* The common entry: r1 = the frame (below C_FRAME bytes for the C call), r3 = the
 * vector id, the interrupted r1 in `scratch` and r3 in the frame. */
    .macro COMMON name, cls, scratch, srr0, srr1, rfinsn
    .text
    .globl common_\name
common_\name:
    stw %r0, C_FRAME + TF_GPR + 0 * 4(%r1)
    stw %r2, C_FRAME + TF_GPR + 2 * 4(%r1)
    .irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    stw %r\n, C_FRAME + TF_GPR + \n * 4(%r1)
    .endr
    stw %r3, C_FRAME + TF_VECTOR(%r1)
    li %r0, \cls
    stw %r0, C_FRAME + TF_CLASS(%r1)
    mfspr %r0, \scratch
    stw %r0, C_FRAME + TF_GPR + 1 * 4(%r1)
    mflr %r0
    stw %r0, C_FRAME + TF_LR(%r1)
    mfctr %r0
    stw %r0, C_FRAME + TF_CTR(%r1)
    mfcr %r0
    stw %r0, C_FRAME + TF_CR(%r1)
    mfxer %r0
    stw %r0, C_FRAME + TF_XER(%r1)
    mfspr %r0, \srr0
    stw %r0, C_FRAME + TF_SRR0(%r1)
    mfspr %r0, \srr1
    stw %r0, C_FRAME + TF_SRR1(%r1)
    mfspr %r0, SPRN_DEAR
    stw %r0, C_FRAME + TF_DEAR(%r1)
    mfspr %r0, SPRN_ESR
    stw %r0, C_FRAME + TF_ESR(%r1)
    li %r0, 0
    stw %r0, 0(%r1)
    addi %r3, %r1, C_FRAME
    bl trap_dispatch
    lwz %r0, C_FRAME + TF_SRR0(%r1)
    mtspr \srr0, %r0
    lwz %r0, C_FRAME + TF_SRR1(%r1)
    mtspr \srr1, %r0
    lwz %r0, C_FRAME + TF_LR(%r1)
    mtlr %r0
    lwz %r0, C_FRAME + TF_CTR(%r1)
    mtctr %r0
    lwz %r0, C_FRAME + TF_CR(%r1)
    mtcrf 0xff, %r0
    lwz %r0, C_FRAME + TF_XER(%r1)
    mtxer %r0
    lwz %r0, C_FRAME + TF_GPR + 0 * 4(%r1)
    .irp n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    lwz %r\n, C_FRAME + TF_GPR + \n * 4(%r1)
    .endr
    lwz %r1, C_FRAME + TF_GPR + 1 * 4(%r1)
    \rfinsn
    .endm

    COMMON base, CLASS_BASE, SPRN_SPRG1, SPRN_SRR0, SPRN_SRR1, rfi
    COMMON crit, CLASS_CRIT, SPRN_SPRG4, SPRN_CSRR0, SPRN_CSRR1, rfci
    COMMON mchk, CLASS_MCHK, SPRN_SPRG6, SPRN_MCSRR0, SPRN_MCSRR1, rfmci
    COMMON guest, CLASS_GUEST, SPRN_SPRG1, SPRN_GSRR0, SPRN_GSRR1, rfgi

    .text
    .globl _start
_start:
    /* ePAPR entry: r3 = the device tree, r6 = EPAPR_MAGIC, r7 = the mapped size. */
    mfmsr %r8
    LA(%r1, __stack_top)
    li %r0, 0
    stwu %r0, -C_FRAME(%r1)
    LA(%r9, __bss_start)
    LA(%r10, __bss_end)
1:  cmplw %r9, %r10
    bge 2f
    stw %r0, 0(%r9)
    addi %r9, %r9, 4
    b 1b
2:  mtspr SPRN_SPRG3, %r0       /* CPU index 0 */
    mr %r4, %r6
    mr %r5, %r7
    mr %r6, %r8
    bl guest_start
3:  b 3b

/* CPUs released from the spin table: r3 = the CPU index the boot CPU wrote there. */
    .globl secondary_start
secondary_start:
    mtspr SPRN_SPRG3, %r3
    LA(%r5, __cpu_stacks)
    addi %r6, %r3, 1
    mulli %r6, %r6, GUEST_STACK_SIZE
    add %r1, %r5, %r6
    li %r0, 0
    stwu %r0, -C_FRAME(%r1)
    bl guest_secondary_start
4:  b 4b

/* void enter_context(void (*fn)(void *), void *arg, uint32_t msr, uint32_t stack_top,
 *                    int via_hcall): runs fn(arg) with MSR = msr on the given stack
 * (entered with rfi) and returns when fn returns: the trampoline then issues `sc` (or
 * `sc 1` from guest state, which would otherwise reach the guest's own GIVOR8) with
 * r0 = CTX_EXIT_MAGIC, and trap_dispatch resumes at ctx_returned with r1 restored. */
#define CTX_FRAME (C_FRAME + 20 * 4)
    .globl enter_context
enter_context:
    mflr %r0
    stw %r0, 4(%r1)
    stwu %r1, -CTX_FRAME(%r1)
    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    stw %r\n, C_FRAME + (\n - 14) * 4(%r1)
    .endr
    mfcr %r0
    stw %r0, C_FRAME + 18 * 4(%r1)
    LA(%r8, ctx_saved_sp)
    stw %r1, 0(%r8)
    mfmsr %r9
    LA(%r8, ctx_saved_msr)
    stw %r9, 0(%r8)
    li %r9, 1
    LA(%r8, ctx_active)
    stw %r9, 0(%r8)
    mr %r12, %r3
    mr %r3, %r4
    LA(%r8, ctx_tramp_sc)
    cmpwi %r7, 0
    beq 1f
    LA(%r8, ctx_tramp_hcall)
1:  mtsrr0 %r8
    mtsrr1 %r5
    mr %r1, %r6
    li %r0, 0
    stwu %r0, -C_FRAME(%r1)
    rfi
ctx_tramp_sc:
    mtctr %r12
    bctrl
    li %r0, CTX_EXIT_MAGIC
    sc
    b .
ctx_tramp_hcall:
    mtctr %r12
    bctrl
    li %r0, CTX_EXIT_MAGIC
    sc 1
    b .
    .globl ctx_returned
ctx_returned:
    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    lwz %r\n, C_FRAME + (\n - 14) * 4(%r1)
    .endr
    lwz %r0, C_FRAME + 18 * 4(%r1)
    mtcrf 0xff, %r0
    addi %r1, %r1, CTX_FRAME
    lwz %r0, 4(%r1)
    mtlr %r0
    blr

    .data
    .balign 4
    .globl ctx_saved_sp, ctx_saved_msr, ctx_active
ctx_saved_sp:
    .long 0
ctx_saved_msr:
    .long 0
ctx_active:
    .long 0

    .section .note.GNU-stack, "", @progbits
