/* tests/guest/booke/epapr_hcall.c: ePAPR hypercalls (ePAPR 1.1 chapter 8 "Hypervisor
 * Interfaces"; tokens and register use of Linux's asm/epapr_hcalls.h) made by a guest of
 * hvemu's built-in E.HV hypervisor (-M e500,hv=on): `sc 1` with r11 = vendor << 16 |
 * number, arguments in r3.., the status back in r3 and results in r4... KVM's feature
 * query (vendor 42, number 3) reports no features; the console byte channel (handle 0)
 * takes bytes packed big-endian in r5..r8 and reports what it sent; a bad handle is
 * EV_EINVAL and an unknown token EV_UNIMPLEMENTED. */
#include "guest_booke.h"

#define EV_SUCCESS 0
#define EV_EINVAL 8
#define EV_UNIMPLEMENTED 12
#define TOKEN(vendor, num) (((uint32_t)(vendor) << 16) | (num))

struct hret {
    uint32_t r3, r4, r5;
};

static struct hret hcall(uint32_t token, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6)
{
    register uint32_t r3 __asm__("r3") = a3;
    register uint32_t r4 __asm__("r4") = a4;
    register uint32_t r5 __asm__("r5") = a5;
    register uint32_t r6 __asm__("r6") = a6;
    register uint32_t r7 __asm__("r7") = 0;
    register uint32_t r8 __asm__("r8") = 0;
    register uint32_t r11 __asm__("r11") = token;
    __asm__ volatile("sc 1"
                     : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r11)
                     :
                     : "r0", "r9", "r10", "r12", "cr0", "ctr", "xer", "memory");
    return (struct hret){ r3, r4, r5 };
}

int main(void)
{
    struct hret r = hcall(TOKEN(42, 3), 0, 0, 0, 0);
    report(r.r3 == EV_SUCCESS && r.r4 == 0, "KVM_HC_FEATURES: EV_SUCCESS, no features (%u, %u)",
           r.r3, r.r4);
    r = hcall(TOKEN(1, 1), 0, 3, 0x6f6b0a00, 0); /* "ok\n" on the console */
    report(r.r3 == EV_SUCCESS && r.r4 == 3, "EV_BYTE_CHANNEL_SEND of 3 bytes (%u, %u)", r.r3,
           r.r4);
    r = hcall(TOKEN(1, 3), 0, 0, 0, 0);
    report(r.r3 == EV_SUCCESS && r.r5 == 16, "EV_BYTE_CHANNEL_POLL: 16 bytes of space (%u, %u)",
           r.r3, r.r5);
    r = hcall(TOKEN(1, 1), 7, 1, 0, 0);
    report(r.r3 == EV_EINVAL, "EV_BYTE_CHANNEL_SEND to handle 7: EV_EINVAL (%u)", r.r3);
    r = hcall(TOKEN(1, 99), 0, 0, 0, 0);
    report(r.r3 == EV_UNIMPLEMENTED, "token 99: EV_UNIMPLEMENTED (%u)", r.r3);
    return 0;
}
