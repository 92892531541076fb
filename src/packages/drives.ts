import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { caseCategories, campaigns, funds, locations, packageDrives, packageTypes, packageUnits, type DriveStatus, type UnitStatus } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { writeAudit } from '../auth/audit';
import { ensureGeneralFund } from '../giving/campaigns';
import { fundAccountTotals, fundBalances, MONEY_ACCOUNTS, transferBetweenFunds } from '../giving/ledger';
import { isCurrency } from '../giving/money';
import type { PackageDrive } from './units';
import { isUuid } from '../lib/ids';
import { isSmallCount, suppressLine, type Mark } from '../reports/suppression';

export type PackageType = typeof packageTypes.$inferSelect;
export type { PackageDrive };

type FieldError = { path: string; message: string };

export interface Eligibility {
  minAge?: number | null;
  maxAge?: number | null;
  categories?: string[];
  locationIds?: string[];
}

async function checkEligibility(db: Db, orgId: string, e: Eligibility, errors: FieldError[]) {
  if (e.minAge != null && (!Number.isInteger(e.minAge) || e.minAge < 0 || e.minAge > 120)) errors.push({ path: 'minAge', message: '0 to 120' });
  if (e.maxAge != null && (!Number.isInteger(e.maxAge) || e.maxAge < 0 || e.maxAge > 120)) errors.push({ path: 'maxAge', message: '0 to 120' });
  if (e.minAge != null && e.maxAge != null && e.maxAge < e.minAge) errors.push({ path: 'maxAge', message: 'below the minimum age' });
  const cats = [...new Set(e.categories ?? [])];
  if (cats.length) {
    const known = await db.select({ key: caseCategories.key }).from(caseCategories).where(and(eq(caseCategories.orgId, orgId), inArray(caseCategories.key, cats)));
    const unknown = cats.filter((c) => !known.some((k) => k.key === c));
    if (unknown.length) errors.push({ path: 'categories', message: `unknown: ${unknown.join(', ')}` });
  }
  const locs = [...new Set(e.locationIds ?? [])];
  if (locs.length) {
    const uuidOk = locs.every(isUuid);
    const known = uuidOk ? await db.select({ id: locations.id }).from(locations).where(and(eq(locations.orgId, orgId), inArray(locations.id, locs))) : [];
    if (known.length !== locs.length) errors.push({ path: 'locationIds', message: 'unknown location' });
  }
  return { categories: cats, locationIds: locs };
}

export interface PackageTypeInput extends Eligibility {
  nameVi: string;
  nameEn?: string | null;
  contentsVi?: string;
  contentsEn?: string | null;
  unitValueMinor: bigint;
  currency: string;
  createdBy?: string | null;
}

