/* tools/inspect/hvemu-journal.c: looks into --record journals.
 *
 *   hvemu-journal dump FILE
 *       the header and every record: console input (as escaped text) with the poll and
 *       instruction count it entered at, state hashes, the end of the run
 *   hvemu-journal set-input FILE OUT N TEXT
 *       writes OUT, a copy of FILE whose N-th console input record (from 0) holds TEXT
 *       (with \n, \r, \\ and \xHH escapes) instead: a journal for a run that did not happen,
 *       which a replay must report as diverging
 *
 * The journal's own checks apply: a corrupt or truncated FILE is refused. */
#include <stdio.h>
#include <stdlib.h>

#include "machines/journal.h"

static void print_bytes(const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        uint8_t c = p[k];
        if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c == '\\')
            fputs("\\\\", stdout);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static size_t unescape(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*s && n < cap) {
        if (s[0] == '\\' && s[1]) {
            s++;
            if (*s == 'n') out[n++] = '\n', s++;
            else if (*s == 'r') out[n++] = '\r', s++;
            else if (*s == 'x' && s[1] && s[2]) {
                char hex[3] = { s[1], s[2], 0 };
                out[n++] = (uint8_t)strtoul(hex, NULL, 16);
                s += 3;
            } else out[n++] = (uint8_t)*s++;
        } else {
            out[n++] = (uint8_t)*s++;
        }
    }
    return n;
}

static int dump(const Journal *j)
{
    printf("journal: trace-hash %llu, rtc base %llu, console input %s%s\n",
           (unsigned long long)j->hdr.hash_every, (unsigned long long)j->hdr.rtc_base,
           j->hdr.has_input ? "yes" : "no", j->hdr.interactive ? " (a terminal)" : "");
    for (size_t k = 0; k < j->ndisk; k++) {
        const JournalRec *r = &j->disk[k];
        printf("disk   drive %u offset %llu: %u bytes as they were before icount %llu\n",
               r->drive, (unsigned long long)r->pos, r->len, (unsigned long long)r->icount);
    }
    for (size_t k = 0; k < j->nrecs; k++) {
        const JournalRec *r = &j->recs[k];
        switch (r->type) {
        case JNL_INPUT:
            printf("input  poll %llu icount %llu \"", (unsigned long long)r->poll,
                   (unsigned long long)r->icount);
            print_bytes(r->data, r->len);
            printf("\"\n");
            break;
        case JNL_EOF:
        case JNL_QUIT:
            printf("%s poll %llu icount %llu\n", r->type == JNL_EOF ? "eof   " : "quit  ",
                   (unsigned long long)r->poll, (unsigned long long)r->icount);
            break;
        case JNL_HASH:
            printf("hash   icount %llu", (unsigned long long)r->icount);
            for (uint32_t n = 0; n <= r->len; n++)
                printf(" %s%016llx", n == r->len ? "mem " : "",
                       (unsigned long long)ld_le(r->data + 8 * n, 8));
            printf("\n");
            break;
        case JNL_END:
            printf("end    icount %llu status %u\n", (unsigned long long)r->icount, r->status);
            break;
        }
    }
    return 0;
}

static int set_input(Journal *j, const char *out, unsigned long index, const char *text)
{
    uint8_t bytes[4096];
    size_t n = unescape(text, bytes, sizeof(bytes));
    Journal w;
    char err[512];
    if (!journal_record_open(&w, out, &j->hdr, err, sizeof(err))) {
        fprintf(stderr, "hvemu-journal: %s\n", err + strlen("--record: "));
        return 1;
    }
    unsigned long seen = 0;
    bool done = false;
    for (size_t k = 0; k < j->ndisk; k++)
        journal_write(&w, &j->disk[k]);
    for (size_t k = 0; k < j->nrecs; k++) {
        JournalRec r = j->recs[k];
        if (r.type == JNL_INPUT && seen++ == index) {
            r.data = bytes;
            r.len = (uint32_t)n;
            done = true;
        }
        journal_write(&w, &r);
    }
    if (!journal_close(&w)) {
        fprintf(stderr, "hvemu-journal: cannot write '%s'\n", out);
        return 1;
    }
    if (!done) {
        fprintf(stderr, "hvemu-journal: the journal has only %lu console input records\n", seen);
        remove(out);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "dump") && strcmp(argv[1], "set-input")) ||
        (!strcmp(argv[1], "set-input") && argc != 6)) {
        fprintf(stderr, "usage: hvemu-journal dump FILE\n"
                        "       hvemu-journal set-input FILE OUT N TEXT\n");
        return 2;
    }
    Journal j;
    char err[512];
    /* The tool reads journals of any command line: it asks for none. */
    if (!journal_read(&j, argv[2], err, sizeof(err))) {
        fprintf(stderr, "hvemu-journal: %s\n", err);
        return 1;
    }
    int rc;
    if (!strcmp(argv[1], "dump")) {
        rc = dump(&j);
    } else {
        char *end;
        unsigned long index = strtoul(argv[4], &end, 10);
        rc = *end || end == argv[4] ? (fprintf(stderr, "hvemu-journal: bad index '%s'\n", argv[4]), 2)
                                    : set_input(&j, argv[3], index, argv[5]);
    }
    journal_close(&j);
    return rc;
}
