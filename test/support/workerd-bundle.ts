import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './pg-cluster';

/**
 * Serves a built Worker bundle (a directory holding worker.js) with a bare `workerd serve`, as
 * Cloudflare would run the uploaded script: no wrangler, no vitest plugin, text bindings only.
 * Resolves once the first request answers 200 at `readyPath`.
 */
export async function serveBundle(dir: string, bindings: Record<string, string>, readyPath = '/assets/app.css') {
  const port = await freePort();
  const text = Object.entries(bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`)
    .join(',\n    ');
  const capnp = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w), (name = "internet", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ]
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "internet",
  bindings = [
    ${text}
  ]
);
`;
  const config = path.join(dir, 'serve.capnp');
  fs.writeFileSync(config, capnp);
  const started = performance.now();
  const child = spawn(path.resolve('node_modules/.bin/workerd'), ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill('SIGKILL');
  };
  for (;;) {
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || performance.now() - started > 30_000) {
      stop();
      throw new Error(`workerd did not serve the bundle: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { url, startupMs: performance.now() - started, stop, stderr: () => stderr };
}
