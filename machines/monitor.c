/* machines/monitor.c: the monitor on the console (-serial mon:stdio, the default with
 * -nographic): Ctrl-A c switches the console between the guest and the monitor, as
 * QEMU's mux does. Commands run between quanta, with the machine where it is; none of them
 * changes what the guest does (stop and cont hold virtual time too), except quit, which
 * ends the run as Ctrl-A x does and is journaled like it. */
#include "machines/monitor.h"
#include "machines/snapshot.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

static void say(Machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(Machine *m, const char *fmt, ...)
{
    if (!m->mon_out)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m->mon_out, fmt, ap);
    va_end(ap);
}

static void prompt(Machine *m)
{
    say(m, "(hvemu) ");
    fflush(m->mon_out);
}

void monitor_toggle(Machine *m)
{
    if (!m->mon_out) {
        int fd = m->console.out_fd >= 0 ? dup(m->console.out_fd) : -1;
        m->mon_out = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!m->mon_out)
            return;
    }
    m->monitor_active = !m->monitor_active;
    m->mon_len = 0;
    if (m->monitor_active) {
        say(m, "\r\nhvemu monitor: 'help' lists the commands, Ctrl-A c goes back to the guest\r\n");
        prompt(m);
    } else {
        say(m, "\r\n");
        fflush(m->mon_out);
    }
}

static const char help[] =
    "info registers [all]   the current vCPU's registers (all: every vCPU's)\n"
    "info tlb               RISC-V: the page table's mappings; e500: TLB0 and TLB1\n"
    "info hpt [N]           pseries: the hashed page table's valid entries (first N)\n"
    "info slb               pseries: the current vCPU's SLB\n"
    "info status            running or stopped, instruction count, virtual time\n"
    "cpu N                  make vCPU N the current one\n"
    "x/N[bhwg] ADDR         N units at the current vCPU's virtual address ADDR ($pc: its pc)\n"
    "xp/N[bhwg] ADDR        the same at a physical address\n"
    "savevm FILE            save a snapshot now (--loadvm FILE restores it)\n"
    "loadvm FILE            go back (or on) to a snapshot of this command line\n"
    "stop, cont             hold and resume the machine\n"
    "quit                   end the run\n";

/* x/N[bhwg] and xp: N units of memory, 16 bytes to a line. */
static void examine(Machine *m, const char *cmd, const char *args, bool physical)
{
    unsigned n = 1, size = 4;
    const char *fmt = strchr(cmd, '/');
    if (fmt) {
        char *end;
        n = (unsigned)strtoul(fmt + 1, &end, 10);
        if (end == fmt + 1)
            n = 1;
        for (; *end; end++) {
            if (*end == 'b') size = 1;
            else if (*end == 'h') size = 2;
            else if (*end == 'w') size = 4;
            else if (*end == 'g') size = 8;
            else if (*end != 'x') {
                say(m, "unknown format '%c' (b, h, w, g; x is the only radix)\n", *end);
                return;
            }
        }
    }
    char *end;
    uint64_t addr;
    if (!strcmp(args, "$pc") || !strcmp(args, "pc")) {
        addr = m->cls->cpu_pc(m, m->mon_cpu);
        end = (char *)args + strlen(args);
    } else {
        addr = strtoull(args, &end, 0);
    }
    if (!*args || end == args || *end) {
        say(m, "usage: %s ADDR\n", physical ? "xp/N[bhwg]" : "x/N[bhwg]");
        return;
    }
    if (n == 0 || n > 4096) {
        say(m, "count out of range (1-4096)\n");
        return;
    }
    for (unsigned k = 0; k < n; k++) {
        uint64_t a = addr + (uint64_t)k * size;
        uint8_t buf[8];
        bool ok;
        if (physical) {
            ok = bus_dma_read(&m->bus, a, buf, size);
        } else {
            uint64_t pa;
            ok = m->cls->debug_translate(m, m->mon_cpu, a, &pa) &&
                 bus_dma_read(&m->bus, pa, buf, size);
        }
        if (k % (16 / size) == 0)
            say(m, "%s%016llx:", k ? "\n" : "", (unsigned long long)a);
        if (!ok) {
            say(m, " (%s %llx is not readable)\n", physical ? "physical address" : "address",
                (unsigned long long)a);
            return;
        }
        uint64_t v = m->cls->cpu_big_endian(m, m->mon_cpu) ? ld_be(buf, size) : ld_le(buf, size);
        say(m, " %0*llx", (int)size * 2, (unsigned long long)v);
    }
    say(m, "\n");
}

