import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, OrgParam, STAFF_READ } from '../http/routes';
import { invalid } from '../http/problem';
import type { Role } from '../db/schema';
import {
  AUDIENCE_TYPES,
  CALL_OUTCOMES,
  CALL_TOPICS,
  CALLER_TYPES,
  CASE_STATUSES,
  CLOSURE_REASONS,
  CONSENT_ACTIONS,
  CONSENT_GIVERS,
  CONSENT_KINDS,
  GENDERS,
  GOAL_STATUSES,
  HOUSEHOLD_SITUATIONS,
  OUTREACH_KINDS,
  SERVICE_KINDS,
  URGENCIES,
} from '../db/schema';
import {
  addCategory,
  addGoal,
  AGE_BANDS,
  caseDetail,
  createCase,
  getCaseSummary,
  listCases,
  listCategories,
  listEligibleOpenCases,
  logService,
  setCategoryActive,
  setGoalStatus,
  transitionCase,
  updateCaseAttributes,
  type CaseDetail,
  type CaseSummary,
} from './cases';
import { eraseCaseIdentity, exportCaseData, recordConsent, revealIdentity, updateIdentity, type CaseIdentity } from './identity';
import { caseActivitySummary, listHotlineCalls, listOutreachEvents, logHotlineCall, recordOutreachEvent } from './activity';
import {
  CaseListQuery,
  CasePatchBody,
  CategoryBody,
  ConsentBody,
  EligibleQuery,
  ErasureBody,
  ExportQuery,
  GoalBody,
  GoalPatchBody,
  HotlineCallBody,
  IdentityBody,
  NewCaseBody,
  OutreachBody,
  PeriodQuery,
  RequiredPeriodQuery,
  RevealQuery,
  ServiceBody,
  TransitionBody,
} from './schemas';
import { caseActor, noStore } from './http';

export const casesApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** Roles that may record work on cases; caseworkers further limited to their areas. */
const CASE_WORK: readonly Role[] = ['admin', 'caseworker'];
/** Roles that may log hotline calls and outreach events. */
const ACTIVITY_WRITE: readonly Role[] = ['admin', 'coordinator', 'caseworker'];

const CaseParam = OrgParam.extend({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ required: true, ...json(schema) });

// ---------------------------------------------------------------------------------------------
// Response shapes: non-identifying unless named Identity.

const CaseSummarySchema = z
  .object({
    id: z.string().uuid(),
    code: z.string().openapi({ example: 'HP-2026-0042' }),
    status: z.enum(CASE_STATUSES),
    birthYear: z.number().int(),
    ageBand: z.enum(AGE_BANDS),
    gender: z.enum(GENDERS),
    locationId: z.string().uuid(),
    locationName: z.string(),
    categories: z.array(z.string()),
    household: z.enum(HOUSEHOLD_SITUATIONS),
    urgency: z.enum(URGENCIES),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    closureReason: z.enum(CLOSURE_REASONS).nullable(),
  })
  .openapi('CaseSummary');

const IdentitySchema = z
  .object({
    fullName: z.string().nullable(),
    birthDate: z.string().nullable(),
    address: z.string().nullable(),
    guardianName: z.string().nullable(),
    guardianRelation: z.string().nullable(),
    guardianPhone: z.string().nullable(),
    photos: z.array(z.object({ key: z.string(), caption: z.string().optional() })),
    consentGivers: z.array(z.object({ consentId: z.string().uuid(), name: z.string().nullable() })),
    erasedAt: z.string().nullable(),
  })
  .openapi('CaseIdentity');

const CaseDetailSchema = z
  .object({
    case: CaseSummarySchema,
    canWork: z.boolean().openapi({ description: 'Whether you may record work and read identifying data on this case' }),
    transitions: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['open', 'advance', 'close', 'reopen']),
        fromStatus: z.enum(CASE_STATUSES).nullable(),
        toStatus: z.enum(CASE_STATUSES),
        closureReason: z.enum(CLOSURE_REASONS).nullable(),
        at: z.string(),
        byUserId: z.string().uuid().nullable(),
        byName: z.string().nullable(),
      }),
    ),
    goals: z.array(
      z.object({ id: z.string().uuid(), status: z.enum(GOAL_STATUSES), targetDate: z.string().nullable(), description: z.string().nullable().optional() }),
    ),
    services: z.array(
      z.object({
        id: z.string().uuid(),
        kind: z.enum(SERVICE_KINDS),
        deliveredOn: z.string(),
        durationMinutes: z.number().int(),
        staffUserId: z.string().uuid().nullable(),
        staffName: z.string().nullable(),
        referralTo: z.string().nullable(),
        note: z.string().nullable().optional(),
      }),
    ),
    consents: z.array(
      z.object({
        id: z.string().uuid(),
        kind: z.enum(CONSENT_KINDS),
        action: z.enum(CONSENT_ACTIONS),
        givenOn: z.string(),
        givenByRelation: z.enum(CONSENT_GIVERS),
      }),
    ),
    erasure: z.object({ erasedAt: z.string(), reason: z.string() }).nullable(),
    identity: IdentitySchema.optional(),
  })
  .openapi('CaseDetail');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const summaryJson = (s: CaseSummary) => ({ ...s, openedAt: s.openedAt.toISOString(), closedAt: iso(s.closedAt) });

