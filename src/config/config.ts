import { z } from 'zod';

/**
 * Runtime configuration, parsed once at start-up from the environment (Node: process.env,
 * Workers: bindings + `wrangler secret`). A missing or malformed value stops the app with a
 * message naming the variable, so a bad deploy fails loudly instead of half-working.
 */
const optionalSecret = (prefix: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.startsWith(prefix), { message: `must start with "${prefix}"` });

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v))
  .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL' });

export const ConfigSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_URL: z.string().trim().url({ message: 'must be an absolute URL, e.g. http://localhost:8787' }).default('http://localhost:8787'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), { message: 'must be a postgres:// connection string' }),
  DATA_DIR: z.string().trim().default('.data'),
  /** Local development and tests only: route the Neon driver through a WebSocket-to-TCP proxy. */
  NEON_WS_PROXY: z.string().trim().optional().transform((v) => (v === '' ? undefined : v)),
  STRIPE_SECRET_KEY: optionalSecret('sk_'),
  STRIPE_WEBHOOK_SECRET: optionalSecret('whsec_'),
  STRIPE_API_BASE: optionalUrl,
  STRIPE_ACCOUNT_ID: z.string().trim().optional().transform((v) => (v === '' ? undefined : v)),
  RESEND_API_KEY: optionalSecret('re_'),
  RESEND_BASE_URL: optionalUrl,
  MAIL_FROM: z.string().trim().default('Sẻ Chia <no-reply@sechia.example>'),
  DEMO_SEED: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, unknown>): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const v = env[key];
    if (typeof v === 'string' || typeof v === 'number') input[key] = String(v);
  }
  // Locally the app's own address follows PORT unless APP_URL says otherwise, so that the links
  // it prints and mails (sign-in, Checkout return) reach the server that is running.
  // (A malformed PORT is left to the schema's own message.)
  if (input.APP_URL === undefined && input.APP_ENV !== 'production') {
    const port = ConfigSchema.shape.PORT.safeParse(input.PORT);
    if (port.success) input.APP_URL = `http://localhost:${port.data}`;
  }
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(config)'), message: i.message })),
    );
  }
  const config = result.data;
  if (config.APP_ENV === 'production') {
    const missing: { variable: string; message: string }[] = [];
    if (!config.DATABASE_URL) missing.push({ variable: 'DATABASE_URL', message: 'is required in production' });
    if (!config.APP_URL.startsWith('https://')) missing.push({ variable: 'APP_URL', message: 'must be https in production' });
    if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET)
      missing.push({ variable: 'STRIPE_WEBHOOK_SECRET', message: 'is required when STRIPE_SECRET_KEY is set' });
    if (missing.length) throw new ConfigError(missing);
  }
  return config;
}

export const isLocal = (config: Config) => config.APP_ENV !== 'production';
