/* tests/guest/ppc64/hcall_basic.c: the PAPR hypercall interface a pseries kernel relies on
 * from its first instructions (LoPAR chapter 14 "Hypervisor Interface Requirements":
 * the `sc 1` convention with the number in r3, arguments in r4-r12, the return code in
 * r3 and outputs from r4; non-volatile registers survive): the hvc0 terminal calls and
 * their argument checks, an unknown number getting H_FUNCTION, H_RANDOM, H_SET_SPRG0,
 * H_SET_MODE (interrupt endianness, shown by a big-endian interrupt stub; AIL and
 * breakpoint resources) return codes,
 * H_GET_CPU_CHARACTERISTICS, the H_LOGICAL_CI_LOAD/STORE checks (no device answers in
 * this partition, and RAM is not cache-inhibited I/O space), H_PAGE_INIT zeroing and
 * copying (also over code that already ran), H_REGISTER_VPA's checks and ordering
 * rules, hcalls made with relocation on, and `sc 1` from problem state, which is a
 * system call for the partition's own OS (it arrives at the guest's 0xc00 vector, as
 * PowerVM and KVM reflect it) and not a hypercall. Run with -smp 2: CPU 1 serves the
 * H_REGISTER_VPA "target processor must be stopped or the caller" rule. */
#include "guest_ppc64.h"

#define H_RESOURCE -16
#define H_P2 -55
#define H_P3 -56
#define H_P4 -57
#define H_STATE -75
#define PBIT(n) (1ULL << (63 - (n)))
#define H_ZERO_PAGE PBIT(48)
#define H_COPY_PAGE PBIT(49)
#define H_ICACHE_SYNCHRONIZE PBIT(41)
#define H_CPU_BEHAV_FAVOUR_SECURITY PBIT(0)
#define VPA_FUNC(n) ((uint64_t)(n) << (63 - 18))

static bool unsupported_flag(int64_t rc)
{
    return rc <= -256 && rc >= -511;
}

/* ---- registers across an hcall ---- */

/* uint64_t hcall_clobbers(uint64_t op): makes hcall op with r14-r31, LR, r1 and r2 set to
 * known values; returns 0 if all of them survived, else the OR of the differences. */
uint64_t hcall_clobbers(uint64_t op);
__asm__(
    "    .text\n"
    "    .globl hcall_clobbers\n"
    "hcall_clobbers:\n"
    "    mflr %r0\n"
    "    std %r0, 16(%r1)\n"
    "    stdu %r1, -256(%r1)\n"
    "    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    std %r\\n, (64 + 8 * (\\n - 14))(%r1)\n"
    "    .endr\n"
    "    std %r1, 232(%r1)\n"
    "    std %r2, 224(%r1)\n"
    "    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    li %r\\n, (\\n * 257)\n"
    "    .endr\n"
    "    li %r0, 0x4444\n"
    "    mtlr %r0\n"
    "    li %r4, 0\n"
    "    sc 1\n"
    "    mflr %r3\n"
    "    xori %r3, %r3, 0x4444\n"
    "    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    xori %r4, %r\\n, (\\n * 257)\n"
    "    or %r3, %r3, %r4\n"
    "    .endr\n"
    "    ld %r4, 232(%r1)\n"
    "    xor %r4, %r4, %r1\n"
    "    or %r3, %r3, %r4\n"
    "    ld %r4, 224(%r1)\n"
    "    xor %r4, %r4, %r2\n"
    "    or %r3, %r3, %r4\n"
    "    .irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    "    ld %r\\n, (64 + 8 * (\\n - 14))(%r1)\n"
    "    .endr\n"
    "    addi %r1, %r1, 256\n"
    "    ld %r0, 16(%r1)\n"
    "    mtlr %r0\n"
    "    blr\n");

/* ---- the terminal ---- */

