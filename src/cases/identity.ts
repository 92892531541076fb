import { and, asc, eq } from 'drizzle-orm';
import {
  caseConsents,
  caseErasures,
  caseGoals,
  caseIdentities,
  caseServices,
  cases,
  hotlineCalls,
  organisations,
  type CONSENT_ACTIONS,
  type CONSENT_GIVERS,
  type CONSENT_KINDS,
  type ERASURE_REASONS,
} from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid } from '../http/problem';
import { caseDetail, loadCase, vnDate, withheldValues, writeCaseAudit, type CaseActor, type IdentityInput } from './cases';
import type { RevealReason } from './labels';

/*
 * Identifying data and the data-protection rights of Decree 13/2023: every read of the
 * identifying table goes through this module and leaves exactly one audit row, written in the
 * same transaction as the read. Audit rows hold ids and codes, never the values.
 */

export interface CaseIdentity {
  fullName: string | null;
  birthDate: string | null;
  address: string | null;
  guardianName: string | null;
  guardianRelation: string | null;
  guardianPhone: string | null;
  photos: { key: string; caption?: string }[];
  /** Names of those who gave consent, by consent record. */
  consentGivers: { consentId: string; name: string | null }[];
  erasedAt: Date | null;
}

async function readIdentity(tx: Db, caseId: string): Promise<CaseIdentity> {
  const [row] = await tx.select().from(caseIdentities).where(eq(caseIdentities.caseId, caseId));
  const givers = await tx
    .select({ consentId: caseConsents.id, name: caseConsents.givenByName })
    .from(caseConsents)
    .where(eq(caseConsents.caseId, caseId))
    .orderBy(asc(caseConsents.givenOn), asc(caseConsents.createdAt));
  return {
    fullName: row?.fullName ?? null,
    birthDate: row?.birthDate ?? null,
    address: row?.address ?? null,
    guardianName: row?.guardianName ?? null,
    guardianRelation: row?.guardianRelation ?? null,
    guardianPhone: row?.guardianPhone ?? null,
    photos: row?.photos ?? [],
    consentGivers: givers,
    erasedAt: row?.erasedAt ?? null,
  };
}

/** Reads a case's identifying data for someone who works the case, recording who, when and why. */
export async function revealIdentity(db: Db, actor: CaseActor, caseId: string, reason: RevealReason, via: 'api' | 'page'): Promise<CaseIdentity> {
  const { row } = await loadCase(db, actor, caseId, 'work');
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await writeCaseAudit(tx, actor, 'case.identity_read', row.id, { code: row.code, via }, reason);
    return readIdentity(tx, row.id);
  });
}

async function isErased(db: Db, caseId: string) {
  const [e] = await db.select({ id: caseErasures.id }).from(caseErasures).where(eq(caseErasures.caseId, caseId));
  return !!e;
}

/** Replaces the identifying fields given; audited with the names of the fields changed. */
export async function updateIdentity(db: Db, actor: CaseActor, caseId: string, input: IdentityInput) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  if (await isErased(db, row.id)) throw conflict("This person's identifying data was erased; it cannot be entered again on this case.");
  if (input.birthDate) {
    if (Number(input.birthDate.slice(0, 4)) !== row.birthYear) throw invalid('The identity has invalid fields.', [{ path: 'json.birthDate', message: 'must fall in the birth year of the case' }]);
    if (input.birthDate > vnDate(actor.now)) throw invalid('The identity has invalid fields.', [{ path: 'json.birthDate', message: 'must not be in the future' }]);
  }
  const set: Partial<typeof caseIdentities.$inferInsert> = {};
  const text = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);
  const fields = ['fullName', 'address', 'guardianName', 'guardianRelation', 'guardianPhone'] as const;
  for (const f of fields) {
    const v = text(input[f]);
    if (v !== undefined) set[f] = v;
  }
  if (input.birthDate !== undefined) set.birthDate = input.birthDate || null;
  if (input.photos !== undefined) set.photos = input.photos && input.photos.length > 0 ? input.photos : null;
  const changed = Object.keys(set);
  await withheldValues(db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx
      .insert(caseIdentities)
      .values({ caseId: row.id, orgId: actor.orgId, ...set, updatedAt: actor.now })
      .onConflictDoUpdate({ target: caseIdentities.caseId, set: { ...set, updatedAt: actor.now } });
    await writeCaseAudit(tx, actor, 'case.identity_updated', row.id, { code: row.code, fields: changed });
  }));
  return { fields: changed };
}

export interface ConsentInput {
  kind: (typeof CONSENT_KINDS)[number];
  action: (typeof CONSENT_ACTIONS)[number];
  on?: string | null;
  givenByRelation: (typeof CONSENT_GIVERS)[number];
  givenByName?: string | null;
}

