/* tests/acceptance/riscv/kvm-launch.c: a KVM launcher of hvemu's own for RISC-V Linux (the
 * Linux KVM API, Documentation/virt/kvm/api.rst; RISC-V registers and SBI exits as the uapi
 * header asm/kvm.h of Linux 6.12 defines them), run by the acceptance initramfs's /init on a
 * Debian kernel that loaded kvm.ko (issue 5, "Proof with real hypervisor software"). Static,
 * C11: riscv64-linux-gnu-gcc -std=c11 -static -O2 (scripts/guests/riscv).
 *
 * It creates a VM through /dev/kvm, gives it RAM at guest physical 0x80000000 holding a small
 * guest program that the launcher assembles itself (a few instruction encoders below), and
 * runs one vCPU, checking every exit on the way:
 *   1. the guest writes a line through the SBI debug console (DBCN CONSOLE_WRITE, whose
 *      buffer the launcher reads from guest memory) and three bytes through DBCN
 *      CONSOLE_WRITE_BYTE: KVM_EXIT_RISCV_SBI, served here;
 *   2. it stores to and loads back from 16 pages that nothing touched before (each one faults
 *      in through KVM's G-stage page tables), and loads a word the launcher wrote: no exit;
 *   3. it stores a word to, then loads a word from, addresses in no memory slot:
 *      KVM_EXIT_MMIO (address, length, direction and data checked; the load gets a value
 *      from here, which the guest checks);
 *   4. it shuts down through SBI SRST: KVM_EXIT_SYSTEM_EVENT (SHUTDOWN, reason "none"; a guest
 *      check that failed prints its letter and shuts down with reason "system failure").
 * Then the launcher checks the guest's stores through its own view of guest memory and
 * prints HVEMU-KVM-OK, or HVEMU-KVM-FAIL <why> at the first thing that went wrong.
 *
 * `kvm-launch --linux IMAGE INITRD CMDLINE` boots a RISC-V Linux Image instead (see
 * boot_linux): one hart, 256 MiB, a device tree made here, a 16550 UART modelled here for its
 * console; HVEMU-KVM-LINUX-DONE when the guest shuts down, HVEMU-KVM-LINUX-FAIL <why> if not.
 *
 * Exit status: 0 after HVEMU-KVM-OK (HVEMU-KVM-LINUX-DONE), 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KVM_EXPECTED_API_VERSION 12

/* asm/kvm.h of Linux 6.12: SBI extensions as ONE_REG registers (newer than the 6.1 headers
 * of Debian's riscv64 cross libc). */
#ifndef KVM_REG_RISCV_SBI_EXT
#define KVM_REG_RISCV_SBI_EXT (0x08 << KVM_REG_RISCV_TYPE_SHIFT)
#define KVM_REG_RISCV_SBI_SINGLE (0x0 << 16) /* KVM_REG_RISCV_SUBTYPE_SHIFT */
#endif
#define KVM_RISCV_SBI_EXT_DBCN_IDX 9 /* enum KVM_RISCV_SBI_EXT_ID: KVM_RISCV_SBI_EXT_DBCN */

#define REG_CORE(field)                                                                            \
    (KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(field))
#define REG_SBI_EXT(idx)                                                                           \
    (KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_SBI_EXT | KVM_REG_RISCV_SBI_SINGLE | (idx))

/* SBI (RISC-V SBI specification v2.0): extension ids, functions, error codes. */
#define SBI_EXT_DBCN 0x4442434eu /* "DBCN", chapter 12 */
#define SBI_EXT_DBCN_CONSOLE_WRITE 0
#define SBI_EXT_DBCN_CONSOLE_READ 1
#define SBI_EXT_DBCN_CONSOLE_WRITE_BYTE 2
#define SBI_EXT_SRST 0x53525354u /* "SRST", chapter 10 */
#define SBI_SRST_RESET_TYPE_SHUTDOWN 0
#define SBI_SRST_RESET_REASON_NONE 0
#define SBI_SRST_RESET_REASON_SYSFAIL 1
#define SBI_SUCCESS 0
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)

/* --- the guest's memory map --------------------------------------------------------------- */
#define GUEST_RAM_BASE 0x80000000u
#define GUEST_RAM_SIZE (16u << 20)
#define GUEST_MSG_GPA (GUEST_RAM_BASE + 0x800)      /* the line for DBCN CONSOLE_WRITE */
#define GUEST_PAGES_GPA (GUEST_RAM_BASE + 0x400000) /* 16 pages, 64 KiB apart, untouched */
#define GUEST_PAGES 16
#define GUEST_PAGE_STRIDE 0x10000u
#define GUEST_PATTERN 0x5a5a00005a5a0000ull             /* page i holds GUEST_PATTERN + i */
#define GUEST_HOST_WORD_GPA (GUEST_RAM_BASE + 0x800000) /* written by the launcher */
#define GUEST_HOST_WORD 0x0123456789abcdefull
#define GUEST_MMIO_GPA 0x10000000u   /* in no memory slot */
#define GUEST_MMIO_STORE 0x4b564d21u /* stored (sw) at GUEST_MMIO_GPA */
#define GUEST_MMIO_LOAD_OFF 8        /* loaded (lw) at GUEST_MMIO_GPA + 8 */
#define GUEST_MMIO_LOAD 0x12345678u  /* what the launcher answers */

