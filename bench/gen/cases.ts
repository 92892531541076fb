import { COMMUNES_PER_DISTRICT, DISTRICTS, STAFF, communeId } from './foundation';
import { count, u, uid, vnYear, type GenContext, type GenModule } from './types';

const CATEGORIES = ['abuse', 'neglect', 'trafficking', 'disability', 'orphan', 'poverty', 'school_dropout', 'migrant'];
const SERVICE_KINDS = ['counselling', 'therapy', 'home_visit', 'referral', 'emergency_shelter', 'emergency_food', 'emergency_travel'];
const OFFICES = DISTRICTS * COMMUNES_PER_DISTRICT;

const pick = (values: readonly string[], r: string) => `(array[${values.map((v) => `'${v}'`).join(',')}])[1 + floor(${r} * ${values.length})::int]`;
const caseworker = (ctx: GenContext, k: string) => uid(ctx, 'user', `15 + (${k}) % ${STAFF - 14}`);

/**
 * The life of case k, derived from k alone so that every insert agrees: opened at some moment
 * of the five years, then (for most) assessed, in intervention, closed — each step only if it
 * falls before the end of the period.
 */
const plan = (ctx: GenContext, k: string) => `
  lateral (select timestamptz '${ctx.from}' + ${u(k, 'open')} * interval '1826 days' as opened, ${u(k, 'stage')} as s offset 0) p0,
  lateral (select p0.opened + (3 + floor(${u(k, 'a')} * 8)) * interval '1 day' as ta offset 0) p1,
  lateral (select p1.ta + (10 + floor(${u(k, 'i')} * 30)) * interval '1 day' as ti offset 0) p2,
  lateral (select p2.ti + (60 + floor(${u(k, 'c')} * 340)) * interval '1 day' as tc offset 0) p3,
  lateral (select p0.s >= 0.1 and p1.ta < timestamptz '${ctx.to}' as has_a,
                  p0.s >= 0.25 and p2.ti < timestamptz '${ctx.to}' as has_i,
                  p0.s >= 0.45 and p3.tc < timestamptz '${ctx.to}' as has_c,
                  ${pick(['goals_met', 'referred', 'moved', 'declined', 'other'], u(k, 'why'))} as reason offset 0) q`;

