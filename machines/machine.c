/* machines/machine.c: the machine loop. Every quantum each vCPU runs up to QUANTUM
 * instructions, then virtual time advances by QUANTUM ns and due timers fire. When every
 * vCPU waits for an interrupt, time jumps to the next deadline; on an interactive
 * console the jump is paced by the host clock so that `sleep 1` in a shell lasts a
 * second. Console input is read only between quanta, so it enters the guest at a
 * well-defined instruction count. */
#include "machines/machine.h"
#include "cpu/common/state.h"
#include "machines/journal_disk.h"
#include "machines/monitor.h"
#include "machines/snapshot.h"

#include <libfdt.h>
#include <xxhash.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUANTUM 10000
#define INPUT_POLL_QUANTA 64

static const MachineClass *const machine_classes[] = { &machine_riscv_virt, &machine_pseries,
                                                                &machine_e500 };

const MachineClass *machine_find(const char *name)
{
    for (unsigned k = 0; k < ARRAY_SIZE(machine_classes); k++)
        if (!strcmp(machine_classes[k]->name, name))
            return machine_classes[k];
    return NULL;
}

void machine_list(FILE *out)
{
    fprintf(out, "Supported machines are:\n");
    for (unsigned k = 0; k < ARRAY_SIZE(machine_classes); k++)
        fprintf(out, "%-20s %s\n", machine_classes[k]->name, machine_classes[k]->desc);
}

bool machine_alloc_ram(Machine *m, uint64_t base, uint64_t size, char *err, size_t errlen)
{
    if (size < 16 * MiB || size > 64 * GiB || (size & 0xfff)) {
        snprintf(err, errlen, "memory size %llu MiB is not supported (16 MiB to 64 GiB, whole pages)",
                 (unsigned long long)(size / MiB));
        return false;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "cannot allocate %llu MiB of guest memory",
                 (unsigned long long)(size / MiB));
        return false;
    }
    m->ram = p;
    m->ram_base = base;
    m->ram_size = size;
    bus_map_ram(&m->bus, "ram", base, size, m->ram);
    return true;
}

void machine_init_common(Machine *m, const MachineClass *cls, const MachineOpts *o)
{
    m->cls = cls;
    m->bus.clock = &m->clock;
    chardev_init(&m->console, o->console_out_fd);
    m->console_in_fd = o->console_in_fd;
    m->console_mux = o->console_mux;
    m->log = o->log;
    m->log_mask = o->log_mask;
    m->qidle = true;
    m->stop_at = UINT64_MAX;
    dbg_init(&m->dbg);
    m->step_target = UINT64_MAX;
    m->debug_stop_at = UINT64_MAX;
    m->debug_fd = -1;
    m->journal = o->journal;
    m->has_input = o->console_in_fd >= 0;
    m->interactive = m->has_input && isatty(o->console_in_fd);
    m->hash_every = o->trace_hash;
    m->hash_out = o->hash_out ? o->hash_out : stderr;
    if (m->journal && m->journal->replay) {
        /* The loop runs as it did when recording: its input is the journal's. */
        m->console_in_fd = -1;
        m->has_input = m->journal->hdr.has_input;
        m->interactive = m->journal->hdr.interactive;
        m->hash_every = m->journal->hdr.hash_every;
    }
    m->hash_next = m->hash_every;
    m->config = o->config;
    m->savevm = o->savevm;
    m->savevm_at = o->savevm_at;
    m->nsavevm = o->nsavevm;
}