static const char guest_msg[] = "kvm guest: hello through SBI DBCN\n";
static const char guest_tail[] = "ok\n"; /* then byte by byte through CONSOLE_WRITE_BYTE */

/* --- a small RV64I assembler: one encoder per instruction format (The RISC-V Instruction Set
 * Manual, Volume I, 2.2 "Base Instruction Formats" and 2.3 "Immediate Encoding Variants") -- */
enum {
    ZERO = 0,
    T0 = 5,
    T1 = 6,
    T2 = 7,
    S0 = 8,
    S1 = 9,
    A0 = 10,
    A1 = 11,
    A2 = 12,
    A6 = 16,
    A7 = 17,
    S2 = 18,
    S3 = 19,
    S4 = 20,
    T3 = 28
};

#define ASM_MAX_WORDS 256
#define ASM_MAX_LABELS 16

typedef struct {
    size_t at; /* the branch or jump's word index */
    int label;
    bool jal;
} AsmFix;

typedef struct {
    uint32_t word[ASM_MAX_WORDS];
    size_t n;
    long label[ASM_MAX_LABELS]; /* word index, or -1 while unbound */
    AsmFix fix[ASM_MAX_WORDS];
    size_t nfix;
    bool overflow;
} Asm;

static void emit(Asm *a, uint32_t w)
{
    if (a->n < ASM_MAX_WORDS)
        a->word[a->n++] = w;
    else
        a->overflow = true;
}

static uint32_t enc_i(uint32_t op, uint32_t f3, int rd, int rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfffu) << 20 | (uint32_t)rs1 << 15 | f3 << 12 | (uint32_t)rd << 7 | op;
}
static uint32_t enc_s(uint32_t op, uint32_t f3, int rs1, int rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return (u >> 5 & 0x7fu) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | f3 << 12 |
           (u & 0x1fu) << 7 | op;
}
static uint32_t enc_b(uint32_t f3, int rs1, int rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return (u >> 12 & 1u) << 31 | (u >> 5 & 0x3fu) << 25 | (uint32_t)rs2 << 20 |
           (uint32_t)rs1 << 15 | f3 << 12 | (u >> 1 & 0xfu) << 8 | (u >> 11 & 1u) << 7 | 0x63u;
}
static uint32_t enc_j(int rd, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return (u >> 20 & 1u) << 31 | (u >> 1 & 0x3ffu) << 21 | (u >> 11 & 1u) << 20 |
           (u >> 12 & 0xffu) << 12 | (uint32_t)rd << 7 | 0x6fu;
}

static void addi(Asm *a, int rd, int rs1, int32_t imm) { emit(a, enc_i(0x13, 0, rd, rs1, imm)); }
static void addiw(Asm *a, int rd, int rs1, int32_t imm) { emit(a, enc_i(0x1b, 0, rd, rs1, imm)); }
static void slli(Asm *a, int rd, int rs1, int sh) { emit(a, enc_i(0x13, 1, rd, rs1, sh & 63)); }
static void lui(Asm *a, int rd, uint32_t hi20)
{
    emit(a, (hi20 & 0xfffffu) << 12 | (uint32_t)rd << 7 | 0x37u);
}
static void add(Asm *a, int rd, int rs1, int rs2)
{
    emit(a, (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 | (uint32_t)rd << 7 | 0x33u);
}
static void mv(Asm *a, int rd, int rs) { addi(a, rd, rs, 0); }
static void lw(Asm *a, int rd, int rs1, int32_t off) { emit(a, enc_i(0x03, 2, rd, rs1, off)); }
static void ld(Asm *a, int rd, int rs1, int32_t off) { emit(a, enc_i(0x03, 3, rd, rs1, off)); }
static void sw(Asm *a, int rs2, int rs1, int32_t off) { emit(a, enc_s(0x23, 2, rs1, rs2, off)); }
static void sd(Asm *a, int rs2, int rs1, int32_t off) { emit(a, enc_s(0x23, 3, rs1, rs2, off)); }
static void ecall(Asm *a) { emit(a, 0x00000073u); }

/* li: any 64-bit constant. Values of 32 bits or less are lui + addiw (addiw wraps the low 32
 * bits and sign-extends, which is what the value is); longer ones are the upper part, shifted
 * left 12, plus the sign-extended low 12 bits. */
static void li(Asm *a, int rd, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        int64_t hi = (v + 0x800) >> 12, lo = v - hi * 4096;
        if (hi == 0) {
            addi(a, rd, ZERO, (int32_t)lo);
        } else {
            lui(a, rd, (uint32_t)hi);
            if (lo != 0)
                addiw(a, rd, rd, (int32_t)lo);
        }
        return;
    }
    int64_t lo = (int64_t)((uint64_t)v << 52) >> 52;
    li(a, rd, (v - lo) >> 12);
    slli(a, rd, rd, 12);
    if (lo != 0)
        addi(a, rd, rd, (int32_t)lo);
}

