/* machines/e500.c: the `e500` machine, the paravirtual Freescale e500 board QEMU calls
 * ppce500 ("fsl,qemu-e500", Linux arch/powerpc/platforms/85xx/qemu_e500.c), with e500mc
 * cores (Power ISA 2.06 Book III-E with category E.HV). The same kernel boots on both: the
 * memory map, the device-tree layout and the interrupt numbers follow that board.
 *
 *   RAM                 0x0_0000_0000   -m (up to 3 GiB)
 *   virtio-mmio         0xF_0000_0000   one 0x1000 window per device (QEMU's platform bus)
 *   CCSR                0xF_E000_0000   1 MiB: UARTs at 0x4500/0x4600 (MPIC 42), MPIC at
 *                                       0x40000, global utilities at 0xe0000 (reset),
 *                                       GPIO at 0xff000 (MPIC 47; pin 0 powers off)
 *   exit device         0xF_EE00_0000   sifive-test semantics, big-endian (guest tests)
 *   spin table          0xF_EF00_0000   ePAPR 1.1 5.5.2, 32 bytes per CPU
 *
 * With `hv=on` the same board is the partition of hvemu's built-in hypervisor
 * (hypervisor/epapr, the role KVM e500mc plays): the kernel runs in guest state, the
 * device tree gains /hypervisor with the ePAPR hcall sequence, and the console is the
 * ePAPR byte channel (UART0 still writes to the same terminal).
 *
 * Boot follows ePAPR 1.1 5.4 "Boot CPU Initial State": the kernel (ELF vmlinux, entered at
 * its physical load address, or a uImage) gets r3 = the device tree, r6 = the ePAPR
 * magic, r7 = the size of the initial mapping, which is TLB1 entry 0 covering [0, 64 MiB)
 * with IPROT. Secondary CPUs wait in the spin table until Linux writes their entry
 * address. The MPIC runs in external proxy mode when Linux asks (coreint: the core reads
 * the vector from EPR). */
#include <elf.h>
#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cpu/common/state.h"
#include "cpu/ppc/booke/booke.h"
#include "devices/dev_fdt.h"
#include "devices/mpc8xxx_gpio.h"
#include "devices/ns16550.h"
#include "devices/openpic.h"
#include "devices/sifive_test.h"
#include "devices/virtio_blk.h"
#include "devices/virtio_mmio.h"
#include "devices/virtio_rng.h"
#include "firmware/loader.h"
#include "hypervisor/epapr/epapr.h"
#include "machines/machine.h"
#include "machines/ppc_machine.h"

#define E500_MAX_CPUS 4
#define E500_FDT_MAX (64 * KiB)
#define E500_MAX_RAM (3 * GiB)
#define E500_INITIAL_MAP (64 * MiB)
#define E500_TB_FREQ 400000000ULL      /* QEMU's ppce500 platform clock */
#define E500_UART_CLOCK 400000000u

enum {
    E500_CCSR = 0xFE0000000ULL,
    E500_CCSR_SIZE = 0x100000,
    E500_UART0 = 0x4500,
    E500_UART1 = 0x4600,
    E500_MPIC = 0x40000,
    E500_GUTS = 0xe0000,
    E500_GPIO = 0xff000,
    E500_VIRTIO = 0xF00000000ULL,
    E500_EXIT = 0xFEE000000ULL,
    E500_SPIN = 0xFEF000000ULL,
};

/* MPIC sources (the board's numbering: internal sources are 16 + n). */
enum { E500_IRQ_UART = 42, E500_IRQ_GPIO = 47, E500_IRQ_VIRTIO0 = 5, E500_IRQ_BC_RX = 14,
       E500_IRQ_BC_TX = 15 };

#define E500_GUTS_RSTCR 0xb0
#define E500_SPIN_ENTRY 32

static const char *const e500_cpus[] = { "e500mc", NULL };

typedef struct E500 E500;

typedef struct E500Spin {
    E500 *e;
    uint8_t table[E500_MAX_CPUS * E500_SPIN_ENTRY];
} E500Spin;

