import { serve } from '@hono/node-server';
import { parseConfig, ConfigError } from './config/config';
import { createApp } from './app';
import { depsFromConfig } from './deps';
import { openNodeDatabase } from './db/node-connect';
import { seedDemo, DEMO_STAFF } from './demo/seed';
import { runScheduledJobs } from './jobs';
import type { DatabaseProvider } from './db/types';

/**
 * Node entry point: PGlite in DATA_DIR by default (no server needed), or any PostgreSQL when
 * DATABASE_URL is set, over plain TCP (node-postgres). With NEON_WS_PROXY set as well, the server
 * goes through the Neon driver and that WebSocket proxy instead, as the Worker does.
 */
async function main() {
  let config;
  try {
    config = parseConfig({ DEMO_SEED: 'true', ...process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  let database: DatabaseProvider & { close(): Promise<void> };
  if (config.DATABASE_URL) {
    database = await openNodeDatabase(config.DATABASE_URL, config.NEON_WS_PROXY);
  } else {
    // Loaded only when used: a Postgres deployment does not carry the WASM database.
    const { openPglite } = await import('./db/pglite');
    database = await openPglite(config.DATA_DIR);
  }

  const deps = depsFromConfig(config, database);
  if (config.DEMO_SEED) {
    const { db, release } = await database.acquire();
    const seeded = await seedDemo(db, deps.clock);
    await release();
    if (seeded.created) console.log('Seeded the demo organisation (Hải Phòng).');
  }

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: '0.0.0.0' }, (info) => {
    const url = config.APP_URL;
    console.log(`\nSẻ Chia is running at ${url} (port ${info.port}, database: ${database.kind}${config.DATABASE_URL ? '' : `, data in ${config.DATA_DIR}`})`);
    console.log(`Sign in at ${url}/login with one of the demo staff emails:`);
    for (const s of DEMO_STAFF) console.log(`  ${s.email.padEnd(40)} ${s.roles.join(', ')}`);
    if (deps.mailer.kind === 'none') console.log(`No RESEND_API_KEY: no email is sent. The sign-in link appears at ${url}/dev/mail`);
    else console.log('Mail is sent through Resend.');
    if (!deps.payments) console.log('No STRIPE_SECRET_KEY: online card payments are off; donation pages offer bank transfer.');
    console.log(`API docs: ${url}/api/docs\n`);
  });

  const timer = setInterval(() => {
    runScheduledJobs(deps).catch((err) => console.error(JSON.stringify({ level: 'error', event: 'jobs.failed', error: String(err).slice(0, 200) })));
  }, 60_000);

  const shutdown = async () => {
    clearInterval(timer);
    server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
