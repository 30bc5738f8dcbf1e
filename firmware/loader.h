/* firmware/loader.h: loading guest images into guest-physical memory: ELF executables,
 * the RISC-V Linux "Image" format, and raw blobs. Every image byte goes through the bus's
 * checked DMA path, so an image that does not fit in RAM is an error, not a host write. */
#ifndef HVEMU_LOADER_H
#define HVEMU_LOADER_H

#include "cpu/common/base.h"
#include "devices/bus.h"

typedef struct LoadedImage {
    uint64_t entry;
    uint64_t low, high;          /* physical extent written */
    bool is_elf;
    bool has_tohost, has_fromhost;
    uint64_t tohost, fromhost;   /* HTIF symbols of bare-metal test programs */
} LoadedImage;

/* Reads a whole file; NULL with a message in err on failure. */
uint8_t *loader_read_file(const char *path, size_t *size, char *err, size_t errlen);
bool loader_is_elf(const uint8_t *data, size_t size);
/* Loads an ELF for e_machine `machine` and class 32/64; false with err set on error. */
bool loader_load_elf(Bus *bus, const char *path, const uint8_t *data, size_t size,
                     unsigned machine, unsigned elfclass, LoadedImage *out, char *err,
                     size_t errlen);
/* Loads a RISC-V Linux Image (header magic "RSC\x05") at ram_base + text_offset. */
bool loader_load_riscv_image(Bus *bus, const char *path, const uint8_t *data, size_t size,
                             uint64_t ram_base, LoadedImage *out, char *err, size_t errlen);
/* Loads a U-Boot legacy image (uImage: 64-byte big-endian header, magic 0x27051956) of a
 * kernel with no or gzip compression at its load address; entry from the header. */
bool loader_load_uimage(Bus *bus, const char *path, const uint8_t *data, size_t size,
                        LoadedImage *out, char *err, size_t errlen);
bool loader_load_raw(Bus *bus, const char *path, const uint8_t *data, size_t size, uint64_t addr,
                     LoadedImage *out, char *err, size_t errlen);

#endif
