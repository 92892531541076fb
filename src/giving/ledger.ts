import { and, eq, inArray, sql } from 'drizzle-orm';
import { funds, ledgerEntries, ledgerPostings } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { inTransaction } from '../db/retry';
import { invalid } from '../http/problem';

/**
 * Chart of accounts. Debits are positive, credits negative; every posting sums to zero per
 * currency (checked here and, at commit, by a constraint trigger). Money accounts are assets;
 * a fund's balance is the sum of its money accounts. Later capabilities post to the same ledger:
 * `programme_expense` when a gift package is delivered, `transfers` when restricted money moves
 * between funds, `in_kind_*` for goods at their value.
 */
export const LEDGER_ACCOUNTS = {
  cash: 'money',
  bank: 'money',
  stripe_balance: 'money',
  donations_income: 'income',
  refunds: 'contra_income',
  stripe_fees: 'expense',
  programme_expense: 'expense',
  transfers: 'transfer',
  fx_conversion: 'clearing',
  in_kind_goods: 'goods',
  in_kind_income: 'income',
  in_kind_distributed: 'expense',
} as const;

export type LedgerAccount = keyof typeof LEDGER_ACCOUNTS;
/** Also listed in the day totals' SQL (migration 0016, `sechia_ledger_day_totals_select`). */
export const MONEY_ACCOUNTS = (Object.keys(LEDGER_ACCOUNTS) as LedgerAccount[]).filter((a) => LEDGER_ACCOUNTS[a] === 'money');

export interface LedgerLine {
  fundId: string;
  account: LedgerAccount;
  /** Minor units; debit positive, credit negative. */
  amountMinor: bigint;
  currency: string;
}

export interface PostingOptions {
  /** Makes the posting happen once per organisation, e.g. "donation:<id>". Defaults to a fresh key. */
  key?: string;
  kind?: string;
  memo?: string | null;
  donationId?: string | null;
  occurredAt?: Date;
  createdBy?: string | null;
}

/** Sums per currency; a balanced posting has only zeros. */
export function imbalance(entries: LedgerLine[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const e of entries) sums.set(e.currency, (sums.get(e.currency) ?? 0n) + e.amountMinor);
  for (const [k, v] of sums) if (v === 0n) sums.delete(k);
  return sums;
}

/**
 * Posts one balanced group of ledger lines. Returns `duplicate: true` (and writes nothing) when
 * a posting with the same key exists: retried webhooks and double-clicked forms post once.
 */
export async function postLedgerEntries(
  db: Db,
  orgId: string,
  entries: LedgerLine[],
  opts: PostingOptions = {},
): Promise<{ postingId: string | null; duplicate: boolean }> {
  const [result] = await postLedgerBatch(db, orgId, [{ entries, ...opts }]);
  return result!;
}

/**
 * Posts several balanced postings with one statement for their lines, so the day totals they
 * add to are locked once, in one order (the trigger sorts its upserts): a transaction posting
 * per unit, statement by statement, takes those row locks in an order another transaction can
 * cross, and PostgreSQL then kills one of them as a deadlock. Each posting keeps its own key and
 * is a duplicate (nothing written for it) when that key was posted before.
 */
export async function postLedgerBatch(
  db: Db,
  orgId: string,
  postings: (PostingOptions & { entries: LedgerLine[] })[],
): Promise<{ postingId: string | null; duplicate: boolean }[]> {
  if (postings.length === 0) return [];
  for (const p of postings) {
    const entries = p.entries;
    if (entries.length < 2) throw invalid('A ledger posting needs at least two lines.');
    for (const e of entries) {
      if (!(e.account in LEDGER_ACCOUNTS)) throw invalid(`Unknown ledger account ${e.account}.`);
      if (typeof e.amountMinor !== 'bigint' || e.amountMinor === 0n) throw invalid('Ledger amounts are non-zero integers (bigint).');
      if (!/^[A-Z]{3}$/.test(e.currency)) throw invalid(`Bad currency ${e.currency}.`);
    }
    const off = imbalance(entries);
    if (off.size > 0) {
      throw invalid(`The posting does not balance: ${[...off].map(([c, v]) => `${c} ${v}`).join(', ')}.`);
    }
  }
  const keyed = postings.map((p) => ({ ...p, key: p.key ?? `manual:${crypto.randomUUID()}`, occurredAt: p.occurredAt ?? new Date() }));
  if (new Set(keyed.map((p) => p.key)).size !== keyed.length) throw invalid('Two postings of one batch share a key.');
  const fundIds = [...new Set(postings.flatMap((p) => p.entries.map((e) => e.fundId)))];
  // Inside a caller's transaction no savepoint: everything that can refuse (the checks above,
  // the fund look-up) does so before the first write.
  return inTransaction(db, (tx) => writePostings(tx, orgId, keyed, fundIds));
}

