/* tests/unit/firmware/test_vof.c: the Open Firmware client interface (firmware/vof.c)
 * driven as prom_init drives it: argument arrays of big-endian cells written into a byte
 * array that stands for guest memory, a small pseries-like tree built with libfdt, and
 * checks of every service, of the claim list, of instantiate-rtas and CAS, and of bad
 * argument arrays, which must fail without touching anything outside guest memory. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>

#include "firmware/vof.h"
#include "tests/unit/unit.h"

#define MEM_SIZE (8u * 1024 * 1024)
#define ARGS_AT 0x1000u    /* the argument array */
#define HEAP_AT 0x2000u    /* strings and buffers the test places */
#define HEAP_END 0x80000u
#define FDT_CAP (128u * 1024)
#define VTY_PATH "/vdevice/vty@71000000"

typedef struct Rig {
    uint8_t *mem;
    uint32_t heap;
    char console[8192];
    size_t conlen;
    uint64_t ms;
    unsigned quiesces, exits, cas_calls, logs;
    int cas_answer;
    uint8_t cas_mmu_asked;
    const char *input;      /* pending console input */
    Vof vof;
    uint8_t fdt[FDT_CAP];
} Rig;

/* ---- ops over the byte array ---- */

static bool mem_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
    Rig *r = opaque;
    if (addr > MEM_SIZE || len > MEM_SIZE - addr)
        return false;
    memcpy(buf, r->mem + addr, len);
    return true;
}

static bool mem_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    Rig *r = opaque;
    if (addr > MEM_SIZE || len > MEM_SIZE - addr)
        return false;
    memcpy(r->mem + addr, buf, len);
    return true;
}

static void con_write(void *opaque, const uint8_t *buf, size_t len)
{
    Rig *r = opaque;
    size_t n = MIN(len, sizeof(r->console) - 1 - r->conlen);
    memcpy(r->console + r->conlen, buf, n);
    r->conlen += n;
    r->console[r->conlen] = 0;
}

static size_t con_read(void *opaque, uint8_t *buf, size_t len)
{
    Rig *r = opaque;
    if (!r->input)
        return 0;
    size_t n = MIN(len, strlen(r->input));
    memcpy(buf, r->input, n);
    r->input += n;
    return n;
}

static uint64_t now_ms(void *opaque)
{
    return ((Rig *)opaque)->ms;
}

static void on_quiesce(void *opaque)
{
    ((Rig *)opaque)->quiesces++;
}

static void on_exit_call(void *opaque)
{
    ((Rig *)opaque)->exits++;
}

static int on_cas(void *opaque, const VofCasRequest *req, uint8_t *vec5, size_t len)
{
    Rig *r = opaque;
    r->cas_calls++;
    r->cas_mmu_asked = vof_cas_byte(req, 5, VOF_OV5_MMU);
    CHECK_EQ(len, VOF_OV5_PROP_LEN);
    return r->cas_answer;
}

static void on_log(void *opaque, const char *line)
{
    ((Rig *)opaque)->logs++;
}

static const VofOps rig_ops = {
    .read = mem_read,
    .write = mem_write,
    .write_console = con_write,
    .read_console = con_read,
    .now_ms = now_ms,
    .quiesce = on_quiesce,
    .exit = on_exit_call,
    .cas = on_cas,
    .log = on_log,
};

static const uint8_t rtas_blob[] = { 0x7c, 0x64, 0x1b, 0x78, 0x38, 0x60, 0xf0, 0x00,
                                     0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20 };

/* ---- guest memory helpers ---- */

static uint32_t put_bytes(Rig *r, const void *p, size_t len)
{
    uint32_t at = r->heap;
    memcpy(r->mem + at, p, len);
    r->heap = (uint32_t)((r->heap + len + 7) & ~7u);
    if (r->heap >= HEAP_END)
        r->heap = HEAP_AT;
    return at;
}

static uint32_t put_str(Rig *r, const char *s)
{
    return put_bytes(r, s, strlen(s) + 1);
}

static uint32_t buf_alloc(Rig *r, size_t len)
{
    uint32_t at = r->heap;
    memset(r->mem + at, 0xAA, len);
    r->heap = (uint32_t)((r->heap + len + 7) & ~7u);
    return at;
}

static void st_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes an argument array at `at` and makes the call; rets gets nret results. */
static int64_t call_at(Rig *r, uint32_t at, const char *svc, unsigned nargs, unsigned nret,
                       uint32_t *rets, va_list ap)
{
    uint8_t *a = r->mem + at;
    st_be32(a, put_str(r, svc));
    st_be32(a + 4, nargs);
    st_be32(a + 8, nret);
    for (unsigned i = 0; i < nargs; i++)
        st_be32(a + 12 + 4 * i, va_arg(ap, uint32_t));
    for (unsigned i = 0; i < nret; i++)
        st_be32(a + 12 + 4 * (nargs + i), 0xDEADBEEF);
    int64_t rc = vof_client_call(&r->vof, at);
    for (unsigned i = 0; rets && i < nret; i++)
        rets[i] = ld_be32(a + 12 + 4 * (nargs + i));
    return rc;
}