export async function createPackageType(db: Db, orgId: string, input: PackageTypeInput): Promise<PackageType> {
  const errors: FieldError[] = [];
  if (!input.nameVi.trim()) errors.push({ path: 'nameVi', message: 'required' });
  if (input.nameVi.length > 200) errors.push({ path: 'nameVi', message: 'at most 200 characters' });
  if (!isCurrency(input.currency)) errors.push({ path: 'currency', message: 'one of VND, USD, JPY, EUR' });
  if (input.unitValueMinor <= 0n) errors.push({ path: 'unitValueMinor', message: 'must be positive' });
  const el = await checkEligibility(db, orgId, input, errors);
  if (errors.length) throw invalid('The package type has invalid fields.', errors);
  const [row] = await db
    .insert(packageTypes)
    .values({
      orgId,
      nameVi: input.nameVi.trim(),
      nameEn: input.nameEn?.trim() || null,
      contentsVi: input.contentsVi?.trim() ?? '',
      contentsEn: input.contentsEn?.trim() || null,
      unitValueMinor: input.unitValueMinor,
      currency: input.currency,
      minAge: input.minAge ?? null,
      maxAge: input.maxAge ?? null,
      categories: el.categories,
      locationIds: el.locationIds,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return row!;
}

export async function listPackageTypes(db: Db, orgId: string) {
  return db.select().from(packageTypes).where(eq(packageTypes.orgId, orgId)).orderBy(asc(packageTypes.nameVi));
}

export async function getPackageType(db: Db, orgId: string, id: string) {
  if (!isUuid(id)) throw notFound('Package type');
  const [t] = await db.select().from(packageTypes).where(and(eq(packageTypes.orgId, orgId), eq(packageTypes.id, id)));
  if (!t) throw notFound('Package type');
  return t;
}

export interface DriveInput {
  campaignId: string;
  packageTypeId: string;
  titleVi: string;
  titleEn?: string | null;
  targetCount: number;
  startsOn?: string | null;
  endsOn?: string | null;
  status?: DriveStatus;
  /** Narrows the type's eligibility; absent fields take the type's. */
  eligibility?: Eligibility;
  createdBy?: string | null;
}

/** A drive and its restricted fund (kind package_drive), in one transaction. */
export async function createDrive(db: Db, orgId: string, input: DriveInput): Promise<PackageDrive> {
  const errors: FieldError[] = [];
  if (!input.titleVi.trim()) errors.push({ path: 'titleVi', message: 'required' });
  if (!Number.isInteger(input.targetCount) || input.targetCount < 1 || input.targetCount > 100_000) errors.push({ path: 'targetCount', message: '1 to 100000' });
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) errors.push({ path: 'endsOn', message: 'before the start date' });
  const [campaign] = isUuid(input.campaignId) ? await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, input.campaignId))) : [];
  if (!campaign) errors.push({ path: 'campaignId', message: 'unknown campaign' });
  const [type] = isUuid(input.packageTypeId) ? await db.select().from(packageTypes).where(and(eq(packageTypes.orgId, orgId), eq(packageTypes.id, input.packageTypeId))) : [];
  if (!type) errors.push({ path: 'packageTypeId', message: 'unknown package type' });
  const e = input.eligibility ?? {};
  const el = await checkEligibility(db, orgId, e, errors);
  if (errors.length) throw invalid('The drive has invalid fields.', errors);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [fund] = await tx.insert(funds).values({ orgId, kind: 'package_drive', name: input.titleVi.trim().slice(0, 200) }).returning();
    const [row] = await tx
      .insert(packageDrives)
      .values({
        orgId,
        campaignId: campaign!.id,
        packageTypeId: type!.id,
        fundId: fund!.id,
        titleVi: input.titleVi.trim(),
        titleEn: input.titleEn?.trim() || null,
        targetCount: input.targetCount,
        unitValueMinor: type!.unitValueMinor,
        currency: type!.currency,
        startsOn: input.startsOn ?? null,
        endsOn: input.endsOn ?? null,
        status: input.status ?? 'active',
        minAge: e.minAge !== undefined ? e.minAge : type!.minAge,
        maxAge: e.maxAge !== undefined ? e.maxAge : type!.maxAge,
        categories: e.categories !== undefined ? el.categories : type!.categories,
        locationIds: e.locationIds !== undefined ? el.locationIds : type!.locationIds,
        createdBy: input.createdBy ?? null,
      })
      .returning();
    return row!;
  });
}

export async function getDrive(db: Db, orgId: string, id: string): Promise<PackageDrive> {
  if (!isUuid(id)) throw notFound('Package drive');
  const [d] = await db.select().from(packageDrives).where(and(eq(packageDrives.orgId, orgId), eq(packageDrives.id, id)));
  if (!d) throw notFound('Package drive');
  return d;
}

export async function listDrives(db: Db, orgId: string) {
  return db.select().from(packageDrives).where(eq(packageDrives.orgId, orgId)).orderBy(desc(packageDrives.createdAt));
}

