import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, IsoDay, OrgParam } from '../http/routes';
import { notFound } from '../http/problem';
import { FUNDER_TYPES, REPORT_SCHEDULES, type Role } from '../db/schema';
import { kickOutbox } from '../mail/kick';
import { isLocale } from '../ui/i18n';
import { addFunderContact, createFunder, createGrant, getGrant, listFunders, listGrants, updateGrant, type GrantInput } from './grants';
import { INDICATORS } from './indicators';
import { renderVersionFile, publishVersion, versionFiles } from './render';
import {
  createReport,
  createReportLink,
  diffModels,
  generateVersion,
  getReport,
  getVersion,
  listReportLinks,
  listReports,
  listVersions,
  modelFromJson,
  revokeReportLink,
} from './versions';
import { listDeliveries, sendDelivery } from './delivery';

export const REPORT_READ: readonly Role[] = ['admin', 'finance', 'coordinator', 'viewer'];
export const REPORT_WRITE: readonly Role[] = ['admin', 'finance', 'coordinator'];
export const GRANT_WRITE: readonly Role[] = ['admin', 'finance'];

const Amount = z.number().int().safe();
const Uuid = z.string().uuid();
const IdParam = OrgParam.extend({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });
const VersionParam = IdParam.extend({ version: z.coerce.number().int().min(1).max(100000).openapi({ param: { name: 'version', in: 'path' }, example: 1 }) });
const FileParam = VersionParam.extend({ file: z.string().min(1).max(120).openapi({ param: { name: 'file', in: 'path' }, example: 'report.pdf' }) });
const day = IsoDay;

const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const Anything = z.record(z.string(), z.unknown());

const TargetSchema = z.object({
  indicatorId: z.string().min(1).max(80),
  baselineYear: z.number().int().min(1990).max(2200).nullable().optional(),
  baselineValue: Amount.min(0).nullable().optional(),
  targetValue: Amount.min(0),
});

const GrantInputSchema = z
  .object({
    funderId: Uuid,
    code: z.string().trim().min(1).max(40).regex(/^[a-z0-9][a-z0-9-]*$/),
    title: z.string().trim().min(1).max(200),
    titleEn: z.string().trim().max(200).nullable().optional(),
    description: z.string().trim().max(4000).optional(),
    amountMinor: Amount.min(0),
    currency: z.string().regex(/^[A-Z]{3}$/).default('VND'),
    startsOn: day,
    endsOn: day,
    purpose: z
      .object({
        campaignIds: z.array(Uuid).max(50).optional(),
        driveIds: z.array(Uuid).max(50).optional(),
        categories: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/)).max(50).optional(),
        locationIds: z.array(Uuid).max(200).optional(),
      })
      .default({}),
    schedule: z.enum(REPORT_SCHEDULES).default('quarterly'),
    nextDueOn: day.nullable().optional(),
    targets: z.array(TargetSchema).max(100).default([]),
  })
  .openapi('GrantInput');

const toGrantInput = (b: z.infer<typeof GrantInputSchema>): GrantInput => ({
  ...b,
  amountMinor: BigInt(b.amountMinor),
  targets: b.targets.map((t) => ({
    indicatorId: t.indicatorId,
    baselineYear: t.baselineYear ?? null,
    baselineValue: t.baselineValue === null || t.baselineValue === undefined ? null : BigInt(t.baselineValue),
    targetValue: BigInt(t.targetValue),
  })),
});

type GrantWithTargets = Awaited<ReturnType<typeof getGrant>>;
const grantJson = (g: GrantWithTargets) => ({
  id: g.id,
  funderId: g.funderId,
  code: g.code,
  title: g.title,
  titleEn: g.titleEn,
  description: g.description,
  amountMinor: Number(g.amountMinor),
  currency: g.currency,
  startsOn: g.startsOn,
  endsOn: g.endsOn,
  fundId: g.fundId,
  purpose: g.purpose,
  schedule: g.schedule,
  nextDueOn: g.nextDueOn,
  targets: g.targets.map((t) => ({
    indicatorId: t.indicatorId,
    baselineYear: t.baselineYear,
    baselineValue: t.baselineValue === null ? null : Number(t.baselineValue),
    targetValue: Number(t.targetValue),
  })),
});

