import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { freePort } from '../test/support/pg-cluster';
import { medianMs } from './lib';

/** Builds the Worker as deploy would, measures its gzip size, and times a cold start in workerd. */
export async function measureWorkerBundle() {
  const out = path.resolve('.tmp/bench-dist');
  fs.rmSync(out, { recursive: true, force: true });
  const r = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrangler build failed: ${r.stderr}`);
  const file = path.join(out, 'worker.js');
  const raw = fs.readFileSync(file);
  const gzipBytes = zlib.gzipSync(raw, { level: 9 }).length;

  // Cold start: a new workerd process loads the bundle and answers its first request.
  const startup = await medianMs(5, () => coldStart(out));

  return {
    bundleBytes: raw.length,
    bundleGzipKiB: Math.round((gzipBytes / 1024) * 10) / 10,
    targetGzipKiB: 400,
    coldStartMs: startup.median,
    coldStartSamples: startup.samples,
    note: 'cold start = a new `workerd serve` process loading the minified bundle until its first HTTP response, median of 5',
  };
}

async function coldStart(dir: string) {
  const port = await freePort();
  const capnp = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ]
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    (name = "APP_ENV", text = "test"),
    (name = "APP_URL", text = "http://localhost:8787"),
    (name = "DATABASE_URL", text = "postgres://u:p@127.0.0.1:9/none")
  ]
);
`;
  fs.writeFileSync(path.join(dir, 'bench.capnp'), capnp);
  const started = performance.now();
  const child = spawn(path.resolve('node_modules/.bin/workerd'), ['serve', path.join(dir, 'bench.capnp')], { stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/assets/app.css`);
        if (res.status === 200) {
          await res.text();
          return performance.now() - started;
        }
      } catch {
        /* not listening yet */
      }
      if (performance.now() - started > 30_000) throw new Error('workerd did not start within 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
  }
}
