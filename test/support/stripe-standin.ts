import Stripe from 'stripe';
import fixtures from '../../../shared/stripe/fixtures3.json';

/**
 * A local stand-in for the part of Stripe's API Sẻ Chia uses, answering with Stripe's own
 * sample objects (shared/stripe/fixtures3.json) adjusted to the request. No node: modules, so
 * the same stand-in serves in-process (a `fetch` given to the Stripe client, also in workerd)
 * and behind a local HTTP server (test/support/stripe-server.ts, for the browser test).
 */
type Obj = Record<string, any>;
const resources = (fixtures as unknown as { resources: Record<string, Obj> }).resources;
export const fixture = (name: string): Obj => structuredClone(resources[name]!);

export interface Recorded {
  method: string;
  path: string;
  params: URLSearchParams;
}

export interface Settlement {
  currency: string;
  amount: number;
  fee: number;
  net: number;
  exchange_rate: number | null;
}

let counter = 0;
const uid = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Fee rule of the stand-in: 3% rounded down; foreign charges settle in VND at a fixed rate. */
export function defaultSettlement(amount: number, currency: string): Settlement {
  const c = currency.toLowerCase();
  if (c === 'vnd') {
    const fee = Math.floor((amount * 3) / 100);
    return { currency: 'vnd', amount, fee, net: amount - fee, exchange_rate: null };
  }
  const rate = c === 'usd' ? 25_000 : c === 'eur' ? 27_000 : c === 'jpy' ? 165 : 1;
  const vnd = c === 'jpy' ? amount * rate : Math.round((amount * rate) / 100);
  const fee = Math.floor((vnd * 4) / 100);
  return { currency: 'vnd', amount: vnd, fee, net: vnd - fee, exchange_rate: c === 'jpy' ? rate : rate };
}

