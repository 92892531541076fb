import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGivingHarness, type GivingHarness } from './setup';
import { recordOfflineGift } from '../../src/giving/gifts';
import { recordRefund } from '../../src/giving/donations';
import { createDonor } from '../../src/donors/donors';
import { DONATION_CSV_HEADER, EXPORT_PAGE_ROWS } from '../../src/giving/export';
import { parseCsv } from '../../src/donors/csv';
import { queryRows } from '../../src/db/types';
import { sql } from 'drizzle-orm';

let g: GivingHarness;
const url = '/api/v1/orgs/hai-phong/donations/export.csv';
beforeAll(async () => {
  g = await createGivingHarness();
});
afterAll(() => g?.h.close());

const ctx = () => ({ appUrl: 'http://localhost:8787', today: '2026-09-20' });

describe('donations CSV export', () => {
  it('lists each gift with its refunds, donor, campaign, fund and receipt; = cells stay text', async () => {
    const orgId = g.h.demo.orgId;
    const donor = await createDonor(g.h.db, orgId, { name: '=Nguyễn Văn An', email: 'an.export@example.org' });
    const a = await recordOfflineGift(g.h.db, orgId, { donorId: donor.id, campaignId: g.campaign.id, channel: 'bank_transfer', amountMinor: 700_000n, currency: 'VND', receivedOn: '2026-09-01', reference: 'FT-EXPORT-1' }, ctx());
    const b = await recordOfflineGift(g.h.db, orgId, { channel: 'cash', amountMinor: 50_000n, currency: 'VND', receivedOn: '2026-09-02', reference: 'PT-EXPORT-2', anonymous: true }, ctx());
    await recordRefund(g.h.db, { orgId, donationId: a.id, amountMinor: 200_000n, refundedAt: new Date('2026-09-03T03:00:00Z') }, { appUrl: 'http://localhost:8787' });

    const res = await g.h.request(url, { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]!.cells).toEqual([...DONATION_CSV_HEADER]);
    const byId = new Map(rows.slice(1).map((r) => [r.cells[0], r.cells]));
    const ra = byId.get(a.id)!;
    expect(ra.slice(1, 8)).toEqual(['2026-09-01', 'bank_transfer', 'VND', '700000', '200000', 'no', 'no']);
    expect(ra[8]).toBe(donor.id);
    expect(ra[9]).toBe("'=Nguyễn Văn An");
    expect(ra[10]).toBe('trung-thu-test');
    expect(ra[12]).toMatch(/^HP-2026-\d{6}$/);
    const rb = byId.get(b.id)!;
    expect(rb.slice(1, 8)).toEqual(['2026-09-02', 'cash', 'VND', '50000', '0', 'no', 'yes']);

    const ranged = await (await g.h.request(`${url}?from=2026-09-02&to=2026-09-02`, { as: 'finance' })).text();
    expect(ranged).toContain(b.id);
    expect(ranged).not.toContain(a.id);
  });

  it('pages through more rows than one page, in order, each once, even when many share a timestamp', async () => {
    const orgId = g.h.demo.orgId;
    const extra = EXPORT_PAGE_ROWS + 150;
    await g.h.db.execute(sql`insert into donations (org_id, fund_id, channel, amount_minor, currency, received_at, external_id)
      select ${orgId}, ${g.general.id}, 'cash', 10000 + i, 'VND', '2026-08-15T02:00:00Z'::timestamptz + (i / 1000) * interval '1 minute', 'PT-PAGE-' || i
      from generate_series(1, ${extra}) i`);
    const [counted] = await queryRows<{ n: number }>(g.h.db, sql`select count(*)::int as n from donations where org_id = ${orgId}`);
    const n = counted!.n;
    // Like Workers, the response is handed over before the deferred work (the rest of the
    // stream) finishes; the harness's request() would wait for it first.
    const waits: Promise<unknown>[] = [];
    const executionCtx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} };
    const res = await g.h.app.request(`http://localhost:8787${url}`, { headers: { cookie: await g.h.cookieForRole('admin') } }, {}, executionCtx as never);
    const text = await res.text();
    await Promise.all(waits);
    const rows = parseCsv(text).slice(1);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.cells[0])).size).toBe(n);
    const days = rows.map((r) => r.cells[1]!);
    expect([...days].sort()).toEqual(days);
  });

  it('is for money readers of the organisation only', async () => {
    expect((await g.h.request(url, { as: 'anonymous' })).status).toBe(401);
    expect((await g.h.request(url, { as: 'caseworker' })).status).toBe(403);
    expect((await g.h.request(url, { as: 'otherAdmin' })).status).toBe(404);
    const bad = await g.h.request(`${url}?from=yesterday`, { as: 'finance' });
    expect(bad.status).toBe(400);
  });
});
