import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt, money } from './columns';
import { organisations, users } from './core';


export const DONOR_KINDS = ['person', 'group', 'organisation'] as const;
export type DonorKind = (typeof DONOR_KINDS)[number];

/**
 * People, groups (e.g. civil servants who pool money) and organisations that give. A merged
 * donor keeps its row (merged_into_id) so links and history never dangle.
 */
export const donors = pgTable(
  'donors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    kind: text('kind').$type<DonorKind>().notNull().default('person'),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** Digits only, Vietnamese mobile numbers in national form (0…), for duplicate detection. */
    phoneKey: text('phone_key'),
    /** Lower case, no diacritics, single spaces. */
    nameKey: text('name_key').notNull(),
    locale: text('locale').$type<'vi' | 'en'>().notNull().default('vi'),
    emailConsent: boolean('email_consent').notNull().default(false),
    anonymous: boolean('anonymous').notNull().default(false),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    country: text('country'),
    notes: text('notes'),
    stripeCustomerId: text('stripe_customer_id'),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => donors.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('donors_org_email_idx').on(t.orgId, sql`lower(${t.email})`),
    index('donors_org_phone_idx').on(t.orgId, t.phoneKey),
    index('donors_org_name_idx').on(t.orgId, t.nameKey),
    check('donors_kind_check', sql`${t.kind} in ('person','group','organisation')`),
    check('donors_locale_check', sql`${t.locale} in ('vi','en')`),
  ],
);

export const FUND_KINDS = ['general', 'campaign', 'package_drive', 'grant'] as const;
export type FundKind = (typeof FUND_KINDS)[number];

/** Money is always held in a fund; everything but the general fund is restricted. */
export const funds = pgTable(
  'funds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    kind: text('kind').$type<FundKind>().notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('funds_one_general_idx').on(t.orgId).where(sql`${t.kind} = 'general'`),
    index('funds_org_idx').on(t.orgId),
    check('funds_kind_check', sql`${t.kind} in ('general','campaign','package_drive','grant')`),
  ],
);

