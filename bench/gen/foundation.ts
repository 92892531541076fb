import { count, uid, type GenContext, type GenModule } from './types';

/** Dozens of offices: the province, 12 districts (former) and 4 communes each; 60 staff. */
export const DISTRICTS = 12;
export const COMMUNES_PER_DISTRICT = 4;
export const STAFF = 60;

/** A commune office id, 1 ≤ k ≤ DISTRICTS × COMMUNES_PER_DISTRICT. */
export const communeId = (ctx: GenContext, k: string) => uid(ctx, 'commune', k);

/** A district id, 1 ≤ d ≤ DISTRICTS (commune k lies in district 1 + (k − 1) / COMMUNES_PER_DISTRICT). */
export const districtId = (ctx: GenContext, d: string) => uid(ctx, 'district', d);

/** Storage offices (locations of kind office, where goods are kept): 0 is the province's, d the district d's. */
export const OFFICES = DISTRICTS + 1;
export const officeId = (ctx: GenContext, k: string) => uid(ctx, 'office', k);

export const foundation: GenModule = {
  name: 'foundation',
  tables: ['organisations', 'locations', 'users', 'memberships', 'staff_assignments'],
  async generate(ctx) {
    const org = ctx.orgId;
    await ctx.exec(
      `insert into organisations (id, slug, name, short_code) values ('${org}', 'bench-${org.slice(0, 8)}', 'Quỹ Bảo trợ trẻ em tỉnh (bench)', 'BN')`,
    );
    const prov = uid(ctx, 'province', '1');
    await ctx.exec(
      `insert into locations (id, org_id, parent_id, kind, name, code, path)
       values (${prov}, '${org}', null, 'province', 'Tỉnh Bench', 'BN', '/' || ${prov}::text || '/')`,
    );
    await ctx.exec(
      `insert into locations (id, org_id, parent_id, kind, name, code, path)
       select ${uid(ctx, 'district', 'i')}, '${org}', ${prov}, 'district', 'Huyện ' || i, 'D' || i,
              '/' || ${prov}::text || '/' || ${uid(ctx, 'district', 'i')}::text || '/'
       from generate_series(1, ${DISTRICTS}) i`,
    );
    await ctx.exec(
      `insert into locations (id, org_id, parent_id, kind, name, code, path)
       select ${communeId(ctx, 'k')}, '${org}', ${uid(ctx, 'district', 'd')}, 'commune', 'Xã ' || k, 'C' || k,
              '/' || ${prov}::text || '/' || ${uid(ctx, 'district', 'd')}::text || '/' || ${communeId(ctx, 'k')}::text || '/'
       from generate_series(1, ${DISTRICTS * COMMUNES_PER_DISTRICT}) k, lateral (select 1 + (k - 1) / ${COMMUNES_PER_DISTRICT} as d) x`,
    );
    await ctx.exec(
      `insert into locations (id, org_id, parent_id, kind, name, code, path)
       select ${officeId(ctx, 'k')}, '${org}', case when k = 0 then ${prov} else ${uid(ctx, 'district', 'k')} end, 'office',
              case when k = 0 then 'Văn phòng Quỹ tỉnh' else 'Kho huyện ' || k end, 'O' || k,
              case when k = 0 then '/' || ${prov}::text || '/' else '/' || ${prov}::text || '/' || ${uid(ctx, 'district', 'k')}::text || '/' end || ${officeId(ctx, 'k')}::text || '/'
       from generate_series(0, ${DISTRICTS}) k`,
    );
    await ctx.exec(
      `insert into users (id, email, name)
       select ${uid(ctx, 'user', 'i')}, 'staff' || i || '.${org.slice(0, 8)}@bench.sechia.example', 'Cán bộ ' || i
       from generate_series(1, ${STAFF}) i`,
    );
    // Two admins, four finance, six coordinators, two viewers; the rest are caseworkers in one commune each.
    await ctx.exec(
      `insert into memberships (org_id, user_id, role)
       select '${org}', ${uid(ctx, 'user', 'i')},
              case when i <= 2 then 'admin' when i <= 6 then 'finance' when i <= 12 then 'coordinator' when i <= 14 then 'viewer' else 'caseworker' end
       from generate_series(1, ${STAFF}) i`,
    );
    await ctx.exec(
      `insert into staff_assignments (org_id, user_id, location_id)
       select '${org}', ${uid(ctx, 'user', 'i')}, ${communeId(ctx, `1 + (i - 15) % ${DISTRICTS * COMMUNES_PER_DISTRICT}`)}
       from generate_series(15, ${STAFF}) i`,
    );
    return { locations: await count(ctx, 'locations'), memberships: await count(ctx, 'memberships') };
  },
};
