/* machines/pseries.c: the `pseries` machine: a PAPR logical partition (LoPAR) whose
 * hypervisor is hvemu itself, as under KVM or PowerVM. POWER8 or POWER9 threads run with
 * MSR[HV] = 0 on the hashed page table the hypervisor owns (hypervisor/papr/papr_hpt),
 * `sc 1` reaches the PAPR hcall table, RTAS is entered through H_RTAS, the console is the
 * hvc0 vty (H_PUT_TERM_CHAR / H_GET_TERM_CHAR), interrupts come from XICS, and the
 * devices (virtio-rng, a virtio-blk per -drive) are virtio-pci functions on the PCI host
 * bridge of machines/pseries_pci.c. Two ways in:
 *   - with the Open Firmware client interface (the default, `vof=on`): the kernel starts
 *     at its entry with r3/r4 = initrd, r5 = the client interface entry and a stack in
 *     r1, so Linux's prom_init runs unmodified against firmware/vof;
 *   - direct boot (`-M pseries,vof=off`): r3 = the device tree in guest memory, r5 = 0,
 *     for bare-metal programs and kernels that take a flattened tree.
 * Guest RAM starts at 0 and is all real-mode area; images load at their physical
 * addresses (ELF p_paddr, the entry with the effective-address top bits dropped). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpu/common/state.h"
#include "hypervisor/papr/papr_htab.h"
#include "cpu/ppc/ppc_core.h"
#include "devices/virtio_blk.h"
#include "devices/virtio_pci.h"
#include "devices/virtio_rng.h"
#include "devices/xics.h"
#include "firmware/loader.h"
#include "firmware/vof.h"
#include "hypervisor/papr/papr.h"
#include "machines/ppc_machine.h"
#include "machines/pseries.h"

#define PSERIES_MAX_CPUS 8
#define PSERIES_FDT_MAX (1 * MiB)
#define PSERIES_XICS_SOURCES 1024
#define PSERIES_RTAS_SIZE 4096
#define PSERIES_STACK_SIZE (64 * KiB)
#define PSERIES_REAL_MASK 0x0fffffffffffffffULL

static const char *const pseries_cpus[] = { "POWER8", "POWER9", NULL };

typedef struct Pseries {
    Machine m;
    PpcCore core;
    PpcCpu *cpus[PSERIES_MAX_CPUS];
    unsigned ncpus;
    Papr papr;
    Xics xics;
    bool xics_ready;
    Vof vof;
    bool use_vof;
    void *fdt;
    /* PCI: the host bridge, the entropy device and the -drive disks. */
    PseriesPhb phb;
    PaprHtabReader htab_rd;       /* the snapshots' HTAB passes */
    VirtioRng rng;
    VirtioPci rng_pci;
    VirtioBlk blk[MACHINE_MAX_DRIVES];
    VirtioPci blk_pci[MACHINE_MAX_DRIVES];
} Pseries;

/* --- The hypervisor's hooks --- */

static void hpt_zero_page(void *opaque, uint64_t addr, uint64_t len)
{
    Pseries *p = opaque;
    static const uint8_t zero[4096];
    for (uint64_t off = 0; off < len; off += sizeof(zero))
        bus_dma_write(&p->m.bus, addr + off, zero, MIN(sizeof(zero), len - off));
}

static void hpt_changed(void *opaque, uint64_t ptex, uint64_t old0, uint64_t old1)
{
    Pseries *p = opaque;
    bool valid = (old0 & HPTE64_V_VALID) != 0;
    ppc_tlb_flush_hpte(&p->core, ptex, valid && !(old1 & HPTE64_R_N));
}

static bool hpt_is_io(void *opaque, uint64_t addr, uint64_t len)
{
    Pseries *p = opaque;
    return pseries_phb_is_io(&p->phb, addr, len);
}

static void pseries_hcall(void *opaque, PpcCpu *c)
{
    Pseries *p = opaque;
    p->m.clock.offset = ppc_progress(c); /* RTAS time and device accesses see this instant */
    papr_hcall(&p->papr, c);
}

static void xics_output(void *opaque, unsigned server, bool level)
{
    Pseries *p = opaque;
    if (server < p->ncpus)
        ppc_set_external(p->cpus[server], level);
}

/* --- The Open Firmware client interface's view of the machine --- */

static bool vof_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
    return bus_dma_read(&((Pseries *)opaque)->m.bus, addr, buf, len);
}