bool machine_open_drive(const DriveOpts *d, int *fd, uint64_t *size, char *err, size_t errlen)
{
    *fd = open(d->file, d->readonly ? O_RDONLY : O_RDWR);
    if (*fd < 0) {
        snprintf(err, errlen, "cannot open drive '%s': %s", d->file, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        *fd = -1;
        snprintf(err, errlen, "drive '%s' is not a regular file", d->file);
        return false;
    }
    *size = (uint64_t)st.st_size;
    return true;
}

bool machine_add_virtio_blk(Machine *m, const DriveOpts *d, VirtioBlk *blk, char *err,
                            size_t errlen)
{
    int fd;
    uint64_t size;
    if (m->ndrives >= MACHINE_MAX_DRIVES) {
        snprintf(err, errlen, "-drive: at most %d drives", MACHINE_MAX_DRIVES);
        return false;
    }
    /* A replay never writes the file: its writes stay in memory (journal_disk.c). */
    bool replay = m->journal && m->journal->replay;
    DriveOpts open_as = *d;
    open_as.readonly |= replay;
    if (!machine_open_drive(&open_as, &fd, &size, err, errlen))
        return false;
    char serial[VIRTIO_BLK_ID_BYTES];
    snprintf(serial, sizeof(serial), "hvemu-disk%u", m->ndrives);
    virtio_blk_init(blk, &m->bus, fd, size, d->readonly, serial);
    m->jdisk[m->ndrives] = NULL;
    if (m->journal && !d->readonly) {
        m->jdisk[m->ndrives] = journal_disk_attach(m, m->ndrives, blk, err, errlen);
        if (!m->jdisk[m->ndrives]) {
            close(fd);
            return false;
        }
    }
    m->drive_fd[m->ndrives++] = fd;
    return true;
}

void machine_close_drives(Machine *m)
{
    for (unsigned k = 0; k < m->ndrives; k++) {
        close(m->drive_fd[k]);
        journal_disk_detach(m->jdisk[k]);
        m->jdisk[k] = NULL;
    }
    m->ndrives = 0;
}

bool machine_dump_dtb(Machine *m, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    size_t size = m->fdt ? fdt_totalsize(m->fdt) : 0;
    bool ok = f && fwrite(m->fdt, 1, size, f) == size;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    return ok;
}

void machine_shutdown(void *opaque, int status)
{
    Machine *m = opaque;
    if (!m->halted) {
        m->halted = true;
        m->exit_status = status;
    }
}

void machine_reset_request(void *opaque)
{
    /* A reboot ends the run as QEMU's -no-reboot does: tests want the status. */
    machine_shutdown(opaque, 0);
}

SysCtl machine_sysctl(Machine *m)
{
    return (SysCtl){ .shutdown = machine_shutdown, .reset = machine_reset_request, .opaque = m };
}

/* --- Record and replay (journal.h) --- */

static void diverge(Machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The replay is no longer the recorded run: says where and stops. */
static void diverge(Machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\nhvemu: replay diverged at instruction %llu: ", (unsigned long long)m->icount);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    m->diverged = true;
    m->halted = true;
}

static bool recording(const Machine *m)
{
    return m->journal && !m->journal->replay;
}

static bool replaying(const Machine *m)
{
    return m->journal && m->journal->replay;
}

static void journal_event(Machine *m, uint8_t type, uint64_t poll, const uint8_t *data, size_t len)
{
    if (recording(m))
        journal_write(m->journal, &(JournalRec){ .type = type, .poll = poll, .icount = m->icount,
                                                 .data = data, .len = (uint32_t)len });
}

static void quit_request(Machine *m)
{
    fprintf(stderr, "\nhvemu: terminated\n");
    machine_shutdown(m, 0);
}

/* Feeds the input the journal has for this poll. */
static void replay_poll(Machine *m, uint64_t poll)
{
    const JournalRec *r;
    while ((r = journal_peek(m->journal)) && r->type != JNL_HASH && r->type != JNL_END &&
           r->poll == poll) {
        if (r->icount != m->icount) {
            diverge(m, "the journal has console input at instruction %llu",
                    (unsigned long long)r->icount);
            return;
        }
        m->journal->next++;
        if (r->type == JNL_INPUT) {
            if (chardev_input_space(&m->console) < r->len || !m->console.accepting) {
                diverge(m, "the guest does not take the console input the journal has");
                return;
            }
            chardev_push_input(&m->console, r->data, r->len);
        } else if (r->type == JNL_EOF) {
            m->input_eof = true;
        } else {
            quit_request(m);
        }
    }
}

/* Reads what the host has typed, without blocking (or waiting up to timeout_ms). Ctrl-A x
 * quits, Ctrl-A Ctrl-A sends one Ctrl-A, as QEMU's mux does. Every poll is counted, and
 * what it brings is journaled with that count. */
static void poll_console(Machine *m, int timeout_ms)
{
    uint64_t seq = m->poll_seq++;
    if (replaying(m)) {
        replay_poll(m, seq);
        return;
    }
    if (m->console_in_fd < 0 || m->input_eof || !m->console.accepting)
        return;
    size_t space = chardev_input_space(&m->console);
    if (space == 0)
        return;
    struct pollfd pfd = { .fd = m->console_in_fd, .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) <= 0)
        return;
    uint8_t buf[256], out[256];
    ssize_t n = read(m->console_in_fd, buf, MIN(sizeof(buf), space));
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            m->input_eof = true;
            journal_event(m, JNL_EOF, seq, NULL, 0);
        }
        return;
    }
    size_t k = 0;
    bool quit = false;
    for (ssize_t i = 0; i < n && !quit && !m->quit_request; i++) {
        uint8_t c = buf[i];
        if (m->console_mux && m->mux_escape) {
            m->mux_escape = false;
            if (c == 'x')
                quit = true;
            if (c == 'c')
                monitor_toggle(m);
            if (c != 1)
                continue;
        } else if (m->console_mux && c == 1) {
            m->mux_escape = true;
            continue;
        }
        if (m->monitor_active)
            monitor_input(m, c);
        else
            out[k++] = c;
    }
    quit |= m->quit_request;
    if (k) {
        chardev_push_input(&m->console, out, k);
        journal_event(m, JNL_INPUT, seq, out, k);
    }
    if (quit) {
        journal_event(m, JNL_QUIT, seq, NULL, 0);
        quit_request(m);
    }
}

