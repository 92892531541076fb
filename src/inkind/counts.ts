import { and, asc, eq, sql } from 'drizzle-orm';
import { inkindItems, stockBalances, stockCountLines, stockCounts } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { vietnamDate } from '../giving/money';
import { _stockTransaction, _orgCurrency, _postMovementsForCounts, MAX_LINE_QUANTITY, storageLocation, type FieldError, type OpContext } from './stock';
import { isUuid } from '../lib/ids';

/**
 * Stock counts. Starting a count writes a sheet of every item with stock at the location and
 * its quantity at that moment. Staff enter what they counted; the proposal is the difference
 * per item. Confirming posts exactly those differences as adjustments (reason
 * count_correction) — and REFUSES (409) when stock at the location moved after the count
 * started (any balance there differs from the sheet): the differences would no longer be
 * right, so staff start a new count. We refuse rather than recompute because a recount is the
 * only way to know what is on the shelf after goods moved.
 */

export type StockCount = typeof stockCounts.$inferSelect;

export async function startCount(db: Db, orgId: string, input: { locationId: string }, ctx: OpContext) {
  const errors: FieldError[] = [];
  await storageLocation(db, orgId, input.locationId, 'locationId', errors);
  if (errors.length) throw invalid('The count has invalid fields.', errors);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [count] = await tx.insert(stockCounts).values({ orgId, locationId: input.locationId, startedAt: ctx.now, createdBy: ctx.createdBy ?? null }).returning();
    const held = await tx
      .select({ itemId: stockBalances.itemId, quantity: stockBalances.quantity })
      .from(stockBalances)
      .where(and(eq(stockBalances.orgId, orgId), eq(stockBalances.locationId, input.locationId), sql`${stockBalances.quantity} > 0`));
    if (held.length) await tx.insert(stockCountLines).values(held.map((h) => ({ countId: count!.id, itemId: h.itemId, expectedQuantity: h.quantity })));
    return count!;
  });
}

export async function getCount(db: Db, orgId: string, countId: string) {
  if (!isUuid(countId)) throw notFound('Stock count');
  const [count] = await db.select().from(stockCounts).where(and(eq(stockCounts.orgId, orgId), eq(stockCounts.id, countId)));
  if (!count) throw notFound('Stock count');
  const lines = await db
    .select({
      itemId: stockCountLines.itemId,
      nameVi: inkindItems.nameVi,
      nameEn: inkindItems.nameEn,
      unit: inkindItems.unit,
      category: inkindItems.category,
      expectedQuantity: stockCountLines.expectedQuantity,
      countedQuantity: stockCountLines.countedQuantity,
    })
    .from(stockCountLines)
    .innerJoin(inkindItems, eq(inkindItems.id, stockCountLines.itemId))
    .where(eq(stockCountLines.countId, count.id))
    .orderBy(asc(inkindItems.category), asc(inkindItems.nameVi));
  const proposal = lines
    .filter((l) => l.countedQuantity !== null && l.countedQuantity !== l.expectedQuantity)
    .map((l) => ({ itemId: l.itemId, nameVi: l.nameVi, nameEn: l.nameEn, unit: l.unit, expectedQuantity: l.expectedQuantity, countedQuantity: l.countedQuantity!, difference: l.countedQuantity! - l.expectedQuantity }));
  return { count, lines, proposal, complete: lines.length > 0 && lines.every((l) => l.countedQuantity !== null) };
}

/**
 * Saves counted quantities (a line per item; an item not on the sheet is added with 0 expected,
 * e.g. goods found on the shelf that were never received here).
 */
export async function recordCounted(db: Db, orgId: string, countId: string, lines: { itemId: string; countedQuantity: number }[]) {
  const { count } = await getCount(db, orgId, countId);
  if (count.status !== 'open') throw conflict(`This count is ${count.status}; start a new one.`);
  const errors: FieldError[] = [];
  if (!Array.isArray(lines) || lines.length === 0) errors.push({ path: 'lines', message: 'enter at least one counted quantity' });
  const items = new Map((await db.select({ id: inkindItems.id }).from(inkindItems).where(eq(inkindItems.orgId, orgId))).map((r) => [r.id, true]));
  const seen = new Set<string>();
  (lines ?? []).forEach((l, i) => {
    if (!items.has(l?.itemId)) errors.push({ path: `lines.${i}.itemId`, message: 'unknown item' });
    else if (seen.has(l.itemId)) errors.push({ path: `lines.${i}.itemId`, message: 'this item is already on another line' });
    else seen.add(l.itemId);
    const q = l?.countedQuantity;
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 0 || q > MAX_LINE_QUANTITY) errors.push({ path: `lines.${i}.countedQuantity`, message: 'a whole number, 0 or more' });
  });
  if (errors.length) throw invalid('The count has invalid fields.', errors);
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    for (const l of lines) {
      await tx
        .insert(stockCountLines)
        .values({ countId: count.id, itemId: l.itemId, expectedQuantity: 0, countedQuantity: l.countedQuantity })
        .onConflictDoUpdate({ target: [stockCountLines.countId, stockCountLines.itemId], set: { countedQuantity: l.countedQuantity } });
    }
  });
  return getCount(db, orgId, countId);
}

