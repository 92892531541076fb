import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from '../giving/setup';
import { stripeEvent } from '../support/stripe-standin';
import { createCheckout } from '../../src/giving/checkout';
import { donations, outbox, paymentEventsReview, receipts, refunds, stripeEvents } from '../../src/db/schema';
import { MAX_EVENT_ATTEMPTS } from '../../src/giving/stripe-webhooks';
import { runScheduledJobs } from '../../src/jobs';
import { queryRows } from '../../src/db/types';

/**
 * Webhook chaos: duplicates, concurrency, out-of-order delivery and a database that fails while
 * the event is stored (the webhook answers 5xx) or while it is applied from the inbox (rolled
 * back whole, retried). In every case the final state must equal the fault-free one.
 */
let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
});
afterAll(() => g?.h.close());

const now = () => Math.floor(g.h.clock.now().getTime() / 1000);

async function checkout(email: string, amount = 600_000n) {
  return createCheckout(
    g.h.db,
    g.h.deps.payments,
    {
      orgId: g.h.demo.orgId,
      campaignId: g.campaign.id,
      fundId: g.campaign.fundId,
      donor: { name: 'Lê Văn Chaos', email, locale: 'vi' },
      currency: 'VND',
      unitAmountMinor: amount,
      interval: 'once',
      purpose: { kind: 'campaign', campaignId: g.campaign.id },
      productName: g.campaign.title,
      successUrl: 'http://localhost:8787/ok',
      cancelUrl: 'http://localhost:8787/no',
    },
    { logger: g.h.deps.logger },
  );
}

/** Everything a payment left behind, with ids removed so two payments can be compared. */
async function stateOf(sessionId: string, email: string) {
  const ds = await g.h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
  const ids = ds.map((d) => d.id);
  const ledger = ids.length
    ? await queryRows<{ account: string; total: string }>(
        g.h.db,
        sql`select e.account, sum(e.amount_minor)::text as total from ledger_entries e join ledger_postings p on p.id = e.posting_id
            where p.donation_id in ${ids} group by e.account order by e.account`,
      )
    : [];
  const rc = ids.length ? await g.h.db.select().from(receipts).where(sql`${receipts.donationId} in ${ids}`) : [];
  const rf = ids.length ? await g.h.db.select().from(refunds).where(sql`${refunds.donationId} in ${ids}`) : [];
  const mails = await g.h.db.select().from(outbox).where(eq(outbox.toAddress, email));
  return {
    donations: ds.map((d) => [d.amountMinor, d.currency]),
    ledger: Object.fromEntries(ledger.map((l) => [l.account, l.total])),
    receipts: rc.map((r) => [r.kind, r.amountMinor]).sort(),
    refunds: rf.map((r) => r.amountMinor).sort(),
    mails: mails.map((m) => m.template).sort(),
  };
}

async function injectFaults(table: string, times: number) {
  const seq = `chaos_seq_${table}_${Date.now()}`;
  await g.h.db.execute(sql.raw(`create sequence ${seq}`));
  await g.h.db.execute(
    sql.raw(`create or replace function chaos_fail_${table}() returns trigger language plpgsql as $$
      begin
        if nextval('${seq}') <= ${times} then raise exception 'injected fault'; end if;
        return new;
      end $$`),
  );
  await g.h.db.execute(sql.raw(`create trigger chaos_${table} before insert on ${table} for each row execute function chaos_fail_${table}()`));
  return async () => {
    await g.h.db.execute(sql.raw(`drop trigger chaos_${table} on ${table}`));
  };
}