export interface DriveFunding {
  target: number;
  funded: number;
  matched: number;
  delivered: number;
  cancelled: number;
  /** Units paid for and not cancelled (funded + matched + delivered). */
  active: number;
  currency: string;
  unitValueMinor: bigint;
  /** Money in the drive's fund now (after deliveries moved to programme expense). */
  balanceMinor: bigint;
  /** What the undelivered units still need: (funded + matched) × value. */
  committedMinor: bigint;
  /** Money in the fund beyond what undelivered units need; positive = surplus to decide on. */
  surplusMinor: bigint;
  /** Units still missing to reach the target (0 when reached). */
  shortfallUnits: number;
  /** Units beyond the target. */
  overTargetUnits: number;
  deliveredMinor: bigint;
}

/** Funding status from the rows: unit counts per status and the fund's ledger balance. */
export async function driveFunding(db: Db, drive: PackageDrive): Promise<DriveFunding> {
  return (await drivesFunding(db, drive.orgId, [drive])).get(drive.id)!;
}

/** driveFunding for several drives of one organisation in two queries (lists of drives). */
export async function drivesFunding(db: Db, orgId: string, drives: readonly PackageDrive[]): Promise<Map<string, DriveFunding>> {
  const out = new Map<string, DriveFunding>();
  if (!drives.length) return out;
  const rows = await queryRows<{ drive_id: string; status: string; n: number; value: string }>(
    db,
    sql`select drive_id, status, count(*)::int as n, coalesce(sum(value_minor), 0)::text as value from package_units
        where org_id = ${orgId} and drive_id in (${sql.join(
          drives.map((d) => sql`${d.id}`),
          sql`, `,
        )}) group by drive_id, status`,
  );
  const funds = [...new Set(drives.map((d) => d.fundId))];
  const balances = await fundBalances(db, orgId, funds.length === 1 ? funds[0] : undefined);
  for (const drive of drives) {
    const mine = rows.filter((r) => r.drive_id === drive.id);
    const n = (s: string) => Number(mine.find((r) => r.status === s)?.n ?? 0);
    const v = (s: string) => BigInt(mine.find((r) => r.status === s)?.value ?? '0');
    const balance = balances.get(drive.fundId)?.[drive.currency] ?? 0n;
    const committed = v('funded') + v('matched');
    const active = n('funded') + n('matched') + n('delivered');
    out.set(drive.id, {
      target: drive.targetCount,
      funded: n('funded'),
      matched: n('matched'),
      delivered: n('delivered'),
      cancelled: n('cancelled'),
      active,
      currency: drive.currency,
      unitValueMinor: drive.unitValueMinor,
      balanceMinor: balance,
      committedMinor: committed,
      surplusMinor: balance - committed,
      shortfallUnits: Math.max(0, drive.targetCount - active),
      overTargetUnits: Math.max(0, active - drive.targetCount),
      deliveredMinor: v('delivered'),
    });
  }
  return out;
}

/**
 * An explicit, recorded decision about a drive's surplus (money no undelivered unit needs):
 * a ledger transfer to the general fund or another drive's fund, and an audit row with the
 * reason. Locks the drive row so two decisions cannot both spend the same surplus.
 */
