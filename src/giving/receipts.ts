import { and, asc, eq, sql } from 'drizzle-orm';
import { receiptCounters, receipts } from '../db/schema';
import type { Db } from '../db/types';
import { vietnamYear } from './money';

export function receiptCode(shortCode: string, year: number, n: number) {
  return `${shortCode}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * Issues the next receipt number of the organisation's year. Call inside the transaction that
 * records the donation or refund: the counter row is locked until commit, so numbers are
 * sequential, and a rollback takes the number back with it (no gaps, no reuse).
 */
export async function issueReceipt(
  tx: Db,
  input: {
    orgId: string;
    shortCode: string;
    donationId: string;
    refundId?: string | null;
    kind: 'receipt' | 'correction';
    amountMinor: bigint;
    currency: string;
    issuedAt: Date;
  },
) {
  const year = vietnamYear(input.issuedAt);
  const [counter] = await tx
    .insert(receiptCounters)
    .values({ orgId: input.orgId, year, lastNumber: 1 })
    .onConflictDoUpdate({ target: [receiptCounters.orgId, receiptCounters.year], set: { lastNumber: sql`${receiptCounters.lastNumber} + 1` } })
    .returning({ n: receiptCounters.lastNumber });
  const n = counter!.n;
  const [row] = await tx
    .insert(receipts)
    .values({
      orgId: input.orgId,
      donationId: input.donationId,
      refundId: input.refundId ?? null,
      kind: input.kind,
      year,
      number: n,
      code: receiptCode(input.shortCode, year, n),
      amountMinor: input.amountMinor,
      currency: input.currency,
      issuedAt: input.issuedAt,
    })
    .returning();
  return row!;
}

export async function receiptsOfDonation(db: Db, orgId: string, donationId: string) {
  return db
    .select()
    .from(receipts)
    .where(and(eq(receipts.orgId, orgId), eq(receipts.donationId, donationId)))
    .orderBy(asc(receipts.year), asc(receipts.number));
}
