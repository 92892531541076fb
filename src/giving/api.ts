import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, IsoDay, OrgParam, STAFF_READ } from '../http/routes';
import { conflict, invalid, notFound } from '../http/problem';
import { CAMPAIGN_STATUSES, DONATION_CHANNELS, donations, type Role } from '../db/schema';
import type { Db } from '../db/types';
import { kickOutbox } from '../mail/kick';
import { LIMITS, rateLimit } from '../http/rate-limit';
import { campaignProgress, createCampaign, getCampaign, listCampaigns, listFunds, progressPerCampaign, publicCampaign, updateCampaign, type Campaign } from './campaigns';
import { bankTransferDetails, findGivingTarget, GENERAL_GIVING_SLUG, startCardGift, targetCurrency, type GivingTarget } from './give';
import { donationsCsvStream } from './export';
import { recordRefund, refundedTotal, type Donation } from './donations';
import { recordOfflineGift, OFFLINE_CHANNELS } from './gifts';
import { fundBalances } from './ledger';
import { CURRENCY_CODES, toJsonAmount, vietnamDate } from './money';
import { dismissStatementLine, importBankStatement, matchStatementLine, reconciliationQueue } from './bank';
import { listPaymentReview, resolvePaymentReview, REVIEW_NOTE_MAX, type PaymentReviewItem } from './review';
import { localized } from '../ui/i18n';

export const MONEY_READ: readonly Role[] = ['admin', 'finance', 'coordinator', 'viewer'];
export const MONEY_WRITE: readonly Role[] = ['admin', 'finance'];
export const CAMPAIGN_WRITE: readonly Role[] = ['admin', 'coordinator'];