export async function moveDriveSurplus(
  db: Db,
  orgId: string,
  input: { driveId: string; to: 'general' | { driveId: string }; amountMinor: bigint; reason: string; actorId: string | null; now: Date; requestId?: string },
) {
  const errors: FieldError[] = [];
  if (input.amountMinor <= 0n) errors.push({ path: 'amountMinor', message: 'must be positive' });
  if (!input.reason.trim()) errors.push({ path: 'reason', message: 'required' });
  if (errors.length) throw invalid('The surplus decision has invalid fields.', errors);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await tx.execute(sql`select id from package_drives where id = ${input.driveId} and org_id = ${orgId} for update`);
    const drive = await getDrive(tx, orgId, input.driveId);
    let toFundId: string;
    if (input.to === 'general') toFundId = (await ensureGeneralFund(tx, orgId)).id;
    else {
      const target = await getDrive(tx, orgId, input.to.driveId).catch(() => null);
      if (!target || target.id === drive.id) throw invalid('Choose another drive.', [{ path: 'toDriveId', message: 'unknown drive' }]);
      if (target.currency !== drive.currency) throw invalid('The other drive is in another currency.', [{ path: 'toDriveId', message: `not in ${drive.currency}` }]);
      toFundId = target.fundId;
    }
    const f = await driveFunding(tx, drive);
    if (input.amountMinor > f.surplusMinor) {
      throw conflict('The amount is more than the surplus: undelivered packages still need that money.', { errors: [{ path: 'amountMinor', message: `at most ${f.surplusMinor}` }] });
    }
    // Surplus is taken from the money account holding the most in the fund.
    const money = (await fundAccountTotals(tx, orgId, drive.fundId)).filter((t) => t.currency === drive.currency && (MONEY_ACCOUNTS as readonly string[]).includes(t.account));
    const richest = money.reduce<(typeof money)[number] | null>((best, t) => (!best || t.total > best.total ? t : best), null);
    const account = (richest?.account ?? 'bank') as 'bank' | 'cash' | 'stripe_balance';
    const decisionId = crypto.randomUUID();
    await transferBetweenFunds(tx, orgId, {
      fromFundId: drive.fundId,
      toFundId,
      amountMinor: input.amountMinor,
      currency: drive.currency,
      account,
      key: `drive-surplus:${decisionId}`,
      memo: 'package drive surplus',
      createdBy: input.actorId,
      occurredAt: input.now,
    });
    await writeAudit(tx, {
      orgId,
      actorKind: 'user',
      actorId: input.actorId,
      action: 'package_drive.surplus_moved',
      subjectType: 'package_drive',
      subjectId: drive.id,
      reason: input.reason.trim().slice(0, 500),
      requestId: input.requestId,
      data: { decisionId, toFundId, amountMinor: input.amountMinor.toString(), currency: drive.currency },
      at: input.now,
    });
    return { decisionId, toFundId };
  });
}

/** Units of a drive, newest first, with non-identifying case attributes (code only here). */
export async function listDriveUnits(db: Db, orgId: string, driveId: string, opts: { status?: string; limit?: number; offset?: number } = {}) {
  const where = [eq(packageUnits.orgId, orgId), eq(packageUnits.driveId, driveId)];
  if (opts.status) where.push(eq(packageUnits.status, opts.status as UnitStatus));
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(packageUnits).where(and(...where));
  const items = await queryRows<{
    id: string;
    status: string;
    unit_no: number;
    donation_id: string;
    case_id: string | null;
    case_code: string | null;
    override_reason: string | null;
    match_reason: string | null;
    delivered_on: string | null;
    delivered_at: Date | string | null;
    value_minor: string;
    currency: string;
  }>(
    db,
    sql`select u.id, u.status, u.unit_no, u.donation_id, u.case_id, c.code as case_code, u.override_reason, u.match_reason,
               u.delivered_on::text as delivered_on, u.delivered_at, u.value_minor::text as value_minor, u.currency
          from package_units u left join cases c on c.id = u.case_id
         where u.org_id = ${orgId} and u.drive_id = ${driveId} ${opts.status ? sql`and u.status = ${opts.status}` : sql``}
         order by case u.status when 'funded' then 0 when 'matched' then 1 when 'delivered' then 2 else 3 end, c.code nulls last, u.created_at, u.unit_no
         limit ${Math.min(opts.limit ?? 50, 500)} offset ${opts.offset ?? 0}`,
  );
  return {
    total: Number(count?.n ?? 0),
    items: items.map((r) => ({
      id: r.id,
      status: r.status as UnitStatus,
      unitNo: r.unit_no,
      donationId: r.donation_id,
      caseId: r.case_id,
      caseCode: r.case_code,
      overrideReason: r.override_reason,
      matchReason: r.match_reason,
      deliveredOn: r.delivered_on,
      deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
      valueMinor: BigInt(r.value_minor),
      currency: r.currency,
    })),
  };
}

/** A drive as a campaign's public page shows it: counts of packages, never a child. */
export interface PublicDriveSummary {
  id: string;
  titleVi: string;
  titleEn: string | null;
  status: DriveStatus;
  typeVi: string;
  typeEn: string | null;
  unitValueMinor: bigint;
  currency: string;
  target: number;
  /** Packages paid for and not cancelled. */
  funded: number;
  delivered: number;
}

