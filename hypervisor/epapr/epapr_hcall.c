/* hypervisor/epapr/epapr_hcall.c: the ePAPR hypercalls hvemu serves (ePAPR 1.1 chapter 8
 * "Hypervisor Interfaces" and its byte-channel and interrupt-controller services; the
 * tokens and register use of Linux's asm/epapr_hcalls.h), one const table: the byte
 * channel of the console, the interrupt-controller calls Linux's ePAPR PIC driver makes
 * (sysdev/ehv_pic.c), EV_IDLE, and KVM's feature query (vendor 42), which reports no
 * paravirtual features. Arguments come in r3..r8, the status goes to r3 and results to
 * r4..r8. Every argument is the guest's: handles, interrupt numbers, counts and CPU
 * numbers are checked before use. */
#include "hypervisor/epapr/epapr.h"

#include "devices/openpic.h"

#define R(n) (c->gpr[n])

static void ret(PpcCpu *c, uint32_t status)
{
    R(3) = status;
}

/* --- Byte channel (the console): 16 bytes at most per call, packed big-endian in
 * r5..r8. --- */

static void bc_send(Epapr *h, PpcCpu *c)
{
    uint32_t count = (uint32_t)R(4);
    if ((uint32_t)R(3) != EPAPR_CONSOLE_HANDLE || !h->console)
        return ret(c, EV_EINVAL);
    if (count > EV_BYTE_CHANNEL_MAX_BYTES)
        return ret(c, EV_EINVAL);
    for (uint32_t k = 0; k < count; k++) {
        uint32_t word = (uint32_t)R(5 + k / 4);
        chardev_write(h->console, (uint8_t)(word >> (24 - 8 * (k % 4))));
    }
    R(4) = count;
    ret(c, EV_SUCCESS);
}

static void bc_receive(Epapr *h, PpcCpu *c)
{
    uint32_t max = (uint32_t)R(4);
    if ((uint32_t)R(3) != EPAPR_CONSOLE_HANDLE || !h->console)
        return ret(c, EV_EINVAL);
    if (max > EV_BYTE_CHANNEL_MAX_BYTES)
        max = EV_BYTE_CHANNEL_MAX_BYTES;
    uint32_t words[4] = { 0 }, n = 0;
    int byte;
    while (n < max && (byte = chardev_read(h->console)) >= 0) {
        words[n / 4] |= (uint32_t)(uint8_t)byte << (24 - 8 * (n % 4));
        n++;
    }
    for (unsigned k = 0; k < 4; k++)
        R(5 + k) = words[k];
    R(4) = n;
    epapr_console_input(h);
    ret(c, EV_SUCCESS);
}

static void bc_poll(Epapr *h, PpcCpu *c)
{
    if ((uint32_t)R(3) != EPAPR_CONSOLE_HANDLE || !h->console)
        return ret(c, EV_EINVAL);
    unsigned rx = 0;
    for (unsigned k = h->console->in_head; k != h->console->in_tail; k = (k + 1) % CHARDEV_INBUF)
        rx++;
    R(4) = rx;
    R(5) = EV_BYTE_CHANNEL_MAX_BYTES;
    ret(c, EV_SUCCESS);
}

/* --- The interrupt controller: the MPIC's own registers, as the hypervisor sees them.
 * Interrupt numbers are MPIC sources; the vector a source delivers is its number. --- */

static bool pic_read(Epapr *h, uint64_t off, uint32_t *v)
{
    uint64_t x;
    if (!bus_read(h->bus, h->mpic_base + off, 4, &x))
        return false;
    *v = (uint32_t)bswap_sized(x, 4); /* the bus gives memory order; the MPIC is big-endian */
    return true;
}

static bool pic_write(Epapr *h, uint64_t off, uint32_t v)
{
    return bus_write(h->bus, h->mpic_base + off, 4, bswap_sized(v, 4));
}

static bool valid_irq(uint64_t irq)
{
    return irq < OPENPIC_MAX_SOURCES;
}

/* The per-CPU registers of the calling thread. */
static uint64_t this_cpu(PpcCpu *c, uint64_t reg)
{
    return OPENPIC_CPU(c->index) + reg;
}

static void int_set_config(Epapr *h, PpcCpu *c)
{
    uint64_t irq = R(3), config = R(4), prio = R(5), dest = R(6);
    if (!valid_irq(irq) || prio > 15 || dest >= h->ncpus)
        return ret(c, EV_EINVAL);
    uint32_t ivpr;
    if (!pic_read(h, OPENPIC_IVPR(irq), &ivpr))
        return ret(c, EV_EIO);
    ivpr &= OPENPIC_VPR_MSK;
    ivpr |= (uint32_t)irq | ((uint32_t)prio << OPENPIC_VPR_PRIORITY_SHIFT);
    if (config & EV_INT_CONFIG_POLARITY_POSITIVE)
        ivpr |= OPENPIC_VPR_P;
    if (config & EV_INT_CONFIG_SENSE_LEVEL)
        ivpr |= OPENPIC_VPR_S;
    if (!pic_write(h, OPENPIC_IVPR(irq), ivpr) || !pic_write(h, OPENPIC_IDR(irq), 1u << dest))
        return ret(c, EV_EIO);
    ret(c, EV_SUCCESS);
}

