/* cpu/common/tb_cache.c: translation-block indexes shared by the architectures (see
 * tb_cache.h). */
#include "cpu/common/tb_cache.h"

#include <stdio.h>
#include <stdlib.h>

#define TB_HASH_SIZE (1u << TB_HASH_BITS)

static unsigned hash_pa(uint64_t pa) { return (unsigned)((pa >> 1) ^ (pa >> 17)) & (TB_HASH_SIZE - 1); }
static unsigned hash_page(uint64_t pa) { return (unsigned)((pa >> 12) ^ (pa >> 28)) & (TB_HASH_SIZE - 1); }

static void *must_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "hvemu: out of memory for translated code\n");
        exit(1);
    }
    return p;
}

void tb_cache_init(TbCache *t, Bus *bus, const TbCacheHooks *hooks)
{
    *t = (TbCache){ .hooks = *hooks };
    t->hash = must_calloc(TB_HASH_SIZE, sizeof(TbBlock *));
    t->page = must_calloc(TB_HASH_SIZE, sizeof(TbBlock *));
    const BusRegion *ram = NULL;
    for (unsigned i = 0; i < bus->nregions; i++)
        if (bus->regions[i].ram && !bus->regions[i].readonly &&
            (!ram || bus->regions[i].size > ram->size))
            ram = &bus->regions[i];
    if (ram) {
        t->code_base = ram->base >> 12;
        t->code_pages = ram->size >> 12;
    }
    t->code_page = must_calloc(t->code_pages, 1);
    bus->ram_written = tb_code_written;
    bus->ram_written_opaque = t;
}

void tb_cache_destroy(TbCache *t)
{
    if (!t->hash)
        return;
    tb_flush_all(t);
    tb_reap(t);
    free(t->hash);
    free(t->page);
    free(t->code_page);
    t->hash = NULL;
}

TbBlock *tb_find(TbCache *t, uint64_t pa, uint32_t key)
{
    for (TbBlock *b = t->hash[hash_pa(pa)]; b; b = b->hash_next)
        if (b->pa == pa && b->key == key)
            return b;
    return NULL;
}

static bool code_page_index(const TbCache *t, uint64_t pa, uint64_t *pg)
{
    uint64_t pfn = pa >> 12;
    if (pfn < t->code_base || pfn - t->code_base >= t->code_pages)
        return false;
    *pg = pfn - t->code_base;
    return true;
}

bool tb_page_has_code(const TbCache *t, uint64_t pa)
{
    uint64_t pg;
    return code_page_index(t, pa, &pg) && t->code_page[pg];
}

static void mark_code_page(TbCache *t, uint64_t pa)
{
    uint64_t pg;
    if (!code_page_index(t, pa, &pg) || t->code_page[pg])
        return;
    t->code_page[pg] = 1;
    if (t->hooks.page_marked)
        t->hooks.page_marked(t->hooks.opaque, pa & ~0xfffULL);
}

void tb_insert(TbCache *t, TbBlock *b)
{
    b->hash_next = t->hash[hash_pa(b->pa)];
    t->hash[hash_pa(b->pa)] = b;
    b->page_next = t->page[hash_page(b->pa)];
    t->page[hash_page(b->pa)] = b;
    b->straddle_next = NULL;
    if (b->pa2 != TB_NO_PAGE2) {
        b->straddle_next = t->straddlers;
        t->straddlers = b;
    }
    t->count++;
    mark_code_page(t, b->pa);
    if (b->pa2 != TB_NO_PAGE2)
        mark_code_page(t, b->pa2);
}

static void unlink(TbBlock **head, TbBlock *b, size_t next_off)
{
    for (TbBlock **pp = head; *pp; pp = (TbBlock **)((char *)*pp + next_off))
        if (*pp == b) {
            *pp = *(TbBlock **)((char *)b + next_off);
            return;
        }
}

/* Moves a block that is already off its page chain out of the other indexes. */
static void retire(TbCache *t, TbBlock *b)
{
    unlink(&t->hash[hash_pa(b->pa)], b, offsetof(TbBlock, hash_next));
    if (b->pa2 != TB_NO_PAGE2)
        unlink(&t->straddlers, b, offsetof(TbBlock, straddle_next));
    b->grave_next = t->graveyard;
    t->graveyard = b;
    t->count--;
}

static void dropped(TbCache *t)
{
    if (t->hooks.dropped)
        t->hooks.dropped(t->hooks.opaque);
}

void tb_drop(TbCache *t, TbBlock *b)
{
    unlink(&t->page[hash_page(b->pa)], b, offsetof(TbBlock, page_next));
    retire(t, b);
    dropped(t);
}

static void drop_page(TbCache *t, uint64_t ppage)
{
    TbBlock **pp = &t->page[hash_page(ppage)];
    while (*pp) {
        TbBlock *b = *pp;
        if ((b->pa & ~0xfffULL) == ppage) {
            *pp = b->page_next;
            retire(t, b);
        } else {
            pp = &b->page_next;
        }
    }
    /* Instructions that start on another page and end on this one. */
    for (TbBlock *b = t->straddlers, *next; b; b = next) {
        next = b->straddle_next;
        if (b->pa2 == ppage) {
            unlink(&t->page[hash_page(b->pa)], b, offsetof(TbBlock, page_next));
            retire(t, b);
        }
    }
}

void tb_code_written(void *cache, uint64_t pa, uint64_t len)
{
    TbCache *t = cache;
    bool any = false;
    if (len == 0)
        return;
    for (uint64_t page = pa & ~0xfffULL; page < pa + len; page += 4096) {
        uint64_t pg;
        if (!code_page_index(t, page, &pg) || !t->code_page[pg])
            continue;
        t->code_page[pg] = 0;
        drop_page(t, page);
        any = true;
    }
    if (any)
        dropped(t);
}

void tb_flush_all(TbCache *t)
{
    for (unsigned k = 0; k < TB_HASH_SIZE; k++) {
        while (t->page[k]) {
            TbBlock *b = t->page[k];
            t->page[k] = b->page_next;
            b->grave_next = t->graveyard;
            t->graveyard = b;
        }
        t->hash[k] = NULL;
    }
    t->straddlers = NULL;
    memset(t->code_page, 0, t->code_pages);
    t->count = 0;
    dropped(t);
}

void tb_reap(TbCache *t)
{
    while (t->graveyard) {
        TbBlock *b = t->graveyard;
        t->graveyard = b->grave_next;
        free(b);
    }
}
