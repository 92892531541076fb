import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { campaigns, checkoutSessions } from '../db/schema';
import type { Db } from '../db/types';
import type { Logger } from '../lib/log';
import type { Payments } from '../payments/stripe';
import { writeAudit, type AuditEntry } from '../auth/audit';
import { conflict, notFound, ProblemError } from '../http/problem';
import { isUuid } from '../lib/ids';
import { inTransaction } from '../db/retry';

/**
 * Monthly gifts: a card gift made with "monthly" is a Stripe subscription, one checkout row, and
 * a donation for each paid invoice. The donor (in the portal) or finance staff (on the donor's
 * page) can stop one; Stripe then charges no more, and its `customer.subscription.deleted`
 * event later finds the gift already marked as ended.
 */
export interface MonthlyGift {
  checkoutId: string;
  campaignTitle: string | null;
  campaignTitleEn: string | null;
  currency: string;
  /** What each month's payment is. */
  amountMinor: bigint;
  startedAt: Date | null;
  /** Payments received so far, and the last one. */
  payments: number;
  lastPaidAt: Date | null;
  endedAt: Date | null;
}

/** A donor's monthly gifts, those still running first, then newest first. */
export async function monthlyGiftsOfDonor(db: Db, orgId: string, donorId: string): Promise<MonthlyGift[]> {
  const rows = await db
    .select({
      co: checkoutSessions,
      title: campaigns.title,
      titleEn: campaigns.titleEn,
      payments: sql<number>`(select count(*) from donations d where d.org_id = ${checkoutSessions.orgId} and d.checkout_id = ${checkoutSessions.id})`.mapWith(Number),
      lastPaidAt: sql<string | null>`(select max(d.received_at) from donations d where d.org_id = ${checkoutSessions.orgId} and d.checkout_id = ${checkoutSessions.id})`,
    })
    .from(checkoutSessions)
    .leftJoin(campaigns, and(eq(campaigns.id, checkoutSessions.campaignId), eq(campaigns.orgId, checkoutSessions.orgId)))
    .where(and(eq(checkoutSessions.orgId, orgId), eq(checkoutSessions.donorId, donorId), eq(checkoutSessions.mode, 'subscription'), eq(checkoutSessions.status, 'completed'), isNotNull(checkoutSessions.stripeSubscriptionId)))
    .orderBy(sql`${checkoutSessions.subscriptionEndedAt} is not null`, desc(checkoutSessions.completedAt));
  return rows.map((r) => ({
    checkoutId: r.co.id,
    campaignTitle: r.title,
    campaignTitleEn: r.titleEn,
    currency: r.co.currency,
    amountMinor: r.co.unitAmountMinor * BigInt(r.co.quantity),
    startedAt: r.co.completedAt,
    payments: r.payments,
    lastPaidAt: r.lastPaidAt ? new Date(r.lastPaidAt) : null,
    endedAt: r.co.subscriptionEndedAt,
  }));
}

/**
 * Stops a donor's monthly gift: Stripe cancels the subscription now (no further charge, nothing
 * refunded), then the gift is marked as ended, with an audit entry naming who stopped it. When
 * Stripe cannot be reached nothing changes and the caller gets a 502 to show; without Stripe keys,
 * a 503 that says so.
 */
export async function stopMonthlyGift(
  db: Db,
  payments: Payments | null,
  input: { orgId: string; donorId: string; checkoutId: string; by: Pick<AuditEntry, 'actorKind' | 'actorId'>; now: Date; requestId?: string },
  deps: { logger: Logger },
): Promise<{ endedAt: Date; alreadyEnded: boolean }> {
  if (!isUuid(input.checkoutId)) throw notFound('Monthly gift');
  const [row] = await db
    .select()
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.id, input.checkoutId), eq(checkoutSessions.orgId, input.orgId), eq(checkoutSessions.donorId, input.donorId), eq(checkoutSessions.mode, 'subscription'), eq(checkoutSessions.status, 'completed')));
  if (!row || !row.stripeSubscriptionId) throw notFound('Monthly gift');
  if (row.subscriptionEndedAt) return { endedAt: row.subscriptionEndedAt, alreadyEnded: true };
  if (!payments) throw new ProblemError(503, 'Card payment is not configured here (STRIPE_SECRET_KEY), so a monthly gift cannot be stopped online. Please contact the centre.');
  try {
    await payments.stripe.subscriptions.cancel(row.stripeSubscriptionId, {}, { idempotencyKey: `sechia-stop-${row.id}` });
  } catch (err) {
    // Stripe refuses to cancel a subscription twice (cancelled from its dashboard, say, before
    // its event reached us): it has ended only if Stripe itself says so when asked.
    let cancelled = false;
    try {
      cancelled = (await payments.stripe.subscriptions.retrieve(row.stripeSubscriptionId)).status === 'canceled';
    } catch {
      cancelled = false;
    }
    if (!cancelled) {
      deps.logger.warn('stripe.subscription_cancel_failed', { checkoutId: row.id, error: err instanceof Error ? err.name : 'unknown' });
      throw new ProblemError(502, 'The card payment service did not answer, so the monthly gift is still running. Please try again.');
    }
  }
  const result = await inTransaction(db, async (tx) => {
    const [ended] = await tx
      .update(checkoutSessions)
      .set({ subscriptionEndedAt: input.now })
      .where(and(eq(checkoutSessions.id, row.id), sql`${checkoutSessions.subscriptionEndedAt} is null`))
      .returning({ endedAt: checkoutSessions.subscriptionEndedAt });
    if (!ended) {
      // A webhook marked it ended meanwhile.
      const [now] = await tx.select({ endedAt: checkoutSessions.subscriptionEndedAt }).from(checkoutSessions).where(eq(checkoutSessions.id, row.id));
      if (!now?.endedAt) throw conflict('The monthly gift changed while it was being stopped. Please try again.');
      return { endedAt: now.endedAt, alreadyEnded: true };
    }
    await writeAudit(tx, { orgId: input.orgId, ...input.by, action: 'monthly_gift.stopped', subjectType: 'checkout_session', subjectId: row.id, requestId: input.requestId, data: { donorId: input.donorId } });
    return { endedAt: ended.endedAt!, alreadyEnded: false };
  });
  if (!result.alreadyEnded) deps.logger.info('monthly_gift.stopped', { checkoutId: row.id, by: input.by.actorKind });
  return result;
}
