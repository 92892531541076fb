CREATE TABLE "campaign_donors" (
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"giver_key" uuid NOT NULL,
	"live_gifts" integer NOT NULL,
	CONSTRAINT "campaign_donors_org_id_campaign_id_giver_key_pk" PRIMARY KEY("org_id","campaign_id","giver_key"),
	CONSTRAINT "campaign_donors_live_check" CHECK ("campaign_donors"."live_gifts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "campaign_donors" ADD CONSTRAINT "campaign_donors_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_donors" ADD CONSTRAINT "campaign_donors_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A campaign's donor count was a distinct count over every gift of every campaign (about a second
-- for the staff list at a province's scale, 650,000 gifts); campaign_donors keeps one row per
-- campaign and giver with the giver's gifts not refunded in full, so the count is a count of rows.
--
-- The rows as the gifts and refunds say they should be: the rebuild writes them, the drift check
-- compares against them.
CREATE OR REPLACE FUNCTION sechia_campaign_donors_fresh(p_org uuid)
RETURNS TABLE (campaign_id uuid, giver_key uuid, live_gifts integer)
LANGUAGE sql STABLE AS $$
  SELECT d.campaign_id, coalesce(d.donor_id, d.id), count(*)::int
    FROM donations d
    LEFT JOIN (SELECT donation_id, sum(amount_minor) AS refunded FROM refunds WHERE org_id = p_org GROUP BY donation_id) r
      ON r.donation_id = d.id
   WHERE d.org_id = p_org AND d.campaign_id IS NOT NULL AND coalesce(r.refunded, 0) < d.amount_minor
   GROUP BY 1, 2
$$;
--> statement-breakpoint
-- One trigger function for the three triggers below: it works out each (organisation, campaign,
-- giver, change) that the statement makes, then adds them to the counts: gains as upserts (in key
-- order, so two statements never wait on each other in a circle), losses as updates; a count that
-- reaches zero is then deleted, in a statement of its own (a fresh snapshot in READ COMMITTED: the
-- rows are locked by the update by then, so no concurrent gift slips in between).
--  - new gifts: each adds one to its giver's count (a new gift has no refund yet);
--  - gifts updated: a gift moved to another donor (a merge) or campaign, if still standing, leaves
--    the old giver's count and joins the new one; settlement updates change neither and cost one
--    empty join;
--  - refunds: a gift whose refunds reach its amount in this statement leaves its giver's count.
--    Refunds of one gift are recorded one at a time (the donation row is locked), so "before" and
--    "after" here are those of this statement alone.
CREATE OR REPLACE FUNCTION sechia_campaign_donors_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_orgs uuid[]; v_campaigns uuid[]; v_givers uuid[]; v_deltas integer[];
BEGIN
  IF TG_TABLE_NAME = 'refunds' THEN
    SELECT array_agg(k.org_id), array_agg(k.campaign_id), array_agg(k.giver), array_agg(k.n) INTO v_orgs, v_campaigns, v_givers, v_deltas
      FROM (SELECT dn.org_id, dn.campaign_id, coalesce(dn.donor_id, dn.id) AS giver, -count(*)::int AS n
              FROM (SELECT donation_id, sum(amount_minor) AS added FROM new_refunds GROUP BY 1) a
              JOIN donations dn ON dn.id = a.donation_id
              CROSS JOIN LATERAL (SELECT sum(r.amount_minor) AS total FROM refunds r WHERE r.donation_id = a.donation_id) t
             WHERE dn.campaign_id IS NOT NULL AND t.total >= dn.amount_minor AND t.total - a.added < dn.amount_minor
             GROUP BY 1, 2, 3) k;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT array_agg(k.org_id), array_agg(k.campaign_id), array_agg(k.giver), array_agg(k.n) INTO v_orgs, v_campaigns, v_givers, v_deltas
      FROM (SELECT org_id, campaign_id, coalesce(donor_id, id) AS giver, count(*)::int AS n
              FROM new_gifts WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3) k;
  ELSE
    SELECT array_agg(k.org_id), array_agg(k.campaign_id), array_agg(k.giver), array_agg(k.n) INTO v_orgs, v_campaigns, v_givers, v_deltas
      FROM (SELECT x.org_id, x.campaign_id, x.giver, sum(x.n)::int AS n
              FROM (SELECT ol.org_id, ol.campaign_id AS old_campaign, coalesce(ol.donor_id, ol.id) AS old_giver,
                           nw.campaign_id AS new_campaign, coalesce(nw.donor_id, nw.id) AS new_giver
                      FROM old_gifts ol JOIN new_gifts nw ON nw.id = ol.id
                     WHERE (ol.campaign_id IS DISTINCT FROM nw.campaign_id OR ol.donor_id IS DISTINCT FROM nw.donor_id)
                       AND coalesce((SELECT sum(r.amount_minor) FROM refunds r WHERE r.donation_id = nw.id), 0) < nw.amount_minor) m
              CROSS JOIN LATERAL (VALUES (m.org_id, m.old_campaign, m.old_giver, -1), (m.org_id, m.new_campaign, m.new_giver, 1)) x(org_id, campaign_id, giver, n)
             WHERE x.campaign_id IS NOT NULL
             GROUP BY 1, 2, 3
            HAVING sum(x.n) <> 0) k;
  END IF;
  IF v_orgs IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO campaign_donors AS t (org_id, campaign_id, giver_key, live_gifts)
  SELECT x.o, x.c, x.g, x.d FROM unnest(v_orgs, v_campaigns, v_givers, v_deltas) AS x(o, c, g, d)
   WHERE x.d > 0
   ORDER BY 1, 2, 3
  ON CONFLICT (org_id, campaign_id, giver_key) DO UPDATE SET live_gifts = t.live_gifts + excluded.live_gifts;
  IF EXISTS (SELECT 1 FROM unnest(v_deltas) AS x(d) WHERE x.d < 0) THEN
    UPDATE campaign_donors t SET live_gifts = t.live_gifts + x.d
      FROM unnest(v_orgs, v_campaigns, v_givers, v_deltas) AS x(o, c, g, d)
     WHERE x.d < 0 AND t.org_id = x.o AND t.campaign_id = x.c AND t.giver_key = x.g;
    DELETE FROM campaign_donors t
     USING unnest(v_orgs, v_campaigns, v_givers, v_deltas) AS x(o, c, g, d)
     WHERE x.d < 0 AND t.org_id = x.o AND t.campaign_id = x.c AND t.giver_key = x.g AND t.live_gifts <= 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER donations_campaign_donors_insert AFTER INSERT ON donations
  REFERENCING NEW TABLE AS new_gifts
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_campaign_donors_sync();
--> statement-breakpoint
CREATE TRIGGER donations_campaign_donors_update AFTER UPDATE ON donations
  REFERENCING OLD TABLE AS old_gifts NEW TABLE AS new_gifts
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_campaign_donors_sync();
--> statement-breakpoint
CREATE TRIGGER refunds_campaign_donors_insert AFTER INSERT ON refunds
  REFERENCING NEW TABLE AS new_refunds
  FOR EACH STATEMENT EXECUTE FUNCTION sechia_campaign_donors_sync();
--> statement-breakpoint
-- Recomputes an organisation's rows (after a bulk load, or a repair). New gifts and refunds wait
-- meanwhile (SHARE locks until commit), so none lands between the delete and the insert.
CREATE OR REPLACE FUNCTION sechia_campaign_donors_rebuild(p_org uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  LOCK TABLE donations, refunds IN SHARE MODE;
  DELETE FROM campaign_donors WHERE org_id = p_org;
  INSERT INTO campaign_donors (org_id, campaign_id, giver_key, live_gifts)
  SELECT p_org, f.campaign_id, f.giver_key, f.live_gifts FROM sechia_campaign_donors_fresh(p_org) f ORDER BY 1, 2, 3;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;
--> statement-breakpoint
-- Stored counts that differ from what the gifts and refunds say: none, always.
CREATE OR REPLACE FUNCTION sechia_campaign_donors_drift(p_org uuid)
RETURNS TABLE (campaign_id uuid, giver_key uuid, stored integer, fresh integer)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(s.campaign_id, f.campaign_id), coalesce(s.giver_key, f.giver_key), s.live_gifts, f.live_gifts
    FROM (SELECT * FROM campaign_donors WHERE org_id = p_org) s
    FULL JOIN sechia_campaign_donors_fresh(p_org) f ON f.campaign_id = s.campaign_id AND f.giver_key = s.giver_key
   WHERE s.live_gifts IS DISTINCT FROM f.live_gifts
$$;
--> statement-breakpoint
-- What the gifts already say.
SELECT sechia_campaign_donors_rebuild(id) FROM organisations;
