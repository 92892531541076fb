import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, IsoDay, OrgParam } from '../http/routes';
import { DRIVE_STATUSES, UNIT_STATUSES, type Role } from '../db/schema';
import { kickOutbox } from '../mail/kick';
import { OFFLINE_CHANNELS } from '../giving/gifts';
import { CURRENCY_CODES, toJsonAmount, vietnamDate } from '../giving/money';
import { donationJson, DonationSchema } from '../giving/api';
import { getOrganisationBySlug } from '../orgs/orgs';
import { getCampaign } from '../giving/campaigns';
import { notFound } from '../http/problem';
import { createDrive, createPackageType, driveFunding, drivesFunding, getDrive, listDriveUnits, listDrives, listPackageTypes, moveDriveSurplus, type DriveFunding, type PackageDrive, type PackageType } from './drives';
import { cancelUnit, recordOfflinePackageGift, startPackageCheckout } from './funding';
import { autoMatchDrive, explainCandidate, matchPackageUnit, rankedCandidates, suggestMatches, unmatchUnit, type Candidate } from './matching';
import { deliverUnits, undoDelivery } from './delivery';

/** Who does what with gift packages. Caseworkers (who may see identities) are kept out. */
export const PACKAGES_READ: readonly Role[] = ['admin', 'finance', 'coordinator', 'viewer'];
export const PACKAGES_MANAGE: readonly Role[] = ['admin', 'coordinator'];
export const PACKAGES_MONEY: readonly Role[] = ['admin', 'finance'];

const Amount = z.number().int().safe();
const Uuid = z.string().uuid();
const IdParam = OrgParam.extend({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });
const Reason = z.string().trim().min(1).max(500);

const EligibilitySchema = z.object({
  minAge: z.number().int().min(0).max(120).nullable().optional(),
  maxAge: z.number().int().min(0).max(120).nullable().optional(),
  categories: z.array(z.string().max(40)).max(20).optional(),
  locationIds: z.array(Uuid).max(50).optional(),
});

const PackageTypeSchema = z
  .object({
    id: Uuid,
    nameVi: z.string(),
    nameEn: z.string().nullable(),
    contentsVi: z.string(),
    contentsEn: z.string().nullable(),
    unitValueMinor: Amount,
    currency: z.string(),
    minAge: z.number().int().nullable(),
    maxAge: z.number().int().nullable(),
    categories: z.array(z.string()),
    locationIds: z.array(z.string()),
  })
  .openapi('PackageType');

const typeJson = (t: PackageType) => ({
  id: t.id,
  nameVi: t.nameVi,
  nameEn: t.nameEn,
  contentsVi: t.contentsVi,
  contentsEn: t.contentsEn,
  unitValueMinor: toJsonAmount(t.unitValueMinor),
  currency: t.currency,
  minAge: t.minAge,
  maxAge: t.maxAge,
  categories: t.categories,
  locationIds: t.locationIds,
});

const FundingSchema = z.object({
  target: z.number().int(),
  funded: z.number().int(),
  matched: z.number().int(),
  delivered: z.number().int(),
  cancelled: z.number().int(),
  active: z.number().int(),
  shortfallUnits: z.number().int(),
  overTargetUnits: z.number().int(),
  balanceMinor: Amount,
  committedMinor: Amount,
  surplusMinor: Amount,
  deliveredMinor: Amount,
});

