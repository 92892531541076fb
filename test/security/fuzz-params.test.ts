import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness, type Harness } from '../support/harness';
import { allowedCaller, loadOperations, settleBeforeSnapshot, storedTotals, type ApiOperation, type ParamSpec } from '../support/openapi-ops';
import { ROLES, type Role } from '../../src/db/schema';
import { seedCases, seedGiving, seedInkind, seedPackages, seedReports } from '../../src/demo/seed';
import { createPayments } from '../../src/payments/stripe';
import { parseConfig } from '../../src/config/config';
import { queryRows } from '../../src/db/types';
import { sql } from 'drizzle-orm';

/**
 * Property-based bad input in query strings and path parameters, generated from the route
 * table: every API operation gets malformed path parameters (non-uuids, 10,000 characters,
 * percent-encoded invalid UTF-8, NUL, `..` and slashes, SQL-ish text, huge and negative
 * numbers), and every operation with declared query parameters gets wrong types, impossible
 * dates, out-of-range numbers, unknown enum values, repeated and unknown parameters. The HTML
 * routes with path parameters get the same path values (and junk query strings).
 *
 * Never 5xx. On the API a 4xx is problem+json with a title and a detail; a value that breaks
 * its declared schema is a 400 naming the parameter; a 200 still matches the route's response
 * schema. Pages answer 4xx with a readable page. Stored totals do not move.
 */
const ORG = 'hai-phong';
const FAKE_ID = '00000000-0000-4000-8000-000000000000';
const NOW = '2026-11-25T03:00:00Z';

// Random runs per property and route, on top of the fixed examples (the nastiest values for
// every parameter of every route). The validation under test is the same code in every
// runtime, so PGlite gets the long run (about 1,700 requests, ~15 s); on real Postgres and in
// workerd, where each request costs ~25 ms, the examples and a few random runs (about 800
// requests) check the driver's and the runtime's URL handling within ~25 s.
const RUNS = {
  full: { apiPath: 3, apiQuery: 25, pagePath: 2, pageQuery: 3, unknownQuery: 2 },
  light: { apiPath: 1, apiQuery: 5, pagePath: 0, pageQuery: 0, unknownQuery: 1 },
};
const runs = () => RUNS[h.kind === 'pglite' ? 'full' : 'light'];
// One fixed seed per route (SEED + its index), so a failure reproduces and routes differ.
const SEED = 20261126;

type Caller = Role | 'anonymous';
type SafeParse = { safeParse(v: unknown): { success: boolean; error?: { issues?: unknown[] } } };

let h: Harness;
let ops: ApiOperation[] = [];
/** Zod schema of each operation's 200 JSON body, from the app's own OpenAPI registry. */
const okSchemas = new Map<string, SafeParse>();
/** A concrete value of each path parameter of each GET template (real rows where possible). */
const realPaths = new Map<string, string>();
/** Templates where some parameter had no listed row to take a value from. */
const guessed = new Set<string>();
/** Real ids for uuid query parameters named like `donorId`. */
const realIds: Record<string, string> = {};
let sent = 0;
// Reading a child's identity with a reason (API `reveal`, the identity page, the case export)
// is a legitimate read that is written to the audit log: those rows may appear, nothing else.
const LOGGED_READS = ['audit_log'];
const READ_ACTIONS = ['case.identity_read', 'case.exported'];
const lastAuditId = async () => (await queryRows<{ id: string | null }>(h.db, sql`select max(id)::text as id from audit_log`))[0]!.id ?? '0';
async function auditActionsSince(id: string): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(h.db, sql`select distinct action from audit_log where id > ${id}::bigint order by action`);
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  const env = { STRIPE_SECRET_KEY: 'sk_test_fuzz', STRIPE_WEBHOOK_SECRET: 'whsec_fuzz', STRIPE_API_BASE: 'http://127.0.0.1:9' };
  h = await createHarness({ env, payments: createPayments(parseConfig(env)), now: NOW });
  // The demo data, so that filters and exports run over real rows.
  await seedCases(h.db, h.demo);
  await seedGiving(h.db, h.demo);
  await seedInkind(h.db, h.demo);
  await seedPackages(h.db, h.demo);
  await seedReports(h.db, h.demo, h.clock.now());
  ops = await loadOperations(h);
  for (const def of h.app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    const schema = (def.route.responses?.[200] as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.['application/json']?.schema;
    if (schema && typeof (schema as SafeParse).safeParse === 'function') okSchemas.set(`${def.route.method.toUpperCase()} ${def.route.path}`, schema as SafeParse);
  }
  await settleBeforeSnapshot(h, ops, ROLES);
}, 120_000);
afterAll(() => h?.close());

