/* tests/guest/lib/fdt.c: a minimal reader of a flattened device tree (Devicetree
 * Specification v0.4, chapter 5): the header (5.2), the structure block tokens
 * FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP and FDT_END (5.4) and the strings
 * block (5.5). Paths are matched component by component with unit addresses. */
#include "libguest.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define FDT_MAX_DEPTH 16

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
    return (uint64_t)fdt_be32(p) << 32 | fdt_be32((const uint8_t *)p + 4);
}

bool fdt_valid(const void *fdt)
{
    return fdt && fdt_be32(fdt) == FDT_MAGIC && fdt_be32((const uint8_t *)fdt + 20) >= 16;
}

static uint32_t align4(uint32_t n)
{
    return (n + 3) & ~3u;
}

/* Does the path component [c, c+n) name the node `name` (unit address included)? */
static bool component_eq(const char *c, size_t n, const char *name)
{
    return strlen(name) == n && !strncmp(c, name, n);
}

/* Splits path into components; returns how many (the root is 0). */
static int split_path(const char *path, const char *comp[FDT_MAX_DEPTH], size_t len[FDT_MAX_DEPTH])
{
    int n = 0;
    while (*path) {
        while (*path == '/')
            path++;
        if (!*path)
            break;
        if (n == FDT_MAX_DEPTH)
            return -1;
        comp[n] = path;
        while (*path && *path != '/')
            path++;
        len[n] = (size_t)(path - comp[n]);
        n++;
    }
    return n;
}

/* Walks to the node at `path`. Calls prop(ctx, name, data, len) for each of its
 * properties and child(ctx, name) for each direct child. Returns false if not found. */
static bool fdt_visit(const void *fdt, const char *path,
                      void (*prop)(void *ctx, const char *name, const void *data, uint32_t len),
                      void (*child)(void *ctx, const char *name), void *ctx)
{
    if (!fdt_valid(fdt))
        return false;
    const uint8_t *base = fdt;
    const uint8_t *p = base + fdt_be32(base + 8);
    const char *strings = (const char *)base + fdt_be32(base + 12);
    const char *comp[FDT_MAX_DEPTH];
    size_t clen[FDT_MAX_DEPTH];
    int want = split_path(path, comp, clen);
    if (want < 0)
        return false;
    int depth = -1;   /* depth of the current node; the root is 0 */
    int matched = -1; /* deepest depth whose node matches the path so far */
    bool found = false;
    for (;;) {
        uint32_t tok = fdt_be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            p += align4((uint32_t)strlen(name) + 1);
            depth++;
            if (depth == 0) {
                matched = 0;
            } else if (matched == depth - 1 && depth <= want &&
                       component_eq(comp[depth - 1], clen[depth - 1], name)) {
                matched = depth;
            } else if (matched == want && depth == want + 1 && child) {
                child(ctx, name);
            }
            if (matched == want && depth == want)
                found = true;
        } else if (tok == FDT_END_NODE) {
            if (matched == depth)
                matched--;
            if (found && depth == want && matched < want)
                return true;
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t len = fdt_be32(p), nameoff = fdt_be32(p + 4);
            const uint8_t *data = p + 8;
            p += 8 + align4(len);
            if (matched == want && depth == want && prop)
                prop(ctx, strings + nameoff, data, len);
        } else if (tok == FDT_NOP) {
            continue;
        } else {
            return found;
        }
    }
}

typedef struct PropFind {
    const char *name;
    const void *data;
    uint32_t len;
} PropFind;

static void find_prop(void *ctx, const char *name, const void *data, uint32_t len)
{
    PropFind *f = ctx;
    if (!f->data && !strcmp(name, f->name)) {
        f->data = data;
        f->len = len;
    }
}

const void *fdt_getprop(const void *fdt, const char *path, const char *name, uint32_t *len)
{
    PropFind f = { name, NULL, 0 };
    if (!fdt_visit(fdt, path, find_prop, NULL, &f) || !f.data)
        return NULL;
    if (len)
        *len = f.len;
    return f.data;
}

bool fdt_getprop_u32(const void *fdt, const char *path, const char *name, uint32_t *val)
{
    uint32_t len;
    const void *p = fdt_getprop(fdt, path, name, &len);
    if (!p || len != 4)
        return false;
    *val = fdt_be32(p);
    return true;
}

typedef struct ChildCount {
    const char *prefix;
    int n;
} ChildCount;

static void count_child(void *ctx, const char *name)
{
    ChildCount *c = ctx;
    if (!strncmp(name, c->prefix, strlen(c->prefix)))
        c->n++;
}

int fdt_count_children(const void *fdt, const char *path, const char *prefix)
{
    ChildCount c = { prefix, 0 };
    if (!fdt_visit(fdt, path, NULL, count_child, &c))
        return -1;
    return c.n;
}
