/* cpu/common/tb_cache.h: the bookkeeping of translation blocks every architecture shares
 * (DESIGN.md, "Execution engine"): blocks indexed by the physical address of their first
 * instruction and the mode bits their decoding depends on, a chain per physical page so
 * that a store to a page holding code drops that page's blocks, the pages marked as
 * holding code, blocks whose one instruction straddles two pages, and a graveyard: a
 * dropped block may still be running, so it is freed only at the next quantum boundary.
 * An architecture's block embeds TbBlock as its first member; how blocks are decoded,
 * run and linked stays with the architecture. */
#ifndef HVEMU_TB_CACHE_H
#define HVEMU_TB_CACHE_H

#include "cpu/common/base.h"
#include "devices/bus.h"

#define TB_HASH_BITS 16
#define TB_NO_PAGE2 (~0ULL)

typedef struct TbBlock TbBlock;

struct TbBlock {
    uint64_t pa;
    uint64_t pa2;          /* second physical page of a page-straddling instruction */
    uint32_t key;          /* the mode bits decoding depended on (0 if none) */
    TbBlock *hash_next;    /* chain of the bucket of pa */
    TbBlock *page_next;    /* chain of blocks of the same physical page */
    TbBlock *grave_next;
    TbBlock *straddle_next;
};

typedef struct TbCacheHooks {
    /* A page got its first block: stores to it must now take the slow path. */
    void (*page_marked)(void *opaque, uint64_t ppage);
    /* Blocks were dropped: jump caches and block links must be renewed. */
    void (*dropped)(void *opaque);
    void *opaque;
} TbCacheHooks;

typedef struct TbCache {
    TbBlock **hash;        /* buckets by physical address */
    TbBlock **page;        /* buckets by physical page */
    uint8_t *code_page;    /* one byte per 4K page of the tracked RAM: holds blocks */
    uint64_t code_base, code_pages;
    TbBlock *graveyard;
    TbBlock *straddlers;
    uint64_t count;
    TbCacheHooks hooks;
} TbCache;

/* Tracks code in the largest writable RAM region of bus and becomes the bus's
 * ram_written hook, so DMA and emulator writes drop blocks too. Exits on out of memory. */
void tb_cache_init(TbCache *t, Bus *bus, const TbCacheHooks *hooks);
void tb_cache_destroy(TbCache *t);

TbBlock *tb_find(TbCache *t, uint64_t pa, uint32_t key);
/* Indexes a new block (b->pa, b->pa2 and b->key set) and marks its pages. */
void tb_insert(TbCache *t, TbBlock *b);
/* Drops one block (a stale straddler) and tells the hooks. */
void tb_drop(TbCache *t, TbBlock *b);
/* Does the physical page of pa hold blocks? (Stores to it take the slow path.) */
bool tb_page_has_code(const TbCache *t, uint64_t pa);
/* [pa, pa + len) was written: drops the blocks of every marked page it touches. The
 * signature of Bus.ram_written. */
void tb_code_written(void *cache, uint64_t pa, uint64_t len);
void tb_flush_all(TbCache *t);
/* Frees the blocks dropped since the last call. */
void tb_reap(TbCache *t);

#endif