// ---------------------------------------------------------------------------------------------
// Values

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) CESU-8 bytes. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s].map((ch) => (ch.isWellFormed() ? encodeURIComponent(ch) : '%ED%A0%80')).join('');
  }
}

/** Malformed path segments, as raw URL text. */
const BAD_SEGMENTS = [
  '%C3%28', '%FF', '%FE%FF', '%ED%A0%80', '%00', 'a%00b', '%', '%2', '%25', '%E2%80%AE',
  '..', '.', '..%2F..%2Fetc%2Fpasswd', '%2E%2E', 'a%2Fb', '%5C', '~',
  "1'%20OR%20'1'%3D'1", "x'%3B%20drop%20table%20donors%3B--", '%22%3E%3Cscript%3E',
  '-1', '0', '-0', '0000', '0001', '9999', '99999999999999999999', '1e309', 'NaN', 'Infinity', '1.5', '0x1F', '2147483648', '-2147483649',
  '%20', '%09', '+', 'null', 'undefined', '{id}', ':id', enc('Nguyễn Văn A'), enc('💥'),
  '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '------------------------------------',
  'gggggggg-gggg-4ggg-8ggg-gggggggggggg', 'ffffffffffffffffffffffffffffffffffff', '00000000-0000-4000-8000-00000000000', `${FAKE_ID}0`,
  'x'.repeat(10_000), enc('ễ'.repeat(3_000)),
];
/** Always tried on every path parameter: NUL, and an id-shaped non-uuid or a year nobody means. */
const nastiestSegments = (numeric: boolean) => ['a%00b', numeric ? '0000' : '-'.repeat(36)];
const badSegment = (extra: fc.Arbitrary<string>[] = []) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }).map(enc) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
    ...extra.map((arbitrary) => ({ weight: 2, arbitrary })),
  );

/** Text that must never break a query: any parameter may carry it (no expectation but < 500). */
const WEIRD_TEXT = [
  '', '%00', 'a%00b', '%FF', '%C3%28', '%E2%82', '%ED%A0%80', '%', '%%', '%25', '%5C', '_', '%25_%25', '*', ',', ',,,',
  "'%3B%20drop%20table%20donors%3B--", "1'%20OR%20'1'%3D'1", '%22%3E%3Cscript%3E', '+', '%20%20', enc('Nguyễn Văn A'), enc('💥'.repeat(50)),
  `${FAKE_ID},not-a-uuid`, `not-a-uuid,${FAKE_ID}`, FAKE_ID, '-1', '99999999999999999999', 'true', 'null',
];
const weirdText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WEIRD_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(enc) },
);

/** A query value and whether its declared schema must refuse it (→ 400 naming the parameter). */
type QV = { raw: string; bad: boolean };
const ok = (raw: string): QV => ({ raw, bad: false });
const bad = (raw: string): QV => ({ raw, bad: true });

