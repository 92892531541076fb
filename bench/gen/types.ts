import { createHash } from 'node:crypto';
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

/** The tables of `tables` that this database does not have (a capability not merged yet). */
export async function missingTables(exec: Exec, tables: string[]): Promise<string[]> {
  const list = tables.map((t) => `'${t}'`).join(',');
  const r = await exec(`select table_name from information_schema.tables where table_schema = current_schema() and table_name in (${list})`);
  const present = new Set(r.rows.map((x) => String(x.table_name)));
  return tables.filter((t) => !present.has(t));
}

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
  /** The run's sequence for `rowId` (created and dropped by generate()). */
  idSequence: string;
}

export interface GenModule {
  name: string;
  /** Tables the module writes; when one is missing (capability not merged yet) it is skipped. */
  tables: string[];
  /** Absent while the module's generator is not written yet: the runner records it as skipped. */
  generate?(ctx: GenContext): Promise<Record<string, number>>;
}

/**
 * A deterministic number in [0, 1) from an SQL expression and a salt: 28 bits of Postgres's
 * own hashtext (a third of md5's cost per call; the generator calls it tens of millions of times).
 */
export const u = (expr: string, salt: string) => `((hashtext((${expr})::text || '${salt}') & 268435455) / 268435456.0)`;

/** An integer in [lo, hi] from an SQL expression and a salt. */
export const between = (expr: string, salt: string, lo: number, hi: number) => `(${lo} + floor(${u(expr, salt)} * ${hi - lo + 1}))::int`;

/**
 * A stable uuid for the i-th row of a kind in this organisation: 64 bits naming the organisation
 * and kind (from md5, computed once here), the row number (an integer SQL expression) in the
 * last 48 bits — unique by construction and cheap.
 */
export const uid = (ctx: GenContext, kind: string, expr: string) => {
  const h = createHash('md5').update(`${ctx.orgId}:${kind}`).digest('hex');
  return `('${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-8${h.slice(15, 18)}-' || lpad(to_hex((${expr})::bigint), 12, '0'))::uuid`;
};

/**
 * An id for a row of a kind that has no series index of its own (postings, receipts, refunds),
 * for tables whose ids the app draws at random (gen_random_uuid). Drawn from the run's sequence,
 * so a statement's rows get ascending ids: each goes at the right-hand end of the primary key's
 * index. Random ids cost a descent to a random leaf and a page split now and then for every row,
 * and PostgreSQL's strong random source besides: 1.5 M rows in 10.5–11 s against 2.3–3 s (lab).
 */
export const rowId = (ctx: GenContext, kind: string) => uid(ctx, kind, `nextval('${ctx.idSequence}')`);

/** A stable uuid for a text key (a literal such as `'general'`, or a composite `x.i || ':' || x.g`): md5 of it. */
export const uidText = (ctx: GenContext, kind: string, expr: string) => `md5('${ctx.orgId}:${kind}:' || (${expr})::text)::uuid`;

/** The organisation's calendar year of a timestamptz (receipts and case codes are numbered per year). */
export const vnYear = (expr: string) => `extract(year from (${expr}) at time zone 'Asia/Ho_Chi_Minh')::int`;

