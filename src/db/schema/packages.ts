import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdAt, money } from './columns';
import { organisations, users } from './core';
import { cases } from './cases';
import { campaigns, donations, funds } from './giving';

/*
 * Sponsored gift packages ("suất quà"): a donor pays for N packages of a drive, each becomes a
 * unit that staff match to a child, hand over, and report back on. Money stays in the drive's
 * restricted fund until delivery moves it to programme expense in the ledger.
 */


/** What a package is: contents, value, and who it is for. */
export const packageTypes = pgTable(
  'package_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en'),
    contentsVi: text('contents_vi').notNull().default(''),
    contentsEn: text('contents_en'),
    unitValueMinor: money('unit_value_minor').notNull(),
    currency: text('currency').notNull().default('VND'),
    /** Eligibility: age reached this year, inclusive; null means no bound. */
    minAge: integer('min_age'),
    maxAge: integer('max_age'),
    /** Any of these case categories (empty: any). */
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    /** Cases at these locations or below them (empty: anywhere). */
    locationIds: uuid('location_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('package_types_org_idx').on(t.orgId),
    check('package_types_value_check', sql`${t.unitValueMinor} > 0`),
    check('package_types_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('package_types_age_check', sql`(${t.minAge} is null or ${t.minAge} >= 0) and (${t.maxAge} is null or ${t.maxAge} >= 0) and (${t.minAge} is null or ${t.maxAge} is null or ${t.maxAge} >= ${t.minAge})`),
  ],
);

export const DRIVE_STATUSES = ['draft', 'active', 'closed'] as const;
export type DriveStatus = (typeof DRIVE_STATUSES)[number];

/**
 * A drive inside a campaign: N packages of one type, with its own restricted fund (kind
 * package_drive). Eligibility starts as the type's and may be narrowed (e.g. one commune).
 * The unit value and currency are fixed when the drive is created.
 */
