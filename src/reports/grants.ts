/**
 * Funders (organisation donors with contacts, a language and an IATI identity) and their grants:
 * amount, period, purpose, reporting schedule and per-indicator baselines and targets. A grant's
 * money is received into its own restricted fund, so its sources and uses come from the ledger.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { campaigns, donors, funderContacts, funders, grants, grantTargets, locations, FUNDER_TYPES, REPORT_SCHEDULES, type GrantPurpose, type ReportSchedule } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import { createFund } from '../giving/campaigns';
import { CURRENCY_DIGITS } from './model';
import { indicatorById } from './indicators';
import { uuidList } from './scope';

type FieldError = { path: string; message: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (d: string) => ISO_DAY.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

export type Funder = typeof funders.$inferSelect;
export type Grant = typeof grants.$inferSelect;
export type GrantTarget = typeof grantTargets.$inferSelect;

export interface FunderInput {
  donorId: string;
  language: 'vi' | 'en';
  iatiRef?: string | null;
  orgType?: (typeof FUNDER_TYPES)[number];
  contacts?: { name: string; email: string }[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Makes an organisation donor a funder (once per donor), with its contacts. */
export async function createFunder(db: Db, orgId: string, input: FunderInput): Promise<Funder> {
  const errors: FieldError[] = [];
  if (!UUID.test(input.donorId)) errors.push({ path: 'donorId', message: 'unknown donor' });
  if (input.iatiRef && !/^\S{3,100}$/.test(input.iatiRef)) errors.push({ path: 'iatiRef', message: 'must be an identifier without spaces' });
  (input.contacts ?? []).forEach((c, i) => {
    if (!c.name.trim()) errors.push({ path: `contacts.${i}.name`, message: 'is required' });
    if (!EMAIL.test(c.email.trim())) errors.push({ path: `contacts.${i}.email`, message: 'must be an email address' });
  });
  if (errors.length) throw invalid('The funder has invalid fields.', errors);
  const [donor] = await db.select().from(donors).where(and(eq(donors.orgId, orgId), eq(donors.id, input.donorId))).limit(1);
  if (!donor) throw invalid('The funder has invalid fields.', [{ path: 'donorId', message: 'unknown donor' }]);
  if (donor.kind !== 'organisation') throw invalid('The funder has invalid fields.', [{ path: 'donorId', message: 'a funder must be an organisation donor' }]);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const rows = await tx
      .insert(funders)
      .values({ orgId, donorId: donor.id, language: input.language, iatiRef: input.iatiRef || null, orgType: input.orgType ?? 'international-ngo' })
      .onConflictDoNothing()
      .returning();
    if (!rows[0]) throw conflict('This donor is already a funder.', { errors: [{ path: 'donorId', message: 'already a funder' }] });
    for (const c of input.contacts ?? []) await tx.insert(funderContacts).values({ orgId, funderId: rows[0].id, name: c.name.trim(), email: c.email.trim() });
    return rows[0];
  });
}

export async function listFunders(db: Db, orgId: string) {
  return db
    .select({ id: funders.id, donorId: funders.donorId, name: donors.name, language: funders.language, iatiRef: funders.iatiRef, orgType: funders.orgType })
    .from(funders)
    .innerJoin(donors, eq(donors.id, funders.donorId))
    .where(eq(funders.orgId, orgId))
    .orderBy(asc(donors.name));
}

export async function funderContactsOf(db: Db, orgId: string, funderId: string) {
  return db
    .select({ id: funderContacts.id, name: funderContacts.name, email: funderContacts.email })
    .from(funderContacts)
    .where(and(eq(funderContacts.orgId, orgId), eq(funderContacts.funderId, funderId)))
    .orderBy(asc(funderContacts.createdAt));
}

export async function addFunderContact(db: Db, orgId: string, funderId: string, c: { name: string; email: string }) {
  const errors: FieldError[] = [];
  if (!c.name.trim()) errors.push({ path: 'name', message: 'is required' });
  if (!EMAIL.test(c.email.trim())) errors.push({ path: 'email', message: 'must be an email address' });
  if (errors.length) throw invalid('The contact has invalid fields.', errors);
  const [f] = await db.select({ id: funders.id }).from(funders).where(and(eq(funders.orgId, orgId), eq(funders.id, funderId))).limit(1);
  if (!f) throw notFound('Funder');
  const rows = await db.insert(funderContacts).values({ orgId, funderId, name: c.name.trim(), email: c.email.trim() }).onConflictDoNothing().returning();
  if (!rows[0]) throw conflict('This contact is already there.', { errors: [{ path: 'email', message: 'already a contact' }] });
  return rows[0];
}