static int64_t call(Rig *r, const char *svc, unsigned nargs, unsigned nret, uint32_t *rets, ...)
{
    va_list ap;
    va_start(ap, rets);
    int64_t rc = call_at(r, ARGS_AT, svc, nargs, nret, rets, ap);
    va_end(ap);
    return rc;
}

/* The first result of a call that must be served. */
static uint32_t call1(Rig *r, const char *svc, unsigned nargs, ...)
{
    uint32_t ret = 0xDEADBEEF;
    va_list ap;
    va_start(ap, nargs);
    int64_t rc = call_at(r, ARGS_AT, svc, nargs, 1, &ret, ap);
    va_end(ap);
    CHECK_EQ(rc, 0);
    return ret;
}

static uint32_t finddevice(Rig *r, const char *path)
{
    return call1(r, "finddevice", 1, put_str(r, path));
}

/* ---- the tree ---- */

#define T(x)                                                                                   \
    do {                                                                                       \
        if ((x) < 0)                                                                           \
            abort();                                                                           \
    } while (0)

static void build_tree(void *fdt)
{
    fdt32_t memreg[4] = { 0, 0, 0, cpu_to_fdt32(MEM_SIZE) };
    T(fdt_create(fdt, FDT_CAP));
    T(fdt_finish_reservemap(fdt));
    T(fdt_begin_node(fdt, ""));
    T(fdt_property_u32(fdt, "#address-cells", 2));
    T(fdt_property_u32(fdt, "#size-cells", 2));
    T(fdt_property_string(fdt, "device_type", "chrp"));
    T(fdt_property_string(fdt, "model", "test"));
    T(fdt_begin_node(fdt, "chosen"));
    T(fdt_property_string(fdt, "bootargs", "console=hvc0 quiet"));
    T(fdt_property_string(fdt, "linux,stdout-path", VTY_PATH));
    T(fdt_end_node(fdt));
    T(fdt_begin_node(fdt, "memory@0"));
    T(fdt_property_string(fdt, "device_type", "memory"));
    T(fdt_property(fdt, "reg", memreg, sizeof(memreg)));
    T(fdt_end_node(fdt));
    T(fdt_begin_node(fdt, "cpus"));
    T(fdt_property_u32(fdt, "#address-cells", 1));
    T(fdt_property_u32(fdt, "#size-cells", 0));
    T(fdt_begin_node(fdt, "PowerPC,POWER8@0"));
    T(fdt_property_string(fdt, "device_type", "cpu"));
    T(fdt_property_u32(fdt, "reg", 0));
    T(fdt_end_node(fdt));
    T(fdt_end_node(fdt));
    T(fdt_begin_node(fdt, "rtas"));
    T(fdt_property_u32(fdt, "rtas-size", 4096));
    T(fdt_property_u32(fdt, "query-cpu-stopped-state", 0x2001));
    T(fdt_end_node(fdt));
    T(fdt_begin_node(fdt, "vdevice"));
    T(fdt_property_string(fdt, "device_type", "vdevice"));
    T(fdt_begin_node(fdt, "vty@71000000"));
    T(fdt_property_string(fdt, "device_type", "serial"));
    T(fdt_property_string(fdt, "compatible", "hvterm1"));
    T(fdt_property_u32(fdt, "reg", 0x71000000));
    T(fdt_end_node(fdt));
    T(fdt_end_node(fdt));
    T(fdt_end_node(fdt));
    T(fdt_finish(fdt));
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    char err[160] = "";
    r->mem = calloc(1, MEM_SIZE);
    r->heap = HEAP_AT;
    r->ms = 1234;
    build_tree(r->fdt);
    VofConfig cfg = { .ram_size = MEM_SIZE, .rtas_blob = rtas_blob,
                      .rtas_size = sizeof(rtas_blob) };
    bool ok = vof_init(&r->vof, r->fdt, FDT_CAP, &rig_ops, r, &cfg, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "vof_init: %s\n", err);
    CHECK(ok);
    /* Where the machine placed the kernel and its own things. */
    CHECK(vof_claim_range(&r->vof, 0, 0x100000));
    return r;
}

static void rig_free(Rig *r)
{
    free(r->mem);
    free(r);
}

static int fdt_count_nodes(const void *fdt)
{
    int n = 0;
    for (int off = 0; off >= 0; off = fdt_next_node(fdt, off, NULL))
        n++;
    return n;
}

static uint32_t chosen_cell(Rig *r, const char *name)
{
    uint32_t chosen = finddevice(r, "/chosen"), buf = buf_alloc(r, 4);
    CHECK_EQ(call1(r, "getprop", 4, chosen, put_str(r, name), buf, 4), 4);
    return ld_be32(r->mem + buf);
}

/* ---- tests ---- */

static void test_stub(void)
{
    CHECK_EQ(vof_entry_stub[0], 0x7C641B78); /* mr r4,r3 */
    CHECK_EQ(vof_entry_stub[2] & 0xFFFF, VOF_HCALL);
    CHECK_EQ(vof_entry_stub[3], 0x44000022); /* sc 1 */
    CHECK_EQ(vof_entry_stub[4], 0x4E800020); /* blr */
}

