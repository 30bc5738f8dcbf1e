/* cpu/ppc/ppc_spr_table.h: the shorthand the SPR table files (ppc_spr.c,
 * booke/booke_spr.c) write their rows with. Only those files include it. */
#ifndef HVEMU_PPC_SPR_TABLE_H
#define HVEMU_PPC_SPR_TABLE_H

#include <stddef.h>

#include "cpu/ppc/ppc_spr.h"

/* Writing table rows (ppc_spr.c, booke/booke_spr.c): privilege short names; where a
 * plain register lives: a 64-bit field, a 32-bit SPR kept in a 64-bit field, or a 32-bit
 * field of PpcCpu. */
#define USR PPC_PRIV_USER
#define SUP PPC_PRIV_SUPER
#define HYP PPC_PRIV_HYP
#define NON PPC_PRIV_NONE
#define F64(f) .off = offsetof(PpcCpu, f), .fsize = 8, .wmask = ~0ULL
#define W32(f) .off = offsetof(PpcCpu, f), .fsize = 8, .wmask = 0xffffffffULL
#define F32(f) .off = offsetof(PpcCpu, f), .fsize = 4, .wmask = 0xffffffffULL
#define SPR(n, nm, cat, rp, wp, ...) \
    { .num = n, .name = nm, .categories = cat, .read_priv = rp, .write_priv = wp, __VA_ARGS__ }

#endif
