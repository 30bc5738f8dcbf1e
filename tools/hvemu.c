/* tools/hvemu.c: the hvemu command line. Options are spelt as QEMU spells them where
 * QEMU has the option (-M, -cpu, -m, -smp, -kernel, -initrd, -append, -bios, -dtb,
 * -dumpdtb, -nographic, -serial, -drive, -d, -D), so a QEMU command line mostly works
 * unchanged. Bad input ends the run with one line on stderr and exit status 1. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "machines/machine.h"
#include "machines/snapshot.h"
#include "tools/gdbstub.h"

typedef struct Cli {
    MachineOpts o;
    const char *serial;
    const char *log_items;
    const char *log_file;
    const char *record, *replay, *loadvm;
    const char *gdb;              /* -gdb tcp::PORT (-s: tcp::1234) */
    bool gdb_wait;                /* -S */
    bool nographic;
    char *owned[2 + MACHINE_MAX_DRIVES]; /* copies the options point into */
    unsigned nowned;
} Cli;

/* Frees what the options own and passes the exit status through. */
static int cli_done(Cli *c, int status)
{
    for (unsigned k = 0; k < c->nowned; k++)
        free(c->owned[k]);
    c->nowned = 0;
    return status;
}

static char *cli_strdup(Cli *c, const char *s)
{
    char *p = strdup(s);
    if (!p || c->nowned >= ARRAY_SIZE(c->owned)) {
        fprintf(stderr, "hvemu: out of memory\n");
        exit(1);
    }
    c->owned[c->nowned++] = p;
    return p;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hvemu: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: hvemu [options]\n"
            "\n"
            "  -M, -machine NAME[,hv=on][,vof=off]  machine to emulate (-M help lists them)\n"
            "  -cpu NAME                  CPU model (-cpu help lists them)\n"
            "  -m SIZE                    guest RAM, in MiB or with a K/M/G suffix\n"
            "  -smp N                     number of vCPUs\n"
            "  -kernel FILE               kernel: ELF, or a RISC-V Linux Image\n"
            "  -initrd FILE               initial ramdisk\n"
            "  -append STRING             kernel command line\n"
            "  -bios FILE|none            M-mode firmware (default: the built-in SBI)\n"
            "  -dtb FILE                  use this device tree blob\n"
            "  -dumpdtb FILE              write the machine's device tree and exit\n"
            "  -drive file=F[,if=virtio][,format=raw][,readonly=on]\n"
            "                             a virtio block device backed by F\n"
            "  -nographic                 no display; the serial console is on stdio,\n"
            "                             Ctrl-A x quits\n"
            "  -serial stdio|mon:stdio|none|file:PATH\n"
            "  -display none              accepted for compatibility\n"
            "  -d ITEM[,ITEM]             log in_asm, exec, int, mmu, hcall, sbi, ehv, unimp\n"
            "                             (-d help)\n"
            "  -D FILE                    write the log to FILE (default stderr)\n"
            "  -rtc base=utc|DATE         the guest real-time clock at start (DATE: YYYY-MM-DD[THH:MM:SS])\n"
            "  --record FILE              write the run's input journal to FILE\n"
            "  --replay FILE              run again from the journal in FILE, bit for bit\n"
            "  --trace-hash N             print a hash of every vCPU's state and of guest\n"
            "                             memory every N instructions (K/M/G suffixes)\n"
            "  --savevm FILE@ICOUNT       save a snapshot after ICOUNT instructions\n"
            "  --loadvm FILE              start from a snapshot\n"
            "  -gdb tcp::PORT|tcp:HOST:PORT  serve gdb's remote protocol there\n"
            "  -s                         the same as -gdb tcp::1234\n"
            "  -S                         do not start the vCPUs before gdb says so\n"
            "                             (on a --replay gdb can also step and continue back)\n"
            "  -h, -help, --help          this text\n"
            "  -version, --version        version\n");
}