static void test_init_and_chosen(void)
{
    Rig *r = rig_new();
    uint32_t vty = finddevice(r, VTY_PATH);
    uint32_t out = chosen_cell(r, "stdout"), in = chosen_cell(r, "stdin");
    CHECK(vty != 0 && vty != 0xFFFFFFFF);
    CHECK(out != in);
    CHECK_EQ(call1(r, "instance-to-package", 1, out), vty);
    CHECK_EQ(call1(r, "instance-to-package", 1, in), vty);
    CHECK_EQ(call1(r, "instance-to-package", 1, chosen_cell(r, "cpu")),
             finddevice(r, "/cpus/PowerPC,POWER8@0"));
    CHECK_EQ(call1(r, "instance-to-package", 1, 0x12345), 0xFFFFFFFF);
    /* Every node got a phandle, equal to what the services hand out. */
    for (int off = 0; off >= 0; off = fdt_next_node(r->vof.fdt, off, NULL))
        CHECK(fdt_get_phandle(r->vof.fdt, off) != 0);
    CHECK_EQ(finddevice(r, "/"), fdt_get_phandle(r->vof.fdt, 0));
    rig_free(r);
}

static void test_finddevice(void)
{
    Rig *r = rig_new();
    CHECK(finddevice(r, "/chosen") != 0xFFFFFFFF);
    CHECK_EQ(finddevice(r, "/nonexistent"), 0xFFFFFFFF);
    CHECK_EQ(finddevice(r, "nosuchalias"), 0xFFFFFFFF);
    CHECK_EQ(finddevice(r, ""), 0xFFFFFFFF);
    CHECK_EQ(finddevice(r, VTY_PATH ":0"), finddevice(r, VTY_PATH));
    CHECK_EQ(finddevice(r, "/vdevice/vty"), finddevice(r, VTY_PATH));
    rig_free(r);
}

static void test_getprop(void)
{
    Rig *r = rig_new();
    uint32_t chosen = finddevice(r, "/chosen"), buf = buf_alloc(r, 64);
    const char *args = "console=hvc0 quiet";
    size_t alen = strlen(args) + 1;
    CHECK_EQ(call1(r, "getproplen", 2, chosen, put_str(r, "bootargs")), alen);
    CHECK_EQ(call1(r, "getprop", 4, chosen, put_str(r, "bootargs"), buf, 64), alen);
    CHECK(strcmp((char *)r->mem + buf, args) == 0);
    /* A short buffer: the whole size comes back, only buflen bytes are written. */
    buf = buf_alloc(r, 16);
    CHECK_EQ(call1(r, "getprop", 4, chosen, put_str(r, "bootargs"), buf, 4), alen);
    CHECK_MEM(r->mem + buf, "cons", 4);
    CHECK_EQ(r->mem[buf + 4], 0xAA);
    CHECK_EQ(call1(r, "getprop", 4, chosen, put_str(r, "nope"), buf, 16), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "getproplen", 2, chosen, put_str(r, "nope")), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "getprop", 4, 0x7777, put_str(r, "bootargs"), buf, 16), 0xFFFFFFFF);
    /* "name" is the node name without the unit address. */
    buf = buf_alloc(r, 16);
    CHECK_EQ(call1(r, "getprop", 4, finddevice(r, VTY_PATH), put_str(r, "name"), buf, 16), 4);
    CHECK(strcmp((char *)r->mem + buf, "vty") == 0);
    /* A destination outside memory fails. */
    CHECK_EQ(call1(r, "getprop", 4, chosen, put_str(r, "bootargs"), MEM_SIZE - 2, 64),
             0xFFFFFFFF);
    rig_free(r);
}

static void test_nextprop(void)
{
    Rig *r = rig_new();
    uint32_t chosen = finddevice(r, "/chosen");
    uint32_t name = buf_alloc(r, VOF_NEXTPROP_BUF), prev = put_str(r, "");
    int off = fdt_path_offset(r->vof.fdt, "/chosen"), p, nprops = 0, seen = 0;
    fdt_for_each_property_offset(p, r->vof.fdt, off)
        nprops++;
    for (;;) {
        uint32_t flag = call1(r, "nextprop", 3, chosen, prev, name);
        if (flag != 1) {
            CHECK_EQ(flag, 0);
            CHECK_EQ(r->mem[name], 0);
            break;
        }
        int len = 0;
        CHECK(fdt_getprop(r->vof.fdt, off, (char *)r->mem + name, &len) != NULL);
        seen++;
        prev = put_str(r, (char *)r->mem + name);
        if (seen > 100)
            break;
    }
    CHECK_EQ(seen, nprops);
    CHECK(nprops >= 5); /* bootargs, linux,stdout-path, phandle, stdout, stdin, cpu */
    CHECK_EQ(call1(r, "nextprop", 3, chosen, put_str(r, "no-such-prop"), name), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "nextprop", 3, 0xFFFFFFFF, put_str(r, ""), name), 0xFFFFFFFF);
    rig_free(r);
}

