import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Role } from '../db/schema';
import { ROLES } from '../db/schema';
import { requireOrgRole, requireSignedIn } from './middleware';
import { FIRST_DAY, LAST_DAY } from '../lib/days';

/**
 * Every API route declares who may call it. The declaration is written into the OpenAPI
 * document as `x-access`, and the authorisation matrix test walks that document, so a new
 * route cannot skip its checks.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export const ALL_ROLES = ROLES;
export const STAFF_READ: readonly Role[] = ROLES;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

export function problemResponses(access: Access) {
  const r: Record<number, { description: string; content: typeof problemContent }> = {
    400: { description: 'Invalid request', content: problemContent },
  };
  if (access !== 'public') r[401] = { description: 'Not signed in', content: problemContent };
  if (Array.isArray(access)) {
    r[403] = { description: 'Role not allowed', content: problemContent };
    r[404] = { description: 'Not found, or another organisation', content: problemContent };
  }
  return r;
}

type Route = Omit<RouteConfig, 'middleware'>;

export function apiRoute<R extends Route>(access: Access, route: R) {
  const middleware = access === 'public' ? [] : access === 'signed-in' ? [requireSignedIn] : [requireOrgRole(access)];
  return createRoute({
    ...route,
    middleware,
    'x-access': access === 'public' || access === 'signed-in' ? access : [...access],
    ...(access === 'public' ? {} : { security: [{ cookieAuth: [] }, { bearerAuth: [] }] }),
    responses: { ...problemResponses(access), ...route.responses },
  } as R & { middleware: typeof middleware });
}

/** A calendar day (YYYY-MM-DD) in the range the app can turn into timestamps (see lib/days). */
export const IsoDay = z.iso.date({ abort: true }).refine((d) => d >= FIRST_DAY && d <= LAST_DAY, { message: `must be a day from ${FIRST_DAY} to ${LAST_DAY}` });

export const OrgParam = z.object({
  org: z.string().min(1).max(100).openapi({ param: { name: 'org', in: 'path' }, example: 'hai-phong' }),
});