/** Cases with their history, identities, consents, services; hotline calls and outreach events. */
export const casesModule: GenModule = {
  name: 'cases',
  tables: ['case_categories', 'case_counters', 'cases', 'case_identities', 'case_transitions', 'case_services', 'case_consents', 'hotline_calls', 'outreach_events'],
  async generate(ctx) {
    const org = ctx.orgId;
    const N = ctx.n(50_000);
    const S = ctx.n(200_000);
    const H = ctx.n(100_000);
    const O = ctx.n(5_000);
    await ctx.exec(
      `insert into case_categories (org_id, key, label_vi, label_en, sort)
       select '${org}', key, key, key, n from unnest(array[${CATEGORIES.map((c) => `'${c}'`).join(',')}]) with ordinality as t(key, n)`,
    );
    await ctx.exec(
      `insert into cases (id, org_id, code, year, seq, status, birth_year, gender, location_id, categories, household, urgency, opened_at, closed_at, closure_reason, created_by, created_at, updated_at)
       select id, '${org}', '${ctx.shortCode}-' || y || '-' || case when seq < 10000 then lpad(seq::text, 4, '0') else seq::text end, y, seq, status, y - floor(${u('k', 'age')} * 18)::int,
              ${pick(['female', 'male', 'other', 'unknown'], u('k', 'gender'))}, ${communeId(ctx, `1 + floor(${u('k', 'loc')} * ${OFFICES})::int`)},
              case when ${u('k', 'cat2')} < 0.3 then array[${pick(CATEGORIES, u('k', 'cat'))}, ${pick(CATEGORIES, u('k', 'cat2b'))}] else array[${pick(CATEGORIES, u('k', 'cat'))}] end,
              ${pick(['both_parents', 'single_parent', 'grandparents', 'relatives', 'foster_family', 'institution', 'alone', 'unknown'], u('k', 'hh'))},
              ${pick(['low', 'medium', 'high', 'critical'], u('k', 'urg'))},
              opened, case when has_c then tc end, case when has_c then reason end, ${caseworker(ctx, 'k')}, opened,
              case when has_c then tc when has_i then ti when has_a then ta else opened end
       from (select k, ${uid(ctx, 'case', 'k')} as id, p0.opened, p1.ta, p2.ti, p3.tc, q.has_a, q.has_i, q.has_c, q.reason, ${vnYear('p0.opened')} as y,
                    row_number() over (partition by ${vnYear('p0.opened')} order by p0.opened, k) as seq,
                    case when q.has_c then 'closed' when q.has_i then 'intervention' when q.has_a then 'assessment' else 'intake' end as status
             from generate_series(1, ${N}) k, ${plan(ctx, 'k')}) c`,
    );
    await ctx.exec(
      `insert into case_counters (org_id, year, last_value) select org_id, year, max(seq) from cases where org_id = '${org}' group by org_id, year`,
    );
    await ctx.exec(
      `insert into case_identities (case_id, org_id, full_name, birth_date, address, guardian_name, guardian_relation, guardian_phone)
       select ${uid(ctx, 'case', 'k')}, '${org}', 'Trẻ ' || k, make_date(2010, 1, 1) + (k % 3000), 'Thôn ' || (k % 50), 'Người giám hộ ' || k, 'mother', '09' || lpad(k::text, 8, '0')
       from generate_series(1, ${N}) k`,
    );
    await ctx.exec(
      `insert into case_transitions (org_id, case_id, kind, from_status, to_status, closure_reason, at, by_user_id, recorded_at)
       select '${org}', ${uid(ctx, 'case', 'k')}, t.kind, t.from_status, t.to_status, t.reason, t.at, ${caseworker(ctx, 'k')}, t.at
       from generate_series(1, ${N}) k, ${plan(ctx, 'k')},
       lateral (values ('open', null, 'intake', null, p0.opened, true),
                       ('advance', 'intake', 'assessment', null, p1.ta, q.has_a),
                       ('advance', 'assessment', 'intervention', null, p2.ti, q.has_i),
                       ('close', 'intervention', 'closed', q.reason, p3.tc, q.has_c)) t(kind, from_status, to_status, reason, at, wanted)
       where t.wanted`,
    );
    await ctx.exec(
      `insert into case_consents (org_id, case_id, kind, action, given_on, given_by_relation, given_by_name, recorded_by)
       select '${org}', ${uid(ctx, 'case', 'k')}, 'data_processing', 'granted', (p0.opened at time zone 'Asia/Ho_Chi_Minh')::date, 'mother', 'Mẹ ' || k, ${caseworker(ctx, 'k')}
       from generate_series(1, ${N}) k, ${plan(ctx, 'k')}`,
    );
    // Services fall after the case opened and before the end of the period.
    await ctx.exec(
      `insert into case_services (org_id, case_id, kind, delivered_on, duration_minutes, staff_user_id, referral_to, note, created_by, created_at)
       select '${org}', ${uid(ctx, 'case', 'k')}, kind, d, 15 + floor(${u('j', 'dur')} * 166)::int, ${caseworker(ctx, 'k')},
              case when kind = 'referral' then 'Bệnh viện tỉnh' end, null, ${caseworker(ctx, 'k')}, d::timestamptz
       from generate_series(1, ${S}) j,
       lateral (select 1 + floor(${u('j', 'sc')} * ${N})::int as k, ${pick(SERVICE_KINDS, u('j', 'sk'))} as kind offset 0) s,
       lateral (select least(((timestamptz '${ctx.from}' + ${u('s.k', 'open')} * interval '1826 days') at time zone 'Asia/Ho_Chi_Minh')::date + floor(${u('j', 'sd')} * 365)::int,
                             (timestamptz '${ctx.to}' at time zone 'Asia/Ho_Chi_Minh')::date - 1) as d) x`,
    );
    await ctx.exec(
      `insert into hotline_calls (org_id, received_at, duration_minutes, caller_type, topic, outcome, location_id, case_id, taken_by, created_at)
       select '${org}', t, 1 + floor(${u('j', 'hd')} * 40)::int,
              ${pick(['child', 'parent', 'relative', 'teacher', 'neighbour', 'official', 'anonymous', 'other'], u('j', 'hc'))},
              ${pick(['violence', 'abuse', 'trafficking', 'neglect', 'development', 'health', 'school', 'legal', 'family', 'information', 'other'], u('j', 'ht'))},
              case when ${u('j', 'ho')} < 0.1 then 'case_opened' else ${pick(['advice_given', 'referred', 'emergency_response', 'no_action'], u('j', 'ho2'))} end,
              ${communeId(ctx, `1 + floor(${u('j', 'hl')} * ${OFFICES})::int`)},
              case when ${u('j', 'ho')} < 0.1 then ${uid(ctx, 'case', `1 + floor(${u('j', 'hk')} * ${N})::int`)} end,
              ${caseworker(ctx, 'j')}, t
       from generate_series(1, ${H}) j, lateral (select timestamptz '${ctx.from}' + ${u('j', 'htm')} * interval '1826 days' as t) x`,
    );
    await ctx.exec(
      `insert into outreach_events (org_id, kind, held_on, title, location_id, audience_type, participants, leaflets, posters, questionnaires, created_by)
       select '${org}', ${pick(['awareness_conference', 'training', 'life_skills', 'early_detection'], u('j', 'ok'))},
              ((timestamptz '${ctx.from}' + ${u('j', 'ot')} * interval '1826 days') at time zone 'Asia/Ho_Chi_Minh')::date, 'Sự kiện ' || j,
              ${communeId(ctx, `1 + floor(${u('j', 'ol')} * ${OFFICES})::int`)},
              ${pick(['community', 'parents', 'teachers', 'children', 'officials', 'collaborators', 'mixed'], u('j', 'oa'))},
              10 + floor(${u('j', 'op')} * 200)::int, floor(${u('j', 'ol1')} * 300)::int, floor(${u('j', 'ol2')} * 20)::int, floor(${u('j', 'ol3')} * 100)::int,
              ${caseworker(ctx, 'j')}
       from generate_series(1, ${O}) j`,
    );
    return {
      cases: await count(ctx, 'cases'),
      case_transitions: await count(ctx, 'case_transitions'),
      case_services: await count(ctx, 'case_services'),
      hotline_calls: await count(ctx, 'hotline_calls'),
      outreach_events: await count(ctx, 'outreach_events'),
    };
  },
};