static void test_setprop(void)
{
    Rig *r = rig_new();
    uint32_t rtas = finddevice(r, "/rtas"), buf = buf_alloc(r, 8);
    uint8_t val[4] = { 0x00, 0x00, 0x20, 0x00 };
    CHECK_EQ(call1(r, "setprop", 4, rtas, put_str(r, "linux,rtas-base"), put_bytes(r, val, 4),
                   4), 4);
    CHECK_EQ(call1(r, "getprop", 4, rtas, put_str(r, "linux,rtas-base"), buf, 8), 4);
    CHECK_EQ(ld_be32(r->mem + buf), 0x2000);
    /* Replace it with a longer value, and an empty one elsewhere. */
    uint8_t big[300];
    memset(big, 0x5A, sizeof(big));
    CHECK_EQ(call1(r, "setprop", 4, rtas, put_str(r, "linux,rtas-base"),
                   put_bytes(r, big, sizeof(big)), sizeof(big)), sizeof(big));
    CHECK_EQ(call1(r, "getproplen", 2, rtas, put_str(r, "linux,rtas-base")), sizeof(big));
    CHECK_EQ(call1(r, "setprop", 4, finddevice(r, "/chosen"), put_str(r, "linux,iommu-off"), 0,
                   0), 0);
    CHECK_EQ(call1(r, "getproplen", 2, finddevice(r, "/chosen"), put_str(r, "linux,iommu-off")),
             0);
    /* Nodes keep their phandles after the tree moved around. */
    CHECK_EQ(finddevice(r, "/rtas"), rtas);
    CHECK_EQ(call1(r, "setprop", 4, rtas, put_str(r, "phandle"), put_bytes(r, val, 4), 4),
             0xFFFFFFFF);
    CHECK_EQ(call1(r, "setprop", 4, rtas, put_str(r, "x"), MEM_SIZE - 2, 4), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "setprop", 4, rtas, put_str(r, "x"), 0, 0x7FFFFFFF), 0xFFFFFFFF);
    CHECK(fdt_check_full(r->vof.fdt, FDT_CAP) == 0);
    rig_free(r);
}

/* prom_next_node: child, else peer, else up until a parent has a peer. */
static void test_tree_walk(void)
{
    Rig *r = rig_new();
    uint32_t root = call1(r, "peer", 1, 0);
    int visited = 0;
    CHECK_EQ(root, finddevice(r, "/"));
    CHECK_EQ(call1(r, "parent", 1, root), 0);
    CHECK_EQ(call1(r, "peer", 1, root), 0);
    CHECK_EQ(call1(r, "parent", 1, finddevice(r, VTY_PATH)), finddevice(r, "/vdevice"));
    CHECK_EQ(call1(r, "child", 1, finddevice(r, VTY_PATH)), 0);
    CHECK_EQ(call1(r, "child", 1, 0xFFFFFFFF), 0);
    CHECK_EQ(call1(r, "peer", 1, 0x4444), 0);
    for (uint32_t node = 0;;) {
        uint32_t next = node ? call1(r, "child", 1, node) : 0;
        if (!next)
            next = call1(r, "peer", 1, node);
        while (!next) {
            node = call1(r, "parent", 1, node);
            if (!node)
                break;
            next = call1(r, "peer", 1, node);
        }
        if (!next)
            break;
        node = next;
        if (++visited > 100)
            break;
    }
    CHECK_EQ(visited, fdt_count_nodes(r->vof.fdt));
    rig_free(r);
}

static void test_paths(void)
{
    Rig *r = rig_new();
    uint32_t vty = finddevice(r, VTY_PATH), buf = buf_alloc(r, 64);
    size_t plen = strlen(VTY_PATH);
    CHECK_EQ(call1(r, "package-to-path", 3, vty, buf, 64), plen);
    CHECK(strcmp((char *)r->mem + buf, VTY_PATH) == 0);
    /* Too short: the full length, buflen bytes, no NUL. */
    buf = buf_alloc(r, 64);
    CHECK_EQ(call1(r, "package-to-path", 3, vty, buf, 8), plen);
    CHECK_MEM(r->mem + buf, VTY_PATH, 8);
    CHECK_EQ(r->mem[buf + 8], 0xAA);
    buf = buf_alloc(r, 8);
    CHECK_EQ(call1(r, "package-to-path", 3, finddevice(r, "/"), buf, 8), 1);
    CHECK(strcmp((char *)r->mem + buf, "/") == 0);
    buf = buf_alloc(r, 64);
    CHECK_EQ(call1(r, "instance-to-path", 3, chosen_cell(r, "stdout"), buf, 64), plen);
    CHECK(strcmp((char *)r->mem + buf, VTY_PATH) == 0);
    buf = buf_alloc(r, 64);
    CHECK_EQ(call1(r, "canon", 3, put_str(r, "/vdevice/vty"), buf, 64), plen);
    CHECK(strcmp((char *)r->mem + buf, VTY_PATH) == 0);
    CHECK_EQ(call1(r, "canon", 3, put_str(r, "/none"), buf, 64), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "instance-to-path", 3, 0, buf, 64), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "package-to-path", 3, 0xFFFFFFFF, buf, 64), 0xFFFFFFFF);
    rig_free(r);
}