export function createStripeStandIn(opts: { pageBase?: string } = {}) {
  const requests: Recorded[] = [];
  const sessions = new Map<string, Obj>();
  /** payment intent id → its charge and balance transaction */
  const intents = new Map<string, { charge: Obj; bt: Obj; amount: number; currency: string }>();
  /** invoice id → payment intent id */
  const invoicePayments = new Map<string, string>();
  /** subscription id → its status ('active' until cancelled here) */
  const subscriptions = new Map<string, { status: 'active' | 'canceled'; metadata: Obj; customer: string }>();
  let failing = false;

  function registerPayment(amount: number, currency: string, settlement = defaultSettlement(amount, currency)) {
    const piId = uid('pi');
    const bt: Obj = { ...fixture('balance_transaction'), id: uid('txn'), ...settlement };
    const charge = { ...fixture('charge'), id: uid('ch'), amount, amount_captured: amount, currency: currency.toLowerCase(), payment_intent: piId, paid: true, captured: true, balance_transaction: bt.id };
    bt.source = charge.id;
    intents.set(piId, { charge, bt, amount, currency });
    return { paymentIntentId: piId, chargeId: charge.id as string };
  }

  async function handle(method: string, url: URL, body: string): Promise<{ status: number; body: unknown }> {
    const params = new URLSearchParams(method === 'GET' ? url.search : body);
    requests.push({ method, path: url.pathname, params });
    if (failing) return { status: 500, body: { error: { type: 'api_error', message: 'stand-in is failing on purpose' } } };
    const path = url.pathname;
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const s = fixture('checkout.session');
      const unit = Number(params.get('line_items[0][price_data][unit_amount]'));
      const qty = Number(params.get('line_items[0][quantity]') ?? '1');
      const metadata: Record<string, string> = {};
      for (const [k, v] of params) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      const id = uid('cs');
      Object.assign(s, {
        id,
        mode: params.get('mode'),
        amount_subtotal: unit * qty,
        amount_total: unit * qty,
        currency: params.get('line_items[0][price_data][currency]'),
        metadata,
        client_reference_id: params.get('client_reference_id'),
        customer_email: params.get('customer_email'),
        success_url: params.get('success_url'),
        cancel_url: params.get('cancel_url'),
        payment_status: 'unpaid',
        status: 'open',
        payment_intent: null,
        subscription: null,
        invoice: null,
        customer: null,
        url: `${opts.pageBase ?? 'https://checkout.stripe.test'}/pay/${id}`,
      });
      s.customer_details = { ...s.customer_details, email: params.get('customer_email') };
      sessions.set(id, s);
      return { status: 200, body: s };
    }
    let m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const s = sessions.get(m[1]!);
      return s ? { status: 200, body: s } : notFound('checkout.session');
    }
    m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const rec = intents.get(m[1]!);
      if (!rec) return notFound('payment_intent');
      const expand = params.getAll('expand[]').concat(params.getAll('expand[0]'));
      const charge = { ...rec.charge };
      if (expand.includes('latest_charge.balance_transaction')) charge.balance_transaction = rec.bt;
      const pi = { ...fixture('payment_intent'), id: m[1], amount: rec.amount, amount_received: rec.amount, currency: rec.currency.toLowerCase(), status: 'succeeded', latest_charge: expand.some((e) => e.startsWith('latest_charge')) ? charge : charge.id };
      return { status: 200, body: pi };
    }
    if (method === 'GET' && path === '/v1/invoice_payments') {
      const inv = params.get('invoice') ?? '';
      const pi = invoicePayments.get(inv);
      const data = pi ? [{ ...fixture('invoice_payment'), id: uid('inpay'), invoice: inv, status: 'paid', payment: { type: 'payment_intent', payment_intent: pi } }] : [];
      return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/invoice_payments' } };
    }
    m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const sub = subscriptions.get(m[1]!);
      return sub ? { status: 200, body: { ...fixture('subscription'), id: m[1], status: sub.status, customer: sub.customer, metadata: sub.metadata } } : notFound('subscription');
    }
    if (method === 'DELETE' && m) {
      const sub = subscriptions.get(m[1]!);
      if (!sub) return notFound('subscription');
      // Stripe refuses to cancel a subscription twice.
      if (sub.status === 'canceled') return { status: 400, body: { error: { type: 'invalid_request_error', message: `A canceled subscription can only update its cancellation_details and metadata.` } } };
      sub.status = 'canceled';
      const now = Math.floor(Date.now() / 1000);
      return { status: 200, body: { ...fixture('subscription'), id: m[1], status: 'canceled', customer: sub.customer, metadata: sub.metadata, canceled_at: now, ended_at: now } };
    }
    return notFound(path);
  }

  const notFound = (what: string) => ({ status: 404, body: { error: { type: 'invalid_request_error', message: `No such ${what}` } } });

  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const out = await handle(req.method, new URL(req.url), req.method === 'GET' ? '' : await req.text());
    return new Response(JSON.stringify(out.body), { status: out.status, headers: { 'content-type': 'application/json', 'request-id': uid('req') } });
  }) as typeof fetch;

  return {
    fetch: fetchImpl,
    handle,
    requests,
    sessions,
    intents,
    subscriptions,
    setFailing(v: boolean) {
      failing = v;
    },
    /** What Stripe's session looks like once paid (payment mode) or subscribed. */
    completeSession(id: string, opts: { paid?: boolean; settlement?: Settlement } = {}): Obj {
      const s = sessions.get(id);
      if (!s) throw new Error(`unknown session ${id}`);
      const done = structuredClone(s);
      done.status = 'complete';
      done.customer = uid('cus');
      if (done.mode === 'subscription') {
        done.subscription = uid('sub');
        done.payment_status = 'paid';
        subscriptions.set(done.subscription, { status: 'active', metadata: done.metadata, customer: done.customer });
      } else {
        const { paymentIntentId } = registerPayment(done.amount_total, done.currency, opts.settlement);
        done.payment_intent = paymentIntentId;
        done.payment_status = opts.paid === false ? 'unpaid' : 'paid';
      }
      sessions.set(id, done);
      return done;
    },
    /** An invoice of a subscription, paid, in the shape of the API version the SDK pins. */
    paidInvoice(session: Obj, n: number): Obj {
      const inv = fixture('invoice');
      const id = uid('in');
      const amount = session.amount_total as number;
      const { paymentIntentId } = registerPayment(amount, session.currency);
      invoicePayments.set(id, paymentIntentId);
      Object.assign(inv, {
        id,
        status: 'paid',
        paid: true,
        amount_due: amount,
        amount_paid: amount,
        amount_remaining: 0,
        currency: session.currency,
        customer: session.customer,
        billing_reason: n === 1 ? 'subscription_create' : 'subscription_cycle',
        status_transitions: { ...inv.status_transitions, paid_at: null },
        parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: session.subscription, metadata: session.metadata } },
      });
      inv.lines.data[0].amount = amount;
      inv.lines.data[0].currency = session.currency;
      return inv;
    },
    /** The charge after refunds (cumulative amount_refunded, refund list newest first). */
    refundedCharge(paymentIntentId: string, refunds: { id?: string; amount: number; created?: number }[], opts: { withList?: boolean } = {}): Obj {
      const rec = intents.get(paymentIntentId);
      if (!rec) throw new Error('unknown payment intent');
      const total = refunds.reduce((a, r) => a + r.amount, 0);
      const list = refunds
        .map((r, i) => ({ ...fixture('refund'), id: r.id ?? uid('re'), amount: r.amount, charge: rec.charge.id, currency: rec.currency.toLowerCase(), payment_intent: paymentIntentId, status: 'succeeded', created: r.created ?? 1_700_000_000 + i }))
        .reverse();
      return {
        ...rec.charge,
        amount_refunded: total,
        refunded: total >= rec.amount,
        refunds: opts.withList === false ? undefined : { object: 'list', data: list, has_more: false, url: `/v1/charges/${rec.charge.id}/refunds` },
      };
    },
  };
}

export type StripeStandIn = ReturnType<typeof createStripeStandIn>;

/** Answers HTTP requests as Stripe's API would, from the stand-in (for a local recording server). */
export const stripeApiResponder = (standIn: StripeStandIn) => async (req: { method: string; path: string; body: string }) => {
  const out = await standIn.handle(req.method, new URL(req.path, 'http://127.0.0.1'), req.body);
  return { status: out.status, body: out.body };
};

/** A Stripe event around `object`, from the sample event. */
export function stripeEvent(type: string, object: Obj, opts: { id?: string; created?: number; account?: string } = {}): Obj {
  const e = fixture('event');
  e.id = opts.id ?? uid('evt');
  e.type = type;
  e.created = opts.created ?? Math.floor(Date.now() / 1000);
  e.data = { object };
  e.api_version = '2026-10-28.endive';
  if (opts.account) e.account = opts.account;
  return e;
}

/** Signs a payload like Stripe does, with Web Crypto (works in workerd too). */
export async function signStripePayload(payload: string, secret: string, timestampSeconds?: number) {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    timestamp: timestampSeconds,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
}
