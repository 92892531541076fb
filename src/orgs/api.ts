import { OpenAPIHono, z } from '@hono/zod-openapi';
import { desc, eq, and } from 'drizzle-orm';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute, OrgParam, STAFF_READ } from '../http/routes';
import { LOCATION_KINDS, outbox, ROLES } from '../db/schema';
import { addLocation, listLocations, listMembers } from './orgs';
import { dashboardCounts } from './dashboard';
import { createApiToken } from '../auth/auth';
import { writeAudit } from '../auth/audit';
import { requeueMail } from '../mail/outbox';
import { notFound } from '../http/problem';

export const orgsApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const LocationSchema = z
  .object({
    id: z.string().uuid(),
    parentId: z.string().uuid().nullable(),
    kind: z.enum(LOCATION_KINDS),
    name: z.string(),
    code: z.string().nullable(),
  })
  .openapi('Location');

orgsApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}',
    tags: ['organisations'],
    summary: 'The organisation with its live counts',
    request: { params: OrgParam },
    responses: {
      200: {
        description: 'Organisation',
        content: {
          'application/json': {
            schema: z.object({
              id: z.string().uuid(),
              slug: z.string(),
              name: z.string(),
              baseCurrency: z.string(),
              roles: z.array(z.enum(ROLES)),
              counts: z.record(z.string(), z.union([z.number(), z.string()])),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const org = c.get('org');
    return c.json(
      { id: org.id, slug: org.slug, name: org.name, baseCurrency: org.baseCurrency, roles: org.roles, counts: await dashboardCounts(c.get('db'), org.id) },
      200,
    );
  },
);

orgsApi.openapi(
  apiRoute(STAFF_READ, {
    method: 'get',
    path: '/orgs/{org}/locations',
    tags: ['organisations'],
    summary: 'The location tree (province → commune/ward → office), as a flat list ordered by path',
    request: { params: OrgParam },
    responses: { 200: { description: 'Locations', content: { 'application/json': { schema: z.object({ items: z.array(LocationSchema) }) } } } },
  }),
  async (c) => {
    const rows = await listLocations(c.get('db'), c.get('org').id);
    return c.json({ items: rows.map((r) => ({ id: r.id, parentId: r.parentId, kind: r.kind, name: r.name, code: r.code })) }, 200);
  },
);

orgsApi.openapi(
  apiRoute(['admin'], {
    method: 'post',
    path: '/orgs/{org}/locations',
    tags: ['organisations'],
    summary: 'Add a location under a parent (or a new root)',
    request: {
      params: OrgParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                name: z.string().trim().min(1).max(200),
                kind: z.enum(LOCATION_KINDS),
                parentId: z.string().uuid().nullable().optional(),
                code: z.string().trim().max(50).nullable().optional(),
              })
              .openapi('NewLocation'),
          },
        },
      },
    },
    responses: { 201: { description: 'Created', content: { 'application/json': { schema: LocationSchema } } } },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const r = await addLocation(c.get('db'), c.get('org').id, body);
    return c.json({ id: r.id, parentId: r.parentId, kind: r.kind, name: r.name, code: r.code }, 201);
  },
);

orgsApi.openapi(
  apiRoute(['admin'], {
    method: 'get',
    path: '/orgs/{org}/members',
    tags: ['organisations'],
    summary: 'Staff members and their roles',
    request: { params: OrgParam },
    responses: {
      200: {
        description: 'Members',
        content: {
          'application/json': {
            schema: z.object({
              items: z.array(z.object({ userId: z.string().uuid(), email: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) })),
            }),
          },
        },
      },
    },
  }),
  async (c) => c.json({ items: await listMembers(c.get('db'), c.get('org').id) }, 200),
);

orgsApi.openapi(
  apiRoute(['admin'], {
    method: 'post',
    path: '/orgs/{org}/api-tokens',
    tags: ['organisations'],
    summary: 'Create a Bearer token for scripts, bound to this organisation and one role (shown once)',
    request: {
      params: OrgParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }).openapi('NewApiToken'),
          },
        },
      },
    },
    responses: {
      201: { description: 'Created', content: { 'application/json': { schema: z.object({ id: z.string().uuid(), token: z.string() }) } } },
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const org = c.get('org');
    const principal = c.get('principal')!;
    const db = c.get('db');
    const created = await createApiToken(db, { orgId: org.id, name: body.name, role: body.role, createdBy: principal.userId });
    await writeAudit(db, {
      orgId: org.id,
      actorKind: principal.kind === 'session' ? 'user' : 'api_token',
      actorId: principal.kind === 'session' ? principal.userId : principal.tokenId,
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: created.id,
      requestId: c.get('requestId'),
      data: { role: body.role },
    });
    return c.json(created, 201);
  },
);

const OutboxItem = z.object({
  id: z.string().uuid(),
  template: z.string(),
  status: z.enum(['pending', 'sent', 'dead']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

orgsApi.openapi(
  apiRoute(['admin'], {
    method: 'get',
    path: '/orgs/{org}/outbox',
    tags: ['mail'],
    summary: 'Messages of this organisation in the outbox; dead-lettered ones need a decision',
    request: { params: OrgParam, query: z.object({ status: z.enum(['pending', 'sent', 'dead']).optional() }) },
    responses: { 200: { description: 'Outbox', content: { 'application/json': { schema: z.object({ items: z.array(OutboxItem) }) } } } },
  }),
  async (c) => {
    const { status } = c.req.valid('query');
    const org = c.get('org');
    const rows = await c
      .get('db')
      .select()
      .from(outbox)
      .where(status ? and(eq(outbox.orgId, org.id), eq(outbox.status, status)) : eq(outbox.orgId, org.id))
      .orderBy(desc(outbox.createdAt))
      .limit(200);
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          template: r.template,
          status: r.status,
          attempts: r.attempts,
          lastError: r.lastError,
          createdAt: r.createdAt.toISOString(),
          sentAt: r.sentAt?.toISOString() ?? null,
        })),
      },
      200,
    );
  },
);

orgsApi.openapi(
  apiRoute(['admin'], {
    method: 'post',
    path: '/orgs/{org}/outbox/{id}/requeue',
    tags: ['mail'],
    summary: 'Put a dead-lettered message back in the queue',
    request: { params: OrgParam.extend({ id: z.string().uuid() }) },
    responses: { 200: { description: 'Requeued', content: { 'application/json': { schema: z.object({ status: z.literal('pending') }) } } } },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const ok = await requeueMail(c.get('db'), c.get('org').id, id, c.get('deps').clock);
    if (!ok) throw notFound('Dead-lettered message');
    return c.json({ status: 'pending' as const }, 200);
  },
);
