/*
 * hvemu-mkinitramfs: writes a newc cpio archive (the format Linux unpacks as an
 * initramfs) from a spec file in the format of Linux's gen_init_cpio:
 *
 *   # comment
 *   dir   NAME MODE UID GID
 *   file  NAME LOCATION MODE UID GID [HARDLINK...]
 *   nod   NAME MODE UID GID c|b MAJ MIN
 *   slink NAME TARGET MODE UID GID
 *   pipe  NAME MODE UID GID
 *   sock  NAME MODE UID GID
 *
 * MODE is octal permission bits (at most 07777); the file type comes from the
 * keyword. Every entry gets mtime 0 and inode numbers are given in spec order,
 * so the output depends only on the spec and the contents of the files it
 * names: it is byte-reproducible and needs no root. Compression is left to the
 * caller (pipe through `gzip -n`).
 *
 * Usage: hvemu-mkinitramfs [-o OUTPUT] SPEC      (SPEC "-" reads stdin;
 *                                                 without -o the archive goes to stdout)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "hvemu-mkinitramfs"
#define MAX_LINE 4096
#define MAX_FIELDS 64

/* File type bits as stored in cpio's c_mode (the traditional Unix values). */
#define T_FIFO 0010000u
#define T_CHR  0020000u
#define T_DIR  0040000u
#define T_BLK  0060000u
#define T_REG  0100000u
#define T_LNK  0120000u
#define T_SOCK 0140000u

static FILE *out;
static const char *out_path;   /* removed on error when set */
static const char *spec_name;
static unsigned spec_line;
static uint64_t out_offset;
static uint32_t next_ino = 721;

static void fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", PROG);
    if (spec_line)
        fprintf(stderr, "%s:%u: ", spec_name, spec_line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (out_path) {
        if (out)
            fclose(out);
        remove(out_path);
    }
    exit(1);
}

static void put(const void *buf, size_t len)
{
    if (len && fwrite(buf, 1, len, out) != len)
        fail("write error: %s", strerror(errno));
    out_offset += len;
}

static void pad4(void)
{
    static const char zeros[4];
    put(zeros, (size_t)((4 - (out_offset & 3)) & 3));
}

struct entry {
    const char *name;
    uint32_t ino;
    uint32_t mode;       /* type | permissions */
    uint32_t uid, gid;
    uint32_t nlink;
    uint32_t filesize;
    uint32_t rmajor, rminor;
};

static void put_header(const struct entry *e)
{
    char hdr[6 + 13 * 8 + 1];
    size_t namesize = strlen(e->name) + 1;

    snprintf(hdr, sizeof(hdr),
             "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             (unsigned)e->ino, (unsigned)e->mode, (unsigned)e->uid, (unsigned)e->gid,
             (unsigned)e->nlink, 0u /* mtime */, (unsigned)e->filesize,
             0u, 0u /* dev major/minor of the containing device */,
             (unsigned)e->rmajor, (unsigned)e->rminor,
             (unsigned)namesize, 0u /* check: unused by newc */);
    put(hdr, sizeof(hdr) - 1);
    put(e->name, namesize);
    pad4();
}

static void put_entry(const struct entry *e, const void *data)
{
    put_header(e);
    put(data, e->filesize);
    pad4();
}

/* Names are stored without leading slashes, as gen_init_cpio does. */
static const char *archive_name(const char *name)
{
    while (*name == '/')
        name++;
    if (!*name)
        fail("empty entry name");
    return name;
}

static uint32_t parse_num(const char *s, int base, uint32_t max, const char *what)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, base);
    if (errno || end == s || *end || s[0] == '-' || s[0] == '+' || v > max)
        fail("bad %s '%s'", what, s);
    return (uint32_t)v;
}

static uint32_t parse_mode(const char *s)
{
    return parse_num(s, 8, 07777, "mode (octal, at most 07777)");
}

static uint32_t parse_id(const char *s, const char *what)
{
    return parse_num(s, 10, UINT32_MAX, what);
}

