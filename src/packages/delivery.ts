import { and, eq, inArray } from 'drizzle-orm';
import { packageDeliveries, packageUnits } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { DAY } from '../lib/clock';
import { postLedgerEntries, type LedgerAccount } from '../giving/ledger';
import { getDrive } from './drives';
import { recordUnitEvent, type PackageDrive, type PackageUnit } from './units';

/*
 * Handing packages over. Each delivered unit moves its value from the drive's fund to programme
 * expense (a balanced posting per unit); an undo within 24 hours is a new event and a reversing
 * posting, never an edit.
 */

export const UNDO_WINDOW_MS = 1 * DAY;

export interface DeliveredUnitsHookInput {
  orgId: string;
  drive: PackageDrive;
  deliveryId: string;
  deliveredOn: string;
  units: PackageUnit[];
  actorId: string | null;
}

/**
 * THE place where goods leave stock when packages are handed over. It runs inside the delivery's
 * transaction, after the units are marked delivered and the money is posted; whatever it throws
 * rolls the whole delivery back. The in-kind capability hooks `drawPackageContents(tx, …)` here.
 */
export async function onUnitsDelivered(_tx: Db, _input: DeliveredUnitsHookInput): Promise<void> {
  // Intentionally empty until in-kind stock exists (issue 6).
}

/** The counterpart for an undo: goods drawn for the unit go back (in-kind hooks here too). */
export async function onUnitDeliveryUndone(_tx: Db, _input: { orgId: string; drive: PackageDrive; unit: PackageUnit; deliveryId: string; actorId: string | null }): Promise<void> {
  // Intentionally empty until in-kind stock exists (issue 6).
}

export interface DeliveryInput {
  driveId: string;
  unitIds: string[];
  /** YYYY-MM-DD, the day of the hand-over (Vietnam). */
  deliveredOn: string;
  place: string;
  staff: string;
  note?: string | null;
  actorId: string | null;
  now: Date;
  today: string;
}

/**
 * Marks matched units delivered at one event, all or nothing: if any unit is not matched any
 * more (delivered by someone else, unmatched), nothing is recorded and the 409 names them.
 */
export async function deliverUnits(db: Db, orgId: string, input: DeliveryInput) {
  const errors: { path: string; message: string }[] = [];
  const ids = [...new Set(input.unitIds)];
  if (ids.length === 0) errors.push({ path: 'unitIds', message: 'choose at least one package' });
  if (ids.length > 500) errors.push({ path: 'unitIds', message: 'at most 500 at once' });
  if (ids.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) errors.push({ path: 'unitIds', message: 'unknown package' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.deliveredOn) || Number.isNaN(new Date(`${input.deliveredOn}T00:00:00+07:00`).getTime())) errors.push({ path: 'deliveredOn', message: 'a date (YYYY-MM-DD)' });
  else if (input.deliveredOn > input.today) errors.push({ path: 'deliveredOn', message: 'in the future' });
  if (!input.place.trim()) errors.push({ path: 'place', message: 'required' });
  if (!input.staff.trim()) errors.push({ path: 'staff', message: 'required' });
  if (input.place.length > 200) errors.push({ path: 'place', message: 'at most 200 characters' });
  if (input.staff.length > 200) errors.push({ path: 'staff', message: 'at most 200 characters' });
  if ((input.note?.length ?? 0) > 1000) errors.push({ path: 'note', message: 'at most 1000 characters' });
  if (errors.length) throw invalid('The delivery has invalid fields.', errors);
  const drive = await getDrive(db, orgId, input.driveId);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [delivery] = await tx
      .insert(packageDeliveries)
      .values({ orgId, driveId: drive.id, deliveredOn: input.deliveredOn, place: input.place.trim(), staff: input.staff.trim(), note: input.note?.trim() || null, unitCount: ids.length, createdBy: input.actorId, createdAt: input.now })
      .returning();
    const units = await tx
      .update(packageUnits)
      .set({ status: 'delivered', deliveryId: delivery!.id, deliveredOn: input.deliveredOn, deliveredAt: input.now })
      .where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.driveId, drive.id), inArray(packageUnits.id, ids), eq(packageUnits.status, 'matched')))
      .returning();
    if (units.length !== ids.length) {
      const got = new Set(units.map((u) => u.id));
      const missing = ids.filter((id) => !got.has(id));
      throw conflict(`${missing.length} of the packages are not matched to a child (or were delivered meanwhile); nothing was recorded.`, {
        errors: missing.slice(0, 50).map((id) => ({ path: `unitIds.${id}`, message: 'not matched' })),
      });
    }
    for (const u of units) {
      await postLedgerEntries(
        tx,
        orgId,
        [
          { fundId: drive.fundId, account: 'programme_expense', amountMinor: u.valueMinor, currency: u.currency },
          { fundId: drive.fundId, account: u.moneyAccount as LedgerAccount, amountMinor: -u.valueMinor, currency: u.currency },
        ],
        { key: `package-delivered:${u.id}:${delivery!.id}`, kind: 'package_delivery', memo: 'gift package delivered', occurredAt: input.now, createdBy: input.actorId },
      );
      await recordUnitEvent(tx, { orgId, unitId: u.id, kind: 'delivered', from: 'matched', to: 'delivered', caseId: u.caseId, deliveryId: delivery!.id, actorId: input.actorId, at: input.now });
    }
    await onUnitsDelivered(tx, { orgId, drive, deliveryId: delivery!.id, deliveredOn: input.deliveredOn, units, actorId: input.actorId });
    return { delivery: delivery!, units };
  });
}

