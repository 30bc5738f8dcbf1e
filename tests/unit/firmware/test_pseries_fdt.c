/* tests/unit/firmware/test_pseries_fdt.c: the pseries device tree (machines/pseries_fdt.c):
 * the blob validates, the properties Linux reads on pseries read back with the right
 * values (CPU nodes, ibm,pa-features without radix, ibm,segment-page-sizes from the hash
 * MMU's table, RTAS tokens, ibm,hypertas-functions, /chosen, the vty, XICS, the nodes
 * the machine adds through extra_nodes),
 * bad parameters are refused, and the client interface takes the tree over. */
#include <libfdt.h>
#include <stdlib.h>

#include "firmware/vof.h"
#include "machines/pseries.h"
#include "tests/unit/unit.h"

#define BUF_SIZE (1024u * 1024)
#define RAM (2ULL * GiB)

static const PseriesFdtRtasToken tokens[] = {
    { "query-cpu-stopped-state", 0x2001 }, { "start-cpu", 0x2002 },
    { "ibm,set-xive", 0x2010 },            { "ibm,get-xive", 0x2011 },
    { "ibm,int-on", 0x2012 },              { "ibm,int-off", 0x2013 },
    { "ibm,os-term", 0x2020 },
};

static const char hypertas[] = "hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0"
                               "hcall-splpar";

/* The machine's extra nodes (the PCI host bridge on the real machine): one node whose
 * interrupt goes to the XICS, or a libfdt error when opaque says so. */
static int extra_nodes(void *fdt, void *opaque)
{
    if (opaque)
        return -FDT_ERR_BADVALUE;
    int rc = fdt_begin_node(fdt, "extra@200000000");
    if (!rc)
        rc = fdt_property_u32(fdt, "interrupt-parent", PSERIES_FDT_XICS_PHANDLE);
    return rc ? rc : fdt_end_node(fdt);
}

static PseriesFdtParams p8_params(void)
{
    return (PseriesFdtParams){
        .ncpus = 2,
        .cpu_name = "PowerPC,POWER8",
        .pvr = PSERIES_PVR_POWER8,
        .clock_freq = 3425000000u,
        .dcache_size = 64 * 1024,
        .ram_size = RAM,
        .hypertas = hypertas,
        .hypertas_len = sizeof(hypertas),
        .rtas_tokens = tokens,
        .n_rtas_tokens = ARRAY_SIZE(tokens),
        .rtas_size = 0x1000,
        .bootargs = "console=hvc0 root=/dev/vda",
        .initrd_start = 0x4000000,
        .initrd_end = 0x4800000,
        .extra_nodes = extra_nodes,
    };
}

static uint32_t u32_at(const void *fdt, int node, const char *name, unsigned idx)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
    if (!v || len < (int)(4 * (idx + 1)))
        return 0xDEADBEEF;
    return fdt32_to_cpu(v[idx]);
}

/* A 64-bit property (FDT values are only 4-byte aligned). */
static uint64_t u64_at(const void *fdt, int node, const char *name)
{
    int len = 0;
    const void *v = fdt_getprop(fdt, node, name, &len);
    fdt64_t raw;
    if (!v || len != 8)
        return 0xDEADBEEF;
    memcpy(&raw, v, 8);
    return fdt64_to_cpu(raw);
}

static bool str_is(const void *fdt, int node, const char *name, const char *want)
{
    const char *s = fdt_getprop(fdt, node, name, NULL);
    return s && strcmp(s, want) == 0;
}

static void *build(const PseriesFdtParams *p)
{
    char err[160] = "";
    void *fdt = calloc(1, BUF_SIZE);
    bool ok = pseries_build_fdt(p, fdt, BUF_SIZE, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "pseries_build_fdt: %s\n", err);
    CHECK(ok);
    CHECK_EQ(fdt_check_full(fdt, BUF_SIZE), 0);
    return fdt;
}