static void test_console(void)
{
    Rig *r = rig_new();
    uint32_t out = chosen_cell(r, "stdout"), in = chosen_cell(r, "stdin");
    const char *msg = "Preparing to boot Linux\r\n";
    CHECK_EQ(call1(r, "write", 3, out, put_str(r, msg), (uint32_t)strlen(msg)), strlen(msg));
    CHECK(strcmp(r->console, msg) == 0);
    CHECK_EQ(call1(r, "read", 3, in, buf_alloc(r, 16), 16), 0);
    r->input = "hello";
    uint32_t ibuf = buf_alloc(r, 16);
    CHECK_EQ(call1(r, "read", 3, in, ibuf, 3), 3);
    CHECK_MEM(r->mem + ibuf, "hel", 3);
    CHECK_EQ(r->mem[ibuf + 3], 0xAA);
    CHECK_EQ(call1(r, "read", 3, in, ibuf, 16), 2);
    CHECK_EQ(call1(r, "read", 3, in, MEM_SIZE + 8, 16), 0); /* nothing pending */
    r->input = "x";
    CHECK_EQ(call1(r, "read", 3, in, MEM_SIZE + 8, 16), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "seek", 3, in, 0, 0), 0xFFFFFFFF);
    /* prom_init closes stdin and goes on writing to stdout. */
    CHECK_EQ(call(r, "close", 1, 0, NULL, in), 0);
    CHECK_EQ(call1(r, "read", 3, in, buf_alloc(r, 16), 16), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "write", 3, out, put_str(r, "x"), 1), 1);
    /* A long write crosses the end of memory: what was readable is written. */
    r->conlen = 0;
    memset(r->mem + MEM_SIZE - 300, 'z', 300);
    CHECK_EQ(call1(r, "write", 3, out, MEM_SIZE - 300, 100000), 256);
    CHECK_EQ(call1(r, "write", 3, out, MEM_SIZE + 16, 4), 0xFFFFFFFF);
    /* Other instances are not consoles. */
    uint32_t root = call1(r, "open", 1, put_str(r, "/"));
    CHECK(root != 0);
    CHECK_EQ(call1(r, "write", 3, root, put_str(r, "x"), 1), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "open", 1, put_str(r, "/nope")), 0);
    /* The instance table fills up and empties. */
    uint32_t ih[VOF_MAX_INSTANCES];
    unsigned n = 0;
    while (n < VOF_MAX_INSTANCES && (ih[n] = call1(r, "open", 1, put_str(r, "/rtas"))) != 0)
        n++;
    CHECK(n > 0 && n < VOF_MAX_INSTANCES);
    CHECK_EQ(call1(r, "open", 1, put_str(r, "/rtas")), 0);
    for (unsigned i = 0; i < n; i++)
        call(r, "close", 1, 0, NULL, ih[i]);
    CHECK(call1(r, "open", 1, put_str(r, "/rtas")) != 0);
    rig_free(r);
}

static void test_claim(void)
{
    Rig *r = rig_new();
    /* Exact claims. */
    CHECK_EQ(call1(r, "claim", 3, 0x200000, 0x10000, 0), 0x200000);
    CHECK_EQ(call1(r, "claim", 3, 0x208000, 0x10000, 0), 0xFFFFFFFF); /* overlaps */
    CHECK_EQ(call1(r, "claim", 3, 0x1F0000, 0x10001, 0), 0xFFFFFFFF); /* touches */
    CHECK_EQ(call1(r, "claim", 3, 0x1F0000, 0x10000, 0), 0x1F0000);   /* adjacent is fine */
    CHECK_EQ(call1(r, "claim", 3, 0x80000, 0x1000, 0), 0xFFFFFFFF);   /* pre-claimed */
    CHECK_EQ(call1(r, "claim", 3, MEM_SIZE - 0x1000, 0x2000, 0), 0xFFFFFFFF); /* past RAM */
    CHECK_EQ(call1(r, "claim", 3, MEM_SIZE - 0x1000, 0x1000, 0), MEM_SIZE - 0x1000);
    CHECK_EQ(call1(r, "claim", 3, 0x300000, 0, 0), 0xFFFFFFFF);       /* empty */
    CHECK_EQ(call1(r, "claim", 3, 0xFFFFF000, 0x2000, 0), 0xFFFFFFFF);
    /* Aligned: the lowest free aligned range. [0, 1M) is the kernel's. */
    CHECK_EQ(call1(r, "claim", 3, 0, 0x1000, 0x1000), 0x100000);
    CHECK_EQ(call1(r, "claim", 3, 0, 0x1000, 0x1000), 0x101000);
    CHECK_EQ(call1(r, "claim", 3, 0, 0x100000, 0x100000), 0x300000);
    CHECK_EQ(call1(r, "claim", 3, 0, 0x1000, 0x3000), 0xFFFFFFFF);    /* not a power of 2 */
    CHECK_EQ(call1(r, "claim", 3, 0, MEM_SIZE, 0x1000), 0xFFFFFFFF);  /* nothing that big */
    /* Release and claim again; release the middle of a claim. */
    call(r, "release", 2, 0, NULL, 0x200000, 0x10000);
    CHECK_EQ(call1(r, "claim", 3, 0x204000, 0x1000, 0), 0x204000);
    CHECK_EQ(call1(r, "claim", 3, 0x400000, 0x30000, 0), 0x400000);
    call(r, "release", 2, 0, NULL, 0x410000, 0x10000);
    CHECK_EQ(call1(r, "claim", 3, 0x408000, 0x10000, 0), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "claim", 3, 0x410000, 0x10000, 0), 0x410000);
    CHECK_EQ(call1(r, "claim", 3, 0x420000, 0x1000, 0), 0xFFFFFFFF);
    /* The machine's own ranges. */
    CHECK(!vof_claim_range(&r->vof, 0x400000, 0x1000));
    CHECK(!vof_claim_range(&r->vof, MEM_SIZE, 0x1000));
    CHECK(vof_claim_range(&r->vof, 0x600000, 0x1000));
    /* /memory available: RAM minus the claims, first range after the kernel. */
    int mem = fdt_path_offset(r->vof.fdt, "/memory@0"), len = 0;
    const fdt32_t *av = fdt_getprop(r->vof.fdt, mem, "available", &len);
    CHECK(av != NULL && len >= 16 && len % 16 == 0);
    if (av && len >= 16) {
        CHECK_EQ(fdt32_to_cpu(av[1]), 0x102000);
        CHECK_EQ(fdt32_to_cpu(av[3]), 0x1F0000 - 0x102000);
    }
    rig_free(r);
}

