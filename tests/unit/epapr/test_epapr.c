/* tests/unit/epapr/test_epapr.c: hvemu as the ePAPR hypervisor of an e500mc guest
 * (hypervisor/epapr, `-M e500,hv=on`), checked from the guest's side on a rig shaped like
 * machines/e500.c hv_init: two e500mc threads on a PpcCore with PpcCore.vhyp and hv_exit
 * set, 1 MiB of RAM at 0 that TLB1 entry 0 maps for the guest (booke_cpu_epapr_start, then
 * epapr_vcpu_start: TGS and EPAPR_GUEST_LPID), a real MPIC (devices/openpic.c) whose
 * outputs and the byte channel's rx/tx lines are recording IrqLines, and a console CharDev
 * whose output is a pipe. Expectations come from ePAPR 1.1 chapter 8 and the register use
 * of Linux's asm/epapr_hcalls.h (tokens, handles, r3 status, r4..r8 results), Power ISA
 * 2.06B Book III-E with E.HV (what traps to the hypervisor) and KVM e500mc's handling of
 * those exits (seed 001: what cannot be emulated becomes a Program interrupt in the
 * guest, with a throttled log):
 *   (a) the hcall table: numbers, one row per token, every row reached by its token,
 *       EV_UNIMPLEMENTED for anything else (other vendors included), logged once;
 *   (b) the byte channel: SEND, RECEIVE and POLL, their limits and the rx line;
 *   (c) the interrupt-controller calls against the MPIC's registers and outputs;
 *   (d) EV_IDLE and KVM_HC_FEATURES;
 *   (e) the exits: guest TLB instructions, the guest's IVPR/IVORn, the SPRs and
 *       instructions that must become a Program interrupt in the guest, doorbells,
 *       reflected decrementer and doorbell interrupts, rfci/rfmci/rfdi, MMUCFG, all
 *       through the decoded instruction and the Book III-E interrupt router, and two
 *       short guest programs run by ppc_cpu_run;
 *   (f) random tokens, arguments and instruction words, which must leave the emulator
 *       running and the guest in guest state (run under ASan/UBSan in CI).
 * Instruction words were assembled by GNU as 2.40 (powerpc-linux-gnu-as -me500mc). */
#include <stdlib.h>
#include <string.h>

#include "cpu/ppc/booke/booke.h"
#include "cpu/ppc/ppc_core.h"
#include "cpu/ppc/ppc_decode.h"
#include "devices/openpic.h"
#include "hypervisor/epapr/epapr.h"
#include "tests/unit/devices/dev_test.h"
#include "tests/unit/ppc/asm_words.h"

static const AsmWord gas_words[] = {
    { "tlbwe", 0x7c0007a4 },
    { "tlbre", 0x7c000764 },
    { "tlbsx 0,4", 0x7c002724 },
    { "tlbivax 0,4", 0x7c002624 },
    { "tlbilx 0,0,4", 0x7c002024 },
    { "tlbilx 2,0,4", 0x7c402024 },
    { "tlbsync", 0x7c00046c },
    { "mtspr 63,3", 0x7c7f0ba6 },
    { "mfspr 3,63", 0x7c7f0aa6 },
    { "mtspr 402,3", 0x7c7263a6 },
    { "mfspr 3,402", 0x7c7262a6 },
    { "mtspr 406,3", 0x7c7663a6 },
    { "mfspr 3,406", 0x7c7662a6 },
    { "mtspr 406,29", 0x7fb663a6 },
    { "mtspr 410,3", 0x7c7a63a6 },
    { "mtspr 532,3", 0x7c7483a6 },
    { "mfspr 3,532", 0x7c7482a6 },
    { "mtspr 533,3", 0x7c7583a6 },
    { "mtspr 338,3", 0x7c7253a6 },
    { "mfspr 3,338", 0x7c7252a6 },
    { "mtspr 307,3", 0x7c734ba6 },
    { "mfspr 3,307", 0x7c734aa6 },
    { "mtspr 447,3", 0x7c7f6ba6 },
    { "mtspr 341,3", 0x7c7553a6 },
    { "mfspr 3,1015", 0x7c77faa6 },
    { "mfspr 3,689", 0x7c71aaa6 },
    { "mtspr 336,3", 0x7c7053a6 },
    { "ehpriv", 0x7c00021c },
    { "msgsnd 4", 0x7c00219c },
    { "msgclr 4", 0x7c0021dc },
    { "rfci", 0x4c000066 },
    { "rfmci", 0x4c00004c },
    { "rfdi", 0x4c00004e },
    { "sc 1", 0x44000022 },
    { "wait", 0x7c00007c },
};

#define NCPUS 2
#define GUEST_RAM (1 * MiB)
#define MPIC_BASE 0xfe040000ULL
#define CODE(n) (0x1000ULL + 0x1000ULL * (n)) /* where thread n's guest code starts */

/* The guest's interrupt vectors, as it programs them (guest_vectors). */
#define GUEST_IVPR 0x00050000u
#define GUEST_IVOR2 0x0200u
#define GUEST_IVOR6 0x0600u
#define GUEST_IVOR10 0x0a00u
#define GUEST_IVOR36 0x1240u
#define GUEST_IVOR37 0x1260u
#define GUEST_VEC(ivor) (GUEST_IVPR | (ivor))

/* Guest mappings for the TLB tests. */
#define GUEST_VA 0x40000000ULL
#define GUEST_PA 0x30000ULL
#define HV_VA 0x48000000ULL    /* an entry of the hypervisor's own context (TGS = 0) */
#define OTHER_VA 0x49000000ULL /* an entry of another partition (TLPID 2) */
#define TSIZE_4K (2u << MAS1_TSIZE_SHIFT)

#define EV(num) EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, num)
#define KVM(num) EV_HCALL_TOKEN(EV_KVM_VENDOR_ID, num)
#define CFG_POSITIVE EV_INT_CONFIG_POLARITY_POSITIVE
#define CFG_LEVEL EV_INT_CONFIG_SENSE_LEVEL
#define SPURIOUS 0xffffu /* the MPIC's spurious vector after reset */

enum { BC_RX, BC_TX };

typedef struct Rig {
    Bus bus;
    VClock clock;
    uint8_t *ram;
    PpcCore core;
    PpcCpu *cpu[NCPUS];
    OpenPic pic;
    TestIrqs pic_out; /* CPU n's output o at n * OPENPIC_OUTPUT_NB + o */
    TestIrqs bc;      /* BC_RX, BC_TX */
    CharDev con;
    int con_out;
    unsigned current_cpu;
    TestSys sys;
    Epapr h;
    bool init_ok;
} Rig;

static void console_ready(void *opaque)
{
    epapr_console_input(opaque);
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->ram = calloc(1, GUEST_RAM);
    r->bus = (Bus){ .clock = &r->clock };
    bus_map_ram(&r->bus, "ram", 0, GUEST_RAM, r->ram);
    IrqLine outs[NCPUS * OPENPIC_OUTPUT_NB];
    for (unsigned k = 0; k < ARRAY_SIZE(outs); k++)
        outs[k] = test_irq(&r->pic_out, k);
    openpic_init(&r->pic, &r->bus, MPIC_BASE, NCPUS, &r->current_cpu, outs);
    test_chardev_init(&r->con, &r->con_out);
    for (unsigned n = 0; n < NCPUS; n++)
        r->cpu[n] = calloc(1, sizeof(PpcCpu));
    ppc_core_init(&r->core, &r->bus, &r->clock, NCPUS, r->cpu);
    for (unsigned n = 0; n < NCPUS; n++)
        ppc_cpu_init(r->cpu[n], &r->core, ppc_model_find("e500mc"), n);

    Epapr *h = &r->h;
    h->bus = &r->bus;
    h->cpus = r->cpu;
    h->ncpus = NCPUS;
    h->current_cpu = &r->current_cpu;
    h->mpic_base = MPIC_BASE;
    h->console = &r->con;
    h->bc_rx = test_irq(&r->bc, BC_RX);
    h->bc_tx = test_irq(&r->bc, BC_TX);
    h->sysctl = test_sysctl(&r->sys);
    r->con.input_ready = console_ready;
    r->con.input_opaque = h;
    r->init_ok = epapr_init(h);
    r->core.vhyp = true;
    r->core.hv_exit = epapr_hv_exit;
    r->core.hcall_opaque = h;
    /* TLB1[0] maps the RAM in address space 0 (the ePAPR boot mapping), TLB1[1] in
     * address space 1; epapr_vcpu_start gives both to the guest. */
    const BookeMas as1 = {
        .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (1u << MAS0_ESEL_SHIFT),
        .mas1 = MAS1_V | MAS1_IPROT | MAS1_TS | (10u << MAS1_TSIZE_SHIFT), /* 1 MiB */
        .mas3 = MAS3_SX | MAS3_SW | MAS3_SR,
    };
    for (unsigned n = 0; n < NCPUS; n++) {
        booke_cpu_epapr_start(r->cpu[n], CODE(n), 0, 0, GUEST_RAM);
        booke_tlbwe(&r->cpu[n]->btlb, &as1);
        epapr_vcpu_start(h, r->cpu[n]);
    }
    return r;
}

static void rig_free(Rig *r)
{
    ppc_core_destroy(&r->core);
    for (unsigned n = 0; n < NCPUS; n++)
        free(r->cpu[n]);
    close(r->con_out);
    close(r->con.out_fd);
    free(r->ram);
    free(r);
}

static bool int_level(const Rig *r, unsigned cpu)
{
    return r->pic_out.level[cpu * OPENPIC_OUTPUT_NB + OPENPIC_OUTPUT_INT];
}

/* A hypercall as `sc 1` makes it: r11 = token, r3.. = the arguments; returns r3. */
static uint64_t hc_args(Rig *r, unsigned n, uint32_t token, const uint64_t *args,
                        unsigned nargs)
{
    PpcCpu *c = r->cpu[n];
    c->gpr[11] = token;
    for (unsigned i = 0; i < nargs; i++)
        c->gpr[3 + i] = args[i];
    epapr_hcall(&r->h, c);
    return c->gpr[3];
}

#define HC(r, n, token, ...)                                                                  \
    hc_args((r), (n), (token), (const uint64_t[]){ __VA_ARGS__ },                             \
            (unsigned)ARRAY_SIZE(((const uint64_t[]){ __VA_ARGS__ })))
#define R(r, n, k) ((r)->cpu[n]->gpr[k])

/* The guest executes `word` at its nip, as ppc_cpu_run would: the decoded instruction's
 * semantic function and, when it traps, the Book III-E interrupt router, which hands
 * what belongs to the hypervisor to PpcCore.hv_exit (epapr_hv_exit). The word is stored
 * in guest RAM at nip, where the hypervisor fetches it. */
