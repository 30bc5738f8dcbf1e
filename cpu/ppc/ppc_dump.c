/* cpu/ppc/ppc_dump.c: a thread as the monitor shows it: registers (`info registers`), the
 * SLB (`info slb`) and the Book III-E TLB arrays (`info tlb`), read without side effects. */
#include "cpu/ppc/ppc_core.h"

void ppc_dump_regs(const PpcCpu *c, FILE *out)
{
    bool wide = ppc_is_64(c) || (c->model->categories & PPC_CAT_S);
    int w = wide ? 16 : 8;
    fprintf(out, "cpu %u (%s)  nip %0*llx  msr %0*llx%s%s\n", c->index, c->model->name, w,
            (unsigned long long)c->nip, w, (unsigned long long)c->msr,
            c->waiting ? "  [waiting]" : "", c->stopped ? "  [stopped]" : "");
    for (unsigned k = 0; k < 32; k++)
        fprintf(out, "r%-2u %0*llx%s", k, w, (unsigned long long)c->gpr[k],
                k % (wide ? 4 : 8) == (wide ? 3u : 7u) ? "\n" : "  ");
    fprintf(out, "cr %08x  lr %0*llx  ctr %0*llx  xer %08llx\n", c->cr, w,
            (unsigned long long)c->lr, w, (unsigned long long)c->ctr,
            (unsigned long long)c->xer);
    if (c->model->categories & PPC_CAT_E) {
        fprintf(out, "srr0 %08llx srr1 %08llx csrr0 %08llx csrr1 %08llx esr %08x dear %08llx\n",
                (unsigned long long)c->srr0, (unsigned long long)c->srr1,
                (unsigned long long)c->csrr0, (unsigned long long)c->csrr1, c->esr,
                (unsigned long long)c->dear);
        fprintf(out, "pid %u lpidr %llu epcr %08x ivpr %08llx givpr %08llx tcr %08x tsr %08x\n",
                c->pid, (unsigned long long)c->lpidr, c->epcr, (unsigned long long)c->ivpr,
                (unsigned long long)c->givpr, c->tcr, c->tsr);
        fprintf(out, "gsrr0 %08llx gsrr1 %08llx gesr %08x gdear %08llx\n",
                (unsigned long long)c->gsrr0, (unsigned long long)c->gsrr1, c->gesr,
                (unsigned long long)c->gdear);
    } else {
        fprintf(out, "srr0 %016llx  srr1 %016llx  hsrr0 %016llx  hsrr1 %016llx\n",
                (unsigned long long)c->srr0, (unsigned long long)c->srr1,
                (unsigned long long)c->hsrr0, (unsigned long long)c->hsrr1);
        fprintf(out, "dar %016llx  dsisr %08x  lpcr %016llx  sdr1 %016llx\n",
                (unsigned long long)c->dar, c->dsisr, (unsigned long long)c->lpcr,
                (unsigned long long)c->sdr1);
        fprintf(out, "sprg0 %016llx  sprg1 %016llx  sprg2 %016llx  sprg3 %016llx\n",
                (unsigned long long)c->sprg[0], (unsigned long long)c->sprg[1],
                (unsigned long long)c->sprg[2], (unsigned long long)c->sprg[3]);
    }
    fprintf(out, "retired %llu\n", (unsigned long long)c->retired);
}

void ppc_dump_slb(const PpcCpu *c, FILE *out)
{
    fprintf(out, "cpu %u SLB (%u entries):\n", c->index, c->model->slb_size);
    unsigned valid = 0;
    for (unsigned k = 0; k < c->model->slb_size && k < PPC_SLB_MAX; k++) {
        const Hash64Slbe *e = &c->slb[k];
        if (!(e->esid & SLB_ESID_V))
            continue;
        valid++;
        bool tb = (e->vsid >> 62) & 1; /* B = 1: 1 TB segment */
        fprintf(out, "%2u  esid %016llx  vsid %016llx  %s segment  VSID %llx%s%s%s\n", k,
                (unsigned long long)e->esid, (unsigned long long)e->vsid, tb ? "1T" : "256M",
                (unsigned long long)((e->vsid >> 12) & (tb ? 0xffffffffffULL : 0xfffffffffffULL)),
                (e->vsid & 0x800) ? " Ks" : "", (e->vsid & 0x400) ? " Kp" : "",
                (e->vsid & 0x100) ? " L" : "");
    }
    if (!valid)
        fprintf(out, "  (no valid entries)\n");
}

static void tlbe(unsigned array, unsigned k, const BookeTlbe *e, FILE *out)
{
    uint64_t size = 1024ULL << ((e->mas1 & MAS1_TSIZE) >> MAS1_TSIZE_SHIFT);
    uint64_t ra = ((uint64_t)e->mas7 << 32) | (e->mas3 & MAS3_RPN);
    fprintf(out, "TLB%u[%3u]  ea %08llx  ra %09llx  %6llu KiB  tid %3u ts %u  tgs %u tlpid %2u"
                 "%s  wimge %02x  %c%c %c%c %c%c\n",
            array, k, (unsigned long long)(e->mas2 & MAS2_EPN), (unsigned long long)ra,
            (unsigned long long)(size / 1024), (e->mas1 & MAS1_TID) >> MAS1_TID_SHIFT,
            (e->mas1 & MAS1_TS) ? 1 : 0, (e->mas8 & MAS8_TGS) ? 1 : 0,
            e->mas8 & MAS8_TLPID, (e->mas1 & MAS1_IPROT) ? " iprot" : "",
            (unsigned)(e->mas2 & MAS2_WIMGE), (e->mas3 & MAS3_SR) ? 'r' : '-',
            (e->mas3 & MAS3_UR) ? 'R' : '-', (e->mas3 & MAS3_SW) ? 'w' : '-',
            (e->mas3 & MAS3_UW) ? 'W' : '-', (e->mas3 & MAS3_SX) ? 'x' : '-',
            (e->mas3 & MAS3_UX) ? 'X' : '-');
}

void ppc_dump_booke_tlb(const PpcCpu *c, FILE *out)
{
    fprintf(out, "cpu %u TLB (valid entries; permissions: supervisor rwx lower case, user "
                 "RWX upper case):\n", c->index);
    unsigned valid = 0;
    for (unsigned k = 0; k < BOOKE_TLB1_ENTRIES; k++)
        if (c->btlb.tlb1[k].mas1 & MAS1_V) {
            tlbe(1, k, &c->btlb.tlb1[k], out);
            valid++;
        }
    for (unsigned k = 0; k < BOOKE_TLB0_ENTRIES; k++)
        if (c->btlb.tlb0[k].mas1 & MAS1_V) {
            tlbe(0, k, &c->btlb.tlb0[k], out);
            valid++;
        }
    if (!valid)
        fprintf(out, "  (no valid entries)\n");
}
