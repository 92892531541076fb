DROP INDEX "donations_org_received_idx";--> statement-breakpoint
CREATE INDEX "package_units_delivered_on_idx" ON "package_units" USING btree ("org_id","delivered_on");--> statement-breakpoint
CREATE INDEX "package_units_support_idx" ON "package_units" USING btree ("org_id","case_id","delivered_at","value_minor") WHERE "package_units"."status" = 'delivered';--> statement-breakpoint
-- The period's gifts for reports (money received by source, givers in a grant) straight from the index: no
-- heap visit for the 200,000 gifts of a province's year. Same key as before, so the CSV export's
-- keyset pages and every other use keep it.
CREATE INDEX "donations_org_received_idx" ON "donations" USING btree ("org_id","received_at") INCLUDE ("fund_id","donor_id","channel","currency","amount_minor","base_amount_minor");