export interface CampaignPackageImpact {
  drives: PublicDriveSummary[];
  delivered: number;
  children: number;
  /**
   * How each count may be shown outside the fund. A drive gives a child one package at most, so
   * its packages handed over count children: 1 to 4 is "small", and a count that would give a
   * small one away by subtraction from the total is "complementary" (src/reports/suppression.ts).
   */
  marks: { drives: Mark[]; delivered: Mark; children: Mark };
}

/**
 * The package drives of a campaign that are not drafts, oldest first, with how many packages are
 * funded and handed over, how many different children received one across them, and which of
 * those counts may not be published as they are.
 */
export async function campaignPackageImpact(db: Db, orgId: string, campaignId: string): Promise<CampaignPackageImpact> {
  const drives = await db
    .select({
      id: packageDrives.id,
      titleVi: packageDrives.titleVi,
      titleEn: packageDrives.titleEn,
      status: packageDrives.status,
      typeVi: packageTypes.nameVi,
      typeEn: packageTypes.nameEn,
      unitValueMinor: packageDrives.unitValueMinor,
      currency: packageDrives.currency,
      target: packageDrives.targetCount,
      funded: sql<number>`count(${packageUnits.id}) filter (where ${packageUnits.status} in ('funded', 'matched', 'delivered'))`.mapWith(Number),
      delivered: sql<number>`count(${packageUnits.id}) filter (where ${packageUnits.status} = 'delivered')`.mapWith(Number),
    })
    .from(packageDrives)
    .innerJoin(packageTypes, and(eq(packageTypes.id, packageDrives.packageTypeId), eq(packageTypes.orgId, packageDrives.orgId)))
    .leftJoin(packageUnits, and(eq(packageUnits.orgId, packageDrives.orgId), eq(packageUnits.driveId, packageDrives.id)))
    .where(and(eq(packageDrives.orgId, orgId), eq(packageDrives.campaignId, campaignId), sql`${packageDrives.status} <> 'draft'`))
    .groupBy(packageDrives.id, packageTypes.id)
    .orderBy(asc(packageDrives.createdAt));
  const [reach] = await queryRows<{ children: number }>(
    db,
    sql`select count(distinct u.case_id)::int as children
        from package_units u join package_drives d on d.id = u.drive_id and d.org_id = u.org_id
        where u.org_id = ${orgId} and d.campaign_id = ${campaignId} and d.status <> 'draft' and u.status = 'delivered'`,
  );
  const delivered = drives.reduce((n, d) => n + d.delivered, 0);
  const children = Number(reach?.children ?? 0);
  const line = suppressLine(
    drives.map((d) => d.delivered),
    delivered,
  );
  return {
    drives,
    delivered,
    children,
    marks: { drives: line.parts, delivered: line.total, children: isSmallCount(children) ? 'small' : null },
  };
}

/** Packages handed over per campaign (drives that are not drafts), for the centre's public page; or only those of `campaignIds`. */
export async function deliveredPackagesByCampaign(db: Db, orgId: string, campaignIds?: string[]): Promise<Map<string, number>> {
  if (campaignIds?.length === 0) return new Map();
  const rows = await db
    .select({ campaignId: packageDrives.campaignId, delivered: sql<number>`count(*)`.mapWith(Number) })
    .from(packageUnits)
    .innerJoin(packageDrives, and(eq(packageDrives.id, packageUnits.driveId), eq(packageDrives.orgId, packageUnits.orgId)))
    .where(
      and(
        eq(packageUnits.orgId, orgId),
        eq(packageUnits.status, 'delivered'),
        sql`${packageDrives.status} <> 'draft'`,
        campaignIds ? inArray(packageDrives.campaignId, campaignIds) : undefined,
      ),
    )
    .groupBy(packageDrives.campaignId);
  return new Map(rows.map((r) => [r.campaignId, r.delivered]));
}
