/* machines/machine.c: the machine loop. Every quantum each vCPU runs up to QUANTUM
 * instructions, then virtual time advances by QUANTUM ns and due timers fire. When every
 * vCPU waits for an interrupt, time jumps to the next deadline; on an interactive
 * console the jump is paced by the host clock so that `sleep 1` in a shell lasts a
 * second. Console input is read only between quanta, so it enters the guest at a
 * well-defined instruction count. */
#include "machines/machine.h"

#include <libfdt.h>

#include <errno.h>
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
    if (!machine_open_drive(d, &fd, &size, err, errlen))
        return false;
    char serial[VIRTIO_BLK_ID_BYTES];
    snprintf(serial, sizeof(serial), "hvemu-disk%u", m->ndrives);
    virtio_blk_init(blk, &m->bus, fd, size, d->readonly, serial);
    m->drive_fd[m->ndrives++] = fd;
    return true;
}

void machine_close_drives(Machine *m)
{
    for (unsigned k = 0; k < m->ndrives; k++)
        close(m->drive_fd[k]);
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

/* Reads what the host has typed, without blocking. Ctrl-A x quits, Ctrl-A Ctrl-A sends
 * one Ctrl-A, as QEMU's mux does. */
static void poll_console(Machine *m, int timeout_ms)
{
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
        if (n == 0 || (errno != EAGAIN && errno != EINTR))
            m->input_eof = true;
        return;
    }
    size_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        uint8_t c = buf[i];
        if (m->console_mux && m->mux_escape) {
            m->mux_escape = false;
            if (c == 'x') {
                fprintf(stderr, "\nhvemu: terminated\n");
                machine_shutdown(m, 0);
                return;
            }
            if (c != 1)
                continue;
        } else if (m->console_mux && c == 1) {
            m->mux_escape = true;
            continue;
        }
        out[k++] = c;
    }
    chardev_push_input(&m->console, out, k);
}

int machine_run(Machine *m)
{
    bool interactive = m->console_in_fd >= 0 && isatty(m->console_in_fd);
    uint64_t quanta = 0;
    while (!m->halted && !m->fatal) {
        bool idle = m->cls->run_quantum(m, QUANTUM);
        if (m->halted || m->fatal)
            break;
        m->clock.base += QUANTUM;
        m->clock.offset = 0;
        vclock_run_timers(&m->clock, m->clock.base);
        if (++quanta % INPUT_POLL_QUANTA == 0) {
            poll_console(m, 0);
            if (m->log)
                fflush(m->log); /* a run killed by a timeout keeps its log */
        }
        if (!idle)
            continue;
        uint64_t next = vclock_next_deadline(&m->clock);
        if (next == UINT64_MAX) {
            if (m->console_in_fd < 0 || m->input_eof || !m->console.accepting) {
                fprintf(stderr, "hvemu: every vCPU waits for an interrupt that can never come\n");
                m->fatal = true;
                break;
            }
            poll_console(m, -1);
            continue;
        }
        if (next > m->clock.base) {
            if (interactive) {
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
    return m->fatal ? 2 : m->exit_status;
}
