import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { measureWorkerBundle } from './worker-bundle';
import { openBenchPglite, openBenchPostgres, type BenchDatabase } from './db';
import { generate, ledgerCheck, PERIOD, stockCheck } from './gen';
import { measureExport, measurePages, measureWebhooks, startBenchServer } from './http';
import { measureMatching, measurePublicFigures, measureReport } from './queries';
import { BENCH_STRIPE_ENV, PENDING_EVENTS_SQL } from './serve-env';

/**
 * npm run bench [-- --scale 0.1] [--only generate,report,pages,webhooks,export,bundle] [--db postgres,pglite] [--server-driver tcp|neon]
 * Builds a province-sized organisation (scale 1: 200k donors, 1M donations, 50k cases…) on real
 * PostgreSQL (throwaway cluster or BENCH_DATABASE_URL, reached like production through the Neon
 * driver and the WebSocket proxy) and on PGlite (at most scale 0.1), measures, and writes
 * bench/results.json; the README's Benchmarks section summarises the last run.
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'pglite-scale': { type: 'string' },
    only: { type: 'string' },
    db: { type: 'string', default: 'postgres,pglite' },
    runs: { type: 'string', default: '5' },
    'export-runs': { type: 'string' },
    'webhook-events': { type: 'string', default: '1000' },
    'webhook-concurrency': { type: 'string', default: '8' },
    // How the HTTP server reaches PostgreSQL: tcp as src/server.ts does, or neon (the Worker's
    // driver, through the WebSocket proxy) for comparison.
    'server-driver': { type: 'string', default: 'tcp' },
  },
});
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');
if (!['tcp', 'neon'].includes(values['server-driver'])) throw new Error('--server-driver must be tcp or neon');
const runs = Math.max(5, Number(values.runs));
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (name: string) => !only || only.has(name);
const perRun = Number(values['webhook-events']);

const results: Record<string, unknown> = {
  ranAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) },
  scale,
  runsPerMeasurement: runs,
};
const log = (s: string) => console.log(s);

async function benchDatabase(kind: 'postgres' | 'pglite', s: number) {
  log(`\n== ${kind} at scale ${s} ==`);
  // Each section says when it ran: `--only` merges its sections into the previous results.
  const out: Record<string, unknown> = { measuredAt: new Date().toISOString(), scale: s };
  const b: BenchDatabase & { release?: () => Promise<void>; reopen?: () => Promise<void> } = kind === 'postgres' ? await openBenchPostgres() : await openBenchPglite();
  try {
    log('Generating…');
    const gen = await generate(b.exec, { scale: s, log });
    const t = performance.now();
    const check = { ...(await ledgerCheck({ exec: b.exec, orgId: gen.orgId })), ...(await stockCheck({ exec: b.exec, orgId: gen.orgId })) };
    const bad = Object.entries(check).filter(([, v]) => v !== 0);
    if (bad.length) throw new Error(`generated data breaks the ledger or stock rules: ${JSON.stringify(check)}`);
    out.generator = { ...gen, checkMs: Math.round(performance.now() - t), check, withinThreeMinutes: gen.totalMs <= 180_000 };
    log(`Generated in ${gen.totalMs} ms; ledger and stock check ${JSON.stringify(check)}`);
    // Steady state, as autovacuum keeps a live database: visibility maps set, so that
    // index-only scans need no heap look-ups. Timed on its own, not part of the generator.
    const tv = performance.now();
    await b.exec('vacuum (analyze)');
    out.vacuumMs = Math.round(performance.now() - tv);
    log(`Vacuumed in ${out.vacuumMs} ms`);
    if (want('report')) {
      log('Impact report and floor…');
      out.report = await measureReport(b.db, gen.orgId, PERIOD.reportYear, runs);
      log(JSON.stringify(out.report));
      log('Matching suggestions…');
      out.matching = await measureMatching(b.db, gen.orgId, PERIOD.reportYear, runs);
      log(JSON.stringify(out.matching));
      log('Centre page figures…');
      out.publicFigures = await measurePublicFigures(b.db, gen.orgId, PERIOD.reportYear, runs);
      log(JSON.stringify(out.publicFigures));
    }
    if (want('webhooks') || want('export') || want('pages')) {
      await b.release?.();
      const serverEnv: Record<string, string> = { ...b.serverEnv, BENCH_ORG_ID: gen.orgId };
      out.serverDriver = kind === 'postgres' ? values['server-driver'] : 'pglite';
      if (values['server-driver'] !== 'neon') delete serverEnv.NEON_WS_PROXY;
      if (want('webhooks')) {
        const warmupEvents = Math.min(500, perRun);
        const checkouts = runs * perRun + warmupEvents;
        log(`Starting the server (${checkouts} checkout sessions to prepare)…`);
        const server = await startBenchServer(serverEnv, checkouts);
        try {
          out.webhooks = await measureWebhooks(server, {
            runs,
            perRun,
            warmupEvents,
            trivialPerRun: 5000,
            concurrency: Number(values['webhook-concurrency']),
            secret: BENCH_STRIPE_ENV.STRIPE_WEBHOOK_SECRET,
            // PGlite is single-process: while the server holds it, only the server can read it.
            pendingEvents:
              kind === 'postgres'
                ? async () => Number((await b.exec(PENDING_EVENTS_SQL)).rows[0]!.n)
                : async () => ((await (await fetch(`${server.base}/__bench/inbox`)).json()) as { pending: number }).pending,
          });
          log(JSON.stringify(out.webhooks));
        } finally {
          await server.stop();
        }
      }
      if (want('pages')) {
        log('Starting a server for the everyday pages…');
        const server = await startBenchServer(serverEnv, 0);
        try {
          out.pages = await measurePages(server, `bench-${gen.orgId.slice(0, 8)}`, runs);
          log(JSON.stringify(Object.fromEntries(Object.entries(out.pages as Record<string, { medianMs: number }>).map(([k, v]) => [k, v.medianMs]))));
        } finally {
          await server.stop();
        }
      }
      if (want('export')) {
        // A fresh server: its memory is the export's, not what the webhook runs left in the heap.
        log('Starting a fresh server for the export…');
        const server = await startBenchServer(serverEnv, 0);
        try {
          const exportRuns = Number(values['export-runs'] ?? (s >= 1 ? 3 : runs));
          out.csvExport = await measureExport(server, `bench-${gen.orgId.slice(0, 8)}`, exportRuns);
          log(JSON.stringify({ ...(out.csvExport as object), runs: undefined }));
        } finally {
          await server.stop();
        }
      }
      await b.reopen?.();
    }
  } finally {
    await b.close();
  }
  return out;
}

const dbs = values.db.split(',');
if (want('generate') || want('report') || want('pages') || want('webhooks') || want('export')) {
  if (dbs.includes('postgres')) results.postgres = await benchDatabase('postgres', scale);
  if (dbs.includes('pglite')) results.pglite = await benchDatabase('pglite', Number(values['pglite-scale'] ?? Math.min(scale, 0.1)));
}

if (want('bundle')) {
  log('Measuring the Worker bundle and cold start…');
  results.workerBundle = { measuredAt: new Date().toISOString(), ...(await measureWorkerBundle()) };
  log(JSON.stringify(results.workerBundle));
}

fs.mkdirSync('bench', { recursive: true });
const file = 'bench/results.json';
const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
// `--only` measures some sections: each database's sections are merged one by one into the
// previous results, each stamped with when it ran, so a partial run keeps the others' figures.
const merged: Record<string, unknown> = { ...previous, ...results };
for (const kind of ['postgres', 'pglite'] as const) {
  const now = results[kind] as Record<string, unknown> | undefined;
  if (!now) continue;
  const stamped = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? { measuredAt: now.measuredAt, ...v } : v]));
  merged[kind] = { ...(previous[kind] ?? {}), ...stamped };
}
fs.writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
log(`Results written to ${file}`);
process.exit(0);
