import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { startRecordingServer } from '../support/recording-server';
import { createStripeStandIn, stripeApiResponder, stripeEvent, signStripePayload } from '../support/stripe-standin';
import { parseConfig } from '../../src/config/config';
import { createPayments } from '../../src/payments/stripe';
import { createCampaign } from '../../src/giving/campaigns';
import { donations } from '../../src/db/schema';
import { runScheduledJobs } from '../../src/jobs';

/** The real Stripe SDK over HTTP (STRIPE_API_BASE) against a local recording server. */
const env = { STRIPE_SECRET_KEY: 'sk_test_http_node', STRIPE_WEBHOOK_SECRET: 'whsec_http_node' };
let h: Harness;
let server: Awaited<ReturnType<typeof startRecordingServer>>;
const standIn = createStripeStandIn();
beforeAll(async () => {
  server = await startRecordingServer(stripeApiResponder(standIn));
  const config = parseConfig({ APP_ENV: 'test', ...env, STRIPE_API_BASE: server.url });
  h = await createHarness({ env: { ...env, STRIPE_API_BASE: server.url }, payments: createPayments(config) });
  await createCampaign(h.db, h.demo.orgId, { slug: 'http', title: 'HTTP', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
});
afterAll(async () => {
  await h?.close();
  await server?.close();
});

describe('Stripe over HTTP', () => {
  it('creates the Checkout Session with our key, an idempotency key and zero-decimal VND, then settles from the balance transaction', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/campaigns/http/checkout', { method: 'POST', json: { amountMinor: 500000, name: 'Hồ Văn Nam', email: 'nam.ho@example.org' } });
    expect(res.status).toBe(201);
    const create = server.requests.find((r) => r.path === '/v1/checkout/sessions')!;
    expect(create.method).toBe('POST');
    expect(create.headers.authorization).toBe('Bearer sk_test_http_node');
    expect(String(create.headers['idempotency-key'])).toMatch(/^sechia-checkout-/);
    const params = new URLSearchParams(create.body);
    expect(params.get('line_items[0][price_data][unit_amount]')).toBe('500000');
    const sessionId = [...standIn.sessions.keys()].at(-1)!;
    const event = stripeEvent('checkout.session.completed', standIn.completeSession(sessionId), { created: Math.floor(h.clock.now().getTime() / 1000) });
    const payload = JSON.stringify(event);
    const hook = await h.fetch('http://localhost:8787/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await signStripePayload(payload, env.STRIPE_WEBHOOK_SECRET, Math.floor(h.clock.now().getTime() / 1000)) },
      body: payload,
    });
    expect(hook.status).toBe(200);
    const lookup = server.requests.find((r) => r.path.startsWith('/v1/payment_intents/'))!;
    expect(lookup.method).toBe('GET');
    expect(decodeURIComponent(lookup.path)).toContain('expand[0]=latest_charge.balance_transaction');
    const [d] = await h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
    expect(d).toMatchObject({ amountMinor: 500_000n, settlementStatus: 'settled', feeMinor: 15_000n, netMinor: 485_000n });
  });

  it('the scheduled job retries a settlement Stripe could not answer', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/campaigns/http/checkout', { method: 'POST', json: { amountMinor: 300000, name: 'Hồ Văn Nam', email: 'nam.ho@example.org' } });
    expect(res.status).toBe(201);
    const sessionId = [...standIn.sessions.keys()].at(-1)!;
    const done = standIn.completeSession(sessionId);
    standIn.setFailing(true);
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', done, { created: Math.floor(h.clock.now().getTime() / 1000) }));
    await h.fetch('http://localhost:8787/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await signStripePayload(payload, env.STRIPE_WEBHOOK_SECRET, Math.floor(h.clock.now().getTime() / 1000)) },
      body: payload,
    });
    let [d] = await h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
    expect(d!.settlementStatus).toBe('pending');
    standIn.setFailing(false);
    const r = await runScheduledJobs(h.deps);
    expect(r.settlement.settled).toBe(1);
    [d] = await h.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
    expect(d!.settlementStatus).toBe('settled');
  });
});
