import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { drainStripeInbox, ingestStripeEvent, kickStripeInbox, YIELD_TO_DELIVERIES_MS } from '../../src/giving/stripe-webhooks';
import { inboxDeps } from '../../src/giving/webhook-route';
import { createGivingHarness, type GivingHarness } from './setup';
import { dbKind } from '../support/harness';
import { stripeEvent } from '../support/stripe-standin';
import { createCheckout } from '../../src/giving/checkout';
import { checkoutSessions, donations, ledgerEntries, outbox, paymentEventsReview, receipts, refunds, stripeEvents } from '../../src/db/schema';
import { fundBalance } from '../../src/giving/ledger';
import { queryRows } from '../../src/db/types';

let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
});
afterAll(() => g?.h.close());

const orgId = () => g.h.demo.orgId;

async function checkout(opts: { amount?: bigint; currency?: string; interval?: 'once' | 'month'; email?: string; campaign?: 'vnd' | 'usd' } = {}) {
  const c = opts.campaign === 'usd' ? g.usdCampaign : g.campaign;
  return createCheckout(
    g.h.db,
    g.h.deps.payments,
    {
      orgId: orgId(),
      campaignId: c.id,
      fundId: c.fundId,
      donor: { name: 'Trần Thị Mai', email: opts.email ?? 'mai.tran@example.org', locale: 'vi' },
      currency: opts.currency ?? c.currency,
      unitAmountMinor: opts.amount ?? 500_000n,
      interval: opts.interval ?? 'once',
      purpose: { kind: 'campaign', campaignId: c.id },
      productName: c.title,
      successUrl: 'http://localhost:8787/c/hai-phong/x/thanks',
      cancelUrl: 'http://localhost:8787/c/hai-phong/x',
    },
    { logger: g.h.deps.logger },
  );
}

const now = () => Math.floor(g.h.clock.now().getTime() / 1000);

async function donationsFor(sessionId: string) {
  return g.h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
}