static void test_term(void)
{
    uint64_t out[9];
    report(hcall(H_PUT_TERM_CHAR, NULL, 3, (uint64_t)VTY_TERMNO + 1, (uint64_t)1,
                 (uint64_t)'x' << 56) == H_PARAMETER,
           "H_PUT_TERM_CHAR to a terminal that does not exist: H_PARAMETER");
    report(hcall(H_PUT_TERM_CHAR, NULL, 4, (uint64_t)VTY_TERMNO, (uint64_t)17, 0x2020202020202020ULL,
                 0x2020202020202020ULL) == H_PARAMETER,
           "H_PUT_TERM_CHAR of 17 bytes: H_PARAMETER");
    report(hcall(H_PUT_TERM_CHAR, NULL, 4, (uint64_t)VTY_TERMNO, (uint64_t)0, 0ULL, 0ULL) == H_SUCCESS,
           "H_PUT_TERM_CHAR of 0 bytes succeeds");
    /* 16 bytes, big-endian packed in r6 and r7: "INFO: 16 bytes\n" + NUL-free padding. */
    int64_t rc = hcall(H_PUT_TERM_CHAR, NULL, 4, (uint64_t)VTY_TERMNO, (uint64_t)16,
                       0x494e464f3a203136ULL /* "INFO: 16" */, 0x2062797465732e0aULL /* " bytes.\n" */);
    report(rc == H_SUCCESS, "H_PUT_TERM_CHAR of 16 bytes succeeds");
    out[0] = 99;
    rc = hcall(H_GET_TERM_CHAR, out, 1, (uint64_t)VTY_TERMNO);
    report(rc == H_SUCCESS && out[0] == 0, "H_GET_TERM_CHAR with no input: 0 bytes (rc %lld, %llu)",
           (long long)rc, (unsigned long long)out[0]);
    report(hcall(H_GET_TERM_CHAR, out, 1, (uint64_t)0) == H_PARAMETER,
           "H_GET_TERM_CHAR of terminal 0: H_PARAMETER");
}

/* ---- simple calls ---- */

static void test_simple(void)
{
    uint64_t out[9];
    report(hcall0(0x1ff0) == H_FUNCTION, "an unassigned hcall number: H_FUNCTION");
    report(hcall0(0x5) == H_FUNCTION, "a number not a multiple of 4: H_FUNCTION");
    report(hcall0(0xffffffff00000008ULL) == H_FUNCTION, "a number above 32 bits: H_FUNCTION");
    report(hcall_clobbers(H_RANDOM) == 0, "r1, r2, r14-r31 and LR survive an hcall");
    report(hcall_clobbers(0x1ff0) == 0, "... and a failing one");

    uint64_t a, b;
    int64_t r1 = hcall(H_RANDOM, out, 0);
    a = out[0];
    int64_t r2 = hcall(H_RANDOM, out, 0);
    b = out[0];
    report(r1 == H_SUCCESS && r2 == H_SUCCESS && a != b && a && b,
           "H_RANDOM returns different numbers (%016llx %016llx)", (unsigned long long)a,
           (unsigned long long)b);

    report(hcall(H_SET_SPRG0, NULL, 1, 0x5eed5eed12345678ULL) == H_SUCCESS &&
               mfspr(272) == 0x5eed5eed12345678ULL,
           "H_SET_SPRG0: SPRG0 reads back the value");

    int64_t rc = hcall(H_GET_CPU_CHARACTERISTICS, out, 0);
    report(rc == H_SUCCESS, "H_GET_CPU_CHARACTERISTICS succeeds");
    report(out[1] & H_CPU_BEHAV_FAVOUR_SECURITY,
           "H_GET_CPU_CHARACTERISTICS: behaviour favours security (char %016llx behav %016llx)",
           (unsigned long long)out[0], (unsigned long long)out[1]);
}

/* ---- H_SET_MODE ---- */

static void sync_icache(void *p, size_t len)
{
    for (size_t o = 0; o < len; o += 128)
        __asm__ volatile("dcbst 0, %0" : : "r"((char *)p + o) : "memory");
    __asm__ volatile("sync" ::: "memory");
    for (size_t o = 0; o < len; o += 128)
        __asm__ volatile("icbi 0, %0" : : "r"((char *)p + o) : "memory");
    __asm__ volatile("isync" ::: "memory");
}

static volatile unsigned sc0_seen;
static volatile uint64_t sc0_msr;

static void on_sc0(struct trap_frame *f)
{
    sc0_seen++;
    sc0_msr = mfmsr();
}