const DriveSchema = z
  .object({
    id: Uuid,
    campaignId: Uuid,
    packageTypeId: Uuid,
    fundId: Uuid,
    titleVi: z.string(),
    titleEn: z.string().nullable(),
    targetCount: z.number().int(),
    unitValueMinor: Amount,
    currency: z.string(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    status: z.enum(DRIVE_STATUSES),
    minAge: z.number().int().nullable(),
    maxAge: z.number().int().nullable(),
    categories: z.array(z.string()),
    locationIds: z.array(z.string()),
    funding: FundingSchema,
  })
  .openapi('PackageDrive');

/** A drive as the API shows it, with its funding (load it with driveFunding or drivesFunding). */
function driveJson(d: PackageDrive, f: DriveFunding) {
  return {
    id: d.id,
    campaignId: d.campaignId,
    packageTypeId: d.packageTypeId,
    fundId: d.fundId,
    titleVi: d.titleVi,
    titleEn: d.titleEn,
    targetCount: d.targetCount,
    unitValueMinor: toJsonAmount(d.unitValueMinor),
    currency: d.currency,
    startsOn: d.startsOn,
    endsOn: d.endsOn,
    status: d.status,
    minAge: d.minAge,
    maxAge: d.maxAge,
    categories: d.categories,
    locationIds: d.locationIds,
    funding: {
      target: f.target,
      funded: f.funded,
      matched: f.matched,
      delivered: f.delivered,
      cancelled: f.cancelled,
      active: f.active,
      shortfallUnits: f.shortfallUnits,
      overTargetUnits: f.overTargetUnits,
      balanceMinor: toJsonAmount(f.balanceMinor),
      committedMinor: toJsonAmount(f.committedMinor),
      surplusMinor: toJsonAmount(f.surplusMinor),
      deliveredMinor: toJsonAmount(f.deliveredMinor),
    },
  };
}

const UnitSchema = z
  .object({
    id: Uuid,
    status: z.enum(UNIT_STATUSES),
    donationId: Uuid,
    caseId: Uuid.nullable(),
    caseCode: z.string().nullable(),
    overrideReason: z.string().nullable(),
    matchReason: z.string().nullable(),
    deliveredOn: z.string().nullable(),
    valueMinor: Amount,
    currency: z.string(),
  })
  .openapi('PackageUnit');

const CandidateSchema = z
  .object({
    caseId: Uuid,
    code: z.string(),
    ageBand: z.string(),
    gender: z.string(),
    location: z.string(),
    categories: z.array(z.string()),
    urgency: z.string(),
    servedInDrive: z.boolean(),
    packages12m: z.number().int(),
    waitingSince: z.string(),
    why: z.string(),
  })
  .openapi('MatchCandidate');

const candidateJson = (cand: Candidate, locale: 'vi' | 'en', currency: string) => ({
  caseId: cand.caseId,
  code: cand.code,
  ageBand: cand.ageBand,
  gender: cand.gender,
  location: cand.locationName,
  categories: cand.categories,
  urgency: cand.urgency,
  servedInDrive: cand.servedInDrive,
  packages12m: cand.packages12m,
  waitingSince: cand.waitingSince.toISOString(),
  why: explainCandidate(cand, locale, currency),
});

const actor = (c: Context<AppEnv>) => c.get('principal')?.userId ?? null;
const now = (c: Context<AppEnv>) => c.get('deps').clock.now();

export const packagesApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// ---------- package types ----------

packagesApi.openapi(
  apiRoute(PACKAGES_READ, {
    method: 'get',
    path: '/orgs/{org}/package-types',
    tags: ['packages'],
    summary: 'Gift package types (contents, value, eligibility)',
    request: { params: OrgParam },
    responses: { 200: { description: 'Package types', content: { 'application/json': { schema: z.object({ items: z.array(PackageTypeSchema) }) } } } },
  }),
  async (c) => c.json({ items: (await listPackageTypes(c.get('db'), c.get('org').id)).map(typeJson) }, 200),
);

const PackageTypeInput = EligibilitySchema.extend({
  nameVi: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).nullable().optional(),
  contentsVi: z.string().trim().max(2000).default(''),
  contentsEn: z.string().trim().max(2000).nullable().optional(),
  unitValueMinor: Amount.positive(),
  currency: z.enum(CURRENCY_CODES as [string, ...string[]]).default('VND'),
}).openapi('PackageTypeInput');

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-types',
    tags: ['packages'],
    summary: 'Create a package type',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: PackageTypeInput } } } },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: PackageTypeSchema } } } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const t = await createPackageType(c.get('db'), c.get('org').id, { ...b, unitValueMinor: BigInt(b.unitValueMinor), createdBy: actor(c) });
    return c.json(typeJson(t), 201);
  },
);

// ---------- drives ----------

packagesApi.openapi(
  apiRoute(PACKAGES_READ, {
    method: 'get',
    path: '/orgs/{org}/package-drives',
    tags: ['packages'],
    summary: 'Package drives with their funding status',
    request: { params: OrgParam },
    responses: { 200: { description: 'Drives', content: { 'application/json': { schema: z.object({ items: z.array(DriveSchema) }) } } } },
  }),
  async (c) => {
    const drives = await listDrives(c.get('db'), c.get('org').id);
    const funding = await drivesFunding(c.get('db'), c.get('org').id, drives);
    return c.json({ items: drives.map((d) => driveJson(d, funding.get(d.id)!)) }, 200);
  },
);