static void bind(Asm *a, int label) { a->label[label] = (long)a->n; }
static void branch(Asm *a, uint32_t f3, int rs1, int rs2, int label)
{
    if (a->nfix < ASM_MAX_WORDS)
        a->fix[a->nfix++] = (AsmFix){.at = a->n, .label = label, .jal = false};
    emit(a, enc_b(f3, rs1, rs2, 0));
}
static void bne(Asm *a, int rs1, int rs2, int label) { branch(a, 1, rs1, rs2, label); }
static void j(Asm *a, int label)
{
    if (a->nfix < ASM_MAX_WORDS)
        a->fix[a->nfix++] = (AsmFix){.at = a->n, .label = label, .jal = true};
    emit(a, enc_j(ZERO, 0));
}

/* Patches every branch and jump with its label's offset; false if one is unbound. */
static bool resolve(Asm *a)
{
    for (size_t i = 0; i < a->nfix; i++) {
        long to = a->label[a->fix[i].label];
        if (to < 0)
            return false;
        int32_t off = (int32_t)((to - (long)a->fix[i].at) * 4);
        uint32_t *w = &a->word[a->fix[i].at];
        *w = a->fix[i].jal
                 ? enc_j(ZERO, off)
                 : enc_b(*w >> 12 & 7u, (int)(*w >> 15 & 31u), (int)(*w >> 20 & 31u), off);
    }
    return !a->overflow;
}

/* --- the guest program -------------------------------------------------------------------- */
enum { L_FAIL, L_FAIL_CONSOLE, L_FAIL_MEMORY, L_FAIL_HOST_WORD, L_FAIL_MMIO, L_WRITE, L_READ };

static void sbi_call(Asm *a, uint32_t eid, int fid)
{
    li(a, A7, (int64_t)eid);
    li(a, A6, fid);
    ecall(a);
}

/* The program of the file comment, steps 1-4. On a failed check it loads a letter into s4
 * (C console, M memory, H the launcher's word, I MMIO load, S shutdown returned) and goes to
 * L_FAIL, which prints the letter and shuts down with reason "system failure". */
static bool guest_assemble(Asm *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 0; i < ASM_MAX_LABELS; i++)
        a->label[i] = -1;

    /* 1. DBCN CONSOLE_WRITE(num_bytes, base_addr_lo, base_addr_hi): a0 = 0, a1 = bytes. */
    li(a, A0, (int64_t)strlen(guest_msg));
    li(a, A1, GUEST_MSG_GPA);
    li(a, A2, 0);
    sbi_call(a, SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE);
    bne(a, A0, ZERO, L_FAIL_CONSOLE);
    li(a, T0, (int64_t)strlen(guest_msg));
    bne(a, A1, T0, L_FAIL_CONSOLE);
    for (size_t i = 0; guest_tail[i]; i++) {
        li(a, A0, guest_tail[i]);
        sbi_call(a, SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE);
        bne(a, A0, ZERO, L_FAIL_CONSOLE);
    }

    /* 2. Page i (s0 + i * s3) gets GUEST_PATTERN + i, then every page is read back. */
    li(a, S0, GUEST_PAGES_GPA);
    li(a, S2, (int64_t)GUEST_PATTERN);
    li(a, S3, GUEST_PAGE_STRIDE);
    mv(a, T0, S0);
    mv(a, T1, S2);
    li(a, T2, GUEST_PAGES);
    bind(a, L_WRITE);
    sd(a, T1, T0, 0);
    add(a, T0, T0, S3);
    addi(a, T1, T1, 1);
    addi(a, T2, T2, -1);
    bne(a, T2, ZERO, L_WRITE);
    mv(a, T0, S0);
    mv(a, T1, S2);
    li(a, T2, GUEST_PAGES);
    bind(a, L_READ);
    ld(a, T3, T0, 0);
    bne(a, T3, T1, L_FAIL_MEMORY);
    add(a, T0, T0, S3);
    addi(a, T1, T1, 1);
    addi(a, T2, T2, -1);
    bne(a, T2, ZERO, L_READ);
    li(a, T0, GUEST_HOST_WORD_GPA);
    ld(a, T3, T0, 0);
    li(a, T1, (int64_t)GUEST_HOST_WORD);
    bne(a, T3, T1, L_FAIL_HOST_WORD);

    /* 3. MMIO: a 4-byte store, then a 4-byte load the launcher answers. */
    li(a, T0, GUEST_MMIO_GPA);
    li(a, T1, GUEST_MMIO_STORE);
    sw(a, T1, T0, 0);
    lw(a, T3, T0, GUEST_MMIO_LOAD_OFF);
    li(a, T1, GUEST_MMIO_LOAD);
    bne(a, T3, T1, L_FAIL_MMIO);

    /* 4. SRST shutdown: does not return. */
    li(a, A0, SBI_SRST_RESET_TYPE_SHUTDOWN);
    li(a, A1, SBI_SRST_RESET_REASON_NONE);
    sbi_call(a, SBI_EXT_SRST, 0);
    li(a, S4, 'S');
    j(a, L_FAIL);

    static const struct {
        int label;
        char letter;
    } fails[] = {
        {L_FAIL_CONSOLE, 'C'},
        {L_FAIL_MEMORY, 'M'},
        {L_FAIL_HOST_WORD, 'H'},
        {L_FAIL_MMIO, 'I'},
    };
    for (size_t i = 0; i < ARRAY_SIZE(fails); i++) {
        bind(a, fails[i].label);
        li(a, S4, fails[i].letter);
        j(a, L_FAIL);
    }
    bind(a, L_FAIL);
    mv(a, A0, S4);
    sbi_call(a, SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE);
    li(a, A0, SBI_SRST_RESET_TYPE_SHUTDOWN);
    li(a, A1, SBI_SRST_RESET_REASON_SYSFAIL);
    sbi_call(a, SBI_EXT_SRST, 0);
    j(a, L_FAIL);
    return resolve(a);
}

