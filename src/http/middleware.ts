import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { and, eq } from 'drizzle-orm';
import type { Hook } from '@hono/zod-openapi';
import { organisations, type Role } from '../db/schema';
import { principalFromApiToken, principalFromSession } from '../auth/auth';
import { isLocale, type Locale } from '../ui/i18n';
import type { AppDeps, AppEnv, OrgContext } from './env';
import { ProblemError, problemResponse } from './problem';

export const SESSION_COOKIE = 'sc_session';

/**
 * Builds the request's services once: database (one Neon pool per request on Workers),
 * principal, locale, deferred work. Deferred work finishes before the pool is released.
 */
export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  // Node has no execution context: Hono's getter throws (building an Error each time); asked once.
  let noExecutionCtx = false;
  return async (c, next) => {
    const started = Date.now();
    c.set('deps', deps);
    const pending: Promise<unknown>[] = [];
    // Deferred work can outlive the response by a long way (a webhook's drainers wait out a burst
    // of deliveries), so what waits for it holds the request id, not the request's context: a
    // burst of deliveries would otherwise keep every delivery's request, body and response alive
    // until the burst is applied (bench/NOTES.md, 2026-12-07 sixth).
    const requestId = c.get('requestId');
    c.set('defer', (p) => {
      pending.push(p.catch((err) => deps.logger.error('deferred.failed', { requestId, error: String(err).slice(0, 200) })));
    });
    const langParam = c.req.query('lang');
    const langCookie = getCookie(c, 'lang');
    const locale: Locale = isLocale(langParam) ? langParam : isLocale(langCookie) ? langCookie : 'vi';
    c.set('locale', locale);
    if (isLocale(langParam) && langParam !== langCookie) {
      c.header('set-cookie', `lang=${langParam}; Path=/; Max-Age=31536000; SameSite=Lax`, { append: true });
    }
    const { db, release } = await deps.database.acquire();
    c.set('db', db);
    try {
      c.set('principal', null);
      const authz = c.req.header('authorization');
      if (authz?.startsWith('Bearer ')) {
        c.set('principal', await principalFromApiToken(db, authz.slice(7).trim(), deps.clock));
        if (!c.get('principal')) {
          return problemResponse(c, 401, 'The API token is invalid or revoked.');
        }
      } else {
        const cookie = getCookie(c, SESSION_COOKIE);
        if (cookie) c.set('principal', await principalFromSession(db, cookie, deps.clock));
      }
      await next();
    } finally {
      const done = Promise.allSettled(pending).then(() => release());
      let deferred = false;
      if (!noExecutionCtx) {
        try {
          c.executionCtx.waitUntil(done);
          deferred = true;
        } catch {
          /* Node: no execution context; the promise runs on its own */
          noExecutionCtx = true;
        }
      }
      if (!deferred) done.catch(() => {});
      // Path only: query strings can carry sign-in tokens or emails.
      deps.logger.info('http.request', {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Date.now() - started,
      });
    }
  };
}

/** Any signed-in principal (staff session or API token). */
export const requireSignedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('principal')) throw new ProblemError(401, 'Sign in to continue.');
  await next();
};

/**
 * Scopes the request to the organisation named in the path. Not a member → 404 (the
 * organisation's existence is not revealed); a member without one of `roles` → 403.
 */
export function requireOrgRole(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new ProblemError(401, 'Sign in to continue.');
    const slug = c.req.param('org');
    if (!slug) throw new ProblemError(404, 'Organisation not found');
    const mine = principal.memberships.filter((m) => m.slug === slug);
    if (mine.length === 0) throw new ProblemError(404, 'Organisation not found');
    const have = mine.map((m) => m.role);
    if (!have.some((r) => roles.includes(r))) {
      throw new ProblemError(403, `This needs one of the roles: ${roles.join(', ')}.`);
    }
    const db = c.get('db');
    const [org] = await db
      .select()
      .from(organisations)
      .where(and(eq(organisations.slug, slug), eq(organisations.id, mine[0]!.orgId)))
      .limit(1);
    if (!org) throw new ProblemError(404, 'Organisation not found');
    const ctx: OrgContext = {
      id: org.id,
      slug: org.slug,
      name: org.name,
      shortCode: org.shortCode,
      baseCurrency: org.baseCurrency,
      roles: have,
    };
    c.set('org', ctx);
    await next();
  };
}

/** Turns zod validation failures into problem+json with one entry per field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    return problemResponse(c, 400, 'The request has invalid fields.', {
      errors: result.error.issues.map((i) => ({
        path: [result.target, ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    });
  }
  return undefined;
};