const detailJson = (d: CaseDetail) => ({
  case: summaryJson(d.case),
  canWork: d.canWork,
  transitions: d.transitions.map((t) => ({ ...t, id: String(t.id), at: t.at.toISOString() })),
  goals: d.goals,
  services: d.services,
  consents: d.consents,
  erasure: d.erasure ? { erasedAt: d.erasure.erasedAt.toISOString(), reason: d.erasure.reason } : null,
});

const identityJson = (i: CaseIdentity) => ({ ...i, erasedAt: iso(i.erasedAt) });

// ---------------------------------------------------------------------------------------------
// Cases

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/cases',
    tags: ['cases'],
    summary: 'Cases you may see, newest first, with non-identifying attributes only',
    description: 'Caseworkers see the cases of their assigned areas; other roles see all. Filters combine.',
    request: { params: OrgParam, query: CaseListQuery },
    responses: { 200: { description: 'Cases', ...json(z.object({ items: z.array(CaseSummarySchema), total: z.number().int() })) } },
  }),
  async (c) => {
    const r = await listCases(c.get('db'), caseActor(c), c.req.valid('query'));
    return c.json({ items: r.items.map(summaryJson), total: r.total }, 200);
  },
);

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/cases/eligible',
    tags: ['cases'],
    summary: 'Open cases fitting gift-package criteria (age, categories, locations), a page at a time; non-identifying',
    request: { params: OrgParam, query: EligibleQuery },
    responses: {
      200: {
        description: 'Eligible open cases, most urgent first',
        ...json(
          z.object({
            items: z.array(
              z.object({
                id: z.string().uuid(),
                code: z.string(),
                birthYear: z.number().int(),
                ageBand: z.enum(AGE_BANDS),
                gender: z.enum(GENDERS),
                locationId: z.string().uuid(),
                categories: z.array(z.string()),
                urgency: z.enum(URGENCIES),
                openedAt: z.string(),
              }),
            ),
            total: z.number().int().openapi({ description: 'Eligible open cases in all; items holds the page asked for (limit, offset)' }),
          }),
        ),
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const r = await listEligibleOpenCases(
      c.get('db'),
      c.get('org').id,
      {
        minAge: q.minAge,
        maxAge: q.maxAge,
        categories: q.categories,
        locationIds: q.locationIds,
        asOf: q.asOf ? new Date(`${q.asOf}T12:00:00+07:00`) : c.get('deps').clock.now(),
      },
      { limit: q.limit, offset: q.offset },
    );
    return c.json({ items: r.items.map((x) => ({ ...x, openedAt: x.openedAt.toISOString() })), total: r.total }, 200);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'post',
    path: '/orgs/{org}/cases',
    tags: ['cases'],
    summary: 'Open a case at intake; the code (e.g. HP-2026-0042) is assigned without gaps',
    description: 'Identifying data goes in `identity` and is stored apart. The response carries only non-identifying attributes.',
    request: { params: OrgParam, body: body(NewCaseBody) },
    responses: { 201: { description: 'Created', ...json(CaseSummarySchema) } },
  }),
  async (c) => {
    const actor = caseActor(c);
    const row = await createCase(c.get('db'), actor, c.req.valid('json'));
    const s = await getCaseSummary(c.get('db'), actor.orgId, row.id, actor.now);
    return c.json(summaryJson(s!), 201);
  },
);

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/cases/{id}',
    tags: ['cases'],
    summary: 'One case: attributes, history, plan, services, consents; identifying data only on request',
    description:
      'With `?reveal=identity&reason=<code>` the caseworker of the area or an admin also gets `identity`; each such read writes one audit row. Other roles get 403 for that; caseworkers outside their area get 404 for the case.',
    request: { params: CaseParam, query: RevealQuery },
    responses: { 200: { description: 'Case', ...json(CaseDetailSchema) } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const actor = caseActor(c);
    const db = c.get('db');
    const detail = await caseDetail(db, actor, id);
    if (q.reveal === 'identity') {
      if (!q.reason) throw invalid('A reason code is required to read identifying data.', [{ path: 'query.reason', message: 'required with reveal=identity' }]);
      const identity = await revealIdentity(db, actor, id, q.reason, 'api');
      noStore(c);
      return c.json({ ...detailJson(detail), identity: identityJson(identity) }, 200);
    }
    return c.json(detailJson(detail), 200);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'patch',
    path: '/orgs/{org}/cases/{id}',
    tags: ['cases'],
    summary: 'Change non-identifying attributes (birth year, gender, location, categories, household, urgency)',
    request: { params: CaseParam, body: body(CasePatchBody) },
    responses: { 200: { description: 'Updated', ...json(CaseSummarySchema) } },
  }),
  async (c) => {
    const actor = caseActor(c);
    const row = await updateCaseAttributes(c.get('db'), actor, c.req.valid('param').id, c.req.valid('json'));
    const s = await getCaseSummary(c.get('db'), actor.orgId, row.id, actor.now);
    return c.json(summaryJson(s!), 200);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'put',
    path: '/orgs/{org}/cases/{id}/identity',
    tags: ['cases'],
    summary: 'Set identifying fields (only those given change); audited, the values are not echoed',
    request: { params: CaseParam, body: body(IdentityBody) },
    responses: { 200: { description: 'Updated', ...json(z.object({ fields: z.array(z.string()) })) } },
  }),
  async (c) => {
    const r = await updateIdentity(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(r, 200);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'post',
    path: '/orgs/{org}/cases/{id}/transitions',
    tags: ['cases'],
    summary: 'Move a case: intake → assessment → intervention → closed (with a reason); re-open from closed',
    description: 'An illegal move (closing a closed case, skipping a stage) is a 409 naming the allowed next stages.',
    request: { params: CaseParam, body: body(TransitionBody) },
    responses: {
      201: {
        description: 'Recorded',
        ...json(
          z.object({
            id: z.string(),
            kind: z.enum(['open', 'advance', 'close', 'reopen']),
            fromStatus: z.enum(CASE_STATUSES).nullable(),
            toStatus: z.enum(CASE_STATUSES),
            closureReason: z.enum(CLOSURE_REASONS).nullable(),
            at: z.string(),
          }),
        ),
      },
      409: { description: 'Not allowed from the current stage', content: { 'application/problem+json': { schema: z.object({}).passthrough() } } },
    },
  }),
  async (c) => {
    const t = await transitionCase(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: String(t.id), kind: t.kind, fromStatus: t.fromStatus, toStatus: t.toStatus, closureReason: t.closureReason, at: t.at.toISOString() }, 201);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'post',
    path: '/orgs/{org}/cases/{id}/goals',
    tags: ['cases'],
    summary: 'Add a goal to the case plan',
    request: { params: CaseParam, body: body(GoalBody) },
    responses: {
      201: { description: 'Added', ...json(z.object({ id: z.string().uuid(), status: z.enum(GOAL_STATUSES), targetDate: z.string().nullable() })) },
    },
  }),
  async (c) => {
    const g = await addGoal(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: g.id, status: g.status, targetDate: g.targetDate }, 201);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'patch',
    path: '/orgs/{org}/cases/{id}/goals/{goalId}',
    tags: ['cases'],
    summary: 'Set the status of a goal',
    request: { params: CaseParam.extend({ goalId: z.string().uuid() }), body: body(GoalPatchBody) },
    responses: { 200: { description: 'Updated', ...json(z.object({ id: z.string().uuid(), status: z.enum(GOAL_STATUSES) })) } },
  }),
  async (c) => {
    const { id, goalId } = c.req.valid('param');
    const g = await setGoalStatus(c.get('db'), caseActor(c), id, goalId, c.req.valid('json').status);
    return c.json({ id: g.id, status: g.status }, 200);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'post',
    path: '/orgs/{org}/cases/{id}/services',
    tags: ['cases'],
    summary: 'Log a service (counselling, therapy, home visit, referral, emergency support)',
    description: 'A closed case takes no services until it is re-opened (409).',
    request: { params: CaseParam, body: body(ServiceBody) },
    responses: {
      201: {
        description: 'Logged',
        ...json(z.object({ id: z.string().uuid(), kind: z.enum(SERVICE_KINDS), deliveredOn: z.string(), durationMinutes: z.number().int() })),
      },
    },
  }),
  async (c) => {
    const s = await logService(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: s.id, kind: s.kind, deliveredOn: s.deliveredOn, durationMinutes: s.durationMinutes }, 201);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'post',
    path: '/orgs/{org}/cases/{id}/consents',
    tags: ['cases'],
    summary: 'Record a consent (data processing, photos) or its withdrawal: date and who gave it',
    request: { params: CaseParam, body: body(ConsentBody) },
    responses: {
      201: {
        description: 'Recorded',
        ...json(
          z.object({
            id: z.string().uuid(),
            kind: z.enum(CONSENT_KINDS),
            action: z.enum(CONSENT_ACTIONS),
            givenOn: z.string(),
            givenByRelation: z.enum(CONSENT_GIVERS),
          }),
        ),
      },
    },
  }),
  async (c) => {
    const r = await recordConsent(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(r, 201);
  },
);