/* --- the launcher ------------------------------------------------------------------------- */
typedef struct {
    char text[256];
} Why;

static bool fail(Why *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->text, sizeof(why->text), fmt, ap);
    va_end(ap);
    return false;
}

typedef struct {
    int kvm, vm, vcpu;
    struct kvm_run *run;
    size_t run_size;
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    char console[512]; /* what the guest printed */
    size_t console_len;
    unsigned exits_sbi, exits_mmio_write, exits_mmio_read;
} Vm;

static void vm_close(Vm *v)
{
    if (v->run)
        munmap(v->run, v->run_size);
    if (v->vcpu >= 0)
        close(v->vcpu);
    if (v->vm >= 0)
        close(v->vm);
    if (v->ram)
        munmap(v->ram, v->ram_size);
    if (v->kvm >= 0)
        close(v->kvm);
}

static bool set_reg(Vm *v, uint64_t id, uint64_t value, Why *why, const char *name)
{
    struct kvm_one_reg r = {.id = id, .addr = (uintptr_t)&value};
    if (ioctl(v->vcpu, KVM_SET_ONE_REG, &r) < 0)
        return fail(why, "KVM_SET_ONE_REG %s: %s", name, strerror(errno));
    return true;
}

static bool get_reg(Vm *v, uint64_t id, uint64_t *value, Why *why, const char *name)
{
    struct kvm_one_reg r = {.id = id, .addr = (uintptr_t)value};
    if (ioctl(v->vcpu, KVM_GET_ONE_REG, &r) < 0)
        return fail(why, "KVM_GET_ONE_REG %s: %s", name, strerror(errno));
    return true;
}

/* Guest physical [gpa, gpa + len) inside RAM: the launcher's pointer to it, or NULL. */
static uint8_t *guest_ptr(Vm *v, uint64_t gpa, uint64_t len)
{
    if (gpa < v->ram_base || len > v->ram_size || gpa - v->ram_base > v->ram_size - len)
        return NULL;
    return v->ram + (gpa - v->ram_base);
}

static void console_put(Vm *v, const void *p, size_t n)
{
    fwrite(p, 1, n, stdout);
    fflush(stdout);
    size_t room = sizeof(v->console) - 1 - v->console_len;
    n = n < room ? n : room;
    memcpy(v->console + v->console_len, p, n);
    v->console_len += n;
    v->console[v->console_len] = '\0';
}

/* 1. /dev/kvm, the API version, a VM, its RAM (one memory slot) and one vCPU. */
static bool vm_open(Vm *v, uint64_t ram_base, uint64_t ram_size, Why *why)
{
    int api, size;
    if ((v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0)
        return fail(why, "open /dev/kvm: %s", strerror(errno));
    if ((api = ioctl(v->kvm, KVM_GET_API_VERSION, 0)) != KVM_EXPECTED_API_VERSION)
        return fail(why, "KVM_GET_API_VERSION = %d, want %d", api, KVM_EXPECTED_API_VERSION);
    if ((v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0)) < 0)
        return fail(why, "KVM_CREATE_VM: %s", strerror(errno));
    v->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (v->ram == MAP_FAILED) {
        v->ram = NULL;
        return fail(why, "mmap %llu bytes of guest RAM: %s", (unsigned long long)ram_size,
                    strerror(errno));
    }
    v->ram_base = ram_base;
    v->ram_size = ram_size;
    struct kvm_userspace_memory_region slot = {
        .slot = 0,
        .guest_phys_addr = ram_base,
        .memory_size = ram_size,
        .userspace_addr = (uintptr_t)v->ram,
    };
    if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
        return fail(why, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
    if ((size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) < (int)sizeof(struct kvm_run))
        return fail(why, "KVM_GET_VCPU_MMAP_SIZE = %d", size);
    if ((v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0)) < 0)
        return fail(why, "KVM_CREATE_VCPU: %s", strerror(errno));
    v->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
    if (v->run == MAP_FAILED) {
        v->run = NULL;
        return fail(why, "mmap kvm_run: %s", strerror(errno));
    }
    v->run_size = (size_t)size;
    printf("kvm: API version %d, VM with %llu MiB at 0x%llx, vCPU 0\n", api,
           (unsigned long long)(ram_size >> 20), (unsigned long long)ram_base);
    return true;
}

/* 2. The vCPU starts at pc with a0 = hart id 0, a1 = arg1, and the SBI debug console on
 *    (KVM forwards DBCN to userspace, but only once userspace enables it). */