static void test_rtas(void)
{
    Rig *r = rig_new();
    uint32_t rets[2];
    uint32_t ih = call1(r, "open", 1, put_str(r, "/rtas"));
    uint32_t base = call1(r, "claim", 3, 0, 4096, 4096);
    CHECK(ih != 0);
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "instantiate-rtas"), ih, base), 0);
    CHECK_EQ(rets[0], 0);
    CHECK_EQ(rets[1], base);
    CHECK_MEM(r->mem + base, rtas_blob, sizeof(rtas_blob));
    /* Only on /rtas, only with memory to copy to, only known methods. */
    uint32_t root = call1(r, "open", 1, put_str(r, "/"));
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "instantiate-rtas"), root, base), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "instantiate-rtas"), ih,
                  MEM_SIZE - 4), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    unsigned logs = r->logs;
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "color!"), ih, 0), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    CHECK_EQ(r->logs, logs + 1);
    CHECK_EQ(call(r, "call-method", 2, 2, rets, put_str(r, "instantiate-rtas"), ih), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "instantiate-rtas"), 0, base), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    rig_free(r);
}

/* An architecture vector as prom_init lays it out: PVR pairs ending with one whose value
 * has bits outside its mask, the vector count minus one, vectors of (length - 1, bytes). */
static uint32_t put_arch_vec(Rig *r, uint8_t mmu)
{
    uint8_t v[256], *p = v;
    static const uint32_t pvrs[][2] = {
        { 0xffff0000, 0x004d0000 }, { 0xffff0000, 0x004e0000 }, { 0xfffffffe, 0x0f000001 },
    };
    for (unsigned i = 0; i < 3; i++) {
        st_be32(p, pvrs[i][0]);
        st_be32(p + 4, pvrs[i][1]);
        p += 8;
    }
    *p++ = 6 - 1;
    static const uint8_t lens[6] = { 3, 34, 2, 2, 26, 3 };
    for (unsigned n = 0; n < 6; n++) {
        *p++ = lens[n] - 1;
        memset(p, 0, lens[n]);
        if (n == 4) {
            p[VOF_OV5_MMU - 1] = mmu;     /* byte 24 */
            p[1] = 0x80;                  /* byte 2: LPAR */
        }
        p += lens[n];
    }
    return put_bytes(r, v, (size_t)(p - v));
}

static void test_cas(void)
{
    Rig *r = rig_new();
    uint32_t rets[2], root = call1(r, "open", 1, put_str(r, "/"));
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "ibm,client-architecture-support"),
                  root, put_arch_vec(r, VOF_OV5_MMU_RADIX)), 0);
    CHECK_EQ(rets[0], 0);
    CHECK_EQ(rets[1], 0);
    CHECK_EQ(r->cas_calls, 1);
    CHECK_EQ(r->cas_mmu_asked, VOF_OV5_MMU_RADIX);
    CHECK_EQ(r->vof.cas.npvrs, 3);
    CHECK_EQ(r->vof.cas.pvr_value[1], 0x004e0000);
    CHECK_EQ(r->vof.cas.nvectors, 6);
    CHECK_EQ(r->vof.cas.vec_len[2], 34);
    CHECK_EQ(vof_cas_byte(&r->vof.cas, 5, 2), 0x80);
    CHECK_EQ(vof_cas_byte(&r->vof.cas, 5, 27), 0);
    CHECK_EQ(vof_cas_byte(&r->vof.cas, 9, 1), 0);
    /* The answer in /chosen: hash only, XICS, long enough for Linux to read byte 24. */
    uint32_t buf = buf_alloc(r, 64);
    CHECK_EQ(call1(r, "getprop", 4, finddevice(r, "/chosen"),
                   put_str(r, "ibm,architecture-vec-5"), buf, 64), VOF_OV5_PROP_LEN);
    CHECK_EQ(r->mem[buf], VOF_OV5_PROP_LEN - 2);
    CHECK_EQ(r->mem[buf + VOF_OV5_MMU] & VOF_OV5_MMU_MASK, VOF_OV5_MMU_HASH);
    CHECK_EQ(r->mem[buf + VOF_OV5_INTC] & VOF_OV5_INTC_MASK, VOF_OV5_XICS);
    /* The machine may refuse; the method then reports failure in its result. */
    r->cas_answer = -1;
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "ibm,client-architecture-support"),
                  root, put_arch_vec(r, VOF_OV5_MMU_HASH)), 0);
    CHECK_EQ(rets[0], 0);
    CHECK(rets[1] != 0);
    /* Only on the root; a vector running off the end of memory fails. */
    r->cas_answer = 0;
    uint32_t ih = call1(r, "open", 1, put_str(r, "/rtas"));
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "ibm,client-architecture-support"),
                  ih, put_arch_vec(r, 0)), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    memset(r->mem + MEM_SIZE - 64, 0, 64); /* PVR pairs that never end */
    CHECK_EQ(call(r, "call-method", 3, 2, rets, put_str(r, "ibm,client-architecture-support"),
                  root, MEM_SIZE - 64), 0);
    CHECK(rets[1] != 0);
    rig_free(r);
}

