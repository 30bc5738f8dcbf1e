/* machines/snapshot.c: writing and restoring snapshots (snapshot.h). */
#include "machines/snapshot.h"
#include "cpu/common/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#define SNAP_MAGIC "HVEMUSNP"
#define SNAP_FORMAT 1
#define SNAP_CHUNK (1u << 20)

/* The loop's position and everything machine.c keeps, then the machine's own state. */
static void save_state(Machine *m, StateW *w)
{
    size_t nlen = strlen(m->cls->name);
    sw_u32(w, (uint32_t)nlen);
    sw_bytes(w, m->cls->name, nlen);
    sw_u32(w, m->ncpus);
    sw_u64(w, m->ram_size);
    sw_u32(w, m->ndrives);
    sw_u64(w, m->clock.base);
    sw_u64(w, m->clock.arm_seq);
    sw_u64(w, m->icount);
    sw_u32(w, m->qcpu);
    sw_u64(w, m->qdone);
    sw_bool(w, m->qidle);
    sw_u64(w, m->quanta);
    sw_u64(w, m->poll_seq);
    sw_u64(w, m->hash_next);
    sw_bool(w, m->input_eof);
    sw_bool(w, m->mux_escape);
    sw_u64(w, m->journal ? m->journal->next : 0);
    chardev_save(&m->console, w);
    m->cls->save(m, w);
}

static bool load_state(Machine *m, StateR *r, char *err, size_t errlen)
{
    uint32_t nlen = sr_u32(r);
    char name[64] = "";
    if (nlen < sizeof(name))
        sr_bytes(r, name, nlen);
    else
        r->bad = true;
    uint32_t ncpus = sr_u32(r);
    uint64_t ram_size = sr_u64(r);
    uint32_t ndrives = sr_u32(r);
    if (r->bad || strcmp(name, m->cls->name) || ncpus != m->ncpus || ram_size != m->ram_size ||
        ndrives != m->ndrives) {
        snprintf(err, errlen, "is a snapshot of another machine (%s, %u vCPUs, %llu MiB, %u "
                              "drives)", r->bad ? "?" : name, ncpus,
                 (unsigned long long)(ram_size / MiB), ndrives);
        return false;
    }
    m->clock.base = sr_u64(r);
    m->clock.offset = 0;
    m->clock.arm_seq = sr_u64(r);
    m->icount = sr_u64(r);
    m->qcpu = sr_u32(r);
    m->qdone = sr_u64(r);
    m->qidle = sr_bool(r);
    m->quanta = sr_u64(r);
    m->poll_seq = sr_u64(r);
    m->hash_next = sr_u64(r);
    m->input_eof = sr_bool(r);
    m->mux_escape = sr_bool(r);
    uint64_t jnext = sr_u64(r);
    if (m->qcpu >= m->ncpus)
        r->bad = true;
    if (m->journal && m->journal->replay) {
        if (jnext > m->journal->nrecs)
            r->bad = true;
        else
            m->journal->next = jnext;
    }
    if (m->hash_every && m->hash_next <= m->icount)
        m->hash_next = (m->icount / m->hash_every + 1) * m->hash_every;
    chardev_load(&m->console, r);
    m->cls->load(m, r);
    if (r->bad || r->p != r->end) {
        snprintf(err, errlen, "is corrupt (its machine state does not read back)");
        return false;
    }
    return true;
}

typedef struct SnapOut {
    FILE *f;
    XXH64_state_t *sum;
    bool failed;
} SnapOut;

static void out(SnapOut *o, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, o->f) != n)
        o->failed = true;
    XXH64_update(o->sum, p, n);
}

static void out_u64(SnapOut *o, uint64_t v, unsigned size)
{
    uint8_t b[8];
    st_le(b, size, v);
    out(o, b, size);
}

