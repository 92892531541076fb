import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { apiTokens, loginTokens, memberships, organisations, sessions, users, type Role } from '../db/schema';
import type { Db } from '../db/types';
import type { Clock } from '../lib/clock';
import { MINUTE, DAY } from '../lib/clock';
import { randomToken, sha256Hex } from '../lib/crypto';
import { enqueueMail } from '../mail/outbox';
import { loginLinkEmail } from '../mail/templates';
import type { Principal } from '../http/env';
import { writeAudit } from './audit';
import { isLocale } from '../ui/i18n';

export const LOGIN_LINK_TTL_MS = 15 * MINUTE;
export const SESSION_TTL_MS = 14 * DAY;

/**
 * Emails a single-use sign-in link when the address belongs to a staff user. The caller answers
 * the same way either way, so the form cannot be used to discover who works at the fund.
 */
export async function requestLoginLink(
  db: Db,
  input: { email: string; appUrl: string; clock: Clock; requestId?: string },
): Promise<{ sent: boolean }> {
  const email = input.email.trim().toLowerCase();
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
  if (!user) return { sent: false };
  const token = randomToken();
  const now = input.clock.now();
  await db.transaction(async (tx) => {
    await tx.insert(loginTokens).values({
      tokenHash: await sha256Hex(token),
      audience: 'staff',
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_LINK_TTL_MS),
    });
    const locale = isLocale(user.locale) ? user.locale : 'vi';
    const mail = loginLinkEmail({ locale, link: `${input.appUrl}/auth/verify?token=${token}` });
    await enqueueMail(tx as unknown as Db, { to: user.email, locale, template: 'login_link', ...mail });
    await writeAudit(tx as unknown as Db, {
      actorKind: 'user',
      actorId: user.id,
      action: 'auth.link_requested',
      requestId: input.requestId,
      at: now,
    });
  });
  return { sent: true };
}

/**
 * Consumes a sign-in token: one UPDATE marks it used only if unused and unexpired, so two
 * concurrent clicks cannot both succeed.
 */
export async function consumeLoginToken(
  db: Db,
  input: { token: string; clock: Clock; requestId?: string },
): Promise<{ sessionToken: string; userId: string; expiresAt: Date } | null> {
  const now = input.clock.now();
  const hash = await sha256Hex(input.token);
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(loginTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(loginTokens.tokenHash, hash),
          eq(loginTokens.audience, 'staff'),
          isNull(loginTokens.usedAt),
          gt(loginTokens.expiresAt, now),
        ),
      )
      .returning({ userId: loginTokens.userId });
    if (!used?.userId) {
      await writeAudit(tx as unknown as Db, {
        actorKind: 'anonymous',
        action: 'auth.sign_in_failed',
        requestId: input.requestId,
        at: now,
      });
      return null;
    }
    const sessionToken = randomToken();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await tx.insert(sessions).values({
      tokenHash: await sha256Hex(sessionToken),
      audience: 'staff',
      userId: used.userId,
      createdAt: now,
      expiresAt,
    });
    await writeAudit(tx as unknown as Db, {
      actorKind: 'user',
      actorId: used.userId,
      action: 'auth.signed_in',
      requestId: input.requestId,
      at: now,
    });
    return { sessionToken, userId: used.userId, expiresAt };
  });
}

export async function revokeSession(db: Db, token: string, clock: Clock) {
  await db
    .update(sessions)
    .set({ revokedAt: clock.now() })
    .where(eq(sessions.tokenHash, await sha256Hex(token)));
}

async function membershipsOf(db: Db, userId: string) {
  return db
    .select({ orgId: organisations.id, slug: organisations.slug, name: organisations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organisations.name, memberships.role);
}

export async function principalFromSession(db: Db, token: string, clock: Clock): Promise<Principal | null> {
  const now = clock.now();
  const [row] = await db
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, await sha256Hex(token)),
        eq(sessions.audience, 'staff'),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    )
    .limit(1);
  if (!row) return null;
  return { kind: 'session', userId: row.userId, email: row.email, name: row.name, memberships: await membershipsOf(db, row.userId) };
}

export const API_TOKEN_PREFIX = 'sc_';

export async function createApiToken(
  db: Db,
  input: { orgId: string; name: string; role: Role; createdBy?: string | null },
): Promise<{ id: string; token: string }> {
  const token = API_TOKEN_PREFIX + randomToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ orgId: input.orgId, name: input.name, role: input.role, tokenHash: await sha256Hex(token), createdBy: input.createdBy ?? null })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

export async function principalFromApiToken(db: Db, token: string, clock: Clock): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({
      id: apiTokens.id,
      orgId: apiTokens.orgId,
      role: apiTokens.role,
      createdBy: apiTokens.createdBy,
      slug: organisations.slug,
      orgName: organisations.name,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.orgId))
    .where(and(eq(apiTokens.tokenHash, await sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) return null;
  await db.update(apiTokens).set({ lastUsedAt: clock.now() }).where(eq(apiTokens.id, row.id));
  return {
    kind: 'api_token',
    userId: row.createdBy,
    tokenId: row.id,
    memberships: [{ orgId: row.orgId, slug: row.slug, name: row.orgName, role: row.role }],
  };
}
