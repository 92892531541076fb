import { and, eq, getTableColumns, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { PgInsertSelectQueryBuilder } from 'drizzle-orm/pg-core';
import { checkoutSessions, donations, organisations, paymentEventsReview, stripeEvents } from '../db/schema';
import type { Db } from '../db/types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/log';
import type { Payments } from '../payments/stripe';
import { METADATA } from './checkout';
import { applySettlement, recordDonation, recordRefund, refundedTotal } from './donations';
import { fromStripeAmount } from './money';
import { isUuid } from '../lib/ids';

export interface WebhookDeps {
  payments: Payments | null;
  clock: Clock;
  logger: Logger;
  appUrl: string;
  /** The Stripe account the app belongs to; events for another account go to review. */
  accountId?: string;
}

export type EventOutcome = 'pending' | 'processed' | 'ignored' | 'review';

export type WebhookOutcome =
  | { status: 400 | 503; error: string }
  | { status: 200; eventId: string; duplicate: boolean; outcome: EventOutcome };

/** Signature tolerance: Stripe's default, 5 minutes. Older (replayed) deliveries are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies one delivery and stores the event in the inbox (`stripe_events`, outcome 'pending').
 * That single insert is all Stripe waits for; applying the event (processStripeEvent) happens
 * after the response, from the inbox. The signature is checked with node:crypto's HMAC (Node,
 * and workerd through nodejs_compat; src/payments/stripe.ts); nothing is stored for a bad
 * signature or a stale timestamp.
 */
export async function handleStripeWebhook(db: Db, deps: WebhookDeps, rawBody: string, signature: string | undefined): Promise<WebhookOutcome> {
  const p = deps.payments;
  if (!p || !p.webhookSecret) return { status: 503, error: 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).' };
  if (!signature) return { status: 400, error: 'Missing Stripe-Signature header.' };
  let event: Stripe.Event;
  try {
    event = await p.stripe.webhooks.constructEventAsync(rawBody, signature, p.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, p.cryptoProvider, deps.clock.now().getTime());
  } catch (err) {
    const stale = err instanceof Error && /tolerance/i.test(err.message);
    deps.logger.warn('stripe.webhook_rejected', { reason: stale ? 'stale_timestamp' : 'bad_signature' });
    return { status: 400, error: stale ? 'The signature timestamp is outside the tolerance window.' : 'The Stripe signature does not match.' };
  }
  const stored = await ingestStripeEvent(db, deps, event, rawBody);
  return { status: 200, eventId: event.id, ...stored };
}

type StoredEvent = { duplicate: boolean; outcome: EventOutcome };
interface WaitingEvent {
  id: string;
  /** The inbox row as one JSON object (see ingestRecord). */
  record: string;
  resolve: (r: StoredEvent) => void;
  reject: (err: unknown) => void;
}

/** At most this many events per insert, and this many inserts on their way at once per handle. */
const INGEST_BATCH = 100;
const INGEST_FLIGHTS = 2;
interface IngestQueue {
  waiting: WaitingEvent[];
  flights: number;
  /** A flush is due at the end of this turn of the event loop. */
  scheduled: boolean;
  /** When the last two deliveries on this handle were stored (ms), for drainers that yield to a burst. */
  lastStoredAt: number;
  previousStoredAt: number;
}
const ingestQueues = new WeakMap<Db, IngestQueue>();

/**
 * Stores a verified event once (its id is the primary key). A redelivery of an event that is
 * still pending reports it as such, so the caller can try to apply it again.
 *
 * Group commit: deliveries that arrive on the same database handle in one turn of the event loop,
 * or while inserts are on their way, go together in the next insert (one statement, one round
 * trip, one commit), so a burst costs a few inserts instead of one each; a lone delivery waits
 * only for the end of its turn. Each delivery is answered only after its own row is committed,
 * and if that insert fails every delivery in it fails (5xx: Stripe delivers them again) —
 * nothing is half stored. On Workers each request has its own handle, so there it is simply one
 * insert.
 */
export function ingestStripeEvent(db: Db, deps: { clock: Clock }, event: Stripe.Event, rawBody?: string): Promise<StoredEvent> {
  const record = ingestRecord(event, deps.clock.now(), rawBody);
  return new Promise<StoredEvent>((resolve, reject) => {
    let q = ingestQueues.get(db);
    if (!q) ingestQueues.set(db, (q = { waiting: [], flights: 0, scheduled: false, lastStoredAt: 0, previousStoredAt: 0 }));
    q.waiting.push({ id: event.id, record, resolve, reject });
    scheduleIngest(db, q);
  });
}

/**
 * The end of this turn of the event loop (Node's setImmediate runs after the I/O callbacks of the
 * turn), so the deliveries whose bodies arrived together are stored together: in the lab, 1.8 → 3
 * events an insert at 8 clients, PostgreSQL's CPU an event down by about 30%. Where there is no
 * setImmediate (Workers: a handle per request, nothing to gather), at once.
 */
const endOfTurn: (run: () => void) => void = typeof setImmediate === 'function' ? (run) => void setImmediate(run) : (run) => run();

function scheduleIngest(db: Db, q: IngestQueue) {
  if (q.scheduled || q.flights >= INGEST_FLIGHTS) return;
  q.scheduled = true;
  endOfTurn(() => {
    q.scheduled = false;
    // A flight that returned in the meantime took the waiting deliveries with it.
    if (q.waiting.length && q.flights < INGEST_FLIGHTS) void flushIngests(db, q);
  });
}

async function flushIngests(db: Db, q: IngestQueue) {
  q.flights++;
  try {
    while (q.waiting.length) {
      const batch = q.waiting.splice(0, INGEST_BATCH);
      try {
        const results = await storeEvents(db, batch);
        const at = Date.now();
        q.previousStoredAt = batch.length > 1 ? at : q.lastStoredAt;
        q.lastStoredAt = at;
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    q.flights--;
  }
}

/**
 * The inbox row of one event as a JSON object, its `payload` the body Stripe signed as it came
 * (byte for byte, not re-serialised): that body is the event's JSON, already parsed once by the
 * signature check, so it is a valid JSON value and is spliced in as text.
 */
function ingestRecord(event: Stripe.Event, receivedAt: Date, rawBody: string | undefined): string {
  const fields = JSON.stringify({
    id: event.id,
    type: event.type,
    account: event.account ?? null,
    livemode: event.livemode,
    created: event.created,
    received_at: receivedAt.toISOString(),
  });
  return `${fields.slice(0, -1)},"payload":${rawBody ?? JSON.stringify(event)}}`;
}

/**
 * The inbox insert, prepared once per database handle: the batch's rows go as one JSON array
 * (json_to_recordset), so the statement's text is the same for any batch and PostgreSQL parses
 * and plans it once per connection (a named statement) instead of once per insert. In the lab
 * (batches of 3 events of 3.7 KB, 2 clients) this halved PostgreSQL's CPU per stored event
 * (~170 → ~95 µs) and took the server's share from ~170–290 to ~50–100 µs against drizzle
 * building a multi-row insert each time (bench/NOTES.md, 2026-12-07 sixth).
 */
const ingestInserts = new WeakMap<Db, ReturnType<typeof prepareIngestInsert>>();
function prepareIngestInsert(db: Db) {
  const x = sql`x`;
  return db
    .insert(stripeEvents)
    .select((qb) =>
      qb
        .select({
          id: sql<string>`${x}.id`,
          type: sql<string>`${x}.type`,
          account: sql<string | null>`${x}.account`,
          livemode: sql<boolean>`${x}.livemode`,
          stripeCreatedAt: sql<Date>`to_timestamp(${x}.created)`,
          receivedAt: sql<Date>`${x}.received_at`,
          outcome: sql<'pending'>`'pending'`,
          orgId: sql<string | null>`null::uuid`,
          detail: sql<string | null>`null::text`,
          payload: sql<Record<string, unknown>>`${x}.payload`,
          attempts: sql<number>`0`,
          lastError: sql<string | null>`null::text`,
          processedAt: sql<Date | null>`null::timestamptz`,
        })
        .from(
          sql`json_to_recordset(${sql.placeholder('rows')}::json) as ${x}(id text, type text, account text, livemode boolean, created bigint, received_at timestamptz, payload json)`,
        ) as unknown as PgInsertSelectQueryBuilder<typeof stripeEvents>,
      // (drizzle's types do not take a select from a table function; at run time it still checks
      // that the fields are the table's columns, in order)
    )
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id })
    .prepare('stripe_events_ingest');
}

/** One insert for the batch; an id seen before (or twice in the batch) is a duplicate. */
async function storeEvents(db: Db, rows: { id: string; record: string }[]): Promise<StoredEvent[]> {
  const firstOf = new Map<string, number>();
  rows.forEach((r, i) => firstOf.has(r.id) || firstOf.set(r.id, i));
  let insert = ingestInserts.get(db);
  if (!insert) ingestInserts.set(db, (insert = prepareIngestInsert(db)));
  const records = `[${[...firstOf.values()].map((i) => rows[i]!.record).join(',')}]`;
  const inserted = new Set((await insert.execute({ rows: records })).map((r) => r.id));
  const earlier = [...firstOf.keys()].filter((id) => !inserted.has(id));
  const outcomes = new Map<string, EventOutcome>();
  if (earlier.length) {
    for (const r of await db.select({ id: stripeEvents.id, outcome: stripeEvents.outcome }).from(stripeEvents).where(inArray(stripeEvents.id, earlier))) {
      outcomes.set(r.id, r.outcome);
    }
  }
  return rows.map((r, i) =>
    inserted.has(r.id)
      ? firstOf.get(r.id) === i
        ? { duplicate: false, outcome: 'pending' as const }
        : { duplicate: true, outcome: 'pending' as const }
      : { duplicate: true, outcome: outcomes.get(r.id) ?? 'pending' },
  );
}

interface Ctx {
  tx: Db;
  deps: WebhookDeps;
  event: Stripe.Event;
  donationIds: string[];
  orgId: string | null;
}

class Review {
  constructor(
    readonly reason: string,
    readonly orgId: string | null = null,
  ) {}
}

export interface ProcessResult {
  /** False when the event was not pending (already applied) or another worker holds it. */
  applied: boolean;
  outcome: EventOutcome;
  donationIds: string[];
}

/**
 * Applies one pending event from the inbox, exactly once. Everything happens in one
 * transaction that starts by locking the event's row while it is still 'pending' (SKIP LOCKED:
 * a concurrent processor moves on), and ends by marking it applied. If anything fails, the
 * whole transaction rolls back — no partial rows — and the event stays pending, its attempt
 * counted, for the next delivery or the scheduled run. Different events about the same payment
 * are kept apart by the payment's own unique identity (checkout session, invoice, refund id).
 */
export function processStripeEvent(db: Db, deps: WebhookDeps, eventId: string): Promise<ProcessResult> {
  return processClaimed(db, deps, (tx) =>
    tx
      .select({ id: stripeEvents.id, payload: stripeEvents.payload })
      .from(stripeEvents)
      .where(and(eq(stripeEvents.id, eventId), eq(stripeEvents.outcome, 'pending')))
      .for('update', { skipLocked: true }),
  );
}

/**
 * Applies the oldest pending event that no other transaction holds and that is not in `skip`
 * (SKIP LOCKED in the claim itself: drainers side by side, in one process or in many Worker
 * requests, each take a different event and none opens a transaction for an event another is
 * applying). `onClaim` hears the event's id as soon as it is claimed, before it is applied, so a
 * drain can skip it afterwards even if applying it fails; not hearing it means no event was left.
 */
function processNextStripeEvent(db: Db, deps: WebhookDeps, skip: ReadonlySet<string>, onClaim: (eventId: string) => void): Promise<ProcessResult> {
  return processClaimed(
    db,
    deps,
    (tx) =>
      tx
        .select({ id: stripeEvents.id, payload: stripeEvents.payload })
        .from(stripeEvents)
        .where(and(eq(stripeEvents.outcome, 'pending'), skip.size ? notInArray(stripeEvents.id, [...skip]) : undefined))
        .orderBy(stripeEvents.receivedAt, stripeEvents.stripeCreatedAt)
        .limit(1)
        .for('update', { skipLocked: true }),
    onClaim,
  );
}

type Claim = (tx: Db) => Promise<{ id: string; payload: Record<string, unknown> | null }[]>;

/** The transaction that applies one event: `claim` locks its row while it is still pending. */
async function processClaimed(db: Db, deps: WebhookDeps, claim: Claim, onClaim?: (eventId: string) => void): Promise<ProcessResult> {
  const now = deps.clock.now();
  let eventId: string | null = null;
  let result: ProcessResult;
  try {
    result = await db.transaction(async (txx) => {
      const tx = txx as unknown as Db;
      const [row] = await claim(tx);
      if (row) {
        eventId = row.id;
        onClaim?.(row.id);
      }
      if (!row?.payload) return { applied: false, outcome: 'processed' as EventOutcome, donationIds: [] as string[] };
      const event = row.payload as unknown as Stripe.Event;
      const ctx: Ctx = { tx, deps, event, donationIds: [], orgId: null };
      let outcome: EventOutcome = 'processed';
      let detail: string | null = null;
      try {
        if (event.account && event.account !== deps.accountId) throw new Review('another_account');
        const handled = await dispatch(ctx);
        if (!handled) outcome = 'ignored';
      } catch (err) {
        if (!(err instanceof Review)) throw err;
        outcome = 'review';
        detail = err.reason;
        ctx.orgId = err.orgId ?? ctx.orgId;
        await tx
          .insert(paymentEventsReview)
          .values({ orgId: ctx.orgId, eventId: event.id, eventType: event.type, reason: err.reason, payload: row.payload })
          .onConflictDoNothing();
      }
      await tx.update(stripeEvents).set({ outcome, orgId: ctx.orgId, detail, processedAt: now }).where(eq(stripeEvents.id, event.id));
      return { applied: true, outcome, donationIds: ctx.donationIds };
    });
  } catch (err) {
    // Rolled back whole; count the attempt outside the failed transaction (best effort).
    const name = err instanceof Error ? err.name : 'unknown';
    if (eventId) await recordFailedAttempt(db, eventId, name).catch(() => {});
    deps.logger.warn('stripe.event_failed', { eventId, error: name });
    throw err;
  }
  if (result.applied) deps.logger.info('stripe.webhook', { eventId, outcome: result.outcome, donations: result.donationIds.length });
  return result;
}

/** After this many failed attempts an event leaves the inbox for the staff review queue. */
export const MAX_EVENT_ATTEMPTS = 8;

async function recordFailedAttempt(db: Db, eventId: string, error: string) {
  const [row] = await db
    .update(stripeEvents)
    .set({
      attempts: sql`${stripeEvents.attempts} + 1`,
      lastError: error,
      outcome: sql`case when ${stripeEvents.attempts} + 1 >= ${MAX_EVENT_ATTEMPTS} then 'review' else 'pending' end`,
    })
    .where(and(eq(stripeEvents.id, eventId), eq(stripeEvents.outcome, 'pending')))
    .returning({ outcome: stripeEvents.outcome, type: stripeEvents.type, payload: stripeEvents.payload, attempts: stripeEvents.attempts });
  if (row?.outcome === 'review') {
    // Ours when the object carries our organisation's id (checkout metadata); else unplaced.
    const object = (row.payload?.data as { object?: { metadata?: Record<string, string> | null } } | undefined)?.object;
    const claimed = object?.metadata?.[METADATA.org];
    const [org] = isUuid(claimed) ? await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, claimed)) : [];
    await db
      .insert(paymentEventsReview)
      .values({ orgId: org?.id ?? null, eventId, eventType: row.type, reason: `processing_failed_${row.attempts}_times`, payload: row.payload ?? {} })
      .onConflictDoNothing();
  }
}

