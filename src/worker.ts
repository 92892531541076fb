import type { ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { parseConfig, type Config } from './config/config';
import { createApp, type App } from './app';
import { depsFromConfig } from './deps';
import { configureNeonProxy, neonProvider } from './db/neon';
import { runScheduledJobs } from './jobs';
import type { AppDeps } from './http/env';

/**
 * Cloudflare Workers entry point. Configuration comes from bindings and `wrangler secret`;
 * each request gets its own Neon pool (see neonProvider), released in waitUntil.
 */
let cached: { env: unknown; app: App; deps: AppDeps } | null = null;

function build(env: Record<string, unknown>) {
  if (cached && cached.env === env) return cached;
  const config: Config = parseConfig(env);
  if (!config.DATABASE_URL) throw new Error('Invalid configuration:\n  DATABASE_URL: is required on Workers');
  configureNeonProxy(config.NEON_WS_PROXY);
  const deps = depsFromConfig(config, neonProvider(config.DATABASE_URL));
  cached = { env, app: createApp(deps), deps };
  return cached;
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    return build(env).app.fetch(request, env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Record<string, unknown>, ctx: ExecutionContext) {
    const { deps } = build(env);
    ctx.waitUntil(runScheduledJobs(deps));
  },
};