const Amount = z.number().int().safe();
const IdParam = OrgParam.extend({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const CampaignParam = OrgParam.extend({ campaign: z.string().min(1).max(80).openapi({ param: { name: 'campaign', in: 'path' }, example: 'trung-thu-2026' }) });

export const DonationSchema = z
  .object({
    id: z.string().uuid(),
    donorId: z.string().uuid().nullable(),
    campaignId: z.string().uuid().nullable(),
    fundId: z.string().uuid(),
    channel: z.enum(DONATION_CHANNELS),
    amountMinor: Amount,
    currency: z.string(),
    refundedMinor: Amount,
    receivedAt: z.string(),
    recurring: z.boolean(),
    quantity: z.number().int(),
    reference: z.string().nullable(),
    externalId: z.string().nullable(),
    settlementStatus: z.string(),
    feeMinor: Amount.nullable(),
    netMinor: Amount.nullable(),
    settlementCurrency: z.string().nullable(),
    exchangeRate: z.string().nullable(),
  })
  .openapi('Donation');

export async function donationJson(db: Db, d: Donation) {
  return {
    id: d.id,
    donorId: d.donorId,
    campaignId: d.campaignId,
    fundId: d.fundId,
    channel: d.channel,
    amountMinor: toJsonAmount(d.amountMinor),
    currency: d.currency,
    refundedMinor: toJsonAmount(await refundedTotal(db, d.id)),
    receivedAt: d.receivedAt.toISOString(),
    recurring: d.recurring,
    quantity: d.quantity,
    reference: d.reference,
    externalId: d.externalId,
    settlementStatus: d.settlementStatus,
    feeMinor: d.feeMinor === null ? null : toJsonAmount(d.feeMinor),
    netMinor: d.netMinor === null ? null : toJsonAmount(d.netMinor),
    settlementCurrency: d.settlementCurrency,
    exchangeRate: d.exchangeRate,
  };
}

const CampaignSchema = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    title: z.string(),
    titleEn: z.string().nullable(),
    summary: z.string(),
    summaryEn: z.string().nullable(),
    goalMinor: Amount,
    currency: z.string(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    status: z.enum(CAMPAIGN_STATUSES),
    fundId: z.string().uuid(),
    presets: z.array(Amount),
    allowMonthly: z.boolean(),
  })
  .openapi('Campaign');

const campaignJson = (c: Campaign) => ({
  id: c.id,
  slug: c.slug,
  title: c.title,
  titleEn: c.titleEn,
  summary: c.summary,
  summaryEn: c.summaryEn,
  goalMinor: toJsonAmount(c.goalMinor),
  currency: c.currency,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  status: c.status,
  fundId: c.fundId,
  presets: c.presets.map((p) => toJsonAmount(BigInt(p))),
  allowMonthly: c.allowMonthly,
});

const CampaignInputSchema = z
  .object({
    slug: z.string().trim().min(1).max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().max(200).nullable().optional(),
    summary: z.string().trim().max(4000).default(''),
    summaryEn: z.string().trim().max(4000).nullable().optional(),
    goalMinor: Amount.min(0),
    currency: z.enum(CURRENCY_CODES as [string, ...string[]]).default('VND'),
    startsOn: IsoDay.nullable().optional(),
    endsOn: IsoDay.nullable().optional(),
    status: z.enum(CAMPAIGN_STATUSES).default('draft'),
    presets: z.array(Amount.positive()).max(8).default([]),
    allowMonthly: z.boolean().default(true),
  })
  .openapi('CampaignInput');

const toCampaignInput = (b: z.infer<typeof CampaignInputSchema>) => ({ ...b, goalMinor: BigInt(b.goalMinor), presets: b.presets.map((p) => BigInt(p)) });

export const givingApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// ---------- funds and campaigns ----------

givingApi.openapi(
  apiRoute(MONEY_READ, {
    method: 'get',
    path: '/orgs/{org}/funds',
    tags: ['giving'],
    summary: 'Funds (general and restricted) with their balances, derived from the ledger',
    request: { params: OrgParam },
    responses: {
      200: {
        description: 'Funds',
        content: { 'application/json': { schema: z.object({ items: z.array(z.object({ id: z.string().uuid(), kind: z.string(), name: z.string(), balances: z.record(z.string(), Amount) })) }) } },
      },
    },
  }),
  async (c) => {
    const db = c.get('db');
    const orgId = c.get('org').id;
    const funds = await listFunds(db, orgId);
    const balances = await fundBalances(db, orgId);
    const items = funds.map((f) => ({
      id: f.id,
      kind: f.kind,
      name: f.name,
      balances: Object.fromEntries(Object.entries(balances.get(f.id) ?? {}).map(([k, v]) => [k, toJsonAmount(v)])),
    }));
    return c.json({ items }, 200);
  },
);

givingApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/campaigns',
    tags: ['giving'],
    summary: 'Campaigns with their progress',
    request: { params: OrgParam },
    responses: {
      200: {
        description: 'Campaigns',
        content: { 'application/json': { schema: z.object({ items: z.array(CampaignSchema.extend({ raisedMinor: Amount, donorCount: z.number().int() })) }) } },
      },
    },
  }),
  async (c) => {
    const db = c.get('db');
    const org = c.get('org');
    const progress = await progressPerCampaign(db, org.id, org.baseCurrency);
    const items = (await listCampaigns(db, org.id)).map((camp) => {
      const p = progress.get(camp.id);
      return { ...campaignJson(camp), raisedMinor: toJsonAmount(p?.raisedMinor ?? 0n), donorCount: p?.donorCount ?? 0 };
    });
    return c.json({ items }, 200);
  },
);

givingApi.openapi(
  apiRoute(CAMPAIGN_WRITE, {
    method: 'post',
    path: '/orgs/{org}/campaigns',
    tags: ['giving'],
    summary: 'Create a campaign and its restricted fund',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: CampaignInputSchema } } } },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: CampaignSchema } } }, 409: { description: 'Address taken', content: {} } },
  }),
  async (c) => c.json(campaignJson(await createCampaign(c.get('db'), c.get('org').id, toCampaignInput(c.req.valid('json')))), 201),
);

givingApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/campaigns/{id}',
    tags: ['giving'],
    summary: 'One campaign',
    request: { params: IdParam },
    responses: { 200: { description: 'Campaign', content: { 'application/json': { schema: CampaignSchema } } } },
  }),
  async (c) => c.json(campaignJson(await getCampaign(c.get('db'), c.get('org').id, c.req.valid('param').id)), 200),
);