static bool vcpu_setup(Vm *v, uint64_t pc, uint64_t arg1, Why *why)
{
    uint64_t back = 0, isa = 0;
    if (!set_reg(v, REG_SBI_EXT(KVM_RISCV_SBI_EXT_DBCN_IDX), 1, why, "SBI_EXT DBCN") ||
        !set_reg(v, REG_CORE(regs.pc), pc, why, "pc") ||
        !set_reg(v, REG_CORE(regs.a0), 0, why, "a0") ||
        !set_reg(v, REG_CORE(regs.a1), arg1, why, "a1") ||
        !get_reg(v, REG_CORE(regs.pc), &back, why, "pc") ||
        !get_reg(v,
                 KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CONFIG |
                     KVM_REG_RISCV_CONFIG_REG(isa),
                 &isa, why, "config isa"))
        return false;
    if (back != pc)
        return fail(why, "pc reads back as 0x%llx, set 0x%llx", (unsigned long long)back,
                    (unsigned long long)pc);
    char letters[27] = "";
    for (int i = 0, n = 0; i < 26; i++)
        if (isa >> i & 1)
            letters[n++] = (char)('a' + i);
    printf("kvm: vCPU pc 0x%llx, base ISA %s\n", (unsigned long long)pc, letters);
    return true;
}

/* SBI calls KVM forwards: the debug console. Any other is answered "not supported". */
static bool serve_sbi(Vm *v, Why *why)
{
    struct kvm_run *r = v->run;
    v->exits_sbi++;
    r->riscv_sbi.ret[0] = (unsigned long)SBI_ERR_NOT_SUPPORTED;
    r->riscv_sbi.ret[1] = 0;
    if (r->riscv_sbi.extension_id != SBI_EXT_DBCN) {
        printf("kvm: SBI call 0x%lx/%lu not served\n", r->riscv_sbi.extension_id,
               r->riscv_sbi.function_id);
        return true;
    }
    switch (r->riscv_sbi.function_id) {
    case SBI_EXT_DBCN_CONSOLE_WRITE: {
        uint64_t len = r->riscv_sbi.args[0], gpa = r->riscv_sbi.args[1];
        const uint8_t *p = r->riscv_sbi.args[2] ? NULL : guest_ptr(v, gpa, len);
        if (!p) {
            r->riscv_sbi.ret[0] = (unsigned long)SBI_ERR_INVALID_PARAM;
            return fail(why, "DBCN CONSOLE_WRITE of %llu bytes at 0x%llx: outside guest RAM",
                        (unsigned long long)len, (unsigned long long)gpa);
        }
        console_put(v, p, len);
        r->riscv_sbi.ret[0] = SBI_SUCCESS;
        r->riscv_sbi.ret[1] = len;
        return true;
    }
    case SBI_EXT_DBCN_CONSOLE_WRITE_BYTE: {
        char c = (char)r->riscv_sbi.args[0];
        console_put(v, &c, 1);
        r->riscv_sbi.ret[0] = SBI_SUCCESS;
        return true;
    }
    case SBI_EXT_DBCN_CONSOLE_READ:
        r->riscv_sbi.ret[0] = SBI_SUCCESS; /* no input: 0 bytes read */
        return true;
    }
    return true;
}

static void on_alarm(int sig) { (void)sig; }

/* --- a Linux guest: kvm-launch --linux IMAGE INITRD CMDLINE ------------------------------------
 * RAM at 0x80000000; the Image at RAM + its header's text_offset, the initramfs 128 MiB in,
 * the device tree (made here) in the last 2 MiB. The guest sees one hart, its RAM, and a
 * 16550 UART at 0x10000000 without an interrupt (Linux's 8250 driver then polls it), which
 * this launcher models with just enough registers for output: THR writes are printed, LSR
 * reads say "transmitter empty". Every other MMIO reads 0 and ignores writes. The SBI debug
 * console works too (earlycon=sbi). It ends when the guest shuts down through SBI SRST. */
#define LINUX_RAM_SIZE (256u << 20)
#define LINUX_INITRD_OFF (128u << 20)
#define LINUX_FDT_OFF (LINUX_RAM_SIZE - (2u << 20))
#define LINUX_UART_GPA 0x10000000u
#define UART_THR 0 /* 16550 registers, byte offsets with reg-shift 0 */
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define RISCV_IMAGE_MAGIC2 0x05435352u /* "RSC\x05" at offset 0x38 of the Image header */

/* A flattened device tree written front to back (Devicetree Specification v0.4, chapter 5):
 * the structure block and the strings block grow in two buffers, joined by fdt_finish. */
typedef struct {
    uint8_t st[4096], str[1024];
    size_t nst, nstr;
    bool overflow;
} Fdt;

