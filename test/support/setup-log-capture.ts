import { afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { logSink } from './log-sink';

/** Node projects: after each test file, write the app's log lines to .tmp/logs for the scan. */
afterAll(() => {
  const lines = logSink();
  if (lines.length === 0) return;
  const dir = path.resolve('.tmp/logs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  lines.length = 0;
});
