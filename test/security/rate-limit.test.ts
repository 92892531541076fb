import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { outbox } from '../../src/db/schema';
import { MINUTE } from '../../src/lib/clock';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-11-25T09:00:00Z' });
});
afterAll(() => h?.close());

const ask = (email: string, ip = '203.0.113.7') =>
  h.request('/api/v1/auth/login-links', { method: 'POST', json: { email }, headers: { 'x-forwarded-for': ip } });

describe('rate limits on sign-in links', () => {
  it('allows 5 links per email per 15 minutes, then 429 with Retry-After, and no more mail', async () => {
    const email = 'admin@haiphong.sechia.example';
    for (let i = 0; i < 5; i++) expect((await ask(email)).status).toBe(202);
    const limited = await ask(email);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.db.select().from(outbox).where(eq(outbox.toAddress, email))).toHaveLength(5);
    h.clock.advance(16 * MINUTE);
    expect((await ask(email)).status).toBe(202);
  });

  it('limits one address asking for many emails', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await ask(`someone${i}@example.org`, '198.51.100.9')).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // Another address is unaffected.
    expect((await ask('someone@example.org', '198.51.100.10')).status).toBe(202);
  });

  it('the login form shows a readable message when limited', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await h.request('/login', { method: 'POST', form: { email: 'ketoan@haiphong.sechia.example' }, headers: { 'x-forwarded-for': '192.0.2.44' } });
    expect(last!.status).toBe(429);
    expect(await last!.text()).toMatch(/Too many requests|Retry|thử lại/i);
  });
});

describe('rate limits on donation creation', () => {
  it('refuses the 31st bank-transfer reference from one address within 15 minutes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await h.request('/api/v1/orgs/hai-phong/campaigns/no-such-campaign/bank-transfer', {
        method: 'POST',
        json: {},
        headers: { 'x-forwarded-for': '203.0.113.99' },
      });
      statuses.push(res.status);
    }
    // The limit counts attempts before anything else is looked at.
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