static PpcStatus guest_step(Rig *r, unsigned n, uint32_t word)
{
    PpcCpu *c = r->cpu[n];
    if (c->nip + 4 > GUEST_RAM) {
        unit_fail();
        fprintf(stderr, "guest_step: nip 0x%" PRIx64 " outside guest RAM\n", c->nip);
        return PPC_TRAP;
    }
    st_be(r->ram + c->nip, 4, word);
    PpcInsn in;
    ppc_decode(word, c->model->categories, &in);
    in.pc_off = 0;
    c->exc = (PpcException){ 0 };
    PpcStatus st = in.fn(c, &in);
    switch (st) {
    case PPC_TRAP:
        ppc_deliver(c);
        break;
    case PPC_NEXT:
    case PPC_END:
    case PPC_WAIT:
        c->nip += 4;
        break;
    case PPC_JUMP:
        break;
    }
    return st;
}

/* The guest sets its interrupt vectors with mtspr (each one emulated by the hypervisor). */
static void guest_vectors(Rig *r, unsigned n)
{
    static const struct {
        const char *insn;
        uint32_t val;
    } v[] = {
        { "mtspr 63,3", GUEST_IVPR },     { "mtspr 402,3", GUEST_IVOR2 },
        { "mtspr 406,3", GUEST_IVOR6 },   { "mtspr 410,3", GUEST_IVOR10 },
        { "mtspr 532,3", GUEST_IVOR36 },  { "mtspr 533,3", GUEST_IVOR37 },
    };
    PpcCpu *c = r->cpu[n];
    uint64_t nip = c->nip, r3 = c->gpr[3];
    for (unsigned k = 0; k < ARRAY_SIZE(v); k++) {
        c->gpr[3] = v[k].val;
        guest_step(r, n, W(v[k].insn));
    }
    c->nip = nip;
    c->gpr[3] = r3;
}

/* Puts thread n back at its code in guest supervisor state with the given MSR bits. */
static void guest_at(Rig *r, unsigned n, uint64_t msr)
{
    PpcCpu *c = r->cpu[n];
    c->nip = CODE(n);
    c->msr = MSR_GS | msr;
    c->exc = (PpcException){ 0 };
}

static size_t console_output(Rig *r, char *buf, size_t cap)
{
    return test_chardev_output(r->con_out, buf, cap);
}

/* stderr into a temporary file while the hypervisor logs (the checks stay outside). */
typedef struct Capture {
    FILE *f;
    int saved;
} Capture;

static Capture capture_begin(void)
{
    fflush(stderr);
    Capture cap = { tmpfile(), dup(2) };
    if (!cap.f || cap.saved < 0) {
        perror("capture");
        exit(2);
    }
    dup2(fileno(cap.f), 2);
    return cap;
}

static char *capture_end(Capture cap)
{
    fflush(stderr);
    dup2(cap.saved, 2);
    close(cap.saved);
    long len = ftell(cap.f);
    char *text = calloc(1, (size_t)(len > 0 ? len : 0) + 1);
    rewind(cap.f);
    if (len > 0 && fread(text, 1, (size_t)len, cap.f) != (size_t)len)
        text[0] = 0;
    fclose(cap.f);
    return text;
}

static unsigned count_lines_with(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- (a) the hcall table ------------------------------------------------------------ */

/* Linux arch/powerpc/include/uapi/asm/epapr_hcalls.h and KVM's vendor 42 (kvm_para.h). */
static const struct {
    uint32_t token;
    const char *name;
} served[] = {
    { (1u << 16) | 1, "EV_BYTE_CHANNEL_SEND" },
    { (1u << 16) | 2, "EV_BYTE_CHANNEL_RECEIVE" },
    { (1u << 16) | 3, "EV_BYTE_CHANNEL_POLL" },
    { (1u << 16) | 4, "EV_INT_SET_CONFIG" },
    { (1u << 16) | 5, "EV_INT_GET_CONFIG" },
    { (1u << 16) | 6, "EV_INT_SET_MASK" },
    { (1u << 16) | 7, "EV_INT_GET_MASK" },
    { (1u << 16) | 9, "EV_INT_IACK" },
    { (1u << 16) | 10, "EV_INT_EOI" },
    { (1u << 16) | 12, "EV_INT_SET_TASK_PRIORITY" },
    { (1u << 16) | 13, "EV_INT_GET_TASK_PRIORITY" },
    { (1u << 16) | 16, "EV_IDLE" },
    { (42u << 16) | 3, "KVM_HC_FEATURES" },
};

static void test_numbers(void)
{
    CHECK_EQ(EV_BYTE_CHANNEL_SEND, 1);
    CHECK_EQ(EV_BYTE_CHANNEL_RECEIVE, 2);
    CHECK_EQ(EV_BYTE_CHANNEL_POLL, 3);
    CHECK_EQ(EV_INT_SET_CONFIG, 4);
    CHECK_EQ(EV_INT_GET_CONFIG, 5);
    CHECK_EQ(EV_INT_SET_MASK, 6);
    CHECK_EQ(EV_INT_GET_MASK, 7);
    CHECK_EQ(EV_INT_IACK, 9);
    CHECK_EQ(EV_INT_EOI, 10);
    CHECK_EQ(EV_INT_SEND_IPI, 11);
    CHECK_EQ(EV_INT_SET_TASK_PRIORITY, 12);
    CHECK_EQ(EV_INT_GET_TASK_PRIORITY, 13);
    CHECK_EQ(EV_DOORBELL_SEND, 14);
    CHECK_EQ(EV_MSGSND, 15);
    CHECK_EQ(EV_IDLE, 16);
    CHECK_EQ(EV_EPAPR_VENDOR_ID, 1);
    CHECK_EQ(EV_KVM_VENDOR_ID, 42);
    CHECK_EQ(KVM_HC_FEATURES, 3);
    CHECK_EQ(EV_HCALL_TOKEN(1, 16), 0x10010);
    CHECK_EQ(EV_SUCCESS, 0);
    CHECK_EQ(EV_EINVAL, 8);
    CHECK_EQ(EV_UNIMPLEMENTED, 12);
    CHECK_EQ(EV_BYTE_CHANNEL_MAX_BYTES, 16);
    CHECK_EQ(EV_INT_CONFIG_POLARITY_POSITIVE, 1);
    CHECK_EQ(EV_INT_CONFIG_SENSE_LEVEL, 2);
}

/* The table holds exactly the served calls, once each. epapr_init's duplicate check
 * cannot be made to fail from here (the table is const and its rows are static
 * functions): the same property is checked directly, and epapr_init must accept it. */
static void test_table(void)
{
    Rig *r = rig_new();
    CHECK(r->init_ok);
    CHECK_EQ(epapr_nhcalls, ARRAY_SIZE(served));
    unsigned dups = 0;
    for (unsigned i = 0; i < epapr_nhcalls; i++) {
        const EpaprHcall *row = &epapr_hcalls[i];
        for (unsigned j = i + 1; j < epapr_nhcalls; j++)
            dups += epapr_hcalls[j].token == row->token;
        CHECK(row->fn != NULL);
        bool listed = false;
        for (unsigned k = 0; k < ARRAY_SIZE(served); k++)
            if (served[k].token == row->token) {
                listed = true;
                CHECK(row->name && strcmp(row->name, served[k].name) == 0);
            }
        CHECK(listed);
    }
    CHECK_EQ(dups, 0);
    /* The start-up state epapr_init leaves: the console always has room. */
    CHECK(r->bc.level[BC_TX]);
    CHECK(!r->bc.level[BC_RX]);
    CHECK(r->h.epcr & EPCR_EXTGS);
    CHECK_EQ(r->cpu[0]->epcr, r->h.epcr);
    CHECK_EQ(r->cpu[1]->lpidr, EPAPR_GUEST_LPID);
    rig_free(r);
}

/* Every served token reaches its own row: with harmless arguments each call succeeds,
 * and the -d ehv log names the row that ran. */
static void test_dispatch(void)
{
    Rig *r = rig_new();
    char *text = NULL;
    size_t len = 0;
    r->h.log = open_memstream(&text, &len);
    for (unsigned k = 0; k < ARRAY_SIZE(served); k++) {
        PpcCpu *c = r->cpu[0];
        for (unsigned g = 3; g <= 10; g++)
            c->gpr[g] = 0;
        c->gpr[11] = served[k].token;
        c->waiting = false;
        size_t before = len;
        epapr_hcall(&r->h, c);
        fflush(r->h.log);
        char want[64];
        snprintf(want, sizeof(want), "cpu0: ehv: hcall %s(", served[k].name);
        CHECK_EQ(c->gpr[3], EV_SUCCESS);
        CHECK(len > before && strncmp(text + before, want, strlen(want)) == 0);
        CHECK_EQ(c->waiting, served[k].token == EV(EV_IDLE));
    }
    fclose(r->h.log);
    r->h.log = NULL;
    free(text);
    rig_free(r);
}

static void test_unknown(void)
{
    static const uint32_t unknown[] = {
        0, EV(0), EV(8), EV(EV_INT_SEND_IPI), EV(EV_DOORBELL_SEND), EV(EV_MSGSND), EV(17),
        EV(0xffff), 0xffffffffu,
        /* numbers the table serves, under another vendor id */
        EV_HCALL_TOKEN(0, EV_BYTE_CHANNEL_SEND), EV_HCALL_TOKEN(2, EV_BYTE_CHANNEL_SEND),
        KVM(EV_BYTE_CHANNEL_SEND), KVM(EV_IDLE), KVM(EV_BYTE_CHANNEL_RECEIVE),
        EV_HCALL_TOKEN(0, KVM_HC_FEATURES), EV_HCALL_TOKEN(41, KVM_HC_FEATURES),
        EV_HCALL_TOKEN(43, KVM_HC_FEATURES), EV_HCALL_TOKEN(0xffff, KVM_HC_FEATURES),
        EV_HCALL_TOKEN(7, EV_IDLE), KVM(0), KVM(1), KVM(4), EV(EV_IDLE) | 0x80000000u,
    };
    Rig *r = rig_new();
    char out[64];
    for (unsigned k = 0; k < ARRAY_SIZE(unknown); k++) {
        PpcCpu *c = r->cpu[0];
        /* As a console send of 3 bytes would look: a mis-dispatch would show. */
        CHECK_EQ(HC(r, 0, unknown[k], 0, 3, 0x61626300u, 0x11111111u), EV_UNIMPLEMENTED);
        CHECK_EQ(c->gpr[4], 3);
        CHECK_EQ(c->gpr[5], 0x61626300u);
        CHECK_EQ(c->gpr[6], 0x11111111u);
        CHECK(!c->waiting);
    }
    CHECK_EQ(console_output(r, out, sizeof(out)), 0);

    /* Through the guest's `sc 1`: r3 gets the status, execution goes on after the sc,
     * nothing is delivered to the guest. */
    guest_at(r, 0, MSR_EE);
    R(r, 0, 11) = EV(EV_MSGSND);
    R(r, 0, 3) = 0;
    CHECK_EQ(guest_step(r, 0, W("sc 1")), PPC_TRAP);
    CHECK_EQ(R(r, 0, 3), EV_UNIMPLEMENTED);
    CHECK_EQ(r->cpu[0]->nip, CODE(0) + 4);
    CHECK_EQ(r->cpu[0]->msr, MSR_GS | MSR_EE);

    /* -d unimp: a token is reported once, however often the guest tries it. */
    char *text = NULL;
    size_t len = 0;
    r->h.log_unimp = open_memstream(&text, &len);
    for (unsigned k = 0; k < 5; k++)
        HC(r, 1, KVM(77), 0);
    fflush(r->h.log_unimp);
    CHECK_EQ(count_lines_with(text, "unimplemented ePAPR hcall 0x002a004d"), 1);
    CHECK(strstr(text, "cpu1:") != NULL);
    fclose(r->h.log_unimp);
    r->h.log_unimp = NULL;
    free(text);
    rig_free(r);
}

/* ---- (b) the byte channel ------------------------------------------------------------ */

static uint32_t be_word(const uint8_t *p)
{
    return (uint32_t)ld_be(p, 4);
}

static void test_bc_send(void)
{
    Rig *r = rig_new();
    uint8_t msg[16];
    char out[64];
    for (unsigned k = 0; k < 16; k++)
        msg[k] = (uint8_t)('A' + k);
    for (unsigned count = 0; count <= 16; count++) {
        /* Bytes past `count` are in the registers too; they must not be sent. The upper
         * halves of the 64-bit GPRs are not part of a 32-bit guest's buffer. */
        CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_SEND), EPAPR_CONSOLE_HANDLE, count,
                    0xdead000000000000ULL | be_word(msg), be_word(msg + 4), be_word(msg + 8),
                    be_word(msg + 12)),
                 EV_SUCCESS);
        CHECK_EQ(R(r, 0, 4), count);
        size_t n = console_output(r, out, sizeof(out));
        CHECK_EQ(n, count);
        CHECK_MEM(out, msg, count);
    }
    /* More than 16 bytes, or another handle: EV_EINVAL, nothing written. */
    static const uint64_t bad_count[] = { 17, 32, 0xffffffffu, 0x80000000u };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_count); k++) {
        CHECK_EQ(HC(r, 1, EV(EV_BYTE_CHANNEL_SEND), EPAPR_CONSOLE_HANDLE, bad_count[k],
                    0x41414141u, 0x41414141u, 0x41414141u, 0x41414141u),
                 EV_EINVAL);
        CHECK_EQ(console_output(r, out, sizeof(out)), 0);
    }
    static const uint64_t bad_handle[] = { 1, 2, 0xffffffffu, 0x80000000u };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_handle); k++) {
        CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_SEND), bad_handle[k], 4, 0x41414141u),
                 EV_EINVAL);
        CHECK_EQ(console_output(r, out, sizeof(out)), 0);
    }
    /* From the guest's `sc 1`, with the ePAPR register use. */
    guest_at(r, 1, 0);
    R(r, 1, 11) = EV(EV_BYTE_CHANNEL_SEND);
    R(r, 1, 3) = EPAPR_CONSOLE_HANDLE;
    R(r, 1, 4) = 6;
    R(r, 1, 5) = 0x68656c6cu; /* "hell" */
    R(r, 1, 6) = 0x6f0a0000u; /* "o\n" */
    CHECK_EQ(guest_step(r, 1, W("sc 1")), PPC_TRAP);
    CHECK_EQ(R(r, 1, 3), EV_SUCCESS);
    CHECK_EQ(R(r, 1, 4), 6);
    CHECK_EQ(r->cpu[1]->nip, CODE(1) + 4);
    CHECK_EQ(console_output(r, out, sizeof(out)), 6);
    CHECK(strcmp(out, "hello\n") == 0);
    rig_free(r);
}

