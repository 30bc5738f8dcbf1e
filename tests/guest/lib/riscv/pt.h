/* tests/guest/lib/riscv/pt.h: building Sv39/Sv48/Sv57 page tables in guest memory
 * (Volume II 1.12, 4.3-4.6: 4 KiB pages of 512 eight-byte PTEs; a leaf at level i
 * maps 2^(12+9i) bytes), and the hypervisor's G-stage Sv39x4/Sv48x4/Sv57x4 tables
 * (8.5.1 "Guest Physical Address Translation": the same format, but the root table is
 * 16 KiB, 16 KiB aligned, and indexed by two more address bits). Tables come from a
 * pool of pages the test provides. */
#ifndef GUEST_RISCV_PT_H
#define GUEST_RISCV_PT_H

#include "guest_riscv.h"

#define PT_4K 0 /* leaf levels */
#define PT_2M 1
#define PT_1G 2
#define PT_512G 3

struct pt {
    unsigned long mode;   /* SATP_MODE_SV39/48/57 */
    unsigned levels;
    uint64_t *root;
    uint8_t *pool;
    unsigned npages, used;
    bool gstage;          /* x4 scheme: 2048-entry root */
};

void pt_init(struct pt *pt, unsigned long mode, void *pool, unsigned npages);
/* A G-stage table (hgatp.MODE = mode, the Sv39x4/48x4/57x4 encodings equal the satp
 * ones): the pool must be 16 KiB aligned; its first four pages are the root. pt_map()
 * then takes guest physical addresses; pt_satp() gives hgatp with VMID 0. */
void pt_init_gstage(struct pt *pt, unsigned long mode, void *pool, unsigned npages);
/* Maps va to pa with a leaf at `level`, PTE flags `flags` (V is added). Intermediate
 * tables are allocated as needed. Returns the leaf PTE. */
uint64_t *pt_map(struct pt *pt, unsigned long va, unsigned long pa, unsigned level, uint64_t flags);
/* The leaf PTE mapping va (or the first invalid PTE on the way); NULL if none. */
uint64_t *pt_lookup(struct pt *pt, unsigned long va);
unsigned long pt_satp(const struct pt *pt);
static inline uint64_t pt_pte(unsigned long pa, uint64_t flags)
{
    return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}

#endif