const DriveInput = z
  .object({
    campaignId: Uuid,
    packageTypeId: Uuid,
    titleVi: z.string().trim().min(1).max(300),
    titleEn: z.string().trim().max(300).nullable().optional(),
    targetCount: z.number().int().min(1).max(100_000),
    startsOn: IsoDay.nullable().optional(),
    endsOn: IsoDay.nullable().optional(),
    status: z.enum(DRIVE_STATUSES).default('active'),
    eligibility: EligibilitySchema.optional(),
  })
  .openapi('PackageDriveInput');

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-drives',
    tags: ['packages'],
    summary: 'Create a package drive inside a campaign, with its own restricted fund',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: DriveInput } } } },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: DriveSchema } } } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const d = await createDrive(c.get('db'), c.get('org').id, { ...b, createdBy: actor(c) });
    return c.json(driveJson(d, await driveFunding(c.get('db'), d)), 201);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_READ, {
    method: 'get',
    path: '/orgs/{org}/package-drives/{id}',
    tags: ['packages'],
    summary: 'One drive: funded count against target, money in the fund against what undelivered units need, surplus',
    request: { params: IdParam },
    responses: { 200: { description: 'Drive', content: { 'application/json': { schema: DriveSchema } } } },
  }),
  async (c) => {
    const d = await getDrive(c.get('db'), c.get('org').id, c.req.valid('param').id);
    return c.json(driveJson(d, await driveFunding(c.get('db'), d)), 200);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_READ, {
    method: 'get',
    path: '/orgs/{org}/package-drives/{id}/units',
    tags: ['packages'],
    summary: "A drive's units with their status (case code only, never identity)",
    request: {
      params: IdParam,
      query: z.object({ status: z.enum(UNIT_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }),
    },
    responses: { 200: { description: 'Units', content: { 'application/json': { schema: z.object({ total: z.number().int(), items: z.array(UnitSchema) }) } } } },
  }),
  async (c) => {
    const orgId = c.get('org').id;
    const drive = await getDrive(c.get('db'), orgId, c.req.valid('param').id);
    const r = await listDriveUnits(c.get('db'), orgId, drive.id, c.req.valid('query'));
    return c.json({ total: r.total, items: r.items.map((u) => ({ id: u.id, status: u.status, donationId: u.donationId, caseId: u.caseId, caseCode: u.caseCode, overrideReason: u.overrideReason, matchReason: u.matchReason, deliveredOn: u.deliveredOn, valueMinor: toJsonAmount(u.valueMinor), currency: u.currency })) }, 200);
  },
);

// ---------- matching ----------

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'get',
    path: '/orgs/{org}/package-drives/{id}/suggestions',
    tags: ['packages'],
    summary: 'Suggested matches (funded unit → eligible open case) in fairness order, each with why',
    request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }) },
    responses: {
      200: {
        description: 'Suggestions',
        content: { 'application/json': { schema: z.object({ fundedTotal: z.number().int(), candidateTotal: z.number().int(), items: z.array(z.object({ unitId: Uuid, candidate: CandidateSchema })) }) } },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const r = await suggestMatches(c.get('db'), c.get('org').id, c.req.valid('param').id, { asOf: now(c), ...q });
    const locale = c.get('locale');
    return c.json({ fundedTotal: r.fundedTotal, candidateTotal: r.candidateTotal, items: r.suggestions.map((s) => ({ unitId: s.unitId, candidate: candidateJson(s.candidate, locale, r.drive.currency) })) }, 200);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'get',
    path: '/orgs/{org}/package-drives/{id}/candidates',
    tags: ['packages'],
    summary: 'Eligible open cases in fairness order (for picking by hand); non-identifying attributes only',
    request: {
      params: IdParam,
      query: z.object({ code: z.string().max(40).optional(), includeServed: z.enum(['true', 'false']).default('false'), limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }),
    },
    responses: { 200: { description: 'Candidates', content: { 'application/json': { schema: z.object({ total: z.number().int(), items: z.array(CandidateSchema) }) } } } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const drive = await getDrive(c.get('db'), c.get('org').id, c.req.valid('param').id);
    const r = await rankedCandidates(c.get('db'), drive, { asOf: now(c), code: q.code, includeServed: q.includeServed === 'true', limit: q.limit, offset: q.offset });
    return c.json({ total: r.total, items: r.items.map((x) => candidateJson(x, c.get('locale'), drive.currency)) }, 200);
  },
);

const MatchInput = z
  .object({
    unitId: Uuid,
    caseId: Uuid,
    mode: z.enum(['suggested', 'manual']).default('suggested'),
    reason: z.string().trim().max(500).nullable().optional(),
    overrideReason: z.string().trim().max(500).nullable().optional(),
  })
  .openapi('MatchInput');

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/matches',
    tags: ['packages'],
    summary: 'Match a funded unit to a child (accept a suggestion, or pick by hand with a reason); 409 if either was taken',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: MatchInput } } } },
    responses: { 201: { description: 'Matched', content: { 'application/json': { schema: z.object({ unitId: Uuid, caseId: Uuid, status: z.literal('matched') }) } } }, 409: { description: 'Unit or child already taken, or case closed', content: {} } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const u = await matchPackageUnit(c.get('db'), c.get('org').id, { driveId: c.req.valid('param').id, ...b, actorId: actor(c), now: now(c) });
    return c.json({ unitId: u.id, caseId: u.caseId!, status: 'matched' as const }, 201);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/auto-match',
    tags: ['packages'],
    summary: "Accept all current suggestions of a drive (units or children taken meanwhile are skipped)",
    request: { params: IdParam },
    responses: { 200: { description: 'Result', content: { 'application/json': { schema: z.object({ matched: z.number().int(), skipped: z.number().int() }) } } } },
  }),
  async (c) => {
    const orgId = c.get('org').id;
    const drive = await getDrive(c.get('db'), orgId, c.req.valid('param').id);
    return c.json(await autoMatchDrive(c.get('db'), orgId, drive.id, { actorId: actor(c), now: now(c) }), 200);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-units/{id}/unmatch',
    tags: ['packages'],
    summary: 'Take a matched (not delivered) unit back from a child, with a reason',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ reason: Reason }) } } } },
    responses: { 200: { description: 'Unmatched', content: { 'application/json': { schema: z.object({ unitId: Uuid, status: z.literal('funded') }) } } } },
  }),
  async (c) => {
    const u = await unmatchUnit(c.get('db'), c.get('org').id, { unitId: c.req.valid('param').id, reason: c.req.valid('json').reason, actorId: actor(c), now: now(c) });
    return c.json({ unitId: u.id, status: 'funded' as const }, 200);
  },
);