static void test_bc_receive(void)
{
    Rig *r = rig_new();
    const char *input = "0123456789abcdefghijklmno"; /* 25 bytes */
    PpcCpu *c = r->cpu[0];
    CHECK(!r->bc.level[BC_RX]);
    CHECK_EQ(chardev_push_input(&r->con, (const uint8_t *)input, 25), 25);
    CHECK(r->bc.level[BC_RX]);

    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), EPAPR_CONSOLE_HANDLE), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 25);
    CHECK_EQ(c->gpr[5], EV_BYTE_CHANNEL_MAX_BYTES);

    /* max 5: "01234", packed big-endian, the rest of r5..r8 zero. */
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 5, 1, 2, 3, 4),
             EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 5);
    CHECK_EQ(c->gpr[5], 0x30313233u);
    CHECK_EQ(c->gpr[6], 0x34000000u);
    CHECK_EQ(c->gpr[7], 0);
    CHECK_EQ(c->gpr[8], 0);
    CHECK(r->bc.level[BC_RX]);

    /* max 100: at most 16. */
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 100), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 16);
    CHECK_EQ(c->gpr[5], 0x35363738u);
    CHECK_EQ(c->gpr[6], 0x39616263u);
    CHECK_EQ(c->gpr[7], 0x64656667u);
    CHECK_EQ(c->gpr[8], 0x68696a6bu);
    CHECK(r->bc.level[BC_RX]);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), EPAPR_CONSOLE_HANDLE), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 4);

    /* max 0 takes nothing; a wrong handle takes nothing and says EV_EINVAL. */
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 0), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 0);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), 1, 16), EV_EINVAL);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), 0xffffffffu, 16), EV_EINVAL);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), 7), EV_EINVAL);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), EPAPR_CONSOLE_HANDLE), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 4);
    CHECK(r->bc.level[BC_RX]);

    /* The last 4 bytes: the rx line falls. */
    CHECK_EQ(HC(r, 1, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 16), EV_SUCCESS);
    CHECK_EQ(R(r, 1, 4), 4);
    CHECK_EQ(R(r, 1, 5), 0x6c6d6e6fu);
    CHECK_EQ(R(r, 1, 6), 0);
    CHECK(!r->bc.level[BC_RX]);
    CHECK_EQ(HC(r, 1, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 16), EV_SUCCESS);
    CHECK_EQ(R(r, 1, 4), 0);
    CHECK_EQ(R(r, 1, 5), 0);
    CHECK(!r->bc.level[BC_RX]);
    CHECK(r->bc.level[BC_TX]);

    /* POLL counts across the wrap of the input ring. */
    uint8_t buf[1000];
    memset(buf, 'z', sizeof(buf));
    for (unsigned k = 0; k < 4; k++) {
        chardev_push_input(&r->con, buf, sizeof(buf));
        while (chardev_read(&r->con) >= 0)
            ;
    }
    chardev_push_input(&r->con, buf, 300);
    CHECK(r->con.in_tail < r->con.in_head); /* wrapped */
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), EPAPR_CONSOLE_HANDLE), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 300);
    CHECK_EQ(c->gpr[5], EV_BYTE_CHANNEL_MAX_BYTES);

    /* No console at all: every byte-channel call is EV_EINVAL. */
    r->h.console = NULL;
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_SEND), EPAPR_CONSOLE_HANDLE, 1, 0x41000000u),
             EV_EINVAL);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_RECEIVE), EPAPR_CONSOLE_HANDLE, 1), EV_EINVAL);
    CHECK_EQ(HC(r, 0, EV(EV_BYTE_CHANNEL_POLL), EPAPR_CONSOLE_HANDLE), EV_EINVAL);
    r->h.console = &r->con;
    rig_free(r);
}

/* ---- (c) the interrupt controller ------------------------------------------------------ */

static void test_pic_config(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    /* Reset state: masked, priority 0, edge, to CPU 0. */
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 1);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_CONFIG), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 0);
    CHECK_EQ(c->gpr[5], 0);
    CHECK_EQ(c->gpr[6], 0);

    static const struct {
        unsigned irq, config, prio, dest;
    } rt[] = {
        { 5, CFG_LEVEL | CFG_POSITIVE, 7, 1 }, { 5, 0, 0, 0 },   { 0, CFG_LEVEL, 15, 1 },
        { 255, CFG_POSITIVE, 1, 0 },           { 200, 3, 9, 1 }, { 14, CFG_LEVEL, 4, 0 },
    };
    for (unsigned k = 0; k < ARRAY_SIZE(rt); k++) {
        CHECK_EQ(HC(r, 1, EV(EV_INT_SET_CONFIG), rt[k].irq, rt[k].config, rt[k].prio,
                    rt[k].dest),
                 EV_SUCCESS);
        CHECK_EQ(HC(r, 0, EV(EV_INT_GET_CONFIG), rt[k].irq), EV_SUCCESS);
        CHECK_EQ(c->gpr[4], rt[k].config);
        CHECK_EQ(c->gpr[5], rt[k].prio);
        CHECK_EQ(c->gpr[6], rt[k].dest);
        /* In the MPIC: the vector is the source number, the destination one CPU. */
        const OpenPicSource *s = &r->pic.src[rt[k].irq];
        CHECK_EQ(s->ivpr & OPENPIC_VPR_VECTOR_MASK, rt[k].irq);
        CHECK_EQ((s->ivpr & OPENPIC_VPR_PRIORITY_MASK) >> OPENPIC_VPR_PRIORITY_SHIFT,
                 rt[k].prio);
        CHECK_EQ(!!(s->ivpr & OPENPIC_VPR_S), !!(rt[k].config & CFG_LEVEL));
        CHECK_EQ(!!(s->ivpr & OPENPIC_VPR_P), !!(rt[k].config & CFG_POSITIVE));
        CHECK_EQ(s->idr, 1u << rt[k].dest);
    }

    /* Masks: set, read back, and kept by a later SET_CONFIG. */
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 5, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 0);
    CHECK(!(r->pic.src[5].ivpr & OPENPIC_VPR_MSK));
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_CONFIG), 5, CFG_LEVEL, 3, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 0);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 5, 1), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 1);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_CONFIG), 5, CFG_LEVEL, 3, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 1);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 5, 2), EV_SUCCESS); /* any non-zero masks */
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_MASK), 5), EV_SUCCESS);
    CHECK_EQ(c->gpr[4], 1);
    rig_free(r);
}