/** Consent and its withdrawal are both new rows: the history of what was agreed stays whole. */
export async function recordConsent(db: Db, actor: CaseActor, caseId: string, input: ConsentInput) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  const on = input.on || vnDate(actor.now);
  if (on > vnDate(actor.now)) throw invalid('The consent has invalid fields.', [{ path: 'json.on', message: 'must not be in the future' }]);
  const name = input.givenByName?.trim() || null;
  if (name && (await isErased(db, row.id))) throw conflict("This person's identifying data was erased; record consent without a name.");
  return withheldValues(db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [c] = await tx
      .insert(caseConsents)
      .values({
        orgId: actor.orgId,
        caseId: row.id,
        kind: input.kind,
        action: input.action,
        givenOn: on,
        givenByRelation: input.givenByRelation,
        givenByName: name,
        recordedBy: actor.userId,
        createdAt: actor.now,
      })
      .returning();
    await writeCaseAudit(tx, actor, 'case.consent_recorded', row.id, { code: row.code, kind: input.kind, action: input.action });
    return { id: c!.id, kind: c!.kind, action: c!.action, givenOn: c!.givenOn, givenByRelation: c!.givenByRelation };
  }));
}

/**
 * Everything held about one person, for a data-subject request (Decree 13/2023, art. 14):
 * only for those who work the case, always audited with its reason.
 */
export async function exportCaseData(db: Db, actor: CaseActor, caseId: string, reason: RevealReason) {
  const detail = await caseDetail(db, actor, caseId);
  if (!detail.canWork) await loadCase(db, actor, caseId, 'work');
  const [org] = await db.select({ slug: organisations.slug, name: organisations.name }).from(organisations).where(eq(organisations.id, actor.orgId));
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await writeCaseAudit(tx, actor, 'case.exported', detail.case.id, { code: detail.case.code }, reason);
    const identity = await readIdentity(tx, detail.case.id);
    const calls = await tx
      .select({
        receivedAt: hotlineCalls.receivedAt,
        durationMinutes: hotlineCalls.durationMinutes,
        callerType: hotlineCalls.callerType,
        topic: hotlineCalls.topic,
        outcome: hotlineCalls.outcome,
      })
      .from(hotlineCalls)
      .where(and(eq(hotlineCalls.orgId, actor.orgId), eq(hotlineCalls.caseId, detail.case.id)));
    return {
      format: 'se-chia.case-export.v1',
      exportedAt: actor.now.toISOString(),
      controller: org ?? null,
      case: detail.case,
      identity,
      transitions: detail.transitions.map((t) => ({ ...t, id: String(t.id) })),
      goals: detail.goals,
      services: detail.services,
      consents: detail.consents,
      hotlineCalls: calls,
      erasure: detail.erasure,
    };
  });
}

/**
 * Erases the identifying data: the identifying row is emptied, consent givers' names and work
 * notes are cleared, and an erasure record is kept. The case row, its transitions and services
 * stay, so every count reported before is still true afterwards.
 */
export async function eraseCaseIdentity(db: Db, actor: CaseActor, caseId: string, reason: (typeof ERASURE_REASONS)[number]) {
  const { row } = await loadCase(db, actor, caseId, 'work');
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, row.id)).for('update');
    if (await isErased(tx, row.id)) throw conflict("This person's identifying data is already erased.");
    await tx
      .insert(caseIdentities)
      .values({ caseId: row.id, orgId: actor.orgId, erasedAt: actor.now, updatedAt: actor.now })
      .onConflictDoUpdate({
        target: caseIdentities.caseId,
        set: {
          fullName: null,
          birthDate: null,
          address: null,
          guardianName: null,
          guardianRelation: null,
          guardianPhone: null,
          photos: null,
          erasedAt: actor.now,
          updatedAt: actor.now,
        },
      });
    await tx.update(caseConsents).set({ givenByName: null }).where(eq(caseConsents.caseId, row.id));
    await tx.update(caseServices).set({ note: null }).where(eq(caseServices.caseId, row.id));
    await tx.update(caseGoals).set({ description: null }).where(eq(caseGoals.caseId, row.id));
    const [erasure] = await tx
      .insert(caseErasures)
      .values({ orgId: actor.orgId, caseId: row.id, reason, erasedBy: actor.userId, erasedAt: actor.now })
      .returning();
    await writeCaseAudit(tx, actor, 'case.erased', row.id, { code: row.code }, reason);
    return { erasedAt: erasure!.erasedAt, reason: erasure!.reason };
  });
}
