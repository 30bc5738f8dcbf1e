/* tests/guest/lib/ppc64/crt0.S: program entry, the interrupt vectors at real address 0
 * (Power ISA v3.0B Book III-S 7.5 offsets), the common interrupt entry and exit that
 * saves the whole context in a trap_frame (7.2: SRR0/SRR1, DAR, DSISR), the switch to
 * problem state for run_in_user, and the entry of secondary CPUs started with RTAS
 * start-cpu. SPRG1 and SPRG3 are scratch for the entry, SPRG2 holds this CPU's
 * interrupt stack top. */
#include "guest_ppc64.h"

#define LOAD_ADDR(r, sym)           \
    lis r, sym@highest;             \
    ori r, r, sym@higher;           \
    rldicr r, r, 32, 31;            \
    oris r, r, sym@h;               \
    ori r, r, sym@l

#define C_FRAME 112             /* ELFv2 minimum stack frame, rounded up */
#define USER_EXIT_MAGIC 0x7e57

    .section .vectors, "ax"
    .globl __vectors
__vectors:
    .macro VECTOR off
    .org \off
    mtspr 273, %r13
    li %r13, \off
    b trap_common
    .endm
    VECTOR 0x100
    VECTOR 0x200
    VECTOR 0x300
    VECTOR 0x380
    VECTOR 0x400
    VECTOR 0x480
    VECTOR 0x500
    VECTOR 0x600
    VECTOR 0x700
    VECTOR 0x800
    VECTOR 0x900
    VECTOR 0x980
    VECTOR 0xa00
    VECTOR 0xb00
    VECTOR 0xc00
    VECTOR 0xd00
    VECTOR 0xe00
    VECTOR 0xe20
    VECTOR 0xe40
    VECTOR 0xe60
    VECTOR 0xe80
    VECTOR 0xea0
    VECTOR 0xf00
    VECTOR 0xf20
    VECTOR 0xf40
    VECTOR 0xf60
    VECTOR 0xf80
    .org 0x1000

    .text
    .globl _start
_start:
    /* r3 = the device tree. The compiler uses FP, VMX and VSX registers freely. */
    mfmsr %r5
    LOAD_ADDR(%r6, 0x2802000)   /* MSR[VEC VSX FP] */
    or %r5, %r5, %r6
    mtmsrd %r5
    LOAD_ADDR(%r2, .TOC.)
    LOAD_ADDR(%r1, __stack_top)
    li %r0, 0
    stdu %r0, -C_FRAME(%r1)
    LOAD_ADDR(%r5, __irq_stack_top)
    mtspr 274, %r5
    /* clear .bss */
    LOAD_ADDR(%r5, __bss_start)
    LOAD_ADDR(%r6, __bss_end)
1:  cmpld %r5, %r6
    bge 2f
    std %r0, 0(%r5)
    addi %r5, %r5, 8
    b 1b
2:  bl guest_start
    nop
3:  b 3b

/* Secondary CPUs: RTAS start-cpu with r3 = the CPU number. */
    .globl secondary_start
secondary_start:
    mfmsr %r5
    LOAD_ADDR(%r6, 0x2802000)
    or %r5, %r5, %r6
    mtmsrd %r5
    LOAD_ADDR(%r2, .TOC.)
    LOAD_ADDR(%r5, __cpu_stacks)
    addi %r6, %r3, 1
    mulli %r6, %r6, GUEST_STACK_SIZE
    add %r1, %r5, %r6
    li %r0, 0
    stdu %r0, -C_FRAME(%r1)
    LOAD_ADDR(%r5, __cpu_irq_stacks)
    addi %r6, %r3, 1
    mulli %r6, %r6, GUEST_IRQ_STACK_SIZE
    add %r5, %r5, %r6
    mtspr 274, %r5
    bl guest_secondary_start
    nop
4:  b 4b

