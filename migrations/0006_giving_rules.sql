-- Money rows are append-only: a correction is a new row (refund, reversing posting), never an edit.
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
-- A donation's money facts never change and a donation is never deleted. Settlement details
-- (fee, net, rate) are filled in once Stripe reports them, and a donor merge re-points donor_id.
CREATE OR REPLACE FUNCTION sechia_donation_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'donations are never deleted; record a refund instead' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.org_id IS DISTINCT FROM OLD.org_id
     OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor
     OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.channel IS DISTINCT FROM OLD.channel
     OR NEW.received_at IS DISTINCT FROM OLD.received_at
     OR NEW.fund_id IS DISTINCT FROM OLD.fund_id THEN
    RAISE EXCEPTION 'the amount, currency, channel, date and fund of a donation cannot change' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER donations_guard BEFORE UPDATE OR DELETE ON donations
  FOR EACH ROW EXECUTE FUNCTION sechia_donation_guard();
--> statement-breakpoint
-- Double entry: at commit, every posting touched must sum to zero in each currency.
CREATE OR REPLACE FUNCTION sechia_ledger_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT currency, sum(amount_minor) AS total INTO bad
    FROM ledger_entries WHERE posting_id = NEW.posting_id
    GROUP BY currency HAVING sum(amount_minor) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger posting % does not balance in % (off by %)', NEW.posting_id, bad.currency, bad.total
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION sechia_ledger_balanced();