// ---------- delivery ----------

const DeliveryInput = z
  .object({
    unitIds: z.array(Uuid).min(1).max(500),
    deliveredOn: IsoDay,
    place: z.string().trim().min(1).max(200),
    staff: z.string().trim().min(1).max(200),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi('PackageDeliveryInput');

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/deliveries',
    tags: ['packages'],
    summary: 'Record a hand-over of matched units (all or nothing); moves their value to programme expense',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DeliveryInput } } } },
    responses: { 201: { description: 'Delivered', content: { 'application/json': { schema: z.object({ deliveryId: Uuid, delivered: z.number().int() }) } } }, 409: { description: 'Some units are not matched', content: {} } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const r = await deliverUnits(c.get('db'), c.get('org').id, { driveId: c.req.valid('param').id, ...b, actorId: actor(c), now: now(c), today: vietnamDate(now(c)) });
    return c.json({ deliveryId: r.delivery.id, delivered: r.units.length }, 201);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_MANAGE, {
    method: 'post',
    path: '/orgs/{org}/package-units/{id}/undo-delivery',
    tags: ['packages'],
    summary: 'Undo a delivery within 24 hours, with a reason (a new event and a reversing ledger entry)',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ reason: Reason }) } } } },
    responses: { 200: { description: 'Undone', content: { 'application/json': { schema: z.object({ unitId: Uuid, status: z.literal('matched') }) } } }, 409: { description: 'Not delivered, or older than 24 hours', content: {} } },
  }),
  async (c) => {
    const u = await undoDelivery(c.get('db'), c.get('org').id, { unitId: c.req.valid('param').id, reason: c.req.valid('json').reason, actorId: actor(c), now: now(c) });
    return c.json({ unitId: u.id, status: 'matched' as const }, 200);
  },
);

// ---------- money ----------

const OfflinePackageGift = z
  .object({
    donorId: Uuid.nullable().optional(),
    channel: z.enum(OFFLINE_CHANNELS),
    quantity: z.number().int().min(1).max(1000),
    receivedOn: IsoDay,
    reference: z.string().trim().max(100).nullable().optional(),
    anonymous: z.boolean().default(false),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi('OfflinePackageGift');

packagesApi.openapi(
  apiRoute(PACKAGES_MONEY, {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/offline-gifts',
    tags: ['packages'],
    summary: 'Record a cash, transfer or cheque gift for N packages (N × unit value); creates N funded units',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: OfflinePackageGift } } } },
    responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: DonationSchema } } }, 409: { description: 'Reference already recorded', content: {} } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const deps = c.get('deps');
    const d = await recordOfflinePackageGift(c.get('db'), c.get('org').id, c.req.valid('param').id, { ...b, createdBy: actor(c) }, { appUrl: deps.config.APP_URL, today: vietnamDate(now(c)) });
    kickOutbox(c);
    return c.json(await donationJson(c.get('db'), d), 201);
  },
);