describe('checkout.session.completed, exactly once', () => {
  it('creates the checkout row before calling Stripe and sends VND amounts unmultiplied', async () => {
    const before = g.stripe.requests.length;
    const co = await checkout({ amount: 500_000n });
    const req = g.stripe.requests.slice(before).find((r) => r.path === '/v1/checkout/sessions')!;
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('500000');
    expect(req.params.get('line_items[0][price_data][currency]')).toBe('vnd');
    expect(req.params.get('metadata[sechia_checkout]')).toBe(co.checkoutId);
    expect(req.params.get('metadata[sechia_org]')).toBe(orgId());
    expect(req.params.get('client_reference_id')).toBe(co.checkoutId);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, co.checkoutId));
    expect(row).toMatchObject({ status: 'open', stripeSessionId: co.stripeSessionId, unitAmountMinor: 500_000n, currency: 'VND' });
  });

  it('the same signed event delivered 5 times in a row gives one donation, one receipt and one email', async () => {
    const co = await checkout({ amount: 500_000n, email: 'five.times@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const bodies = [];
    for (let i = 0; i < 5; i++) {
      const res = await g.deliver(event);
      expect(res.status).toBe(200);
      bodies.push(await res.json());
    }
    expect(bodies.map((b) => (b as { duplicate: boolean }).duplicate)).toEqual([false, true, true, true, true]);
    const ds = await donationsFor(co.stripeSessionId);
    expect(ds).toHaveLength(1);
    const d = ds[0]!;
    // VND is zero-decimal: 500000 from Stripe is 500 000 đồng, never 50 000 000.
    expect(d.amountMinor).toBe(500_000n);
    expect(d.currency).toBe('VND');
    const rs = await g.h.db.select().from(receipts).where(eq(receipts.donationId, d.id));
    expect(rs).toHaveLength(1);
    const mails = await g.h.db.select().from(outbox).where(eq(outbox.dedupeKey, `receipt:${d.id}`));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe('five.times@example.org');
    expect(mails[0]!.subject).toContain(rs[0]!.code);
    expect(mails[0]!.text).toContain('500.000');
    const [{ n }] = (await queryRows<{ n: string }>(g.h.db, sql`select count(*)::text as n from outbox where to_address = 'five.times@example.org'`)) as [{ n: string }];
    expect(n).toBe('1');
    // Settled from the balance transaction after the webhook: gross, 3% fee, net.
    expect(d.settlementStatus === 'settled' || (await refetch(d.id)).settlementStatus === 'settled').toBe(true);
    const settled = await refetch(d.id);
    expect(settled).toMatchObject({ feeMinor: 15_000n, netMinor: 485_000n, settlementCurrency: 'VND', baseAmountMinor: 500_000n });
    expect(await fundBalance(g.h.db, orgId(), g.campaign.fundId)).toMatchObject({ VND: expect.any(BigInt) });
  });

  it('the same event delivered 10 times concurrently gives one donation and one receipt email', async () => {
    const co = await checkout({ amount: 1_000_000n, email: 'ten.at.once@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const results = await Promise.all(Array.from({ length: 10 }, () => g.deliver(event)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { duplicate: boolean }[];
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    const ds = await donationsFor(co.stripeSessionId);
    expect(ds).toHaveLength(1);
    const mails = await g.h.db.select().from(outbox).where(eq(outbox.toAddress, 'ten.at.once@example.org'));
    expect(mails).toHaveLength(1);
    const postings = await queryRows<{ n: string }>(g.h.db, sql`select count(*)::text as n from ledger_postings where donation_id = ${ds[0]!.id} and kind = 'donation'`);
    expect(postings[0]!.n).toBe('1');
  });

  it('a burst of 20 payments, each delivered twice at once, stores each event once with its body and gives 20 donations', async () => {
    const cos = await Promise.all(Array.from({ length: 20 }, (_, i) => checkout({ amount: 100_000n + BigInt(i), email: `burst${i}@example.org` })));
    const events = cos.map((co) => stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }));
    const results = await Promise.all(events.flatMap((e) => [g.deliver(e), g.deliver(e)]));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { duplicate: boolean }[];
    // Exactly one of the two deliveries of each event is the first.
    for (let i = 0; i < 20; i++) expect([bodies[2 * i]!.duplicate, bodies[2 * i + 1]!.duplicate].sort()).toEqual([false, true]);
    const stored = await queryRows<{ id: string; payload: unknown }>(g.h.db, sql`select id, payload from stripe_events where id in ${events.map((e) => e.id)}`);
    expect(stored).toHaveLength(20);
    for (const e of events) expect(stored.find((r) => r.id === e.id)!.payload).toEqual(JSON.parse(JSON.stringify(e)));
    for (const co of cos) expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
  });

  it('keeps the body Stripe signed byte for byte (its indentation and key order), and applies it', async () => {
    const co = await checkout({ amount: 321_000n, email: 'exact.body@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    // As Stripe sends it: indented, and here with the keys in an order of its own.
    const body = JSON.stringify({ type: event.type, ...event }, null, 2);
    const res = await g.deliver(body);
    expect(res.status).toBe(200);
    const [row] = await queryRows<{ body: string }>(g.h.db, sql`select payload::text as body from stripe_events where id = ${event.id}`);
    expect(row!.body).toBe(body);
    const [d] = await donationsFor(co.stripeSessionId);
    expect(d!.amountMinor).toBe(321_000n);
  });

  it('the stored event is compressed with lz4 where the database has it (pglz elsewhere), and reads back as sent', async () => {
    const co = await checkout({ amount: 322_000n, email: 'lz4.body@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const body = JSON.stringify(event, null, 2);
    expect((await g.deliver(body)).status).toBe(200);
    expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
    const [{ lz4 }] = (await queryRows<{ lz4: boolean }>(
      g.h.db,
      sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    )) as [{ lz4: boolean }];
    const method = lz4 ? 'lz4' : 'pglz';
    // Only rows past the ~2 KB threshold are compressed at all: this one is.
    const [ev] = await queryRows<{ m: string | null; n: number }>(g.h.db, sql`select pg_column_compression(payload) as m, octet_length(payload::text) as n from stripe_events where id = ${event.id}`);
    expect(ev!.n).toBeGreaterThan(2100);
    expect(ev!.m).toBe(method);
    // Read back as sent.
    const [row] = await queryRows<{ body: string }>(g.h.db, sql`select payload::text as body from stripe_events where id = ${event.id}`);
    expect(row!.body).toBe(body);
  });

  it('deliveries that arrive in one turn are stored by one insert, each answered for its own event', async () => {
    const cos = await Promise.all(Array.from({ length: 5 }, (_, i) => checkout({ amount: 150_000n + BigInt(i), email: `turn${i}@example.org` })));
    const events = cos.map((co) => stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }) as Stripe.Event);
    const stored = await Promise.all([...events, events[2]!].map((e) => ingestStripeEvent(g.h.db, g.h.deps, e)));
    expect(stored.map((r) => r.duplicate)).toEqual([false, false, false, false, false, true]);
    // One insert: every row was written by the same transaction (one xmin).
    const rows = await queryRows<{ id: string; xid: string; body: unknown }>(
      g.h.db,
      sql`select id, xmin::text as xid, payload as body from stripe_events where ${inArray(stripeEvents.id, events.map((e) => e.id))}`,
    );
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.xid)).size).toBe(1);
    // Each row holds its own event.
    for (const r of rows) expect(r.body).toEqual(JSON.parse(JSON.stringify(events.find((e) => e.id === r.id))));
    await kickStripeInbox(g.h.db, inboxDeps(g.h.deps, g.h.db));
    for (const co of cos) expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
  });

  it('a backlog larger than one drain’s limit is applied by the same kick, not left for the cron', async () => {
    const cos = await Promise.all(Array.from({ length: 8 }, (_, i) => checkout({ amount: 200_000n + BigInt(i), email: `backlog${i}@example.org` })));
    const events = cos.map((co) => stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }));
    for (const e of events) await ingestStripeEvent(g.h.db, g.h.deps, e as Stripe.Event);
    // One drain stops at its limit of two events; the kick goes on until the inbox is empty.
    await kickStripeInbox(g.h.db, inboxDeps(g.h.deps, g.h.db), { limit: 2 });
    const left = await g.h.db.select().from(stripeEvents).where(and(inArray(stripeEvents.id, events.map((e) => e.id)), eq(stripeEvents.outcome, 'pending')));
    expect(left).toEqual([]);
    for (const co of cos) expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
  });

  // PGlite is one connection: no other transaction can hold an event there.
  it.skipIf(dbKind() === 'pglite')('a drain takes the next event while the oldest is being applied elsewhere, without counting it against its limit', async () => {
    const [held, next] = await Promise.all([checkout({ amount: 220_000n, email: 'held@example.org' }), checkout({ amount: 230_000n, email: 'next@example.org' })]);
    const heldEvent = stripeEvent('checkout.session.completed', g.stripe.completeSession(held.stripeSessionId), { created: now() - 30 }) as Stripe.Event;
    const nextEvent = stripeEvent('checkout.session.completed', g.stripe.completeSession(next.stripeSessionId), { created: now() - 20 }) as Stripe.Event;
    await ingestStripeEvent(g.h.db, g.h.deps, heldEvent);
    await ingestStripeEvent(g.h.db, g.h.deps, nextEvent);
    const deps = inboxDeps(g.h.deps, g.h.db);
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // Another worker (a Worker request, the cron) is applying the older event: its row is locked.
    const elsewhere = g.h.db.transaction(async (tx) => {
      await tx.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, heldEvent.id)).for('update');
      locked();
      await released;
    });
    await isLocked;
    let drained;
    try {
      drained = await drainStripeInbox(g.h.db, deps, { limit: 1 });
    } finally {
      release();
      await elsewhere;
    }
    expect(drained).toEqual({ applied: 1, failed: 0, more: true });
    expect(await donationsFor(next.stripeSessionId)).toHaveLength(1);
    expect(await donationsFor(held.stripeSessionId)).toHaveLength(0);
    // Released (that worker gave up): the next drain applies it.
    await kickStripeInbox(g.h.db, deps);
    expect(await donationsFor(held.stripeSessionId)).toHaveLength(1);
  });

  it('applying waits while a burst of deliveries is being stored, catches up after it, and is not starved by a long one', async () => {
    const burstIds: string[] = [];
    const pglite = dbKind() === 'pglite';
    let n = 0;
    // The test clock stands still: the payment is received a minute before the burst's deliveries.
    const shifted = (ms: number) => ({ clock: { now: () => new Date(g.h.clock.now().getTime() + ms) } });
    // Three senders delivering one event after another on the same handle (a type that is
    // acknowledged and ignored), so that a delivery is always being stored or queued. PGlite
    // answers in microtasks only, so there each sender lets timers run between deliveries; that
    // makes gaps whose length depends on the machine's load, so the timing is asserted only where
    // deliveries go through real I/O (postgres, workerd) and PGlite checks the outcome alone.
    const burst = async (ms: number) => {
      const end = Date.now() + ms;
      await Promise.all(
        [0, 1, 2].map(async () => {
          while (Date.now() < end) {
            if (pglite) await new Promise((r) => setTimeout(r, 0));
            const e = stripeEvent('customer.created', { id: `cus_burst_${n++}`, object: 'customer' }, { created: now() + 60 }) as Stripe.Event;
            burstIds.push(e.id);
            await ingestStripeEvent(g.h.db, shifted(60_000), e);
          }
        }),
      );
      return Date.now();
    };
    const applyPaymentDuring = async (burstMs: number, email: string) => {
      const co = await checkout({ amount: 210_000n, email });
      await ingestStripeEvent(g.h.db, shifted(-60_000), stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() - 60 }) as Stripe.Event);
      const deps = inboxDeps(g.h.deps, g.h.db);
      let appliedAt: number | null = null;
      const draining = (async () => {
        await new Promise((r) => setTimeout(r, 50)); // the burst is under way
        // The payment is the oldest pending event: a drain of one applies just it.
        return drainStripeInbox(g.h.db, { ...deps, afterApplied: async (ids) => ((appliedAt ??= Date.now()), deps.afterApplied?.(ids)) }, { limit: 1 });
      })();
      const burstEnded = await burst(burstMs);
      await draining;
      expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
      // Every delivery of the burst was stored once. The ignored deliveries are not this test's
      // subject: set aside, so that the inbox holds nothing older than the next payment.
      const stored = await queryRows<{ n: number }>(g.h.db, sql`select count(*)::int as n from stripe_events where id in ${burstIds}`);
      expect(stored[0]!.n).toBe(burstIds.length);
      await g.h.db.update(stripeEvents).set({ outcome: 'ignored', processedAt: new Date() }).where(inArray(stripeEvents.id, burstIds.splice(0)));
      return { appliedAt: appliedAt!, burstEnded };
    };
    // A short burst: the payment is applied only once the deliveries have stopped.
    const short = await applyPaymentDuring(400, 'after.burst@example.org');
    if (!pglite) expect(short.appliedAt).toBeGreaterThanOrEqual(short.burstEnded);
    // A burst longer than a drainer waits: applied while deliveries still arrive.
    const long = await applyPaymentDuring(YIELD_TO_DELIVERIES_MS + 1500, 'during.burst@example.org');
    if (!pglite) expect(long.appliedAt).toBeLessThan(long.burstEnded);
  });

  it('different events about the same payment (completed + async_payment_succeeded, out of order) still give one donation', async () => {
    const co = await checkout({ amount: 300_000n, email: 'async@example.org' });
    const paid = g.stripe.completeSession(co.stripeSessionId);
    const succeeded = stripeEvent('checkout.session.async_payment_succeeded', paid, { created: now() });
    const completed = stripeEvent('checkout.session.completed', paid, { created: now() - 5 });
    const rs = await Promise.all([g.deliver(succeeded), g.deliver(completed), g.deliver(succeeded)]);
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await donationsFor(co.stripeSessionId)).toHaveLength(1);
    expect(await g.h.db.select().from(outbox).where(eq(outbox.toAddress, 'async@example.org'))).toHaveLength(1);
  });

  it('an unpaid (async) completion waits; async_payment_failed marks it failed and records no money', async () => {
    const co = await checkout({ amount: 200_000n, email: 'slow@example.org' });
    const unpaid = g.stripe.completeSession(co.stripeSessionId, { paid: false });
    expect((await g.deliver(stripeEvent('checkout.session.completed', unpaid, { created: now() }))).status).toBe(200);
    let [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, co.checkoutId));
    expect(row!.status).toBe('awaiting_payment');
    expect((await g.deliver(stripeEvent('checkout.session.async_payment_failed', unpaid, { created: now() }))).status).toBe(200);
    [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, co.checkoutId));
    expect(row!.status).toBe('failed');
    expect(await donationsFor(co.stripeSessionId)).toHaveLength(0);
  });
});

