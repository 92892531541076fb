import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { checkoutSessions } from '../db/schema';
import type { Db } from '../db/types';
import { ProblemError, invalid } from '../http/problem';
import type { Payments } from '../payments/stripe';
import type { Logger } from '../lib/log';
import { findOrCreateDonorByEmail } from '../donors/donors';
import { isCurrency, toStripeAmount } from './money';

/**
 * What a payment is for. Campaign gifts today; the gift-package issue passes
 * { kind: 'package_drive', driveId, quantity } with the package price as the unit amount.
 */
export type CheckoutPurpose = { kind: 'campaign'; campaignId: string } | { kind: 'general' } | ({ kind: string } & Record<string, unknown>);

export interface CheckoutRequest {
  orgId: string;
  campaignId?: string | null;
  /** The fund the money goes to (a campaign's fund, a package drive's fund, the general fund). */
  fundId: string;
  donor: { name: string; email: string; locale: 'vi' | 'en'; anonymous?: boolean; emailConsent?: boolean; kind?: 'person' | 'group' | 'organisation' };
  currency: string;
  /** Minor units per unit (e.g. one gift package); the total is unitAmount × quantity. */
  unitAmountMinor: bigint;
  quantity?: number;
  interval: 'once' | 'month';
  purpose: CheckoutPurpose;
  /** What the donor sees on Stripe's page. */
  productName: string;
  successUrl: string;
  cancelUrl: string;
}

export const METADATA = { org: 'sechia_org', checkout: 'sechia_checkout', campaign: 'sechia_campaign', donor: 'sechia_donor', purpose: 'sechia_purpose' } as const;

/**
 * Creates a Stripe Checkout Session. Our row is written first (status 'created') so that any
 * webhook, however early, finds what the payment was for; Stripe gets our row id as
 * client_reference_id and in metadata (also on the payment or subscription, for invoices).
 */
export async function createCheckout(
  db: Db,
  payments: Payments | null,
  req: CheckoutRequest,
  deps: { logger: Logger },
): Promise<{ checkoutId: string; url: string; stripeSessionId: string }> {
  if (!payments) throw new ProblemError(503, 'Online card payment is not configured (STRIPE_SECRET_KEY). Please give by bank transfer.');
  const quantity = req.quantity ?? 1;
  const errors: { path: string; message: string }[] = [];
  if (!isCurrency(req.currency)) errors.push({ path: 'currency', message: 'one of VND, USD, JPY, EUR' });
  if (req.unitAmountMinor <= 0n) errors.push({ path: 'amount', message: 'must be positive' });
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) errors.push({ path: 'quantity', message: '1 to 1000' });
  if (isCurrency(req.currency) && req.unitAmountMinor > 0n) {
    const min = req.currency === 'VND' ? 10_000n : req.currency === 'JPY' ? 100n : 100n;
    if (req.unitAmountMinor * BigInt(quantity) < min) errors.push({ path: 'amount', message: `at least ${min} in minor units of ${req.currency}` });
    if (req.unitAmountMinor * BigInt(quantity) > 99_999_999_999n) errors.push({ path: 'amount', message: 'too large for card payment' });
  }
  if (errors.length) throw invalid('The donation has invalid fields.', errors);

  const donor = await findOrCreateDonorByEmail(db, req.orgId, {
    name: req.donor.name,
    email: req.donor.email,
    locale: req.donor.locale,
    anonymous: req.donor.anonymous ?? false,
    emailConsent: req.donor.emailConsent ?? false,
    kind: req.donor.kind ?? 'person',
  });
  const [row] = await db
    .insert(checkoutSessions)
    .values({
      orgId: req.orgId,
      campaignId: req.campaignId ?? null,
      fundId: req.fundId,
      donorId: donor.id,
      mode: req.interval === 'month' ? 'subscription' : 'payment',
      currency: req.currency,
      unitAmountMinor: req.unitAmountMinor,
      quantity,
      purpose: req.purpose,
      locale: req.donor.locale,
      anonymous: req.donor.anonymous ?? false,
      status: 'created',
    })
    .returning();
  const checkoutId = row!.id;
  const metadata: Record<string, string> = {
    [METADATA.org]: req.orgId,
    [METADATA.checkout]: checkoutId,
    [METADATA.donor]: donor.id,
    [METADATA.purpose]: JSON.stringify(req.purpose).slice(0, 490),
  };
  if (req.campaignId) metadata[METADATA.campaign] = req.campaignId;
  const sep = req.successUrl.includes('?') ? '&' : '?';
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: req.interval === 'month' ? 'subscription' : 'payment',
    client_reference_id: checkoutId,
    customer_email: donor.email ?? req.donor.email,
    locale: req.donor.locale,
    line_items: [
      {
        quantity,
        price_data: {
          currency: req.currency.toLowerCase(),
          unit_amount: toStripeAmount(req.unitAmountMinor, req.currency),
          product_data: { name: req.productName.slice(0, 200) },
          ...(req.interval === 'month' ? { recurring: { interval: 'month' as const } } : {}),
        },
      },
    ],
    metadata,
    success_url: `${req.successUrl}${sep}checkout=${checkoutId}`,
    cancel_url: req.cancelUrl,
    ...(req.interval === 'month' ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
  };
  let session: Stripe.Checkout.Session;
  try {
    session = await payments.stripe.checkout.sessions.create(params, { idempotencyKey: `sechia-checkout-${checkoutId}` });
  } catch (err) {
    await db
      .update(checkoutSessions)
      .set({ status: 'error', failureReason: err instanceof Error ? err.message.slice(0, 300) : 'unknown' })
      .where(eq(checkoutSessions.id, checkoutId));
    deps.logger.warn('stripe.checkout_failed', { checkoutId, error: err instanceof Error ? err.name : 'unknown' });
    throw new ProblemError(502, 'The card payment service did not answer. Please try again, or give by bank transfer.');
  }
  if (!session.url) throw new ProblemError(502, 'The card payment service returned no payment page.');
  // Only set the Stripe id while we still hold the row as 'created': a fast webhook may have
  // completed it already, and it must not be sent back to 'open'.
  await db
    .update(checkoutSessions)
    .set({ stripeSessionId: session.id, status: 'open' })
    .where(and(eq(checkoutSessions.id, checkoutId), eq(checkoutSessions.status, 'created')));
  return { checkoutId, url: session.url, stripeSessionId: session.id };
}

export async function getCheckout(db: Db, id: string) {
  const [row] = await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, id));
  return row ?? null;
}
