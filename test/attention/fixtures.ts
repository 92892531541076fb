import { outbox, paymentEventsReview, stripeEvents } from '../../src/db/schema';
import type { Harness } from '../support/harness';
import { HOUR } from '../../src/lib/clock';

let seq = 0;
const uniq = (p: string) => `${p}_${Date.now().toString(36)}${(++seq).toString(36)}`;

/** A message the provider kept refusing, as deliverOutbox leaves it. */
export async function deadMail(h: Harness, orgId: string | null, opts: { to?: string; template?: string; lastError?: string; status?: 'dead' | 'pending' | 'sent' } = {}) {
  const [row] = await h.db
    .insert(outbox)
    .values({
      orgId,
      toAddress: opts.to ?? 'nguyen.thi.lan@gmail.com',
      template: opts.template ?? 'receipt',
      subject: 'Biên nhận',
      html: '<p>x</p>',
      text: 'x',
      status: opts.status ?? 'dead',
      attempts: opts.status === 'pending' ? 0 : 6,
      lastError: opts.status === 'pending' ? null : (opts.lastError ?? 'Resend 500: internal_server_error'),
    })
    .returning();
  return row!;
}

/** A payment event under review, attributed to `orgId` (or to nobody). */
export async function reviewItem(h: Harness, orgId: string | null, opts: { reason?: string; eventType?: string } = {}) {
  const eventId = uniq('evt_review');
  const [row] = await h.db
    .insert(paymentEventsReview)
    .values({ orgId, eventId, eventType: opts.eventType ?? 'checkout.session.completed', reason: opts.reason ?? 'unknown_session', payload: { id: eventId, customer_details: { email: 'payer@example.org' } } })
    .returning();
  return row!;
}

/** An event still waiting in the Stripe inbox; `claims` is the organisation its metadata names. */
export async function pendingEvent(h: Harness, claims: string | null, opts: { attempts?: number; ageMs?: number } = {}) {
  const id = uniq('evt_pending');
  const metadata = claims ? { sechia_org: claims } : {};
  await h.db.insert(stripeEvents).values({
    id,
    type: 'checkout.session.completed',
    livemode: false,
    stripeCreatedAt: new Date(h.clock.now().getTime() - (opts.ageMs ?? HOUR)),
    receivedAt: new Date(h.clock.now().getTime() - (opts.ageMs ?? HOUR)),
    outcome: 'pending',
    payload: { id, type: 'checkout.session.completed', data: { object: { id: uniq('cs'), object: 'checkout.session', metadata } } },
    attempts: opts.attempts ?? 0,
    lastError: opts.attempts ? 'Error' : null,
  });
  return id;
}