function queryValues(p: ParamSpec): { valid: fc.Arbitrary<string>; any: fc.Arbitrary<QV>; nastiest: QV[] } {
  const s = p.schema;
  const types = [s.type ?? 'string'].flat();
  const good: string[] = [];
  const refused: string[] = [];
  const odd: string[] = [];
  let numbers: fc.Arbitrary<QV> | null = null;
  if (s.enum) {
    good.push(...s.enum);
    refused.push('bogus', `${s.enum[0]!.toUpperCase()}_`, `${s.enum[0]}%00`, '%FF', enc(`${s.enum[0]} `));
  } else if (s.format === 'uuid') {
    good.push(realIds[p.name] ?? FAKE_ID, FAKE_ID);
    refused.push('not-a-uuid', '1', "'%20or%201%3D1--", '-'.repeat(36), 'f'.repeat(36), 'gggggggg-gggg-4ggg-8ggg-gggggggggggg', `${FAKE_ID}0`, '%00', 'x'.repeat(10_000));
    odd.push('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', (realIds[p.name] ?? FAKE_ID).toUpperCase());
  } else if (s.format === 'date') {
    good.push('2026-01-01', '2026-11-20', '2024-02-29', '2025-12-31');
    refused.push('2025-13-45', '2026-02-29', '2026-00-10', '2026-11-20T00:00:00Z', 'yesterday', '20261120', '2026-1-1', '-2026-01-01', '%2B02026-01-01', '%00', '2026-11-20%00', '2026-11-20%20');
    odd.push('0000-01-01', '0001-01-01', '1000-01-01', '1900-02-28', '9999-12-31');
  } else if (types.includes('integer')) {
    const min = s.minimum ?? Number.MIN_SAFE_INTEGER;
    const max = s.maximum ?? Number.MAX_SAFE_INTEGER;
    good.push(String(min), String(Math.min(max, min + 7)), String(max));
    refused.push('abc', '1.5', 'Infinity', '-Infinity', 'NaN', '1e400', '1%00');
    if (s.minimum !== undefined) refused.push(String(min - 1), String(min - 1_000_000));
    if (s.maximum !== undefined) refused.push(String(max + 1), '99999999999999999999999');
    odd.push('', '0x10', '+5', '1e2', '-0', '007', '%207');
    numbers = fc.oneof(fc.integer(), fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n })).map((n) => {
      const v = Number(n);
      return Number.isSafeInteger(v) && v >= min && v <= max ? ok(String(n)) : bad(String(n));
    });
  } else {
    good.push('a', enc('Nguyễn'), s.example !== undefined ? enc(String(s.example)) : 'b');
    if (s.maxLength !== undefined) refused.push('x'.repeat(s.maxLength + 1), enc('ễ'.repeat(s.maxLength + 1)));
    else odd.push('x'.repeat(10_000));
    if (s.pattern) {
      const re = new RegExp(s.pattern);
      refused.push(...['UPPER_CASE', '1abc', enc('a b'), 'a', '%00'].filter((v) => !re.test(decodeURIComponent(v))));
      good.splice(0, good.length, ...['abc', 'child_labour', 'x1'].filter((v) => re.test(v)));
    }
  }
  return {
    valid: fc.constantFrom(...good),
    any: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...good).map(ok) },
      ...(refused.length ? [{ weight: 3, arbitrary: fc.constantFrom(...refused).map(bad) }] : []),
      { weight: 3, arbitrary: odd.length ? fc.oneof(fc.constantFrom(...odd), weirdText).map(ok) : weirdText.map(ok) },
      ...(numbers ? [{ weight: 2, arbitrary: numbers }] : []),
    ),
    // Always tried: NUL, and the edges of the calendar and of the integers.
    nastiest: [ok('a%00b'), ...(s.format === 'date' ? [ok('0001-01-01'), ok('9999-12-31')] : []), ...(types.includes('integer') && s.maximum === undefined ? [ok('99999999999999999999')] : [])],
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

const failures: string[] = [];
const note = (what: string, res: Response, extra = ''): void => {
  failures.push(`${what} → ${res.status}${extra ? ` ${extra}` : ''}`);
};
const short = (s: string) => (s.length > 160 ? `${s.slice(0, 120)}…(${s.length} chars)` : s);

async function send(path: string, init: Parameters<Harness['request']>[1]) {
  sent++;
  return h.request(path, init);
}

/** Runs one check; an exception (e.g. a stream that breaks after its 200) is a failure too. */
async function check(what: string, fn: () => Promise<void>): Promise<true> {
  try {
    await fn();
  } catch (err) {
    failures.push(`${what} → threw ${err instanceof Error ? `${err.name}: ${short(err.message.split('\n')[0]!)}` : String(err)}`);
  }
  return true;
}

