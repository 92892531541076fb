import { analyze, bulkLoad, count, missingTables, rowId, u, uid, uidText, vnYear, type GenContext, type GenModule } from './types';

export const CAMPAIGNS = 60;
export const GRANTS = 5;

const moneyAccount = (channel: string) => `case ${channel} when 'stripe' then 'stripe_balance' when 'cash' then 'cash' else 'bank' end`;

/**
 * Donors, funds, campaigns, donations (mixed currencies and channels, monthly gifts), their
 * Stripe settlements, refunds with corrected receipts, gap-free receipt numbers per year, and
 * the double-entry ledger exactly as src/giving posts it (donation:, settlement:, refund: keys).
 */
export const giving: GenModule = {
  name: 'giving',
  tables: ['donors', 'funds', 'campaigns', 'donations', 'refunds', 'receipts', 'receipt_counters', 'ledger_postings', 'ledger_entries'],
  async generate(ctx) {
    const org = ctx.orgId;
    const tag = org.slice(0, 8);
    const D = ctx.n(200_000);
    const M = ctx.n(1_000_000);

    await ctx.exec(`insert into funds (id, org_id, kind, name) values (${uidText(ctx, 'fund', "'general'")}, '${org}', 'general', 'Quỹ chung')`);
    await ctx.exec(
      `insert into funds (id, org_id, kind, name)
       select ${uid(ctx, 'cfund', 'k')}, '${org}'::uuid, 'campaign', 'Quỹ chiến dịch ' || k from generate_series(1, ${CAMPAIGNS}) k
       union all
       select ${uid(ctx, 'gfund', 'k')}, '${org}'::uuid, 'grant', 'Tài trợ ' || k from generate_series(1, ${GRANTS}) k`,
    );
    // One campaign a month over the five years, each open for three months.
    await ctx.exec(
      `insert into campaigns (id, org_id, slug, title, summary, goal_minor, currency, starts_on, ends_on, fund_id, status, presets, created_at)
       select ${uid(ctx, 'campaign', 'k')}, '${org}', 'chien-dich-' || k, 'Chiến dịch ' || k, 'Vận động cho trẻ em', 500000000, 'VND',
              s, s + 90, ${uid(ctx, 'cfund', 'k')},
              case when s + 90 < (timestamptz '${ctx.to}' at time zone 'Asia/Ho_Chi_Minh')::date then 'closed' else 'active' end,
              '["200000","500000","1000000"]'::jsonb, s::timestamptz
       from generate_series(1, ${CAMPAIGNS}) k, lateral (select (timestamptz '${ctx.from}' at time zone 'Asia/Ho_Chi_Minh')::date + (k - 1) * 30 as s) x`,
    );

    // Everything from donors on is a bulk load (see bulkLoad); the small tables above are not.
    // campaign_donors (migration 0025) is kept by triggers on donations and refunds, off for the
    // load: it is rebuilt from the gifts once they are written, as an operator would after a bulk load.
    const campaignDonors = (await missingTables(ctx.exec, ['campaign_donors'])).length === 0;
    const tables = ['donors', 'donations', 'refunds', 'ledger_postings', 'ledger_entries', 'receipts', 'receipt_counters', ...(campaignDonors ? ['campaign_donors'] : [])];
    await bulkLoad(ctx, tables, async () => {
      await ctx.exec(
        `insert into donors (id, org_id, kind, name, email, phone, phone_key, name_key, locale, email_consent, country, created_at, updated_at)
         select ${uid(ctx, 'donor', 'i')}, '${org}',
                case when ${u('i', 'dk')} < 0.9 then 'person' when ${u('i', 'dk')} < 0.96 then 'group' else 'organisation' end,
                'Nhà hảo tâm ' || i,
                case when ${u('i', 'de')} < 0.7 then 'donor' || i || '.${tag}@example.org' end,
                case when ${u('i', 'dp')} < 0.5 then '09' || lpad(i::text, 8, '0') end,
                case when ${u('i', 'dp')} < 0.5 then '09' || lpad(i::text, 8, '0') end,
                'nha hao tam ' || i,
                case when ${u('i', 'dl')} < 0.9 then 'vi' else 'en' end,
                ${u('i', 'dc')} < 0.6,
                case when ${u('i', 'dl')} < 0.9 then 'VN' else 'US' end,
                t, t
         from generate_series(1, ${D}) i, lateral (select timestamptz '${ctx.from}' + ${u('i', 'dt')} * interval '1826 days' as t) x`,
      );

      // Donation i: when, how, in which currency, to which fund, from whom. Stripe gifts are
      // settled in VND (3% fee; foreign cards 4% at a fixed rate), as the stand-in settles them.
      await ctx.exec(
        `insert into donations (id, org_id, donor_id, campaign_id, fund_id, channel, amount_minor, currency, received_at, recurring, anonymous,
           external_id, stripe_checkout_session_id, stripe_invoice_id, stripe_charge_id, stripe_payment_intent_id, stripe_subscription_id,
           settlement_status, settlement_currency, fee_minor, net_minor, exchange_rate, base_amount_minor, settled_at, created_at)
         select ${uid(ctx, 'donation', 'i')}, '${org}',
                case when channel = 'cash' and r.rec < 0.3 then null else ${uid(ctx, 'donor', `1 + floor(r.dn * ${D})::int`)} end,
                case when r.dest < 0.6 then ${uid(ctx, 'campaign', 'b.k')} end,
                case when r.dest < 0.6 then ${uid(ctx, 'cfund', 'b.k')} when r.dest < 0.7 then ${uid(ctx, 'gfund', `1 + floor(r.g * ${GRANTS})::int`)} else ${uidText(ctx, 'fund', "'general'")} end,
                channel, amount, currency, received_at, recurring, r.anon < 0.05,
                case channel when 'bank_transfer' then 'FT' || i when 'cash' then 'PT' || i when 'cheque' then 'CHQ' || i end,
                case when channel = 'stripe' and not recurring then 'cs_bench_${tag}_' || i end,
                case when recurring then 'in_bench_${tag}_' || i end,
                case when channel = 'stripe' then 'ch_bench_${tag}_' || i end,
                case when channel = 'stripe' then 'pi_bench_${tag}_' || i end,
                case when recurring then 'sub_bench_${tag}_' || floor(r.dn * ${D})::int end,
                case when channel = 'stripe' then 'settled' else 'not_applicable' end,
                case when channel = 'stripe' then 'VND' end,
                case when channel = 'stripe' then fee end,
                case when channel = 'stripe' then vnd - fee end,
                case when channel = 'stripe' then rate end,
                case when channel = 'stripe' then vnd end,
                case when channel = 'stripe' then received_at + interval '2 days' end,
                received_at
         from generate_series(1, ${M}) i,
         lateral (select ${u('i', 't')} as t, ${u('i', 'ch')} as ch, ${u('i', 'cu')} as cu, ${u('i', 'dest')} as dest, ${u('i', 'rec')} as rec,
                         ${u('i', 'amt')} as amt, ${u('i', 'dn')} as dn, ${u('i', 'g')} as g, ${u('i', 'anon')} as anon offset 0) r,
         lateral (select timestamptz '${ctx.from}' + r.t * interval '1826 days' as received_at,
                         least(${CAMPAIGNS}, 1 + floor(r.t * ${CAMPAIGNS})::int) as k,
                         case when r.ch < 0.5 then 'stripe' when r.ch < 0.85 then 'bank_transfer' when r.ch < 0.95 then 'cash' else 'cheque' end as channel offset 0) b,
         lateral (select case when b.channel = 'stripe' and r.cu >= 0.8 then (case when r.cu < 0.92 then 'USD' when r.cu < 0.96 then 'EUR' else 'JPY' end) else 'VND' end as currency,
                         b.channel = 'stripe' and r.rec < 0.35 as recurring offset 0) c,
         lateral (select case c.currency when 'VND' then (50 + floor(r.amt * r.amt * 4950))::bigint * 1000
                                         when 'JPY' then (1000 + floor(r.amt * 49000))::bigint
                                         else (5 + floor(r.amt * 495))::bigint * 100 end as amount offset 0) a,
         lateral (select case c.currency when 'VND' then a.amount when 'USD' then a.amount * 250 when 'EUR' then a.amount * 270 else a.amount * 165 end as vnd,
                         case c.currency when 'USD' then '25000' when 'EUR' then '27000' when 'JPY' then '165' end as rate offset 0) v,
         lateral (select case when c.currency = 'VND' then v.vnd * 3 / 100 else v.vnd * 4 / 100 end as fee offset 0) f`,
      );

      // About 2% of gifts are refunded, half in full; a donation is refunded at most once here.
      await ctx.exec(
        `insert into refunds (id, org_id, donation_id, amount_minor, currency, stripe_refund_id, reason, refunded_at, created_at)
         select ${rowId(ctx, 'refund')}, org_id, id, case when ${u('id', 'rfull')} < 0.5 then amount_minor else greatest(1, amount_minor / 2) end, currency,
                case when channel = 'stripe' then 're_bench_' || md5(id::text) end, 'requested_by_customer',
                received_at + interval '3 days', received_at + interval '3 days'
         from donations where org_id = '${org}' and ${u('id', 'refund')} < 0.02`,
      );

      await analyze(ctx, ['donors', 'donations', 'refunds']);
      // The ledger and the receipts both only read the gifts and refunds above: written at once,
      // on two connections (the machine has two cores; cases, beside giving, takes one of them for
      // a fraction of giving's time).
      await Promise.all([
        postLedger(ctx),
        writeReceipts(ctx),
        campaignDonors ? ctx.exec(`select sechia_campaign_donors_rebuild('${org}')`) : null,
      ]);
    });

    return {
      donors: await count(ctx, 'donors'),
      donations: await count(ctx, 'donations'),
      refunds: await count(ctx, 'refunds'),
      receipts: await count(ctx, 'receipts'),
      ledger_postings: await count(ctx, 'ledger_postings'),
      ledger_entries: await count(ctx, 'ledger_entries'),
      ...(campaignDonors ? { campaign_donors: await count(ctx, 'campaign_donors') } : {}),
    };
  },
};

