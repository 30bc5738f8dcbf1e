/*
 * tests/acceptance/e500/init.c: /init of the e500 acceptance initramfs (scripts/guests/e500
 * builds it with powerpc-linux-gnu-gcc -static; no 32-bit powerpc busybox is reachable). As
 * PID 1 it mounts proc, sysfs and devtmpfs (DEVTMPFS_MOUNT does not apply to an initramfs),
 * puts fds 0-2 on /dev/console and prints, in order: HVEMU-INIT-OK; uname(2) in the shape of
 * `uname -a`; /proc/cpuinfo; the device tree's /hypervisor node (strings as text, other
 * values as hex cells) or HVEMU-NO-HYPERVISOR-NODE; only with hvemu.disk=MARKER on the kernel
 * command line, the virtio disk /dev/vda (check_disk: HVEMU-DISK-READ-OK, then
 * HVEMU-DISK-WRITE-OK or HVEMU-DISK-RO-OK, or HVEMU-DISK-FAIL <what>); a workload with known
 * answers (fork and exit statuses, 4 MiB through a pipe with CRC-32, a file on tmpfs written,
 * mmap'd and read back, 32 MiB of memory touched page by page, 64-bit integer and IEEE
 * double/single arithmetic, libm, SHA-256) ending in HVEMU-WORKLOAD-OK or
 * HVEMU-WORKLOAD-FAIL <what>; with hvemu.echo=1, HVEMU-ECHO-READY and one console line
 * echoed back as HVEMU-ECHO: <line> (for record and replay);
 * KVM (KVM_GET_API_VERSION is 12, KVM_CREATE_VM(0) gives a fd, and a vCPU runs a four-
 * instruction guest to its MMIO store): HVEMU-KVM-OK, HVEMU-KVM-FAIL <reason>, or
 * HVEMU-KVM-SKIPPED when the kernel command line holds hvemu.kvm=skip (under QEMU's ppce500,
 * which has no E.HV, /dev/kvm opens and makes VMs but no vCPU can run); then HVEMU-TEST-PASS
 * or HVEMU-TEST-FAIL: <steps>, and it powers off (HVEMU-POWEROFF-FAILED if it could not).
 * The marker names are those of tests/acceptance/init. The known answers were computed on an
 * x86-64 host with Python (hashlib, zlib, float arithmetic), not with this code.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KVM_EXPECTED_API_VERSION 12 /* KVM_API_VERSION, fixed since Linux 2.6.22 */

/* Why a check failed: filled by fail(), printed by the caller. */
typedef struct {
    char text[200];
} Why;

static bool fail(Why *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->text, sizeof(why->text), fmt, ap);
    va_end(ap);
    return false;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- data the checks share ------------------------------------------------------------ */

/* Marsaglia's xorshift32; each step gives 4 bytes, least significant first. */
static uint32_t fill_random(uint8_t *buf, size_t len, uint32_t x)
{
    for (size_t i = 0; i + 4 <= len; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
        buf[i + 1] = (uint8_t)(x >> 8);
        buf[i + 2] = (uint8_t)(x >> 16);
        buf[i + 3] = (uint8_t)(x >> 24);
    }
    return x;
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32(). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
    static uint32_t table[256];
    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* SHA-256 (FIPS 180-4, section 6.2), one-shot. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof(v));
    for (int i = 0; i < 64; i++) {
        uint32_t e = v[4], a = v[0];
        uint32_t t1 = v[7] + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
                      ((e & v[5]) ^ (~e & v[6])) + sha256_k[i] + w[i];
        uint32_t t2 =
            (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof(v[0]));
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

/* The digest as 64 lower-case hex digits. */
static void sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint8_t tail[128] = {0};
    size_t full = len & ~(size_t)63, rest = len - full, tlen = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;

    for (size_t off = 0; off < full; off += 64)
        sha256_block(h, data + off);
    memcpy(tail, data + full, rest); /* 1. the message's last partial block */
    tail[rest] = 0x80;               /* 2. a single 1 bit, then zeros */
    for (int i = 0; i < 8; i++)      /* 3. the length in bits, big endian */
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t off = 0; off < tlen; off += 64)
        sha256_block(h, tail + off);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08" PRIx32, h[i]);
}

/* ---- the workload ----------------------------------------------------------------------- */

/* Children see their parent, exit with chosen statuses or kill themselves; every one is
 * waited for. */