static void fdt_bytes(Fdt *f, const void *p, size_t n)
{
    size_t padded = (n + 3) & ~(size_t)3;
    if (f->nst + padded > sizeof(f->st)) {
        f->overflow = true;
        return;
    }
    memcpy(f->st + f->nst, p, n);
    memset(f->st + f->nst + n, 0, padded - n);
    f->nst += padded;
}
static void fdt_u32(Fdt *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    fdt_bytes(f, b, 4);
}
static void fdt_begin(Fdt *f, const char *name)
{
    fdt_u32(f, 1); /* FDT_BEGIN_NODE */
    fdt_bytes(f, name, strlen(name) + 1);
}
static void fdt_end(Fdt *f) { fdt_u32(f, 2); /* FDT_END_NODE */ }
static void fdt_prop(Fdt *f, const char *name, const void *val, size_t len)
{
    size_t n = strlen(name) + 1, off = 0;
    while (off < f->nstr && strcmp((const char *)f->str + off, name) != 0)
        off += strlen((const char *)f->str + off) + 1;
    if (off >= f->nstr) {
        if (f->nstr + n > sizeof(f->str)) {
            f->overflow = true;
            return;
        }
        memcpy(f->str + f->nstr, name, n);
        off = f->nstr;
        f->nstr += n;
    }
    fdt_u32(f, 3); /* FDT_PROP */
    fdt_u32(f, (uint32_t)len);
    fdt_u32(f, (uint32_t)off);
    fdt_bytes(f, val, len);
}
static void fdt_str(Fdt *f, const char *name, const char *v)
{
    fdt_prop(f, name, v, strlen(v) + 1);
}
static void fdt_empty(Fdt *f, const char *name) { fdt_prop(f, name, NULL, 0); }
static void fdt_cells(Fdt *f, const char *name, const uint32_t *cells, size_t n)
{
    uint8_t b[64];
    for (size_t i = 0; i < n && i < 16; i++)
        for (int k = 0; k < 4; k++)
            b[i * 4 + (size_t)k] = (uint8_t)(cells[i] >> (24 - 8 * k));
    fdt_prop(f, name, b, (n < 16 ? n : 16) * 4);
}
static void fdt_u32p(Fdt *f, const char *name, uint32_t v) { fdt_cells(f, name, &v, 1); }
static void fdt_u64p(Fdt *f, const char *name, uint64_t v)
{
    uint32_t c[2] = {(uint32_t)(v >> 32), (uint32_t)v};
    fdt_cells(f, name, c, 2);
}

/* Header (40 bytes), an empty memory reservation map, structure, strings: its size, or 0. */
static size_t fdt_finish(Fdt *f, uint8_t *out, size_t room)
{
    fdt_u32(f, 9); /* FDT_END */
    size_t off_rsv = 40, off_st = off_rsv + 16, off_str = off_st + f->nst;
    size_t total = off_str + f->nstr;
    if (f->overflow || total > room)
        return 0;
    uint32_t hdr[10] = {0xd00dfeedu,
                        (uint32_t)total,
                        (uint32_t)off_st,
                        (uint32_t)off_str,
                        (uint32_t)off_rsv,
                        17,
                        16,
                        0,
                        (uint32_t)f->nstr,
                        (uint32_t)f->nst};
    for (int i = 0; i < 10; i++)
        for (int k = 0; k < 4; k++)
            out[i * 4 + k] = (uint8_t)(hdr[i] >> (24 - 8 * k));
    memset(out + off_rsv, 0, 16);
    memcpy(out + off_st, f->st, f->nst);
    memcpy(out + off_str, f->str, f->nstr);
    return total;
}

/* The host's timebase, which the guest's time CSR counts in: /cpus/timebase-frequency. */
static uint32_t host_timebase(void)
{
    uint8_t b[4];
    FILE *fp = fopen("/proc/device-tree/cpus/timebase-frequency", "rb");
    size_t n = fp ? fread(b, 1, 4, fp) : 0;
    if (fp)
        fclose(fp);
    return n == 4 ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
                  : 10000000u;
}

static bool linux_fdt(Vm *v, const char *cmdline, uint64_t initrd_gpa, uint64_t initrd_len,
                      Why *why)
{
    static Fdt f;
    memset(&f, 0, sizeof(f));
    fdt_begin(&f, "");
    fdt_u32p(&f, "#address-cells", 2);
    fdt_u32p(&f, "#size-cells", 2);
    fdt_str(&f, "compatible", "hvemu,kvm-launch");
    fdt_str(&f, "model", "hvemu kvm-launch");

    fdt_begin(&f, "chosen");
    fdt_str(&f, "bootargs", cmdline);
    fdt_str(&f, "stdout-path", "/soc/serial@10000000");
    fdt_u64p(&f, "linux,initrd-start", initrd_gpa);
    fdt_u64p(&f, "linux,initrd-end", initrd_gpa + initrd_len);
    fdt_end(&f);

    fdt_begin(&f, "memory@80000000");
    fdt_str(&f, "device_type", "memory");
    fdt_cells(&f, "reg", (const uint32_t[]){0, (uint32_t)v->ram_base, 0, (uint32_t)v->ram_size}, 4);
    fdt_end(&f);

    fdt_begin(&f, "cpus");
    fdt_u32p(&f, "#address-cells", 1);
    fdt_u32p(&f, "#size-cells", 0);
    fdt_u32p(&f, "timebase-frequency", host_timebase());
    fdt_begin(&f, "cpu@0");
    fdt_str(&f, "device_type", "cpu");
    fdt_u32p(&f, "reg", 0);
    fdt_str(&f, "compatible", "riscv");
    fdt_str(&f, "riscv,isa", "rv64imafdc_zicsr_zifencei");
    fdt_str(&f, "mmu-type", "riscv,sv39");
    fdt_str(&f, "status", "okay");
    fdt_begin(&f, "interrupt-controller");
    fdt_u32p(&f, "#interrupt-cells", 1);
    fdt_empty(&f, "interrupt-controller");
    fdt_str(&f, "compatible", "riscv,cpu-intc");
    fdt_u32p(&f, "phandle", 1);
    fdt_end(&f);
    fdt_end(&f);
    fdt_end(&f);

    fdt_begin(&f, "soc");
    fdt_u32p(&f, "#address-cells", 2);
    fdt_u32p(&f, "#size-cells", 2);
    fdt_str(&f, "compatible", "simple-bus");
    fdt_empty(&f, "ranges");
    fdt_begin(&f, "serial@10000000");
    fdt_str(&f, "compatible", "ns16550a");
    fdt_cells(&f, "reg", (const uint32_t[]){0, LINUX_UART_GPA, 0, 0x100}, 4);
    fdt_u32p(&f, "clock-frequency", 3686400);
    fdt_end(&f);
    fdt_end(&f);
    fdt_end(&f);

    uint8_t *dst = guest_ptr(v, v->ram_base + LINUX_FDT_OFF, 1);
    if (!fdt_finish(&f, dst, LINUX_RAM_SIZE - LINUX_FDT_OFF))
        return fail(why, "device tree does not fit");
    return true;
}

