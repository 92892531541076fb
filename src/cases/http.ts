import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import type { CaseActor } from './cases';

/** The acting staff member (or API token) of a request, for the cases module. */
export function caseActor(c: Context<AppEnv>): CaseActor {
  const principal = c.get('principal')!;
  const org = c.get('org');
  return {
    orgId: org.id,
    userId: principal.userId,
    actorKind: principal.kind === 'session' ? 'user' : 'api_token',
    actorId: principal.kind === 'session' ? principal.userId : (principal.tokenId ?? null),
    roles: org.roles,
    now: c.get('deps').clock.now(),
    requestId: c.get('requestId'),
  };
}

/** Responses that carry identifying data must not be kept by browsers or proxies. */
export function noStore(c: Context<AppEnv>) {
  c.header('cache-control', 'no-store');
}
