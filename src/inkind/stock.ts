import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  cases,
  donors,
  inkindDistributions,
  inkindIntakes,
  inkindItems,
  inkindSettings,
  locations,
  organisations,
  packageTypeItems,
  stockBalances,
  stockMovements,
  ITEM_CONDITIONS,
  type AdjustReason,
  type ItemCondition,
  type MovementKind,
} from '../db/schema';
import type { Db } from '../db/types';
import { pgErrorCode, pgErrorText } from '../db/errors';
import { inTransaction } from '../db/retry';
import { conflict, invalid, notFound, ProblemError } from '../http/problem';
import { enqueueMail } from '../mail/outbox';
import { vietnamDate } from '../giving/money';
import { intakeAcknowledgementEmail } from './templates';
import { postLedgerEntries, type LedgerLine } from '../giving/ledger';
import { ensureGeneralFund } from '../giving/campaigns';
import { isUuid } from '../lib/ids';

/**
 * Goods move only through `stock_movements` (append-only). Every operation here runs in one
 * transaction: it locks the (item, location) balance rows it touches in a fixed order
 * (SELECT … FOR UPDATE), refuses with a 409 naming what is short, then inserts its movements;
 * a trigger adds each movement to `stock_balances`, whose CHECK (quantity >= 0) is the last
 * word if anything ever slipped past the code.
 */

export type FieldError = { path: string; message: string };
export type Item = typeof inkindItems.$inferSelect;

export const MAX_LINE_QUANTITY = 1_000_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Start of a Vietnamese calendar day as an instant: movements are dated by business day. */
export const dayStart = (d: string) => new Date(`${d}T00:00:00+07:00`);
const validDate = (d: unknown): d is string => typeof d === 'string' && DATE_RE.test(d) && !Number.isNaN(dayStart(d).getTime()) && vietnamDate(dayStart(d)) === d;

export interface OpContext {
  now: Date;
  createdBy?: string | null;
}

// ---------- helpers ----------

/**
 * A stock movement's transaction: the caller's when there is one (a package delivery draws its
 * goods inside its own, and any refusal rolls the whole delivery back), else one of its own,
 * retried on deadlock (src/db/retry.ts). The balance CHECK firing reads as a conflict.
 */
async function stockTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, work);
  } catch (err) {
    // Another request took the stock between our check and our write (cannot happen with the
    // row locks, but the database has the last word).
    if (pgErrorCode(err) === "23514" && /stock_balances/.test(pgErrorText(err))) {
      throw conflict('Not enough stock: another movement took it first. Reload and try again.');
    }
    throw err;
  }
}

async function orgCurrency(db: Db, orgId: string): Promise<string> {
  const [o] = await db.select({ c: organisations.baseCurrency }).from(organisations).where(eq(organisations.id, orgId));
  if (!o) throw notFound('Organisation');
  return o.c;
}

/** A storage location: an office of this organisation's location tree. */
export async function storageLocation(db: Db, orgId: string, locationId: unknown, path: string, errors: FieldError[]) {
  if (!isUuid(locationId)) {
    errors.push({ path, message: 'choose a storage location' });
    return null;
  }
  const [loc] = await db.select().from(locations).where(and(eq(locations.orgId, orgId), eq(locations.id, locationId)));
  if (!loc) errors.push({ path, message: 'unknown location' });
  else if (loc.kind !== 'office') errors.push({ path, message: 'goods are stored at an office' });
  return loc ?? null;
}

async function itemsById(db: Db, orgId: string, ids: string[]): Promise<Map<string, Item>> {
  const uniq = [...new Set(ids.filter(isUuid))];
  if (uniq.length === 0) return new Map();
  const rows = await db.select().from(inkindItems).where(and(eq(inkindItems.orgId, orgId), inArray(inkindItems.id, uniq)));
  return new Map(rows.map((r) => [r.id, r]));
}

export interface QtyLine {
  itemId: string;
  quantity: number;
}

/** Checks line shape (item of this org, whole positive quantity, no item twice). */
function checkLines(lines: unknown, items: Map<string, Item>, errors: FieldError[], opts: { allowNegative?: boolean; field?: string } = {}) {
  const field = opts.field ?? 'quantity';
  if (!Array.isArray(lines) || lines.length === 0) {
    errors.push({ path: 'lines', message: 'add at least one line' });
    return;
  }
  if (lines.length > 200) errors.push({ path: 'lines', message: 'at most 200 lines' });
  const seen = new Set<string>();
  lines.forEach((l: Record<string, unknown>, i) => {
    const item = typeof l?.itemId === 'string' ? items.get(l.itemId) : undefined;
    if (!item) errors.push({ path: `lines.${i}.itemId`, message: 'unknown item' });
    else if (seen.has(item.id)) errors.push({ path: `lines.${i}.itemId`, message: 'this item is already on another line' });
    else seen.add(item.id);
    const q = l?.[field];
    const ok = typeof q === 'number' && Number.isInteger(q) && Math.abs(q) <= MAX_LINE_QUANTITY && (opts.allowNegative ? q !== 0 : q > 0);
    if (!ok) errors.push({ path: `lines.${i}.${field}`, message: opts.allowNegative ? 'a whole number other than 0' : 'a whole number above 0' });
  });
}

