import { casesModule } from './cases';
import { foundation } from './foundation';
import { giving, ledgerCheck } from './giving';
import { grantsModule } from './grants';
import { inkindModule, stockCheck } from './inkind';
import { packagesModule } from './packages';
import type { Exec, GenContext, GenModule } from './types';

export type { Exec, GenContext, GenModule } from './types';
export { ledgerCheck, stockCheck };

/** In dependency order: later modules point at earlier ones' rows (donors, cases, funds). */
export const MODULES: GenModule[] = [foundation, giving, grantsModule, casesModule, packagesModule, inkindModule];

/** The five years the organisation's data spans; the benchmark's report year is the last one. */
export const PERIOD = { from: '2021-01-01 00:00:00+07', to: '2026-01-01 00:00:00+07', reportYear: 2025 };

export interface ModuleResult {
  name: string;
  status: 'generated' | 'skipped';
  reason?: string;
  ms?: number;
  rows?: Record<string, number>;
}

export async function missingTables(exec: Exec, tables: string[]): Promise<string[]> {
  const list = tables.map((t) => `'${t}'`).join(',');
  const r = await exec(`select table_name from information_schema.tables where table_schema = current_schema() and table_name in (${list})`);
  const present = new Set(r.rows.map((x) => String(x.table_name)));
  return tables.filter((t) => !present.has(t));
}

/**
 * Builds one organisation at `scale` (1 = 200k donors, 1M donations, 50k cases…). Modules whose
 * tables are not in this database (capability not merged yet) are skipped and say so.
 */
export async function generate(exec: Exec, opts: { scale: number; log?: (line: string) => void }) {
  const orgId = crypto.randomUUID();
  const ctx: GenContext = {
    exec,
    scale: opts.scale,
    orgId,
    shortCode: 'BN',
    from: PERIOD.from,
    to: PERIOD.to,
    n: (base) => Math.max(1, Math.round(base * opts.scale)),
    notes: [],
  };
  const modules: ModuleResult[] = [];
  const started = performance.now();
  for (const m of MODULES) {
    const missing = await missingTables(exec, m.tables);
    if (missing.length) {
      modules.push({ name: m.name, status: 'skipped', reason: `skipped: tables not present (${missing.join(', ')})` });
      opts.log?.(`  ${m.name}: skipped (tables not present)`);
      continue;
    }
    if (!m.generate) {
      modules.push({ name: m.name, status: 'skipped', reason: 'skipped: generator not written yet' });
      opts.log?.(`  ${m.name}: skipped (generator not written yet)`);
      continue;
    }
    const t = performance.now();
    const rows = await m.generate(ctx);
    const ms = Math.round(performance.now() - t);
    modules.push({ name: m.name, status: 'generated', ms, rows });
    opts.log?.(`  ${m.name}: ${ms} ms ${JSON.stringify(rows)}`);
  }
  const t = performance.now();
  await exec('analyze');
  const analyzeMs = Math.round(performance.now() - t);
  return { orgId, scale: opts.scale, modules, notes: ctx.notes, analyzeMs, totalMs: Math.round(performance.now() - started) };
}