casesApi.openapi(
  apiRoute(CASE_WORK, {
    method: 'get',
    path: '/orgs/{org}/cases/{id}/export',
    tags: ['cases'],
    summary: "Export everything held about this person (Decree 13/2023 data-subject request); audited",
    request: { params: CaseParam, query: ExportQuery },
    responses: { 200: { description: 'The person’s data as JSON (attachment)', ...json(z.record(z.string(), z.unknown())) } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const data = await exportCaseData(c.get('db'), caseActor(c), id, c.req.valid('query').reason);
    noStore(c);
    c.header('content-disposition', `attachment; filename="${data.case.code}.json"`);
    return c.json(
      {
        ...data,
        case: summaryJson(data.case),
        identity: identityJson(data.identity),
        transitions: data.transitions.map((t) => ({ ...t, at: t.at.toISOString() })),
        hotlineCalls: data.hotlineCalls.map((h) => ({ ...h, receivedAt: h.receivedAt.toISOString() })),
        erasure: data.erasure ? { erasedAt: data.erasure.erasedAt.toISOString(), reason: data.erasure.reason } : null,
      },
      200,
    );
  },
);

casesApi.openapi(
  apiRoute(['admin'], {
    method: 'post',
    path: '/orgs/{org}/cases/{id}/erasure',
    tags: ['cases'],
    summary: 'Erase the identifying data of a case; the anonymous history and every count stay',
    request: { params: CaseParam, body: body(ErasureBody) },
    responses: { 200: { description: 'Erased', ...json(z.object({ erasedAt: z.string(), reason: z.string() })) } },
  }),
  async (c) => {
    const r = await eraseCaseIdentity(c.get('db'), caseActor(c), c.req.valid('param').id, c.req.valid('json').reason);
    return c.json({ erasedAt: r.erasedAt.toISOString(), reason: r.reason }, 200);
  },
);

// ---------------------------------------------------------------------------------------------
// Categories

const CategorySchema = z
  .object({ key: z.string(), labelVi: z.string(), labelEn: z.string(), active: z.boolean() })
  .openapi('CaseCategory');
const categoryJson = (r: { key: string; labelVi: string; labelEn: string; active: boolean }) => ({
  key: r.key,
  labelVi: r.labelVi,
  labelEn: r.labelEn,
  active: r.active,
});

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/case-categories',
    tags: ['cases'],
    summary: "The organisation's vulnerability categories",
    request: { params: OrgParam },
    responses: { 200: { description: 'Categories', ...json(z.object({ items: z.array(CategorySchema) })) } },
  }),
  async (c) => c.json({ items: (await listCategories(c.get('db'), c.get('org').id)).map(categoryJson) }, 200),
);

