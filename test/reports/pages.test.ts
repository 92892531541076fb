import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Harness } from '../support/harness';
import { grants, grantTargets, outbox, reportDeliveries, reportLinks, reports, reportVersions } from '../../src/db/schema';
import { createDonor } from '../../src/donors/donors';
import { recordDonation } from '../../src/giving/donations';
import { generateDueReports } from '../../src/reports/delivery';
import { DEMO_GRANT } from '../../src/reports/seed';
import { queryRows } from '../../src/db/types';
import { createReportsHarness } from './support';

/*
 * The staff pages of impact reports, through the app as a browser would use them: normal form
 * posts, redirects, re-rendered forms with readable errors. Who may do what: viewers read,
 * coordinators generate and share, finance and admins edit grants; caseworkers see nothing of it
 * (403) and another organisation's staff are told it does not exist (404).
 */

const O = '/o/hai-phong';
let h: Harness;
let demo: Awaited<ReturnType<typeof createReportsHarness>>['demo'];
beforeAll(async () => {
  ({ h, demo } = await createReportsHarness());
}, 180_000);
afterAll(() => h?.close());

const count = async (table: typeof reports | typeof grants | typeof reportLinks | typeof reportVersions | typeof outbox) => Number((await h.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n);
const html = async (res: Response) => res.text();
/** The field's input tag, to check its value and aria-invalid. */
const inputTag = (page: string, id: string) => new RegExp(`<(input|select|textarea)[^>]*id="${id}"[^>]*>`).exec(page)?.[0] ?? '';

describe('navigation and list', () => {
  it('shows "Báo cáo" in the navigation to admin, finance, coordinator and viewer, not to a caseworker', async () => {
    for (const role of ['admin', 'finance', 'coordinator', 'viewer'] as const) {
      const page = await html(await h.request(O, { as: role }));
      expect(page, role).toContain(`href="${O}/reports"`);
    }
    const cw = await html(await h.request(O, { as: 'caseworker' }));
    expect(cw).not.toContain(`href="${O}/reports"`);
  });

  it('lists the demo grant report for a viewer, without the builder button', async () => {
    const res = await h.request(`${O}/reports`, { as: 'viewer' });
    expect(res.status).toBe(200);
    const page = await html(res);
    expect(page).toContain(`${O}/reports/${demo.reportId}`);
    expect(page).toContain(DEMO_GRANT.title);
    expect(page).not.toContain(`href="${O}/reports/new"`);
    const coord = await html(await h.request(`${O}/reports`, { as: 'coordinator' }));
    expect(coord).toContain(`href="${O}/reports/new"`);
  });
});

describe('report builder', () => {
  it('generates the organisation report for January–September 2019 and goes to it: 72 cases handled, downloads, version 1', async () => {
    const before = await count(reports);
    const res = await h.request(`${O}/reports/new`, { as: 'finance', method: 'POST', form: { scope: 'organisation', periodFrom: '2019-01-01', periodTo: '2019-09-30', language: 'vi' } });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${O}/reports/[0-9a-f-]{36}$`));
    expect(await count(reports)).toBe(before + 1);

    const page = await html(await h.request(location, { as: 'viewer' }));
    const card = /<div class="indicator" id="indicator-cases-handled">[\s\S]*?<p class="indicator-value">([^<]*)<\/p>/.exec(page);
    expect(card?.[1]).toBe('72');
    expect(/<div class="indicator" id="indicator-hotline-calls">[\s\S]*?<p class="indicator-value">([^<]*)<\/p>/.exec(page)?.[1]).toBe('311');
    expect(page).toContain('data-version="1"');
    expect(page).toContain('Đây là phiên bản đầu tiên.');
    const id = location.split('/').at(-1)!;
    for (const f of ['report.pdf', 'report.json', 'indicators.csv']) expect(page).toContain(`/api/v1/orgs/hai-phong/reports/${id}/versions/1/${f}`);
    expect(page).not.toContain('iati.xml'); // organisation reports have no IATI activity
    const pdf = await h.request(`/api/v1/orgs/hai-phong/reports/${id}/versions/1/report.pdf`, { as: 'viewer' });
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    // A viewer sees no generate, regenerate or share controls.
    expect(page).not.toContain(`${id}/versions"`);
    expect(page).not.toContain(`${id}/links"`);
  });

  it('refuses a period that ends before it starts: 400, a readable message next to the field, the values kept, nothing stored', async () => {
    const before = await count(reports);
    const res = await h.request(`${O}/reports/new`, { as: 'coordinator', method: 'POST', form: { scope: 'organisation', periodFrom: '2019-09-30', periodTo: '2019-01-01', language: 'en' } });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(page).toContain('role="alert"');
    expect(page).toContain('Không được trước ngày đầu kỳ');
    expect(inputTag(page, 'periodTo')).toContain('aria-invalid="true"');
    expect(inputTag(page, 'periodTo')).toContain('value="2019-01-01"');
    expect(inputTag(page, 'periodFrom')).toContain('value="2019-09-30"');
    expect(page).toMatch(/<input type="radio" name="language" value="en" checked/);
    expect(await count(reports)).toBe(before);
  });

  it('refuses an impossible date and a grant report without a grant, in English too', async () => {
    const before = await count(reports);
    let res = await h.request(`${O}/reports/new?lang=en`, { as: 'coordinator', method: 'POST', form: { scope: 'organisation', periodFrom: '2019-02-30', periodTo: '2019-03-31', language: 'vi' } });
    expect(res.status).toBe(400);
    expect(await html(res)).toContain('Must be a date YYYY-MM-DD');
    res = await h.request(`${O}/reports/new?lang=en`, { as: 'coordinator', method: 'POST', form: { scope: 'grant', grantId: '', periodFrom: '2026-01-01', periodTo: '2026-03-31', language: 'vi' } });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(page).toContain('Is required for a grant report');
    expect(inputTag(page, 'grantId')).toContain('aria-invalid="true"');
    // Another organisation's grant (or any unknown id) is not accepted either.
    res = await h.request(`${O}/reports/new`, { as: 'coordinator', method: 'POST', form: { scope: 'grant', grantId: '00000000-0000-4000-8000-000000000000', periodFrom: '2026-01-01', periodTo: '2026-03-31', language: 'vi' } });
    expect(res.status).toBe(400);
    expect(await count(reports)).toBe(before);
  });

  it('preselects a grant from the grants list link', async () => {
    const page = await html(await h.request(`${O}/reports/new?grant=${demo.grantId}`, { as: 'coordinator' }));
    expect(page).toMatch(new RegExp(`<option value="${demo.grantId}" selected`));
    expect(page).toMatch(/<input type="radio" name="scope" value="grant" checked/);
  });
});

describe('a report’s page: versions, changes, share links', () => {
  it('regenerating makes version 2 and shows what changed since version 1', async () => {
    // A late-recorded payment from EFA-Japan in the report's period changes the money received.
    const [efa] = await queryRows<{ donor_id: string }>(h.db, sql`select donor_id from funders where id = ${demo.funderId}`);
    await recordDonation(
      h.db,
      { orgId: h.demo.orgId, donorId: efa!.donor_id, campaignId: null, fundId: demo.fundId, channel: 'bank_transfer', amountMinor: 5_000_000n, currency: 'VND', receivedAt: new Date('2026-05-10T10:00:00+07:00'), externalId: 'EFA-2026-LATE' },
      { appUrl: 'http://localhost:8787' },
    );
    const res = await h.request(`${O}/reports/${demo.reportId}/versions`, { as: 'coordinator', method: 'POST', form: {} });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${O}/reports/${demo.reportId}?v=2#changes`);
    const page = await html(await h.request(`${O}/reports/${demo.reportId}?v=2`, { as: 'viewer' }));
    expect(page).toContain('data-version="2"');
    const row = /<tr data-indicator="money-received-grant">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(row).toMatch(/120\.000\.000/);
    expect(row).toMatch(/125\.000\.000/);
    // Version 1 stays as it was.
    const v1 = await html(await h.request(`${O}/reports/${demo.reportId}?v=1`, { as: 'viewer' }));
    expect(/<div class="indicator" id="indicator-money-received-grant">[\s\S]*?<p class="indicator-value">([^<]*)<\/p>/.exec(v1)?.[1]).toMatch(/120,000,000/);
    // The list counts the report's versions, on the page and in the API.
    const list = await html(await h.request(`${O}/reports`, { as: 'viewer' }));
    const listed = new RegExp(`href="${O}/reports/${demo.reportId}"[\\s\\S]*?data-label="Số phiên bản">\\s*(\\d+)\\s*<`).exec(list);
    expect(listed?.[1]).toBe('2');
    const api = (await (await h.request('/api/v1/orgs/hai-phong/reports', { as: 'viewer' })).json()) as { items: { id: string; versions: number }[] };
    expect(api.items.find((r) => r.id === demo.reportId)?.versions).toBe(2);
  });

  it('a viewer may not regenerate (403, nothing stored)', async () => {
    const before = await count(reportVersions);
    const res = await h.request(`${O}/reports/${demo.reportId}/versions`, { as: 'viewer', method: 'POST', form: {} });
    expect(res.status).toBe(403);
    expect(await count(reportVersions)).toBe(before);
  });

  it('creates a share link shown once, which opens without an account until it is revoked', async () => {
    const res = await h.request(`${O}/reports/${demo.reportId}/links`, { as: 'coordinator', method: 'POST', form: { version: '1', days: '7' } });
    expect(res.status).toBe(200);
    const page = await html(res);
    const url = /id="new-link-url" type="url" readonly="" value="([^"]+)"|id="new-link-url"[^>]*value="([^"]+)"/.exec(page);
    const link = (url?.[1] ?? url?.[2])!;
    expect(link).toMatch(/^http:\/\/localhost:8787\/r\/[A-Za-z0-9_-]{20,}$/);
    const token = link.split('/r/')[1]!;
    // Only the hash is stored.
    const rows = await h.db.select().from(reportLinks).where(eq(reportLinks.createdBy, h.demo.users.coordinator!));
    expect(rows.some((r) => r.tokenHash.includes(token))).toBe(false);
    const anon = await h.request(`/r/${token}`);
    expect(anon.status).toBe(200);
    expect(await anon.text()).toContain(DEMO_GRANT.titleEn);
    // Reloading the report page does not show the token again.
    const again = await html(await h.request(`${O}/reports/${demo.reportId}`, { as: 'coordinator' }));
    expect(again).not.toContain(token);
    const linkId = /<li data-link="([0-9a-f-]{36})">[^<]*v1/.exec(again)?.[1];
    expect(linkId).toBeTruthy();

    // A viewer cannot revoke it; the coordinator can.
    expect((await h.request(`${O}/reports/${demo.reportId}/links/${linkId}/revoke`, { as: 'viewer', method: 'POST', form: {} })).status).toBe(403);
    const revoke = await h.request(`${O}/reports/${demo.reportId}/links/${linkId}/revoke`, { as: 'coordinator', method: 'POST', form: {} });
    expect(revoke.status).toBe(303);
    expect((await h.request(`/r/${token}`)).status).toBe(404);
    const after = await html(await h.request(revoke.headers.get('location')!, { as: 'coordinator' }));
    expect(after).toContain('Đã thu hồi liên kết.');
  });

  it('refuses a link valid for 0 days (400, nothing stored) and a viewer making one (403)', async () => {
    const before = await count(reportLinks);
    const res = await h.request(`${O}/reports/${demo.reportId}/links`, { as: 'coordinator', method: 'POST', form: { version: '1', days: '0' } });
    expect(res.status).toBe(400);
    expect(await html(res)).toContain('Số ngày hiệu lực phải từ 1 đến 365.');
    expect((await h.request(`${O}/reports/${demo.reportId}/links`, { as: 'viewer', method: 'POST', form: { version: '1', days: '7' } })).status).toBe(403);
    expect(await count(reportLinks)).toBe(before);
  });
});

describe('funders and grants', () => {
  it('lists funders and grants with amount, period and schedule', async () => {
    const page = await html(await h.request(`${O}/grants`, { as: 'viewer' }));
    expect(page).toContain('EFA-Japan');
    expect(page).toContain('programme@efa-japan.example');
    expect(page).toMatch(/240\.000\.000\s*₫/);
    expect(page).toContain('Hằng quý');
    expect(page).not.toContain(`href="${O}/grants/new"`);
  });

  it('finance creates a grant with targets; the targets are stored in the indicator’s unit', async () => {
    const funder = await createDonor(h.db, h.demo.orgId, { kind: 'organisation', name: 'Quỹ Hoa Sen (minh hoạ)' });
    let res = await h.request(`${O}/funders`, { as: 'finance', method: 'POST', form: { donorId: funder.id, language: 'vi', iatiRef: '', contactName: 'Cán bộ dự án', contactEmail: 'duan@hoasen.example' } });
    expect(res.status).toBe(303);
    const [f] = await queryRows<{ id: string }>(h.db, sql`select id from funders where donor_id = ${funder.id}`);
    res = await h.request(`${O}/grants/new`, {
      as: 'finance',
      method: 'POST',
      form: {
        funderId: f!.id,
        code: 'hoa-sen-2027',
        title: 'Hỗ trợ trẻ khuyết tật 2027',
        titleEn: '',
        description: '',
        amount: '50.000.000',
        currency: 'VND',
        startsOn: '2027-01-01',
        endsOn: '2027-12-31',
        schedule: 'semi_annual',
        nextDueOn: '',
        categories: 'severe_disability',
        rows: '3',
        'targets.0.indicatorId': 'cases-handled',
        'targets.0.baselineYear': '2026',
        'targets.0.baselineValue': '12',
        'targets.0.targetValue': '20',
        'targets.1.indicatorId': '',
        'targets.2.indicatorId': 'money-spent-direct-support',
        'targets.2.targetValue': '40.000.000',
      },
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const [g] = await h.db.select().from(grants).where(and(eq(grants.orgId, h.demo.orgId), eq(grants.code, 'hoa-sen-2027')));
    expect(g!.amountMinor).toBe(50_000_000n);
    expect(g!.schedule).toBe('semi_annual');
    expect(g!.nextDueOn).toBe('2027-06-30');
    expect(g!.purpose).toEqual({ categories: ['severe_disability'] });
    const targets = await h.db.select().from(grantTargets).where(eq(grantTargets.grantId, g!.id));
    expect(targets.map((t) => [t.indicatorId, t.baselineYear, t.baselineValue, t.targetValue]).sort()).toEqual([
      ['cases-handled', 2026, 12n, 20n],
      ['money-spent-direct-support', null, null, 40_000_000n],
    ]);

    // The editor shows the stored grant again, targets included.
    const edit = await html(await h.request(`${O}/grants/${g!.id}/edit`, { as: 'admin' }));
    expect(inputTag(edit, 'amount')).toContain('value="50000000"');
    expect(inputTag(edit, 'targets-1-targetValue')).toContain('value="40000000"');
    expect(edit).toMatch(/<option value="cases-handled" selected/);
    res = await h.request(`${O}/grants/${g!.id}/edit`, { as: 'admin', method: 'POST', form: { funderId: f!.id, code: 'hoa-sen-2027', title: 'Hỗ trợ trẻ khuyết tật nặng 2027', amount: '60000000', currency: 'VND', startsOn: '2027-01-01', endsOn: '2027-12-31', schedule: 'annual', rows: '2', 'targets.0.indicatorId': 'cases-handled', 'targets.0.targetValue': '25' } });
    expect(res.status).toBe(303);
    const [g2] = await h.db.select().from(grants).where(eq(grants.id, g!.id));
    expect([g2!.title, g2!.amountMinor, g2!.schedule]).toEqual(['Hỗ trợ trẻ khuyết tật nặng 2027', 60_000_000n, 'annual']);
    expect((await h.db.select().from(grantTargets).where(eq(grantTargets.grantId, g!.id))).map((t) => [t.indicatorId, t.targetValue])).toEqual([['cases-handled', 25n]]);
  });

  it('refuses a bad grant with a message per field, the values kept and nothing stored', async () => {
    const before = await count(grants);
    const f = { id: demo.funderId };
    const form = {
      funderId: f.id,
      code: 'Mã Sai',
      title: 'Khoản tài trợ lỗi',
      amount: 'một trăm',
      currency: 'VND',
      startsOn: '2027-06-01',
      endsOn: '2027-01-01',
      schedule: 'quarterly',
      rows: '2',
      'targets.0.indicatorId': 'hotline-calls',
      'targets.0.targetValue': '',
      'targets.1.indicatorId': '',
      'targets.1.targetValue': '10',
    };
    let res = await h.request(`${O}/grants/new`, { as: 'finance', method: 'POST', form });
    expect(res.status).toBe(400);
    let page = await html(res);
    expect(page).toContain('role="alert"');
    expect(page).toContain('Nhập số tiền hợp lệ.');
    expect(inputTag(page, 'amount')).toContain('aria-invalid="true"');
    expect(inputTag(page, 'amount')).toContain('value="một trăm"');
    expect(inputTag(page, 'targets-0-targetValue')).toContain('aria-invalid="true"');
    expect(inputTag(page, 'targets-1-indicatorId')).toContain('aria-invalid="true"');
    expect(inputTag(page, 'title')).toContain('value="Khoản tài trợ lỗi"');

    // Past the form checks, the domain's checks come back per field too.
    res = await h.request(`${O}/grants/new`, { as: 'finance', method: 'POST', form: { ...form, amount: '1000000', 'targets.0.targetValue': '300', 'targets.1.targetValue': '' } });
    expect(res.status).toBe(400);
    page = await html(res);
    expect(page).toContain('Chỉ chữ thường không dấu, số và dấu gạch nối, tối đa 40 ký tự');
    expect(page).toContain('Không được trước ngày bắt đầu');
    expect(inputTag(page, 'code')).toContain('aria-invalid="true"');
    expect(inputTag(page, 'code')).toContain('value="Mã Sai"');

    // A code another grant already uses.
    res = await h.request(`${O}/grants/new?lang=en`, { as: 'finance', method: 'POST', form: { ...form, code: DEMO_GRANT.code, amount: '1000000', endsOn: '2027-12-31', 'targets.0.targetValue': '300', 'targets.1.targetValue': '' } });
    expect(res.status).toBe(400);
    expect(await html(res)).toContain('Already used by another grant');
    expect(await count(grants)).toBe(before);
  });

  it('refuses a funder without a donor and a contact without an email address', async () => {
    let res = await h.request(`${O}/funders`, { as: 'finance', method: 'POST', form: { donorId: '', language: 'vi' } });
    expect(res.status).toBe(400);
    expect(inputTag(await html(res), 'donorId')).toContain('aria-invalid="true"');
    res = await h.request(`${O}/funders/${demo.funderId}/contacts`, { as: 'finance', method: 'POST', form: { name: 'Ai đó', email: 'khong-phai-email' } });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(page).toContain('Nhập địa chỉ email hợp lệ');
    expect(inputTag(page, `contact-email-${demo.funderId}`)).toContain('value="khong-phai-email"');
  });

  it('only finance and admins edit grants; coordinators and viewers get 403', async () => {
    for (const role of ['coordinator', 'viewer'] as const) {
      expect((await h.request(`${O}/grants/new`, { as: role })).status, role).toBe(403);
      expect((await h.request(`${O}/grants/${demo.grantId}/edit`, { as: role })).status, role).toBe(403);
      expect((await h.request(`${O}/grants/new`, { as: role, method: 'POST', form: { title: 'x' } })).status, role).toBe(403);
      expect((await h.request(`${O}/funders`, { as: role, method: 'POST', form: { donorId: '' } })).status, role).toBe(403);
    }
  });
});

describe('scheduled delivery: preview and send', () => {
  it('shows the preview with its recipients; only staff who may send see "Gửi / Send"; sending once queues one mail per contact', async () => {
    await generateDueReports(h.db, h.deps);
    const [d] = await h.db.select().from(reportDeliveries).where(eq(reportDeliveries.grantId, demo.grantId));
    expect(d).toBeTruthy();
    const list = await html(await h.request(`${O}/reports`, { as: 'viewer' }));
    expect(list).toContain(`${O}/report-deliveries/${d!.id}`);

    const viewer = await html(await h.request(`${O}/report-deliveries/${d!.id}`, { as: 'viewer' }));
    expect(viewer).toContain('programme@efa-japan.example');
    expect(viewer).toContain('Impact report: ' + DEMO_GRANT.titleEn);
    expect(viewer).not.toContain('Gửi / Send');
    const coord = await html(await h.request(`${O}/report-deliveries/${d!.id}`, { as: 'coordinator' }));
    expect(coord).toContain('Gửi / Send');
    expect(coord).toContain('data-status="preview"');
    // The dashboard puts the waiting preview on the to-do list of those who may send it.
    const todoLink = `<li data-todo="report_to_send"><a href="${O}/report-deliveries/${d!.id}">`;
    expect(await html(await h.request(O, { as: 'coordinator' }))).toContain(todoLink);
    expect(await html(await h.request(O, { as: 'viewer' }))).not.toContain('data-todo="report_to_send"');

    expect((await h.request(`${O}/report-deliveries/${d!.id}/send`, { as: 'viewer', method: 'POST', form: {} })).status).toBe(403);
    const mails = async () => (await h.db.select().from(outbox).where(eq(outbox.template, 'report'))).length;
    const before = await mails();
    const res = await h.request(`${O}/report-deliveries/${d!.id}/send`, { as: 'coordinator', method: 'POST', form: {} });
    expect(res.status).toBe(303);
    expect(await mails()).toBe(before + 1);
    const sent = await html(await h.request(res.headers.get('location')!, { as: 'coordinator' }));
    expect(sent).toContain('Đã gửi báo cáo tới 1 người nhận.');
    expect(sent).toContain('data-status="sent"');
    expect(sent).not.toContain('Gửi / Send');
    expect(await html(await h.request(O, { as: 'coordinator' }))).not.toContain(todoLink);

    const twice = await h.request(`${O}/report-deliveries/${d!.id}/send`, { as: 'coordinator', method: 'POST', form: {} });
    expect(twice.status).toBe(409);
    expect(await html(twice)).toContain('Báo cáo này đã được gửi; không gửi lại.');
    expect(await mails()).toBe(before + 1);
  });
});

describe('access', () => {
  it('a caseworker gets 403 on every reports page', async () => {
    for (const path of ['/reports', '/reports/new', `/reports/${demo.reportId}`, '/grants', `/grants/${demo.grantId}/edit`]) {
      expect((await h.request(`${O}${path}`, { as: 'caseworker' })).status, path).toBe(403);
    }
    expect((await h.request(`${O}/reports/new`, { as: 'caseworker', method: 'POST', form: { scope: 'organisation', periodFrom: '2019-01-01', periodTo: '2019-09-30' } })).status).toBe(403);
  });

  it('another organisation’s admin gets 404, even with this organisation’s ids', async () => {
    for (const path of ['/reports', `/reports/${demo.reportId}`, '/grants', `/grants/${demo.grantId}/edit`, '/reports/new']) {
      expect((await h.request(`${O}${path}`, { as: 'otherAdmin' })).status, path).toBe(404);
    }
    const before = await count(reportVersions);
    expect((await h.request(`${O}/reports/${demo.reportId}/versions`, { as: 'otherAdmin', method: 'POST', form: {} })).status).toBe(404);
    expect(await count(reportVersions)).toBe(before);
  });

  it('signed out: the pages send you to sign in, and posts are refused', async () => {
    const res = await h.request(`${O}/reports`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect((await h.request(`${O}/reports/new`, { method: 'POST', form: { scope: 'organisation' } })).status).toBe(401);
  });

  it('unknown report ids are 404 for staff too', async () => {
    expect((await h.request(`${O}/reports/00000000-0000-4000-8000-000000000000`, { as: 'viewer' })).status).toBe(404);
    expect((await h.request(`${O}/report-deliveries/00000000-0000-4000-8000-000000000000`, { as: 'viewer' })).status).toBe(404);
  });
});