export const packageDrives = pgTable(
  'package_drives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    packageTypeId: uuid('package_type_id')
      .notNull()
      .references(() => packageTypes.id),
    fundId: uuid('fund_id')
      .notNull()
      .references(() => funds.id),
    titleVi: text('title_vi').notNull(),
    titleEn: text('title_en'),
    targetCount: integer('target_count').notNull(),
    unitValueMinor: money('unit_value_minor').notNull(),
    currency: text('currency').notNull(),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    status: text('status').$type<DriveStatus>().notNull().default('active'),
    minAge: integer('min_age'),
    maxAge: integer('max_age'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    locationIds: uuid('location_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('package_drives_fund_idx').on(t.fundId),
    index('package_drives_org_idx').on(t.orgId, t.status),
    index('package_drives_campaign_idx').on(t.campaignId),
    check('package_drives_target_check', sql`${t.targetCount} > 0`),
    check('package_drives_value_check', sql`${t.unitValueMinor} > 0`),
    check('package_drives_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('package_drives_status_check', sql`${t.status} in ('draft','active','closed')`),
    check('package_drives_dates_check', sql`${t.endsOn} is null or ${t.startsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** A hand-over event: a date, a place, who handed the packages over. */
export const packageDeliveries = pgTable(
  'package_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    driveId: uuid('drive_id')
      .notNull()
      .references(() => packageDrives.id),
    deliveredOn: date('delivered_on', { mode: 'string' }).notNull(),
    place: text('place').notNull(),
    staff: text('staff').notNull(),
    note: text('note'),
    unitCount: integer('unit_count').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('package_deliveries_drive_idx').on(t.orgId, t.driveId)],
);

export const UNIT_STATUSES = ['funded', 'matched', 'delivered', 'cancelled'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/**
 * One funded package. The status moves by conditional UPDATE (… WHERE status = expected), so
 * of two racing requests one wins and the other changes nothing; every move is also a row in
 * package_unit_events. The partial unique index gives a child at most one unit per drive unless
 * a coordinator recorded an override reason.
 */
export const packageUnits = pgTable(
  'package_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    driveId: uuid('drive_id')
      .notNull()
      .references(() => packageDrives.id),
    donationId: uuid('donation_id')
      .notNull()
      .references(() => donations.id),
    /** 1..N within the donation: a donation creates its units once. */
    unitNo: integer('unit_no').notNull(),
    valueMinor: money('value_minor').notNull(),
    currency: text('currency').notNull(),
    /** The ledger money account holding this unit's money in the drive's fund (bank, cash, stripe_balance). */
    moneyAccount: text('money_account').notNull(),
    /** A unit moved here from another drive. */
    sourceUnitId: uuid('source_unit_id').references((): AnyPgColumn => packageUnits.id),
    status: text('status').$type<UnitStatus>().notNull().default('funded'),
    caseId: uuid('case_id').references(() => cases.id),
    matchReason: text('match_reason'),
    overrideReason: text('override_reason'),
    matchedAt: timestamp('matched_at', { withTimezone: true }),
    matchedBy: uuid('matched_by').references(() => users.id),
    deliveryId: uuid('delivery_id').references(() => packageDeliveries.id),
    deliveredOn: date('delivered_on', { mode: 'string' }),
    /** When the delivery was recorded (the 24-hour undo window and the digest day count from it). */
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('package_units_donation_no_idx').on(t.donationId, t.unitNo),
    uniqueIndex('package_units_one_per_child_idx')
      .on(t.driveId, t.caseId)
      .where(sql`${t.overrideReason} is null and ${t.status} in ('matched','delivered')`),
    index('package_units_drive_status_idx').on(t.orgId, t.driveId, t.status),
    index('package_units_case_idx').on(t.caseId, t.status),
    index('package_units_donation_idx').on(t.donationId),
    index('package_units_delivered_idx').on(t.orgId, t.deliveredAt),
    // Reports: units delivered in (or after the start of) a period.
    index('package_units_delivered_on_idx').on(t.orgId, t.deliveredOn),
    // package_units_recent_support_idx (org_id, delivered_at) INCLUDE (case_id, value_minor) WHERE
    // status = 'delivered' is created in migration 0020 (drizzle has no INCLUDE): matching sums the
    // last 12 months of deliveries per child from the index alone. When each child last received a
    // package is kept on the case row (cases.last_delivered_at, by a trigger of the same migration).
    check('package_units_status_check', sql`${t.status} in ('funded','matched','delivered','cancelled')`),
    check('package_units_value_check', sql`${t.valueMinor} > 0`),
    check('package_units_unit_no_check', sql`${t.unitNo} > 0`),
    check('package_units_case_check', sql`(${t.status} in ('matched','delivered')) = (${t.caseId} is not null)`),
    check('package_units_delivered_check', sql`(${t.status} = 'delivered') = (${t.deliveredAt} is not null and ${t.deliveryId} is not null and ${t.deliveredOn} is not null)`),
  ],
);

export const UNIT_EVENT_KINDS = ['funded', 'matched', 'unmatched', 'delivered', 'delivery_undone', 'cancelled'] as const;
export type UnitEventKind = (typeof UNIT_EVENT_KINDS)[number];

/** Every change of a unit's status, append-only (a trigger refuses UPDATE and DELETE). */
export const packageUnitEvents = pgTable(
  'package_unit_events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => packageUnits.id),
    kind: text('kind').$type<UnitEventKind>().notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    caseId: uuid('case_id').references(() => cases.id),
    deliveryId: uuid('delivery_id').references(() => packageDeliveries.id),
    reason: text('reason'),
    /** Ids only (target drive, refund, posting). */
    data: jsonb('data').$type<Record<string, unknown>>(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('package_unit_events_unit_idx').on(t.unitId, t.id),
    check('package_unit_events_kind_check', sql`${t.kind} in ('funded','matched','unmatched','delivered','delivery_undone','cancelled')`),
  ],
);
