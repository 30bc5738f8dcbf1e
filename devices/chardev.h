/* devices/chardev.h: the host side of a serial console. Output goes to a file descriptor;
 * input is queued by the machine loop (never read from inside a device) so that it
 * enters the guest at a deterministic instruction count. */
#ifndef HVEMU_CHARDEV_H
#define HVEMU_CHARDEV_H

#include "cpu/common/base.h"

#define CHARDEV_INBUF 4096

typedef struct CharDev {
    int out_fd;
    uint8_t in[CHARDEV_INBUF];
    unsigned in_head, in_tail; /* ring: head == tail is empty */
    /* False while the guest side is not listening (a UART whose driver has not enabled
     * its receive interrupt): the machine then leaves host input where it is, as a
     * terminal's typeahead waits for a program to read it. */
    bool accepting;
    /* Called when input becomes available (the UART raises its RX interrupt). */
    void (*input_ready)(void *opaque);
    void *input_opaque;
} CharDev;

void chardev_init(CharDev *c, int out_fd);
void chardev_write(CharDev *c, uint8_t byte);
bool chardev_has_input(const CharDev *c);
/* Next input byte, or -1 when none is queued. */
int chardev_read(CharDev *c);
/* Queues host bytes; returns how many fitted. */
size_t chardev_push_input(CharDev *c, const uint8_t *buf, size_t len);
size_t chardev_input_space(const CharDev *c);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): the input the guest has not read yet. */
void chardev_save(const CharDev *c, struct StateW *w);
void chardev_load(CharDev *c, struct StateR *r);

#endif
