/**
 * Compiles a Node entry point (src/server.ts, bench/serve.ts) to one ES module, leaving
 * node_modules as imports. Running compiled JavaScript instead of `node --import tsx` saves the
 * TypeScript loader's ~80 MB of resident memory: what a production Node deployment would run.
 *   npx tsx scripts/build-node.ts src/server.ts build/server.mjs
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildNode(entry: string, outfile: string) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.resolve(root, outfile),
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
  return path.resolve(root, outfile);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry = 'src/server.ts', out = 'build/server.mjs'] = process.argv.slice(2);
  await buildNode(entry, out);
}
