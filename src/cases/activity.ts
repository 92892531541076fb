import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import {
  AUDIENCE_TYPES,
  CALL_OUTCOMES,
  CALL_TOPICS,
  CALLER_TYPES,
  cases,
  hotlineCalls,
  locations,
  OUTREACH_KINDS,
  outreachEvents,
  SERVICE_KINDS,
  users,
} from '../db/schema';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { invalid } from '../http/problem';
import { isUuid, vnDate, vnDayStart, type CaseActor } from './cases';

/*
 * The countable work that does not live on one case: hotline calls (counted even when no case
 * is opened) and outreach events with their audiences and materials. Plus one summary that
 * turns all of it into the indicators funders ask for.
 */

async function checkOrgLocation(db: Db, orgId: string, locationId: string | null | undefined, path: string) {
  if (!locationId) return [];
  if (!isUuid(locationId)) return [{ path, message: 'unknown location' }];
  const [l] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.orgId, orgId), eq(locations.id, locationId)))
    .limit(1);
  return l ? [] : [{ path, message: 'unknown location' }];
}

export interface HotlineCallInput {
  receivedAt?: Date | null;
  durationMinutes: number;
  callerType: (typeof CALLER_TYPES)[number];
  topic: (typeof CALL_TOPICS)[number];
  outcome: (typeof CALL_OUTCOMES)[number];
  locationId?: string | null;
  /** The case the call led to or concerns, by code (HP-2026-0042). */
  caseCode?: string | null;
}

export async function logHotlineCall(db: Db, actor: CaseActor, input: HotlineCallInput) {
  const receivedAt = input.receivedAt ?? actor.now;
  const errors = await checkOrgLocation(db, actor.orgId, input.locationId, 'json.locationId');
  if (receivedAt.getTime() > actor.now.getTime() + 60_000) errors.push({ path: 'json.receivedAt', message: 'must not be in the future' });
  let caseId: string | null = null;
  if (input.caseCode) {
    const [c] = await db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.orgId, actor.orgId), eq(cases.code, input.caseCode.trim().toUpperCase())))
      .limit(1);
    if (!c) errors.push({ path: 'json.caseCode', message: 'no case with this code' });
    else caseId = c.id;
  }
  if (errors.length) throw invalid('The call has invalid fields.', errors);
  const [row] = await db
    .insert(hotlineCalls)
    .values({
      orgId: actor.orgId,
      receivedAt,
      durationMinutes: input.durationMinutes,
      callerType: input.callerType,
      topic: input.topic,
      outcome: input.outcome,
      locationId: input.locationId || null,
      caseId,
      takenBy: actor.userId,
      createdAt: actor.now,
    })
    .returning();
  return row!;
}

export interface PeriodFilter {
  /** Inclusive Vietnamese calendar days. */
  from?: string;
  to?: string;
}

function callPeriod(p: PeriodFilter): SQL[] {
  const w: SQL[] = [];
  if (p.from) w.push(gte(hotlineCalls.receivedAt, vnDayStart(p.from)));
  if (p.to) w.push(lt(hotlineCalls.receivedAt, new Date(vnDayStart(p.to).getTime() + 86_400_000)));
  return w;
}

export async function listHotlineCalls(db: Db, orgId: string, p: PeriodFilter & { limit?: number } = {}) {
  const where = and(eq(hotlineCalls.orgId, orgId), ...callPeriod(p));
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(hotlineCalls).where(where);
  const items = await db
    .select({
      id: hotlineCalls.id,
      receivedAt: hotlineCalls.receivedAt,
      durationMinutes: hotlineCalls.durationMinutes,
      callerType: hotlineCalls.callerType,
      topic: hotlineCalls.topic,
      outcome: hotlineCalls.outcome,
      locationId: hotlineCalls.locationId,
      locationName: locations.name,
      caseId: hotlineCalls.caseId,
      caseCode: cases.code,
      takenByName: users.name,
    })
    .from(hotlineCalls)
    .leftJoin(locations, eq(locations.id, hotlineCalls.locationId))
    .leftJoin(cases, eq(cases.id, hotlineCalls.caseId))
    .leftJoin(users, eq(users.id, hotlineCalls.takenBy))
    .where(where)
    .orderBy(desc(hotlineCalls.receivedAt))
    .limit(Math.min(p.limit ?? 50, 500));
  return { total: Number(count?.n ?? 0), items };
}

