/* firmware/vof.c: the Open Firmware client interface in software (IEEE 1275-1994, chapter 6
 * "Client interface", with the 32-bit big-endian cells of its PowerPC binding), serving
 * Linux's prom_init as QEMU's VOF does: device tree services on the live FDT, instances,
 * a claim list over guest RAM, the console, the "instantiate-rtas" method of /rtas and
 * LoPAR's "ibm,client-architecture-support" method of the root node (appendix B, "Client
 * Architecture Support"), answered with hash MMU and XICS. Every cell, string and buffer
 * comes from the guest: lengths are bounded, each guest access is checked by the machine's
 * ops, and a bad argument gives the service's failure value, never a host fault. */
#include "firmware/vof.h"
#include "cpu/common/state.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

const uint32_t vof_entry_stub[VOF_ENTRY_STUB_WORDS] = {
    0x7C641B78, /* mr r4,r3: the argument array */
    0x3C600000, /* lis r3,0 */
    0x6063F005, /* ori r3,r3,0xf005: H_VOF_CLIENT */
    0x44000022, /* sc 1 */
    0x4E800020, /* blr */
};

#define VOF_ERR 0xFFFFFFFFu         /* -1 as a cell: the usual failure result */
#define VOF_IHANDLE_BASE 0x10000000u /* ihandles are base + slot, apart from phandles */
#define VOF_CHUNK 256               /* console and copy granule */

/* One call: the cells of the argument array in host order. */
typedef struct VofCall {
    uint32_t nargs, nret;
    uint32_t args[VOF_MAX_CELLS];
    uint32_t rets[VOF_MAX_CELLS];
} VofCall;

typedef struct VofService {
    const char *name;
    uint32_t nargs; /* arguments the service reads */
    void (*fn)(Vof *v, VofCall *c);
} VofService;

typedef struct VofMethod {
    const char *name;
    const char *package; /* the node the instance must be open on */
    uint32_t nargs;      /* stack arguments it reads */
    bool (*fn)(Vof *v, const uint32_t *args, uint32_t *result); /* false: it throws */
} VofMethod;

static void vof_log(Vof *v, const char *fmt, const char *what)
{
    char line[160];
    if (!v->ops->log)
        return;
    snprintf(line, sizeof(line), fmt, what);
    v->ops->log(v->opaque, line);
}

/* ---- guest memory ---- */

static bool gread(Vof *v, uint64_t addr, void *buf, size_t len)
{
    return len == 0 || v->ops->read(v->opaque, addr, buf, len);
}

static bool gwrite(Vof *v, uint64_t addr, const void *buf, size_t len)
{
    return len == 0 || v->ops->write(v->opaque, addr, buf, len);
}

/* A NUL-terminated string of at most max bytes (with the NUL) at addr. False if it is not
 * readable or not terminated within max. */
static bool gread_str(Vof *v, uint64_t addr, char *buf, size_t max)
{
    size_t i = 0;
    while (i < max) {
        size_t n = MIN((size_t)16, max - i);
        if (!gread(v, addr + i, buf + i, n)) {
            n = 1; /* the chunk may run past the end of memory after the NUL */
            if (!gread(v, addr + i, buf + i, 1))
                return false;
        }
        if (memchr(buf + i, 0, n))
            return true;
        i += n;
    }
    return false;
}

static uint32_t be32_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- nodes, instances ---- */

static int node_of(const Vof *v, uint32_t ph)
{
    if (ph == 0 || ph == VOF_ERR)
        return -1;
    int off = fdt_node_offset_by_phandle(v->fdt, ph);
    return off >= 0 ? off : -1;
}

static uint32_t phandle_of(const Vof *v, int off)
{
    return off >= 0 ? fdt_get_phandle(v->fdt, off) : 0;
}

/* The node a device specifier names: an absolute path or an alias; the arguments after
 * ':' in the last component are dropped. */
static int resolve_path(const Vof *v, const char *spec)
{
    size_t len = strlen(spec);
    const char *last = strrchr(spec, '/');
    const char *colon = strchr(last ? last : spec, ':');
    if (colon)
        len = (size_t)(colon - spec);
    if (len == 0)
        return -1;
    int off = fdt_path_offset_namelen(v->fdt, spec, (int)len);
    return off >= 0 ? off : -1;
}

static VofInstance *inst_of(Vof *v, uint32_t ih)
{
    if (ih < VOF_IHANDLE_BASE || ih - VOF_IHANDLE_BASE >= VOF_MAX_INSTANCES)
        return NULL;
    VofInstance *in = &v->inst[ih - VOF_IHANDLE_BASE];
    return in->used ? in : NULL;
}

