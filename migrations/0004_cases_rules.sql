-- Case history is what reports count: transitions and erasure records are append-only, and
-- a case is never deleted (erasure empties its identifying row instead).
CREATE TRIGGER case_transitions_append_only BEFORE UPDATE OR DELETE ON case_transitions
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER case_erasures_append_only BEFORE UPDATE OR DELETE ON case_erasures
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER case_identities_no_delete BEFORE DELETE ON case_identities
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
-- Consent records and services are history too. The one change allowed is erasure clearing
-- the identifying or free-text column (the consent giver's name, a service's work note).
CREATE OR REPLACE FUNCTION sechia_case_history_erase_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'table % keeps its history: rows cannot be deleted', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - col) IS DISTINCT FROM (to_jsonb(OLD) - col) OR (to_jsonb(NEW) -> col) <> 'null'::jsonb THEN
    RAISE EXCEPTION 'table % keeps its history: only erasing % is allowed', TG_TABLE_NAME, col USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_consents_erase_only BEFORE UPDATE OR DELETE ON case_consents
  FOR EACH ROW EXECUTE FUNCTION sechia_case_history_erase_only('given_by_name');
--> statement-breakpoint
CREATE TRIGGER case_services_erase_only BEFORE UPDATE OR DELETE ON case_services
  FOR EACH ROW EXECUTE FUNCTION sechia_case_history_erase_only('note');