describe('reuse for gift-package sponsorship', () => {
  it('a checkout with a quantity and a package-drive purpose records both on the donation', async () => {
    const co = await createCheckout(
      g.h.db,
      g.h.deps.payments,
      {
        orgId: orgId(),
        campaignId: null,
        fundId: g.general.id,
        donor: { name: 'Nhóm công chức thiện nguyện', email: 'group@example.org', locale: 'vi', kind: 'group' },
        currency: 'VND',
        unitAmountMinor: 500_000n,
        quantity: 25,
        interval: 'once',
        purpose: { kind: 'package_drive', driveId: '00000000-0000-4000-8000-000000000025', quantity: 25 },
        productName: 'Suất quà Trung thu',
        successUrl: 'http://localhost:8787/thanks',
        cancelUrl: 'http://localhost:8787/',
      },
      { logger: g.h.deps.logger },
    );
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][quantity]')).toBe('25');
    expect(JSON.parse(req.params.get('metadata[sechia_purpose]')!)).toMatchObject({ kind: 'package_drive', quantity: 25 });
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }));
    const [d] = await donationsFor(co.stripeSessionId);
    expect(d).toMatchObject({ amountMinor: 12_500_000n, quantity: 25, fundId: g.general.id, purpose: { kind: 'package_drive', quantity: 25 } });
  });
});