async function writePostings(
  tx: Db,
  orgId: string,
  keyed: (PostingOptions & { entries: LedgerLine[]; key: string; occurredAt: Date })[],
  fundIds: string[],
): Promise<{ postingId: string | null; duplicate: boolean }[]> {
  const owned = await tx.select({ id: funds.id }).from(funds).where(and(eq(funds.orgId, orgId), inArray(funds.id, fundIds)));
  if (owned.length !== fundIds.length) throw invalid('A ledger line names a fund of another organisation or none.');
  const inserted = await tx
    .insert(ledgerPostings)
    .values(
      keyed.map((p) => ({
        orgId,
        key: p.key,
        kind: p.kind ?? 'manual',
        memo: p.memo ?? null,
        donationId: p.donationId ?? null,
        occurredAt: p.occurredAt,
        createdBy: p.createdBy ?? null,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: ledgerPostings.id, key: ledgerPostings.key });
  const idByKey = new Map(inserted.map((r) => [r.key, r.id]));
  const lines = keyed.flatMap((p) => {
    const postingId = idByKey.get(p.key);
    if (!postingId) return [];
    return p.entries.map((e) => ({ orgId, postingId, fundId: e.fundId, account: e.account, amountMinor: e.amountMinor, currency: e.currency, occurredAt: p.occurredAt }));
  });
  if (lines.length) await tx.insert(ledgerEntries).values(lines);
  return keyed.map((p) => {
    const postingId = idByKey.get(p.key) ?? null;
    return { postingId, duplicate: postingId === null };
  });
}

/**
 * Money held in each fund, per currency: the sum of its money accounts. Read from the ledger's
 * day totals (kept by the ledger's own trigger in the same transaction, so exactly the lines'
 * sum), a few thousand rows for a large fund instead of its every line.
 */
export async function fundBalances(db: Db, orgId: string, fundId?: string): Promise<Map<string, Record<string, bigint>>> {
  const rows = await queryRows<{ fund_id: string; currency: string; total: string }>(
    db,
    sql`select fund_id, currency, sum(amount_minor)::text as total from ledger_day_totals
        where org_id = ${orgId} ${fundId ? sql`and fund_id = ${fundId}` : sql``}
          and account in (${sql.join(
            MONEY_ACCOUNTS.map((a) => sql`${a}`),
            sql`, `,
          )})
        group by fund_id, currency order by fund_id, currency`,
  );
  const out = new Map<string, Record<string, bigint>>();
  for (const r of rows) {
    const fund = out.get(r.fund_id) ?? {};
    fund[r.currency] = BigInt(r.total);
    out.set(r.fund_id, fund);
  }
  return out;
}

/** Money held in one fund, per currency. */
export async function fundBalance(db: Db, orgId: string, fundId: string): Promise<Record<string, bigint>> {
  return (await fundBalances(db, orgId, fundId)).get(fundId) ?? {};
}

/** Every account of a fund (or of every fund) with its total, from the day totals as above. */
export async function fundAccountTotals(db: Db, orgId: string, fundId?: string) {
  const rows = await queryRows<{ fund_id: string; account: string; currency: string; total: string }>(
    db,
    sql`select fund_id, account, currency, sum(amount_minor)::text as total from ledger_day_totals
        where org_id = ${orgId} ${fundId ? sql`and fund_id = ${fundId}` : sql``}
        group by fund_id, account, currency order by fund_id, account, currency`,
  );
  return rows.map((r) => ({ fundId: r.fund_id, account: r.account, currency: r.currency, total: BigInt(r.total) }));
}

/** Moves restricted (or general) money from one fund to another; the cash stays where it is. */
export async function transferBetweenFunds(
  db: Db,
  orgId: string,
  input: { fromFundId: string; toFundId: string; amountMinor: bigint; currency: string; account?: 'bank' | 'cash' | 'stripe_balance'; key?: string; memo?: string; createdBy?: string | null; occurredAt?: Date },
) {
  if (input.fromFundId === input.toFundId) throw invalid('Choose two different funds.');
  if (input.amountMinor <= 0n) throw invalid('The amount must be positive.');
  const money = input.account ?? 'bank';
  return postLedgerEntries(
    db,
    orgId,
    [
      { fundId: input.fromFundId, account: 'transfers', amountMinor: input.amountMinor, currency: input.currency },
      { fundId: input.fromFundId, account: money, amountMinor: -input.amountMinor, currency: input.currency },
      { fundId: input.toFundId, account: money, amountMinor: input.amountMinor, currency: input.currency },
      { fundId: input.toFundId, account: 'transfers', amountMinor: -input.amountMinor, currency: input.currency },
    ],
    { key: input.key, kind: 'transfer', memo: input.memo, createdBy: input.createdBy, occurredAt: input.occurredAt },
  );
}

/**
 * Day totals (`ledger_day_totals`, kept by a trigger on every ledger insert) that disagree with a
 * fresh sum of the organisation's ledger. Always empty; tests and the load run check it.
 */
export async function ledgerDayTotalsDrift(db: Db, orgId: string) {
  return queryRows<{ day: string; fund_id: string; currency: string; account: string; channel: string; moving: boolean; stored: string | null; fresh: string | null }>(
    db,
    sql`select * from sechia_ledger_day_totals_drift(${orgId})`,
  );
}

/** Recomputes an organisation's day totals from its ledger (after a bulk load, or a repair). */
export async function rebuildLedgerDayTotals(db: Db, orgId: string) {
  await db.transaction(async (tx) => {
    await (tx as unknown as Db).execute(sql`select sechia_ledger_day_totals_rebuild(${orgId})`);
  });
}
