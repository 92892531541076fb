import { drawPackageContents, getPackageTypeItems, returnStock } from '../inkind/stock';
import { inkindDistributions } from '../db/schema';
import { queryRows } from '../db/types';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { packageDeliveries, packageUnits } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { DAY } from '../lib/clock';
import { postLedgerBatch, postLedgerEntries, type LedgerAccount } from '../giving/ledger';
import { getDrive } from './drives';
import { recordUnitEvent, type PackageDrive, type PackageUnit } from './units';
import { isUuid } from '../lib/ids';

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
export async function onUnitsDelivered(tx: Db, input: DeliveredUnitsHookInput): Promise<void> {
  const contents = await getPackageTypeItems(tx, input.orgId, input.drive.packageTypeId);
  if (contents.length === 0) return; // a money-only package: nothing leaves stock
  const locationId = await packageStockLocation(tx, input.orgId, contents, input.units.length);
  const at = new Date(`${input.deliveredOn}T12:00:00+07:00`);
  for (const unit of input.units) {
    await drawPackageContents(tx, input.orgId, {
      packageTypeId: input.drive.packageTypeId,
      locationId,
      caseId: unit.caseId,
      packageUnitId: unit.id,
      at,
      createdBy: input.actorId,
    });
  }
}

/**
 * Where a delivery's goods are taken from: the office holding enough of every content item for
 * the whole batch (the one with most of them); failing that, the office with most of the
 * first item, so the draw refuses with a 409 that names what is short.
 */
async function packageStockLocation(tx: Db, orgId: string, contents: { itemId: string; quantity: number }[], units: number): Promise<string> {
  const itemIds = contents.map((c) => c.itemId);
  const rows = await queryRows<{ location_id: string; item_id: string; quantity: number }>(
    tx,
    sql`select location_id, item_id, quantity from stock_balances where org_id = ${orgId} and item_id in ${itemIds} and quantity > 0`,
  );
  const byLocation = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byLocation.get(r.location_id) ?? new Map<string, number>();
    m.set(r.item_id, Number(r.quantity));
    byLocation.set(r.location_id, m);
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const enough = [...byLocation.entries()].filter(([, m]) => contents.every((c) => (m.get(c.itemId) ?? 0) >= c.quantity * units));
  const pick = (enough.length ? enough : [...byLocation.entries()]).sort((a, b) => total(b[1]) - total(a[1]))[0];
  if (!pick) throw conflict('The gift package contains goods that are not in stock at any office; receive them first (In-kind → intake).');
  return pick[0];
}

/** The counterpart for an undo: goods drawn for the unit go back to where they left. */
export async function onUnitDeliveryUndone(tx: Db, input: { orgId: string; drive: PackageDrive; unit: PackageUnit; deliveryId: string; actorId: string | null }): Promise<void> {
  const [dist] = await tx
    .select()
    .from(inkindDistributions)
    .where(and(eq(inkindDistributions.orgId, input.orgId), eq(inkindDistributions.packageUnitId, input.unit.id)));
  if (!dist) return;
  const lines = await queryRows<{ item_id: string; q: number }>(
    tx,
    sql`select item_id, sum(-quantity)::int as q from stock_movements where distribution_id = ${dist.id} and kind = 'distribute' group by item_id`,
  );
  const returned = await queryRows<{ item_id: string; q: number }>(
    tx,
    sql`select item_id, sum(quantity)::int as q from stock_movements where distribution_id = ${dist.id} and kind = 'return' group by item_id`,
  );
  const back = lines
    .map((l) => ({ itemId: l.item_id, quantity: Number(l.q) - Number(returned.find((r) => r.item_id === l.item_id)?.q ?? 0) }))
    .filter((l) => l.quantity > 0);
  if (back.length === 0) return;
  await returnStock(tx, input.orgId, { distributionId: dist.id, on: dist.distributedOn, note: 'Hoàn tác trao suất quà / package delivery undone', lines: back }, { now: new Date(), createdBy: input.actorId });
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
  if (ids.some((id) => !isUuid(id))) errors.push({ path: 'unitIds', message: 'unknown package' });
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
    // One posting per unit, all in one statement: the fund's day totals are locked once.
    await postLedgerBatch(
      tx,
      orgId,
      units.map((u) => ({
        entries: [
          { fundId: drive.fundId, account: 'programme_expense', amountMinor: u.valueMinor, currency: u.currency },
          { fundId: drive.fundId, account: u.moneyAccount as LedgerAccount, amountMinor: -u.valueMinor, currency: u.currency },
        ],
        key: `package-delivered:${u.id}:${delivery!.id}`,
        kind: 'package_delivery',
        memo: 'gift package delivered',
        occurredAt: input.now,
        createdBy: input.actorId,
      })),
    );
    for (const u of units) {
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
