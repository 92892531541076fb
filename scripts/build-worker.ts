/**
 * Custom build of the Worker (wrangler.toml `[build] command`): esbuild bundles src/worker.ts
 * into build/worker.js, which wrangler then uploads. It exists for one reason — size (issue 8:
 * ≤ 400 KiB gzip) — and leaves out what the Worker never runs:
 *
 * - zod's 40-odd translated error catalogues (`zod/v4/locales`). @hono/zod-openapi hands the
 *   whole `z` namespace to zod-to-openapi, so the bundler cannot drop the unused ones. The app
 *   writes its own Vietnamese/English messages; zod's English catalogue, its default, is kept.
 * - zod's schema compiler (`z.compile`, `core/compile.js`) and its JSON Schema reader
 *   (`z.fromJSONSchema`): opt-in entry points the app never calls, kept by the same whole-`z`
 *   export. Stand-ins keep the exported names and throw if ever called.
 * - postal-mime, which the Resend SDK imports for parsing *inbound* mail. Sẻ Chia only sends;
 *   the stand-in throws if anything ever tries to parse a received message.
 * - standardwebhooks (with its SHA-256 and base64 helpers), which the Resend SDK imports to
 *   verify webhooks *from* Resend. Sẻ Chia subscribes to none; the stand-in throws if used.
 * - the methods of the ~190 Stripe API resources Sẻ Chia never calls (issuing, treasury,
 *   terminal…): the SDK builds every resource in its constructor, so none can be tree-shaken.
 *   Each keeps its class, empty; STRIPE_RESOURCES_CALLED lists the ones kept whole, and
 *   test/deploy/stripe-resources.node.test.ts fails when the sources call any other.
 * - Stripe's handler for "thin" event notifications (API v2 events, `stripe.notificationHandler`,
 *   13 KB minified): Sẻ Chia's webhook takes v1 snapshot events through `stripe.webhooks`. The
 *   stand-in keeps the class and throws if anything builds one.
 *
 * Everything else is bundled as wrangler would (ESM, workerd/worker/browser conditions,
 * node: and cloudflare: modules left to the runtime's nodejs_compat). test/workerd-bundle
 * starts this output in workerd and checks that it serves pages, validation errors and the
 * OpenAPI document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_BUILD = path.join(root, 'build', 'worker.js');

const require = (await import('node:module')).createRequire(import.meta.url);
const zodEnglish = require.resolve('zod/v4/locales/en.js');

/**
 * The Stripe API resources the app calls (`stripe.<property>.<method>(…)`), by SDK property and
 * file under stripe/esm/resources; the Worker bundle keeps the methods of these alone.
 */
export const STRIPE_RESOURCES_CALLED: Record<string, string> = {
  'checkout.sessions': 'Checkout/Sessions.js',
  invoicePayments: 'InvoicePayments.js',
  paymentIntents: 'PaymentIntents.js',
  subscriptions: 'Subscriptions.js',
};

const STRIPE_RESOURCE_FILE = /^(.*[\\/]stripe[\\/]esm)[\\/]resources[\\/](.+\.js)$/;
const keptStripeResources = new Set(Object.values(STRIPE_RESOURCES_CALLED));

/** An unused resource: its class still constructs (the SDK's constructor builds them all), with no methods. */
function emptyStripeResource(file: string): string | undefined {
  const [, esm, name] = STRIPE_RESOURCE_FILE.exec(file)!;
  if (keptStripeResources.has(name!.split(path.sep).join('/'))) return undefined;
  const source = fs.readFileSync(file, 'utf8');
  const classes = [...source.matchAll(/^export class (\w+) extends StripeResource\b/gm)];
  if (classes.length !== 1 || (source.match(/^export /gm) ?? []).length !== 1) return undefined;
  return `import { StripeResource } from ${JSON.stringify(path.join(esm!, 'StripeResource.js'))};\nexport class ${classes[0]![1]} extends StripeResource {}\n`;
}

/** zod modules replaced by stand-ins (the file under node_modules/zod/v4 → its stand-in's source). */
const ZOD_STAND_INS: Record<string, string> = {
  'core/compile.js': [
    `const unused = () => { throw new Error('z.compile is not bundled in the Worker'); };`,
    `export const INVALID = Symbol.for("zod.compile.invalid");`,
    `export class ZodCompileAsyncError extends Error {}`,
    `export class ZodCompileUnsupportedError extends Error {}`,
    `export const compile = unused, withParser = unused, compileFn = unused;`,
  ].join('\n'),
  'classic/from-json-schema.js': `export function fromJSONSchema() { throw new Error('z.fromJSONSchema is not bundled in the Worker'); }`,
};
const ZOD_FILE = /[\\/]zod[\\/]v4[\\/]((?:core|classic)[\\/][\w-]+\.js)$/;

/** Stripe's v2 thin-event notification handler, never used (see the header). */
const STRIPE_NOTIFICATION_HANDLER = /[\\/]stripe[\\/]esm[\\/]StripeEventNotificationHandler\.js$/;
const STRIPE_NOTIFICATION_STAND_IN = [
  `const unused = () => { throw new Error('Stripe thin-event notification handlers are not bundled in the Worker'); };`,
  `export class StripeEventNotificationHandler { constructor() { unused(); } static withoutVerification() { unused(); } }`,
  `export class StripeEventNotificationHandlerWithoutVerification { constructor() { unused(); } }`,
].join('\n');

const slim: esbuild.Plugin = {
  name: 'sechia-slim',
  setup(build) {
    build.onLoad({ filter: ZOD_FILE }, (args) => {
      const contents = ZOD_STAND_INS[ZOD_FILE.exec(args.path)![1]!.split(path.sep).join('/')];
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
    build.onLoad({ filter: STRIPE_NOTIFICATION_HANDLER }, () => ({ contents: STRIPE_NOTIFICATION_STAND_IN, loader: 'js' }));
    build.onLoad({ filter: STRIPE_RESOURCE_FILE }, (args) => {
      const contents = emptyStripeResource(args.path);
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'sechia-slim' } : undefined,
    );
    build.onResolve({ filter: /^(postal-mime|standardwebhooks)$/ }, (args) => ({ path: args.path, namespace: 'sechia-slim' }));
    build.onLoad({ filter: /.*/, namespace: 'sechia-slim' }, (args) =>
      args.path === 'zod-locales'
        ? { contents: `export { default as en } from ${JSON.stringify(zodEnglish)};`, resolveDir: root, loader: 'js' }
        : args.path === 'standardwebhooks'
          ? {
              contents: `export class Webhook { constructor() { throw new Error('Sẻ Chia receives no Resend webhooks: their verification is not bundled'); } }`,
              loader: 'js',
            }
          : {
            contents: `export default { parse() { throw new Error('Sẻ Chia does not receive mail: inbound parsing is not bundled'); } };`,
            loader: 'js',
          },
    );
  },
};

export async function buildWorker(opts: { outfile?: string; metafile?: boolean } = {}) {
  const outfile = opts.outfile ?? WORKER_BUILD;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  return esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/worker.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: opts.metafile ?? false,
    logLevel: 'warning',
    plugins: [slim],
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWorker();
}