/* Guest RAM as one zstd frame, compressed a chunk at a time. */
static bool out_ram(SnapOut *o, const Machine *m)
{
    ZSTD_CCtx *z = ZSTD_createCCtx();
    size_t cap = ZSTD_CStreamOutSize();
    uint8_t *buf = malloc(cap);
    bool ok = z && buf;
    if (ok)
        ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 1);
    for (uint64_t off = 0; ok && off <= m->ram_size;) {
        size_t n = (size_t)MIN(SNAP_CHUNK, m->ram_size - off);
        bool last = off + n == m->ram_size;
        ZSTD_inBuffer in = { m->ram + off, n, 0 };
        size_t left;
        do {
            ZSTD_outBuffer ob = { buf, cap, 0 };
            left = ZSTD_compressStream2(z, &ob, &in, last ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(left)) {
                ok = false;
                break;
            }
            out(o, buf, ob.pos);
        } while (last ? left != 0 : in.pos < in.size);
        off += n;
        if (last)
            break;
    }
    ZSTD_freeCCtx(z);
    free(buf);
    return ok;
}

/* The xxh64 a snapshot file ends with (0 if it cannot be read). */
static uint64_t file_sum(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t b[8];
    bool ok = f && fseeko(f, -8, SEEK_END) == 0 && fread(b, 1, 8, f) == 8;
    if (f)
        fclose(f);
    return ok ? ld_le(b, 8) : 0;
}

/* The snapshot a later incremental one builds on, by absolute path. */
static void remember(Machine *m, const char *path, uint64_t sum)
{
    char *abs = realpath(path, NULL);
    if (abs && strlen(abs) < sizeof(m->last_snap)) {
        strcpy(m->last_snap, abs);
        m->last_snap_sum = sum;
    } else {
        m->last_snap[0] = 0;
    }
    free(abs);
}

