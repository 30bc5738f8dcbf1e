/* machines/pseries_fdt.c: the device tree of the pseries machine, the tree a PAPR
 * partition finds through the Open Firmware client interface (LoPAR, appendix B "LoPAR
 * Binding" and the PA processor binding; Devicetree Specification v0.4 for the node and
 * property forms), written with libfdt's sequential-write API. The property set is the one
 * Linux reads on pseries: prom_init (device_type "chrp" at the root, /rtas with
 * ibm,hypertas-functions for an LPAR, rtas-size, /chosen "ibm,arch-vec-5-platform-support"
 * for CAS), the early flat-tree scan (ibm,pa-features, ibm,segment-page-sizes,
 * ibm,processor-segment-sizes, ibm,slb-size, ibm,pft-size, ibm,ppc-interrupt-server#s,
 * /chosen "ibm,architecture-vec-5"), the XICS code (compatible "ibm,ppc-xicp") and the VIO
 * bus (/vdevice, the vty "hvterm1"); the machine adds the PCI host bridge through
 * extra_nodes (machines/pseries_pci.c). hvemu's POWER8 and POWER9 translate with the hashed
 * page table only, so nothing here offers radix. */
#include <libfdt.h>
#include <stdio.h>

#include "firmware/vof.h"
#include "machines/pseries.h"

#define PSERIES_CACHE_BLOCK 128u /* POWER8/POWER9 cache line */
#define PSERIES_CACHE_WAYS 8u
#define PSERIES_SLB_SIZE 32u
#define PSERIES_MAX_CPUS 1024u
#define RTAS_ERROR_LOG_MAX 2048u

/* ibm,pa-features: one descriptor {length, type 0, bytes}, bits numbered from the most
 * significant bit of each byte. Linux reads byte 0 bits 0 (MMU), 1 (FPU), 3 (RUN: the CTRL
 * register), 6 (no-execute); byte 1 bit 2 (cache-inhibited large pages); byte 5 bit 0 (true
 * little-endian); byte 22 bit 0 (transactional memory); byte 40 bit 0 (radix MMU); byte 64
 * bit 0 (second DAWR); byte 68 bit 5 (DEXCR NPHIE). A byte the descriptor covers with the
 * bit clear withdraws the feature, so the descriptor covers 72 bytes: no TM, no radix, no
 * second DAWR, whatever the kernel's CPU table assumed. */
#define PA_FEATURE_BYTES 72
static const uint8_t pa_features[2 + PA_FEATURE_BYTES] = {
    [0] = PA_FEATURE_BYTES,
    [1] = 0x00,                                        /* attribute type 0 */
    [2 + 0] = 0x80 | 0x40 | 0x20 | 0x10 | 0x04 | 0x02, /* MMU FPU SLB RUN DABR NX */
    [2 + 1] = 0x20,                                    /* CI large pages */
    [2 + 5] = 0x80,                                    /* little-endian */
};

static int prop_cells(void *fdt, const char *name, const uint32_t *v, unsigned n)
{
    fdt32_t cells[8];
    for (unsigned i = 0; i < n && i < ARRAY_SIZE(cells); i++)
        cells[i] = cpu_to_fdt32(v[i]);
    return fdt_property(fdt, name, cells, (int)(MIN(n, (unsigned)ARRAY_SIZE(cells)) * 4));
}

static int prop_reg64(void *fdt, uint64_t base, uint64_t size)
{
    uint32_t c[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                      (uint32_t)size };
    return prop_cells(fdt, "reg", c, 4);
}

/* ibm,segment-page-sizes: for each base page size {shift, SLB L||LP, count} followed by
 * count {actual shift, HPTE LP} pairs. */
