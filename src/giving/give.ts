import type { organisations } from '../db/schema';
import type { Db } from '../db/types';
import type { Logger } from '../lib/log';
import type { Payments } from '../payments/stripe';
import { notFound } from '../http/problem';
import { buildVietQr, qrSvg } from './vietqr';
import { createPaymentReference } from './bank';
import { defaultBankAccount, ensureGeneralFund, GENERAL_GIVING_SLUG, publicCampaign, type Campaign } from './campaigns';
import { createCheckout } from './checkout';
import { getOrganisationBySlug } from '../orgs/orgs';
import { localized, type Locale } from '../ui/i18n';

export { GENERAL_GIVING_SLUG };

/**
 * What a donor gives to from the public pages: a campaign, or the centre itself (its general,
 * unrestricted fund) when `campaign` is null. The general fund's page sits where a campaign's
 * would, at /c/<centre>/give, so that slug is kept from campaigns.
 */
export interface GivingTarget {
  org: typeof organisations.$inferSelect;
  campaign: Campaign | null;
}

/** Suggested amounts on the general fund's form, by the centre's base currency (minor units). */
const GENERAL_PRESETS: Record<string, bigint[]> = {
  VND: [200_000n, 500_000n, 1_000_000n, 2_000_000n],
  JPY: [3_000n, 5_000n, 10_000n],
  USD: [2_500n, 5_000n, 10_000n],
  EUR: [2_500n, 5_000n, 10_000n],
};

/**
 * The target behind /c/<org>/<slug>: a campaign that is not a draft, or the general fund for
 * `give`. A campaign that took that slug before it was kept keeps its page.
 */
export async function findGivingTarget(db: Db, orgSlug: string, slug: string): Promise<GivingTarget | null> {
  const row = await publicCampaign(db, orgSlug, slug);
  if (row) return row;
  if (slug !== GENERAL_GIVING_SLUG) return null;
  const org = await getOrganisationBySlug(db, orgSlug);
  return org ? { org, campaign: null } : null;
}

export const targetOpen = (t: GivingTarget) => (t.campaign ? t.campaign.status === 'active' : true);
export const targetCurrency = (t: GivingTarget) => t.campaign?.currency ?? t.org.baseCurrency;
export const targetAllowsMonthly = (t: GivingTarget) => (t.campaign ? t.campaign.allowMonthly : true);
export const targetPath = (t: GivingTarget) => `/c/${t.org.slug}/${t.campaign?.slug ?? GENERAL_GIVING_SLUG}`;
export const targetPresets = (t: GivingTarget): bigint[] => (t.campaign ? t.campaign.presets.map((x) => BigInt(x)) : (GENERAL_PRESETS[t.org.baseCurrency] ?? []));

/** The line on the card statement and the Checkout page. */
export function targetProductName(t: GivingTarget, locale: Locale): string {
  if (t.campaign) return localized(locale, t.campaign.title, t.campaign.titleEn);
  return locale === 'en' ? `${t.org.name}: general fund` : `${t.org.name}: quỹ chung`;
}

export interface CardGift {
  amountMinor: bigint;
  currency?: string;
  interval: 'once' | 'month';
  name: string;
  email: string;
  locale: Locale;
  anonymous: boolean;
  emailConsent: boolean;
}

/** Starts a Stripe Checkout for a gift to the target; the return pages are the target's own. */
export async function startCardGift(db: Db, payments: Payments | null, t: GivingTarget, gift: CardGift, deps: { appUrl: string; logger: Logger }) {
  const fundId = t.campaign ? t.campaign.fundId : (await ensureGeneralFund(db, t.org.id)).id;
  const base = `${deps.appUrl}${targetPath(t)}`;
  return createCheckout(
    db,
    payments,
    {
      orgId: t.org.id,
      campaignId: t.campaign?.id ?? null,
      fundId,
      donor: { name: gift.name, email: gift.email, locale: gift.locale, anonymous: gift.anonymous, emailConsent: gift.emailConsent },
      currency: gift.currency ?? targetCurrency(t),
      unitAmountMinor: gift.amountMinor,
      interval: targetAllowsMonthly(t) ? gift.interval : 'once',
      purpose: t.campaign ? { kind: 'campaign', campaignId: t.campaign.id } : { kind: 'general' },
      productName: targetProductName(t, gift.locale),
      successUrl: `${base}/thanks`,
      cancelUrl: `${base}?cancelled=1`,
    },
    { logger: deps.logger },
  );
}

/** The default account, a unique reference for the transfer note, and its VietQR code (404 without an account). */
export async function bankTransferDetails(db: Db, orgId: string, camp: Campaign | null, amountMinor: bigint | null) {
  const account = await defaultBankAccount(db, orgId);
  if (!account) throw notFound('Bank account');
  const ref = await createPaymentReference(db, orgId, { campaignId: camp?.id ?? null, amountMinor });
  const payload = buildVietQr({ bankBin: account.bankBin, accountNumber: account.accountNumber, amountVnd: amountMinor, note: ref.code });
  return {
    reference: ref.code,
    bankBin: account.bankBin,
    bankName: account.bankName,
    accountNumber: account.accountNumber,
    accountName: account.accountName,
    amountMinor,
    payload,
    svg: qrSvg(payload, { title: `VietQR ${ref.code}` }),
  };
}
