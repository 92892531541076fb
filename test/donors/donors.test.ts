import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../support/harness';
import { parseCsv, escapeCsvCell } from '../../src/donors/csv';
import { createDonor, findDuplicateDonors, mergeDonors, nameKey, phoneKey, publicDisplayName } from '../../src/donors/donors';
import { DONOR_CSV_HEADER, DONOR_EXPORT_PAGE_ROWS } from '../../src/donors/import';
import { donors, donations, auditLog } from '../../src/db/schema';
import { ensureGeneralFund } from '../../src/giving/campaigns';
import { recordOfflineGift } from '../../src/giving/gifts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-09-20T03:00:00Z' });
  await ensureGeneralFund(h.db, h.demo.orgId);
});
afterAll(() => h?.close());
const base = '/api/v1/orgs/hai-phong/donors';

describe('CSV and names', () => {
  it('reads RFC 4180: BOM, CRLF, quotes, escaped quotes, line breaks in cells, semicolons', () => {
    const rows = parseCsv('\ufeffname,notes\r\n"Trần ""Bé"" Hà","dòng 1\ndòng 2"\r\n\r\nAn,x\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ['name', 'notes'] },
      { line: 2, cells: ['Trần "Bé" Hà', 'dòng 1\ndòng 2'] },
      { line: 5, cells: ['An', 'x'] },
    ]);
    expect(parseCsv('a;b\n1;2')[1]!.cells).toEqual(['1', '2']);
    expect(() => parseCsv('a,b\n"x,y\n')).toThrow(/line 2/);
  });

  it('escapes formula cells on export', () => {
    expect(escapeCsvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(escapeCsvCell('+84912')).toBe("'+84912");
    expect(escapeCsvCell('-1')).toBe("'-1");
    expect(escapeCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCsvCell('Nguyễn Văn An')).toBe('Nguyễn Văn An');
    // Kept as written by any reader: a separator of Excel's (;) or an edge space is quoted.
    expect(escapeCsvCell('Hà Nội; Hải Phòng')).toBe('"Hà Nội; Hải Phòng"');
    expect(escapeCsvCell(' An ')).toBe('" An "');
    expect(parseCsv(`a,b\r\n${escapeCsvCell(' An ')},${escapeCsvCell('x;y')}\r\n`)[1]?.cells).toEqual([' An ', 'x;y']);
  });

  it('normalises names and Vietnamese phone numbers; shows given names only', () => {
    expect(nameKey('  Đặng  Thị Ngọc Ánh ')).toBe('dang thi ngoc anh');
    expect(phoneKey('+84 912 345 678')).toBe('0912345678');
    expect(phoneKey('0912.345.678')).toBe('0912345678');
    expect(phoneKey('0084912345678')).toBe('0912345678');
    expect(publicDisplayName({ name: 'Nguyễn Văn An', kind: 'person', anonymous: false }, false, 'vi')).toBe('An');
    expect(publicDisplayName({ name: 'Emily Carter', kind: 'person', anonymous: false }, false, 'en')).toBe('Emily');
    expect(publicDisplayName({ name: 'Emily Carter', kind: 'person', anonymous: true }, false, 'vi')).toBe('Ẩn danh');
    expect(publicDisplayName({ name: 'EFA-Japan', kind: 'organisation', anonymous: false }, false, 'en')).toBe('EFA-Japan');
    expect(publicDisplayName(null, false, 'en')).toBe('Anonymous');
  });
});