/** A receipt for every gift and a corrected receipt for every refund, numbered as the app numbers them. */
async function writeReceipts(ctx: GenContext) {
  const org = ctx.orgId;
  // (lpad would truncate a longer number; the app's padStart does not.)
  // Receipts and corrected receipts share one gap-free sequence per organisation and year.
  await ctx.exec(
    `insert into receipts (id, org_id, donation_id, refund_id, kind, year, number, code, amount_minor, currency, issued_at, created_at)
     select ${rowId(ctx, 'receipt')}, '${org}', donation_id, refund_id, kind, y, n, '${ctx.shortCode}-' || y || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end, amount, currency, issued_at, issued_at
     from (select *, row_number() over (partition by y order by issued_at, donation_id, kind desc) as n from (
             select id as donation_id, null::uuid as refund_id, 'receipt' as kind, amount_minor as amount, currency, received_at as issued_at, ${vnYear('received_at')} as y
             from donations where org_id = '${org}'
             union all
             select r.donation_id, r.id, 'correction', d.amount_minor - r.amount_minor, r.currency, r.refunded_at, ${vnYear('r.refunded_at')}
             from refunds r join donations d on d.id = r.donation_id where r.org_id = '${org}') a) b`,
  );
  await ctx.exec(
    `insert into receipt_counters (org_id, year, last_number) select org_id, year, max(number) from receipts where org_id = '${org}' group by org_id, year`,
  );
}

