/* machines/riscv_virt.c: the RISC-V `virt` board, laid out as QEMU's so the same kernels
 * and firmware run on both: DRAM at 0x80000000, ACLINT (CLINT layout), PLIC, ns16550
 * UART, virtio-mmio slots, the SiFive test finisher, and HTIF for bare-metal ELFs with a
 * tohost symbol. Without -bios the harts start in S-mode and the SBI is the emulator's
 * (hypervisor/sbi); with -bios the firmware (OpenSBI fw_jump/fw_dynamic) runs in M-mode.
 * With hv=on the emulator is also the hypervisor, as KVM is on a host (Volume II 1.12,
 * chapter 8): the harts run the kernel in VS-mode under a G-stage table kept in a region
 * above guest RAM that neither the table nor the device tree shows the guest, the guest's
 * HS-mode exits go to hypervisor/sbi/sbi_vs.c, and the PLIC's S contexts, the SSWI and
 * the SBI timer reach the guest as VSEIP (guest external line 1), VSSIP and VSTIP. The
 * device tree follows Linux's Documentation/devicetree/bindings/riscv/. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpu/common/state.h"
#include "cpu/riscv/rv_block.h"
#include "devices/aclint.h"
#include "devices/dev_fdt.h"
#include "devices/htif.h"
#include "devices/ns16550.h"
#include "devices/plic.h"
#include "devices/sifive_test.h"
#include "devices/virtio_blk.h"
#include "devices/virtio_mmio.h"
#include "devices/virtio_rng.h"
#include "firmware/loader.h"
#include "hypervisor/sbi/sbi.h"
#include "hypervisor/sbi/sbi_gstage.h"
#include "machines/machine.h"

enum {
    VIRT_TEST, VIRT_CLINT, VIRT_SSWI, VIRT_PLIC, VIRT_UART0, VIRT_VIRTIO, VIRT_DRAM,
};

typedef struct MachineRegion {
    const char *name;
    uint64_t base, size;
} MachineRegion;

static const MachineRegion virt_map[] = {
    [VIRT_TEST] = { "test", 0x00100000, 0x1000 },
    [VIRT_CLINT] = { "clint", 0x02000000, 0x10000 },
    [VIRT_SSWI] = { "aclint-sswi", 0x02f00000, 0x4000 },
    [VIRT_PLIC] = { "plic", 0x0c000000, 0x600000 },
    [VIRT_UART0] = { "uart0", 0x10000000, 0x100 },
    [VIRT_VIRTIO] = { "virtio", 0x10001000, 0x1000 },
    [VIRT_DRAM] = { "dram", 0x80000000, 0 },
};

#define VIRT_UART0_IRQ 10
#define VIRT_VIRTIO_IRQ 1   /* slot n uses VIRT_VIRTIO_IRQ + n */
#define VIRT_VIRTIO_SLOTS 8
#define VIRT_PLIC_NDEV 96
#define VIRT_MAX_HARTS 8
#define VIRT_TIMEBASE 10000000
#define VIRT_FDT_MAX (1 * MiB)
#define VIRT_KERNEL_OFFSET 0x200000  /* where fw_jump/fw_dynamic expect the kernel */
#define VIRT_GSTAGE_SIZE (256 * 1024) /* hv=on: the G-stage table's pool */
#define VIRT_GUEST_EXT_LINE 1         /* hv=on: hgeip line of the PLIC's S contexts */

/* OpenSBI's fw_dynamic_info (include/sbi/fw_dynamic.h), version 2. */
#define FW_DYNAMIC_INFO_MAGIC 0x4942534f
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

static const char *const virt_cpus[] = { "rv64", NULL };

typedef struct VirtMachine {
    Machine m;
    RvCore core;
    RvHart *harts[VIRT_MAX_HARTS];
    unsigned nharts;
    Aclint aclint;
    Plic plic;
    Ns16550 uart;
    SifiveTest test;
    Htif htif;
    bool has_htif;
    VirtioRng rng;
    VirtioMmio rng_mmio;
    VirtioBlk blk[MACHINE_MAX_DRIVES];
    VirtioMmio blk_mmio[MACHINE_MAX_DRIVES];
    Sbi sbi;
    bool hv;                          /* hv=on: the guest runs in VS-mode */
    uint8_t *gstage_mem;
    SbiGStage gstage;
    void *fdt;
    uint32_t intc_phandle[VIRT_MAX_HARTS];
    uint32_t plic_phandle, test_phandle;
} VirtMachine;