static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        die("invalid memory size '%s'", s);
    uint64_t mul = MiB;
    switch (*end) {
    case 'k': case 'K': mul = KiB; end++; break;
    case 'm': case 'M': mul = MiB; end++; break;
    case 'g': case 'G': mul = GiB; end++; break;
    case 't': case 'T': mul = 1024 * GiB; end++; break;
    case 'b': case 'B': mul = 1; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end || v * (double)mul > 1e15)
        die("invalid memory size '%s'", s);
    return (uint64_t)(v * (double)mul);
}

static unsigned parse_uint(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s || (*end && *end != ',') || v > 4096)
        die("%s: invalid number '%s'", opt, s);
    return (unsigned)v;
}

static bool takes_value(const char *o);

/* A count with an optional K, M or G (powers of 1000) suffix. */
static uint64_t parse_count(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1000; end++; break;
    case 'm': case 'M': mul = 1000000; end++; break;
    case 'g': case 'G': mul = 1000000000; end++; break;
    default: break;
    }
    if (errno || end == s || *end || v == 0 || v > UINT64_MAX / mul || *s == '-')
        die("%s: invalid count '%s' (a positive number, optionally with K, M or G)", opt, s);
    return v * mul;
}

/* --savevm FILE@ICOUNT: kept in increasing ICOUNT order. */
static void parse_savevm(Cli *c, const char *arg)
{
    const char *at = strrchr(arg, '@');
    if (!at || at == arg)
        die("--savevm: expected FILE@ICOUNT, not '%s'", arg);
    if (c->o.nsavevm >= MACHINE_MAX_SAVEVM)
        die("--savevm: at most %d snapshots", MACHINE_MAX_SAVEVM);
    char *file = cli_strdup(c, arg);
    file[at - arg] = 0;
    uint64_t icount = parse_count("--savevm", at + 1);
    unsigned k = c->o.nsavevm++;
    while (k > 0 && c->o.savevm_at[k - 1] > icount) {
        c->o.savevm[k] = c->o.savevm[k - 1];
        c->o.savevm_at[k] = c->o.savevm_at[k - 1];
        k--;
    }
    c->o.savevm[k] = file;
    c->o.savevm_at[k] = icount;
}

/* Options that do not change what the guest does: a journal recorded with one set of
 * them replays with another. */
static bool outside_run(const char *o)
{
    static const char *const opts[] = { "-d", "-D", "-serial", "-nographic", "-display",
                                        "-record", "-replay", "-trace-hash", "-savevm",
                                        "-loadvm", "-gdb", "-s", "-S" };
    for (unsigned k = 0; k < ARRAY_SIZE(opts); k++)
        if (!strcmp(o, opts[k]))
            return true;
    return false;
}

static void hash_file(XXH3_state_t *x, const char *opt, const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        die("%s: cannot read '%s': %s", opt, path, strerror(errno));
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            die("%s: cannot read '%s': %s", opt, path, strerror(errno));
        XXH3_64bits_update(x, p, (size_t)st.st_size);
        munmap(p, (size_t)st.st_size);
    }
    close(fd);
}

/* What a journal is recorded against: the options that shape the run and the contents
 * of every file they name. */
static uint64_t config_hash(const Cli *c, int argc, char **argv)
{
    XXH3_state_t *x = XXH3_createState();
    XXH3_64bits_reset(x);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && a[2])
            a++;
        if (outside_run(a)) {
            i += takes_value(a);
            continue;
        }
        XXH3_64bits_update(x, a, strlen(a) + 1);
    }
    const char *files[][2] = { { "-kernel", c->o.kernel }, { "-initrd", c->o.initrd },
                               { "-dtb", c->o.dtb }, { "-bios", c->o.bios } };
    for (unsigned k = 0; k < ARRAY_SIZE(files); k++)
        if (files[k][1] && strcmp(files[k][1], "none"))
            hash_file(x, files[k][0], files[k][1]);
    /* A writable drive's contents change with the run that records: a replay finds the
     * file as the recording left it and the journal holds what it was before. */
    for (unsigned k = 0; k < c->o.ndrives; k++)
        if (c->o.drives[k].readonly)
            hash_file(x, "-drive", c->o.drives[k].file);
    uint64_t h = XXH3_64bits_digest(x);
    XXH3_freeState(x);
    return h;
}

