DROP INDEX "donations_org_donor_idx";--> statement-breakpoint
CREATE INDEX "ledger_entries_org_occurred_idx" ON "ledger_entries" USING btree ("org_id","occurred_at");--> statement-breakpoint
CREATE INDEX "ledger_postings_org_occurred_idx" ON "ledger_postings" USING btree ("org_id","occurred_at");--> statement-breakpoint
CREATE INDEX "donations_org_donor_idx" ON "donations" USING btree ("org_id","donor_id","received_at");