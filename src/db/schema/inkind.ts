import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, money, inList } from './columns';
import { locations, organisations, users } from './core';
import { donors } from './giving';
import { cases } from './cases';


export const ITEM_CATEGORIES = ['clothing', 'school_supplies', 'toys', 'food', 'hygiene', 'medical', 'other'] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];
export const ITEM_UNITS = ['piece', 'set', 'kg', 'box', 'pack', 'bag', 'bottle', 'pair', 'book'] as const;
export type ItemUnit = (typeof ITEM_UNITS)[number];
export const VALUATION_SOURCES = ['donor_invoice', 'market_survey', 'staff_estimate', 'none'] as const;
export type ValuationSource = (typeof VALUATION_SOURCES)[number];
export const ITEM_CONDITIONS = ['new', 'good', 'used'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];
export const MOVEMENT_KINDS = ['receive', 'transfer_out', 'transfer_in', 'distribute', 'adjust', 'return'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const ADJUST_REASONS = ['damaged', 'expired', 'count_correction', 'other'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];


/** The item catalogue: what the organisation receives and gives, with a default fair value. */
export const inkindItems = pgTable(
  'inkind_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en'),
    category: text('category').$type<ItemCategory>().notNull(),
    unit: text('unit').$type<ItemUnit>().notNull(),
    /** Default fair value of one unit, minor units of `currency`. */
    unitValueMinor: money('unit_value_minor').notNull().default(sql`0`),
    currency: text('currency').notNull().default('VND'),
    valuationSource: text('valuation_source').$type<ValuationSource>().notNull().default('none'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('inkind_items_org_name_idx').on(t.orgId, sql`lower(${t.nameVi})`),
    check('inkind_items_category_check', sql`${t.category} in (${inList(ITEM_CATEGORIES)})`),
    check('inkind_items_unit_check', sql`${t.unit} in (${inList(ITEM_UNITS)})`),
    check('inkind_items_source_check', sql`${t.valuationSource} in (${inList(VALUATION_SOURCES)})`),
    check('inkind_items_value_check', sql`${t.unitValueMinor} >= 0`),
    check('inkind_items_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Per-organisation choices: whether acknowledgements state a value by default. */
export const inkindSettings = pgTable('inkind_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id),
  ackStatesValue: boolean('ack_states_value').notNull().default(false),
});

/** One in-kind gift as it arrived: the header of its receive movements. */
export const inkindIntakes = pgTable(
  'inkind_intakes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    donorId: uuid('donor_id').references(() => donors.id),
    anonymous: boolean('anonymous').notNull().default(false),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    /** null: the organisation's setting decides whether the acknowledgement states a value. */
    ackStatesValue: boolean('ack_states_value'),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('inkind_intakes_org_idx').on(t.orgId, t.receivedOn)],
);

export const DISTRIBUTION_KINDS = ['case', 'event', 'package'] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

/**
 * Goods given out: to one child's case (by case id, never a name), to a group event
 * (headcount, place, date), or as the contents of a delivered gift package.
 */
export const inkindDistributions = pgTable(
  'inkind_distributions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    kind: text('kind').$type<DistributionKind>().notNull(),
    distributedOn: date('distributed_on', { mode: 'string' }).notNull(),
    /** Where the goods were taken from. */
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    caseId: uuid('case_id').references(() => cases.id),
    eventName: text('event_name'),
    headcount: integer('headcount'),
    placeLocationId: uuid('place_location_id').references(() => locations.id),
    place: text('place'),
    /** Gift packages (issue 5): the lead adds the foreign keys when merging. */
    packageTypeId: uuid('package_type_id'),
    packageUnitId: uuid('package_unit_id'),
    packageQuantity: integer('package_quantity'),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('inkind_distributions_org_idx').on(t.orgId, t.distributedOn),
    index('inkind_distributions_case_idx').on(t.orgId, t.caseId),
    // A delivered package unit draws its contents once, whatever retries happen.
    uniqueIndex('inkind_distributions_package_unit_idx').on(t.orgId, t.packageUnitId).where(sql`${t.packageUnitId} is not null`),
    check('inkind_distributions_kind_check', sql`${t.kind} in (${inList(DISTRIBUTION_KINDS)})`),
    check(
      'inkind_distributions_shape_check',
      sql`(${t.kind} = 'case' and ${t.caseId} is not null)
        or (${t.kind} = 'event' and ${t.headcount} is not null and ${t.headcount} > 0 and ${t.eventName} is not null)
        or (${t.kind} = 'package' and ${t.packageTypeId} is not null and ${t.packageQuantity} is not null and ${t.packageQuantity} > 0)`,
    ),
  ],
);