static bool check_fork(Why *why)
{
    enum { N = 6 };
    pid_t pids[N], parent = getpid();
    fflush(NULL);
    for (int i = 0; i < N; i++) {
        pids[i] = fork();
        if (pids[i] < 0)
            return fail(why, "fork: %s", strerror(errno));
        if (pids[i] == 0) {
            if (i == N - 1)
                raise(SIGKILL);
            _exit(getppid() == parent ? 40 + i : 99);
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        int st;
        if (waitpid(pids[i], &st, 0) != pids[i])
            return fail(why, "waitpid: %s", strerror(errno));
        if (i == N - 1 ? !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
                       : !(WIFEXITED(st) && WEXITSTATUS(st) == 40 + i))
            return fail(why, "child %d: wait status 0x%x", i, (unsigned)st);
    }
    if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
        return fail(why, "children left after waiting for all");
    return true;
}

/* 4 MiB of xorshift32(0x2545f491) from a child, written in odd-sized pieces. */
static bool check_pipe(Why *why)
{
    enum { LEN = 4 << 20 };
    const uint32_t want = 0x991055e2;
    int fd[2], st;
    uint8_t buf[65536];
    size_t total = 0;
    uint32_t crc = 0;
    ssize_t n;

    if (pipe(fd) != 0)
        return fail(why, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return fail(why, "fork: %s", strerror(errno));
    if (pid == 0) {
        uint8_t *data = malloc(LEN);
        close(fd[0]);
        if (!data)
            _exit(2);
        fill_random(data, LEN, 0x2545f491);
        for (size_t off = 0; off < LEN;) {
            size_t piece = LEN - off < 12289 ? LEN - off : 12289;
            ssize_t w = write(fd[1], data + off, piece);
            if (w <= 0)
                _exit(3);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(fd[1]);
    while ((n = read(fd[0], buf, sizeof(buf))) > 0) {
        crc = crc32_update(crc, buf, (size_t)n);
        total += (size_t)n;
    }
    close(fd[0]);
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return fail(why, "writer: wait status 0x%x", (unsigned)st);
    if (n < 0)
        return fail(why, "read: %s", strerror(errno));
    if (total != LEN || crc != want)
        return fail(why, "%zu bytes, crc32 0x%08" PRIx32 ", want %d and 0x%08" PRIx32, total, crc,
                    LEN, want);
    return true;
}

/* A 1 MiB file on tmpfs: written in three pieces, fsync'd, read back, changed through a
 * shared mapping, read again, truncated, renamed, removed. */
static bool check_tmpfs(Why *why)
{
    enum { LEN = 1 << 20 };
    static uint8_t data[LEN], back[LEN];
    const char *path = "/tmp/hvemu-workload", *moved = "/tmp/hvemu-workload.old";
    struct stat sb;
    bool ok = false;

    fill_random(data, LEN, 0xc0ffee01);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(why, "create %s: %s", path, strerror(errno));
    if (write(fd, data, 1000) != 1000 || write(fd, data + 1000, 300000) != 300000 ||
        write(fd, data + 301000, LEN - 301000) != LEN - 301000 || fsync(fd) != 0) {
        fail(why, "write: %s", strerror(errno));
        goto out;
    }
    if (fstat(fd, &sb) != 0 || sb.st_size != LEN) {
        fail(why, "size %lld after writing %d", (long long)sb.st_size, LEN);
        goto out;
    }
    if (pread(fd, back, LEN, 0) != LEN || memcmp(back, data, LEN) != 0) {
        fail(why, "read back differs");
        goto out;
    }
    uint8_t *map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        fail(why, "mmap: %s", strerror(errno));
        goto out;
    }
    bool same = memcmp(map, data, LEN) == 0;
    for (size_t i = 0; i < LEN; i += 4096)
        map[i] ^= 0x5a;
    if (msync(map, LEN, MS_SYNC) != 0 || munmap(map, LEN) != 0 || !same) {
        fail(why, same ? "msync/munmap: %s" : "mapping differs from the file", strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < LEN; i += 4096)
        data[i] ^= 0x5a;
    if (pread(fd, back, LEN, 0) != LEN || memcmp(back, data, LEN) != 0) {
        fail(why, "stores through the mapping not in the file");
        goto out;
    }
    if (ftruncate(fd, 12345) != 0 || fstat(fd, &sb) != 0 || sb.st_size != 12345 ||
        pread(fd, back, 100, 12300) != 45) {
        fail(why, "truncate to 12345 bytes");
        goto out;
    }
    if (rename(path, moved) != 0 || access(path, F_OK) == 0 || unlink(moved) != 0 ||
        access(moved, F_OK) == 0) {
        fail(why, "rename/unlink");
        goto out;
    }
    ok = true;
out:
    close(fd);
    unlink(path);
    return ok;
}

/* 32 MiB of anonymous memory, pages touched in a scattered order (TLB misses, page
 * faults), then checked in order. */
static bool check_memory(Why *why)
{
    enum { PAGE = 4096, PAGES = 8192 };
    uint32_t *mem = malloc((size_t)PAGES * PAGE);
    if (!mem)
        return fail(why, "malloc 32 MiB: %s", strerror(errno));
    for (uint32_t i = 0; i < PAGES; i++) {
        uint32_t pg = (i * 4099u) % PAGES;
        uint32_t *p = mem + (size_t)pg * (PAGE / 4);
        p[0] = pg * 2654435761u;
        p[PAGE / 4 - 1] = ~pg;
    }
    for (uint32_t pg = 0; pg < PAGES; pg++) {
        const uint32_t *p = mem + (size_t)pg * (PAGE / 4);
        if (p[0] != pg * 2654435761u || p[PAGE / 4 - 1] != ~pg) {
            free(mem);
            return fail(why, "page %" PRIu32 " lost its contents", pg);
        }
    }
    free(mem);
    return true;
}

/* Inputs the compiler cannot fold. */
static volatile uint64_t v_seed = 1;
static volatile double v_one = 1.0, v_tenth = 0.1, v_fifth = 0.2, v_two = 2.0, v_ten = 10.0;

/* A 64-bit LCG (Knuth's MMIX constants) feeding 64-bit modulo and signed division (libgcc on
 * a 32-bit CPU), 32x32 high products, 32-bit division and count-leading-zeros. */
static bool check_integer(Why *why)
{
    const uint64_t want_acc = 0xfffd703ccfdfe83du, want_mix = 0x7e815dcd01c47ebau;
    uint64_t x = v_seed, acc = 0, mix = 0;

    for (int i = 0; i < 100000; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        acc += x % 1000000007u;
        acc ^= (uint64_t)((int64_t)x / -7919);
        mix = mix * 31 + (uint32_t)(((uint64_t)lo * hi) >> 32);
        mix += (uint64_t)(((int64_t)(int32_t)lo * (int32_t)hi) >> 32);
        mix ^= (uint32_t)((int32_t)lo / (int32_t)((hi >> 8) | 1));
        mix += (uint64_t)__builtin_clz(hi | 1) << (i & 31);
    }
    if (acc != want_acc || mix != want_mix)
        return fail(why,
                    "got 0x%016" PRIx64 " 0x%016" PRIx64 ", want 0x%016" PRIx64 " 0x%016" PRIx64,
                    acc, mix, want_acc, want_mix);
    return true;
}

static uint64_t bits64(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    return u;
}

static uint32_t bits32(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    return u;
}

/* IEEE double and single arithmetic compared bit for bit (every operation is correctly
 * rounded, so the answer is exact), conversions, and libm (sqrt exact, the others within an
 * ulp or two). */
static bool check_float(Why *why)
{
    const uint64_t want_basel = 0x3ffa51a1242681c5u, want_sum = 0x3fd3333333333334u;
    const uint32_t want_harmonic = 0x411c9a10;
    double basel = 0, one = v_one, two = v_two;
    float harmonic = 0;

    for (int k = 1; k <= 200000; k++)
        basel += one / ((double)k * (double)k);
    for (int k = 1; k <= 10000; k++)
        harmonic += (float)one / (float)k;
    if (bits64(basel) != want_basel)
        return fail(why, "sum 1/k^2 = %.17g (0x%016" PRIx64 ")", basel, bits64(basel));
    if (bits32(harmonic) != want_harmonic)
        return fail(why, "single sum 1/k = %.9g (0x%08" PRIx32 ")", harmonic, bits32(harmonic));
    if (bits64(v_tenth + v_fifth) != want_sum)
        return fail(why, "0.1 + 0.2 = 0x%016" PRIx64, bits64(v_tenth + v_fifth));
    if ((int32_t)(-2.7 * one) != -2 || (int64_t)(-2.75e15 * one) != -2750000000000000 ||
        (uint32_t)(3e9 * one) != 3000000000u || (float)(16777217.0 * one) != 16777216.0f ||
        (double)(int64_t)(v_seed << 62) != 4611686018427387904.0)
        return fail(why, "conversions");
    /* Quirk: glibc's sin, cos and atan switch rounding modes with mffscrn/mffscrni (ISA 3.0
     * forms of mffs that older cores execute as mffs); QEMU 7.2 raises an illegal
     * instruction for them on e500mc, so they are not used here. */
    if (sqrt(two) != M_SQRT2 || fabs(exp(log(v_ten)) - 10.0) > 1e-14 ||
        fabs(pow(two, 0.5) - M_SQRT2) > 2e-16 || fabs(log(exp(one)) - 1.0) > 2e-16 ||
        fmod(v_ten, 3.0) != 1.0 || ldexp(one, -1074) == 0.0 || ldexp(one, 1024) != INFINITY)
        return fail(why, "libm: sqrt(2)=%.17g exp(log(10))=%.17g", sqrt(two), exp(log(v_ten)));
    return true;
}

static bool check_sha256(Why *why)
{
    enum { LEN = 1 << 20 };
    static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static const char big[] = "d26b9f0828affb171e7492e320cc2d83565c7bf71cc4bc36fd79db855208f915";
    static uint8_t data[LEN];
    char hex[65];

    sha256_hex((const uint8_t *)"abc", 3, hex);
    if (strcmp(hex, abc) != 0)
        return fail(why, "sha256(\"abc\") = %s", hex);
    fill_random(data, LEN, 0x12345678);
    sha256_hex(data, LEN, hex);
    if (strcmp(hex, big) != 0)
        return fail(why, "sha256(1 MiB) = %s", hex);
    return true;
}

static bool run_workload(void)
{
    static const struct {
        const char *name;
        bool (*run)(Why *why);
    } checks[] = {
        {"fork", check_fork},     {"pipe", check_pipe},       {"tmpfs", check_tmpfs},
        {"memory", check_memory}, {"integer", check_integer}, {"float", check_float},
        {"sha256", check_sha256},
    };
    double start = now();
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        Why why = {""};
        double t = now();
        if (!checks[i].run(&why)) {
            printf("HVEMU-WORKLOAD-FAIL %s: %s\n", checks[i].name, why.text);
            return false;
        }
        printf("workload: %s ok (%.2f s)\n", checks[i].name, now() - t);
    }
    printf("workload: %.2f s in all\nHVEMU-WORKLOAD-OK\n", now() - start);
    return true;
}

/* ---- what the guest sees ------------------------------------------------------------------ */

static bool print_file(const char *path)
{
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "re");
    if (!f) {
        printf("%s: %s\n", path, strerror(errno));
        return false;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return true;
}

/* A property as a device tree source would show it: a list of strings when it is one
 * (every byte printable or a NUL ending a non-empty string), else <cells>, else [bytes]. */
static void print_property(const char *name, const uint8_t *v, size_t len)
{
    bool text = len > 0 && v[len - 1] == 0;
    for (size_t i = 0; text && i < len; i++)
        text = v[i] ? (v[i] >= 0x20 && v[i] < 0x7f) : (i > 0 && v[i - 1] != 0);
    printf("  %s", name);
    if (len == 0) {
        printf(";\n");
        return;
    }
    printf(" = ");
    if (text) {
        for (size_t i = 0; i < len; i += strlen((const char *)v + i) + 1)
            printf("%s\"%s\"", i ? ", " : "", (const char *)v + i);
    } else if (len % 4 == 0) {
        printf("<");
        for (size_t i = 0; i < len; i += 4)
            printf("%s0x%08" PRIx32, i ? " " : "",
                   (uint32_t)v[i] << 24 | (uint32_t)v[i + 1] << 16 | (uint32_t)v[i + 2] << 8 |
                       v[i + 3]);
        printf(">");
    } else {
        printf("[");
        for (size_t i = 0; i < len; i++)
            printf("%s%02x", i ? " " : "", v[i]);
        printf("]");
    }
    printf(";\n");
}

/* Prints one entry of a node's folder under /proc/device-tree: a property, or a child node. */
static bool print_dt_entry(const char *dir, const char *name)
{
    char path[512];
    uint8_t val[1024];
    struct stat sb;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        printf("  %s { ... };\n", name);
        return true;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t len = fd < 0 ? -1 : read(fd, val, sizeof(val));
    if (len < 0)
        printf("  %s: %s\n", name, strerror(errno));
    else
        print_property(name, val, (size_t)len);
    if (fd >= 0)
        close(fd);
    return len >= 0;
}

static int not_dot(const struct dirent *d) { return d->d_name[0] != '.'; }

/* Prints /hypervisor; false if the node exists but cannot be read. */
static bool print_hypervisor_node(void)
{
    const char *dir = "/proc/device-tree/hypervisor";
    struct dirent **names;
    bool ok = true;
    int n = scandir(dir, &names, not_dot, alphasort);
    if (n < 0) {
        if (errno != ENOENT) {
            printf("%s: %s\n", dir, strerror(errno));
            return false;
        }
        printf("HVEMU-NO-HYPERVISOR-NODE\n");
        return true;
    }
    printf("HVEMU-HYPERVISOR-NODE\n/hypervisor {\n");
    for (int i = 0; i < n; i++) {
        ok &= print_dt_entry(dir, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    printf("};\n");
    return ok;
}

/* hvemu.echo=1: console input for record and replay: HVEMU-ECHO-READY, then one line read
 * from the console comes back as HVEMU-ECHO: <line>. */
static bool echo_line(void)
{
    char line[256];
    printf("HVEMU-ECHO-READY\n");
    fflush(stdout);
    if (!fgets(line, sizeof(line), stdin)) {
        printf("echo: no input: %s\n", ferror(stdin) ? strerror(errno) : "end of file");
        return false;
    }
    line[strcspn(line, "\r\n")] = 0;
    printf("HVEMU-ECHO: %s\n", line);
    return true;
}

/* /proc/cmdline into BUF, NUL-terminated (empty if it cannot be read). */
static void read_cmdline(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cmdline", "re");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
}

/* true if the kernel command line holds the word WORD. */
static bool cmdline_has(const char *word)
{
    char buf[4096];
    read_cmdline(buf, sizeof(buf));
    for (char *save, *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
        if (strcmp(w, word) == 0)
            return true;
    return false;
}

/* The VALUE of the first word KEY=VALUE on the kernel command line, copied into VAL; false
 * if there is none. */
static bool cmdline_value(const char *key, char *val, size_t len)
{
    char buf[4096];
    size_t klen = strlen(key);
    read_cmdline(buf, sizeof(buf));
    for (char *save, *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
        if (strncmp(w, key, klen) == 0 && w[klen] == '=') {
            snprintf(val, len, "%s", w + klen + 1);
            return true;
        }
    }
    return false;
}

/* ---- the virtio disk ---------------------------------------------------------------------- */

enum { SECTOR = 512 };

/* Sector N of /dev/vda into BUF (SECTOR bytes, aligned for O_DIRECT), from the device rather
 * than the page cache. */
static bool read_sector(unsigned n, uint8_t *buf, Why *why)
{
    int fd = open("/dev/vda", O_RDONLY | O_DIRECT | O_CLOEXEC);
    ssize_t got = fd < 0 ? -1 : pread(fd, buf, SECTOR, (off_t)n * SECTOR);
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (got != SECTOR)
        return fail(why, "read sector %u: %s", n, got < 0 ? strerror(err) : "short read");
    return true;
}

/* BUF to sector 1 of /dev/vda, past the page cache, then fsync; false (errno set) if the
 * device refuses it at the open, the write or the sync. */
static bool write_sector1(const uint8_t *buf)
{
    int fd = open("/dev/vda", O_WRONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = pwrite(fd, buf, SECTOR, SECTOR) == SECTOR && fsync(fd) == 0;
    int err = errno;
    close(fd);
    errno = err;
    return ok;
}

/* The disk checks of tests/acceptance/init, on the image tests/acceptance/riscv/disk-check.sh
 * makes (MARKER, then zeros). Steps:
 * 1. up to 5 s for devtmpfs to show /dev/vda;
 * 2. its sector 0 starts with MARKER: HVEMU-DISK-READ-OK (on a mismatch nothing is written);
 * 3. with hvemu.disk_ro=1: /sys/block/vda/ro is 1, writing HVEMU-WRITTEN and zeros to sector 1
 *    is refused and the sector is unchanged: HVEMU-DISK-RO-OK; or with hvemu.disk_write=1:
 *    the same write succeeds and reads back: HVEMU-DISK-WRITE-OK. */
static bool check_disk(const char *marker, Why *why)
{
    static _Alignas(4096) uint8_t written[SECTOR], before[SECTOR], back[SECTOR];
    struct stat sb;
    char ro[8] = "";

    /* 1. */
    for (int i = 0; i < 50 && !(stat("/dev/vda", &sb) == 0 && S_ISBLK(sb.st_mode)); i++)
        nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
    if (stat("/dev/vda", &sb) != 0 || !S_ISBLK(sb.st_mode))
        return fail(why, "no /dev/vda");

    /* 2. */
    if (!read_sector(0, back, why))
        return false;
    if (strlen(marker) > SECTOR || memcmp(back, marker, strlen(marker)) != 0)
        return fail(why, "sector 0 does not start with %s", marker);
    printf("HVEMU-DISK-READ-OK\n");

    /* 3. */
    memcpy(written, "HVEMU-WRITTEN", strlen("HVEMU-WRITTEN"));
    if (cmdline_has("hvemu.disk_ro=1")) {
        FILE *f = fopen("/sys/block/vda/ro", "re");
        bool is_ro = f && fgets(ro, sizeof(ro), f) && strcmp(ro, "1\n") == 0;
        if (f)
            fclose(f);
        if (!is_ro)
            return fail(why, "/sys/block/vda/ro is not 1");
        if (!read_sector(1, before, why))
            return false;
        if (write_sector1(written))
            return fail(why, "the read-only disk took a write");
        if (!read_sector(1, back, why))
            return false;
        if (memcmp(back, before, SECTOR) != 0)
            return fail(why, "sector 1 of the read-only disk changed");
        printf("HVEMU-DISK-RO-OK\n");
    } else if (cmdline_has("hvemu.disk_write=1")) {
        if (!write_sector1(written))
            return fail(why, "write sector 1: %s", strerror(errno));
        if (!read_sector(1, back, why))
            return false;
        if (memcmp(back, written, SECTOR) != 0)
            return fail(why, "sector 1 reads back other than written");
        printf("HVEMU-DISK-WRITE-OK\n");
    }
    return true;
}

/* The KVM guest: 16 bytes at guest physical 0, where a vCPU starts (PC 0, MSR 0). The store
 * goes to 0x00100000, inside the TLB1 entry below but in no memory slot: KVM_EXIT_MMIO. */
static const uint32_t kvm_guest_code[] = {
    0x3860002a, /* li   r3, 42 */
    0x3c800010, /* lis  r4, 0x0010 */
    0x90640000, /* stw  r3, 0(r4) */
    0x48000000, /* b    . */
};
#define KVM_GUEST_MMIO 0x00100000u
#define KVM_GUEST_RAM 0x10000u

/* Guest TLB entry fields (Book III-E MAV 1.0, e500mc: TSIZE 4^n KiB, written as Linux's
 * BOOK3E_PAGESZ_* << 7). */
#define MAS1_VALID 0x80000000u
#define MAS1_TSIZE_16M (14u << 7)
#define MAS3_SUPER_RWX 0x15u /* SX | SW | SR */

/* The descriptors check_kvm opens, closed together. */
typedef struct {
    int kvm, vm, vcpu;
    struct kvm_run *run;
    size_t run_size;
    void *ram;
} KvmProbe;

static void kvm_probe_close(KvmProbe *k)
{
    if (k->run)
        munmap(k->run, k->run_size);
    if (k->ram)
        munmap(k->ram, KVM_GUEST_RAM);
    if (k->vcpu >= 0)
        close(k->vcpu);
    if (k->vm >= 0)
        close(k->vm);
    if (k->kvm >= 0)
        close(k->kvm);
}

static void on_alarm(int sig) { (void)sig; }

/* KVM must run a guest, not only open: QEMU's ppce500 has /dev/kvm and creates VMs, but
 * without E.HV Linux keeps every vCPU from running (EINVAL). Steps:
 * 1. /dev/kvm, KVM_GET_API_VERSION is 12, KVM_CREATE_VM(0) gives a fd;
 * 2. a vCPU, its kvm_run page, 64 KiB of guest memory at 0 holding kvm_guest_code;
 * 3. the guest TLB (KVM_CAP_SW_TLB) with one TLB1 entry mapping 16 MiB at 0 to 0, as the
 *    guest starts with none on e500mc;
 * 4. KVM_RUN, bounded by a 10 s alarm, must stop at the guest's 4-byte store of 42. */
static bool check_kvm(Why *why)
{
    static struct kvm_book3e_206_tlb_entry tlb[512 + 64];
    struct kvm_book3e_206_tlb_params params = {.tlb_sizes = {512, 64}, .tlb_ways = {4, 64}};
    struct kvm_config_tlb cfg = {
        .params = (uintptr_t)&params,
        .array = (uintptr_t)tlb,
        .mmu_type = KVM_MMU_FSL_BOOKE_NOHV,
        .array_len = sizeof(tlb),
    };
    struct kvm_enable_cap cap = {.cap = KVM_CAP_SW_TLB, .args = {(uintptr_t)&cfg}};
    struct sigaction alarm_action = {.sa_handler = on_alarm}; /* no SA_RESTART */
    KvmProbe k = {.kvm = -1, .vm = -1, .vcpu = -1};
    bool ok = false;
    int api, r;

    /* 1. */
    if ((k.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0) {
        fail(why, "open /dev/kvm: %s", strerror(errno));
        goto out;
    }
    if ((api = ioctl(k.kvm, KVM_GET_API_VERSION, 0)) != KVM_EXPECTED_API_VERSION) {
        fail(why, "KVM_GET_API_VERSION = %d (%s), want %d", api, api < 0 ? strerror(errno) : "",
             KVM_EXPECTED_API_VERSION);
        goto out;
    }
    if ((k.vm = ioctl(k.kvm, KVM_CREATE_VM, 0)) < 0) {
        fail(why, "KVM_CREATE_VM: %s", strerror(errno));
        goto out;
    }
    printf("kvm: API version %d, VM created\n", api);

    /* 2. */
    if ((r = ioctl(k.kvm, KVM_GET_VCPU_MMAP_SIZE, 0)) <= 0 ||
        (k.vcpu = ioctl(k.vm, KVM_CREATE_VCPU, 0)) < 0) {
        fail(why, "%s: %s", r <= 0 ? "KVM_GET_VCPU_MMAP_SIZE" : "KVM_CREATE_VCPU", strerror(errno));
        goto out;
    }
    k.run_size = (size_t)r;
    k.run = mmap(NULL, k.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k.vcpu, 0);
    k.ram = mmap(NULL, KVM_GUEST_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (k.run == MAP_FAILED || k.ram == MAP_FAILED) {
        k.run = k.run == MAP_FAILED ? NULL : k.run;
        k.ram = k.ram == MAP_FAILED ? NULL : k.ram;
        fail(why, "mmap: %s", strerror(errno));
        goto out;
    }
    memcpy(k.ram, kvm_guest_code, sizeof(kvm_guest_code));
    struct kvm_userspace_memory_region slot = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = KVM_GUEST_RAM,
        .userspace_addr = (uintptr_t)k.ram,
    };
    if (ioctl(k.vm, KVM_SET_USER_MEMORY_REGION, &slot) != 0) {
        fail(why, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
        goto out;
    }

    /* 3. TLB1 entry 0 follows the 512 of TLB0. */
    tlb[512] = (struct kvm_book3e_206_tlb_entry){
        .mas1 = MAS1_VALID | MAS1_TSIZE_16M,
        .mas2 = 0,
        .mas7_3 = MAS3_SUPER_RWX,
    };
    if (ioctl(k.vcpu, KVM_ENABLE_CAP, &cap) != 0) {
        fail(why, "KVM_ENABLE_CAP(KVM_CAP_SW_TLB): %s%s", strerror(errno),
             errno == EINVAL ? " (the vCPU is not runnable: no E.HV?)" : "");
        goto out;
    }

    /* 4. */
    sigaction(SIGALRM, &alarm_action, NULL);
    alarm(10);
    r = ioctl(k.vcpu, KVM_RUN, 0);
    alarm(0);
    if (r != 0) {
        fail(why, "KVM_RUN: %s",
             errno == EINTR ? "the guest did not exit within 10 s" : strerror(errno));
        goto out;
    }
    static const uint8_t want[4] = {0, 0, 0, 42}; /* big endian, as the guest stored it */
    if (k.run->exit_reason != KVM_EXIT_MMIO || !k.run->mmio.is_write || k.run->mmio.len != 4 ||
        k.run->mmio.phys_addr != KVM_GUEST_MMIO || memcmp(k.run->mmio.data, want, 4) != 0) {
        fail(why,
             "KVM_RUN exit %" PRIu32 " (mmio %s 0x%" PRIx64 " len %" PRIu32
             "), want the guest's store of 42 to 0x%x",
             k.run->exit_reason, k.run->mmio.is_write ? "write" : "read",
             (uint64_t)k.run->mmio.phys_addr, k.run->mmio.len, KVM_GUEST_MMIO);
        goto out;
    }
    printf("kvm: the guest ran and stored 42 to 0x%x (KVM_EXIT_MMIO)\n", KVM_GUEST_MMIO);
    ok = true;
out:
    kvm_probe_close(&k);
    return ok;
}

/* ---- PID 1 ------------------------------------------------------------------------------ */

/* Mounts TYPE on DIR (made if missing); appends the error to ERR. */
static void mount_fs(const char *type, const char *dir, const char *opts, char *err, size_t n)
{
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || mount(type, dir, type, 0, opts) != 0) {
        size_t used = strlen(err);
        snprintf(err + used, n - used, " %s on %s: %s;", type, dir, strerror(errno));
    }
}

/* Mounts what the checks need and points fds 0-2 at the console: the kernel opened the
 * cpio's /dev/console for us if it had one, the devtmpfs node serves if it did not. */
static void setup_pid1(char *err, size_t n)
{
    mount_fs("proc", "/proc", NULL, err, n);
    mount_fs("sysfs", "/sys", NULL, err, n);
    mount_fs("devtmpfs", "/dev", NULL, err, n);
    mount_fs("tmpfs", "/tmp", "mode=1777,size=64m", err, n);
    int fd = open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd >= 0) {
        for (int i = 0; i < 3; i++)
            if (fd != i)
                dup2(fd, i);
        if (fd > 2)
            close(fd);
    }
}

int main(void)
{
    /* Mounting and powering off only as init: never on a host that runs this by mistake. */
    bool pid1 = getpid() == 1;
    char setup_err[512] = "";
    char failed[128] = "";
    struct utsname u;

    if (pid1)
        setup_pid1(setup_err, sizeof(setup_err));
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("HVEMU-INIT-OK\n");
    if (setup_err[0]) {
        printf("init: mount failed:%s\n", setup_err);
        strcat(failed, " mount");
    }

    if (uname(&u) == 0) {
        printf("%s %s %s %s %s GNU/Linux\n", u.sysname, u.nodename, u.release, u.version,
               u.machine);
    } else {
        printf("uname: %s\n", strerror(errno));
        strcat(failed, " uname");
    }
    if (!print_file("/proc/cpuinfo"))
        strcat(failed, " cpuinfo");
    if (!print_hypervisor_node())
        strcat(failed, " hypervisor-node");
    char marker[256];
    if (cmdline_value("hvemu.disk", marker, sizeof(marker))) {
        Why why = {""};
        if (!check_disk(marker, &why)) {
            printf("HVEMU-DISK-FAIL %s\n", why.text);
            strcat(failed, " disk");
        }
    }
    if (!run_workload())
        strcat(failed, " workload");
    if (cmdline_has("hvemu.echo=1") && !echo_line())
        strcat(failed, " echo");

    if (cmdline_has("hvemu.kvm=skip")) {
        printf("kvm: /dev/kvm %s, not checked (hvemu.kvm=skip)\nHVEMU-KVM-SKIPPED\n",
               access("/dev/kvm", F_OK) == 0 ? "exists" : "is absent");
    } else {
        Why why = {""};
        if (check_kvm(&why)) {
            printf("HVEMU-KVM-OK\n");
        } else {
            printf("HVEMU-KVM-FAIL %s\n", why.text);
            strcat(failed, " kvm");
        }
    }

    if (failed[0])
        printf("HVEMU-TEST-FAIL:%s\n", failed);
    else
        printf("HVEMU-TEST-PASS\n");
    fflush(NULL);
    if (!pid1)
        return failed[0] ? 1 : 0;
    sync();
    reboot(RB_POWER_OFF);
    printf("HVEMU-POWEROFF-FAILED: %s\n", strerror(errno));
    for (;;)
        pause();
}
