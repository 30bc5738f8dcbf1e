/* tests/guest/lib/riscv/crt0.S: program entry, per-hart stacks, trap entry/exit and the
 * switch to a lower privilege mode (run_in_mode). Trap stacks follow one convention:
 * while a mode's own code runs, its xscratch is 0 and a trap from that mode stays on the
 * current stack; before running code of a lower mode, xscratch holds the stack the
 * handler must use (Volume II 1.12, 3.1.6 and 4.1.1 for the privilege stack that
 * mret/sret pop). */
#include "guest_riscv.h"

#define REG_S(n) sd x##n, (n * 8)(sp)
#define REG_L(n) ld x##n, (n * 8)(sp)

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
#if GUEST_M_MODE
    csrr a0, mhartid
#endif
    li t0, GUEST_MAX_HARTS
    bgeu a0, t0, .Lpark
    call .Lhart_stack_tp
#if GUEST_M_MODE
    csrw mscratch, zero
    csrw sscratch, zero
    la t0, m_trap_entry
    csrw mtvec, t0
    la t0, s_trap_entry
    csrw stvec, t0
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero
    /* PMP entry 0: NAPOT over the whole address space, RWX, so that S and U may reach
     * memory (3.7.1: with PMP implemented and no entry matching, S/U accesses fail). */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    bnez a0, .Lsecondary
#else
    csrw sscratch, zero
    la t0, s_trap_entry
    csrw stvec, t0
#endif
    /* The boot hart clears .bss, then lets the others go. */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  fence rw, rw
    la t0, guest_boot_done
    li t1, 1
    sd t1, 0(t0)
    call guest_start        /* a0 = hartid, a1 = FDT */
    j .Lpark

#if GUEST_M_MODE
.Lsecondary:
    la t0, guest_boot_done
1:  ld t1, 0(t0)
    bnez t1, 2f
    nop
    j 1b
2:  fence rw, rw
    call guest_secondary_start  /* a0 = hartid */
#endif
.Lpark:
    wfi
    j .Lpark

/* sp = top of the stack of hart a0, tp = &hart_locals[a0]; clobbers t0, t1. */
.Lhart_stack_tp:
    addi t0, a0, 1
    li t1, GUEST_STACK_SIZE
    mul t0, t0, t1
    la sp, __stacks_start
    add sp, sp, t0
    li t1, HART_LOCAL_SIZE
    mul t0, a0, t1
    la tp, hart_locals
    add tp, tp, t0
    ret

#if GUEST_S_MODE
/* Where SBI HSM starts (and non-retentive suspends resume) a hart: a0 = hartid,
 * a1 = opaque, S-mode, satp = 0, sstatus.SIE = 0. */
    .globl _hart_entry
    .align 2
_hart_entry:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    li t0, GUEST_MAX_HARTS
    bgeu a0, t0, .Lpark
    call .Lhart_stack_tp
    sd a0, HL_ENTRY_A0(tp)
    sd a1, HL_ENTRY_A1(tp)
    csrw sscratch, zero
    la t0, s_trap_entry
    csrw stvec, t0
    mv a0, tp
    call guest_hart_entry
    j .Lpark
#endif

/* Trap entry and exit for one privilege level. */
.macro TRAP_ENTRY name, scratch, epc, cause, tval, status, xret, level
    .align 2
    .globl \name
\name:
    csrrw sp, \scratch, sp
    bnez sp, 1f
    csrrw sp, \scratch, sp      /* from the same mode: stay on this stack */
1:  addi sp, sp, -FRAME_SIZE
    REG_S(1)
    REG_S(3)
    REG_S(4)
    REG_S(5)
    REG_S(6)
    REG_S(7)
    REG_S(8)
    REG_S(9)
    REG_S(10)
    REG_S(11)
    REG_S(12)
    REG_S(13)
    REG_S(14)
    REG_S(15)
    REG_S(16)
    REG_S(17)
    REG_S(18)
    REG_S(19)
    REG_S(20)
    REG_S(21)
    REG_S(22)
    REG_S(23)
    REG_S(24)
    REG_S(25)
    REG_S(26)
    REG_S(27)
    REG_S(28)
    REG_S(29)
    REG_S(30)
    REG_S(31)
    csrr t0, \scratch           /* non-zero: the sp of the lower mode */
    bnez t0, 2f
    addi t0, sp, FRAME_SIZE
2:  sd t0, 16(sp)
    csrw \scratch, zero
    csrr t0, \epc
    sd t0, FRAME_EPC(sp)
    csrr t0, \cause
    sd t0, FRAME_CAUSE(sp)
    csrr t0, \tval
    sd t0, FRAME_TVAL(sp)
    csrr t0, \status
    sd t0, FRAME_STATUS(sp)
    li t0, \level
    sd t0, FRAME_LEVEL(sp)
    mv a0, sp
    call trap_dispatch
    ld t0, FRAME_EPC(sp)
    csrw \epc, t0
    ld t0, FRAME_STATUS(sp)
    csrw \status, t0
    /* Returning to a lower mode: its next trap comes back to this stack. */