static void test_misc(void)
{
    Rig *r = rig_new();
    uint32_t rets[2];
    r->ms = 0x123456789ULL;
    CHECK_EQ(call1(r, "milliseconds", 0), 0x23456789);
    CHECK_EQ(call1(r, "test", 1, put_str(r, "getprop")), 0);
    CHECK_EQ(call1(r, "test", 1, put_str(r, "call-method")), 0);
    CHECK_EQ(call1(r, "test", 1, put_str(r, "start-cpu")), 0xFFFFFFFF);
    CHECK_EQ(call(r, "interpret", 1, 2, rets, put_str(r, "dev /memory")), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    CHECK_EQ(call(r, "quiesce", 0, 0, NULL), 0);
    CHECK_EQ(r->quiesces, 1);
    CHECK(r->vof.quiesced);
    CHECK_EQ(call1(r, "write", 3, chosen_cell(r, "stdout"), put_str(r, "after"), 5), 5);
    CHECK_EQ(call(r, "exit", 0, 0, NULL), 0);
    CHECK_EQ(r->exits, 1);
    rig_free(r);
}

/* Argument arrays that are wrong in themselves: -1 and nothing written outside memory. */
static void test_bad_blocks(void)
{
    Rig *r = rig_new();
    uint8_t *a = r->mem + ARGS_AT;
    unsigned logs = r->logs;

    CHECK_EQ(call(r, "frobnicate", 0, 1, NULL), -1);
    CHECK_EQ(r->logs, logs + 1);
    CHECK_EQ(call(r, "getprop", 2, 1, NULL, 1, 2), -1); /* too few arguments */

    st_be32(a, put_str(r, "milliseconds"));
    st_be32(a + 4, 0x10000000);
    st_be32(a + 8, 1);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);
    st_be32(a + 4, 0);
    st_be32(a + 8, 0xFFFFFFFF);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);
    st_be32(a + 8, VOF_MAX_CELLS + 1);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);

    /* The array outside memory, straddling its end, or its results past the end. */
    CHECK_EQ(vof_client_call(&r->vof, MEM_SIZE), -1);
    CHECK_EQ(vof_client_call(&r->vof, MEM_SIZE - 8), -1);
    CHECK_EQ(vof_client_call(&r->vof, 0xFFFFFFFFFFFFFFF0ULL), -1);
    uint8_t *e = r->mem + MEM_SIZE - 16;
    st_be32(e, put_str(r, "milliseconds"));
    st_be32(e + 4, 0);
    st_be32(e + 8, 2); /* rets[1] lies past the end */
    CHECK_EQ(vof_client_call(&r->vof, MEM_SIZE - 16), -1);
    st_be32(e + 8, 1);
    CHECK_EQ(vof_client_call(&r->vof, MEM_SIZE - 16), 0);

    /* Names that never end: in the middle of memory and at its very end. */
    uint32_t long_name = buf_alloc(r, 300);
    memset(r->mem + long_name, 'a', 300);
    st_be32(a, long_name);
    st_be32(a + 4, 0);
    st_be32(a + 8, 1);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);
    memset(r->mem + MEM_SIZE - 8, 'b', 8);
    st_be32(a, MEM_SIZE - 8);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);
    st_be32(a, 0xFFFFFFF0);
    CHECK_EQ(vof_client_call(&r->vof, ARGS_AT), -1);

    /* Bad string arguments give the service's failure value. */
    CHECK_EQ(call1(r, "finddevice", 1, long_name), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "finddevice", 1, MEM_SIZE - 8), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "getprop", 4, finddevice(r, "/"), long_name, 0x3000, 4), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "getprop", 4, finddevice(r, "/"), 0xFFFFFFFF, 0x3000, 4), 0xFFFFFFFF);
    CHECK_EQ(call1(r, "open", 1, long_name), 0);
    CHECK_EQ(call1(r, "nextprop", 3, finddevice(r, "/"), put_str(r, ""), MEM_SIZE - 2),
             0xFFFFFFFF);
    CHECK_EQ(call1(r, "package-to-path", 3, finddevice(r, "/chosen"), 0xFFFFFFF0, 64),
             0xFFFFFFFF);
    uint32_t rets[2];
    CHECK_EQ(call(r, "call-method", 3, 2, rets, long_name, chosen_cell(r, "stdout"), 0), 0);
    CHECK_EQ(rets[0], 0xFFFFFFFF);
    CHECK(fdt_check_full(r->vof.fdt, FDT_CAP) == 0);
    rig_free(r);
}