export interface TargetInput {
  indicatorId: string;
  baselineYear?: number | null;
  baselineValue?: bigint | null;
  targetValue: bigint;
}

export interface GrantInput {
  funderId: string;
  code: string;
  title: string;
  titleEn?: string | null;
  description?: string;
  amountMinor: bigint;
  currency: string;
  startsOn: string;
  endsOn: string;
  purpose?: GrantPurpose;
  schedule: ReportSchedule;
  nextDueOn?: string | null;
  targets?: TargetInput[];
}

/** The last day of the first reporting period of a schedule starting on `startsOn`. */
export function firstPeriodEnd(startsOn: string, schedule: ReportSchedule, endsOn: string): string | null {
  if (schedule === 'none') return null;
  return nextPeriodEnd(addDaysIso(startsOn, -1), schedule, endsOn);
}

/** The end of the period after the one ending `periodEnd` (months 3/6/12 later, month ends kept). */
export function nextPeriodEnd(periodEnd: string, schedule: ReportSchedule, endsOn: string): string | null {
  if (schedule === 'none' || periodEnd >= endsOn) return null;
  const months = schedule === 'quarterly' ? 3 : schedule === 'semi_annual' ? 6 : 12;
  const next = addDaysIso(addMonthsIso(addDaysIso(periodEnd, 1), months), -1);
  return next > endsOn ? endsOn : next;
}

