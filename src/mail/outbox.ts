import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { outbox, type OutboxAttachment } from '../db/schema';
import type { Db } from '../db/types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/log';
import { MailSendError, type Mailer } from './mailer';
import { bytesToBase64 } from '../lib/base64';

export interface EnqueueMail {
  orgId?: string | null;
  to: string;
  locale: string;
  template: string;
  subject: string;
  html: string;
  text: string;
  attachments?: OutboxAttachment[];
  /** One message per key, ever (e.g. "receipt:<donation id>"). */
  dedupeKey?: string;
}

/** Call inside the business transaction; delivery happens later, outside it. */
export async function enqueueMail(db: Db, mail: EnqueueMail): Promise<{ id: string | null; duplicate: boolean }> {
  const rows = await db
    .insert(outbox)
    .values({
      orgId: mail.orgId ?? null,
      toAddress: mail.to,
      locale: mail.locale,
      template: mail.template,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      attachments: mail.attachments ?? null,
      dedupeKey: mail.dedupeKey ?? null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return { id: rows[0]?.id ?? null, duplicate: rows.length === 0 };
}

/**
 * Draws an attachment stored as `render` when its message is sent: the file's bytes. `orgId` is
 * the message's own organisation: a source naming another is refused.
 */
export type AttachmentRenderer = (db: Db, source: { kind: string } & Record<string, unknown>, message: { orgId: string | null }) => Promise<Uint8Array>;

/** An attachment that can never be drawn (a malformed source, a donor who is gone): its message is not retried. */
export class AttachmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentError';
  }
}

/** Every attachment as bytes, base64: those stored as `render` drawn now. */
async function attachmentsToSend(db: Db, message: { orgId: string | null; attachments: OutboxAttachment[] | null }, render: AttachmentRenderer | undefined) {
  const list = message.attachments;
  if (!list?.length) return undefined;
  const out: { filename: string; contentType: string; contentBase64: string }[] = [];
  for (const a of list) {
    if ('contentBase64' in a) out.push({ filename: a.filename, contentType: a.contentType, contentBase64: a.contentBase64 });
    else {
      if (!render) throw new Error(`no renderer for a ${a.render.kind} attachment`);
      out.push({ filename: a.filename, contentType: a.contentType, contentBase64: bytesToBase64(await render(db, a.render, { orgId: message.orgId })) });
    }
  }
  return out;
}

export const MAX_ATTEMPTS = 6;
/** Backoff after attempt n (1-based): 1, 5, 15, 60, 240 minutes. */
export function backoffMs(attempt: number): number {
  const minutes = [1, 5, 15, 60, 240][Math.min(attempt, 5) - 1] ?? 240;
  return minutes * 60_000;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  dead: number;
  skipped: boolean;
}

/**
 * Sends due messages. Each message is claimed with a short lease (locked_until) in its own
 * statement so two senders never send the same one; the provider also gets the outbox id as
 * idempotency key, so a crash after sending cannot cause a second delivery.
 */
export async function deliverOutbox(
  db: Db,
  deps: { mailer: Mailer; clock: Clock; from: string; logger: Logger; renderAttachment?: AttachmentRenderer },
  opts: { limit?: number } = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, dead: 0, skipped: false };
  if (deps.mailer.kind === 'none') {
    result.skipped = true;
    return result;
  }
  const now = deps.clock.now();
  const due = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
      ),
    )
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(opts.limit ?? 50);

  for (const { id } of due) {
    const lease = new Date(now.getTime() + 2 * 60_000);
    const [claimed] = await db
      .update(outbox)
      .set({ lockedUntil: lease, attempts: sql`${outbox.attempts} + 1` })
      .where(
        and(
          eq(outbox.id, id),
          eq(outbox.status, 'pending'),
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .returning();
    if (!claimed) continue;
    try {
      const sent = await deps.mailer.send({
        from: deps.from,
        to: claimed.toAddress,
        subject: claimed.subject,
        html: claimed.html,
        text: claimed.text,
        attachments: await attachmentsToSend(db, claimed, deps.renderAttachment),
        idempotencyKey: claimed.id,
      });
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: deps.clock.now(), providerMessageId: sent.providerMessageId, lockedUntil: null, lastError: null })
        .where(eq(outbox.id, id));
      result.sent++;
      deps.logger.info('mail.sent', { outboxId: id, template: claimed.template });
    } catch (err) {
      const retryable = err instanceof MailSendError ? err.retryable : !(err instanceof AttachmentError);
      const message = err instanceof Error ? err.message : String(err);
      const dead = !retryable || claimed.attempts >= MAX_ATTEMPTS;
      await db
        .update(outbox)
        .set({
          status: dead ? 'dead' : 'pending',
          lastError: message.slice(0, 500),
          lockedUntil: null,
          nextAttemptAt: new Date(deps.clock.now().getTime() + backoffMs(claimed.attempts)),
        })
        .where(eq(outbox.id, id));
      if (dead) result.dead++;
      else result.retried++;
      deps.logger.warn(dead ? 'mail.dead_lettered' : 'mail.retry_scheduled', {
        outboxId: id,
        template: claimed.template,
        attempts: claimed.attempts,
        error: message.slice(0, 200),
      });
    }
  }
  return result;
}

/** Staff can put a dead-lettered message back in the queue. */
export async function requeueMail(db: Db, orgId: string, id: string, clock: Clock) {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: clock.now(), lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.orgId, orgId), eq(outbox.status, 'dead')))
    .returning({ id: outbox.id });
  return rows.length === 1;
}