describe('signature checks', () => {
  it('a bad signature gets 400 and stores nothing', async () => {
    const co = await checkout({ email: 'forged@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    const eventsBefore = await g.h.db.select().from(stripeEvents);
    const wrongSecret = await g.deliver(event, { secret: 'whsec_someone_else' });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.headers.get('content-type')).toMatch(/problem\+json/);
    const garbage = await g.deliver(event, { signature: 't=1,v1=deadbeef' });
    expect(garbage.status).toBe(400);
    const missing = await g.h.fetch('http://localhost:8787/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(missing.status).toBe(400);
    expect(await g.h.db.select().from(stripeEvents)).toHaveLength(eventsBefore.length);
    expect(await donationsFor(co.stripeSessionId)).toHaveLength(0);
  });

  it('a stale timestamp (replay) gets 400 and stores nothing', async () => {
    const co = await checkout({ email: 'replay@example.org' });
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() - 3600 });
    const res = await g.deliver(event, { timestamp: now() - 3600 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/tolerance/);
    expect(await g.h.db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(0);
    expect(await donationsFor(co.stripeSessionId)).toHaveLength(0);
  });
});

describe('refunds', () => {
  it('a partial refund then a full refund leave the right net, corrected receipts and ledger', async () => {
    const co = await checkout({ amount: 1_000_000n, email: 'refund@example.org' });
    const paid = g.stripe.completeSession(co.stripeSessionId);
    await g.deliver(stripeEvent('checkout.session.completed', paid, { created: now() }));
    const [d] = await donationsFor(co.stripeSessionId);
    const pi = paid.payment_intent as string;

    const partial = g.stripe.refundedCharge(pi, [{ id: 're_test_partial_1', amount: 300_000 }]);
    const full = g.stripe.refundedCharge(pi, [{ id: 're_test_partial_1', amount: 300_000 }, { id: 're_test_rest_1', amount: 700_000 }]);
    const e1 = stripeEvent('charge.refunded', partial, { created: now() });
    const e2 = stripeEvent('charge.refunded', full, { created: now() + 1 });
    // Partial, then full, then both again (retries): two refunds, never more.
    for (const e of [e1, e2, e1, e2]) expect((await g.deliver(e)).status).toBe(200);

    const rs = await g.h.db.select().from(refunds).where(eq(refunds.donationId, d!.id));
    expect(rs.map((r) => r.amountMinor).sort()).toEqual([300_000n, 700_000n]);
    const rc = await g.h.db.select().from(receipts).where(eq(receipts.donationId, d!.id));
    expect(rc.map((r) => [r.kind, r.amountMinor])).toEqual(
      expect.arrayContaining([
        ['receipt', 1_000_000n],
        ['correction', 700_000n],
        ['correction', 0n],
      ]),
    );
    const corrections = await g.h.db.select().from(outbox).where(and(eq(outbox.toAddress, 'refund@example.org'), eq(outbox.template, 'receipt_correction')));
    expect(corrections).toHaveLength(2);
    // Each corrected receipt names itself and the receipt it replaces.
    const original = rc.find((r) => r.kind === 'receipt')!.code;
    for (const c of rc.filter((r) => r.kind === 'correction')) {
      expect(corrections.find((m) => m.subject.includes(c.code))?.subject).toContain(original);
    }

    const lines = await g.h.db
      .select({ account: ledgerEntries.account, total: sql<string>`sum(${ledgerEntries.amountMinor})::text` })
      .from(ledgerEntries)
      .innerJoin(sql`ledger_postings p`, sql`p.id = ${ledgerEntries.postingId}`)
      .where(sql`p.donation_id = ${d!.id}`)
      .groupBy(ledgerEntries.account);
    const by = Object.fromEntries(lines.map((l) => [l.account, BigInt(l.total)]));
    expect(by.donations_income).toBe(-1_000_000n);
    expect(by.refunds).toBe(1_000_000n);
    expect(by.stripe_fees).toBe(30_000n);
    // Money left for this gift: gross − fee − refunds (Stripe keeps its fee on a refund).
    expect(by.stripe_balance).toBe(-30_000n);
  });

  it('refunds reported only by the cumulative amount_refunded are applied once, in any order', async () => {
    const co = await checkout({ amount: 800_000n, email: 'cumulative@example.org' });
    const paid = g.stripe.completeSession(co.stripeSessionId);
    await g.deliver(stripeEvent('checkout.session.completed', paid, { created: now() }));
    const pi = paid.payment_intent as string;
    const half = stripeEvent('charge.refunded', g.stripe.refundedCharge(pi, [{ amount: 400_000 }], { withList: false }), { created: now() });
    const all = stripeEvent('charge.refunded', g.stripe.refundedCharge(pi, [{ amount: 400_000 }, { amount: 400_000 }], { withList: false }), { created: now() });
    await Promise.all([g.deliver(all), g.deliver(half), g.deliver(all)]);
    await g.deliver(half);
    const [d] = await donationsFor(co.stripeSessionId);
    const rs = await g.h.db.select().from(refunds).where(eq(refunds.donationId, d!.id));
    expect(rs.reduce((a, r) => a + r.amountMinor, 0n)).toBe(800_000n);
  });
});

describe('monthly gifts', () => {
  it("three invoice.paid events of one subscription give three donations; cancellation is recorded", async () => {
    const co = await checkout({ amount: 200_000n, interval: 'month', email: 'monthly@example.org' });
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('mode')).toBe('subscription');
    expect(req.params.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    expect(req.params.get('subscription_data[metadata][sechia_checkout]')).toBe(co.checkoutId);
    const session = g.stripe.completeSession(co.stripeSessionId);
    const invoices = [1, 2, 3].map((n) => g.stripe.paidInvoice(session, n));
    // The first invoice can arrive before the session's completion.
    await g.deliver(stripeEvent('invoice.paid', invoices[0]!, { created: now() }));
    await g.deliver(stripeEvent('checkout.session.completed', session, { created: now() }));
    await g.deliver(stripeEvent('invoice.paid', invoices[0]!, { created: now() }));
    for (const inv of invoices.slice(1)) {
      const e = stripeEvent('invoice.paid', inv, { created: now() });
      await Promise.all([g.deliver(e), g.deliver(e)]);
    }
    const ds = await g.h.db.select().from(donations).where(eq(donations.checkoutId, co.checkoutId));
    expect(ds).toHaveLength(3);
    expect(ds.every((d) => d.recurring && d.amountMinor === 200_000n && d.currency === 'VND')).toBe(true);
    expect(new Set(ds.map((d) => d.stripeInvoiceId)).size).toBe(3);
    expect(await g.h.db.select().from(outbox).where(eq(outbox.toAddress, 'monthly@example.org'))).toHaveLength(3);
    // Settled through the invoice's payment.
    const settled = await g.h.db.select().from(donations).where(and(eq(donations.checkoutId, co.checkoutId), eq(donations.settlementStatus, 'settled')));
    expect(settled).toHaveLength(3);

    const sub = { ...(await import('../support/stripe-standin')).fixture('subscription'), id: session.subscription, status: 'canceled', metadata: session.metadata, ended_at: now() };
    expect((await g.deliver(stripeEvent('customer.subscription.deleted', sub, { created: now() }))).status).toBe(200);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, co.checkoutId));
    expect(row!.subscriptionEndedAt).not.toBeNull();
  });
});

