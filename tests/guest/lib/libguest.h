/* tests/guest/lib/libguest.h: the architecture-neutral half of the guest test library:
 * console printing, report() and its summary, exit, a few string functions and a
 * minimal flattened-device-tree reader. Tests follow the kvm-unit-tests shape: one
 * program per feature, each check one report() line ("PASS: ..." or "FAIL: ..."), and a
 * closing "SUMMARY: N passed, M failed" line before the program powers the machine off
 * with a status (0 when nothing failed). The per-architecture half (startup, traps,
 * putchar, exit) lives in lib/<arch>/. */
#ifndef GUEST_LIBGUEST_H
#define GUEST_LIBGUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* printf.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a whole string to the console as one unit (no interleaving with other harts). */
void puts_locked(const char *s);

/* report.c */
void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "SUMMARY: N passed, M failed"; returns M. */
unsigned report_summary(void);
unsigned report_failures(void);
/* report_summary() and exit with status 0 when nothing failed, 1 otherwise. */
void report_exit(void) __attribute__((noreturn));

/* string.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* fdt.c: a read-only walker of a flattened device tree (Devicetree Specification
 * v0.4, chapter 5 "Flattened Devicetree (DTB) Format"). */
bool fdt_valid(const void *fdt);
/* The property `name` of the node at `path` ("/cpus/cpu@0"); NULL when absent. */
const void *fdt_getprop(const void *fdt, const char *path, const char *name, uint32_t *len);
/* A one-cell property as a number; false when absent or not 4 bytes. */
bool fdt_getprop_u32(const void *fdt, const char *path, const char *name, uint32_t *val);
/* How many direct children of `path` have names starting with `prefix`. */
int fdt_count_children(const void *fdt, const char *path, const char *prefix);
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

/* Architecture half (lib/<arch>/). */
void guest_putchar(char c);
void guest_exit(int status) __attribute__((noreturn));
void console_lock(void);
void console_unlock(void);
int main(void);

#endif