static int prop_page_sizes(void *fdt, const Hash64PageSizes *ps)
{
    fdt32_t cells[64];
    unsigned n = 0;
    for (unsigned i = 0; i < ps->n; i++) {
        const Hash64SegPageSize *s = &ps->sps[i];
        unsigned nenc = 0;
        while (nenc < HASH64_MAX_ENC && s->enc[nenc].shift)
            nenc++;
        if (n + 3 + 2 * nenc > ARRAY_SIZE(cells))
            return -FDT_ERR_NOSPACE;
        cells[n++] = cpu_to_fdt32(s->shift);
        cells[n++] = cpu_to_fdt32(s->slb_enc);
        cells[n++] = cpu_to_fdt32(nenc);
        for (unsigned k = 0; k < nenc; k++) {
            cells[n++] = cpu_to_fdt32(s->enc[k].shift);
            cells[n++] = cpu_to_fdt32(s->enc[k].pte_enc);
        }
    }
    return fdt_property(fdt, "ibm,segment-page-sizes", cells, (int)(n * 4));
}

/* The HPT order for a RAM size when the machine gives none: about 1/128 of RAM, as a
 * power of two between 256 KiB and 2^46. */
static unsigned default_hpt_order(uint64_t ram)
{
    unsigned order = 0;
    while (order < 63 && (1ULL << order) < ram)
        order++;
    return MIN(MAX(order > 7 ? order - 7 : 0, 18u), 46u);
}

void pseries_fdt_vty_path(uint32_t vty_unit, char *buf, size_t len)
{
    snprintf(buf, len, "/vdevice/vty@%x", vty_unit ? vty_unit : PSERIES_VTY_UNIT);
}

static bool build_cpus(void *fdt, const PseriesFdtParams *p, char *err, size_t errlen)
{
    const Hash64PageSizes *ps = p->page_sizes ? p->page_sizes : &hash64_page_sizes_p8p9;
    uint32_t dsize = p->dcache_size ? p->dcache_size : 32 * KiB;
    uint32_t isize = p->icache_size ? p->icache_size : 32 * KiB;
    unsigned order = p->hpt_order ? p->hpt_order : default_hpt_order(p->ram_size);
    char name[64];

    FDT_TRY(fdt_begin_node(fdt, "cpus"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
    for (unsigned i = 0; i < p->ncpus; i++) {
        snprintf(name, sizeof(name), "%s@%x", p->cpu_name, i);
        FDT_TRY(fdt_begin_node(fdt, name));
        FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
        FDT_TRY(fdt_property_u32(fdt, "reg", i));
        FDT_TRY(fdt_property_u32(fdt, "ibm,ppc-interrupt-server#s", i));
        FDT_TRY(fdt_property_u32(fdt, "cpu-version", p->pvr));
        FDT_TRY(fdt_property_string(fdt, "status", "okay"));
        FDT_TRY(fdt_property_u32(fdt, "clock-frequency",
                                 p->clock_freq ? p->clock_freq : 1000000000u));
        FDT_TRY(fdt_property_u32(fdt, "timebase-frequency",
                                 p->timebase_freq ? p->timebase_freq : PSERIES_TIMEBASE_FREQ));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-block-size", PSERIES_CACHE_BLOCK));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-line-size", PSERIES_CACHE_BLOCK));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-size", dsize));
        FDT_TRY(fdt_property_u32(fdt, "d-cache-sets",
                                 dsize / (PSERIES_CACHE_BLOCK * PSERIES_CACHE_WAYS)));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-block-size", PSERIES_CACHE_BLOCK));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-line-size", PSERIES_CACHE_BLOCK));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-size", isize));
        FDT_TRY(fdt_property_u32(fdt, "i-cache-sets",
                                 isize / (PSERIES_CACHE_BLOCK * PSERIES_CACHE_WAYS)));
        FDT_TRY(fdt_property_u32(fdt, "ibm,slb-size", PSERIES_SLB_SIZE));
        FDT_TRY(fdt_property_u32(fdt, "slb-size", PSERIES_SLB_SIZE));
        FDT_TRY(prop_page_sizes(fdt, ps));
        FDT_TRY(prop_cells(fdt, "ibm,processor-segment-sizes", (const uint32_t[]){ 28, 40 }, 2));
        FDT_TRY(fdt_property(fdt, "ibm,pa-features", pa_features, sizeof(pa_features)));
        FDT_TRY(fdt_property_u32(fdt, "ibm,vmx", 2));   /* VMX and VSX */
        FDT_TRY(fdt_property_u32(fdt, "ibm,dfp", 1));
        FDT_TRY(fdt_property_u32(fdt, "ibm,purr", 1));
        FDT_TRY(fdt_property_u32(fdt, "ibm,spurr", 1));
        FDT_TRY(prop_cells(fdt, "ibm,pft-size", (const uint32_t[]){ 0, order }, 2));
        FDT_TRY(fdt_end_node(fdt));
    }
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