describe('webhook chaos', () => {
  it('a database failure while storing the event answers 5xx, stores nothing, and the retry completes', async () => {
    const reference = await checkout('chaos.ref0@example.org', 500_000n);
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(reference.stripeSessionId), { created: now() }));
    const co = await checkout('chaos.ingest@example.org', 500_000n);
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const heal = await injectFaults('stripe_events', 1);
    const failed = await g.deliver(event);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await g.h.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id as string))).toHaveLength(0);
    expect(await stateOf(co.stripeSessionId, 'chaos.ingest@example.org')).toEqual({ donations: [], ledger: {}, receipts: [], refunds: [], mails: [] });
    // Stripe retries a 5xx.
    expect((await g.deliver(event)).status).toBe(200);
    await heal();
    expect(await stateOf(co.stripeSessionId, 'chaos.ingest@example.org')).toEqual(await stateOf(reference.stripeSessionId, 'chaos.ref0@example.org'));
  });

  it('a database failure while applying the event leaves no partial rows, keeps it pending, and the retry completes', async () => {
    const reference = await checkout('chaos.reference@example.org');
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(reference.stripeSessionId), { created: now() }));

    const co = await checkout('chaos.fault@example.org');
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    // The receipt is written after the donation and its ledger posting: fail there.
    const heal = await injectFaults('receipts', 1);
    const stored = await g.deliver(event);
    // The event is safely stored (Stripe gets its 200); applying it failed and rolled back whole.
    expect(stored.status).toBe(200);
    expect(await stateOf(co.stripeSessionId, 'chaos.fault@example.org')).toEqual({ donations: [], ledger: {}, receipts: [], refunds: [], mails: [] });
    const [pending] = await g.h.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id as string));
    expect(pending).toMatchObject({ outcome: 'pending', attempts: 1 });
    expect(pending!.lastError).toBeTruthy();
    await heal();

    // The scheduled run (or Stripe's redelivery) applies it.
    const run = await runScheduledJobs(g.h.deps);
    expect(run.stripeInbox).toEqual({ applied: 1, failed: 0, more: false });
    expect(await stateOf(co.stripeSessionId, 'chaos.fault@example.org')).toEqual(await stateOf(reference.stripeSessionId, 'chaos.reference@example.org'));
    // A late redelivery changes nothing.
    expect(await (await g.deliver(event)).json()).toMatchObject({ duplicate: true, outcome: 'processed' });
    expect(await stateOf(co.stripeSessionId, 'chaos.fault@example.org')).toEqual(await stateOf(reference.stripeSessionId, 'chaos.reference@example.org'));
  });

  it('10 concurrent deliveries while the database fails twice still give one donation', async () => {
    const reference = await checkout('chaos.ref2@example.org', 700_000n);
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(reference.stripeSessionId), { created: now() }));
    const co = await checkout('chaos.concurrent@example.org', 700_000n);
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const heal = await injectFaults('ledger_entries', 2);
    const results = await Promise.all(Array.from({ length: 10 }, () => g.deliver(event)));
    await heal();
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    // Whatever the failures left pending, the next run applies.
    await runScheduledJobs(g.h.deps);
    const [row] = await g.h.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id as string));
    expect(row!.outcome).toBe('processed');
    expect(await stateOf(co.stripeSessionId, 'chaos.concurrent@example.org')).toEqual(await stateOf(reference.stripeSessionId, 'chaos.ref2@example.org'));
  });

  it('an event that keeps failing goes to the staff review queue after the last attempt, never lost', async () => {
    const co = await checkout('chaos.dead@example.org', 800_000n);
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const heal = await injectFaults('receipts', MAX_EVENT_ATTEMPTS);
    expect((await g.deliver(event)).status).toBe(200);
    for (let i = 1; i < MAX_EVENT_ATTEMPTS; i++) await runScheduledJobs(g.h.deps);
    await heal();
    const [row] = await g.h.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id as string));
    expect(row).toMatchObject({ outcome: 'review', attempts: MAX_EVENT_ATTEMPTS });
    const [review] = await g.h.db.select().from(paymentEventsReview).where(eq(paymentEventsReview.eventId, event.id as string));
    expect(review).toMatchObject({ status: 'open', reason: `processing_failed_${MAX_EVENT_ATTEMPTS}_times`, orgId: g.h.demo.orgId });
    expect(await stateOf(co.stripeSessionId, 'chaos.dead@example.org')).toEqual({ donations: [], ledger: {}, receipts: [], refunds: [], mails: [] });
  });

  it('a refund delivered before the payment ends in the same state as in order', async () => {
    const inOrder = await checkout('chaos.inorder@example.org', 900_000n);
    const paidA = g.stripe.completeSession(inOrder.stripeSessionId);
    await g.deliver(stripeEvent('checkout.session.completed', paidA, { created: now() }));
    await g.deliver(stripeEvent('charge.refunded', g.stripe.refundedCharge(paidA.payment_intent as string, [{ id: 're_chaos_a', amount: 400_000 }]), { created: now() }));

    const reversed = await checkout('chaos.reversed@example.org', 900_000n);
    const paidB = g.stripe.completeSession(reversed.stripeSessionId);
    const refundB = stripeEvent('charge.refunded', g.stripe.refundedCharge(paidB.payment_intent as string, [{ id: 're_chaos_b', amount: 400_000 }]), { created: now() });
    expect((await g.deliver(refundB)).status).toBe(200);
    expect((await g.deliver(stripeEvent('checkout.session.completed', paidB, { created: now() }))).status).toBe(200);
    // A late duplicate of the refund changes nothing.
    expect((await g.deliver(refundB)).status).toBe(200);

    const a = await stateOf(inOrder.stripeSessionId, 'chaos.inorder@example.org');
    const b = await stateOf(reversed.stripeSessionId, 'chaos.reversed@example.org');
    expect(b).toEqual(a);
    expect(b.refunds).toEqual([400_000n]);
  });
});