static void test_pic_iack_eoi(void)
{
    Rig *r = rig_new();
    PpcCpu *c0 = r->cpu[0];
    /* Task priority: per calling CPU, read back, and it gates delivery. */
    CHECK_EQ(r->pic.cpu[0].ctpr, 15);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_TASK_PRIORITY), 0, 9), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_GET_TASK_PRIORITY), 0), EV_SUCCESS);
    CHECK_EQ(c0->gpr[4], 9);
    CHECK_EQ(r->pic.cpu[0].ctpr, 9);
    CHECK_EQ(r->pic.cpu[1].ctpr, 15);
    CHECK_EQ(HC(r, 1, EV(EV_INT_GET_TASK_PRIORITY), 0), EV_SUCCESS);
    CHECK_EQ(R(r, 1, 4), 15);

    /* Level source 9, priority 5, to CPU 0: held back by task priority 9. */
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_CONFIG), 9, CFG_LEVEL | CFG_POSITIVE, 5, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 9, 0), EV_SUCCESS);
    openpic_set_irq(&r->pic, 9, true);
    CHECK(!int_level(r, 0));
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_TASK_PRIORITY), 0, 0), EV_SUCCESS);
    CHECK(int_level(r, 0));
    CHECK(!int_level(r, 1));

    /* CPU 1 is not its destination: its IACK gets the spurious vector. */
    CHECK_EQ(HC(r, 1, EV(EV_INT_SET_TASK_PRIORITY), 0, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 1, EV(EV_INT_IACK), 0), EV_SUCCESS);
    CHECK_EQ(R(r, 1, 4), SPURIOUS);
    CHECK(int_level(r, 0));

    /* CPU 0's IACK: the vector is the source number; the output falls (in service). */
    CHECK_EQ(HC(r, 0, EV(EV_INT_IACK), 0), EV_SUCCESS);
    CHECK_EQ(c0->gpr[4], 9);
    CHECK(!int_level(r, 0));
    CHECK_EQ(r->pic.cpu[0].nisr, 1);

    /* A lower-priority edge source waits for the EOI. */
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_CONFIG), 12, CFG_POSITIVE, 3, 0), EV_SUCCESS);
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 12, 0), EV_SUCCESS);
    openpic_set_irq(&r->pic, 12, true);
    CHECK(!int_level(r, 0));
    openpic_set_irq(&r->pic, 9, false); /* the device is served */
    CHECK_EQ(HC(r, 0, EV(EV_INT_EOI), 9), EV_SUCCESS);
    CHECK_EQ(r->pic.cpu[0].nisr, 0);
    CHECK(int_level(r, 0));
    CHECK_EQ(HC(r, 0, EV(EV_INT_IACK), 0), EV_SUCCESS);
    CHECK_EQ(c0->gpr[4], 12);
    CHECK(!int_level(r, 0));
    CHECK_EQ(HC(r, 0, EV(EV_INT_EOI), 12), EV_SUCCESS);
    CHECK(!int_level(r, 0));
    CHECK_EQ(r->pic.cpu[0].nisr, 0);
    CHECK_EQ(HC(r, 0, EV(EV_INT_IACK), 0), EV_SUCCESS);
    CHECK_EQ(c0->gpr[4], SPURIOUS);

    /* A level source whose device still asks after the EOI is offered again. */
    openpic_set_irq(&r->pic, 9, true);
    CHECK(int_level(r, 0));
    CHECK_EQ(HC(r, 0, EV(EV_INT_IACK), 0), EV_SUCCESS);
    CHECK_EQ(c0->gpr[4], 9);
    CHECK(!int_level(r, 0));
    CHECK_EQ(HC(r, 0, EV(EV_INT_EOI), 9), EV_SUCCESS);
    CHECK(int_level(r, 0));
    /* Masking it through the hcall lowers the output. */
    CHECK_EQ(HC(r, 0, EV(EV_INT_SET_MASK), 9, 1), EV_SUCCESS);
    CHECK(!int_level(r, 0));
    rig_free(r);
}

/* The PIC, the recorded lines and the console input, byte for byte. */
typedef struct PicSnap {
    OpenPic pic;
    TestIrqs out, bc;
    unsigned in_head, in_tail;
} PicSnap;

static void pic_snap(const Rig *r, PicSnap *s)
{
    memcpy(&s->pic, &r->pic, sizeof(r->pic));
    memcpy(&s->out, &r->pic_out, sizeof(r->pic_out));
    memcpy(&s->bc, &r->bc, sizeof(r->bc));
    s->in_head = r->con.in_head;
    s->in_tail = r->con.in_tail;
}

static bool pic_same(const Rig *r, const PicSnap *s)
{
    return memcmp(&s->pic, &r->pic, sizeof(r->pic)) == 0 &&
           memcmp(&s->out, &r->pic_out, sizeof(r->pic_out)) == 0 &&
           memcmp(&s->bc, &r->bc, sizeof(r->bc)) == 0 && s->in_head == r->con.in_head &&
           s->in_tail == r->con.in_tail;
}

/* One invalid call: EV_EINVAL, r4 left alone, the PIC unchanged. */
static void expect_einval(Rig *r, const char *what, uint32_t token, uint64_t a3, uint64_t a4,
                          uint64_t a5, uint64_t a6)
{
    PicSnap *before = malloc(sizeof(*before));
    pic_snap(r, before);
    R(r, 0, 4) = a4;
    uint64_t st = HC(r, 0, token, a3, a4, a5, a6);
    bool same = pic_same(r, before);
    if (st == EV_EINVAL && R(r, 0, 4) == a4 && same) {
        unit_pass();
    } else {
        unit_fail();
        fprintf(stderr, "%s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
                        "): status %" PRIu64 ", r4 0x%" PRIx64 ", PIC %s; expected EV_EINVAL "
                        "and no change\n",
                what, a3, a4, a5, a6, st, R(r, 0, 4), same ? "unchanged" : "changed");
    }
    free(before);
}

static void test_pic_invalid(void)
{
    Rig *r = rig_new();
    /* Something pending and something in service, so that a stray IACK/EOI would show. */
    HC(r, 0, EV(EV_INT_SET_TASK_PRIORITY), 0, 0);
    HC(r, 0, EV(EV_INT_SET_CONFIG), 9, CFG_LEVEL, 5, 0);
    HC(r, 0, EV(EV_INT_SET_MASK), 9, 0);
    HC(r, 0, EV(EV_INT_SET_CONFIG), 10, CFG_LEVEL, 6, 0);
    HC(r, 0, EV(EV_INT_SET_MASK), 10, 0);
    openpic_set_irq(&r->pic, 9, true);
    openpic_set_irq(&r->pic, 10, true);
    HC(r, 0, EV(EV_INT_IACK), 0);
    CHECK_EQ(R(r, 0, 4), 10);
    CHECK_EQ(r->pic.cpu[0].nisr, 1);

    static const uint64_t bad_irq[] = { 256, 257, 0xffff, 0xffffffffu, 0x100000005ULL,
                                        ~0ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_irq); k++) {
        expect_einval(r, "EV_INT_SET_CONFIG", EV(EV_INT_SET_CONFIG), bad_irq[k], CFG_LEVEL, 1,
                      0);
        expect_einval(r, "EV_INT_GET_CONFIG", EV(EV_INT_GET_CONFIG), bad_irq[k], 0x44, 0, 0);
        expect_einval(r, "EV_INT_SET_MASK", EV(EV_INT_SET_MASK), bad_irq[k], 0, 0, 0);
        expect_einval(r, "EV_INT_GET_MASK", EV(EV_INT_GET_MASK), bad_irq[k], 0x44, 0, 0);
        expect_einval(r, "EV_INT_EOI", EV(EV_INT_EOI), bad_irq[k], 0x44, 0, 0);
    }
    static const uint64_t bad_prio[] = { 16, 17, 255, 0xffffffffu, 0x100000001ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_prio); k++) {
        expect_einval(r, "EV_INT_SET_CONFIG", EV(EV_INT_SET_CONFIG), 9, CFG_LEVEL, bad_prio[k],
                      0);
        expect_einval(r, "EV_INT_SET_TASK_PRIORITY", EV(EV_INT_SET_TASK_PRIORITY), 0,
                      bad_prio[k], 0, 0);
    }
    static const uint64_t bad_dest[] = { NCPUS, 3, 4, 31, 32, 0xffffffffu, 0x100000000ULL };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_dest); k++)
        expect_einval(r, "EV_INT_SET_CONFIG", EV(EV_INT_SET_CONFIG), 9, CFG_LEVEL, 5,
                      bad_dest[k]);
    /* One interrupt controller: handle 0 (ePAPR: the handle of the controller). */
    static const uint64_t bad_handle[] = { 1, 2, 0xffffffffu };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_handle); k++) {
        expect_einval(r, "EV_INT_IACK", EV(EV_INT_IACK), bad_handle[k], 0x44, 0, 0);
        expect_einval(r, "EV_INT_SET_TASK_PRIORITY", EV(EV_INT_SET_TASK_PRIORITY),
                      bad_handle[k], 3, 0, 0);
        expect_einval(r, "EV_INT_GET_TASK_PRIORITY", EV(EV_INT_GET_TASK_PRIORITY),
                      bad_handle[k], 0x44, 0, 0);
    }
    rig_free(r);
}

/* ---- (d) EV_IDLE and KVM_HC_FEATURES --------------------------------------------------- */

static void test_idle_features(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[1];
    CHECK(!c->waiting);
    CHECK_EQ(HC(r, 1, EV(EV_IDLE), 0), EV_SUCCESS);
    CHECK(c->waiting);
    CHECK(!r->cpu[0]->waiting);

    /* Through `sc 1`: the thread waits after the sc, still in guest state. */
    c->waiting = false;
    guest_at(r, 1, MSR_EE);
    R(r, 1, 11) = EV(EV_IDLE);
    CHECK_EQ(guest_step(r, 1, W("sc 1")), PPC_TRAP);
    CHECK_EQ(R(r, 1, 3), EV_SUCCESS);
    CHECK(c->waiting);
    CHECK_EQ(c->nip, CODE(1) + 4);
    CHECK_EQ(c->msr, MSR_GS | MSR_EE);

    R(r, 0, 4) = 0x5555;
    CHECK_EQ(HC(r, 0, KVM(KVM_HC_FEATURES), 0), EV_SUCCESS);
    CHECK_EQ(R(r, 0, 4), 0);
    CHECK(!r->cpu[0]->waiting);
    rig_free(r);
}

/* ---- (e) the exits ----------------------------------------------------------------------- */

