import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, inList } from './columns';
import { organisations, users } from './core';
import { campaigns, donors, funds } from './giving';

/*
 * Funders, grants and impact reports. A report is a scope and a period; each generation
 * stores a frozen version (the computed model as JSON) that links and emails always show.
 */


export const FUNDER_TYPES = ['government', 'local-government', 'other-public-sector', 'international-ngo', 'national-ngo', 'foundation', 'private-sector', 'academic', 'multilateral', 'other'] as const;

/** A funder is an organisation donor with reporting needs: contacts, language, IATI identity. */
export const funders = pgTable(
  'funders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    donorId: uuid('donor_id')
      .notNull()
      .references(() => donors.id),
    language: text('language').$type<'vi' | 'en'>().notNull().default('vi'),
    /** IATI organisation identifier, when the funder has one. */
    iatiRef: text('iati_ref'),
    orgType: text('org_type').$type<(typeof FUNDER_TYPES)[number]>().notNull().default('international-ngo'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('funders_org_donor_idx').on(t.orgId, t.donorId),
    check('funders_language_check', sql`${t.language} in ('vi','en')`),
    check('funders_type_check', sql`${t.orgType} in (${inList(FUNDER_TYPES)})`),
  ],
);

/** People at the funder who receive reports (organisation staff, not beneficiaries). */
export const funderContacts = pgTable(
  'funder_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    funderId: uuid('funder_id')
      .notNull()
      .references(() => funders.id),
    name: text('name').notNull(),
    email: text('email').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('funder_contacts_email_idx').on(t.funderId, sql`lower(${t.email})`)],
);

export const REPORT_SCHEDULES = ['none', 'quarterly', 'semi_annual', 'annual'] as const;
export type ReportSchedule = (typeof REPORT_SCHEDULES)[number];

/** What a grant is restricted to: the report counts only what falls inside. Empty lists: no restriction. */
export interface GrantPurpose {
  campaignIds?: string[];
  driveIds?: string[];
  categories?: string[];
  locationIds?: string[];
}

export const grants = pgTable(
  'grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    funderId: uuid('funder_id')
      .notNull()
      .references(() => funders.id),
    /** Slug, unique per organisation; part of the IATI identifier. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    titleEn: text('title_en'),
    description: text('description').notNull().default(''),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    currency: text('currency').notNull().default('VND'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** The restricted fund the grant's money is received into. */
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    purpose: jsonb('purpose').$type<GrantPurpose>().notNull().default(sql`'{}'::jsonb`),
    schedule: text('schedule').$type<ReportSchedule>().notNull().default('quarterly'),
    /** The last day of the next period to report on; the report is due from the day after. */
    nextDueOn: date('next_due_on', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grants_org_code_idx').on(t.orgId, t.code),
    check('grants_code_check', sql`${t.code} ~ '^[a-z0-9][a-z0-9-]{0,39}$'`),
    check('grants_amount_check', sql`${t.amountMinor} >= 0`),
    check('grants_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('grants_dates_check', sql`${t.endsOn} >= ${t.startsOn}`),
    check('grants_schedule_check', sql`${t.schedule} in (${inList(REPORT_SCHEDULES)})`),
  ],
);

/** Per indicator of the registry: baseline and target. Money values in minor units of the grant currency. */
export const grantTargets = pgTable(
  'grant_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => grants.id),
    indicatorId: text('indicator_id').notNull(),
    baselineYear: integer('baseline_year'),
    baselineValue: bigint('baseline_value', { mode: 'bigint' }),
    targetValue: bigint('target_value', { mode: 'bigint' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('grant_targets_indicator_idx').on(t.grantId, t.indicatorId),
    check('grant_targets_values_check', sql`${t.targetValue} >= 0 and (${t.baselineValue} is null or ${t.baselineValue} >= 0)`),
    check('grant_targets_baseline_check', sql`(${t.baselineValue} is null) = (${t.baselineYear} is null)`),
  ],
);

export const REPORT_SCOPES = ['organisation', 'campaign', 'grant'] as const;

/** A report: scope and period. Its numbers live in frozen versions. */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    scopeKind: text('scope_kind').$type<(typeof REPORT_SCOPES)[number]>().notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    grantId: uuid('grant_id').references(() => grants.id),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    language: text('language').$type<'vi' | 'en'>().notNull().default('vi'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('reports_org_idx').on(t.orgId, t.createdAt),
    check('reports_scope_check', sql`${t.scopeKind} in (${inList(REPORT_SCOPES)})`),
    check(
      'reports_scope_ref_check',
      sql`(${t.scopeKind} = 'campaign') = (${t.campaignId} is not null) and (${t.scopeKind} = 'grant') = (${t.grantId} is not null)`,
    ),
    check('reports_period_check', sql`${t.periodTo} >= ${t.periodFrom}`),
    check('reports_language_check', sql`${t.language} in ('vi','en')`),
  ],
);

/** Append-only (trigger): the computed model of one generation, numbered per report. */
export const reportVersions = pgTable(
  'report_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id),
    version: integer('version').notNull(),
    /** The ReportModel, bigints as {"$bigint": "…"}. */
    model: jsonb('model').$type<unknown>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_versions_number_idx').on(t.reportId, t.version), check('report_versions_number_check', sql`${t.version} > 0`)],
);

/** A link to one version for people without an account: only the SHA-256 of the token is kept. */
export const reportLinks = pgTable(
  'report_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => reportVersions.id),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('report_links_version_idx').on(t.versionId)],
);

export const DELIVERY_STATUSES = ['preview', 'sent'] as const;

/**
 * A scheduled report of a grant for one due period: generated once by the cron (unique grant +
 * period end), previewed and sent by staff, or sent by the cron once `send_after` has passed.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => grants.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => reportVersions.id),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    status: text('status').$type<(typeof DELIVERY_STATUSES)[number]>().notNull().default('preview'),
    /** Staff preview first; the cron sends a preview nobody sent by this time. */
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull().default(0),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: uuid('sent_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('report_deliveries_period_idx').on(t.grantId, t.periodTo),
    check('report_deliveries_status_check', sql`${t.status} in (${inList(DELIVERY_STATUSES)})`),
    check('report_deliveries_sent_check', sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
  ],
);

/**
 * A centre's year-so-far figures for its public page (src/reports/public-figures.ts), as last
 * computed: one row per organisation, replaced on each refresh. A cache of derived numbers, not a
 * record: only indicator values (small counts already withheld as null), nothing about a person.
 */
export const centreFigureSnapshots = pgTable(
  'centre_figure_snapshots',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organisations.id),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    /** By the app's clock, like the period. */
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    /** Indicator id → { unit, value } (money as a decimal string) or null when withheld. */
    figures: jsonb('figures').$type<Record<string, unknown>>().notNull(),
    /**
     * Each public campaign's card, all time: campaign id → { raised (decimal string, the
     * campaign's currency), donors, packages handed over }. Null in rows from before it was kept.
     */
    campaigns: jsonb('campaigns').$type<Record<string, unknown>>(),
  },
  (t) => [check('centre_figure_snapshots_period_check', sql`${t.periodTo} >= ${t.periodFrom}`)],
);