static void test_root_memory(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    CHECK(str_is(fdt, 0, "device_type", "chrp"));
    CHECK(str_is(fdt, 0, "compatible", "qemu,pseries"));
    CHECK_EQ(u32_at(fdt, 0, "#address-cells", 0), 2);
    CHECK_EQ(u32_at(fdt, 0, "#size-cells", 0), 2);
    int mem = fdt_path_offset(fdt, "/memory@0");
    CHECK(mem >= 0);
    CHECK(str_is(fdt, mem, "device_type", "memory"));
    CHECK_EQ(u32_at(fdt, mem, "reg", 1), 0);
    CHECK_EQ((uint64_t)u32_at(fdt, mem, "reg", 2) << 32 | u32_at(fdt, mem, "reg", 3), RAM);
    /* Open Firmware property names have at most 31 characters (nextprop's buffer). */
    int off, prop;
    for (off = 0; off >= 0; off = fdt_next_node(fdt, off, NULL)) {
        fdt_for_each_property_offset(prop, fdt, off) {
            const char *name = NULL;
            fdt_getprop_by_offset(fdt, prop, &name, NULL);
            CHECK(name && strlen(name) < VOF_NEXTPROP_BUF);
        }
    }
    free(fdt);
}

static void test_cpus(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    int ncpu = 0;
    for (int off = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu", 4); off >= 0;
         off = fdt_node_offset_by_prop_value(fdt, off, "device_type", "cpu", 4))
        ncpu++;
    CHECK_EQ(ncpu, 2);
    int cpus = fdt_path_offset(fdt, "/cpus");
    CHECK_EQ(u32_at(fdt, cpus, "#address-cells", 0), 1);
    CHECK_EQ(u32_at(fdt, cpus, "#size-cells", 0), 0);
    int c1 = fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@1");
    CHECK(c1 >= 0);
    CHECK_EQ(u32_at(fdt, c1, "reg", 0), 1);
    CHECK_EQ(u32_at(fdt, c1, "ibm,ppc-interrupt-server#s", 0), 1);
    CHECK_EQ(u32_at(fdt, c1, "cpu-version", 0), PSERIES_PVR_POWER8);
    CHECK_EQ(u32_at(fdt, c1, "timebase-frequency", 0), 512000000);
    CHECK_EQ(u32_at(fdt, c1, "clock-frequency", 0), 3425000000u);
    CHECK_EQ(u32_at(fdt, c1, "d-cache-block-size", 0), 128);
    CHECK_EQ(u32_at(fdt, c1, "i-cache-block-size", 0), 128);
    CHECK_EQ(u32_at(fdt, c1, "d-cache-size", 0), 64 * 1024);
    CHECK_EQ(u32_at(fdt, c1, "ibm,slb-size", 0), 32);
    CHECK_EQ(u32_at(fdt, c1, "ibm,vmx", 0), 2);
    CHECK_EQ(u32_at(fdt, c1, "ibm,purr", 0), 1);
    CHECK_EQ(u32_at(fdt, c1, "ibm,processor-segment-sizes", 0), 28);
    CHECK_EQ(u32_at(fdt, c1, "ibm,processor-segment-sizes", 1), 40);
    CHECK(str_is(fdt, c1, "status", "okay"));
    /* HPT: 2 GiB of RAM gives 2^24 by default. */
    CHECK_EQ(u32_at(fdt, c1, "ibm,pft-size", 0), 0);
    CHECK_EQ(u32_at(fdt, c1, "ibm,pft-size", 1), 24);

    /* ibm,pa-features: one descriptor of type 0; MMU FPU RUN NX, CI large pages, LE set;
     * TM (byte 22), radix (byte 40) and DAWR1 (byte 64) covered and clear. */
    int len = 0;
    const uint8_t *pa = fdt_getprop(fdt, c1, "ibm,pa-features", &len);
    CHECK(pa != NULL && len >= 2 && pa[0] + 2 == len);
    if (pa && len > 2 + 64) {
        CHECK_EQ(pa[1], 0);
        CHECK_EQ(pa[2 + 0] & 0xD2, 0xD2);
        CHECK_EQ(pa[2 + 1] & 0x20, 0x20);
        CHECK_EQ(pa[2 + 5] & 0x80, 0x80);
        CHECK_EQ(pa[2 + 22] & 0x80, 0);
        CHECK_EQ(pa[2 + 40] & 0x80, 0);
        CHECK_EQ(pa[2 + 64] & 0x80, 0);
    }

    /* ibm,segment-page-sizes decodes back to the hash MMU's table. */
    const fdt32_t *sps = fdt_getprop(fdt, c1, "ibm,segment-page-sizes", &len);
    const Hash64PageSizes *ps = &hash64_page_sizes_p8p9;
    unsigned n = 0, cells = sps ? (unsigned)len / 4 : 0;
    CHECK(sps != NULL);
    for (unsigned i = 0; i < ps->n && sps; i++) {
        CHECK(n + 3 <= cells);
        if (n + 3 > cells)
            break;
        CHECK_EQ(fdt32_to_cpu(sps[n]), ps->sps[i].shift);
        CHECK_EQ(fdt32_to_cpu(sps[n + 1]), ps->sps[i].slb_enc);
        unsigned nenc = fdt32_to_cpu(sps[n + 2]);
        n += 3;
        for (unsigned k = 0; k < nenc && n + 2 <= cells; k++, n += 2) {
            CHECK_EQ(fdt32_to_cpu(sps[n]), ps->sps[i].enc[k].shift);
            CHECK_EQ(fdt32_to_cpu(sps[n + 1]), ps->sps[i].enc[k].pte_enc);
        }
    }
    CHECK_EQ(n, cells);
    CHECK_EQ(fdt32_to_cpu(sps[3]), 12); /* base 4K, actual 4K first */
    free(fdt);

    /* POWER9, one CPU, explicit HPT order. */
    p.ncpus = 1;
    p.cpu_name = "PowerPC,POWER9";
    p.pvr = PSERIES_PVR_POWER9;
    p.hpt_order = 20;
    fdt = build(&p);
    int c0 = fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0");
    CHECK(c0 >= 0);
    CHECK(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@1") < 0);
    CHECK_EQ(u32_at(fdt, c0, "cpu-version", 0), 0x004e1200);
    CHECK_EQ(u32_at(fdt, c0, "ibm,pft-size", 1), 20);
    free(fdt);
}

static void test_rtas(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    int rtas = fdt_path_offset(fdt, "/rtas"), len = 0;
    CHECK(rtas >= 0);
    for (unsigned i = 0; i < ARRAY_SIZE(tokens); i++)
        CHECK_EQ(u32_at(fdt, rtas, tokens[i].name, 0), tokens[i].token);
    CHECK_EQ(u32_at(fdt, rtas, "rtas-size", 0), 0x1000);
    const char *ht = fdt_getprop(fdt, rtas, "ibm,hypertas-functions", &len);
    CHECK(ht != NULL);
    CHECK_EQ(len, sizeof(hypertas));
    if (ht)
        CHECK_MEM(ht, hypertas, sizeof(hypertas));
    free(fdt);
}

static void test_chosen_vdevice(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    int chosen = fdt_path_offset(fdt, "/chosen"), len = 0;
    CHECK(str_is(fdt, chosen, "bootargs", "console=hvc0 root=/dev/vda"));
    CHECK_EQ(u64_at(fdt, chosen, "linux,initrd-start"), 0x4000000);
    CHECK_EQ(u64_at(fdt, chosen, "linux,initrd-end"), 0x4800000);
    const char *out = fdt_getprop(fdt, chosen, "linux,stdout-path", NULL);
    CHECK(out && strcmp(out, "/vdevice/vty@71000000") == 0);
    int vty = out ? fdt_path_offset(fdt, out) : -1;
    CHECK(vty >= 0);
    CHECK(str_is(fdt, vty, "compatible", "hvterm1"));
    CHECK(str_is(fdt, vty, "device_type", "serial"));
    CHECK_EQ(u32_at(fdt, vty, "reg", 0), 0x71000000);
    CHECK(fdt_getprop(fdt, vty, "interrupts", NULL) == NULL);
    int vdev = fdt_path_offset(fdt, "/vdevice");
    CHECK(str_is(fdt, vdev, "device_type", "vdevice"));
    CHECK(str_is(fdt, vdev, "compatible", "IBM,vdevice"));
    CHECK_EQ(u32_at(fdt, vdev, "#address-cells", 0), 1);
    CHECK_EQ(u32_at(fdt, vdev, "#size-cells", 0), 0);

    /* Hash only, XICS only: before and after CAS. */
    const uint8_t *v5 = fdt_getprop(fdt, chosen, "ibm,architecture-vec-5", &len);
    CHECK(v5 && len > VOF_OV5_MMU);
    if (v5 && len > VOF_OV5_MMU) {
        CHECK_EQ(v5[0], len - 2);
        CHECK_EQ(v5[VOF_OV5_MMU] & VOF_OV5_MMU_MASK, VOF_OV5_MMU_HASH);
    }
    const uint8_t *ps = fdt_getprop(fdt, chosen, "ibm,arch-vec-5-platform-support", &len);
    CHECK(ps && len == 4);
    if (ps && len == 4) {
        CHECK_EQ(ps[0], 23);
        CHECK_EQ(ps[1], 0x00);
        CHECK_EQ(ps[2], 24);
        CHECK_EQ(ps[3], 0x00);
    }
    free(fdt);

    /* No initrd, a vty interrupt, another unit address. */
    p.initrd_start = p.initrd_end = 0;
    p.vty_unit = 0x30000000;
    p.vty_irq = 0x1000;
    p.bootargs = NULL;
    fdt = build(&p);
    chosen = fdt_path_offset(fdt, "/chosen");
    CHECK(fdt_getprop(fdt, chosen, "linux,initrd-start", NULL) == NULL);
    CHECK(str_is(fdt, chosen, "bootargs", ""));
    vty = fdt_path_offset(fdt, "/vdevice/vty@30000000");
    CHECK(vty >= 0);
    CHECK_EQ(u32_at(fdt, vty, "interrupts", 0), 0x1000);
    CHECK_EQ(u32_at(fdt, vty, "interrupt-parent", 0), PSERIES_FDT_XICS_PHANDLE);
    char path[64];
    pseries_fdt_vty_path(0x30000000, path, sizeof(path));
    CHECK(str_is(fdt, chosen, "stdout-path", path));
    free(fdt);
}

static void test_xics_extra(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    int xics = fdt_node_offset_by_compatible(fdt, -1, "IBM,ppc-xicp");
    CHECK(xics >= 0);
    CHECK_EQ(fdt_get_phandle(fdt, xics), PSERIES_FDT_XICS_PHANDLE);
    CHECK(fdt_getprop(fdt, xics, "interrupt-controller", NULL) != NULL);
    CHECK_EQ(u32_at(fdt, xics, "#interrupt-cells", 0), 2);
    CHECK_EQ(u32_at(fdt, xics, "ibm,interrupt-server-ranges", 0), 0);
    CHECK_EQ(u32_at(fdt, xics, "ibm,interrupt-server-ranges", 1), 2);
    CHECK(str_is(fdt, xics, "device_type", "PowerPC-External-Interrupt-Presentation"));

    int x = fdt_path_offset(fdt, "/extra@200000000");
    CHECK(x >= 0);
    CHECK_EQ(fdt_parent_offset(fdt, x), 0);
    CHECK_EQ(u32_at(fdt, x, "interrupt-parent", 0), PSERIES_FDT_XICS_PHANDLE);
    free(fdt);
}

/* /hypervisor: KVM-compatible, with an ePAPR hcall sequence that answers every KVM
 * paravirtual call with EV_UNIMPLEMENTED: li r3,12 then three nops. */
static void test_hypervisor(void)
{
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    int h = fdt_path_offset(fdt, "/hypervisor");
    CHECK(h >= 0);
    CHECK(str_is(fdt, h, "compatible", "linux,kvm"));
    int len = 0;
    CHECK(fdt_getprop(fdt, h, "hcall-instructions", &len) != NULL);
    CHECK_EQ(len, 16);
    CHECK_EQ(u32_at(fdt, h, "hcall-instructions", 0), 0x3860000c);
    for (unsigned k = 1; k < 4; k++)
        CHECK_EQ(u32_at(fdt, h, "hcall-instructions", k), 0x60000000);
    CHECK(fdt_getprop(fdt, h, "has-idle", NULL) == NULL);
    free(fdt);
}

static void test_bad_params(void)
{
    char err[160];
    uint8_t small[512];
    void *buf = calloc(1, BUF_SIZE);
    PseriesFdtParams p = p8_params();
    CHECK(!pseries_build_fdt(&p, small, sizeof(small), err, sizeof(err)));
    CHECK(strstr(err, "device tree") != NULL);
    p.ncpus = 0;
    CHECK(!pseries_build_fdt(&p, buf, BUF_SIZE, err, sizeof(err)));
    p = p8_params();
    p.cpu_name = NULL;
    CHECK(!pseries_build_fdt(&p, buf, BUF_SIZE, err, sizeof(err)));
    p = p8_params();
    p.ram_size = 0;
    CHECK(!pseries_build_fdt(&p, buf, BUF_SIZE, err, sizeof(err)));
    p = p8_params();
    static const PseriesFdtRtasToken bad[] = { { "ibm,a-name-that-is-far-too-long-for-of", 1 } };
    p.rtas_tokens = bad;
    p.n_rtas_tokens = 1;
    CHECK(!pseries_build_fdt(&p, buf, BUF_SIZE, err, sizeof(err)));
    /* An error from the machine's extra nodes fails the build. */
    p = p8_params();
    p.extra_opaque = &p;
    err[0] = 0;
    CHECK(!pseries_build_fdt(&p, buf, BUF_SIZE, err, sizeof(err)));
    CHECK(strstr(err, "device tree") != NULL);
    free(buf);
}

/* ---- the client interface over the built tree ---- */

typedef struct Mem {
    uint8_t *b;
    size_t size;
} Mem;

static bool mread(void *o, uint64_t a, void *buf, size_t len)
{
    Mem *m = o;
    if (a > m->size || len > m->size - a)
        return false;
    memcpy(buf, m->b + a, len);
    return true;
}

static bool mwrite(void *o, uint64_t a, const void *buf, size_t len)
{
    Mem *m = o;
    if (a > m->size || len > m->size - a)
        return false;
    memcpy(m->b + a, buf, len);
    return true;
}

static void con(void *o, const uint8_t *buf, size_t len)
{
}

static uint64_t ms(void *o)
{
    return 0;
}

static void test_vof_over_tree(void)
{
    static const VofOps ops = { .read = mread, .write = mwrite, .write_console = con,
                                .now_ms = ms };
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    Mem m = { calloc(1, 1 << 20), 1 << 20 };
    Vof v;
    char err[160] = "";
    VofConfig cfg = { .ram_size = RAM };
    bool ok = vof_init(&v, fdt, BUF_SIZE, &ops, &m, &cfg, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "vof_init: %s\n", err);
    CHECK(ok);
    CHECK_EQ(fdt_check_full(fdt, BUF_SIZE), 0);
    /* The console is the vty; the boot CPU is CPU 0; the XICS kept its phandle. */
    int chosen = fdt_path_offset(fdt, "/chosen");
    uint32_t out = u32_at(fdt, chosen, "stdout", 0);
    CHECK(out != 0xDEADBEEF);
    CHECK_EQ(v.console_ph, fdt_get_phandle(fdt, fdt_path_offset(fdt, "/vdevice/vty@71000000")));
    CHECK(u32_at(fdt, chosen, "cpu", 0) != 0xDEADBEEF);
    CHECK_EQ(fdt_node_offset_by_phandle(fdt, PSERIES_FDT_XICS_PHANDLE),
             fdt_node_offset_by_compatible(fdt, -1, "IBM,ppc-xicp"));
    /* available: all of RAM but the first 4 GiB cap is what claims see. */
    CHECK_EQ(v.claim_top, RAM);
    int mem = fdt_path_offset(fdt, "/memory@0");
    CHECK(fdt_getprop(fdt, mem, "available", NULL) != NULL);
    free(m.b);
    free(fdt);
}

/* One client interface call from an argument array at ARGS; strings go to HEAP. */
#define ARGS 0x1000u
#define HEAP 0x2000u

static void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t ci(Vof *v, Mem *m, const char *svc, unsigned nargs, const uint32_t *args)
{
    uint8_t *a = m->b + ARGS;
    strcpy((char *)m->b + HEAP, svc);
    be32_put(a, HEAP);
    be32_put(a + 4, nargs);
    be32_put(a + 8, 1);
    for (unsigned i = 0; i < nargs; i++)
        be32_put(a + 12 + 4 * i, args[i]);
    CHECK_EQ(vof_client_call(v, ARGS), 0);
    return be32_get(a + 12 + 4 * nargs);
}

/* What prom_init's flatten_device_tree does: walk every node with child/peer, take its
 * path with package-to-path, list its properties with nextprop and read each with
 * getproplen and getprop. Everything must agree with the tree itself. */
static void flatten_check(Vof *v, Mem *m, uint32_t node, int *nodes, int *props)
{
    const uint32_t NAME = 0x3000, PREV = 0x3100, PATH = 0x3200, VAL = 0x4000;
    char path[256];
    uint32_t l = ci(v, m, "package-to-path", 3, (uint32_t[]){ node, PATH, 255 });
    CHECK(l < 255);
    memcpy(path, m->b + PATH, 255);
    path[MIN(l, 254u)] = 0;
    int off = fdt_path_offset(v->fdt, path);
    CHECK(off >= 0);
    CHECK_EQ(fdt_get_phandle(v->fdt, off), node);
    (*nodes)++;

    m->b[PREV] = 0;
    for (int guard = 0; guard < 200; guard++) {
        if (ci(v, m, "nextprop", 3, (uint32_t[]){ node, PREV, NAME }) != 1)
            break;
        const char *name = (const char *)m->b + NAME;
        uint32_t len = ci(v, m, "getproplen", 2, (uint32_t[]){ node, NAME });
        int flen = -1;
        const void *want = fdt_getprop(v->fdt, off, name, &flen);
        CHECK(want != NULL);
        CHECK_EQ(len, flen);
        CHECK_EQ(ci(v, m, "getprop", 4, (uint32_t[]){ node, NAME, VAL, len }), len);
        if (want && flen >= 0 && (uint32_t)flen == len)
            CHECK_MEM(m->b + VAL, want, len);
        strcpy((char *)m->b + PREV, name);
        (*props)++;
    }
    for (uint32_t c = ci(v, m, "child", 1, &node); c; c = ci(v, m, "peer", 1, &c))
        flatten_check(v, m, c, nodes, props);
}

static void test_flatten_walk(void)
{
    static const VofOps ops = { .read = mread, .write = mwrite, .write_console = con,
                                .now_ms = ms };
    PseriesFdtParams p = p8_params();
    void *fdt = build(&p);
    Mem m = { calloc(1, 1 << 20), 1 << 20 };
    Vof v;
    char err[160] = "";
    VofConfig cfg = { .ram_size = RAM };
    CHECK(vof_init(&v, fdt, BUF_SIZE, &ops, &m, &cfg, err, sizeof(err)));
    int nodes = 0, props = 0, fdt_nodes = 0, fdt_props = 0, prop;
    uint32_t root = ci(&v, &m, "peer", 1, (uint32_t[]){ 0 });
    flatten_check(&v, &m, root, &nodes, &props);
    for (int off = 0; off >= 0; off = fdt_next_node(fdt, off, NULL)) {
        fdt_nodes++;
        fdt_for_each_property_offset(prop, fdt, off)
            fdt_props++;
    }
    CHECK_EQ(nodes, fdt_nodes);
    CHECK_EQ(props, fdt_props);
    free(m.b);
    free(fdt);
}

int main(void)
{
    test_root_memory();
    test_cpus();
    test_rtas();
    test_chosen_vdevice();
    test_xics_extra();
    test_hypervisor();
    test_bad_params();
    test_vof_over_tree();
    test_flatten_walk();
    return unit_summary("test_pseries_fdt");
}
