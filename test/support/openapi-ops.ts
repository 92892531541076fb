import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Harness } from './harness';
import type { Role } from '../../src/db/schema';
import { queryRows } from '../../src/db/types';

/**
 * The API's route table as the tests see it: every operation of the OpenAPI document with
 * the roles it declares (`x-access`), its parameters and the properties of its JSON body.
 * Shared by the authorisation matrix and the bad-input (fuzz) tests.
 */
export type Access = 'public' | 'signed-in' | Role[];

/** The subset of JSON Schema the route table uses for parameters. */
export interface ParamSchema {
  type?: string | string[];
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: unknown;
  default?: unknown;
}

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: ParamSchema;
}

export interface ApiOperation {
  method: string;
  /** OpenAPI template, e.g. /api/v1/orgs/{org}/cases/{id} */
  path: string;
  access: Access;
  params: ParamSpec[];
  /** Whether the operation takes a JSON body, and that body's top-level properties. */
  hasJsonBody: boolean;
  bodyProps: string[];
  /** Content types of the 200 answer, e.g. application/json, text/csv. */
  okTypes: string[];
}

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        'x-access'?: Access;
        parameters?: { name: string; in: ParamSpec['in']; required?: boolean; schema?: ParamSchema }[];
        requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown>; $ref?: string } }> };
        responses?: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
};

export async function loadOperations(h: Harness): Promise<ApiOperation[]> {
  const doc = (await (await h.request('/api/v1/openapi.json')).json()) as Doc;
  const ops: ApiOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const resolved = schema?.$ref ? doc.components?.schemas?.[schema.$ref.split('/').pop()!] : schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        access: op['x-access'] as Access,
        params: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: !!p.required, schema: p.schema ?? {} })),
        hasJsonBody: !!schema,
        bodyProps: Object.keys(resolved?.properties ?? {}),
        okTypes: Object.keys(op.responses?.['200']?.content ?? {}),
      });
    }
  }
  return ops;
}

/** A caller the route lets in: admin where admin is declared, else the first declared role. */
export function allowedCaller(access: Access): Role | 'anonymous' {
  if (Array.isArray(access)) return access.includes('admin') ? 'admin' : access[0]!;
  return access === 'public' ? 'anonymous' : 'admin';
}

/** Has a path parameter other than {org}. */
export const hasIdParam = (path: string) => /\{(?!org\})[^}]+\}/.test(path);

/**
 * Some reads create per-organisation defaults on first use (e.g. case categories), and the
 * first request of each role opens its session: do both before a snapshot of stored totals.
 */
export async function settleBeforeSnapshot(h: Harness, ops: ApiOperation[], roles: readonly (Role | 'otherAdmin')[]) {
  for (const r of roles) await h.cookieForRole(r);
  for (const op of ops) {
    if (op.method === 'GET' && !hasIdParam(op.path)) await h.request(op.path.replace('{org}', 'hai-phong'), { as: 'admin' });
  }
}

/**
 * Stored totals that must never move because of bad input: every table's row count
 * (rate-limit counters excepted, and any table named in `except`).
 */
export async function storedTotals(h: Harness, except: string[] = []): Promise<string> {
  const rows = await queryRows<{ t: string; n: string }>(
    h.db,
    sql`select table_name as t,
          (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from public.%I', table_name), false, true, '')))[1]::text as n
        from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
          -- Not records: the rate limiter's counters, and the centre page's figures kept for visits.
          and table_name not in ('rate_limits', 'centre_figure_snapshots') order by table_name`,
  );
  expect(rows.length).toBeGreaterThan(5);
  return rows
    .filter((r) => !except.includes(r.t))
    .map((r) => `${r.t}=${r.n}`)
    .join(',');
}
