/* tests/guest/riscv/sbi_dbcn_srst.c: the Debug Console extension (SBI v2.0, chapter 12)
 * and System Reset (chapter 10). console_write takes a physical buffer (num_bytes,
 * base_addr_lo, base_addr_hi) and returns the number of bytes written; console_read
 * returns 0 bytes when there is no input; a buffer that is not memory is
 * SBI_ERR_INVALID_PARAM; write_byte writes one byte. system_reset rejects reserved
 * reset types and reasons with SBI_ERR_INVALID_PARAM; the program ends with a
 * shutdown, reason "no reason", which ends the run with status 0. */
#include "guest_riscv.h"
#include "pt.h"
#include "sbi.h"

#define BUF_VA 0x40000000UL

static uint8_t pt_pool[8 * 4096] __attribute__((aligned(4096)));
static char page_buf[4096] __attribute__((aligned(4096)));

static struct sbiret dbcn(unsigned long fid, unsigned long n, unsigned long lo, unsigned long hi)
{
    return sbi_call3(SBI_EXT_DBCN, fid, n, lo, hi);
}

int main(void)
{
    static const char line[] = "DBCN console_write prints this whole line\n";
    unsigned long len = sizeof(line) - 1;
    struct sbiret r;

    console_lock();
    r = dbcn(SBI_DBCN_CONSOLE_WRITE, len, (unsigned long)line, 0);
    console_unlock();
    report(r.error == SBI_SUCCESS && (unsigned long)r.value == len,
           "console_write of %lu bytes returns %ld written (error %ld)", len, r.value, r.error);
    r = dbcn(SBI_DBCN_CONSOLE_WRITE, 0, (unsigned long)line, 0);
    report(r.error == SBI_SUCCESS && r.value == 0, "console_write of 0 bytes writes 0 (error %ld, %ld)",
           r.error, r.value);

    console_lock();
    static const char bytes[] = "DBCN console_write_byte prints this line\n";
    long bad = 0;
    for (const char *p = bytes; *p; p++) {
        r = sbi_call1(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, (uint8_t)*p);
        if (r.error != SBI_SUCCESS || r.value != 0)
            bad++;
    }
    console_unlock();
    report(bad == 0, "console_write_byte returns SBI_SUCCESS and value 0 for each byte (%ld did not)",
           bad);

    char in[16];
    memset(in, 0x55, sizeof(in));
    r = dbcn(SBI_DBCN_CONSOLE_READ, sizeof(in), (unsigned long)in, 0);
    report(r.error == SBI_SUCCESS && r.value == 0, "console_read with no input reads 0 bytes (error %ld, %ld)",
           r.error, r.value);
    report(in[0] == 0x55 && in[15] == 0x55, "console_read left the buffer untouched");

    /* Buffers that are not memory. */
    r = dbcn(SBI_DBCN_CONSOLE_WRITE, 8, 0x1000, 0);
    report(r.error == SBI_ERR_INVALID_PARAM, "console_write from 0x1000 (no memory): SBI_ERR_INVALID_PARAM (%ld)",
           r.error);
    r = dbcn(SBI_DBCN_CONSOLE_WRITE, 8, (unsigned long)line, 1);
    report(r.error == SBI_ERR_INVALID_PARAM,
           "console_write with base_addr_hi = 1 (beyond 2^64): SBI_ERR_INVALID_PARAM (%ld)", r.error);
    r = dbcn(SBI_DBCN_CONSOLE_READ, 8, 0x1000, 0);
    report(r.error == SBI_ERR_INVALID_PARAM, "console_read into 0x1000: SBI_ERR_INVALID_PARAM (%ld)", r.error);

    uint32_t len_ram;
    const void *reg = fdt_getprop(guest_fdt, "/memory@80000000", "reg", &len_ram);
    report(reg && len_ram == 16, "the FDT describes RAM at 0x80000000");
    if (reg && len_ram == 16) {
        unsigned long end = fdt_be64(reg) + fdt_be64((const uint8_t *)reg + 8);
        r = dbcn(SBI_DBCN_CONSOLE_WRITE, 64, end - 16, 0);
        report(r.error == SBI_ERR_INVALID_PARAM,
               "console_write of 64 bytes from 16 bytes before the end of RAM (0x%lx): "
               "SBI_ERR_INVALID_PARAM (%ld)", end - 16, r.error);
        r = dbcn(SBI_DBCN_CONSOLE_WRITE, 0, end, 0);
        report(r.error == SBI_ERR_INVALID_PARAM || (r.error == SBI_SUCCESS && r.value == 0),
               "console_write of 0 bytes at the end of RAM writes nothing (error %ld, %ld)", r.error,
               r.value);
    }

    /* The buffer address is physical, whatever satp says. */
    struct pt pt;
    pt_init(&pt, SATP_MODE_SV39, pt_pool, ARRAY_SIZE(pt_pool) / 4096);
    pt_map(&pt, RAM_BASE, RAM_BASE, PT_1G, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    pt_map(&pt, BUF_VA, (unsigned long)page_buf, PT_4K, PTE_R | PTE_W | PTE_A | PTE_D);
    static const char paged[] = "DBCN console_write from a physical address with paging on\n";
    memcpy(page_buf, paged, sizeof(paged));
    csr_write(satp, pt_satp(&pt));
    sfence_vma();
    report(*(volatile char *)BUF_VA == 'D', "Sv39 on: the buffer is also at virtual 0x%lx", BUF_VA);
    console_lock();
    r = dbcn(SBI_DBCN_CONSOLE_WRITE, sizeof(paged) - 1, (unsigned long)page_buf, 0);
    console_unlock();
    struct sbiret rv = dbcn(SBI_DBCN_CONSOLE_WRITE, sizeof(paged) - 1, BUF_VA, 0);
    csr_write(satp, 0);
    sfence_vma();
    report(r.error == SBI_SUCCESS && (unsigned long)r.value == sizeof(paged) - 1,
           "with paging on, console_write of the physical address works (error %ld, %ld)", r.error,
           r.value);
    report(rv.error == SBI_ERR_INVALID_PARAM,
           "with paging on, the virtual address is not taken as the buffer: SBI_ERR_INVALID_PARAM (%ld)",
           rv.error);

    /* SRST: reserved types and reasons are rejected and the system keeps running. */
    static const unsigned long bad_types[] = { 3, 0xefffffff, 0xf0000000, 0xffffffff };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_types); k++) {
        r = sbi_system_reset(bad_types[k], SBI_SRST_REASON_NONE);
        report(r.error == SBI_ERR_INVALID_PARAM, "system_reset(type 0x%lx): SBI_ERR_INVALID_PARAM (%ld)",
               bad_types[k], r.error);
    }
    static const unsigned long bad_reasons[] = { 2, 0xdfffffff };
    for (unsigned k = 0; k < ARRAY_SIZE(bad_reasons); k++) {
        r = sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, bad_reasons[k]);
        report(r.error == SBI_ERR_INVALID_PARAM,
               "system_reset(shutdown, reserved reason 0x%lx): SBI_ERR_INVALID_PARAM (%ld)",
               bad_reasons[k], r.error);
    }

    /* The end: shutdown with no reason gives exit status 0 (the runner checks both the
     * status and the summary). */
    report_summary();
    r = sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
    report(false, "system_reset(shutdown) returned (error %ld)", r.error);
    report_exit();
}
