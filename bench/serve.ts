/**
 * The benchmark's server process: the real app on @hono/node-server (loopback), over the bench
 * database (BENCH_DATABASE_URL over TCP as src/server.ts connects, or through the Neon driver when
 * NEON_WS_PROXY is given; or BENCH_PGLITE_DIR),
 * with Stripe pointed at the in-process stand-in. Before listening it creates BENCH_CHECKOUTS
 * checkout sessions through the app's own createCheckout, completes each at the stand-in and
 * writes the (unsigned) `checkout.session.completed` events to BENCH_EVENTS_FILE; it mints a
 * finance API token for the exports. Prints one JSON line {port, token} when ready.
 * bench/http.ts compiles it (scripts/build-node.ts) and runs the JavaScript, so the measured RSS
 * is the app's own and not the TypeScript loader's.
 */
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { and, eq, sql } from 'drizzle-orm';
import { parseConfig } from '../src/config/config';
import { createApp } from '../src/app';
import { depsFromConfig } from '../src/deps';
import { nodeDatabase } from '../src/db/node-connect';
import { createPayments } from '../src/payments/stripe';
import { silentLogger } from '../src/lib/log';
import { noMailer } from '../src/mail/mailer';
import { createCheckout } from '../src/giving/checkout';
import { createApiToken } from '../src/auth/auth';
import { campaigns } from '../src/db/schema';
import { queryRows, type DatabaseProvider } from '../src/db/types';
import { createStripeStandIn, stripeEvent } from '../test/support/stripe-standin';

import { BENCH_STRIPE_ENV, PENDING_EVENTS_SQL } from './serve-env';

const env = process.env;
let database: DatabaseProvider;
if (env.BENCH_PGLITE_DIR) {
  // Imported only when used: the PGlite module is large and the Postgres runs must not carry it.
  const { openPglite } = await import('../src/db/pglite');
  database = await openPglite(env.BENCH_PGLITE_DIR);
} else {
  // As the Node server connects to a PostgreSQL (src/server.ts): over TCP, or through the Neon driver.
  database = nodeDatabase(env.BENCH_DATABASE_URL!, env.NEON_WS_PROXY, { max: 10 });
}
const orgId = env.BENCH_ORG_ID!;
const config = parseConfig({ APP_ENV: 'test', APP_URL: 'http://127.0.0.1:8787', ...BENCH_STRIPE_ENV });
const stripe = createStripeStandIn();
const payments = createPayments(config, { fetch: stripe.fetch });
const deps = depsFromConfig(config, database, { logger: silentLogger, mailer: noMailer, payments });
const { db } = await database.acquire();

const [campaign] = await db
  .select()
  .from(campaigns)
  .where(and(eq(campaigns.orgId, orgId), eq(campaigns.status, 'active'), eq(campaigns.currency, 'VND')))
  .limit(1);
if (!campaign) throw new Error('the bench organisation has no active VND campaign');

const n = Number(env.BENCH_CHECKOUTS ?? 0);
const events: string[] = new Array(n);
let next = 0;
const created = performance.now();
// A few at a time (a donation page under load); each checkout is a row of ours plus a Stripe session.
await Promise.all(
  Array.from({ length: database.kind === 'pglite' ? 1 : 6 }, async () => {
    for (let i = next++; i < n; i = next++) {
      const co = await createCheckout(
        db,
        payments,
        {
          orgId,
          campaignId: campaign.id,
          fundId: campaign.fundId,
          donor: { name: `Người ủng hộ ${i}`, email: `webhook${i}.${orgId.slice(0, 8)}@example.org`, locale: 'vi' },
          currency: 'VND',
          unitAmountMinor: 200_000n + BigInt(i),
          interval: 'once',
          purpose: { kind: 'campaign', campaignId: campaign.id },
          productName: campaign.title,
          successUrl: 'http://127.0.0.1:8787/thanks',
          cancelUrl: 'http://127.0.0.1:8787/',
        },
        { logger: silentLogger },
      );
      events[i] = JSON.stringify(stripeEvent('checkout.session.completed', stripe.completeSession(co.stripeSessionId), { created: Math.floor(Date.now() / 1000) }));
    }
  }),
);
if (env.BENCH_EVENTS_FILE) fs.writeFileSync(env.BENCH_EVENTS_FILE, JSON.stringify(events));
const { token } = await createApiToken(db, { orgId, name: 'bench export', role: 'finance' });

const app = createApp(deps);
// The bench asks between runs how many events still wait in the inbox: on PGlite only this
// process can read the database. A bench-only path in front of the app, not one of its routes.
const pending = sql.raw(PENDING_EVENTS_SQL);
const fetch = async (req: Request) => (req.url.endsWith('/__bench/inbox') ? Response.json({ pending: (await queryRows<{ n: number }>(db, pending))[0]!.n }) : app.fetch(req));
serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ port: info.port, token, checkouts: n, checkoutsMs: Math.round(performance.now() - created) }));
});
process.on('SIGTERM', () => process.exit(0)); // a normal exit (writes --cpu-prof profiles)

// BENCH_SERVER_PROF_DIR: SIGUSR2 starts a CPU profile, the next SIGUSR2 writes it there, so that
// a profile covers one measured phase (ingestion, applying) and not the preparation before it.
if (env.BENCH_SERVER_PROF_DIR) {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  let running = false;
  let n = 0;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!running) {
        running = true;
        await session.post('Profiler.start');
        return;
      }
      running = false;
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(`${env.BENCH_SERVER_PROF_DIR}/phase-${++n}.cpuprofile`, JSON.stringify(profile));
    })();
  });
}