/** Posts the proposal once: the count row's status flips open → confirmed in the same transaction. */
export async function confirmCount(db: Db, orgId: string, countId: string, ctx: OpContext) {
  const before = await getCount(db, orgId, countId);
  if (before.count.status !== 'open') throw conflict(`This count is already ${before.count.status}.`);
  if (!before.complete) {
    throw invalid(
      'Enter a counted quantity for every line before confirming.',
      before.lines.map((l, i) => (l.countedQuantity === null ? { path: `lines.${i}.countedQuantity`, message: 'not counted yet' } : null)).filter((e): e is FieldError => e !== null),
    );
  }
  const currency = await _orgCurrency(db, orgId);
  const items = new Map((await db.select({ id: inkindItems.id, v: inkindItems.unitValueMinor }).from(inkindItems).where(eq(inkindItems.orgId, orgId))).map((r) => [r.id, r.v]));
  return _stockTransaction(db, async (tx) => {
    const flipped = await tx
      .update(stockCounts)
      .set({ status: 'confirmed', confirmedAt: ctx.now })
      .where(and(eq(stockCounts.id, countId), eq(stockCounts.orgId, orgId), eq(stockCounts.status, 'open')))
      .returning({ id: stockCounts.id });
    if (!flipped[0]) throw conflict('This count was confirmed or cancelled meanwhile.');
    const { lines, proposal } = await getCount(tx, orgId, countId);
    // Lock the location's balances, then compare with the sheet.
    const now = await tx
      .select({ itemId: stockBalances.itemId, quantity: stockBalances.quantity })
      .from(stockBalances)
      .where(and(eq(stockBalances.orgId, orgId), eq(stockBalances.locationId, before.count.locationId)))
      .orderBy(asc(stockBalances.itemId))
      .for('update');
    const expected = new Map(lines.map((l) => [l.itemId, l.expectedQuantity]));
    const moved = now.filter((b) => b.quantity !== (expected.get(b.itemId) ?? 0)).map((b) => b.itemId);
    for (const l of lines) if (!now.some((b) => b.itemId === l.itemId) && l.expectedQuantity !== 0) moved.push(l.itemId);
    if (moved.length) {
      throw conflict('Stock at this location moved after the count started; the differences are no longer right. Start a new count.', { movedItemIds: moved });
    }
    if (proposal.length === 0) return { countId, adjustments: 0, valueMinor: 0n };
    const posted = await _postMovementsForCounts(
      tx,
      orgId,
      proposal.map((p) => ({ itemId: p.itemId, locationId: before.count.locationId, kind: 'adjust' as const, quantity: p.difference, reason: 'count_correction' as const, countId, fallbackUnitValueMinor: items.get(p.itemId) ?? 0n })),
      { at: ctx.now, createdBy: ctx.createdBy, currency },
    );
    return { countId, adjustments: posted.count, valueMinor: posted.valueMinor };
  });
}

export async function cancelCount(db: Db, orgId: string, countId: string) {
  await getCount(db, orgId, countId);
  const rows = await db
    .update(stockCounts)
    .set({ status: 'cancelled' })
    .where(and(eq(stockCounts.id, countId), eq(stockCounts.orgId, orgId), eq(stockCounts.status, 'open')))
    .returning({ id: stockCounts.id });
  if (!rows[0]) throw conflict('Only an open count can be cancelled.');
  return { countId, status: 'cancelled' as const };
}

export async function listCounts(db: Db, orgId: string) {
  return db.select().from(stockCounts).where(eq(stockCounts.orgId, orgId)).orderBy(sql`${stockCounts.startedAt} desc`).limit(100);
}

export const todayIn = (d: Date) => vietnamDate(d);
