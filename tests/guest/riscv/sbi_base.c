/* tests/guest/riscv/sbi_base.c: the SBI Base extension (SBI v2.0, chapter 4) and the
 * calling convention of chapter 3: the specification version, implementation ID and
 * version, probe_extension for every extension the SBI implements and for unknown
 * ones, the machine ID registers, SBI_ERR_NOT_SUPPORTED for unknown extensions and
 * functions, and the preservation of every register but a0 and a1 across a call. */
#include "guest_riscv.h"
#include "sbi.h"

static const struct {
    unsigned long eid;
    const char *name;
} implemented[] = {
    { SBI_EXT_BASE, "BASE" },
    { SBI_EXT_TIME, "TIME" },
    { SBI_EXT_IPI, "IPI (sPI)" },
    { SBI_EXT_RFENCE, "RFENCE (RFNC)" },
    { SBI_EXT_HSM, "HSM" },
    { SBI_EXT_SRST, "SRST" },
    { SBI_EXT_DBCN, "DBCN" },
    { SBI_EXT_SUSP, "SUSP" },
    { SBI_LEGACY_SET_TIMER, "legacy set_timer" },
    { SBI_LEGACY_CONSOLE_PUTCHAR, "legacy console_putchar" },
    { SBI_LEGACY_CONSOLE_GETCHAR, "legacy console_getchar" },
    { SBI_LEGACY_CLEAR_IPI, "legacy clear_ipi" },
    { SBI_LEGACY_SEND_IPI, "legacy send_ipi" },
    { SBI_LEGACY_REMOTE_FENCE_I, "legacy remote_fence_i" },
    { SBI_LEGACY_REMOTE_SFENCE_VMA, "legacy remote_sfence_vma" },
    { SBI_LEGACY_REMOTE_SFENCE_VMA_ASID, "legacy remote_sfence_vma_asid" },
    { SBI_LEGACY_SHUTDOWN, "legacy shutdown" },
};

static const unsigned long unknown_eids[] = {
    0x09,        /* reserved legacy EIDs 0x09-0x0F */
    0x0f,
    0x11,
    0x504D55,    /* PMU: not implemented by this SBI */
    0x4E41434C,  /* NACL */
    0x535441,    /* STA: not implemented by this SBI */
    0x0A000000,  /* experimental range start, unused */
    0x12345678,
    0xffffffff,
};

/* Calls BASE get_spec_version with every other register holding a known pattern and
 * returns a bit mask of the registers (x1..x31) that came back changed. */
unsigned long sbi_preserve_check(void);
__asm__(
    "    .text\n"
    "    .globl sbi_preserve_check\n"
    "sbi_preserve_check:\n"
    "    addi sp, sp, -128\n"
    "    sd ra, 0(sp)\n"
    "    sd s0, 8(sp)\n"
    "    sd s1, 16(sp)\n"
    "    sd s2, 24(sp)\n"
    "    sd s3, 32(sp)\n"
    "    sd s4, 40(sp)\n"
    "    sd s5, 48(sp)\n"
    "    sd s6, 56(sp)\n"
    "    sd s7, 64(sp)\n"
    "    sd s8, 72(sp)\n"
    "    sd s9, 80(sp)\n"
    "    sd s10, 88(sp)\n"
    "    sd s11, 96(sp)\n"
    "    sd gp, 104(sp)\n"
    "    sd tp, 112(sp)\n"
    /* xN = 0x5a5a0000 + N for every register the call must keep */
    "    li t0, 0x5a5a0005\n"
    "    li t1, 0x5a5a0006\n"
    "    li t2, 0x5a5a0007\n"
    "    li s0, 0x5a5a0008\n"
    "    li s1, 0x5a5a0009\n"
    "    li a2, 0x5a5a000c\n"
    "    li a3, 0x5a5a000d\n"
    "    li a4, 0x5a5a000e\n"
    "    li a5, 0x5a5a000f\n"
    "    li a6, 0\n"          /* FID get_spec_version */
    "    li a7, 0x10\n"       /* EID BASE */
    "    li s2, 0x5a5a0012\n"
    "    li s3, 0x5a5a0013\n"
    "    li s4, 0x5a5a0014\n"
    "    li s5, 0x5a5a0015\n"
    "    li s6, 0x5a5a0016\n"
    "    li s7, 0x5a5a0017\n"
    "    li s8, 0x5a5a0018\n"
    "    li s9, 0x5a5a0019\n"
    "    li s10, 0x5a5a001a\n"
    "    li s11, 0x5a5a001b\n"
    "    li t3, 0x5a5a001c\n"
    "    li t4, 0x5a5a001d\n"
    "    li t5, 0x5a5a001e\n"
    "    li t6, 0x5a5a001f\n"
    "    li ra, 0x5a5a0001\n"
    "    li gp, 0x5a5a0003\n"
    "    li tp, 0x5a5a0004\n"
    "    sd sp, 120(sp)\n"
    "    ecall\n"
    "    li a0, 0\n"
    /* compare each register with its pattern; set bit N of a0 when xN changed */
    "    .macro CHK reg, n\n"
    "    li a1, 0x5a5a0000 + \\n\n"
    "    beq \\reg, a1, 1f\n"
    "    li a1, 1\n"
    "    slli a1, a1, \\n\n"
    "    or a0, a0, a1\n"
    "1:\n"
    "    .endm\n"
    "    CHK ra, 1\n"
    "    CHK gp, 3\n"
    "    CHK tp, 4\n"
    "    CHK t0, 5\n"
    "    CHK t1, 6\n"
    "    CHK t2, 7\n"
    "    CHK s0, 8\n"
    "    CHK s1, 9\n"
    "    CHK a2, 12\n"
    "    CHK a3, 13\n"
    "    CHK a4, 14\n"
    "    CHK a5, 15\n"
    "    li a1, 0\n"
    "    beq a6, a1, 2f\n"
    "    li a1, 1 << 16\n"
    "    or a0, a0, a1\n"
    "2:  li a1, 0x10\n"
    "    beq a7, a1, 3f\n"
    "    li a1, 1 << 17\n"
    "    or a0, a0, a1\n"
    "3:\n"
    "    CHK s2, 18\n"
    "    CHK s3, 19\n"
    "    CHK s4, 20\n"
    "    CHK s5, 21\n"
    "    CHK s6, 22\n"
    "    CHK s7, 23\n"
    "    CHK s8, 24\n"
    "    CHK s9, 25\n"
    "    CHK s10, 26\n"
    "    CHK s11, 27\n"
    "    CHK t3, 28\n"
    "    CHK t4, 29\n"
    "    CHK t5, 30\n"
    "    CHK t6, 31\n"
    "    ld a1, 120(sp)\n"
    "    beq a1, sp, 4f\n"
    "    li a1, 4\n"
    "    or a0, a0, a1\n"
    "4:\n"
    "    ld ra, 0(sp)\n"
    "    ld s0, 8(sp)\n"
    "    ld s1, 16(sp)\n"
    "    ld s2, 24(sp)\n"
    "    ld s3, 32(sp)\n"
    "    ld s4, 40(sp)\n"
    "    ld s5, 48(sp)\n"
    "    ld s6, 56(sp)\n"
    "    ld s7, 64(sp)\n"
    "    ld s8, 72(sp)\n"
    "    ld s9, 80(sp)\n"
    "    ld s10, 88(sp)\n"
    "    ld s11, 96(sp)\n"
    "    ld gp, 104(sp)\n"
    "    ld tp, 112(sp)\n"
    "    addi sp, sp, 128\n"
    "    ret\n");

