-- Applying a burst of gifts serialised on ledger_day_totals: every gift of a campaign posts to the
-- same fund's day, so each applying transaction's trigger updated the one row that the previous
-- transaction had updated and waited for that transaction's commit (in the bench this wait was the
-- largest share of applying Stripe events: bench/NOTES.md, 2026-12-07 eighth). A day's
-- sums may now be split over slots (0–7): the trigger adds to the slot of its connection, the
-- rebuild writes slot 0, and every reader sums the slots (they all summed rows already).
ALTER TABLE "ledger_day_totals" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_day_totals" DROP CONSTRAINT "ledger_day_totals_org_id_day_fund_id_currency_account_channel_moving_pk";--> statement-breakpoint
ALTER TABLE "ledger_day_totals" ADD CONSTRAINT "ledger_day_totals_org_id_day_fund_id_currency_account_channel_moving_slot_pk" PRIMARY KEY("org_id","day","fund_id","currency","account","channel","moving","slot");--> statement-breakpoint
ALTER TABLE "ledger_day_totals" ADD CONSTRAINT "ledger_day_totals_slot_check" CHECK ("ledger_day_totals"."slot" between 0 and 7);--> statement-breakpoint
-- The upsert of migration 0016, into a given slot (an SQL expression; slot 0 by default).
DROP FUNCTION sechia_ledger_day_totals_upsert(text);--> statement-breakpoint
CREATE FUNCTION sechia_ledger_day_totals_upsert(source text, slot text DEFAULT '0') RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  INSERT INTO ledger_day_totals AS t (org_id, day, fund_id, currency, account, channel, moving, amount_minor, lines, slot)
  SELECT s.*, %s FROM (%s) s
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (org_id, day, fund_id, currency, account, channel, moving, slot)
  DO UPDATE SET amount_minor = t.amount_minor + excluded.amount_minor, lines = t.lines + excluded.lines
$q$, slot, sechia_ledger_day_totals_select(source))
$fn$;
--> statement-breakpoint
-- The trigger's function, written out once here from that one definition as static SQL. It ran
-- the upsert through EXECUTE, so PostgreSQL parsed and planned it for every ledger insert (about
-- 0.5 ms a posting on an idle server); PL/pgSQL now plans it once per connection. The body is
-- text frozen from the definition when this runs: a migration that changes
-- sechia_ledger_day_totals_select must run this block again (test/giving/ledger.test.ts checks it).
DO $migration$
BEGIN
  EXECUTE format($create$
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_add() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT posting_id FROM new_lines) n
    JOIN ledger_entries e ON e.posting_id = n.posting_id
    WHERE NOT EXISTS (SELECT 1 FROM new_lines x WHERE x.id = e.id)
  ) THEN
    RAISE EXCEPTION 'a ledger posting''s lines are inserted by one statement' USING ERRCODE = '23514';
  END IF;
  %s;
  RETURN NULL;
END;
$body$
$create$, sechia_ledger_day_totals_upsert('new_lines', '(pg_backend_pid() % 8)::smallint'));
END;
$migration$;
--> statement-breakpoint
-- Drift: the stored slots of each day added up, against a fresh sum.
CREATE OR REPLACE FUNCTION sechia_ledger_day_totals_drift(p_org uuid)
RETURNS TABLE (day date, fund_id uuid, currency text, account text, channel text, moving boolean, stored bigint, fresh bigint)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format($q$
    WITH fresh AS (%s),
    stored AS (SELECT day, fund_id, currency, account, channel, moving, sum(amount_minor)::bigint AS amount_minor, sum(lines)::int AS lines
               FROM ledger_day_totals WHERE org_id = %L GROUP BY 1, 2, 3, 4, 5, 6)
    SELECT coalesce(s.day, f.day), coalesce(s.fund_id, f.fund_id), coalesce(s.currency, f.currency), coalesce(s.account, f.account),
           coalesce(s.channel, f.channel), coalesce(s.moving, f.moving), s.amount_minor, f.amount_minor
    FROM stored s FULL JOIN fresh f USING (day, fund_id, currency, account, channel, moving)
    WHERE s.amount_minor IS DISTINCT FROM f.amount_minor OR s.lines IS DISTINCT FROM f.lines
    ORDER BY 1, 2, 3, 4, 5, 6
  $q$, sechia_ledger_day_totals_select(format('(SELECT * FROM ledger_entries WHERE org_id = %L)', p_org)), p_org);
END;
$$;
