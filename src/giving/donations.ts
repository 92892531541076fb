import { and, eq, sql } from 'drizzle-orm';
import { donations, refunds, type DonationChannel, type SettlementStatus } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { inTransaction } from '../db/retry';
import { conflict, invalid, notFound } from '../http/problem';
import { enqueueMail } from '../mail/outbox';
import { isLocale, localized, type Locale } from '../ui/i18n';
import { postLedgerEntries, type LedgerAccount, type LedgerLine } from './ledger';
import { issueReceipt } from './receipts';
import { correctedReceiptEmail, receiptEmail } from './templates';
import { cancelUnitsAfterRefund, createUnitsForDonation } from '../packages/units';

export type Donation = typeof donations.$inferSelect;

export interface NewDonation {
  orgId: string;
  donorId: string | null;
  campaignId: string | null;
  fundId: string;
  channel: DonationChannel;
  amountMinor: bigint;
  currency: string;
  receivedAt: Date;
  recurring?: boolean;
  quantity?: number;
  purpose?: Record<string, unknown> | null;
  anonymous?: boolean;
  reference?: string | null;
  externalId?: string | null;
  note?: string | null;
  checkoutId?: string | null;
  paymentReferenceId?: string | null;
  bankStatementLineId?: string | null;
  stripeCheckoutSessionId?: string | null;
  stripeInvoiceId?: string | null;
  stripeChargeId?: string | null;
  stripePaymentIntentId?: string | null;
  stripeSubscriptionId?: string | null;
  settlementStatus?: SettlementStatus;
  createdBy?: string | null;
}

export const moneyAccountFor = (channel: DonationChannel): LedgerAccount =>
  channel === 'stripe' ? 'stripe_balance' : channel === 'cash' ? 'cash' : 'bank';

export interface RecordContext {
  appUrl: string;
}

const portalUrl = (appUrl: string, orgSlug: string) => `${appUrl}/d/${orgSlug}`;

/**
 * Records money received, exactly once: the insert carries the payment's identity (checkout
 * session, invoice, bank transaction…), and a second attempt finds the row instead of adding
 * one. In the same transaction: the ledger posting, the receipt number and the receipt email.
 */
export async function recordDonation(db: Db, input: NewDonation, ctx: RecordContext): Promise<{ donation: Donation; created: boolean }> {
  if (input.amountMinor <= 0n) throw invalid('The amount must be positive.', [{ path: 'amount', message: 'must be positive' }]);
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(donations)
      .values({
        orgId: input.orgId,
        donorId: input.donorId,
        campaignId: input.campaignId,
        fundId: input.fundId,
        channel: input.channel,
        amountMinor: input.amountMinor,
        currency: input.currency,
        receivedAt: input.receivedAt,
        recurring: input.recurring ?? false,
        quantity: input.quantity ?? 1,
        purpose: input.purpose ?? null,
        anonymous: input.anonymous ?? false,
        reference: input.reference ?? null,
        externalId: input.externalId ?? null,
        note: input.note ?? null,
        checkoutId: input.checkoutId ?? null,
        paymentReferenceId: input.paymentReferenceId ?? null,
        bankStatementLineId: input.bankStatementLineId ?? null,
        stripeCheckoutSessionId: input.stripeCheckoutSessionId ?? null,
        stripeInvoiceId: input.stripeInvoiceId ?? null,
        stripeChargeId: input.stripeChargeId ?? null,
        stripePaymentIntentId: input.stripePaymentIntentId ?? null,
        stripeSubscriptionId: input.stripeSubscriptionId ?? null,
        settlementStatus: input.settlementStatus ?? 'not_applicable',
        createdBy: input.createdBy ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const existing = await findByIdentity(tx, input);
      if (!existing) throw conflict('This payment is already recorded.');
      return { donation: existing, created: false };
    }
    const occurredAt = input.receivedAt;
    // Gift packages ({ kind: 'package_drive', driveId, quantity }): N funded units, once, with the gift.
    await createUnitsForDonation(tx, { ...row, purpose: input.purpose ?? null, createdBy: input.createdBy ?? null });
    // What the receipt mail needs is read before the two rows every gift of the organisation
    // waits for (the fund's day totals, by the ledger trigger, and the year's receipt counter):
    // each is held from its write until commit, so they are written last, in this order
    // (ledger, then counter: refunds take them in the same order).
    const { org, donor, campaignTitle } = await receiptMailContext(tx, input);
    await postLedgerEntries(
      tx,
      input.orgId,
      [
        { fundId: input.fundId, account: moneyAccountFor(input.channel), amountMinor: input.amountMinor, currency: input.currency },
        { fundId: input.fundId, account: 'donations_income', amountMinor: -input.amountMinor, currency: input.currency },
      ],
      { key: `donation:${row.id}`, kind: 'donation', donationId: row.id, occurredAt, createdBy: input.createdBy },
    );
    const receipt = await issueReceipt(tx, {
      orgId: input.orgId,
      shortCode: org.shortCode,
      donationId: row.id,
      kind: 'receipt',
      amountMinor: input.amountMinor,
      currency: input.currency,
      issuedAt: occurredAt,
    });
    if (donor) {
      const mail = receiptEmail({
        locale: donor.locale,
        orgName: org.name,
        donorName: donor.name,
        receiptCode: receipt.code,
        amountMinor: input.amountMinor,
        currency: input.currency,
        receivedAt: occurredAt,
        campaignTitle,
        portalUrl: portalUrl(ctx.appUrl, org.slug),
      });
      await enqueueMail(tx, { orgId: input.orgId, to: donor.email, locale: donor.locale, template: 'receipt', dedupeKey: `receipt:${row.id}`, ...mail });
    }
    return { donation: row, created: true };
  });
}

