import { and, eq } from 'drizzle-orm';
import { donors, users } from '../db/schema';
import type { Db } from '../db/types';
import type { DemoFoundation } from '../demo/seed';
import { recordDonation } from '../giving/donations';
import { postLedgerEntries } from '../giving/ledger';
import { createFunder, createGrant } from './grants';
import { createReport } from './versions';

export const DEMO_GRANT = {
  code: 'efa-2026',
  title: 'Hỗ trợ trẻ tự kỷ và trẻ nhiễm HIV 2026',
  titleEn: 'Support for children with autism and children living with HIV 2026',
  amountMinor: 240_000_000n,
  /** Received into the grant's fund, by bank transfer. */
  payments: [
    { amountMinor: 120_000_000n, at: '2026-01-20T10:00:00+07:00', externalId: 'EFA-2026-01' },
    { amountMinor: 60_000_000n, at: '2026-07-15T10:00:00+07:00', externalId: 'EFA-2026-07' },
  ],
  /** Early intervention paid from the grant's fund (programme expense). */
  spending: [
    { amountMinor: 18_000_000n, at: '2026-03-31T16:00:00+07:00', memo: 'Can thiệp sớm quý I' },
    { amountMinor: 22_000_000n, at: '2026-06-30T16:00:00+07:00', memo: 'Can thiệp sớm quý II' },
  ],
  firstReport: { from: '2026-01-01', to: '2026-06-30' },
} as const;

/**
 * Demo funder and grant: EFA-Japan (an organisation donor of the giving demo) funds children
 * with autism or developmental disorders and children affected by HIV in 2026, reports
 * quarterly, with targets; the first half-year report is generated as version 1.
 */
export async function seedReports(db: Db, f: DemoFoundation, now: Date) {
  const orgId = f.orgId;
  const [efa] = await db.select().from(donors).where(and(eq(donors.orgId, orgId), eq(donors.name, 'EFA-Japan'))).limit(1);
  if (!efa) throw new Error('seedReports needs the giving demo (EFA-Japan)');
  const funder = await createFunder(db, orgId, {
    donorId: efa.id,
    language: 'en',
    orgType: 'international-ngo',
    contacts: [{ name: 'Programme officer (demo)', email: 'programme@efa-japan.example' }],
  });
  const grant = await createGrant(db, orgId, {
    funderId: funder.id,
    code: DEMO_GRANT.code,
    title: DEMO_GRANT.title,
    titleEn: DEMO_GRANT.titleEn,
    description: 'Can thiệp sớm hằng tuần cho trẻ tự kỷ, rối loạn phát triển và chăm sóc trẻ nhiễm, ảnh hưởng bởi HIV tại Hải Phòng.',
    amountMinor: DEMO_GRANT.amountMinor,
    currency: 'VND',
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    purpose: { categories: ['autism_developmental', 'hiv_affected'] },
    schedule: 'quarterly',
    nextDueOn: '2026-09-30',
    targets: [
      { indicatorId: 'beneficiaries-reached', baselineYear: 2025, baselineValue: 4n, targetValue: 30n },
      { indicatorId: 'services-therapy', baselineYear: 2025, baselineValue: 16n, targetValue: 150n },
      { indicatorId: 'cases-closed-goals-met', targetValue: 5n },
      { indicatorId: 'money-spent-direct-support', targetValue: 200_000_000n },
    ],
  });
  for (const p of DEMO_GRANT.payments) {
    await recordDonation(
      db,
      { orgId, donorId: efa.id, campaignId: null, fundId: grant.fundId, channel: 'bank_transfer', amountMinor: p.amountMinor, currency: 'VND', receivedAt: new Date(p.at), externalId: p.externalId, note: DEMO_GRANT.title },
      { appUrl: 'http://localhost:8787' },
    );
  }
  for (const s of DEMO_GRANT.spending) {
    await postLedgerEntries(
      db,
      orgId,
      [
        { fundId: grant.fundId, account: 'programme_expense', amountMinor: s.amountMinor, currency: 'VND' },
        { fundId: grant.fundId, account: 'bank', amountMinor: -s.amountMinor, currency: 'VND' },
      ],
      { key: `demo-expense:${s.at}`, kind: 'expense', memo: s.memo, occurredAt: new Date(s.at) },
    );
  }
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.id, f.users.admin!)).limit(1);
  const { report } = await createReport(db, orgId, { scope: { kind: 'grant', grantId: grant.id }, period: DEMO_GRANT.firstReport, language: 'en' }, { userId: admin?.id ?? null, now });
  return { funderId: funder.id, grantId: grant.id, fundId: grant.fundId, reportId: report.id };
}
