import { and, eq } from 'drizzle-orm';
import { campaigns, donations, donors } from '../db/schema';
import type { Db } from '../db/types';
import type { DemoFoundation } from '../demo/seed';
import { fixedClock } from '../lib/clock';
import { createDrive, createPackageType } from './drives';
import { allocateDonationToDrive, recordOfflinePackageGift } from './funding';
import { autoMatchDrive } from './matching';
import { deliverUnits } from './delivery';
import { listDriveUnits } from './drives';
import { sendDeliveryDigests } from './digest';

/*
 * Demo gift packages, after shared/DOMAIN.md, on top of the giving and cases demo data:
 * - "Trung thu 2026 — 25 × 500,000 đ, Tiên Hưng": funded by the civil-servant group (24 packages
 *   out of its transfer for the Mid-Autumn packages) and a cash gift for one more, matched by the
 *   fairness rule to 25 different open cases in Tiên Hưng commune and handed over at the festival
 *   on 25 September 2026 (12,500,000 đ to programme expense); the donors' digests are in the outbox.
 * - "20 × 1,000,000 đ" for children with autism or developmental disorders and HIV-affected
 *   children: the company's 20 packages, 12 matched, 5 of them handed over.
 */
export async function seedPackages(db: Db, f: DemoFoundation, opts: { appUrl?: string } = {}) {
  const orgId = f.orgId;
  const appUrl = opts.appUrl ?? 'http://localhost:8787';
  const campaign = async (slug: string) => (await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.slug, slug))))[0]!;
  const donationByRef = async (ref: string) => (await db.select().from(donations).where(and(eq(donations.orgId, orgId), eq(donations.externalId, ref))))[0]!;
  const trungThu = await campaign('trung-thu-2026');
  const tuKy = await campaign('qua-cho-tre-tu-ky-va-hiv');
  const admin = f.users.admin!;
  const coordinator = f.users.coordinator!;
  const finance = f.users.finance!;

  const moonGift = await createPackageType(db, orgId, {
    nameVi: 'Quà Trung thu',
    nameEn: 'Mid-Autumn gift',
    contentsVi: 'Bánh trung thu, đèn ông sao, sữa, sách vở và đồ dùng học tập',
    contentsEn: 'Mooncakes, a star lantern, milk, notebooks and school supplies',
    unitValueMinor: 500_000n,
    currency: 'VND',
    minAge: 0,
    maxAge: 17,
    createdBy: admin,
  });
  const support = await createPackageType(db, orgId, {
    nameVi: 'Suất quà hỗ trợ 1.000.000 đ',
    nameEn: 'Support package, 1,000,000 đ',
    contentsVi: 'Tiền mặt hỗ trợ 1.000.000 đ trao cho gia đình',
    contentsEn: 'A cash gift of 1,000,000 đ handed to the family',
    unitValueMinor: 1_000_000n,
    currency: 'VND',
    minAge: 0,
    maxAge: 17,
    categories: ['autism_developmental', 'hiv_affected'],
    createdBy: admin,
  });

  const moonDrive = await createDrive(db, orgId, {
    campaignId: trungThu.id,
    packageTypeId: moonGift.id,
    titleVi: 'Trung thu 2026 — 25 suất × 500.000 đ, xã Tiên Hưng',
    titleEn: 'Mid-Autumn 2026 — 25 packages × 500,000 đ, Tiên Hưng commune',
    targetCount: 25,
    startsOn: '2026-08-15',
    endsOn: '2026-09-30',
    eligibility: { locationIds: [f.locations.tienHung] },
    createdBy: admin,
  });
  const supportDrive = await createDrive(db, orgId, {
    campaignId: tuKy.id,
    packageTypeId: support.id,
    titleVi: '20 suất × 1.000.000 đ cho trẻ tự kỷ, rối loạn phát triển và trẻ nhiễm HIV',
    titleEn: '20 packages × 1,000,000 đ for children with autism or developmental disorders and HIV-affected children',
    targetCount: 20,
    startsOn: '2026-06-01',
    endsOn: '2026-12-31',
    createdBy: admin,
  });

  // Funding: the group's transfer "25 suất quà × 500.000 đ" pays for 24 packages here; a cash gift pays the 25th.
  await allocateDonationToDrive(db, orgId, { donationId: (await donationByRef('FT26249100002')).id, driveId: moonDrive.id, quantity: 24, actorId: finance, now: new Date('2026-09-07T09:00:00+07:00') });
  const [hung] = await db.select().from(donors).where(and(eq(donors.orgId, orgId), eq(donors.name, 'Phạm Văn Hùng')));
  await recordOfflinePackageGift(
    db,
    orgId,
    moonDrive.id,
    { donorId: hung?.id ?? null, channel: 'cash', quantity: 1, receivedOn: '2026-09-15', reference: 'PT-2026-0188', note: '1 suất quà Trung thu', createdBy: finance },
    { appUrl, today: '2026-09-15' },
  );
  await allocateDonationToDrive(db, orgId, { donationId: (await donationByRef('FT26171300003')).id, driveId: supportDrive.id, quantity: 20, actorId: finance, now: new Date('2026-06-21T09:00:00+07:00') });

  // Matching by the fairness rule, then the festival night hand-over.
  const moonMatchedAt = new Date('2026-09-20T10:00:00+07:00');
  await autoMatchDrive(db, orgId, moonDrive.id, { actorId: coordinator, now: moonMatchedAt });
  const moonUnits = (await listDriveUnits(db, orgId, moonDrive.id, { status: 'matched', limit: 500 })).items;
  await deliverUnits(db, orgId, {
    driveId: moonDrive.id,
    unitIds: moonUnits.map((u) => u.id),
    deliveredOn: '2026-09-25',
    place: 'Nhà văn hóa xã Tiên Hưng',
    staff: 'Cán bộ CTXH Tiên Hưng và nhóm công chức thiện nguyện',
    note: 'Đêm hội Trung thu 2026',
    actorId: coordinator,
    now: new Date('2026-09-25T21:00:00+07:00'),
    today: '2026-09-25',
  });

  await autoMatchDrive(db, orgId, supportDrive.id, { actorId: coordinator, now: new Date('2026-10-05T10:00:00+07:00'), limit: 12 });
  const supportMatched = (await listDriveUnits(db, orgId, supportDrive.id, { status: 'matched', limit: 500 })).items;
  await deliverUnits(db, orgId, {
    driveId: supportDrive.id,
    unitIds: supportMatched.slice(0, 5).map((u) => u.id),
    deliveredOn: '2026-10-15',
    place: 'Trường Thanh Xuân',
    staff: 'Điều phối viên (demo)',
    actorId: coordinator,
    now: new Date('2026-10-15T16:00:00+07:00'),
    today: '2026-10-15',
  });

  // The donors heard back the morning after each hand-over.
  await sendDeliveryDigests(db, { clock: fixedClock('2026-09-26T08:00:00+07:00'), appUrl }, { orgId });
  await sendDeliveryDigests(db, { clock: fixedClock('2026-10-16T08:00:00+07:00'), appUrl }, { orgId });

  return { moonTypeId: moonGift.id, supportTypeId: support.id, moonDriveId: moonDrive.id, supportDriveId: supportDrive.id };
}