/* Reads a whole file into guest RAM at gpa; its size, or 0 (with why set). */
static uint64_t load_file(Vm *v, const char *path, uint64_t gpa, uint64_t room, Why *why)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fail(why, "open %s: %s", path, strerror(errno)), 0;
    uint8_t *dst = guest_ptr(v, gpa, room);
    size_t n = dst ? fread(dst, 1, room, fp) : 0;
    bool more = dst && fgetc(fp) != EOF;
    fclose(fp);
    if (!dst || n == 0 || more)
        return fail(why, "%s: empty or larger than %llu bytes", path, (unsigned long long)room), 0;
    return n;
}

static void uart_mmio(Vm *v)
{
    struct kvm_run *r = v->run;
    uint64_t reg = r->mmio.phys_addr - LINUX_UART_GPA;
    if (r->mmio.is_write) {
        if (reg == UART_THR)
            console_put(v, r->mmio.data, 1);
        return;
    }
    memset(r->mmio.data, 0, sizeof(r->mmio.data));
    if (reg == UART_LSR)
        r->mmio.data[0] = UART_LSR_THRE | UART_LSR_TEMT;
}

static bool boot_linux(const char *image, const char *initrd, const char *cmdline, Why *why)
{
    Vm v = {.kvm = -1, .vm = -1, .vcpu = -1};
    bool ok = false;
    uint64_t text_offset, n, initrd_len;
    uint32_t magic2;

    if (!vm_open(&v, GUEST_RAM_BASE, LINUX_RAM_SIZE, why))
        goto out;
    /* The Image header (Documentation/arch/riscv/boot-image-header.rst): text_offset at 8. */
    if (!(n = load_file(&v, image, GUEST_RAM_BASE + 0x200000, LINUX_INITRD_OFF - 0x200000, why)))
        goto out;
    memcpy(&text_offset, v.ram + 0x200000 + 8, 8);
    memcpy(&magic2, v.ram + 0x200000 + 0x38, 4);
    if (magic2 != RISCV_IMAGE_MAGIC2 || text_offset != 0x200000) {
        fail(why, "%s: not a RISC-V Image with text_offset 0x200000", image);
        goto out;
    }
    if (!(initrd_len = load_file(&v, initrd, GUEST_RAM_BASE + LINUX_INITRD_OFF,
                                 LINUX_FDT_OFF - LINUX_INITRD_OFF, why)) ||
        !linux_fdt(&v, cmdline, GUEST_RAM_BASE + LINUX_INITRD_OFF, initrd_len, why) ||
        !vcpu_setup(&v, GUEST_RAM_BASE + text_offset, GUEST_RAM_BASE + LINUX_FDT_OFF, why))
        goto out;
    printf("kvm: Linux %s (%llu bytes), initramfs %s (%llu bytes), \"%s\"\n", image,
           (unsigned long long)n, initrd, (unsigned long long)initrd_len, cmdline);

    for (;;) {
        if (ioctl(v.vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR)
                continue;
            fail(why, "KVM_RUN: %s", strerror(errno));
            goto out;
        }
        struct kvm_run *r = v.run;
        switch (r->exit_reason) {
        case KVM_EXIT_RISCV_SBI:
            if (!serve_sbi(&v, why))
                goto out;
            continue;
        case KVM_EXIT_MMIO:
            if (r->mmio.phys_addr - LINUX_UART_GPA < 8)
                uart_mmio(&v);
            else if (!r->mmio.is_write)
                memset(r->mmio.data, 0, sizeof(r->mmio.data));
            continue;
        case KVM_EXIT_SYSTEM_EVENT:
            printf("\nkvm: Linux guest: system event %u\n", r->system_event.type);
            ok = r->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
            if (!ok)
                fail(why, "Linux guest: system event %u", r->system_event.type);
            goto out;
        default: fail(why, "Linux guest: exit reason %u", r->exit_reason); goto out;
        }
    }
out:
    vm_close(&v);
    return ok;
}

