import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { measureWorkerBundle } from './worker-bundle';

/**
 * npm run bench [-- --scale 0.1] [--only bundle,...]
 * Writes bench/results.json; the README summarises the last run.
 */
const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');
const only = values.only ? new Set(values.only.split(',')) : null;
const want = (name: string) => !only || only.has(name);

const results: Record<string, unknown> = {
  ranAt: new Date().toISOString(),
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  scale,
};

if (want('bundle')) {
  console.log('Measuring the Worker bundle and cold start…');
  results.workerBundle = await measureWorkerBundle();
  console.log(results.workerBundle);
}

fs.mkdirSync('bench', { recursive: true });
const file = 'bench/results.json';
const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
fs.writeFileSync(file, JSON.stringify({ ...previous, ...results }, null, 2) + '\n');
console.log(`Results written to ${file}`);
