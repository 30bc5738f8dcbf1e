/* tools/gdbstub.c: a gdb remote stub (gdb manual, appendix "gdb Remote Serial Protocol":
 * "Packets", "Stop Reply Packets", "General Query Packets", "Target Descriptions"). One
 * client at a time over TCP, all-stop mode: while gdb looks, no vCPU runs; vCPU n is
 * thread n + 1. Memory is read and written through the vCPU's own translation, looked
 * up without side effects; breakpoints and watchpoints live in the emulator
 * (cpu/common/debug.h), never in guest memory. Everything gdb sends is untrusted: lengths,
 * addresses and register numbers are checked, and a malformed packet gets an error reply.
 *
 * Reverse execution on a replay relies on determinism: the machine is re-created from the
 * start of the journal and run forward to the instant wanted (a snapshot taken on the way
 * could shorten that: see reverse_restart). */
#include "tools/gdbstub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define PACKET_MAX 16384          /* PacketSize we announce; replies are built below it */
#define MEM_MAX ((PACKET_MAX - 16) / 2)
#define REG_MAX 64                /* bytes of the largest register */

struct GdbStub {
    int listen_fd;
    int fd;                       /* the client, or -1 */
    bool noack;
    uint8_t in[4096];
    size_t in_len, in_pos;
    char pkt[PACKET_MAX + 1];
    size_t pkt_len;
    Machine *m;
    unsigned g_cpu, c_cpu;        /* Hg and Hc threads */
    GdbRecreate recreate;
    void *opaque;
    bool killed;
};

/* --- connection --- */

GdbStub *gdbstub_listen(const char *spec, char *err, size_t errlen)
{
    char host[256] = "";
    const char *port;
    if (strncmp(spec, "tcp:", 4)) {
        snprintf(err, errlen, "-gdb %s: expected tcp::PORT or tcp:HOST:PORT", spec);
        return NULL;
    }
    const char *rest = spec + 4;
    const char *colon = strrchr(rest, ':');
    if (!colon || (size_t)(colon - rest) >= sizeof(host)) {
        snprintf(err, errlen, "-gdb %s: expected tcp::PORT or tcp:HOST:PORT", spec);
        return NULL;
    }
    memcpy(host, rest, (size_t)(colon - rest));
    host[colon - rest] = 0;
    port = colon + 1;
    char *end;
    errno = 0;
    unsigned long p = strtoul(port, &end, 10);
    if (errno || end == port || *end || p == 0 || p > 65535) {
        snprintf(err, errlen, "-gdb %s: invalid port '%s' (1 to 65535)", spec, port);
        return NULL;
    }
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE }, *ai;
    int r = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
    if (r) {
        snprintf(err, errlen, "-gdb %s: %s", spec, gai_strerror(r));
        return NULL;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
        snprintf(err, errlen, "-gdb %s: cannot listen on port %lu: %s", spec, p, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return NULL;
    }
    freeaddrinfo(ai);
    GdbStub *s = calloc(1, sizeof(*s));
    if (!s) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->listen_fd = fd;
    s->fd = -1;
    return s;
}

void gdbstub_close(GdbStub *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    close(s->listen_fd);
    free(s);
}

static void drop_client(GdbStub *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->noack = false;
    s->in_len = s->in_pos = 0;
}

static bool accept_client(GdbStub *s)
{
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    s->fd = fd;
    s->noack = false;
    s->in_len = s->in_pos = 0;
    return true;
}

/* The next byte from gdb, or -1 when it went away. */
static int get_byte(GdbStub *s)
{
    if (s->in_pos == s->in_len) {
        ssize_t n;
        do
            n = read(s->fd, s->in, sizeof(s->in));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        s->in_len = (size_t)n;
        s->in_pos = 0;
    }
    return s->in[s->in_pos++];
}

