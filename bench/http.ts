import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { signStripePayload } from '../test/support/stripe-standin';
import { round } from './lib';
import { buildNode } from '../scripts/build-node';

const AUTOCANNON_VERSION = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;

export interface BenchServer {
  child: ChildProcess;
  base: string;
  token: string;
  events: string[];
  checkoutsMs: number;
  stop(): Promise<void>;
}

/**
 * The WebSocket-to-TCP proxy that stands in for Neon's, as its own process: in production that
 * hop is Neon's infrastructure, so it must not share an event loop with the load generator (an
 * in-process proxy made every database round trip wait for the client's own work).
 */
export async function startProxyProcess(): Promise<{ proxy: string; stop(): void }> {
  const script = await buildNode('scripts/ws-proxy.ts', '.tmp/bench-ws-proxy.mjs');
  const child = spawn(process.execPath, [script], { env: { ...process.env, WS_PROXY_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const proxy = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`proxy exited (${code}) before it was ready`)));
    lines.on('line', (l) => {
      const m = /NEON_WS_PROXY=(\S+)\)/.exec(l);
      if (m) resolve(m[1]!);
    });
  });
  return { proxy, stop: () => void child.kill('SIGTERM') };
}

/** Starts bench/serve.ts, compiled, as its own Node process (so its RSS is the server's alone). */
export async function startBenchServer(env: Record<string, string>, checkouts: number): Promise<BenchServer> {
  // The server reaches Postgres through a proxy process of its own (see startProxyProcess).
  const proxy = env.NEON_WS_PROXY ? await startProxyProcess() : null;
  if (proxy) env = { ...env, NEON_WS_PROXY: proxy.proxy };
  const eventsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sechia-bench-')), 'events.json');
  // Compiled first, so that the measured RSS is the app's and not the TypeScript loader's.
  const script = await buildNode('bench/serve.ts', '.tmp/bench-serve.mjs');
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : []), script], {
    env: { ...process.env, ...env, BENCH_CHECKOUTS: String(checkouts), BENCH_EVENTS_FILE: eventsFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const ready = await new Promise<{ port: number; token: string; checkoutsMs: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
    lines.on('line', (l) => {
      try {
        const v = JSON.parse(l);
        if (v.port) resolve(v);
      } catch {
        /* other output */
      }
    });
  });
  const events = JSON.parse(fs.readFileSync(eventsFile, 'utf8')) as string[];
  fs.rmSync(path.dirname(eventsFile), { recursive: true, force: true });
  return {
    child,
    base: `http://127.0.0.1:${ready.port}`,
    token: ready.token,
    events,
    checkoutsMs: ready.checkoutsMs,
    stop: () =>
      new Promise<void>((resolve) => {
        proxy?.stop();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** One request of a load run: path on the bench server, and for a POST its headers and body. */
export interface LoadRequest {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A bounded load run on loopback with autocannon, the tool issue 8 names: `concurrency`
 * keep-alive connections take the requests in list order, each sent once, until all are
 * answered (test/bench/load.node.test.ts). Autocannon writes requests on raw sockets and costs
 * about half of what the loop of Node's fetch used here before did per request; that loop,
 * sharing the two cores, held the trivial route to its own pace (bench/NOTES.md, 2026-12-07
 * fifth). Returns requests per second, timed here from the first request to the last answer:
 * autocannon notices the end only at a sample tick (`sampleInt`, 5 ms).
 */
export async function load(base: string, requests: LoadRequest[], concurrency: number, check: (status: number, body: string) => void = () => {}) {
  let next = 0;
  const failures: string[] = [];
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections: Math.min(concurrency, requests.length),
    amount: requests.length,
    sampleInt: 5,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = requests[next++]!;
          return { ...req, method: r.method ?? 'GET', path: r.path, headers: r.headers ?? {}, body: r.body };
        },
        onResponse: (status, body) => {
          try {
            check(status, body);
          } catch (err) {
            if (failures.length < 5) failures.push(String(err instanceof Error ? err.message : err));
          }
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  if (failures.length || result.errors || result.timeouts || result.non2xx) {
    throw new Error(`load run failed: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx; ${failures.join('; ')}`);
  }
  if (result.requests.total !== requests.length) throw new Error(`load run answered ${result.requests.total} of ${requests.length} requests`);
  return round(requests.length / seconds, 1);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Signed checkout.session.completed events per second vs the same server's trivial route. */
export async function measureWebhooks(
  server: BenchServer,
  opts: { runs: number; perRun: number; warmupEvents: number; trivialPerRun: number; concurrency: number; secret: string; pendingEvents?: () => Promise<number> },
) {
  const trivial: number[] = [];
  const webhooks: number[] = [];
  const applied: number[] = [];
  const signed = async (batch: string[]) => {
    const ts = Math.floor(Date.now() / 1000);
    return Promise.all(
      batch.map(
        async (payload): Promise<LoadRequest> => ({
          path: '/webhooks/stripe',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': await signStripePayload(payload, opts.secret, ts) },
          body: payload,
        }),
      ),
    );
  };
  const drained = async () => {
    if (opts.pendingEvents) while ((await opts.pendingEvents()) > 0) await new Promise((r) => setTimeout(r, 20));
  };
  // Warm-up, not measured: both routes compiled and cached by V8 in client and server alike (the
  // trivial route alone goes from ~2,600 to ~7,800 requests/s over its first 9,000 requests).
  const trivialRequests = Array.from({ length: opts.trivialPerRun }, (): LoadRequest => ({ path: '/assets/app.css' }));
  for (let i = 0; i < 3; i++) await load(server.base, trivialRequests, opts.concurrency);
  const warm = server.events.slice(server.events.length - opts.warmupEvents);
  if (warm.length) await load(server.base, await signed(warm), opts.concurrency);
  await drained();
  for (let r = 0; r < opts.runs; r++) {
    trivial.push(
      await load(server.base, trivialRequests, opts.concurrency, (status) => {
        if (status !== 200) throw new Error(`trivial route answered ${status}`);
      }),
    );
    const batch = server.events.slice(r * opts.perRun, (r + 1) * opts.perRun);
    if (batch.length < opts.perRun || (r + 1) * opts.perRun > server.events.length - opts.warmupEvents) throw new Error('not enough prepared checkout sessions');
    const requests = await signed(batch);
    const started = performance.now();
    webhooks.push(
      await load(server.base, requests, opts.concurrency, (status, body) => {
        if (status !== 200 || JSON.parse(body).duplicate !== false) throw new Error(`webhook answered ${status} ${body.slice(0, 200)}`);
      }),
    );
    // Applying the stored events (donation, ledger, receipt, mail, settlement) goes on behind
    // the answers; wait until the inbox is empty so that runs do not overlap.
    if (opts.pendingEvents) {
      await drained();
      applied.push(round(opts.perRun / ((performance.now() - started) / 1000), 1));
    }
  }
  const t = median(trivial);
  const w = median(webhooks);
  return {
    trivialRoute: '/assets/app.css',
    trivialPerSecond: t,
    trivialSamples: trivial,
    webhookEventsPerSecond: w,
    webhookSamples: webhooks,
    ratio: round(w / t, 3),
    appliedEventsPerSecond: applied.length ? median(applied) : null,
    appliedSamples: applied,
    target: '≥ 0.40',
    eventsPerRun: opts.perRun,
    trivialRequestsPerRun: opts.trivialPerRun,
    warmup: `${3 * opts.trivialPerRun} trivial requests and ${opts.warmupEvents} events first, not measured`,
    concurrency: opts.concurrency,
    loadGenerator: `autocannon ${AUTOCANNON_VERSION}, ${opts.concurrency} keep-alive connections, in the bench process; each run timed from its first request to its last answer`,
    checkoutsPreparedMs: server.checkoutsMs,
    note: 'ingestion: each signed event (a distinct checkout session created through createCheckout) verified and stored in the inbox, every response checked (200, not duplicate); applied: events per second from the first request until the inbox is empty (donation, ledger, receipt, outbox mail, settlement look-up at the Stripe stand-in), on the same server',
  };
}

function rssKiB(pid: number, field: 'VmRSS' | 'RssAnon' | 'RssFile' = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Downloads the donations CSV export; times it and samples the server's RSS every 20 ms. */
export async function measureExport(server: BenchServer, orgSlug: string, runs: number) {
  const pid = server.child.pid!;
  const samples: { ms: number; peakRssMiB: number; baselineRssMiB: number; baselineAnonMiB: number; baselineFileMiB: number; bytes: number; lines: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const baseline = rssKiB(pid);
    // Anonymous (heaps) and file-backed (the node binary's pages) apart: a fresh server's start
    // varies by ~60 MiB of anonymous memory between processes (bench/NOTES.md, 2026-12-04 second).
    const [anon, file] = [rssKiB(pid, 'RssAnon'), rssKiB(pid, 'RssFile')];
    let peak = baseline;
    const timer = setInterval(() => {
      peak = Math.max(peak, rssKiB(pid));
    }, 20);
    const started = performance.now();
    const res = await fetch(`${server.base}/api/v1/orgs/${orgSlug}/donations/export.csv`, { headers: { authorization: `Bearer ${server.token}` } });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
    const ms = performance.now() - started;
    clearInterval(timer);
    peak = Math.max(peak, rssKiB(pid));
    samples.push({ ms: round(ms), peakRssMiB: round(peak / 1024, 1), baselineRssMiB: round(baseline / 1024, 1), baselineAnonMiB: round(anon / 1024, 1), baselineFileMiB: round(file / 1024, 1), bytes, lines });
  }
  return {
    medianMs: round(median(samples.map((s) => s.ms))),
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    baselineRssMiB: Math.min(...samples.map((s) => s.baselineRssMiB)),
    growthDuringExportMiB: Math.max(...samples.map((s) => round(s.peakRssMiB - s.baselineRssMiB, 1))),
    targetPeakRssMiB: 150,
    rows: samples[0]!.lines - 1,
    bytes: samples[0]!.bytes,
    runs: samples,
    note: 'RSS of the server process (VmRSS from /proc, sampled every 20 ms during the download), peak over all runs',
  };
}

/**
 * What a fund's staff and its donors open every day, through the HTTP server at the organisation's
 * scale: the dashboard's counts, the campaign, fund, drive and duplicate-donor lists, the first
 * page of gifts and of eligible children (each through the API with the finance token, which the
 * staff pages share their queries with), and the public centre and campaign pages. One warm-up
 * request each, then the median of `runs` requests one after another.
 */
export async function measurePages(server: BenchServer, orgSlug: string, runs: number) {
  const get = async (path: string, auth: boolean) => {
    const res = await fetch(`${server.base}${path}`, { headers: auth ? { authorization: `Bearer ${server.token}` } : {} });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`);
    return body;
  };
  const api = `/api/v1/orgs/${orgSlug}`;
  const campaigns = JSON.parse(await get(`${api}/campaigns`, true)) as { items: { slug: string; status: string }[] };
  const active = campaigns.items.find((c) => c.status === 'active');
  if (!active) throw new Error('the bench organisation has no active campaign');
  const pages: [string, string, boolean][] = [
    ['dashboardCounts', api, true],
    ['campaignsWithProgress', `${api}/campaigns`, true],
    ['fundsWithBalances', `${api}/funds`, true],
    ['packageDrivesWithFunding', `${api}/package-drives`, true],
    ['duplicateDonors', `${api}/donors/duplicates`, true],
    ['donationsFirstPage', `${api}/donations`, true],
    ['eligibleCasesFirstPage', `${api}/cases/eligible`, true],
    ['publicCentrePage', `/c/${orgSlug}`, false],
    ['publicCampaignPage', `/c/${orgSlug}/${active.slug}`, false],
  ];
  const out: Record<string, { medianMs: number; samples: number[]; path: string }> = {};
  for (const [name, path, auth] of pages) {
    await get(path, auth);
    const samples: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      await get(path, auth);
      samples.push(round(performance.now() - t));
    }
    out[name] = { medianMs: round(median(samples)), samples, path: path.replace(orgSlug, '{org}') };
  }
  return out;
}
