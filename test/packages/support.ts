import type { Harness } from '../support/harness';
import { createCase, transitionCase, type CaseActor } from '../../src/cases/cases';
import { listCategories } from '../../src/cases/cases';
import { createCampaign, ensureGeneralFund } from '../../src/giving/campaigns';
import { createDonor } from '../../src/donors/donors';
import { createDrive, createPackageType, type PackageDrive } from '../../src/packages/drives';
import { recordOfflinePackageGift } from '../../src/packages/funding';
import type { Gender, Urgency } from '../../src/db/schema';

export const API = '/api/v1/orgs/hai-phong';

export function adminActor(h: Harness): CaseActor {
  return { orgId: h.demo.orgId, userId: h.demo.users.admin!, actorKind: 'user', actorId: h.demo.users.admin!, roles: ['admin'], now: h.clock.now() };
}

/** A child's case with fictional identity values that must never reach donors. */
export async function makeCase(
  h: Harness,
  input: { tag: string; birthYear?: number; gender?: Gender; locationId?: string; categories?: string[]; urgency?: Urgency; openedOn?: string },
) {
  return createCase(h.db, adminActor(h), {
    birthYear: input.birthYear ?? 2015,
    gender: input.gender ?? 'female',
    locationId: input.locationId ?? h.demo.locations.tienHung,
    categories: input.categories ?? ['poor_household'],
    urgency: input.urgency ?? 'medium',
    openedOn: input.openedOn ?? '2026-01-10',
    identity: { fullName: `Đặng Hư Cấu ${input.tag}`, birthDate: `${input.birthYear ?? 2015}-03-14`, address: `Số 7 ngõ Minh Họa ${input.tag}` },
  });
}

export async function closeCase(h: Harness, caseId: string) {
  await transitionCase(h.db, adminActor(h), caseId, { to: 'closed', closureReason: 'goals_met' });
}

let seq = 0;

/** A campaign, a package type and a drive (Tiên Hưng, ages 0–17 by default). */
export async function makeDrive(h: Harness, opts: { value?: bigint; target?: number; categories?: string[]; locationIds?: string[]; minAge?: number; maxAge?: number; title?: string } = {}): Promise<PackageDrive> {
  await listCategories(h.db, h.demo.orgId);
  await ensureGeneralFund(h.db, h.demo.orgId);
  seq++;
  const campaign = await createCampaign(h.db, h.demo.orgId, { slug: `qua-${seq}-${Math.random().toString(36).slice(2, 8)}`, title: `Quà thử ${seq}`, goalMinor: 10_000_000n, currency: 'VND', status: 'active' });
  const type = await createPackageType(h.db, h.demo.orgId, {
    nameVi: 'Quà Trung thu',
    nameEn: 'Mid-Autumn gift',
    contentsVi: 'Bánh, đèn ông sao, sách vở',
    contentsEn: 'Mooncakes, a lantern, notebooks',
    unitValueMinor: opts.value ?? 500_000n,
    currency: 'VND',
    minAge: opts.minAge ?? 0,
    maxAge: opts.maxAge ?? 17,
    categories: opts.categories ?? [],
  });
  return createDrive(h.db, h.demo.orgId, {
    campaignId: campaign.id,
    packageTypeId: type.id,
    titleVi: opts.title ?? `Đợt quà thử ${seq}`,
    targetCount: opts.target ?? 10,
    eligibility: { locationIds: opts.locationIds ?? [h.demo.locations.tienHung] },
  });
}

/** A donor and an offline cash gift for `quantity` packages of the drive. */
export async function fund(h: Harness, drive: PackageDrive, quantity: number, donor?: { id: string } | null, channel: 'cash' | 'bank_transfer' = 'cash') {
  seq++;
  const d = donor === undefined ? await createDonor(h.db, h.demo.orgId, { name: `Nhà hảo tâm ${seq}`, email: `donor${seq}@example.org` }) : donor;
  const gift = await recordOfflinePackageGift(
    h.db,
    h.demo.orgId,
    drive.id,
    { donorId: d?.id ?? null, channel, quantity, receivedOn: '2026-09-01', reference: `REF-${seq}-${Math.random().toString(36).slice(2, 8)}` },
    { appUrl: 'http://localhost:8787', today: '2026-12-31' },
  );
  return { donor: d, gift };
}