function checkDate(d: unknown, path: string, today: string, errors: FieldError[]) {
  if (!validDate(d)) errors.push({ path, message: 'a date (YYYY-MM-DD)' });
  else if (d > today) errors.push({ path, message: 'in the future' });
}

interface MovementDraft {
  itemId: string;
  locationId: string;
  kind: MovementKind;
  quantity: number;
  /** Incoming lines: value of one unit. Outgoing lines take the average value held. */
  unitValueMinor?: bigint;
  /** Incoming lines without a unit value: the average held, or this when nothing is held. */
  fallbackUnitValueMinor?: bigint;
  condition?: ItemCondition | null;
  reason?: AdjustReason | null;
  note?: string | null;
  intakeId?: string | null;
  distributionId?: string | null;
  countId?: string | null;
}

export interface Shortage {
  itemId: string;
  itemName: string;
  locationId: string;
  available: number;
  requested: number;
}

const pairKey = (itemId: string, locationId: string) => `${itemId}|${locationId}`;

/**
 * Locks the balances of every (item, location) the drafts touch, refuses when an outgoing
 * line exceeds what is there, values outgoing lines at the average value held, inserts.
 */
async function postMovements(tx: Db, orgId: string, drafts: MovementDraft[], opts: { at: Date; createdBy?: string | null; batchId?: string; currency: string }) {
  const pairs = [...new Map(drafts.map((d) => [pairKey(d.itemId, d.locationId), d])).values()].sort((a, b) =>
    a.itemId === b.itemId ? a.locationId.localeCompare(b.locationId) : a.itemId.localeCompare(b.itemId),
  );
  const balances = new Map<string, { quantity: number; value: bigint }>();
  // One lock per row, always in (item, location) order, so two operations never deadlock.
  for (const p of pairs) {
    const [row] = await tx
      .select({ quantity: stockBalances.quantity, value: stockBalances.valueMinor })
      .from(stockBalances)
      .where(and(eq(stockBalances.orgId, orgId), eq(stockBalances.itemId, p.itemId), eq(stockBalances.locationId, p.locationId)))
      .for('update');
    balances.set(pairKey(p.itemId, p.locationId), row ? { quantity: row.quantity, value: BigInt(row.value) } : { quantity: 0, value: 0n });
  }
  const needed = new Map<string, number>();
  for (const d of drafts) if (d.quantity < 0) needed.set(pairKey(d.itemId, d.locationId), (needed.get(pairKey(d.itemId, d.locationId)) ?? 0) - d.quantity);
  const shortages: Shortage[] = [];
  for (const [k, n] of needed) {
    const have = balances.get(k)!.quantity;
    if (n > have) {
      const [itemId, locationId] = k.split('|') as [string, string];
      shortages.push({ itemId, itemName: '', locationId, available: have, requested: n });
    }
  }
  if (shortages.length) {
    const names = await itemsById(tx, orgId, shortages.map((s) => s.itemId));
    for (const s of shortages) s.itemName = names.get(s.itemId)?.nameVi ?? s.itemId;
    throw new ProblemError(409, `Not enough stock: ${shortages.map((s) => `${s.itemName} (${s.available} on hand, ${s.requested} requested)`).join('; ')}.`, {
      type: '/problems/insufficient-stock',
      title: 'Not enough stock',
      shortages,
    });
  }
  const batchId = opts.batchId ?? crypto.randomUUID();
  const rows = drafts.map((d) => {
    const bal = balances.get(pairKey(d.itemId, d.locationId))!;
    let value: bigint;
    let unit: bigint;
    if (d.quantity < 0) {
      const q = -d.quantity;
      // The last units carry whatever value is left, so value reaches 0 with the quantity.
      const v = q === bal.quantity ? bal.value : (bal.value * BigInt(q)) / BigInt(bal.quantity);
      value = -v;
      unit = v / BigInt(q);
    } else {
      unit = d.unitValueMinor ?? (bal.quantity > 0 ? bal.value / BigInt(bal.quantity) : (d.fallbackUnitValueMinor ?? 0n));
      value = unit * BigInt(d.quantity);
    }
    bal.quantity += d.quantity;
    bal.value += value;
    return {
      orgId,
      itemId: d.itemId,
      locationId: d.locationId,
      kind: d.kind,
      quantity: d.quantity,
      unitValueMinor: unit,
      valueMinor: value,
      currency: opts.currency,
      condition: d.condition ?? null,
      reason: d.reason ?? null,
      note: d.note ?? null,
      intakeId: d.intakeId ?? null,
      distributionId: d.distributionId ?? null,
      countId: d.countId ?? null,
      batchId,
      occurredAt: opts.at,
      createdBy: opts.createdBy ?? null,
    };
  });
  if (rows.length) await tx.insert(stockMovements).values(rows);
  await postInkindLedger(tx, orgId, rows, { batchId, at: opts.at, createdBy: opts.createdBy, currency: opts.currency });
  return { batchId, count: rows.length, valueMinor: rows.reduce((s, r) => s + r.valueMinor, 0n) };
}