describe('currencies and settlement', () => {
  it('a USD gift records cents, then its VND settlement with rate, fee and a balanced conversion', async () => {
    const co = await checkout({ amount: 2_500n, campaign: 'usd', email: 'overseas@example.org' });
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('2500');
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }));
    const [d] = await donationsFor(co.stripeSessionId);
    expect(d).toMatchObject({ amountMinor: 2_500n, currency: 'USD', settlementStatus: 'settled', settlementCurrency: 'VND', exchangeRate: '25000', baseAmountMinor: 625_000n, feeMinor: 25_000n, netMinor: 600_000n });
    const bal = await fundBalance(g.h.db, orgId(), g.usdCampaign.fundId);
    expect(bal.USD ?? 0n).toBe(0n);
    expect(bal.VND).toBe(600_000n);
  });

  it('JPY is zero-decimal too', async () => {
    const co = await checkout({ amount: 5_000n, currency: 'JPY', email: 'tokyo@example.org' });
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('5000');
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() }));
    const [d] = await donationsFor(co.stripeSessionId);
    expect(d).toMatchObject({ amountMinor: 5_000n, currency: 'JPY', baseAmountMinor: 825_000n });
  });

  it('when Stripe cannot be reached, the gift is recorded anyway and settles on a later run', async () => {
    const co = await checkout({ amount: 400_000n, email: 'later@example.org' });
    g.stripe.setFailing(true);
    const event = stripeEvent('checkout.session.completed', g.stripe.completeSession(co.stripeSessionId), { created: now() });
    g.stripe.setFailing(true);
    expect((await g.deliver(event)).status).toBe(200);
    let [d] = await donationsFor(co.stripeSessionId);
    expect(d!.settlementStatus).toBe('pending');
    g.stripe.setFailing(false);
    const { settlePendingDonations } = await import('../../src/giving/stripe-webhooks');
    await settlePendingDonations(g.h.db, g.h.deps);
    [d] = await donationsFor(co.stripeSessionId);
    expect(d!.settlementStatus).toBe('settled');
    expect(d!.feeMinor).toBe(12_000n);
  });
});

