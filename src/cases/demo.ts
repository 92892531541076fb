import { eq } from 'drizzle-orm';
import {
  auditLog,
  caseConsents,
  caseCounters,
  caseErasures,
  caseGoals,
  caseIdentities,
  caseServices,
  caseTransitions,
  cases,
  hotlineCalls,
  organisations,
  outreachEvents,
  type CaseStatus,
  type ClosureReason,
  type Gender,
  type HouseholdSituation,
  type ServiceKind,
  type Urgency,
} from '../db/schema';
import type { Db } from '../db/types';
import { addLocation } from '../orgs/orgs';
import { formatCaseCode, listCategories } from './cases';
import type { DemoFoundation } from '../demo/seed';

/*
 * Demo cases for the Hải Phòng centre. The 2019 figures are those of DOMAIN.md (January to
 * September 2019: 311 hotline calls, 8 counselling sessions, 72 cases, 67 closed, 5 in
 * intervention; outreach and materials). The 2025-2026 cases are open now, so gift packages
 * can be matched to children (Tiên Hưng commune, autism, HIV-affected).
 *
 * Every person is fictional: names carry "Hư Cấu" ("fictional"), addresses are in "ngõ Minh
 * Họa" ("illustration lane"), phone numbers start 0000. A seeded generator makes the data the
 * same on every run.
 */

/** Small seeded generator (mulberry32): deterministic demo data. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

/** Splits `total` into `n` positive parts around the mean (±jitter), summing exactly. */
function split(total: number, n: number, r: ReturnType<typeof rng>, jitter = 0.35): number[] {
  const weights = Array.from({ length: n }, () => 1 - jitter + 2 * jitter * r.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let diff = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n) {
    if (diff > 0) {
      parts[i]!++;
      diff--;
    } else if (parts[i]! > 1) {
      parts[i]!--;
      diff++;
    }
  }
  return parts;
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Minh', 'Nam', 'Ngọc', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];

/** "Nguyễn Hư Cấu An": an obviously fictional name, the same for the same index. */
export function fictionalName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]} Hư Cấu ${GIVEN[(i * 7) % GIVEN.length]}`;
}

const day = (d: string, minute = 0) => new Date(new Date(`${d}T12:00:00+07:00`).getTime() + minute * 60_000);
const addDays = (d: string, n: number) => new Date(new Date(`${d}T00:00:00Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);

interface PlannedCase {
  year: number;
  openedOn: string;
  birthYear: number;
  gender: Gender;
  locationId: string;
  categories: string[];
  household: HouseholdSituation;
  urgency: Urgency;
  /** Dated steps after opening: to which stage, on which day. */
  steps: { to: CaseStatus; on: string; reason?: ClosureReason }[];
  staff: string;
  services: { kind: ServiceKind; on: string; minutes: number; referralTo?: string }[];
  goals: { description: string; status: 'planned' | 'in_progress' | 'achieved' | 'dropped' }[];
  erasedOn?: string;
  fromHotline?: boolean;
}

async function chunkedInsert<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export interface DemoCases {
  locations: Record<string, string>;
  counts: { cases: number; open: number };
}

