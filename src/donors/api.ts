import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, OrgParam } from '../http/routes';
import { invalid } from '../http/problem';
import { DONOR_KINDS, type Role } from '../db/schema';
import { createDonor, donorTotals, findDuplicateDonors, getDonor, listDonors, mergeDonors, recentDonationsOfDonor, updateDonor, type Donor, type DonorSegment } from './donors';
import { donorsCsvStream, importDonors } from './import';
import { toJsonAmount } from '../giving/money';

export const DONOR_READ: readonly Role[] = ['admin', 'finance', 'coordinator', 'viewer'];
export const DONOR_WRITE: readonly Role[] = ['admin', 'finance', 'coordinator'];

export const DonorSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(DONOR_KINDS),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.enum(['vi', 'en']),
    emailConsent: z.boolean(),
    anonymous: z.boolean(),
    tags: z.array(z.string()),
    country: z.string().nullable(),
    notes: z.string().nullable(),
    mergedIntoId: z.string().uuid().nullable(),
    createdAt: z.string(),
  })
  .openapi('Donor');

export const donorJson = (d: Donor) => ({
  id: d.id,
  kind: d.kind,
  name: d.name,
  email: d.email,
  phone: d.phone,
  locale: d.locale,
  emailConsent: d.emailConsent,
  anonymous: d.anonymous,
  tags: d.tags,
  country: d.country,
  notes: d.notes,
  mergedIntoId: d.mergedIntoId,
  createdAt: d.createdAt.toISOString(),
});

const DonorInputSchema = z
  .object({
    kind: z.enum(DONOR_KINDS).default('person'),
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().email().max(254).nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    locale: z.enum(['vi', 'en']).default('vi'),
    emailConsent: z.boolean().default(false),
    anonymous: z.boolean().default(false),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    country: z.string().trim().max(60).nullable().optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .openapi('DonorInput');

const IdParam = OrgParam.extend({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const TotalSchema = z.object({ currency: z.string(), grossMinor: z.number().int(), refundedMinor: z.number().int(), netMinor: z.number().int(), gifts: z.number().int() });

export const donorsApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const year = z.coerce.number().int().min(2000).max(2100).optional();
const SegmentQuery = z.object({
  gaveIn: year.openapi({ description: 'Only donors who gave in this calendar year (Vietnam time)' }),
  lapsedIn: year.openapi({ description: 'Only donors who gave in the year before this one and not in this one' }),
});

function segmentOf(q: z.infer<typeof SegmentQuery>): DonorSegment | undefined {
  if (q.gaveIn && q.lapsedIn) throw invalid('Choose gaveIn or lapsedIn, not both.', [{ path: 'lapsedIn', message: 'not with gaveIn' }]);
  return q.gaveIn ? { kind: 'gave', year: q.gaveIn } : q.lapsedIn ? { kind: 'lapsed', year: q.lapsedIn } : undefined;
}

donorsApi.openapi(
  apiRoute(DONOR_READ, {
    method: 'get',
    path: '/orgs/{org}/donors',
    tags: ['donors'],
    summary: 'Search donors by name (diacritics ignored), email or phone',
    request: { params: OrgParam, query: SegmentQuery.extend({ q: z.string().max(100).optional(), tag: z.string().max(50).optional(), limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }) },
    responses: { 200: { description: 'Donors', content: { 'application/json': { schema: z.object({ items: z.array(DonorSchema) }) } } } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const rows = await listDonors(c.get('db'), c.get('org').id, { ...q, segment: segmentOf(q) });
    return c.json({ items: rows.map(donorJson) }, 200);
  },
);

donorsApi.openapi(
  apiRoute(DONOR_WRITE, {
    method: 'post',
    path: '/orgs/{org}/donors',
    tags: ['donors'],
    summary: 'Add a donor (person, group or organisation)',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: DonorInputSchema } } } },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: DonorSchema } } } },
  }),
  async (c) => c.json(donorJson(await createDonor(c.get('db'), c.get('org').id, c.req.valid('json'))), 201),
);