casesApi.openapi(
  apiRoute(['admin'], {
    method: 'post',
    path: '/orgs/{org}/case-categories',
    tags: ['cases'],
    summary: 'Add a vulnerability category',
    request: { params: OrgParam, body: body(CategoryBody) },
    responses: { 201: { description: 'Added', ...json(CategorySchema) } },
  }),
  async (c) => c.json(categoryJson(await addCategory(c.get('db'), c.get('org').id, c.req.valid('json'))), 201),
);

casesApi.openapi(
  apiRoute(['admin'], {
    method: 'patch',
    path: '/orgs/{org}/case-categories/{key}',
    tags: ['cases'],
    summary: 'Retire or restore a category (cases keep it; new cases cannot take a retired one)',
    request: { params: OrgParam.extend({ key: z.string().max(40) }), body: body(z.object({ active: z.boolean() })) },
    responses: { 200: { description: 'Updated', ...json(CategorySchema) } },
  }),
  async (c) => {
    const r = await setCategoryActive(c.get('db'), c.get('org').id, c.req.valid('param').key, c.req.valid('json').active);
    return c.json(categoryJson(r), 200);
  },
);

// ---------------------------------------------------------------------------------------------
// Hotline, outreach, indicators

const HotlineCallSchema = z
  .object({
    id: z.string().uuid(),
    receivedAt: z.string(),
    durationMinutes: z.number().int(),
    callerType: z.enum(CALLER_TYPES),
    topic: z.enum(CALL_TOPICS),
    outcome: z.enum(CALL_OUTCOMES),
    locationId: z.string().uuid().nullable(),
    caseCode: z.string().nullable(),
  })
  .openapi('HotlineCall');

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/hotline-calls',
    tags: ['cases'],
    summary: 'Hotline calls in a period (inclusive days), newest first, with the total',
    request: { params: OrgParam, query: PeriodQuery },
    responses: { 200: { description: 'Calls', ...json(z.object({ total: z.number().int(), items: z.array(HotlineCallSchema) })) } },
  }),
  async (c) => {
    const r = await listHotlineCalls(c.get('db'), c.get('org').id, c.req.valid('query'));
    return c.json(
      {
        total: r.total,
        items: r.items.map((i) => ({
          id: i.id,
          receivedAt: i.receivedAt.toISOString(),
          durationMinutes: i.durationMinutes,
          callerType: i.callerType,
          topic: i.topic,
          outcome: i.outcome,
          locationId: i.locationId,
          caseCode: i.caseCode,
        })),
      },
      200,
    );
  },
);

