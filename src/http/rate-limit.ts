import type { Context, MiddlewareHandler } from 'hono';
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../db/schema';
import type { Db } from '../db/types';
import type { Clock } from '../lib/clock';
import { sha256Hex } from '../lib/crypto';
import type { AppEnv } from './env';
import { ProblemError } from './problem';

/** Counts one hit in the current window; true while under the limit. One atomic upsert. */
export async function hitRateLimit(db: Db, clock: Clock, key: string, limit: number, windowMs: number) {
  const now = clock.now().getTime();
  const windowStart = new Date(now - (now % windowMs));
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  const count = row?.count ?? 1;
  return { allowed: count <= limit, count, retryAfterSeconds: Math.ceil((windowStart.getTime() + windowMs - now) / 1000) };
}

export async function pruneRateLimits(db: Db, clock: Clock) {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(clock.now().getTime() - 86_400_000)));
}

export function clientIp(c: Context): string {
  return (
    c.req.header('cf-connecting-ip') ??
    c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ??
    c.req.header('x-real-ip') ??
    'local'
  );
}

/**
 * A rate limit on a route, keyed by client address (and optionally more, e.g. the email
 * asked for). The key is hashed, so the table holds no address or email.
 */
export function rateLimit(opts: {
  name: string;
  limit: number;
  windowMs: number;
  key?: (c: Context<AppEnv>) => Promise<string> | string;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const extra = opts.key ? await opts.key(c) : clientIp(c);
    const key = `${opts.name}:${(await sha256Hex(extra)).slice(0, 32)}`;
    const r = await hitRateLimit(c.get('db'), c.get('deps').clock, key, opts.limit, opts.windowMs);
    if (!r.allowed) {
      c.header('retry-after', String(r.retryAfterSeconds));
      throw new ProblemError(429, `Too many requests. Try again in ${r.retryAfterSeconds} seconds.`);
    }
    await next();
  };
}

export const LIMITS = {
  loginLinkPerIp: { name: 'login-ip', limit: 20, windowMs: 15 * 60_000 },
  loginLinkPerEmail: { name: 'login-email', limit: 5, windowMs: 15 * 60_000 },
  donationPerIp: { name: 'donate-ip', limit: 30, windowMs: 15 * 60_000 },
  reportLinkPerIp: { name: 'report-ip', limit: 120, windowMs: 15 * 60_000 },
} as const;

/** Sign-in links: per client address and per email asked for (JSON or form body). */
export const loginLinkPerIpLimit = rateLimit(LIMITS.loginLinkPerIp);
export const loginLinkPerEmailLimit = rateLimit({
    ...LIMITS.loginLinkPerEmail,
    key: async (c) => {
      const type = c.req.header('content-type') ?? '';
      let email: unknown;
      try {
        email = type.includes('json') ? ((await c.req.json()) as { email?: unknown })?.email : (await c.req.parseBody()).email;
      } catch {
        email = undefined;
      }
      return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : clientIp(c);
    },
});