describe('donor import', () => {
  const csv =
    '\ufeffHọ tên,Loại,Email,Số điện thoại,Ngôn ngữ,Đồng ý nhận email,Ẩn danh,Nhãn,Quốc gia\r\n' +
    'Nguyễn Thị Lan,cá nhân,lan.nguyen@example.org,0912 345 678,vi,có,không,Trung thu;Hải Phòng,VN\r\n' +
    'Nhóm công chức thiện nguyện,nhóm,nhomcongchuc@example.org,,vi,có,không,nhóm,VN\r\n' +
    'EFA-Japan,tổ chức,contact@efa-japan.example,,en,yes,no,NGO funder,JP\r\n' +
    'Trần Văn Minh,cá nhân,,+84912345678,vi,không,có,,VN\r\n';

  it('dry run lists row-level errors with line numbers and writes nothing', async () => {
    const bad = csv + 'Lê Văn Bình,robot,binh@,,fr,maybe,không,,VN\r\n' + ',cá nhân,,,vi,,,,\r\n';
    const res = await h.request(`${base}/import`, { as: 'coordinator', method: 'POST', json: { csv: bad, dryRun: true } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors.filter((e) => e.path === 'csv.line.6').map((e) => e.message)).toEqual([
      '"binh@" is not an email address',
      'kind "robot" is not person, group or organisation',
      'language "fr" is not vi or en',
      'consent "maybe" is not yes or no',
    ]);
    expect(body.errors.some((e) => e.path === 'csv.line.7')).toBe(true);
    expect(await h.db.select().from(donors).where(eq(donors.orgId, h.demo.orgId))).toHaveLength(0);
    // Committing the bad file is refused the same way.
    expect((await h.request(`${base}/import`, { as: 'coordinator', method: 'POST', json: { csv: bad, dryRun: false } })).status).toBe(400);
    expect(await h.db.select().from(donors).where(eq(donors.orgId, h.demo.orgId))).toHaveLength(0);
  });

  it('a clean file previews, then imports with diacritics intact; a known email is not imported twice', async () => {
    const dry = (await (await h.request(`${base}/import`, { as: 'coordinator', method: 'POST', json: { csv, dryRun: true } })).json()) as { created: number; rows: { possibleDuplicateOf: string | null }[] };
    expect(dry.created).toBe(4);
    // Minh shares Lan's phone number: flagged, still created.
    expect(dry.rows[3]!.possibleDuplicateOf).toBe('line:2');
    const res = await h.request(`${base}/import`, { as: 'coordinator', method: 'POST', json: { csv, dryRun: false } });
    expect(res.status).toBe(200);
    const all = await h.db.select().from(donors).where(eq(donors.orgId, h.demo.orgId));
    expect(all.map((d) => d.name).sort()).toEqual(['EFA-Japan', 'Nguyễn Thị Lan', 'Nhóm công chức thiện nguyện', 'Trần Văn Minh']);
    const efa = all.find((d) => d.name === 'EFA-Japan')!;
    expect(efa).toMatchObject({ kind: 'organisation', locale: 'en', emailConsent: true, country: 'JP' });
    expect(all.find((d) => d.name === 'Trần Văn Minh')!.anonymous).toBe(true);
    expect(all.find((d) => d.name === 'Nguyễn Thị Lan')!.tags).toEqual(['Trung thu', 'Hải Phòng']);
    const again = (await (await h.request(`${base}/import`, { as: 'coordinator', method: 'POST', json: { csv, dryRun: false } })).json()) as { created: number };
    expect(again.created).toBe(1); // only Minh, who has no email
  });

  it('search ignores diacritics; export escapes formulas and keeps Vietnamese text', async () => {
    await h.request(base, { as: 'coordinator', method: 'POST', json: { name: '=cmd|calc', email: 'evil@example.org' } });
    const found = (await (await h.request(`${base}?q=nhom cong chuc`, { as: 'viewer' })).json()) as { items: { name: string }[] };
    expect(found.items.map((i) => i.name)).toEqual(['Nhóm công chức thiện nguyện']);
    const res = await h.request(`${base}/export.csv`, { as: 'viewer' });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // Excel needs the UTF-8 BOM to read Vietnamese correctly.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("'=cmd|calc");
    expect(text).toContain('Nhóm công chức thiện nguyện');
    expect(parseCsv(text).every((r) => r.cells.length === 13)).toBe(true);
  });

  it('export streams every live donor once, sorted by name, over more than one page, each with its own gifts', async () => {
    const orgId = h.demo.orgId;
    const extra = DONOR_EXPORT_PAGE_ROWS + 130;
    // Donors two by two of one name (a page may end between them): the pages must meet without a gap or an overlap.
    await h.db.execute(sql`insert into donors (org_id, kind, name, name_key, locale, tags)
      select ${orgId}, 'person', 'Trần Văn Bình ' || (i / 2), 'tran van binh ' || (i / 2), 'vi', array['export-paging']
      from generate_series(1, ${extra}) i`);
    const giver = await createDonor(h.db, orgId, { name: 'Zô Thị Trang', email: 'trang.export@example.org' });
    const ctx = { appUrl: 'http://localhost:8787', today: '2026-09-20' };
    await recordOfflineGift(h.db, orgId, { donorId: giver.id, channel: 'cash', amountMinor: 250_000n, currency: 'VND', receivedOn: '2026-09-05' }, ctx);
    await recordOfflineGift(h.db, orgId, { donorId: giver.id, channel: 'cash', amountMinor: 40_00n, currency: 'USD', receivedOn: '2026-09-06' }, ctx);
    const expected = ((await h.db.execute(sql`select count(*)::int as n from donors where org_id = ${orgId} and merged_into_id is null`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;

    // Like Workers, the response is handed over before the deferred work (the rest of the stream) finishes.
    const waits: Promise<unknown>[] = [];
    const executionCtx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} };
    const res = await h.app.request(`http://localhost:8787${base}/export.csv`, { headers: { cookie: await h.cookieForRole('viewer') } }, {}, executionCtx as never);
    expect(res.status).toBe(200);
    const text = await res.text();
    await Promise.all(waits);
    const rows = parseCsv(text);
    expect(rows[0]!.cells).toEqual([...DONOR_CSV_HEADER]);
    const body = rows.slice(1);
    expect(body).toHaveLength(expected);
    expect(new Set(body.map((r) => r.cells[0])).size).toBe(expected);
    const names = body.map((r) => nameKey(r.cells[2]!));
    expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);
    const trang = body.find((r) => r.cells[0] === giver.id)!;
    expect(trang.cells.slice(11)).toEqual(['2', 'USD 4000; VND 250000']);
    // The bulk donors served this test only (they would be pairs for the duplicates tests below).
    await h.db.execute(sql`delete from donors where org_id = ${orgId} and 'export-paging' = any(tags)`);
  });
});

describe('duplicates and merge', () => {
  it('finds duplicates by email, phone or name and merges keeping every gift', async () => {
    const a = (await (await h.request(base, { as: 'finance', method: 'POST', json: { name: 'Phạm Thu Hà', email: 'ha.pham@example.org', phone: '0903 111 222' } })).json()) as { id: string };
    const b = (await (await h.request(base, { as: 'finance', method: 'POST', json: { name: 'Pham Thu Ha', phone: '+84903111222', tags: ['Kiều bào'] } })).json()) as { id: string };
    const ctx = { appUrl: 'http://localhost:8787', today: '2026-09-20' };
    await recordOfflineGift(h.db, h.demo.orgId, { donorId: a.id, channel: 'cash', amountMinor: 300_000n, currency: 'VND', receivedOn: '2026-09-01' }, ctx);
    await recordOfflineGift(h.db, h.demo.orgId, { donorId: b.id, channel: 'cash', amountMinor: 200_000n, currency: 'VND', receivedOn: '2026-09-02' }, ctx);
    const dupes = (await (await h.request(`${base}/duplicates`, { as: 'finance' })).json()) as { items: { a: { id: string }; b: { id: string }; reasons: string[] }[] };
    const pair = dupes.items.find((p) => [p.a.id, p.b.id].sort().join() === [a.id, b.id].sort().join());
    expect(pair?.reasons.sort()).toEqual(['name', 'phone']);

    expect((await h.request(`${base}/${a.id}/merge`, { as: 'coordinator', method: 'POST', json: { mergeId: b.id } })).status).toBe(403);
    const merged = await h.request(`${base}/${a.id}/merge`, { as: 'finance', method: 'POST', json: { mergeId: b.id } });
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({ donationsMoved: 1 });
    const detail = (await (await h.request(`${base}/${a.id}`, { as: 'viewer' })).json()) as { donor: { tags: string[] }; totals: { currency: string; netMinor: number; gifts: number }[] };
    expect(detail.totals).toEqual([{ currency: 'VND', grossMinor: 500_000, refundedMinor: 0, netMinor: 500_000, gifts: 2 }]);
    expect(detail.donor.tags).toEqual(['Kiều bào']);
    expect(await h.db.select().from(donations).where(eq(donations.donorId, b.id))).toHaveLength(0);
    const list = (await (await h.request(`${base}?q=pham thu ha`, { as: 'viewer' })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    expect((await h.request(`${base}/${a.id}/merge`, { as: 'finance', method: 'POST', json: { mergeId: b.id } })).status).toBe(404);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'donor.merged'));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.data)).not.toContain('Pham');
  });

  it('lists the closest pairs first, at most the limit, with how many there are; a merged donor is no longer paired', async () => {
    const make = (name: string, extra: { email?: string; phone?: string } = {}) => createDonor(h.db, h.demo.orgId, { name, ...extra });
    // Four records of one common name (6 pairs by name alone) and one pair sharing email, phone and name.
    const same = [await make('Nguyễn Văn Hùng'), await make('Nguyen Van Hung'), await make('NGUYỄN VĂN HÙNG'), await make('Nguyễn  Văn Hùng')];
    const first = await make('Đỗ Thị Mai', { email: 'mai.do@example.org', phone: '0912 345 678' });
    const second = await make('Do Thi Mai', { email: 'Mai.Do@example.org', phone: '+84 912 345 678' });

    const all = await findDuplicateDonors(h.db, h.demo.orgId, { limit: 1000 });
    const mine = all.pairs.filter((p) => [...same, first, second].some((d) => d.id === p.a.id) && [...same, first, second].some((d) => d.id === p.b.id));
    expect(mine).toHaveLength(7);
    expect(all.total).toBe(all.pairs.length);
    const strongest = all.pairs[0]!;
    expect([strongest.a.id, strongest.b.id]).toEqual([first.id, second.id]);
    expect(strongest.reasons).toEqual(['email', 'phone', 'name']);
    // Every pair names the older record first.
    for (const p of mine) expect(p.a.createdAt.getTime()).toBeLessThanOrEqual(p.b.createdAt.getTime());

    const few = await findDuplicateDonors(h.db, h.demo.orgId, { limit: 3 });
    expect(few.pairs).toHaveLength(3);
    expect(few.total).toBe(all.total);
    expect(few.pairs[0]).toEqual(strongest);

    await mergeDonors(h.db, h.demo.orgId, same[0]!.id, same[3]!.id, { actorKind: 'user', actorId: null, at: h.clock.now() });
    const after = await findDuplicateDonors(h.db, h.demo.orgId, { limit: 1000 });
    expect(after.total).toBe(all.total - 3);
    expect(after.pairs.some((p) => p.a.id === same[3]!.id || p.b.id === same[3]!.id)).toBe(false);

    const page = await (await h.request('/o/hai-phong/donors/duplicates?lang=en', { as: 'finance' })).text();
    expect(page).toContain('Nguyen Van Hung');
    const api = (await (await h.request(`${base}/duplicates`, { as: 'finance' })).json()) as { items: unknown[]; total: number };
    expect(api.total).toBe(after.total);
  });
});

