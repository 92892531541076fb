import { GRANTS } from './giving';
import { districtId } from './foundation';
import { count, uid, type GenModule } from './types';

/**
 * Funders and grants (issue 7), so a report can be scoped to a grant: the giving module's five
 * grant funds each get a grant from a funder (one of the organisation donors), with a purpose
 * (categories, districts) that restricts which cases its report counts, and a few targets.
 * Grant 1 — the benchmark's grant scope — is restricted to three categories in four districts.
 */
const PURPOSES = [
  (d: (k: number) => string) => `jsonb_build_object('categories', jsonb_build_array('abuse', 'neglect', 'trafficking'), 'locationIds', jsonb_build_array(${[1, 2, 3, 4].map((k) => `${d(k)}::text`).join(', ')}))`,
  () => `'{}'::jsonb`,
  (d: (k: number) => string) => `jsonb_build_object('locationIds', jsonb_build_array(${d(5)}::text, ${d(6)}::text))`,
  () => `jsonb_build_object('categories', jsonb_build_array('disability'))`,
  () => `jsonb_build_object('categories', jsonb_build_array('poverty', 'school_dropout'))`,
];
const FUNDER_TYPES = ['international-ngo', 'foundation', 'private-sector', 'government', 'multilateral'];

export const grantsModule: GenModule = {
  name: 'grants',
  tables: ['funders', 'grants', 'grant_targets'],
  async generate(ctx) {
    const org = ctx.orgId;
    // Funder k is the k-th organisation donor (by id); a tiny organisation may have fewer than five.
    await ctx.exec(
      `insert into funders (id, org_id, donor_id, language, iati_ref, org_type, created_at)
       select ${uid(ctx, 'funder', 'rn')}, '${org}', id, case when rn % 2 = 0 then 'en' else 'vi' end,
              case when rn % 2 = 0 then 'XM-DAC-BENCH-' || rn end, (array[${FUNDER_TYPES.map((t) => `'${t}'`).join(',')}])[rn], timestamptz '${ctx.from}'
       from (select id, row_number() over (order by id) as rn from donors where org_id = '${org}' and kind = 'organisation') d where rn <= ${GRANTS}`,
    );
    const d = (k: number) => districtId(ctx, String(k));
    await ctx.exec(
      `insert into grants (id, org_id, funder_id, code, title, title_en, description, amount_minor, currency, starts_on, ends_on, fund_id, purpose, schedule, next_due_on, created_at, updated_at)
       select ${uid(ctx, 'grant', 'g.k')}, '${org}', f.id, 'tai-tro-' || g.k, 'Tài trợ ' || g.k, 'Grant ' || g.k, 'Hỗ trợ trẻ em có hoàn cảnh đặc biệt', 2000000000, 'VND',
              (timestamptz '${ctx.from}' at time zone 'Asia/Ho_Chi_Minh')::date, (timestamptz '${ctx.to}' at time zone 'Asia/Ho_Chi_Minh')::date - 1,
              ${uid(ctx, 'gfund', 'g.k')}, g.purpose, 'annual', (timestamptz '${ctx.to}' at time zone 'Asia/Ho_Chi_Minh')::date - 1, timestamptz '${ctx.from}', timestamptz '${ctx.from}'
       from (values ${PURPOSES.map((p, i) => `(${i + 1}, ${p(d)})`).join(', ')}) g(k, purpose)
       join funders f on f.id = ${uid(ctx, 'funder', 'g.k')}`,
    );
    await ctx.exec(
      `insert into grant_targets (org_id, grant_id, indicator_id, baseline_year, baseline_value, target_value)
       select '${org}', g.id, t.indicator, t.baseline_year, t.baseline_value, t.target
       from grants g cross join (values ('beneficiaries-reached', 2020, 500::bigint, 2000::bigint), ('services-delivered', null::int, null::bigint, 8000::bigint),
                                        ('cases-closed-goals-met', null::int, null::bigint, 300::bigint)) t(indicator, baseline_year, baseline_value, target)
       where g.org_id = '${org}'`,
    );
    return { funders: await count(ctx, 'funders'), grants: await count(ctx, 'grants'), grant_targets: await count(ctx, 'grant_targets') };
  },
};