/* -M name[,key=value...] */
static void parse_machine(Cli *c, const char *arg)
{
    char *copy = cli_strdup(c, arg);
    char *save = NULL;
    char *tok = strtok_r(copy, ",", &save);
    c->o.machine = tok ? tok : "";
    while ((tok = strtok_r(NULL, ",", &save))) {
        if (!strcmp(tok, "hv=on"))
            c->o.hv = true;
        else if (!strcmp(tok, "hv=off"))
            c->o.hv = false;
        else if (!strcmp(tok, "vof=on"))
            c->o.no_firmware = false;
        else if (!strcmp(tok, "vof=off"))
            c->o.no_firmware = true;
        else
            die("-M: unknown machine property '%s'", tok);
    }
}

/* -rtc base=utc|YYYY-MM-DD[THH:MM:SS]: the real-time clock's value at virtual time 0.
 * The host's clock by default; a fixed date makes runs with a guest RTC repeatable. */
static void parse_rtc(Cli *c, const char *arg)
{
    if (strncmp(arg, "base=", 5))
        die("-rtc: expected base=utc or base=YYYY-MM-DDTHH:MM:SS, not '%s'", arg);
    const char *v = arg + 5;
    if (!strcmp(v, "utc")) {
        c->o.rtc_base = 0;
        return;
    }
    struct tm tm = { 0 };
    const char *end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(v, "%Y-%m-%d", &tm);
    }
    time_t t = end && !*end ? timegm(&tm) : (time_t)-1;
    if (t <= 0)
        die("-rtc: cannot read the date '%s' (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC, after 1970)", v);
    c->o.rtc_base = (uint64_t)t;
}

static void parse_drive(Cli *c, const char *arg)
{
    if (c->o.ndrives >= MACHINE_MAX_DRIVES)
        die("-drive: at most %d drives", MACHINE_MAX_DRIVES);
    DriveOpts *d = &c->o.drives[c->o.ndrives++];
    char *copy = cli_strdup(c, arg);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "file=", 5))
            d->file = tok + 5;
        else if (!strcmp(tok, "if=virtio") || !strcmp(tok, "format=raw") || !strcmp(tok, "if=none"))
            continue;
        else if (!strcmp(tok, "readonly=on"))
            d->readonly = true;
        else if (!strcmp(tok, "readonly=off"))
            d->readonly = false;
        else if (!strncmp(tok, "if=", 3) || !strncmp(tok, "format=", 7))
            die("-drive: '%s' is not supported (only if=virtio, format=raw)", tok);
        else if (!strncmp(tok, "id=", 3) || !strncmp(tok, "cache=", 6))
            continue;
        else
            die("-drive: unknown property '%s'", tok);
    }
    if (!d->file || !*d->file)
        die("-drive: file= is required");
}

static unsigned parse_log(const char *items)
{
    static const struct { const char *name; unsigned bit; const char *help; } logs[] = {
        { "in_asm", LOG_IN_ASM, "each block of guest code when it is translated, disassembled" },
        { "exec", LOG_EXEC, "every instruction as it executes, disassembled" },
        { "int", LOG_INT, "interrupts and exceptions" },
        { "mmu", LOG_MMU, "each translation step by step: hashed page table (SLB, VSID, hash, "
                          "PTEGs, HPTEs), RISC-V page tables (VS-stage and G-stage levels), "
                          "Book III-E TLB0/TLB1 matches with TGS/TLPID" },
        { "hcall", LOG_HCALL, "PAPR hypercalls and RTAS calls with their arguments and results" },
        { "sbi", LOG_SBI, "SBI calls with their arguments and results" },
        { "ehv", LOG_EHV, "e500: ePAPR hypercalls with their arguments and results, guest exits "
                          "the hypervisor emulates or reflects, E.HV interrupt routing" },
        { "unimp", LOG_UNIMP, "features the guest used that hvemu does not implement" },
    };
    unsigned mask = 0;
    char *copy = strdup(items);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "help")) {
            printf("Log items (comma separated):\n");
            for (unsigned k = 0; k < ARRAY_SIZE(logs); k++)
                printf("%-14s %s\n", logs[k].name, logs[k].help);
            exit(0);
        }
        unsigned k;
        for (k = 0; k < ARRAY_SIZE(logs); k++)
            if (!strcmp(tok, logs[k].name))
                break;
        if (k == ARRAY_SIZE(logs))
            die("-d: unknown log item '%s' (-d help lists them)", tok);
        mask |= logs[k].bit;
    }
    free(copy);
    return mask;
}