givingApi.openapi(
  apiRoute(CAMPAIGN_WRITE, {
    method: 'put',
    path: '/orgs/{org}/campaigns/{id}',
    tags: ['giving'],
    summary: 'Edit a campaign (its currency is fixed once gifts are recorded)',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: CampaignInputSchema } } } },
    responses: { 200: { description: 'Updated', content: { 'application/json': { schema: CampaignSchema } } } },
  }),
  async (c) =>
    c.json(campaignJson(await updateCampaign(c.get('db'), c.get('org').id, c.req.valid('param').id, toCampaignInput(c.req.valid('json')), c.get('deps').clock.now())), 200),
);

// ---------- donations ----------

givingApi.openapi(
  apiRoute(MONEY_READ, {
    method: 'get',
    path: '/orgs/{org}/donations',
    tags: ['giving'],
    summary: "Donations, newest first, filtered by campaign (or generalFund: gifts to the organisation's general fund), donor, channel and date (Vietnam time)",
    request: {
      params: OrgParam,
      query: z.object({
        campaignId: z.string().uuid().optional(),
        generalFund: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        donorId: z.string().uuid().optional(),
        channel: z.enum(DONATION_CHANNELS).optional(),
        from: IsoDay.optional(),
        to: IsoDay.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: { 200: { description: 'Donations', content: { 'application/json': { schema: z.object({ items: z.array(DonationSchema) }) } } } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const db = c.get('db');
    const rows = await listDonations(db, c.get('org').id, q);
    return c.json({ items: await Promise.all(rows.map((d) => donationJson(db, d))) }, 200);
  },
);

givingApi.openapi(
  apiRoute(MONEY_READ, {
    method: 'get',
    path: '/orgs/{org}/donations/export.csv',
    tags: ['giving'],
    summary: 'All donations as CSV, oldest first (UTF-8 with BOM; streamed, any size); optional from/to dates (Vietnam time)',
    request: { params: OrgParam, query: z.object({ from: IsoDay.optional(), to: IsoDay.optional() }) },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { stream, done } = donationsCsvStream(c.get('db'), c.get('org').id, {
      from: q.from ? new Date(`${q.from}T00:00:00+07:00`) : undefined,
      to: q.to ? new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 86_400_000) : undefined,
    });
    // The database stays with the request until the last page is read.
    c.get('defer')(done);
    return c.body(stream, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="donations.csv"' });
  },
);

export async function listDonations(
  db: Db,
  orgId: string,
  q: { campaignId?: string; generalFund?: boolean; donorId?: string; channel?: (typeof DONATION_CHANNELS)[number]; from?: string; to?: string; limit?: number },
) {
  const conds: SQL[] = [eq(donations.orgId, orgId)];
  if (q.campaignId) conds.push(eq(donations.campaignId, q.campaignId));
  // Gifts to the general fund: no campaign, into the organisation's one general fund.
  if (q.generalFund) conds.push(isNull(donations.campaignId), sql`${donations.fundId} in (select f.id from funds f where f.org_id = ${orgId} and f.kind = 'general')`);
  if (q.donorId) conds.push(eq(donations.donorId, q.donorId));
  if (q.channel) conds.push(eq(donations.channel, q.channel));
  if (q.from) conds.push(gte(donations.receivedAt, new Date(`${q.from}T00:00:00+07:00`)));
  if (q.to) conds.push(lt(donations.receivedAt, new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 86_400_000)));
  return db
    .select()
    .from(donations)
    .where(and(...conds))
    .orderBy(desc(donations.receivedAt), desc(donations.createdAt))
    .limit(q.limit ?? 100);
}

const OfflineGiftSchema = z
  .object({
    donorId: z.string().uuid().nullable().optional(),
    campaignId: z.string().uuid().nullable().optional(),
    fundId: z.string().uuid().nullable().optional(),
    channel: z.enum(OFFLINE_CHANNELS),
    amountMinor: Amount.positive(),
    currency: z.enum(CURRENCY_CODES as [string, ...string[]]).default('VND'),
    receivedOn: IsoDay,
    reference: z.string().trim().max(100).nullable().optional(),
    anonymous: z.boolean().default(false),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi('OfflineGift');

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/donations/offline',
    tags: ['giving'],
    summary: 'Record a cash, bank-transfer or cheque gift (once per reference); issues the receipt',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: OfflineGiftSchema } } } },
    responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: DonationSchema } } }, 409: { description: 'Already recorded', content: {} } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const db = c.get('db');
    const deps = c.get('deps');
    const d = await recordOfflineGift(db, c.get('org').id, { ...b, amountMinor: BigInt(b.amountMinor), createdBy: c.get('principal')?.userId ?? null }, { appUrl: deps.config.APP_URL, today: vietnamDate(deps.clock.now()) });
    kickOutbox(c);
    return c.json(await donationJson(db, d), 201);
  },
);

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/donations/{id}/refunds',
    tags: ['giving'],
    summary: 'Record money given back for an offline gift (card refunds are made in Stripe and arrive by webhook)',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ amountMinor: Amount.positive(), reason: z.string().trim().min(1).max(500) }).openapi('Refund') } } } },
    responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: DonationSchema } } }, 409: { description: 'More than the gift, or a card payment', content: {} } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const db = c.get('db');
    const orgId = c.get('org').id;
    const deps = c.get('deps');
    const [d] = await db.select().from(donations).where(and(eq(donations.orgId, orgId), eq(donations.id, id)));
    if (!d) throw notFound('Donation');
    if (d.channel === 'stripe') throw conflict('Card payments are refunded in Stripe; the refund arrives here by webhook.');
    await recordRefund(db, { orgId, donationId: id, amountMinor: BigInt(b.amountMinor), reason: b.reason, refundedAt: deps.clock.now(), createdBy: c.get('principal')?.userId ?? null }, { appUrl: deps.config.APP_URL });
    kickOutbox(c);
    return c.json(await donationJson(db, d), 201);
  },
);