/** Stores and applies an event in one call (seeding, tests): the inbox path without HTTP. */
export async function applyStripeEvent(db: Db, deps: WebhookDeps, event: Stripe.Event) {
  const stored = await ingestStripeEvent(db, deps, event);
  if (stored.outcome !== 'pending') return { ...stored, donationIds: [] as string[] };
  const r = await processStripeEvent(db, deps, event.id);
  return { duplicate: stored.duplicate, outcome: r.outcome, donationIds: r.donationIds };
}

export interface DrainDeps extends WebhookDeps {
  /** Called after each applied event that recorded donations (settlement look-up, mail). */
  afterApplied?: (donationIds: string[]) => Promise<void>;
}

/**
 * Deliveries count as a burst while one is being stored or two were stored this recently: a lone
 * delivery (a donor waiting on the thank-you page) is applied at once.
 */
const BURST_GAP_MS = 50;
/** A drainer yields to a burst for at most this long, then applies for as long without yielding. */
export const YIELD_TO_DELIVERIES_MS = 1000;

function deliveriesArriving(db: Db) {
  const q = ingestQueues.get(db);
  return !!q && (q.flights > 0 || q.waiting.length > 0 || Date.now() - q.previousStoredAt < BURST_GAP_MS);
}

/**
 * Stripe waits for the answer to each delivery, not for the event to be applied; on a Node
 * server the drainers share the process (and here the machine) with the deliveries. So during
 * a burst of deliveries on the same handle a drainer waits, applying nothing, and catches up when
 * the burst is over. Never for long: after YIELD_TO_DELIVERIES_MS of waiting it applies for as
 * long again without waiting, so under sustained deliveries applying still gets half the time.
 * On Workers each request has its own handle, so no drainer ever waits there.
 */