/**
 * The money ledger sees goods at their value, in the general fund: gifts of goods are in-kind
 * income into `in_kind_goods`; goods given out (or written off) leave it as
 * `in_kind_distributed`; returns reverse that; goods found in a count are income. So the
 * ledger's `in_kind_goods` equals the value of stock on hand. Transfers change nothing.
 */
async function postInkindLedger(tx: Db, orgId: string, rows: { kind: MovementKind; valueMinor: bigint }[], opts: { batchId: string; at: Date; createdBy?: string | null; currency: string }) {
  let income = 0n;
  let expense = 0n;
  for (const r of rows) {
    if (r.kind === 'receive' || (r.kind === 'adjust' && r.valueMinor > 0n)) income += r.valueMinor;
    else if (r.kind === 'distribute' || (r.kind === 'adjust' && r.valueMinor < 0n)) expense += -r.valueMinor;
    else if (r.kind === 'return') expense -= r.valueMinor;
  }
  const lines: LedgerLine[] = [];
  const fund = income !== 0n || expense !== 0n ? await ensureGeneralFund(tx, orgId) : null;
  if (fund && income !== 0n) lines.push({ fundId: fund.id, account: 'in_kind_goods', amountMinor: income, currency: opts.currency }, { fundId: fund.id, account: 'in_kind_income', amountMinor: -income, currency: opts.currency });
  if (fund && expense !== 0n) lines.push({ fundId: fund.id, account: 'in_kind_distributed', amountMinor: expense, currency: opts.currency }, { fundId: fund.id, account: 'in_kind_goods', amountMinor: -expense, currency: opts.currency });
  if (lines.length) await postLedgerEntries(tx, orgId, lines, { key: `inkind:${opts.batchId}`, kind: 'in_kind', occurredAt: opts.at, createdBy: opts.createdBy ?? null });
}

// ---------- catalogue ----------

export async function listItems(db: Db, orgId: string, opts: { activeOnly?: boolean } = {}) {
  const where = opts.activeOnly ? and(eq(inkindItems.orgId, orgId), eq(inkindItems.active, true)) : eq(inkindItems.orgId, orgId);
  return db.select().from(inkindItems).where(where).orderBy(asc(inkindItems.category), asc(inkindItems.nameVi));
}

export async function getItem(db: Db, orgId: string, id: string) {
  const [row] = await db.select().from(inkindItems).where(and(eq(inkindItems.orgId, orgId), eq(inkindItems.id, id)));
  if (!row) throw notFound('Item');
  return row;
}

export interface ItemInput {
  nameVi: string;
  nameEn?: string | null;
  category: Item['category'];
  unit: Item['unit'];
  unitValueMinor: bigint;
  currency?: string;
  valuationSource: Item['valuationSource'];
  active?: boolean;
}

export async function createItem(db: Db, orgId: string, input: ItemInput) {
  const currency = input.currency ?? (await orgCurrency(db, orgId));
  if (currency !== (await orgCurrency(db, orgId))) throw invalid('The item has invalid fields.', [{ path: 'currency', message: "in-kind values are kept in the organisation's currency" }]);
  if (input.unitValueMinor > 0n && input.valuationSource === 'none') throw invalid('The item has invalid fields.', [{ path: 'valuationSource', message: 'say where the value comes from' }]);
  const rows = await db
    .insert(inkindItems)
    .values({ orgId, nameVi: input.nameVi.trim(), nameEn: input.nameEn?.trim() || null, category: input.category, unit: input.unit, unitValueMinor: input.unitValueMinor, currency, valuationSource: input.valuationSource, active: input.active ?? true })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw conflict('An item with this name is already in the catalogue.', { errors: [{ path: 'nameVi', message: 'already in the catalogue' }] });
  return rows[0];
}

