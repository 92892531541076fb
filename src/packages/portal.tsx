import { sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import { caseAgeBand } from '../cases/cases';
import { formatDate, pick, type Locale, localized } from '../ui/i18n';

const T = {
  title: { vi: 'Suất quà bạn đã ủng hộ', en: 'Gift packages you funded' },
  package: { vi: 'Suất quà', en: 'Package' },
  status: { vi: 'Trạng thái', en: 'Status' },
  to: { vi: 'Người nhận', en: 'Given to' },
};

const STATUS: Record<string, { vi: string; en: string }> = {
  funded: { vi: 'Chờ chọn em nhận quà', en: 'Waiting for a child' },
  matched: { vi: 'Đã chọn em nhận quà, chờ trao', en: 'Matched to a child, to be handed over' },
  delivered: { vi: 'Đã trao', en: 'Delivered' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

/**
 * The donor portal's list of every package the donor paid for, with its status. Like the
 * digest, it names no child: an age band and the province, once delivered.
 */
export async function DonorPackages(props: { db: Db; orgId: string; donorId: string; locale: Locale }) {
  const { locale } = props;
  const rows = await queryRows<{ id: string; status: string; delivered_on: string | null; delivered_at: Date | string | null; birth_year: number | null; province: string | null; name_vi: string; name_en: string | null }>(
    props.db,
    sql`select u.id, u.status, u.delivered_on::text as delivered_on, u.delivered_at, c.birth_year, prov.name as province, pt.name_vi, pt.name_en
          from package_units u
          join donations g on g.id = u.donation_id
          join package_drives dr on dr.id = u.drive_id
          join package_types pt on pt.id = dr.package_type_id
          left join cases c on c.id = u.case_id and u.status = 'delivered'
          left join locations l on l.id = c.location_id
          left join lateral (select p.name from locations p where p.org_id = u.org_id and p.kind = 'province' and l.path like p.path || '%' order by length(p.path) limit 1) prov on true
         where u.org_id = ${props.orgId} and g.donor_id = ${props.donorId}
         order by u.created_at desc, u.unit_no`,
  );
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="donor-packages">
      <h2 id="donor-packages">{pick(locale, T.title)}</h2>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{pick(locale, T.package)}</th>
              <th>{pick(locale, T.status)}</th>
              <th>{pick(locale, T.to)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-unit-status={r.status}>
                <td data-label={pick(locale, T.package)}>{localized(locale, r.name_vi, r.name_en)}</td>
                <td data-label={pick(locale, T.status)}>
                  <span>
                    <span class="badge">{pick(locale, STATUS[r.status] ?? STATUS.funded!)}</span>
                    {r.delivered_on ? <div class="muted small">{formatDate(r.delivered_on, locale)}</div> : null}
                  </span>
                </td>
                <td data-label={pick(locale, T.to)}>
                  {r.status === 'delivered' && r.birth_year !== null
                    ? locale === 'en'
                      ? `A child aged ${caseAgeBand(r.birth_year, new Date(`${r.delivered_on}T12:00:00+07:00`))} in ${r.province ?? 'Vietnam'}`
                      : `Một em ${caseAgeBand(r.birth_year, new Date(`${r.delivered_on}T12:00:00+07:00`))} tuổi tại ${r.province ?? 'Việt Nam'}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
