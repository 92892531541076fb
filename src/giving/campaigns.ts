import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { bankAccounts, campaigns, donations, donors, funds, organisations, type CampaignStatus, type FundKind } from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { publicDisplayName } from '../donors/donors';
import { isCurrency } from './money';

/** /c/<centre>/give is the general fund's giving page (src/giving/give.ts), so no campaign takes that slug. */
export const GENERAL_GIVING_SLUG = 'give';

export type Campaign = typeof campaigns.$inferSelect;
export type Fund = typeof funds.$inferSelect;

/** Each organisation has exactly one general (unrestricted) fund; a unique index guarantees it. */
export async function ensureGeneralFund(db: Db, orgId: string, name = 'Quỹ chung'): Promise<Fund> {
  await db.insert(funds).values({ orgId, kind: 'general', name }).onConflictDoNothing();
  const [f] = await db.select().from(funds).where(and(eq(funds.orgId, orgId), eq(funds.kind, 'general')));
  return f!;
}

export async function createFund(db: Db, orgId: string, input: { kind: Exclude<FundKind, 'general'>; name: string }): Promise<Fund> {
  const [f] = await db.insert(funds).values({ orgId, kind: input.kind, name: input.name.trim() }).returning();
  return f!;
}

export async function listFunds(db: Db, orgId: string) {
  return db.select().from(funds).where(eq(funds.orgId, orgId)).orderBy(asc(funds.kind), asc(funds.name));
}

export async function getFund(db: Db, orgId: string, id: string) {
  const [f] = await db.select().from(funds).where(and(eq(funds.orgId, orgId), eq(funds.id, id)));
  if (!f) throw notFound('Fund');
  return f;
}

export interface CampaignInput {
  slug: string;
  title: string;
  titleEn?: string | null;
  summary?: string;
  summaryEn?: string | null;
  goalMinor: bigint;
  currency: string;
  startsOn?: string | null;
  endsOn?: string | null;
  status?: CampaignStatus;
  presets?: bigint[];
  allowMonthly?: boolean;
}

function checkCampaign(input: CampaignInput) {
  const errors: { path: string; message: string }[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.slug) || input.slug.length > 80) errors.push({ path: 'slug', message: 'lower-case letters, digits and dashes' });
  if (!input.title.trim()) errors.push({ path: 'title', message: 'required' });
  if (!isCurrency(input.currency)) errors.push({ path: 'currency', message: 'one of VND, USD, JPY, EUR' });
  if (input.goalMinor < 0n) errors.push({ path: 'goal', message: 'must not be negative' });
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) errors.push({ path: 'endsOn', message: 'before the start date' });
  if ((input.presets ?? []).some((p) => p <= 0n)) errors.push({ path: 'presets', message: 'amounts must be positive' });
  if (errors.length) throw invalid('The campaign has invalid fields.', errors);
}

/** A campaign that took the slug before it was kept keeps it (its page still wins); no other may take it. */
function reserveGeneralSlug(slug: string) {
  if (slug === GENERAL_GIVING_SLUG) throw conflict(`The address "${slug}" is the centre's general giving page.`, { errors: [{ path: 'slug', message: 'kept for the general giving page' }] });
}

/** A campaign and its own restricted fund, in one transaction. */
export async function createCampaign(db: Db, orgId: string, input: CampaignInput): Promise<Campaign> {
  checkCampaign(input);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    reserveGeneralSlug(input.slug);
    const [dupe] = await tx.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.slug, input.slug)));
    if (dupe) throw conflict('A campaign with this address already exists.', { errors: [{ path: 'slug', message: 'already used' }] });
    const fund = await createFund(tx, orgId, { kind: 'campaign', name: input.title.trim() });
    const [c] = await tx
      .insert(campaigns)
      .values({
        orgId,
        slug: input.slug,
        title: input.title.trim(),
        titleEn: input.titleEn?.trim() || null,
        summary: input.summary?.trim() ?? '',
        summaryEn: input.summaryEn?.trim() || null,
        goalMinor: input.goalMinor,
        currency: input.currency,
        startsOn: input.startsOn || null,
        endsOn: input.endsOn || null,
        fundId: fund.id,
        status: input.status ?? 'draft',
        presets: (input.presets ?? []).map(String),
        allowMonthly: input.allowMonthly ?? true,
      })
      .returning();
    return c!;
  });
}

