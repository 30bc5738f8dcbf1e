/* devices/virtio_pci.h: the modern (non-transitional) virtio-pci transport, VIRTIO 1.2
 * section 4.1 "Virtio Over PCI Bus": a PCI function with vendor 0x1af4 and device
 * 0x1040 + the virtio device ID, whose vendor-specific capabilities (4.1.4) point into
 * one 64-bit memory BAR holding the common configuration (4.1.4.3), the notification area
 * (4.1.4.4), the ISR status (4.1.4.5) and the device configuration (4.1.4.6), plus the
 * PCI configuration access capability (4.1.4.9). Interrupts are INTx (pin A, level,
 * 4.1.5.3): there is no MSI-X capability, so drivers fall back to it. The VirtioDev it
 * carries is any backend's (devices/virtio.h). */
#ifndef HVEMU_VIRTIO_PCI_H
#define HVEMU_VIRTIO_PCI_H

#include "devices/pci.h"
#include "devices/virtio.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEVICE_MODERN 0x1040 /* + the virtio device ID */
#define VIRTIO_PCI_SUBSYSTEM 0x1100
#define VIRTIO_PCI_REVISION 1           /* 4.1.2.1: non-transitional devices have >= 1 */

/* 4.1.4 Virtio Structure PCI Capabilities: cfg_type values. */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5
/* struct virtio_pci_cap: cap_vndr, cap_next, cap_len, cfg_type, bar, id, padding[2],
 * le32 offset, le32 length; the notify capability adds le32 notify_off_multiplier and the
 * PCI configuration access capability u8 pci_cfg_data[4]. */
#define VIRTIO_PCI_CAP_LEN 16
#define VIRTIO_PCI_CAP_CFG_TYPE 3
#define VIRTIO_PCI_CAP_BAR 4
#define VIRTIO_PCI_CAP_OFFSET 8
#define VIRTIO_PCI_CAP_LENGTH 12
#define VIRTIO_PCI_CAP_NOTIFY_MULT 16
#define VIRTIO_PCI_CAP_PCI_CFG_DATA 16

/* 4.1.4.3 struct virtio_pci_common_cfg. */
#define VIRTIO_PCI_COMMON_DFSELECT 0x00
#define VIRTIO_PCI_COMMON_DF 0x04
#define VIRTIO_PCI_COMMON_GFSELECT 0x08
#define VIRTIO_PCI_COMMON_GF 0x0c
#define VIRTIO_PCI_COMMON_MSIX 0x10
#define VIRTIO_PCI_COMMON_NUMQ 0x12
#define VIRTIO_PCI_COMMON_STATUS 0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION 0x15
#define VIRTIO_PCI_COMMON_Q_SELECT 0x16
#define VIRTIO_PCI_COMMON_Q_SIZE 0x18
#define VIRTIO_PCI_COMMON_Q_MSIX 0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE 0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF 0x1e
#define VIRTIO_PCI_COMMON_Q_DESC 0x20
#define VIRTIO_PCI_COMMON_Q_AVAIL 0x28
#define VIRTIO_PCI_COMMON_Q_USED 0x30
#define VIRTIO_PCI_COMMON_Q_NDATA 0x38
#define VIRTIO_PCI_COMMON_Q_RESET 0x3a
#define VIRTIO_PCI_COMMON_ADMIN_Q_IDX 0x3c
#define VIRTIO_PCI_COMMON_ADMIN_Q_NUM 0x3e
#define VIRTIO_PCI_COMMON_LEN 0x40
#define VIRTIO_MSI_NO_VECTOR 0xffff

/* Where the structures are: one 64-bit memory BAR, a page for each. */
#define VIRTIO_PCI_BAR 4
#define VIRTIO_PCI_BAR_SIZE 0x4000
#define VIRTIO_PCI_COMMON_OFF 0x0000
#define VIRTIO_PCI_ISR_OFF 0x1000
#define VIRTIO_PCI_DEVICE_OFF 0x2000
#define VIRTIO_PCI_NOTIFY_OFF 0x3000
#define VIRTIO_PCI_NOTIFY_MULT 4 /* queue q is notified at NOTIFY_OFF + 4 * q */

typedef struct VirtioPci {
    PciDevice pci;      /* first: the PHB sees a PciDevice */
    VirtioDev *vdev;
    uint8_t cfg_cap;    /* offset of the VIRTIO_PCI_CAP_PCI_CFG capability */
} VirtioPci;

/* Builds the function for vdev (its device ID picks the PCI device ID and class); the
 * machine then attaches vp->pci to a bus, assigns the BAR and routes INTx. Neither struct
 * may move afterwards. */
void virtio_pci_init(VirtioPci *vp, VirtioDev *vdev);

/* The BAR's registers at offset off (what a memory cycle to the BAR does). */
uint64_t virtio_pci_bar_read(VirtioPci *vp, uint64_t off, unsigned size);
void virtio_pci_bar_write(VirtioPci *vp, uint64_t off, uint64_t val, unsigned size);

struct StateW;
struct StateR;
/* Snapshot state (cpu/common/state.h), with the device's. */
void virtio_pci_save(const VirtioPci *t, struct StateW *w);
void virtio_pci_load(VirtioPci *t, struct StateR *r);

#endif