/* An emulated instruction: the hypervisor did it and the guest goes on after it. */
static void expect_emulated(Rig *r, unsigned n, const char *insn, uint64_t msr)
{
    PpcCpu *c = r->cpu[n];
    uint64_t nip = c->nip;
    unsigned failures = r->h.emul_failures;
    PpcStatus st = guest_step(r, n, W(insn));
    if (st == PPC_TRAP && c->nip == nip + 4 && c->msr == msr &&
        r->h.emul_failures == failures && c->exc.kind == PPC_EXC_NONE) {
        unit_pass();
        return;
    }
    unit_fail();
    fprintf(stderr, "%s: status %u, nip 0x%" PRIx64 " (expected 0x%" PRIx64 "), msr 0x%" PRIx64
                    " (expected 0x%" PRIx64 "), %u emulation failures; expected the "
                    "hypervisor to emulate it\n",
            insn, st, c->nip, nip + 4, c->msr, msr, r->h.emul_failures - failures);
}

static void test_guest_tlb(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    guest_at(r, 0, 0);

    /* tlbwe: TLB1[5] maps GUEST_VA -> GUEST_PA, in the guest's context whatever MAS8
     * holds (MAS8 is the hypervisor's register: the guest cannot pick TGS, VF or TLPID). */
    c->mas = (BookeMas){ .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (5u << MAS0_ESEL_SHIFT),
                         .mas1 = MAS1_V | TSIZE_4K,
                         .mas2 = GUEST_VA,
                         .mas3 = (uint32_t)GUEST_PA | MAS3_SR | MAS3_SW,
                         .mas8 = MAS8_VF | 0x3f };
    expect_emulated(r, 0, "tlbwe", MSR_GS);
    const BookeTlbe *e = &c->btlb.tlb1[5];
    CHECK(e->mas1 & MAS1_V);
    CHECK_EQ(e->mas2 & MAS2_EPN, GUEST_VA);
    CHECK_EQ(e->mas3, (uint32_t)GUEST_PA | MAS3_SR | MAS3_SW);
    CHECK_EQ(e->mas8, MAS8_TGS | EPAPR_GUEST_LPID);
    CHECK(!(r->cpu[1]->btlb.tlb1[5].mas1 & MAS1_V)); /* tlbwe is local */

    /* The guest reaches it through the translation path. */
    st_be(r->ram + GUEST_PA + 0x120, 4, 0x5eed1234u);
    uint64_t v = 0;
    CHECK_EQ(ppc_load(c, GUEST_VA + 0x120, 4, false, &v), PPC_NEXT);
    CHECK_EQ(v, 0x5eed1234u);

    /* Entries of the hypervisor's context and of another partition. */
    c->btlb.tlb1[7] = (BookeTlbe){ .mas1 = MAS1_V | TSIZE_4K, .mas2 = HV_VA,
                                   .mas3 = (uint32_t)GUEST_PA | MAS3_SR, .mas8 = 0 };
    c->btlb.tlb1[8] = (BookeTlbe){ .mas1 = MAS1_V | TSIZE_4K, .mas2 = OTHER_VA,
                                   .mas3 = (uint32_t)GUEST_PA | MAS3_SR,
                                   .mas8 = MAS8_TGS | 2 };
    booke_tlb_changed(c);
    CHECK_EQ(ppc_load(c, HV_VA, 4, false, &v), PPC_TRAP);
    CHECK_EQ(c->exc.kind, PPC_EXC_DATA_TLB);
    c->exc = (PpcException){ 0 };

    /* tlbsx finds the guest's entry, and only the guest's; MAS5 stays the hypervisor's. */
    guest_at(r, 0, 0);
    c->mas = (BookeMas){ .mas5 = 0, .mas6 = 0 };
    c->gpr[4] = GUEST_VA + 0x10;
    expect_emulated(r, 0, "tlbsx 0,4", MSR_GS);
    CHECK_EQ(c->mas.mas0 & (MAS0_TLBSEL | MAS0_ESEL),
             (1u << MAS0_TLBSEL_SHIFT) | (5u << MAS0_ESEL_SHIFT));
    CHECK(c->mas.mas1 & MAS1_V);
    CHECK_EQ(c->mas.mas2 & MAS2_EPN, GUEST_VA);
    CHECK_EQ(c->mas.mas3 & MAS3_RPN, GUEST_PA);
    CHECK_EQ(c->mas.mas5, 0);
    c->gpr[4] = HV_VA;
    expect_emulated(r, 0, "tlbsx 0,4", MSR_GS);
    CHECK(!(c->mas.mas1 & MAS1_V));
    c->gpr[4] = OTHER_VA;
    expect_emulated(r, 0, "tlbsx 0,4", MSR_GS);
    CHECK(!(c->mas.mas1 & MAS1_V));
    CHECK_EQ(c->mas.mas5, 0);

    /* tlbre reads it back. */
    c->mas = (BookeMas){ .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (5u << MAS0_ESEL_SHIFT) };
    expect_emulated(r, 0, "tlbre", MSR_GS);
    CHECK(c->mas.mas1 & MAS1_V);
    CHECK_EQ(c->mas.mas2 & MAS2_EPN, GUEST_VA);
    CHECK_EQ(c->mas.mas3 & MAS3_RPN, GUEST_PA);

    /* tlbivax: every thread's guest entry for the address goes; IPROT entries and the
     * hypervisor's entry for the same address stay. */
    PpcCpu *c1 = r->cpu[1];
    guest_at(r, 1, 0);
    c1->mas = (BookeMas){ .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (5u << MAS0_ESEL_SHIFT),
                          .mas1 = MAS1_V | TSIZE_4K, .mas2 = GUEST_VA,
                          .mas3 = (uint32_t)GUEST_PA | MAS3_SR };
    expect_emulated(r, 1, "tlbwe", MSR_GS);
    c->btlb.tlb1[9] = (BookeTlbe){ .mas1 = MAS1_V | TSIZE_4K, .mas2 = GUEST_VA,
                                   .mas3 = (uint32_t)GUEST_PA | MAS3_SR, .mas8 = 0 };
    guest_at(r, 0, 0);
    c->gpr[4] = GUEST_VA | 0x8; /* EA bits 59:60 = 1: TLB1 */
    expect_emulated(r, 0, "tlbivax 0,4", MSR_GS);
    CHECK(!(c->btlb.tlb1[5].mas1 & MAS1_V));
    CHECK(!(c1->btlb.tlb1[5].mas1 & MAS1_V));
    CHECK(c->btlb.tlb1[9].mas1 & MAS1_V);
    CHECK(c->btlb.tlb1[0].mas1 & MAS1_V);
    CHECK(c1->btlb.tlb1[0].mas1 & MAS1_V);
    CHECK_EQ(ppc_load(c, GUEST_VA + 0x120, 4, false, &v), PPC_TRAP); /* gone for the guest */
    c->exc = (PpcException){ 0 };

    /* tlbilx T = 0 (this LPID): local; T = 2 is reserved: illegal in the guest. */
    guest_at(r, 0, 0);
    c->mas = c1->mas;
    expect_emulated(r, 0, "tlbwe", MSR_GS);
    guest_at(r, 1, 0);
    expect_emulated(r, 1, "tlbwe", MSR_GS);
    guest_at(r, 0, 0);
    expect_emulated(r, 0, "tlbilx 0,0,4", MSR_GS);
    CHECK(!(c->btlb.tlb1[5].mas1 & MAS1_V));
    CHECK(c1->btlb.tlb1[5].mas1 & MAS1_V);
    CHECK(c->btlb.tlb1[9].mas1 & MAS1_V);
    CHECK(c->btlb.tlb1[0].mas1 & MAS1_V);
    expect_emulated(r, 0, "tlbsync", MSR_GS);

    guest_vectors(r, 0);
    guest_at(r, 0, MSR_EE);
    Capture cap = capture_begin();
    PpcStatus st = guest_step(r, 0, W("tlbilx 2,0,4"));
    free(capture_end(cap));
    CHECK_EQ(st, PPC_TRAP);
    CHECK_EQ(c->nip, GUEST_VEC(GUEST_IVOR6));
    CHECK_EQ(c->gsrr0, CODE(0));
    CHECK_EQ(c->gesr, ESR_PIL);
    CHECK_EQ(c->msr, MSR_GS);
    rig_free(r);
}

static void test_guest_ivors(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    uint64_t hv_ivpr = c->ivpr;
    uint32_t hv_ivor[64];
    memcpy(hv_ivor, c->ivor, sizeof(hv_ivor));

    guest_at(r, 0, 0);
    c->gpr[3] = 0x12345678u;
    expect_emulated(r, 0, "mtspr 63,3", MSR_GS);
    CHECK_EQ(r->h.vcpu[0].ivpr, 0x12340000u);
    CHECK_EQ(c->givpr, 0x12340000u);
    c->gpr[3] = 0;
    expect_emulated(r, 0, "mfspr 3,63", MSR_GS);
    CHECK_EQ(c->gpr[3], 0x12340000u);

    c->gpr[3] = 0xabcd;
    expect_emulated(r, 0, "mtspr 402,3", MSR_GS);
    CHECK_EQ(r->h.vcpu[0].ivor[2], 0xabc0);
    CHECK_EQ(c->givor[2], 0xabc0);
    c->gpr[3] = 0;
    expect_emulated(r, 0, "mfspr 3,402", MSR_GS);
    CHECK_EQ(c->gpr[3], 0xabc0);

    c->gpr[3] = 0x0606;
    expect_emulated(r, 0, "mtspr 406,3", MSR_GS);
    CHECK_EQ(r->h.vcpu[0].ivor[6], 0x600);
    c->gpr[3] = 0;
    expect_emulated(r, 0, "mfspr 3,406", MSR_GS);
    CHECK_EQ(c->gpr[3], 0x600);
    c->gpr[3] = 0x1244;
    expect_emulated(r, 0, "mtspr 532,3", MSR_GS);
    c->gpr[3] = 0;
    expect_emulated(r, 0, "mfspr 3,532", MSR_GS);
    CHECK_EQ(c->gpr[3], 0x1240);

    /* The hypervisor's own vectors are untouched; the other thread's guest copy too. */
    CHECK_EQ(c->ivpr, hv_ivpr);
    CHECK_MEM(c->ivor, hv_ivor, sizeof(hv_ivor));
    CHECK_EQ(r->h.vcpu[1].ivpr, 0);
    CHECK_EQ(r->cpu[1]->givpr, 0);

    /* The hardware uses GIVPR|GIVOR2 for a data storage interrupt sent to the guest. */
    guest_at(r, 0, MSR_EE);
    c->exc = (PpcException){ .kind = PPC_EXC_DSI, .dar = 0x7000, .srr1_bits = ESR_ST };
    ppc_deliver(c);
    CHECK_EQ(c->nip, 0x1234abc0u);
    CHECK_EQ(c->gsrr0, CODE(0));
    CHECK_EQ(c->gdear, 0x7000);
    CHECK_EQ(c->gesr, ESR_ST);
    CHECK_EQ(c->msr, MSR_GS);
    rig_free(r);
}

