import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { apiRoute } from '../http/routes';
import { ROLES } from '../db/schema';
import { requestLoginLink } from './auth';
import { kickOutbox } from '../mail/kick';
import { loginLinkPerEmailLimit, loginLinkPerIpLimit } from '../http/rate-limit';

const MeSchema = z
  .object({
    kind: z.enum(['session', 'api_token']),
    user: z.object({ id: z.string().uuid(), email: z.string(), name: z.string() }).nullable(),
    organisations: z.array(
      z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) }),
    ),
  })
  .openapi('Me');

export const authApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
authApi.post('/auth/login-links', loginLinkPerIpLimit, loginLinkPerEmailLimit);

authApi.openapi(
  apiRoute('signed-in', {
    method: 'get',
    path: '/me',
    tags: ['auth'],
    summary: 'The signed-in user with their organisations and roles',
    responses: { 200: { description: 'Signed in', content: { 'application/json': { schema: MeSchema } } } },
  }),
  (c) => {
    const p = c.get('principal')!;
    const orgs = new Map<string, { id: string; slug: string; name: string; roles: (typeof ROLES)[number][] }>();
    for (const m of p.memberships) {
      const o = orgs.get(m.orgId) ?? { id: m.orgId, slug: m.slug, name: m.name, roles: [] };
      o.roles.push(m.role);
      orgs.set(m.orgId, o);
    }
    return c.json(
      {
        kind: p.kind,
        user: p.userId && p.email ? { id: p.userId, email: p.email, name: p.name ?? '' } : null,
        organisations: [...orgs.values()],
      },
      200,
    );
  },
);

authApi.openapi(
  apiRoute('public', {
    method: 'post',
    path: '/auth/login-links',
    tags: ['auth'],
    summary: 'Email a single-use sign-in link (always answers 202, whether or not the address is known)',
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ email: z.string().trim().email().max(254) }).openapi('LoginLinkRequest') } },
      },
    },
    responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: z.object({ status: z.literal('accepted') }) } } } },
  }),
  async (c) => {
    const { email } = c.req.valid('json');
    const deps = c.get('deps');
    await requestLoginLink(c.get('db'), { email, appUrl: deps.config.APP_URL, clock: deps.clock, requestId: c.get('requestId') });
    kickOutbox(c);
    return c.json({ status: 'accepted' as const }, 202);
  },
);
