-- A centre's public page lists its campaigns with what each has raised and from how many donors.
-- Counting distinct donors over every campaign's gifts takes about a second at a province's scale
-- (650,000 gifts), too long for a public page that anyone may load: the cards are stored with the
-- year's figures and computed again on the same schedule.
ALTER TABLE "centre_figure_snapshots" ADD COLUMN "campaigns" jsonb;