struct E500 {
    Machine m;
    PpcCore core;
    PpcCpu *cpus[E500_MAX_CPUS];
    unsigned ncpus;
    unsigned current_cpu;         /* the CPU running now (the MPIC's "this CPU") */
    OpenPic mpic;
    Ns16550 uart0, uart1;
    CharDev uart0_chr;            /* hv=on: the UART writes to the console's output */
    CharDev uart1_chr;            /* the second UART's output is discarded */
    bool hv;                      /* hv=on: hvemu is the guest's hypervisor */
    Epapr epapr;
    SysCtl sys;
    Mpc8xxxGpio gpio;
    SifiveTest exit_dev;
    E500Spin spin;
    VirtioRng rng;
    VirtioMmio rng_mmio;
    VirtioBlk blk[MACHINE_MAX_DRIVES];
    VirtioMmio blk_mmio[MACHINE_MAX_DRIVES];
    void *fdt;
};

/* --- Wiring the MPIC to the cores --- */

static void mpic_output(void *opaque, unsigned n, bool level)
{
    E500 *e = opaque;
    unsigned cpu = n / OPENPIC_OUTPUT_NB, out = n % OPENPIC_OUTPUT_NB;
    if (cpu >= e->ncpus)
        return;
    PpcCpu *c = e->cpus[cpu];
    switch (out) {
    case OPENPIC_OUTPUT_INT:
        ppc_set_external(c, level);
        break;
    case OPENPIC_OUTPUT_CINT:
        ppc_set_critical(c, level);
        break;
    default:
        break;
    }
}

static uint32_t mpic_ack(void *opaque, unsigned cpu)
{
    E500 *e = opaque;
    return openpic_iack(&e->mpic, cpu);
}

/* The core acknowledges at the MPIC only in external proxy mode; otherwise software
 * reads IACK itself. */
static uint32_t ext_ack(void *opaque, unsigned cpu)
{
    E500 *e = opaque;
    return openpic_external_proxy(&e->mpic) ? mpic_ack(e, cpu) : 0;
}

/* --- Global utilities: RSTCR (bit 30, HRESET_REQ) resets the board --- */

static uint64_t guts_read(void *opaque, uint64_t off, unsigned size)
{
    return 0;
}

static void guts_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    E500 *e = opaque;
    if (off == E500_GUTS_RSTCR && (val & 0x2))
        machine_reset_request(&e->m);
}

static const MmioOps guts_ops = {
    .read = guts_read, .write = guts_write, .min_size = 4, .max_size = 4,
    .endian = DEV_BIG_ENDIAN,
};

/* --- The rest of CCSR reads as zero and ignores writes (logged with -d unimp) --- */

static uint64_t ccsr_read(void *opaque, uint64_t off, unsigned size)
{
    E500 *e = opaque;
    if (e->m.log && (e->m.log_mask & LOG_UNIMP))
        fprintf(e->m.log, "e500: read of unmodelled CCSR offset 0x%llx\n", (unsigned long long)off);
    return 0;
}

static void ccsr_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    E500 *e = opaque;
    if (e->m.log && (e->m.log_mask & LOG_UNIMP))
        fprintf(e->m.log, "e500: write of unmodelled CCSR offset 0x%llx\n", (unsigned long long)off);
}

static const MmioOps ccsr_ops = {
    .read = ccsr_read, .write = ccsr_write, .min_size = 1, .max_size = 8,
    .endian = DEV_BIG_ENDIAN,
};

/* --- ePAPR spin table (ePAPR 1.1 5.5.2): { u64 entry_addr; u64 r3; u32 rsv; u32 pir; }
 * per CPU, big-endian. entry_addr starts at 1; writing its low word with anything else
 * releases the CPU at that address with the boot CPU's initial state (a 64 MiB mapping
 * of the region holding the entry). --- */

static uint64_t spin_read(void *opaque, uint64_t off, unsigned size)
{
    E500Spin *s = opaque;
    if (off + size > sizeof(s->table))
        return 0;
    return ld_be(s->table + off, size);
}

