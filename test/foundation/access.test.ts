import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe('who may call a route', () => {
  it('anonymous → 401 problem+json', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/members');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await res.json()) as { status: number; title: string };
    expect(body.status).toBe(401);
  });

  it('wrong role → 403', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/members', { as: 'viewer' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('right role → 200 with this organisation only', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/members', { as: 'admin' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { email: string }[] };
    expect(body.items.map((i) => i.email)).toContain('admin@haiphong.sechia.example');
    expect(body.items.map((i) => i.email)).not.toContain('admin@quangninh.sechia.example');
  });

  it("another organisation's data → 404, even for its admin role elsewhere", async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/members', { as: 'otherAdmin' });
    expect(res.status).toBe(404);
    const own = await h.request('/api/v1/orgs/quang-ninh/members', { as: 'otherAdmin' });
    expect(own.status).toBe(200);
  });

  it('a Bearer API token acts with its one role in its one organisation', async () => {
    const created = await h.request('/api/v1/orgs/hai-phong/api-tokens', { as: 'admin', method: 'POST', json: { name: 'script', role: 'viewer' } });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const ok = await h.request('/api/v1/orgs/hai-phong/locations', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const forbidden = await h.request('/api/v1/orgs/hai-phong/members', { headers: { authorization: `Bearer ${token}` } });
    expect(forbidden.status).toBe(403);
    const bad = await h.request('/api/v1/orgs/hai-phong/locations', { headers: { authorization: 'Bearer sc_nope' } });
    expect(bad.status).toBe(401);
  });

  it('bad input → 400 problem+json with field errors, and nothing stored', async () => {
    const before = ((await (await h.request('/api/v1/orgs/hai-phong/locations', { as: 'admin' })).json()) as { items: unknown[] }).items.length;
    const res = await h.request('/api/v1/orgs/hai-phong/locations', { as: 'admin', method: 'POST', json: { name: '', kind: 'planet' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['json.kind', 'json.name']);
    const malformed = await h.request('/api/v1/orgs/hai-phong/locations', {
      as: 'admin',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/problem\+json/);
    const after = ((await (await h.request('/api/v1/orgs/hai-phong/locations', { as: 'admin' })).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('adds a location under a parent and lists the tree', async () => {
    const res = await h.request('/api/v1/orgs/hai-phong/locations', {
      as: 'admin',
      method: 'POST',
      json: { name: 'Xã Tiên Minh', kind: 'commune', parentId: h.demo.locations.province },
    });
    expect(res.status).toBe(201);
    const other = await h.request('/api/v1/orgs/quang-ninh/locations', { as: 'otherAdmin' });
    const names = ((await other.json()) as { items: { name: string }[] }).items.map((i) => i.name);
    expect(names).not.toContain('Xã Tiên Minh');
  });

  it('GET /healthz reports app and database', async () => {
    const res = await h.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('the dashboard shows real counts in Vietnamese by default and English on request', async () => {
    const vi = await h.request('/o/hai-phong', { as: 'viewer' });
    expect(vi.status).toBe(200);
    const html = await vi.text();
    expect(html).toContain('lang="vi"');
    expect(html).toMatch(/data-count="staff"[^>]*>\s*<div class="n">5<\/div>/);
    // The reader's role is named in words, not as the code the system stores.
    expect(html).toContain('Vai trò: Chỉ xem');
    const en = await h.request('/o/hai-phong?lang=en', { as: 'viewer' });
    const enHtml = await en.text();
    expect(enHtml).toContain('Dashboard');
    expect(enHtml).toContain('Roles: Viewer');
    // Money received is shown in VND with Intl formatting, net of refunds.
    const gift = await h.request('/api/v1/orgs/hai-phong/donations/offline', {
      as: 'finance',
      method: 'POST',
      json: { channel: 'cash', amountMinor: 1_500_000, currency: 'VND', receivedOn: '2026-11-20', reference: 'DASH-1' },
    });
    expect(gift.status).toBe(201);
    const withGift = await (await h.request('/o/hai-phong', { as: 'viewer' })).text();
    expect(withGift).toMatch(/data-count="raised"[^>]*>\s*<div class="n">1\.500\.000\s₫<\/div>/);
    const foreign = await h.request('/o/hai-phong', { as: 'otherAdmin' });
    expect(foreign.status).toBe(404);
  });

  it('the OpenAPI document declares access for every operation', async () => {
    const res = await h.request('/api/v1/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { 'x-access'?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(5);
    for (const op of ops) expect(op['x-access']).toBeDefined();
  });
});
