CREATE TABLE "ledger_day_totals" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"fund_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"account" text NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"moving" boolean NOT NULL,
	"amount_minor" bigint NOT NULL,
	"lines" integer NOT NULL,
	CONSTRAINT "ledger_day_totals_org_id_day_fund_id_currency_account_channel_moving_pk" PRIMARY KEY("org_id","day","fund_id","currency","account","channel","moving")
);
--> statement-breakpoint
ALTER TABLE "ledger_day_totals" ADD CONSTRAINT "ledger_day_totals_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_day_totals" ADD CONSTRAINT "ledger_day_totals_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "public"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The ledger summed per organisation day, fund, currency and account (see the schema's comment).
-- One definition of the sums, over any relation of ledger lines: a statement's new lines (the
-- trigger) or an organisation's whole ledger (the rebuild). The money accounts are those of
-- MONEY_ACCOUNTS in src/giving/ledger.ts; a posting's lines are inserted by one statement
-- (postLedgerEntries), so each statement sees whole postings (checked below).
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_select(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  SELECT l.org_id, (l.occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, l.fund_id, l.currency, l.account,
         coalesce(CASE WHEN l.account = 'donations_income' AND p.kind = 'donation' THEN d.channel END, '') AS channel,
         m.posting_id IS NOT NULL AS moving, sum(l.amount_minor)::bigint AS amount_minor, count(*)::int AS lines
  FROM %1$s l
  LEFT JOIN (SELECT posting_id, fund_id, currency FROM %1$s w WHERE account IN ('cash', 'bank', 'stripe_balance')
             GROUP BY 1, 2, 3 HAVING sum(amount_minor) <> 0) m
    ON m.posting_id = l.posting_id AND m.fund_id = l.fund_id AND m.currency = l.currency
  LEFT JOIN ledger_postings p ON l.account = 'donations_income' AND p.id = l.posting_id
  LEFT JOIN donations d ON d.id = p.donation_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7
$q$, source)
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_upsert(source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  INSERT INTO ledger_day_totals AS t (org_id, day, fund_id, currency, account, channel, moving, amount_minor, lines)
  %s
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (org_id, day, fund_id, currency, account, channel, moving)
  DO UPDATE SET amount_minor = t.amount_minor + excluded.amount_minor, lines = t.lines + excluded.lines
$q$, sechia_ledger_day_totals_select(source))
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT posting_id FROM new_lines) n
    JOIN ledger_entries e ON e.posting_id = n.posting_id
    WHERE NOT EXISTS (SELECT 1 FROM new_lines x WHERE x.id = e.id)
  ) THEN
    RAISE EXCEPTION 'a ledger posting''s lines are inserted by one statement' USING ERRCODE = '23514';
  END IF;
  EXECUTE sechia_ledger_day_totals_upsert('new_lines');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_day_totals AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_ledger_day_totals_add();
--> statement-breakpoint
-- Recomputes one organisation's day totals from its ledger (after a bulk load with the trigger
-- off, or to repair). Inserts wait meanwhile: the ledger is locked against writes until commit.
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_rebuild(p_org uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE ledger_entries IN SHARE MODE;
  DELETE FROM ledger_day_totals WHERE org_id = p_org;
  EXECUTE sechia_ledger_day_totals_upsert(format('(SELECT * FROM ledger_entries WHERE org_id = %L)', p_org));
END;
$$;
--> statement-breakpoint
-- Day totals that disagree with a fresh sum of the organisation's ledger: none, always.
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_drift(p_org uuid)
RETURNS TABLE (day date, fund_id uuid, currency text, account text, channel text, moving boolean, stored bigint, fresh bigint)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH fresh AS (%s), stored AS (SELECT * FROM ledger_day_totals WHERE org_id = %L)
    SELECT coalesce(s.day, f.day), coalesce(s.fund_id, f.fund_id), coalesce(s.currency, f.currency), coalesce(s.account, f.account),
           coalesce(s.channel, f.channel), coalesce(s.moving, f.moving), s.amount_minor, f.amount_minor
    FROM stored s FULL JOIN fresh f USING (day, fund_id, currency, account, channel, moving)
    WHERE s.amount_minor IS DISTINCT FROM f.amount_minor OR s.lines IS DISTINCT FROM f.lines
    ORDER BY 1, 2, 3, 4, 5, 6
  $q$, sechia_ledger_day_totals_select(format('(SELECT * FROM ledger_entries WHERE org_id = %L)', p_org)), p_org);
END;
$$;
--> statement-breakpoint
-- Organisations whose ledger existed before this migration.
SELECT sechia_ledger_day_totals_rebuild(id) FROM organisations;