int main(void)
{
    struct sbiret r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
    report(r.error == SBI_SUCCESS && r.value == 0x02000000,
           "get_spec_version: v2.0 (error %ld, value 0x%lx: major %lu minor %lu)", r.error,
           r.value, (r.value >> 24) & 0x7f, r.value & 0xffffff);
    report(!(r.value & (1L << 31)), "get_spec_version: bit 31 is reserved, 0");

    r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID);
    report(r.error == SBI_SUCCESS, "get_impl_id succeeds (impl id 0x%lx)", r.value);
    r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION);
    report(r.error == SBI_SUCCESS, "get_impl_version succeeds (version 0x%lx)", r.value);

    for (unsigned k = 0; k < ARRAY_SIZE(implemented); k++) {
        r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, implemented[k].eid);
        report(r.error == SBI_SUCCESS && r.value != 0,
               "probe_extension(0x%lx %s) reports it available (error %ld, value %ld)",
               implemented[k].eid, implemented[k].name, r.error, r.value);
    }
    for (unsigned k = 0; k < ARRAY_SIZE(unknown_eids); k++) {
        r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, unknown_eids[k]);
        report(r.error == SBI_SUCCESS && r.value == 0,
               "probe_extension(0x%lx) of an unimplemented extension returns 0 (error %ld, "
               "value %ld)", unknown_eids[k], r.error, r.value);
    }

    /* 4.5-4.7: a value legal for the CSR; this SBI passes the harts' own (zero). */
    r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID);
    report(r.error == SBI_SUCCESS && r.value == 0 , "get_mvendorid: 0 (error %ld, value 0x%lx)",
           r.error, r.value);
    r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID);
    report(r.error == SBI_SUCCESS && r.value == 0, "get_marchid: 0 (error %ld, value 0x%lx)",
           r.error, r.value);
    r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID);
    report(r.error == SBI_SUCCESS && r.value == 0, "get_mimpid: 0 (error %ld, value 0x%lx)",
           r.error, r.value);

    /* 3: unknown EIDs and FIDs return SBI_ERR_NOT_SUPPORTED. */
    r = sbi_call0(0x12345678, 0);
    report(r.error == SBI_ERR_NOT_SUPPORTED, "unknown EID 0x12345678: SBI_ERR_NOT_SUPPORTED (%ld)",
           r.error);
    r = sbi_call0(0x504D55, 0);
    report(r.error == SBI_ERR_NOT_SUPPORTED, "unimplemented PMU EID: SBI_ERR_NOT_SUPPORTED (%ld)",
           r.error);
    static const struct {
        unsigned long eid, fid;
        const char *name;
    } bad_fids[] = {
        { SBI_EXT_BASE, 7, "BASE" },
        { SBI_EXT_BASE, 0x1000, "BASE" },
        { SBI_EXT_TIME, 1, "TIME" },
        { SBI_EXT_IPI, 1, "IPI" },
        { SBI_EXT_RFENCE, 3, "RFENCE (HFENCE.GVMA_VMID: no H extension)" },
        { SBI_EXT_RFENCE, 7, "RFENCE" },
        { SBI_EXT_HSM, 4, "HSM" },
        { SBI_EXT_SRST, 1, "SRST" },
        { SBI_EXT_DBCN, 3, "DBCN" },
        { SBI_EXT_SUSP, 1, "SUSP" },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_fids); k++) {
        r = sbi_call0(bad_fids[k].eid, bad_fids[k].fid);
        report(r.error == SBI_ERR_NOT_SUPPORTED,
               "unknown FID %lu of %s: SBI_ERR_NOT_SUPPORTED (%ld)", bad_fids[k].fid,
               bad_fids[k].name, r.error);
    }

    unsigned long changed = sbi_preserve_check();
    report(changed == 0, "an SBI call preserves every register but a0 and a1 (changed mask 0x%lx)",
           changed);
    return 0;
}