static void test_set_mode(void)
{
    /* resource 4: interrupt endianness; mflags 1 = little-endian. */
    report(hcall(H_SET_MODE, NULL, 4, 1ULL, 4ULL, 0ULL, 0ULL) == H_SUCCESS,
           "H_SET_MODE(LE, little-endian) succeeds");
    trap_handler_fn old = set_trap_handler(VEC_SYSCALL, on_sc0);
    __asm__ volatile("li %%r0, 0; sc" ::: "r0", "memory");
    set_trap_handler(VEC_SYSCALL, old);
    report(sc0_seen == 1 && (sc0_msr & MSR_LE), "then interrupts run little-endian");

    /* mflags 0: interrupts big-endian. A big-endian stub at 0x700 answers a trap (and
     * rfid returns to the little-endian program); little-endian again afterwards. */
    static const uint32_t be_stub[] = {
        0x386000be, /* li r3, 0xbe */
        0x7db143a6, /* mtsprg 1, r13 */
        0x7dba02a6, /* mfsrr0 r13 */
        0x39ad0004, /* addi r13, r13, 4 */
        0x7dba03a6, /* mtsrr0 r13 */
        0x7db142a6, /* mfsprg r13, 1 */
        0x4c000024, /* rfid */
    };
    extern char __vectors[]; /* at real address 0 */
    volatile uint32_t *vec = (volatile uint32_t *)(__vectors + 0x700);
    uint32_t saved[ARRAY_SIZE(be_stub)];
    for (unsigned k = 0; k < ARRAY_SIZE(be_stub); k++) {
        saved[k] = vec[k];
        vec[k] = __builtin_bswap32(be_stub[k]);
    }
    sync_icache((void *)vec, sizeof(be_stub));
    int64_t rc = hcall(H_SET_MODE, NULL, 4, 0ULL, 4ULL, 0ULL, 0ULL);
    register uint64_t r3 __asm__("r3") = 0;
    __asm__ volatile("tw 31, %%r0, %%r0" : "+r"(r3) : : "r13", "memory");
    uint64_t got = r3;
    int64_t rc2 = hcall(H_SET_MODE, NULL, 4, 1ULL, 4ULL, 0ULL, 0ULL);
    for (unsigned k = 0; k < ARRAY_SIZE(be_stub); k++)
        vec[k] = saved[k];
    sync_icache((void *)vec, sizeof(be_stub));
    report(rc == H_SUCCESS && rc2 == H_SUCCESS && got == 0xbe && (mfmsr() & MSR_LE),
           "H_SET_MODE(LE, big-endian): the next interrupt runs big-endian code; "
           "little-endian again after H_SET_MODE(LE, 1)");

    report(hcall(H_SET_MODE, NULL, 4, 1ULL, 4ULL, 1ULL, 0ULL) == H_P3,
           "H_SET_MODE(LE) with value1 != 0: H_P3");
    report(hcall(H_SET_MODE, NULL, 4, 1ULL, 4ULL, 0ULL, 1ULL) == H_P4,
           "H_SET_MODE(LE) with value2 != 0: H_P4");
    report(unsupported_flag(hcall(H_SET_MODE, NULL, 4, 2ULL, 4ULL, 0ULL, 0ULL)),
           "H_SET_MODE(LE) with mflags 2: H_UNSUPPORTED_FLAG");

    /* resource 3: address translation mode on interrupts (LPCR[AIL]). */
    report(hcall(H_SET_MODE, NULL, 4, 3ULL, 3ULL, 0ULL, 0ULL) == H_SUCCESS,
           "H_SET_MODE(AIL = 3) succeeds");
    report(unsupported_flag(hcall(H_SET_MODE, NULL, 4, 1ULL, 3ULL, 0ULL, 0ULL)),
           "H_SET_MODE(AIL = 1, reserved): H_UNSUPPORTED_FLAG");
    report(unsupported_flag(hcall(H_SET_MODE, NULL, 4, 4ULL, 3ULL, 0ULL, 0ULL)),
           "H_SET_MODE(AIL = 4): H_UNSUPPORTED_FLAG");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 3ULL, 0ULL, 0ULL) == H_SUCCESS,
           "H_SET_MODE(AIL = 0) succeeds");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 3ULL, 1ULL, 0ULL) == H_P3,
           "H_SET_MODE(AIL) with value1 != 0: H_P3");

    /* resources 1 (CIABR) and 2 (DAWR0). */
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 1ULL, 0ULL, 1ULL) == H_P4,
           "H_SET_MODE(CIABR) with value2 != 0: H_P4");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 1ULL, 0x10003ULL, 0ULL) == H_P3,
           "H_SET_MODE(CIABR) for hypervisor addresses: H_P3");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 1ULL, 0ULL, 0ULL) == H_SUCCESS,
           "H_SET_MODE(CIABR = 0) succeeds");
    report(unsupported_flag(hcall(H_SET_MODE, NULL, 4, 1ULL, 2ULL, 0ULL, 0ULL)),
           "H_SET_MODE(DAWR0) with mflags != 0: H_UNSUPPORTED_FLAG");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 2ULL, 0ULL, 0ULL) == H_SUCCESS,
           "H_SET_MODE(DAWR0 = 0) succeeds");
    report(hcall(H_SET_MODE, NULL, 4, 0ULL, 99ULL, 0ULL, 0ULL) == H_P2,
           "H_SET_MODE of an unknown resource: H_P2");
}