casesApi.openapi(
  apiRoute(ACTIVITY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/hotline-calls',
    tags: ['cases'],
    summary: 'Log a hotline call (counted even when no case is opened); no caller details are kept',
    request: { params: OrgParam, body: body(HotlineCallBody) },
    responses: { 201: { description: 'Logged', ...json(z.object({ id: z.string().uuid(), receivedAt: z.string() })) } },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const r = await logHotlineCall(c.get('db'), caseActor(c), { ...b, receivedAt: b.receivedAt ? new Date(b.receivedAt) : null });
    return c.json({ id: r.id, receivedAt: r.receivedAt.toISOString() }, 201);
  },
);

const OutreachSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(OUTREACH_KINDS),
    heldOn: z.string(),
    title: z.string(),
    locationId: z.string().uuid().nullable(),
    audienceType: z.enum(AUDIENCE_TYPES),
    participants: z.number().int(),
    leaflets: z.number().int(),
    posters: z.number().int(),
    questionnaires: z.number().int(),
  })
  .openapi('OutreachEvent');

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/outreach-events',
    tags: ['cases'],
    summary: 'Outreach events in a period with totals of participants and materials',
    request: { params: OrgParam, query: PeriodQuery },
    responses: {
      200: {
        description: 'Events',
        ...json(
          z.object({
            totals: z.object({ events: z.number().int(), participants: z.number().int(), leaflets: z.number().int(), posters: z.number().int(), questionnaires: z.number().int() }),
            items: z.array(OutreachSchema),
          }),
        ),
      },
    },
  }),
  async (c) => {
    const r = await listOutreachEvents(c.get('db'), c.get('org').id, c.req.valid('query'));
    return c.json({ totals: r.totals, items: r.items.map(({ locationName: _n, ...i }) => i) }, 200);
  },
);

casesApi.openapi(
  apiRoute(ACTIVITY_WRITE, {
    method: 'post',
    path: '/orgs/{org}/outreach-events',
    tags: ['cases'],
    summary: 'Record an outreach event: conference, training, life-skills or early-detection session',
    request: { params: OrgParam, body: body(OutreachBody) },
    responses: { 201: { description: 'Recorded', ...json(OutreachSchema) } },
  }),
  async (c) => {
    const r = await recordOutreachEvent(c.get('db'), caseActor(c), c.req.valid('json'));
    return c.json(
      {
        id: r.id,
        kind: r.kind,
        heldOn: r.heldOn,
        title: r.title,
        locationId: r.locationId,
        audienceType: r.audienceType,
        participants: r.participants,
        leaflets: r.leaflets,
        posters: r.posters,
        questionnaires: r.questionnaires,
      },
      201,
    );
  },
);

casesApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/case-activity',
    tags: ['cases'],
    summary: 'Indicators of a period: calls, services, cases opened/handled/closed, outreach and materials',
    request: { params: OrgParam, query: RequiredPeriodQuery },
    responses: { 200: { description: 'Indicators', ...json(z.record(z.string(), z.unknown())) } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    if (q.from > q.to) throw invalid('The period ends before it starts.', [{ path: 'query.to', message: 'must not be before from' }]);
    return c.json(await caseActivitySummary(c.get('db'), c.get('org').id, q) as unknown as Record<string, unknown>, 200);
  },
);
