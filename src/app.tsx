import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { csrf } from 'hono/csrf';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import type { AppDeps, AppEnv } from './http/env';
import { requestContext, validationHook } from './http/middleware';
import { ProblemError, problemResponse } from './http/problem';
import { FAVICON_SVG } from './ui/icon';
import { APP_CSS } from './ui/styles';
import { Layout } from './ui/layout';
import { t } from './ui/i18n';
import { authApi } from './auth/api';
import { authPages } from './auth/pages';
import { orgsApi } from './orgs/api';
import { orgPages } from './orgs/pages';
import { casesApi } from './cases/api';
import { casePages } from './cases/pages';
import { devMailPages } from './mail/dev';
import { apiDocsPage } from './http/docs';
import { wellFormedJson } from './http/json-guard';
import { noNulInUrl } from './http/url-guard';
import { registerStripeWebhook } from './giving/webhook-route';
import { givingApi } from './giving/api';
import { donorsApi } from './donors/api';
import { publicGivingPages } from './giving/public-pages';
import { givingPages } from './giving/pages';
import { donorPages } from './donors/pages';
import { donorPortal } from './donors/portal';
import { yearEndPages } from './donors/year-end-pages';
import { reportsApi } from './reports/api';
import { reportLinkPages } from './reports/link-pages';
import { reportPages } from './reports/pages';
import { inkindApi } from './inkind/api';
import { inkindPages } from './inkind/pages';
import { packagesApi } from './packages/api';
import { packagePages } from './packages/pages';
import { publicPackagePages } from './packages/public-pages';
import { attentionPages } from './attention/pages';
import { isTransientConflict, pgErrorCode } from './db/errors';

export const API_PREFIX = '/api/v1';

const isApiPath = (path: string) => path.startsWith('/api/') || path.startsWith('/webhooks/') || path === '/healthz';

/** Builds the one app both runtimes serve; hosts supply the dependencies. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const appOrigin = new URL(deps.config.APP_URL).origin;

  app.use('*', requestId({ limitLength: 64 }));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        // Form posts redirect to Stripe Checkout (or the local stand-in named by STRIPE_API_BASE).
        formAction: ["'self'", 'https://checkout.stripe.com', ...(deps.config.STRIPE_API_BASE ? [new URL(deps.config.STRIPE_API_BASE).origin] : [])],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: 'max-age=63072000; includeSubDomains',
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
    }),
  );
  app.use('*', requestContext(deps));
  app.use('*', noNulInUrl);
  // Form posts must come from our own pages (Origin / Sec-Fetch-Site check).
  app.use(
    '*',
    csrf({ origin: (origin, c) => origin === appOrigin || origin === new URL(c.req.url).origin }),
  );
  app.use(`${API_PREFIX}/*`, bodyLimit({ maxSize: 1024 * 1024, onError: (c) => problemResponse(c, 413, 'The body is larger than 1 MiB.') }));
  app.use(`${API_PREFIX}/*`, wellFormedJson);

  app.get('/assets/app.css', (c) =>
    c.body(APP_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );

  app.get('/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));

  app.get('/healthz', async (c) => {
    let database: 'ok' | 'error' = 'ok';
    try {
      await c.get('db').execute(sql`select 1`);
    } catch {
      database = 'error';
    }
    return c.json(
      { status: database === 'ok' ? 'ok' : 'degraded', app: 'ok', database, runtime: deps.database.kind },
      database === 'ok' ? 200 : 503,
    );
  });

  app.route(API_PREFIX, authApi);
  app.route(API_PREFIX, orgsApi);
  app.route(API_PREFIX, casesApi);
  app.route(API_PREFIX, donorsApi);
  app.route(API_PREFIX, givingApi);
  app.route(API_PREFIX, reportsApi);
  app.route(API_PREFIX, inkindApi);
  app.route(API_PREFIX, packagesApi);
  registerStripeWebhook(app);

  const openApiConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Sẻ Chia API',
      version: '1.0.0',
      description:
        'JSON API of Sẻ Chia. Errors are RFC 9457 problem+json. Each operation lists the roles it needs in `x-access`.',
    },
    servers: [{ url: deps.config.APP_URL }],
  };
  app.doc31(`${API_PREFIX}/openapi.json`, openApiConfig);
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: 'sc_session' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.get('/api/docs', apiDocsPage(`${API_PREFIX}/openapi.json`, () => app.getOpenAPI31Document(openApiConfig)));

  app.route('/', authPages);
  app.route('/', orgPages);
  app.route('/', casePages);
  app.route('/', publicGivingPages);
  app.route('/', givingPages);
  app.route('/', donorPages);
  app.route('/', donorPortal);
  app.route('/', yearEndPages);
  app.route('/', reportLinkPages);
  app.route('/', reportPages);
  app.route('/', inkindPages);
  app.route('/', packagePages);
  app.route('/', publicPackagePages);
  app.route('/', attentionPages);
  if (deps.config.APP_ENV !== 'production') app.route('/', devMailPages);

  app.notFound((c) => {
    if (isApiPath(c.req.path)) return problemResponse(c, 404, `No route for ${c.req.method} ${c.req.path}`);
    const locale = c.get('locale') ?? 'vi';
    return c.html(
      <Layout title="404" locale={locale} path="/">
        <h1>404</h1>
        <p>{t(locale, 'notFound')}</p>
      </Layout>,
      404,
    );
  });

  app.onError((err, c) => {
    let status = 500;
    let detail: string | undefined;
    let extra: Record<string, unknown> = {};
    let busy = false;
    if (err instanceof ProblemError) {
      status = err.status;
      detail = err.detail;
      extra = err.extra;
    } else if (err instanceof HTTPException) {
      status = err.status;
      detail = err.message || undefined;
      if (status === 403 && /csrf|forbidden/i.test(err.message || 'Forbidden')) detail = 'Cross-site form post refused.';
    } else if (isTransientConflict(err)) {
      // A deadlock that outlasted the retries (src/db/retry.ts): rolled back whole, so nothing
      // was saved; the client may simply send the same request again.
      status = 503;
      busy = true;
      detail = 'Other changes to the same records were being saved at the same moment; nothing was saved. Please try again.';
      c.header('retry-after', '1');
      deps.logger.warn('http.transient_conflict', { requestId: c.get('requestId'), path: c.req.path, code: pgErrorCode(err) });
    } else {
      // Never echo the error text: it may carry SQL or values.
      deps.logger.error('http.unhandled', {
        requestId: c.get('requestId'),
        path: c.req.path,
        // Only the error's class and a database error code: drizzle puts query parameters
        // (which can be personal data) into its messages.
        error: err instanceof Error ? err.name : 'unknown',
        code: pgErrorCode(err),
      });
    }
    if (isApiPath(c.req.path)) return problemResponse(c, status as 500, detail, extra);
    if (status === 401 && c.req.method === 'GET') return c.redirect(`/login`, 303);
    const locale = c.get('locale') ?? 'vi';
    const message =
      status === 404 ? t(locale, 'notFound') : status === 403 ? t(locale, 'forbidden') : busy ? t(locale, 'errorBusy') : status >= 500 ? t(locale, 'errorGeneric') : (detail ?? t(locale, 'errorGeneric'));
    return c.html(
      <Layout title={String(status)} locale={locale} path={c.req.path} signedIn={!!c.get('principal')}>
        <h1>{status}</h1>
        <p class="error" role="alert">
          {message}
        </p>
      </Layout>,
      status as 500,
    );
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
