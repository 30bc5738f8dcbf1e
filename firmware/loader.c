/* firmware/loader.c: image loaders (see loader.h). ELF follows the System V ABI (gABI,
 * "Program Loading"): PT_LOAD segments go to p_paddr, the rest of p_memsz is zeroed. The
 * RISC-V Image header is the one of Linux's Documentation/arch/riscv/boot-image-header. */
#include "firmware/loader.h"

#include <elf.h>
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
        } else {
            snprintf(err, errlen, "'%s' is not a %u-bit ELF", path, elfclass);
        }
        return false;
    }
    if (data[EI_DATA] != ELFDATA2LSB) {
        snprintf(err, errlen, "'%s' is a big-endian ELF; this machine is little-endian", path);
        return false;
    }
    if (elfclass != 64) {
        snprintf(err, errlen, "'%s': 32-bit ELF loading is not supported yet", path);
        return false;
    }
    return load_elf64(bus, path, data, size, machine, out, err, errlen);
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