/**
 * What a receipt's mail needs, in one read: the organisation, the donor when there is an address
 * to write to (with the language to write in), the campaign's title in that language and, for a
 * corrected receipt, the number of the receipt it replaces.
 */
async function receiptMailContext(tx: Db, ids: { orgId: string; donorId: string | null; campaignId: string | null; originalReceiptOf?: string }) {
  const [row] = await queryRows<{ org_name: string; slug: string; short_code: string; donor_name: string | null; email: string | null; locale: string | null; original_code: string | null; title: string | null; title_en: string | null }>(
    tx,
    sql`select o.name as org_name, o.slug, o.short_code, dn.name as donor_name, dn.email, dn.locale, c.title, c.title_en,
               ${ids.originalReceiptOf ? sql`(select r.code from receipts r where r.donation_id = ${ids.originalReceiptOf} and r.kind = 'receipt' limit 1)` : sql`null`} as original_code
        from organisations o
        left join donors dn on dn.id = ${ids.donorId} and dn.org_id = o.id
        left join campaigns c on c.id = ${ids.campaignId} and c.org_id = o.id
        where o.id = ${ids.orgId}`,
  );
  const m = row!;
  const locale: Locale = isLocale(m.locale) ? m.locale : 'vi';
  return {
    org: { name: m.org_name, slug: m.slug, shortCode: m.short_code },
    donor: m.email ? { name: m.donor_name!, email: m.email, locale } : null,
    campaignTitle: localized(locale, m.title, m.title_en),
    originalCode: m.original_code,
  };
}

async function findByIdentity(db: Db, input: NewDonation): Promise<Donation | null> {
  const pairs: [keyof Donation, unknown][] = [
    ['stripeCheckoutSessionId', input.stripeCheckoutSessionId],
    ['stripeInvoiceId', input.stripeInvoiceId],
    ['stripeChargeId', input.stripeChargeId],
    ['stripePaymentIntentId', input.stripePaymentIntentId],
    ['bankStatementLineId', input.bankStatementLineId],
  ];
  for (const [col, value] of pairs) {
    if (!value) continue;
    const [d] = await db
      .select()
      .from(donations)
      .where(eq(donations[col as 'stripeInvoiceId'], value as string))
      .limit(1);
    if (d) return d;
  }
  if (input.externalId) {
    const [d] = await db
      .select()
      .from(donations)
      .where(and(eq(donations.orgId, input.orgId), eq(donations.channel, input.channel), eq(donations.externalId, input.externalId)))
      .limit(1);
    if (d) return d;
  }
  return null;
}

export async function refundedTotal(db: Db, donationId: string): Promise<bigint> {
  const [r] = await db
    .select({ total: sql<string>`coalesce(sum(${refunds.amountMinor}), 0)::text` })
    .from(refunds)
    .where(eq(refunds.donationId, donationId));
  return BigInt(r?.total ?? '0');
}

/**
 * Records money given back, once per Stripe refund id. Locks the donation row so concurrent
 * refund events cannot together refund more than was given. Posts the reversal and issues a
 * corrected receipt (new number) for the amount the donor still gave.
 */
