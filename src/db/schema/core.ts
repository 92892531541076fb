import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns';


/** A tenant: one social-work centre / child-protection fund. Every business row carries its id. */
export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** Short prefix used in case codes and receipt numbers, e.g. "HP". */
  shortCode: text('short_code').notNull(),
  baseCurrency: text('base_currency').notNull().default('VND'),
  defaultLocale: text('default_locale').notNull().default('vi'),
  createdAt: createdAt(),
});

export const LOCATION_KINDS = ['province', 'district', 'commune', 'ward', 'office', 'school'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/**
 * The location tree is data, not code: Vietnam merged provinces and removed districts in 2025.
 * `path` is the materialised chain of ancestor ids ("/a/b/c/") so a subtree is one LIKE query.
 */
export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => locations.id),
    kind: text('kind').$type<LocationKind>().notNull(),
    name: text('name').notNull(),
    code: text('code'),
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('locations_org_path_idx').on(t.orgId, t.path),
    check('locations_kind_check', sql`${t.kind} in ('province','district','commune','ward','office','school')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    locale: text('locale').notNull().default('vi'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

export const ROLES = ['admin', 'finance', 'coordinator', 'caseworker', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: text('role').$type<Role>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_org_user_role_idx').on(t.orgId, t.userId, t.role),
    index('memberships_user_idx').on(t.userId),
    check('memberships_role_check', sql`${t.role} in ('admin','finance','coordinator','caseworker','viewer')`),
  ],
);

/** Offices (location subtrees) a staff member works in; caseworkers see cases only there. */
export const staffAssignments = pgTable(
  'staff_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    locationId: uuid('location_id').notNull().references(() => locations.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('staff_assignments_unique_idx').on(t.orgId, t.userId, t.locationId)],
);

/** Single-use sign-in links. Only the SHA-256 of the token is stored. */
export const loginTokens = pgTable(
  'login_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    /** 'staff' signs a user in; 'donor' opens the donor portal. */
    audience: text('audience').$type<'staff' | 'donor'>().notNull().default('staff'),
    userId: uuid('user_id').references(() => users.id),
    /** For donor-portal links: the donor record the link opens. */
    subjectId: uuid('subject_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [check('login_tokens_audience_check', sql`${t.audience} in ('staff','donor')`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    audience: text('audience').$type<'staff' | 'donor'>().notNull().default('staff'),
    userId: uuid('user_id').references(() => users.id),
    subjectId: uuid('subject_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Bearer tokens for scripts: bound to one organisation and one role. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [check('api_tokens_role_check', sql`${t.role} in ('admin','finance','coordinator','caseworker','viewer')`)],
);

/**
 * Append-only trail: sign-ins, reads of identifying case data, money corrections.
 * A trigger (migration 0001) rejects UPDATE and DELETE. `data` never holds identifying values.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    orgId: uuid('org_id').references(() => organisations.id),
    actorKind: text('actor_kind').$type<'user' | 'api_token' | 'system' | 'donor' | 'anonymous'>().notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    reason: text('reason'),
    requestId: text('request_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.orgId, t.at),
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;

/**
 * A file sent with a message: its bytes, or what to draw them from when the message is sent
 * (`render`, e.g. a donor's annual statement), so a year-end run for thousands of donors does not
 * store a PDF per row.
 */
export type OutboxAttachment = { filename: string; contentType: string } & ({ contentBase64: string } | { render: { kind: string } & Record<string, unknown> });

/**
 * Transactional outbox: business code inserts a message in its own transaction; a separate
 * sender (cron / after the response) delivers it. `dedupeKey` makes "one receipt per donation"
 * a database guarantee.
 */

export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organisations.id),
    dedupeKey: text('dedupe_key'),
    toAddress: text('to_address').notNull(),
    locale: text('locale').notNull().default('vi'),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    attachments: jsonb('attachments').$type<OutboxAttachment[]>(),
    status: text('status').$type<(typeof OUTBOX_STATUSES)[number]>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_idx').on(t.dedupeKey),
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    check('outbox_status_check', sql`${t.status} in ('pending','sent','dead')`),
  ],
);

/** Fixed-window counters for rate limits, shared by every isolate through the database. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [uniqueIndex('rate_limits_key_window_idx').on(t.key, t.windowStart)],
);
