/**
 * Compiles a Node entry point (src/server.ts, bench/serve.ts) to an ES module beside a chunks/
 * folder, bundling its packages but for the externals below. Running compiled JavaScript instead of `node --import tsx` saves the
 * TypeScript loader's ~80 MB of resident memory: what a production Node deployment would run.
 *   npx tsx scripts/build-node.ts src/server.ts build/server.mjs
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildNode(entry: string, outfile: string) {
  const out = path.resolve(root, outfile);
  const ext = path.extname(out);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    // Split: what an entry loads with `await import()` (PGlite, for the embedded database) is its
    // own chunk, read only when used. In one file, esbuild hoists such a module's imports of
    // external packages to the top, so a server on DATABASE_URL loaded PGlite at every start.
    outdir: path.dirname(out),
    entryNames: path.basename(out, ext),
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': ext || '.js' },
    splitting: true,
    bundle: true,
    // Packages are bundled too, but for these: PGlite loads its WASM and data files from its own
    // folder, ws is CommonJS with optional native add-ons, and pg is CommonJS that requires Node's
    // built-ins at run time (and pg-native, optionally).
    external: ['@electric-sql/pglite', 'ws', 'pg'],
    platform: 'node',
    format: 'esm',
    target: 'node22',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry = 'src/server.ts', out = 'build/server.mjs'] = process.argv.slice(2);
  await buildNode(entry, out);
}
