/* devices/htif.c: HTIF tohost/fromhost commands as Spike's front-end server (fesvr)
 * defines them: a tohost value is device (bits 63:56), command (bits 55:48) and payload
 * (bits 47:0).
 *   - device 0, command 0, payload bit 0 set: the program exits with status payload >> 1;
 *   - device 0, command 0, payload bit 0 clear: payload is the address of a "magic_mem"
 *     array {syscall number, arg0, arg1, arg2, ...}; the result goes to magic_mem[0] and
 *     fromhost becomes 1. Only SYS_write to fd 1 and 2 is served, other calls return
 *     -ENOSYS;
 *   - device 1 (console), command 1: putchar of the payload's low byte; fromhost becomes
 *     (1 << 56) | (1 << 48) | 0x100 | byte so programs that wait for the echo proceed.
 * Anything else is ignored. The device takes a command when it is written completely:
 * on an 8-byte write, or on the 4-byte write of the high half (RV32 programs store the
 * low half first); tohost then reads back as 0, as after the host has consumed it. */
#include "devices/htif.h"
#include "cpu/common/state.h"

#define HTIF_DEV_SYSCALL 0
#define HTIF_DEV_CONSOLE 1
#define HTIF_CONSOLE_PUTC 1
#define HTIF_PAYLOAD_MASK ((1ULL << 48) - 1)

#define HTIF_ENOSYS 38
#define HTIF_EBADF 9
#define HTIF_EFAULT 14

static void htif_respond(Htif *h, uint64_t dev, uint64_t cmd, uint64_t payload)
{
    if (h->has_fromhost)
        h->fromhost = (dev << 56) | (cmd << 48) | (payload & HTIF_PAYLOAD_MASK);
}

/* SYS_write(fd, buf, len): copies the buffer out of RAM in chunks. */
static int64_t htif_sys_write(Htif *h, uint64_t fd, uint64_t buf, uint64_t len)
{
    uint8_t chunk[256];
    uint64_t done = 0;
    if (fd != 1 && fd != 2)
        return -HTIF_EBADF;
    while (done < len) {
        uint64_t n = MIN(len - done, sizeof(chunk));
        if (!bus_dma_read(h->bus, buf + done, chunk, n))
            return done ? (int64_t)done : -HTIF_EFAULT;
        for (uint64_t i = 0; i < n; i++)
            chardev_write(h->chr, chunk[i]);
        done += n;
    }
    return (int64_t)done;
}

static void htif_syscall(Htif *h, uint64_t magic_addr)
{
    uint64_t magic[4];
    if (!bus_dma_read(h->bus, magic_addr, magic, sizeof(magic)))
        return; /* nowhere to put a result: ignore */
    int64_t ret = magic[0] == HTIF_SYS_WRITE ? htif_sys_write(h, magic[1], magic[2], magic[3])
                                             : -HTIF_ENOSYS;
    uint64_t ret_le = (uint64_t)ret;
    bus_dma_write(h->bus, magic_addr, &ret_le, sizeof(ret_le));
    htif_respond(h, HTIF_DEV_SYSCALL, 0, 1);
}

static void htif_command(Htif *h, uint64_t val)
{
    uint64_t dev = val >> 56, cmd = (val >> 48) & 0xff, payload = val & HTIF_PAYLOAD_MASK;
    if (val == 0)
        return;
    h->tohost = 0;
    if (dev == HTIF_DEV_SYSCALL && cmd == 0) {
        if (payload & 1) {
            if (h->ctl.shutdown)
                h->ctl.shutdown(h->ctl.opaque, (int)(payload >> 1));
        } else {
            htif_syscall(h, payload);
        }
    } else if (dev == HTIF_DEV_CONSOLE && cmd == HTIF_CONSOLE_PUTC) {
        chardev_write(h->chr, (uint8_t)payload);
        htif_respond(h, dev, cmd, 0x100 | (payload & 0xff));
    }
}

static uint64_t reg_read(uint64_t reg, uint64_t off, unsigned size)
{
    return size == 8 ? reg : (reg >> (off * 8)) & 0xffffffffULL;
}

static uint64_t reg_merge(uint64_t reg, uint64_t off, uint64_t val, unsigned size)
{
    if (size == 8)
        return val;
    return off == 0 ? (reg & ~0xffffffffULL) | val : (reg & 0xffffffffULL) | (val << 32);
}

static uint64_t tohost_read(void *opaque, uint64_t off, unsigned size)
{
    Htif *h = opaque;
    return (off & (size - 1)) ? 0 : reg_read(h->tohost, off, size);
}

static void tohost_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Htif *h = opaque;
    if (off & (size - 1))
        return;
    h->tohost = reg_merge(h->tohost, off, val, size);
    if (size == 8 || off == 4)
        htif_command(h, h->tohost);
}

static uint64_t fromhost_read(void *opaque, uint64_t off, unsigned size)
{
    Htif *h = opaque;
    return (off & (size - 1)) ? 0 : reg_read(h->fromhost, off, size);
}

static void fromhost_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
    Htif *h = opaque;
    if (!(off & (size - 1)))
        h->fromhost = reg_merge(h->fromhost, off, val, size);
}

static const MmioOps htif_tohost_ops = {
    .read = tohost_read,
    .write = tohost_write,
    .min_size = 4,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

static const MmioOps htif_fromhost_ops = {
    .read = fromhost_read,
    .write = fromhost_write,
    .min_size = 4,
    .max_size = 8,
    .endian = DEV_LITTLE_ENDIAN,
};

void htif_init(Htif *h, Bus *bus, uint64_t tohost, uint64_t fromhost, CharDev *chr,
               SysCtl ctl)
{
    *h = (Htif){
        .bus = bus, .chr = chr, .ctl = ctl,
        .tohost_addr = tohost, .fromhost_addr = fromhost, .has_fromhost = fromhost != 0,
    };
    bus_map_mmio(bus, "htif-tohost", tohost, 8, &htif_tohost_ops, h);
    if (h->has_fromhost)
        bus_map_mmio(bus, "htif-fromhost", fromhost, 8, &htif_fromhost_ops, h);
}

void htif_save(const Htif *h, StateW *w)
{
    sw_u64(w, h->tohost);
    sw_u64(w, h->fromhost);
}

void htif_load(Htif *h, StateR *r)
{
    h->tohost = sr_u64(r);
    h->fromhost = sr_u64(r);
}