static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *buf;

    if (!f)
        fail("cannot open '%s': %s", path, strerror(errno));
    buf = malloc(cap);
    if (!buf)
        fail("out of memory");
    for (;;) {
        size_t got;
        if (n == cap) {
            char *nb;
            if (cap > UINT32_MAX / 2)
                fail("'%s' is too large for a newc archive", path);
            cap *= 2;
            nb = realloc(buf, cap);
            if (!nb)
                fail("out of memory");
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        fail("cannot read '%s': %s", path, strerror(errno));
    fclose(f);
    *len = n;
    return buf;
}

static void need(int nf, int want, int max, const char *usage)
{
    if (nf < want || nf > max)
        fail("expected '%s'", usage);
}

static void do_line(char **f, int nf)
{
    struct entry e;
    const char *kw = f[0];

    memset(&e, 0, sizeof(e));
    e.nlink = 1;

    if (!strcmp(kw, "dir")) {
        need(nf, 5, 5, "dir NAME MODE UID GID");
        e.name = archive_name(f[1]);
        e.mode = T_DIR | parse_mode(f[2]);
        e.uid = parse_id(f[3], "uid");
        e.gid = parse_id(f[4], "gid");
        e.nlink = 2;
        e.ino = next_ino++;
        put_entry(&e, NULL);
    } else if (!strcmp(kw, "file")) {
        size_t len;
        void *data;
        int i;

        need(nf, 6, MAX_FIELDS, "file NAME LOCATION MODE UID GID [HARDLINK...]");
        e.mode = T_REG | parse_mode(f[3]);
        e.uid = parse_id(f[4], "uid");
        e.gid = parse_id(f[5], "gid");
        data = read_file(f[2], &len);
        if (len > UINT32_MAX)
            fail("'%s' is too large for a newc archive", f[2]);
        e.ino = next_ino++;
        e.nlink = (uint32_t)(nf - 5);
        /* Hard links share the inode; the data goes with the last name only. */
        for (i = 6; i < nf; i++) {
            e.name = archive_name(f[i]);
            put_entry(&e, NULL);
        }
        e.name = archive_name(f[1]);
        e.filesize = (uint32_t)len;
        put_entry(&e, data);
        free(data);
    } else if (!strcmp(kw, "nod")) {
        need(nf, 8, 8, "nod NAME MODE UID GID c|b MAJ MIN");
        e.name = archive_name(f[1]);
        if (!strcmp(f[5], "c"))
            e.mode = T_CHR;
        else if (!strcmp(f[5], "b"))
            e.mode = T_BLK;
        else
            fail("device type must be 'c' or 'b', not '%s'", f[5]);
        e.mode |= parse_mode(f[2]);
        e.uid = parse_id(f[3], "uid");
        e.gid = parse_id(f[4], "gid");
        e.rmajor = parse_id(f[6], "major number");
        e.rminor = parse_id(f[7], "minor number");
        e.ino = next_ino++;
        put_entry(&e, NULL);
    } else if (!strcmp(kw, "slink")) {
        need(nf, 6, 6, "slink NAME TARGET MODE UID GID");
        e.name = archive_name(f[1]);
        e.mode = T_LNK | parse_mode(f[3]);
        e.uid = parse_id(f[4], "uid");
        e.gid = parse_id(f[5], "gid");
        e.filesize = (uint32_t)strlen(f[2]) + 1;   /* target with its NUL, as the kernel expects */
        e.ino = next_ino++;
        put_entry(&e, f[2]);
    } else if (!strcmp(kw, "pipe") || !strcmp(kw, "sock")) {
        need(nf, 5, 5, "pipe|sock NAME MODE UID GID");
        e.name = archive_name(f[1]);
        e.mode = (kw[0] == 'p' ? T_FIFO : T_SOCK) | parse_mode(f[2]);
        e.uid = parse_id(f[3], "uid");
        e.gid = parse_id(f[4], "gid");
        e.ino = next_ino++;
        put_entry(&e, NULL);
    } else {
        fail("unknown entry type '%s'", kw);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: %s [-o OUTPUT] SPEC\n", PROG);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *spec = NULL, *opath = NULL;
    char line[MAX_LINE];
    FILE *in;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (++i >= argc)
                usage();
            opath = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
        } else if (!spec) {
            spec = argv[i];
        } else {
            usage();
        }
    }
    if (!spec)
        usage();

    if (!strcmp(spec, "-")) {
        in = stdin;
        spec_name = "<stdin>";
    } else {
        in = fopen(spec, "r");
        spec_name = spec;
        if (!in)
            fail("cannot open spec '%s': %s", spec, strerror(errno));
    }
    if (opath) {
        out = fopen(opath, "wb");
        if (!out)
            fail("cannot create '%s': %s", opath, strerror(errno));
        out_path = opath;
    } else {
        out = stdout;
    }

    while (fgets(line, sizeof(line), in)) {
        char *fields[MAX_FIELDS + 1];
        char *p = line, *save = NULL;
        int nf = 0;
        size_t len = strlen(line);

        spec_line++;
        if (len && line[len - 1] != '\n' && !feof(in))
            fail("line too long");
        p = line + strspn(line, " \t");
        if (*p == '#')
            continue;
        for (p = strtok_r(line, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
            if (nf == MAX_FIELDS)
                fail("too many fields");
            fields[nf++] = p;
        }
        if (nf)
            do_line(fields, nf);
    }
    if (ferror(in))
        fail("cannot read spec: %s", strerror(errno));
    spec_line = 0;
    if (in != stdin)
        fclose(in);

    {
        struct entry trailer = { .name = "TRAILER!!!", .nlink = 1 };
        put_entry(&trailer, NULL);
    }
    if (fflush(out) || ferror(out))
        fail("write error: %s", strerror(errno));
    if (out != stdout && fclose(out)) {
        out = NULL;
        fail("write error: %s", strerror(errno));
    }
    return 0;
}