donorsApi.openapi(
  apiRoute(DONOR_READ, {
    method: 'get',
    path: '/orgs/{org}/donors/duplicates',
    tags: ['donors'],
    summary: 'Pairs of donors that look like the same person (same email, phone or name)',
    request: { params: OrgParam },
    responses: {
      200: {
        description: 'Candidate pairs',
        content: {
          'application/json': {
            schema: z.object({
              items: z.array(z.object({ a: DonorSchema, b: DonorSchema, reasons: z.array(z.enum(['email', 'phone', 'name'])) })),
              total: z.number().int().openapi({ description: 'How many pairs there are; items holds the 200 closest (most reasons shared), older record first' }),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const { pairs, total } = await findDuplicateDonors(c.get('db'), c.get('org').id);
    return c.json({ items: pairs.map((p) => ({ a: donorJson(p.a), b: donorJson(p.b), reasons: p.reasons })), total }, 200);
  },
);

donorsApi.openapi(
  apiRoute(DONOR_READ, {
    method: 'get',
    path: '/orgs/{org}/donors/export.csv',
    tags: ['donors'],
    summary: 'All donors as CSV (UTF-8 with BOM; cells starting with = + - @ are escaped)',
    request: { params: OrgParam, query: SegmentQuery },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
  }),
  async (c) => {
    const { stream, done } = donorsCsvStream(c.get('db'), c.get('org').id, segmentOf(c.req.valid('query')));
    // The database stays with the request until the last page is read.
    c.get('defer')(done);
    return c.body(stream, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="donors.csv"' });
  },
);

const ImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    created: z.number().int(),
    rows: z.array(z.object({ line: z.number().int(), name: z.string(), email: z.string().nullable(), action: z.enum(['create', 'existing']), possibleDuplicateOf: z.string().nullable() })),
  })
  .openapi('DonorImportResult');

donorsApi.openapi(
  apiRoute(DONOR_WRITE, {
    method: 'post',
    path: '/orgs/{org}/donors/import',
    tags: ['donors'],
    summary: 'Import donors from CSV; dryRun lists what would happen. Any bad row → 400 with line numbers and nothing written',
    request: { params: OrgParam, body: { required: true, content: { 'application/json': { schema: z.object({ csv: z.string().min(1).max(900_000), dryRun: z.boolean().default(true) }).openapi('DonorImport') } } } },
    responses: { 200: { description: 'Imported (or previewed)', content: { 'application/json': { schema: ImportResultSchema } } } },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const r = await importDonors(c.get('db'), c.get('org').id, body);
    if (r.errors.length) throw invalid(`${r.errors.length} row(s) have errors; nothing was imported.`, r.errors.map((e) => ({ path: `csv.line.${e.line}`, message: e.message })));
    return c.json({ dryRun: r.dryRun, created: r.created, rows: r.rows.map(({ existingId: _e, ...rest }) => rest) }, 200);
  },
);

donorsApi.openapi(
  apiRoute(DONOR_READ, {
    method: 'get',
    path: '/orgs/{org}/donors/{id}',
    tags: ['donors'],
    summary: 'A donor with lifetime totals and giving history',
    request: { params: IdParam },
    responses: {
      200: {
        description: 'Donor',
        content: {
          'application/json': {
            schema: z.object({
              donor: DonorSchema,
              totals: z.array(TotalSchema),
              donations: z.array(z.object({ id: z.string().uuid(), amountMinor: z.number().int(), currency: z.string(), channel: z.string(), receivedAt: z.string(), campaignId: z.string().uuid().nullable() })),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const orgId = c.get('org').id;
    const donor = await getDonor(db, orgId, id);
    const totals = await donorTotals(db, orgId, id);
    const ds = await recentDonationsOfDonor(db, orgId, id);
    return c.json(
      {
        donor: donorJson(donor),
        totals: totals.map((t) => ({ currency: t.currency, grossMinor: toJsonAmount(t.grossMinor), refundedMinor: toJsonAmount(t.refundedMinor), netMinor: toJsonAmount(t.netMinor), gifts: t.gifts })),
        donations: ds.map((d) => ({ id: d.id, amountMinor: toJsonAmount(d.amountMinor), currency: d.currency, channel: d.channel, receivedAt: d.receivedAt.toISOString(), campaignId: d.campaignId })),
      },
      200,
    );
  },
);

donorsApi.openapi(
  apiRoute(DONOR_WRITE, {
    method: 'put',
    path: '/orgs/{org}/donors/{id}',
    tags: ['donors'],
    summary: "Update a donor's details and preferences",
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: DonorInputSchema } } } },
    responses: { 200: { description: 'Updated', content: { 'application/json': { schema: DonorSchema } } } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    return c.json(donorJson(await updateDonor(c.get('db'), c.get('org').id, id, c.req.valid('json'), c.get('deps').clock.now())), 200);
  },
);

donorsApi.openapi(
  apiRoute(['admin', 'finance'], {
    method: 'post',
    path: '/orgs/{org}/donors/{id}/merge',
    tags: ['donors'],
    summary: 'Merge another donor into this one; every gift moves here',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ mergeId: z.string().uuid() }).openapi('DonorMerge') } } } },
    responses: { 200: { description: 'Merged', content: { 'application/json': { schema: z.object({ keptId: z.string().uuid(), donationsMoved: z.number().int() }) } } } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { mergeId } = c.req.valid('json');
    const p = c.get('principal')!;
    const r = await mergeDonors(c.get('db'), c.get('org').id, id, mergeId, {
      actorKind: p.kind === 'session' ? 'user' : 'api_token',
      actorId: p.kind === 'session' ? p.userId : p.tokenId,
      requestId: c.get('requestId'),
      at: c.get('deps').clock.now(),
    });
    return c.json(r, 200);
  },
);