export async function updateItem(db: Db, orgId: string, id: string, patch: Partial<ItemInput>) {
  const item = await getItem(db, orgId, id);
  const next = { ...item, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Item;
  if (next.unitValueMinor > 0n && next.valuationSource === 'none') throw invalid('The item has invalid fields.', [{ path: 'valuationSource', message: 'say where the value comes from' }]);
  if (next.currency !== item.currency) throw invalid('The item has invalid fields.', [{ path: 'currency', message: 'the currency of an item cannot change' }]);
  try {
    const [row] = await db
      .update(inkindItems)
      .set({ nameVi: next.nameVi.trim(), nameEn: next.nameEn?.trim() || null, category: next.category, unit: next.unit, unitValueMinor: next.unitValueMinor, valuationSource: next.valuationSource, active: next.active })
      .where(and(eq(inkindItems.orgId, orgId), eq(inkindItems.id, id)))
      .returning();
    return row!;
  } catch (err) {
    if (pgErrorCode(err) === '23505') throw conflict('An item with this name is already in the catalogue.', { errors: [{ path: 'nameVi', message: 'already in the catalogue' }] });
    throw err;
  }
}

// ---------- settings ----------

/** Reading creates the organisation's row with the defaults, so a later change is an update. */
export async function getInkindSettings(db: Db, orgId: string) {
  await db.insert(inkindSettings).values({ orgId }).onConflictDoNothing();
  const [row] = await db.select().from(inkindSettings).where(eq(inkindSettings.orgId, orgId));
  return { ackStatesValue: row?.ackStatesValue ?? false };
}

export async function setInkindSettings(db: Db, orgId: string, s: { ackStatesValue: boolean }) {
  await db.insert(inkindSettings).values({ orgId, ackStatesValue: s.ackStatesValue }).onConflictDoUpdate({ target: inkindSettings.orgId, set: { ackStatesValue: s.ackStatesValue } });
  return getInkindSettings(db, orgId);
}

// ---------- intake ----------

export interface IntakeLineInput {
  itemId: string;
  quantity: number;
  condition: ItemCondition;
  /** Value of one unit; defaults to the item's fair value. */
  unitValueMinor?: bigint | null;
}

export interface IntakeInput {
  donorId?: string | null;
  anonymous?: boolean;
  receivedOn: string;
  locationId: string;
  /** null/undefined: the organisation's setting. */
  ackStatesValue?: boolean | null;
  note?: string | null;
  lines: IntakeLineInput[];
}

/**
 * Records an in-kind gift: the intake, one receive movement per line, and (when the donor has
 * an email) an acknowledgement listing items and quantities, in one transaction.
 */
export async function recordIntake(db: Db, orgId: string, input: IntakeInput, ctx: OpContext) {
  const errors: FieldError[] = [];
  checkDate(input.receivedOn, 'receivedOn', vietnamDate(ctx.now), errors);
  await storageLocation(db, orgId, input.locationId, 'locationId', errors);
  let donor: typeof donors.$inferSelect | undefined;
  if (input.donorId) {
    [donor] = await db.select().from(donors).where(and(eq(donors.orgId, orgId), eq(donors.id, input.donorId)));
    if (!donor) errors.push({ path: 'donorId', message: 'unknown donor' });
    else if (donor.mergedIntoId) errors.push({ path: 'donorId', message: 'this donor was merged into another' });
  }
  const items = await itemsById(db, orgId, Array.isArray(input.lines) ? input.lines.map((l) => l?.itemId) : []);
  checkLines(input.lines, items, errors);
  (input.lines ?? []).forEach((l, i) => {
    if (!ITEM_CONDITIONS.includes(l.condition)) errors.push({ path: `lines.${i}.condition`, message: 'new, good or used' });
    if (l.unitValueMinor !== undefined && l.unitValueMinor !== null && (typeof l.unitValueMinor !== 'bigint' || l.unitValueMinor < 0n)) errors.push({ path: `lines.${i}.unitValueMinor`, message: 'zero or more' });
    const item = items.get(l.itemId);
    if (item && !item.active) errors.push({ path: `lines.${i}.itemId`, message: 'this item is no longer in use' });
  });
  if (input.note && input.note.length > 2000) errors.push({ path: 'note', message: 'at most 2000 characters' });
  if (errors.length) throw invalid('The intake has invalid fields.', errors);
  const currency = await orgCurrency(db, orgId);
  const settings = await getInkindSettings(db, orgId);
  const statesValue = input.ackStatesValue ?? settings.ackStatesValue;

  return stockTransaction(db, async (tx) => {
    const [intake] = await tx
      .insert(inkindIntakes)
      .values({
        orgId,
        donorId: donor?.id ?? null,
        anonymous: input.anonymous ?? donor?.anonymous ?? false,
        receivedOn: input.receivedOn,
        locationId: input.locationId,
        ackStatesValue: input.ackStatesValue ?? null,
        note: input.note?.trim() || null,
        createdBy: ctx.createdBy ?? null,
      })
      .returning();
    const posted = await postMovements(
      tx,
      orgId,
      input.lines.map((l) => ({
        itemId: l.itemId,
        locationId: input.locationId,
        kind: 'receive' as const,
        quantity: l.quantity,
        unitValueMinor: l.unitValueMinor ?? items.get(l.itemId)!.unitValueMinor,
        condition: l.condition,
        intakeId: intake!.id,
      })),
      { at: dayStart(input.receivedOn), createdBy: ctx.createdBy, currency },
    );
    let acknowledgement: 'queued' | 'no_email' = 'no_email';
    if (donor?.email) {
      const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
      const mail = intakeAcknowledgementEmail({
        locale: donor.locale,
        orgName: org!.name,
        donorName: donor.name,
        receivedOn: input.receivedOn,
        lines: input.lines.map((l) => {
          const item = items.get(l.itemId)!;
          return { nameVi: item.nameVi, nameEn: item.nameEn, unit: item.unit, quantity: l.quantity, valueMinor: (l.unitValueMinor ?? item.unitValueMinor) * BigInt(l.quantity) };
        }),
        currency,
        statesValue,
      });
      await enqueueMail(tx, { orgId, to: donor.email, locale: donor.locale, template: 'inkind_acknowledgement', dedupeKey: `inkind-ack:${intake!.id}`, ...mail });
      acknowledgement = 'queued';
    }
    return { intake: intake!, movements: posted.count, valueMinor: posted.valueMinor, acknowledgement };
  });
}

// ---------- transfer ----------

export interface TransferInput {
  fromLocationId: string;
  toLocationId: string;
  on: string;
  note?: string | null;
  lines: QtyLine[];
}

/** Moves goods between two offices: a transfer_out and a transfer_in line per item, same value. */
export async function transferStock(db: Db, orgId: string, input: TransferInput, ctx: OpContext) {
  const errors: FieldError[] = [];
  checkDate(input.on, 'on', vietnamDate(ctx.now), errors);
  await storageLocation(db, orgId, input.fromLocationId, 'fromLocationId', errors);
  await storageLocation(db, orgId, input.toLocationId, 'toLocationId', errors);
  if (input.fromLocationId && input.fromLocationId === input.toLocationId) errors.push({ path: 'toLocationId', message: 'a different location' });
  const items = await itemsById(db, orgId, Array.isArray(input.lines) ? input.lines.map((l) => l?.itemId) : []);
  checkLines(input.lines, items, errors);
  if (errors.length) throw invalid('The transfer has invalid fields.', errors);
  const currency = await orgCurrency(db, orgId);
  return stockTransaction(db, async (tx) => {
    const batchId = crypto.randomUUID();
    const out = await postMovements(
      tx,
      orgId,
      input.lines.map((l) => ({ itemId: l.itemId, locationId: input.fromLocationId, kind: 'transfer_out' as const, quantity: -l.quantity, note: input.note ?? null })),
      { at: dayStart(input.on), createdBy: ctx.createdBy, batchId, currency },
    );
    // The receiving side carries exactly the value that left.
    const moved = await tx.select({ itemId: stockMovements.itemId, unit: stockMovements.unitValueMinor, value: stockMovements.valueMinor, quantity: stockMovements.quantity }).from(stockMovements).where(eq(stockMovements.batchId, batchId));
    const rows = moved.map((m) => ({
      orgId,
      itemId: m.itemId,
      locationId: input.toLocationId,
      kind: 'transfer_in' as const,
      quantity: -m.quantity,
      unitValueMinor: m.unit,
      valueMinor: -m.value,
      currency,
      note: input.note ?? null,
      batchId,
      occurredAt: dayStart(input.on),
      createdBy: ctx.createdBy ?? null,
    }));
    await tx.insert(stockMovements).values(rows);
    return { batchId, lines: out.count, valueMinor: -out.valueMinor };
  });
}

// ---------- distribution ----------

export interface DistributionInput {
  kind: 'case' | 'event';
  locationId: string;
  distributedOn: string;
  caseId?: string | null;
  eventName?: string | null;
  headcount?: number | null;
  placeLocationId?: string | null;
  place?: string | null;
  note?: string | null;
  lines: QtyLine[];
}

async function checkCase(db: Db, orgId: string, caseId: unknown, errors: FieldError[]) {
  if (!isUuid(caseId)) {
    errors.push({ path: 'caseId', message: 'choose a case' });
    return;
  }
  const [c] = await db.select({ id: cases.id, status: cases.status }).from(cases).where(and(eq(cases.orgId, orgId), eq(cases.id, caseId)));
  if (!c) errors.push({ path: 'caseId', message: 'unknown case' });
  else if (c.status === 'closed') errors.push({ path: 'caseId', message: 'this case is closed' });
}

/** Gives goods to one child's case or at a group event; all lines or none. */
export async function recordDistribution(db: Db, orgId: string, input: DistributionInput, ctx: OpContext) {
  const errors: FieldError[] = [];
  if (input.kind !== 'case' && input.kind !== 'event') errors.push({ path: 'kind', message: 'case or event' });
  checkDate(input.distributedOn, 'distributedOn', vietnamDate(ctx.now), errors);
  await storageLocation(db, orgId, input.locationId, 'locationId', errors);
  if (input.kind === 'case') await checkCase(db, orgId, input.caseId, errors);
  if (input.kind === 'event') {
    if (!input.eventName?.trim()) errors.push({ path: 'eventName', message: 'name the event' });
    else if (input.eventName.length > 200) errors.push({ path: 'eventName', message: 'at most 200 characters' });
    if (typeof input.headcount !== 'number' || !Number.isInteger(input.headcount) || input.headcount < 1 || input.headcount > 1_000_000) errors.push({ path: 'headcount', message: 'a whole number above 0' });
    if (input.placeLocationId) {
      const [p] = await db.select({ id: locations.id }).from(locations).where(and(eq(locations.orgId, orgId), eq(locations.id, input.placeLocationId)));
      if (!p) errors.push({ path: 'placeLocationId', message: 'unknown location' });
    }
    if (input.place && input.place.length > 200) errors.push({ path: 'place', message: 'at most 200 characters' });
  }
  const items = await itemsById(db, orgId, Array.isArray(input.lines) ? input.lines.map((l) => l?.itemId) : []);
  checkLines(input.lines, items, errors);
  if (errors.length) throw invalid('The distribution has invalid fields.', errors);
  const currency = await orgCurrency(db, orgId);
  return stockTransaction(db, async (tx) => {
    const [dist] = await tx
      .insert(inkindDistributions)
      .values({
        orgId,
        kind: input.kind,
        distributedOn: input.distributedOn,
        locationId: input.locationId,
        caseId: input.kind === 'case' ? input.caseId! : null,
        eventName: input.kind === 'event' ? input.eventName!.trim() : null,
        headcount: input.kind === 'event' ? input.headcount! : null,
        placeLocationId: input.kind === 'event' ? (input.placeLocationId ?? null) : null,
        place: input.kind === 'event' ? input.place?.trim() || null : null,
        note: input.note?.trim() || null,
        createdBy: ctx.createdBy ?? null,
      })
      .returning();
    const posted = await postMovements(
      tx,
      orgId,
      input.lines.map((l) => ({ itemId: l.itemId, locationId: input.locationId, kind: 'distribute' as const, quantity: -l.quantity, distributionId: dist!.id })),
      { at: dayStart(input.distributedOn), createdBy: ctx.createdBy, currency },
    );
    return { distribution: dist!, lines: posted.count, valueMinor: -posted.valueMinor };
  });
}

// ---------- adjustments and returns ----------

export interface AdjustmentInput {
  locationId: string;
  on: string;
  reason: AdjustReason;
  note?: string | null;
  /** quantity: signed change (negative: written off; positive: found). */
  lines: QtyLine[];
}

export async function adjustStock(db: Db, orgId: string, input: AdjustmentInput, ctx: OpContext) {
  const errors: FieldError[] = [];
  checkDate(input.on, 'on', vietnamDate(ctx.now), errors);
  await storageLocation(db, orgId, input.locationId, 'locationId', errors);
  if (!['damaged', 'expired', 'count_correction', 'other'].includes(input.reason)) errors.push({ path: 'reason', message: 'damaged, expired, count_correction or other' });
  if (input.reason === 'other' && !input.note?.trim()) errors.push({ path: 'note', message: 'explain the adjustment' });
  const items = await itemsById(db, orgId, Array.isArray(input.lines) ? input.lines.map((l) => l?.itemId) : []);
  checkLines(input.lines, items, errors, { allowNegative: true });
  if ((input.reason === 'damaged' || input.reason === 'expired') && Array.isArray(input.lines)) {
    input.lines.forEach((l, i) => {
      if (typeof l.quantity === 'number' && l.quantity > 0) errors.push({ path: `lines.${i}.quantity`, message: 'damaged or expired goods leave stock (a negative number)' });
    });
  }
  if (errors.length) throw invalid('The adjustment has invalid fields.', errors);
  const currency = await orgCurrency(db, orgId);
  return stockTransaction(db, async (tx) => {
    const posted = await postMovements(
      tx,
      orgId,
      input.lines.map((l) => ({ itemId: l.itemId, locationId: input.locationId, kind: 'adjust' as const, quantity: l.quantity, reason: input.reason, note: input.note?.trim() || null, fallbackUnitValueMinor: items.get(l.itemId)!.unitValueMinor })),
      { at: dayStart(input.on), createdBy: ctx.createdBy, currency },
    );
    return { batchId: posted.batchId, lines: posted.count, valueMinor: posted.valueMinor };
  });
}

export interface ReturnInput {
  distributionId: string;
  on: string;
  note?: string | null;
  lines: (QtyLine & { condition?: ItemCondition })[];
}

/** Goods that come back from a distribution return to the location they left, at the value they left with. */
export async function returnStock(db: Db, orgId: string, input: ReturnInput, ctx: OpContext) {
  const errors: FieldError[] = [];
  checkDate(input.on, 'on', vietnamDate(ctx.now), errors);
  const [dist] = isUuid(input.distributionId)
    ? await db.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, orgId), eq(inkindDistributions.id, input.distributionId)))
    : [];
  if (!dist) throw notFound('Distribution');
  const items = await itemsById(db, orgId, Array.isArray(input.lines) ? input.lines.map((l) => l?.itemId) : []);
  checkLines(input.lines, items, errors);
  if (errors.length) throw invalid('The return has invalid fields.', errors);
  const currency = await orgCurrency(db, orgId);
  return stockTransaction(db, async (tx) => {
    // Lock the distribution so two returns of the same goods cannot both pass the check.
    await tx.select({ id: inkindDistributions.id }).from(inkindDistributions).where(eq(inkindDistributions.id, dist.id)).for('update');
    const given = await tx
      .select({ itemId: stockMovements.itemId, kind: stockMovements.kind, qty: sql<string>`sum(${stockMovements.quantity})`, value: sql<string>`sum(${stockMovements.valueMinor})` })
      .from(stockMovements)
      .where(and(eq(stockMovements.orgId, orgId), eq(stockMovements.distributionId, dist.id)))
      .groupBy(stockMovements.itemId, stockMovements.kind);
    const out = new Map<string, { qty: number; value: bigint; returned: number }>();
    for (const g of given) {
      const e = out.get(g.itemId) ?? { qty: 0, value: 0n, returned: 0 };
      if (g.kind === 'distribute') {
        e.qty += -Number(g.qty);
        e.value += -BigInt(g.value);
      } else if (g.kind === 'return') e.returned += Number(g.qty);
      out.set(g.itemId, e);
    }
    const errs: FieldError[] = [];
    input.lines.forEach((l, i) => {
      const e = out.get(l.itemId);
      if (!e) errs.push({ path: `lines.${i}.itemId`, message: 'not part of this distribution' });
      else if (l.quantity > e.qty - e.returned) errs.push({ path: `lines.${i}.quantity`, message: `at most ${e.qty - e.returned} can come back` });
    });
    if (errs.length) throw conflict('More would come back than was given.', { errors: errs });
    const posted = await postMovements(
      tx,
      orgId,
      input.lines.map((l) => {
        const e = out.get(l.itemId)!;
        return { itemId: l.itemId, locationId: dist.locationId, kind: 'return' as const, quantity: l.quantity, unitValueMinor: e.value / BigInt(e.qty), condition: l.condition ?? null, distributionId: dist.id, note: input.note?.trim() || null };
      }),
      { at: dayStart(input.on), createdBy: ctx.createdBy, currency },
    );
    return { lines: posted.count, valueMinor: posted.valueMinor };
  });
}