// ---------- bank statements and reconciliation ----------

const StatementResultSchema = z
  .object({
    dryRun: z.boolean(),
    donationsCreated: z.number().int(),
    queued: z.number().int(),
    duplicates: z.number().int(),
    skipped: z.number().int(),
    lines: z.array(z.object({ line: z.number().int(), externalId: z.string(), bookedOn: z.string(), amountMinor: Amount, description: z.string(), reference: z.string().nullable(), action: z.enum(['donation', 'queue', 'duplicate', 'skipped']) })),
  })
  .openapi('StatementImportResult');

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/bank-statements',
    tags: ['reconciliation'],
    summary: 'Import a bank statement CSV: referenced credits become donations, the rest wait for staff. Any bad row → 400 with line numbers, nothing written',
    request: {
      params: OrgParam,
      body: { required: true, content: { 'application/json': { schema: z.object({ csv: z.string().min(1).max(900_000), dryRun: z.boolean().default(true), bankAccountId: z.string().uuid().nullable().optional(), filename: z.string().max(200).nullable().optional() }).openapi('StatementImport') } } },
    },
    responses: { 200: { description: 'Imported (or previewed)', content: { 'application/json': { schema: StatementResultSchema } } } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const deps = c.get('deps');
    const r = await importBankStatement(c.get('db'), c.get('org').id, { ...b, createdBy: c.get('principal')?.userId ?? null }, { appUrl: deps.config.APP_URL });
    if (r.errors.length) throw invalid(`${r.errors.length} problem(s) in the file; nothing was imported.`, r.errors.map((e) => ({ path: `csv.line.${e.line}`, message: e.message })));
    if (r.donationsCreated > 0 && !r.dryRun) kickOutbox(c);
    return c.json({ dryRun: r.dryRun, donationsCreated: r.donationsCreated, queued: r.queued, duplicates: r.duplicates, skipped: r.skipped, lines: r.lines.map((l) => ({ ...l, amountMinor: toJsonAmount(l.amountMinor) })) }, 200);
  },
);

