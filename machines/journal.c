/* machines/journal.c: reading and writing the input journal (journal.h). */
#include "machines/journal.h"

#include <errno.h>
#include <stdlib.h>
#include <xxhash.h>

#define JNL_MAGIC "HVEMUJNL"
#define JNL_FORMAT 1
#define JNL_MAX_PAYLOAD (1u << 20)

static void put(uint8_t **p, uint64_t v, unsigned size)
{
    st_le(*p, size, v);
    *p += size;
}

bool journal_record_open(Journal *j, const char *path, const JournalHeader *hdr, char *err,
                         size_t errlen)
{
    *j = (Journal){ .path = path, .hdr = *hdr };
    j->out = fopen(path, "wb");
    if (!j->out) {
        snprintf(err, errlen, "--record: cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    uint8_t buf[128], *p = buf;
    const char *ver = HVEMU_VERSION;
    size_t vlen = MIN(strlen(ver), 64);
    memcpy(p, JNL_MAGIC, 8);
    p += 8;
    put(&p, JNL_FORMAT, 4);
    put(&p, vlen, 2);
    memcpy(p, ver, vlen);
    p += vlen;
    put(&p, hdr->config, 8);
    put(&p, hdr->rtc_base, 8);
    put(&p, hdr->hash_every, 8);
    put(&p, hdr->interactive | (hdr->has_input << 1), 1);
    put(&p, XXH32(buf, (size_t)(p - buf), 0), 4);
    if (fwrite(buf, 1, (size_t)(p - buf), j->out) != (size_t)(p - buf))
        j->write_failed = true;
    return true;
}

void journal_write(Journal *j, const JournalRec *r)
{
    uint8_t head[5 + 20], *p = head + 5;
    const uint8_t *data = NULL;
    size_t dlen = 0;
    switch (r->type) {
    case JNL_INPUT:
        put(&p, r->poll, 8);
        put(&p, r->icount, 8);
        data = r->data;
        dlen = r->len;
        break;
    case JNL_EOF:
    case JNL_QUIT:
        put(&p, r->poll, 8);
        put(&p, r->icount, 8);
        break;
    case JNL_HASH:
        put(&p, r->icount, 8);
        put(&p, r->len, 4);
        data = r->data;
        dlen = ((size_t)r->len + 1) * 8;
        break;
    case JNL_END:
        put(&p, r->icount, 8);
        put(&p, r->status, 4);
        break;
    case JNL_DISK:
        put(&p, r->icount, 8);
        put(&p, r->drive, 4);
        put(&p, r->pos, 8);
        data = r->data;
        dlen = r->len;
        break;
    default:
        return;
    }
    uint32_t len = (uint32_t)((size_t)(p - head - 5) + dlen);
    head[0] = r->type;
    st_le(head + 1, 4, len);
    XXH32_state_t *x = XXH32_createState();
    XXH32_reset(x, 0);
    XXH32_update(x, head, (size_t)(p - head));
    if (dlen)
        XXH32_update(x, data, dlen);
    uint8_t sum[4];
    st_le(sum, 4, XXH32_digest(x));
    XXH32_freeState(x);
    j->next++; /* records so far: a snapshot's position in the journal */
    if (fwrite(head, 1, (size_t)(p - head), j->out) != (size_t)(p - head) ||
        (dlen && fwrite(data, 1, dlen, j->out) != dlen) || fwrite(sum, 1, 4, j->out) != 4)
        j->write_failed = true;
}

bool journal_close(Journal *j)
{
    bool ok = !j->write_failed;
    if (j->out && fclose(j->out) != 0)
        ok = false;
    j->out = NULL;
    free(j->recs);
    free(j->disk);
    free(j->file);
    j->recs = NULL;
    j->disk = NULL;
    j->file = NULL;
    return ok;
}

static bool read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            snprintf(err, errlen, "'%s' is too large", path);
            return false;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        uint8_t *b = realloc(buf, cap);
        if (!b)
            free(buf);
        buf = b;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "cannot read '%s'", path);
        return false;
    }
    *data = buf;
    *size = len;
    return true;
}

/* Parses one record's payload into r; false if it does not have the type's shape. */
static bool parse_payload(uint8_t type, const uint8_t *p, uint32_t len, JournalRec *r)
{
    *r = (JournalRec){ .type = type };
    switch (type) {
    case JNL_INPUT:
        if (len < 17)
            return false;
        r->poll = ld_le(p, 8);
        r->icount = ld_le(p + 8, 8);
        r->data = p + 16;
        r->len = len - 16;
        return true;
    case JNL_EOF:
    case JNL_QUIT:
        if (len != 16)
            return false;
        r->poll = ld_le(p, 8);
        r->icount = ld_le(p + 8, 8);
        return true;
    case JNL_HASH:
        if (len < 12)
            return false;
        r->icount = ld_le(p, 8);
        r->len = (uint32_t)ld_le(p + 8, 4);
        r->data = p + 12;
        return r->len < 4096 && len == 12 + ((uint64_t)r->len + 1) * 8;
    case JNL_END:
        if (len != 12)
            return false;
        r->icount = ld_le(p, 8);
        r->status = (uint32_t)ld_le(p + 8, 4);
        return true;
    case JNL_DISK:
        if (len < 20 || (len - 20) % 512 != 0)
            return false;
        r->icount = ld_le(p, 8);
        r->drive = (uint32_t)ld_le(p + 8, 4);
        r->pos = ld_le(p + 12, 8);
        r->data = p + 20;
        r->len = len - 20;
        return r->pos % 512 == 0;
    default:
        return false;
    }
}