static void spin_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    E500Spin *s = opaque;
    if (off + size > sizeof(s->table))
        return;
    st_be(s->table + off, size, val);
    unsigned cpu = (unsigned)(off / E500_SPIN_ENTRY);
    unsigned field = (unsigned)(off % E500_SPIN_ENTRY);
    bool writes_low = field <= 4 && field + size > 4;
    if (!writes_low || cpu == 0 || cpu >= s->e->ncpus)
        return;
    uint8_t *ent = s->table + cpu * E500_SPIN_ENTRY;
    uint64_t entry = ld_be(ent, 8);
    if (entry == 1)
        return;
    PpcCpu *c = s->e->cpus[cpu];
    if (!c->stopped)
        return;
    c->pir = ld_be(ent + 20, 4);
    booke_cpu_epapr_start(c, entry, ld_be(ent + 8, 8), entry & ~(E500_INITIAL_MAP - 1),
                          E500_INITIAL_MAP);
    c->gpr[3] = ld_be(ent + 8, 8);
    c->gpr[6] = 0;
    if (s->e->hv)
        epapr_vcpu_start(&s->e->epapr, c);
}

static const MmioOps spin_ops = {
    .read = spin_read, .write = spin_write, .min_size = 4, .max_size = 8,
    .endian = DEV_BIG_ENDIAN,
};

static void spin_init(E500 *e)
{
    e->spin.e = e;
    for (unsigned n = 0; n < E500_MAX_CPUS; n++) {
        uint8_t *ent = e->spin.table + n * E500_SPIN_ENTRY;
        st_be(ent, 8, 1);
        st_be(ent + 20, 4, n);
    }
    bus_map_mmio(&e->m.bus, "spin-table", E500_SPIN, 0x1000, &spin_ops, &e->spin);
}

/* --- hv=on: hvemu is the hypervisor (hypervisor/epapr) --- */

static void bc_input_ready(void *opaque)
{
    E500 *e = opaque;
    epapr_console_input(&e->epapr);
}

static bool hv_init(E500 *e, const MachineOpts *o, char *err, size_t errlen)
{
    Epapr *h = &e->epapr;
    h->bus = &e->m.bus;
    h->cpus = e->cpus;
    h->ncpus = e->ncpus;
    h->current_cpu = &e->current_cpu;
    h->mpic_base = E500_CCSR + E500_MPIC;
    h->console = &e->m.console;
    h->bc_rx = openpic_irq_line(&e->mpic, E500_IRQ_BC_RX);
    h->bc_tx = openpic_irq_line(&e->mpic, E500_IRQ_BC_TX);
    h->sysctl = e->sys;
    if (o->log && (o->log_mask & LOG_EHV))
        h->log = o->log;
    if (o->log && (o->log_mask & LOG_UNIMP))
        h->log_unimp = o->log;
    e->m.console.accepting = true;
    e->m.console.input_ready = bc_input_ready;
    e->m.console.input_opaque = e;
    if (!epapr_init(h)) {
        snprintf(err, errlen, "the ePAPR hypervisor failed its start-up checks");
        return false;
    }
    e->core.vhyp = true;
    e->core.hv_exit = epapr_hv_exit;
    e->core.hcall_opaque = h;
    return true;
}

/* --- Machine loop --- */

static uint64_t e500_cpu_run(Machine *m, unsigned n, uint64_t done, uint64_t budget)
{
    E500 *e = (E500 *)m;
    e->current_cpu = n;
    return ppc_cpu_run_from(e->cpus[n], done, budget);
}

static void e500_save(Machine *m, StateW *w)
{
    E500 *e = (E500 *)m;
    ppcm_save_cpus(m, w);
    openpic_save(&e->mpic, w);
    ns16550_save(&e->uart0, w);
    ns16550_save(&e->uart1, w);
    chardev_save(&e->uart1_chr, w);
    if (e->hv) {
        chardev_save(&e->uart0_chr, w);
        epapr_save(&e->epapr, w);
    }
    mpc8xxx_gpio_save(&e->gpio, w);
    sw_bytes(w, e->spin.table, sizeof(e->spin.table));
    virtio_mmio_save(&e->rng_mmio, w);
    virtio_rng_save(&e->rng, w);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_mmio_save(&e->blk_mmio[k], w);
}

