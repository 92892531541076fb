import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, inList } from './columns';
import { locations, organisations, users } from './core';

/*
 * Beneficiary cases. The anonymous side (`cases` and everything hanging off it) is what
 * matching and reports read; the identifying side (`case_identities`, consent givers' names)
 * is kept apart so that erasure can empty it without touching the history reports count.
 */


export const CASE_STATUSES = ['intake', 'assessment', 'intervention', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_CASE_STATUSES = ['intake', 'assessment', 'intervention'] as const;

export const CLOSURE_REASONS = ['goals_met', 'referred', 'moved', 'declined', 'other'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Who the person lives with: a countable code, never a free-text description of the family. */
export const HOUSEHOLD_SITUATIONS = [
  'both_parents',
  'single_parent',
  'grandparents',
  'relatives',
  'foster_family',
  'institution',
  'alone',
  'unknown',
] as const;
export type HouseholdSituation = (typeof HOUSEHOLD_SITUATIONS)[number];

/** Per-organisation list of vulnerability categories; keys are stored on cases. */
export const caseCategories = pgTable(
  'case_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    key: text('key').notNull(),
    labelVi: text('label_vi').notNull(),
    labelEn: text('label_en').notNull(),
    /** Retired categories stay (old cases carry them) but cannot be chosen for new ones. */
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('case_categories_org_key_idx').on(t.orgId, t.key),
    check('case_categories_key_check', sql`${t.key} ~ '^[a-z][a-z0-9_]{1,39}$'`),
  ],
);

/**
 * One row per organisation and year; the case code takes the next value in the same
 * transaction that inserts the case, so a rolled-back case gives its number back (no gaps)
 * and the row lock serialises concurrent intakes (no duplicates).
 */
export const caseCounters = pgTable(
  'case_counters',
  {
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    year: integer('year').notNull(),
    lastValue: integer('last_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.year] }), check('case_counters_positive', sql`${t.lastValue} > 0`)],
);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    /** Non-identifying code such as HP-2026-0042. */
    code: text('code').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    status: text('status').$type<CaseStatus>().notNull().default('intake'),
    birthYear: integer('birth_year').notNull(),
    gender: text('gender').$type<Gender>().notNull(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    household: text('household').$type<HouseholdSituation>().notNull().default('unknown'),
    urgency: text('urgency').$type<Urgency>().notNull().default('medium'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * When the child last received a gift package: the latest delivered_at of the case's delivered
     * package units. Derived, kept by a trigger on package_units (migration 0020); the application
     * never writes it. Matching ranks children by it without reading years of units.
     */
    lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
    closureReason: text('closure_reason').$type<ClosureReason>(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_org_code_idx').on(t.orgId, t.code),
    uniqueIndex('cases_org_year_seq_idx').on(t.orgId, t.year, t.seq),
    index('cases_org_status_idx').on(t.orgId, t.status),
    index('cases_org_location_idx').on(t.orgId, t.locationId),
    index('cases_categories_idx').using('gin', t.categories),
    check('cases_status_check', sql`${t.status} in (${inList(CASE_STATUSES)})`),
    check('cases_gender_check', sql`${t.gender} in (${inList(GENDERS)})`),
    check('cases_urgency_check', sql`${t.urgency} in (${inList(URGENCIES)})`),
    check('cases_household_check', sql`${t.household} in (${inList(HOUSEHOLD_SITUATIONS)})`),
    check('cases_closure_reason_check', sql`${t.closureReason} is null or ${t.closureReason} in (${inList(CLOSURE_REASONS)})`),
    check('cases_birth_year_check', sql`${t.birthYear} between 1900 and 2200`),
    // A closed case says when and why; an open one has neither.
    check(
      'cases_closed_consistency',
      sql`(${t.status} = 'closed') = (${t.closedAt} is not null) and (${t.status} = 'closed') = (${t.closureReason} is not null)`,
    ),
  ],
);

/** Identifying data: only caseworkers (in their area) and admins read it, each read audited. */
export const caseIdentities = pgTable('case_identities', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => cases.id),
  orgId: uuid('org_id').notNull().references(() => organisations.id),
  fullName: text('full_name'),
  birthDate: date('birth_date', { mode: 'string' }),
  address: text('address'),
  guardianName: text('guardian_name'),
  guardianRelation: text('guardian_relation'),
  guardianPhone: text('guardian_phone'),
  /** References to photos in the fund's storage (key + caption); never the image bytes. */
  photos: jsonb('photos').$type<{ key: string; caption?: string }[]>(),
  erasedAt: timestamp('erased_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const TRANSITION_KINDS = ['open', 'advance', 'close', 'reopen'] as const;

/** Append-only (trigger): the dated history of every status change and who made it. */
export const caseTransitions = pgTable(
  'case_transitions',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind').$type<(typeof TRANSITION_KINDS)[number]>().notNull(),
    fromStatus: text('from_status').$type<CaseStatus>(),
    toStatus: text('to_status').$type<CaseStatus>().notNull(),
    closureReason: text('closure_reason').$type<ClosureReason>(),
    /** When it happened (may be back-dated to the day of the visit); `recordedAt` is when it was typed. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    byUserId: uuid('by_user_id').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_transitions_case_idx').on(t.caseId, t.at),
    index('case_transitions_org_at_idx').on(t.orgId, t.at),
    check('case_transitions_kind_check', sql`${t.kind} in (${inList(TRANSITION_KINDS)})`),
    check('case_transitions_to_check', sql`${t.toStatus} in (${inList(CASE_STATUSES)})`),
    check('case_transitions_close_reason', sql`(${t.toStatus} = 'closed') = (${t.closureReason} is not null)`),
  ],
);

export const GOAL_STATUSES = ['planned', 'in_progress', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** The case plan: goals and where each stands. */
export const caseGoals = pgTable(
  'case_goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** Work note: shown only to those who may work the case; emptied on erasure. */
    description: text('description'),
    status: text('status').$type<GoalStatus>().notNull().default('planned'),
    targetDate: date('target_date', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_goals_case_idx').on(t.caseId),
    check('case_goals_status_check', sql`${t.status} in (${inList(GOAL_STATUSES)})`),
  ],
);

export const SERVICE_KINDS = [
  'counselling',
  'therapy',
  'home_visit',
  'referral',
  'emergency_shelter',
  'emergency_food',
  'emergency_travel',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Services delivered on a case: the countable work. */
export const caseServices = pgTable(
  'case_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind').$type<ServiceKind>().notNull(),
    deliveredOn: date('delivered_on', { mode: 'string' }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    staffUserId: uuid('staff_user_id').references(() => users.id),
    /** For referrals: the receiving service (a hospital, the police), not a person. */
    referralTo: text('referral_to'),
    /** Work note: shown only to those who may work the case; emptied on erasure. */
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('case_services_case_idx').on(t.caseId, t.deliveredOn),
    index('case_services_org_on_idx').on(t.orgId, t.deliveredOn),
    check('case_services_kind_check', sql`${t.kind} in (${inList(SERVICE_KINDS)})`),
    check('case_services_duration_check', sql`${t.durationMinutes} between 0 and 1440`),
  ],
);

export const CALLER_TYPES = ['child', 'parent', 'relative', 'teacher', 'neighbour', 'official', 'anonymous', 'other'] as const;
export const CALL_TOPICS = ['violence', 'abuse', 'trafficking', 'neglect', 'development', 'health', 'school', 'legal', 'family', 'information', 'other'] as const;
export const CALL_OUTCOMES = ['advice_given', 'referred', 'case_opened', 'emergency_response', 'no_action'] as const;

/** Hotline calls are counted whether or not a case is opened; no caller details are kept. */
export const hotlineCalls = pgTable(
  'hotline_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    callerType: text('caller_type').$type<(typeof CALLER_TYPES)[number]>().notNull(),
    topic: text('topic').$type<(typeof CALL_TOPICS)[number]>().notNull(),
    outcome: text('outcome').$type<(typeof CALL_OUTCOMES)[number]>().notNull(),
    locationId: uuid('location_id').references(() => locations.id),
    caseId: uuid('case_id').references(() => cases.id),
    takenBy: uuid('taken_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('hotline_calls_org_at_idx').on(t.orgId, t.receivedAt),
    check('hotline_calls_duration_check', sql`${t.durationMinutes} between 0 and 600`),
    check('hotline_calls_caller_check', sql`${t.callerType} in (${inList(CALLER_TYPES)})`),
    check('hotline_calls_topic_check', sql`${t.topic} in (${inList(CALL_TOPICS)})`),
    check('hotline_calls_outcome_check', sql`${t.outcome} in (${inList(CALL_OUTCOMES)})`),
  ],
);

export const OUTREACH_KINDS = ['awareness_conference', 'training', 'life_skills', 'early_detection'] as const;
export const AUDIENCE_TYPES = ['community', 'parents', 'teachers', 'children', 'officials', 'collaborators', 'mixed'] as const;

/** Awareness conferences, trainings, life-skills and early-detection sessions, with what was handed out. */
export const outreachEvents = pgTable(
  'outreach_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    kind: text('kind').$type<(typeof OUTREACH_KINDS)[number]>().notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    locationId: uuid('location_id').references(() => locations.id),
    audienceType: text('audience_type').$type<(typeof AUDIENCE_TYPES)[number]>().notNull(),
    participants: integer('participants').notNull(),
    leaflets: integer('leaflets').notNull().default(0),
    posters: integer('posters').notNull().default(0),
    questionnaires: integer('questionnaires').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('outreach_events_org_on_idx').on(t.orgId, t.heldOn),
    check('outreach_events_kind_check', sql`${t.kind} in (${inList(OUTREACH_KINDS)})`),
    check('outreach_events_audience_check', sql`${t.audienceType} in (${inList(AUDIENCE_TYPES)})`),
    check(
      'outreach_events_counts_check',
      sql`${t.participants} >= 0 and ${t.leaflets} >= 0 and ${t.posters} >= 0 and ${t.questionnaires} >= 0`,
    ),
  ],
);

export const CONSENT_KINDS = ['data_processing', 'photos'] as const;
export const CONSENT_ACTIONS = ['granted', 'withdrawn'] as const;
export const CONSENT_GIVERS = ['self', 'mother', 'father', 'grandparent', 'legal_guardian', 'other_relative', 'institution'] as const;

/**
 * Consent as Decree 13/2023 expects: what was agreed, when and by whom. A withdrawal is a new
 * row. The giver's name is identifying and the only column erasure may clear (trigger).
 */
export const caseConsents = pgTable(
  'case_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind').$type<(typeof CONSENT_KINDS)[number]>().notNull(),
    action: text('action').$type<(typeof CONSENT_ACTIONS)[number]>().notNull(),
    givenOn: date('given_on', { mode: 'string' }).notNull(),
    givenByRelation: text('given_by_relation').$type<(typeof CONSENT_GIVERS)[number]>().notNull(),
    givenByName: text('given_by_name'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('case_consents_case_idx').on(t.caseId),
    check('case_consents_kind_check', sql`${t.kind} in (${inList(CONSENT_KINDS)})`),
    check('case_consents_action_check', sql`${t.action} in (${inList(CONSENT_ACTIONS)})`),
    check('case_consents_giver_check', sql`${t.givenByRelation} in (${inList(CONSENT_GIVERS)})`),
  ],
);

export const ERASURE_REASONS = ['data_subject_request', 'consent_withdrawn', 'retention_expired', 'recorded_in_error'] as const;

/** Append-only (trigger): the proof that identifying data was erased, when, by whom and why. */
export const caseErasures = pgTable(
  'case_erasures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    reason: text('reason').$type<(typeof ERASURE_REASONS)[number]>().notNull(),
    erasedBy: uuid('erased_by').references(() => users.id),
    erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('case_erasures_case_idx').on(t.caseId),
    check('case_erasures_reason_check', sql`${t.reason} in (${inList(ERASURE_REASONS)})`),
  ],
);