export const CAMPAIGN_STATUSES = ['draft', 'active', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    titleEn: text('title_en'),
    summary: text('summary').notNull().default(''),
    summaryEn: text('summary_en'),
    goalMinor: money('goal_minor').notNull(),
    currency: text('currency').notNull().default('VND'),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    status: text('status').$type<CampaignStatus>().notNull().default('draft'),
    /** Suggested amounts in minor units of `currency`, as decimal strings (JSON has no bigint). */
    presets: jsonb('presets').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    allowMonthly: boolean('allow_monthly').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaigns_org_slug_idx').on(t.orgId, t.slug),
    check('campaigns_goal_check', sql`${t.goalMinor} >= 0`),
    check('campaigns_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('campaigns_status_check', sql`${t.status} in ('draft','active','closed')`),
    check('campaigns_dates_check', sql`${t.endsOn} is null or ${t.startsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** Where bank transfers arrive; shown on donation pages with a VietQR code. */
export const bankAccounts = pgTable(
  'bank_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    bankBin: text('bank_bin').notNull(),
    bankName: text('bank_name').notNull(),
    accountNumber: text('account_number').notNull(),
    accountName: text('account_name').notNull(),
    currency: text('currency').notNull().default('VND'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('bank_accounts_default_idx').on(t.orgId).where(sql`${t.isDefault}`),
    uniqueIndex('bank_accounts_number_idx').on(t.orgId, t.bankBin, t.accountNumber),
    check('bank_accounts_bin_check', sql`${t.bankBin} ~ '^[0-9]{6}$'`),
  ],
);

export const CHECKOUT_STATUSES = ['created', 'open', 'awaiting_payment', 'completed', 'failed', 'expired', 'error'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/**
 * One row per Stripe Checkout Session, written BEFORE Stripe is called: a webhook can always
 * find what the payment was for (org, campaign or package drive, donor, quantity).
 */
export const checkoutSessions = pgTable(
  'checkout_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    donorId: uuid('donor_id').references(() => donors.id),
    mode: text('mode').$type<'payment' | 'subscription'>().notNull(),
    currency: text('currency').notNull(),
    unitAmountMinor: money('unit_amount_minor').notNull(),
    quantity: integer('quantity').notNull().default(1),
    purpose: jsonb('purpose').$type<Record<string, unknown>>().notNull(),
    locale: text('locale').notNull().default('vi'),
    anonymous: boolean('anonymous').notNull().default(false),
    stripeSessionId: text('stripe_session_id').unique(),
    stripeSubscriptionId: text('stripe_subscription_id'),
    stripeCustomerId: text('stripe_customer_id'),
    status: text('status').$type<CheckoutStatus>().notNull().default('created'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Monthly gifts: when Stripe reported the subscription ended (customer.subscription.deleted). */
    subscriptionEndedAt: timestamp('subscription_ended_at', { withTimezone: true }),
  },
  (t) => [
    index('checkout_sessions_org_idx').on(t.orgId, t.createdAt),
    index('checkout_sessions_subscription_idx').on(t.stripeSubscriptionId),
    check('checkout_sessions_mode_check', sql`${t.mode} in ('payment','subscription')`),
    check('checkout_sessions_amount_check', sql`${t.unitAmountMinor} > 0 and ${t.quantity} > 0`),
    check(
      'checkout_sessions_status_check',
      sql`${t.status} in ('created','open','awaiting_payment','completed','failed','expired','error')`,
    ),
  ],
);

/** A bank-transfer reference handed to a donor (carried in the VietQR transfer note). */
export const paymentReferences = pgTable(
  'payment_references',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    code: text('code').notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    donorId: uuid('donor_id').references(() => donors.id),
    amountMinor: money('amount_minor'),
    currency: text('currency').notNull().default('VND'),
    purpose: jsonb('purpose').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('payment_references_code_idx').on(t.orgId, t.code)],
);

export const DONATION_CHANNELS = ['stripe', 'bank_transfer', 'cash', 'cheque'] as const;
export type DonationChannel = (typeof DONATION_CHANNELS)[number];
export const SETTLEMENT_STATUSES = ['not_applicable', 'pending', 'settled', 'unavailable'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/**
 * Money received. The amount, currency, date and channel never change (a trigger refuses);
 * refunds are rows in `refunds`, and the money itself moves in `ledger_entries`. The unique
 * payment identities (checkout session, invoice, charge, bank transaction) make a second
 * recording of the same payment impossible, whatever the code does.
 */
export const donations = pgTable(
  'donations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    donorId: uuid('donor_id').references(() => donors.id),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    channel: text('channel').$type<DonationChannel>().notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    recurring: boolean('recurring').notNull().default(false),
    quantity: integer('quantity').notNull().default(1),
    purpose: jsonb('purpose').$type<Record<string, unknown>>(),
    anonymous: boolean('anonymous').notNull().default(false),
    /** The payment reference code the donor quoted (bank transfers). */
    reference: text('reference'),
    /** The payment's identity outside Sẻ Chia: bank transaction id, cheque number, receipt-book number. */
    externalId: text('external_id'),
    note: text('note'),
    checkoutId: uuid('checkout_id').references(() => checkoutSessions.id),
    paymentReferenceId: uuid('payment_reference_id').references(() => paymentReferences.id),
    bankStatementLineId: uuid('bank_statement_line_id').unique(),
    stripeCheckoutSessionId: text('stripe_checkout_session_id').unique(),
    stripeInvoiceId: text('stripe_invoice_id').unique(),
    stripeChargeId: text('stripe_charge_id').unique(),
    stripePaymentIntentId: text('stripe_payment_intent_id').unique(),
    stripeSubscriptionId: text('stripe_subscription_id'),
    settlementStatus: text('settlement_status').$type<SettlementStatus>().notNull().default('not_applicable'),
    settlementAttempts: integer('settlement_attempts').notNull().default(0),
    settlementCurrency: text('settlement_currency'),
    feeMinor: money('fee_minor'),
    netMinor: money('net_minor'),
    /** As Stripe reports it (decimal string), settlement currency per unit of the charge currency. */
    exchangeRate: text('exchange_rate'),
    /** The gross in the organisation's base currency, when known. */
    baseAmountMinor: money('base_amount_minor'),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    // donations_org_received_idx (org_id, received_at) INCLUDE (fund_id, donor_id, channel, currency, amount_minor,
    // base_amount_minor) is created in migration 0017: drizzle has no INCLUDE. A report's year of
    // gifts is then read from the index alone.
    // Also answers "had this donor given before?" (returning donors) with one probe.
    index('donations_org_donor_idx').on(t.orgId, t.donorId, t.receivedAt),
    // donations_campaign_gifts_idx (org_id, campaign_id, received_at) INCLUDE (id, currency, amount_minor,
    // base_amount_minor, donor_id) WHERE campaign_id IS NOT NULL is created in migration 0023 (no
    // INCLUDE in drizzle): a campaign's raised total and donor count, and its latest gifts, from the
    // index alone, where a campaign's gifts lie scattered over the whole table.
    index('donations_settlement_idx').on(t.settlementStatus),
    uniqueIndex('donations_external_idx').on(t.orgId, t.channel, t.externalId).where(sql`${t.externalId} is not null`),
    check('donations_amount_check', sql`${t.amountMinor} > 0 and ${t.quantity} > 0`),
    check('donations_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('donations_channel_check', sql`${t.channel} in ('stripe','bank_transfer','cash','cheque')`),
    check('donations_settlement_check', sql`${t.settlementStatus} in ('not_applicable','pending','settled','unavailable')`),
  ],
);

/** Money given back. Append-only; a Stripe refund is recorded once (unique refund id). */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    donationId: uuid('donation_id')
      .notNull()
      .references(() => donations.id),
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    stripeRefundId: text('stripe_refund_id').unique(),
    reason: text('reason'),
    refundedAt: timestamp('refunded_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('refunds_donation_idx').on(t.donationId), check('refunds_amount_check', sql`${t.amountMinor} > 0`)],
);

/**
 * Who gives to each campaign: one row per campaign and giver (the donor, or the gift itself when it
 * has no donor on record) with the number of that giver's gifts to the campaign not refunded in
 * full; a giver whose gifts are all refunded has no row (the trigger that takes the count to zero
 * deletes it). Derived, never written by the app:
 * triggers on `donations` (insert; a donor merge or a campaign moved) and `refunds` (insert) keep
 * it (migration 0025), so a campaign's donor count is a count of its rows instead of a distinct
 * count over every gift. `sechia_campaign_donors_rebuild(org)` recomputes an organisation's rows
 * and `campaignDonorsDrift` (src/giving/campaigns.ts) proves they still agree.
 */
export const campaignDonors = pgTable(
  'campaign_donors',
  {
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    /** donations.donor_id, or donations.id for a gift with no donor (each such gift a giver of its own). */
    giverKey: uuid('giver_key').notNull(),
    liveGifts: integer('live_gifts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.campaignId, t.giverKey] }), check('campaign_donors_live_check', sql`${t.liveGifts} >= 0`)],
);

/** The last receipt number used per organisation and year, incremented in the donation's transaction. */
export const receiptCounters = pgTable(
  'receipt_counters',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.year] })],
);

/** Receipts and corrected receipts (after a refund); numbered without gaps per org and year. */
export const receipts = pgTable(
  'receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    donationId: uuid('donation_id')
      .notNull()
      .references(() => donations.id),
    refundId: uuid('refund_id').references(() => refunds.id),
    kind: text('kind').$type<'receipt' | 'correction'>().notNull(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    code: text('code').notNull(),
    /** What the receipt acknowledges: the gift, or after a refund the amount the donor still gave. */
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('receipts_org_year_number_idx').on(t.orgId, t.year, t.number),
    uniqueIndex('receipts_one_per_donation_idx').on(t.donationId).where(sql`${t.kind} = 'receipt'`),
    uniqueIndex('receipts_one_per_refund_idx').on(t.refundId),
    check('receipts_kind_check', sql`${t.kind} in ('receipt','correction')`),
    check('receipts_number_check', sql`${t.number} > 0`),
  ],
);

/**
 * A posting groups ledger lines that must balance (per currency). `key` makes a posting
 * happen once: "donation:<id>", "settlement:<id>", "refund:<id>", "transfer:<id>"…
 */
export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    memo: text('memo'),
    donationId: uuid('donation_id').references(() => donations.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_postings_key_idx').on(t.orgId, t.key),
    index('ledger_postings_donation_idx').on(t.donationId),
    index('ledger_postings_org_occurred_idx').on(t.orgId, t.occurredAt),
  ],
);

/**
 * Append-only double-entry lines: debit positive, credit negative, minor units. A deferred
 * constraint trigger refuses a commit where a posting does not sum to zero per currency.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    postingId: uuid('posting_id')
      .notNull()
      .references(() => ledgerPostings.id),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    account: text('account').notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // No (org, fund) index here: a fund's balance and account totals are read from the day totals
    // below (migration 0022), so a large general fund is a few thousand day rows, not a million lines.
    // A report reads one period of the ledger (sources and uses) and the balances before it.
    index('ledger_entries_org_occurred_idx').on(t.orgId, t.occurredAt),
    index('ledger_entries_posting_idx').on(t.postingId),
    check('ledger_entries_account_check', sql`${t.account} ~ '^[a-z][a-z_]*$'`),
    check('ledger_entries_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('ledger_entries_nonzero_check', sql`${t.amountMinor} <> 0`),
  ],
);

/**
 * The ledger summed per organisation day (Asia/Ho_Chi_Minh), fund, currency and account: derived,
 * never written by the app. An AFTER INSERT statement trigger on `ledger_entries` adds each
 * statement's lines (migration 0016), so reports read days instead of millions of lines;
 * `sechia_ledger_day_totals_rebuild(org)` recomputes an organisation's rows from the ledger and
 * `ledgerDayTotalsDrift` (src/giving/ledger.ts) proves they still agree.
 * - `channel`: the gift's payment channel on the `donations_income` line of a gift's own posting,
 *   '' on every other line (sources and uses split gift income by channel);
 * - `moving`: the line's posting changed the money (cash, bank, Stripe balance) this fund holds in
 *   this currency — sources and uses count only those postings' other lines.
 * - `slot`: a day's sums may be split over up to 8 rows, one per slot, and every
 *   reader adds the slots up. The trigger writes to the slot of its database connection
 *   (`pg_backend_pid() % 8`), so two gifts applied at once on two connections update two rows
 *   instead of one waiting for the other's commit (a burst of a campaign's gifts all fall on one
 *   fund's day); the rebuild writes slot 0 (migration 0026).
 */
export const ledgerDayTotals = pgTable(
  'ledger_day_totals',
  {
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    day: date('day').notNull(),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    currency: text('currency').notNull(),
    account: text('account').notNull(),
    channel: text('channel').notNull().default(''),
    moving: boolean('moving').notNull(),
    amountMinor: money('amount_minor').notNull(),
    lines: integer('lines').notNull(),
    slot: smallint('slot').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.day, t.fundId, t.currency, t.account, t.channel, t.moving, t.slot] }),
    check('ledger_day_totals_slot_check', sql`${t.slot} between 0 and 7`),
    // One fund's rows, for its balance and account totals. The summed columns are left out, so the
    // trigger's upserts stay heap-only updates.
    index('ledger_day_totals_fund_idx').on(t.orgId, t.fundId, t.account),
  ],
);

/**
 * Every Stripe event we accepted (signature valid), once: the primary key is Stripe's event id,
 * claimed at the start of the event's transaction so a concurrent duplicate waits, then skips.
 */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    account: text('account'),
    livemode: boolean('livemode').notNull(),
    stripeCreatedAt: timestamp('stripe_created_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** 'pending' from the moment the verified event is stored until it has been applied. */
    outcome: text('outcome').$type<'pending' | 'processed' | 'ignored' | 'review'>().notNull(),
    orgId: uuid('org_id').references(() => organisations.id),
    detail: text('detail'),
    /**
     * The verified event as Stripe sent it, byte for byte (json keeps the text; jsonb would rebuild
     * it, which costs PostgreSQL more than the rest of the insert): the inbox the processor works from.
     */
    payload: json('payload').$type<Record<string, unknown>>(),
    /** Failed processing attempts (each rolled back whole) and the last error's name. */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    check('stripe_events_outcome_check', sql`${t.outcome} in ('pending','processed','ignored','review')`),
    index('stripe_events_pending_idx').on(t.receivedAt).where(sql`${t.outcome} = 'pending'`),
  ],
);

/** Payments we could not place (another account, an unknown session…): kept for staff, never dropped. */
export const paymentEventsReview = pgTable(
  'payment_events_review',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organisations.id),
    source: text('source').$type<'stripe'>().notNull().default('stripe'),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    reason: text('reason').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'open' | 'resolved'>().notNull().default('open'),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    /** What staff did about it (required when a person resolves it; empty when the system did). */
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    uniqueIndex('payment_events_review_event_idx').on(t.eventId),
    index('payment_events_review_status_idx').on(t.status),
    index('payment_events_review_org_idx').on(t.orgId, t.status, t.createdAt),
    check('payment_events_review_status_check', sql`${t.status} in ('open','resolved')`),
    check('payment_events_review_resolved_check', sql`${t.status} = 'open' or ${t.resolvedAt} is not null`),
  ],
);

export const bankStatementImports = pgTable('bank_statement_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => organisations.id),
  bankAccountId: uuid('bank_account_id')
    .notNull()
    .references(() => bankAccounts.id),
  filename: text('filename'),
  lineCount: integer('line_count').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
});

export const STATEMENT_LINE_STATUSES = ['matched', 'pending', 'dismissed'] as const;

/** Credit lines from a bank statement; those without a known reference wait for staff. */
export const bankStatementLines = pgTable(
  'bank_statement_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    importId: uuid('import_id')
      .notNull()
      .references(() => bankStatementImports.id),
    bankAccountId: uuid('bank_account_id')
      .notNull()
      .references(() => bankAccounts.id),
    lineNo: integer('line_no').notNull(),
    externalId: text('external_id').notNull(),
    bookedOn: date('booked_on', { mode: 'string' }).notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    detectedReference: text('detected_reference'),
    status: text('status').$type<(typeof STATEMENT_LINE_STATUSES)[number]>().notNull(),
    donationId: uuid('donation_id').references(() => donations.id),
    dismissReason: text('dismiss_reason'),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('bank_statement_lines_external_idx').on(t.orgId, t.bankAccountId, t.externalId),
    index('bank_statement_lines_status_idx').on(t.orgId, t.status),
    check('bank_statement_lines_status_check', sql`${t.status} in ('matched','pending','dismissed')`),
    check('bank_statement_lines_amount_check', sql`${t.amountMinor} > 0`),
  ],
);
