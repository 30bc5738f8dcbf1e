/* tests/guest/lib/riscv/sbi.h: calling the RISC-V Supervisor Binary Interface from an
 * S-mode guest (RISC-V SBI specification v2.0, chapter 3 "Binary Encoding": a7 = EID,
 * a6 = FID, a0-a5 arguments, a0 = error and a1 = value on return; the legacy v0.1
 * calls of chapter 5 return in a0 alone). */
#ifndef GUEST_RISCV_SBI_H
#define GUEST_RISCV_SBI_H

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED -4
#define SBI_ERR_INVALID_ADDRESS -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED -7
#define SBI_ERR_ALREADY_STOPPED -8

/* Legacy extensions (chapter 5) */
#define SBI_LEGACY_SET_TIMER 0x00
#define SBI_LEGACY_CONSOLE_PUTCHAR 0x01
#define SBI_LEGACY_CONSOLE_GETCHAR 0x02
#define SBI_LEGACY_CLEAR_IPI 0x03
#define SBI_LEGACY_SEND_IPI 0x04
#define SBI_LEGACY_REMOTE_FENCE_I 0x05
#define SBI_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define SBI_LEGACY_SHUTDOWN 0x08

#define SBI_EXT_BASE 0x10
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT 3
#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

#define SBI_EXT_TIME 0x54494D45
#define SBI_TIME_SET_TIMER 0

#define SBI_EXT_IPI 0x735049
#define SBI_IPI_SEND_IPI 0

#define SBI_EXT_RFENCE 0x52464E43
#define SBI_RFENCE_FENCE_I 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2

#define SBI_EXT_HSM 0x48534D
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND 3
#define SBI_HSM_STATE_STARTED 0
#define SBI_HSM_STATE_STOPPED 1
#define SBI_HSM_STATE_START_PENDING 2
#define SBI_HSM_STATE_STOP_PENDING 3
#define SBI_HSM_STATE_SUSPENDED 4
#define SBI_HSM_STATE_SUSPEND_PENDING 5
#define SBI_HSM_STATE_RESUME_PENDING 6
#define SBI_HSM_SUSPEND_RET_DEFAULT 0x00000000UL
#define SBI_HSM_SUSPEND_NON_RET_DEFAULT 0x80000000UL

#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_TYPE_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_SYSFAIL 1

#define SBI_EXT_DBCN 0x4442434E
#define SBI_DBCN_CONSOLE_WRITE 0
#define SBI_DBCN_CONSOLE_READ 1
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2

#define SBI_EXT_SUSP 0x53555350
#define SBI_SUSP_SYSTEM_SUSPEND 0
#define SBI_SUSP_SLEEP_TYPE_SUSPEND_TO_RAM 0

struct sbiret {
    long error;
    long value;
};

static inline struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
                                      unsigned long arg1, unsigned long arg2, unsigned long arg3,
                                      unsigned long arg4, unsigned long arg5)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a3 __asm__("a3") = arg3;
    register unsigned long a4 __asm__("a4") = arg4;
    register unsigned long a5 __asm__("a5") = arg5;
    register unsigned long a6 __asm__("a6") = fid;
    register unsigned long a7 __asm__("a7") = ext;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1)
                     : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
                     : "memory");
    return (struct sbiret){ (long)a0, (long)a1 };
}

#define sbi_call0(e, f) sbi_ecall((e), (f), 0, 0, 0, 0, 0, 0)
#define sbi_call1(e, f, x) sbi_ecall((e), (f), (x), 0, 0, 0, 0, 0)
#define sbi_call2(e, f, x, y) sbi_ecall((e), (f), (x), (y), 0, 0, 0, 0)
#define sbi_call3(e, f, x, y, z) sbi_ecall((e), (f), (x), (y), (z), 0, 0, 0)

/* A legacy call: the result is a0 alone. a1..a7 other than the arguments are preserved
 * by the convention, so only a0 comes back. */
static inline long sbi_legacy(unsigned long eid, unsigned long arg0, unsigned long arg1,
                              unsigned long arg2)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return (long)a0;
}

static inline long sbi_probe(unsigned long eid)
{
    struct sbiret r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid);
    return r.error ? r.error : r.value;
}

static inline struct sbiret sbi_set_timer(unsigned long stime)
{
    return sbi_call1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, stime);
}

static inline struct sbiret sbi_send_ipi(unsigned long mask, unsigned long base)
{
    return sbi_call2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base);
}

static inline struct sbiret sbi_hart_start(unsigned long id, unsigned long addr, unsigned long opaque)
{
    return sbi_call3(SBI_EXT_HSM, SBI_HSM_HART_START, id, addr, opaque);
}

static inline struct sbiret sbi_hart_stop(void)
{
    return sbi_call0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
}

static inline struct sbiret sbi_hart_get_status(unsigned long id)
{
    return sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, id);
}

static inline struct sbiret sbi_hart_suspend(unsigned long type, unsigned long addr,
                                             unsigned long opaque)
{
    return sbi_call3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, addr, opaque);
}

static inline struct sbiret sbi_system_reset(unsigned long type, unsigned long reason)
{
    return sbi_call2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, type, reason);
}

#endif
