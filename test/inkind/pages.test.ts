import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { balance, makeCatalogue, receive, TODAY, type Catalogue } from './support';

let h: Harness;
let cat: Catalogue;
let office: string;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-20T03:00:00Z' });
  cat = await makeCatalogue(h);
  office = h.demo.locations.centreOffice;
  await receive(h, office, [{ itemId: cat.rice.id, quantity: 20 }]);
});
afterAll(() => h?.close());

const P = '/o/hai-phong/inkind';

describe('in-kind staff pages', () => {
  it('the stock page shows stock by location and category, with the nav entry; caseworkers 403, other organisations 404', async () => {
    const res = await h.request(P, { as: 'viewer' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`href="${P}"`);
    expect(html).toContain('Hiện vật');
    expect(html).toContain('Văn phòng Trung tâm');
    expect(html).toContain('Thực phẩm');
    expect(html).not.toContain(`href="${P}/intake"`);
    expect((await h.request(`${P}?lang=en`, { as: 'coordinator' }).then((r) => r.text()))).toContain('In-kind');
    expect((await h.request(P, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(P, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`${P}/intake`, { as: 'viewer' })).status).toBe(403);
  });

  it('intake form: add a line without losing values, errors re-render with the values, a good form records the gift', async () => {
    const more = await h.request(`${P}/intake`, { as: 'coordinator', method: 'POST', form: { n: '1', item_0: cat.books.id, qty_0: '30', cond_0: 'new', more: '1', locationId: office, receivedOn: TODAY } });
    expect(more.status).toBe(200);
    const moreHtml = await more.text();
    expect(moreHtml).toContain('name="item_1"');
    expect(moreHtml).toContain('value="30"');

    const bad = await h.request(`${P}/intake`, { as: 'coordinator', method: 'POST', form: { n: '2', item_0: cat.books.id, qty_0: 'ba mươi', cond_0: 'new', item_1: '', qty_1: '', locationId: '', receivedOn: TODAY, note: 'Ghi chú giữ lại' } });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('role="alert"');
    expect(badHtml).toMatch(/id="lines-0-quantity"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="lines-0-quantity"/);
    expect(badHtml).toContain('Ghi chú giữ lại');

    const noOffice = await h.request(`${P}/intake`, { as: 'coordinator', method: 'POST', form: { n: '1', item_0: cat.books.id, qty_0: '30', cond_0: 'new', locationId: '', receivedOn: TODAY } });
    expect(noOffice.status).toBe(400);
    expect(await noOffice.text()).toMatch(/id="locationId"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="locationId"/);

    const ok = await h.request(`${P}/intake`, { as: 'coordinator', method: 'POST', form: { n: '3', item_0: '', qty_0: '', item_1: cat.books.id, qty_1: '30', cond_1: 'good', item_2: '', qty_2: '', locationId: office, receivedOn: TODAY } });
    expect(ok.status).toBe(303);
    expect((await balance(h, cat.books.id, office)).quantity).toBe(30);
  });

  it('distribution form: a shortage re-renders with a clear message and keeps the values; an event distribution goes through', async () => {
    const short = await h.request(`${P}/distribute`, { as: 'coordinator', method: 'POST', form: { kind: 'event', locationId: office, distributedOn: TODAY, eventName: 'Khai giảng', headcount: '40', n: '1', item_0: cat.rice.id, qty_0: '25' } });
    expect(short.status).toBe(409);
    const html = await short.text();
    expect(html).toMatch(/role="alert"[^>]*>[^<]*Not enough stock: Gạo \(20 on hand, 25 requested\)/);
    expect(html).toContain('value="Khai giảng"');
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(20);
    const ok = await h.request(`${P}/distribute`, { as: 'coordinator', method: 'POST', form: { kind: 'event', locationId: office, distributedOn: TODAY, eventName: 'Khai giảng', headcount: '40', n: '1', item_0: cat.rice.id, qty_0: '15' } });
    expect(ok.status).toBe(303);
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(5);
  });

  it('count sheet: start, enter counts, see the proposal, confirm', async () => {
    const started = await h.request(`${P}/counts`, { as: 'coordinator', method: 'POST', form: { locationId: office } });
    expect(started.status).toBe(303);
    const sheetUrl = started.headers.get('location')!;
    const sheet = await (await h.request(sheetUrl, { as: 'coordinator' })).text();
    expect(sheet).toContain('Gạo');
    const n = (sheet.match(/name="qty_\d+"/g) ?? []).length;
    expect(n).toBe(2);
    const form: Record<string, string> = { n: String(n) };
    for (let i = 0; i < n; i++) {
      const item = new RegExp(`name="item_${i}" value="([^"]+)"`).exec(sheet)![1]!;
      form[`item_${i}`] = item;
      form[`qty_${i}`] = item === cat.rice.id ? '4' : '30';
    }
    const saved = await h.request(sheetUrl, { as: 'coordinator', method: 'POST', form });
    expect(saved.status).toBe(303);
    const review = await (await h.request(sheetUrl, { as: 'coordinator' })).text();
    expect(review).toMatch(/Gạo: -1 kg/);
    const confirmed = await h.request(`${sheetUrl}/confirm`, { as: 'coordinator', method: 'POST', form: {} });
    expect(confirmed.status).toBe(303);
    expect((await balance(h, cat.rice.id, office)).quantity).toBe(4);
    const bad = await h.request(`${P}/counts`, { as: 'coordinator', method: 'POST', form: { locationId: h.demo.locations.province } });
    expect(bad.status).toBe(400);
  });

  it('catalogue page lists items and adds one; bad input re-renders', async () => {
    const ok = await h.request(`${P}/items`, { as: 'coordinator', method: 'POST', form: { nameVi: 'Sữa hộp', nameEn: 'Boxed milk', category: 'food', unit: 'box', unitValue: '8000', valuationSource: 'market_survey' } });
    expect(ok.status).toBe(303);
    expect(await (await h.request(`${P}/items`, { as: 'viewer' })).text()).toContain('Sữa hộp');
    const bad = await h.request(`${P}/items`, { as: 'coordinator', method: 'POST', form: { nameVi: '', category: 'food', unit: 'box', unitValue: '8000', valuationSource: 'none' } });
    expect(bad.status).toBe(400);
    const dup = await h.request(`${P}/items`, { as: 'coordinator', method: 'POST', form: { nameVi: 'sữa hộp', category: 'food', unit: 'box', unitValue: '', valuationSource: 'none' } });
    expect(dup.status).toBe(409);
  });
});