export async function updateCampaign(db: Db, orgId: string, id: string, input: CampaignInput, now: Date): Promise<Campaign> {
  checkCampaign(input);
  const current = await getCampaign(db, orgId, id);
  if (current.currency !== input.currency) {
    const [{ n }] = (await queryRows<{ n: string }>(db, sql`select count(*)::text as n from donations where campaign_id = ${id}`)) as [{ n: string }];
    if (n !== '0') throw conflict('The currency cannot change once gifts are recorded.', { errors: [{ path: 'currency', message: 'gifts already recorded' }] });
  }
  if (current.slug !== input.slug) {
    reserveGeneralSlug(input.slug);
    const [dupe] = await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.slug, input.slug)));
    if (dupe) throw conflict('A campaign with this address already exists.', { errors: [{ path: 'slug', message: 'already used' }] });
  }
  const [c] = await db
    .update(campaigns)
    .set({
      slug: input.slug,
      title: input.title.trim(),
      titleEn: input.titleEn?.trim() || null,
      summary: input.summary?.trim() ?? '',
      summaryEn: input.summaryEn?.trim() || null,
      goalMinor: input.goalMinor,
      currency: input.currency,
      startsOn: input.startsOn || null,
      endsOn: input.endsOn || null,
      status: input.status ?? current.status,
      presets: (input.presets ?? []).map(String),
      allowMonthly: input.allowMonthly ?? current.allowMonthly,
      updatedAt: now,
    })
    .where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, id)))
    .returning();
  return c!;
}

export async function getCampaign(db: Db, orgId: string, id: string) {
  const [c] = await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, id)));
  if (!c) throw notFound('Campaign');
  return c;
}

export async function getCampaignBySlug(db: Db, orgId: string, slug: string) {
  const [c] = await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.slug, slug)));
  return c ?? null;
}

export async function listCampaigns(db: Db, orgId: string) {
  return db.select().from(campaigns).where(eq(campaigns.orgId, orgId)).orderBy(desc(campaigns.createdAt));
}

/** The public page's organisation and active campaign, or null (drafts are not public). */
export async function publicCampaign(db: Db, orgSlug: string, campaignSlug: string) {
  const [row] = await db
    .select({ org: organisations, campaign: campaigns })
    .from(campaigns)
    .innerJoin(organisations, eq(organisations.id, campaigns.orgId))
    .where(and(eq(organisations.slug, orgSlug), eq(campaigns.slug, campaignSlug)));
  if (!row || row.campaign.status === 'draft') return null;
  return row;
}

export interface CampaignProgress {
  raisedMinor: bigint;
  currency: string;
  donorCount: number;
  giftCount: number;
  recent: { name: string; amountMinor: bigint; currency: string; receivedAt: Date }[];
}

/**
 * Every campaign's progress (raised net of refunds, gifts, donors), or only that of `campaignIds`;
 * a campaign without gifts is absent. Raised is in each campaign's currency: gifts in another
 * currency count once Stripe has told us what they settled at in the organisation's base currency.
 * `donors: false` leaves out the donor count (for lists that do not show it).
 *
 * The gifts' columns come from donations_campaign_gifts_idx alone (migration 0023); the refunds
 * are summed per gift once and joined by hash (a look-up per gift would also visit the table).
 * Donors are counted from campaign_donors (migration 0025: one row per campaign and giver with a
 * gift standing), where a distinct count over every gift took most of a second at a province's scale.
 */
export async function progressPerCampaign(db: Db, orgId: string, baseCurrency: string, opts: { campaignIds?: string[]; donors?: boolean } = {}) {
  if (opts.campaignIds?.length === 0) return new Map<string, { raisedMinor: bigint; donorCount: number; giftCount: number }>();
  const donors = opts.donors ?? true;
  const ids = opts.campaignIds;
  const rows = await queryRows<{ campaign_id: string; raised: string; donors: string | null; gifts: string }>(
    db,
    sql`with r as (select donation_id, sum(amount_minor) as refunded from refunds where org_id = ${orgId} group by donation_id),
        g as (
          select d.campaign_id, d.currency, d.amount_minor, d.base_amount_minor, coalesce(r.refunded, 0)::bigint as refunded
          from donations d left join r on r.donation_id = d.id
          where d.org_id = ${orgId} and ${ids ? sql`d.campaign_id in ${ids}` : sql`d.campaign_id is not null`}),
        a as (
          select g.campaign_id,
            coalesce(sum(case
              when g.currency = c.currency then g.amount_minor - g.refunded
              when c.currency = ${baseCurrency} and g.base_amount_minor is not null
                then g.base_amount_minor - (g.base_amount_minor * g.refunded) / g.amount_minor
              else 0 end), 0)::bigint::text as raised,
            count(*) filter (where g.refunded < g.amount_minor)::text as gifts
          from g join campaigns c on c.id = g.campaign_id and c.org_id = ${orgId}
          group by g.campaign_id),
        w as (
          select campaign_id, count(*) as n from campaign_donors
          where ${donors ? sql`org_id = ${orgId}` : sql`false`} ${ids ? sql`and campaign_id in ${ids}` : sql``}
          group by campaign_id)
        select a.campaign_id, a.raised, ${donors ? sql`coalesce(w.n, 0)::text` : sql`null`} as donors, a.gifts
        from a left join w on w.campaign_id = a.campaign_id`,
  );
  return new Map(rows.map((r) => [r.campaign_id, { raisedMinor: BigInt(r.raised), donorCount: Number(r.donors ?? 0), giftCount: Number(r.gifts) }]));
}

