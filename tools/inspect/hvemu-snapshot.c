/* tools/inspect/hvemu-snapshot.c: looks into snapshots (machines/snapshot.h).
 *
 *   hvemu-snapshot dump FILE [N]
 *       the header, each section with its size, and for a pseries snapshot its HTAB
 *       stream decoded (for an incremental snapshot, the snapshot it builds on and the
 *       HPTEs changed since): records, valid and invalid HPTEs, and the first N valid HPTEs
 *       (default 8) as index, the two doublewords and what they say (AVPN, bolted, large
 *       page, secondary hash; real page number, R/C, WIMG, pp)
 *
 * A corrupt or truncated file is refused with one line, exit status 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "hypervisor/papr/papr_htab.h"
#include "machines/snapshot.h"

typedef struct Shown {
    unsigned long want, shown, valid;
    uint64_t bolted;
} Shown;

static void show_hpte(void *opaque, uint64_t index, uint64_t pte0, uint64_t pte1)
{
    Shown *s = opaque;
    s->valid++;
    if (pte0 & HPTE64_V_BOLTED)
        s->bolted++;
    if (s->shown >= s->want)
        return;
    s->shown++;
    printf("  hpte %8llu  %016llx %016llx  avpn %llx%s%s%s  rpn %llx %c%c wimg %llx pp %llx\n",
           (unsigned long long)index, (unsigned long long)pte0, (unsigned long long)pte1,
           (unsigned long long)(pte0 >> 7), (pte0 & HPTE64_V_BOLTED) ? " bolted" : "",
           (pte0 & HPTE64_V_LARGE) ? " large" : "",
           (pte0 & HPTE64_V_SECONDARY) ? " secondary" : "",
           (unsigned long long)(pte1 >> 12), (pte1 & HPTE64_R_R) ? 'R' : '-',
           (pte1 & HPTE64_R_C) ? 'C' : '-', (unsigned long long)((pte1 >> 3) & 0xf),
           (unsigned long long)(pte1 & 3));
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4 || strcmp(argv[1], "dump")) {
        fprintf(stderr, "usage: hvemu-snapshot dump FILE [N]\n");
        return 2;
    }
    const char *path = argv[2];
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 38) {
        fprintf(stderr, "hvemu-snapshot: cannot read '%s': %s\n", path,
                fd < 0 ? strerror(errno) : "too short for a snapshot");
        return 1;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *f = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (f == MAP_FAILED || memcmp(f, "HVEMUSNP", 8)) {
        fprintf(stderr, "hvemu-snapshot: '%s' is not an hvemu snapshot\n", path);
        return 1;
    }
    const uint8_t *end = f + size - 8;
    if (ld_le(end, 8) != XXH64(f, size - 8, 0)) {
        fprintf(stderr, "hvemu-snapshot: '%s' is corrupt or truncated (checksum)\n", path);
        return 1;
    }
    size_t vlen = (size_t)ld_le(f + 12, 2);
    if (vlen > 64 || 14 + vlen + 8 > size - 8) {
        fprintf(stderr, "hvemu-snapshot: '%s' is corrupt (header)\n", path);
        return 1;
    }
    printf("snapshot: format %u, hvemu %.*s, command line %016llx\n",
           (unsigned)ld_le(f + 8, 4), (int)vlen, (const char *)f + 14,
           (unsigned long long)ld_le(f + 14 + vlen, 8));
    SnapSections sec;
    char what[256];
    if (!snapshot_sections(f + 14 + vlen + 8, end, &sec, what, sizeof(what))) {
        fprintf(stderr, "hvemu-snapshot: '%s' %s\n", path, what);
        return 1;
    }
    printf("STAT %zu bytes of machine state\n", sec.state_len);
    if (sec.base[0])
        printf("BASE %s (xxh64 %016llx): the HTAB section holds only what changed since\n",
               sec.base, (unsigned long long)sec.base_sum);
    int rc = 0;
    if (sec.htab) {
        Shown s = { .want = argc == 4 ? strtoul(argv[3], NULL, 0) : 8 };
        uint64_t records, invalid;
        char err[200];
        printf("HTAB %zu bytes:\n", sec.htab_len);
        if (papr_htab_scan(sec.htab, sec.htab_len, show_hpte, &s, &records, &invalid, err,
                           sizeof(err))) {
            printf("HTAB %llu records, %lu valid HPTEs (%llu bolted), %llu invalid\n",
                   (unsigned long long)records, s.valid, (unsigned long long)s.bolted,
                   (unsigned long long)invalid);
        } else {
            fprintf(stderr, "hvemu-snapshot: '%s': %s\n", path, err);
            rc = 1;
        }
    }
    printf("RAM  %zu bytes (zstd)\n", sec.ram_len);
    munmap((void *)f, size);
    return rc;
}
