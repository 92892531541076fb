/**
 * The bench data generator: one module per capability, each building its rows with set-based
 * SQL (INSERT … SELECT … FROM generate_series), never one round trip per row.
 *
 * Rows are keyed off the series index and made "random" with md5 of the index and a salt, so a
 * run at the same scale always builds the same organisation (comparable benchmarks), and a
 * module can find another's rows again (donation i's donor, case k's opening date) without
 * reading them back.
 */

/** Runs one SQL statement and returns its rows (PGlite client.query or a Neon/pg Pool.query). */
export type Exec = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

export interface GenContext {
  exec: Exec;
  /** 1 = the full province: 200k donors, 1M donations, 50k cases… */
  scale: number;
  orgId: string;
  shortCode: string;
  /** The five years the data spans, as SQL timestamptz literals (Vietnamese time). */
  from: string;
  to: string;
  /** `base` rows at scale 1, scaled, at least 1. */
  n(base: number): number;
  /** Per-module notes the runner records in results.json (e.g. triggers disabled for the load). */
  notes: string[];
}

export interface GenModule {
  name: string;
  /** Tables the module writes; when one is missing (capability not merged yet) it is skipped. */
  tables: string[];
  /** Absent while the module's generator is not written yet: the runner records it as skipped. */
  generate?(ctx: GenContext): Promise<Record<string, number>>;
}

/** A deterministic number in [0, 1) from an SQL expression and a salt (md5, 28 bits). */
export const u = (expr: string, salt: string) => `(('x' || substr(md5((${expr})::text || '${salt}'), 1, 7))::bit(28)::int / 268435456.0)`;

/** An integer in [lo, hi] from an SQL expression and a salt. */
export const between = (expr: string, salt: string, lo: number, hi: number) => `(${lo} + floor(${u(expr, salt)} * ${hi - lo + 1}))::int`;

/** A stable uuid for the i-th row of a kind in this organisation. */
export const uid = (ctx: GenContext, kind: string, expr: string) => `md5('${ctx.orgId}:${kind}:' || (${expr})::text)::uuid`;

/** The organisation's calendar year of a timestamptz (receipts and case codes are numbered per year). */
export const vnYear = (expr: string) => `extract(year from (${expr}) at time zone 'Asia/Ho_Chi_Minh')::int`;

export async function count(ctx: GenContext, table: string): Promise<number> {
  const r = await ctx.exec(`select count(*)::int as n from ${table} where org_id = '${ctx.orgId}'`);
  return Number(r.rows[0]!.n);
}