function deliveryYielder(db: Db) {
  let applyUntil = 0;
  return async () => {
    if (Date.now() < applyUntil || !deliveriesArriving(db)) return;
    const started = Date.now();
    while (deliveriesArriving(db)) {
      if (Date.now() - started >= YIELD_TO_DELIVERIES_MS) {
        applyUntil = Date.now() + YIELD_TO_DELIVERIES_MS;
        return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
}

/**
 * Applies pending events, oldest first (a payment before a later refund of it; a refund that
 * still comes first is parked and applied with its payment), until none is left or `limit` were
 * tried: then `more` says that some may remain. Each event is tried once per drain: one failing
 * event does not stop the others, and stays pending for the next run.
 */
export async function drainStripeInbox(db: Db, deps: DrainDeps, opts: { limit?: number } = {}) {
  const limit = opts.limit ?? 500;
  let applied = 0;
  let failed = 0;
  let more = false;
  const tried = new Set<string>();
  const yieldToDeliveries = deliveryYielder(db);
  while (true) {
    if (tried.size >= limit) {
      more = true;
      break;
    }
    await yieldToDeliveries();
    const before = tried.size;
    try {
      const r = await processNextStripeEvent(db, deps, tried, (id) => tried.add(id));
      // Nothing claimed: every pending event is tried already or held by another transaction.
      if (tried.size === before) break;
      if (!r.applied) continue;
      applied++;
      if (r.donationIds.length) await deps.afterApplied?.(r.donationIds);
    } catch (err) {
      // Nothing was claimed (the claim itself failed, e.g. the database is away): the drain fails
      // as a whole, as listing the pending events did; the next delivery or run starts again.
      if (tried.size === before) throw err;
      failed++;
    }
  }
  return { applied, failed, more };
}

/**
 * A few drainers at a time per database handle: a long-lived Node pool has one set, and a
 * request that arrives while they run only asks them to look again. On Workers every request
 * has its own handle, so each drains (SKIP LOCKED keeps them all apart).
 */
export const INBOX_DRAINERS = 3;
const draining = new WeakMap<object, { again: boolean; loops: Map<object, Promise<unknown>> }>();

export function kickStripeInbox(db: Db, deps: DrainDeps, opts: { limit?: number } = {}): Promise<unknown> {
  let state = draining.get(db);
  if (!state) {
    state = { again: false, loops: new Map() };
    draining.set(db, state);
  }
  const s = state;
  s.again = true;
  if (s.loops.size < INBOX_DRAINERS) {
    const key = {};
    s.loops.set(
      key,
      (async () => {
        try {
          while (s.again) {
            s.again = false;
            // A backlog larger than one drain's limit is worked off now, not at the next cron run.
            if ((await drainStripeInbox(db, deps, opts)).more) s.again = true;
          }
        } finally {
          s.loops.delete(key);
          if (s.loops.size === 0) draining.delete(db);
        }
      })(),
    );
  }
  return Promise.all([...s.loops.values()]);
}

async function dispatch(ctx: Ctx): Promise<boolean> {
  const { event } = ctx;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      await onSessionPaidOrCompleted(ctx, event.data.object as Stripe.Checkout.Session);
      return true;
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      await onSessionFailed(ctx, event.data.object as Stripe.Checkout.Session, event.type === 'checkout.session.expired' ? 'expired' : 'failed');
      return true;
    case 'invoice.paid':
      await onInvoicePaid(ctx, event.data.object as Stripe.Invoice);
      return true;
    case 'charge.refunded':
      await onChargeRefunded(ctx, event.data.object as Stripe.Charge);
      return true;
    case 'customer.subscription.deleted':
      await onSubscriptionDeleted(ctx, event.data.object as Stripe.Subscription);
      return true;
    default:
      return false;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOf = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : null);

/** Finds (and locks) the checkout row a session or subscription belongs to. */
async function findCheckout(ctx: Ctx, ref: { metadata?: Record<string, string> | null; clientReferenceId?: string | null; sessionId?: string | null; subscriptionId?: string | null }) {
  const candidates = [ref.metadata?.[METADATA.checkout], ref.clientReferenceId].filter((v): v is string => !!v && UUID.test(v));
  let id: string | null = candidates[0] ?? null;
  if (!id && ref.sessionId) {
    const [r] = await ctx.tx.select({ id: checkoutSessions.id }).from(checkoutSessions).where(eq(checkoutSessions.stripeSessionId, ref.sessionId));
    id = r?.id ?? null;
  }
  if (!id && ref.subscriptionId) {
    const [r] = await ctx.tx.select({ id: checkoutSessions.id }).from(checkoutSessions).where(eq(checkoutSessions.stripeSubscriptionId, ref.subscriptionId));
    id = r?.id ?? null;
  }
  if (!id) return null;
  const [row] = await ctx.tx.select().from(checkoutSessions).where(eq(checkoutSessions.id, id)).for('update');
  if (!row) return null;
  const claimedOrg = ref.metadata?.[METADATA.org];
  if (claimedOrg && claimedOrg !== row.orgId) throw new Review('organisation_mismatch', row.orgId);
  if (ref.sessionId && row.stripeSessionId && row.stripeSessionId !== ref.sessionId) throw new Review('session_mismatch', row.orgId);
  ctx.orgId = row.orgId;
  return row;
}

async function onSessionPaidOrCompleted(ctx: Ctx, s: Stripe.Checkout.Session) {
  const row = await findCheckout(ctx, { metadata: s.metadata, clientReferenceId: s.client_reference_id, sessionId: s.id });
  if (!row) throw new Review('unknown_session');
  const subscriptionId = idOf(s.subscription);
  const customerId = idOf(s.customer);
  const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
  const now = ctx.deps.clock.now();
  if (s.mode === 'subscription') {
    // Monthly gifts are recorded from invoice.paid (one per month, the first one included).
    await ctx.tx
      .update(checkoutSessions)
      .set({ status: 'completed', completedAt: row.completedAt ?? now, stripeSessionId: row.stripeSessionId ?? s.id, stripeSubscriptionId: subscriptionId ?? row.stripeSubscriptionId, stripeCustomerId: customerId ?? row.stripeCustomerId })
      .where(eq(checkoutSessions.id, row.id));
    return;
  }
  if (!paid) {
    if (row.status !== 'completed') {
      await ctx.tx
        .update(checkoutSessions)
        .set({ status: 'awaiting_payment', stripeSessionId: row.stripeSessionId ?? s.id, stripeCustomerId: customerId ?? row.stripeCustomerId })
        .where(eq(checkoutSessions.id, row.id));
    }
    return;
  }
  if (s.amount_total === null || !s.currency) throw new Review('session_without_amount', row.orgId);
  const currency = s.currency.toUpperCase();
  const amount = fromStripeAmount(s.amount_total, currency);
  const { donation, created } = await recordDonation(
    ctx.tx,
    {
      orgId: row.orgId,
      donorId: row.donorId,
      campaignId: row.campaignId,
      fundId: row.fundId,
      channel: 'stripe',
      amountMinor: amount,
      currency,
      receivedAt: new Date(ctx.event.created * 1000),
      quantity: row.quantity,
      purpose: row.purpose,
      anonymous: row.anonymous,
      checkoutId: row.id,
      stripeCheckoutSessionId: s.id,
      stripePaymentIntentId: idOf(s.payment_intent),
      settlementStatus: 'pending',
    },
    { appUrl: ctx.deps.appUrl },
  );
  await ctx.tx
    .update(checkoutSessions)
    .set({ status: 'completed', completedAt: row.completedAt ?? now, stripeSessionId: row.stripeSessionId ?? s.id, stripeCustomerId: customerId ?? row.stripeCustomerId })
    .where(eq(checkoutSessions.id, row.id));
  if (created) {
    ctx.donationIds.push(donation.id);
    await applyParkedRefunds(ctx, idOf(s.payment_intent));
  }
}

/**
 * A refund can reach us before the payment it refunds (Stripe does not order events). Such a
 * refund is parked for review as 'unknown_payment'; once the donation exists it is applied in
 * the same transaction, so the final state equals the one in-order delivery gives.
 */
async function applyParkedRefunds(ctx: Ctx, paymentIntentId: string | null) {
  if (!paymentIntentId) return;
  const parked = await ctx.tx
    .select()
    .from(paymentEventsReview)
    .where(
      and(
        eq(paymentEventsReview.status, 'open'),
        eq(paymentEventsReview.eventType, 'charge.refunded'),
        eq(paymentEventsReview.reason, 'unknown_payment'),
        sql`${paymentEventsReview.payload} #>> '{data,object,payment_intent}' = ${paymentIntentId}`,
      ),
    )
    .orderBy(paymentEventsReview.createdAt)
    .for('update');
  for (const row of parked) {
    const event = row.payload as unknown as Stripe.Event;
    await onChargeRefunded({ ...ctx, event }, event.data.object as Stripe.Charge);
    const now = ctx.deps.clock.now();
    await ctx.tx.update(paymentEventsReview).set({ status: 'resolved', resolvedAt: now }).where(eq(paymentEventsReview.id, row.id));
    await ctx.tx.update(stripeEvents).set({ outcome: 'processed', orgId: ctx.orgId, detail: 'applied after its payment arrived' }).where(eq(stripeEvents.id, event.id));
  }
}

async function onSessionFailed(ctx: Ctx, s: Stripe.Checkout.Session, status: 'failed' | 'expired') {
  const row = await findCheckout(ctx, { metadata: s.metadata, clientReferenceId: s.client_reference_id, sessionId: s.id });
  if (!row) throw new Review('unknown_session');
  // A session that completed stays completed, whatever order the events arrive in.
  await ctx.tx
    .update(checkoutSessions)
    .set({ status, failureReason: status })
    .where(and(eq(checkoutSessions.id, row.id), sql`${checkoutSessions.status} <> 'completed'`));
}

function invoiceSubscription(inv: Stripe.Invoice): { subscriptionId: string | null; metadata: Record<string, string> | null } {
  const anyInv = inv as unknown as {
    parent?: { subscription_details?: { subscription?: unknown; metadata?: Record<string, string> | null } | null } | null;
    subscription?: unknown;
    subscription_details?: { metadata?: Record<string, string> | null } | null;
  };
  const details = anyInv.parent?.subscription_details;
  const line = inv.lines?.data?.[0] as unknown as { metadata?: Record<string, string> } | undefined;
  const metadata = [details?.metadata, anyInv.subscription_details?.metadata, line?.metadata].find((m) => m && Object.keys(m).length > 0) ?? null;
  return { subscriptionId: idOf(details?.subscription) ?? idOf(anyInv.subscription), metadata };
}

async function onInvoicePaid(ctx: Ctx, inv: Stripe.Invoice) {
  const { subscriptionId, metadata } = invoiceSubscription(inv);
  const row = await findCheckout(ctx, { metadata, subscriptionId });
  if (!row) throw new Review('unknown_invoice');
  if (!inv.id) throw new Review('invoice_without_id', row.orgId);
  if (!inv.amount_paid || inv.amount_paid <= 0) return;
  const currency = inv.currency.toUpperCase();
  const paidAt = inv.status_transitions?.paid_at ?? ctx.event.created;
  const { donation, created } = await recordDonation(
    ctx.tx,
    {
      orgId: row.orgId,
      donorId: row.donorId,
      campaignId: row.campaignId,
      fundId: row.fundId,
      channel: 'stripe',
      amountMinor: fromStripeAmount(inv.amount_paid, currency),
      currency,
      receivedAt: new Date(paidAt * 1000),
      recurring: true,
      quantity: row.quantity,
      purpose: row.purpose,
      anonymous: row.anonymous,
      checkoutId: row.id,
      stripeInvoiceId: inv.id,
      stripeSubscriptionId: subscriptionId,
      settlementStatus: 'pending',
    },
    { appUrl: ctx.deps.appUrl },
  );
  if (subscriptionId && !row.stripeSubscriptionId) {
    await ctx.tx.update(checkoutSessions).set({ stripeSubscriptionId: subscriptionId }).where(eq(checkoutSessions.id, row.id));
  }
  if (created) ctx.donationIds.push(donation.id);
}

async function onChargeRefunded(ctx: Ctx, ch: Stripe.Charge) {
  const pi = idOf(ch.payment_intent);
  const [d] = await ctx.tx
    .select()
    .from(donations)
    .where(pi ? sql`${donations.stripeChargeId} = ${ch.id} or ${donations.stripePaymentIntentId} = ${pi}` : eq(donations.stripeChargeId, ch.id))
    .limit(1);
  if (!d) throw new Review('unknown_payment');
  ctx.orgId = d.orgId;
  // Lock the donation first: refunds of one charge are applied one transaction at a time.
  await ctx.tx.execute(sql`select id from donations where id = ${d.id} for update`);
  if (!d.stripeChargeId) await ctx.tx.update(donations).set({ stripeChargeId: ch.id }).where(and(eq(donations.id, d.id), isNull(donations.stripeChargeId)));
  const currency = ch.currency.toUpperCase();
  if (currency !== d.currency) throw new Review('refund_currency_differs', d.orgId);
  const list = ch.refunds?.data;
  const appUrl = ctx.deps.appUrl;
  if (list && !ch.refunds?.has_more) {
    // Oldest first, so receipts follow the order the donor saw.
    for (const r of [...list].sort((a, b) => a.created - b.created)) {
      if (r.status === 'failed' || r.status === 'canceled') continue;
      const amount = fromStripeAmount(r.amount, currency);
      const before = await refundedTotal(ctx.tx, d.id);
      if (before + amount > d.amountMinor) continue;
      await recordRefund(ctx.tx, { orgId: d.orgId, donationId: d.id, amountMinor: amount, stripeRefundId: r.id, reason: r.reason ?? null, refundedAt: new Date(r.created * 1000) }, { appUrl });
    }
    return;
  }
  // Without the refund list, the cumulative amount_refunded tells what is still unrecorded.
  const cumulative = fromStripeAmount(ch.amount_refunded, currency);
  const before = await refundedTotal(ctx.tx, d.id);
  if (cumulative > before) {
    await recordRefund(
      ctx.tx,
      { orgId: d.orgId, donationId: d.id, amountMinor: cumulative - before, stripeRefundId: `${ch.id}:refunded:${cumulative}`, refundedAt: new Date(ctx.event.created * 1000) },
      { appUrl },
    );
  }
}

async function onSubscriptionDeleted(ctx: Ctx, sub: Stripe.Subscription) {
  const row = await findCheckout(ctx, { metadata: sub.metadata, subscriptionId: sub.id });
  if (!row) throw new Review('unknown_subscription');
  const endedAt = sub.ended_at ?? sub.canceled_at ?? ctx.event.created;
  await ctx.tx
    .update(checkoutSessions)
    .set({ subscriptionEndedAt: new Date(endedAt * 1000), stripeSubscriptionId: row.stripeSubscriptionId ?? sub.id })
    .where(and(eq(checkoutSessions.id, row.id), isNull(checkoutSessions.subscriptionEndedAt)));
}

export const MAX_SETTLEMENT_ATTEMPTS = 8;

/**
 * Asks Stripe what the charge settled at (balance transaction: fee, net, exchange rate) and
 * records it. Runs after the webhook's transaction (never inside it: the webhook must not
 * depend on an outbound call), and again from the scheduled job while it is pending.
 */
export async function settleStripeDonation(db: Db, deps: { payments: Payments | null; clock: Clock; logger: Logger }, donationId: string): Promise<'settled' | 'pending' | 'unavailable' | 'skipped'> {
  const [d] = await db
    .select({ ...getTableColumns(donations), baseCurrency: organisations.baseCurrency })
    .from(donations)
    .innerJoin(organisations, eq(organisations.id, donations.orgId))
    .where(eq(donations.id, donationId));
  if (!d || d.settlementStatus !== 'pending' || !deps.payments) return 'skipped';
  const stripe = deps.payments.stripe;
  try {
    let piId = d.stripePaymentIntentId;
    if (!piId && d.stripeInvoiceId) {
      const payments = await stripe.invoicePayments.list({ invoice: d.stripeInvoiceId, limit: 3 });
      const paid = payments.data.find((p) => p.status === 'paid') ?? payments.data[0];
      piId = idOf(paid?.payment?.payment_intent);
    }
    if (!piId) throw new Error('no payment intent to look up');
    const pi = await stripe.paymentIntents.retrieve(piId, { expand: ['latest_charge.balance_transaction'] });
    const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    const bt = charge?.balance_transaction && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
    if (!charge || !bt) throw new Error('balance transaction not available yet');
    const currency = bt.currency.toUpperCase();
    await applySettlement(
      db,
      d.id,
      {
        currency,
        amountMinor: fromStripeAmount(bt.amount, currency),
        feeMinor: fromStripeAmount(bt.fee, currency),
        netMinor: fromStripeAmount(bt.net, currency),
        exchangeRate: bt.exchange_rate === null || bt.exchange_rate === undefined ? null : String(bt.exchange_rate),
        baseCurrency: d.baseCurrency ?? 'VND',
        // Learnt here when the event did not carry them (invoices); stored with the settlement.
        stripePaymentIntentId: d.stripePaymentIntentId ? undefined : pi.id,
        stripeChargeId: d.stripeChargeId ? undefined : charge.id,
      },
      deps.clock.now(),
    );
    return 'settled';
  } catch (err) {
    const [u] = await db
      .update(donations)
      .set({
        settlementAttempts: sql`${donations.settlementAttempts} + 1`,
        settlementStatus: sql`case when ${donations.settlementAttempts} + 1 >= ${MAX_SETTLEMENT_ATTEMPTS} then 'unavailable' else 'pending' end`,
      })
      .where(and(eq(donations.id, d.id), eq(donations.settlementStatus, 'pending')))
      .returning({ status: donations.settlementStatus });
    deps.logger.warn('stripe.settlement_deferred', { donationId: d.id, error: err instanceof Error ? err.name : 'unknown' });
    return u?.status === 'unavailable' ? 'unavailable' : 'pending';
  }
}

/** The scheduled retry of settlement look-ups that failed or were not yet possible. */
export async function settlePendingDonations(db: Db, deps: { payments: Payments | null; clock: Clock; logger: Logger }, limit = 20) {
  if (!deps.payments) return { settled: 0 };
  const pending = await db.select({ id: donations.id }).from(donations).where(eq(donations.settlementStatus, 'pending')).limit(limit);
  let settled = 0;
  for (const p of pending) if ((await settleStripeDonation(db, deps, p.id)) === 'settled') settled++;
  return { settled };
}
