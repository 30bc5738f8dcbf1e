/* devices/openpic.h: the Freescale MPIC (an OpenPIC 1.2 controller with Freescale
 * extensions), modelled as the FSL MPIC v4.2 of QEMU's ppce500 ("e500plat") board so that
 * Linux's arch/powerpc/sysdev/mpic.c drives it the same way on both: 256 interrupt sources
 * (IVPR vector/priority, IDR destination, ILR level registers at 0x10000 + 0x20 * n), four
 * IPIs, up to four CPUs with their current task priority (CTPR), WHOAMI, interrupt
 * acknowledge (IACK) and end-of-interrupt (EOI) registers, the global registers (BRR1,
 * FRR, GCR, VIR, PIR, IPI vector/priority, spurious vector) and the external proxy mode
 * in which a core acknowledges an interrupt when it takes it (SPR EPR). The register
 * window is 0x40000 bytes, big-endian, 32-bit accesses only.
 *
 * Wiring. Each CPU has OPENPIC_OUTPUT_NB output lines: INT (the core's external input),
 * CINT (critical input), MCK (machine check) and RESET (held high while the CPU's bit of
 * the processor initialization register is set: the machine resets that core). Devices
 * drive sources through openpic_set_irq / openpic_irq_line; an IrqLine level is the
 * source's request level (true = the device requests service). The "this CPU" registers
 * at offset 0x0 need to know which CPU makes an access: the machine passes a pointer to a
 * variable holding the index of the CPU that is executing (it updates it whenever it
 * switches vCPUs); with a NULL pointer every access counts as CPU 0's. In external proxy
 * mode (openpic_external_proxy) the CPU, when it takes the external input interrupt,
 * calls openpic_iack and loads the result into EPR. */
#ifndef HVEMU_OPENPIC_H
#define HVEMU_OPENPIC_H

#include "devices/bus.h"

#define OPENPIC_SIZE 0x40000
#define OPENPIC_MAX_SOURCES 256
#define OPENPIC_MAX_CPUS 4
#define OPENPIC_NUM_IPIS 4
#define OPENPIC_NUM_TIMERS 8
/* Interrupt ids inside the model: sources 0..255, then IPIs 0..3. */
#define OPENPIC_IRQ_IPI0 OPENPIC_MAX_SOURCES
#define OPENPIC_NUM_IRQS (OPENPIC_MAX_SOURCES + OPENPIC_NUM_IPIS)

/* Block revision register 1 of FSL MPIC v4.2: IPID 0x0040, major 4, minor 2. */
#define OPENPIC_BRR1_V42 0x00400402u

/* Global registers (offsets into the window). */
#define OPENPIC_BRR1 0x00000
#define OPENPIC_BRR2 0x00010
#define OPENPIC_FRR 0x01000
#define OPENPIC_GCR 0x01020
#define OPENPIC_VIR 0x01080
#define OPENPIC_PIR 0x01090
#define OPENPIC_IPIVPR(n) (0x010a0 + 0x10 * (n))
#define OPENPIC_SVR 0x010e0
#define OPENPIC_TFRR 0x010f0
/* Global timer t (0..7): group A at 0x1100, group B at 0x2100, 0x40 apart. */
#define OPENPIC_TIMER(t) (0x01100 + 0x1000 * ((t) >> 2) + 0x40 * ((t) & 3))
#define OPENPIC_TCCR 0x00
#define OPENPIC_TBCR 0x10
#define OPENPIC_TVPR 0x20
#define OPENPIC_TDR 0x30
#define OPENPIC_EISR0 0x03900
#define OPENPIC_EIMR0 0x03910
/* Per-source registers. */
#define OPENPIC_SRC_BASE 0x10000
#define OPENPIC_SRC_STRIDE 0x20
#define OPENPIC_IVPR(n) (OPENPIC_SRC_BASE + OPENPIC_SRC_STRIDE * (n))
#define OPENPIC_IDR(n) (OPENPIC_IVPR(n) + 0x10)
#define OPENPIC_ILR(n) (OPENPIC_IVPR(n) + 0x18)
/* Per-CPU registers: in CPU c's window at 0x20000 + 0x1000 * c, and for the accessing
 * CPU at 0x0 + reg. */
#define OPENPIC_CPU_BASE 0x20000
#define OPENPIC_CPU_STRIDE 0x1000
#define OPENPIC_CPU(c) (OPENPIC_CPU_BASE + OPENPIC_CPU_STRIDE * (c))
#define OPENPIC_IPIDR(n) (0x40 + 0x10 * (n))
#define OPENPIC_CTPR 0x80
#define OPENPIC_WHOAMI 0x90
#define OPENPIC_IACK 0xa0
#define OPENPIC_EOI 0xb0