const QueueItemSchema = z.object({ id: z.string().uuid(), bookedOn: z.string(), amountMinor: Amount, currency: z.string(), description: z.string(), externalId: z.string(), status: z.enum(['matched', 'pending', 'dismissed']), donationId: z.string().uuid().nullable() }).openapi('StatementLine');

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'get',
    path: '/orgs/{org}/reconciliation',
    tags: ['reconciliation'],
    summary: 'Bank statement lines by status (pending = waiting for staff)',
    request: { params: OrgParam, query: z.object({ status: z.enum(['pending', 'matched', 'dismissed']).default('pending') }) },
    responses: { 200: { description: 'Lines', content: { 'application/json': { schema: z.object({ items: z.array(QueueItemSchema) }) } } } },
  }),
  async (c) => {
    const rows = await reconciliationQueue(c.get('db'), c.get('org').id, c.req.valid('query').status);
    return c.json({ items: rows.map((r) => ({ id: r.id, bookedOn: r.bookedOn, amountMinor: toJsonAmount(r.amountMinor), currency: r.currency, description: r.description, externalId: r.externalId, status: r.status, donationId: r.donationId })) }, 200);
  },
);

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/reconciliation/{id}/match',
    tags: ['reconciliation'],
    summary: 'Turn a waiting line into a gift from a donor (existing or new) to a campaign or fund',
    request: {
      params: IdParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                donorId: z.string().uuid().nullable().optional(),
                newDonor: z.object({ name: z.string().trim().min(1).max(200), email: z.string().trim().email().nullable().optional() }).nullable().optional(),
                campaignId: z.string().uuid().nullable().optional(),
                fundId: z.string().uuid().nullable().optional(),
                anonymous: z.boolean().default(false),
              })
              .openapi('StatementMatch'),
          },
        },
      },
    },
    responses: { 201: { description: 'Donation recorded', content: { 'application/json': { schema: DonationSchema } } }, 409: { description: 'Already resolved', content: {} } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const deps = c.get('deps');
    const db = c.get('db');
    const d = await matchStatementLine(db, c.get('org').id, id, c.req.valid('json'), { appUrl: deps.config.APP_URL, userId: c.get('principal')?.userId ?? null, now: deps.clock.now() });
    kickOutbox(c);
    return c.json(await donationJson(db, d), 201);
  },
);

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/reconciliation/{id}/dismiss',
    tags: ['reconciliation'],
    summary: 'Dismiss a waiting line that is not a gift (with a reason)',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(1).max(300) }).openapi('StatementDismiss') } } } },
    responses: { 200: { description: 'Dismissed', content: { 'application/json': { schema: QueueItemSchema } } }, 409: { description: 'Already resolved', content: {} } },
  }),
  async (c) => {
    const deps = c.get('deps');
    const r = await dismissStatementLine(c.get('db'), c.get('org').id, c.req.valid('param').id, c.req.valid('json').reason, { userId: c.get('principal')?.userId ?? null, now: deps.clock.now() });
    return c.json({ id: r.id, bookedOn: r.bookedOn, amountMinor: toJsonAmount(r.amountMinor), currency: r.currency, description: r.description, externalId: r.externalId, status: r.status, donationId: r.donationId }, 200);
  },
);

const ReviewItemSchema = z
  .object({
    id: z.string().uuid(),
    eventId: z.string(),
    eventType: z.string(),
    reason: z.string(),
    status: z.enum(['open', 'resolved']),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('PaymentReviewItem');
const reviewJson = (r: PaymentReviewItem) => ({ ...r, createdAt: r.createdAt.toISOString(), resolvedAt: r.resolvedAt?.toISOString() ?? null });

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'get',
    path: '/orgs/{org}/payment-events-review',
    tags: ['reconciliation'],
    summary: "Stripe events of this organisation that could not be placed or kept failing, open ones first",
    request: { params: OrgParam },
    responses: { 200: { description: 'Events', content: { 'application/json': { schema: z.object({ items: z.array(ReviewItemSchema) }) } } } },
  }),
  async (c) => c.json({ items: (await listPaymentReview(c.get('db'), c.get('org').id)).map(reviewJson) }, 200),
);

