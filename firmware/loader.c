/* firmware/loader.c: image loaders (see loader.h). ELF follows the System V ABI (gABI,
 * "Program Loading"): PT_LOAD segments go to p_paddr, the rest of p_memsz is zeroed. The
 * RISC-V Image header is the one of Linux's Documentation/arch/riscv/boot-image-header. */
#include "firmware/loader.h"

#include <elf.h>
#include <zlib.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

uint8_t *loader_read_file(const char *path, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "'%s' is too large to load", path);
                return NULL;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "cannot read '%s'", path);
        return NULL;
    }
    *size = len;
    return buf;
}

bool loader_is_elf(const uint8_t *data, size_t size)
{
    return size >= EI_NIDENT && !memcmp(data, ELFMAG, SELFMAG);
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_RISCV: return "RISC-V";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM";
    default: return "another architecture";
    }
}

static bool put(Bus *bus, uint64_t pa, const void *src, uint64_t len, const char *path, char *err,
                size_t errlen)
{
    if (!bus_dma_write(bus, pa, src, len)) {
        snprintf(err, errlen, "'%s' does not fit in guest memory (0x%llx-0x%llx)", path,
                 (unsigned long long)pa, (unsigned long long)(pa + len));
        return false;
    }
    return true;
}

/* Symbols named tohost/fromhost, for HTIF. */
static void find_htif_symbols(const uint8_t *d, size_t size, const Elf64_Ehdr *eh, LoadedImage *out)
{
    if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff > size || (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size - eh->e_shoff)
        return;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(d + eh->e_shoff);
    for (unsigned k = 0; k < eh->e_shnum; k++) {
        if (sh[k].sh_type != SHT_SYMTAB || sh[k].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[k].sh_link];
        if (sh[k].sh_offset > size || sh[k].sh_size > size - sh[k].sh_offset ||
            strs->sh_offset > size || strs->sh_size > size - strs->sh_offset)
            return;
        const Elf64_Sym *sym = (const Elf64_Sym *)(d + sh[k].sh_offset);
        size_t nsym = sh[k].sh_size / sizeof(Elf64_Sym);
        const char *names = (const char *)(d + strs->sh_offset);
        for (size_t s = 0; s < nsym; s++) {
            if (sym[s].st_name >= strs->sh_size)
                continue;
            const char *nm = names + sym[s].st_name;
            size_t maxlen = strs->sh_size - sym[s].st_name;
            if (strnlen(nm, maxlen) == maxlen)
                continue;
            if (!strcmp(nm, "tohost")) {
                out->has_tohost = true;
                out->tohost = sym[s].st_value;
            } else if (!strcmp(nm, "fromhost")) {
                out->has_fromhost = true;
                out->fromhost = sym[s].st_value;
            }
        }
    }
}

static bool load_elf64(Bus *bus, const char *path, const uint8_t *d, size_t size, unsigned machine,
                       LoadedImage *out, char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)d;
    if (size < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff) {
        snprintf(err, errlen, "'%s' is a corrupt ELF file", path);
        return false;
    }
    if (eh->e_machine != machine) {
        snprintf(err, errlen, "'%s' is an ELF for %s, not %s", path, machine_name(eh->e_machine),
                 machine_name(machine));
        return false;
    }
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(d + eh->e_phoff);
    out->low = UINT64_MAX;
    out->high = 0;
    bool any = false;
    for (unsigned k = 0; k < eh->e_phnum; k++) {
        if (ph[k].p_type != PT_LOAD || ph[k].p_memsz == 0)
            continue;
        if (ph[k].p_filesz > ph[k].p_memsz || ph[k].p_offset > size ||
            ph[k].p_filesz > size - ph[k].p_offset) {
            snprintf(err, errlen, "'%s' has a segment outside the file", path);
            return false;
        }
        uint64_t pa = ph[k].p_paddr;
        if (!put(bus, pa, d + ph[k].p_offset, ph[k].p_filesz, path, err, errlen))
            return false;
        uint64_t zero = ph[k].p_memsz - ph[k].p_filesz;
        if (zero) {
            uint8_t *p = bus_ram_ptr(bus, pa + ph[k].p_filesz, zero);
            if (!p)
                return put(bus, pa + ph[k].p_filesz, "", zero, path, err, errlen);
            memset(p, 0, zero);
        }
        out->low = MIN(out->low, pa);
        out->high = MAX(out->high, pa + ph[k].p_memsz);
        any = true;
    }
    if (!any) {
        snprintf(err, errlen, "'%s' has nothing to load", path);
        return false;
    }
    out->entry = eh->e_entry;
    out->is_elf = true;
    find_htif_symbols(d, size, eh, out);
    return true;
}

