import { sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/log';
import { enqueueMail } from '../mail/outbox';
import { escapeHtml, wrapHtml } from '../mail/templates';
import { caseAgeBand, vnDate } from '../cases/cases';
import { formatDate, isLocale, type Locale, localized } from '../ui/i18n';

/*
 * Reporting back to donors: one email per donor per delivery day, never one per package.
 *
 * THE RULE. A "delivery day" is the Vietnamese calendar day (Asia/Ho_Chi_Minh, UTC+7) on which
 * staff RECORDED the delivery (delivered_at). The digest for a day is built only after that day
 * has ended in Vietnam, by the scheduled job (every 5 minutes in production), and holds every
 * unit of that donor recorded as delivered that day and still delivered. Because a recording
 * can only ever fall on today, no later delivery can belong to a day whose digest was sent: none
 * is lost. The outbox dedupe key `delivery-digest:<donorId>:<day>` makes each digest once. A
 * delivery undone before the digest goes out is left out of it; the 24-hour undo window can
 * reach past the end of the day, and an undo after the digest was sent sends no retraction.
 *
 * What the email says about the child: an age band and the province, nothing else (no name,
 * no exact age, no commune, no case code, no place of the hand-over).
 */

export interface DigestLine {
  unitId: string;
  packageName: string;
  contents: string;
  deliveredOn: string;
  ageBand: string;
  province: string;
}

export function deliveryDigestEmail(i: { locale: Locale; orgName: string; donorName: string; day: string; lines: DigestLine[]; portalUrl: string }) {
  const n = i.lines.length;
  if (i.locale === 'en') {
    const items = i.lines.map((l) => `${l.packageName}${l.contents ? ` (${l.contents})` : ''}: handed over on ${formatDate(l.deliveredOn, 'en')} to a child aged ${l.ageBand} in ${l.province}`);
    return {
      subject: n === 1 ? 'Your gift package has been delivered' : `Your ${n} gift packages have been delivered`,
      text: `Dear ${i.donorName},\n\n${n === 1 ? 'The gift package you funded has' : `${n} gift packages you funded have`} been handed over:\n\n${items.map((x) => `- ${x}`).join('\n')}\n\nThank you for your kindness. To protect the children, we never share their names or where they live.\n\nYour gifts and packages: ${i.portalUrl}\n\n${i.orgName}`,
      html: wrapHtml(
        'en',
        `<p>Dear ${escapeHtml(i.donorName)},</p><p>${n === 1 ? 'The gift package you funded has' : `${n} gift packages you funded have`} been handed over:</p><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul><p>Thank you for your kindness. To protect the children, we never share their names or where they live.</p><p><a href="${escapeHtml(i.portalUrl)}">Your gifts and packages</a></p><p>${escapeHtml(i.orgName)}</p>`,
      ),
    };
  }
  const items = i.lines.map((l) => `${l.packageName}${l.contents ? ` (${l.contents})` : ''}: đã trao ngày ${formatDate(l.deliveredOn, 'vi')} cho một em trong độ tuổi ${l.ageBand} tại ${l.province}`);
  return {
    subject: n === 1 ? 'Suất quà bạn ủng hộ đã được trao' : `${n} suất quà bạn ủng hộ đã được trao`,
    text: `Kính gửi ${i.donorName},\n\n${n === 1 ? 'Suất quà bạn ủng hộ' : `${n} suất quà bạn ủng hộ`} đã được trao tận tay:\n\n${items.map((x) => `- ${x}`).join('\n')}\n\nXin chân thành cảm ơn tấm lòng của bạn. Để bảo vệ các em, chúng tôi không chia sẻ tên hay nơi ở của trẻ.\n\nXem các khoản ủng hộ và suất quà: ${i.portalUrl}\n\n${i.orgName}`,
    html: wrapHtml(
      'vi',
      `<p>Kính gửi ${escapeHtml(i.donorName)},</p><p>${n === 1 ? 'Suất quà bạn ủng hộ' : `${n} suất quà bạn ủng hộ`} đã được trao tận tay:</p><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul><p>Xin chân thành cảm ơn tấm lòng của bạn. Để bảo vệ các em, chúng tôi không chia sẻ tên hay nơi ở của trẻ.</p><p><a href="${escapeHtml(i.portalUrl)}">Xem các khoản ủng hộ và suất quà</a></p><p>${escapeHtml(i.orgName)}</p>`,
    ),
  };
}

interface Row {
  unit_id: string;
  org_id: string;
  org_name: string;
  org_slug: string;
  donor_id: string;
  donor_name: string;
  donor_email: string;
  donor_locale: string;
  day: string;
  delivered_on: string;
  birth_year: number;
  province: string | null;
  name_vi: string;
  name_en: string | null;
  contents_vi: string;
  contents_en: string | null;
  [k: string]: unknown;
}

/**
 * Builds and enqueues the digests of every (donor, day) whose day has ended and that has no
 * digest yet (looking back `lookbackDays`). Safe to run as often as wanted, from several places
 * at once: the outbox dedupe key keeps one email per donor and day.
 */
export async function sendDeliveryDigests(db: Db, deps: { clock: Clock; appUrl: string; logger?: Logger }, opts: { orgId?: string; lookbackDays?: number } = {}) {
  const now = deps.clock.now();
  const today = vnDate(now);
  const since = new Date(now.getTime() - (opts.lookbackDays ?? 14) * 86_400_000);
  const rows = await queryRows<Row>(
    db,
    sql`with units as (
          select u.id, u.org_id, u.case_id, u.drive_id, u.delivered_on, u.donation_id,
                 to_char((u.delivered_at at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD') as day
            from package_units u
           where u.status = 'delivered' and u.delivered_at >= ${since}
             ${opts.orgId ? sql`and u.org_id = ${opts.orgId}` : sql``}
        )
        select un.id as unit_id, un.org_id, o.name as org_name, o.slug as org_slug, d.id as donor_id, d.name as donor_name, d.email as donor_email,
               d.locale as donor_locale, un.day, un.delivered_on::text as delivered_on, c.birth_year, prov.name as province,
               pt.name_vi, pt.name_en, pt.contents_vi, pt.contents_en
          from units un
          join donations g on g.id = un.donation_id
          join donors d on d.id = g.donor_id
          join organisations o on o.id = un.org_id
          join cases c on c.id = un.case_id
          join locations l on l.id = c.location_id
          join package_drives dr on dr.id = un.drive_id
          join package_types pt on pt.id = dr.package_type_id
          left join lateral (
            select p.name from locations p where p.org_id = un.org_id and p.kind = 'province' and l.path like p.path || '%' order by length(p.path) limit 1
          ) prov on true
         where un.day < ${today} and d.email is not null
           and not exists (select 1 from outbox m where m.dedupe_key = 'delivery-digest:' || d.id || ':' || un.day)
         order by d.id, un.day, un.delivered_on, un.id`,
  );
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.donor_id}:${r.day}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  let sent = 0;
  for (const [key, list] of groups) {
    const first = list[0]!;
    const locale: Locale = isLocale(first.donor_locale) ? first.donor_locale : 'vi';
    const asOf = new Date(`${first.day}T12:00:00+07:00`);
    const mail = deliveryDigestEmail({
      locale,
      orgName: first.org_name,
      donorName: first.donor_name,
      day: first.day,
      portalUrl: `${deps.appUrl}/d/${first.org_slug}`,
      lines: list.map((r) => ({
        unitId: r.unit_id,
        packageName: localized(locale, r.name_vi, r.name_en),
        contents: localized(locale, r.contents_vi, r.contents_en),
        deliveredOn: r.delivered_on,
        ageBand: caseAgeBand(r.birth_year, asOf),
        province: r.province ?? (locale === 'en' ? 'Vietnam' : 'Việt Nam'),
      })),
    });
    const r = await enqueueMail(db, { orgId: first.org_id, to: first.donor_email, locale, template: 'package_delivery_digest', dedupeKey: `delivery-digest:${key}`, ...mail });
    if (!r.duplicate) sent++;
  }
  if (sent > 0) deps.logger?.info('packages.delivery_digests', { count: sent });
  return { digests: sent, units: rows.length };
}