static void e500_load(Machine *m, StateR *r)
{
    E500 *e = (E500 *)m;
    ppcm_load_cpus(m, r);
    openpic_load(&e->mpic, r);
    ns16550_load(&e->uart0, r);
    ns16550_load(&e->uart1, r);
    chardev_load(&e->uart1_chr, r);
    if (e->hv) {
        chardev_load(&e->uart0_chr, r);
        epapr_load(&e->epapr, r);
    }
    mpc8xxx_gpio_load(&e->gpio, r);
    sr_bytes(r, e->spin.table, sizeof(e->spin.table));
    virtio_mmio_load(&e->rng_mmio, r);
    virtio_rng_load(&e->rng, r);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_mmio_load(&e->blk_mmio[k], r);
    tb_flush_all(&e->core.tb);
}

static bool e500_monitor_info(Machine *m, const char *what, unsigned n, const char *args,
                              FILE *out)
{
    E500 *e = (E500 *)m;
    (void)args;
    if (!strcmp(what, "registers"))
        ppc_dump_regs(e->cpus[n], out);
    else if (!strcmp(what, "tlb"))
        ppc_dump_booke_tlb(e->cpus[n], out);
    else
        return false;
    return true;
}

static void e500_quantum_end(Machine *m)
{
    E500 *e = (E500 *)m;
    e->current_cpu = 0;
    tb_reap(&e->core.tb);
    if (e->core.fatal)
        m->fatal = true;
}

static void e500_destroy(Machine *m)
{
    E500 *e = (E500 *)m;
    ppc_core_destroy(&e->core);
    for (unsigned n = 0; n < e->ncpus; n++)
        free(e->cpus[n]);
    machine_close_drives(&e->m);
    free(e->fdt);
    free(e);
}

static Machine *e500_fail(E500 *e)
{
    e500_destroy(&e->m);
    return NULL;
}

/* --- The device tree --- */

enum { PH_MPIC = 1, PH_GPIO, PH_CPU0 };