/* The seed-001 requirement: what the hypervisor cannot or must not do for the guest
 * becomes a Program interrupt (illegal) in the guest, through its IVPR|IVOR6, with GSRR0
 * at the instruction, GSRR1 the old MSR, GESR[PIL], MSR[GS] still 1; nothing changes;
 * one log line; the emulator goes on. */
static void test_forbidden(void)
{
    static const char *const forbidden[] = {
        "mtspr 338,3", "mfspr 3,338", "mtspr 307,3", "mfspr 3,307",
        "mtspr 447,3", "mtspr 341,3", "ehpriv",
    };
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    guest_vectors(r, 0);
    const uint64_t msr = MSR_EE | MSR_CE | MSR_ME | MSR_DE | MSR_IS | MSR_DS;
    for (unsigned k = 0; k < ARRAY_SIZE(forbidden); k++) {
        guest_at(r, 0, msr);
        c->gpr[3] = 0x3f;
        c->gesr = 0;
        uint64_t lpidr = c->lpidr, givpr = c->givpr;
        uint32_t epcr = c->epcr, mas8 = c->mas.mas8;
        unsigned failures = r->h.emul_failures;
        Capture cap = capture_begin();
        PpcStatus st = guest_step(r, 0, W(forbidden[k]));
        char *log = capture_end(cap);
        char word[16];
        snprintf(word, sizeof(word), "0x%08x", W(forbidden[k]));
        if (st != PPC_TRAP || c->nip != GUEST_VEC(GUEST_IVOR6) || c->gsrr0 != CODE(0) ||
            c->gsrr1 != (MSR_GS | msr) || c->gesr != ESR_PIL ||
            c->msr != (MSR_GS | MSR_CE | MSR_ME | MSR_DE) || c->gpr[3] != 0x3f ||
            c->lpidr != lpidr || c->epcr != epcr || c->givpr != givpr ||
            c->mas.mas8 != mas8 || r->h.emul_failures != failures + 1 ||
            count_lines_with(log, "Program interrupt injected") != 1 || !strstr(log, word)) {
            unit_fail();
            fprintf(stderr, "%s in the guest: nip 0x%" PRIx64 " gsrr0 0x%" PRIx64
                            " gsrr1 0x%" PRIx64 " gesr 0x%x msr 0x%" PRIx64 " r3 0x%" PRIx64
                            " lpidr %" PRIu64 " epcr 0x%x; log: %s\n",
                    forbidden[k], c->nip, c->gsrr0, c->gsrr1, c->gesr, c->msr, c->gpr[3],
                    c->lpidr, c->epcr, log);
        } else {
            unit_pass();
        }
        free(log);
    }
    CHECK_EQ(c->lpidr, EPAPR_GUEST_LPID);
    CHECK(!r->core.fatal);
    CHECK(!c->stopped);
    /* ... and the emulator keeps going: the next emulated instruction works. */
    guest_at(r, 0, 0);
    c->gpr[3] = 0x700;
    expect_emulated(r, 0, "mtspr 406,3", MSR_GS);
    CHECK_EQ(r->h.vcpu[0].ivor[6], 0x700);
    rig_free(r);
}

/* The log of failed emulations is throttled (seed 001: "the guest can spam our logs"). */
static void test_log_rate(void)
{
    Rig *r = rig_new();
    guest_vectors(r, 0);
    Capture cap = capture_begin();
    for (unsigned k = 0; k < 2500; k++) {
        guest_at(r, 0, 0);
        guest_step(r, 0, W("ehpriv"));
    }
    char *log = capture_end(cap);
    CHECK_EQ(r->h.emul_failures, 2500);
    CHECK_EQ(count_lines_with(log, "Program interrupt injected"), 12); /* 1-10, 1000, 2000 */
    CHECK(strstr(log, "cpu0") && strstr(log, "0x7c00021c"));
    CHECK(!r->core.fatal);
    free(log);
    rig_free(r);
}

/* An `sc 1` from guest problem state is not a hypercall: KVM (arch/powerpc/kvm/booke.c,
 * BOOKE_INTERRUPT_HV_SYSCALL) queues a privileged-instruction Program interrupt (ESR[PPR])
 * for the guest instead, so that a guest's user processes cannot drive its console or
 * interrupt controller. */
static void test_hcall_problem_state(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    guest_vectors(r, 0);
    guest_at(r, 0, MSR_PR | MSR_EE);
    c->gpr[11] = EV(EV_BYTE_CHANNEL_SEND);
    c->gpr[3] = EPAPR_CONSOLE_HANDLE;
    c->gpr[4] = 3;
    c->gpr[5] = 0x62616400u; /* "bad" */
    guest_step(r, 0, W("sc 1"));
    char out[64];
    CHECK_EQ(console_output(r, out, sizeof(out)), 0);
    CHECK_EQ(c->nip, GUEST_VEC(GUEST_IVOR6));
    CHECK_EQ(c->gesr, ESR_PPR);
    CHECK_EQ(c->msr, MSR_GS);
    CHECK(c->gsrr1 & MSR_PR);

    guest_at(r, 0, MSR_PR | MSR_EE);
    c->gpr[11] = EV(EV_INT_SET_MASK);
    c->gpr[3] = 5;
    c->gpr[4] = 0;
    guest_step(r, 0, W("sc 1"));
    CHECK(r->pic.src[5].ivpr & OPENPIC_VPR_MSK); /* still masked */
    CHECK_EQ(c->nip, GUEST_VEC(GUEST_IVOR6));
    rig_free(r);
}

static void test_doorbells(void)
{
    Rig *r = rig_new();
    PpcCpu *c0 = r->cpu[0], *c1 = r->cpu[1];
    const uint32_t hv_irqs = BOOKE_IRQ_DBELL | BOOKE_IRQ_DBELL_CRIT | BOOKE_IRQ_G_DBELL_MC |
                             BOOKE_IRQ_CRITICAL;
    CHECK_EQ(c1->gpir, 1);

    /* msgsnd DBELL to PIR tag 1: thread 1's guest doorbell, and it wakes up. */
    guest_at(r, 0, 0);
    c1->waiting = true;
    c0->gpr[4] = ((uint32_t)DBELL_TYPE_DBELL << DBELL_TYPE_SHIFT) | 1;
    expect_emulated(r, 0, "msgsnd 4", MSR_GS);
    CHECK_EQ(c1->booke_irqs, BOOKE_IRQ_G_DBELL);
    CHECK_EQ(c0->booke_irqs, 0);
    CHECK(!c1->waiting);

    c0->gpr[4] = ((uint32_t)DBELL_TYPE_DBELL_CRIT << DBELL_TYPE_SHIFT) | 1;
    expect_emulated(r, 0, "msgsnd 4", MSR_GS);
    CHECK_EQ(c1->booke_irqs, BOOKE_IRQ_G_DBELL | BOOKE_IRQ_G_DBELL_CRIT);
    CHECK_EQ(c0->booke_irqs, 0);

    c0->gpr[4] = ((uint32_t)DBELL_TYPE_DBELL << DBELL_TYPE_SHIFT) | DBELL_BRDCAST;
    expect_emulated(r, 0, "msgsnd 4", MSR_GS);
    CHECK_EQ(c0->booke_irqs, BOOKE_IRQ_G_DBELL);

    /* msgclr on thread 1 clears its own guest doorbell. */
    guest_at(r, 1, 0);
    c1->gpr[4] = (uint32_t)DBELL_TYPE_DBELL << DBELL_TYPE_SHIFT;
    expect_emulated(r, 1, "msgclr 4", MSR_GS);
    CHECK_EQ(c1->booke_irqs, BOOKE_IRQ_G_DBELL_CRIT);
    CHECK_EQ(c0->booke_irqs, BOOKE_IRQ_G_DBELL);

    /* No message type lets the guest ring the hypervisor's doorbells. */
    bool isolated = true;
    for (unsigned type = 0; type < 32; type++) {
        c0->booke_irqs = c1->booke_irqs = 0;
        guest_at(r, 0, 0);
        c0->gpr[4] = (type << DBELL_TYPE_SHIFT) | DBELL_BRDCAST;
        guest_step(r, 0, W("msgsnd 4"));
        isolated &= !((c0->booke_irqs | c1->booke_irqs) & hv_irqs);
        isolated &= (c0->msr & MSR_GS) != 0;
    }
    CHECK(isolated);
    c0->booke_irqs = c1->booke_irqs = 0;

    /* The guest doorbell is taken when the guest enables EE and reflected into its
     * processor doorbell vector IVOR36, through GSRR0/GSRR1. */
    guest_vectors(r, 1);
    c1->booke_irqs = BOOKE_IRQ_G_DBELL;
    guest_at(r, 1, 0);
    CHECK(!booke_take_async(c1));
    CHECK_EQ(c1->nip, CODE(1));
    c1->msr = MSR_GS | MSR_EE | MSR_ME;
    CHECK(booke_take_async(c1));
    CHECK_EQ(c1->nip, GUEST_VEC(GUEST_IVOR36));
    CHECK_EQ(c1->gsrr0, CODE(1));
    CHECK_EQ(c1->gsrr1, MSR_GS | MSR_EE | MSR_ME);
    CHECK_EQ(c1->msr, MSR_GS | MSR_ME);
    CHECK_EQ(c1->booke_irqs, 0);

    /* The exits themselves, as PpcCore.hv_exit receives them. */
    guest_at(r, 1, MSR_EE | MSR_CE);
    c1->exc = (PpcException){ .kind = PPC_EXC_GUEST_DOORBELL };
    epapr_hv_exit(&r->h, c1);
    CHECK_EQ(c1->nip, GUEST_VEC(GUEST_IVOR36));
    CHECK_EQ(c1->gsrr0, CODE(1));
    CHECK_EQ(c1->gsrr1, MSR_GS | MSR_EE | MSR_CE);
    CHECK_EQ(c1->msr, MSR_GS | MSR_CE);
    CHECK_EQ(c1->exc.kind, PPC_EXC_NONE);

    guest_at(r, 1, MSR_EE | MSR_CE | MSR_ME);
    c1->exc = (PpcException){ .kind = PPC_EXC_GUEST_DOORBELL_CRIT };
    epapr_hv_exit(&r->h, c1);
    CHECK_EQ(c1->nip, GUEST_VEC(GUEST_IVOR37));
    CHECK_EQ(c1->csrr0, CODE(1));
    CHECK_EQ(c1->csrr1, MSR_GS | MSR_EE | MSR_CE | MSR_ME);
    CHECK_EQ(c1->msr, MSR_GS | MSR_ME);
    rig_free(r);
}