/* ---- H_LOGICAL_CI_LOAD / STORE ---- */

static uint64_t ram_word __attribute__((aligned(8)));

static void test_logical_ci(void)
{
    uint64_t out[9];
    uint64_t hole = guest_ram_size() + 0x10000000; /* just above RAM: nothing is there */
    uint64_t ram = (uint64_t)&ram_word;
    report(hcall(H_LOGICAL_CI_LOAD, out, 2, 3ULL, hole) == H_PARAMETER,
           "H_LOGICAL_CI_LOAD of 3 bytes: H_PARAMETER");
    report(hcall(H_LOGICAL_CI_LOAD, out, 2, 16ULL, hole) == H_PARAMETER,
           "H_LOGICAL_CI_LOAD of 16 bytes: H_PARAMETER");
    report(hcall(H_LOGICAL_CI_LOAD, out, 2, 4ULL, hole + 2) == H_PARAMETER,
           "H_LOGICAL_CI_LOAD of a misaligned word: H_PARAMETER");
    report(hcall(H_LOGICAL_CI_LOAD, out, 2, 4ULL, hole) == H_PARAMETER,
           "H_LOGICAL_CI_LOAD where no device answers: H_PARAMETER");
    report(hcall(H_LOGICAL_CI_LOAD, out, 2, 8ULL, ram) == H_PARAMETER,
           "H_LOGICAL_CI_LOAD of RAM: H_PARAMETER");
    ram_word = 0x1122334455667788ULL;
    report(hcall(H_LOGICAL_CI_STORE, NULL, 3, 8ULL, ram, 0ULL) == H_PARAMETER &&
               ram_word == 0x1122334455667788ULL,
           "H_LOGICAL_CI_STORE to RAM: H_PARAMETER, RAM unchanged");
    report(hcall(H_LOGICAL_CI_STORE, NULL, 3, 5ULL, hole, 0ULL) == H_PARAMETER,
           "H_LOGICAL_CI_STORE of 5 bytes: H_PARAMETER");
    report(hcall(H_LOGICAL_CI_STORE, NULL, 3, 1ULL, hole, 0ULL) == H_PARAMETER,
           "H_LOGICAL_CI_STORE where no device answers: H_PARAMETER");
}

/* ---- H_PAGE_INIT ---- */

static uint8_t pages[3][4096] __attribute__((aligned(4096)));
static uint32_t code_page[1024] __attribute__((aligned(4096)));
static uint32_t code_src[1024] __attribute__((aligned(4096)));

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] != v)
            return false;
    return true;
}

