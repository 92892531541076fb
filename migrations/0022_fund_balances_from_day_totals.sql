-- A fund's balance is read from ledger_day_totals (kept by the ledger's trigger, migration 0016)
-- instead of its ledger lines: at a province's scale the general fund's balance summed ~500,000
-- lines (about 900 ms); its day rows are a few thousand. The (org, fund, account) index on the
-- ledger lines served only those sums, and every ledger insert paid for it.
DROP INDEX "ledger_entries_fund_idx";--> statement-breakpoint
CREATE INDEX "ledger_day_totals_fund_idx" ON "ledger_day_totals" USING btree ("org_id","fund_id","account");