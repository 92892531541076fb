import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { seedCases } from '../../src/demo/seed';
import { createDonor } from '../../src/donors/donors';
import { createCampaign, ensureGeneralFund } from '../../src/giving/campaigns';
import { applySettlement, recordDonation } from '../../src/giving/donations';
import { postLedgerEntries } from '../../src/giving/ledger';
import { logHotlineCall } from '../../src/cases/activity';
import { queryRows } from '../../src/db/types';
import { API, generate, reportJson, values, type ReportJson } from './support';

/*
 * The Hải Phòng scenario of shared/DOMAIN.md, January to September 2019: the case work of the
 * nine months (seedCases), a funder's grant, the civil-servant group's Mid-Autumn gifts for Tiên
 * Hưng (10,000,000 đ for the festival and 25 packages × 500,000 đ = 12,500,000 đ, delivered and
 * paid out), a cash gift and a card gift with its fee. Every figure of the report is checked
 * against a value worked out by hand below.
 */

const P = { periodFrom: '2019-01-01', periodTo: '2019-09-30' };
const GRANT = 120_000_000;
const FESTIVAL = 10_000_000;
const PACKAGES = 25 * 500_000; // 12,500,000 đ
const CASH = 300_000;
const CARD = 500_000;
const CARD_FEE = 15_000;

let h: Harness;
let grantId: string;
let orgReport: { id: string };
let org: ReportJson;