/* Register fields. */
#define OPENPIC_FRR_NIRQ_SHIFT 16 /* last source number */
#define OPENPIC_FRR_NCPU_SHIFT 8  /* last CPU number */
#define OPENPIC_FRR_VID_1_2 2     /* OpenPIC specification revision 1.2 */
#define OPENPIC_GCR_RESET 0x80000000u
#define OPENPIC_GCR_MODE_MASK 0x60000000u
#define OPENPIC_GCR_MODE_MIXED 0x20000000u
#define OPENPIC_GCR_MODE_PROXY 0x60000000u /* external proxy (coreint) */
#define OPENPIC_VPR_MSK 0x80000000u
#define OPENPIC_VPR_A 0x40000000u /* activity: requested or in service (read-only) */
#define OPENPIC_VPR_P 0x00800000u /* polarity: positive */
#define OPENPIC_VPR_S 0x00400000u /* sense: level */
#define OPENPIC_VPR_PRIORITY_SHIFT 16
#define OPENPIC_VPR_PRIORITY_MASK 0x000f0000u
#define OPENPIC_VPR_VECTOR_MASK 0x0000ffffu
#define OPENPIC_IDR_EP 0x80000000u /* external pin routing (kept, no effect) */
#define OPENPIC_IDR_CI0_SHIFT 30   /* CIn = bit 30 - n: critical input of CPU n */
#define OPENPIC_ILR_INTTGT_MASK 0xffu
#define OPENPIC_ILR_INTTGT_INT 0x00
#define OPENPIC_ILR_INTTGT_CINT 0x01
#define OPENPIC_ILR_INTTGT_MCP 0x02
#define OPENPIC_CTPR_MASK 0xfu
#define OPENPIC_TBCR_CI 0x80000000u /* count inhibit */

typedef enum OpenPicOutput {
    OPENPIC_OUTPUT_INT,
    OPENPIC_OUTPUT_CINT,
    OPENPIC_OUTPUT_MCK,
    OPENPIC_OUTPUT_RESET,
    OPENPIC_OUTPUT_NB,
} OpenPicOutput;

typedef struct OpenPicSource {
    uint32_t ivpr; /* without the activity bit, which is computed on read */
    uint32_t idr;
    uint32_t ilr;
    bool input;   /* the device's request level */
    bool pending; /* level: equals input; edge: latched by a rising request */
} OpenPicSource;

typedef struct OpenPicTimer {
    uint32_t tbcr, tvpr, tdr;
} OpenPicTimer;

typedef struct OpenPicCpu {
    uint32_t ctpr;
    /* In-service stack, oldest first. An interrupt appears at most once in it. */
    uint16_t isr[OPENPIC_NUM_IRQS];
    unsigned nisr;
    IrqLine out[OPENPIC_OUTPUT_NB];
    bool out_level[OPENPIC_OUTPUT_NB];
} OpenPicCpu;

typedef struct OpenPic {
    uint64_t base;
    unsigned ncpus;
    const unsigned *current_cpu;
    uint32_t gcr, pir, svr, tfrr, eimr;
    OpenPicSource src[OPENPIC_MAX_SOURCES];
    uint32_t ipivpr[OPENPIC_NUM_IPIS];
    uint8_t ipi_pending[OPENPIC_NUM_IPIS]; /* CPU mask */
    uint8_t in_service[OPENPIC_NUM_IRQS];  /* CPU mask of the stacks holding the id */
    OpenPicTimer timer[OPENPIC_NUM_TIMERS];
    OpenPicCpu cpu[OPENPIC_MAX_CPUS];
} OpenPic;

/* ncpus CPUs (1..4; clamped). out holds ncpus * OPENPIC_OUTPUT_NB lines, CPU c's output o
 * at index c * OPENPIC_OUTPUT_NB + o, or is NULL. current_cpu as described above. Maps
 * the window at base and leaves the controller in its reset state. */
void openpic_init(OpenPic *p, Bus *bus, uint64_t base, unsigned ncpus,
                  const unsigned *current_cpu, const IrqLine *out);
/* Machine reset, the same as writing GCR[RST]: every register takes its reset value,
 * nothing is pending or in service; device request levels are kept. */
void openpic_reset(OpenPic *p);
/* Drives source src (0..255; others are ignored) to request level `level`. */
void openpic_set_irq(OpenPic *p, unsigned src, bool level);
/* An IrqLine for a device wired to source src. */
IrqLine openpic_irq_line(OpenPic *p, unsigned src);
/* The interrupt acknowledge of CPU cpu, exactly as a read of its IACK register: the vector
 * of the interrupt it is being offered, which goes in service, or the spurious vector.
 * A cpu past the last returns the spurious vector and changes nothing. */
uint32_t openpic_iack(OpenPic *p, unsigned cpu);
/* True when GCR selects external proxy mode (the core acknowledges on taking the
 * interrupt and reads the vector from EPR). */
bool openpic_external_proxy(const OpenPic *p);
/* pic@reg_base { compatible = "fsl,mpic", "chrp,open-pic"; device_type = "open-pic";
 * reg = <reg_base 0x40000>; interrupt-controller; #interrupt-cells = <2>;
 * #address-cells = <0>; phandle }, at the place the machine has reached, inside a parent
 * with #address-cells = #size-cells = 2. An interrupt specifier is <source sense> with
 * sense 0 rising edge, 1 level low, 2 level high, 3 falling edge. IrqLine levels are
 * request levels and the polarity does not invert them, so only the edge/level choice
 * matters: a device that holds its line while it needs service takes 2 (or 1). */
int openpic_fdt(const OpenPic *p, void *fdt, uint64_t reg_base, uint32_t phandle);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h). */
void openpic_save(const OpenPic *o, struct StateW *w);
void openpic_load(OpenPic *o, struct StateR *r);

#endif
