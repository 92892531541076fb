import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { createHarness, type Harness } from '../support/harness';
import { stripeEvent } from '../support/stripe-standin';
import { addBankAccount, createCampaign } from '../../src/giving/campaigns';
import { importBankStatement } from '../../src/giving/bank';
import { recordOfflineGift } from '../../src/giving/gifts';
import { fundBalance } from '../../src/giving/ledger';
import { campaigns, checkoutSessions, donations, paymentReferences } from '../../src/db/schema';

// A centre's page offers a way to give even when no campaign runs: to its general fund, by card
// (once or monthly) or by bank transfer, from /c/<centre>/give.
let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
  await addBankAccount(g.h.db, g.h.demo.orgId, { bankBin: '970415', bankName: 'VietinBank', accountNumber: '113366668888', accountName: 'QUY BAO TRO TRE EM HAI PHONG', isDefault: true });
});
afterAll(() => g?.h.close());

const now = () => Math.floor(g.h.clock.now().getTime() / 1000);
const sessionIdOf = (res: Response) => /\/pay\/(cs_test_[^/?]+)/.exec(res.headers.get('location') ?? '')?.[1];

describe("giving to a centre's general fund", () => {
  it('the centre page leads to the general giving page, which offers card and bank transfer in both languages', async () => {
    const centre = await (await g.h.request('/c/hai-phong')).text();
    expect(centre).toMatch(/id="general-h"[^]*href="\/c\/hai-phong\/give"/);
    const res = await g.h.request('/c/hai-phong/give');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1>Ủng hộ [^<]*Hải Phòng[^<]*<\/h1>/);
    expect(html).toContain('quỹ chung');
    expect(html).toContain('action="/c/hai-phong/give/donate"');
    expect(html).toContain('name="preset" value="500000"');
    expect(html).toContain('name="interval" value="month"');
    expect(html).toContain('action="/c/hai-phong/give/bank#bank-h"');
    // No goal and no list of givers: the general fund is not a campaign.
    expect(html).not.toContain('<progress');
    expect(html).not.toContain('id="recent-h"');
    const en = await (await g.h.request('/c/hai-phong/give?lang=en')).text();
    expect(en).toMatch(/<h1>Give to [^<]*<\/h1>/);
    expect(en).toContain('general fund');
    expect((await g.h.request('/c/no-such-centre/give')).status).toBe(404);
    // Staff find the page's address to share beside their campaigns.
    const staff = await (await g.h.request('/o/hai-phong/campaigns', { as: 'viewer' })).text();
    expect(staff).toMatch(/<a href="\/c\/hai-phong\/give" data-general-page[^>]*>http:\/\/localhost:8787\/c\/hai-phong\/give<\/a>/);
  });

  it('a card gift goes to the general fund, with no campaign, and the thank-you page follows it', async () => {
    const bad = await g.h.request('/c/hai-phong/give/donate', { method: 'POST', form: { amount: 'nhiều', name: '', email: 'x' } });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('role="alert"');
    expect(badHtml).toMatch(/id="name"[^>]*aria-invalid="true"/);

    const res = await g.h.request('/c/hai-phong/give/donate', { method: 'POST', form: { preset: '1000000', interval: 'once', name: 'Lê Thu Hà', email: 'thuha.le@example.org' } });
    expect(res.status).toBe(303);
    const sessionId = sessionIdOf(res)!;
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('mode')).toBe('payment');
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('1000000');
    expect(req.params.get('line_items[0][price_data][product_data][name]')).toMatch(/quỹ chung$/);
    expect(req.params.get('metadata[sechia_campaign]')).toBeNull();
    expect(req.params.get('success_url')).toMatch(/^http:\/\/localhost:8787\/c\/hai-phong\/give\/thanks\?checkout=/);
    const checkoutId = g.stripe.sessions.get(sessionId)!.client_reference_id as string;

    const waiting = await (await g.h.request(`/c/hai-phong/give/thanks?checkout=${checkoutId}`)).text();
    expect(waiting).toContain('data-checkout-status="open"');
    expect((await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(sessionId), { created: now() }))).status).toBe(200);
    const done = await (await g.h.request(`/c/hai-phong/give/thanks?checkout=${checkoutId}`)).text();
    expect(done).toContain('data-checkout-status="completed"');
    expect(done).toContain('href="/c/hai-phong"');

    const [d] = await g.h.db.select().from(donations).where(eq(donations.checkoutId, checkoutId));
    expect(d).toMatchObject({ campaignId: null, fundId: g.general.id, amountMinor: 1_000_000n, currency: 'VND', channel: 'stripe' });
    // The general fund holds the gift less Stripe's fee, as settled.
    expect(d!.settlementStatus).toBe('settled');
    expect(d!.feeMinor! > 0n).toBe(true);
    expect((await fundBalance(g.h.db, g.h.demo.orgId, g.general.id)).VND).toBe(1_000_000n - d!.feeMinor!);
    // A campaign's checkout is not shown on the general page, nor the general one on a campaign's.
    const camp = await g.h.request('/c/hai-phong/trung-thu-test/donate', { method: 'POST', form: { preset: '200000', name: 'Vũ An', email: 'vu.an@example.org' } });
    const campCheckout = g.stripe.sessions.get(sessionIdOf(camp)!)!.client_reference_id as string;
    expect((await g.h.request(`/c/hai-phong/give/thanks?checkout=${campCheckout}`)).status).toBe(404);
    expect((await g.h.request(`/c/hai-phong/trung-thu-test/thanks?checkout=${checkoutId}`)).status).toBe(404);
  });

  it('a monthly gift to the general fund becomes a Stripe subscription', async () => {
    const res = await g.h.request('/c/hai-phong/give/donate', { method: 'POST', form: { amount: '300.000', interval: 'month', name: 'Phạm Minh', email: 'minh.pham@example.org' } });
    expect(res.status).toBe(303);
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('mode')).toBe('subscription');
    expect(req.params.get('line_items[0][price_data][recurring][interval]')).toBe('month');
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('300000');
  });

  it('a bank transfer reference for the general fund books the transfer there when the statement comes in', async () => {
    const res = await g.h.request('/c/hai-phong/give/bank', { method: 'POST', form: { amount: '2.000.000' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const code = /data-reference="?[^>]*>(SCHP[A-Z2-9]{6})</.exec(html)?.[1];
    expect(code).toBeTruthy();
    expect(html).toContain('<svg');
    const [ref] = await g.h.db.select().from(paymentReferences).where(eq(paymentReferences.code, code!));
    expect(ref).toMatchObject({ campaignId: null, fundId: g.general.id, amountMinor: 2_000_000n });
    const before = (await fundBalance(g.h.db, g.h.demo.orgId, g.general.id)).VND ?? 0n;
    const csv = `Ngày,Số tiền,Nội dung,Mã giao dịch\n21/09/2026,2000000,UNG HO ${code},FT-GENERAL-1\n`;
    const r = await importBankStatement(g.h.db, g.h.demo.orgId, { csv, dryRun: false }, { appUrl: 'http://localhost:8787' });
    expect(r).toMatchObject({ donationsCreated: 1, queued: 0 });
    const [d] = await g.h.db.select().from(donations).where(and(eq(donations.orgId, g.h.demo.orgId), eq(donations.externalId, 'FT-GENERAL-1')));
    expect(d).toMatchObject({ campaignId: null, fundId: g.general.id, channel: 'bank_transfer' });
    expect((await fundBalance(g.h.db, g.h.demo.orgId, g.general.id)).VND).toBe(before + 2_000_000n);
    const bad = await g.h.request('/c/hai-phong/give/bank', { method: 'POST', form: { amount: 'hai triệu' } });
    expect(bad.status).toBe(400);
  });

  it('finance lists the general fund’s gifts apart from the campaigns’, on the page and through the API', async () => {
    await recordOfflineGift(g.h.db, g.h.demo.orgId, { campaignId: g.campaign.id, channel: 'cash', amountMinor: 400_000n, currency: 'VND', receivedOn: '2026-09-19', reference: 'PT-CAMPAIGN-1' }, { appUrl: 'http://localhost:8787', today: '2026-09-20' });
    const all = await g.h.db.select().from(donations).where(eq(donations.orgId, g.h.demo.orgId));
    const general = all.filter((d) => d.campaignId === null && d.fundId === g.general.id);
    expect(general.length).toBeGreaterThanOrEqual(2);
    expect(all.some((d) => d.campaignId !== null)).toBe(true);
    const api = await g.h.request('/api/v1/orgs/hai-phong/donations?generalFund=true&limit=500', { as: 'finance' });
    expect(api.status).toBe(200);
    const items = ((await api.json()) as { items: { id: string }[] }).items;
    expect(items.map((d) => d.id).sort()).toEqual(general.map((d) => d.id).sort());
    const page = await (await g.h.request('/o/hai-phong/donations?campaign=general', { as: 'finance' })).text();
    expect(page).toMatch(/<option value="general" selected/);
    const listed = [...page.matchAll(/data-donation="([^"]+)"/g)].map((m) => m[1]!);
    expect(listed.sort()).toEqual(general.map((d) => d.id).sort());
    expect((await g.h.request('/api/v1/orgs/hai-phong/donations?generalFund=maybe', { as: 'finance' })).status).toBe(400);
  });

  it('the API gives to the general fund too, and says so clearly for an unknown centre', async () => {
    const co = await g.h.request('/api/v1/orgs/hai-phong/general-fund/checkout', { method: 'POST', json: { amountMinor: 500000, name: 'Emily', email: 'emily@example.com', locale: 'en' } });
    expect(co.status).toBe(201);
    const body = (await co.json()) as { checkoutId: string; url: string };
    const [row] = await g.h.db.select().from(checkoutSessions).where(eq(checkoutSessions.id, body.checkoutId));
    expect(row).toMatchObject({ campaignId: null, fundId: g.general.id, purpose: { kind: 'general' } });
    expect(g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.params.get('line_items[0][price_data][product_data][name]')).toMatch(/general fund$/);
    const bank = await g.h.request('/api/v1/orgs/hai-phong/general-fund/bank-transfer', { method: 'POST', json: {} });
    expect(bank.status).toBe(201);
    expect(((await bank.json()) as { reference: string }).reference).toMatch(/^SCHP[A-Z2-9]{6}$/);
    const unknown = await g.h.request('/api/v1/orgs/no-such-centre/general-fund/checkout', { method: 'POST', json: { amountMinor: 500000, name: 'A', email: 'a@example.org' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const invalid = await g.h.request('/api/v1/orgs/hai-phong/general-fund/checkout', { method: 'POST', json: { amountMinor: -5, name: '', email: 'nope' } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
  });

  it('no campaign may take the general page’s address; the editor says why', async () => {
    await expect(createCampaign(g.h.db, g.h.demo.orgId, { slug: 'give', title: 'Trùng địa chỉ', goalMinor: 1_000_000n, currency: 'VND', status: 'active' })).rejects.toMatchObject({ status: 409 });
    const res = await g.h.request('/o/hai-phong/campaigns/new', { method: 'POST', as: 'coordinator', form: { slug: 'give', title: 'Trùng địa chỉ', goal: '1.000.000', currency: 'VND', status: 'draft' } });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(/id="slug"[^>]*aria-invalid="true"/);
    expect(html).toContain('dành cho trang ủng hộ quỹ chung');
  });
});

describe('a campaign that held the address "give" before it was kept', () => {
  it('keeps its page, and the API then refuses general gifts with a clear conflict instead of a lost thank-you page', async () => {
    const old = await createCampaign(g.h.db, g.h.demo.orgId, { slug: 'tam-thoi', title: 'Chương trình cũ ở /give', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
    await g.h.db.update(campaigns).set({ slug: 'give' }).where(eq(campaigns.id, old.id));
    try {
      expect(await (await g.h.request('/c/hai-phong/give')).text()).toContain('Chương trình cũ ở /give');
      const res = await g.h.request('/api/v1/orgs/hai-phong/general-fund/checkout', { method: 'POST', json: { amountMinor: 500000, name: 'A', email: 'a@example.org' } });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await g.h.db.update(campaigns).set({ slug: 'tam-thoi' }).where(eq(campaigns.id, old.id));
    }
  });
});

describe('the general giving page without Stripe', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());
  it('says card payment is not configured and still offers bank transfer', async () => {
    const html = await (await h.request('/c/hai-phong/give')).text();
    expect(html).toContain('id="card-off"');
    expect(html).toContain('action="/c/hai-phong/give/bank#bank-h"');
    expect(html).not.toContain('action="/c/hai-phong/give/donate"');
  });
});
