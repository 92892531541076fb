/**
 * Every log line the app writes during the suite is kept here (per test file) so the
 * personal-data scan (test/support/global-log-scan.ts) can read all of it afterwards.
 */
const KEY = Symbol.for('sechia.test.logs');
type G = typeof globalThis & { [KEY]?: string[] };

export function logSink(): string[] {
  const g = globalThis as G;
  g[KEY] ??= [];
  return g[KEY]!;
}
