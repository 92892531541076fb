import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../src/config/config';
import { createApp } from '../../src/app';
import { depsFromConfig } from '../../src/deps';
import { openPglite } from '../../src/db/pglite';
import { seedDemo } from '../../src/demo/seed';
import { memoryLogger } from '../../src/lib/log';
import { logSink } from './log-sink';
import { freePort } from './pg-cluster';
import type { Payments } from '../../src/payments/stripe';
import type { Mailer } from '../../src/mail/mailer';

/** The Node server as `npm start` runs it (PGlite + demo data), on a free loopback port. */
export async function startLiveServer(opts: { env?: Record<string, string>; payments?: Payments | null; mailer?: Mailer } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = parseConfig({ APP_ENV: 'development', APP_URL: url, PORT: String(port), ...opts.env });
  const database = await openPglite();
  const logger = memoryLogger();
  const sink = logSink();
  const push = logger.lines.push.bind(logger.lines);
  logger.lines.push = (...items: string[]) => (sink.push(...items), push(...items));
  const deps = depsFromConfig(config, database, { logger, ...(opts.payments !== undefined ? { payments: opts.payments } : {}), ...(opts.mailer ? { mailer: opts.mailer } : {}) });
  await seedDemo(database.db, deps.clock);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url,
    port: (server.address() as AddressInfo).port,
    deps,
    db: database.db,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