/**
 * The postings the app writes for each donation, settlement and refund. Each statement writes
 * whole postings, so each balances with the balance trigger on; generate() turns it off for the
 * load (see there) and ledgerCheck proves every posting balanced.
 */
async function postLedger(ctx: GenContext) {
  const org = ctx.orgId;
  await ctx.exec(
    `insert into ledger_postings (id, org_id, key, kind, donation_id, occurred_at, created_at)
     select ${rowId(ctx, 'posting')}, org_id, 'donation:' || id, 'donation', id, received_at, received_at from donations where org_id = '${org}'
     union all
     select ${rowId(ctx, 'posting')}, org_id, 'settlement:' || id, 'settlement', id, settled_at, settled_at from donations
       where org_id = '${org}' and settlement_status = 'settled' and (fee_minor <> 0 or currency <> settlement_currency)
     union all
     select ${rowId(ctx, 'posting')}, org_id, 'refund:' || id, 'refund', donation_id, refunded_at, refunded_at from refunds where org_id = '${org}'`,
  );
  await analyze(ctx, ['ledger_postings']);
  // Gift lines on one connection, settlement and refund lines on another (same table, no shared rows).
  await Promise.all([
    ctx.exec(
      `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
       select p.org_id, p.id, d.fund_id, l.account, l.amount, d.currency, p.occurred_at, p.occurred_at
       from ledger_postings p join donations d on d.id = p.donation_id
       cross join lateral (values (${moneyAccount('d.channel')}, d.amount_minor), ('donations_income', -d.amount_minor)) l(account, amount)
       where p.org_id = '${org}' and p.kind = 'donation'`,
    ),
    (async () => {
      await ctx.exec(
        `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
         select p.org_id, p.id, d.fund_id, l.account, l.amount, l.currency, p.occurred_at, p.occurred_at
         from ledger_postings p join donations d on d.id = p.donation_id
         cross join lateral (values
           (d.currency <> d.settlement_currency, 'stripe_balance', -d.amount_minor, d.currency),
           (d.currency <> d.settlement_currency, 'fx_conversion', d.amount_minor, d.currency),
           (d.currency <> d.settlement_currency, 'stripe_balance', d.base_amount_minor, d.settlement_currency),
           (d.currency <> d.settlement_currency, 'fx_conversion', -d.base_amount_minor, d.settlement_currency),
           (d.fee_minor <> 0, 'stripe_fees', d.fee_minor, d.settlement_currency),
           (d.fee_minor <> 0, 'stripe_balance', -d.fee_minor, d.settlement_currency)) l(wanted, account, amount, currency)
         where p.org_id = '${org}' and p.kind = 'settlement' and l.wanted`,
      );
      await ctx.exec(
        `insert into ledger_entries (org_id, posting_id, fund_id, account, amount_minor, currency, occurred_at, created_at)
         select p.org_id, p.id, d.fund_id, l.account, l.amount, r.currency, p.occurred_at, p.occurred_at
         from ledger_postings p join refunds r on r.donation_id = p.donation_id join donations d on d.id = r.donation_id
         cross join lateral (values ('refunds', r.amount_minor), (${moneyAccount('d.channel')}, -r.amount_minor)) l(account, amount)
         where p.org_id = '${org}' and p.kind = 'refund'`,
      );
    })(),
  ]);
}