export interface OutreachInput {
  kind: (typeof OUTREACH_KINDS)[number];
  heldOn: string;
  title: string;
  locationId?: string | null;
  audienceType: (typeof AUDIENCE_TYPES)[number];
  participants: number;
  leaflets?: number;
  posters?: number;
  questionnaires?: number;
}

export async function recordOutreachEvent(db: Db, actor: CaseActor, input: OutreachInput) {
  const errors = await checkOrgLocation(db, actor.orgId, input.locationId, 'json.locationId');
  if (input.heldOn > vnDate(actor.now)) errors.push({ path: 'json.heldOn', message: 'must not be in the future' });
  if (errors.length) throw invalid('The event has invalid fields.', errors);
  const [row] = await db
    .insert(outreachEvents)
    .values({
      orgId: actor.orgId,
      kind: input.kind,
      heldOn: input.heldOn,
      title: input.title.trim(),
      locationId: input.locationId || null,
      audienceType: input.audienceType,
      participants: input.participants,
      leaflets: input.leaflets ?? 0,
      posters: input.posters ?? 0,
      questionnaires: input.questionnaires ?? 0,
      createdBy: actor.userId,
      createdAt: actor.now,
    })
    .returning();
  return row!;
}

export async function listOutreachEvents(db: Db, orgId: string, p: PeriodFilter & { limit?: number } = {}) {
  const w: SQL[] = [eq(outreachEvents.orgId, orgId)];
  if (p.from) w.push(gte(outreachEvents.heldOn, p.from));
  if (p.to) w.push(lte(outreachEvents.heldOn, p.to));
  const where = and(...w);
  const [totals] = await db
    .select({
      events: sql<number>`count(*)::int`,
      participants: sql<number>`coalesce(sum(${outreachEvents.participants}), 0)::int`,
      leaflets: sql<number>`coalesce(sum(${outreachEvents.leaflets}), 0)::int`,
      posters: sql<number>`coalesce(sum(${outreachEvents.posters}), 0)::int`,
      questionnaires: sql<number>`coalesce(sum(${outreachEvents.questionnaires}), 0)::int`,
    })
    .from(outreachEvents)
    .where(where);
  const items = await db
    .select({
      id: outreachEvents.id,
      kind: outreachEvents.kind,
      heldOn: outreachEvents.heldOn,
      title: outreachEvents.title,
      locationId: outreachEvents.locationId,
      locationName: locations.name,
      audienceType: outreachEvents.audienceType,
      participants: outreachEvents.participants,
      leaflets: outreachEvents.leaflets,
      posters: outreachEvents.posters,
      questionnaires: outreachEvents.questionnaires,
    })
    .from(outreachEvents)
    .leftJoin(locations, eq(locations.id, outreachEvents.locationId))
    .where(where)
    .orderBy(desc(outreachEvents.heldOn), desc(outreachEvents.createdAt))
    .limit(Math.min(p.limit ?? 100, 1000));
  return {
    totals: {
      events: Number(totals?.events ?? 0),
      participants: Number(totals?.participants ?? 0),
      leaflets: Number(totals?.leaflets ?? 0),
      posters: Number(totals?.posters ?? 0),
      questionnaires: Number(totals?.questionnaires ?? 0),
    },
    items,
  };
}

export interface ActivitySummary {
  period: { from: string; to: string };
  hotlineCalls: number;
  services: Record<(typeof SERVICE_KINDS)[number], { count: number; minutes: number }>;
  cases: {
    /** Cases first opened in the period. */
    opened: number;
    /** Cases open at any moment of the period. */
    handled: number;
    /** Cases closed in the period (a case closed twice counts once). */
    closed: number;
    /** Cases re-opened in the period. */
    reopened: number;
    /** Stage of each case at the end of the period (cases opened by then). */
    atEnd: { intake: number; assessment: number; intervention: number; closed: number };
  };
  outreach: Record<(typeof OUTREACH_KINDS)[number], { events: number; participants: number }>;
  materials: { leaflets: number; posters: number; questionnaires: number };
}

