import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import type { Role } from '../../src/db/schema';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-12-01T03:00:00Z' });
  // A stock count under way, so its sheet is among the pages (the demo has none).
  const count = await h.request('/api/v1/orgs/hai-phong/inkind/counts', { as: 'coordinator', method: 'POST', json: { locationId: h.demo.locations.leChanOffice } });
  expect(count.status).toBe(201);
});
afterAll(() => h?.close());

/**
 * Every link a staff member can follow from the dashboard, three clicks deep, language switches
 * included, leads somewhere: a page, a redirect or a refusal of the role (403), never "not found"
 * or a server error. Links of one shape (ids and numbers aside) are followed twice at most.
 */
async function brokenLinks(as: Role, start: string) {
  const shape = (p: string) => p.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/\/\d+(?=\/|$|\?)/g, '/:n');
  const seen = new Set<string>();
  const perShape = new Map<string, number>();
  const queue: { path: string; from: string; depth: number }[] = [{ path: start, from: '(start)', depth: 0 }];
  const broken: string[] = [];
  let visited = 0;
  while (queue.length) {
    const { path, from, depth } = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const n = perShape.get(shape(path)) ?? 0;
    if (n >= 2) continue;
    perShape.set(shape(path), n + 1);
    const res = await h.request(path, { as });
    visited++;
    if (res.status === 404 || res.status >= 500) broken.push(`${res.status} ${path} (linked from ${from})`);
    if (depth >= 3 || !(res.headers.get('content-type') ?? '').includes('text/html')) {
      await res.body?.cancel();
      continue;
    }
    const html = await res.text();
    for (const m of html.matchAll(/href="(\/[^"#]*)"/g)) {
      const next = m[1]!.replace(/&amp;/g, '&');
      if (!next.startsWith('/assets/') && !seen.has(next)) queue.push({ path: next, from: path, depth: depth + 1 });
    }
  }
  return { broken, visited };
}

describe('staff pages link only to pages that exist', () => {
  for (const as of ['admin', 'finance', 'coordinator', 'caseworker'] as const) {
    it(`as ${as}`, async () => {
      const { broken, visited } = await brokenLinks(as, '/o/hai-phong');
      expect(visited).toBeGreaterThan(10);
      expect(broken).toEqual([]);
    });
  }
});