/* Random argument arrays for every service: each call returns 0 or -1, and the tree
 * stays valid. Arguments mix real handles, addresses in and out of memory, and noise. */
static void test_random_calls(void)
{
    static const char *const names[] = {
        "finddevice", "getprop", "getproplen", "nextprop", "setprop", "peer", "child",
        "parent", "instance-to-package", "package-to-path", "instance-to-path", "canon",
        "open", "close", "read", "write", "seek", "claim", "release", "call-method",
        "milliseconds", "quiesce", "exit", "interpret", "test", "instantiate-rtas",
    };
    Rig *r = rig_new();
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    uint32_t pool[16];
    unsigned bad = 0;
    pool[0] = finddevice(r, "/");
    pool[1] = finddevice(r, VTY_PATH);
    pool[2] = chosen_cell(r, "stdout");
    pool[3] = call1(r, "open", 1, put_str(r, "/rtas"));
    pool[4] = put_str(r, "/rtas");
    pool[5] = put_str(r, "instantiate-rtas");
    pool[6] = put_str(r, "ibm,client-architecture-support");
    pool[7] = put_str(r, "bootargs");
    pool[8] = MEM_SIZE - 3;
    pool[9] = 0xFFFFFFFF;
    pool[10] = 0;
    pool[11] = 0x40000;
    pool[12] = put_str(r, "");
    pool[13] = 0x7FFFFFFF;
    pool[14] = 0x10;
    pool[15] = call1(r, "open", 1, put_str(r, "/"));
    for (unsigned it = 0; it < 20000; it++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint8_t *a = r->mem + ARGS_AT;
        unsigned nargs = (unsigned)(x >> 8) % 8, nret = (unsigned)(x >> 16) % 4;
        st_be32(a, put_str(r, names[(x >> 24) % ARRAY_SIZE(names)]));
        st_be32(a + 4, nargs);
        st_be32(a + 8, nret);
        for (unsigned i = 0; i < nargs; i++) {
            uint64_t y = x * (i + 3) >> 20;
            st_be32(a + 12 + 4 * i, (y & 3) ? pool[y % ARRAY_SIZE(pool)] : (uint32_t)(y >> 8));
        }
        int64_t rc = vof_client_call(&r->vof, ARGS_AT);
        if (rc != 0 && rc != -1)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(fdt_check_full(r->vof.fdt, FDT_CAP), 0);
    CHECK(r->vof.nclaims <= VOF_MAX_CLAIMS);
    rig_free(r);
}

static void test_init_errors(void)
{
    Vof v;
    char err[160];
    uint8_t *fdt = calloc(1, FDT_CAP);
    VofConfig cfg = { .ram_size = MEM_SIZE };
    static Rig r; /* large: not on the stack */
    CHECK(!vof_init(&v, fdt, FDT_CAP, &rig_ops, &r, &cfg, err, sizeof(err))); /* no blob */
    build_tree(fdt);
    CHECK(!vof_init(&v, fdt, 64, &rig_ops, &r, &cfg, err, sizeof(err)));   /* too small */
    cfg.stdout_path = "/nowhere";
    CHECK(!vof_init(&v, fdt, FDT_CAP, &rig_ops, &r, &cfg, err, sizeof(err)));
    CHECK(strstr(err, "console") != NULL);
    cfg.stdout_path = VTY_PATH;
    cfg.rtas_size = VOF_MAX_RTAS_BLOB + 1;
    cfg.rtas_blob = calloc(1, cfg.rtas_size);
    CHECK(!vof_init(&v, fdt, FDT_CAP, &rig_ops, &r, &cfg, err, sizeof(err)));
    CHECK(strstr(err, "RTAS") != NULL);
    free((void *)cfg.rtas_blob);

    /* The RTAS code and the paths are the caller's: VOF keeps its own copy. */
    uint8_t blob[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    char path[32];
    strcpy(path, VTY_PATH);
    cfg.stdout_path = path;
    cfg.rtas_blob = blob;
    cfg.rtas_size = sizeof(blob);
    r.mem = calloc(1, MEM_SIZE);
    r.heap = HEAP_AT;
    CHECK(vof_init(&v, fdt, FDT_CAP, &rig_ops, &r, &cfg, err, sizeof(err)));
    memset(blob, 0, sizeof(blob));
    memset(path, 0, sizeof(path));
    r.vof = v;
    r.vof.fdt = fdt;
    uint32_t rets[2], ih = call1(&r, "open", 1, put_str(&r, "/rtas"));
    CHECK_EQ(call(&r, "call-method", 3, 2, rets, put_str(&r, "instantiate-rtas"), ih, 0x4000),
             0);
    CHECK_EQ(rets[1], 0x4000);
    CHECK_MEM(r.mem + 0x4000, ((const uint8_t[]){ 1, 2, 3, 4, 5, 6, 7, 8 }), 8);
    free(r.mem);
    free(fdt);
}

int main(void)
{
    test_stub();
    test_init_and_chosen();
    test_finddevice();
    test_getprop();
    test_nextprop();
    test_setprop();
    test_tree_walk();
    test_paths();
    test_console();
    test_claim();
    test_rtas();
    test_cas();
    test_misc();
    test_bad_blocks();
    test_random_calls();
    test_init_errors();
    return unit_summary("test_vof");
}