const ReportInputSchema = z
  .object({
    scope: z.enum(['organisation', 'campaign', 'grant']),
    campaignId: Uuid.optional(),
    grantId: Uuid.optional(),
    periodFrom: day,
    periodTo: day,
    language: z.enum(['vi', 'en']).default('vi'),
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'campaign' && !v.campaignId) ctx.addIssue({ code: 'custom', path: ['campaignId'], message: 'is required for a campaign report' });
    if (v.scope === 'grant' && !v.grantId) ctx.addIssue({ code: 'custom', path: ['grantId'], message: 'is required for a grant report' });
    if (v.periodFrom > v.periodTo) ctx.addIssue({ code: 'custom', path: ['periodTo'], message: 'must not be before the start of the period' });
  })
  .openapi('ReportInput');

const actorOf = (c: Context<AppEnv>) => ({ userId: c.get('principal')?.userId ?? null, now: c.get('deps').clock.now() });

export const reportsApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/indicators',
    tags: ['reports'],
    summary: 'The indicator registry: ids, labels and written definitions',
    request: { params: OrgParam },
    responses: { 200: json(z.object({ items: z.array(Anything) })) },
  }),
  (c) =>
    c.json({ items: INDICATORS.map((i) => ({ id: i.id, group: i.group, unit: i.unit, people: i.people ?? false, label: i.label, definition: i.definition, scopes: i.scopes ?? ['organisation', 'campaign', 'grant'] })) }, 200),
);

// ---------- funders ----------

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/funders',
    tags: ['reports'],
    summary: 'Funders (organisation donors that receive reports)',
    request: { params: OrgParam },
    responses: { 200: json(z.object({ items: z.array(Anything) })) },
  }),
  async (c) => c.json({ items: await listFunders(c.get('db'), c.get('org').id) }, 200),
);

reportsApi.openapi(
  apiRoute(GRANT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/funders',
    tags: ['reports'],
    summary: 'Make an organisation donor a funder, with contacts',
    request: {
      params: OrgParam,
      body: {
        content: {
          'application/json': {
            schema: z.object({
              donorId: Uuid,
              language: z.enum(['vi', 'en']).default('vi'),
              iatiRef: z.string().trim().max(100).nullable().optional(),
              orgType: z.enum(FUNDER_TYPES).default('international-ngo'),
              contacts: z.array(z.object({ name: z.string().trim().min(1).max(200), email: z.string().trim().email().max(254) })).max(20).default([]),
            }),
          },
        },
      },
    },
    responses: { 201: json(Anything, 'Created'), 409: json(Anything, 'Already a funder') },
  }),
  async (c) => {
    const f = await createFunder(c.get('db'), c.get('org').id, c.req.valid('json'));
    return c.json({ id: f.id, donorId: f.donorId, language: f.language, iatiRef: f.iatiRef, orgType: f.orgType }, 201);
  },
);

reportsApi.openapi(
  apiRoute(GRANT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/funders/{id}/contacts',
    tags: ['reports'],
    summary: 'Add a contact who receives the funder’s reports',
    request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(200), email: z.string().trim().email().max(254) }) } } } },
    responses: { 201: json(Anything, 'Created') },
  }),
  async (c) => {
    const row = await addFunderContact(c.get('db'), c.get('org').id, c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: row.id, name: row.name, email: row.email }, 201);
  },
);

// ---------- grants ----------

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/grants',
    tags: ['reports'],
    summary: 'Grants',
    request: { params: OrgParam },
    responses: { 200: json(z.object({ items: z.array(Anything) })) },
  }),
  async (c) => {
    const rows = await listGrants(c.get('db'), c.get('org').id);
    return c.json({ items: rows.map((r) => ({ ...grantJson({ ...r.grant, targets: [] }), funderName: r.funderName })) }, 200);
  },
);

reportsApi.openapi(
  apiRoute(GRANT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/grants',
    tags: ['reports'],
    summary: 'Create a grant with its purpose, reporting schedule and targets',
    request: { params: OrgParam, body: { content: { 'application/json': { schema: GrantInputSchema } } } },
    responses: { 201: json(Anything, 'Created') },
  }),
  async (c) => {
    const db = c.get('db');
    const g = await createGrant(db, c.get('org').id, toGrantInput(c.req.valid('json')));
    return c.json(grantJson(await getGrant(db, c.get('org').id, g.id)), 201);
  },
);

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/grants/{id}',
    tags: ['reports'],
    summary: 'A grant with its targets',
    request: { params: IdParam },
    responses: { 200: json(Anything) },
  }),
  async (c) => c.json(grantJson(await getGrant(c.get('db'), c.get('org').id, c.req.valid('param').id)), 200),
);