static bool build_rtas(void *fdt, const PseriesFdtParams *p, char *err, size_t errlen)
{
    FDT_TRY(fdt_begin_node(fdt, "rtas"));
    if (p->hypertas && p->hypertas_len)
        FDT_TRY(fdt_property(fdt, "ibm,hypertas-functions", p->hypertas, (int)p->hypertas_len));
    FDT_TRY(fdt_property_u32(fdt, "rtas-size", p->rtas_size));
    FDT_TRY(fdt_property_u32(fdt, "rtas-error-log-max", RTAS_ERROR_LOG_MAX));
    for (unsigned i = 0; i < p->n_rtas_tokens; i++) {
        const char *n = p->rtas_tokens[i].name;
        /* An Open Firmware property name has at most 31 characters. */
        if (!n || !n[0] || strlen(n) >= VOF_NEXTPROP_BUF) {
            snprintf(err, errlen, "device tree: bad RTAS service name '%s'", n ? n : "");
            return false;
        }
        FDT_TRY(fdt_property_u32(fdt, n, p->rtas_tokens[i].token));
    }
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

static bool build_chosen(void *fdt, const PseriesFdtParams *p, char *err, size_t errlen)
{
    /* prom_init asks CAS for what this lists: index/value pairs of option vector 5. */
    static const uint8_t platform_support[] = {
        VOF_OV5_INTC, VOF_OV5_XICS, VOF_OV5_MMU, VOF_OV5_MMU_HASH,
    };
    uint8_t ov5[VOF_OV5_PROP_LEN];
    char vty[64];

    pseries_fdt_vty_path(p->vty_unit, vty, sizeof(vty));
    vof_ov5_default(ov5);
    FDT_TRY(fdt_begin_node(fdt, "chosen"));
    FDT_TRY(fdt_property_string(fdt, "bootargs", p->bootargs ? p->bootargs : ""));
    if (p->initrd_end > p->initrd_start) {
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
        FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
    }
    FDT_TRY(fdt_property_string(fdt, "linux,stdout-path", vty));
    FDT_TRY(fdt_property_string(fdt, "stdout-path", vty));
    FDT_TRY(fdt_property(fdt, "ibm,architecture-vec-5", ov5, sizeof(ov5)));
    FDT_TRY(fdt_property(fdt, "ibm,arch-vec-5-platform-support", platform_support,
                         sizeof(platform_support)));
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

/* /vdevice: the VIO bus (device_type "vdevice"), one cell of unit address per device. */
static bool build_vdevice(void *fdt, const PseriesFdtParams *p, char *err, size_t errlen)
{
    uint32_t unit = p->vty_unit ? p->vty_unit : PSERIES_VTY_UNIT;
    char name[32];

    FDT_TRY(fdt_begin_node(fdt, "vdevice"));
    FDT_TRY(fdt_property_string(fdt, "device_type", "vdevice"));
    FDT_TRY(fdt_property_string(fdt, "compatible", "IBM,vdevice"));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
    snprintf(name, sizeof(name), "vty@%x", unit);
    FDT_TRY(fdt_begin_node(fdt, name));
    FDT_TRY(fdt_property_string(fdt, "device_type", "serial"));
    FDT_TRY(fdt_property_string(fdt, "compatible", "hvterm1"));
    FDT_TRY(fdt_property_u32(fdt, "reg", unit));
    if (p->vty_irq) {
        /* A VIO interrupt is a message: edge (second cell 0). */
        FDT_TRY(prop_cells(fdt, "interrupts", (const uint32_t[]){ p->vty_irq, 0 }, 2));
        FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", PSERIES_FDT_XICS_PHANDLE));
    }
    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

/* The XICS presentation controller, reached through hcalls (H_XIRR, H_EOI, H_CPPR,
 * H_IPI); the sources are reached through RTAS (ibm,set-xive ...). Interrupt specifiers
 * have two cells: the source number and a type whose bit 0 means level. */
static bool build_xics(void *fdt, const PseriesFdtParams *p, char *err, size_t errlen)
{
    FDT_TRY(fdt_begin_node(fdt, "interrupt-controller"));
    FDT_TRY(fdt_property_string(fdt, "device_type", "PowerPC-External-Interrupt-Presentation"));
    FDT_TRY(fdt_property_string(fdt, "compatible", "IBM,ppc-xicp"));
    FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 0));
    FDT_TRY(prop_cells(fdt, "ibm,interrupt-server-ranges", (const uint32_t[]){ 0, p->ncpus },
                       2));
    FDT_TRY(fdt_property_u32(fdt, "phandle", PSERIES_FDT_XICS_PHANDLE));
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

/* /hypervisor: the partition runs under a KVM-compatible hypervisor (Linux's pseries code
 * then treats it as a KVM guest for its yield and preemption heuristics). The ePAPR
 * hypercall sequence Linux patches in for KVM paravirtual calls answers every token with
 * EV_UNIMPLEMENTED (li r3,12): hvemu offers no magic page or other KVM PV feature; PAPR
 * hcalls (`sc 1`) are the interface. */
#define EV_UNIMPLEMENTED 12u
#define PPC_LI_R3(v) (0x38600000u | ((v) & 0xffffu))
#define PPC_NOP 0x60000000u

static bool build_hypervisor(void *fdt, char *err, size_t errlen)
{
    FDT_TRY(fdt_begin_node(fdt, "hypervisor"));
    FDT_TRY(fdt_property_string(fdt, "compatible", "linux,kvm"));
    FDT_TRY(prop_cells(fdt, "hcall-instructions",
                       (const uint32_t[]){ PPC_LI_R3(EV_UNIMPLEMENTED), PPC_NOP, PPC_NOP, PPC_NOP },
                       4));
    FDT_TRY(fdt_end_node(fdt));
    return true;
}

bool pseries_build_fdt(const PseriesFdtParams *p, void *buf, size_t len, char *err,
                       size_t errlen)
{
    if (p->ncpus == 0 || p->ncpus > PSERIES_MAX_CPUS || !p->cpu_name || !p->cpu_name[0] ||
        p->ram_size == 0 || (p->n_rtas_tokens && !p->rtas_tokens)) {
        snprintf(err, errlen, "device tree: bad pseries parameters");
        return false;
    }
    if (len > INT32_MAX || len < 64) {
        snprintf(err, errlen, "device tree: bad buffer size");
        return false;
    }

    void *fdt = buf;
    FDT_TRY(fdt_create(fdt, (int)len));
    FDT_TRY(fdt_finish_reservemap(fdt));
    FDT_TRY(fdt_begin_node(fdt, ""));
    FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
    FDT_TRY(fdt_property_string(fdt, "compatible", "qemu,pseries"));
    FDT_TRY(fdt_property_string(fdt, "model", "IBM pSeries (emulated by hvemu)"));
    FDT_TRY(fdt_property_string(fdt, "device_type", "chrp"));

    if (!build_chosen(fdt, p, err, errlen))
        return false;

    FDT_TRY(fdt_begin_node(fdt, "memory@0"));
    FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
    FDT_TRY(prop_reg64(fdt, 0, p->ram_size));
    FDT_TRY(fdt_end_node(fdt));

    if (!build_cpus(fdt, p, err, errlen) || !build_rtas(fdt, p, err, errlen) ||
        !build_vdevice(fdt, p, err, errlen) || !build_xics(fdt, p, err, errlen) ||
        !build_hypervisor(fdt, err, errlen))
        return false;
    if (p->extra_nodes)
        FDT_TRY(p->extra_nodes(fdt, p->extra_opaque));

    FDT_TRY(fdt_end_node(fdt));
    FDT_TRY(fdt_finish(fdt));
    return true;
}
