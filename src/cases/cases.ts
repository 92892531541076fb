import { isUuid } from '../lib/ids';
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import {
  caseCategories,
  caseConsents,
  caseCounters,
  caseErasures,
  caseGoals,
  caseIdentities,
  caseServices,
  caseTransitions,
  cases,
  CLOSURE_REASONS,
  locations,
  memberships,
  organisations,
  users,
  type CaseStatus,
  type ClosureReason,
  type Gender,
  type GoalStatus,
  type HouseholdSituation,
  type Role,
  type ServiceKind,
  type Urgency,
} from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { conflict, invalid, notFound, ProblemError } from '../http/problem';
import { writeAudit } from '../auth/audit';
import { DEFAULT_CASE_CATEGORIES } from './labels';

/*
 * Beneficiary cases: the plain-function API other capabilities build on (gift-package
 * matching, impact reports). Everything exported here that returns case data returns only
 * non-identifying attributes; identifying data lives in ./identity.ts behind an audited read.
 */

// ---------------------------------------------------------------------------------------------
// Dates: the fund works in Vietnam time (UTC+7, no daylight saving).

const VN_OFFSET_MS = 7 * 3_600_000;

export function vnYear(d: Date): number {
  return new Date(d.getTime() + VN_OFFSET_MS).getUTCFullYear();
}