/* Opens an instance of the node at off; 0 if the table is full. */
static uint32_t inst_open(Vof *v, int off)
{
    uint32_t ph = phandle_of(v, off);
    if (ph == 0)
        return 0;
    for (unsigned i = 0; i < VOF_MAX_INSTANCES; i++) {
        if (!v->inst[i].used) {
            v->inst[i] = (VofInstance){ .used = true, .phandle = ph };
            return VOF_IHANDLE_BASE + i;
        }
    }
    return 0;
}

/* A property by name; "name" is made from the node name (up to '@') when the node has no
 * such property, as Open Firmware nodes always have one. */
static const void *get_prop(const Vof *v, int off, const char *name, int *len, char *namebuf,
                            size_t namebuf_len)
{
    const void *val = fdt_getprop(v->fdt, off, name, len);
    if (val || strcmp(name, "name") != 0)
        return val;
    int nlen = 0;
    const char *n = fdt_get_name(v->fdt, off, &nlen);
    if (!n)
        return NULL;
    const char *at = memchr(n, '@', (size_t)nlen);
    size_t l = MIN(at ? (size_t)(at - n) : (size_t)nlen, namebuf_len - 1);
    memcpy(namebuf, n, l);
    namebuf[l] = 0;
    *len = (int)l + 1;
    return namebuf;
}

/* Copies the path of the node at off to the guest buffer (at most buflen bytes, with the
 * NUL if it fits) and returns the path length without the NUL, or VOF_ERR. */
static uint32_t put_path(Vof *v, int off, uint32_t buf, uint32_t buflen)
{
    char path[VOF_MAX_PATH * 4];
    if (off < 0 || fdt_get_path(v->fdt, off, path, sizeof(path)) < 0)
        return VOF_ERR;
    size_t len = strlen(path);
    size_t n = MIN(len + 1, (size_t)buflen);
    if (!gwrite(v, buf, path, n))
        return VOF_ERR;
    return (uint32_t)len;
}

/* ---- claim list ---- */

static bool range_free(const Vof *v, uint64_t base, uint64_t size)
{
    if (size == 0 || base >= v->claim_top || size > v->claim_top - base)
        return false;
    for (unsigned i = 0; i < v->nclaims; i++) {
        const VofClaim *c = &v->claims[i];
        if (base < c->base + c->size && c->base < base + size)
            return false;
    }
    return true;
}

static bool claims_insert(Vof *v, uint64_t base, uint64_t size)
{
    if (v->nclaims >= VOF_MAX_CLAIMS)
        return false;
    unsigned i = 0;
    while (i < v->nclaims && v->claims[i].base < base)
        i++;
    memmove(&v->claims[i + 1], &v->claims[i], (v->nclaims - i) * sizeof(VofClaim));
    v->claims[i] = (VofClaim){ base, size };
    v->nclaims++;
    return true;
}

/* /memory "available": the first memory node's range minus the claims, in the root's
 * #address-cells/#size-cells, for clients that read it (GRUB does; prom_init does not). A
 * tree without room keeps the old value. */
