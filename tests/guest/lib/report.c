/* tests/guest/lib/report.c: report() and the closing summary (the kvm-unit-tests
 * convention). The counters are updated atomically: several harts may report. */
#include "libguest.h"

static unsigned passes, failures;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    char buf[512];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", prefix);
    vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
    n = strlen(buf);
    buf[n] = '\n';
    buf[n + 1] = '\0';
    puts_locked(buf);
}

void report(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(ok ? "PASS: " : "FAIL: ", fmt, ap);
    va_end(ap);
    __atomic_fetch_add(ok ? &passes : &failures, 1, __ATOMIC_SEQ_CST);
}

void report_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("INFO: ", fmt, ap);
    va_end(ap);
}

unsigned report_failures(void)
{
    return __atomic_load_n(&failures, __ATOMIC_SEQ_CST);
}

unsigned report_summary(void)
{
    unsigned p = __atomic_load_n(&passes, __ATOMIC_SEQ_CST);
    unsigned f = report_failures();
    printf("SUMMARY: %u passed, %u failed\n", p, f);
    return f;
}

void report_exit(void)
{
    guest_exit(report_summary() ? 1 : 0);
}
