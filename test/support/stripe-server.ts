import http from 'node:http';
import { createStripeStandIn, signStripePayload, stripeEvent } from './stripe-standin';

/**
 * The Stripe stand-in behind a local HTTP server, for the browser test: the app reaches it
 * through STRIPE_API_BASE. POST /v1/checkout/sessions answers a session whose `url` is a
 * page here; "paying" on that page sends a signed checkout.session.completed (and, for a
 * monthly gift, invoice.paid) to the app's webhook, then redirects to the success_url.
 */
export async function startStripeServer(opts: { webhookSecret: string }) {
  let webhookUrl = '';
  const delivered: { type: string; status: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = Buffer.concat(chunks).toString('utf8');
        const pay = /^\/pay\/([^/]+)$/.exec(url.pathname);
        if (pay && req.method === 'GET') {
          const s = standIn.sessions.get(pay[1]!);
          if (!s) return send(res, 404, 'text/plain', 'no such session');
          const amount = `${s.amount_total} ${String(s.currency).toUpperCase()}`;
          return send(
            res,
            200,
            'text/html; charset=utf-8',
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe stand-in checkout</title></head><body><h1>Test checkout</h1><p id="amount">${amount}</p><form method="post"><button type="submit">Pay ${amount}</button></form><form method="post" action="/cancel/${s.id}"><button type="submit">Cancel</button></form></body></html>`,
          );
        }
        const cancel = /^\/cancel\/([^/]+)$/.exec(url.pathname);
        if (cancel && req.method === 'POST') {
          const s = standIn.sessions.get(cancel[1]!);
          res.writeHead(303, { location: s?.cancel_url ?? '/' });
          return res.end();
        }
        if (pay && req.method === 'POST') {
          const done = standIn.completeSession(pay[1]!);
          const events = [stripeEvent('checkout.session.completed', done)];
          if (done.mode === 'subscription') events.push(stripeEvent('invoice.paid', standIn.paidInvoice(done, 1)));
          for (const e of events) {
            const payload = JSON.stringify(e);
            const r = await fetch(webhookUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'stripe-signature': await signStripePayload(payload, opts.webhookSecret) },
              body: payload,
            });
            delivered.push({ type: e.type, status: r.status });
          }
          res.writeHead(303, { location: String(done.success_url).replace('{CHECKOUT_SESSION_ID}', done.id) });
          return res.end();
        }
        const out = await standIn.handle(req.method ?? 'GET', url, body);
        return send(res, out.status, 'application/json', JSON.stringify(out.body));
      } catch (err) {
        send(res, 500, 'text/plain', String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const standIn = createStripeStandIn({ pageBase: url });
  return {
    url,
    standIn,
    delivered,
    setWebhookUrl(u: string) {
      webhookUrl = u;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