/** A 4xx on the API: problem+json with a title and a human detail. Returns the body. */
async function expectProblem(what: string, res: Response): Promise<{ errors?: { path: string }[] } | null> {
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/problem\+json/.test(type)) {
    note(what, res, `not problem+json (${type})`);
    return null;
  }
  const body = (await res.json()) as { title?: unknown; detail?: unknown; status?: unknown; errors?: { path: string }[] };
  if (typeof body.title !== 'string' || !body.title || typeof body.detail !== 'string' || !body.detail || body.status !== res.status) {
    note(what, res, `problem without title/detail/status: ${short(JSON.stringify(body))}`);
  }
  return body;
}

/** A 200 on the API still carries what the route promises (its JSON schema, a CSV table, a file). */
async function expectValidBody(op: ApiOperation, what: string, res: Response) {
  const type = res.headers.get('content-type') ?? '';
  if (/^application\/problem/.test(type)) return note(what, res, 'a problem document with a success status');
  if (/^text\/csv/.test(type)) {
    if (!op.okTypes.includes('text/csv')) return note(what, res, 'CSV from a route that does not declare it');
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const rows = parseCsv(text);
    if (rows.length === 0 || rows.some((r) => r.length !== rows[0]!.length)) note(what, res, `CSV without a header or with ragged rows: ${short(text)}`);
    return;
  }
  if (/^application\/json/.test(type)) {
    const body = await res.json();
    const schema = okSchemas.get(`${op.method} ${op.path}`);
    if (!schema) return note(what, res, 'JSON from a route without a JSON response schema');
    const r = schema.safeParse(body);
    if (!r.success) note(what, res, `body does not match the response schema: ${short(JSON.stringify(r.error?.issues))}`);
    return;
  }
  // A file (report PDF, HTML, JSON download): declared without a schema; it must not be empty.
  if (op.okTypes.length > 0 && !op.okTypes.some((t) => type.startsWith(t))) note(what, res, `unexpected content type ${type}`);
  else if ((await res.arrayBuffer()).byteLength === 0) note(what, res, 'empty file');
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Real path values

function itemsOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body.filter((x) => x && typeof x === 'object');
  if (body && typeof body === 'object') {
    for (const v of Object.values(body)) if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) return itemsOf(v);
  }
  return [];
}
const valueOf = (item: Record<string, unknown> | undefined, name: string) => {
  const v = item?.[name === 'campaign' ? 'slug' : name === 'key' ? 'key' : name === 'version' ? 'version' : 'id'];
  return v === undefined || v === null ? undefined : String(v);
};
const gets = () => new Set(ops.filter((o) => o.method === 'GET').map((o) => o.path));
const bodies = new Map<string, unknown>();
async function getJson(path: string): Promise<unknown> {
  if (!bodies.has(path)) {
    const res = await h.request(path, { as: 'admin' });
    bodies.set(path, res.ok && /json/.test(res.headers.get('content-type') ?? '') ? await res.json() : null);
  }
  return bodies.get(path);
}
const kebabPlural = (name: string) => `${name.replace(/Id$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}s`;

/** The template with each parameter replaced by a real value (a listed row), else a plausible one. */
async function realPath(template: string): Promise<string> {
  if (realPaths.has(template)) return realPaths.get(template)!;
  const known = gets();
  let tpl = '';
  let out = '';
  for (const seg of template.split('/').slice(1)) {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) {
      tpl += `/${seg}`;
      out += `/${seg}`;
      continue;
    }
    const name = m[1]!;
    let value: string | undefined = name === 'org' ? ORG : undefined;
    // The collection just before the parameter, or the parent row's list of that name, or
    // the organisation's collection named after the parameter (packageTypeId → package-types).
    if (!value && known.has(tpl)) value = valueOf(itemsOf(await getJson(out))[0], name);
    const parentTpl = tpl.slice(0, tpl.lastIndexOf('/'));
    const listName = tpl.slice(tpl.lastIndexOf('/') + 1).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!value && known.has(parentTpl)) {
      const parent = (await getJson(out.slice(0, out.lastIndexOf('/')))) as Record<string, unknown> | null;
      value = valueOf(itemsOf(parent?.[listName])[0], name);
    }
    const byName = `/api/v1/orgs/{org}/${kebabPlural(name)}`;
    if (!value && name !== 'id' && known.has(byName)) value = valueOf(itemsOf(await getJson(byName.replace('{org}', ORG)))[0], 'id');
    const spec = ops.find((o) => o.path === template)?.params.find((p) => p.name === name);
    if (!value && spec?.schema.example !== undefined) value = String(spec.schema.example); // e.g. report.pdf
    if (!value) guessed.add(template);
    value ??= spec?.schema.type === 'integer' ? '1' : FAKE_ID;
    tpl += `/${seg}`;
    out += `/${encodeURIComponent(value)}`;
  }
  realPaths.set(template, out);
  return out;
}