bool journal_read(Journal *j, const char *path, char *err, size_t errlen)
{
    *j = (Journal){ .replay = true, .path = path };
    if (!read_file(path, &j->file, &j->size, err, errlen))
        return false;
    const uint8_t *f = j->file, *end = f + j->size;
    if (j->size < 8 + 4 + 2 || memcmp(f, JNL_MAGIC, 8) != 0) {
        snprintf(err, errlen, "'%s' is not an hvemu journal", path);
        goto fail;
    }
    uint32_t format = (uint32_t)ld_le(f + 8, 4);
    size_t vlen = (size_t)ld_le(f + 12, 2);
    const uint8_t *p = f + 14;
    if (format != JNL_FORMAT || vlen > 64 || (size_t)(end - p) < vlen + 8 + 8 + 8 + 1 + 4) {
        snprintf(err, errlen, "'%s' is a journal of another format (%u, this hvemu "
                              "reads %u)", path, format, JNL_FORMAT);
        goto fail;
    }
    char ver[65];
    memcpy(ver, p, vlen);
    ver[vlen] = 0;
    p += vlen;
    j->hdr.config = ld_le(p, 8);
    j->hdr.rtc_base = ld_le(p + 8, 8);
    j->hdr.hash_every = ld_le(p + 16, 8);
    j->hdr.interactive = (p[24] & 1) != 0;
    j->hdr.has_input = (p[24] & 2) != 0;
    p += 25;
    if (ld_le(p, 4) != XXH32(f, (size_t)(p - f), 0)) {
        snprintf(err, errlen, "'%s' is corrupt (header checksum)", path);
        goto fail;
    }
    p += 4;
    memcpy(j->version, ver, sizeof(ver));
    size_t cap = 0;
    bool ended = false;
    while (p < end) {
        size_t at = (size_t)(p - f);
        if (ended) {
            snprintf(err, errlen, "'%s' is corrupt (data after the end record at byte "
                                  "%zu)", path, at);
            goto fail;
        }
        if ((size_t)(end - p) < 5) {
            snprintf(err, errlen, "'%s' is truncated (byte %zu)", path, at);
            goto fail;
        }
        uint8_t type = p[0];
        uint32_t len = (uint32_t)ld_le(p + 1, 4);
        if (len > JNL_MAX_PAYLOAD || (size_t)(end - p) < 5 + (size_t)len + 4) {
            snprintf(err, errlen, "'%s' is %s (record at byte %zu)", path,
                     len > JNL_MAX_PAYLOAD ? "corrupt" : "truncated", at);
            goto fail;
        }
        if (ld_le(p + 5 + len, 4) != XXH32(p, 5 + (size_t)len, 0)) {
            snprintf(err, errlen, "'%s' is corrupt (checksum of the record at byte "
                                  "%zu)", path, at);
            goto fail;
        }
        if (j->nrecs == cap) {
            cap = cap ? cap * 2 : 256;
            JournalRec *r = realloc(j->recs, cap * sizeof(*r));
            if (!r) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            j->recs = r;
        }
        JournalRec rec;
        if (!parse_payload(type, p + 5, len, &rec)) {
            snprintf(err, errlen, "'%s' is corrupt (record at byte %zu)", path, at);
            goto fail;
        }
        if (j->nrecs && rec.icount < j->recs[j->nrecs - 1].icount) {
            snprintf(err, errlen, "'%s' is corrupt (records out of order at byte %zu)",
                     path, at);
            goto fail;
        }
        if (type == JNL_DISK) {
            JournalRec *d = realloc(j->disk, (j->ndisk + 1) * sizeof(*d));
            if (!d) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            j->disk = d;
            j->disk[j->ndisk++] = rec;
        } else {
            j->recs[j->nrecs++] = rec;
        }
        ended = type == JNL_END;
        p += 5 + len + 4;
    }
    if (!ended) {
        snprintf(err, errlen, "'%s' is truncated (no end record: the recording did "
                              "not finish)", path);
        goto fail;
    }
    return true;
fail:
    journal_close(j);
    return false;
}

bool journal_replay_open(Journal *j, const char *path, uint64_t config, char *err,
                         size_t errlen)
{
    char why[400];
    if (!journal_read(j, path, why, sizeof(why))) {
        snprintf(err, errlen, "--replay: %s", why);
        return false;
    }
    if (strcmp(j->version, HVEMU_VERSION) != 0)
        snprintf(err, errlen, "--replay: '%s' was recorded by hvemu %s; this is hvemu %s", path,
                 j->version, HVEMU_VERSION);
    else if (j->hdr.config != config)
        snprintf(err, errlen, "--replay: '%s' was recorded with another command line or other "
                              "kernel, initrd, firmware or disk files", path);
    else
        return true;
    journal_close(j);
    return false;
}