static void test_page_init(void)
{
    volatile uint8_t *dst = pages[0], *src = pages[1];
    for (unsigned k = 0; k < 4096; k++) {
        dst[k] = 0xa5;
        src[k] = (uint8_t)(k * 7 + 1);
    }
    pages[2][0] = 0x77;
    report(hcall(H_PAGE_INIT, NULL, 3, H_ZERO_PAGE, (uint64_t)pages[0], 0ULL) == H_SUCCESS &&
               all_bytes(pages[0], 4096, 0) && pages[2][0] == 0x77,
           "H_PAGE_INIT(H_ZERO_PAGE) clears exactly the page");
    bool ok = hcall(H_PAGE_INIT, NULL, 3, H_COPY_PAGE, (uint64_t)pages[0], (uint64_t)pages[1]) ==
              H_SUCCESS;
    report(ok && memcmp(pages[0], pages[1], 4096) == 0, "H_PAGE_INIT(H_COPY_PAGE) copies the page");
    report(hcall(H_PAGE_INIT, NULL, 3, H_ZERO_PAGE, (uint64_t)pages[0] + 8, 0ULL) == H_PARAMETER,
           "H_PAGE_INIT of a misaligned destination: H_PARAMETER");
    report(hcall(H_PAGE_INIT, NULL, 3, H_COPY_PAGE, (uint64_t)pages[0], (uint64_t)pages[1] + 16) ==
               H_PARAMETER,
           "H_PAGE_INIT with a misaligned source: H_PARAMETER");
    report(hcall(H_PAGE_INIT, NULL, 3, H_ZERO_PAGE, guest_ram_size(), 0ULL) == H_PARAMETER,
           "H_PAGE_INIT of a page beyond RAM: H_PARAMETER");
    report(hcall(H_PAGE_INIT, NULL, 3, H_COPY_PAGE, (uint64_t)pages[0], guest_ram_size()) ==
               H_PARAMETER,
           "H_PAGE_INIT copying from beyond RAM: H_PARAMETER");

    /* Code that ran is replaced by an H_PAGE_INIT copy: the next call runs the new code. */
    code_page[0] = 0x38600001; /* li r3, 1 */
    code_page[1] = 0x4e800020; /* blr */
    code_src[0] = 0x38600002;  /* li r3, 2 */
    code_src[1] = 0x4e800020;
    sync_icache(code_page, 8);
    int (*fn)(void) = (int (*)(void))(uintptr_t)code_page;
    int first = fn();
    int64_t rc = hcall(H_PAGE_INIT, NULL, 3, H_COPY_PAGE | H_ICACHE_SYNCHRONIZE,
                       (uint64_t)code_page, (uint64_t)code_src);
    int second = fn();
    report(first == 1 && rc == H_SUCCESS && second == 2,
           "code copied by H_PAGE_INIT over code that ran is what runs next (%d, %d)", first,
           second);
}

/* ---- H_REGISTER_VPA ---- */

static uint8_t vpa_area[3][4096] __attribute__((aligned(4096)));
static volatile unsigned cpu1_state; /* 1: running, 2: asked to stop */

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, (uint16_t)(v >> 16));
    put_be16(p + 2, (uint16_t)v);
}

static int64_t vpa(unsigned func, uint64_t cpu, uint64_t addr)
{
    return hcall(H_REGISTER_VPA, NULL, 3, VPA_FUNC(func), cpu, addr);
}

void secondary_main(unsigned cpu)
{
    cpu1_state = 1;
    while (cpu1_state != 2)
        ;
}

static bool cpu_stopped(unsigned cpu)
{
    uint32_t state = 99;
    return rtas_call("query-cpu-stopped-state", 1, 2, &state, cpu) == 0 && state == 0;
}

static void test_vpa(void)
{
    uint8_t *v = vpa_area[0], *dtl = vpa_area[1], *slb = vpa_area[2];
    put_be16(v + 4, 640);
    put_be32(dtl + 4, 48);
    put_be32(slb + 4, 8 + 3 * 16);
    uint64_t va = (uint64_t)v, da = (uint64_t)dtl, sa = (uint64_t)slb;

    report(vpa(0, 0, va) == H_PARAMETER && vpa(4, 0, va) == H_PARAMETER,
           "H_REGISTER_VPA subfunctions 0 and 4: H_PARAMETER");
    report(vpa(1, 99, va) == H_PARAMETER, "H_REGISTER_VPA for processor 99: H_PARAMETER");
    report(vpa(1, 0, va + 8) == H_PARAMETER, "a VPA not cache-line aligned: H_PARAMETER");
    put_be16(v + 4, 100);
    report(vpa(1, 0, va) == H_PARAMETER, "a VPA of 100 bytes: H_PARAMETER");
    put_be16(vpa_area[0] + 4096 - 128 + 4, 640);
    report(vpa(1, 0, va + 4096 - 128) == H_PARAMETER, "a VPA across a 4 KiB boundary: H_PARAMETER");
    put_be16(v + 4, 640);
    report(vpa(1, 0, guest_ram_size()) == H_PARAMETER, "a VPA beyond RAM: H_PARAMETER");
    report(vpa(2, 0, da) == H_RESOURCE, "a DTL before the VPA: H_RESOURCE");
    report(vpa(3, 0, sa) == H_RESOURCE, "an SLB shadow before the VPA: H_RESOURCE");
    report(vpa(1, 0, va) == H_SUCCESS, "registering the VPA succeeds");
    put_be32(dtl + 4, 16);
    report(vpa(2, 0, da) == H_PARAMETER, "a DTL of 16 bytes: H_PARAMETER");
    put_be32(dtl + 4, 48);
    report(vpa(2, 0, da) == H_SUCCESS, "registering the DTL succeeds");
    report(vpa(3, 0, sa) == H_SUCCESS, "registering the SLB shadow succeeds");
    report(vpa(5, 0, 0) == H_RESOURCE, "deregistering the VPA before the others: H_RESOURCE");
    report(vpa(6, 0, 0) == H_SUCCESS && vpa(7, 0, 0) == H_SUCCESS && vpa(5, 0, 0) == H_SUCCESS,
           "deregistering DTL, SLB shadow, then VPA succeeds");

    /* Another processor's VPA: only while it is stopped. */
    if (!rtas_token("start-cpu") || fdt_count_children(guest_fdt, "/cpus", "PowerPC,") < 2) {
        report(false, "this test needs -smp 2");
        return;
    }
    report(vpa(1, 1, va) == H_SUCCESS && vpa(5, 1, 0) == H_SUCCESS,
           "the VPA of stopped CPU 1 can be registered and deregistered");
    extern char secondary_start[];
    report(rtas_call("start-cpu", 3, 1, NULL, 1u, (uint32_t)(uint64_t)secondary_start, 1u) == 0,
           "start-cpu 1");
    uint64_t t0 = mftb();
    while (cpu1_state != 1 && mftb() - t0 < 512000000ULL)
        ;
    report(cpu1_state == 1 && vpa(1, 1, va) == H_STATE,
           "the VPA of running CPU 1 from CPU 0: H_STATE");
    cpu1_state = 2;
    t0 = mftb();
    while (!cpu_stopped(1) && mftb() - t0 < 512000000ULL)
        ;
    report(cpu_stopped(1) && vpa(1, 1, va) == H_SUCCESS && vpa(5, 1, 0) == H_SUCCESS,
           "once CPU 1 stopped itself its VPA can be registered again");
}

