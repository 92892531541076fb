-- cases.last_delivered_at (migration 0020) gets the same two functions the ledger's day totals
-- have: a rebuild for one organisation (after a bulk load, or to repair) and a drift check that
-- tests, the load run and the bench generator ask.
--
-- Rebuild: every case of the organisation gets the latest delivered_at of its delivered units
-- (null when none); only rows that change are written. Unit writes wait meanwhile: the units are
-- locked against writes until commit, so no delivery lands between the read and the update.
CREATE OR REPLACE FUNCTION sechia_case_last_delivery_rebuild(p_org uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  changed integer;
BEGIN
  LOCK TABLE package_units IN SHARE MODE;
  UPDATE cases c SET last_delivered_at = f.last_at
    FROM (SELECT k.id, d.last_at
            FROM cases k
            LEFT JOIN (SELECT case_id, max(delivered_at) AS last_at FROM package_units
                        WHERE org_id = p_org AND status = 'delivered' AND case_id IS NOT NULL GROUP BY case_id) d ON d.case_id = k.id
           WHERE k.org_id = p_org) f
   WHERE c.id = f.id AND c.org_id = p_org AND c.last_delivered_at IS DISTINCT FROM f.last_at;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END;
$$;
--> statement-breakpoint
-- Cases whose stored last delivery differs from the latest of their delivered units: none, always.
CREATE OR REPLACE FUNCTION sechia_case_last_delivery_drift(p_org uuid)
RETURNS TABLE (case_id uuid, stored timestamptz, fresh timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT c.id, c.last_delivered_at, d.last_at
    FROM cases c
    LEFT JOIN (SELECT u.case_id, max(u.delivered_at) AS last_at FROM package_units u
                WHERE u.org_id = p_org AND u.status = 'delivered' AND u.case_id IS NOT NULL GROUP BY u.case_id) d ON d.case_id = c.id
   WHERE c.org_id = p_org AND c.last_delivered_at IS DISTINCT FROM d.last_at
   ORDER BY c.id;
$$;