// ---------- gift packages (issue 5) ----------

export async function getPackageTypeItems(db: Db, orgId: string, packageTypeId: string) {
  return db
    .select({ itemId: packageTypeItems.itemId, quantity: packageTypeItems.quantity, nameVi: inkindItems.nameVi, nameEn: inkindItems.nameEn, unit: inkindItems.unit })
    .from(packageTypeItems)
    .innerJoin(inkindItems, eq(inkindItems.id, packageTypeItems.itemId))
    .where(and(eq(packageTypeItems.orgId, orgId), eq(packageTypeItems.packageTypeId, packageTypeId)))
    .orderBy(asc(inkindItems.nameVi));
}

/** Replaces the goods in one package type (configuration, not a movement: editable). */
export async function setPackageTypeItems(db: Db, orgId: string, packageTypeId: string, lines: QtyLine[]) {
  const errors: FieldError[] = [];
  const items = await itemsById(db, orgId, Array.isArray(lines) ? lines.map((l) => l?.itemId) : []);
  if (Array.isArray(lines) && lines.length === 0) {
    // An empty list clears the contents (a money-only package).
  } else checkLines(lines, items, errors);
  if (errors.length) throw invalid('The package contents have invalid fields.', errors);
  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await tx.delete(packageTypeItems).where(and(eq(packageTypeItems.orgId, orgId), eq(packageTypeItems.packageTypeId, packageTypeId)));
    if (lines.length) await tx.insert(packageTypeItems).values(lines.map((l) => ({ orgId, packageTypeId, itemId: l.itemId, quantity: l.quantity })));
  });
  return getPackageTypeItems(db, orgId, packageTypeId);
}