static int fdt_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
    fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };
    return fdt_property(fdt, name, v, sizeof(v));
}

/* riscv,isa-extensions and the riscv,isa string the older bindings use. The harts have
 * the hypervisor extension, as QEMU's rv64 does: an OS in HS-mode can run KVM. */
static const char virt_isa[] = "rv64imafdch_zicntr_zicsr_zifencei_zihpm_zicbom_zicboz_sstc";
static const char virt_isa_ext[] = "i\0m\0a\0f\0d\0c\0h\0zicntr\0zicsr\0zifencei\0zihpm\0"
                                   "zicbom\0zicboz\0sstc";
/* hv=on: what a VS-mode guest has, as under KVM: no H of its own. */
static const char virt_guest_isa[] = "rv64imafdc_zicntr_zicsr_zifencei_zihpm_zicbom_zicboz_sstc";
static const char virt_guest_isa_ext[] = "i\0m\0a\0f\0d\0c\0zicntr\0zicsr\0zifencei\0zihpm\0"
                                         "zicbom\0zicboz\0sstc";

static bool build_fdt(VirtMachine *v, const MachineOpts *o, uint64_t initrd_start,
                      uint64_t initrd_end, char *err, size_t errlen)
{
    void *fdt = v->fdt;
    uint32_t phandle = 1;
    FDT_TRY(fdt_create(fdt, VIRT_FDT_MAX));
    FDT_TRY(fdt_finish_reservemap(fdt));
    FDT_TRY(fdt_begin_node(fdt, ""));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
    FDT_TRY(DEV_FDT_STRINGS(fdt, "compatible", "riscv-virtio"));
    FDT_TRY(fdt_property_string(fdt, "model", v->hv ? "riscv-virtio,hvemu (VS-mode guest of hvemu)"
                                                   : "riscv-virtio,hvemu"));

    FDT_TRY(fdt_begin_node(fdt, "chosen"));
    FDT_TRY(fdt_property_string(fdt, "bootargs", o->append ? o->append : ""));
    FDT_TRY(fdt_property_string(fdt, "stdout-path", "/soc/serial@10000000"));
    if (initrd_end > initrd_start) {
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", initrd_start));
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", initrd_end));
    }
    FDT_TRY(fdt_end_node(fdt));

    FDT_TRY(dev_fdt_begin_unit(fdt, "memory", v->m.ram_base));
    FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
    FDT_TRY(fdt_u64_pair(fdt, "reg", v->m.ram_base, v->m.ram_size));
    FDT_TRY(fdt_end_node(fdt));

    FDT_TRY(fdt_begin_node(fdt, "cpus"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
    FDT_TRY(fdt_property_u32(fdt, "timebase-frequency", VIRT_TIMEBASE));
    uint32_t cpu_phandle[VIRT_MAX_HARTS];
    for (unsigned n = 0; n < v->nharts; n++) {
        cpu_phandle[n] = phandle++;
        v->intc_phandle[n] = phandle++;
        FDT_TRY(dev_fdt_begin_unit(fdt, "cpu", n));
        FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
        FDT_TRY(fdt_property_u32(fdt, "reg", n));
        FDT_TRY(fdt_property_string(fdt, "status", "okay"));
        FDT_TRY(fdt_property_string(fdt, "compatible", "riscv"));
        FDT_TRY(fdt_property_string(fdt, "riscv,isa", v->hv ? virt_guest_isa : virt_isa));
        FDT_TRY(fdt_property_string(fdt, "riscv,isa-base", "rv64i"));
        if (v->hv)
            FDT_TRY(fdt_property(fdt, "riscv,isa-extensions", virt_guest_isa_ext,
                                 sizeof(virt_guest_isa_ext)));
        else
            FDT_TRY(fdt_property(fdt, "riscv,isa-extensions", virt_isa_ext, sizeof(virt_isa_ext)));
        FDT_TRY(fdt_property_string(fdt, "mmu-type", "riscv,sv57"));
        FDT_TRY(fdt_property_u32(fdt, "riscv,cbom-block-size", 64));
        FDT_TRY(fdt_property_u32(fdt, "riscv,cboz-block-size", 64));
        FDT_TRY(fdt_property_u32(fdt, "phandle", cpu_phandle[n]));
        FDT_TRY(fdt_begin_node(fdt, "interrupt-controller"));
        FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
        FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
        FDT_TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
        FDT_TRY(fdt_property_u32(fdt, "phandle", v->intc_phandle[n]));
        FDT_TRY(fdt_end_node(fdt));
        FDT_TRY(fdt_end_node(fdt));
    }
    FDT_TRY(fdt_begin_node(fdt, "cpu-map"));
    FDT_TRY(fdt_begin_node(fdt, "cluster0"));
    for (unsigned n = 0; n < v->nharts; n++) {
        char name[16];
        snprintf(name, sizeof(name), "core%u", n);
        FDT_TRY(fdt_begin_node(fdt, name));
        FDT_TRY(fdt_property_u32(fdt, "cpu", cpu_phandle[n]));
        FDT_TRY(fdt_end_node(fdt));
    }
    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_end_node(fdt)); /* cpus */

    v->plic_phandle = phandle++;
    v->test_phandle = phandle++;
    FDT_TRY(fdt_begin_node(fdt, "soc"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
    FDT_TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
    FDT_TRY(fdt_property(fdt, "ranges", NULL, 0));
    FDT_TRY(aclint_fdt(&v->aclint, fdt, v->intc_phandle));
    FDT_TRY(aclint_sswi_fdt(&v->aclint, fdt, v->intc_phandle));
    FDT_TRY(plic_fdt(&v->plic, fdt, v->plic_phandle, v->intc_phandle));
    FDT_TRY(ns16550_fdt(&v->uart, fdt, VIRT_UART0_IRQ, v->plic_phandle));
    FDT_TRY(sifive_test_fdt(&v->test, fdt, v->test_phandle));
    FDT_TRY(virtio_mmio_fdt(&v->rng_mmio, fdt, VIRT_VIRTIO_IRQ, v->plic_phandle));
    for (unsigned k = 0; k < v->m.ndrives; k++)
        FDT_TRY(virtio_mmio_fdt(&v->blk_mmio[k], fdt, VIRT_VIRTIO_IRQ + 1 + k, v->plic_phandle));
    FDT_TRY(fdt_end_node(fdt)); /* soc */
    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_finish(fdt));
    return true;
}

/* -dtb: the user's blob, with /chosen updated for -append and -initrd as QEMU does. */
static bool load_user_fdt(VirtMachine *v, const MachineOpts *o, uint64_t initrd_start,
                          uint64_t initrd_end, char *err, size_t errlen)
{
    size_t size;
    uint8_t *blob = loader_read_file(o->dtb, &size, err, errlen);
    if (!blob)
        return false;
    int r = size >= sizeof(struct fdt_header) ? fdt_check_header(blob) : -FDT_ERR_TRUNCATED;
    if (r == 0 && fdt_totalsize(blob) > size)
        r = -FDT_ERR_TRUNCATED;
    if (r == 0)
        r = fdt_open_into(blob, v->fdt, VIRT_FDT_MAX);
    free(blob);
    if (r < 0) {
        snprintf(err, errlen, "'%s' is not a valid device tree blob: %s", o->dtb, fdt_strerror(r));
        return false;
    }
    int chosen = fdt_path_offset(v->fdt, "/chosen");
    if (chosen < 0)
        chosen = fdt_add_subnode(v->fdt, 0, "chosen");
    FDT_TRY(chosen);
    if (o->append)
        FDT_TRY(fdt_setprop_string(v->fdt, chosen, "bootargs", o->append));
    if (initrd_end > initrd_start) {
        FDT_TRY(fdt_setprop_u64(v->fdt, chosen, "linux,initrd-start", initrd_start));
        FDT_TRY(fdt_setprop_u64(v->fdt, chosen, "linux,initrd-end", initrd_end));
    }
    FDT_TRY(fdt_pack(v->fdt));
    return true;
}

static void sbi_putchar(void *opaque, uint8_t c)
{
    chardev_write(&((Machine *)opaque)->console, c);
}

static int sbi_getchar(void *opaque)
{
    return chardev_read(&((Machine *)opaque)->console);
}

static uint64_t virt_cpu_run(Machine *m, unsigned n, uint64_t done, uint64_t budget)
{
    return rv_hart_run_from(((VirtMachine *)m)->harts[n], done, budget);
}

static bool virt_cpu_idle(Machine *m, unsigned n)
{
    const RvHart *h = ((VirtMachine *)m)->harts[n];
    return h->stopped || h->wfi;
}

static void virt_cpu_save(Machine *m, unsigned n, StateW *w)
{
    rv_hart_save(((VirtMachine *)m)->harts[n], w);
}

static void virt_save(Machine *m, StateW *w)
{
    VirtMachine *v = (VirtMachine *)m;
    for (unsigned n = 0; n < v->nharts; n++)
        rv_hart_save(v->harts[n], w);
    sw_u32(w, v->core.last_runner ? v->core.last_runner->index : UINT32_MAX);
    aclint_save(&v->aclint, w);
    plic_save(&v->plic, w);
    ns16550_save(&v->uart, w);
    if (v->has_htif)
        htif_save(&v->htif, w);
    virtio_mmio_save(&v->rng_mmio, w);
    virtio_rng_save(&v->rng, w);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_mmio_save(&v->blk_mmio[k], w);
    sbi_save(&v->sbi, w);
    if (v->hv) {
        sw_u64(w, v->gstage.used);
        sw_bytes(w, v->gstage.mem, v->gstage.used);
    }
}

static void virt_load(Machine *m, StateR *r)
{
    VirtMachine *v = (VirtMachine *)m;
    for (unsigned n = 0; n < v->nharts; n++)
        rv_hart_load(v->harts[n], r);
    uint32_t last = sr_u32(r);
    v->core.last_runner = last < v->nharts ? v->harts[last] : NULL;
    aclint_load(&v->aclint, r);
    plic_load(&v->plic, r);
    ns16550_load(&v->uart, r);
    if (v->has_htif)
        htif_load(&v->htif, r);
    virtio_mmio_load(&v->rng_mmio, r);
    virtio_rng_load(&v->rng, r);
    for (unsigned k = 0; k < m->ndrives; k++)
        virtio_mmio_load(&v->blk_mmio[k], r);
    sbi_load(&v->sbi, r);
    if (v->hv) {
        uint64_t used = sr_u64(r);
        if (used > v->gstage.size) {
            r->bad = true;
            return;
        }
        v->gstage.used = used;
        sr_bytes(r, v->gstage.mem, used);
    }
    tb_flush_all(&v->core.tb);
}

static const void *virt_hv_memory(Machine *m, size_t *len)
{
    VirtMachine *v = (VirtMachine *)m;
    *len = v->hv ? v->gstage.used : 0;
    return v->gstage_mem;
}

static bool virt_monitor_info(Machine *m, const char *what, unsigned n, const char *args,
                              FILE *out)
{
    const RvHart *h = ((VirtMachine *)m)->harts[n];
    (void)args;
    if (!strcmp(what, "registers"))
        rv_dump_regs(h, out);
    else if (!strcmp(what, "tlb"))
        rv_dump_mappings(h, out);
    else
        return false;
    return true;
}

static bool virt_cpu_big_endian(Machine *m, unsigned n)
{
    (void)m, (void)n;
    return false;
}

/* --- The debugger (tools/gdbstub.c) --- */

static void virt_debug_set(Machine *m, bool active)
{
    rv_debug_set(&((VirtMachine *)m)->core, active ? &m->dbg : NULL);
}

static const char *virt_gdb_xml(Machine *m, unsigned n)
{
    return rv_gdb_target_xml(((VirtMachine *)m)->harts[n]);
}

static unsigned virt_gdb_reg(Machine *m, unsigned n, unsigned regno, uint8_t *buf,
                              const uint8_t *wr)
{
    return rv_gdb_reg(((VirtMachine *)m)->harts[n], regno, buf, wr);
}

static bool virt_debug_translate(Machine *m, unsigned n, uint64_t va, uint64_t *pa)
{
    return rv_debug_translate(((VirtMachine *)m)->harts[n], va, pa);
}

static uint64_t virt_cpu_pc(Machine *m, unsigned n)
{
    return ((VirtMachine *)m)->harts[n]->pc;
}

static void virt_quantum_end(Machine *m)
{
    VirtMachine *v = (VirtMachine *)m;
    tb_reap(&v->core.tb);
    if (v->core.fatal)
        m->fatal = true;
}

static void virt_destroy(Machine *m)
{
    VirtMachine *v = (VirtMachine *)m;
    rv_core_destroy(&v->core);
    for (unsigned n = 0; n < v->nharts; n++)
        free(v->harts[n]);
    machine_close_drives(&v->m);
    free(v->fdt);
    free(v->gstage_mem);
    free(v);
}

static bool open_drive(VirtMachine *v, const DriveOpts *d, unsigned k, char *err, size_t errlen)
{
    if (!machine_add_virtio_blk(&v->m, d, &v->blk[k], err, errlen))
        return false;
    uint64_t base = virt_map[VIRT_VIRTIO].base + (1 + k) * virt_map[VIRT_VIRTIO].size;
    virtio_mmio_init(&v->blk_mmio[k], &v->m.bus, base,
                     plic_irq_line(&v->plic, VIRT_VIRTIO_IRQ + 1 + k), &v->blk[k].vdev);
    return true;
}

/* hv=on: the SSWI's setssip edge into the guest's SSIP, hvip.VSSIP (8.2.3). */
static void virt_set_vssip(void *hart, unsigned n, bool level)
{
    RvHart *h = hart;
    if (level) {
        h->hvip |= MIP_VSSIP;
        rv_update_mip(h);
    }
}

/* hv=on: the G-stage table, in a pool of machine RAM just above the guest's (2 MiB
 * aligned) that it does not map: guest RAM and each device window identity-mapped
 * (RAM with 1 GiB leaves where aligned), everything else a guest-page fault. */
static bool build_gstage(VirtMachine *v, char *err, size_t errlen)
{
    uint64_t ram_end = v->m.ram_base + v->m.ram_size;
    uint64_t base = (ram_end + 2 * MiB - 1) & ~(2 * MiB - 1);
    v->gstage_mem = aligned_alloc(4096, VIRT_GSTAGE_SIZE);
    if (!v->gstage_mem || !sbi_gstage_init(&v->gstage, HGATP_MODE_SV39X4, v->gstage_mem, base,
                                           VIRT_GSTAGE_SIZE)) {
        snprintf(err, errlen, "hv=on: cannot set up the G-stage table");
        return false;
    }
    memset(v->gstage_mem, 0, VIRT_GSTAGE_SIZE);
    bus_map_ram(&v->m.bus, "hv-gstage", base, VIRT_GSTAGE_SIZE, v->gstage_mem);
    bool ok = sbi_gstage_map(&v->gstage, v->m.ram_base, v->m.ram_base, v->m.ram_size,
                             SBI_GSTAGE_RAM);
    for (unsigned k = 0; k < VIRT_DRAM; k++) {
        uint64_t size = virt_map[k].size * (k == VIRT_VIRTIO ? VIRT_VIRTIO_SLOTS : 1);
        size = (size + 0xfff) & ~0xfffULL; /* whole pages: the UART's window is 256 bytes */
        ok = ok && sbi_gstage_map(&v->gstage, virt_map[k].base, virt_map[k].base, size,
                                  SBI_GSTAGE_MMIO);
    }
    if (!ok)
        snprintf(err, errlen, "hv=on: cannot build the G-stage table");
    return ok;
}

static Machine *virt_fail(VirtMachine *v)
{
    virt_destroy(&v->m);
    return NULL;
}

static Machine *virt_create(const MachineOpts *o, char *err, size_t errlen)
{
    if (o->smp < 1 || o->smp > VIRT_MAX_HARTS) {
        snprintf(err, errlen, "-smp %u: the virt machine supports 1 to %d harts", o->smp,
                 VIRT_MAX_HARTS);
        return NULL;
    }
    if (o->hv && o->bios && strcmp(o->bios, "none")) {
        snprintf(err, errlen, "-M virt,hv=on: the machine is the hypervisor and its SBI; "
                 "-bios is not supported with it");
        return NULL;
    }
    VirtMachine *v = calloc(1, sizeof(*v));
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    machine_init_common(&v->m, &machine_riscv_virt, o);
    v->fdt = calloc(1, VIRT_FDT_MAX);
    v->m.fdt = v->fdt;
    v->nharts = v->m.ncpus = o->smp;
    if (!v->fdt || !machine_alloc_ram(&v->m, virt_map[VIRT_DRAM].base, o->ram_size, err, errlen))
        return virt_fail(v);
    v->hv = o->hv;
    if (v->hv && !build_gstage(v, err, errlen))
        return virt_fail(v);

    Bus *bus = &v->m.bus;
    bool use_sbi = !o->bios || !strcmp(o->bios, "none");
    /* Harts first: the interrupt wiring points at them. */
    for (unsigned n = 0; n < v->nharts; n++)
        v->harts[n] = malloc(sizeof(RvHart));
    rv_core_init(&v->core, bus, &v->m.clock, v->nharts, v->harts);
    v->core.has_sstc = true;
    v->core.has_h = true;
    v->core.sbi_in_emulator = use_sbi;
    v->core.ns_per_mtime_tick = 1000000000ULL / VIRT_TIMEBASE;
    if (o->log) {
        v->core.log_exec = o->log;
        v->core.log_mask = ((o->log_mask & LOG_INT) ? RV_LOG_INT : 0) |
                           ((o->log_mask & LOG_EXEC) ? RV_LOG_EXEC : 0) |
                           ((o->log_mask & LOG_IN_ASM) ? RV_LOG_IN_ASM : 0) |
                           ((o->log_mask & LOG_MMU) ? RV_LOG_MMU : 0);
    }
    for (unsigned n = 0; n < v->nharts; n++)
        rv_hart_init(v->harts[n], &v->core, n);

    IrqLine msip[VIRT_MAX_HARTS], mtip[VIRT_MAX_HARTS], ssip[VIRT_MAX_HARTS];
    IrqLine ctx[2 * VIRT_MAX_HARTS];
    for (unsigned n = 0; n < v->nharts; n++) {
        msip[n] = (IrqLine){ rv_hart_set_irq, v->harts[n], IRQ_M_SOFT };
        mtip[n] = (IrqLine){ rv_hart_set_irq, v->harts[n], IRQ_M_TIMER };
        ssip[n] = (IrqLine){ rv_hart_set_irq, v->harts[n], IRQ_S_SOFT };
        ctx[2 * n] = (IrqLine){ rv_hart_set_irq, v->harts[n], IRQ_M_EXT };
        ctx[2 * n + 1] = (IrqLine){ rv_hart_set_irq, v->harts[n], IRQ_S_EXT };
        if (v->hv) { /* the guest's S-level lines are the hart's VS-level ones */
            ssip[n] = (IrqLine){ virt_set_vssip, v->harts[n], IRQ_VS_SOFT };
            ctx[2 * n + 1] = (IrqLine){ rv_hart_set_guest_irq, v->harts[n], VIRT_GUEST_EXT_LINE };
        }
    }
    aclint_init(&v->aclint, bus, virt_map[VIRT_CLINT].base, &v->m.clock, v->core.ns_per_mtime_tick,
                v->nharts, msip, mtip);
    aclint_map_sswi(&v->aclint, bus, virt_map[VIRT_SSWI].base, ssip);
    plic_init(&v->plic, bus, virt_map[VIRT_PLIC].base, VIRT_PLIC_NDEV, v->nharts, ctx);
    ns16550_init(&v->uart, bus, virt_map[VIRT_UART0].base, &v->m.console,
                 plic_irq_line(&v->plic, VIRT_UART0_IRQ));
    sifive_test_init(&v->test, bus, virt_map[VIRT_TEST].base, machine_sysctl(&v->m));
    virtio_rng_init(&v->rng, bus, 0x6876656d75ULL);
    virtio_mmio_init(&v->rng_mmio, bus, virt_map[VIRT_VIRTIO].base,
                     plic_irq_line(&v->plic, VIRT_VIRTIO_IRQ), &v->rng.vdev);
    if (o->ndrives > VIRT_VIRTIO_SLOTS - 1) {
        snprintf(err, errlen, "at most %d drives fit the virt machine's virtio slots",
                 VIRT_VIRTIO_SLOTS - 1);
        return virt_fail(v);
    }
    for (unsigned k = 0; k < o->ndrives; k++)
        if (!open_drive(v, &o->drives[k], k, err, errlen))
            return virt_fail(v);

    SbiPlatform plat = { .putchar = sbi_putchar, .getchar = sbi_getchar,
                         .shutdown = machine_shutdown, .reset = machine_reset_request,
                         .opaque = &v->m };
    sbi_init(&v->sbi, &v->core, &plat);
    if (o->log && (o->log_mask & LOG_SBI))
        v->sbi.log = o->log;
    if (o->log && (o->log_mask & LOG_UNIMP))
        v->sbi.log_unimp = o->log;
    v->core.env = (RvEnvOps){ .sbi_call = sbi_call, .opaque = &v->sbi };
    if (v->hv) {
        v->sbi.hv = true;
        v->sbi.hgatp = sbi_gstage_hgatp(&v->gstage, 0);
        v->core.env.hv_exit = sbi_hv_exit;
    }

    /* Images. */
    uint64_t ram_base = v->m.ram_base, ram_end = ram_base + v->m.ram_size;
    LoadedImage fw = { 0 }, kernel = { 0 }, initrd = { 0 };
    size_t size;
    uint8_t *data;
    if (!use_sbi) {
        if (!(data = loader_read_file(o->bios, &size, err, errlen)))
            return virt_fail(v);
        bool ok = loader_is_elf(data, size)
                      ? loader_load_elf(bus, o->bios, data, size, EM_RISCV, 64, &fw, err, errlen)
                      : loader_load_raw(bus, o->bios, data, size, ram_base, &fw, err, errlen);
        free(data);
        if (!ok)
            return virt_fail(v);
    }
    if (o->kernel) {
        if (!(data = loader_read_file(o->kernel, &size, err, errlen)))
            return virt_fail(v);
        bool ok;
        if (loader_is_elf(data, size))
            ok = loader_load_elf(bus, o->kernel, data, size, EM_RISCV, 64, &kernel, err, errlen);
        else if (size >= 64 && !memcmp(data + 0x38, "RSC\x05", 4))
            ok = loader_load_riscv_image(bus, o->kernel, data, size, ram_base, &kernel, err, errlen);
        else if (!use_sbi)
            ok = loader_load_raw(bus, o->kernel, data, size, ram_base + VIRT_KERNEL_OFFSET, &kernel,
                                 err, errlen);
        else {
            snprintf(err, errlen, "'%s' is neither an ELF nor a RISC-V Linux Image", o->kernel);
            ok = false;
        }
        free(data);
        if (!ok)
            return virt_fail(v);
    } else if (use_sbi) {
        snprintf(err, errlen, "no kernel: give -kernel FILE (or -bios FIRMWARE)");
        return virt_fail(v);
    }
    /* The FDT sits at the top of RAM (below 4 GiB for 32-bit-clean firmware), the initrd
     * just under it. */
    uint64_t fdt_addr = (MIN(ram_end, 0x100000000ULL) - VIRT_FDT_MAX) & ~(2 * MiB - 1);
    uint64_t initrd_start = 0, initrd_end = 0;
    if (o->initrd) {
        if (!(data = loader_read_file(o->initrd, &size, err, errlen)))
            return virt_fail(v);
        initrd_start = (fdt_addr - size) & ~0xfffULL;
        bool ok = size < fdt_addr - ram_base && initrd_start >= kernel.high &&
                  loader_load_raw(bus, o->initrd, data, size, initrd_start, &initrd, err, errlen);
        free(data);
        if (!ok) {
            if (!err[0])
                snprintf(err, errlen, "initrd '%s' does not fit in guest memory with the kernel",
                         o->initrd);
            return virt_fail(v);
        }
        initrd_end = initrd_start + size;
    }
    /* Bare-metal programs (as -kernel or -bios) talk HTIF through their tohost symbol. */
    const LoadedImage *htif_elf = kernel.has_tohost ? &kernel : fw.has_tohost ? &fw : NULL;
    if (htif_elf) {
        htif_init(&v->htif, bus, htif_elf->tohost, htif_elf->has_fromhost ? htif_elf->fromhost : 0,
                  &v->m.console, machine_sysctl(&v->m));
        v->has_htif = true;
    }
    bool ok = o->dtb ? load_user_fdt(v, o, initrd_start, initrd_end, err, errlen)
                     : build_fdt(v, o, initrd_start, initrd_end, err, errlen);
    if (!ok)
        return virt_fail(v);
    if (o->dumpdtb)
        return &v->m;
    if (!bus_dma_write(bus, fdt_addr, v->fdt, fdt_totalsize(v->fdt))) {
        snprintf(err, errlen, "the device tree does not fit in guest memory");
        return virt_fail(v);
    }

    /* Entry. */
    if (use_sbi) {
        RvHart *h = v->harts[0];
        sbi_prepare_hart(&v->sbi, h);
        h->pc = kernel.entry;
        h->x[10] = 0;
        h->x[11] = fdt_addr;
        v->sbi.harts[0].state = SBI_HSM_STARTED;
        for (unsigned n = 1; n < v->nharts; n++)
            v->harts[n]->stopped = true;
    } else {
        /* Every hart enters the firmware in M-mode with a0 = hartid, a1 = FDT and, for
         * fw_dynamic, a2 = fw_dynamic_info; fw_jump ignores a2. */
        uint64_t info = fdt_addr - 64;
        uint64_t next = o->kernel ? kernel.entry : ram_base + VIRT_KERNEL_OFFSET;
        uint64_t words[6] = { FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION, next,
                              FW_DYNAMIC_NEXT_MODE_S, 0, 0 };
        bus_dma_write(bus, info, words, sizeof(words));
        for (unsigned n = 0; n < v->nharts; n++) {
            RvHart *h = v->harts[n];
            h->pc = fw.entry;
            h->x[10] = n;
            h->x[11] = fdt_addr;
            h->x[12] = info;
        }
    }
    return &v->m;
}

const MachineClass machine_riscv_virt = {
    .name = "virt",
    .desc = "RISC-V virt board (rv64gc, Sstc; ACLINT, PLIC, ns16550, virtio-mmio)",
    .cpus = virt_cpus,
    .default_ram = 512 * MiB,
    .max_smp = VIRT_MAX_HARTS,
    .create = virt_create,
    .cpu_run = virt_cpu_run,
    .cpu_idle = virt_cpu_idle,
    .quantum_end = virt_quantum_end,
    .cpu_save = virt_cpu_save,
    .monitor_info = virt_monitor_info,
    .cpu_big_endian = virt_cpu_big_endian,

    .save = virt_save,
    .load = virt_load,
    .hv_memory = virt_hv_memory,
    .debug_set = virt_debug_set,
    .gdb_xml = virt_gdb_xml,
    .gdb_reg = virt_gdb_reg,
    .gdb_g_regs = RV_GDB_G_REGS,
    .debug_translate = virt_debug_translate,
    .cpu_pc = virt_cpu_pc,
    .dump_dtb = machine_dump_dtb,
    .destroy = virt_destroy,
};
