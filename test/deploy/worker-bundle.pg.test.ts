import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { inject } from 'vitest';
import { buildWorker } from '../../scripts/build-worker';
import { openTestDatabase } from '../support/harness';
import { serveBundle } from '../support/workerd-bundle';
import { seedDemo } from '../../src/demo/seed';
import { systemClock } from '../../src/lib/clock';
import { eq } from 'drizzle-orm';
import { donations } from '../../src/db/schema';
import { startRecordingServer } from '../support/recording-server';
import { createStripeStandIn, signStripePayload, stripeApiResponder, stripeEvent } from '../support/stripe-standin';

/**
 * The file Cloudflare receives: scripts/build-worker.ts's bundle (zod's other-language catalogues
 * and postal-mime left out), served by a bare workerd against PostgreSQL through the Neon driver.
 * The workerd project runs the sources; this proves the slimmed bundle still works, Stripe's
 * SDK with the resources it never calls emptied included (against a local stand-in of its API).
 */
const stripeEnv = { STRIPE_SECRET_KEY: 'sk_test_bundle', STRIPE_WEBHOOK_SECRET: 'whsec_bundle' };
const standIn = createStripeStandIn();
let stripeApi: Awaited<ReturnType<typeof startRecordingServer>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sechia-bundle-'));
let served: Awaited<ReturnType<typeof serveBundle>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db, systemClock);
  await buildWorker({ outfile: path.join(dir, 'worker.js') });
  stripeApi = await startRecordingServer(stripeApiResponder(standIn));
  served = await serveBundle(dir, {
    ...stripeEnv,
    STRIPE_API_BASE: stripeApi.url,
    APP_ENV: 'test',
    APP_URL: 'http://localhost:8787',
    DATABASE_URL: database.url!,
    NEON_WS_PROXY: inject('pgProxy'),
  });
}, 120_000);

afterAll(async () => {
  served?.stop();
  await stripeApi?.close();
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the deployed Worker bundle', () => {
  it('stays within the 400 KiB gzip budget', () => {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, 'worker.js')), { level: 9 }).length;
    expect(gz / 1024).toBeLessThanOrEqual(400);
    // What build-worker leaves out is not in it: zod's schema compiler and Stripe's thin-event handler are stand-ins.
    const code = fs.readFileSync(path.join(dir, 'worker.js'), 'utf8');
    expect(code).not.toContain('this schema must use the runtime parser');
    expect(code).toContain('z.compile is not bundled in the Worker');
    expect(code).toContain('Stripe thin-event notification handlers are not bundled in the Worker');
  });

  it('reaches the database through the Neon driver', async () => {
    const res = await fetch(`${served.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ database: 'ok', runtime: 'neon' });
  });

  it('renders a public campaign page in Vietnamese with VND amounts', async () => {
    const res = await fetch(`${served.url}/c/hai-phong/trung-thu-2026`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="vi"');
    expect(html).toMatch(/\d[\d.]*\s?₫/);
  });

  it('keeps zod’s English messages in validation problems', async () => {
    const res = await fetch(`${served.url}/api/v1/auth/login-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'not an address' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual([{ path: 'json.email', message: expect.stringMatching(/^Invalid email/) }]);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${served.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).length).toBeGreaterThan(50);
  });

  it('takes a card gift through Stripe: the Checkout Session, the signed webhook, the settlement look-up', async () => {
    const res = await fetch(`${served.url}/api/v1/orgs/hai-phong/campaigns/trung-thu-2026/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor: 250000, name: 'Đỗ Minh Khoa', email: 'khoa.do@example.org' }),
    });
    expect(res.status).toBe(201);
    expect(stripeApi.requests.find((r) => r.path === '/v1/checkout/sessions')?.method).toBe('POST');
    const sessionId = [...standIn.sessions.keys()].at(-1)!;
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', standIn.completeSession(sessionId), { created: now }));
    const hook = await fetch(`${served.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await signStripePayload(payload, stripeEnv.STRIPE_WEBHOOK_SECRET, now) },
      body: payload,
    });
    expect(hook.status).toBe(200);
    // Applied after the answer (waitUntil): the gift is recorded, then settled from Stripe's balance transaction.
    let d: typeof donations.$inferSelect | undefined;
    for (let i = 0; i < 200 && d?.settlementStatus !== 'settled'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [d] = await database.db.select().from(donations).where(eq(donations.stripeCheckoutSessionId, sessionId));
    }
    expect(d).toMatchObject({ amountMinor: 250_000n, settlementStatus: 'settled' });
    expect(stripeApi.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/payment_intents/'))).toBe(true);
  });
});
