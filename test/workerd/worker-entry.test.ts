import { describe, expect, it } from 'vitest';
import { exports } from 'cloudflare:workers';
import { env, createScheduledController, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/worker';

/** The real Worker entry point, with the bindings from wrangler.toml + test bindings. */
describe('Worker entry (workerd)', () => {
  it('serves /healthz through its own Neon pool per request', async () => {
    const res = await exports.default.fetch('http://localhost:8787/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', runtime: 'neon' });
  });

  it('answers the API with problem+json', async () => {
    const res = await exports.default.fetch('http://localhost:8787/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('runs the scheduled handler (outbox delivery) without throwing', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }) as never, env as never, ctx as never);
    await waitOnExecutionContext(ctx);
  });

  it('refuses to start with a malformed secret, naming the variable', async () => {
    const res = worker.fetch(new Request('http://localhost/healthz') as never, { ...env, STRIPE_SECRET_KEY: 'pk_live_oops' } as never, createExecutionContext() as never);
    await expect(res).rejects.toThrow(/STRIPE_SECRET_KEY/);
  });
});