static int fdt_reg2(void *fdt, uint64_t base, uint64_t size)
{
    uint32_t reg[4] = { cpu_to_fdt32((uint32_t)(base >> 32)), cpu_to_fdt32((uint32_t)base),
                        cpu_to_fdt32((uint32_t)(size >> 32)), cpu_to_fdt32((uint32_t)size) };
    return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int fdt_irq2(void *fdt, uint32_t irq, uint32_t sense)
{
    uint32_t v[2] = { cpu_to_fdt32(irq), cpu_to_fdt32(sense) };
    return fdt_property(fdt, "interrupts", v, sizeof(v));
}

static bool build_fdt(E500 *e, const MachineOpts *o, uint64_t initrd_start, uint64_t initrd_end,
                      char *err, size_t errlen)
{
    void *fdt = e->fdt;
    char name[64];
    FDT_TRY(fdt_create(fdt, E500_FDT_MAX));
    FDT_TRY(fdt_finish_reservemap(fdt));
    FDT_TRY(fdt_begin_node(fdt, ""));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
    FDT_TRY(fdt_property_string(fdt, "model", "QEMU ppce500"));
    FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "fsl,qemu-e500"));
    FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", PH_MPIC));

    FDT_TRY(fdt_begin_node(fdt, "chosen"));
    if (o->append)
        FDT_TRY(fdt_property_string(fdt, "bootargs", o->append));
    if (initrd_end) {
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", initrd_start));
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", initrd_end));
    }
    snprintf(name, sizeof(name), "/soc@%llx/serial@%x", (unsigned long long)E500_CCSR, E500_UART0);
    FDT_TRY(fdt_property_string(fdt, "stdout-path", e->hv ? "/hypervisor/byte-channel" : name));
    FDT_TRY(fdt_end_node(fdt));
    if (e->hv)
        FDT_TRY(epapr_fdt(&e->epapr, fdt, E500_IRQ_BC_RX, E500_IRQ_BC_TX));

    FDT_TRY(fdt_begin_node(fdt, "aliases"));
    FDT_TRY(fdt_property_string(fdt, "serial0", name));
    snprintf(name, sizeof(name), "/soc@%llx/serial@%x", (unsigned long long)E500_CCSR, E500_UART1);
    FDT_TRY(fdt_property_string(fdt, "serial1", name));
    FDT_TRY(fdt_end_node(fdt));

    FDT_TRY(dev_fdt_begin_unit(fdt, "memory", 0));
    FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
    FDT_TRY(fdt_reg2(fdt, 0, o->ram_size));
    FDT_TRY(fdt_end_node(fdt));

    FDT_TRY(fdt_begin_node(fdt, "cpus"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
    for (unsigned n = 0; n < e->ncpus; n++) {
        snprintf(name, sizeof(name), "PowerPC,e500mc@%u", n);
        FDT_TRY(fdt_begin_node(fdt, name));
        FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
        FDT_TRY(fdt_property_u32(fdt, "reg", n));
        FDT_TRY(fdt_property_u32(fdt, "phandle", PH_CPU0 + n));
        FDT_TRY(fdt_property_u32(fdt, "clock-frequency", 1200000000));
        FDT_TRY(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)E500_TB_FREQ));
        FDT_TRY(fdt_property_u32(fdt, "bus-frequency", 400000000));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-line-size", 64));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-line-size", 64));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-size", 0x8000));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-size", 0x8000));
        FDT_TRY(fdt_property_string(fdt, "status", n == 0 ? "okay" : "disabled"));
        FDT_TRY(fdt_property_string(fdt, "enable-method", "spin-table"));
        FDT_TRY(fdt_property_u64(fdt, "cpu-release-addr", E500_SPIN + n * E500_SPIN_ENTRY));
        FDT_TRY(fdt_end_node(fdt));
    }
    FDT_TRY(fdt_end_node(fdt));

    /* The SoC: CCSR devices, one address cell below it. */
    snprintf(name, sizeof(name), "soc@%llx", (unsigned long long)E500_CCSR);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 1));
    FDT_TRY(fdt_property_string(fdt, "device_type", "soc"));
    FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "fsl,mpc8544-immr\0simple-bus"));
    uint32_t ranges[4] = { 0, cpu_to_fdt32((uint32_t)(E500_CCSR >> 32)),
                           cpu_to_fdt32((uint32_t)E500_CCSR), cpu_to_fdt32(E500_CCSR_SIZE) };
    FDT_TRY(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
    FDT_TRY(fdt_reg2(fdt, E500_CCSR, 0x1000));
    FDT_TRY(fdt_property_u32(fdt, "bus-frequency", 400000000));

    static const uint32_t uarts[2] = { E500_UART0, E500_UART1 };
    for (unsigned k = 0; k < 2; k++) {
        snprintf(name, sizeof(name), "serial@%x", uarts[k]);
        FDT_TRY(fdt_begin_node(fdt, name));
        FDT_TRY(fdt_property_string(fdt, "device_type", "serial"));
        FDT_TRY(fdt_property_string(fdt, "compatible", "ns16550"));
        uint32_t reg[2] = { cpu_to_fdt32(uarts[k]), cpu_to_fdt32(0x100) };
        FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
        FDT_TRY(fdt_property_u32(fdt, "cell-index", k));
        FDT_TRY(fdt_property_u32(fdt, "clock-frequency", E500_UART_CLOCK));
        FDT_TRY(fdt_irq2(fdt, E500_IRQ_UART, 2));
        FDT_TRY(fdt_end_node(fdt));
    }

    snprintf(name, sizeof(name), "pic@%x", E500_MPIC);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
    FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    uint32_t mpic_reg[2] = { cpu_to_fdt32(E500_MPIC), cpu_to_fdt32(OPENPIC_SIZE) };
    FDT_TRY(fdt_property(fdt, "reg", mpic_reg, sizeof(mpic_reg)));
    FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "fsl,mpic\0chrp,open-pic"));
    FDT_TRY(fdt_property_string(fdt, "device_type", "open-pic"));
    FDT_TRY(fdt_property_u32(fdt, "phandle", PH_MPIC));
    FDT_TRY(fdt_end_node(fdt));

    snprintf(name, sizeof(name), "global-utilities@%x", E500_GUTS);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(fdt_property_string(fdt, "compatible", "fsl,mpc8544-guts"));
    uint32_t guts_reg[2] = { cpu_to_fdt32(E500_GUTS), cpu_to_fdt32(0x1000) };
    FDT_TRY(fdt_property(fdt, "reg", guts_reg, sizeof(guts_reg)));
    FDT_TRY(fdt_property(fdt, "fsl,has-rstcr", NULL, 0));
    FDT_TRY(fdt_end_node(fdt));

    snprintf(name, sizeof(name), "gpio@%x", E500_GPIO);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(fdt_property_string(fdt, "compatible", "fsl,qoriq-gpio"));
    uint32_t gpio_reg[2] = { cpu_to_fdt32(E500_GPIO), cpu_to_fdt32(MPC8XXX_GPIO_SIZE) };
    FDT_TRY(fdt_property(fdt, "reg", gpio_reg, sizeof(gpio_reg)));
    FDT_TRY(fdt_irq2(fdt, E500_IRQ_GPIO, 2));
    FDT_TRY(fdt_property(fdt, "gpio-controller", NULL, 0));
    FDT_TRY(fdt_property_u32(fdt, "#gpio-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "phandle", PH_GPIO));
    FDT_TRY(fdt_end_node(fdt));
    /* Linux populates the children of simple buses only: the power-off node sits in the
     * SoC as on QEMU's board. */
    FDT_TRY(mpc8xxx_gpio_poweroff_fdt(fdt, PH_GPIO, 0));
    FDT_TRY(fdt_end_node(fdt)); /* soc */

    /* virtio-mmio devices on the platform bus: the entropy source, then the disks. */
    snprintf(name, sizeof(name), "platform@%llx", (unsigned long long)E500_VIRTIO);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "qemu,platform\0simple-bus"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 1));
    uint32_t pranges[4] = { 0, cpu_to_fdt32((uint32_t)(E500_VIRTIO >> 32)),
                            cpu_to_fdt32((uint32_t)E500_VIRTIO), cpu_to_fdt32(0x8000000) };
    FDT_TRY(fdt_property(fdt, "ranges", pranges, sizeof(pranges)));
    unsigned nvirtio = 1 + e->m.ndrives;
    for (unsigned k = 0; k < nvirtio; k++) {
        snprintf(name, sizeof(name), "virtio_mmio@%x", 0x1000u * k);
        FDT_TRY(fdt_begin_node(fdt, name));
        FDT_TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
        uint32_t vreg[2] = { cpu_to_fdt32(0x1000u * k), cpu_to_fdt32(0x1000) };
        FDT_TRY(fdt_property(fdt, "reg", vreg, sizeof(vreg)));
        FDT_TRY(fdt_irq2(fdt, E500_IRQ_VIRTIO0 + k, 2));
        FDT_TRY(fdt_end_node(fdt));
    }
    FDT_TRY(fdt_end_node(fdt));

    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_finish(fdt));
    return true;
}

