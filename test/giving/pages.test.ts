import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createGivingHarness, type GivingHarness } from './setup';
import { createHarness, type Harness } from '../support/harness';
import { addBankAccount, createCampaign } from '../../src/giving/campaigns';
import { createDonor } from '../../src/donors/donors';
import { recordOfflineGift } from '../../src/giving/gifts';
import { campaigns, donations, outbox } from '../../src/db/schema';

let g: GivingHarness;
beforeAll(async () => {
  g = await createGivingHarness();
  await addBankAccount(g.h.db, g.h.demo.orgId, { bankBin: '970415', bankName: 'VietinBank', accountNumber: '113366668888', accountName: 'QUY BAO TRO TRE EM HAI PHONG', isDefault: true });
});
afterAll(() => g?.h.close());

const origin = { origin: 'http://localhost:8787' };

describe('public campaign page', () => {
  it('shows progress and the donation form, in Vietnamese and English', async () => {
    const res = await g.h.request('/c/hai-phong/trung-thu-test');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Trung thu cho trẻ em (thử)');
    expect(html).toContain('<progress');
    expect(html).toContain('name="preset" value="500000"');
    expect(html).not.toMatch(/style=/);
    const en = await (await g.h.request('/c/hai-phong/trung-thu-test?lang=en')).text();
    expect(en).toContain('Give by card');
    // A campaign's own texts follow the reader's language where staff wrote them in English.
    await createCampaign(g.h.db, g.h.demo.orgId, {
      slug: 'song-ngu',
      title: 'Áo ấm cho trẻ em vùng cao',
      titleEn: 'Warm coats for highland children',
      summary: 'Mỗi áo 250.000 đ.',
      summaryEn: 'Each coat costs 250,000 đ.',
      goalMinor: 5_000_000n,
      currency: 'VND',
      status: 'active',
    });
    const bilingualEn = await (await g.h.request('/c/hai-phong/song-ngu?lang=en')).text();
    expect(bilingualEn).toContain('Warm coats for highland children');
    expect(bilingualEn).toContain('Each coat costs 250,000 đ.');
    expect(bilingualEn).not.toContain('Áo ấm cho trẻ em vùng cao');
    // Shared on Facebook or Zalo, the link shows the campaign's title and summary, in the reader's language.
    expect(bilingualEn).toMatch(/<meta property="og:title" content="Warm coats for highland children"\/?>/);
    expect(bilingualEn).toMatch(/<meta property="og:description" content="Each coat costs 250,000 đ."\/?>/);
    expect(bilingualEn).toMatch(/<meta property="og:url" content="http:\/\/localhost:8787\/c\/hai-phong\/song-ngu"\/?>/);
    expect(bilingualEn).toMatch(/<link rel="canonical" href="http:\/\/localhost:8787\/c\/hai-phong\/song-ngu"\/?>/);
    const bilingualVi = await (await g.h.request('/c/hai-phong/song-ngu?lang=vi')).text();
    expect(bilingualVi).toContain('Áo ấm cho trẻ em vùng cao');
    expect(bilingualVi).not.toContain('Warm coats for highland children');
    // Staff reading in English see it in their lists and choosers too: campaigns, donations filter, gift form.
    for (const [path, as] of [['/o/hai-phong/campaigns', 'coordinator'], ['/o/hai-phong/donations', 'finance'], ['/o/hai-phong/donations/new', 'finance']] as const) {
      const staffEn = await (await g.h.request(`${path}?lang=en`, { as })).text();
      expect(staffEn, path).toContain('Warm coats for highland children');
      expect(staffEn, path).not.toContain('Áo ấm cho trẻ em vùng cao');
      const staffVi = await (await g.h.request(`${path}?lang=vi`, { as })).text();
      expect(staffVi, path).toContain('Áo ấm cho trẻ em vùng cao');
    }
    // Without an English title, English readers see the Vietnamese one.
    expect(en).toContain('Trung thu cho trẻ em (thử)');
    expect((await g.h.request('/c/hai-phong/no-such')).status).toBe(404);
    expect((await g.h.request('/c/quang-ninh/trung-thu-test')).status).toBe(404);
  });

  it('a bad form comes back with the values, marked fields and an alert; a good one goes to Stripe', async () => {
    const bad = await g.h.request('/c/hai-phong/trung-thu-test/donate', { method: 'POST', form: { preset: '500000', amount: '12,5', currency: 'VND', name: 'Đỗ Thị Mơ', email: 'x' } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/id="email"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/id="amount"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="Đỗ Thị Mơ"');
    const ok = await g.h.request('/c/hai-phong/trung-thu-test/donate', { method: 'POST', form: { preset: '500000', amount: '', currency: 'VND', interval: 'once', name: 'Đỗ Thị Mơ', email: 'mo.do@example.org' } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/\/pay\/cs_test_/);
    const usd = await g.h.request('/c/hai-phong/trung-thu-test/donate', { method: 'POST', form: { amount: '25.50', currency: 'USD', name: 'Emily', email: 'emily@example.com' } });
    expect(usd.status).toBe(303);
    const req = g.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(req.params.get('line_items[0][price_data][unit_amount]')).toBe('2550');
    expect(req.params.get('line_items[0][price_data][currency]')).toBe('usd');
  });

  it('a cross-site form post is refused', async () => {
    const res = await g.h.request('/c/hai-phong/trung-thu-test/donate', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'preset=500000&name=a&email=a@b.example',
    });
    expect(res.status).toBe(403);
  });

  it('the bank-transfer form shows a QR code and a reference', async () => {
    const res = await g.h.request('/c/hai-phong/trung-thu-test/bank', { method: 'POST', form: { amount: '500.000' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-reference="?[^>]*>SCHP[A-Z2-9]{6}</);
    expect(html).toContain('<svg');
    expect(html).toContain('113366668888');
    const bad = await g.h.request('/c/hai-phong/trung-thu-test/bank', { method: 'POST', form: { amount: 'nhiều' } });
    expect(bad.status).toBe(400);
  });

  it('the thanks page follows the checkout status', async () => {
    const res = await g.h.request('/c/hai-phong/trung-thu-test/donate', { method: 'POST', form: { preset: '200000', name: 'Vũ An', email: 'vu.an@example.org' } });
    const sessionId = /\/pay\/(cs_test_[^/?]+)/.exec(res.headers.get('location')!)![1]!;
    const session = g.stripe.sessions.get(sessionId)!;
    const checkoutId = session.client_reference_id as string;
    const waiting = await (await g.h.request(`/c/hai-phong/trung-thu-test/thanks?checkout=${checkoutId}`)).text();
    expect(waiting).toContain('data-checkout-status="open"');
    expect(waiting).toContain('http-equiv="refresh"');
    const { stripeEvent } = await import('../support/stripe-standin');
    await g.deliver(stripeEvent('checkout.session.completed', g.stripe.completeSession(sessionId), { created: Math.floor(g.h.clock.now().getTime() / 1000) }));
    const done = await (await g.h.request(`/c/hai-phong/trung-thu-test/thanks?checkout=${checkoutId}`)).text();
    expect(done).toContain('data-checkout-status="completed"');
    expect((await g.h.request(`/c/hai-phong/usd-test/thanks?checkout=${checkoutId}`)).status).toBe(404);
  });
});

describe('without Stripe', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    await createCampaign(h.db, h.demo.orgId, { slug: 'offline-only', title: 'Chỉ chuyển khoản', goalMinor: 1_000_000n, currency: 'VND', status: 'active' });
  });
  afterAll(() => h?.close());
  it('the page says card payment is not configured and offers bank transfer', async () => {
    const html = await (await h.request('/c/hai-phong/offline-only')).text();
    expect(html).toContain('id="card-off"');
    expect(html).toContain('chưa được cấu hình');
    expect(html).toContain('/c/hai-phong/offline-only/bank');
    expect(html).not.toContain('/c/hai-phong/offline-only/donate');
  });
});

describe('staff pages', () => {
  it('who may open them: anonymous → sign-in, wrong role → 403, another organisation → 404', async () => {
    const anon = await g.h.request('/o/hai-phong/donors');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login');
    expect((await g.h.request('/o/hai-phong/donors', { as: 'caseworker' })).status).toBe(403);
    expect((await g.h.request('/o/hai-phong/donors', { as: 'otherAdmin' })).status).toBe(404);
    expect((await g.h.request('/o/hai-phong/reconciliation', { as: 'viewer' })).status).toBe(403);
    expect((await g.h.request('/o/hai-phong/donations/new', { as: 'coordinator' })).status).toBe(403);
    expect((await g.h.request('/o/hai-phong/campaigns/new', { as: 'finance' })).status).toBe(403);
    for (const p of ['/o/hai-phong/donors', '/o/hai-phong/donations', '/o/hai-phong/campaigns']) expect((await g.h.request(p, { as: 'viewer' })).status, p).toBe(200);
    const dash = await (await g.h.request('/o/hai-phong', { as: 'finance' })).text();
    expect(dash).toContain('/o/hai-phong/reconciliation');
    expect(dash).toContain('data-count="donations"');
  });

  it('finance records an offline gift with the form; mistakes re-render with values', async () => {
    const donor = await createDonor(g.h.db, g.h.demo.orgId, { name: 'Công ty Hoa Phượng', kind: 'organisation' });
    const bad = await g.h.request('/o/hai-phong/donations/new', { as: 'finance', method: 'POST', form: { donorId: donor.id, channel: 'cheque', amount: 'abc', currency: 'VND', receivedOn: '2026-09-19', reference: '' } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="amount"[^>]*aria-invalid="true"/);
    const noRef = await g.h.request('/o/hai-phong/donations/new', { as: 'finance', method: 'POST', form: { donorId: donor.id, channel: 'cheque', amount: '3.000.000', currency: 'VND', receivedOn: '2026-09-19', reference: '' } });
    expect(noRef.status).toBe(400);
    expect(await noRef.text()).toMatch(/id="reference"[^>]*aria-invalid="true"/);
    const ok = await g.h.request('/o/hai-phong/donations/new', { as: 'finance', method: 'POST', form: { donorId: donor.id, campaignId: g.campaign.id, channel: 'cheque', amount: '3.000.000', currency: 'VND', receivedOn: '2026-09-19', reference: 'SEC-9001' } });
    expect(ok.status).toBe(303);
    const [d] = await g.h.db.select().from(donations).where(eq(donations.externalId, 'SEC-9001'));
    expect(d).toMatchObject({ amountMinor: 3_000_000n, channel: 'cheque', campaignId: g.campaign.id, donorId: donor.id });
    const dup = await g.h.request('/o/hai-phong/donations/new', { as: 'finance', method: 'POST', form: { donorId: donor.id, channel: 'cheque', amount: '3.000.000', currency: 'VND', receivedOn: '2026-09-19', reference: 'SEC-9001' } });
    expect(dup.status).toBe(409);
    const list = await (await g.h.request('/o/hai-phong/donations?channel=cheque', { as: 'viewer' })).text();
    expect(list).toContain(`data-donation="${d!.id}"`);
    const detail = await (await g.h.request(`/o/hai-phong/donors/${donor.id}`, { as: 'viewer' })).text();
    expect(detail).toContain('3.000.000');
    expect(detail).toMatch(/HP-2026-\d{6}/);
  });

  it('finance uploads a statement file, then matches and dismisses waiting lines', async () => {
    const form = new FormData();
    form.set('mode', 'import');
    form.set('file', new File(['Ngày,Số tiền,Nội dung,Mã giao dịch\n19/09/2026,700000,UNG HO TRUNG THU,FT9001\n19/09/2026,100000,PHI,FT9002\n'], 'sao-ke.csv', { type: 'text/csv' }));
    const res = await g.h.request('/o/hai-phong/reconciliation/upload', { as: 'finance', method: 'POST', body: form, headers: origin });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('role="status"');
    const ids = [...html.matchAll(/data-line-id="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    const m = await g.h.request(`/o/hai-phong/reconciliation/${ids[0]}/match`, { as: 'finance', method: 'POST', form: { donorId: '', newDonorName: 'Người ủng hộ Trung thu', campaignId: g.campaign.id } });
    expect(m.status).toBe(303);
    const again = await g.h.request(`/o/hai-phong/reconciliation/${ids[0]}/match`, { as: 'finance', method: 'POST', form: { donorId: '', newDonorName: 'x', campaignId: '' } });
    expect(again.status).toBe(409);
    const noReason = await g.h.request(`/o/hai-phong/reconciliation/${ids[1]}/dismiss`, { as: 'finance', method: 'POST', form: { reason: '' } });
    expect(noReason.status).toBe(400);
    expect((await g.h.request(`/o/hai-phong/reconciliation/${ids[1]}/dismiss`, { as: 'finance', method: 'POST', form: { reason: 'Phí ngân hàng' } })).status).toBe(303);
    expect(await (await g.h.request('/o/hai-phong/reconciliation', { as: 'finance' })).text()).not.toContain('data-line-id');

    const badFile = new FormData();
    badFile.set('mode', 'import');
    badFile.set('file', new File(['date,amount,description\n2026-09-19,oops,x\n'], 'bad.csv'));
    const bad = await g.h.request('/o/hai-phong/reconciliation/upload', { as: 'finance', method: 'POST', body: badFile, headers: origin });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-line="2"');
  });

  it('coordinators create and edit campaigns with the editor', async () => {
    const bad = await g.h.request('/o/hai-phong/campaigns/new', { as: 'coordinator', method: 'POST', form: { title: 'Áo trắng đến trường', slug: 'Ao Trang', goal: 'x', currency: 'VND', status: 'draft' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('value="Áo trắng đến trường"');
    const ok = await g.h.request('/o/hai-phong/campaigns/new', { as: 'coordinator', method: 'POST', form: { title: 'Áo trắng đến trường', slug: 'ao-trang', goal: '15.000.000', currency: 'VND', status: 'active', presets: '150.000, 300.000', allowMonthly: '1' } });
    expect(ok.status).toBe(303);
    const [c] = await g.h.db.select().from(campaigns).where(eq(campaigns.slug, 'ao-trang'));
    expect(c).toMatchObject({ goalMinor: 15_000_000n, presets: ['150000', '300000'], status: 'active' });
    const dup = await g.h.request('/o/hai-phong/campaigns/new', { as: 'coordinator', method: 'POST', form: { title: 'x', slug: 'ao-trang', goal: '1', currency: 'VND' } });
    expect(dup.status).toBe(409);
    const edit = await g.h.request(`/o/hai-phong/campaigns/${c!.id}/edit`, { as: 'admin', method: 'POST', form: { title: 'Áo trắng đến trường 2026', slug: 'ao-trang', goal: '16.000.000', currency: 'VND', status: 'active', presets: '' } });
    expect(edit.status).toBe(303);
    expect((await g.h.request('/c/hai-phong/ao-trang')).status).toBe(200);
  });
});

describe("a centre's public page and the front page", () => {
  it('lists what the centre raises for now with its progress, past campaigns apart, never a draft', async () => {
    const orgId = g.h.demo.orgId;
    const running = await createCampaign(g.h.db, orgId, { slug: 'sach-vo', title: 'Sách vở cho năm học mới', titleEn: 'Books for the new school year', goalMinor: 10_000_000n, currency: 'VND', status: 'active' });
    await createCampaign(g.h.db, orgId, { slug: 'tet-2026', title: 'Tết 2026 ấm áp', goalMinor: 5_000_000n, currency: 'VND', status: 'closed' });
    await createCampaign(g.h.db, orgId, { slug: 'ban-nhap', title: 'Bản nháp chưa công bố', goalMinor: 1_000_000n, currency: 'VND', status: 'draft' });
    const ctx = { appUrl: 'http://localhost:8787', today: '2026-09-20' };
    await recordOfflineGift(g.h.db, orgId, { campaignId: running.id, channel: 'cash', amountMinor: 250_000n, currency: 'VND', receivedOn: '2026-09-10', reference: 'PT-PUBLIC-1' }, ctx);
    await recordOfflineGift(g.h.db, orgId, { campaignId: running.id, channel: 'cash', amountMinor: 500_000n, currency: 'VND', receivedOn: '2026-09-11', reference: 'PT-PUBLIC-2' }, ctx);

    const res = await g.h.request('/c/hai-phong');
    expect(res.status).toBe(200);
    const html = await res.text();
    const card = html.slice(html.indexOf('data-campaign="sach-vo"'));
    expect(card.slice(0, card.indexOf('</li>'))).toContain('750.000');
    expect(html).toContain('href="/c/hai-phong/sach-vo"');
    const past = html.slice(html.indexOf('id="past-h"'));
    expect(past).toContain('Tết 2026 ấm áp');
    expect(html.indexOf('Tết 2026 ấm áp')).toBeGreaterThan(html.indexOf('id="past-h"'));
    expect(html).not.toContain('Bản nháp chưa công bố');
    expect(html).toContain('href="/d/hai-phong"');
    expect(await (await g.h.request('/c/hai-phong?lang=en')).text()).toContain('Books for the new school year');
    expect((await g.h.request('/c/no-such-centre')).status).toBe(404);
    // A campaign page leads back to its centre.
    expect(await (await g.h.request('/c/hai-phong/sach-vo')).text()).toContain('<a href="/c/hai-phong">');
  });

  it('a visitor who is not signed in sees the centres and a staff sign-in link; staff still go to their organisation', async () => {
    const res = await g.h.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-centre="hai-phong"[^]*href="\/c\/hai-phong"/);
    // Each centre's count of running campaigns, as the records have it.
    const running = (await g.h.db.select().from(campaigns).where(and(eq(campaigns.orgId, g.h.demo.orgId), eq(campaigns.status, 'active')))).length;
    expect(running).toBeGreaterThan(1);
    const hp = html.slice(html.indexOf('data-centre="hai-phong"'));
    expect(hp.slice(0, hp.indexOf('</li>'))).toContain(`(${running} chương trình đang vận động)`);
    const qn = html.slice(html.indexOf('data-centre="quang-ninh"'));
    expect(qn.slice(0, qn.indexOf('</li>'))).toContain('(chưa có chương trình đang vận động)');
    expect(html).toContain('href="/login"');
    const staff = await g.h.request('/', { as: 'coordinator' });
    expect(staff.status).toBe(303);
    expect(staff.headers.get('location')).toBe('/o/hai-phong');
  });
});

describe('donor pages', () => {
  it('staff edit a donor, and merge duplicates from the duplicates page keeping every gift', async () => {
    const a = await createDonor(g.h.db, g.h.demo.orgId, { name: 'Đinh Văn Toàn', phone: '0987 654 321' });
    const b = await createDonor(g.h.db, g.h.demo.orgId, { name: 'Dinh Van Toan', phone: '+84987654321', email: 'toan@example.org' });
    await recordOfflineGift(g.h.db, g.h.demo.orgId, { donorId: b.id, channel: 'cash', amountMinor: 250_000n, currency: 'VND', receivedOn: '2026-09-10' }, { appUrl: 'http://localhost:8787', today: '2026-09-20' });
    const bad = await g.h.request(`/o/hai-phong/donors/${a.id}/edit`, { as: 'coordinator', method: 'POST', form: { name: '', email: 'x' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="name"[^>]*aria-invalid="true"/);
    expect((await g.h.request(`/o/hai-phong/donors/${a.id}/edit`, { as: 'coordinator', method: 'POST', form: { name: 'Đinh Văn Toàn', kind: 'person', locale: 'en', tags: 'Trung thu, thân thiết' } })).status).toBe(303);
    const dupes = await g.h.request('/o/hai-phong/donors/duplicates', { as: 'finance' });
    const dupesHtml = await dupes.text();
    expect(dupesHtml.includes(`data-pair="${a.id}|${b.id}"`) || dupesHtml.includes(`data-pair="${b.id}|${a.id}"`)).toBe(true);
    expect((await g.h.request('/o/hai-phong/donors/duplicates', { as: 'coordinator' })).status).toBe(403);
    expect((await g.h.request(`/o/hai-phong/donors/${a.id}/merge`, { as: 'finance', method: 'POST', form: { mergeId: b.id } })).status).toBe(303);
    const detail = await (await g.h.request(`/o/hai-phong/donors/${a.id}`, { as: 'viewer' })).text();
    expect(detail).toContain('250.000');
    expect(detail).toContain('thân thiết');
  });
});

describe('donor portal', () => {
  it('a donor signs in by emailed link, sees gifts and receipts, and the annual statement', async () => {
    const donor = await createDonor(g.h.db, g.h.demo.orgId, { name: 'Bùi Thị Hạnh', email: 'hanh.bui@example.org' });
    await recordOfflineGift(g.h.db, g.h.demo.orgId, { donorId: donor.id, channel: 'cash', amountMinor: 450_000n, currency: 'VND', receivedOn: '2026-09-15' }, { appUrl: 'http://localhost:8787', today: '2026-09-20' });
    const unknown = await g.h.request('/d/hai-phong/login', { method: 'POST', form: { email: 'nobody@example.org' } });
    const known = await g.h.request('/d/hai-phong/login', { method: 'POST', form: { email: 'Hanh.Bui@example.org' } });
    expect(await unknown.text()).toContain('role="status"');
    expect(known.status).toBe(200);
    const [mail] = await g.h.db.select().from(outbox).where(eq(outbox.template, 'donor_link')).orderBy(desc(outbox.createdAt)).limit(1);
    expect(mail!.toAddress).toBe('hanh.bui@example.org');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    expect((await g.h.request('/d/hai-phong/portal')).status).toBe(303);
    const verify = await g.h.request('/d/hai-phong/verify', { method: 'POST', form: { token } });
    expect(verify.status).toBe(303);
    const cookie = verify.headers.get('set-cookie')!.split(';')[0]!;
    const portal = await g.h.request('/d/hai-phong/portal', { headers: { cookie } });
    const html = await portal.text();
    expect(html).toContain('Bùi Thị Hạnh');
    expect(html).toContain('450.000');
    expect(html).toMatch(/HP-2026-\d{6}/);
    expect(html).toContain('href="/d/hai-phong/statement/2026/pdf"');
    const statement = await (await g.h.request('/d/hai-phong/statement/2026', { headers: { cookie } })).text();
    expect(statement).toContain('data-total="VND"');
    expect(statement).toContain('450.000');
    // The same statement as a PDF, for the donor's files: theirs only, never cached on the way.
    expect(statement).toContain('href="/d/hai-phong/statement/2026/pdf"');
    const pdf = await g.h.request('/d/hai-phong/statement/2026/pdf', { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('cache-control')).toBe('private, no-store');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="HP-2026-statement.pdf"');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    expect((await g.h.request('/d/hai-phong/statement/2026/pdf')).status).toBe(303);
    // Staff who keep donor records open it from the donor's page; others may not.
    const staffPdf = `/o/hai-phong/donors/${donor.id}/statement/2026/pdf`;
    expect((await g.h.request(`/o/hai-phong/donors/${donor.id}/statement/2026`, { as: 'finance' })).status).toBe(200);
    expect((await g.h.request(staffPdf, { as: 'finance' })).headers.get('content-type')).toBe('application/pdf');
    expect((await g.h.request(staffPdf, { as: 'caseworker' })).status).toBe(403);
    expect((await g.h.request(staffPdf.replace('hai-phong', 'quang-ninh'), { as: 'otherAdmin' })).status).toBe(404);
    // The link works once; the session does not open another organisation's portal.
    expect((await g.h.request('/d/hai-phong/verify', { method: 'POST', form: { token } })).status).toBe(400);
    expect((await g.h.request('/d/quang-ninh/portal', { headers: { cookie } })).status).toBe(303);
    // A staff cookie is not a donor session, and a donor cookie is not a staff session.
    expect((await g.h.request('/o/hai-phong/donors', { headers: { cookie: cookie.replace('sc_donor', 'sc_session') } })).status).toBe(303);
  });
});