static void test_decrementer(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    guest_vectors(r, 0);

    guest_at(r, 0, MSR_EE | MSR_ME | MSR_PR);
    c->exc = (PpcException){ .kind = PPC_EXC_DECREMENTER };
    epapr_hv_exit(&r->h, c);
    CHECK_EQ(c->nip, GUEST_VEC(GUEST_IVOR10));
    CHECK_EQ(c->gsrr0, CODE(0));
    CHECK_EQ(c->gsrr1, MSR_GS | MSR_EE | MSR_ME | MSR_PR);
    CHECK_EQ(c->msr, MSR_GS | MSR_ME);

    /* The guest's decrementer fires: taken when the guest has EE, then acknowledged by
     * the guest's mtspr TSR (emulated: the timer registers are the guest's). */
    c->tcr = TCR_DIE;
    c->tsr = TSR_DIS;
    booke_timers_update(c);
    CHECK(c->dec_pending);
    guest_at(r, 0, 0);
    CHECK(!booke_take_async(c));
    c->msr = MSR_GS | MSR_EE;
    CHECK(booke_take_async(c));
    CHECK_EQ(c->nip, GUEST_VEC(GUEST_IVOR10));
    CHECK_EQ(c->gsrr0, CODE(0));
    CHECK_EQ(c->msr, MSR_GS);
    guest_at(r, 0, 0);
    c->gpr[3] = TSR_DIS;
    expect_emulated(r, 0, "mtspr 336,3", MSR_GS);
    CHECK(!(c->tsr & TSR_DIS));
    CHECK(!c->dec_pending);
    rig_free(r);
}

static void test_returns(void)
{
    static const struct {
        const char *insn;
        uint64_t srr1, msr;
    } rt[] = {
        { "rfci", MSR_EE | MSR_CE | MSR_ME, MSR_GS | MSR_EE | MSR_CE | MSR_ME },
        { "rfci", MSR_PR | MSR_EE, MSR_GS | MSR_PR | MSR_EE },
        { "rfci", MSR_GS | MSR_EE, MSR_GS | MSR_EE },
        { "rfmci", MSR_ME, MSR_GS | MSR_ME },
        { "rfdi", MSR_DE | MSR_IS | MSR_DS, MSR_GS | MSR_DE | MSR_IS | MSR_DS },
    };
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    for (unsigned k = 0; k < ARRAY_SIZE(rt); k++) {
        guest_at(r, 0, MSR_ME);
        uint64_t to = 0x3000 + 0x100 * k;
        c->csrr0 = c->mcsrr0 = c->dsrr0 = to | 3; /* the low bits are ignored */
        c->csrr1 = c->mcsrr1 = c->dsrr1 = rt[k].srr1;
        unsigned failures = r->h.emul_failures;
        CHECK_EQ(guest_step(r, 0, W(rt[k].insn)), PPC_TRAP);
        CHECK_EQ(c->nip, to);
        CHECK_EQ(c->msr, rt[k].msr);
        CHECK_EQ(r->h.emul_failures, failures);
    }
    rig_free(r);
}

static void test_mmucfg(void)
{
    Rig *r = rig_new();
    PpcCpu *c = r->cpu[0];
    CHECK(booke_mmucfg() & MMUCFG_LPIDSIZE); /* the host value has it */
    guest_at(r, 0, 0);
    c->gpr[3] = ~0ULL;
    expect_emulated(r, 0, "mfspr 3,1015", MSR_GS);
    CHECK_EQ(c->gpr[3], booke_mmucfg() & ~MMUCFG_LPIDSIZE);
    c->gpr[3] = 0;
    expect_emulated(r, 0, "mfspr 3,689", MSR_GS);
    CHECK_EQ(c->gpr[3], booke_tlbcfg(1));
    rig_free(r);
}

/* Two guest programs run by ppc_cpu_run, through the translated-block path. */
static void test_guest_programs(void)
{
    Rig *r = rig_new();
    PpcCpu *c0 = r->cpu[0], *c1 = r->cpu[1];
    /* Thread 0: set IVOR6 (IVPR stays 0), print "hi", write a TLB entry, try LPIDR: the
     * Program interrupt lands at 0x600, where it waits. */
    static const char *const prog[] = { "mtspr 406,29", "sc 1", "tlbwe", "mtspr 338,3" };
    for (unsigned k = 0; k < ARRAY_SIZE(prog); k++)
        st_be(r->ram + CODE(0) + 4 * k, 4, W(prog[k]));
    st_be(r->ram + 0x600, 4, W("wait"));
    c0->gpr[29] = 0x600;
    c0->gpr[11] = EV(EV_BYTE_CHANNEL_SEND);
    c0->gpr[3] = EPAPR_CONSOLE_HANDLE;
    c0->gpr[4] = 2;
    c0->gpr[5] = 0x68690000u;
    c0->mas = (BookeMas){ .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (6u << MAS0_ESEL_SHIFT),
                          .mas1 = MAS1_V | TSIZE_4K, .mas2 = GUEST_VA,
                          .mas3 = (uint32_t)GUEST_PA | MAS3_SR | MAS3_SW };
    Capture cap = capture_begin();
    ppc_cpu_run(c0, 1000);
    free(capture_end(cap));
    char out[16];
    CHECK_EQ(console_output(r, out, sizeof(out)), 2);
    CHECK(strcmp(out, "hi") == 0);
    CHECK_EQ(c0->gpr[3], EV_SUCCESS);
    CHECK_EQ(c0->btlb.tlb1[6].mas8, MAS8_TGS | EPAPR_GUEST_LPID);
    CHECK(c0->btlb.tlb1[6].mas1 & MAS1_V);
    CHECK_EQ(c0->gsrr0, CODE(0) + 12);
    CHECK_EQ(c0->gesr, ESR_PIL);
    CHECK_EQ(c0->lpidr, EPAPR_GUEST_LPID);
    CHECK(c0->waiting);
    CHECK_EQ(c0->nip, 0x604);
    CHECK_EQ(c0->msr, MSR_GS);
    CHECK(!r->core.fatal);

    /* Thread 0 rings thread 1, which waits with EE on: thread 1 takes the doorbell at its
     * IVOR36 and waits there. */
    r->h.vcpu[1].ivpr = 0;
    r->h.vcpu[1].ivor[BOOKE_IVOR_DOORBELL] = 0x800;
    st_be(r->ram + 0x800, 4, W("wait"));
    st_be(r->ram + 0x3000, 4, W("msgsnd 4"));
    st_be(r->ram + 0x3004, 4, W("wait"));
    c0->nip = 0x3000;
    c0->waiting = false;
    c0->gpr[4] = ((uint32_t)DBELL_TYPE_DBELL << DBELL_TYPE_SHIFT) | 1;
    c1->nip = 0x2340;
    c1->msr = MSR_GS | MSR_EE;
    c1->waiting = true;
    ppc_cpu_run(c0, 1000);
    CHECK(c0->waiting);
    CHECK_EQ(c0->nip, 0x3008);
    CHECK_EQ(c1->booke_irqs, BOOKE_IRQ_G_DBELL);
    ppc_cpu_run(c1, 1000);
    CHECK_EQ(c1->gsrr0, 0x2340);
    CHECK_EQ(c1->gsrr1, MSR_GS | MSR_EE);
    CHECK_EQ(c1->nip, 0x804);
    CHECK(c1->waiting);
    CHECK_EQ(c1->msr, MSR_GS);
    CHECK_EQ(c1->booke_irqs, 0);
    CHECK(!r->core.fatal);
    rig_free(r);
}

/* ---- (f) garbage from the guest ---------------------------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* A register value a fuzzer would pick: small, on a boundary, or anything. */
static uint64_t rnd_value(uint64_t *s)
{
    static const uint64_t edges[] = { 0, 1, 2, 3, 4, 15, 16, 17, 255, 256, 0x7fffffff,
                                      0x80000000u, 0xffffffffu, 0x100000000ULL, ~0ULL };
    uint64_t x = rnd(s);
    switch (x % 4) {
    case 0: return (x >> 8) % 20;
    case 1: return edges[(x >> 8) % ARRAY_SIZE(edges)];
    case 2: return (uint32_t)(x >> 16);
    default: return rnd(s);
    }
}

static void test_garbage_hcalls(void)
{
    Rig *r = rig_new();
    int devnull = open("/dev/null", O_WRONLY);
    int pipe_fd = r->con.out_fd;
    r->con.out_fd = devnull;
    uint64_t s = 0x2545f4914f6cdd1dULL;
    unsigned bad_status = 0, left_guest = 0;
    Capture cap = capture_begin();
    for (unsigned k = 0; k < 200000; k++) {
        unsigned n = (unsigned)(rnd(&s) % NCPUS);
        PpcCpu *c = r->cpu[n];
        uint64_t pick = rnd(&s);
        uint32_t token;
        if (pick % 4 < 2)
            token = epapr_hcalls[(pick >> 8) % epapr_nhcalls].token;
        else if (pick % 4 == 2)
            token = EV_HCALL_TOKEN((pick >> 8) % 64, (pick >> 16) % 32);
        else
            token = (uint32_t)(pick >> 16);
        for (unsigned g = 3; g <= 10; g++)
            c->gpr[g] = rnd_value(&s);
        c->gpr[11] = token;
        if (k % 64 == 0) {
            uint8_t in[40];
            for (unsigned i = 0; i < sizeof(in); i++)
                in[i] = (uint8_t)rnd(&s);
            chardev_push_input(&r->con, in, (size_t)(rnd(&s) % sizeof(in)));
        }
        bool user = false;
        if (k % 3 == 0) {
            epapr_hcall(&r->h, c);
        } else {
            c->msr = MSR_GS | (rnd(&s) & (MSR_EE | MSR_CE | MSR_ME | MSR_PR));
            user = (c->msr & MSR_PR) != 0; /* answered with a Program interrupt instead */
            c->nip = CODE(n);
            c->exc = (PpcException){ .kind = PPC_EXC_HYPERCALL };
            epapr_hv_exit(&r->h, c);
            left_guest += !(c->msr & MSR_GS);
        }
        if ((rnd(&s) & 7) == 0)
            openpic_set_irq(&r->pic, (unsigned)(rnd(&s) % 300), rnd(&s) & 1);
        uint64_t st = c->gpr[3];
        bad_status += st != EV_SUCCESS && st != EV_EINVAL && st != EV_UNIMPLEMENTED && !user;
        c->waiting = false;
    }
    free(capture_end(cap));
    r->con.out_fd = pipe_fd;
    close(devnull);
    CHECK_EQ(bad_status, 0);
    CHECK_EQ(left_guest, 0);
    CHECK(!r->core.fatal);
    CHECK_EQ(r->cpu[0]->lpidr, EPAPR_GUEST_LPID);
    rig_free(r);
}