export async function recordRefund(
  db: Db,
  input: { orgId: string; donationId: string; amountMinor: bigint; stripeRefundId?: string | null; reason?: string | null; refundedAt: Date; createdBy?: string | null },
  ctx: RecordContext,
): Promise<{ created: boolean; refundId: string | null }> {
  if (input.amountMinor <= 0n) throw invalid('The refund amount must be positive.', [{ path: 'amount', message: 'must be positive' }]);
  return inTransaction(db, async (tx) => {
    // Locked and read at once: concurrent refunds of one gift are applied one at a time.
    const [d] = await tx
      .select()
      .from(donations)
      .where(and(eq(donations.id, input.donationId), eq(donations.orgId, input.orgId)))
      .for('update');
    if (!d) throw notFound('Donation');
    if (input.stripeRefundId) {
      const [seen] = await tx.select({ id: refunds.id }).from(refunds).where(eq(refunds.stripeRefundId, input.stripeRefundId));
      if (seen) return { created: false, refundId: seen.id };
    }
    const before = await refundedTotal(tx, d.id);
    if (before + input.amountMinor > d.amountMinor) {
      throw conflict('The refunds would exceed the gift.', { errors: [{ path: 'amount', message: 'more than the amount not yet refunded' }] });
    }
    const [refund] = await tx
      .insert(refunds)
      .values({
        orgId: input.orgId,
        donationId: d.id,
        amountMinor: input.amountMinor,
        currency: d.currency,
        stripeRefundId: input.stripeRefundId ?? null,
        reason: input.reason ?? null,
        refundedAt: input.refundedAt,
        createdBy: input.createdBy ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!refund) return { created: false, refundId: null };
    // Gift packages: funded units this money no longer pays for are cancelled with the refund.
    await cancelUnitsAfterRefund(tx, d, before + input.amountMinor, input.refundedAt, input.createdBy ?? null);
    // As for a gift: what the corrected receipt's mail needs is read first, then the fund's day
    // totals and the receipt counter are written, last and in that order.
    const { org, donor, campaignTitle, originalCode } = await receiptMailContext(tx, { orgId: input.orgId, donorId: d.donorId, campaignId: d.campaignId, originalReceiptOf: d.id });
    await postLedgerEntries(
      tx,
      input.orgId,
      [
        { fundId: d.fundId, account: 'refunds', amountMinor: input.amountMinor, currency: d.currency },
        { fundId: d.fundId, account: moneyAccountFor(d.channel), amountMinor: -input.amountMinor, currency: d.currency },
      ],
      { key: `refund:${refund.id}`, kind: 'refund', donationId: d.id, occurredAt: input.refundedAt, createdBy: input.createdBy },
    );
    const remaining = d.amountMinor - before - input.amountMinor;
    const correction = await issueReceipt(tx, {
      orgId: input.orgId,
      shortCode: org.shortCode,
      donationId: d.id,
      refundId: refund.id,
      kind: 'correction',
      amountMinor: remaining,
      currency: d.currency,
      issuedAt: input.refundedAt,
    });
    if (donor) {
      const mail = correctedReceiptEmail({
        locale: donor.locale,
        orgName: org.name,
        donorName: donor.name,
        receiptCode: correction.code,
        originalCode: originalCode ?? '',
        amountMinor: remaining,
        refundedMinor: input.amountMinor,
        currency: d.currency,
        receivedAt: d.receivedAt,
        campaignTitle,
        portalUrl: portalUrl(ctx.appUrl, org.slug),
      });
      await enqueueMail(tx, { orgId: input.orgId, to: donor.email, locale: donor.locale, template: 'receipt_correction', dedupeKey: `receipt-correction:${refund.id}`, ...mail });
    }
    return { created: true, refundId: refund.id };
  });
}

export interface Settlement {
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  netMinor: bigint;
  exchangeRate: string | null;
  baseCurrency: string;
  /** Stripe's ids learnt by the look-up, stored with the settlement when the donation lacked them. */
  stripePaymentIntentId?: string;
  stripeChargeId?: string;
}

/**
 * Fills in what Stripe kept and what reached the account, once (conditional UPDATE on
 * 'pending'), and posts the fee, plus a currency conversion when the charge settled in
 * another currency (per-currency balance kept through the fx_conversion account).
 */
export async function applySettlement(db: Db, donationId: string, s: Settlement, settledAt: Date): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const [d] = await tx
      .update(donations)
      .set({
        ...(s.stripePaymentIntentId ? { stripePaymentIntentId: sql`coalesce(${donations.stripePaymentIntentId}, ${s.stripePaymentIntentId})` } : {}),
        ...(s.stripeChargeId ? { stripeChargeId: sql`coalesce(${donations.stripeChargeId}, ${s.stripeChargeId})` } : {}),
        settlementStatus: 'settled',
        settlementCurrency: s.currency,
        feeMinor: s.feeMinor,
        netMinor: s.netMinor,
        exchangeRate: s.exchangeRate,
        baseAmountMinor: s.currency === s.baseCurrency ? s.amountMinor : null,
        settledAt,
      })
      .where(and(eq(donations.id, donationId), eq(donations.settlementStatus, 'pending')))
      .returning();
    if (!d) return false;
    const lines: LedgerLine[] = [];
    if (s.currency !== d.currency) {
      lines.push(
        { fundId: d.fundId, account: 'stripe_balance', amountMinor: -d.amountMinor, currency: d.currency },
        { fundId: d.fundId, account: 'fx_conversion', amountMinor: d.amountMinor, currency: d.currency },
        { fundId: d.fundId, account: 'stripe_balance', amountMinor: s.amountMinor, currency: s.currency },
        { fundId: d.fundId, account: 'fx_conversion', amountMinor: -s.amountMinor, currency: s.currency },
      );
    }
    if (s.feeMinor !== 0n) {
      lines.push(
        { fundId: d.fundId, account: 'stripe_fees', amountMinor: s.feeMinor, currency: s.currency },
        { fundId: d.fundId, account: 'stripe_balance', amountMinor: -s.feeMinor, currency: s.currency },
      );
    }
    if (lines.length > 0) {
      await postLedgerEntries(tx, d.orgId, lines, { key: `settlement:${d.id}`, kind: 'settlement', donationId: d.id, occurredAt: settledAt });
    }
    return true;
  });
}