static struct termios saved_tty;
static bool tty_raw;

static void restore_tty(void)
{
    if (tty_raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* The console gets every key, Ctrl-C included; Ctrl-A x quits. */
static void stdin_raw(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) < 0)
        return;
    struct termios t = saved_tty;
    t.c_iflag &= ~(unsigned)(ICRNL | IXON | INLCR | IGNCR);
    t.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_oflag |= OPOST | ONLCR;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
        tty_raw = true;
        atexit(restore_tty);
    }
}

/* Options that take a value, and those that do not. */
static bool takes_value(const char *o)
{
    static const char *const with[] = {
        "-M", "-machine", "-cpu", "-m", "-smp", "-kernel", "-initrd", "-append", "-bios", "-dtb",
        "-dumpdtb", "-drive", "-serial", "-display", "-d", "-D", "-rtc", "-record", "-replay",
        "-trace-hash", "-savevm", "-loadvm", "-gdb",
    };
    for (unsigned k = 0; k < ARRAY_SIZE(with); k++)
        if (!strcmp(o, with[k]))
            return true;
    return false;
}

static void check_readable(const char *opt, const char *path)
{
    if (path && access(path, R_OK) != 0)
        die("%s: cannot read '%s': %s", opt, path, strerror(errno));
}

/* gdb went back in a replay: the same machine again from the start of the journal (or
 * the snapshot it started from). */
static Machine *recreate(void *opaque, Machine *old, char *err, size_t errlen)
{
    Cli *c = opaque;
    const MachineClass *cls = old->cls;
    cls->destroy(old);
    c->o.journal->next = 0;
    Machine *m = cls->create(&c->o, err, errlen);
    if (m && c->loadvm && !snapshot_load(m, c->loadvm, err, errlen)) {
        cls->destroy(m);
        return NULL;
    }
    return m;
}

