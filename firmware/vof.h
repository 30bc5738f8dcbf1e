/* firmware/vof.h: the Open Firmware client interface in software, compatible with QEMU's
 * VOF ("Virtual Open Firmware"), so that Linux's prom_init runs unmodified on the pseries
 * machine with no firmware image. It follows IEEE 1275-1994, chapter 6 "Client
 * interface" (the argument array and the services), its PowerPC binding (32-bit cells,
 * big-endian), and LoPAR's "ibm,client-architecture-support" method (appendix B, option
 * vectors).
 *
 * The guest enters the client interface through vof_entry_stub[], which makes the private
 * hypercall H_VOF_CLIENT (0xf005) with r4 = the argument array; the machine's hcall
 * handler calls vof_client_call(). The live device tree is the FDT the machine built:
 * setprop edits it in place (fdt_open_into with headroom), phandles are its "phandle"
 * properties (vof_init adds one to every node that has none), and ihandles index a small
 * table of opened instances.
 *
 * How the machine uses it:
 *   1. build the FDT into a buffer with headroom (pseries_build_fdt, then keep the buffer
 *      at, say, 1 MiB);
 *   2. vof_init(&vof, fdt, cap, &ops, opaque, &cfg, err, errlen): opens the console
 *      (/chosen "stdout" and "stdin" become ihandles) and the boot CPU (/chosen "cpu");
 *   3. vof_claim_range() for everything already in guest memory: the kernel image, the
 *      initrd, the entry stub, anything else the machine placed there;
 *   4. write vof_entry_stub[] to guest memory, start the CPU at the kernel entry with
 *      r5 = the stub's address (and r3/r4 = initrd start/size if there is one);
 *   5. on hcall 0xf005: r3 = vof_client_call(&vof, r4). */
#ifndef HVEMU_VOF_H
#define HVEMU_VOF_H

#include "cpu/common/base.h"

/* The hypercall number the entry stub makes (as QEMU's VOF). */
#define VOF_HCALL 0xf005

/* The client interface entry: mr r4,r3; lis r3,0; ori r3,r3,0xf005; sc 1; blr. */
#define VOF_ENTRY_STUB_WORDS 5
extern const uint32_t vof_entry_stub[VOF_ENTRY_STUB_WORDS]; /* host order; store big-endian */

/* Limits on what a guest may ask for. */
#define VOF_MAX_CELLS 16       /* nargs and nret, each */
#define VOF_MAX_NAME 64        /* service, method and property names, with the NUL */
#define VOF_MAX_PATH 256       /* device specifiers, with the NUL */
#define VOF_NEXTPROP_BUF 32    /* IEEE 1275: nextprop's buffer holds at least 32 bytes */
#define VOF_MAX_INSTANCES 32
#define VOF_MAX_CLAIMS 128
#define VOF_MAX_RTAS_BLOB 4096 /* RTAS code bytes vof_init copies */

/* Option vector 5 as /chosen "ibm,architecture-vec-5" carries it: byte 0 is the vector
 * length minus one, byte n is LoPAR's "byte n" (the encoding of the CAS argument). Linux
 * reads byte 23 (interrupt controller) and byte 24 (MMU) after CAS. */
#define VOF_OV5_PROP_LEN 27    /* bytes 0..26: up to "radix extensions" */
#define VOF_OV5_INTC 23        /* XIVE support: 0x00 legacy XICS only */
#define VOF_OV5_INTC_MASK 0xC0
#define VOF_OV5_XICS 0x00
#define VOF_OV5_MMU 24         /* MMU: 0x00 hash only, 0x40 radix only, 0x80 either */
#define VOF_OV5_MMU_MASK 0xC0
#define VOF_OV5_MMU_HASH 0x00
#define VOF_OV5_MMU_RADIX 0x40
#define VOF_OV5_HASH_EXT 25
#define VOF_OV5_RADIX_EXT 26

/* Fills out[VOF_OV5_PROP_LEN] with what hvemu offers: hash MMU only, XICS only, nothing
 * else. The FDT builder uses it for the initial property, CAS for its answer. */
void vof_ov5_default(uint8_t *out);

/* What ibm,client-architecture-support was asked: the PVR list and the option vectors,
 * each as the DT property carries it (vec[n][0] = length - 1, vec[n][k] = byte k). */
