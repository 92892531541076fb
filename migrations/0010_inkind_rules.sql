-- Goods movements are append-only: a correction is a new movement (adjust, return), never an edit.
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
--> statement-breakpoint
-- Stock on hand follows the movements in the same transaction. The UPDATE locks the
-- (item, location) row, so concurrent movements queue on it, and the CHECK on stock_balances
-- (quantity >= 0) refuses the one that would take stock below zero. (Not INSERT … ON CONFLICT
-- DO UPDATE: PostgreSQL checks the proposed new row's CHECKs before it looks for a conflict.)
CREATE OR REPLACE FUNCTION sechia_stock_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stock_balances
    SET quantity = quantity + NEW.quantity, value_minor = value_minor + NEW.value_minor
    WHERE item_id = NEW.item_id AND location_id = NEW.location_id;
  IF NOT FOUND THEN
    INSERT INTO stock_balances (org_id, item_id, location_id, quantity, value_minor)
      VALUES (NEW.org_id, NEW.item_id, NEW.location_id, NEW.quantity, NEW.value_minor)
      ON CONFLICT (item_id, location_id) DO NOTHING;
    IF NOT FOUND THEN
      -- Another transaction created the row meanwhile: add to it.
      UPDATE stock_balances
        SET quantity = quantity + NEW.quantity, value_minor = value_minor + NEW.value_minor
        WHERE item_id = NEW.item_id AND location_id = NEW.location_id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION sechia_stock_apply();
--> statement-breakpoint
-- Only the movement trigger writes balances (it runs one trigger level down): a direct
-- INSERT, UPDATE or DELETE would let the balance drift from the sum of the movements.
CREATE OR REPLACE FUNCTION sechia_stock_balance_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'stock_balances is derived from stock_movements' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER stock_balances_guard BEFORE INSERT OR UPDATE OR DELETE ON stock_balances
  FOR EACH ROW EXECUTE FUNCTION sechia_stock_balance_guard();