static void update_available(Vof *v)
{
    int mem = fdt_node_offset_by_prop_value(v->fdt, -1, "device_type", "memory",
                                            sizeof("memory"));
    int ac = fdt_address_cells(v->fdt, 0), sc = fdt_size_cells(v->fdt, 0);
    int len = 0;
    if (mem < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
        return;
    const fdt32_t *reg = fdt_getprop(v->fdt, mem, "reg", &len);
    if (!reg || len < (ac + sc) * 4)
        return;
    uint64_t base = fdt32_to_cpu(reg[0]), size = fdt32_to_cpu(reg[ac]);
    if (ac == 2)
        base = base << 32 | fdt32_to_cpu(reg[1]);
    if (sc == 2)
        size = size << 32 | fdt32_to_cpu(reg[ac + 1]);

    fdt32_t cells[(VOF_MAX_CLAIMS + 1) * 4];
    unsigned n = 0;
    uint64_t cur = base, end = base + size;
    for (unsigned i = 0; i <= v->nclaims && cur < end; i++) {
        uint64_t hole_end = i < v->nclaims ? MIN(v->claims[i].base, end) : end;
        if (hole_end > cur) {
            if (ac == 2)
                cells[n++] = cpu_to_fdt32((uint32_t)(cur >> 32));
            cells[n++] = cpu_to_fdt32((uint32_t)cur);
            if (sc == 2)
                cells[n++] = cpu_to_fdt32((uint32_t)((hole_end - cur) >> 32));
            cells[n++] = cpu_to_fdt32((uint32_t)(hole_end - cur));
        }
        if (i < v->nclaims)
            cur = MAX(cur, v->claims[i].base + v->claims[i].size);
    }
    fdt_setprop(v->fdt, mem, "available", cells, n * sizeof(fdt32_t));
}

bool vof_claim_range(Vof *v, uint64_t base, uint64_t size)
{
    if (!range_free(v, base, size) || !claims_insert(v, base, size))
        return false;
    update_available(v);
    return true;
}

/* claim ( virt size align -- base ), IEEE 1275 client interface services, "Memory":
 * 1. align 0: exactly [virt, virt+size), which must be free claimable memory.
 * 2. align a power of two: the lowest aligned base whose range is free. Walk the claims in
 *    address order with a candidate starting at 0: the candidate fits if it ends at or
 *    before the next claim; otherwise it moves to the first aligned address past it.
 * 3. Record the claim. */
static uint32_t claim(Vof *v, uint64_t virt, uint64_t size, uint64_t align)
{
    uint64_t base = virt;
    if (size == 0)
        return VOF_ERR;
    if (align != 0) {
        if (align & (align - 1))
            return VOF_ERR;
        base = 0;
        for (unsigned i = 0; i < v->nclaims; i++) {
            const VofClaim *c = &v->claims[i];
            if (base + size <= c->base)
                break;
            uint64_t end = c->base + c->size;
            if (end > base)
                base = (end + align - 1) & ~(align - 1);
        }
    }
    if (!vof_claim_range(v, base, size))
        return VOF_ERR;
    return (uint32_t)base;
}

/* release ( virt size -- ): frees [virt, virt+size) from whatever claims cover it, cutting
 * a claim in two when the range is inside it. */
static void release(Vof *v, uint64_t virt, uint64_t size)
{
    uint64_t end = virt + size;
    for (unsigned i = 0; i < v->nclaims && size != 0;) {
        VofClaim *c = &v->claims[i];
        uint64_t cend = c->base + c->size;
        if (cend <= virt || c->base >= end) {
            i++;
            continue;
        }
        if (c->base < virt && cend > end) {
            c->size = virt - c->base;
            claims_insert(v, end, cend - end);
            break;
        }
        if (c->base < virt) {
            c->size = virt - c->base;
            i++;
        } else if (cend > end) {
            c->size = cend - end;
            c->base = end;
            i++;
        } else {
            memmove(c, c + 1, (v->nclaims - i - 1) * sizeof(VofClaim));
            v->nclaims--;
        }
    }
    update_available(v);
}

/* ---- ibm,client-architecture-support ---- */

void vof_ov5_default(uint8_t *out)
{
    memset(out, 0, VOF_OV5_PROP_LEN);
    out[0] = VOF_OV5_PROP_LEN - 2; /* length byte: data bytes minus one */
    out[VOF_OV5_INTC] = VOF_OV5_XICS;
    out[VOF_OV5_MMU] = VOF_OV5_MMU_HASH;
}

uint8_t vof_cas_byte(const VofCasRequest *r, unsigned vector, unsigned byte)
{
    if (vector < 1 || vector > r->nvectors || vector > VOF_CAS_MAX_VECTORS || byte < 1 ||
        byte > r->vec_len[vector])
        return 0;
    return r->vec[vector][byte];
}

/* The argument of ibm,client-architecture-support is the guest's architecture vector:
 * 1. The PVR list: (mask, value) pairs, up to and including the one whose value has bits
 *    outside its mask, which ends the list.
 * 2. The number of option vectors minus one, then each vector: a length byte (its bytes
 *    minus one) and its bytes.
 * 3. The answer is option vector 5 with hash MMU and XICS (whatever the guest preferred:
 *    hvemu's POWER8/POWER9 translate with the hashed page table only); the machine's
 *    callback sees the request and may change the answer.
 * 4. The answer goes to /chosen "ibm,architecture-vec-5", where the kernel reads it again
 *    after prom_init. Result 0: accepted. */
static bool method_cas(Vof *v, const uint32_t *args, uint32_t *result)
{
    VofCasRequest *r = &v->cas;
    uint64_t a = args[0];
    memset(r, 0, sizeof(*r));
    *result = VOF_ERR;

    for (unsigned i = 0;; i++) {
        uint8_t pair[8];
        if (i >= VOF_CAS_MAX_PVRS || !gread(v, a, pair, 8))
            return true;
        uint32_t mask = be32_at(pair), value = be32_at(pair + 4);
        r->pvr_mask[i] = mask;
        r->pvr_value[i] = value;
        r->npvrs = i + 1;
        a += 8;
        if (value & ~mask)
            break;
    }

    uint8_t nvec = 0;
    if (!gread(v, a++, &nvec, 1))
        return true;
    r->nvectors = MIN((unsigned)nvec + 1, (unsigned)VOF_CAS_MAX_VECTORS);
    for (unsigned n = 1; n <= r->nvectors; n++) {
        uint8_t lenb = 0;
        if (!gread(v, a, &lenb, 1) || !gread(v, a + 1, &r->vec[n][1], (size_t)lenb + 1))
            return true;
        r->vec[n][0] = lenb;
        r->vec_len[n] = (uint16_t)(lenb + 1);
        a += (uint64_t)lenb + 2;
    }

    uint8_t vec5[VOF_OV5_PROP_LEN];
    vof_ov5_default(vec5);
    v->ncas++;
    if (v->ops->cas && v->ops->cas(v->opaque, r, vec5, sizeof(vec5)) != 0)
        return true;
    vec5[0] = VOF_OV5_PROP_LEN - 2;
    int chosen = fdt_path_offset(v->fdt, "/chosen");
    if (chosen < 0 || fdt_setprop(v->fdt, chosen, "ibm,architecture-vec-5", vec5,
                                  sizeof(vec5)) < 0)
        return true;
    *result = 0;
    return true;
}

/* instantiate-rtas ( rtas-base -- rtas-entry ): copies the machine's RTAS code to the base
 * the guest allocated; the entry is the base. */
static bool method_instantiate_rtas(Vof *v, const uint32_t *args, uint32_t *result)
{
    if (v->rtas_size == 0 || args[0] == 0 || !gwrite(v, args[0], v->rtas_blob, v->rtas_size))
        return false;
    *result = args[0];
    return true;
}

static const VofMethod vof_methods[] = {
    { "ibm,client-architecture-support", "/", 1, method_cas },
    { "instantiate-rtas", "/rtas", 1, method_instantiate_rtas },
};

/* ---- services ---- */

/* finddevice ( device-specifier -- phandle ) */
static void svc_finddevice(Vof *v, VofCall *c)
{
    char path[VOF_MAX_PATH];
    c->rets[0] = VOF_ERR;
    if (gread_str(v, c->args[0], path, sizeof(path))) {
        uint32_t ph = phandle_of(v, resolve_path(v, path));
        if (ph)
            c->rets[0] = ph;
    }
}

/* getprop ( phandle name buf buflen -- size ): the property's whole size; buflen bytes at
 * most are copied. */
static void svc_getprop(Vof *v, VofCall *c)
{
    char name[VOF_MAX_NAME], nbuf[VOF_MAX_NAME];
    int off = node_of(v, c->args[0]), len = 0;
    c->rets[0] = VOF_ERR;
    if (off < 0 || !gread_str(v, c->args[1], name, sizeof(name)))
        return;
    const void *val = get_prop(v, off, name, &len, nbuf, sizeof(nbuf));
    if (!val)
        return;
    if (gwrite(v, c->args[2], val, MIN((size_t)len, (size_t)c->args[3])))
        c->rets[0] = (uint32_t)len;
}

/* getproplen ( phandle name -- proplen ) */
static void svc_getproplen(Vof *v, VofCall *c)
{
    char name[VOF_MAX_NAME], nbuf[VOF_MAX_NAME];
    int off = node_of(v, c->args[0]), len = 0;
    c->rets[0] = VOF_ERR;
    if (off >= 0 && gread_str(v, c->args[1], name, sizeof(name)) &&
        get_prop(v, off, name, &len, nbuf, sizeof(nbuf)))
        c->rets[0] = (uint32_t)len;
}

/* nextprop ( phandle previous buf -- flag ): the property after previous ("" for the
 * first): 1 and its name in buf, 0 after the last (buf gets ""), -1 for a bad node or an
 * unknown previous. Names that would not fit the 32-byte buffer are passed over. */
static void svc_nextprop(Vof *v, VofCall *c)
{
    char prev[VOF_MAX_NAME];
    int off = node_of(v, c->args[0]), p;
    c->rets[0] = VOF_ERR;
    if (off < 0 || !gread_str(v, c->args[1], prev, sizeof(prev)))
        return;
    p = fdt_first_property_offset(v->fdt, off);
    if (prev[0]) {
        for (; p >= 0; p = fdt_next_property_offset(v->fdt, p)) {
            const char *n = NULL;
            if (fdt_getprop_by_offset(v->fdt, p, &n, NULL) && n && strcmp(n, prev) == 0)
                break;
        }
        if (p < 0)
            return;
        p = fdt_next_property_offset(v->fdt, p);
    }
    for (; p >= 0; p = fdt_next_property_offset(v->fdt, p)) {
        const char *n = NULL;
        if (fdt_getprop_by_offset(v->fdt, p, &n, NULL) && n && strlen(n) < VOF_NEXTPROP_BUF) {
            if (gwrite(v, c->args[2], n, strlen(n) + 1))
                c->rets[0] = 1;
            return;
        }
    }
    if (gwrite(v, c->args[2], "", 1))
        c->rets[0] = 0;
}

/* setprop ( phandle name buf len -- size ): creates or replaces the property in the live
 * tree. phandles are VOF's own and cannot be changed. */
static void svc_setprop(Vof *v, VofCall *c)
{
    char name[VOF_MAX_NAME];
    int off = node_of(v, c->args[0]);
    uint32_t len = c->args[3];
    c->rets[0] = VOF_ERR;
    if (off < 0 || !gread_str(v, c->args[1], name, sizeof(name)) || name[0] == 0 ||
        strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0 ||
        len > v->fdt_cap)
        return;
    uint8_t *val = malloc(len ? len : 1);
    if (!val)
        return;
    if (gread(v, c->args[2], val, len) && fdt_setprop(v->fdt, off, name, val, (int)len) == 0)
        c->rets[0] = len;
    free(val);
}

/* peer ( phandle -- sibling ): 0 gives the root; 0 after the last sibling. */
static void svc_peer(Vof *v, VofCall *c)
{
    int off;
    if (c->args[0] == 0) {
        c->rets[0] = phandle_of(v, 0);
        return;
    }
    off = node_of(v, c->args[0]);
    c->rets[0] = off > 0 ? phandle_of(v, fdt_next_subnode(v->fdt, off)) : 0;
}

/* child ( phandle -- child ): 0 for a leaf. */
static void svc_child(Vof *v, VofCall *c)
{
    int off = node_of(v, c->args[0]);
    c->rets[0] = off >= 0 ? phandle_of(v, fdt_first_subnode(v->fdt, off)) : 0;
}

/* parent ( phandle -- parent ): 0 for the root. */
static void svc_parent(Vof *v, VofCall *c)
{
    int off = node_of(v, c->args[0]);
    c->rets[0] = off > 0 ? phandle_of(v, fdt_parent_offset(v->fdt, off)) : 0;
}

/* instance-to-package ( ihandle -- phandle ) */
static void svc_instance_to_package(Vof *v, VofCall *c)
{
    VofInstance *in = inst_of(v, c->args[0]);
    c->rets[0] = in ? in->phandle : VOF_ERR;
}

/* package-to-path ( phandle buf buflen -- length ) */
static void svc_package_to_path(Vof *v, VofCall *c)
{
    c->rets[0] = put_path(v, node_of(v, c->args[0]), c->args[1], c->args[2]);
}

/* instance-to-path ( ihandle buf buflen -- length ) */
static void svc_instance_to_path(Vof *v, VofCall *c)
{
    VofInstance *in = inst_of(v, c->args[0]);
    c->rets[0] = in ? put_path(v, node_of(v, in->phandle), c->args[1], c->args[2]) : VOF_ERR;
}

/* canon ( device-specifier buf buflen -- length ) */
static void svc_canon(Vof *v, VofCall *c)
{
    char path[VOF_MAX_PATH];
    c->rets[0] = VOF_ERR;
    if (gread_str(v, c->args[0], path, sizeof(path)))
        c->rets[0] = put_path(v, resolve_path(v, path), c->args[1], c->args[2]);
}

/* open ( device-specifier -- ihandle ): 0 on failure. */
static void svc_open(Vof *v, VofCall *c)
{
    char path[VOF_MAX_PATH];
    int off;
    c->rets[0] = 0;
    if (gread_str(v, c->args[0], path, sizeof(path)) && (off = resolve_path(v, path)) >= 0)
        c->rets[0] = inst_open(v, off);
}

/* close ( ihandle -- ) */
static void svc_close(Vof *v, VofCall *c)
{
    VofInstance *in = inst_of(v, c->args[0]);
    if (in)
        in->used = false;
}

/* read ( ihandle addr len -- actual ): console input, what is pending. */
static void svc_read(Vof *v, VofCall *c)
{
    VofInstance *in = inst_of(v, c->args[0]);
    uint8_t buf[VOF_CHUNK];
    c->rets[0] = VOF_ERR;
    if (!in || in->phandle != v->console_ph)
        return;
    size_t want = MIN((size_t)c->args[2], sizeof(buf)), n = 0;
    if (v->ops->read_console) {
        n = v->ops->read_console(v->opaque, buf, want);
        n = MIN(n, want);
    }
    if (gwrite(v, c->args[1], buf, n))
        c->rets[0] = (uint32_t)n;
}

/* write ( ihandle addr len -- actual ): console output. */
static void svc_write(Vof *v, VofCall *c)
{
    VofInstance *in = inst_of(v, c->args[0]);
    uint8_t buf[VOF_CHUNK];
    uint32_t done = 0, len = c->args[2];
    c->rets[0] = VOF_ERR;
    if (!in || in->phandle != v->console_ph)
        return;
    while (done < len) {
        size_t n = MIN((size_t)(len - done), sizeof(buf));
        if (!gread(v, (uint64_t)c->args[1] + done, buf, n))
            break;
        v->ops->write_console(v->opaque, buf, n);
        done += (uint32_t)n;
    }
    c->rets[0] = done || len == 0 ? done : VOF_ERR;
}

/* seek ( ihandle pos.hi pos.lo -- status ): no instance here can seek. */
static void svc_seek(Vof *v, VofCall *c)
{
    c->rets[0] = VOF_ERR;
}

/* claim ( virt size align -- base ) */
static void svc_claim(Vof *v, VofCall *c)
{
    c->rets[0] = claim(v, c->args[0], c->args[1], c->args[2]);
}

/* release ( virt size -- ) */
static void svc_release(Vof *v, VofCall *c)
{
    release(v, c->args[0], c->args[1]);
}

/* call-method ( method ihandle stack-args... -- catch-result stack-results... ): a method
 * of the instance's package; an unknown one throws (catch-result -1). */
static void svc_call_method(Vof *v, VofCall *c)
{
    char name[VOF_MAX_NAME];
    VofInstance *in = inst_of(v, c->args[1]);
    c->rets[0] = VOF_ERR;
    if (!gread_str(v, c->args[0], name, sizeof(name)) || !in)
        return;
    for (unsigned i = 0; i < ARRAY_SIZE(vof_methods); i++) {
        const VofMethod *m = &vof_methods[i];
        if (strcmp(m->name, name) != 0)
            continue;
        int pkg = fdt_path_offset(v->fdt, m->package);
        if (pkg < 0 || phandle_of(v, pkg) != in->phandle || c->nargs - 2 < m->nargs)
            return; /* not this package's method, or too few arguments: it throws */
        uint32_t result = 0;
        if (m->fn(v, &c->args[2], &result)) {
            c->rets[0] = 0;
            c->rets[1] = result;
        }
        return;
    }
    vof_log(v, "unknown method '%s'", name);
}

/* milliseconds ( -- ms ) */
static void svc_milliseconds(Vof *v, VofCall *c)
{
    c->rets[0] = (uint32_t)v->ops->now_ms(v->opaque);
}

/* quiesce ( -- ): the client takes over; the services keep working (prom_init prints
 * after it). */
static void svc_quiesce(Vof *v, VofCall *c)
{
    v->quiesced = true;
    if (v->ops->quiesce)
        v->ops->quiesce(v->opaque);
}

/* exit ( -- ) */
static void svc_exit(Vof *v, VofCall *c)
{
    if (v->ops->exit)
        v->ops->exit(v->opaque);
}

/* interpret ( cmd args... -- catch-result results... ): there is no Forth; it throws. */
static void svc_interpret(Vof *v, VofCall *c)
{
    c->rets[0] = VOF_ERR;
}

static void svc_test(Vof *v, VofCall *c);

static const VofService vof_services[] = {
    { "finddevice", 1, svc_finddevice },
    { "getprop", 4, svc_getprop },
    { "getproplen", 2, svc_getproplen },
    { "nextprop", 3, svc_nextprop },
    { "setprop", 4, svc_setprop },
    { "peer", 1, svc_peer },
    { "child", 1, svc_child },
    { "parent", 1, svc_parent },
    { "instance-to-package", 1, svc_instance_to_package },
    { "package-to-path", 3, svc_package_to_path },
    { "instance-to-path", 3, svc_instance_to_path },
    { "canon", 3, svc_canon },
    { "open", 1, svc_open },
    { "close", 1, svc_close },
    { "read", 3, svc_read },
    { "write", 3, svc_write },
    { "seek", 3, svc_seek },
    { "claim", 3, svc_claim },
    { "release", 2, svc_release },
    { "call-method", 2, svc_call_method },
    { "milliseconds", 0, svc_milliseconds },
    { "quiesce", 0, svc_quiesce },
    { "exit", 0, svc_exit },
    { "interpret", 1, svc_interpret },
    { "test", 1, svc_test },
};

static const VofService *find_service(const char *name)
{
    for (unsigned i = 0; i < ARRAY_SIZE(vof_services); i++)
        if (strcmp(vof_services[i].name, name) == 0)
            return &vof_services[i];
    return NULL;
}

/* test ( name -- missing? ): 0 if the service exists, -1 if not. */
static void svc_test(Vof *v, VofCall *c)
{
    char name[VOF_MAX_NAME];
    c->rets[0] = VOF_ERR;
    if (gread_str(v, c->args[0], name, sizeof(name)) && find_service(name))
        c->rets[0] = 0;
}

/* One call:
 * 1. Read the header {service, nargs, nret}; the counts are bounded.
 * 2. Read the arguments and the service name; an unknown service is -1.
 * 3. Run the service and store its nret results after the arguments. */
int64_t vof_client_call(Vof *v, uint64_t args_addr)
{
    uint8_t raw[4 * (3 + VOF_MAX_CELLS)];
    char name[VOF_MAX_NAME];
    VofCall c = { 0 };

    v->ncalls++;
    if (!gread(v, args_addr, raw, 12))
        return -1;
    uint32_t service = be32_at(raw);
    c.nargs = be32_at(raw + 4);
    c.nret = be32_at(raw + 8);
    if (c.nargs > VOF_MAX_CELLS || c.nret > VOF_MAX_CELLS)
        return -1;

    if (!gread(v, args_addr + 12, raw, 4 * (size_t)c.nargs))
        return -1;
    for (uint32_t i = 0; i < c.nargs; i++)
        c.args[i] = be32_at(raw + 4 * i);
    if (!gread_str(v, service, name, sizeof(name)))
        return -1;
    const VofService *s = find_service(name);
    if (!s) {
        vof_log(v, "unknown service '%s'", name);
        return -1;
    }
    if (c.nargs < s->nargs)
        return -1;

    s->fn(v, &c);
    for (uint32_t i = 0; i < c.nret; i++) {
        raw[4 * i] = (uint8_t)(c.rets[i] >> 24);
        raw[4 * i + 1] = (uint8_t)(c.rets[i] >> 16);
        raw[4 * i + 2] = (uint8_t)(c.rets[i] >> 8);
        raw[4 * i + 3] = (uint8_t)c.rets[i];
    }
    if (!gwrite(v, args_addr + 12 + 4 * (uint64_t)c.nargs, raw, 4 * (size_t)c.nret))
        return -1;
    return 0;
}

/* ---- set-up ---- */

#define INIT_TRY(expr, what)                                                                   \
    do {                                                                                       \
        int init_err_ = (expr);                                                                \
        if (init_err_ < 0) {                                                                   \
            snprintf(err, errlen, "vof: %s: %s", (what), fdt_strerror(init_err_));             \
            return false;                                                                      \
        }                                                                                      \
    } while (0)

/* The console node: the configured path, else the one /chosen names. */
static int find_console(const Vof *v, const char *configured, int chosen)
{
    static const char *const props[] = { "linux,stdout-path", "stdout-path" };
    char path[VOF_MAX_PATH];
    if (configured)
        return resolve_path(v, configured);
    for (unsigned i = 0; i < ARRAY_SIZE(props); i++) {
        int len = 0;
        const char *p = fdt_getprop(v->fdt, chosen, props[i], &len);
        if (p && len > 0 && (size_t)len <= sizeof(path) && memchr(p, 0, (size_t)len)) {
            memcpy(path, p, (size_t)len);
            return resolve_path(v, path);
        }
    }
    return -1;
}

/* 1. Open the blob into the buffer with its headroom.
 * 2. Give every node a phandle: the client interface names nodes by them, and prom_init
 *    copies them into the tree it hands the kernel.
 * 3. Open the console twice (stdout, stdin: prom_init closes stdin and keeps writing) and
 *    the boot CPU, and record the ihandles in /chosen.
 * 4. Start the claim list empty below min(RAM, 4 GiB). */
bool vof_init(Vof *v, void *fdt, size_t fdt_cap, const VofOps *ops, void *opaque,
              const VofConfig *cfg, char *err, size_t errlen)
{
    memset(v, 0, sizeof(*v));
    v->fdt = fdt;
    v->fdt_cap = fdt_cap;
    v->ops = ops;
    v->opaque = opaque;
    v->cfg = *cfg;
    v->claim_top = MIN(cfg->ram_size, 4 * GiB);
    if (!ops || !ops->read || !ops->write || !ops->write_console || !ops->now_ms) {
        snprintf(err, errlen, "vof: memory, console and clock ops are required");
        return false;
    }
    if (cfg->rtas_size > VOF_MAX_RTAS_BLOB || (cfg->rtas_size && !cfg->rtas_blob)) {
        snprintf(err, errlen, "vof: bad RTAS code (at most %u bytes)", VOF_MAX_RTAS_BLOB);
        return false;
    }
    if (cfg->rtas_size)
        memcpy(v->rtas_blob, cfg->rtas_blob, cfg->rtas_size);
    v->rtas_size = cfg->rtas_size;
    /* The caller's buffers need not outlive this call. */
    v->cfg.rtas_blob = NULL;
    v->cfg.stdout_path = v->cfg.cpu_path = NULL;
    if (fdt_cap > INT32_MAX) {
        snprintf(err, errlen, "vof: device tree buffer too large");
        return false;
    }

    INIT_TRY(fdt_check_header(fdt), "device tree");
    if (fdt_totalsize(fdt) > fdt_cap) {
        snprintf(err, errlen, "vof: device tree larger than its buffer");
        return false;
    }
    INIT_TRY(fdt_open_into(fdt, fdt, (int)fdt_cap), "device tree");

    uint32_t max_ph = 0;
    INIT_TRY(fdt_find_max_phandle(fdt, &max_ph), "phandles");
    for (int off = 0; off >= 0; off = fdt_next_node(fdt, off, NULL)) {
        if (fdt_get_phandle(fdt, off) != 0)
            continue;
        if (max_ph >= VOF_IHANDLE_BASE - 1) {
            snprintf(err, errlen, "vof: phandles reach the ihandle range");
            return false;
        }
        INIT_TRY(fdt_setprop_u32(fdt, off, "phandle", ++max_ph), "phandles");
    }

    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        INIT_TRY(chosen = fdt_add_subnode(fdt, 0, "chosen"), "/chosen");
    int con = find_console(v, cfg->stdout_path, chosen);
    if (con < 0) {
        snprintf(err, errlen, "vof: no console node (stdout path)");
        return false;
    }
    v->console_ph = phandle_of(v, con);
    v->stdout_ih = inst_open(v, con);
    v->stdin_ih = inst_open(v, con);
    INIT_TRY(fdt_setprop_u32(fdt, chosen, "stdout", v->stdout_ih), "/chosen");
    INIT_TRY(fdt_setprop_u32(fdt, chosen, "stdin", v->stdin_ih), "/chosen");

    int cpu = cfg->cpu_path ? resolve_path(v, cfg->cpu_path)
                            : fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu",
                                                            sizeof("cpu"));
    if (cpu >= 0) {
        chosen = fdt_path_offset(fdt, "/chosen");
        INIT_TRY(fdt_setprop_u32(fdt, chosen, "cpu", inst_open(v, cpu)), "/chosen");
    }

    update_available(v);
    return true;
}