/**
 * The indicators of a period (inclusive Vietnamese days), all derived from the recorded rows.
 * Stages are taken from the transition history, so a report for a past period stays the same
 * when cases move on later.
 */
export async function caseActivitySummary(db: Db, orgId: string, period: { from: string; to: string }): Promise<ActivitySummary> {
  // ISO strings with casts: both drivers pass them the same way.
  const start = sql`${vnDayStart(period.from).toISOString()}::timestamptz`;
  const end = sql`${new Date(vnDayStart(period.to).getTime() + 86_400_000).toISOString()}::timestamptz`;
  const [calls] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from hotline_calls where org_id = ${orgId} and received_at >= ${start} and received_at < ${end}`,
  );
  const svc = await queryRows<{ kind: string; n: number; minutes: number }>(
    db,
    sql`select kind, count(*)::int as n, coalesce(sum(duration_minutes), 0)::int as minutes from case_services
        where org_id = ${orgId} and delivered_on between ${period.from}::date and ${period.to}::date group by kind`,
  );
  const [caseCounts] = await queryRows<{ opened: number; handled: number; closed: number; reopened: number }>(
    db,
    sql`with in_period as (
          select case_id, kind from case_transitions where org_id = ${orgId} and at >= ${start} and at < ${end}
        ), before as (
          select distinct on (case_id) case_id, to_status from case_transitions
          where org_id = ${orgId} and at < ${start} order by case_id, at desc, id desc
        )
        select
          (select count(distinct case_id) from in_period where kind = 'open')::int as opened,
          (select count(*) from (select case_id from in_period union select case_id from before where to_status <> 'closed') x)::int as handled,
          (select count(distinct case_id) from in_period where kind = 'close')::int as closed,
          (select count(distinct case_id) from in_period where kind = 'reopen')::int as reopened`,
  );
  const atEndRows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select to_status as status, count(*)::int as n from (
          select distinct on (case_id) case_id, to_status from case_transitions
          where org_id = ${orgId} and at < ${end} order by case_id, at desc, id desc
        ) s group by to_status`,
  );
  const outreach = await queryRows<{ kind: string; events: number; participants: number; leaflets: number; posters: number; questionnaires: number }>(
    db,
    sql`select kind, count(*)::int as events, coalesce(sum(participants), 0)::int as participants,
          coalesce(sum(leaflets), 0)::int as leaflets, coalesce(sum(posters), 0)::int as posters,
          coalesce(sum(questionnaires), 0)::int as questionnaires
        from outreach_events where org_id = ${orgId} and held_on between ${period.from}::date and ${period.to}::date group by kind`,
  );

  const services = Object.fromEntries(SERVICE_KINDS.map((k) => [k, { count: 0, minutes: 0 }])) as ActivitySummary['services'];
  for (const r of svc) if (r.kind in services) services[r.kind as keyof typeof services] = { count: Number(r.n), minutes: Number(r.minutes) };
  const atEnd = { intake: 0, assessment: 0, intervention: 0, closed: 0 };
  for (const r of atEndRows) if (r.status in atEnd) atEnd[r.status as keyof typeof atEnd] = Number(r.n);
  const byKind = Object.fromEntries(OUTREACH_KINDS.map((k) => [k, { events: 0, participants: 0 }])) as ActivitySummary['outreach'];
  const materials = { leaflets: 0, posters: 0, questionnaires: 0 };
  for (const r of outreach) {
    if (r.kind in byKind) byKind[r.kind as keyof typeof byKind] = { events: Number(r.events), participants: Number(r.participants) };
    materials.leaflets += Number(r.leaflets);
    materials.posters += Number(r.posters);
    materials.questionnaires += Number(r.questionnaires);
  }
  return {
    period,
    hotlineCalls: Number(calls?.n ?? 0),
    services,
    cases: {
      opened: Number(caseCounts?.opened ?? 0),
      handled: Number(caseCounts?.handled ?? 0),
      closed: Number(caseCounts?.closed ?? 0),
      reopened: Number(caseCounts?.reopened ?? 0),
      atEnd,
    },
    outreach: byKind,
    materials,
  };
}