#define VOF_CAS_MAX_PVRS 64
#define VOF_CAS_MAX_VECTORS 8
typedef struct VofCasRequest {
    unsigned npvrs;
    uint32_t pvr_mask[VOF_CAS_MAX_PVRS], pvr_value[VOF_CAS_MAX_PVRS];
    unsigned nvectors;                                /* vectors 1..nvectors present */
    uint16_t vec_len[VOF_CAS_MAX_VECTORS + 1];         /* data bytes of vector n */
    uint8_t vec[VOF_CAS_MAX_VECTORS + 1][257];
} VofCasRequest;

/* Byte `byte` of option vector `vector` in a request, 0 where the guest sent none. */
uint8_t vof_cas_byte(const VofCasRequest *r, unsigned vector, unsigned byte);

/* What the machine provides. Guest memory is guest-physical and every access is checked
 * by the ops (false: outside memory); the machine backs them with bus_dma_read/write. */
typedef struct VofOps {
    bool (*read)(void *opaque, uint64_t addr, void *buf, size_t len);
    bool (*write)(void *opaque, uint64_t addr, const void *buf, size_t len);
    /* The console behind the stdout/stdin instances (hvc0). */
    void (*write_console)(void *opaque, const uint8_t *buf, size_t len);
    /* Optional: up to len pending input bytes; NULL reads nothing. */
    size_t (*read_console)(void *opaque, uint8_t *buf, size_t len);
    uint64_t (*now_ms)(void *opaque);  /* virtual milliseconds */
    void (*quiesce)(void *opaque);     /* the client is about to take over the machine */
    void (*exit)(void *opaque);        /* the client gave up; may not return */
    /* Optional: ibm,client-architecture-support. vec5 holds the answer VOF is about to
     * store in /chosen (hash MMU, XICS); the machine may change bytes 1..len-1. A non-zero
     * return fails the call. */
    int (*cas)(void *opaque, const VofCasRequest *req, uint8_t *vec5, size_t len);
    /* Optional: one line for unknown services and methods (-d unimp). */
    void (*log)(void *opaque, const char *line);
} VofOps;

typedef struct VofConfig {
    uint64_t ram_size;          /* claim works in [0, min(ram_size, 4 GiB)) */
    const uint8_t *rtas_blob;   /* what instantiate-rtas copies (big-endian code); */
    size_t rtas_size;           /* vof_init keeps its own copy of up to 4 KiB */
    /* The console node; NULL: /chosen "linux,stdout-path" or "stdout-path". */
    const char *stdout_path;
    /* The boot CPU for /chosen "cpu"; NULL: the first node of device_type "cpu". */
    const char *cpu_path;
} VofConfig;

typedef struct VofClaim {
    uint64_t base, size;
} VofClaim;

typedef struct VofInstance {
    bool used;
    uint32_t phandle;
} VofInstance;

typedef struct Vof {
    void *fdt;                 /* the live tree (the machine's buffer) */
    size_t fdt_cap;
    const VofOps *ops;
    void *opaque;
    VofConfig cfg;
    uint64_t claim_top;
    VofClaim claims[VOF_MAX_CLAIMS]; /* sorted by base, disjoint */
    unsigned nclaims;
    VofInstance inst[VOF_MAX_INSTANCES];
    uint32_t stdout_ih, stdin_ih, console_ph;
    bool quiesced;
    uint8_t rtas_blob[VOF_MAX_RTAS_BLOB];
    size_t rtas_size;
    unsigned ncas;             /* ibm,client-architecture-support calls served */
    VofCasRequest cas;         /* the last one */
    uint64_t ncalls;
} Vof;

/* Takes over the FDT in fdt (fdt_cap bytes, the blob at its start), opens the console and
 * the boot CPU. False with one line in err on failure. */
bool vof_init(Vof *v, void *fdt, size_t fdt_cap, const VofOps *ops, void *opaque,
              const VofConfig *cfg, char *err, size_t errlen);

/* Marks [base, base+size) as in use, as a claim would; false if it overlaps a claim, lies
 * outside claimable memory or the table is full. */
bool vof_claim_range(Vof *v, uint64_t base, uint64_t size);

/* Serves one client interface call: args_addr is the guest address of the argument array
 * {service, nargs, nret, args[nargs], rets[nret]} (big-endian cells). Returns the value
 * for r3: 0 when the service ran (its results are in the array), -1 for an unknown
 * service or an array that cannot be read or written. */
int64_t vof_client_call(Vof *v, uint64_t args_addr);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h): claims, instances and the live device tree, so
 * that a snapshot taken while a client still calls in goes on from there. */
void vof_save(const Vof *v, struct StateW *w);
void vof_load(Vof *v, struct StateR *r);

#endif
