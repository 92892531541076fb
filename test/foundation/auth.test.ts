import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { auditLog, loginTokens, outbox } from '../../src/db/schema';
import { DEMO_STAFF } from '../../src/demo/seed';
import { MINUTE } from '../../src/lib/clock';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T08:00:00Z' });
});
afterAll(() => h?.close());

async function latestLink(to: string): Promise<string> {
  const rows = await h.db.select().from(outbox).where(eq(outbox.toAddress, to));
  const last = rows.sort((a, b) => +b.createdAt - +a.createdAt)[0];
  expect(last, 'a sign-in email is queued').toBeTruthy();
  const m = /token=([A-Za-z0-9_-]+)/.exec(last!.text);
  return m![1]!;
}

async function requestLink(email: string) {
  const res = await h.request('/api/v1/auth/login-links', { method: 'POST', json: { email } });
  expect(res.status).toBe(202);
}

describe('magic-link sign-in', () => {
  const admin = DEMO_STAFF[0]!.email;

  it('signs in once with a fresh link, never twice, and audits both', async () => {
    await requestLink(admin);
    const token = await latestLink(admin);
    // The token is stored only as a hash.
    const stored = await h.db.select().from(loginTokens);
    expect(stored.some((r) => r.tokenHash.includes(token))).toBe(false);

    const first = await h.request('/auth/verify', { method: 'POST', form: { token } });
    expect(first.status).toBe(303);
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/sc_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // http://localhost

    const cookie = setCookie.split(';')[0]!;
    const me = await h.request('/api/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: { email: string }; organisations: { slug: string; roles: string[] }[] };
    expect(body.user.email).toBe(admin);
    expect(body.organisations).toEqual([expect.objectContaining({ slug: 'hai-phong', roles: ['admin'] })]);

    const second = await h.request('/auth/verify', { method: 'POST', form: { token } });
    expect(second.status).toBe(400);
    expect(second.headers.get('set-cookie') ?? '').not.toMatch(/sc_session=/);

    const audits = await h.db.select().from(auditLog).where(eq(auditLog.actorId, h.demo.users.admin!));
    expect(audits.filter((a) => a.action === 'auth.signed_in')).toHaveLength(1);
    const failed = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in_failed'));
    expect(failed.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses an expired link', async () => {
    await requestLink(admin);
    const token = await latestLink(admin);
    h.clock.advance(16 * MINUTE);
    const res = await h.request('/auth/verify', { method: 'POST', form: { token } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/hết hạn|expired/);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = (await h.db.select().from(outbox)).length;
    await requestLink('nobody@nowhere.example');
    expect((await h.db.select().from(outbox)).length).toBe(before);
  });

  it('a session cookie is secure when the app runs on https', async () => {
    const hs = await createHarness({ env: { APP_URL: 'https://sechia.example' } });
    try {
      await hs.request('/api/v1/auth/login-links', { method: 'POST', json: { email: admin } });
      const [row] = await hs.db.select().from(outbox).where(and(eq(outbox.toAddress, admin)));
      const token = /token=([A-Za-z0-9_-]+)/.exec(row!.text)![1]!;
      const res = await hs.fetch('https://sechia.example/auth/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://sechia.example' },
        body: new URLSearchParams({ token }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('set-cookie')).toMatch(/Secure/);
    } finally {
      await hs.close();
    }
  });

  it('refuses a cross-site form post (CSRF)', async () => {
    const res = await h.fetch('http://localhost:8787/auth/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'token=abc',
    });
    expect(res.status).toBe(403);
  });
});
