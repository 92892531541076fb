import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { stripeEvent } from '../support/stripe-standin';
import { addBankAccount } from '../../src/giving/campaigns';
import { checkoutSessions, donations } from '../../src/db/schema';
import { checkCrc, parseTlv } from '../../src/giving/vietqr';
import { createHarness } from '../support/harness';

let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
  await addBankAccount(g.h.db, g.h.demo.orgId, { bankBin: '970415', bankName: 'VietinBank', accountNumber: '113366668888', accountName: 'QUY BAO TRO TRE EM HAI PHONG', isDefault: true });
});
afterAll(() => g?.h.close());

const base = '/api/v1/orgs/hai-phong';

describe('public giving API', () => {
  it('POST …/checkout creates a checkout; its completion moves the public progress', async () => {
    const before = (await (await g.h.request(`${base}/campaigns/trung-thu-test/progress`)).json()) as { raisedMinor: number; donorCount: number };
    const res = await g.h.request(`${base}/campaigns/trung-thu-test/checkout`, { method: 'POST', json: { amountMinor: 500000, name: 'Nguyễn Văn An', email: 'an.nguyen@example.org' } });
    expect(res.status).toBe(201);
    const { checkoutId, url } = (await res.json()) as { checkoutId: string; url: string };
    expect(url).toMatch(/\/pay\/cs_test_/);
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, checkoutId));
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(row!.stripeSessionId!), { created: Math.floor(g.h.clock.now().getTime() / 1000) }));
    const after = (await (await g.h.request(`${base}/campaigns/trung-thu-test/progress`)).json()) as { raisedMinor: number; donorCount: number; recent: { name: string }[] };
    expect(after.raisedMinor - before.raisedMinor).toBe(500000);
    expect(after.donorCount).toBe(before.donorCount + 1);
    // Given name only on the public page.
    expect(after.recent[0]!.name).toBe('An');
    expect(JSON.stringify(after)).not.toContain('an.nguyen@example.org');
  });

  it('bad checkout input → 400 with field errors; unknown campaign → 404; nothing created', async () => {
    const n = (await g.h.db.select().from(checkoutSessions)).length;
    const bad = await g.h.request(`${base}/campaigns/trung-thu-test/checkout`, { method: 'POST', json: { amountMinor: 12.5, name: '', email: 'nope' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['json.amountMinor', 'json.email', 'json.name']);
    const tooSmall = await g.h.request(`${base}/campaigns/trung-thu-test/checkout`, { method: 'POST', json: { amountMinor: 5, name: 'A', email: 'a@example.org' } });
    expect(tooSmall.status).toBe(400);
    expect((await g.h.request(`${base}/campaigns/no-such/checkout`, { method: 'POST', json: { amountMinor: 500000, name: 'A', email: 'a@example.org' } })).status).toBe(404);
    expect((await g.h.request(`/api/v1/orgs/quang-ninh/campaigns/trung-thu-test/checkout`, { method: 'POST', json: { amountMinor: 500000, name: 'A', email: 'a@example.org' } })).status).toBe(404);
    expect((await g.h.db.select().from(checkoutSessions)).length).toBe(n);
  });

  it('without a Stripe key the checkout API answers 503 and points to bank transfer', async () => {
    const h2 = await createHarness();
    try {
      const { createCampaign } = await import('../../src/giving/campaigns');
      await createCampaign(h2.db, h2.demo.orgId, { slug: 'no-stripe', title: 'X', goalMinor: 1n, currency: 'VND', status: 'active' });
      const res = await h2.request('/api/v1/orgs/hai-phong/campaigns/no-stripe/checkout', { method: 'POST', json: { amountMinor: 500000, name: 'A', email: 'a@example.org' } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/bank transfer/);
    } finally {
      await h2.close();
    }
  });

  it('POST …/bank-transfer gives a unique reference inside a valid VietQR payload', async () => {
    const a = (await (await g.h.request(`${base}/campaigns/trung-thu-test/bank-transfer`, { method: 'POST', json: { amountMinor: 500000 } })).json()) as { reference: string; payload: string; svg: string };
    const b = (await (await g.h.request(`${base}/campaigns/trung-thu-test/bank-transfer`, { method: 'POST', json: {} })).json()) as { reference: string; payload: string };
    expect(a.reference).toMatch(/^SCHP[A-Z2-9]{6}$/);
    expect(a.reference).not.toBe(b.reference);
    expect(checkCrc(a.payload)).toBe(true);
    expect(a.payload).toContain(`5406500000`);
    expect(JSON.stringify(parseTlv(a.payload))).toContain(a.reference);
    expect(a.svg).toMatch(/^<svg/);
    const usd = await g.h.request(`${base}/campaigns/usd-test/bank-transfer`, { method: 'POST', json: {} });
    expect(usd.status).toBe(400);
  });
});

describe('staff giving API: who may call it', () => {
  const offline = { channel: 'cash', amountMinor: 1_000_000, currency: 'VND', receivedOn: '2026-09-19' };

  it('anonymous → 401, viewer/coordinator → 403 on money writes, another organisation → 404', async () => {
    expect((await g.h.request(`${base}/donations`)).status).toBe(401);
    expect((await g.h.request(`${base}/donations`, { as: 'caseworker' })).status).toBe(403);
    expect((await g.h.request(`${base}/donations/offline`, { as: 'viewer', method: 'POST', json: offline })).status).toBe(403);
    expect((await g.h.request(`${base}/donations/offline`, { as: 'coordinator', method: 'POST', json: offline })).status).toBe(403);
    expect((await g.h.request(`${base}/donations/offline`, { as: 'otherAdmin', method: 'POST', json: offline })).status).toBe(404);
    expect((await g.h.request(`${base}/reconciliation`, { as: 'viewer' })).status).toBe(403);
    expect((await g.h.request(`${base}/bank-statements`, { method: 'POST', json: { csv: 'x' } })).status).toBe(401);
    expect((await g.h.request(`${base}/campaigns`, { as: 'finance', method: 'POST', json: { slug: 'x', title: 'x', goalMinor: 1 } })).status).toBe(403);
    expect((await g.h.request(`/api/v1/orgs/quang-ninh/donations`, { as: 'finance' })).status).toBe(404);
  });

  it('finance records an offline gift, sees it in the list, cannot record it twice, and refunds part of it', async () => {
    const res = await g.h.request(`${base}/donations/offline`, { as: 'finance', method: 'POST', json: { ...offline, channel: 'cheque', reference: 'SEC-77', campaignId: g.campaign.id } });
    expect(res.status).toBe(201);
    const d = (await res.json()) as { id: string; amountMinor: number; fundId: string };
    expect(d.amountMinor).toBe(1_000_000);
    expect(d.fundId).toBe(g.campaign.fundId);
    const again = await g.h.request(`${base}/donations/offline`, { as: 'finance', method: 'POST', json: { ...offline, channel: 'cheque', reference: 'SEC-77', campaignId: g.campaign.id } });
    expect(again.status).toBe(409);
    const list = (await (await g.h.request(`${base}/donations?channel=cheque&from=2026-09-19&to=2026-09-19`, { as: 'viewer' })).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toEqual([d.id]);
    const refund = await g.h.request(`${base}/donations/${d.id}/refunds`, { as: 'finance', method: 'POST', json: { amountMinor: 250_000, reason: 'trả lại một phần' } });
    expect(refund.status).toBe(201);
    expect(((await refund.json()) as { refundedMinor: number }).refundedMinor).toBe(250_000);
    const over = await g.h.request(`${base}/donations/${d.id}/refunds`, { as: 'finance', method: 'POST', json: { amountMinor: 800_000, reason: 'quá' } });
    expect(over.status).toBe(409);
    const stripeGift = (await g.h.db.select().from(donations).where(eq(donations.channel, 'stripe')))[0]!;
    expect((await g.h.request(`${base}/donations/${stripeGift.id}/refunds`, { as: 'finance', method: 'POST', json: { amountMinor: 1, reason: 'x' } })).status).toBe(409);
  });

  it('bad offline input → 400 with field errors and nothing stored', async () => {
    const n = (await g.h.db.select().from(donations)).length;
    const res = await g.h.request(`${base}/donations/offline`, { as: 'finance', method: 'POST', json: { channel: 'bitcoin', amountMinor: -5, receivedOn: 'yesterday' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['json.amountMinor', 'json.channel', 'json.receivedOn']);
    const noRef = await g.h.request(`${base}/donations/offline`, { as: 'finance', method: 'POST', json: { ...offline, channel: 'bank_transfer' } });
    expect(noRef.status).toBe(400);
    expect(((await noRef.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('reference');
    // Valid ISO days that no timestamp can hold (year 0 in UTC, 9999 + 1 day) were a 500.
    for (const receivedOn of ['0000-01-01', '0001-01-01', '9999-12-31']) {
      const far = await g.h.request(`${base}/donations/offline`, { as: 'finance', method: 'POST', json: { ...offline, receivedOn } });
      expect(far.status, receivedOn).toBe(400);
      expect(((await far.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['json.receivedOn']);
    }
    expect((await g.h.db.select().from(donations)).length).toBe(n);
  });

  it('campaign editor: coordinator creates and edits; slug conflicts are 409; funds list balances', async () => {
    const create = await g.h.request(`${base}/campaigns`, { as: 'coordinator', method: 'POST', json: { slug: 'qua-tu-ky', title: 'Quà cho trẻ tự kỷ và trẻ nhiễm HIV', goalMinor: 20_000_000, status: 'active', presets: [1_000_000] } });
    expect(create.status).toBe(201);
    const c = (await create.json()) as { id: string };
    expect((await g.h.request(`${base}/campaigns`, { as: 'coordinator', method: 'POST', json: { slug: 'qua-tu-ky', title: 'x', goalMinor: 1 } })).status).toBe(409);
    const edit = await g.h.request(`${base}/campaigns/${c.id}`, { as: 'admin', method: 'PUT', json: { slug: 'qua-tu-ky', title: 'Quà cho trẻ tự kỷ', goalMinor: 25_000_000, status: 'closed' } });
    expect(edit.status).toBe(200);
    expect(await edit.json()).toMatchObject({ goalMinor: 25_000_000, status: 'closed' });
    const funds = (await (await g.h.request(`${base}/funds`, { as: 'viewer' })).json()) as { items: { kind: string; balances: Record<string, number> }[] };
    expect(funds.items.filter((f) => f.kind === 'general')).toHaveLength(1);
    expect(funds.items.some((f) => (f.balances.VND ?? 0) > 0)).toBe(true);
  });

  it('bank statement via the API: bad rows → 400 with line numbers', async () => {
    const res = await g.h.request(`${base}/bank-statements`, { as: 'finance', method: 'POST', json: { csv: 'date,amount,description\n2026-09-01,xyz,abc\n', dryRun: false } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('csv.line.2');
  });

  it('every new operation is in the OpenAPI document with its access, the webhook included', async () => {
    const doc = (await (await g.h.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-access'?: unknown }>> };
    for (const p of ['/api/v1/orgs/{org}/donations/offline', '/api/v1/orgs/{org}/campaigns/{campaign}/checkout', '/api/v1/orgs/{org}/bank-statements', '/api/v1/orgs/{org}/donors/import', '/webhooks/stripe']) {
      const key = Object.keys(doc.paths).find((k) => k === p || k.endsWith(p));
      expect(key, p).toBeDefined();
      for (const op of Object.values(doc.paths[key!]!)) expect(op['x-access']).toBeDefined();
    }
  });
});