/* --- Images --- */

static bool load_kernel(E500 *e, const MachineOpts *o, LoadedImage *k, char *err, size_t errlen)
{
    size_t size;
    uint8_t *data = loader_read_file(o->kernel, &size, err, errlen);
    if (!data)
        return false;
    bool ok;
    if (loader_is_elf(data, size))
        ok = loader_load_elf(&e->m.bus, o->kernel, data, size, EM_PPC, 32, k, err, errlen);
    else
        ok = loader_load_uimage(&e->m.bus, o->kernel, data, size, k, err, errlen);
    free(data);
    return ok;
}

static bool open_drive(E500 *e, const DriveOpts *d, unsigned k, char *err, size_t errlen)
{
    if (!machine_add_virtio_blk(&e->m, d, &e->blk[k], err, errlen))
        return false;
    virtio_mmio_init(&e->blk_mmio[k], &e->m.bus, E500_VIRTIO + 0x1000ULL * (k + 1),
                     openpic_irq_line(&e->mpic, E500_IRQ_VIRTIO0 + k + 1), &e->blk[k].vdev);
    return true;
}

static Machine *e500_create(const MachineOpts *o, char *err, size_t errlen)
{
    if (o->smp < 1 || o->smp > E500_MAX_CPUS) {
        snprintf(err, errlen, "-smp %u: the e500 machine supports 1 to %d CPUs", o->smp,
                 E500_MAX_CPUS);
        return NULL;
    }
    if (o->bios && strcmp(o->bios, "none")) {
        snprintf(err, errlen, "-bios: e500 boots the kernel directly (ePAPR); no firmware image is used");
        return NULL;
    }
    if (o->ram_size > E500_MAX_RAM) {
        snprintf(err, errlen, "-m: the e500 machine takes at most 3 GiB of RAM");
        return NULL;
    }
    if (!o->kernel && !o->dumpdtb) {
        snprintf(err, errlen, "no kernel: give -kernel FILE");
        return NULL;
    }
    const char *cpu_name = o->cpu ? o->cpu : e500_cpus[0];
    const PpcModel *model = ppc_model_find(cpu_name);
    if (!model || !(model->categories & PPC_CAT_E)) {
        snprintf(err, errlen, "-cpu %s: e500 offers e500mc", cpu_name);
        return NULL;
    }
    E500 *e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    machine_init_common(&e->m, &machine_e500, o);
    e->ncpus = e->m.ncpus = o->smp;
    e->fdt = calloc(1, E500_FDT_MAX);
    e->m.fdt = e->fdt;
    if (!e->fdt || !machine_alloc_ram(&e->m, 0, o->ram_size, err, errlen))
        return e500_fail(e);
    Bus *bus = &e->m.bus;

    for (unsigned n = 0; n < e->ncpus; n++) {
        e->cpus[n] = malloc(sizeof(PpcCpu));
        if (!e->cpus[n]) {
            snprintf(err, errlen, "out of memory");
            return e500_fail(e);
        }
    }
    ppc_core_init(&e->core, bus, &e->m.clock, e->ncpus, e->cpus);
    e->m.arch_core = &e->core;
    e->core.tb_freq = E500_TB_FREQ;
    for (unsigned n = 0; n < e->ncpus; n++) {
        ppc_cpu_init(e->cpus[n], &e->core, model, n);
        e->cpus[n]->stopped = n != 0;
    }
    e->core.ext_ack = ext_ack;
    e->core.ext_ack_opaque = e;
    e->core.reset_request = machine_reset_request;
    e->core.reset_opaque = &e->m;
    e->hv = o->hv;
    if (o->log) {
        e->core.log = o->log;
        e->core.log_mask = ((o->log_mask & LOG_INT) ? PPC_LOG_INT : 0) |
                           ((o->log_mask & LOG_EXEC) ? PPC_LOG_EXEC : 0) |
                           ((o->log_mask & LOG_MMU) ? PPC_LOG_MMU : 0) |
                           ((o->log_mask & LOG_IN_ASM) ? PPC_LOG_IN_ASM : 0) |
                           ((o->log_mask & LOG_EHV) ? PPC_LOG_EHV : 0);
    }

    /* CCSR: the catch-all first, the devices over it. */
    bus_map_mmio(bus, "ccsr", E500_CCSR, E500_CCSR_SIZE, &ccsr_ops, e);
    IrqLine outs[E500_MAX_CPUS * OPENPIC_OUTPUT_NB];
    for (unsigned k = 0; k < ARRAY_SIZE(outs); k++)
        outs[k] = (IrqLine){ .set = mpic_output, .opaque = e, .n = k };
    openpic_init(&e->mpic, bus, E500_CCSR + E500_MPIC, e->ncpus, &e->current_cpu, outs);
    /* The console: UART0, or with hv=on the ePAPR byte channel (UART0 still prints). */
    CharDev *uart0_chr = &e->m.console;
    if (e->hv) {
        chardev_init(&e->uart0_chr, o->console_out_fd);
        uart0_chr = &e->uart0_chr;
    }
    ns16550_init(&e->uart0, bus, E500_CCSR + E500_UART0, uart0_chr,
                 openpic_irq_line(&e->mpic, E500_IRQ_UART));
    chardev_init(&e->uart1_chr, -1);
    ns16550_init(&e->uart1, bus, E500_CCSR + E500_UART1, &e->uart1_chr,
                 openpic_irq_line(&e->mpic, E500_IRQ_UART));
    bus_map_mmio(bus, "guts", E500_CCSR + E500_GUTS, 0x1000, &guts_ops, e);
    e->sys = machine_sysctl(&e->m);
    mpc8xxx_gpio_init(&e->gpio, bus, E500_CCSR + E500_GPIO,
                      openpic_irq_line(&e->mpic, E500_IRQ_GPIO));
    mpc8xxx_gpio_connect(&e->gpio, 0, mpc8xxx_gpio_poweroff_line(&e->sys));
    sifive_test_init_be(&e->exit_dev, bus, E500_EXIT, e->sys);
    if (e->hv && !hv_init(e, o, err, errlen))
        return e500_fail(e);
    spin_init(e);
    virtio_rng_init(&e->rng, bus, 0x6876656d75ULL);
    virtio_mmio_init(&e->rng_mmio, bus, E500_VIRTIO, openpic_irq_line(&e->mpic, E500_IRQ_VIRTIO0),
                     &e->rng.vdev);
    for (unsigned k = 0; k < o->ndrives && k < MACHINE_MAX_DRIVES; k++)
        if (!open_drive(e, &o->drives[k], k, err, errlen))
            return e500_fail(e);

    /* Images: the kernel at its physical address, the initrd 16 MiB-aligned above it,
     * the device tree at the top of the initial mapping. */
    LoadedImage kernel = { 0 };
    if (o->kernel && !load_kernel(e, o, &kernel, err, errlen))
        return e500_fail(e);
    uint64_t map = MIN(o->ram_size, (uint64_t)E500_INITIAL_MAP);
    uint64_t fdt_addr = map - E500_FDT_MAX;
    uint64_t initrd_start = 0, initrd_end = 0;
    if (o->initrd) {
        size_t size;
        uint8_t *data = loader_read_file(o->initrd, &size, err, errlen);
        if (!data)
            return e500_fail(e);
        LoadedImage ird;
        initrd_start = (kernel.high + 16 * MiB) & ~(16 * MiB - 1);
        bool ok = initrd_start + size <= o->ram_size &&
                  loader_load_raw(bus, o->initrd, data, size, initrd_start, &ird, err, errlen);
        free(data);
        if (!ok) {
            if (!err[0])
                snprintf(err, errlen, "initrd '%s' does not fit in guest memory with the kernel",
                         o->initrd);
            return e500_fail(e);
        }
        initrd_end = initrd_start + size;
    }
    if (kernel.high > fdt_addr) {
        snprintf(err, errlen, "the kernel does not fit below the device tree in the first %llu MiB",
                 (unsigned long long)(map / MiB));
        return e500_fail(e);
    }
    if (!build_fdt(e, o, initrd_start, initrd_end, err, errlen))
        return e500_fail(e);
    if (o->dumpdtb)
        return &e->m;
    if (!bus_dma_write(bus, fdt_addr, e->fdt, fdt_totalsize(e->fdt))) {
        snprintf(err, errlen, "the device tree does not fit in guest memory");
        return e500_fail(e);
    }
    booke_cpu_epapr_start(e->cpus[0], kernel.entry, fdt_addr, 0, E500_INITIAL_MAP);
    if (e->hv)
        epapr_vcpu_start(&e->epapr, e->cpus[0]);
    return &e->m;
}

const MachineClass machine_e500 = {
    .name = "e500",
    .desc = "Freescale e500 paravirtual board as QEMU's ppce500 (e500mc with E.HV, MPIC, ns16550)",
    .cpus = e500_cpus,
    .default_ram = 512 * MiB,
    .max_smp = E500_MAX_CPUS,
    .create = e500_create,
    .cpu_run = e500_cpu_run,
    .cpu_idle = ppcm_cpu_idle,
    .quantum_end = e500_quantum_end,
    .cpu_save = ppcm_cpu_save,
    .monitor_info = e500_monitor_info,
    .cpu_big_endian = ppcm_cpu_big_endian,

    .save = e500_save,
    .load = e500_load,
    .dump_dtb = machine_dump_dtb,
    .debug_set = ppcm_debug_set,
    .gdb_xml = ppcm_gdb_xml,
    .gdb_reg = ppcm_gdb_reg,
    .gdb_g_regs = PPC_GDB_G_REGS,
    .debug_translate = ppcm_debug_translate,
    .cpu_pc = ppcm_cpu_pc,
    .destroy = e500_destroy,
};
