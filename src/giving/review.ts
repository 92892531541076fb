import { and, desc, eq, sql } from 'drizzle-orm';
import { paymentEventsReview } from '../db/schema';
import type { Db } from '../db/types';
import { writeAudit, type AuditEntry } from '../auth/audit';
import { conflict, invalid, notFound } from '../http/problem';

/**
 * The staff review queue of payment events we could not place (see stripe-webhooks.ts).
 * Only rows attributed to the organisation are ever listed to it: an event we could not tie
 * to any organisation (org_id NULL) may belong to another centre of the same deployment.
 */
export async function listPaymentReview(db: Db, orgId: string, opts: { limit?: number } = {}) {
  return db
    .select({
      id: paymentEventsReview.id,
      eventId: paymentEventsReview.eventId,
      eventType: paymentEventsReview.eventType,
      reason: paymentEventsReview.reason,
      status: paymentEventsReview.status,
      createdAt: paymentEventsReview.createdAt,
      resolvedAt: paymentEventsReview.resolvedAt,
      note: paymentEventsReview.resolutionNote,
    })
    .from(paymentEventsReview)
    .where(eq(paymentEventsReview.orgId, orgId))
    .orderBy(sql`${paymentEventsReview.status} = 'open' desc`, desc(paymentEventsReview.createdAt))
    .limit(opts.limit ?? 200);
}

export type PaymentReviewItem = Awaited<ReturnType<typeof listPaymentReview>>[number];

export const REVIEW_NOTE_MAX = 500;

/**
 * Marks an open item as dealt with: who, when and a short note, with its audit row, in one
 * transaction. The conditional update is the guard: two staff resolving at once get one
 * success and one 409.
 */
export async function resolvePaymentReview(
  db: Db,
  orgId: string,
  id: string,
  input: { note: string; userId: string | null; actor: Pick<AuditEntry, 'actorKind' | 'actorId'>; requestId?: string; now: Date },
) {
  const note = input.note.trim();
  if (!note) throw invalid('Write a short note on what was done.', [{ path: 'note', message: 'required' }]);
  if (note.length > REVIEW_NOTE_MAX) throw invalid(`The note is longer than ${REVIEW_NOTE_MAX} characters.`, [{ path: 'note', message: 'too long' }]);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [row] = await tx
      .update(paymentEventsReview)
      .set({ status: 'resolved', resolvedAt: input.now, resolvedBy: input.userId, resolutionNote: note })
      .where(and(eq(paymentEventsReview.id, id), eq(paymentEventsReview.orgId, orgId), eq(paymentEventsReview.status, 'open')))
      .returning();
    if (!row) {
      const [any] = await tx
        .select({ id: paymentEventsReview.id })
        .from(paymentEventsReview)
        .where(and(eq(paymentEventsReview.id, id), eq(paymentEventsReview.orgId, orgId)));
      if (!any) throw notFound('Payment event under review');
      throw conflict('This payment event has already been resolved.');
    }
    await writeAudit(tx, {
      orgId,
      ...input.actor,
      action: 'payment_review.resolved',
      subjectType: 'payment_events_review',
      subjectId: row.id,
      reason: note,
      requestId: input.requestId,
      data: { eventId: row.eventId, eventType: row.eventType, reason: row.reason },
      at: input.now,
    });
    return { id: row.id, eventId: row.eventId, eventType: row.eventType, reason: row.reason, status: row.status, createdAt: row.createdAt, resolvedAt: row.resolvedAt, note: row.resolutionNote };
  });
}