/* 3. KVM_RUN until the guest shuts down, checking each exit (the steps of the file comment). */
static bool self_test(Why *why)
{
    static Asm prog;
    Vm v = {.kvm = -1, .vm = -1, .vcpu = -1};
    bool ok = false, stored = false, loaded = false;

    if (!guest_assemble(&prog))
        return fail(why, "guest program does not assemble");
    if (!vm_open(&v, GUEST_RAM_BASE, GUEST_RAM_SIZE, why))
        goto out;
    memcpy(v.ram, prog.word, prog.n * 4);
    memcpy(guest_ptr(&v, GUEST_MSG_GPA, sizeof(guest_msg)), guest_msg, sizeof(guest_msg));
    uint64_t host_word = GUEST_HOST_WORD;
    memcpy(guest_ptr(&v, GUEST_HOST_WORD_GPA, 8), &host_word, 8);
    printf("kvm: guest program of %zu instructions at 0x%x\n", prog.n, GUEST_RAM_BASE);
    if (!vcpu_setup(&v, GUEST_RAM_BASE, 0, why))
        goto out;

    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    alarm(60);
    for (unsigned n = 0;; n++) {
        if (n > 1000) {
            fail(why, "more than 1000 exits");
            goto out;
        }
        if (ioctl(v.vcpu, KVM_RUN, 0) < 0) {
            fail(why, "KVM_RUN: %s%s", strerror(errno), errno == EINTR ? " (60 s timeout)" : "");
            goto out;
        }
        struct kvm_run *r = v.run;
        switch (r->exit_reason) {
        case KVM_EXIT_RISCV_SBI:
            if (!serve_sbi(&v, why))
                goto out;
            continue;
        case KVM_EXIT_MMIO: {
            uint64_t a = r->mmio.phys_addr;
            uint32_t val;
            printf("kvm: MMIO %s of %u bytes at 0x%llx\n", r->mmio.is_write ? "store" : "load",
                   r->mmio.len, (unsigned long long)a);
            if (r->mmio.is_write) {
                memcpy(&val, r->mmio.data, 4);
                if (stored || loaded || a != GUEST_MMIO_GPA || r->mmio.len != 4 ||
                    val != GUEST_MMIO_STORE) {
                    fail(why, "unexpected MMIO store of %u bytes 0x%x at 0x%llx", r->mmio.len, val,
                         (unsigned long long)a);
                    goto out;
                }
                stored = true;
                v.exits_mmio_write++;
            } else {
                if (!stored || loaded || a != GUEST_MMIO_GPA + GUEST_MMIO_LOAD_OFF ||
                    r->mmio.len != 4) {
                    fail(why, "unexpected MMIO load of %u bytes at 0x%llx", r->mmio.len,
                         (unsigned long long)a);
                    goto out;
                }
                val = GUEST_MMIO_LOAD;
                memcpy(r->mmio.data, &val, 4);
                loaded = true;
                v.exits_mmio_read++;
            }
            continue;
        }
        case KVM_EXIT_SYSTEM_EVENT: {
            uint64_t reason = r->system_event.ndata ? r->system_event.data[0] : 0;
            printf("kvm: system event %u, reason %llu, after %u exits\n", r->system_event.type,
                   (unsigned long long)reason, n + 1);
            if (r->system_event.type != KVM_SYSTEM_EVENT_SHUTDOWN) {
                fail(why, "system event %u, want shutdown", r->system_event.type);
                goto out;
            }
            if (reason != SBI_SRST_RESET_REASON_NONE) {
                fail(why, "guest check failed: '%c'",
                     v.console_len ? v.console[v.console_len - 1] : '?');
                goto out;
            }
            goto done;
        }
        default: fail(why, "exit reason %u at step %u", r->exit_reason, n); goto out;
        }
    }
done:
    alarm(0);
    /* 4. What the guest did, seen from here. */
    char want[sizeof(guest_msg) + sizeof(guest_tail)];
    snprintf(want, sizeof(want), "%s%s", guest_msg, guest_tail);
    if (strcmp(v.console, want) != 0) {
        fail(why, "console output differs (%zu bytes)", v.console_len);
        goto out;
    }
    if (!stored || !loaded) {
        fail(why, "MMIO %s never exited", stored ? "load" : "store");
        goto out;
    }
    for (unsigned i = 0; i < GUEST_PAGES; i++) {
        uint64_t w;
        memcpy(&w, guest_ptr(&v, GUEST_PAGES_GPA + (uint64_t)i * GUEST_PAGE_STRIDE, 8), 8);
        if (w != GUEST_PATTERN + i) {
            fail(why, "page %u holds 0x%llx, want 0x%llx", i, (unsigned long long)w,
                 (unsigned long long)(GUEST_PATTERN + i));
            goto out;
        }
    }
    printf("kvm: exits: %u SBI, %u MMIO store, %u MMIO load, 1 shutdown; %u pages faulted in "
           "and checked\n",
           v.exits_sbi, v.exits_mmio_write, v.exits_mmio_read, GUEST_PAGES);
    ok = true;
out:
    alarm(0);
    vm_close(&v);
    return ok;
}

int main(int argc, char **argv)
{
    Why why = {""};
    if (argc == 5 && strcmp(argv[1], "--linux") == 0) {
        setvbuf(stdout, NULL, _IONBF, 0);
        if (!boot_linux(argv[2], argv[3], argv[4], &why)) {
            printf("HVEMU-KVM-LINUX-FAIL %s\n", why.text);
            return 1;
        }
        printf("HVEMU-KVM-LINUX-DONE\n");
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: kvm-launch [--linux IMAGE INITRD CMDLINE]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!self_test(&why)) {
        printf("HVEMU-KVM-FAIL %s\n", why.text);
        return 1;
    }
    printf("HVEMU-KVM-OK\n");
    return 0;
}