/* A 32-bit ELF of either byte order (32-bit PowerPC kernels are big-endian). Segments
 * load at p_paddr; an entry inside a segment is given as the physical address it loads
 * to (vmlinux links at 0xc0000000 but is entered at its physical load address with an
 * identity mapping, as the ePAPR boot contract has it). */
static bool load_elf32(Bus *bus, const char *path, const uint8_t *d, size_t size,
                       unsigned machine, LoadedImage *out, char *err, size_t errlen)
{
    bool be = d[EI_DATA] == ELFDATA2MSB;
#define RD(off, n) (be ? ld_be(d + (off), (n)) : ld_le(d + (off), (n)))
    if (size < 52) {
        snprintf(err, errlen, "'%s' is a corrupt ELF file", path);
        return false;
    }
    unsigned e_machine = (unsigned)RD(18, 2);
    uint64_t entry = RD(24, 4), phoff = RD(28, 4);
    unsigned phentsize = (unsigned)RD(42, 2), phnum = (unsigned)RD(44, 2);
    if (phentsize != 32 || phoff > size || (uint64_t)phnum * 32 > size - phoff) {
        snprintf(err, errlen, "'%s' is a corrupt ELF file", path);
        return false;
    }
    if (e_machine != machine) {
        snprintf(err, errlen, "'%s' is an ELF for %s, not %s", path, machine_name(e_machine),
                 machine_name(machine));
        return false;
    }
    out->low = UINT64_MAX;
    out->high = 0;
    out->entry = entry;
    bool any = false;
    for (unsigned k = 0; k < phnum; k++) {
        uint64_t ph = phoff + 32ULL * k;
        if (RD(ph, 4) != PT_LOAD)
            continue;
        uint64_t offset = RD(ph + 4, 4), vaddr = RD(ph + 8, 4), pa = RD(ph + 12, 4);
        uint64_t filesz = RD(ph + 16, 4), memsz = RD(ph + 20, 4);
        if (memsz == 0)
            continue;
        if (filesz > memsz || offset > size || filesz > size - offset) {
            snprintf(err, errlen, "'%s' has a segment outside the file", path);
            return false;
        }
        if (!put(bus, pa, d + offset, filesz, path, err, errlen))
            return false;
        uint64_t zero = memsz - filesz;
        if (zero) {
            uint8_t *p = bus_ram_ptr(bus, pa + filesz, zero);
            if (!p)
                return put(bus, pa + filesz, "", zero, path, err, errlen);
            memset(p, 0, zero);
        }
        if (entry >= vaddr && entry - vaddr < memsz)
            out->entry = entry - vaddr + pa;
        out->low = MIN(out->low, pa);
        out->high = MAX(out->high, pa + memsz);
        any = true;
    }
#undef RD
    if (!any) {
        snprintf(err, errlen, "'%s' has nothing to load", path);
        return false;
    }
    out->is_elf = true;
    return true;
}

bool loader_load_elf(Bus *bus, const char *path, const uint8_t *data, size_t size,
                     unsigned machine, unsigned elfclass, LoadedImage *out, char *err,
                     size_t errlen)
{
    *out = (LoadedImage){ 0 };
    if (!loader_is_elf(data, size)) {
        snprintf(err, errlen, "'%s' is not an ELF file", path);
        return false;
    }
    if (data[EI_CLASS] != (elfclass == 64 ? ELFCLASS64 : ELFCLASS32)) {
        if (size >= sizeof(Elf32_Ehdr) && data[EI_CLASS] == ELFCLASS32) {
            const Elf32_Ehdr *e32 = (const Elf32_Ehdr *)data;
            snprintf(err, errlen, "'%s' is a 32-bit ELF for %s; this machine needs a 64-bit %s ELF",
                     path, machine_name(e32->e_machine), machine_name(machine));
        } else if (size >= sizeof(Elf64_Ehdr) && data[EI_CLASS] == ELFCLASS64) {
            const Elf64_Ehdr *e64 = (const Elf64_Ehdr *)data;
            snprintf(err, errlen, "'%s' is a 64-bit ELF for %s; this machine needs a 32-bit %s ELF",
                     path, machine_name(e64->e_machine), machine_name(machine));
        } else {
            snprintf(err, errlen, "'%s' is not a %u-bit ELF", path, elfclass);
        }
        return false;
    }
    if (elfclass != 64)
        return load_elf32(bus, path, data, size, machine, out, err, errlen);
    if (data[EI_DATA] != ELFDATA2LSB) {
        snprintf(err, errlen, "'%s' is a big-endian ELF; this machine is little-endian", path);
        return false;
    }
    return load_elf64(bus, path, data, size, machine, out, err, errlen);
}

/* --- U-Boot legacy images (U-Boot include/image.h "legacy format"): a 64-byte big-endian
 * header { magic, header CRC, time, data size, load address, entry point, data CRC, os,
 * arch, type, compression, name[32] } and the data. Kernels (type 2) without compression
 * (0) or gzip'd (1); the data CRC is checked with zlib's CRC-32. --- */

