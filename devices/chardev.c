/* devices/chardev.c: console byte queues (see chardev.h). */
#include "devices/chardev.h"
#include "cpu/common/state.h"

#include <errno.h>
#include <unistd.h>

void chardev_init(CharDev *c, int out_fd)
{
    *c = (CharDev){ .out_fd = out_fd, .accepting = true };
}

void chardev_write(CharDev *c, uint8_t byte)
{
    if (c->out_fd < 0)
        return;
    while (write(c->out_fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

bool chardev_has_input(const CharDev *c)
{
    return c->in_head != c->in_tail;
}

int chardev_read(CharDev *c)
{
    if (c->in_head == c->in_tail)
        return -1;
    uint8_t v = c->in[c->in_head];
    c->in_head = (c->in_head + 1) % CHARDEV_INBUF;
    return v;
}

size_t chardev_input_space(const CharDev *c)
{
    return (c->in_head + CHARDEV_INBUF - c->in_tail - 1) % CHARDEV_INBUF;
}

size_t chardev_push_input(CharDev *c, const uint8_t *buf, size_t len)
{
    size_t n = 0;
    while (n < len && chardev_input_space(c) > 0) {
        c->in[c->in_tail] = buf[n++];
        c->in_tail = (c->in_tail + 1) % CHARDEV_INBUF;
    }
    if (n && c->input_ready)
        c->input_ready(c->input_opaque);
    return n;
}

void chardev_save(const CharDev *c, StateW *w)
{
    sw_bool(w, c->accepting);
    uint32_t n = (uint32_t)((c->in_tail - c->in_head + CHARDEV_INBUF) % CHARDEV_INBUF);
    sw_u32(w, n);
    for (uint32_t k = 0; k < n; k++)
        sw_u8(w, c->in[(c->in_head + k) % CHARDEV_INBUF]);
}

void chardev_load(CharDev *c, StateR *r)
{
    c->accepting = sr_bool(r);
    uint32_t n = sr_u32(r);
    c->in_head = c->in_tail = 0;
    if (n >= CHARDEV_INBUF) {
        r->bad = true;
        return;
    }
    for (uint32_t k = 0; k < n; k++)
        c->in[k] = sr_u8(r);
    c->in_tail = n;
}