export async function seedCases(db: Db, f: DemoFoundation): Promise<DemoCases> {
  const r = rng(20191001);
  const orgId = f.orgId;
  const [org] = await db.select({ shortCode: organisations.shortCode }).from(organisations).where(eq(organisations.id, orgId));
  await listCategories(db, orgId);

  // A few more communes and wards of the city, so cases and outreach spread like the real work.
  const extra: Record<string, string> = {};
  for (const [key, name, kind] of [
    ['ngoQuyen', 'Phường Ngô Quyền', 'ward'],
    ['hongBang', 'Phường Hồng Bàng', 'ward'],
    ['haiAn', 'Phường Hải An', 'ward'],
    ['kienAn', 'Phường Kiến An', 'ward'],
    ['vinhBao', 'Xã Vĩnh Bảo', 'commune'],
    ['anLao', 'Xã An Lão', 'commune'],
    ['kienThuy', 'Xã Kiến Thụy', 'commune'],
  ] as const) {
    extra[key] = (await addLocation(db, orgId, { name, kind, parentId: f.locations.province })).id;
  }
  const L: typeof f.locations & Record<string, string> = { ...f.locations, ...extra };
  const allPlaces = [L.tienHung, L.tienHungOffice, L.leChan, L.thuyNguyen, L.ngoQuyen!, L.hongBang!, L.haiAn!, L.kienAn!, L.vinhBao!, L.anLao!, L.kienThuy!];
  const cw = f.users.caseworker!;
  const admin = f.users.admin!;
  const staffFor = (loc: string) => (loc === L.tienHung || loc === L.tienHungOffice ? cw : admin);

  const plan: PlannedCase[] = [];

  // --- 2019, January to September: 72 cases, 67 closed by 30 September, 5 in intervention.
  const inInterventionAtSep30 = new Set([19, 37, 52, 63, 69]);
  const childCats = [
    ['violence_victim'],
    ['abuse_victim'],
    ['poor_household', 'single_parent'],
    ['autism_developmental'],
    ['orphan', 'poor_household'],
    ['severe_disability'],
    ['hiv_affected'],
    ['abandoned'],
    ['trafficking_victim'],
    ['agent_orange', 'severe_disability'],
    ['single_parent'],
    ['disaster_affected', 'poor_household'],
  ];
  const services2019: { caseIdx: number; kind: ServiceKind; on: string; minutes: number; referralTo?: string }[] = [];
  for (let i = 0; i < 72; i++) {
    const openedOn = addDays('2019-01-03', Math.floor(i * 3.5));
    const elderly = i % 12 === 5;
    const longIntervention = inInterventionAtSep30.has(i);
    const categories = longIntervention ? ['autism_developmental'] : elderly ? ['elderly_unsupported'] : [...r.pick(childCats)];
    const birthYear = elderly ? r.int(1932, 1954) : longIntervention ? r.int(2013, 2016) : r.int(2002, 2017);
    const loc = r.pick(allPlaces);
    const aOn = addDays(openedOn, r.int(1, 5));
    const iOn = addDays(aOn, r.int(3, 10));
    const steps: PlannedCase['steps'] = [];
    if (longIntervention) {
      steps.push({ to: 'assessment', on: aOn }, { to: 'intervention', on: iOn });
      // Weekly early intervention ran into 2020, then goals were met.
      steps.push({ to: 'closed', on: addDays('2020-03-16', [...inInterventionAtSep30].indexOf(i) * 21), reason: 'goals_met' });
    } else if (i % 14 === 3) {
      steps.push({ to: 'closed', on: addDays(openedOn, 2), reason: 'declined' });
    } else if (i % 9 === 4) {
      steps.push({ to: 'assessment', on: aOn }, { to: 'closed', on: addDays(aOn, 4), reason: 'referred' });
    } else {
      let cOn = addDays(iOn, r.int(12, 60));
      if (cOn > '2019-09-28') cOn = iOn < '2019-09-27' ? '2019-09-28' : addDays(iOn, 1);
      const reason: ClosureReason = i % 17 === 8 ? 'moved' : i % 23 === 11 ? 'other' : 'goals_met';
      steps.push({ to: 'assessment', on: aOn }, { to: 'intervention', on: iOn }, { to: 'closed', on: cOn, reason });
    }
    plan.push({
      year: 2019,
      openedOn,
      birthYear,
      gender: r.pick(['female', 'male'] as const),
      locationId: loc,
      categories,
      household: elderly ? 'alone' : r.pick(['both_parents', 'single_parent', 'grandparents', 'relatives'] as const),
      urgency: categories.some((c) => c.endsWith('_victim')) ? r.pick(['high', 'critical'] as const) : r.pick(['low', 'medium', 'high'] as const),
      steps,
      staff: staffFor(loc),
      services: [],
      goals: [{ description: 'Ổn định tâm lý, an toàn tại gia đình', status: steps.at(-1)!.reason === 'goals_met' ? 'achieved' : 'dropped' }],
      // Retention over: the identifying data of a dozen old cases was erased in 2024.
      erasedOn: i % 6 === 1 ? '2024-06-14' : undefined,
      fromHotline: i % 9 !== 0 && i % 2 === 0,
    });
    const p = plan.at(-1)!;
    // Home visit at assessment, referral for referred cases, emergency support for victims.
    if (steps[0]!.to !== 'closed') p.services.push({ kind: 'home_visit', on: aOn, minutes: 90 });
    if (steps.some((s) => s.reason === 'referred')) p.services.push({ kind: 'referral', on: addDays(aOn, 4), minutes: 30, referralTo: 'Bệnh viện Trẻ em Hải Phòng' });
    if (categories.includes('violence_victim') && i % 4 === 0) p.services.push({ kind: 'emergency_shelter', on: openedOn, minutes: 240 });
    if (categories.includes('trafficking_victim')) p.services.push({ kind: 'emergency_travel', on: openedOn, minutes: 120 });
    if (longIntervention && i !== 69 && i !== 63) {
      // Three children in weekly intervention for developmental disorders.
      for (let w = 0; w < 12; w++) {
        const on = addDays(iOn, 7 * w);
        if (on <= '2019-09-30') p.services.push({ kind: 'therapy', on, minutes: 60 });
      }
    }
  }
  // The eight direct counselling sessions of the period.
  [2, 9, 16, 24, 30, 40, 47, 58].forEach((idx, k) => {
    const p = plan[idx]!;
    services2019.push({ caseIdx: idx, kind: 'counselling', on: addDays(p.openedOn, 1 + (k % 2)), minutes: 60 });
  });
  for (const s of services2019) plan[s.caseIdx]!.services.push({ kind: s.kind, on: s.on, minutes: s.minutes });

  // --- 2025: 24 cases, 20 closed, 4 children still in intervention today.
  for (let i = 0; i < 24; i++) {
    const openedOn = addDays('2025-01-08', i * 14);
    const stillOpen = i % 6 === 2;
    const loc = i % 3 === 0 ? L.tienHung : r.pick(allPlaces);
    const aOn = addDays(openedOn, r.int(2, 6));
    const iOn = addDays(aOn, r.int(5, 12));
    const steps: PlannedCase['steps'] = [{ to: 'assessment', on: aOn }, { to: 'intervention', on: iOn }];
    if (!stillOpen) steps.push({ to: 'closed', on: addDays(iOn, r.int(30, 90)), reason: i % 7 === 4 ? 'referred' : 'goals_met' });
    const categories = stillOpen ? ['autism_developmental'] : [...r.pick(childCats)];
    plan.push({
      year: 2025,
      openedOn,
      birthYear: stillOpen ? r.int(2014, 2019) : r.int(2008, 2020),
      gender: i % 2 === 0 ? 'male' : 'female',
      locationId: loc,
      categories,
      household: r.pick(['both_parents', 'single_parent', 'grandparents'] as const),
      urgency: r.pick(['medium', 'high'] as const),
      steps,
      staff: staffFor(loc),
      services: [
        { kind: 'home_visit', on: aOn, minutes: 90 },
        ...(stillOpen ? [0, 1, 2, 3].map((w) => ({ kind: 'therapy' as const, on: addDays(iOn, 7 * w), minutes: 60 })) : []),
      ],
      goals: [{ description: stillOpen ? 'Can thiệp sớm hằng tuần, phối hợp với gia đình' : 'Trẻ đi học đều đặn', status: stillOpen ? 'in_progress' : 'achieved' }],
    });
  }

  // --- 2026: 66 cases. 8 already closed; open now: 27 children in Tiên Hưng, 18 with autism or
  // a developmental disorder, 10 HIV-affected, 3 elderly.
  const groups: { n: number; places: string[]; cats: string[][]; years: [number, number]; closed?: boolean; elderly?: boolean; goal: string }[] = [
    { n: 8, places: allPlaces, cats: childCats, years: [2008, 2021], closed: true, goal: 'Ổn định tâm lý, an toàn tại gia đình' },
    {
      n: 27,
      places: [L.tienHung, L.tienHung, L.tienHungOffice],
      cats: [['poor_household'], ['poor_household', 'single_parent'], ['orphan', 'poor_household'], ['disaster_affected', 'poor_household'], ['severe_disability'], ['single_parent'], ['agent_orange', 'severe_disability'], ['autism_developmental', 'poor_household']],
      years: [2009, 2023],
      goal: 'Đảm bảo dinh dưỡng và đi học đều đặn',
    },
    {
      n: 18,
      places: [L.leChan, L.leChanOffice, L.ngoQuyen!, L.hongBang!, L.kienAn!],
      cats: [['autism_developmental'], ['autism_developmental', 'single_parent'], ['autism_developmental', 'poor_household']],
      years: [2014, 2023],
      goal: 'Tham gia can thiệp sớm hằng tuần',
    },
    {
      n: 10,
      places: [L.thuyNguyen, L.haiAn!, L.ngoQuyen!],
      cats: [['hiv_affected'], ['hiv_affected', 'orphan'], ['hiv_affected', 'poor_household']],
      years: [2010, 2020],
      goal: 'Được khám và điều trị định kỳ, đi học bình thường',
    },
    { n: 3, places: [L.kienAn!, L.vinhBao!], cats: [['elderly_unsupported']], years: [1938, 1950], elderly: true, goal: 'Có người chăm sóc hằng ngày' },
  ];
  let k = 0;
  for (const g of groups) {
    for (let j = 0; j < g.n; j++, k++) {
      const openedOn = addDays('2026-01-05', Math.floor(k * 4.4));
      const loc = g.places[j % g.places.length]!;
      const stage = g.closed ? 3 : j % 5 === 0 ? 0 : j % 5 === 1 ? 1 : 2;
      const aOn = addDays(openedOn, r.int(2, 6));
      const iOn = addDays(aOn, r.int(4, 12));
      const steps: PlannedCase['steps'] = [];
      if (stage >= 1) steps.push({ to: 'assessment', on: aOn });
      if (stage >= 2) steps.push({ to: 'intervention', on: iOn });
      if (stage === 3) steps.push({ to: 'closed', on: addDays(iOn, r.int(20, 50)), reason: j % 4 === 1 ? 'moved' : 'goals_met' });
      const categories = [...g.cats[j % g.cats.length]!];
      const autism = categories.includes('autism_developmental');
      const services: PlannedCase['services'] = stage >= 1 ? [{ kind: 'home_visit', on: aOn, minutes: 90 }] : [];
      if (stage >= 2 && autism) for (let w = 0; w < 4; w++) services.push({ kind: 'therapy', on: addDays(iOn, 7 * w), minutes: 60 });
      if (stage >= 1 && j % 6 === 0) services.push({ kind: 'counselling', on: aOn, minutes: 45 });
      if (stage >= 1 && categories.includes('disaster_affected')) services.push({ kind: 'emergency_food', on: openedOn, minutes: 60 });
      plan.push({
        year: 2026,
        openedOn,
        birthYear: r.int(g.years[0], g.years[1]),
        gender: j % 2 === 0 ? 'female' : 'male',
        locationId: loc,
        categories,
        household: g.elderly ? 'alone' : r.pick(['both_parents', 'single_parent', 'grandparents', 'relatives'] as const),
        urgency: g.elderly ? 'high' : r.pick(['low', 'medium', 'medium', 'high', 'critical'] as const),
        steps,
        staff: staffFor(loc),
        services: services.filter((s) => s.on <= '2026-11-20'),
        goals: [{ description: g.goal, status: stage === 3 ? 'achieved' : stage === 2 ? 'in_progress' : 'planned' }],
        fromHotline: j % 3 === 0,
      });
    }
  }

  // --- Rows, in bulk.
  plan.sort((a, b) => (a.openedOn < b.openedOn ? -1 : a.openedOn > b.openedOn ? 1 : 0));
  const seqByYear = new Map<number, number>();
  const caseRows: (typeof cases.$inferInsert)[] = [];
  const identityRows: (typeof caseIdentities.$inferInsert)[] = [];
  const transitionRows: (typeof caseTransitions.$inferInsert)[] = [];
  const serviceRows: (typeof caseServices.$inferInsert)[] = [];
  const goalRows: (typeof caseGoals.$inferInsert)[] = [];
  const consentRows: (typeof caseConsents.$inferInsert)[] = [];
  const erasureRows: (typeof caseErasures.$inferInsert)[] = [];
  const auditRows: (typeof auditLog.$inferInsert)[] = [];
  const hotlineRows: (typeof hotlineCalls.$inferInsert)[] = [];
  const codes: { id: string; openedOn: string; loc: string }[] = [];

  plan.forEach((p, idx) => {
    const seq = (seqByYear.get(p.year) ?? 0) + 1;
    seqByYear.set(p.year, seq);
    const id = crypto.randomUUID();
    const last = p.steps.at(-1);
    const status: CaseStatus = last ? last.to : 'intake';
    const openedAt = day(p.openedOn);
    caseRows.push({
      id,
      orgId,
      code: formatCaseCode(org!.shortCode, p.year, seq),
      year: p.year,
      seq,
      status,
      birthYear: p.birthYear,
      gender: p.gender,
      locationId: p.locationId,
      categories: p.categories,
      household: p.household,
      urgency: p.urgency,
      openedAt,
      closedAt: status === 'closed' ? day(last!.on, 3) : null,
      closureReason: status === 'closed' ? last!.reason! : null,
      createdBy: p.staff,
      createdAt: openedAt,
      updatedAt: last ? day(last.on, 3) : openedAt,
    });
    const name = fictionalName(idx);
    const given = name.split(' ').at(-1);
    const birthDate = `${p.birthYear}-${String(1 + (idx % 12)).padStart(2, '0')}-${String(1 + ((idx * 11) % 28)).padStart(2, '0')}`;
    identityRows.push(
      p.erasedOn
        ? { caseId: id, orgId, erasedAt: day(p.erasedOn), updatedAt: day(p.erasedOn) }
        : {
            caseId: id,
            orgId,
            fullName: name,
            birthDate,
            address: `Số ${1 + (idx % 40)} ngõ Minh Họa (địa chỉ hư cấu)`,
            guardianName: p.household === 'alone' ? null : `Phụ huynh Hư Cấu ${given}`,
            guardianRelation: p.household === 'alone' ? null : p.household === 'grandparents' ? 'Bà ngoại' : 'Mẹ',
            guardianPhone: p.household === 'alone' ? null : `0000 000 ${String(idx).padStart(3, '0')}`,
            updatedAt: openedAt,
          },
    );
    transitionRows.push({ orgId, caseId: id, kind: 'open', fromStatus: null, toStatus: 'intake', at: openedAt, byUserId: p.staff, recordedAt: openedAt });
    let from: CaseStatus = 'intake';
    p.steps.forEach((s, n) => {
      const at = day(s.on, n + 1);
      transitionRows.push({
        orgId,
        caseId: id,
        kind: s.to === 'closed' ? 'close' : 'advance',
        fromStatus: from,
        toStatus: s.to,
        closureReason: s.to === 'closed' ? s.reason! : null,
        at,
        byUserId: p.staff,
        recordedAt: at,
      });
      from = s.to;
    });
    for (const s of p.services) {
      serviceRows.push({
        orgId,
        caseId: id,
        kind: s.kind,
        deliveredOn: s.on,
        durationMinutes: s.minutes,
        staffUserId: p.staff,
        referralTo: s.referralTo ?? null,
        note: null,
        createdBy: p.staff,
        createdAt: day(s.on, 30),
      });
    }
    for (const g of p.goals) {
      goalRows.push({
        orgId,
        caseId: id,
        description: p.erasedOn ? null : g.description,
        status: g.status,
        createdBy: p.staff,
        createdAt: day(p.openedOn, 10),
        updatedBy: p.staff,
        updatedAt: day(p.openedOn, 10),
      });
    }
    consentRows.push({
      orgId,
      caseId: id,
      kind: 'data_processing',
      action: 'granted',
      givenOn: p.openedOn,
      givenByRelation: p.household === 'alone' || p.birthYear < 2000 ? 'self' : p.household === 'grandparents' ? 'grandparent' : 'mother',
      givenByName: p.erasedOn ? null : p.household === 'alone' || p.birthYear < 2000 ? name : `Phụ huynh Hư Cấu ${given}`,
      recordedBy: p.staff,
      createdAt: openedAt,
    });
    if (p.erasedOn) {
      erasureRows.push({ orgId, caseId: id, reason: 'retention_expired', erasedBy: admin, erasedAt: day(p.erasedOn) });
      auditRows.push({ orgId, actorKind: 'user', actorId: admin, action: 'case.erased', subjectType: 'case', subjectId: id, reason: 'retention_expired', data: { code: caseRows.at(-1)!.code }, at: day(p.erasedOn) });
    }
    if (p.fromHotline) codes.push({ id, openedOn: p.openedOn, loc: p.locationId });
  });

  // --- Hotline: 311 calls from January to September 2019, and this year's calls.
  const callerMix = ['parent', 'parent', 'relative', 'neighbour', 'teacher', 'child', 'anonymous', 'official', 'other'] as const;
  const topicMix = ['violence', 'abuse', 'family', 'development', 'school', 'health', 'information', 'legal', 'neglect', 'trafficking', 'other'] as const;
  const otherOutcomes = ['advice_given', 'advice_given', 'advice_given', 'referred', 'no_action', 'emergency_response'] as const;
  const linked2019 = codes.filter((x) => x.openedOn < '2019-10-01');
  const linked2026 = codes.filter((x) => x.openedOn >= '2026-01-01');
  const addCalls = (n: number, firstDay: string, spanDays: number, linked: typeof codes, taker: string) => {
    const opened = new Map(linked.map((x, i) => [Math.min(n - 1, Math.floor((i * n) / Math.max(1, linked.length))), x]));
    for (let i = 0; i < n; i++) {
      const link = opened.get(i);
      const on = link ? link.openedOn : addDays(firstDay, Math.floor((i * spanDays) / n));
      const minutes = r.int(3, 35);
      hotlineRows.push({
        orgId,
        receivedAt: new Date(new Date(`${on}T07:30:00+07:00`).getTime() + r.int(0, 600) * 60_000),
        durationMinutes: minutes,
        callerType: r.pick(callerMix),
        topic: r.pick(topicMix),
        outcome: link ? 'case_opened' : r.pick(otherOutcomes),
        locationId: link ? link.loc : r.next() < 0.6 ? r.pick(allPlaces) : null,
        caseId: link ? link.id : null,
        takenBy: taker,
        createdAt: day(on),
      });
    }
  };
  addCalls(311, '2019-01-02', 271, linked2019, f.users.coordinator!);
  addCalls(236, '2026-01-02', 320, linked2026, f.users.coordinator!);

  // --- Outreach, January to September 2019, with the materials handed out.
  const outreachRows: (typeof outreachEvents.$inferInsert)[] = [];
  const communesForSurvey = allPlaces.filter((x) => x !== L.tienHungOffice && x !== L.leChanOffice);
  const addEvents = (
    kind: 'awareness_conference' | 'training' | 'life_skills' | 'early_detection',
    n: number,
    people: number,
    audience: readonly ('community' | 'parents' | 'teachers' | 'children' | 'officials' | 'collaborators' | 'mixed')[],
    title: string,
    materials: { leaflets?: number; posters?: number; questionnaires?: number },
    offset: number,
  ) => {
    const ppl = split(people, n, r);
    const lf = materials.leaflets ? split(materials.leaflets, n, r) : [];
    const ps = materials.posters ? split(materials.posters, n, r) : [];
    const qs = materials.questionnaires ? split(materials.questionnaires, n, r) : [];
    for (let i = 0; i < n; i++) {
      const heldOn = addDays('2019-01-10', offset + Math.floor((i * 255) / n));
      const loc = communesForSurvey[(i + offset) % communesForSurvey.length]!;
      outreachRows.push({
        orgId,
        kind,
        heldOn,
        title: `${title} (${i + 1}/${n})`,
        locationId: loc,
        audienceType: audience[i % audience.length]!,
        participants: ppl[i]!,
        leaflets: lf[i] ?? 0,
        posters: ps[i] ?? 0,
        questionnaires: qs[i] ?? 0,
        createdBy: f.users.coordinator!,
        createdAt: day(heldOn),
      });
    }
  };
  addEvents('awareness_conference', 34, 3912, ['community', 'officials', 'mixed'], 'Hội nghị truyền thông phòng chống xâm hại trẻ em', { leaflets: 12100, posters: 187, questionnaires: 280 }, 0);
  addEvents('training', 14, 1218, ['collaborators', 'officials', 'teachers'], 'Tập huấn kỹ năng bảo vệ trẻ em cho cộng tác viên', { leaflets: 1400, posters: 38 }, 3);
  addEvents('early_detection', 8, 1000, ['parents', 'teachers'], 'Phát hiện sớm trẻ tự kỷ tại cộng đồng', { leaflets: 1000, questionnaires: 320 }, 6);
  addEvents('life_skills', 9, 712, ['children'], 'Tập huấn kỹ năng sống cho trẻ em', {}, 9);
  // A few this year.
  for (let i = 0; i < 6; i++) {
    const heldOn = addDays('2026-02-24', i * 41);
    outreachRows.push({
      orgId,
      kind: (['awareness_conference', 'early_detection', 'life_skills'] as const)[i % 3]!,
      heldOn,
      title: ['Truyền thông phòng chống bạo lực gia đình', 'Phát hiện sớm rối loạn phát triển', 'Kỹ năng tự bảo vệ cho học sinh'][i % 3]!,
      locationId: i % 2 === 0 ? L.tienHung : L.leChan,
      audienceType: (['community', 'parents', 'children'] as const)[i % 3]!,
      participants: 80 + i * 15,
      leaflets: 300,
      posters: 5,
      questionnaires: i % 3 === 1 ? 60 : 0,
      createdBy: f.users.coordinator!,
      createdAt: day(heldOn),
    });
  }

  await chunkedInsert(caseRows, 200, (c) => db.insert(cases).values(c));
  await chunkedInsert(identityRows, 200, (c) => db.insert(caseIdentities).values(c));
  await chunkedInsert(transitionRows, 400, (c) => db.insert(caseTransitions).values(c));
  await chunkedInsert(serviceRows, 400, (c) => db.insert(caseServices).values(c));
  await chunkedInsert(goalRows, 400, (c) => db.insert(caseGoals).values(c));
  await chunkedInsert(consentRows, 400, (c) => db.insert(caseConsents).values(c));
  if (erasureRows.length) await db.insert(caseErasures).values(erasureRows);
  if (auditRows.length) await db.insert(auditLog).values(auditRows);
  await chunkedInsert(hotlineRows, 400, (c) => db.insert(hotlineCalls).values(c));
  await chunkedInsert(outreachRows, 400, (c) => db.insert(outreachEvents).values(c));
  await db.insert(caseCounters).values([...seqByYear].map(([year, lastValue]) => ({ orgId, year, lastValue })));

  return { locations: extra, counts: { cases: caseRows.length, open: caseRows.filter((c) => c.status !== 'closed').length } };
}