/* --- State hashes (--trace-hash) --- */

void machine_hashes(Machine *m, uint64_t *cpu_hash, uint64_t *ram_hash)
{
    for (unsigned n = 0; n < m->ncpus; n++) {
        StateW w;
        state_hash_begin(&w);
        m->cls->cpu_save(m, n, &w);
        cpu_hash[n] = state_hash_end(&w);
    }
    XXH3_state_t *x = XXH3_createState();
    XXH3_64bits_reset(x);
    XXH3_64bits_update(x, m->ram, m->ram_size);
    size_t len = 0;
    const void *hv = m->cls->hv_memory ? m->cls->hv_memory(m, &len) : NULL;
    if (hv && len)
        XXH3_64bits_update(x, hv, len);
    *ram_hash = XXH3_64bits_digest(x);
    XXH3_freeState(x);
}

/* Prints the hashes of this instant; records them, or checks them against the journal. */
static void trace_hash(Machine *m, bool final)
{
    uint64_t h[MACHINE_MAX_CPUS + 1];
    machine_hashes(m, h, &h[m->ncpus]);
    fprintf(m->hash_out, "trace-hash %s%llu vtime %llu", final ? "end " : "",
            (unsigned long long)m->icount, (unsigned long long)vclock_now(&m->clock));
    for (unsigned n = 0; n < m->ncpus; n++)
        fprintf(m->hash_out, " cpu%u %016llx", n, (unsigned long long)h[n]);
    fprintf(m->hash_out, " mem %016llx\n", (unsigned long long)h[m->ncpus]);
    fflush(m->hash_out);
    uint8_t data[(MACHINE_MAX_CPUS + 1) * 8];
    for (unsigned n = 0; n <= m->ncpus; n++)
        st_le(data + 8 * n, 8, h[n]);
    if (recording(m)) {
        journal_write(m->journal, &(JournalRec){ .type = JNL_HASH, .icount = m->icount,
                                                 .data = data, .len = m->ncpus });
        return;
    }
    if (!replaying(m))
        return;
    const JournalRec *r = journal_peek(m->journal);
    if (!r || r->type != JNL_HASH || r->icount != m->icount || r->len != m->ncpus) {
        if (r && r->type != JNL_HASH && r->type != JNL_END)
            diverge(m, "the journal has console input (poll %llu, instruction %llu) before "
                       "this state hash", (unsigned long long)r->poll,
                    (unsigned long long)r->icount);
        else
            diverge(m, "the journal has no state hash here");
        return;
    }
    m->journal->next++;
    for (unsigned n = 0; n <= m->ncpus; n++) {
        uint64_t want = ld_le(r->data + 8 * n, 8);
        if (want != h[n]) {
            if (n < m->ncpus)
                diverge(m, "vCPU %u's state differs from the recording (hash %016llx, recorded "
                           "%016llx)", n, (unsigned long long)h[n], (unsigned long long)want);
            else
                diverge(m, "guest memory differs from the recording (hash %016llx, recorded "
                           "%016llx)", (unsigned long long)h[n], (unsigned long long)want);
            return;
        }
    }
}