bool snapshot_save(Machine *m, const char *path, char *err, size_t errlen)
{
    StateW w;
    state_buf_begin(&w);
    save_state(m, &w);
    if (w.oom) {
        free(w.buf);
        snprintf(err, errlen, "savevm: out of memory");
        return false;
    }
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    SnapOut o = { .f = fopen(tmp, "wb"), .sum = XXH64_createState() };
    if (!o.f) {
        free(w.buf);
        XXH64_freeState(o.sum);
        snprintf(err, errlen, "savevm: cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    XXH64_reset(o.sum, 0);
    const char *ver = HVEMU_VERSION;
    out(&o, SNAP_MAGIC, 8);
    out_u64(&o, SNAP_FORMAT, 4);
    out_u64(&o, strlen(ver), 2);
    out(&o, ver, strlen(ver));
    out_u64(&o, m->config, 8);
    out(&o, "STAT", 4);
    out_u64(&o, w.len, 8);
    out(&o, w.buf, w.len);
    free(w.buf);
    if (m->cls->save_htab) {
        /* Incremental over the last snapshot of this run when it is still there as it was
         * written: a BASE section names it, and HTAB holds only what changed since. */
        bool incremental = m->last_snap[0] && file_sum(m->last_snap) == m->last_snap_sum;
        if (incremental) {
            size_t plen = strlen(m->last_snap);
            out(&o, "BASE", 4);
            out_u64(&o, 8 + plen, 8);
            out_u64(&o, m->last_snap_sum, 8);
            out(&o, m->last_snap, plen);
        }
        StateW hw;
        state_buf_begin(&hw);
        m->cls->save_htab(m, &hw, incremental);
        out(&o, "HTAB", 4);
        out_u64(&o, hw.len, 8);
        out(&o, hw.buf, hw.len);
        if (hw.oom)
            o.failed = true;
        free(hw.buf);
    }
    /* RAM comes last: its length is "up to the checksum". */
    out(&o, "RAM ", 4);
    out_u64(&o, 0, 8);
    bool ok = out_ram(&o, m);
    uint8_t sum[8];
    uint64_t digest = XXH64_digest(o.sum);
    st_le(sum, 8, digest);
    XXH64_freeState(o.sum);
    if (fwrite(sum, 1, 8, o.f) != 8)
        o.failed = true;
    if (fclose(o.f) != 0)
        o.failed = true;
    if (!ok || o.failed || rename(tmp, path) != 0) {
        unlink(tmp);
        snprintf(err, errlen, "savevm: cannot write '%s'%s", path,
                 ok ? "" : " (compression failed)");
        return false;
    }
    remember(m, path, digest);
    return true;
}

/* All-zero pages are left as the fresh mapping has them, so that a restored machine's
 * memory use is what the guest touched. */
static void copy_nonzero_pages(uint8_t *dst, const uint8_t *src, size_t n)
{
    static const uint8_t zero[4096];
    for (size_t off = 0; off < n; off += 4096) {
        size_t k = MIN(4096, n - off);
        if (memcmp(src + off, zero, k) != 0)
            memcpy(dst + off, src + off, k);
    }
}

static bool load_ram(Machine *m, const uint8_t *p, size_t len)
{
    ZSTD_DCtx *z = ZSTD_createDCtx();
    uint8_t *buf = malloc(SNAP_CHUNK);
    bool ok = z && buf;
    madvise(m->ram, m->ram_size, MADV_DONTNEED); /* back to zero pages */
    ZSTD_inBuffer in = { p, len, 0 };
    uint64_t done = 0;
    size_t ret = 1;
    while (ok && ret != 0) {
        ZSTD_outBuffer ob = { buf, (size_t)MIN(SNAP_CHUNK, m->ram_size - done), 0 };
        if (ob.size == 0) {
            /* RAM is full: the frame must end here. */
            ob = (ZSTD_outBuffer){ buf, 1, 0 };
            ret = ZSTD_decompressStream(z, &ob, &in);
            ok = !ZSTD_isError(ret) && ob.pos == 0 && ret == 0;
            break;
        }
        ret = ZSTD_decompressStream(z, &ob, &in);
        if (ZSTD_isError(ret) || (ob.pos == 0 && in.pos == in.size && ret != 0)) {
            ok = false;
            break;
        }
        copy_nonzero_pages(m->ram + done, buf, ob.pos);
        done += ob.pos;
    }
    ok = ok && done == m->ram_size && in.pos == in.size;
    ZSTD_freeDCtx(z);
    free(buf);
    return ok;
}

bool snapshot_sections(const uint8_t *p, const uint8_t *end, SnapSections *s, char *what,
                       size_t len)
{
    *s = (SnapSections){ 0 };
    while (p < end) {
        if ((size_t)(end - p) < 12) {
            snprintf(what, len, "is corrupt (a section header)");
            return false;
        }
        const uint8_t *tag = p;
        uint64_t n = ld_le(p + 4, 8);
        p += 12;
        if (!memcmp(tag, "RAM ", 4)) {
            s->ram = p;
            s->ram_len = (size_t)(end - p);
            return s->state != NULL || (snprintf(what, len, "has no machine state"), false);
        }
        if (n > (uint64_t)(end - p)) {
            snprintf(what, len, "is corrupt (a section's length)");
            return false;
        }
        if (!memcmp(tag, "STAT", 4)) {
            s->state = p;
            s->state_len = (size_t)n;
        } else if (!memcmp(tag, "HTAB", 4)) {
            s->htab = p;
            s->htab_len = (size_t)n;
        } else if (!memcmp(tag, "BASE", 4)) {
            if (n < 9 || n > 8 + 4095) {
                snprintf(what, len, "is corrupt (its BASE section)");
                return false;
            }
            s->base_sum = ld_le(p, 8);
            memcpy(s->base, p + 8, (size_t)n - 8);
            s->base[n - 8] = 0;
        } else {
            snprintf(what, len, "has an unknown section '%.4s'", (const char *)tag);
            return false;
        }
        p += n;
    }
    snprintf(what, len, "is truncated (no guest memory)");
    return false;
}

typedef struct SnapFile {
    const uint8_t *map;
    size_t size;
    uint64_t sum;
    SnapSections sec;
} SnapFile;

static void snap_close(SnapFile *sf)
{
    if (sf->map)
        munmap((void *)sf->map, sf->size);
    sf->map = NULL;
}

/* Maps and checks a snapshot of this hvemu and this command line and finds its sections;
 * false with what is wrong ("is ...") in `what`. */
static bool snap_open(Machine *m, const char *path, SnapFile *sf, char *what, size_t wlen)
{
    *sf = (SnapFile){ 0 };
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(what, wlen, "cannot be read: %s", fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return false;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *f = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (f == MAP_FAILED || size < 8 + 4 + 2 + 8 + 8 + 8 || memcmp(f, SNAP_MAGIC, 8) != 0) {
        snprintf(what, wlen, "is not an hvemu snapshot");
        if (f != MAP_FAILED)
            munmap((void *)f, size);
        return false;
    }
    sf->map = f;
    sf->size = size;
    const uint8_t *end = f + size - 8;
    sf->sum = ld_le(end, 8);
    if (sf->sum != XXH64(f, size - 8, 0)) {
        snprintf(what, wlen, "is corrupt or truncated (checksum)");
        goto fail;
    }
    uint32_t format = (uint32_t)ld_le(f + 8, 4);
    size_t vlen = (size_t)ld_le(f + 12, 2);
    const uint8_t *p = f + 14;
    if (format != SNAP_FORMAT || vlen > 64 || (size_t)(end - p) < vlen + 8) {
        snprintf(what, wlen, "has another format (%u; this hvemu reads %u)", format,
                 SNAP_FORMAT);
        goto fail;
    }
    char ver[65];
    memcpy(ver, p, vlen);
    ver[vlen] = 0;
    p += vlen;
    if (strcmp(ver, HVEMU_VERSION) != 0) {
        snprintf(what, wlen, "was saved by hvemu %s; this is hvemu %s", ver, HVEMU_VERSION);
        goto fail;
    }
    if (ld_le(p, 8) != m->config) {
        snprintf(what, wlen, "was saved with another command line or other kernel, "
                             "initrd, firmware or disk files");
        goto fail;
    }
    if (!snapshot_sections(p + 8, end, &sf->sec, what, wlen))
        goto fail;
    if (!sf->sec.state || (m->cls->save_htab && !sf->sec.htab) ||
        (!m->cls->save_htab && sf->sec.htab)) {
        snprintf(what, wlen, "is a snapshot of another machine (sections)");
        goto fail;
    }
    return true;
fail:
    snap_close(sf);
    return false;
}

#define SNAP_MAX_CHAIN 64

/* The hashed page table of an incremental snapshot: its bases' streams first, from the
 * first full one, then its own. */
static bool load_htab_chain(Machine *m, const SnapFile *sf, unsigned depth, bool last,
                            char *what, size_t wlen)
{
    char why[300];
    if (sf->sec.base[0]) {
        SnapFile base;
        if (depth >= SNAP_MAX_CHAIN) {
            snprintf(what, wlen, "builds on a chain of more than %d snapshots", SNAP_MAX_CHAIN);
            return false;
        }
        if (!snap_open(m, sf->sec.base, &base, why, sizeof(why))) {
            snprintf(what, wlen, "builds on '%.300s', which %.250s", sf->sec.base, why);
            return false;
        }
        if (base.sum != sf->sec.base_sum) {
            snprintf(what, wlen, "builds on '%.400s', which has changed since", sf->sec.base);
            snap_close(&base);
            return false;
        }
        bool ok = load_htab_chain(m, &base, depth + 1, false, what, wlen);
        snap_close(&base);
        if (!ok)
            return false;
    }
    if (!m->cls->load_htab(m, sf->sec.htab, sf->sec.htab_len, !sf->sec.base[0], last, why,
                           sizeof(why))) {
        snprintf(what, wlen, "has a bad HTAB section: %s", why);
        return false;
    }
    return true;
}

bool snapshot_load(Machine *m, const char *path, char *err, size_t errlen)
{
    char what[600] = "";
    SnapFile sf;
    bool ok = false;
    if (!snap_open(m, path, &sf, what, sizeof(what)))
        goto done;
    StateR r = state_reader(sf.sec.state, sf.sec.state_len);
    if (!load_state(m, &r, what, sizeof(what)))
        goto done;
    if (sf.sec.htab && !load_htab_chain(m, &sf, 0, true, what, sizeof(what)))
        goto done;
    if (!load_ram(m, sf.sec.ram, sf.sec.ram_len)) {
        snprintf(what, sizeof(what), "is corrupt (guest memory)");
        goto done;
    }
    remember(m, path, sf.sum);
    ok = true;
done:
    snap_close(&sf);
    if (!ok) {
        if (!strncmp(what, "cannot be read: ", 16))
            snprintf(err, errlen, "--loadvm: cannot read '%s': %s", path, what + 16);
        else
            snprintf(err, errlen, "--loadvm: '%s' %s", path, what);
    }
    return ok;
}