givingApi.openapi(
  apiRoute(MONEY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/payment-events-review/{id}/resolve',
    tags: ['reconciliation'],
    summary: 'Mark a payment event under review as dealt with, with a short note (audited)',
    request: {
      params: IdParam,
      body: { required: true, content: { 'application/json': { schema: z.object({ note: z.string().trim().min(1).max(REVIEW_NOTE_MAX) }).openapi('PaymentReviewResolve') } } },
    },
    responses: { 200: { description: 'Resolved', content: { 'application/json': { schema: ReviewItemSchema } } }, 409: { description: 'Already resolved', content: {} } },
  }),
  async (c) => {
    const principal = c.get('principal')!;
    const r = await resolvePaymentReview(c.get('db'), c.get('org').id, c.req.valid('param').id, {
      note: c.req.valid('json').note,
      userId: principal.userId,
      actor: principal.kind === 'session' ? { actorKind: 'user', actorId: principal.userId } : { actorKind: 'api_token', actorId: principal.tokenId ?? null },
      requestId: c.get('requestId'),
      now: c.get('deps').clock.now(),
    });
    return c.json(reviewJson(r), 200);
  },
);

// ---------- public: giving to a campaign ----------
// Creating donations is rate-limited per client address (Checkout sessions and bank references).
givingApi.post('/orgs/:org/campaigns/:campaign/checkout', rateLimit(LIMITS.donationPerIp));
givingApi.post('/orgs/:org/campaigns/:campaign/bank-transfer', rateLimit(LIMITS.donationPerIp));

async function publicContext(c: Context<AppEnv>, orgSlug: string, campaignSlug: string) {
  const row = await publicCampaign(c.get('db'), orgSlug, campaignSlug);
  if (!row || row.campaign.status !== 'active') throw notFound('Campaign');
  return row;
}

const PublicCheckoutSchema = z
  .object({
    amountMinor: Amount.positive(),
    currency: z.enum(CURRENCY_CODES as [string, ...string[]]).optional(),
    interval: z.enum(['once', 'month']).default('once'),
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().email().max(254),
    locale: z.enum(['vi', 'en']).default('vi'),
    anonymous: z.boolean().default(false),
    emailConsent: z.boolean().default(false),
  })
  .openapi('CheckoutRequest');

const CheckoutCreated = z.object({ checkoutId: z.string().uuid(), url: z.string().url() });
const BankTransferRequest = z.object({ amountMinor: Amount.positive().max(10_000_000_000).optional() }).openapi('BankTransferRequest');
const BankTransferDetails = z.object({ reference: z.string(), bankBin: z.string(), bankName: z.string(), accountNumber: z.string(), accountName: z.string(), amountMinor: Amount.nullable(), payload: z.string(), svg: z.string() });

async function startPublicCardGift(c: Context<AppEnv>, t: GivingTarget, b: z.infer<typeof PublicCheckoutSchema>) {
  const deps = c.get('deps');
  const r = await startCardGift(c.get('db'), deps.payments, t, { ...b, amountMinor: BigInt(b.amountMinor) }, { appUrl: deps.config.APP_URL, logger: deps.logger });
  return { checkoutId: r.checkoutId, url: r.url };
}

async function publicBankTransfer(c: Context<AppEnv>, t: GivingTarget, amountMinor: number | string | undefined) {
  if (targetCurrency(t) !== 'VND') throw invalid(t.campaign ? 'Bank transfers are in VND; this campaign is in another currency.' : 'Bank transfers are in VND; this organisation keeps its books in another currency.');
  const details = await bankTransferDetails(c.get('db'), t.org.id, t.campaign, amountMinor === undefined ? null : BigInt(amountMinor));
  return { ...details, amountMinor: details.amountMinor === null ? null : toJsonAmount(details.amountMinor) };
}

givingApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/orgs/{org}/campaigns/{campaign}/checkout',
    tags: ['public giving'],
    summary: 'Start a card gift: returns the Stripe Checkout URL (503 when card payment is not configured)',
    request: { params: CampaignParam, body: { required: true, content: { 'application/json': { schema: PublicCheckoutSchema } } } },
    responses: {
      201: { description: 'Checkout created', content: { 'application/json': { schema: CheckoutCreated } } },
      404: { description: 'No such active campaign', content: {} },
      503: { description: 'Card payment not configured', content: {} },
    },
  }),
  async (c) => {
    const { org, campaign } = c.req.valid('param');
    return c.json(await startPublicCardGift(c, await publicContext(c, org, campaign), c.req.valid('json')), 201);
  },
);

givingApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/orgs/{org}/campaigns/{campaign}/bank-transfer',
    tags: ['public giving'],
    summary: 'Bank transfer details: account, a unique reference for the transfer note, the VietQR payload and its SVG',
    request: { params: CampaignParam, body: { required: true, content: { 'application/json': { schema: BankTransferRequest } } } },
    responses: {
      201: { description: 'Transfer details', content: { 'application/json': { schema: BankTransferDetails } } },
      404: { description: 'No such active campaign', content: {} },
    },
  }),
  async (c) => {
    const { org, campaign } = c.req.valid('param');
    return c.json(await publicBankTransfer(c, await publicContext(c, org, campaign), c.req.valid('json').amountMinor), 201);
  },
);

// ---------- public: giving to the organisation's general fund ----------
givingApi.post('/orgs/:org/general-fund/checkout', rateLimit(LIMITS.donationPerIp));
givingApi.post('/orgs/:org/general-fund/bank-transfer', rateLimit(LIMITS.donationPerIp));

async function generalTarget(c: Context<AppEnv>, orgSlug: string): Promise<GivingTarget> {
  const t = await findGivingTarget(c.get('db'), orgSlug, GENERAL_GIVING_SLUG);
  if (!t) throw notFound('Organisation');
  // A campaign that held the address before it was kept: its page is the one at /give, where a
  // general gift's thank-you page would be.
  if (t.campaign) throw conflict(`A campaign holds the address "${GENERAL_GIVING_SLUG}"; rename it to take general gifts online.`);
  return t;
}

givingApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/orgs/{org}/general-fund/checkout',
    tags: ['public giving'],
    summary: "Start a card gift to the organisation's general (unrestricted) fund, monthly or once (503 when card payment is not configured)",
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: PublicCheckoutSchema } } } },
    responses: {
      201: { description: 'Checkout created', content: { 'application/json': { schema: CheckoutCreated } } },
      404: { description: 'No such organisation', content: {} },
      503: { description: 'Card payment not configured', content: {} },
    },
  }),
  async (c) => c.json(await startPublicCardGift(c, await generalTarget(c, c.req.valid('param').org), c.req.valid('json')), 201),
);

givingApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/orgs/{org}/general-fund/bank-transfer',
    tags: ['public giving'],
    summary: "Bank transfer details for a gift to the organisation's general fund: account, a unique reference for the transfer note, the VietQR payload and its SVG",
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: BankTransferRequest } } } },
    responses: {
      201: { description: 'Transfer details', content: { 'application/json': { schema: BankTransferDetails } } },
      404: { description: 'No such organisation', content: {} },
    },
  }),
  async (c) => c.json(await publicBankTransfer(c, await generalTarget(c, c.req.valid('param').org), c.req.valid('json').amountMinor), 201),
);

givingApi.openapi(
  apiRoute('public', {
    method: 'get',
    path: '/orgs/{org}/campaigns/{campaign}/progress',
    tags: ['public giving'],
    summary: 'Public progress of an active campaign: raised, goal, donor count, recent gifts (given name or anonymous)',
    request: { params: CampaignParam },
    responses: {
      200: {
        description: 'Progress',
        content: {
          'application/json': {
            schema: z.object({
              title: z.string(),
              goalMinor: Amount,
              raisedMinor: Amount,
              currency: z.string(),
              donorCount: z.number().int(),
              recent: z.array(z.object({ name: z.string(), amountMinor: Amount, currency: z.string(), receivedOn: z.string() })),
            }),
          },
        },
      },
      404: { description: 'No such active campaign', content: {} },
    },
  }),
  async (c) => {
    const { org, campaign } = c.req.valid('param');
    const { org: o, campaign: camp } = await publicContext(c, org, campaign);
    const p = await campaignProgress(c.get('db'), camp, o.baseCurrency, c.get('locale'));
    return c.json(
      {
        title: localized(c.get('locale'), camp.title, camp.titleEn),
        goalMinor: toJsonAmount(camp.goalMinor),
        raisedMinor: toJsonAmount(p.raisedMinor),
        currency: camp.currency,
        donorCount: p.donorCount,
        recent: p.recent.map((r) => ({ name: r.name, amountMinor: toJsonAmount(r.amountMinor), currency: r.currency, receivedOn: vietnamDate(r.receivedAt) })),
      },
      200,
    );
  },
);

