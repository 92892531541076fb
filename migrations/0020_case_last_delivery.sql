DROP INDEX "package_units_support_idx";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "last_delivered_at" timestamp with time zone;--> statement-breakpoint
-- Matching sums each child's deliveries of the last 12 months from this index alone (a year of
-- units, not five): partial on delivered units, the case and the value carried in the leaf.
CREATE INDEX "package_units_recent_support_idx" ON "package_units" USING btree ("org_id","delivered_at") INCLUDE ("case_id","value_minor") WHERE "package_units"."status" = 'delivered';--> statement-breakpoint
-- cases.last_delivered_at is the latest delivered_at of the case's delivered units, kept here and
-- written by nothing else. A statement trigger (transition tables): a delivery of 200 units is one
-- update of the children concerned. Only changes that can move the answer count: a unit becoming
-- delivered, a delivered one undone or cancelled, a delivery time or child changed.
CREATE OR REPLACE FUNCTION sechia_case_last_delivery_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT n.case_id) INTO touched FROM new_units n WHERE n.status = 'delivered' AND n.case_id IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT x.case_id) INTO touched
      FROM old_units o
      JOIN new_units n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.case_id), (n.case_id)) x(case_id)
     WHERE (o.status = 'delivered' OR n.status = 'delivered')
       AND (n.status IS DISTINCT FROM o.status OR n.delivered_at IS DISTINCT FROM o.delivered_at OR n.case_id IS DISTINCT FROM o.case_id)
       AND x.case_id IS NOT NULL;
  END IF;
  IF touched IS NULL THEN
    RETURN NULL;
  END IF;
  -- The children's rows are locked first, in id order (two deliveries never wait on each other in
  -- a circle), and the latest delivery is read after: in READ COMMITTED each statement here takes
  -- a fresh snapshot, so a concurrent delivery to the same child has committed by then and counts.
  PERFORM 1 FROM cases WHERE id = ANY (touched) ORDER BY id FOR UPDATE;
  UPDATE cases c
     SET last_delivered_at = (SELECT max(u.delivered_at) FROM package_units u WHERE u.case_id = c.id AND u.status = 'delivered')
   WHERE c.id = ANY (touched);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER package_units_last_delivery_insert AFTER INSERT ON package_units
  REFERENCING NEW TABLE AS new_units
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_case_last_delivery_sync();
--> statement-breakpoint
CREATE TRIGGER package_units_last_delivery_update AFTER UPDATE ON package_units
  REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_case_last_delivery_sync();
--> statement-breakpoint
-- What the units already say.
UPDATE cases c SET last_delivered_at = s.last_at
  FROM (SELECT case_id, max(delivered_at) AS last_at FROM package_units WHERE status = 'delivered' AND case_id IS NOT NULL GROUP BY case_id) s
 WHERE s.case_id = c.id;