.if \level == PRV_M
    srli t1, t0, MSTATUS_MPP_SHIFT
    andi t1, t1, 3
    li t2, PRV_M
    beq t1, t2, 3f
.else
    andi t1, t0, MSTATUS_SPP
    bnez t1, 3f
.endif
    addi t1, sp, FRAME_SIZE
    csrw \scratch, t1
3:  REG_L(1)
    REG_L(3)
    REG_L(4)
    REG_L(5)
    REG_L(6)
    REG_L(7)
    REG_L(8)
    REG_L(9)
    REG_L(10)
    REG_L(11)
    REG_L(12)
    REG_L(13)
    REG_L(14)
    REG_L(15)
    REG_L(16)
    REG_L(17)
    REG_L(18)
    REG_L(19)
    REG_L(20)
    REG_L(21)
    REG_L(22)
    REG_L(23)
    REG_L(24)
    REG_L(25)
    REG_L(26)
    REG_L(27)
    REG_L(28)
    REG_L(29)
    REG_L(30)
    REG_L(31)
    REG_L(2)
    \xret
.endm

    .text
#if GUEST_M_MODE
TRAP_ENTRY m_trap_entry, mscratch, mepc, mcause, mtval, mstatus, mret, PRV_M
#endif
TRAP_ENTRY s_trap_entry, sscratch, sepc, scause, stval, sstatus, sret, PRV_S
/* The same entry for a VS-mode guest's own traps (vstvec): under V=1 the s* CSRs are the
 * vs* ones (Volume II 1.12, 8.2), and the frame's level tells the handler it ran in VS. */
TRAP_ENTRY vs_trap_entry, sscratch, sepc, scause, stval, sstatus, sret, TRAP_LEVEL_VS

/* unsigned long run_in_mode(priv, fn, arg) */
    .globl run_in_mode
    .align 2
run_in_mode:
    sd ra, HL_CTX + 0(tp)
    sd sp, HL_CTX + 8(tp)
    sd s0, HL_CTX + 16(tp)
    sd s1, HL_CTX + 24(tp)
    sd s2, HL_CTX + 32(tp)
    sd s3, HL_CTX + 40(tp)
    sd s4, HL_CTX + 48(tp)
    sd s5, HL_CTX + 56(tp)
    sd s6, HL_CTX + 64(tp)
    sd s7, HL_CTX + 72(tp)
    sd s8, HL_CTX + 80(tp)
    sd s9, HL_CTX + 88(tp)
    sd s10, HL_CTX + 96(tp)
    sd s11, HL_CTX + 104(tp)
    li t0, 1
    sd t0, HL_LOWER_ACTIVE(tp)
#if GUEST_M_MODE
    csrr t0, mstatus
    sd t0, HL_SAVED_STATUS(tp)
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    slli t0, a0, MSTATUS_MPP_SHIFT
    csrs mstatus, t0
    la t0, lower_trampoline
    csrw mepc, t0
    csrw mscratch, sp
    csrw sscratch, zero
    li t0, PRV_U
    bne a0, t0, 1f
    ld t0, HL_STRAP_SP(tp)
    csrw sscratch, t0
1:  mv t1, a1
    mv a0, a2
    ld sp, HL_LOWER_SP(tp)
    mret
#else
    csrr t0, sstatus
    sd t0, HL_SAVED_STATUS(tp)
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    la t0, lower_trampoline
    csrw sepc, t0
    csrw sscratch, sp
    mv t1, a1
    mv a0, a2
    ld sp, HL_LOWER_SP(tp)
    sret
#endif

    .globl lower_trampoline, lower_return_ecall, lower_return
lower_trampoline:
    jalr t1
lower_return_ecall:
    li a7, GUEST_ECALL_RETURN
    ecall
1:  j 1b

/* Back in the calling mode (trap_dispatch sent the return ecall here): a0 = result. */
lower_return:
    ld ra, HL_CTX + 0(tp)
    ld sp, HL_CTX + 8(tp)
    ld s0, HL_CTX + 16(tp)
    ld s1, HL_CTX + 24(tp)
    ld s2, HL_CTX + 32(tp)
    ld s3, HL_CTX + 40(tp)
    ld s4, HL_CTX + 48(tp)
    ld s5, HL_CTX + 56(tp)
    ld s6, HL_CTX + 64(tp)
    ld s7, HL_CTX + 72(tp)
    ld s8, HL_CTX + 80(tp)
    ld s9, HL_CTX + 88(tp)
    ld s10, HL_CTX + 96(tp)
    ld s11, HL_CTX + 104(tp)
    sd zero, HL_LOWER_ACTIVE(tp)
    ld t1, HL_SAVED_STATUS(tp)
#if GUEST_M_MODE
    csrw mscratch, zero
    csrw sscratch, zero
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    and t1, t1, t0
    csrs mstatus, t1
#else
    csrw sscratch, zero
    li t0, MSTATUS_SIE
    csrc sstatus, t0
    and t1, t1, t0
    csrs sstatus, t1
#endif
    ret

    .data
    .align 3
    .globl guest_boot_done
guest_boot_done:
    .dword 0