/**
 * An organisation's public campaigns (drafts are not public): the active ones, newest first, then
 * the closed ones. Null when there is no such organisation. What each has raised is on the
 * centre page's stored figures (reports/public-figures.ts).
 */
export async function publicCampaignList(db: Db, orgSlug: string) {
  const [org] = await db.select().from(organisations).where(eq(organisations.slug, orgSlug));
  if (!org) return null;
  const list = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.orgId, org.id), ne(campaigns.status, 'draft')))
    .orderBy(desc(campaigns.createdAt));
  return { org, active: list.filter((x) => x.status === 'active'), closed: list.filter((x) => x.status === 'closed') };
}

/** Every organisation with the number of campaigns it runs now, for the public front page. */
export async function publicCentres(db: Db): Promise<{ slug: string; name: string; activeCampaigns: number }[]> {
  // Raw SQL with aliases: in a one-table select drizzle leaves the outer column unqualified, and
  // inside the subquery it would name the campaign's own id.
  const rows = await queryRows<{ slug: string; name: string; active: number }>(
    db,
    sql`select o.slug, o.name, (select count(*) from campaigns c where c.org_id = o.id and c.status = 'active')::int as active
        from organisations o order by o.name`,
  );
  return rows.map((r) => ({ slug: r.slug, name: r.name, activeCampaigns: Number(r.active) }));
}

/**
 * Raised so far in the campaign's currency, net of refunds. Gifts in another currency count
 * once Stripe has told us what they settled at in the organisation's base currency.
 */
export async function campaignProgress(db: Db, campaign: Campaign, baseCurrency: string, locale: 'vi' | 'en'): Promise<CampaignProgress> {
  const agg = (await progressPerCampaign(db, campaign.orgId, baseCurrency, { campaignIds: [campaign.id] })).get(campaign.id);
  const recentRows = await db
    .select({ d: donations, donor: donors })
    .from(donations)
    .leftJoin(donors, eq(donors.id, donations.donorId))
    .where(and(eq(donations.orgId, campaign.orgId), eq(donations.campaignId, campaign.id)))
    .orderBy(desc(donations.receivedAt))
    .limit(6);
  return {
    raisedMinor: agg?.raisedMinor ?? 0n,
    currency: campaign.currency,
    donorCount: agg?.donorCount ?? 0,
    giftCount: agg?.giftCount ?? 0,
    recent: recentRows.map((r) => ({
      name: publicDisplayName(r.donor, r.d.anonymous, locale),
      amountMinor: r.d.amountMinor,
      currency: r.d.currency,
      receivedAt: r.d.receivedAt,
    })),
  };
}

export async function defaultBankAccount(db: Db, orgId: string) {
  const [a] = await db.select().from(bankAccounts).where(and(eq(bankAccounts.orgId, orgId), eq(bankAccounts.isDefault, true)));
  return a ?? null;
}

export async function addBankAccount(
  db: Db,
  orgId: string,
  input: { bankBin: string; bankName: string; accountNumber: string; accountName: string; isDefault?: boolean },
) {
  if (!/^\d{6}$/.test(input.bankBin)) throw invalid('The bank BIN has 6 digits.', [{ path: 'bankBin', message: '6 digits' }]);
  if (!/^[0-9A-Za-z]{4,19}$/.test(input.accountNumber)) throw invalid('The account number is 4–19 letters or digits.', [{ path: 'accountNumber', message: 'invalid' }]);
  const [a] = await db.insert(bankAccounts).values({ orgId, ...input, isDefault: input.isDefault ?? false }).returning();
  return a!;
}

/**
 * Campaign donor counts (`campaign_donors`, kept by triggers on gifts and refunds) that disagree
 * with a fresh count from the organisation's gifts and refunds. Always empty; tests, the load run
 * and the bench generator check it.
 */
export async function campaignDonorsDrift(db: Db, orgId: string) {
  return queryRows<{ campaign_id: string; giver_key: string; stored: number | null; fresh: number | null }>(
    db,
    sql`select * from sechia_campaign_donors_drift(${orgId})`,
  );
}

/** Recomputes an organisation's campaign donor counts from its gifts (after a bulk load, or a repair). */
export async function rebuildCampaignDonors(db: Db, orgId: string) {
  await db.transaction(async (tx) => {
    await (tx as unknown as Db).execute(sql`select sechia_campaign_donors_rebuild(${orgId})`);
  });
}