/** Runs `work` on each item, two at once (the machine has two cores), in the items' order. */
async function twoAtATime<T>(items: T[], work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * Fresh planner statistics for tables just loaded. Without them the planner still sees the
 * empty tables of a moment ago and picks plans for a handful of rows: at scale 1 it joined
 * 300 k package units to 1,120 deliveries in a nested loop (27 s for one statement) and posted
 * 1.5 M ledger lines with an index look-up each. A sample of 30,000 rows a table; well under a second.
 */
export async function analyze(ctx: Pick<GenContext, 'exec'>, tables: string[]) {
  await ctx.exec(`analyze ${tables.join(', ')}`);
}

export async function count(ctx: GenContext, table: string): Promise<number> {
  const r = await ctx.exec(`select count(*)::int as n from ${table} where org_id = '${ctx.orgId}'`);
  return Number(r.rows[0]!.n);
}

/**
 * Bulk-load mode for a module's biggest tables, the way a DBA loads a warehouse: secondary
 * indexes (those not backing a constraint) are dropped and rebuilt after the load — one sort
 * per index instead of a million random insertions — and, where the role may (superuser, as on
 * the bench's throwaway cluster), the tables' triggers, foreign-key checks included, are off
 * for the load. Nothing is taken on trust: every foreign key of the tables is then verified
 * set-based (one anti-join each) and unique indexes re-verify their rows as they are rebuilt;
 * the run fails on any violation. BENCH_BULK=off loads row by row with everything on.
 */
export async function bulkLoad<T>(ctx: GenContext, tables: string[], load: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_BULK === 'off') return load();
  const list = `array[${tables.map((t) => `'${t}'`).join(',')}]`;
  const indexes = (
    await ctx.exec(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indrelid
       where c.relname = any(${list}) and c.relnamespace = current_schema()::regnamespace and not i.indisprimary
         and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    )
  ).rows.map((r) => ({ name: String(r.name), def: String(r.def) }));
  // Triggers a caller turned off before (generate() keeps the ledger's day totals off until its
  // rebuild) stay off after the load.
  const alreadyOff = (
    await ctx.exec(
      `select c.relname as tbl, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where c.relname = any(${list}) and c.relnamespace = current_schema()::regnamespace and not t.tgisinternal and t.tgenabled = 'D'`,
    )
  ).rows.map((r) => `alter table ${String(r.tbl)} disable trigger ${String(r.name)}`);
  let triggersOff = false;
  try {
    for (const t of tables) await ctx.exec(`alter table ${t} disable trigger all`);
    triggersOff = true;
  } catch {
    for (const t of tables) await ctx.exec(`alter table ${t} enable trigger all`).catch(() => {});
  }
  for (const ix of indexes) await ctx.exec(`drop index ${ix.name}`);
  let loaded = false;
  try {
    const result = await load();
    loaded = true;
    return result;
  } finally {
    if (triggersOff) {
      for (const t of tables) await ctx.exec(`alter table ${t} enable trigger all`);
      for (const off of alreadyOff) await ctx.exec(off);
    }
    await twoAtATime(indexes, (ix) => ctx.exec(ix.def));
    if (triggersOff) {
      const broken = await foreignKeyViolations(ctx, tables);
      if (broken.length) throw new Error(`bulk load broke foreign keys: ${broken.join('; ')}`);
    }
    // As after any bulk load: the next stages' plans need the tables as they now are.
    if (loaded) await analyze(ctx, tables);
    ctx.notes.push(
      `bulk load of ${tables.join(', ')}: ${indexes.length} secondary indexes rebuilt after the load${triggersOff ? '; triggers and foreign-key checks off during it, every foreign key then verified set-based' : ''}`,
    );
  }
}

/** Rows whose foreign key points at nothing, per constraint of the given tables (set-based). */
export async function foreignKeyViolations(ctx: Pick<GenContext, 'exec'>, tables: string[]): Promise<string[]> {
  const list = `array[${tables.map((t) => `'${t}'`).join(',')}]`;
  const fks = (
    await ctx.exec(
      `select k.conname as name, c.relname as child, p.relname as parent,
              (select array_agg(a.attname order by x.n) from unnest(k.conkey) with ordinality x(attnum, n) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.attnum) as cols,
              (select array_agg(a.attname order by x.n) from unnest(k.confkey) with ordinality x(attnum, n) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = x.attnum) as refs
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
       where k.contype = 'f' and c.relname = any(${list}) and c.relnamespace = current_schema()::regnamespace`,
    )
  ).rows as { name: string; child: string; parent: string; cols: string[] | string; refs: string[] | string }[];
  const arr = (v: string[] | string) => (Array.isArray(v) ? v : String(v).replace(/[{}]/g, '').split(','));
  const out: string[] = [];
  await twoAtATime(fks, async (fk) => {
    const cols = arr(fk.cols);
    const refs = arr(fk.refs);
    const notNull = cols.map((c) => `c.${c} is not null`).join(' and ');
    const match = cols.map((c, i) => `p.${refs[i]} = c.${c}`).join(' and ');
    const r = await ctx.exec(`select count(*)::int as n from ${fk.child} c where ${notNull} and not exists (select 1 from ${fk.parent} p where ${match})`);
    const n = Number(r.rows[0]!.n);
    if (n > 0) out.push(`${fk.name}: ${n} rows`);
  });
  return out.sort();
}