export const COUNT_STATUSES = ['open', 'confirmed', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/** A stock count at one location: a sheet of expected quantities, then what staff counted. */
export const stockCounts = pgTable(
  'stock_counts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    status: text('status').$type<CountStatus>().notNull().default('open'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('stock_counts_org_idx').on(t.orgId, t.locationId), check('stock_counts_status_check', sql`${t.status} in (${inList(COUNT_STATUSES)})`)],
);

export const stockCountLines = pgTable(
  'stock_count_lines',
  {
    countId: uuid('count_id')
      .notNull()
      .references(() => stockCounts.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inkindItems.id),
    /** On hand when the count started. */
    expectedQuantity: integer('expected_quantity').notNull(),
    countedQuantity: integer('counted_quantity'),
  },
  (t) => [
    primaryKey({ columns: [t.countId, t.itemId] }),
    check('stock_count_lines_qty_check', sql`${t.expectedQuantity} >= 0 and (${t.countedQuantity} is null or ${t.countedQuantity} >= 0)`),
  ],
);

/**
 * Every movement of goods, one shape for all ("itemizable"): item, location, signed quantity,
 * value. Append-only (a trigger refuses UPDATE and DELETE); a correction is a new row.
 * `value_minor` is the line's value, signed like the quantity, so value totals are exact sums.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inkindItems.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    kind: text('kind').$type<MovementKind>().notNull(),
    quantity: integer('quantity').notNull(),
    unitValueMinor: money('unit_value_minor').notNull(),
    valueMinor: money('value_minor').notNull(),
    currency: text('currency').notNull(),
    condition: text('condition').$type<ItemCondition>(),
    reason: text('reason').$type<AdjustReason>(),
    note: text('note'),
    intakeId: uuid('intake_id').references(() => inkindIntakes.id),
    distributionId: uuid('distribution_id').references(() => inkindDistributions.id),
    countId: uuid('count_id').references(() => stockCounts.id),
    /** Groups the lines of one operation (the two sides of a transfer, one adjustment form). */
    batchId: uuid('batch_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('stock_movements_item_loc_idx').on(t.orgId, t.itemId, t.locationId),
    index('stock_movements_org_at_idx').on(t.orgId, t.occurredAt),
    index('stock_movements_batch_idx').on(t.batchId),
    check('stock_movements_kind_check', sql`${t.kind} in (${inList(MOVEMENT_KINDS)})`),
    check(
      'stock_movements_sign_check',
      sql`${t.quantity} <> 0
        and (${t.kind} not in ('receive','transfer_in','return') or ${t.quantity} > 0)
        and (${t.kind} not in ('transfer_out','distribute') or ${t.quantity} < 0)
        and (${t.valueMinor} = 0 or sign(${t.valueMinor}) = sign(${t.quantity}))
        and ${t.unitValueMinor} >= 0`,
    ),
    check('stock_movements_reason_check', sql`(${t.kind} = 'adjust') = (${t.reason} is not null) and (${t.reason} is null or ${t.reason} in (${inList(ADJUST_REASONS)}))`),
    check('stock_movements_condition_check', sql`${t.condition} is null or ${t.condition} in (${inList(ITEM_CONDITIONS)})`),
    check('stock_movements_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * Stock on hand per (item, location), kept by a trigger on `stock_movements` in the same
 * transaction as each movement. The CHECKs make negative stock impossible whatever the code
 * does: a movement that would take a balance below zero fails and its transaction rolls back.
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inkindItems.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    quantity: integer('quantity').notNull(),
    valueMinor: money('value_minor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.locationId] }),
    index('stock_balances_org_loc_idx').on(t.orgId, t.locationId),
    check('stock_balances_nonnegative', sql`${t.quantity} >= 0 and ${t.valueMinor} >= 0 and (${t.quantity} > 0 or ${t.valueMinor} = 0)`),
  ],
);

/** The goods in one gift package type (issue 5 owns package types; the FK comes at merge). */
export const packageTypeItems = pgTable(
  'package_type_items',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    packageTypeId: uuid('package_type_id').notNull(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => inkindItems.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packageTypeId, t.itemId] }), index('package_type_items_org_idx').on(t.orgId), check('package_type_items_qty_check', sql`${t.quantity} > 0`)],
);
