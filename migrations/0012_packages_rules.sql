-- Gift-package history is append-only: a unit's every status change is an event row, a
-- hand-over is a delivery row; corrections are new rows (an undo event, a reversing posting).
CREATE TRIGGER package_unit_events_append_only BEFORE UPDATE OR DELETE ON package_unit_events
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
CREATE TRIGGER package_deliveries_append_only BEFORE UPDATE OR DELETE ON package_deliveries
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
-- A unit is never deleted, and what was paid for (drive, donation, value) never changes; only
-- its lifecycle columns move (by conditional UPDATEs in src/packages/).
CREATE OR REPLACE FUNCTION sechia_package_unit_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'package units are never deleted; cancel them instead' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.org_id IS DISTINCT FROM OLD.org_id
     OR NEW.drive_id IS DISTINCT FROM OLD.drive_id
     OR NEW.donation_id IS DISTINCT FROM OLD.donation_id
     OR NEW.unit_no IS DISTINCT FROM OLD.unit_no
     OR NEW.value_minor IS DISTINCT FROM OLD.value_minor
     OR NEW.currency IS DISTINCT FROM OLD.currency
     OR NEW.money_account IS DISTINCT FROM OLD.money_account THEN
    RAISE EXCEPTION 'the drive, donation and value of a package unit cannot change' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status = 'cancelled' THEN
    RAISE EXCEPTION 'a cancelled package unit stays cancelled' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER package_units_guard BEFORE UPDATE OR DELETE ON package_units
  FOR EACH ROW EXECUTE FUNCTION sechia_package_unit_guard();