/* The next instruction count the loop must stop at. */
void machine_update_stop_at(Machine *m)
{
    uint64_t at = m->debug_stop_at;
    if (m->hash_every)
        at = MIN(at, m->hash_next);
    while (m->next_savevm < m->nsavevm && m->savevm_at[m->next_savevm] < m->icount)
        m->next_savevm++; /* a restored run is past it */
    if (m->next_savevm < m->nsavevm)
        at = MIN(at, m->savevm_at[m->next_savevm]);
    if (replaying(m)) {
        /* The recorded run ended at its END record: going past it is a divergence. */
        const JournalRec *end = &m->journal->recs[m->journal->nrecs - 1];
        at = MIN(at, end->icount + 1);
    }
    m->stop_at = at;
}

static void machine_stopped(Machine *m)
{
    if (m->icount >= m->debug_stop_at && m->stop == MSTOP_NONE) {
        m->stop = MSTOP_AT;
        m->debug_stop_at = UINT64_MAX;
    }
    if (m->hash_every && m->icount >= m->hash_next) {
        trace_hash(m, false);
        m->hash_next += m->hash_every;
    }
    while (m->next_savevm < m->nsavevm && m->savevm_at[m->next_savevm] <= m->icount) {
        const char *path = m->savevm[m->next_savevm++];
        char err[512];
        if (snapshot_save(m, path, err, sizeof(err)))
            fprintf(stderr, "hvemu: saved '%s' at instruction %llu\n", path,
                    (unsigned long long)m->icount);
        else
            fprintf(stderr, "hvemu: %s\n", err);
    }
    if (replaying(m)) {
        const JournalRec *end = &m->journal->recs[m->journal->nrecs - 1];
        if (m->icount > end->icount && !m->halted)
            diverge(m, "the recorded run ended at instruction %llu",
                    (unsigned long long)end->icount);
    }
    machine_update_stop_at(m);
}

/* The end of the run: the last hash, and the END record (or the check against it). */
static void run_ended(Machine *m, int status)
{
    if (m->hash_every && !m->diverged)
        trace_hash(m, true);
    if (recording(m)) {
        journal_write(m->journal, &(JournalRec){ .type = JNL_END, .icount = m->icount,
                                                 .status = (uint32_t)status });
        return;
    }
    if (!replaying(m) || m->diverged)
        return;
    const JournalRec *r = journal_peek(m->journal);
    if (!r || r->type != JNL_END)
        diverge(m, "the run ended before the journal did (next record at instruction %llu)",
                r ? (unsigned long long)r->icount : 0ULL);
    else if (r->icount != m->icount || (int)r->status != status)
        diverge(m, "the recorded run ended at instruction %llu with status %u, this one with "
                   "status %d", (unsigned long long)r->icount, r->status, status);
}

/* Runs the vCPUs round-robin from the current position to the end of the quantum, or
 * to m->stop_at: false if it stopped there (the position is kept and the next call goes
 * on from it), true at the end of the quantum with *idle telling whether every vCPU
 * ended its turn idle. */