/* ---- relocation on, and `sc 1` from problem state ---- */

static volatile uint64_t user_sc_r3, user_sc_r4, user_sc_srr0, user_sc_srr1;
static volatile unsigned user_sc_count;
extern char user_sc1_insn[];

static void on_user_sc(struct trap_frame *f)
{
    user_sc_count++;
    user_sc_r3 = f->gpr[3];
    user_sc_r4 = f->gpr[4];
    user_sc_srr0 = f->srr0;
    user_sc_srr1 = f->srr1;
    f->gpr[3] = 0xabcd; /* the "OS" answers the system call */
}

static __attribute__((noinline)) void user_sc1(void *arg)
{
    register uint64_t r3 __asm__("r3") = H_RANDOM;
    register uint64_t r4 __asm__("r4") = 0x1234;
    __asm__ volatile(".globl user_sc1_insn\n"
                     "user_sc1_insn: sc 1"
                     : "+r"(r3), "+r"(r4)
                     :
                     : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "cr0",
                       "memory");
    *(volatile uint64_t *)arg = r3;
}

static void test_relocated_and_user(void)
{
    if (!mmu_identity_map()) {
        report(false, "mapping RAM 1:1 for relocation");
        return;
    }
    uint64_t out[9];
    mmu_on();
    uint64_t msr = mfmsr();
    int64_t rc = hcall(H_RANDOM, out, 0);
    int32_t rtas = rtas_call("get-time-of-day", 0, 8, NULL);
    mmu_off();
    report((msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR) && rc == H_SUCCESS && rtas == 0,
           "hcalls and RTAS work with relocation on");

    uint64_t result = 0;
    trap_handler_fn old = set_trap_handler(VEC_SYSCALL, on_user_sc);
    run_in_user(user_sc1, &result);
    set_trap_handler(VEC_SYSCALL, old);
    report(user_sc_count == 1, "sc 1 from problem state reaches the guest's 0xc00 vector");
    report(user_sc_r3 == H_RANDOM && user_sc_r4 == 0x1234,
           "... with r3 and r4 as the program left them (no hcall made)");
    report(user_sc_srr0 == (uint64_t)user_sc1_insn + 4, "... SRR0 is the next instruction");
    report((user_sc_srr1 & (MSR_PR | MSR_IR | MSR_DR)) == (MSR_PR | MSR_IR | MSR_DR),
           "... SRR1 has PR, IR and DR (srr1 %016llx)", (unsigned long long)user_sc_srr1);
    report(result == 0xabcd, "... and the OS's answer is what the program sees");
}

int main(void)
{
    test_term();
    test_simple();
    test_set_mode();
    test_logical_ci();
    test_page_init();
    test_vpa();
    test_relocated_and_user();
    return 0;
}