/**
 * Undoes one unit's delivery within 24 hours of recording it (by the app's clock), with a
 * reason: the unit is matched again, an undo event is added, the expense is reversed.
 */
export async function undoDelivery(db: Db, orgId: string, input: { unitId: string; reason: string; actorId: string | null; now: Date }) {
  if (!input.reason.trim()) throw invalid('Say why the delivery is undone.', [{ path: 'reason', message: 'required' }]);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [before] = await tx.select().from(packageUnits).where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.id, input.unitId))).for('update');
    if (!before) throw notFound('Package unit');
    if (before.status !== 'delivered' || !before.deliveredAt || !before.deliveryId) throw conflict(`Only a delivered package can be undone; this one is ${before.status}.`);
    if (input.now.getTime() - before.deliveredAt.getTime() > UNDO_WINDOW_MS) {
      throw conflict('A delivery can be undone only within 24 hours of recording it. Ask finance for a correction.');
    }
    const deliveryId = before.deliveryId;
    const [unit] = await tx
      .update(packageUnits)
      .set({ status: 'matched', deliveryId: null, deliveredOn: null, deliveredAt: null })
      .where(and(eq(packageUnits.id, before.id), eq(packageUnits.status, 'delivered'), eq(packageUnits.deliveryId, deliveryId)))
      .returning();
    if (!unit) throw conflict('The package changed meanwhile; reload and try again.');
    const drive = await getDrive(tx, orgId, before.driveId);
    await postLedgerEntries(
      tx,
      orgId,
      [
        { fundId: drive.fundId, account: before.moneyAccount as LedgerAccount, amountMinor: before.valueMinor, currency: before.currency },
        { fundId: drive.fundId, account: 'programme_expense', amountMinor: -before.valueMinor, currency: before.currency },
      ],
      { key: `package-delivery-undone:${before.id}:${deliveryId}`, kind: 'package_delivery_undone', memo: 'gift package delivery undone', occurredAt: input.now, createdBy: input.actorId },
    );
    await recordUnitEvent(tx, { orgId, unitId: before.id, kind: 'delivery_undone', from: 'delivered', to: 'matched', caseId: before.caseId, deliveryId, reason: input.reason.trim().slice(0, 500), actorId: input.actorId, at: input.now });
    await onUnitDeliveryUndone(tx, { orgId, drive, unit: before, deliveryId, actorId: input.actorId });
    return unit;
  });
}