static bool vof_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    return bus_dma_write(&((Pseries *)opaque)->m.bus, addr, buf, len);
}

static void vof_console(void *opaque, const uint8_t *buf, size_t len)
{
    Pseries *p = opaque;
    for (size_t k = 0; k < len; k++)
        chardev_write(&p->m.console, buf[k]);
}

static uint64_t vof_now_ms(void *opaque)
{
    Pseries *p = opaque;
    return vclock_now(&p->m.clock) / 1000000;
}

static void vof_quiesce(void *opaque)
{
}

static void vof_exit(void *opaque)
{
    Pseries *p = opaque;
    fprintf(stderr, "hvemu: the client program called the Open Firmware 'exit' service\n");
    machine_shutdown(&p->m, 1);
}

static void vof_log(void *opaque, const char *line)
{
    Pseries *p = opaque;
    if (p->m.log && (p->m.log_mask & LOG_UNIMP))
        fprintf(p->m.log, "vof: %s\n", line);
}

static const VofOps pseries_vof_ops = {
    .read = vof_read, .write = vof_write, .write_console = vof_console,
    .now_ms = vof_now_ms, .quiesce = vof_quiesce, .exit = vof_exit, .log = vof_log,
};

static int64_t pseries_client_interface(void *opaque, PpcCpu *c, uint64_t args)
{
    Pseries *p = opaque;
    return vof_client_call(&p->vof, args);
}

/* --- Machine loop, snapshots, the monitor (the CPU hooks are ppc_machine.c's) --- */

static void pseries_save(Machine *m, StateW *w)
{
    Pseries *p = (Pseries *)m;
    ppcm_save_cpus(m, w);
    xics_save(&p->xics, w);
    sw_bool(w, p->xics_ready);
    papr_save(&p->papr, w);
    if (p->use_vof)
        vof_save(&p->vof, w);
    virtio_pci_save(&p->rng_pci, w);
    virtio_rng_save(&p->rng, w);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_pci_save(&p->blk_pci[k], w);
}

static void pseries_load(Machine *m, StateR *r)
{
    Pseries *p = (Pseries *)m;
    ppcm_load_cpus(m, r);
    xics_load(&p->xics, r);
    p->xics_ready = sr_bool(r);
    papr_load(&p->papr, r);
    if (p->use_vof)
        vof_load(&p->vof, r);
    virtio_pci_load(&p->rng_pci, r);
    virtio_rng_load(&p->rng, r);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_pci_load(&p->blk_pci[k], r);
    tb_flush_all(&p->core.tb);
}

static void pseries_save_htab(Machine *m, StateW *w, bool incremental)
{
    Pseries *p = (Pseries *)m;
    papr_htab_save(&p->papr.hpt, &p->htab_rd, incremental, w);
}

static bool pseries_load_htab(Machine *m, const uint8_t *buf, size_t len, bool reset,
                              bool last, char *err, size_t errlen)
{
    Pseries *p = (Pseries *)m;
    if (reset)
        papr_hpt_reset(&p->papr.hpt);
    if (!papr_htab_write(&p->papr.hpt, buf, len, err, errlen))
        return false;
    if (last)
        papr_htab_mark_sent(&p->papr.hpt, &p->htab_rd);
    return true;
}

static const void *pseries_hv_memory(Machine *m, size_t *len)
{
    const PaprHpt *h = &((Pseries *)m)->papr.hpt;
    *len = h->n_hptes * HPTE64_SIZE;
    return h->table;
}