describe('events we do not act on', () => {
  it('an unknown event type gets 200 and is ignored', async () => {
    const e = stripeEvent('plan.created', { id: 'plan_x', object: 'plan' }, { created: now() });
    const res = await g.deliver(e);
    expect(res.status).toBe(200);
    // Stored, answered, then applied from the inbox: as ignored.
    expect(await res.json()).toMatchObject({ received: true, duplicate: false, outcome: 'pending' });
    expect(await outcomeOf(e.id as string)).toBe('ignored');
    expect(await (await g.deliver(e)).json()).toMatchObject({ duplicate: true, outcome: 'ignored' });
  });

  it('a session we never created, or another account, is kept for review', async () => {
    const foreign = g.stripe.completeSession((await checkout({ email: 'acct@example.org' })).stripeSessionId);
    const stranger = { ...foreign, id: 'cs_test_not_ours', metadata: {}, client_reference_id: null };
    const e1 = stripeEvent('checkout.session.completed', stranger, { created: now() });
    expect((await g.deliver(e1)).status).toBe(200);
    expect(await outcomeOf(e1.id as string)).toBe('review');
    const e2 = stripeEvent('checkout.session.completed', foreign, { created: now(), account: 'acct_someone_else' });
    expect((await g.deliver(e2)).status).toBe(200);
    expect(await outcomeOf(e2.id as string)).toBe('review');
    const review = await g.h.db.select().from(paymentEventsReview);
    expect(review.map((r) => r.reason)).toEqual(expect.arrayContaining(['unknown_session', 'another_account']));
    expect(await donationsFor('cs_test_not_ours')).toHaveLength(0);
    expect(await donationsFor(foreign.id)).toHaveLength(0);
  });
});

async function outcomeOf(eventId: string) {
  const [e] = await g.h.db.select({ outcome: stripeEvents.outcome }).from(stripeEvents).where(eq(stripeEvents.id, eventId));
  return e?.outcome;
}

async function refetch(id: string) {
  const [d] = await g.h.db.select().from(donations).where(eq(donations.id, id));
  return d!;
}