describe('who may see donors', () => {
  it('anonymous → 401, caseworker → 403, another organisation → 404, bad input → 400', async () => {
    expect((await h.request(base)).status).toBe(401);
    expect((await h.request(base, { as: 'caseworker' })).status).toBe(403);
    expect((await h.request(base, { as: 'viewer', method: 'POST', json: { name: 'X' } })).status).toBe(403);
    expect((await h.request(base, { as: 'otherAdmin' })).status).toBe(404);
    const [someone] = await h.db.select().from(donors).where(eq(donors.orgId, h.demo.orgId)).limit(1);
    expect((await h.request(`/api/v1/orgs/quang-ninh/donors/${someone!.id}`, { as: 'otherAdmin' })).status).toBe(404);
    const bad = await h.request(base, { as: 'coordinator', method: 'POST', json: { name: '', email: 'x', kind: 'alien' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['json.email', 'json.kind', 'json.name']);
  });
});

describe('who gave when: this year, and last year but not yet this year', () => {
  it('lists donors by the calendar year of their gifts (Vietnam time), in the API, the CSV export and the donors page', async () => {
    const orgId = h.demo.orgId;
    const gift = (donorId: string, receivedOn: string) =>
      recordOfflineGift(h.db, orgId, { donorId, channel: 'cash', currency: 'VND', amountMinor: 300_000n, receivedOn }, { appUrl: 'http://localhost:8787', today: '2026-09-20' });
    const both = await createDonor(h.db, orgId, { name: 'Seg Cả Hai Năm' });
    const lapsed = await createDonor(h.db, orgId, { name: 'Seg Năm Ngoái' });
    const fresh = await createDonor(h.db, orgId, { name: 'Seg Năm Nay' });
    await createDonor(h.db, orgId, { name: 'Seg Chưa Ủng Hộ' });
    await gift(both.id, '2025-05-01');
    await gift(both.id, '2026-01-01');
    await gift(lapsed.id, '2025-12-31'); // the last day of 2025 in Vietnam
    await gift(fresh.id, '2026-03-08');
    const names = async (query: string) =>
      ((await (await h.request(`${base}?limit=500&${query}`, { as: 'viewer' })).json()) as { items: { name: string }[] }).items.map((d) => d.name).filter((n) => n.startsWith('Seg ')).sort();
    expect(await names('lapsedIn=2026')).toEqual(['Seg Năm Ngoái']);
    expect(await names('gaveIn=2026')).toEqual(['Seg Cả Hai Năm', 'Seg Năm Nay']);
    expect(await names('gaveIn=2025')).toEqual(['Seg Cả Hai Năm', 'Seg Năm Ngoái']);
    expect(await names('')).toHaveLength(4);
    const both400 = await h.request(`${base}?gaveIn=2026&lapsedIn=2026`, { as: 'viewer' });
    expect(both400.status).toBe(400);
    expect(both400.headers.get('content-type')).toContain('application/problem+json');
    expect((await h.request(`${base}?lapsedIn=abc`, { as: 'viewer' })).status).toBe(400);

    const csv = await (await h.request(`${base}/export.csv?lapsedIn=2026`, { as: 'viewer' })).text();
    expect(csv).toContain('Seg Năm Ngoái');
    expect(csv).not.toContain('Seg Cả Hai Năm');
    expect(csv).not.toContain('Seg Năm Nay');

    // The page: the year comes from today (2026 here); the export link keeps the choice.
    const page = await (await h.request('/o/hai-phong/donors?segment=lapsed', { as: 'viewer' })).text();
    expect(page).toContain('Ủng hộ năm 2025, chưa ủng hộ năm 2026');
    expect(page).toContain('Seg Năm Ngoái');
    expect(page).not.toContain('Seg Cả Hai Năm');
    expect(page).toContain('href="/api/v1/orgs/hai-phong/donors/export.csv?lapsedIn=2026"');
    expect(page).toContain('31/12/2025 · 300.000');
  });
});