beforeAll(async () => {
  h = await createHarness({ now: '2019-10-05T03:00:00Z' });
  const orgId = h.demo.orgId;
  await seedCases(h.db, h.demo);
  const general = await ensureGeneralFund(h.db, orgId);
  const ctx = { appUrl: 'http://localhost:8787' };

  const funder = await createDonor(h.db, orgId, { kind: 'organisation', name: 'Quỹ Ánh Dương (minh hoạ)', email: 'grants@anhduong.example', locale: 'en' });
  let res = await h.request(`${API}/funders`, { as: 'finance', method: 'POST', json: { donorId: funder.id, language: 'en', orgType: 'foundation', contacts: [{ name: 'Grants officer', email: 'officer@anhduong.example' }] } });
  expect(res.status, await res.clone().text()).toBe(201);
  const funderId = ((await res.json()) as { id: string }).id;
  res = await h.request(`${API}/grants`, {
    as: 'finance',
    method: 'POST',
    json: {
      funderId,
      code: 'hp-2019',
      title: 'Chương trình hỗ trợ trẻ em có hoàn cảnh đặc biệt 2019',
      titleEn: 'Programme for children in special circumstances 2019',
      amountMinor: 150_000_000,
      currency: 'VND',
      startsOn: '2019-01-01',
      endsOn: '2019-12-31',
      schedule: 'quarterly',
      targets: [
        { indicatorId: 'cases-handled', baselineYear: 2018, baselineValue: 52, targetValue: 60 },
        { indicatorId: 'hotline-calls', targetValue: 300 },
        { indicatorId: 'awareness-conferences-participants', targetValue: 3500 },
      ],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const grant = (await res.json()) as { id: string; fundId: string };
  grantId = grant.id;

  const group = await createDonor(h.db, orgId, { kind: 'group', name: 'Nhóm công chức thiện nguyện' });
  const person = await createDonor(h.db, orgId, { name: 'Phạm Văn Hùng' });
  const online = await createDonor(h.db, orgId, { name: 'Trần Minh Đức', email: 'duc@example.com' });
  const trungThu = await createCampaign(h.db, orgId, { slug: 'trung-thu-2019', title: 'Trung thu 2019 Tiên Hưng', goalMinor: 22_500_000n, currency: 'VND', status: 'active' });
  const gift = (d: Parameters<typeof recordDonation>[1]) => recordDonation(h.db, d, ctx);
  const base = { orgId, campaignId: null, currency: 'VND' };
  await gift({ ...base, donorId: funder.id, fundId: grant.fundId, channel: 'bank_transfer', amountMinor: BigInt(GRANT), receivedAt: new Date('2019-02-15T10:00:00+07:00'), externalId: 'AD-2019-1' });
  await gift({ ...base, campaignId: trungThu.id, donorId: group.id, fundId: trungThu.fundId, channel: 'bank_transfer', amountMinor: BigInt(FESTIVAL), receivedAt: new Date('2019-09-05T09:00:00+07:00'), externalId: 'FT19248' });
  await gift({ ...base, campaignId: trungThu.id, donorId: group.id, fundId: trungThu.fundId, channel: 'bank_transfer', amountMinor: BigInt(PACKAGES), quantity: 25, receivedAt: new Date('2019-09-06T10:30:00+07:00'), externalId: 'FT19249' });
  await gift({ ...base, donorId: person.id, fundId: general.id, channel: 'cash', amountMinor: BigInt(CASH), receivedAt: new Date('2019-07-02T08:00:00+07:00'), externalId: 'PT-2019-0142' });
  const { donation } = await gift({ ...base, donorId: online.id, fundId: general.id, channel: 'stripe', amountMinor: BigInt(CARD), receivedAt: new Date('2019-09-08T20:15:00+07:00'), stripeCheckoutSessionId: 'cs_2019', stripeChargeId: 'ch_2019', stripePaymentIntentId: 'pi_2019', settlementStatus: 'pending' });
  await applySettlement(h.db, donation.id, { currency: 'VND', amountMinor: BigInt(CARD), feeMinor: BigInt(CARD_FEE), netMinor: BigInt(CARD - CARD_FEE), exchangeRate: null, baseCurrency: 'VND' }, new Date('2019-09-10T08:00:00+07:00'));
  // The 25 Mid-Autumn packages handed over in Tiên Hưng and the festival, paid from the campaign's fund.
  for (const [key, amount, at] of [['packages', PACKAGES, '2019-09-13T18:00:00+07:00'], ['festival', FESTIVAL, '2019-09-13T20:00:00+07:00']] as const) {
    await postLedgerEntries(
      h.db,
      orgId,
      [
        { fundId: trungThu.fundId, account: 'programme_expense', amountMinor: BigInt(amount), currency: 'VND' },
        { fundId: trungThu.fundId, account: 'bank', amountMinor: -BigInt(amount), currency: 'VND' },
      ],
      { key: `trung-thu-2019:${key}`, kind: 'expense', occurredAt: new Date(at) },
    );
  }
  orgReport = await generate(h, { scope: 'organisation', ...P, language: 'vi' });
  org = await reportJson(h, orgReport.id);
}, 180_000);
afterAll(() => h?.close());

describe('organisation report, Hải Phòng January–September 2019', () => {
  it('case management: 72 handled = 67 closed + 5 in intervention, 72 opened; 311 hotline calls; 8 counselling sessions', () => {
    const v = values(org);
    expect([v['cases-handled'], v['cases-closed'], v['cases-open-at-end'], v['cases-opened']]).toEqual([72, 67, 5, 72]);
    expect(v['hotline-calls']).toBe(311);
    expect(v['services-counselling']).toBe(8);
  });

  it('outreach and materials as published: 34 conferences (3,912 delegates), 14 trainings (1,218), 8 early-detection sessions (1,000), 9 life-skills trainings (712); 14,500 leaflets, 225 posters, 600 questionnaires', () => {
    const v = values(org);
    expect([v['awareness-conferences'], v['awareness-conferences-participants'], v['trainings'], v['trainings-participants']]).toEqual([34, 3912, 14, 1218]);
    expect([v['early-detection-sessions'], v['early-detection-sessions-participants'], v['life-skills-trainings'], v['life-skills-trainings-participants']]).toEqual([8, 1000, 9, 712]);
    expect([v['materials-leaflets'], v['materials-posters'], v['materials-questionnaires']]).toEqual([14500, 225, 600]);
  });

  it('money received by source and spent on direct support (25 packages × 500,000 đ = 12,500,000 đ plus the 10,000,000 đ festival)', () => {
    const v = values(org);
    expect(v['money-received-grant']).toBe(GRANT);
    expect(v['money-received-bank']).toBe(FESTIVAL + PACKAGES);
    expect(v['money-received-cash']).toBe(CASH);
    expect(v['money-received-online']).toBe(CARD);
    expect(v['money-spent-direct-support']).toBe(PACKAGES + FESTIVAL);
    expect([v['donors-giving'], v['donors-new'], v['donors-retained']]).toEqual([4, 4, 0]);
  });

  it('sources and uses: every line by hand, and sources − uses = the change in fund balances read from the ledger', async () => {
    const m = org.moneyTables[0]!;
    expect(m.sources.map((l) => [l.key, l.amountMinor])).toEqual([
      ['online', CARD],
      ['bank', FESTIVAL + PACKAGES],
      ['cash', CASH],
      ['grant', GRANT],
    ]);
    expect(m.uses.map((l) => [l.key, l.amountMinor])).toEqual([
      ['card-fees', CARD_FEE],
      ['direct-support', PACKAGES + FESTIVAL],
    ]);
    expect(m.openingBalanceMinor).toBe(0);
    expect(m.closingBalanceMinor).toBe(GRANT + FESTIVAL + PACKAGES + CASH + CARD - CARD_FEE - PACKAGES - FESTIVAL);
    const balance = async (before: string) => {
      const [r] = await queryRows<{ total: string | null }>(
        h.db,
        sql`select sum(amount_minor)::text as total from ledger_entries where org_id = ${h.demo.orgId} and currency = 'VND'
            and account in ('cash', 'bank', 'stripe_balance') and occurred_at < ${before}::timestamptz`,
      );
      return Number(r?.total ?? 0);
    };
    const change = (await balance('2019-10-01T00:00:00+07:00')) - (await balance('2019-01-01T00:00:00+07:00'));
    expect(m.totalSourcesMinor - m.totalUsesMinor).toBe(change);
    expect(m.closingBalanceMinor - m.openingBalanceMinor).toBe(change);
  });

  it('beneficiaries reached: 67 (the 5 cases declined at intake got no service); every breakdown adds up to it where published', () => {
    expect(values(org)['beneficiaries-reached']).toBe(67);
    for (const b of org.breakdowns) {
      expect(b.grandTotal.value).toBe(67);
      const shown = b.cells.flat().filter((c) => !c.suppressed);
      const hidden = b.cells.flat().filter((c) => c.suppressed);
      const sum = shown.reduce((a, c) => a + (c.value as number), 0);
      // Published cells never add up to the total when something is hidden (else the hidden part would be known).
      if (hidden.length) expect(hidden.length).toBeGreaterThanOrEqual(2);
      else expect(sum).toBe(67);
    }
  });
});

describe('grant report: the funder’s targets, baselines and results', () => {
  let g: ReportJson;
  let reportId: string;
  beforeAll(async () => {
    reportId = (await generate(h, { scope: 'grant', grantId, ...P, language: 'en' })).id;
    g = await reportJson(h, reportId);
  });

  it('baseline, target, actual and % achieved per indicator', () => {
    const ind = (id: string) => g.indicatorGroups.flatMap((x) => x.indicators).find((i) => i.id === id)!;
    const handled = ind('cases-handled');
    expect([handled.value.value, handled.target, handled.baseline?.year, handled.baseline?.value.value, handled.achievedBasisPoints?.value]).toEqual([72, 60, 2018, 52, 12000]);
    expect([ind('hotline-calls').value.value, ind('hotline-calls').achievedBasisPoints?.value]).toEqual([311, 10367]);
    expect([ind('awareness-conferences-participants').value.value, ind('awareness-conferences-participants').achievedBasisPoints?.value]).toEqual([3912, 11177]);
  });

  it('the grant’s money is its restricted fund: 120,000,000 đ received, nothing spent yet', () => {
    const m = g.moneyTables[0]!;
    expect(m.sources.map((l) => [l.key, l.amountMinor])).toEqual([['grant', GRANT]]);
    expect(m.uses).toEqual([]);
    expect([m.openingBalanceMinor, m.closingBalanceMinor]).toEqual([0, GRANT]);
    expect(values(g)['money-received-bank']).toBe(0);
  });

  it('IATI XML with the funder, the budget, transactions and results', async () => {
    const res = await h.request(`${API}/reports/${reportId}/versions/1/iati.xml`, { as: 'viewer' });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<iati-identifier>XI-IATI-SECHIA-HP-HP-2019</iati-identifier>');
    expect(xml).toMatch(/<participating-org type="60" role="1">/);
    expect(xml).toContain('150000000</value>');
    expect(xml).toContain('<transaction-type code="1"/>');
    expect(xml).toContain('<actual value="311"/>');
    expect(xml).toContain('<target value="60"/>');
    expect(xml).toContain('<baseline year="2018" value="52"/>');
  });
});

describe('frozen versions and what changed', () => {
  it('a late hotline call changes version 2 only; the diff says 311 → 312; version 1 still says 311', async () => {
    const link = await h.request(`${API}/reports/${orgReport.id}/versions/1/links`, { as: 'coordinator', method: 'POST', json: { days: 30 } });
    expect(link.status).toBe(201);
    const { url } = (await link.json()) as { url: string };
    await logHotlineCall(h.db, { orgId: h.demo.orgId, userId: h.demo.users.coordinator!, now: h.clock.now() } as never, {
      receivedAt: new Date('2019-09-20T09:00:00+07:00'),
      durationMinutes: 5,
      callerType: 'parent',
      topic: 'information',
      outcome: 'advice_given',
    });
    const res = await h.request(`${API}/reports/${orgReport.id}/versions`, { as: 'coordinator', method: 'POST', json: {} });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { version: number; changes: { id: string; before: unknown; after: unknown }[] };
    expect(body.version).toBe(2);
    expect(body.changes).toEqual([expect.objectContaining({ id: 'hotline-calls', before: 311, after: 312 })]);
    expect(values(await reportJson(h, orgReport.id, 2))['hotline-calls']).toBe(312);
    expect(values(await reportJson(h, orgReport.id, 1))['hotline-calls']).toBe(311);
    const diff = (await (await h.request(`${API}/reports/${orgReport.id}/versions/2/diff`, { as: 'viewer' })).json()) as { changes: { id: string }[] };
    expect(diff.changes.map((c) => c.id)).toEqual(['hotline-calls']);
    // The link made for version 1 keeps showing version 1.
    const page = await h.fetch(`${url}/report.json`);
    expect(page.status).toBe(200);
    expect(values((await page.json()) as ReportJson)['hotline-calls']).toBe(311);
  });

  it('stored versions cannot be edited or deleted (append-only)', async () => {
    await expect(h.db.execute(sql`update report_versions set version = 9 where report_id = ${orgReport.id}`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from report_versions where report_id = ${orgReport.id}`)).rejects.toThrow();
  });
});

describe('links without an account', () => {
  it('open the HTML page and every format; expire; can be revoked; only the hash of the token is stored', async () => {
    const res = await h.request(`${API}/reports/${orgReport.id}/versions/1/links`, { as: 'admin', method: 'POST', json: { days: 2 } });
    const { id, url, files } = (await res.json()) as { id: string; url: string; files: string[] };
    const token = url.split('/r/')[1]!;
    expect(token.length).toBeGreaterThanOrEqual(40);
    const [stored] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from report_links where token_hash = ${token}`);
    expect(stored!.n).toBe(0);
    const page = await h.fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('311');
    expect(html).toContain('<svg');
    expect(html).toContain('/assets/app.css');
    expect(files).toEqual(expect.arrayContaining(['report.pdf', 'report.json', 'indicators.csv', 'money-sources-and-uses.csv']));
    const pdf = await h.fetch(`${url}/report.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const csv = await h.fetch(`${url}/indicators.csv`);
    expect(await csv.text()).toContain('hotline-calls');
    expect((await h.fetch(`${url}/nothing.csv`)).status).toBe(404);
    // The organisation report has no IATI activity.
    expect((await h.fetch(`${url}/iati.xml`)).status).toBe(404);

    h.clock.advance(3 * 86_400_000);
    expect((await h.fetch(url)).status).toBe(404);
    h.clock.advance(-3 * 86_400_000);
    expect((await h.request(`${API}/report-links/${id}/revoke`, { as: 'coordinator', method: 'POST', json: {} })).status).toBe(204);
    expect((await h.fetch(url)).status).toBe(404);
    expect((await h.fetch('http://localhost:8787/r/not-a-real-token-at-all-xxxxxxxx')).status).toBe(404);
  });
});

describe('who may do what', () => {
  it('anonymous 401, caseworker 403, viewer may read but not generate, another organisation 404', async () => {
    expect((await h.request(`${API}/reports`, { as: 'anonymous' })).status).toBe(401);
    expect((await h.request(`${API}/reports`, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(`${API}/reports`, { as: 'viewer' })).status).toBe(200);
    expect((await h.request(`${API}/reports`, { as: 'viewer', method: 'POST', json: { scope: 'organisation', ...P } })).status).toBe(403);
    expect((await h.request(`${API}/reports`, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`/api/v1/orgs/quang-ninh/reports/${orgReport.id}/versions/1/report.json`, { as: 'otherAdmin' })).status).toBe(404);
    expect((await h.request(`${API}/grants`, { as: 'coordinator', method: 'POST', json: {} })).status).toBe(403);
  });

  it('bad input: 400 with the fields named, nothing stored', async () => {
    const [before] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from reports`);
    let res = await h.request(`${API}/reports`, { as: 'coordinator', method: 'POST', json: { scope: 'grant', periodFrom: '2019-09-30', periodTo: '2019-01-01' } });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors: { path: string }[] };
    expect(p.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['json.grantId', 'json.periodTo']));
    res = await h.request(`${API}/reports`, { as: 'coordinator', method: 'POST', json: { scope: 'grant', grantId: '00000000-0000-4000-8000-000000000000', ...P } });
    expect(res.status).toBe(404);
    res = await h.request(`${API}/grants/${grantId}`, { as: 'finance', method: 'PUT', json: { funderId: '00000000-0000-4000-8000-000000000000', code: 'hp-2019', title: 'x', amountMinor: 1, startsOn: '2019-01-01', endsOn: '2019-12-31', targets: [{ indicatorId: 'no-such-indicator', targetValue: 1 }] } });
    expect(res.status).toBe(400);
    const e = (await res.json()) as { errors: { path: string }[] };
    expect(e.errors.map((x) => x.path)).toEqual(expect.arrayContaining(['funderId', 'targets.0.indicatorId']));
    const [after] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from reports`);
    expect(after!.n).toBe(before!.n);
    const grant = (await (await h.request(`${API}/grants/${grantId}`, { as: 'viewer' })).json()) as { title: string; targets: unknown[] };
    expect(grant.targets).toHaveLength(3);
  });

  it('report links are rate-limited per address', async () => {
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) {
      last = (await h.fetch('http://localhost:8787/r/not-a-real-token-at-all-yyyyyyyy', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status;
    }
    expect(last).toBe(429);
  });
});
