import { and, asc, eq, sql } from 'drizzle-orm';
import { bankAccounts, bankStatementImports, bankStatementLines, paymentReferences, organisations } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { CsvSyntaxError, mapHeader, parseCsv } from '../donors/csv';
import { createDonor, findOrCreateDonorByEmail, getDonor } from '../donors/donors';
import { ensureGeneralFund, getCampaign } from './campaigns';
import { recordDonation, type RecordContext } from './donations';
import { vietnamDayStart } from './gifts';
import { parseAmount } from './money';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** "SC" + the organisation's short code + 6 characters without look-alikes (0/O, 1/I/L). */
export function newReferenceCode(shortCode: string): string {
  const buf = new Uint8Array(6);
  crypto.getRandomValues(buf);
  return `SC${shortCode.toUpperCase()}${[...buf].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/**
 * Finds our reference in a transfer note. Banks drop diacritics, change case and sometimes
 * insert spaces or dashes ("SC HP-K7M3QD"), so letters are compared after removing them.
 */
export function detectReference(description: string, shortCode: string): string | null {
  const flat = description
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ');
  const sc = shortCode.toUpperCase();
  const re = new RegExp(`SC\\s?${sc}\\s?([${ALPHABET}]{6})(?![A-Z0-9])`);
  const m = re.exec(flat);
  return m ? `SC${sc}${m[1]}` : null;
}

/** A reference for one intended transfer (shown with the VietQR code). */
export async function createPaymentReference(
  db: Db,
  orgId: string,
  input: { campaignId?: string | null; fundId?: string | null; donorId?: string | null; amountMinor?: bigint | null; purpose?: Record<string, unknown> | null },
) {
  const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  if (!org) throw notFound('Organisation');
  let fundId = input.fundId ?? null;
  if (input.campaignId) fundId = (await getCampaign(db, orgId, input.campaignId)).fundId;
  if (!fundId) fundId = (await ensureGeneralFund(db, orgId)).id;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await db
      .insert(paymentReferences)
      .values({
        orgId,
        code: newReferenceCode(org.shortCode),
        campaignId: input.campaignId ?? null,
        fundId,
        donorId: input.donorId ?? null,
        amountMinor: input.amountMinor ?? null,
        currency: 'VND',
        purpose: input.purpose ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
  }
  throw new Error('could not allocate a unique payment reference');
}

export interface StatementLinePreview {
  line: number;
  externalId: string;
  bookedOn: string;
  amountMinor: bigint;
  description: string;
  reference: string | null;
  action: 'donation' | 'queue' | 'duplicate' | 'skipped';
}

export interface StatementImportResult {
  dryRun: boolean;
  errors: { line: number; message: string }[];
  lines: StatementLinePreview[];
  donationsCreated: number;
  queued: number;
  duplicates: number;
  skipped: number;
  importId: string | null;
}

const COLUMNS = {
  date: ['date', 'ngay', 'ngay giao dich', 'booking date', 'transaction date', 'ngay hach toan'],
  amount: ['amount', 'so tien', 'credit', 'ghi co', 'so tien ghi co', 'so tien co'],
  description: ['description', 'noi dung', 'dien giai', 'mo ta', 'note', 'noi dung giao dich', 'transfer note'],
  id: ['transaction id', 'id', 'ma giao dich', 'so but toan', 'so tham chieu', 'reference', 'ma gd'],
  currency: ['currency', 'loai tien', 'tien te'],
};

function parseDate(s: string): string | null {
  const t = s.trim();
  let y: string, m: string, d: string;
  let r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (r) [, y, m, d] = r as unknown as [string, string, string, string];
  else if ((r = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) {
    y = r[3]!;
    m = r[2]!.padStart(2, '0');
    d = r[1]!.padStart(2, '0');
  } else return null;
  const iso = `${y}-${m}-${d}`;
  const dt = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(dt.getTime()) || dt.toISOString().slice(0, 10) !== iso) return null;
  return iso;
}

/** Statement amounts: "500.000", "500,000", "500000", "500,000.00"; debits (≤ 0 or "-…") are skipped. */
function parseStatementAmount(s: string): bigint | 'debit' | null {
  let t = s.trim().replace(/\s/g, '');
  if (!t) return 'debit';
  if (t.startsWith('-') || (t.startsWith('(') && t.endsWith(')'))) return 'debit';
  t = t.replace(/^\+/, '').replace(/[.,]00$/, '');
  const v = parseAmount(t, 'VND');
  if (v === null) return null;
  return v === 0n ? 'debit' : v;
}

/**
 * Imports a bank statement CSV (UTF-8, BOM or not). Every row is checked first; if any row
 * is malformed, the errors come back with their line numbers and nothing is written. Credit
 * lines whose note carries a known reference become donations at once; the others wait in
 * the reconciliation queue. Lines seen before (same bank transaction id) are skipped.
 */
export async function importBankStatement(
  db: Db,
  orgId: string,
  input: { csv: string; bankAccountId?: string | null; filename?: string | null; dryRun: boolean; createdBy?: string | null },
  ctx: RecordContext,
): Promise<StatementImportResult> {
  const result: StatementImportResult = { dryRun: input.dryRun, errors: [], lines: [], donationsCreated: 0, queued: 0, duplicates: 0, skipped: 0, importId: null };
  const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
  if (!org) throw notFound('Organisation');
  const account = input.bankAccountId
    ? (await db.select().from(bankAccounts).where(and(eq(bankAccounts.orgId, orgId), eq(bankAccounts.id, input.bankAccountId))))[0]
    : (await db.select().from(bankAccounts).where(and(eq(bankAccounts.orgId, orgId), eq(bankAccounts.isDefault, true))))[0];
  if (!account) throw invalid('Choose the bank account this statement belongs to.', [{ path: 'bankAccountId', message: 'unknown bank account' }]);

  let records;
  try {
    records = parseCsv(input.csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      result.errors.push({ line: err.line, message: err.message.replace(/^line \d+: /, '') });
      return result;
    }
    throw err;
  }
  if (records.length === 0) {
    result.errors.push({ line: 1, message: 'the file is empty' });
    return result;
  }
  const [head, ...rows] = records;
  const { index } = mapHeader(head!.cells, COLUMNS);
  for (const col of ['date', 'amount', 'description'] as const) {
    if (index[col] === undefined) result.errors.push({ line: head!.line, message: `missing column "${COLUMNS[col][0]}" (or ${COLUMNS[col].slice(1, 3).join(', ')})` });
  }
  if (result.errors.length) return result;

  const seenIds = new Map<string, number>();
  const parsed: (StatementLinePreview & { currency: string })[] = [];
  for (const r of rows) {
    const cell = (k: keyof typeof COLUMNS) => (index[k] === undefined ? '' : (r.cells[index[k]!] ?? '').trim());
    if (r.cells.length !== head!.cells.length) {
      result.errors.push({ line: r.line, message: `expected ${head!.cells.length} columns, found ${r.cells.length}` });
      continue;
    }
    const bookedOn = parseDate(cell('date'));
    const amount = parseStatementAmount(cell('amount'));
    const currency = (cell('currency') || 'VND').toUpperCase();
    const description = cell('description');
    if (!bookedOn) result.errors.push({ line: r.line, message: `"${cell('date').slice(0, 20)}" is not a date (YYYY-MM-DD or DD/MM/YYYY)` });
    if (amount === null) result.errors.push({ line: r.line, message: `"${cell('amount').slice(0, 20)}" is not an amount in đồng` });
    if (currency !== 'VND') result.errors.push({ line: r.line, message: `currency ${currency.slice(0, 5)}: only VND statements are supported` });
    if (!bookedOn || amount === null || currency !== 'VND') continue;
    // Without a bank transaction id, the line's own content (and its repeat count) identifies it.
    let externalId = cell('id');
    if (!externalId) {
      const base = `${bookedOn}|${amount === 'debit' ? 'D' : amount}|${description}`;
      const n = (seenIds.get(base) ?? 0) + 1;
      seenIds.set(base, n);
      externalId = `auto:${await sha256Short(base)}:${n}`;
    }
    if (amount === 'debit') {
      result.skipped++;
      result.lines.push({ line: r.line, externalId, bookedOn, amountMinor: 0n, description, reference: null, action: 'skipped' });
      continue;
    }
    const reference = detectReference(description, org.shortCode);
    parsed.push({ line: r.line, externalId, bookedOn, amountMinor: amount, description, reference, action: 'queue', currency });
  }
  if (result.errors.length) {
    result.lines = [];
    result.skipped = 0;
    return result;
  }

  const refs = new Map<string, typeof paymentReferences.$inferSelect>();
  const codes = [...new Set(parsed.map((p) => p.reference).filter((c): c is string => !!c))];
  if (codes.length) {
    const rows = await db.select().from(paymentReferences).where(and(eq(paymentReferences.orgId, orgId), sql`${paymentReferences.code} in ${codes}`));
    for (const r of rows) refs.set(r.code, r);
  }
  const existing = new Set(
    parsed.length
      ? (
          await db
            .select({ id: bankStatementLines.externalId })
            .from(bankStatementLines)
            .where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.bankAccountId, account.id), sql`${bankStatementLines.externalId} in ${parsed.map((p) => p.externalId)}`))
        ).map((r) => r.id)
      : [],
  );
  for (const p of parsed) {
    p.action = existing.has(p.externalId) ? 'duplicate' : p.reference && refs.has(p.reference) ? 'donation' : 'queue';
    if (p.reference && !refs.has(p.reference)) p.reference = null;
  }
  result.lines.push(...parsed.map(({ currency: _c, ...rest }) => rest));
  result.lines.sort((a, b) => a.line - b.line);
  if (input.dryRun) {
    for (const p of parsed) {
      if (p.action === 'donation') result.donationsCreated++;
      else if (p.action === 'queue') result.queued++;
      else result.duplicates++;
    }
    return result;
  }

  await db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [imp] = await tx
      .insert(bankStatementImports)
      .values({ orgId, bankAccountId: account.id, filename: input.filename ?? null, lineCount: parsed.length, createdBy: input.createdBy ?? null })
      .returning();
    result.importId = imp!.id;
    for (const p of parsed) {
      const [line] = await tx
        .insert(bankStatementLines)
        .values({
          orgId,
          importId: imp!.id,
          bankAccountId: account.id,
          lineNo: p.line,
          externalId: p.externalId,
          bookedOn: p.bookedOn,
          amountMinor: p.amountMinor,
          currency: 'VND',
          description: p.description.slice(0, 500),
          detectedReference: p.reference,
          status: 'pending',
        })
        .onConflictDoNothing()
        .returning();
      if (!line) {
        p.action = 'duplicate';
        result.duplicates++;
        continue;
      }
      const ref = p.reference ? refs.get(p.reference) : undefined;
      if (!ref) {
        p.action = 'queue';
        result.queued++;
        continue;
      }
      const { donation } = await recordDonation(
        tx,
        {
          orgId,
          donorId: ref.donorId,
          campaignId: ref.campaignId,
          fundId: ref.fundId,
          channel: 'bank_transfer',
          amountMinor: p.amountMinor,
          currency: 'VND',
          receivedAt: vietnamDayStart(p.bookedOn),
          reference: ref.code,
          externalId: p.externalId,
          paymentReferenceId: ref.id,
          bankStatementLineId: line.id,
          purpose: ref.purpose,
          createdBy: input.createdBy ?? null,
        },
        ctx,
      );
      await tx.update(bankStatementLines).set({ status: 'matched', donationId: donation.id }).where(eq(bankStatementLines.id, line.id));
      p.action = 'donation';
      result.donationsCreated++;
    }
  });
  result.lines = result.lines.map((l) => parsed.find((p) => p.line === l.line) ?? l).map(({ currency: _c, ...rest }: StatementLinePreview & { currency?: string }) => rest);
  return result;
}

async function sha256Short(s: string) {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function reconciliationQueue(db: Db, orgId: string, status: 'pending' | 'matched' | 'dismissed' = 'pending') {
  return db
    .select()
    .from(bankStatementLines)
    .where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.status, status)))
    .orderBy(asc(bankStatementLines.bookedOn), asc(bankStatementLines.lineNo))
    .limit(500);
}

/**
 * Staff decide that a waiting line is a gift from a donor (existing or new) to a campaign or
 * fund. The line is claimed with a conditional UPDATE: two staff cannot both turn it into a gift.
 */
export async function matchStatementLine(
  db: Db,
  orgId: string,
  lineId: string,
  input: { donorId?: string | null; newDonor?: { name: string; email?: string | null } | null; campaignId?: string | null; fundId?: string | null; anonymous?: boolean },
  ctx: RecordContext & { userId: string | null; now: Date },
) {
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [line] = await tx
      .update(bankStatementLines)
      .set({ status: 'matched', resolvedBy: ctx.userId, resolvedAt: ctx.now })
      .where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.id, lineId), eq(bankStatementLines.status, 'pending')))
      .returning();
    if (!line) {
      const [any] = await tx.select({ id: bankStatementLines.id }).from(bankStatementLines).where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.id, lineId)));
      if (!any) throw notFound('Statement line');
      throw conflict('This line has already been matched or dismissed.');
    }
    let donorId = input.donorId ?? null;
    if (donorId) await getDonor(tx, orgId, donorId);
    else if (input.newDonor?.name?.trim()) {
      const nd = input.newDonor;
      donorId = nd.email?.trim()
        ? (await findOrCreateDonorByEmail(tx, orgId, { name: nd.name, email: nd.email })).id
        : (await createDonor(tx, orgId, { name: nd.name })).id;
    }
    let fundId = input.fundId ?? null;
    if (input.campaignId) fundId = (await getCampaign(tx, orgId, input.campaignId)).fundId;
    if (!fundId) fundId = (await ensureGeneralFund(tx, orgId)).id;
    const { donation } = await recordDonation(
      tx,
      {
        orgId,
        donorId,
        campaignId: input.campaignId ?? null,
        fundId,
        channel: 'bank_transfer',
        amountMinor: line.amountMinor,
        currency: line.currency,
        receivedAt: vietnamDayStart(line.bookedOn),
        externalId: line.externalId,
        bankStatementLineId: line.id,
        anonymous: input.anonymous ?? false,
        note: line.description.slice(0, 200),
        createdBy: ctx.userId,
      },
      ctx,
    );
    await tx.update(bankStatementLines).set({ donationId: donation.id }).where(eq(bankStatementLines.id, line.id));
    return donation;
  });
}

export async function dismissStatementLine(db: Db, orgId: string, lineId: string, reason: string, ctx: { userId: string | null; now: Date }) {
  if (!reason.trim()) throw invalid('Say why the line is dismissed.', [{ path: 'reason', message: 'required' }]);
  const [line] = await db
    .update(bankStatementLines)
    .set({ status: 'dismissed', dismissReason: reason.trim().slice(0, 300), resolvedBy: ctx.userId, resolvedAt: ctx.now })
    .where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.id, lineId), eq(bankStatementLines.status, 'pending')))
    .returning();
  if (!line) {
    const [any] = await db.select({ id: bankStatementLines.id }).from(bankStatementLines).where(and(eq(bankStatementLines.orgId, orgId), eq(bankStatementLines.id, lineId)));
    if (!any) throw notFound('Statement line');
    throw conflict('This line has already been matched or dismissed.');
  }
  return line;
}
