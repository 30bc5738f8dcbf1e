/* tests/guest/lib/printf.c: a small printf: conversions d i u x X o p s c %, flags '-'
 * and '0', a field width (also '*'), a precision for strings, and the length modifiers
 * hh h l ll z. Output is formatted into a buffer, then written under the console lock,
 * so lines from different harts never interleave. */
#include "libguest.h"

typedef struct Out {
    char *buf;
    size_t size, len;
} Out;

static void out_char(Out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_pad(Out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

static void out_number(Out *o, unsigned long long v, bool neg, unsigned base, bool upper,
                       int width, bool left, bool zero)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (!left && !zero)
        out_pad(o, ' ', width - len);
    if (neg)
        out_char(o, '-');
    if (!left && zero)
        out_pad(o, '0', width - len);
    while (n)
        out_char(o, tmp[--n]);
    if (left)
        out_pad(o, ' ', width - len);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    Out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        bool left = false, zero = false;
        for (;; fmt++) {
            if (*fmt == '-')
                left = true;
            else if (*fmt == '0')
                zero = true;
            else
                break;
        }
        int width = 0, prec = -1;
        if (*fmt == '*') {
            width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            while (*fmt >= '0' && *fmt <= '9')
                prec = prec * 10 + (*fmt++ - '0');
        }
        int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
        for (;; fmt++) {
            if (*fmt == 'l')
                lng++;
            else if (*fmt == 'h')
                lng--;
            else if (*fmt == 'z')
                lng = 1;
            else
                break;
        }
        unsigned long long u;
        long long s;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng <= -2)
                s = (signed char)s;
            u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
            out_number(&o, u, s < 0, 10, false, width, left, zero);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = lng >= 2 ? va_arg(ap, unsigned long long)
                : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng <= -2)
                u = (unsigned char)u;
            out_number(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
                       width, left, zero);
            break;
        case 'p':
            out_char(&o, '0');
            out_char(&o, 'x');
            out_number(&o, (unsigned long)va_arg(ap, void *), false, 16, false, width, left, zero);
            break;
        case 'c':
            out_pad(&o, ' ', left ? 0 : width - 1);
            out_char(&o, (char)va_arg(ap, int));
            out_pad(&o, ' ', left ? width - 1 : 0);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            int len = (int)strlen(str);
            if (prec >= 0 && len > prec)
                len = prec;
            out_pad(&o, ' ', left ? 0 : width - len);
            for (int k = 0; k < len; k++)
                out_char(&o, str[k]);
            out_pad(&o, ' ', left ? width - len : 0);
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void puts_locked(const char *s)
{
    console_lock();
    while (*s)
        guest_putchar(*s++);
    console_unlock();
}

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    puts_locked(buf);
    return n;
}