void vof_save(const Vof *v, StateW *w)
{
    sw_u64(w, v->claim_top);
    sw_u32(w, v->nclaims);
    for (unsigned k = 0; k < v->nclaims; k++) {
        sw_u64(w, v->claims[k].base);
        sw_u64(w, v->claims[k].size);
    }
    for (unsigned k = 0; k < VOF_MAX_INSTANCES; k++) {
        sw_bool(w, v->inst[k].used);
        sw_u32(w, v->inst[k].phandle);
    }
    sw_u32(w, v->stdout_ih);
    sw_u32(w, v->stdin_ih);
    sw_u32(w, v->console_ph);
    sw_bool(w, v->quiesced);
    sw_u32(w, v->ncas);
    sw_u64(w, v->ncalls);
    uint32_t size = v->fdt ? fdt_totalsize(v->fdt) : 0;
    sw_u32(w, size);
    sw_bytes(w, v->fdt, size);
}

void vof_load(Vof *v, StateR *r)
{
    v->claim_top = sr_u64(r);
    uint32_t n = sr_u32(r);
    if (n > VOF_MAX_CLAIMS) {
        r->bad = true;
        return;
    }
    v->nclaims = n;
    for (unsigned k = 0; k < n; k++) {
        v->claims[k].base = sr_u64(r);
        v->claims[k].size = sr_u64(r);
    }
    for (unsigned k = 0; k < VOF_MAX_INSTANCES; k++) {
        v->inst[k].used = sr_bool(r);
        v->inst[k].phandle = sr_u32(r);
    }
    v->stdout_ih = sr_u32(r);
    v->stdin_ih = sr_u32(r);
    v->console_ph = sr_u32(r);
    v->quiesced = sr_bool(r);
    v->ncas = sr_u32(r);
    v->ncalls = sr_u64(r);
    uint32_t size = sr_u32(r);
    if (!v->fdt || size > v->fdt_cap || (size_t)(r->end - r->p) < size) {
        r->bad = true;
        return;
    }
    sr_bytes(r, v->fdt, size);
    if (fdt_check_header(v->fdt) != 0 || fdt_totalsize(v->fdt) != size)
        r->bad = true;
}
