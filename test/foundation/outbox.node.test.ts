import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { startRecordingServer } from '../support/recording-server';
import { resendMailer } from '../../src/mail/mailer';
import { deliverOutbox, enqueueMail, MAX_ATTEMPTS } from '../../src/mail/outbox';
import { outbox } from '../../src/db/schema';
import { memoryLogger } from '../../src/lib/log';
import { MINUTE, HOUR } from '../../src/lib/clock';

let h: Harness;
let resend: Awaited<ReturnType<typeof startRecordingServer>>;
beforeAll(async () => {
  resend = await startRecordingServer(() => ({ status: 200, body: { id: 'msg_1' } }));
  // The outbox stamps messages with the database clock: the app clock must not run behind it.
  h = await createHarness({ now: new Date(Date.now() + 60_000).toISOString() });
});
afterAll(async () => {
  await h?.close();
  await resend?.close();
});

const mail = (key: string) => ({ to: 'donor@example.org', locale: 'vi', template: 'test', subject: 'Xin chào', html: '<p>x</p>', text: 'x', dedupeKey: key });

describe('outbox delivery through Resend', () => {
  it('sends once with the outbox id as idempotency key, never twice', async () => {
    const mailer = resendMailer('re_test_key_for_local_server', { baseUrl: resend.url });
    const { id } = await enqueueMail(h.db, mail('k1'));
    const dup = await enqueueMail(h.db, mail('k1'));
    expect(dup.duplicate).toBe(true);
    const deps = { mailer, clock: h.clock, from: 'Sẻ Chia <a@b.example>', logger: memoryLogger() };
    const r1 = await deliverOutbox(h.db, deps);
    const r2 = await deliverOutbox(h.db, deps);
    expect(r1.sent).toBe(1);
    expect(r2.sent).toBe(0);
    expect(resend.requests).toHaveLength(1);
    expect(resend.requests[0]!.headers['idempotency-key']).toBe(id);
    expect(resend.requests[0]!.headers.authorization).toBe('Bearer re_test_key_for_local_server');
    const [row] = await h.db.select().from(outbox).where(eq(outbox.id, id!));
    expect(row!.status).toBe('sent');
    expect(row!.providerMessageId).toBe('msg_1');
  });

  it('retries 500, 429 and timeouts with backoff, then dead-letters visibly', async () => {
    resend.requests.length = 0;
    let n = 0;
    resend.setResponder(() => {
      n++;
      if (n % 3 === 1) return { status: 500, body: { name: 'internal_server_error', message: 'boom', statusCode: 500 } };
      if (n % 3 === 2) return { status: 429, body: { name: 'rate_limit_exceeded', message: 'slow down', statusCode: 429 } };
      return { status: 200, body: { id: 'late' }, delayMs: 1500 };
    });
    const mailer = resendMailer('re_test_key_for_local_server', { baseUrl: resend.url, timeoutMs: 300 });
    const { id } = await enqueueMail(h.db, mail('k2'));
    const deps = { mailer, clock: h.clock, from: 'x@y.example', logger: memoryLogger() };
    const first = await deliverOutbox(h.db, deps);
    expect(first.retried).toBe(1);
    // Not due again until the backoff passes.
    expect((await deliverOutbox(h.db, deps)).retried).toBe(0);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      h.clock.advance(5 * HOUR);
      await deliverOutbox(h.db, deps);
    }
    const [row] = await h.db.select().from(outbox).where(eq(outbox.id, id!));
    expect(row!.status).toBe('dead');
    expect(row!.attempts).toBe(MAX_ATTEMPTS);
    expect(row!.lastError).toBeTruthy();
    // Every attempt carried the same idempotency key.
    expect(new Set(resend.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([id]));

    // Staff see it among dead letters and can requeue it.
    const list = await h.request('/api/v1/orgs/hai-phong/outbox?status=dead', { as: 'admin' });
    expect(list.status).toBe(200);
  });

  it('a 4xx from the provider is not retried', async () => {
    resend.setResponder(() => ({ status: 422, body: { name: 'validation_error', message: 'bad from', statusCode: 422 } }));
    const mailer = resendMailer('re_test_key_for_local_server', { baseUrl: resend.url });
    const { id } = await enqueueMail(h.db, mail('k3'));
    h.clock.advance(MINUTE);
    const r = await deliverOutbox(h.db, { mailer, clock: h.clock, from: 'x@y.example', logger: memoryLogger() });
    expect(r.dead).toBe(1);
    const [row] = await h.db.select().from(outbox).where(eq(outbox.id, id!));
    expect(row!.status).toBe('dead');
  });
});