/** The calendar day (YYYY-MM-DD) in Vietnam at instant `d`. */
export function vnDate(d: Date): string {
  return new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Start of a Vietnamese calendar day as an instant. */
export function vnDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

/** A day someone typed (a back-dated visit, say) as an instant: now if today, else noon that day. */
export function instantForDay(day: string | undefined | null, now: Date): Date {
  if (!day || day === vnDate(now)) return now;
  return new Date(`${day}T12:00:00+07:00`);
}

// ---------------------------------------------------------------------------------------------
// Age bands

export const AGE_BANDS = ['0-5', '6-10', '11-15', '16-17', '18-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const BAND_RANGES: Record<AgeBand, [number, number]> = {
  '0-5': [0, 5],
  '6-10': [6, 10],
  '11-15': [11, 15],
  '16-17': [16, 17],
  '18-59': [18, 59],
  '60+': [60, 200],
};

export function ageBandRange(band: AgeBand): { min: number; max: number } {
  const [min, max] = BAND_RANGES[band];
  return { min, max };
}

/**
 * Only the birth year is kept outside the identifying table, so age is the age reached in the
 * year of `asOf` (Vietnam time). A birth year after `asOf` counts as 0.
 */
export function caseAge(birthYear: number, asOf: Date = new Date()): number {
  return Math.max(0, vnYear(asOf) - birthYear);
}

export function caseAgeBand(birthYear: number, asOf: Date = new Date()): AgeBand {
  const age = caseAge(birthYear, asOf);
  for (const band of AGE_BANDS) {
    const [min, max] = BAND_RANGES[band];
    if (age >= min && age <= max) return band;
  }
  return '60+';
}

// ---------------------------------------------------------------------------------------------
// Who is acting, and what they may see

export interface CaseActor {
  orgId: string;
  /** The staff user (sessions) or the token's creator; written in created_by-style columns. */
  userId: string | null;
  actorKind: 'user' | 'api_token' | 'system';
  actorId: string | null;
  roles: readonly Role[];
  now: Date;
  requestId?: string;
}

/** Location ids a scope covers, or every location of the organisation. */
export type LocationScope = 'all' | readonly string[];

export interface CaseScope {
  /** Cases the actor may list and read (non-identifying attributes). */
  read: LocationScope;
  /** Cases whose identifying data the actor may read and whose work the actor may record. */
  work: LocationScope;
}

export const inScope = (scope: LocationScope, locationId: string) => scope === 'all' || scope.includes(locationId);

/** Every location under the offices (subtrees) the user is assigned to. */
export async function assignedLocationIds(db: Db, orgId: string, userId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select distinct l.id from staff_assignments sa
        join locations root on root.id = sa.location_id and root.org_id = sa.org_id
        join locations l on l.org_id = sa.org_id and l.path like root.path || '%'
        where sa.org_id = ${orgId} and sa.user_id = ${userId}`,
  );
  return rows.map((r) => r.id);
}

/**
 * Admins see and work every case. Coordinators, finance and viewers read every case's
 * non-identifying attributes (for matching and counting). Caseworkers read and work only the
 * cases in the location subtrees they are assigned to; elsewhere a case does not exist for them.
 */
export async function caseScope(db: Db, actor: CaseActor): Promise<CaseScope> {
  const roles = actor.roles;
  const workAll = roles.includes('admin');
  const readAll = workAll || roles.some((r) => r === 'coordinator' || r === 'finance' || r === 'viewer');
  const area = roles.includes('caseworker') && !workAll && actor.userId ? await assignedLocationIds(db, actor.orgId, actor.userId) : [];
  return { read: readAll ? 'all' : area, work: workAll ? 'all' : area };
}

export { isUuid };

export type CaseRow = typeof cases.$inferSelect;

/**
 * Loads a case the actor may see. Outside the actor's read scope the case is "not found" (a
 * caseworker cannot learn that a case exists in another commune); inside it but without work
 * rights (a coordinator asking for identifying data) the answer is 403.
 */
export async function loadCase(db: Db, actor: CaseActor, caseId: string, need: 'read' | 'work') {
  if (!isUuid(caseId)) throw notFound('Case');
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.orgId, actor.orgId), eq(cases.id, caseId)))
    .limit(1);
  if (!row) throw notFound('Case');
  const scope = await caseScope(db, actor);
  if (!inScope(scope.read, row.locationId)) throw notFound('Case');
  const canWork = inScope(scope.work, row.locationId);
  if (need === 'work' && !canWork) {
    throw new ProblemError(403, 'Only a caseworker assigned to this area, or an admin, may do this.');
  }
  return { row, scope, canWork };
}

// ---------------------------------------------------------------------------------------------
// Categories

export type CategoryRow = typeof caseCategories.$inferSelect;

/** The organisation's category list; an organisation that has none gets the default list. */
export async function listCategories(db: Db, orgId: string): Promise<CategoryRow[]> {
  let rows = await db.select().from(caseCategories).where(eq(caseCategories.orgId, orgId)).orderBy(asc(caseCategories.sort), asc(caseCategories.key));
  if (rows.length === 0) {
    await db
      .insert(caseCategories)
      .values(DEFAULT_CASE_CATEGORIES.map((c, i) => ({ orgId, key: c.key, labelVi: c.vi, labelEn: c.en, sort: (i + 1) * 10 })))
      .onConflictDoNothing();
    rows = await db.select().from(caseCategories).where(eq(caseCategories.orgId, orgId)).orderBy(asc(caseCategories.sort), asc(caseCategories.key));
  }
  return rows;
}

export async function addCategory(db: Db, orgId: string, input: { key: string; labelVi: string; labelEn: string }) {
  const existing = await listCategories(db, orgId);
  const sort = existing.reduce((m, c) => Math.max(m, c.sort), 0) + 10;
  const rows = await db
    .insert(caseCategories)
    .values({ orgId, key: input.key, labelVi: input.labelVi, labelEn: input.labelEn, sort })
    .onConflictDoNothing()
    .returning();
  if (rows.length === 0) throw conflict('A category with this key already exists.');
  return rows[0]!;
}

export async function setCategoryActive(db: Db, orgId: string, key: string, active: boolean) {
  await listCategories(db, orgId);
  const rows = await db
    .update(caseCategories)
    .set({ active })
    .where(and(eq(caseCategories.orgId, orgId), eq(caseCategories.key, key)))
    .returning();
  if (rows.length === 0) throw notFound('Category');
  return rows[0]!;
}

async function checkCategories(db: Db, orgId: string, keys: readonly string[], allowed: readonly string[] = []) {
  if (keys.length === 0) return [];
  const list = await listCategories(db, orgId);
  const active = new Set(list.filter((c) => c.active).map((c) => c.key));
  const errors: { path: string; message: string }[] = [];
  keys.forEach((k, i) => {
    if (!active.has(k) && !allowed.includes(k)) errors.push({ path: `json.categories.${i}`, message: 'not an active category of this organisation' });
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Case codes

export function formatCaseCode(shortCode: string, year: number, seq: number) {
  return `${shortCode}-${year}-${String(seq).padStart(4, '0')}`;
}

/**
 * Next number in the organisation's sequence for `year`. Must run inside the transaction that
 * inserts the case: the counter row is locked until commit, and a rollback returns the number.
 */
export async function nextCaseSeq(tx: Db, orgId: string, year: number): Promise<number> {
  const [row] = await tx
    .insert(caseCounters)
    .values({ orgId, year, lastValue: 1 })
    .onConflictDoUpdate({ target: [caseCounters.orgId, caseCounters.year], set: { lastValue: sql`${caseCounters.lastValue} + 1` } })
    .returning({ lastValue: caseCounters.lastValue });
  return row!.lastValue;
}

// ---------------------------------------------------------------------------------------------
// Creating and editing cases

export interface IdentityInput {
  fullName?: string | null;
  birthDate?: string | null;
  address?: string | null;
  guardianName?: string | null;
  guardianRelation?: string | null;
  guardianPhone?: string | null;
  photos?: { key: string; caption?: string }[] | null;
}

export interface NewCaseInput {
  birthYear: number;
  gender: Gender;
  locationId: string;
  categories?: string[];
  household?: HouseholdSituation;
  urgency?: Urgency;
  /** Day of intake (Vietnam); today when absent. */
  openedOn?: string | null;
  identity?: IdentityInput | null;
}

async function checkLocation(db: Db, actor: CaseActor, locationId: string, scope: CaseScope, path: string) {
  if (!isUuid(locationId)) return [{ path, message: 'unknown location' }];
  const [loc] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.orgId, actor.orgId), eq(locations.id, locationId)))
    .limit(1);
  if (!loc) return [{ path, message: 'unknown location' }];
  if (!inScope(scope.work, loc.id)) {
    throw new ProblemError(403, 'You may record cases only in the areas you are assigned to.');
  }
  return [];
}

function checkBirth(birthYear: number, birthDate: string | null | undefined, now: Date) {
  const errors: { path: string; message: string }[] = [];
  if (birthYear > vnYear(now)) errors.push({ path: 'json.birthYear', message: 'must not be in the future' });
  if (birthDate) {
    if (Number(birthDate.slice(0, 4)) !== birthYear) errors.push({ path: 'json.identity.birthDate', message: 'must fall in the birth year' });
    else if (birthDate > vnDate(now)) errors.push({ path: 'json.identity.birthDate', message: 'must not be in the future' });
  }
  return errors;
}

const cleanIdentity = (i: IdentityInput | null | undefined) => ({
  fullName: i?.fullName?.trim() || null,
  birthDate: i?.birthDate || null,
  address: i?.address?.trim() || null,
  guardianName: i?.guardianName?.trim() || null,
  guardianRelation: i?.guardianRelation?.trim() || null,
  guardianPhone: i?.guardianPhone?.trim() || null,
  photos: i?.photos && i.photos.length > 0 ? i.photos : null,
});

/** Opens a case at intake, with its code, its identifying row and its first transition. */
export async function createCase(db: Db, actor: CaseActor, input: NewCaseInput): Promise<CaseRow> {
  const scope = await caseScope(db, actor);
  const categories = [...new Set(input.categories ?? [])];
  const openedAt = instantForDay(input.openedOn, actor.now);
  const errors = [
    ...(await checkLocation(db, actor, input.locationId, scope, 'json.locationId')),
    ...(await checkCategories(db, actor.orgId, categories)),
    ...checkBirth(input.birthYear, input.identity?.birthDate, actor.now),
  ];
  if (openedAt.getTime() > actor.now.getTime()) errors.push({ path: 'json.openedOn', message: 'must not be in the future' });
  if (input.openedOn && Number(input.openedOn.slice(0, 4)) < input.birthYear) errors.push({ path: 'json.openedOn', message: 'must not be before the birth year' });
  if (errors.length) throw invalid('The case has invalid fields.', errors);

  const [org] = await db.select({ shortCode: organisations.shortCode }).from(organisations).where(eq(organisations.id, actor.orgId)).limit(1);
  const year = vnYear(openedAt);
  return withheldValues(db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const seq = await nextCaseSeq(tx, actor.orgId, year);
    const [row] = await tx
      .insert(cases)
      .values({
        orgId: actor.orgId,
        code: formatCaseCode(org!.shortCode, year, seq),
        year,
        seq,
        status: 'intake',
        birthYear: input.birthYear,
        gender: input.gender,
        locationId: input.locationId,
        categories,
        household: input.household ?? 'unknown',
        urgency: input.urgency ?? 'medium',
        openedAt,
        createdBy: actor.userId,
        createdAt: actor.now,
        updatedAt: actor.now,
      })
      .returning();
    await tx.insert(caseIdentities).values({ caseId: row!.id, orgId: actor.orgId, ...cleanIdentity(input.identity), updatedAt: actor.now });
    await tx.insert(caseTransitions).values({
      orgId: actor.orgId,
      caseId: row!.id,
      kind: 'open',
      fromStatus: null,
      toStatus: 'intake',
      at: openedAt,
      byUserId: actor.userId,
      recordedAt: actor.now,
    });
    await writeCaseAudit(tx, actor, 'case.created', row!.id, { code: row!.code });
    return row!;
  }));
}

export interface CaseAttributesPatch {
  birthYear?: number;
  gender?: Gender;
  locationId?: string;
  categories?: string[];
  household?: HouseholdSituation;
  urgency?: Urgency;
}

/** Edits the non-identifying attributes. Moving a case keeps it within the actor's areas. */
export async function updateCaseAttributes(db: Db, actor: CaseActor, caseId: string, patch: CaseAttributesPatch) {
  const { row, scope } = await loadCase(db, actor, caseId, 'work');
  const errors: { path: string; message: string }[] = [];
  if (patch.locationId && patch.locationId !== row.locationId) errors.push(...(await checkLocation(db, actor, patch.locationId, scope, 'json.locationId')));
  if (patch.categories) errors.push(...(await checkCategories(db, actor.orgId, patch.categories, row.categories)));
  if (patch.birthYear !== undefined) {
    errors.push(...checkBirth(patch.birthYear, null, actor.now));
    const [ident] = await db.select({ birthDate: caseIdentities.birthDate }).from(caseIdentities).where(eq(caseIdentities.caseId, row.id));
    if (ident?.birthDate && Number(ident.birthDate.slice(0, 4)) !== patch.birthYear) {
      errors.push({ path: 'json.birthYear', message: 'differs from the recorded date of birth' });
    }
  }
  if (errors.length) throw invalid('The case has invalid fields.', errors);
  const [updated] = await db
    .update(cases)
    .set({
      ...(patch.birthYear !== undefined ? { birthYear: patch.birthYear } : {}),
      ...(patch.gender ? { gender: patch.gender } : {}),
      ...(patch.locationId ? { locationId: patch.locationId } : {}),
      ...(patch.categories ? { categories: [...new Set(patch.categories)] } : {}),
      ...(patch.household ? { household: patch.household } : {}),
      ...(patch.urgency ? { urgency: patch.urgency } : {}),
      updatedAt: actor.now,
    })
    .where(and(eq(cases.orgId, actor.orgId), eq(cases.id, row.id)))
    .returning();
  return updated!;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/** Where a case may go next. From `closed`, any open stage is a re-opening. */
export const NEXT_STATUSES: Record<CaseStatus, readonly CaseStatus[]> = {
  intake: ['assessment', 'closed'],
  assessment: ['intervention', 'closed'],
  intervention: ['assessment', 'closed'],
  closed: ['intake', 'assessment', 'intervention'],
};

export interface TransitionInput {
  to: CaseStatus;
  closureReason?: ClosureReason | null;
  /** Day it happened (Vietnam); today when absent. */
  on?: string | null;
}

export async function transitionCase(db: Db, actor: CaseActor, caseId: string, input: TransitionInput) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  const at = instantForDay(input.on, actor.now);
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // Lock the case: a concurrent transition or service log waits for this one.
    const [cur] = await tx.select().from(cases).where(eq(cases.id, row.id)).for('update');
    const from = cur!.status;
    const to = input.to;
    if (from === 'closed' && to === 'closed') throw conflict('The case is already closed.', { currentStatus: from });
    if (from === to) throw conflict(`The case is already in ${to}.`, { currentStatus: from });
    if (!NEXT_STATUSES[from].includes(to)) {
      throw conflict(`A case in ${from} cannot move to ${to}; allowed next: ${NEXT_STATUSES[from].join(', ')}.`, {
        currentStatus: from,
        allowed: [...NEXT_STATUSES[from]],
      });
    }
    const errors: { path: string; message: string }[] = [];
    if (to === 'closed' && !input.closureReason) errors.push({ path: 'json.closureReason', message: `required when closing: one of ${CLOSURE_REASONS.join(', ')}` });
    if (to !== 'closed' && input.closureReason) errors.push({ path: 'json.closureReason', message: 'only when closing' });
    if (at.getTime() > actor.now.getTime()) errors.push({ path: 'json.on', message: 'must not be in the future' });
    const [last] = await tx
      .select({ at: caseTransitions.at })
      .from(caseTransitions)
      .where(eq(caseTransitions.caseId, row.id))
      .orderBy(desc(caseTransitions.at))
      .limit(1);
    if (last && at.getTime() < last.at.getTime()) errors.push({ path: 'json.on', message: `must not be before the last change (${vnDate(last.at)})` });
    if (errors.length) throw invalid('The change has invalid fields.', errors);

    const kind = to === 'closed' ? 'close' : from === 'closed' ? 'reopen' : 'advance';
    const updated = await tx
      .update(cases)
      .set({
        status: to,
        closedAt: to === 'closed' ? at : null,
        closureReason: to === 'closed' ? input.closureReason! : null,
        updatedAt: actor.now,
      })
      .where(and(eq(cases.id, row.id), eq(cases.status, from)))
      .returning({ id: cases.id });
    if (updated.length === 0) throw conflict('The case changed meanwhile; reload and try again.');
    const [transition] = await tx
      .insert(caseTransitions)
      .values({
        orgId: actor.orgId,
        caseId: row.id,
        kind,
        fromStatus: from,
        toStatus: to,
        closureReason: to === 'closed' ? input.closureReason! : null,
        at,
        byUserId: actor.userId,
        recordedAt: actor.now,
      })
      .returning();
    return transition!;
  });
}

// ---------------------------------------------------------------------------------------------
// Case plan

export async function addGoal(db: Db, actor: CaseActor, caseId: string, input: { description: string; targetDate?: string | null }) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  if (row.status === 'closed') throw conflict('The case is closed: re-open it before adding goals.', { currentStatus: 'closed' });
  const [goal] = await withheldValues(
    db
      .insert(caseGoals)
      .values({
        orgId: actor.orgId,
        caseId: row.id,
        description: input.description.trim(),
        targetDate: input.targetDate || null,
        createdBy: actor.userId,
        createdAt: actor.now,
        updatedBy: actor.userId,
        updatedAt: actor.now,
      })
      .returning(),
  );
  return goal!;
}

export async function setGoalStatus(db: Db, actor: CaseActor, caseId: string, goalId: string, status: GoalStatus) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  if (!isUuid(goalId)) throw notFound('Goal');
  const [goal] = await db
    .update(caseGoals)
    .set({ status, updatedBy: actor.userId, updatedAt: actor.now })
    .where(and(eq(caseGoals.orgId, actor.orgId), eq(caseGoals.caseId, row.id), eq(caseGoals.id, goalId)))
    .returning();
  if (!goal) throw notFound('Goal');
  return goal;
}

// ---------------------------------------------------------------------------------------------
// Services

export interface ServiceInput {
  kind: ServiceKind;
  /** Day delivered (Vietnam); today when absent. */
  on?: string | null;
  durationMinutes: number;
  staffUserId?: string | null;
  referralTo?: string | null;
  note?: string | null;
}

export async function logService(db: Db, actor: CaseActor, caseId: string, input: ServiceInput) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  const on = input.on || vnDate(actor.now);
  const staffUserId = input.staffUserId || actor.userId;
  const errors: { path: string; message: string }[] = [];
  if (on > vnDate(actor.now)) errors.push({ path: 'json.on', message: 'must not be in the future' });
  if (on < vnDate(row.openedAt)) errors.push({ path: 'json.on', message: 'must not be before the case was opened' });
  if (staffUserId && input.staffUserId) {
    const [m] = await db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, staffUserId)))
      .limit(1);
    if (!m) errors.push({ path: 'json.staffUserId', message: 'not a staff member of this organisation' });
  }
  if (input.referralTo && input.kind !== 'referral') errors.push({ path: 'json.referralTo', message: 'only for referrals' });
  return withheldValues(db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // The lock orders this against a concurrent closing: a service never lands on a closed case.
    const [cur] = await tx.select({ status: cases.status }).from(cases).where(eq(cases.id, row.id)).for('update');
    if (cur!.status === 'closed') throw conflict('The case is closed: re-open it before logging services.', { currentStatus: 'closed' });
    if (errors.length) throw invalid('The service has invalid fields.', errors);
    const [svc] = await tx
      .insert(caseServices)
      .values({
        orgId: actor.orgId,
        caseId: row.id,
        kind: input.kind,
        deliveredOn: on,
        durationMinutes: input.durationMinutes,
        staffUserId,
        referralTo: input.kind === 'referral' ? input.referralTo?.trim() || null : null,
        note: input.note?.trim() || null,
        createdBy: actor.userId,
        createdAt: actor.now,
      })
      .returning();
    return svc!;
  }));
}

// ---------------------------------------------------------------------------------------------
// Reading cases (non-identifying)

export interface CaseSummary {
  id: string;
  code: string;
  status: CaseStatus;
  birthYear: number;
  ageBand: AgeBand;
  gender: Gender;
  locationId: string;
  locationName: string;
  categories: string[];
  household: HouseholdSituation;
  urgency: Urgency;
  openedAt: Date;
  closedAt: Date | null;
  closureReason: ClosureReason | null;
}

const summaryColumns = {
  id: cases.id,
  code: cases.code,
  status: cases.status,
  birthYear: cases.birthYear,
  gender: cases.gender,
  locationId: cases.locationId,
  locationName: locations.name,
  categories: cases.categories,
  household: cases.household,
  urgency: cases.urgency,
  openedAt: cases.openedAt,
  closedAt: cases.closedAt,
  closureReason: cases.closureReason,
};

type SummaryRow = Omit<CaseSummary, 'ageBand'>;
const toSummary = (r: SummaryRow, asOf: Date): CaseSummary => ({ ...r, ageBand: caseAgeBand(r.birthYear, asOf) });

export interface CaseFilters {
  status?: CaseStatus | 'open';
  category?: string;
  /** Matches the location and everything under it. */
  locationId?: string;
  ageBand?: AgeBand;
  /** Case code, or its beginning. */
  code?: string;
  limit?: number;
  offset?: number;
}

async function subtreeCondition(db: Db, orgId: string, locationIds: readonly string[]): Promise<SQL | null> {
  const ids = locationIds.filter(isUuid);
  if (ids.length === 0) return null;
  const roots = await db
    .select({ path: locations.path })
    .from(locations)
    .where(and(eq(locations.orgId, orgId), inArray(locations.id, ids)));
  if (roots.length === 0) return null;
  return sql`(${sql.join(
    roots.map((r) => sql`${locations.path} like ${r.path + '%'}`),
    sql` or `,
  )})`;
}

export async function listCases(db: Db, actor: CaseActor, filters: CaseFilters = {}): Promise<{ items: CaseSummary[]; total: number }> {
  const scope = await caseScope(db, actor);
  const none = { items: [], total: 0 };
  if (scope.read !== 'all' && scope.read.length === 0) return none;
  const where: SQL[] = [eq(cases.orgId, actor.orgId)];
  if (scope.read !== 'all') where.push(inArray(cases.locationId, [...scope.read]));
  if (filters.status === 'open') where.push(ne(cases.status, 'closed'));
  else if (filters.status) where.push(eq(cases.status, filters.status));
  if (filters.category) where.push(sql`${cases.categories} @> array[${filters.category}]::text[]`);
  if (filters.locationId) {
    const cond = await subtreeCondition(db, actor.orgId, [filters.locationId]);
    if (!cond) return none;
    where.push(cond);
  }
  if (filters.ageBand) {
    const { min, max } = ageBandRange(filters.ageBand);
    const y = vnYear(actor.now);
    where.push(sql`${cases.birthYear} between ${y - max} and ${y - min}`);
  }
  if (filters.code) where.push(sql`${cases.code} ilike ${filters.code.replace(/[%_\\]/g, '') + '%'}`);
  const cond = and(...where);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .innerJoin(locations, eq(locations.id, cases.locationId))
    .where(cond);
  const rows = await db
    .select(summaryColumns)
    .from(cases)
    .innerJoin(locations, eq(locations.id, cases.locationId))
    .where(cond)
    .orderBy(desc(cases.openedAt), desc(cases.code))
    .limit(Math.min(filters.limit ?? 50, 500))
    .offset(filters.offset ?? 0);
  return { items: rows.map((r) => toSummary(r, actor.now)), total: Number(count?.n ?? 0) };
}

/** One case's non-identifying attributes, for other capabilities (no viewer scope applied). */
export async function getCaseSummary(db: Db, orgId: string, caseId: string, asOf: Date = new Date()): Promise<CaseSummary | null> {
  if (!isUuid(caseId)) return null;
  const [r] = await db
    .select(summaryColumns)
    .from(cases)
    .innerJoin(locations, eq(locations.id, cases.locationId))
    .where(and(eq(cases.orgId, orgId), eq(cases.id, caseId)))
    .limit(1);
  return r ? toSummary(r, asOf) : null;
}

export interface EligibleCase {
  id: string;
  code: string;
  birthYear: number;
  ageBand: AgeBand;
  gender: Gender;
  locationId: string;
  categories: string[];
  urgency: Urgency;
  openedAt: Date;
}

export interface EligibilityCriteria {
  /** Inclusive, in years reached in the year of `asOf`. */
  minAge?: number;
  maxAge?: number;
  /** Any of these categories (empty or absent: any case). */
  categories?: readonly string[];
  /** Cases at these locations or anywhere under them (empty or absent: everywhere). */
  locationIds?: readonly string[];
  asOf?: Date;
}

const URGENCY_ORDER = sql`case ${cases.urgency} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

/**
 * Open cases (intake, assessment or intervention) that fit a gift package's criteria, most
 * urgent and longest-waiting first, a page of them (all without a limit) and how many there are.
 * Non-identifying attributes only: safe for matching pages that coordinators see.
 */
export async function listEligibleOpenCases(
  db: Db,
  orgId: string,
  criteria: EligibilityCriteria = {},
  page: { limit?: number; offset?: number } = {},
): Promise<{ items: EligibleCase[]; total: number }> {
  const asOf = criteria.asOf ?? new Date();
  const y = vnYear(asOf);
  const where: SQL[] = [eq(cases.orgId, orgId), ne(cases.status, 'closed')];
  if (criteria.minAge !== undefined) where.push(sql`${cases.birthYear} <= ${y - criteria.minAge}`);
  if (criteria.maxAge !== undefined) where.push(sql`${cases.birthYear} >= ${y - criteria.maxAge}`);
  if (criteria.categories && criteria.categories.length > 0) {
    where.push(sql`${cases.categories} && array[${sql.join(criteria.categories.map((c) => sql`${c}`), sql`, `)}]::text[]`);
  }
  if (criteria.locationIds && criteria.locationIds.length > 0) {
    const cond = await subtreeCondition(db, orgId, criteria.locationIds);
    if (!cond) return { items: [], total: 0 };
    where.push(cond);
  }
  const run = (limit: number | undefined, offset: number) => {
    let query = db
      .select({
        id: cases.id,
        code: cases.code,
        birthYear: cases.birthYear,
        gender: cases.gender,
        locationId: cases.locationId,
        categories: cases.categories,
        urgency: cases.urgency,
        openedAt: cases.openedAt,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(cases)
      .innerJoin(locations, eq(locations.id, cases.locationId))
      .where(and(...where))
      .orderBy(URGENCY_ORDER, asc(cases.openedAt), asc(cases.code))
      .$dynamic();
    if (limit !== undefined) query = query.limit(limit);
    if (offset) query = query.offset(offset);
    return query;
  };
  const offset = page.offset ?? 0;
  const rows = await run(page.limit, offset);
  // Past the last page the window has no row to count on: the first row's count says it.
  const total = rows.length ? rows[0]!.total : offset ? ((await run(1, 0))[0]?.total ?? 0) : 0;
  return { items: rows.map(({ total: _total, ...r }) => ({ ...r, ageBand: caseAgeBand(r.birthYear, asOf) })), total };
}

export async function countOpenCases(db: Db, orgId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(eq(cases.orgId, orgId), ne(cases.status, 'closed')));
  return Number(r?.n ?? 0);
}

/** Everything about a case an actor may see, without identifying data. */
export async function caseDetail(db: Db, actor: CaseActor, caseId: string) {
  const { row, canWork } = await loadCase(db, actor, caseId, 'read');
  const [loc] = await db.select({ name: locations.name }).from(locations).where(eq(locations.id, row.locationId));
  const transitions = await db
    .select({
      id: caseTransitions.id,
      kind: caseTransitions.kind,
      fromStatus: caseTransitions.fromStatus,
      toStatus: caseTransitions.toStatus,
      closureReason: caseTransitions.closureReason,
      at: caseTransitions.at,
      byUserId: caseTransitions.byUserId,
      byName: users.name,
    })
    .from(caseTransitions)
    .leftJoin(users, eq(users.id, caseTransitions.byUserId))
    .where(eq(caseTransitions.caseId, row.id))
    .orderBy(asc(caseTransitions.at), asc(caseTransitions.id));
  const goals = await db.select().from(caseGoals).where(eq(caseGoals.caseId, row.id)).orderBy(asc(caseGoals.createdAt), asc(caseGoals.id));
  const services = await db
    .select({
      id: caseServices.id,
      kind: caseServices.kind,
      deliveredOn: caseServices.deliveredOn,
      durationMinutes: caseServices.durationMinutes,
      staffUserId: caseServices.staffUserId,
      staffName: users.name,
      referralTo: caseServices.referralTo,
      note: caseServices.note,
    })
    .from(caseServices)
    .leftJoin(users, eq(users.id, caseServices.staffUserId))
    .where(eq(caseServices.caseId, row.id))
    .orderBy(desc(caseServices.deliveredOn), desc(caseServices.createdAt));
  const consents = await db
    .select({
      id: caseConsents.id,
      kind: caseConsents.kind,
      action: caseConsents.action,
      givenOn: caseConsents.givenOn,
      givenByRelation: caseConsents.givenByRelation,
    })
    .from(caseConsents)
    .where(eq(caseConsents.caseId, row.id))
    .orderBy(asc(caseConsents.givenOn), asc(caseConsents.createdAt));
  const [erasure] = await db
    .select({ erasedAt: caseErasures.erasedAt, reason: caseErasures.reason })
    .from(caseErasures)
    .where(eq(caseErasures.caseId, row.id));
  return {
    canWork,
    case: toSummary({ ...row, locationName: loc?.name ?? '' }, actor.now),
    transitions,
    // Work notes may name people despite the hint on the form: only those who work the case see them.
    goals: goals.map((g) => ({
      id: g.id,
      status: g.status,
      targetDate: g.targetDate,
      description: canWork ? g.description : undefined,
    })),
    services: services.map((s) => ({ ...s, note: canWork ? s.note : undefined })),
    consents,
    erasure: erasure ?? null,
  };
}

export type CaseDetail = Awaited<ReturnType<typeof caseDetail>>;

// ---------------------------------------------------------------------------------------------
// Errors and audit

/**
 * drizzle's query errors put the query's parameters in their message, and the app logs the
 * message of an unexpected error. Writes that carry identifying data or free-text notes go
 * through this, so such a failure reaches the log with the database error code only.
 */
export async function withheldValues<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
    const code = typeof cause?.code === 'string' ? cause.code : 'unknown';
    throw new Error(`A case write failed (database code ${code}); its values are withheld from this message.`);
  }
}

export async function writeCaseAudit(db: Db, actor: CaseActor, action: string, caseId: string, data?: Record<string, unknown>, reason?: string) {
  await writeAudit(db, {
    orgId: actor.orgId,
    actorKind: actor.actorKind,
    actorId: actor.actorId,
    action,
    subjectType: 'case',
    subjectId: caseId,
    reason,
    requestId: actor.requestId,
    data,
    at: actor.now,
  });
}