#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER 64
#define UIMAGE_TYPE_KERNEL 2
#define UIMAGE_COMP_NONE 0
#define UIMAGE_COMP_GZIP 1
#define UIMAGE_MAX_KERNEL (256 * MiB)

/* zlib's inflate with gzip framing (windowBits 16 + 15), growing the output. */
static uint8_t *gunzip(const uint8_t *in, size_t len, size_t *out_len)
{
    z_stream z = { 0 };
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return NULL;
    size_t cap = len * 4 + 4096;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    int r = Z_OK;
    while (out && r == Z_OK) {
        if (z.total_out == cap) {
            uint8_t *bigger = cap < UIMAGE_MAX_KERNEL ? realloc(out, cap * 2) : NULL;
            if (!bigger)
                break;
            out = bigger;
            cap *= 2;
        }
        z.next_out = out + z.total_out;
        z.avail_out = (uInt)(cap - z.total_out);
        r = inflate(&z, Z_NO_FLUSH);
    }
    *out_len = z.total_out;
    inflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

bool loader_load_uimage(Bus *bus, const char *path, const uint8_t *data, size_t size,
                        LoadedImage *out, char *err, size_t errlen)
{
    *out = (LoadedImage){ 0 };
    if (size < UIMAGE_HEADER || ld_be(data, 4) != UIMAGE_MAGIC) {
        snprintf(err, errlen, "'%s' is neither an ELF nor a uImage", path);
        return false;
    }
    uint64_t dsize = ld_be(data + 12, 4), load = ld_be(data + 16, 4), entry = ld_be(data + 20, 4);
    unsigned type = data[30], comp = data[31];
    if (dsize > size - UIMAGE_HEADER) {
        snprintf(err, errlen, "'%s' is a truncated uImage", path);
        return false;
    }
    if (type != UIMAGE_TYPE_KERNEL) {
        snprintf(err, errlen, "'%s' is a uImage of type %u, not a kernel", path, type);
        return false;
    }
    const uint8_t *payload = data + UIMAGE_HEADER;
    if ((uint32_t)crc32(0, payload, (uInt)dsize) != (uint32_t)ld_be(data + 24, 4)) {
        snprintf(err, errlen, "'%s': the uImage data checksum does not match", path);
        return false;
    }
    size_t klen = dsize;
    uint8_t *unpacked = NULL;
    if (comp == UIMAGE_COMP_GZIP) {
        unpacked = gunzip(payload, dsize, &klen);
        if (!unpacked) {
            snprintf(err, errlen, "'%s': the uImage's gzip data is corrupt", path);
            return false;
        }
        payload = unpacked;
    } else if (comp != UIMAGE_COMP_NONE) {
        snprintf(err, errlen, "'%s': uImage compression %u is not supported (none and gzip are)",
                 path, comp);
        return false;
    }
    bool ok = put(bus, load, payload, klen, path, err, errlen);
    free(unpacked);
    if (!ok)
        return false;
    out->entry = entry;
    out->low = load;
    out->high = load + klen;
    return true;
}

#define RISCV_IMAGE_MAGIC2 "RSC\x05"

bool loader_load_riscv_image(Bus *bus, const char *path, const uint8_t *data, size_t size,
                             uint64_t ram_base, LoadedImage *out, char *err, size_t errlen)
{
    *out = (LoadedImage){ 0 };
    if (size < 64 || memcmp(data + 0x38, RISCV_IMAGE_MAGIC2, 4)) {
        snprintf(err, errlen, "'%s' is neither an ELF nor a RISC-V Linux Image", path);
        return false;
    }
    uint64_t text_offset = ld_le(data + 8, 8);
    uint64_t image_size = ld_le(data + 16, 8);
    if (text_offset > 1 * GiB) {
        snprintf(err, errlen, "'%s' has an impossible text_offset", path);
        return false;
    }
    uint64_t base = ram_base + text_offset;
    if (!put(bus, base, data, size, path, err, errlen))
        return false;
    if (image_size > size) {
        uint8_t *p = bus_ram_ptr(bus, base + size, image_size - size);
        if (!p) {
            snprintf(err, errlen, "'%s' does not fit in guest memory", path);
            return false;
        }
        memset(p, 0, image_size - size);
    }
    out->entry = base;
    out->low = base;
    out->high = base + MAX(size, image_size);
    return true;
}

bool loader_load_raw(Bus *bus, const char *path, const uint8_t *data, size_t size, uint64_t addr,
                     LoadedImage *out, char *err, size_t errlen)
{
    *out = (LoadedImage){ .entry = addr, .low = addr, .high = addr + size };
    return put(bus, addr, data, size, path, err, errlen);
}