static void print_hpt(const PaprHpt *h, unsigned long max, FILE *out)
{
    uint64_t valid = 0, bolted = 0;
    unsigned long shown = 0;
    fprintf(out, "HPT: %llu entries (%llu KiB) in %llu PTEGs of 8\n",
            (unsigned long long)h->n_hptes, (unsigned long long)(h->n_hptes * HPTE64_SIZE / 1024),
            (unsigned long long)(h->n_hptes / 8));
    for (uint64_t k = 0; k < h->n_hptes; k++) {
        Hash64Hpte e = papr_hpt_get(h, k);
        if (!(e.pte0 & HPTE64_V_VALID))
            continue;
        valid++;
        if (e.pte0 & HPTE64_V_BOLTED)
            bolted++;
        if (shown++ < max)
            fprintf(out, "%8llu (PTEG %6llu slot %llu)  %016llx %016llx  AVPN %llx%s%s%s  "
                         "RPN %llx %c%c\n",
                    (unsigned long long)k, (unsigned long long)(k / 8), (unsigned long long)(k % 8),
                    (unsigned long long)e.pte0, (unsigned long long)e.pte1,
                    (unsigned long long)(e.pte0 >> 7), (e.pte0 & HPTE64_V_BOLTED) ? " bolted" : "",
                    (e.pte0 & HPTE64_V_LARGE) ? " L" : "",
                    (e.pte0 & HPTE64_V_SECONDARY) ? " H (secondary hash)" : "",
                    (unsigned long long)(e.pte1 >> 12), (e.pte1 & HPTE64_R_R) ? 'R' : '-',
                    (e.pte1 & HPTE64_R_C) ? 'C' : '-');
    }
    fprintf(out, "%llu valid HPTEs (%llu bolted)%s\n", (unsigned long long)valid,
            (unsigned long long)bolted, shown > max ? ", the first ones shown" : "");
}

static bool pseries_monitor_info(Machine *m, const char *what, unsigned n, const char *args,
                                 FILE *out)
{
    Pseries *p = (Pseries *)m;
    if (!strcmp(what, "registers"))
        ppc_dump_regs(p->cpus[n], out);
    else if (!strcmp(what, "slb"))
        ppc_dump_slb(p->cpus[n], out);
    else if (!strcmp(what, "hpt"))
        print_hpt(&p->papr.hpt, args ? strtoul(args, NULL, 0) : 32, out);
    else if (!strcmp(what, "tlb"))
        fprintf(out, "the hash MMU has no architected TLB: 'info hpt' and 'info slb' show the "
                     "translations\n");
    else
        return false;
    return true;
}

static void pseries_quantum_end(Machine *m)
{
    Pseries *p = (Pseries *)m;
    tb_reap(&p->core.tb);
    if (p->core.fatal)
        m->fatal = true;
}

static void pseries_destroy(Machine *m)
{
    Pseries *p = (Pseries *)m;
    ppc_core_destroy(&p->core);
    for (unsigned n = 0; n < p->ncpus; n++)
        free(p->cpus[n]);
    papr_hpt_free(&p->papr.hpt);
    papr_tce_free(&p->papr);
    if (p->xics_ready)
        xics_free(&p->xics);
    machine_close_drives(&p->m);
    free(p->fdt);
    free(p);
}

static Machine *pseries_fail(Pseries *p)
{
    pseries_destroy(&p->m);
    return NULL;
}

/* -drive file=F,if=virtio[,readonly=on]: a virtio-blk disk on the PCI host bridge. */
static bool open_drive(Pseries *p, const DriveOpts *d, unsigned k, char *err, size_t errlen)
{
    if (!machine_add_virtio_blk(&p->m, d, &p->blk[k], err, errlen))
        return false;
    virtio_pci_init(&p->blk_pci[k], &p->blk[k].vdev);
    return pseries_phb_add(&p->phb, &p->blk_pci[k].pci, err, errlen);
}

/* The kernel: an ELF for 64-bit Power, little- or big-endian (the loader takes
 * little-endian ELFs). Its entry is an effective address; real mode drops the top bits. */
static bool load_kernel(Pseries *p, const MachineOpts *o, LoadedImage *k, char *err,
                        size_t errlen)
{
    size_t size;
    uint8_t *data = loader_read_file(o->kernel, &size, err, errlen);
    if (!data)
        return false;
    bool ok = loader_is_elf(data, size);
    if (!ok)
        snprintf(err, errlen, "'%s' is not an ELF executable (pseries loads ELF kernels such as vmlinux)",
                 o->kernel);
    else
        ok = loader_load_elf(&p->m.bus, o->kernel, data, size, EM_PPC64, 64, k, err, errlen);
    free(data);
    k->entry &= PSERIES_REAL_MASK;
    return ok;
}