trap_common:
    mtspr 275, %r1
    mfspr %r1, 274
    subi %r1, %r1, TF_SIZE + C_FRAME
    std %r0, C_FRAME + TF_GPR + 0 * 8(%r1)
    .irp n, 2,3,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    std %r\n, C_FRAME + TF_GPR + \n * 8(%r1)
    .endr
    std %r13, C_FRAME + TF_VECTOR(%r1)
    mfspr %r3, 275
    std %r3, C_FRAME + TF_GPR + 1 * 8(%r1)
    mfspr %r3, 273
    std %r3, C_FRAME + TF_GPR + 13 * 8(%r1)
    mflr %r3
    std %r3, C_FRAME + TF_LR(%r1)
    mfctr %r3
    std %r3, C_FRAME + TF_CTR(%r1)
    mfcr %r3
    std %r3, C_FRAME + TF_CR(%r1)
    mfxer %r3
    std %r3, C_FRAME + TF_XER(%r1)
    mfsrr0 %r3
    std %r3, C_FRAME + TF_SRR0(%r1)
    mfsrr1 %r3
    std %r3, C_FRAME + TF_SRR1(%r1)
    mfdar %r3
    std %r3, C_FRAME + TF_DAR(%r1)
    mfdsisr %r3
    std %r3, C_FRAME + TF_DSISR(%r1)
    /* The facilities on for the handler; the interrupted context's registers saved. */
    mfmsr %r3
    LOAD_ADDR(%r4, 0x2802000)   /* MSR[VEC VSX FP] */
    or %r3, %r3, %r4
    mtmsrd %r3
    addi %r4, %r1, C_FRAME + TF_VSR
    li %r5, 16
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    stxvd2x \n, 0, %r4
    add %r4, %r4, %r5
    .endr
    mffs %f0
    stfd %f0, C_FRAME + TF_FPSCR(%r1)
    mfvscr %v0
    addi %r4, %r1, C_FRAME + TF_VSCR
    stvx %v0, 0, %r4
    LOAD_ADDR(%r2, .TOC.)
    addi %r3, %r1, C_FRAME
    bl trap_dispatch
    nop
    addi %r4, %r1, C_FRAME + TF_VSCR
    lvx %v0, 0, %r4
    mtvscr %v0
    lfd %f0, C_FRAME + TF_FPSCR(%r1)
    mtfsf 0xff, %f0
    addi %r4, %r1, C_FRAME + TF_VSR
    li %r5, 16
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    lxvd2x \n, 0, %r4
    add %r4, %r4, %r5
    .endr
    ld %r3, C_FRAME + TF_SRR0(%r1)
    mtsrr0 %r3
    ld %r3, C_FRAME + TF_SRR1(%r1)
    mtsrr1 %r3
    ld %r3, C_FRAME + TF_LR(%r1)
    mtlr %r3
    ld %r3, C_FRAME + TF_CTR(%r1)
    mtctr %r3
    ld %r3, C_FRAME + TF_CR(%r1)
    mtcr %r3
    ld %r3, C_FRAME + TF_XER(%r1)
    mtxer %r3
    ld %r0, C_FRAME + TF_GPR + 0 * 8(%r1)
    .irp n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld %r\n, C_FRAME + TF_GPR + \n * 8(%r1)
    .endr
    ld %r1, C_FRAME + TF_GPR + 1 * 8(%r1)
    rfid

/* void run_in_user(void (*fn)(void *), void *arg) */
    .globl run_in_user
run_in_user:
    mflr %r0
    std %r0, 16(%r1)
    stdu %r1, -(C_FRAME + 20 * 8)(%r1)
    std %r2, C_FRAME + 0 * 8(%r1)
    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    std %r\n, C_FRAME + (\n - 13) * 8(%r1)
    .endr
    mfcr %r0
    std %r0, C_FRAME + 19 * 8(%r1)
    LOAD_ADDR(%r5, user_kernel_sp)
    std %r1, 0(%r5)
    LOAD_ADDR(%r5, user_kernel_msr)
    mfmsr %r6
    std %r6, 0(%r5)
    mr %r12, %r3
    mr %r3, %r4
    LOAD_ADDR(%r5, user_trampoline)
    mtsrr0 %r5
    mfmsr %r5
    ori %r5, %r5, 0x4000        /* MSR[PR] */
    mtsrr1 %r5
    LOAD_ADDR(%r1, __user_stack_top)
    li %r0, 0
    stdu %r0, -C_FRAME(%r1)
    rfid
user_trampoline:
    mtctr %r12
    bctrl
    li %r0, USER_EXIT_MAGIC
    sc
    .globl user_returned
user_returned:
    /* trap_dispatch resumed here in privileged state with r1 = user_kernel_sp. */
    ld %r2, C_FRAME + 0 * 8(%r1)
    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld %r\n, C_FRAME + (\n - 13) * 8(%r1)
    .endr
    ld %r0, C_FRAME + 19 * 8(%r1)
    mtcr %r0
    addi %r1, %r1, C_FRAME + 20 * 8
    ld %r0, 16(%r1)
    mtlr %r0
    blr

    .data
    .globl user_kernel_sp
    .balign 8
user_kernel_sp:
    .quad 0
    .globl user_kernel_msr
user_kernel_msr:
    .quad 0