reportsApi.openapi(
  apiRoute(GRANT_WRITE, {
    method: 'put',
    path: '/orgs/{org}/grants/{id}',
    tags: ['reports'],
    summary: 'Update a grant and replace its targets',
    request: { params: IdParam, body: { content: { 'application/json': { schema: GrantInputSchema } } } },
    responses: { 200: json(Anything) },
  }),
  async (c) => {
    const db = c.get('db');
    const id = c.req.valid('param').id;
    await updateGrant(db, c.get('org').id, id, toGrantInput(c.req.valid('json')));
    return c.json(grantJson(await getGrant(db, c.get('org').id, id)), 200);
  },
);

// ---------- reports and versions ----------

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/reports',
    tags: ['reports'],
    summary: 'Reports',
    request: { params: OrgParam },
    responses: { 200: json(z.object({ items: z.array(Anything) })) },
  }),
  async (c) => c.json({ items: (await listReports(c.get('db'), c.get('org').id)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) }, 200),
);

reportsApi.openapi(
  apiRoute(REPORT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/reports',
    tags: ['reports'],
    summary: 'Generate a report (scope, period, language): stores version 1',
    request: { params: OrgParam, body: { content: { 'application/json': { schema: ReportInputSchema } } } },
    responses: { 201: json(Anything, 'Created') },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const scope = b.scope === 'campaign' ? { kind: 'campaign' as const, campaignId: b.campaignId! } : b.scope === 'grant' ? { kind: 'grant' as const, grantId: b.grantId! } : { kind: 'organisation' as const };
    const { report, version } = await createReport(c.get('db'), c.get('org').id, { scope, period: { from: b.periodFrom, to: b.periodTo }, language: b.language }, actorOf(c));
    return c.json({ id: report.id, version: version.version, versionId: version.id }, 201);
  },
);

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/reports/{id}',
    tags: ['reports'],
    summary: 'A report with its versions and links',
    request: { params: IdParam },
    responses: { 200: json(Anything) },
  }),
  async (c) => {
    const db = c.get('db');
    const orgId = c.get('org').id;
    const r = await getReport(db, orgId, c.req.valid('param').id);
    const versions = await listVersions(db, orgId, r.id);
    const links = await listReportLinks(db, orgId, r.id);
    return c.json(
      {
        ...r,
        createdAt: r.createdAt.toISOString(),
        versions: versions.map((v) => ({ id: v.id, version: v.version, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy })),
        links: links.map((l) => ({ id: l.id, version: l.version, expiresAt: l.expiresAt.toISOString(), revokedAt: l.revokedAt?.toISOString() ?? null })),
      },
      200,
    );
  },
);

reportsApi.openapi(
  apiRoute(REPORT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/reports/{id}/versions',
    tags: ['reports'],
    summary: 'Regenerate: compute the report again and store the next version, with what changed',
    request: { params: IdParam },
    responses: { 201: json(Anything, 'Created') },
  }),
  async (c) => {
    const db = c.get('db');
    const orgId = c.get('org').id;
    const id = c.req.valid('param').id;
    const v = await generateVersion(db, orgId, id, actorOf(c));
    const prev = v.version > 1 ? await getVersion(db, orgId, id, v.version - 1) : null;
    return c.json({ version: v.version, versionId: v.id, changes: prev ? changesJson(publishVersion(v), diffModels(modelFromJson(prev.model), modelFromJson(v.model)), publishVersion(prev)) : [] }, 201);
  },
);