static Machine *pseries_create(const MachineOpts *o, char *err, size_t errlen)
{
    if (o->smp < 1 || o->smp > PSERIES_MAX_CPUS) {
        snprintf(err, errlen, "-smp %u: the pseries machine supports 1 to %d CPUs", o->smp,
                 PSERIES_MAX_CPUS);
        return NULL;
    }
    if (o->hv) {
        snprintf(err, errlen, "-M pseries,hv=on: hvemu is the hypervisor of pseries; there is no nested mode");
        return NULL;
    }
    if (o->bios && strcmp(o->bios, "none")) {
        snprintf(err, errlen, "-bios: pseries boots without firmware images (the client interface is built in)");
        return NULL;
    }
    if (!o->kernel && !o->dumpdtb) {
        snprintf(err, errlen, "no kernel: give -kernel FILE");
        return NULL;
    }
    const char *cpu_name = o->cpu ? o->cpu : pseries_cpus[0];
    const PpcModel *model = ppc_model_find(cpu_name);
    if (!model || !model->hash_mmu) {
        snprintf(err, errlen, "-cpu %s: pseries offers POWER8 and POWER9", cpu_name);
        return NULL;
    }
    Pseries *p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    machine_init_common(&p->m, &machine_pseries, o);
    p->m.console.accepting = false; /* until hvc0's driver first polls (H_GET_TERM_CHAR) */
    p->ncpus = p->m.ncpus = o->smp;
    p->use_vof = !o->no_firmware;
    p->fdt = calloc(1, PSERIES_FDT_MAX);
    p->m.fdt = p->fdt;
    if (!p->fdt || !machine_alloc_ram(&p->m, 0, o->ram_size, err, errlen))
        return pseries_fail(p);
    Bus *bus = &p->m.bus;

    /* Threads and the core. */
    for (unsigned n = 0; n < p->ncpus; n++) {
        p->cpus[n] = malloc(sizeof(PpcCpu));
        if (!p->cpus[n]) {
            snprintf(err, errlen, "out of memory");
            return pseries_fail(p);
        }
    }
    ppc_core_init(&p->core, bus, &p->m.clock, p->ncpus, p->cpus);
    p->m.arch_core = &p->core;
    for (unsigned n = 0; n < p->ncpus; n++)
        ppc_cpu_init(p->cpus[n], &p->core, model, n);
    p->core.tb_freq = PSERIES_TIMEBASE_FREQ;
    p->core.vhyp = true;
    p->core.rma_size = o->ram_size;
    p->core.hcall = pseries_hcall;
    p->core.hcall_opaque = p;
    if (o->log) {
        p->core.log = o->log;
        p->core.log_mask = ((o->log_mask & LOG_INT) ? PPC_LOG_INT : 0) |
                           ((o->log_mask & LOG_EXEC) ? PPC_LOG_EXEC : 0) |
                           ((o->log_mask & LOG_MMU) ? PPC_LOG_MMU : 0) |
                           ((o->log_mask & LOG_IN_ASM) ? PPC_LOG_IN_ASM : 0) |
                           ((o->log_mask & LOG_EHV) ? PPC_LOG_EHV : 0);
    }

    /* The hypervisor: HPT, XICS, hcalls and RTAS. */
    PaprHptHooks hooks = { .zero_page = hpt_zero_page, .hpte_changed = hpt_changed,
                           .is_io = hpt_is_io, .opaque = p };
    unsigned order = papr_hpt_order_for_ram(o->ram_size);
    if (!papr_hpt_init(&p->papr.hpt, order, o->ram_size, &hooks)) {
        snprintf(err, errlen, "cannot allocate the hashed page table (2^%u bytes)", order);
        return pseries_fail(p);
    }
    p->core.hpt = papr_hpt_mmu_ops(&p->papr.hpt);
    if (!xics_init(&p->xics, p->ncpus, XICS_DEFAULT_IRQ_BASE, PSERIES_XICS_SOURCES, xics_output, p)) {
        snprintf(err, errlen, "cannot set up the XICS interrupt controller");
        return pseries_fail(p);
    }
    p->xics_ready = true;

    /* PCI: the host bridge, virtio-rng always (slot 0), then each -drive. */
    if (o->ram_size > PSERIES_PHB_RAM_LIMIT) {
        snprintf(err, errlen, "-m: pseries RAM must end below the PCI windows at 0x%llx",
                 (unsigned long long)PSERIES_PHB_RAM_LIMIT);
        return pseries_fail(p);
    }
    pseries_phb_init(&p->phb, bus, &p->xics);
    virtio_rng_init(&p->rng, bus, 0x6876656d75ULL);
    virtio_pci_init(&p->rng_pci, &p->rng.vdev);
    if (!pseries_phb_add(&p->phb, &p->rng_pci.pci, err, errlen))
        return pseries_fail(p);
    for (unsigned k = 0; k < o->ndrives && k < MACHINE_MAX_DRIVES; k++)
        if (!open_drive(p, &o->drives[k], k, err, errlen))
            return pseries_fail(p);
    Papr *h = &p->papr;
    h->bus = bus;
    h->cpus = p->cpus;
    h->ncpus = p->ncpus;
    h->vty = &p->m.console;
    h->vty_unit = PSERIES_VTY_UNIT;
    h->xics = &p->xics;
    h->sysctl = machine_sysctl(&p->m);
    h->client_interface = p->use_vof ? pseries_client_interface : NULL;
    h->client_opaque = p;
    h->pci_config_read = pseries_phb_config_read;
    h->pci_config_write = pseries_phb_config_write;
    h->pci_opaque = &p->phb;
    h->rtc_base = o->rtc_base; /* the command line reads the host clock (and journals it) */
    h->clock = &p->m.clock;
    h->rng_state = 0x6876656d75ULL;
    if (o->log && (o->log_mask & LOG_HCALL))
        h->log = o->log;
    if (o->log && (o->log_mask & LOG_UNIMP))
        h->log_unimp = o->log;
    if (!papr_init(h)) {
        snprintf(err, errlen, "the PAPR hypervisor failed its start-up checks");
        return pseries_fail(p);
    }
    if (!papr_tce_add(h, PSERIES_PHB_LIOBN, 0, PSERIES_PHB_DMA_SIZE)) {
        snprintf(err, errlen, "cannot allocate the PCI host bridge's TCE table");
        return pseries_fail(p);
    }

    /* Images: the kernel at its physical address, the initrd above it. */
    LoadedImage kernel = { 0 };
    if (o->kernel && !load_kernel(p, o, &kernel, err, errlen))
        return pseries_fail(p);
    uint64_t ram_end = o->ram_size;
    uint64_t fdt_addr = (ram_end - PSERIES_FDT_MAX) & ~0xffffULL;
    uint64_t stub_addr = fdt_addr - 0x10000;
    uint64_t stack_top = stub_addr;
    uint64_t initrd_start = 0, initrd_end = 0;
    if (o->initrd) {
        size_t size;
        uint8_t *data = loader_read_file(o->initrd, &size, err, errlen);
        if (!data)
            return pseries_fail(p);
        LoadedImage ird;
        initrd_start = ((kernel.high + 16 * MiB) + 0xffffff) & ~0xffffffULL;
        bool ok = initrd_start + size <= stack_top - PSERIES_STACK_SIZE &&
                  loader_load_raw(bus, o->initrd, data, size, initrd_start, &ird, err, errlen);
        free(data);
        if (!ok) {
            if (!err[0])
                snprintf(err, errlen, "initrd '%s' does not fit in guest memory with the kernel",
                         o->initrd);
            return pseries_fail(p);
        }
        initrd_end = initrd_start + size;
    }

    /* The device tree. */
    char hypertas[1024];
    size_t hypertas_len = papr_hypertas_functions(hypertas, sizeof(hypertas));
    PseriesFdtRtasToken tokens[64];
    unsigned ntokens = 0;
    for (unsigned k = 0; k < papr_rtas_ncalls && ntokens < ARRAY_SIZE(tokens); k++)
        tokens[ntokens++] = (PseriesFdtRtasToken){ papr_rtas_calls[k].name, papr_rtas_calls[k].token };
    PseriesFdtParams fp = {
        .ncpus = p->ncpus,
        .cpu_name = model->pvr == PSERIES_PVR_POWER9 ? "PowerPC,POWER9" : "PowerPC,POWER8",
        .pvr = model->pvr,
        .ram_size = o->ram_size,
        .hpt_order = order,
        .hypertas = hypertas,
        .hypertas_len = MIN(hypertas_len, sizeof(hypertas)),
        .rtas_tokens = tokens,
        .n_rtas_tokens = ntokens,
        .rtas_size = PSERIES_RTAS_SIZE,
        .bootargs = o->append,
        .initrd_start = initrd_start,
        .initrd_end = initrd_end,
        .extra_nodes = pseries_phb_fdt,
        .extra_opaque = &p->phb,
    };
    if (!pseries_build_fdt(&fp, p->fdt, PSERIES_FDT_MAX, err, errlen))
        return pseries_fail(p);
    if (o->dumpdtb)
        return &p->m;

    /* Entry state: 64-bit, real mode, the byte order of the kernel image (Linux fixes
     * its own up either way), interrupts in that order too. The hypervisor gives the
     * partition a full AMOR, as PowerVM and KVM do, so the OS owns every AMR/IAMR key
     * (Book III-S 5.7.13; Linux's KUAP and protection keys write them). */
    PpcCpu *boot = p->cpus[0];
    bool le = true;
    boot->msr = MSR_SF | MSR_ME | (le ? MSR_LE : 0);
    for (unsigned n = 0; n < p->ncpus; n++) {
        p->cpus[n]->lpcr = le ? LPCR_ILE : 0;
        p->cpus[n]->amor = ~0ULL;
        p->cpus[n]->msr = boot->msr;
        p->cpus[n]->stopped = n != 0;
    }
    boot->nip = kernel.entry;
    if (p->use_vof) {
        uint8_t stub[VOF_ENTRY_STUB_WORDS * 4];
        for (unsigned k = 0; k < VOF_ENTRY_STUB_WORDS; k++)
            st_be(stub + 4 * k, 4, vof_entry_stub[k]);
        uint8_t rtas[64];
        unsigned rtas_len = papr_rtas_blob_words * 4;
        if (rtas_len > sizeof(rtas)) {
            snprintf(err, errlen, "the RTAS entry code is larger than expected");
            return pseries_fail(p);
        }
        for (unsigned k = 0; k < papr_rtas_blob_words; k++)
            st_be(rtas + 4 * k, 4, papr_rtas_blob[k]);
        VofConfig cfg = { .ram_size = o->ram_size, .rtas_blob = rtas, .rtas_size = rtas_len };
        if (!bus_dma_write(bus, stub_addr, stub, sizeof(stub)) ||
            !vof_init(&p->vof, p->fdt, PSERIES_FDT_MAX, &pseries_vof_ops, p, &cfg, err, errlen))
            return pseries_fail(p);
        bool ok = vof_claim_range(&p->vof, stub_addr, 0x10000) &&
                  vof_claim_range(&p->vof, stack_top - PSERIES_STACK_SIZE, PSERIES_STACK_SIZE) &&
                  (kernel.high <= kernel.low ||
                   vof_claim_range(&p->vof, kernel.low, kernel.high - kernel.low)) &&
                  (!initrd_end || vof_claim_range(&p->vof, initrd_start, initrd_end - initrd_start));
        if (!ok) {
            snprintf(err, errlen, "the kernel, initrd and firmware areas overlap in guest memory");
            return pseries_fail(p);
        }
        boot->gpr[1] = stack_top - 256;
        boot->gpr[3] = initrd_start;
        boot->gpr[4] = initrd_end - initrd_start;
        boot->gpr[5] = stub_addr;
    } else {
        if (!bus_dma_write(bus, fdt_addr, p->fdt, fdt_totalsize(p->fdt))) {
            snprintf(err, errlen, "the device tree does not fit in guest memory");
            return pseries_fail(p);
        }
        boot->gpr[1] = stack_top - 256;
        boot->gpr[3] = fdt_addr;
        boot->gpr[4] = 0;
        boot->gpr[5] = 0;
    }
    return &p->m;
}

const MachineClass machine_pseries = {
    .name = "pseries",
    .desc = "PAPR logical partition (POWER8/POWER9, hash MMU; hcalls, RTAS, XICS, hvc0)",
    .cpus = pseries_cpus,
    .default_ram = 1 * GiB,
    .max_smp = PSERIES_MAX_CPUS,
    .create = pseries_create,
    .cpu_run = ppcm_cpu_run,
    .cpu_idle = ppcm_cpu_idle,
    .quantum_end = pseries_quantum_end,
    .cpu_save = ppcm_cpu_save,
    .monitor_info = pseries_monitor_info,
    .cpu_big_endian = ppcm_cpu_big_endian,

    .save = pseries_save,
    .load = pseries_load,
    .hv_memory = pseries_hv_memory,
    .save_htab = pseries_save_htab,
    .load_htab = pseries_load_htab,
    .dump_dtb = machine_dump_dtb,
    .debug_set = ppcm_debug_set,
    .gdb_xml = ppcm_gdb_xml,
    .gdb_reg = ppcm_gdb_reg,
    .gdb_g_regs = PPC_GDB_G_REGS,
    .debug_translate = ppcm_debug_translate,
    .cpu_pc = ppcm_cpu_pc,
    .destroy = pseries_destroy,
};