static void int_get_config(Epapr *h, PpcCpu *c)
{
    uint64_t irq = R(3);
    uint32_t ivpr, idr;
    if (!valid_irq(irq))
        return ret(c, EV_EINVAL);
    if (!pic_read(h, OPENPIC_IVPR(irq), &ivpr) || !pic_read(h, OPENPIC_IDR(irq), &idr))
        return ret(c, EV_EIO);
    R(4) = ((ivpr & OPENPIC_VPR_P) ? EV_INT_CONFIG_POLARITY_POSITIVE : 0) |
           ((ivpr & OPENPIC_VPR_S) ? EV_INT_CONFIG_SENSE_LEVEL : 0);
    R(5) = (ivpr & OPENPIC_VPR_PRIORITY_MASK) >> OPENPIC_VPR_PRIORITY_SHIFT;
    unsigned dest = 0;
    while (dest < h->ncpus && !(idr & (1u << dest)))
        dest++;
    R(6) = dest < h->ncpus ? dest : 0;
    ret(c, EV_SUCCESS);
}

static void int_set_mask(Epapr *h, PpcCpu *c)
{
    uint64_t irq = R(3);
    uint32_t ivpr;
    if (!valid_irq(irq))
        return ret(c, EV_EINVAL);
    if (!pic_read(h, OPENPIC_IVPR(irq), &ivpr))
        return ret(c, EV_EIO);
    ivpr = (ivpr & ~(OPENPIC_VPR_MSK | OPENPIC_VPR_A)) | (R(4) ? OPENPIC_VPR_MSK : 0);
    if (!pic_write(h, OPENPIC_IVPR(irq), ivpr))
        return ret(c, EV_EIO);
    ret(c, EV_SUCCESS);
}

static void int_get_mask(Epapr *h, PpcCpu *c)
{
    uint64_t irq = R(3);
    uint32_t ivpr;
    if (!valid_irq(irq))
        return ret(c, EV_EINVAL);
    if (!pic_read(h, OPENPIC_IVPR(irq), &ivpr))
        return ret(c, EV_EIO);
    R(4) = (ivpr & OPENPIC_VPR_MSK) ? 1 : 0;
    ret(c, EV_SUCCESS);
}

static void int_iack(Epapr *h, PpcCpu *c)
{
    uint32_t vec;
    if (R(3) != 0)
        return ret(c, EV_EINVAL); /* one interrupt controller: handle 0 */
    if (!pic_read(h, this_cpu(c, OPENPIC_IACK), &vec))
        return ret(c, EV_EIO);
    R(4) = vec;
    ret(c, EV_SUCCESS);
}

static void int_eoi(Epapr *h, PpcCpu *c)
{
    if (!valid_irq(R(3)))
        return ret(c, EV_EINVAL);
    if (!pic_write(h, this_cpu(c, OPENPIC_EOI), 0))
        return ret(c, EV_EIO);
    ret(c, EV_SUCCESS);
}

static void int_set_task_priority(Epapr *h, PpcCpu *c)
{
    if (R(3) != 0 || R(4) > 15)
        return ret(c, EV_EINVAL);
    if (!pic_write(h, this_cpu(c, OPENPIC_CTPR), (uint32_t)R(4)))
        return ret(c, EV_EIO);
    ret(c, EV_SUCCESS);
}

static void int_get_task_priority(Epapr *h, PpcCpu *c)
{
    uint32_t v;
    if (R(3) != 0)
        return ret(c, EV_EINVAL);
    if (!pic_read(h, this_cpu(c, OPENPIC_CTPR), &v))
        return ret(c, EV_EIO);
    R(4) = v & OPENPIC_CTPR_MASK;
    ret(c, EV_SUCCESS);
}

/* EV_IDLE: the thread sleeps until an interrupt it has enabled arrives. */
static void idle(Epapr *h, PpcCpu *c)
{
    ret(c, EV_SUCCESS);
    c->waiting = true;
}

/* KVM_HC_FEATURES: no paravirtual features (no magic page). */
static void kvm_features(Epapr *h, PpcCpu *c)
{
    R(4) = 0;
    ret(c, EV_SUCCESS);
}