/** The concrete path with one parameter swapped for a raw (already encoded) segment. */
function withSegment(template: string, concrete: string, name: string, raw: string): string {
  const t = template.split('/');
  const c = concrete.split('/');
  return t.map((seg, i) => (seg === `{${name}}` ? raw : c[i])).join('/');
}

// ---------------------------------------------------------------------------------------------
// The API

type QueryCase = { values: Record<string, QV>; repeated?: string; unknown: [string, string][] };

function queryCases(declared: ParamSpec[]) {
  const gen = Object.fromEntries(declared.map((p) => [p.name, queryValues(p)]));
  const required = declared.filter((p) => p.required);
  const requiredValid = fc.record(Object.fromEntries(required.map((p) => [p.name, gen[p.name]!.valid.map(ok)])) as Record<string, fc.Arbitrary<QV>>);
  const unknownName = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((n) => !declared.some((p) => p.name === n) && n !== 'lang');
  // One parameter broken, the others valid: a bad value cannot hide behind another one's 400.
  const focused = fc
    .tuple(fc.constantFrom(...declared), requiredValid)
    .chain(([p, base]) => gen[p.name]!.any.map((v): QueryCase => ({ values: { ...base, [p.name]: v }, unknown: [] })));
  // Everything at once: several values, a repeated parameter, unknown parameters.
  const mixed = fc.record({
    values: fc.record(Object.fromEntries(declared.map((p) => [p.name, gen[p.name]!.any])) as Record<string, fc.Arbitrary<QV>>, { requiredKeys: [] }),
    repeated: fc.option(fc.constantFrom(...declared.map((p) => p.name)), { nil: undefined }),
    unknown: fc.array(fc.tuple(unknownName, weirdText), { maxLength: 2 }),
  }) as fc.Arbitrary<QueryCase>;
  const firstValid = Object.fromEntries(required.map((p) => [p.name, ok(p.schema.format === 'date' ? '2026-01-01' : (p.schema.enum?.[0] ?? 'a'))]));
  const examples: [QueryCase][] = declared.flatMap((p) => gen[p.name]!.nastiest.map((v): [QueryCase] => [{ values: { ...firstValid, [p.name]: v }, unknown: [] }]));
  return { arbitrary: fc.oneof({ weight: 3, arbitrary: focused }, { weight: 1, arbitrary: mixed }), examples };
}