int main(int argc, char **argv)
{
    Cli c = { .o = { .smp = 1, .console_in_fd = STDIN_FILENO, .console_out_fd = STDOUT_FILENO } };
    const char *mem = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* QEMU accepts --opt for -opt. */
        if (a[0] == '-' && a[1] == '-' && a[2])
            a++;
        if (!strcmp(a, "-h") || !strcmp(a, "-help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "-version")) {
            printf("hvemu version %s\n", HVEMU_VERSION);
            return 0;
        }
        if (!strcmp(a, "-nographic")) {
            c.nographic = true;
            continue;
        }
        if (!strcmp(a, "-s")) {
            c.gdb = "tcp::1234";
            continue;
        }
        if (!strcmp(a, "-S")) {
            c.gdb_wait = true;
            continue;
        }
        if (a[0] != '-')
            die("unexpected argument '%s' (see -h)", argv[i]);
        if (!takes_value(a))
            die("unknown option '%s' (see -h)", argv[i]);
        if (i + 1 >= argc)
            die("option '%s' needs a value", argv[i]);
        const char *v = argv[++i];
        if (!strcmp(a, "-M") || !strcmp(a, "-machine")) parse_machine(&c, v);
        else if (!strcmp(a, "-cpu")) c.o.cpu = v;
        else if (!strcmp(a, "-m")) mem = v;
        else if (!strcmp(a, "-smp")) c.o.smp = parse_uint("-smp", strncmp(v, "cpus=", 5) ? v : v + 5);
        else if (!strcmp(a, "-kernel")) c.o.kernel = v;
        else if (!strcmp(a, "-initrd")) c.o.initrd = v;
        else if (!strcmp(a, "-append")) c.o.append = v;
        else if (!strcmp(a, "-bios")) c.o.bios = v;
        else if (!strcmp(a, "-dtb")) c.o.dtb = v;
        else if (!strcmp(a, "-dumpdtb")) c.o.dumpdtb = v;
        else if (!strcmp(a, "-drive")) parse_drive(&c, v);
        else if (!strcmp(a, "-serial")) c.serial = v;
        else if (!strcmp(a, "-display")) {
            if (strcmp(v, "none"))
                die("-display %s: only 'none' is supported", v);
        } else if (!strcmp(a, "-d")) c.log_items = v;
        else if (!strcmp(a, "-D")) c.log_file = v;
        else if (!strcmp(a, "-rtc")) parse_rtc(&c, v);
        else if (!strcmp(a, "-record")) c.record = v;
        else if (!strcmp(a, "-replay")) c.replay = v;
        else if (!strcmp(a, "-trace-hash")) c.o.trace_hash = parse_count("--trace-hash", v);
        else if (!strcmp(a, "-savevm")) parse_savevm(&c, v);
        else if (!strcmp(a, "-loadvm")) c.loadvm = v;
        else if (!strcmp(a, "-gdb")) c.gdb = v;
    }

    if (c.o.machine && !strcmp(c.o.machine, "help")) {
        machine_list(stdout);
        return cli_done(&c, 0);
    }
    const MachineClass *cls = machine_find(c.o.machine ? c.o.machine : "virt");
    if (!cls)
        die("unknown machine '%s' (-M help lists them)", c.o.machine);
    if (c.o.cpu && !strcmp(c.o.cpu, "help")) {
        printf("Available CPUs for -M %s:\n", cls->name);
        for (const char *const *p = cls->cpus; *p; p++)
            printf("  %s\n", *p);
        return cli_done(&c, 0);
    }
    if (c.o.cpu) {
        const char *const *p;
        for (p = cls->cpus; *p && strcmp(*p, c.o.cpu); p++)
            ;
        if (!*p)
            die("unknown CPU '%s' for -M %s (-cpu help lists them)", c.o.cpu, cls->name);
    }
    c.o.ram_size = mem ? parse_size(mem) : cls->default_ram;
    if (c.o.smp == 0 || c.o.smp > cls->max_smp)
        die("-smp %u: the %s machine supports 1 to %u vCPUs", c.o.smp, cls->name, cls->max_smp);
    if (c.log_items)
        c.o.log_mask = parse_log(c.log_items);
    check_readable("-kernel", c.o.kernel);
    check_readable("-initrd", c.o.initrd);
    check_readable("-dtb", c.o.dtb);
    if (c.o.bios && strcmp(c.o.bios, "none"))
        check_readable("-bios", c.o.bios);

    const char *serial = c.serial ? c.serial : "mon:stdio";
    if (!strcmp(serial, "none")) {
        c.o.console_in_fd = c.o.console_out_fd = -1;
    } else if (!strncmp(serial, "file:", 5)) {
        FILE *f = fopen(serial + 5, "w");
        if (!f)
            die("-serial: cannot write '%s': %s", serial + 5, strerror(errno));
        c.o.console_out_fd = fileno(f);
        c.o.console_in_fd = -1;
    } else if (!strcmp(serial, "stdio") || !strcmp(serial, "mon:stdio")) {
        c.o.console_mux = true;
    } else {
        die("-serial %s: supported are stdio, mon:stdio, none, file:PATH", serial);
    }

    if (c.log_file) {
        c.o.log = fopen(c.log_file, "w");
        if (!c.o.log)
            die("-D: cannot write '%s': %s", c.log_file, strerror(errno));
    } else if (c.o.log_mask) {
        c.o.log = stderr;
    }

    char err[512] = "";
    Journal journal;
    if (c.record && c.replay)
        die("--record and --replay cannot be used together");
    if (c.record || c.replay || c.loadvm || c.o.nsavevm) {
        const char *opt = c.record ? "--record" : c.replay ? "--replay"
                        : c.loadvm ? "--loadvm" : "--savevm";
        if (c.o.dumpdtb)
            die("-dumpdtb does not run the machine: %s has nothing to do", opt);
        for (unsigned k = 0; k < c.o.ndrives; k++)
            if (!c.o.drives[k].readonly && (c.loadvm || c.o.nsavevm))
                die("%s: -drive file=%s is writable; snapshots do not hold disk contents, so "
                    "they take read-only drives (readonly=on)", opt, c.o.drives[k].file);
        c.o.config = config_hash(&c, argc, argv);
    }
    if (c.record || c.replay) {
        uint64_t config = c.o.config;
        if (c.replay) {
            if (!journal_replay_open(&journal, c.replay, config, err, sizeof(err)))
                die("%s", err);
            if (c.o.trace_hash && journal.hdr.hash_every && c.o.trace_hash != journal.hdr.hash_every)
                die("--replay: '%s' was recorded with --trace-hash %llu", c.replay,
                    (unsigned long long)journal.hdr.hash_every);
            if (c.o.trace_hash && !journal.hdr.hash_every)
                die("--replay: '%s' was recorded without --trace-hash", c.replay);
            c.o.rtc_base = journal.hdr.rtc_base;
        } else {
            if (!c.o.rtc_base)
                c.o.rtc_base = (uint64_t)time(NULL);
            JournalHeader hdr = { .config = config, .rtc_base = c.o.rtc_base,
                                  .hash_every = c.o.trace_hash,
                                  .has_input = c.o.console_in_fd >= 0,
                                  .interactive = c.o.console_in_fd >= 0 &&
                                                 isatty(c.o.console_in_fd) };
            if (!journal_record_open(&journal, c.record, &hdr, err, sizeof(err)))
                die("%s", err);
        }
        c.o.journal = &journal;
    }
    if (!c.o.rtc_base)
        c.o.rtc_base = (uint64_t)time(NULL); /* the only read of the host clock */
    c.o.hash_out = c.o.log ? c.o.log : stderr;
    Machine *m = cls->create(&c.o, err, sizeof(err));
    if (!m)
        die("%s", err[0] ? err : "cannot create the machine");
    if (c.loadvm && !snapshot_load(m, c.loadvm, err, sizeof(err))) {
        cls->destroy(m);
        die("%s", err);
    }
    if (c.o.dumpdtb) {
        bool ok = cls->dump_dtb(m, c.o.dumpdtb, err, sizeof(err));
        cls->destroy(m);
        if (!ok)
            die("%s", err);
        return cli_done(&c, 0);
    }
    GdbStub *gdb = NULL;
    if (c.gdb_wait && !c.gdb)
        die("-S waits for gdb: give -s or -gdb tcp::PORT too");
    if (c.gdb && !(gdb = gdbstub_listen(c.gdb, err, sizeof(err)))) {
        cls->destroy(m);
        die("%s", err);
    }
    if (c.o.console_in_fd >= 0 && !c.replay)
        stdin_raw();
    int status;
    if (gdb) {
        status = gdbstub_run(gdb, &m, c.gdb_wait, c.replay ? recreate : NULL, &c);
        gdbstub_close(gdb);
    } else {
        status = machine_run(m);
    }
    if (m)
        cls->destroy(m);
    if (c.o.journal) {
        const char *opt = c.record ? "--record" : "--replay";
        if (!journal_close(c.o.journal)) {
            fprintf(stderr, "hvemu: %s: cannot write '%s'\n", opt, c.record);
            if (status == 0)
                status = 1;
        }
    }
    if (c.o.log && c.o.log != stderr)
        fclose(c.o.log);
    return cli_done(&c, status);
}