/** Set-based proof the ledger is sound: every donation posted, every posting balanced per currency. */
export async function ledgerCheck(ctx: Pick<GenContext, 'exec' | 'orgId'>) {
  const org = ctx.orgId;
  const q = async (text: string) => Number((await ctx.exec(text)).rows[0]!.n);
  return {
    unbalancedPostings: await q(
      `select count(*)::int as n from (select posting_id, currency from ledger_entries where org_id = '${org}' group by posting_id, currency having sum(amount_minor) <> 0) x`,
    ),
    postingsWithFewerThanTwoLines: await q(
      `select count(*)::int as n from ledger_postings p where p.org_id = '${org}' and (select count(*) from ledger_entries e where e.posting_id = p.id) < 2`,
    ),
    donationsWithoutPosting: await q(
      `select count(*)::int as n from donations d where d.org_id = '${org}' and not exists (select 1 from ledger_postings p where p.org_id = d.org_id and p.key = 'donation:' || d.id::text)`,
    ),
    donationsWithoutReceipt: await q(
      `select count(*)::int as n from donations d where d.org_id = '${org}' and not exists (select 1 from receipts r where r.donation_id = d.id and r.kind = 'receipt')`,
    ),
    ledgerDayTotalsDrift: (await missingTables(ctx.exec, ['ledger_day_totals'])).length === 0
      ? await q(`select count(*)::int as n from sechia_ledger_day_totals_drift('${org}')`)
      : 0,
    campaignDonorsDrift: (await missingTables(ctx.exec, ['campaign_donors'])).length === 0
      ? await q(`select count(*)::int as n from sechia_campaign_donors_drift('${org}')`)
      : 0,
    receiptNumberGaps: await q(
      `select count(*)::int as n from (select year, count(*) c, max(number) m from receipts where org_id = '${org}' group by year) x where c <> m`,
    ),
  };
}