describe('bad path parameters and query strings on every API route', () => {
  let before = '';
  let auditBefore = '0';

  beforeAll(async () => {
    for (const name of new Set(ops.flatMap((o) => o.params.filter((p) => p.in === 'query' && p.schema.format === 'uuid').map((p) => p.name)))) {
      const id = valueOf(itemsOf(await getJson(`/api/v1/orgs/${ORG}/${kebabPlural(name)}`))[0], 'id');
      if (id) realIds[name] = id;
    }
    before = await storedTotals(h, LOGGED_READS);
    auditBefore = await lastAuditId();
  });

  it('every GET route answers 200 with real path values and its required parameters', async () => {
    // Otherwise the fuzzing below would only ever reach "not found".
    failures.length = 0;
    const wrong: string[] = [];
    for (const op of ops.filter((o) => o.method === 'GET' && o.path.startsWith('/api/'))) {
      const q = op.params
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => `${p.name}=${p.schema.enum?.[0] ?? (p.schema.format === 'date' ? '2026-01-01' : 'x')}`)
        .join('&');
      const path = await realPath(op.path);
      const res = await send(`${path}${q ? `?${q}` : ''}`, { as: allowedCaller(op.access) });
      // Without a row to point at (no stock count in the demo data) the answer is "not found".
      if (res.status !== (guessed.has(op.path) ? 404 : 200)) wrong.push(`${op.path} (${path}) → ${res.status}`);
      else if (res.status === 200) await expectValidBody(op, `baseline ${op.path}`, res);
    }
    expect(wrong).toEqual([]);
    expect(guessed.size).toBeLessThan(3);
    expect(failures).toEqual([]);
  });

  it('malformed path parameters → 4xx problem+json, never 5xx', async () => {
    failures.length = 0;
    const targets = ops.filter((o) => o.params.some((p) => p.in === 'path'));
    expect(targets.length).toBeGreaterThan(50);
    for (const [i, op] of targets.entries()) {
      const as: Caller = allowedCaller(op.access);
      const names = op.params.filter((p) => p.in === 'path').map((p) => p.name);
      // Reads go to real rows; writes never do, so a value that slips through cannot change anything.
      const base = op.method === 'GET' ? await realPath(op.path) : op.path.replace('{org}', ORG).replace(/\{[^}]+\}/g, FAKE_ID);
      const examples = op.params
        .filter((p) => p.in === 'path' && p.name !== 'org')
        .flatMap((p) => nastiestSegments(p.schema.type === 'integer').map((raw): [string, string] => [p.name, raw]));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), badSegment(), async (name, raw) => {
          const what = `${op.method} ${op.path} {${name}}=${short(raw)}`;
          return check(what, async () => {
            const res = await send(withSegment(op.path, base, name, raw), { method: op.method, as, ...(op.hasJsonBody ? { json: {} } : {}) });
            if (res.status >= 500) note(what, res);
            else if (res.status >= 400) await expectProblem(what, res);
            // A GET may land on a sibling route ("..", "duplicates"); a write must not succeed.
            else if (op.method !== 'GET') note(what, res, 'a write with a malformed path succeeded');
            else await res.arrayBuffer();
          });
        }),
        { numRuns: examples.length + runs().apiPath, examples, seed: SEED + i },
      );
    }
    expect(failures).toEqual([]);
  });

  it('malformed query strings → 400 naming the parameter, never 5xx; a 200 still matches the route', async () => {
    failures.length = 0;
    const targets = ops.filter((o) => o.method === 'GET' && o.params.some((p) => p.in === 'query'));
    expect(targets.length).toBeGreaterThan(10);
    for (const [i, op] of targets.entries()) {
      const as: Caller = allowedCaller(op.access);
      const base = await realPath(op.path);
      const declared = op.params.filter((p) => p.in === 'query');
      const { arbitrary, examples } = queryCases(declared);
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ values, repeated, unknown }) => {
          const pairs: [string, string][] = Object.entries(values).map(([k, v]) => [k, v.raw]);
          const refused = Object.entries(values).filter(([, v]) => v.bad).map(([k]) => k);
          for (const p of declared) if (p.required && !(p.name in values)) refused.push(p.name);
          if (repeated) {
            // A repeated parameter arrives as a list, which no declared parameter accepts.
            pairs.push([repeated, values[repeated]?.raw ?? 'a'], [repeated, 'b']);
            refused.push(repeated);
          }
          pairs.push(...unknown.map(([k, v]) => [enc(k), v] as [string, string]));
          const qs = pairs.map(([k, v]) => `${k}=${v}`).join('&');
          // A NUL anywhere in the query is refused before the schemas are read, naming that parameter.
          for (const [k, v] of new URLSearchParams(qs)) if (k.includes('\0')) refused.push('(name)');
          else if (v.includes('\0')) refused.push(k);
          const what = `GET ${op.path}?${short(qs)}`;
          return check(what, async () => {
            const res = await send(`${base}?${qs}`, { as });
            if (res.status >= 500) note(what, res);
            else if (refused.length > 0) {
              if (res.status !== 400) note(what, res, `expected 400 for ${refused.join(', ')}`);
              const body = await expectProblem(what, res);
              if (body && !body.errors?.some((e) => refused.some((n) => e.path === `query.${n}` || e.path.startsWith(`query.${n}.`)))) {
                note(what, res, `no field error for ${refused.join(', ')}: ${short(JSON.stringify(body.errors))}`);
              }
            } else if (res.status >= 400) await expectProblem(what, res);
            else if (res.status === 200) await expectValidBody(op, what, res);
            else note(what, res, 'unexpected status');
          });
        }),
        { numRuns: examples.length + runs().apiQuery, examples, seed: SEED + i },
      );
    }
    expect(failures).toEqual([]);
  });

  it('query parameters on GET routes that declare none are ignored or refused, never 5xx', async () => {
    failures.length = 0;
    const targets = ops.filter((o) => o.method === 'GET' && !o.params.some((p) => p.in === 'query'));
    for (const [i, op] of targets.entries()) {
      const base = await realPath(op.path);
      const junk = fc.array(fc.tuple(fc.constantFrom('limit', 'offset', 'from', 'to', 'status', 'id', 'q', 'format', 'x'), weirdText), { minLength: 1, maxLength: 3 });
      await fc.assert(
        fc.asyncProperty(junk, async (pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${v}`).join('&');
          const what = `GET ${op.path}?${short(qs)}`;
          return check(what, async () => {
            const res = await send(`${base}?${qs}`, { as: allowedCaller(op.access) });
            if (res.status >= 500) note(what, res);
            else if (res.status >= 400) await expectProblem(what, res);
            else await expectValidBody(op, what, res);
          });
        }),
        { numRuns: runs().unknownQuery, seed: SEED + i },
      );
    }
    expect(failures).toEqual([]);
  });

  it('stored totals did not move', async () => {
    expect(await storedTotals(h, LOGGED_READS)).toBe(before);
    expect((await auditActionsSince(auditBefore)).filter((a) => !READ_ACTIONS.includes(a))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The HTML routes

type PageRoute = { method: 'GET' | 'POST'; path: string; params: { name: string; pattern?: string }[] };
const PARAM = /:(\w+)(?:\{((?:[^{}]|\{[^{}]*\})+)\})?/g;

/** Every page route with a path parameter, from the app's router. */
function pageRoutes(): PageRoute[] {
  const seen = new Map<string, PageRoute>();
  for (const r of h.app.routes) {
    if ((r.method !== 'GET' && r.method !== 'POST') || !/^\/(o|c|d|r)\//.test(r.path) || !r.path.includes(':')) continue;
    const params = [...r.path.matchAll(PARAM)].map((m) => ({ name: m[1]!, ...(m[2] ? { pattern: m[2] } : {}) }));
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path, params });
  }
  return [...seen.values()];
}

const pagePath = (route: PageRoute, values: Record<string, string>) => route.path.replace(PARAM, (_, name: string) => values[name]!);

/** The API collection a page's `:id` lists from: /o/:org/packages/drives/:id → package-drives. */
async function realPageId(route: PageRoute): Promise<string | undefined> {
  const m = /^\/o\/:org\/([a-z/-]+)\/:id\b/.exec(route.path);
  if (!m) return undefined;
  const segs = m[1]!.split('/');
  const known = gets();
  for (const name of [segs.join('/'), segs.at(-1)!, `${segs[0]!.replace(/s$/, '')}-${segs.at(-1)}`]) {
    if (known.has(`/api/v1/orgs/{org}/${name}`)) return valueOf(itemsOf(await getJson(`/api/v1/orgs/${ORG}/${name}`))[0], 'id');
  }
  return undefined;
}

async function expectPage(what: string, res: Response) {
  if (res.status >= 500) return note(what, res);
  if (res.status >= 300 && res.status < 400) return;
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (res.status >= 400 && (!/^text\/html/.test(type) || !/<h1>/.test(text) || !/<\/html>/.test(text))) note(what, res, `not a readable page (${type}) ${short(text)}`);
}

describe('bad path parameters and query strings on the HTML routes', () => {
  let before = '';
  let auditBefore = '0';
  let routes: PageRoute[] = [];
  const defaults: Record<string, string> = { org: ORG, id: FAKE_ID, goalId: FAKE_ID, link: FAKE_ID, year: '2026', token: 'not-a-token', file: 'report.pdf' };
  const callerFor = (path: string): Caller => (path.startsWith('/o/') ? 'admin' : 'anonymous');
  /** Values for GET pages: real rows where a list names them. Form posts always get FAKE_ID. */
  const readValues = new Map<PageRoute, Record<string, string>>();

  beforeAll(async () => {
    routes = pageRoutes();
    defaults.campaign = valueOf(itemsOf(await getJson(`/api/v1/orgs/${ORG}/campaigns`))[0], 'campaign') ?? 'trung-thu-2026';
    for (const r of routes) {
      const id = r.method === 'GET' ? await realPageId(r) : undefined;
      readValues.set(r, { ...defaults, ...(id ? { id } : {}) });
    }
    before = await storedTotals(h, LOGGED_READS);
    auditBefore = await lastAuditId();
  });

  it('malformed path parameters → a readable 4xx page or a redirect, never 5xx', async () => {
    failures.length = 0;
    expect(routes.length).toBeGreaterThan(40);
    expect([...readValues.values()].filter((v) => v.id !== FAKE_ID).length).toBeGreaterThan(5);
    for (const [i, route] of routes.entries()) {
      const extra = route.params.filter((p) => p.pattern).map((p) => fc.stringMatching(new RegExp(`^(?:${p.pattern})$`)).map(enc));
      const examples = route.params
        .filter((p) => p.name !== 'org')
        .flatMap((p) => nastiestSegments(/^\[0-9\]/.test(p.pattern ?? '')).map((raw): [string, string] => [p.name, raw]));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...route.params.map((p) => p.name)), badSegment(extra), async (name, raw) => {
          const path = pagePath(route, { ...readValues.get(route)!, [name]: raw });
          const what = `${route.method} ${route.path} :${name}=${short(raw)}`;
          return check(what, async () => expectPage(what, await send(path, { method: route.method, as: callerFor(route.path), ...(route.method === 'POST' ? { form: {} } : {}) })));
        }),
        { numRuns: examples.length + runs().pagePath, examples, seed: SEED + i },
      );
    }
    expect(failures).toEqual([]);
  });

  it('junk query strings on every page → never 5xx', async () => {
    failures.length = 0;
    // The query parameters the pages read (filters, paging, notices, tokens), and then some.
    const names = ['status', 'page', 'code', 'q', 'tag', 'year', 'v', 'grant', 'campaign', 'checkout', 'token', 'done', 'reveal', 'reason', 'from', 'to', 'locationId', 'category', 'ageBand', 'limit', 'offset', 'channel', 'donor', 'saved', 'confirmed', 'sent', 'merged', 'cancelled', 'revoked', 'type', 'drive'];
    const values = fc.oneof(weirdText, fc.constantFrom('2025-13-45', '0000-01-01', '0001-01-01', '9999-12-31', '-1', '0', '1e309', 'identity', 'home_visit', FAKE_ID, '-'.repeat(36), 'f'.repeat(36)));
    // Every name at once with the same value: whichever the page reads, it reads that.
    const allAt = (v: string) => names.map((n): [string, string] => [n, v]);
    const examples = ['a%00b', '-'.repeat(36), '0001-01-01', ...(h.kind === 'pglite' ? ['9999-12-31', '2025-13-45'] : [])].map((v): [[string, string][]] => [allAt(v)]);
    for (const [i, route] of routes.filter((r) => r.method === 'GET').entries()) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.array(fc.tuple(fc.constantFrom(...names), values), { minLength: 1, maxLength: 4 }), values.map(allAt)), async (pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${v}`).join('&');
          const what = `GET ${route.path}?${short(qs)}`;
          return check(what, async () => expectPage(what, await send(`${pagePath(route, readValues.get(route)!)}?${qs}`, { as: callerFor(route.path) })));
        }),
        { numRuns: examples.length + runs().pageQuery, examples, seed: SEED + i },
      );
    }
    expect(failures).toEqual([]);
  });

  it('stored totals did not move, and the run stayed bounded', async () => {
    expect(await storedTotals(h, LOGGED_READS)).toBe(before);
    expect((await auditActionsSince(auditBefore)).filter((a) => !READ_ACTIONS.includes(a))).toEqual([]);
    expect(sent).toBeGreaterThan(h.kind === 'pglite' ? 1200 : 600);
    expect(sent).toBeLessThan(h.kind === 'pglite' ? 2500 : 1200);
  });
});
