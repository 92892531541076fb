import { createHarness, type Harness } from '../support/harness';
import { createStripeStandIn, signStripePayload, type StripeStandIn } from '../support/stripe-standin';
import { parseConfig } from '../../src/config/config';
import { createPayments } from '../../src/payments/stripe';
import { createCampaign, ensureGeneralFund, type Campaign, type Fund } from '../../src/giving/campaigns';

export const STRIPE_ENV = { STRIPE_SECRET_KEY: 'sk_test_sechia_local', STRIPE_WEBHOOK_SECRET: 'whsec_test_sechia_local' };

export interface GivingHarness {
  h: Harness;
  stripe: StripeStandIn;
  general: Fund;
  campaign: Campaign;
  usdCampaign: Campaign;
  /** Delivers an event to POST /webhooks/stripe, signed like Stripe (or with the given header). */
  /** Signs and posts an event; a string is sent as it is (Stripe's own bodies are indented JSON). */
  deliver(event: object | string, opts?: { timestamp?: number; signature?: string; secret?: string }): Promise<Response>;
}

/** The harness with Stripe configured against the in-process stand-in, and two active campaigns. */
export async function createGivingHarness(opts: { now?: string } = {}): Promise<GivingHarness> {
  const stripe = createStripeStandIn();
  const config = parseConfig({ APP_ENV: 'test', APP_URL: 'http://localhost:8787', ...STRIPE_ENV });
  const payments = createPayments(config, { fetch: stripe.fetch });
  const h = await createHarness({ env: STRIPE_ENV, payments, now: opts.now ?? '2026-09-20T03:00:00Z' });
  const general = await ensureGeneralFund(h.db, h.demo.orgId);
  const campaign = await createCampaign(h.db, h.demo.orgId, {
    slug: 'trung-thu-test',
    title: 'Trung thu cho trẻ em (thử)',
    goalMinor: 22_500_000n,
    currency: 'VND',
    status: 'active',
    presets: [200_000n, 500_000n, 1_000_000n],
  });
  const usdCampaign = await createCampaign(h.db, h.demo.orgId, { slug: 'usd-test', title: 'USD campaign', goalMinor: 100_000n, currency: 'USD', status: 'active' });
  return {
    h,
    stripe,
    general,
    campaign,
    usdCampaign,
    async deliver(event, o = {}) {
      const payload = typeof event === 'string' ? event : JSON.stringify(event);
      const signature = o.signature ?? (await signStripePayload(payload, o.secret ?? STRIPE_ENV.STRIPE_WEBHOOK_SECRET, o.timestamp ?? Math.floor(h.clock.now().getTime() / 1000)));
      return h.fetch('http://localhost:8787/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
    },
  };
}