/** Changes as published values: a suppressed value stays "<5" or "*" in the diff too. */
function changesJson(after: ReturnType<typeof publishVersion>, changes: ReturnType<typeof diffModels>, before: ReturnType<typeof publishVersion>) {
  const shown = (rep: ReturnType<typeof publishVersion>, id: string) => {
    const ind = rep.groups.flatMap((g) => g.indicators).find((i) => i.id === id);
    if (!ind) return null;
    const v = ind.value;
    return v.kind === 'value' ? (typeof v.value === 'bigint' ? Number(v.value) : v.value) : v.kind === 'small' ? '<5' : '*';
  };
  return changes.map((ch) => ({ id: ch.id, label: ch.label, unit: ch.unit, before: shown(before, ch.id), after: shown(after, ch.id) }));
}

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/reports/{id}/versions/{version}/diff',
    tags: ['reports'],
    summary: 'Indicator values that changed from the previous version',
    request: { params: VersionParam },
    responses: { 200: json(Anything) },
  }),
  async (c) => {
    const db = c.get('db');
    const orgId = c.get('org').id;
    const { id, version } = c.req.valid('param');
    const v = await getVersion(db, orgId, id, version);
    if (version === 1) return c.json({ version, previous: null, changes: [] }, 200);
    const prev = await getVersion(db, orgId, id, version - 1);
    return c.json({ version, previous: version - 1, changes: changesJson(publishVersion(v), diffModels(modelFromJson(prev.model), modelFromJson(v.model)), publishVersion(prev)) }, 200);
  },
);

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/reports/{id}/versions/{version}/{file}',
    tags: ['reports'],
    summary: 'One version as report.html, report.pdf, report.json, iati.xml or a CSV table (indicators.csv, breakdown-….csv, money-….csv)',
    request: { params: FileParam },
    responses: { 200: { description: 'The file' } },
  }),
  async (c) => {
    const db = c.get('db');
    const { id, version, file } = c.req.valid('param');
    const v = await getVersion(db, c.get('org').id, id, version);
    const report = publishVersion(v);
    // The report's own language unless the reader asked for one (?lang=vi|en).
    const locale = isLocale(c.req.query('lang')) ? c.get('locale') : report.meta.language;
    const out = await renderVersionFile(report, file, locale);
    if (!out) throw notFound('File');
    return c.body(out.body as never, 200, {
      'content-type': out.contentType,
      'content-disposition': `${file === 'report.html' ? 'inline' : 'attachment'}; filename="${out.filename}"`,
      'cache-control': 'private, no-store',
    });
  },
);

reportsApi.openapi(
  apiRoute(REPORT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/reports/{id}/versions/{version}/links',
    tags: ['reports'],
    summary: 'Create an expiring link to this version for people without an account (the token is shown once)',
    request: { params: VersionParam, body: { content: { 'application/json': { schema: z.object({ days: z.number().int().min(1).max(365).default(30) }) } }, required: false } },
    responses: { 201: json(z.object({ id: z.string(), url: z.string(), expiresAt: z.string(), files: z.array(z.string()) }), 'Created') },
  }),
  async (c) => {
    const db = c.get('db');
    const orgId = c.get('org').id;
    const { id, version } = c.req.valid('param');
    const body = (c.req.valid('json') ?? { days: 30 }) as { days?: number };
    const v = await getVersion(db, orgId, id, version);
    const link = await createReportLink(db, orgId, v.id, { days: body.days ?? 30, ...actorOf(c) });
    const url = `${c.get('deps').config.APP_URL}/r/${link.token}`;
    return c.json({ id: link.id, url, expiresAt: link.expiresAt.toISOString(), files: versionFiles(publishVersion(v), c.get('locale')) }, 201);
  },
);

reportsApi.openapi(
  apiRoute(REPORT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/report-links/{id}/revoke',
    tags: ['reports'],
    summary: 'Revoke a report link',
    request: { params: IdParam },
    responses: { 204: { description: 'Revoked' } },
  }),
  async (c) => {
    await revokeReportLink(c.get('db'), c.get('org').id, c.req.valid('param').id, c.get('deps').clock.now());
    return c.body(null, 204);
  },
);

// ---------- scheduled deliveries ----------

reportsApi.openapi(
  apiRoute(REPORT_READ, {
    method: 'get',
    path: '/orgs/{org}/report-deliveries',
    tags: ['reports'],
    summary: 'Scheduled grant reports: generated by the cron job, previewed and sent by staff',
    request: { params: OrgParam },
    responses: { 200: json(z.object({ items: z.array(Anything) })) },
  }),
  async (c) => c.json({ items: (await listDeliveries(c.get('db'), c.get('org').id)).map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null, sendAfter: d.sendAfter.toISOString() })) }, 200),
);

reportsApi.openapi(
  apiRoute(REPORT_WRITE, {
    method: 'post',
    path: '/orgs/{org}/report-deliveries/{id}/send',
    tags: ['reports'],
    summary: 'Send a previewed report to the funder’s contacts (link and PDF, through the outbox)',
    request: { params: IdParam },
    responses: { 200: json(z.object({ sent: z.boolean(), recipients: z.number().int() })) },
  }),
  async (c) => {
    const r = await sendDelivery(c.get('db'), c.get('deps'), c.get('org').id, c.req.valid('param').id, actorOf(c));
    kickOutbox(c);
    return c.json(r, 200);
  },
);