const EpaprHcall epapr_hcalls[] = {
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_BYTE_CHANNEL_SEND), "EV_BYTE_CHANNEL_SEND", bc_send,
      "handle,count,data0,data1,data2,data3", "count" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_BYTE_CHANNEL_RECEIVE), "EV_BYTE_CHANNEL_RECEIVE",
      bc_receive, "handle,max", "count,data0,data1,data2,data3" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_BYTE_CHANNEL_POLL), "EV_BYTE_CHANNEL_POLL", bc_poll,
      "handle", "rx_count,tx_space" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_SET_CONFIG), "EV_INT_SET_CONFIG", int_set_config,
      "irq,config,priority,destination", NULL },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_GET_CONFIG), "EV_INT_GET_CONFIG", int_get_config,
      "irq", "config,priority,destination" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_SET_MASK), "EV_INT_SET_MASK", int_set_mask,
      "irq,mask", NULL },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_GET_MASK), "EV_INT_GET_MASK", int_get_mask,
      "irq", "mask" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_IACK), "EV_INT_IACK", int_iack,
      "handle", "vector" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_EOI), "EV_INT_EOI", int_eoi,
      "irq", NULL },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_SET_TASK_PRIORITY), "EV_INT_SET_TASK_PRIORITY",
      int_set_task_priority,
      "handle,priority", NULL },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_INT_GET_TASK_PRIORITY), "EV_INT_GET_TASK_PRIORITY",
      int_get_task_priority,
      "handle", "priority" },
    { EV_HCALL_TOKEN(EV_EPAPR_VENDOR_ID, EV_IDLE), "EV_IDLE", idle,
      NULL, NULL },
    { EV_HCALL_TOKEN(EV_KVM_VENDOR_ID, KVM_HC_FEATURES), "KVM_HC_FEATURES", kvm_features,
      NULL, "features" },
};

const unsigned epapr_nhcalls = ARRAY_SIZE(epapr_hcalls);

static const char *status_name(uint64_t st)
{
    static const char *const names[] = {
        [EV_SUCCESS] = "EV_SUCCESS", [EV_EPERM] = "EV_EPERM", [EV_ENOENT] = "EV_ENOENT",
        [EV_EIO] = "EV_EIO", [EV_EAGAIN] = "EV_EAGAIN", [EV_ENOMEM] = "EV_ENOMEM",
        [EV_EFAULT] = "EV_EFAULT", [EV_ENODEV] = "EV_ENODEV", [EV_EINVAL] = "EV_EINVAL",
        [EV_INTERNAL] = "EV_INTERNAL", [EV_CONFIG] = "EV_CONFIG",
        [EV_INVALID_STATE] = "EV_INVALID_STATE", [EV_UNIMPLEMENTED] = "EV_UNIMPLEMENTED",
        [EV_BUFFER_OVERFLOW] = "EV_BUFFER_OVERFLOW",
    };
    return st < ARRAY_SIZE(names) && names[st] ? names[st] : "?";
}

/* "name=0x.., name=0x.." for the registers from r`first` named in the list `names`. */
static void log_regs(FILE *f, const char *names, const uint64_t *regs)
{
    unsigned n = 0;
    for (const char *p = names; p && *p; n++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        fprintf(f, "%s%.*s=0x%llx", n ? ", " : "", (int)len, p, (unsigned long long)regs[n]);
        p = end ? end + 1 : p + len;
    }
}

/* -d ehv: the call with its named arguments, the status by name and the named results;
 * the bytes a byte-channel send carries, as text. */
static void log_call(FILE *f, const EpaprHcall *hc, const PpcCpu *c, const uint64_t *in)
{
    fprintf(f, "cpu%u: ehv: hcall %s(", c->index, hc->name);
    log_regs(f, hc->args, in);
    fprintf(f, ") = %llu %s", (unsigned long long)R(3), status_name(R(3)));
    if (hc->rets && R(3) == EV_SUCCESS) {
        fputs(" -> ", f);
        log_regs(f, hc->rets, &c->gpr[4]);
    }
    if (hc->fn == bc_send && in[1] <= EV_BYTE_CHANNEL_MAX_BYTES) {
        fputs(" \"", f);
        for (unsigned k = 0; k < in[1]; k++) {
            uint8_t b = (uint8_t)(in[2 + k / 4] >> (24 - 8 * (k % 4)));
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\')
                fputc(b, f);
            else
                fprintf(f, "\\x%02x", b);
        }
        fputc('"', f);
    }
    fputc('\n', f);
}

void epapr_hcall(Epapr *h, PpcCpu *c)
{
    uint32_t token = (uint32_t)R(11);
    for (unsigned k = 0; k < epapr_nhcalls; k++) {
        if (epapr_hcalls[k].token != token)
            continue;
        uint64_t in[8];
        memcpy(in, &c->gpr[3], sizeof(in));
        epapr_hcalls[k].fn(h, c);
        if (h->log)
            log_call(h->log, &epapr_hcalls[k], c, in);
        return;
    }
    if (h->log)
        fprintf(h->log, "cpu%u: ehv: hcall 0x%08x (vendor %u, number %u) = %u EV_UNIMPLEMENTED\n",
                c->index, token, token >> 16, token & 0xffff, EV_UNIMPLEMENTED);
    unsigned slot = (token ^ (token >> 16)) & 63;
    if (h->log_unimp && !h->warned[slot]) {
        h->warned[slot] = true;
        fprintf(h->log_unimp, "cpu%u: unimplemented ePAPR hcall 0x%08x\n", c->index, token);
    }
    ret(c, EV_UNIMPLEMENTED);
}
