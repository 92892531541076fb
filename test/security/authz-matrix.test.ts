import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness';
import { loadOperations, type ApiOperation } from '../support/openapi-ops';
import { ROLES, type Role } from '../../src/db/schema';

/**
 * The authorisation matrix, generated from the route table (the OpenAPI document, where every
 * operation declares `x-access`): every route × anonymous, each role, and a member of another
 * organisation. A new route that forgets its declaration fails here.
 */
type Op = ApiOperation;

let h: Harness;
let ops: Op[] = [];
beforeAll(async () => {
  h = await createHarness();
  ops = await loadOperations(h);
});
afterAll(() => h?.close());

const FAKE_ID = '00000000-0000-4000-8000-000000000000';
function concrete(path: string) {
  return path.replace(/^\/api\/v1/, '/api/v1').replace('{org}', 'hai-phong').replace(/\{[^}]+\}/g, FAKE_ID);
}

async function call(op: Op, as: Role | 'otherAdmin' | 'anonymous') {
  const init: Parameters<Harness['request']>[1] = { method: op.method, as };
  if (!['GET', 'HEAD', 'DELETE'].includes(op.method)) init.json = {};
  return h.request(concrete(op.path), init);
}

describe('authorisation matrix from the route table', () => {
  it('every operation declares who may call it', () => {
    expect(ops.length).toBeGreaterThan(0);
    const undeclared = ops.filter((o) => o.access === undefined).map((o) => `${o.method} ${o.path}`);
    expect(undeclared).toEqual([]);
  });

  it('anonymous → 401 on every non-public route', async () => {
    const wrong: string[] = [];
    for (const op of ops.filter((o) => o.access !== 'public')) {
      const res = await call(op, 'anonymous');
      if (res.status !== 401) wrong.push(`${op.method} ${op.path} → ${res.status}`);
      else expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(wrong).toEqual([]);
  });

  it('each role → 403 where not declared, never 401/403 where declared', async () => {
    const wrong: string[] = [];
    for (const op of ops.filter((o) => Array.isArray(o.access))) {
      for (const role of ROLES) {
        const res = await call(op, role);
        const allowed = (op.access as Role[]).includes(role);
        if (allowed && [401, 403].includes(res.status)) wrong.push(`${role} ${op.method} ${op.path} → ${res.status} (declared allowed)`);
        if (!allowed && res.status !== 403) wrong.push(`${role} ${op.method} ${op.path} → ${res.status} (expected 403)`);
        if (res.status >= 500) wrong.push(`${role} ${op.method} ${op.path} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("a member of another organisation → 404 on this organisation's routes", async () => {
    const wrong: string[] = [];
    for (const op of ops.filter((o) => Array.isArray(o.access))) {
      const res = await call(op, 'otherAdmin');
      if (res.status !== 404) wrong.push(`${op.method} ${op.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