export function addDaysIso(d: string, n: number): string {
  return new Date(new Date(`${d}T00:00:00Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);
}

function addMonthsIso(d: string, months: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1 + months, day));
  return dt.toISOString().slice(0, 10);
}

async function checkGrant(db: Db, orgId: string, input: GrantInput, grantId: string | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(input.code)) errors.push({ path: 'code', message: 'lower-case letters, digits and dashes, at most 40' });
  if (!input.title.trim()) errors.push({ path: 'title', message: 'is required' });
  if (input.amountMinor < 0n) errors.push({ path: 'amountMinor', message: 'must not be negative' });
  if (CURRENCY_DIGITS[input.currency] === undefined) errors.push({ path: 'currency', message: `one of ${Object.keys(CURRENCY_DIGITS).join(', ')}` });
  if (!validDay(input.startsOn)) errors.push({ path: 'startsOn', message: 'must be a date YYYY-MM-DD' });
  if (!validDay(input.endsOn)) errors.push({ path: 'endsOn', message: 'must be a date YYYY-MM-DD' });
  else if (validDay(input.startsOn) && input.endsOn < input.startsOn) errors.push({ path: 'endsOn', message: 'must not be before the start' });
  if (!REPORT_SCHEDULES.includes(input.schedule)) errors.push({ path: 'schedule', message: `one of ${REPORT_SCHEDULES.join(', ')}` });
  if (input.nextDueOn && !validDay(input.nextDueOn)) errors.push({ path: 'nextDueOn', message: 'must be a date YYYY-MM-DD' });
  if (!UUID.test(input.funderId)) errors.push({ path: 'funderId', message: 'unknown funder' });
  else {
    const [f] = await db.select({ id: funders.id }).from(funders).where(and(eq(funders.orgId, orgId), eq(funders.id, input.funderId))).limit(1);
    if (!f) errors.push({ path: 'funderId', message: 'unknown funder' });
  }
  const p = input.purpose ?? {};
  const ids = async (table: typeof campaigns | typeof locations, list: string[] | undefined, path: string) => {
    if (!list?.length) return;
    if (list.some((x) => !UUID.test(x))) return void errors.push({ path, message: 'unknown id' });
    const found = await db.select({ id: table.id }).from(table).where(and(eq(table.orgId, orgId), sql`${table.id} in (${uuidList(list)})`));
    if (found.length !== new Set(list).size) errors.push({ path, message: 'unknown id' });
  };
  await ids(campaigns, p.campaignIds, 'purpose.campaignIds');
  await ids(locations, p.locationIds, 'purpose.locationIds');
  if (p.driveIds?.some((x) => !UUID.test(x))) errors.push({ path: 'purpose.driveIds', message: 'unknown id' });
  if (p.categories?.some((c) => !/^[a-z][a-z0-9_]{1,39}$/.test(c))) errors.push({ path: 'purpose.categories', message: 'unknown category' });
  const seen = new Set<string>();
  (input.targets ?? []).forEach((t, i) => {
    const def = indicatorById(t.indicatorId);
    if (!def) errors.push({ path: `targets.${i}.indicatorId`, message: 'unknown indicator' });
    if (seen.has(t.indicatorId)) errors.push({ path: `targets.${i}.indicatorId`, message: 'appears twice' });
    seen.add(t.indicatorId);
    if (t.targetValue < 0n) errors.push({ path: `targets.${i}.targetValue`, message: 'must not be negative' });
    if ((t.baselineValue ?? null) !== null && (t.baselineValue! < 0n)) errors.push({ path: `targets.${i}.baselineValue`, message: 'must not be negative' });
    if (((t.baselineYear ?? null) === null) !== ((t.baselineValue ?? null) === null)) errors.push({ path: `targets.${i}.baselineYear`, message: 'a baseline needs both a year and a value' });
    if (t.baselineYear != null && (!Number.isInteger(t.baselineYear) || t.baselineYear < 1990 || t.baselineYear > 2200)) errors.push({ path: `targets.${i}.baselineYear`, message: 'must be a year' });
  });
  if (!errors.some((e) => e.path === 'code')) {
    const [dupe] = await db.select({ id: grants.id }).from(grants).where(and(eq(grants.orgId, orgId), eq(grants.code, input.code))).limit(1);
    if (dupe && dupe.id !== grantId) errors.push({ path: 'code', message: 'already used by another grant' });
  }
  return errors;
}

async function writeTargets(tx: Db, orgId: string, grantId: string, targets: TargetInput[]) {
  await tx.delete(grantTargets).where(and(eq(grantTargets.orgId, orgId), eq(grantTargets.grantId, grantId)));
  for (const t of targets) {
    await tx.insert(grantTargets).values({
      orgId,
      grantId,
      indicatorId: t.indicatorId,
      baselineYear: t.baselineYear ?? null,
      baselineValue: t.baselineValue ?? null,
      targetValue: t.targetValue,
    });
  }
}

export async function createGrant(db: Db, orgId: string, input: GrantInput): Promise<Grant> {
  const errors = await checkGrant(db, orgId, input, null);
  if (errors.length) throw invalid('The grant has invalid fields.', errors);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const fund = await createFund(tx, orgId, { kind: 'grant', name: input.title.trim() });
    const [g] = await tx
      .insert(grants)
      .values({
        orgId,
        funderId: input.funderId,
        code: input.code,
        title: input.title.trim(),
        titleEn: input.titleEn?.trim() || null,
        description: input.description?.trim() ?? '',
        amountMinor: input.amountMinor,
        currency: input.currency,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        fundId: fund.id,
        purpose: input.purpose ?? {},
        schedule: input.schedule,
        nextDueOn: input.nextDueOn ?? firstPeriodEnd(input.startsOn, input.schedule, input.endsOn),
      })
      .returning();
    await writeTargets(tx, orgId, g!.id, input.targets ?? []);
    return g!;
  });
}

export async function updateGrant(db: Db, orgId: string, grantId: string, input: GrantInput): Promise<Grant> {
  await getGrant(db, orgId, grantId);
  const errors = await checkGrant(db, orgId, input, grantId);
  if (errors.length) throw invalid('The grant has invalid fields.', errors);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [g] = await tx
      .update(grants)
      .set({
        funderId: input.funderId,
        code: input.code,
        title: input.title.trim(),
        titleEn: input.titleEn?.trim() || null,
        description: input.description?.trim() ?? '',
        amountMinor: input.amountMinor,
        currency: input.currency,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        purpose: input.purpose ?? {},
        schedule: input.schedule,
        nextDueOn: input.nextDueOn === undefined ? firstPeriodEnd(input.startsOn, input.schedule, input.endsOn) : input.nextDueOn,
        updatedAt: new Date(),
      })
      .where(and(eq(grants.orgId, orgId), eq(grants.id, grantId)))
      .returning();
    await writeTargets(tx, orgId, grantId, input.targets ?? []);
    return g!;
  });
}

export async function getGrant(db: Db, orgId: string, grantId: string) {
  if (!UUID.test(grantId)) throw notFound('Grant');
  const [g] = await db.select().from(grants).where(and(eq(grants.orgId, orgId), eq(grants.id, grantId))).limit(1);
  if (!g) throw notFound('Grant');
  const targets = await db.select().from(grantTargets).where(and(eq(grantTargets.orgId, orgId), eq(grantTargets.grantId, grantId))).orderBy(asc(grantTargets.indicatorId));
  return { ...g, targets };
}

export async function listGrants(db: Db, orgId: string) {
  return db
    .select({ grant: grants, funderName: donors.name })
    .from(grants)
    .innerJoin(funders, eq(funders.id, grants.funderId))
    .innerJoin(donors, eq(donors.id, funders.donorId))
    .where(eq(grants.orgId, orgId))
    .orderBy(asc(grants.startsOn), asc(grants.code));
}
