import { and, desc, eq, sql } from 'drizzle-orm';
import { outbox, paymentEventsReview } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { METADATA } from '../giving/checkout';

/**
 * What staff must look at: mail the provider kept refusing (dead-lettered), payment events
 * under review, and the health of the Stripe inbox. Everything is scoped to one organisation.
 */

/** `nguyen.an@gmail.com` → `ng***@gmail.com`: enough to recognise, not enough to reuse. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  const local = address.slice(0, at);
  return `${local.slice(0, local.length > 2 ? 2 : 1)}***${address.slice(at)}`;
}

/** Provider errors can quote the recipient ("invalid `to`: …"): mask any address in them. */
export const maskEmailsIn = (text: string) => text.replace(/[^\s<>"'`:,;()[\]]+@[^\s<>"'`:,;()[\]]+/g, maskEmail);

/** Dead-lettered messages of the organisation; the address leaves this module masked only. */
export async function deadLetteredMail(db: Db, orgId: string, limit = 100) {
  const rows = await db
    .select({ id: outbox.id, template: outbox.template, to: outbox.toAddress, attempts: outbox.attempts, lastError: outbox.lastError, createdAt: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.orgId, orgId), eq(outbox.status, 'dead')))
    .orderBy(desc(outbox.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, to: maskEmail(r.to), lastError: r.lastError ? maskEmailsIn(r.lastError).slice(0, 300) : null }));
}

export async function mailCounts(db: Db, orgId: string) {
  const [r] = await queryRows<{ pending: string; dead: string }>(
    db,
    sql`select count(*) filter (where status = 'pending') as pending, count(*) filter (where status = 'dead') as dead
        from outbox where org_id = ${orgId} and status in ('pending', 'dead')`,
  );
  return { pending: Number(r?.pending ?? 0), dead: Number(r?.dead ?? 0) };
}

/**
 * Events still waiting in the Stripe inbox for this organisation. A pending event has no
 * org_id yet (it is set when the event is applied), so it counts as ours when the checkout
 * metadata we gave Stripe names us anywhere in the payload (session, invoice, subscription,
 * payment intent). Events that name no organisation are shown to none. The payload is kept as
 * json (the exact body); the path query reads it as jsonb, for the few events still pending.
 */
export async function stripeInboxHealth(db: Db, orgId: string, now: Date) {
  const [r] = await queryRows<{ pending: string; failing: string; oldest: string | Date | null }>(
    db,
    sql`select count(*) as pending, count(*) filter (where attempts > 0) as failing, min(received_at) as oldest
        from stripe_events
        where outcome = 'pending'
          and (org_id = ${orgId}
               or (org_id is null and jsonb_path_exists(payload::jsonb, ${`$.**.${METADATA.org} ? (@ == $org)`}::jsonpath, jsonb_build_object('org', ${orgId}::text))))`,
  );
  const oldest = r?.oldest ? new Date(r.oldest) : null;
  return {
    pending: Number(r?.pending ?? 0),
    failing: Number(r?.failing ?? 0),
    oldestAgeMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null,
  };
}

/** For the dashboard: is there anything at all? */
export async function attentionSummary(db: Db, orgId: string) {
  const [r] = await queryRows<{ dead: string; open: string }>(
    db,
    sql`select (select count(*) from outbox where org_id = ${orgId} and status = 'dead') as dead,
               (select count(*) from ${paymentEventsReview} where org_id = ${orgId} and status = 'open') as open`,
  );
  return { deadMail: Number(r?.dead ?? 0), openReview: Number(r?.open ?? 0) };
}