export interface DrawPackageInput {
  packageTypeId: string;
  locationId: string;
  caseId?: string | null;
  /** The delivered package unit: its contents are drawn once, whatever retries happen. */
  packageUnitId?: string | null;
  /** How many packages (default 1). */
  quantity?: number;
  at: Date;
  createdBy?: string | null;
}

/**
 * Draws the goods of delivered gift packages from stock: one distribution (kind package) with
 * a distribute movement per content item. All or nothing: when stock is short nothing is
 * written and a 409 problem lists the shortages. Drawing the same package unit again returns
 * the first draw (`duplicate: true`). A package type without in-kind contents draws nothing.
 * Runs in the caller's transaction when given one.
 */
export async function drawPackageContents(db: Db, orgId: string, input: DrawPackageInput) {
  const quantity = input.quantity ?? 1;
  const errors: FieldError[] = [];
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) errors.push({ path: 'quantity', message: 'a whole number above 0' });
  if (!isUuid(input.packageTypeId)) errors.push({ path: 'packageTypeId', message: 'a package type id' });
  await storageLocation(db, orgId, input.locationId, 'locationId', errors);
  if (input.caseId) await checkCase(db, orgId, input.caseId, errors);
  if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime())) errors.push({ path: 'at', message: 'a date' });
  if (errors.length) throw invalid('The package draw has invalid fields.', errors);
  const contents = await getPackageTypeItems(db, orgId, input.packageTypeId);
  if (contents.length === 0) return { distributionId: null, duplicate: false, lines: [] as { itemId: string; quantity: number }[], valueMinor: 0n };
  const currency = await orgCurrency(db, orgId);
  return stockTransaction(db, async (tx) => {
    if (input.packageUnitId) {
      const [existing] = await tx.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, orgId), eq(inkindDistributions.packageUnitId, input.packageUnitId)));
      if (existing) return { distributionId: existing.id, duplicate: true, lines: [], valueMinor: 0n };
    }
    const inserted = await tx
      .insert(inkindDistributions)
      .values({
        orgId,
        kind: 'package',
        distributedOn: vietnamDate(input.at),
        locationId: input.locationId,
        caseId: input.caseId ?? null,
        packageTypeId: input.packageTypeId,
        packageUnitId: input.packageUnitId ?? null,
        packageQuantity: quantity,
        createdBy: input.createdBy ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted[0]) {
      // A concurrent draw of the same unit committed first.
      const [existing] = await tx.select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, orgId), eq(inkindDistributions.packageUnitId, input.packageUnitId!)));
      return { distributionId: existing!.id, duplicate: true, lines: [], valueMinor: 0n };
    }
    const lines = contents.map((c) => ({ itemId: c.itemId, quantity: c.quantity * quantity }));
    const posted = await postMovements(
      tx,
      orgId,
      lines.map((l) => ({ itemId: l.itemId, locationId: input.locationId, kind: 'distribute' as const, quantity: -l.quantity, distributionId: inserted[0]!.id })),
      { at: input.at, createdBy: input.createdBy, currency },
    );
    return { distributionId: inserted[0].id, duplicate: false, lines, valueMinor: -posted.valueMinor };
  });
}

// ---------- reads ----------

/** On hand per (item, location), from the balances the movements maintain. */
export async function stockAt(db: Db, orgId: string, locationId: string) {
  return db
    .select({ itemId: stockBalances.itemId, quantity: stockBalances.quantity, valueMinor: stockBalances.valueMinor })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgId, orgId), eq(stockBalances.locationId, locationId)));
}

export async function quantityOnHand(db: Db, orgId: string, itemId: string, locationId: string): Promise<number> {
  const [row] = await db
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgId, orgId), eq(stockBalances.itemId, itemId), eq(stockBalances.locationId, locationId)));
  return row?.quantity ?? 0;
}

export { postMovements as _postMovementsForCounts, stockTransaction as _stockTransaction, orgCurrency as _orgCurrency };