static bool write_all(GdbStub *s, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(s->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Sends a packet of len bytes (escaped as binary data needs); waits for the ack. */
static bool send_bin(GdbStub *s, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t cap = 2 * len + 8;
    char *buf = malloc(cap);
    if (!buf)
        return false;
    size_t k = 0;
    uint8_t sum = 0;
    buf[k++] = '$';
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            buf[k++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        buf[k++] = c;
        sum += (uint8_t)c;
    }
    buf[k++] = '#';
    buf[k++] = hex[sum >> 4];
    buf[k++] = hex[sum & 15];
    bool ok = false;
    for (int tries = 0; tries < 5; tries++) {
        if (!write_all(s, buf, k))
            break;
        if (s->noack) {
            ok = true;
            break;
        }
        int c;
        do
            c = get_byte(s);
        while (c >= 0 && c != '+' && c != '-');
        if (c == '+') {
            ok = true;
            break;
        }
        if (c < 0)
            break;
    }
    free(buf);
    return ok;
}

static bool send_str(GdbStub *s, const char *str)
{
    return send_bin(s, str, strlen(str));
}

static bool send_fmt(GdbStub *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool send_fmt(GdbStub *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return send_str(s, buf);
}

/* Reads one packet into s->pkt (unescaped); false when gdb went away. A Ctrl-C byte
 * outside a packet while stopped is ignored. */
static bool recv_packet(GdbStub *s)
{
    for (;;) {
        int c;
        do
            c = get_byte(s);
        while (c >= 0 && c != '$');
        if (c < 0)
            return false;
        size_t len = 0;
        uint8_t sum = 0;
        bool overflow = false, esc = false;
        while ((c = get_byte(s)) >= 0 && c != '#') {
            sum += (uint8_t)c;
            if (esc) {
                c ^= 0x20;
                esc = false;
            } else if (c == '}') {
                esc = true;
                continue;
            }
            if (len < PACKET_MAX)
                s->pkt[len++] = (char)c;
            else
                overflow = true;
        }
        if (c < 0)
            return false;
        int h1 = get_byte(s), h2 = get_byte(s);
        if (h1 < 0 || h2 < 0)
            return false;
        bool good = hexval(h1) >= 0 && hexval(h2) >= 0 &&
                    (uint8_t)(hexval(h1) << 4 | hexval(h2)) == sum;
        if (!s->noack && !write_all(s, good && !overflow ? "+" : "-", 1))
            return false;
        if (!good || overflow)
            continue;
        s->pkt[len] = 0;
        s->pkt_len = len;
        return true;
    }
}

/* --- parsing --- */

/* A hex number at *p; advances *p. False if there is none or it overflows. */
static bool parse_hex(const char **p, uint64_t *v)
{
    const char *q = *p;
    uint64_t x = 0;
    int d, n = 0;
    while ((d = hexval((unsigned char)*q)) >= 0) {
        if (n++ >= 16)
            return false;
        x = x << 4 | (unsigned)d;
        q++;
    }
    if (q == *p)
        return false;
    *v = x;
    *p = q;
    return true;
}

/* A thread id: -1 (all), 0 (any) or 1..N; *cpu gets the vCPU (any/all: keep). */
static bool parse_thread(GdbStub *s, const char **p, int *tid)
{
    uint64_t v;
    if (**p == '-' && (*p)[1] == '1') {
        *p += 2;
        *tid = -1;
        return true;
    }
    if (!parse_hex(p, &v) || v > s->m->ncpus)
        return false;
    *tid = (int)v;
    return true;
}

static bool hex_decode(const char *hex, size_t nbytes, uint8_t *out)
{
    for (size_t k = 0; k < nbytes; k++) {
        int a = hexval((unsigned char)hex[2 * k]), b = a < 0 ? -1 : hexval((unsigned char)hex[2 * k + 1]);
        if (a < 0 || b < 0)
            return false;
        out[k] = (uint8_t)(a << 4 | b);
    }
    return true;
}

static void hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = hex[in[k] >> 4];
        out[2 * k + 1] = hex[in[k] & 15];
    }
    out[2 * n] = 0;
}

/* --- memory --- */

/* Copies len bytes of vCPU cpu's virtual memory at va to or from buf, page by page, RAM
 * only; returns how many bytes were done. Writes drop translated code they cover. */
static size_t mem_access(Machine *m, unsigned cpu, uint64_t va, uint8_t *buf, size_t len,
                         bool write)
{
    size_t done = 0;
    while (done < len) {
        uint64_t a = va + done, pa;
        size_t chunk = MIN(len - done, 4096 - (size_t)(a & 0xfff));
        if (!m->cls->debug_translate(m, cpu, a, &pa) || !bus_ram_ptr(&m->bus, pa, chunk))
            break;
        bool ok = write ? bus_dma_write(&m->bus, pa, buf + done, chunk)
                        : bus_dma_read(&m->bus, pa, buf + done, chunk);
        if (!ok)
            break;
        done += chunk;
    }
    return done;
}

/* --- stops and resumption --- */

static void debug_changed(Machine *m)
{
    m->cls->debug_set(m, m->dbg.active);
}

static bool send_stop(GdbStub *s)
{
    Machine *m = s->m;
    switch (m->stop) {
    case MSTOP_HIT: {
        unsigned cpu = m->dbg.hit_cpu;
        s->g_cpu = s->c_cpu = cpu;
        if (m->dbg.hit == DBG_HIT_WATCH) {
            static const char *const kinds[] = { "", "watch", "rwatch", "awatch" };
            return send_fmt(s, "T05%s:%llx;thread:%x;", kinds[m->dbg.hit_kind & 3],
                            (unsigned long long)m->dbg.hit_addr, cpu + 1);
        }
        return send_fmt(s, "T05swbreak:;thread:%x;", cpu + 1);
    }
    case MSTOP_STEP:
        s->g_cpu = s->c_cpu = m->step_cpu;
        return send_fmt(s, "T05thread:%x;", m->step_cpu + 1);
    case MSTOP_POLL:
        return send_fmt(s, "T02thread:%x;", s->c_cpu + 1);
    default:
        return send_fmt(s, "T05thread:%x;", s->c_cpu + 1);
    }
}

/* Runs until the next stop: false if the guest ended the run. step: the vCPU to step,
 * or -1 to continue. A breakpoint at a vCPU's pc does not stop it as it resumes. */
static bool resume_from(GdbStub *s, int step, bool skip)
{
    Machine *m = s->m;
    m->dbg.hit = DBG_HIT_NONE;
    for (unsigned n = 0; n < m->ncpus; n++)
        m->dbg.skip_pc[n] = skip ? m->cls->cpu_pc(m, n) : DBG_NO_PC;
    m->step_target = UINT64_MAX;
    if (step >= 0) {
        m->step_cpu = (unsigned)step;
        m->step_target = m->cpu_icount[step] + 1;
    }
    m->debug_fd = s->fd;
    bool stopped = machine_run_debug(m);
    m->step_target = UINT64_MAX;
    m->debug_fd = -1;
    return stopped;
}

static bool resume(GdbStub *s, int step)
{
    return resume_from(s, step, true);
}

/* A Ctrl-C (or anything) from gdb while running: takes the bytes that stopped us. */
static void eat_interrupt(GdbStub *s)
{
    struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
    while (s->in_pos < s->in_len && s->in[s->in_pos] == 0x03)
        s->in_pos++;
    if (s->in_pos == s->in_len && poll(&pfd, 1, 0) > 0) {
        uint8_t c;
        if (recv(s->fd, &c, 1, MSG_PEEK) == 1 && c == 0x03)
            (void)!read(s->fd, &c, 1);
    }
}

/* --- reverse execution (replays only) --- */

/* Back to the start of the run: the machine is re-created from its options and journal.
 * A snapshot of a nearer instant could replace this restart when one exists. */
static bool reverse_restart(GdbStub *s)
{
    char err[256] = "";
    CpuDebug saved = s->m->dbg;
    Machine *m = s->recreate(s->opaque, s->m, err, sizeof(err));
    s->m = NULL;
    if (!m) {
        fprintf(stderr, "hvemu: gdb: cannot restart the replay: %s\n", err);
        return false;
    }
    s->m = m;
    m->dbg = saved;
    m->dbg.hit = DBG_HIT_NONE;
    for (unsigned n = 0; n < DBG_MAX_CPUS; n++)
        m->dbg.skip_pc[n] = DBG_NO_PC;
    debug_changed(m);
    return true;
}

/* Runs the fresh machine to icount `at` without stopping at breakpoints. */
static bool run_to(GdbStub *s, uint64_t at, int cpu, uint64_t cpu_count)
{
    Machine *m = s->m;
    m->cls->debug_set(m, false);
    if (cpu >= 0) {
        m->step_cpu = (unsigned)cpu;
        m->step_target = cpu_count;
    } else {
        m->debug_stop_at = at;
    }
    bool stopped = at == 0 && cpu < 0 ? true : machine_run_debug(m);
    m->step_target = UINT64_MAX;
    m->debug_stop_at = UINT64_MAX;
    debug_changed(m);
    return stopped;
}

static bool reply_begin(GdbStub *s)
{
    return send_fmt(s, "T05replaylog:begin;thread:%x;", s->c_cpu + 1);
}

/* bs: vCPU c_cpu back by one instruction (the other vCPUs are where the round-robin
 * order had them when it had retired one fewer). */
static bool reverse_step(GdbStub *s)
{
    unsigned cpu = s->c_cpu;
    uint64_t count = s->m->cpu_icount[cpu];
    if (count == 0)
        return reply_begin(s);
    if (!reverse_restart(s))
        return false;
    if (!run_to(s, 0, (int)cpu, count - 1))
        return send_str(s, "E01");
    s->m->stop = MSTOP_STEP;
    s->m->step_cpu = cpu;
    return send_stop(s);
}

/* bc: the last breakpoint or watchpoint hit before the current instant: one replay to
 * here counts the hits, a second stops at the last of them (or at the start). */
static bool reverse_continue(GdbStub *s)
{
    uint64_t here = s->m->icount;
    if (!reverse_restart(s))
        return false;
    Machine *m = s->m;
    uint64_t hits = 0;
    m->debug_stop_at = here;
    if (here > 0) {
        while (resume_from(s, -1, hits > 0) && m->stop == MSTOP_HIT)
            hits++;
    }
    m->debug_stop_at = UINT64_MAX;
    if (!reverse_restart(s))
        return false;
    if (hits == 0)
        return reply_begin(s);
    for (uint64_t k = 0; k < hits; k++)
        if (!resume_from(s, -1, k > 0) || s->m->stop != MSTOP_HIT)
            return send_str(s, "E01");
    return send_stop(s);
}

/* --- packets --- */

static bool handle_query(GdbStub *s)
{
    Machine *m = s->m;
    const char *p = s->pkt;
    if (!strncmp(p, "qSupported", 10))
        return send_fmt(s, "PacketSize=%x;qXfer:features:read+;vContSupported+;"
                           "QStartNoAckMode+;swbreak+;hwbreak+%s", PACKET_MAX,
                        s->recreate ? ";ReverseStep+;ReverseContinue+" : "");
    if (!strcmp(p, "QStartNoAckMode")) {
        bool ok = send_str(s, "OK");
        s->noack = true;
        return ok;
    }
    if (!strcmp(p, "qAttached"))
        return send_str(s, "1");
    if (!strcmp(p, "qC"))
        return send_fmt(s, "QC%x", s->g_cpu + 1);
    if (!strcmp(p, "qfThreadInfo")) {
        char buf[MACHINE_MAX_CPUS * 4 + 4];
        size_t k = 0;
        buf[k++] = 'm';
        for (unsigned n = 0; n < m->ncpus; n++)
            k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%x", n ? "," : "", n + 1);
        return send_str(s, buf);
    }
    if (!strcmp(p, "qsThreadInfo"))
        return send_str(s, "l");
    if (!strncmp(p, "qThreadExtraInfo,", 17)) {
        const char *q = p + 17;
        int tid;
        if (!parse_thread(s, &q, &tid) || tid <= 0)
            return send_str(s, "E01");
        char text[64], hex[130];
        snprintf(text, sizeof(text), "CPU %d [%s]", tid - 1,
                 m->cls->cpu_idle(m, (unsigned)tid - 1) ? "halted" : "running");
        hex_encode((const uint8_t *)text, strlen(text), hex);
        return send_str(s, hex);
    }
    if (!strncmp(p, "qXfer:features:read:", 20)) {
        const char *q = p + 20;
        const char *colon = strchr(q, ':');
        uint64_t off, len;
        if (!colon)
            return send_str(s, "E00");
        size_t nlen = (size_t)(colon - q);
        q = colon + 1;
        if (!parse_hex(&q, &off) || *q++ != ',' || !parse_hex(&q, &len))
            return send_str(s, "E00");
        if (nlen != 10 || strncmp(p + 20, "target.xml", 10))
            return send_str(s, "E00");
        const char *xml = m->cls->gdb_xml(m, s->g_cpu);
        if (!xml)
            return send_str(s, "E01");
        size_t total = strlen(xml);
        if (off > total)
            return send_str(s, "E00");
        len = MIN(len, (uint64_t)(PACKET_MAX / 2 - 8));
        size_t n = (size_t)MIN(len, total - off);
        char *buf = malloc(n + 1);
        if (!buf)
            return send_str(s, "E01");
        buf[0] = off + n < total ? 'm' : 'l';
        memcpy(buf + 1, xml + off, n);
        bool ok = send_bin(s, buf, n + 1);
        free(buf);
        return ok;
    }
    if (!strncmp(p, "qSymbol", 7))
        return send_str(s, "OK");
    return send_str(s, "");
}

static bool handle_regs(GdbStub *s, bool write)
{
    Machine *m = s->m;
    static char out[PACKET_MAX + 1];
    uint8_t buf[REG_MAX];
    size_t pos = 0;
    const char *hex = s->pkt + 1;
    size_t have = s->pkt_len - 1;
    for (unsigned r = 0; r < m->cls->gdb_g_regs; r++) {
        unsigned size = m->cls->gdb_reg(m, s->g_cpu, r, buf, NULL);
        if (!size)
            continue;
        if (write) {
            uint8_t val[REG_MAX];
            if (pos + 2 * size > have)
                break;
            if (!hex_decode(hex + pos, size, val))
                return send_str(s, "E01");
            m->cls->gdb_reg(m, s->g_cpu, r, buf, val);
        } else {
            if (pos + 2 * size >= sizeof(out))
                break;
            hex_encode(buf, size, out + pos);
        }
        pos += 2 * size;
    }
    return write ? send_str(s, "OK") : send_str(s, out);
}

static bool handle_reg(GdbStub *s, bool write)
{
    Machine *m = s->m;
    const char *q = s->pkt + 1;
    uint64_t regno;
    uint8_t buf[REG_MAX], val[REG_MAX];
    char hex[2 * REG_MAX + 1];
    if (!parse_hex(&q, &regno) || regno > 1u << 20)
        return send_str(s, "E01");
    unsigned size = m->cls->gdb_reg(m, s->g_cpu, (unsigned)regno, buf, NULL);
    if (!size)
        return send_str(s, "E01");
    if (!write) {
        hex_encode(buf, size, hex);
        return send_str(s, hex);
    }
    if (*q++ != '=' || strlen(q) != 2 * size || !hex_decode(q, size, val))
        return send_str(s, "E01");
    m->cls->gdb_reg(m, s->g_cpu, (unsigned)regno, buf, val);
    return send_str(s, "OK");
}

static bool handle_mem(GdbStub *s)
{
    Machine *m = s->m;
    char kind = s->pkt[0];
    const char *q = s->pkt + 1;
    uint64_t addr, len;
    if (!parse_hex(&q, &addr) || *q++ != ',' || !parse_hex(&q, &len))
        return send_str(s, "E01");
    if (kind == 'm') {
        static uint8_t data[MEM_MAX];
        static char hex[2 * MEM_MAX + 1];
        len = MIN(len, (uint64_t)MEM_MAX);
        size_t n = mem_access(m, s->g_cpu, addr, data, (size_t)len, false);
        if (n == 0 && len > 0)
            return send_str(s, "E14");
        hex_encode(data, n, hex);
        return send_str(s, hex);
    }
    if (*q++ != ':' || len > MEM_MAX)
        return send_str(s, "E01");
    static uint8_t data[MEM_MAX];
    size_t avail = s->pkt_len - (size_t)(q - s->pkt);
    if (kind == 'M') {
        if (avail != 2 * len || !hex_decode(q, (size_t)len, data))
            return send_str(s, "E01");
    } else {
        if (avail != len)
            return send_str(s, "E01");
        memcpy(data, q, (size_t)len);
    }
    if (mem_access(m, s->g_cpu, addr, data, (size_t)len, true) != len)
        return send_str(s, "E14");
    return send_str(s, "OK");
}

static bool handle_break(GdbStub *s)
{
    Machine *m = s->m;
    bool insert = s->pkt[0] == 'Z';
    const char *q = s->pkt + 1;
    uint64_t type, addr, kind;
    if (!parse_hex(&q, &type) || *q++ != ',' || !parse_hex(&q, &addr) || *q++ != ',' ||
        !parse_hex(&q, &kind))
        return send_str(s, "E01");
    bool ok;
    if (type <= 1) {
        ok = insert ? dbg_bp_insert(&m->dbg, addr) : dbg_bp_remove(&m->dbg, addr);
    } else if (type <= 4) {
        static const DbgWatchKind kinds[] = { DBG_WATCH_WRITE, DBG_WATCH_READ, DBG_WATCH_ACCESS };
        if (kind == 0 || kind > 4096)
            return send_str(s, "E01");
        ok = insert ? dbg_wp_insert(&m->dbg, addr, kind, kinds[type - 2])
                    : dbg_wp_remove(&m->dbg, addr, kind, kinds[type - 2]);
    } else {
        return send_str(s, "");
    }
    debug_changed(m);
    return send_str(s, ok ? "OK" : "E0e");
}

/* vCont;ACTION[:TID];...: a step action for one thread steps that vCPU; everything else
 * continues (all-stop: every vCPU runs until the stop). -1: continue, -2: malformed. */
static int parse_vcont(GdbStub *s, const char *q)
{
    int step = -1;
    while (*q == ';') {
        q++;
        char a = *q++;
        if (a == 'C' || a == 'S') {
            uint64_t sig;
            if (!parse_hex(&q, &sig))
                return -2;
        } else if (a != 'c' && a != 's') {
            return -2;
        }
        int tid = 0;
        if (*q == ':') {
            q++;
            if (!parse_thread(s, &q, &tid))
                return -2;
        }
        if ((a == 's' || a == 'S') && step < 0)
            step = tid > 0 ? tid - 1 : (int)s->c_cpu;
    }
    return *q ? -2 : step;
}

/* Serves packets until gdb resumes the machine (true, *step set) or leaves (false). */
static bool serve(GdbStub *s, int *step, bool *detach)
{
    for (;;) {
        if (!recv_packet(s))
            return false;
        const char *p = s->pkt;
        const char *q = p + 1;
        bool ok = true;
        switch (p[0]) {
        case '?':
            ok = send_fmt(s, "T05thread:%x;", s->c_cpu + 1);
            break;
        case 'q':
        case 'Q':
            ok = handle_query(s);
            break;
        case 'H': {
            int tid;
            q = p + 2;
            if ((p[1] != 'g' && p[1] != 'c') || !parse_thread(s, &q, &tid) || *q) {
                ok = send_str(s, "E01");
                break;
            }
            if (tid > 0)
                *(p[1] == 'g' ? &s->g_cpu : &s->c_cpu) = (unsigned)tid - 1;
            ok = send_str(s, "OK");
            break;
        }
        case 'T': {
            int tid;
            ok = send_str(s, parse_thread(s, &q, &tid) && !*q && tid > 0 ? "OK" : "E01");
            break;
        }
        case 'g':
            ok = handle_regs(s, false);
            break;
        case 'G':
            ok = handle_regs(s, true);
            break;
        case 'p':
            ok = handle_reg(s, false);
            break;
        case 'P':
            ok = handle_reg(s, true);
            break;
        case 'm':
        case 'M':
        case 'X':
            ok = handle_mem(s);
            break;
        case 'Z':
        case 'z':
            ok = handle_break(s);
            break;
        case 'c':
        case 's':
        case 'C':
        case 'S': {
            /* [sig;][addr]: a new pc for the current thread. */
            if (p[0] == 'C' || p[0] == 'S') {
                const char *semi = strchr(q, ';');
                q = semi ? semi + 1 : q + strlen(q);
            }
            /* gdb sends c/s without an address; one would be the new pc. */
            if (*q) { /* resuming at another address: set $pc first */
                ok = send_str(s, "E01");
                break;
            }
            *step = (p[0] == 's' || p[0] == 'S') ? (int)s->c_cpu : -1;
            return true;
        }
        case 'v':
            if (!strcmp(p, "vCont?")) {
                ok = send_str(s, "vCont;c;C;s;S");
            } else if (!strncmp(p, "vCont;", 5) && p[5] == ';') {
                int r = parse_vcont(s, p + 5);
                if (r == -2) {
                    ok = send_str(s, "E01");
                    break;
                }
                *step = r;
                return true;
            } else if (!strncmp(p, "vKill", 5)) {
                send_str(s, "OK");
                s->killed = true;
                return false;
            } else {
                ok = send_str(s, "");
            }
            break;
        case 'b':
            if (!s->recreate || (p[1] != 's' && p[1] != 'c') || p[2]) {
                ok = send_str(s, s->recreate ? "E01" : "");
                break;
            }
            ok = p[1] == 's' ? reverse_step(s) : reverse_continue(s);
            if (!s->m) {
                s->killed = true;
                return false;
            }
            break;
        case 'D':
            send_str(s, "OK");
            *detach = true;
            return false;
        case 'k':
            s->killed = true;
            return false;
        default:
            ok = send_str(s, "");
            break;
        }
        if (!ok)
            return false;
    }
}

int gdbstub_run(GdbStub *s, Machine **mp, bool wait, GdbRecreate recreate, void *opaque)
{
    s->m = *mp;
    s->recreate = recreate;
    s->opaque = opaque;
    s->g_cpu = s->c_cpu = 0;
    if (wait) {
        fprintf(stderr, "hvemu: waiting for gdb\n");
        if (!accept_client(s)) {
            fprintf(stderr, "hvemu: gdb: cannot accept a connection: %s\n", strerror(errno));
            *mp = s->m;
            return machine_finish(s->m);
        }
    }
    int status = -1;
    for (;;) {
        int step = -1;
        bool detach = false;
        if (s->fd >= 0 && !serve(s, &step, &detach)) {
            /* gdb detached, went away, or killed the machine. */
            drop_client(s);
            if (s->killed || !s->m)
                break;
            dbg_clear(&s->m->dbg);
            debug_changed(s->m);
            step = -1;
        }
        Machine *m = s->m;
        bool stopped;
        if (s->fd >= 0) {
            stopped = resume(s, step);
        } else {
            /* No client: run, and let one connect between quanta. */
            m->debug_fd = s->listen_fd;
            stopped = machine_run_debug(m);
            m->debug_fd = -1;
            if (stopped && m->stop == MSTOP_POLL) {
                accept_client(s);
                continue;
            }
        }
        if (!stopped) {
            status = machine_finish(m);
            if (s->fd >= 0)
                send_fmt(s, "W%02x", status & 0xff);
            break;
        }
        if (m->stop == MSTOP_POLL) {
            eat_interrupt(s);
        }
        if (s->fd >= 0 && !send_stop(s))
            drop_client(s);
    }
    *mp = s->m;
    if (status < 0 && s->m && !s->recreate)
        status = machine_finish(s->m); /* a recording keeps its end */
    if (status < 0)
        status = 0;
    return status;
}