static const unsigned op31_xo[] = { 978, 946, 914, 786, 18, 566, 467, 339, 206, 238, 270, 83,
                                    146, 163, 131, 0 };
static const unsigned op19_xo[] = { 51, 38, 39, 50, 102, 0 };

/* SPRs the e500mc has (or E.HV reserves), for mtspr/mfspr words. */
static const uint16_t sprs[] = {
    1,   8,   9,   22,  26,  27,  48,  54,  58,  59,  61,  62,  63,  256, 259, 272, 284, 285,
    286, 304, 307, 308, 309, 310, 311, 312, 316, 336, 338, 339, 340, 341, 368, 371, 378, 379,
    380, 382, 383, 400, 402, 404, 406, 410, 413, 415, 432, 435, 440, 445, 447, 515, 528, 532,
    533, 569, 570, 571, 572, 573, 574, 575, 604, 605, 606, 624, 625, 626, 627, 628, 630, 688,
    689, 702, 944, 947, 948, 1008, 1009, 1010, 1011, 1012, 1013, 1015, 1023,
};

static uint32_t rnd_word(uint64_t *s)
{
    uint64_t x = rnd(s);
    uint32_t fields = (uint32_t)(x >> 32) & 0x03fff800u; /* RT/RS, RA, RB or the SPR */
    switch (x % 6) {
    case 0:
    case 1: return (31u << 26) | fields | (op31_xo[(x >> 8) % ARRAY_SIZE(op31_xo)] << 1);
    case 2: return (19u << 26) | fields | (op19_xo[(x >> 8) % ARRAY_SIZE(op19_xo)] << 1);
    case 3: {
        unsigned spr = sprs[(x >> 8) % ARRAY_SIZE(sprs)];
        unsigned xo = (x >> 20) & 1 ? 467 : 339; /* mtspr, mfspr */
        return (31u << 26) | (fields & 0x03e00000u) | ((spr & 0x1fu) << 16) |
               ((spr >> 5) << 11) | (xo << 1);
    }
    default: return (uint32_t)(x >> 16);
    }
}

/* Exits the interrupt router can hand the hypervisor. */
static const unsigned exit_kinds[] = {
    PPC_EXC_EHPRIV, PPC_EXC_HYPERCALL, PPC_EXC_GUEST_DOORBELL, PPC_EXC_GUEST_DOORBELL_CRIT,
    PPC_EXC_DECREMENTER, PPC_EXC_FIT, PPC_EXC_WATCHDOG, PPC_EXC_CRITICAL,
    PPC_EXC_MACHINE_CHECK, PPC_EXC_PROGRAM, PPC_EXC_ALIGNMENT, PPC_EXC_FP_UNAVAIL,
    PPC_EXC_DEBUG, PPC_EXC_PERF_MONITOR, PPC_EXC_DOORBELL, PPC_EXC_DOORBELL_CRIT,
    PPC_EXC_DSI, PPC_EXC_ISI, PPC_EXC_EXTERNAL, PPC_EXC_DATA_TLB, PPC_EXC_INSN_TLB,
};

static void test_garbage_exits(void)
{
    Rig *r = rig_new();
    int devnull = open("/dev/null", O_WRONLY);
    int pipe_fd = r->con.out_fd;
    r->con.out_fd = devnull;
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    /* 1 MiB at 0 in both address spaces, for both privilege states. */
    BookeMas map[2];
    for (unsigned as = 0; as < 2; as++)
        map[as] = (BookeMas){
            .mas0 = (1u << MAS0_TLBSEL_SHIFT) | (as << MAS0_ESEL_SHIFT),
            .mas1 = MAS1_V | MAS1_IPROT | (as ? MAS1_TS : 0) | (10u << MAS1_TSIZE_SHIFT),
            .mas3 = MAS3_PERMS,
            .mas8 = MAS8_TGS | EPAPR_GUEST_LPID,
        };
    uint64_t hv_ivpr[NCPUS];
    uint32_t hv_ivor[NCPUS][64], hv_epcr[NCPUS], hv_msrp[NCPUS];
    for (unsigned n = 0; n < NCPUS; n++) {
        hv_ivpr[n] = r->cpu[n]->ivpr;
        memcpy(hv_ivor[n], r->cpu[n]->ivor, sizeof(hv_ivor[n]));
        hv_epcr[n] = r->cpu[n]->epcr;
        hv_msrp[n] = r->cpu[n]->msrp;
    }
    unsigned left_guest = 0, exc_left = 0, odd_nip = 0, lpid_changed = 0, mas5_changed = 0;
    unsigned emulated = 0;
    Capture cap = capture_begin();
    const unsigned iterations = 200000;
    for (unsigned k = 0; k < iterations; k++) {
        unsigned n = (unsigned)(rnd(&s) % NCPUS);
        PpcCpu *c = r->cpu[n];
        /* The guest's code mapping comes back each time (a random tlbwe may replace it). */
        booke_tlbwe(&c->btlb, &map[0]);
        booke_tlbwe(&c->btlb, &map[1]);
        booke_tlb_changed(c);
        c->msr = MSR_GS | (rnd(&s) & (MSR_EE | MSR_CE | MSR_ME | MSR_DE | MSR_PR | MSR_IS |
                                      MSR_DS | MSR_FP | MSR_WE | MSR_PMM | MSR_UCLE));
        bool in_ram = (rnd(&s) & 15) != 0;
        c->nip = in_ram ? (rnd(&s) % GUEST_RAM) & ~3ULL : (uint32_t)rnd(&s) & ~3u;
        if (in_ram)
            st_be(r->ram + c->nip, 4, rnd_word(&s));
        for (unsigned g = 0; g < 32; g++)
            c->gpr[g] = (rnd(&s) & 1) ? rnd_value(&s) : c->gpr[g];
        uint32_t mas5 = c->mas.mas5;
        c->mas.mas0 = (uint32_t)rnd_value(&s);
        c->mas.mas1 = (uint32_t)rnd_value(&s);
        c->mas.mas2 = rnd_value(&s);
        c->mas.mas3 = (uint32_t)rnd_value(&s);
        c->mas.mas6 = (uint32_t)rnd_value(&s);
        c->mas.mas7 = (uint32_t)rnd_value(&s);
        c->csrr0 = rnd_value(&s);
        c->csrr1 = rnd_value(&s);
        c->mcsrr0 = rnd_value(&s);
        c->mcsrr1 = rnd_value(&s);
        c->dsrr0 = rnd_value(&s);
        c->dsrr1 = rnd_value(&s);
        uint64_t pick = rnd(&s);
        unsigned kind = pick % 4 ? PPC_EXC_EHPRIV : exit_kinds[(pick >> 8) % ARRAY_SIZE(exit_kinds)];
        c->exc = (PpcException){ .kind = kind, .dar = rnd_value(&s),
                                 .srr1_bits = rnd_value(&s) & 0xffffffffu,
                                 .vf = (pick >> 40) & 1 };
        unsigned failures = r->h.emul_failures;
        epapr_hv_exit(&r->h, c);
        emulated += kind == PPC_EXC_EHPRIV && r->h.emul_failures == failures;
        left_guest += !(c->msr & MSR_GS);
        exc_left += c->exc.kind != PPC_EXC_NONE;
        odd_nip += (c->nip & 3) != 0 || c->nip > 0xffffffffu;
        lpid_changed += c->lpidr != EPAPR_GUEST_LPID;
        mas5_changed += c->mas.mas5 != mas5;
        c->waiting = false;
        c->exc = (PpcException){ 0 };
    }
    char *log = capture_end(cap);
    unsigned lines = count_lines_with(log, "Program interrupt injected");
    free(log);
    r->con.out_fd = pipe_fd;
    close(devnull);

    CHECK_EQ(left_guest, 0);
    CHECK_EQ(exc_left, 0);
    CHECK_EQ(odd_nip, 0);
    CHECK_EQ(lpid_changed, 0);
    CHECK_EQ(mas5_changed, 0);
    CHECK(!r->core.fatal);
    CHECK(r->h.emul_failures > iterations / 10); /* both outcomes were exercised */
    CHECK(emulated > iterations / 10);
    CHECK(lines <= 10 + r->h.emul_failures / 1000);
    /* The hypervisor's own registers never moved, and every TLB entry the guest made is
     * in the guest's context. */
    unsigned foreign = 0;
    for (unsigned n = 0; n < NCPUS; n++) {
        PpcCpu *c = r->cpu[n];
        CHECK(!c->stopped);
        CHECK_EQ(c->ivpr, hv_ivpr[n]);
        CHECK_MEM(c->ivor, hv_ivor[n], sizeof(hv_ivor[n]));
        CHECK_EQ(c->epcr, hv_epcr[n]);
        CHECK_EQ(c->msrp, hv_msrp[n]);
        for (unsigned i = 0; i < BOOKE_TLB0_ENTRIES; i++)
            foreign += (c->btlb.tlb0[i].mas1 & MAS1_V) &&
                       c->btlb.tlb0[i].mas8 != (MAS8_TGS | EPAPR_GUEST_LPID);
        for (unsigned i = 0; i < BOOKE_TLB1_ENTRIES; i++)
            foreign += (c->btlb.tlb1[i].mas1 & MAS1_V) &&
                       c->btlb.tlb1[i].mas8 != (MAS8_TGS | EPAPR_GUEST_LPID);
    }
    CHECK_EQ(foreign, 0);
    rig_free(r);
}

int main(void)
{
    test_numbers();
    test_table();
    test_dispatch();
    test_unknown();
    test_bc_send();
    test_bc_receive();
    test_pic_config();
    test_pic_iack_eoi();
    test_pic_invalid();
    test_idle_features();
    test_guest_tlb();
    test_guest_ivors();
    test_forbidden();
    test_log_rate();
    test_hcall_problem_state();
    test_doorbells();
    test_decrementer();
    test_returns();
    test_mmucfg();
    test_guest_programs();
    test_garbage_hcalls();
    test_garbage_exits();
    return unit_summary("test_epapr");
}