const CancelInput = z
  .object({
    action: z.enum(['refund', 'general_fund', 'move_to_drive']),
    targetDriveId: Uuid.optional(),
    reason: Reason,
  })
  .openapi('PackageCancelInput');

packagesApi.openapi(
  apiRoute(PACKAGES_MONEY, {
    method: 'post',
    path: '/orgs/{org}/package-units/{id}/cancel',
    tags: ['packages'],
    summary: 'Cancel a funded unit: refund (offline gifts), re-designate to the general fund, or move to another drive',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: CancelInput } } } },
    responses: { 200: { description: 'Cancelled', content: { 'application/json': { schema: z.object({ unitId: Uuid, status: z.literal('cancelled'), action: z.string() }) } } } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const deps = c.get('deps');
    const action = b.action === 'move_to_drive' ? { kind: 'move_to_drive' as const, driveId: b.targetDriveId ?? '' } : { kind: b.action };
    const r = await cancelUnit(c.get('db'), c.get('org').id, { unitId: c.req.valid('param').id, action, reason: b.reason, actorId: actor(c), now: now(c) }, { appUrl: deps.config.APP_URL });
    kickOutbox(c);
    return c.json({ unitId: r.unit.id, status: 'cancelled' as const, action: b.action }, 200);
  },
);

packagesApi.openapi(
  apiRoute(PACKAGES_MONEY, {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/surplus',
    tags: ['packages'],
    summary: "Move a drive's surplus (money no undelivered unit needs) to the general fund or another drive; recorded with a reason",
    request: {
      params: IdParam,
      body: { required: true, content: { 'application/json': { schema: z.object({ to: z.enum(['general', 'drive']), toDriveId: Uuid.optional(), amountMinor: Amount.positive(), reason: Reason }).openapi('SurplusDecision') } } },
    },
    responses: { 201: { description: 'Moved', content: { 'application/json': { schema: z.object({ decisionId: Uuid, toFundId: Uuid }) } } } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const r = await moveDriveSurplus(c.get('db'), c.get('org').id, {
      driveId: c.req.valid('param').id,
      to: b.to === 'general' ? 'general' : { driveId: b.toDriveId ?? '' },
      amountMinor: BigInt(b.amountMinor),
      reason: b.reason,
      actorId: actor(c),
      now: now(c),
      requestId: c.get('requestId'),
    });
    return c.json(r, 201);
  },
);

// ---------- public: fund packages by card ----------

packagesApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/orgs/{org}/package-drives/{id}/checkout',
    tags: ['public giving'],
    summary: 'Fund N packages by card: returns the Stripe Checkout URL; the webhook creates N units once',
    request: {
      params: IdParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                name: z.string().trim().min(1).max(200),
                email: z.string().trim().email().max(254),
                locale: z.enum(['vi', 'en']).default('vi'),
                anonymous: z.boolean().default(false),
                emailConsent: z.boolean().default(false),
                quantity: z.number().int().min(1).max(1000),
              })
              .openapi('PackageCheckoutRequest'),
          },
        },
      },
    },
    responses: {
      201: { description: 'Checkout created', content: { 'application/json': { schema: z.object({ checkoutId: Uuid, url: z.string().url() }) } } },
      404: { description: 'No such drive', content: {} },
      503: { description: 'Card payment not configured', content: {} },
    },
  }),
  async (c) => {
    const { org, id } = c.req.valid('param');
    const o = await getOrganisationBySlug(c.get('db'), org);
    if (!o) throw notFound('Organisation');
    const b = c.req.valid('json');
    const deps = c.get('deps');
    const drive = await getDrive(c.get('db'), o.id, id);
    const campaign = await getCampaign(c.get('db'), o.id, drive.campaignId);
    const base = `${deps.config.APP_URL}/c/${o.slug}/${campaign.slug}`;
    const r = await startPackageCheckout(c.get('db'), deps.payments, o.id, drive.id, { ...b, successUrl: `${base}/thanks`, cancelUrl: `${base}?cancelled=1` }, { logger: deps.logger });
    return c.json({ checkoutId: r.checkoutId, url: r.url }, 201);
  },
);
