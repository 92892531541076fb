import { and, eq, sql } from 'drizzle-orm';
import { packageDrives, packageUnitEvents, packageUnits, type DonationChannel, type UnitEventKind, type UnitStatus } from '../db/schema';
import type { Db } from '../db/types';

/*
 * The part of gift packages the giving flow calls: turning a paid donation for N packages into
 * N funded units. Kept free of imports from src/giving/donations.ts (which calls it).
 */

export type PackageUnit = typeof packageUnits.$inferSelect;
export type PackageDrive = typeof packageDrives.$inferSelect;

/** What a donation (or checkout) says it is for when it pays for packages. */
export interface PackageDrivePurpose {
  kind: 'package_drive';
  driveId: string;
  quantity: number;
}

export function packageDrivePurpose(p: unknown): PackageDrivePurpose | null {
  if (!p || typeof p !== 'object') return null;
  const o = p as Record<string, unknown>;
  if (o.kind !== 'package_drive' || typeof o.driveId !== 'string') return null;
  const q = Number(o.quantity);
  return { kind: 'package_drive', driveId: o.driveId, quantity: Number.isInteger(q) && q > 0 ? q : 1 };
}

export const moneyAccountForChannel = (channel: DonationChannel) => (channel === 'stripe' ? 'stripe_balance' : channel === 'cash' ? 'cash' : 'bank');

export async function recordUnitEvent(
  db: Db,
  e: { orgId: string; unitId: string; kind: UnitEventKind; from: UnitStatus | null; to: UnitStatus; caseId?: string | null; deliveryId?: string | null; reason?: string | null; data?: Record<string, unknown> | null; actorId?: string | null; at: Date },
) {
  await db.insert(packageUnitEvents).values({
    orgId: e.orgId,
    unitId: e.unitId,
    kind: e.kind,
    fromStatus: e.from,
    toStatus: e.to,
    caseId: e.caseId ?? null,
    deliveryId: e.deliveryId ?? null,
    reason: e.reason ?? null,
    data: e.data ?? null,
    actorId: e.actorId ?? null,
    at: e.at,
  });
}

export interface DonationForUnits {
  id: string;
  orgId: string;
  donorId: string | null;
  fundId: string;
  channel: DonationChannel;
  amountMinor: bigint;
  currency: string;
  receivedAt: Date;
  purpose: Record<string, unknown> | null;
  createdBy?: string | null;
}

/**
 * Called by recordDonation inside the donation's own transaction, only when the donation row
 * was newly inserted: that, and the unique (donation_id, unit_no) index, make a retried webhook
 * or double-clicked form create the units exactly once.
 *
 * Units are whole packages the money pays for: min(quantity, amount ÷ unit value). Money over
 * that stays in the drive's fund and shows as surplus on the drive page. A donation to another
 * fund, or in another currency, creates no units (the money stays where it was given).
 */
export async function createUnitsForDonation(tx: Db, d: DonationForUnits): Promise<number> {
  const purpose = packageDrivePurpose(d.purpose);
  if (!purpose) return 0;
  const [drive] = await tx
    .select()
    .from(packageDrives)
    .where(and(eq(packageDrives.orgId, d.orgId), eq(packageDrives.id, purpose.driveId)));
  if (!drive || drive.fundId !== d.fundId || drive.currency !== d.currency) return 0;
  return insertUnits(tx, drive, d, Math.min(purpose.quantity, Number(d.amountMinor / drive.unitValueMinor)), 1, moneyAccountForChannel(d.channel), d.createdBy ?? null, d.receivedAt);
}

/** Inserts `count` funded units numbered from `firstNo` (with their 'funded' events). */
export async function insertUnits(
  tx: Db,
  drive: PackageDrive,
  d: { id: string },
  count: number,
  firstNo: number,
  moneyAccount: string,
  actorId: string | null,
  at: Date,
  sourceUnitId: string | null = null,
): Promise<number> {
  if (count <= 0) return 0;
  const rows = await tx
    .insert(packageUnits)
    .values(
      Array.from({ length: count }, (_, i) => ({
        orgId: drive.orgId,
        driveId: drive.id,
        donationId: d.id,
        unitNo: firstNo + i,
        valueMinor: drive.unitValueMinor,
        currency: drive.currency,
        moneyAccount,
        sourceUnitId,
        status: 'funded' as const,
        createdAt: at,
      })),
    )
    .returning({ id: packageUnits.id });
  await tx.insert(packageUnitEvents).values(
    rows.map((r) => ({ orgId: drive.orgId, unitId: r.id, kind: 'funded' as const, fromStatus: null, toStatus: 'funded', actorId, at, data: sourceUnitId ? { sourceUnitId } : null })),
  );
  return rows.length;
}

/** The next free unit number of a donation (units moved between drives keep their donation). */
export async function nextUnitNo(tx: Db, donationId: string): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`coalesce(max(${packageUnits.unitNo}), 0)::int` })
    .from(packageUnits)
    .where(eq(packageUnits.donationId, donationId));
  return Number(r?.n ?? 0) + 1;
}

/**
 * Called by recordRefund inside the refund's transaction. When money of a package gift goes
 * back (a card refund arriving from Stripe), funded units the remaining money no longer pays
 * for are cancelled, newest first, each with a 'cancelled' event; matched and delivered units
 * are left alone (staff decide), and the drive page then shows the money missing. A unit
 * already cancelled with its own refund (cancelUnit) is not counted, so nothing is cancelled twice.
 */
export async function cancelUnitsAfterRefund(tx: Db, d: { id: string; orgId: string; fundId: string; amountMinor: bigint }, refundedTotal: bigint, at: Date, actorId: string | null): Promise<number> {
  const active = await tx
    .select()
    .from(packageUnits)
    .where(and(eq(packageUnits.donationId, d.id), sql`${packageUnits.status} <> 'cancelled'`))
    .orderBy(sql`case ${packageUnits.status} when 'funded' then 0 else 1 end`, sql`${packageUnits.unitNo} desc`)
    .for('update');
  if (active.length === 0) return 0;
  // Only units held in this gift's own fund (direct package gifts); allocated gifts are settled by staff.
  const [drive] = await tx.select({ fundId: packageDrives.fundId }).from(packageDrives).where(eq(packageDrives.id, active[0]!.driveId));
  if (!drive || drive.fundId !== d.fundId) return 0;
  let excess = active.reduce((s, u) => s + u.valueMinor, 0n) - (d.amountMinor - refundedTotal);
  let n = 0;
  for (const u of active) {
    if (excess <= 0n || u.status !== 'funded') break;
    const [done] = await tx
      .update(packageUnits)
      .set({ status: 'cancelled', cancelledAt: at })
      .where(and(eq(packageUnits.id, u.id), eq(packageUnits.status, 'funded')))
      .returning({ id: packageUnits.id });
    if (!done) continue;
    await recordUnitEvent(tx, { orgId: d.orgId, unitId: u.id, kind: 'cancelled', from: 'funded', to: 'cancelled', reason: 'gift refunded', data: { action: 'donation_refunded' }, actorId, at });
    excess -= u.valueMinor;
    n++;
  }
  return n;
}