static void run_command(Machine *m, char *line)
{
    char *cmd = strtok(line, " \t");
    char *arg1 = strtok(NULL, " \t");
    char *rest = strtok(NULL, "");
    if (!cmd)
        return;
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        say(m, "%s", help);
    } else if (!strcmp(cmd, "info") && arg1) {
        if (!strcmp(arg1, "status")) {
            say(m, "%s at instruction %llu, virtual time %.9f s\n",
                m->paused ? "stopped" : "running", (unsigned long long)m->icount,
                (double)vclock_now(&m->clock) / 1e9);
        } else if (!strcmp(arg1, "registers") && rest && !strcmp(rest, "all")) {
            for (unsigned n = 0; n < m->ncpus; n++)
                m->cls->monitor_info(m, "registers", n, rest, m->mon_out);
        } else if (!m->cls->monitor_info(m, arg1, m->mon_cpu, rest, m->mon_out)) {
            say(m, "info %s: not on the %s machine ('help' lists what is)\n", arg1, m->cls->name);
        }
    } else if (!strcmp(cmd, "cpu") && arg1) {
        char *end;
        unsigned long n = strtoul(arg1, &end, 0);
        if (*end || n >= m->ncpus)
            say(m, "cpu: 0 to %u\n", m->ncpus - 1);
        else
            m->mon_cpu = (unsigned)n;
    } else if (!strncmp(cmd, "xp", 2) && (cmd[2] == 0 || cmd[2] == '/')) {
        examine(m, cmd, arg1 ? arg1 : "", true);
    } else if (cmd[0] == 'x' && (cmd[1] == 0 || cmd[1] == '/')) {
        examine(m, cmd, arg1 ? arg1 : "", false);
    } else if (!strcmp(cmd, "savevm") && arg1) {
        char err[512];
        if (snapshot_save(m, arg1, err, sizeof(err)))
            say(m, "saved '%s' at instruction %llu\n", arg1, (unsigned long long)m->icount);
        else
            say(m, "%s\n", err);
    } else if (!strcmp(cmd, "loadvm") && arg1) {
        /* A journal cannot say that the run jumped: not while recording or replaying. */
        char err[700];
        if (m->journal)
            say(m, "loadvm: not while %s\n", m->journal->replay ? "replaying" : "recording");
        else if (snapshot_load(m, arg1, err, sizeof(err))) {
            machine_update_stop_at(m);
            say(m, "loaded '%s': at instruction %llu\n", arg1, (unsigned long long)m->icount);
        }
        else
            say(m, "%s\n", err);
    } else if (!strcmp(cmd, "stop")) {
        m->paused = true;
    } else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c")) {
        m->paused = false;
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        m->quit_request = true;
    } else {
        say(m, "unknown command '%s' ('help' lists them)\n", cmd);
    }
}

void monitor_input(Machine *m, uint8_t c)
{
    if (c == '\r' || c == '\n') {
        say(m, "\r\n");
        m->mon_line[m->mon_len] = 0;
        m->mon_len = 0;
        run_command(m, m->mon_line);
        if (!m->quit_request)
            prompt(m);
        fflush(m->mon_out);
        return;
    }
    if (c == 0x7f || c == 8) {
        if (m->mon_len) {
            m->mon_len--;
            say(m, "\b \b");
            fflush(m->mon_out);
        }
        return;
    }
    if (c >= 0x20 && m->mon_len + 1 < sizeof(m->mon_line)) {
        m->mon_line[m->mon_len++] = (char)c;
        say(m, "%c", c);
        fflush(m->mon_out);
    }
}

void monitor_close(Machine *m)
{
    if (m->mon_out)
        fclose(m->mon_out);
    m->mon_out = NULL;
}