static bool run_turns(Machine *m, bool *idle)
{
    while (m->qcpu < m->ncpus && !m->halted && !m->fatal) {
        unsigned n = m->qcpu;
        uint64_t budget = QUANTUM;
        if (m->stop_at != UINT64_MAX) {
            if (m->icount >= m->stop_at)
                return false;
            budget = MIN(budget, m->qdone + (m->stop_at - m->icount));
        }
        if (unlikely(m->step_target != UINT64_MAX) && n == m->step_cpu) {
            if (m->cpu_icount[n] >= m->step_target) {
                m->stop = MSTOP_STEP;
                return false;
            }
            budget = MIN(budget, m->qdone + (m->step_target - m->cpu_icount[n]));
        }
        m->clock.offset = m->qdone;
        uint64_t done = m->cls->cpu_run(m, n, m->qdone, budget);
        m->icount += done - m->qdone;
        m->cpu_icount[n] += done - m->qdone;
        m->qdone = done;
        if (unlikely(m->dbg.hit != DBG_HIT_NONE)) {
            m->stop = MSTOP_HIT;
            return false;
        }
        if (unlikely(m->step_target != UINT64_MAX) && n == m->step_cpu &&
            m->cpu_icount[n] >= m->step_target) {
            m->stop = MSTOP_STEP;
            return false;
        }
        bool cpu_idle = m->cls->cpu_idle(m, n);
        if (done < QUANTUM && !cpu_idle && !m->halted && !m->fatal && m->icount >= m->stop_at)
            return false; /* the stop is in the middle of this turn */
        if (!cpu_idle)
            m->qidle = false;
        m->qcpu++;
        m->qdone = 0;
    }
    m->clock.offset = 0;
    m->cls->quantum_end(m);
    *idle = m->qidle;
    m->qcpu = 0;
    m->qidle = true;
    return true;
}

/* `stop` in the monitor: nothing runs until `cont` (or quit); virtual time holds. The
 * polls are not counted: they bring monitor commands, not guest input. */
static void paused(Machine *m)
{
    while (m->paused && !m->halted && m->console_in_fd >= 0 && !m->input_eof) {
        uint64_t seq = m->poll_seq;
        poll_console(m, -1);
        m->poll_seq = seq;
    }
    m->paused = false;
}

/* Is the debugger's descriptor readable? Polled at the start of a quantum only, where
 * a stop and a resume change nothing. */
static bool debug_poll(Machine *m)
{
    struct pollfd pfd = { .fd = m->debug_fd, .events = POLLIN };
    return poll(&pfd, 1, 0) > 0;
}

bool machine_run_debug(Machine *m)
{
    m->stop = MSTOP_NONE;
    machine_update_stop_at(m);
    while (!m->halted && !m->fatal) {
        bool idle;
        if (unlikely(m->paused))
            paused(m);
        if (m->debug_fd >= 0 && m->qcpu == 0 && m->qdone == 0 && debug_poll(m)) {
            m->stop = MSTOP_POLL;
            return true;
        }
        if (!run_turns(m, &idle)) {
            machine_stopped(m);
            if (m->stop != MSTOP_NONE)
                return true;
            continue;
        }
        if (m->halted || m->fatal)
            break;
        m->clock.base += QUANTUM;
        m->clock.offset = 0;
        vclock_run_timers(&m->clock, m->clock.base);
        if (++m->quanta % INPUT_POLL_QUANTA == 0) {
            poll_console(m, 0);
            if (m->log)
                fflush(m->log); /* a run killed by a timeout keeps its log */
        }
        if (!idle)
            continue;
        uint64_t next = vclock_next_deadline(&m->clock);
        if (next == UINT64_MAX) {
            if (!m->has_input || m->input_eof || !m->console.accepting) {
                fprintf(stderr, "hvemu: every vCPU waits for an interrupt that can never come\n");
                m->fatal = true;
                break;
            }
            if (replaying(m)) {
                const JournalRec *r = journal_peek(m->journal);
                if (!r || r->type == JNL_HASH || r->type == JNL_END || r->poll != m->poll_seq) {
                    diverge(m, "the guest waits for console input the journal does not have");
                    break;
                }
            }
            poll_console(m, -1);
            continue;
        }
        if (next > m->clock.base) {
            if (m->interactive) {
                uint64_t ms = (next - m->clock.base) / 1000000;
                poll_console(m, (int)MIN(ms, 1000));
                if (chardev_has_input(&m->console))
                    continue;
                if (ms > 1000) {
                    m->clock.base += 1000 * 1000000ULL;
                    continue;
                }
            }
            m->clock.base = next;
        }
        vclock_run_timers(&m->clock, m->clock.base);
    }
    return false;
}

int machine_finish(Machine *m)
{
    int status = m->diverged ? 3 : m->fatal ? 2 : m->exit_status;
    run_ended(m, status);
    monitor_close(m);
    return m->diverged ? 3 : status;
}

int machine_run(Machine *m)
{
    while (machine_run_debug(m))
        ;
    return machine_finish(m);
}
