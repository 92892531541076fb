CREATE TABLE "centre_figure_snapshots" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"figures" jsonb NOT NULL,
	CONSTRAINT "centre_figure_snapshots_period_check" CHECK ("centre_figure_snapshots"."period_to" >= "centre_figure_snapshots"."period_from")
);
--> statement-breakpoint
ALTER TABLE "centre_figure_snapshots" ADD CONSTRAINT "centre_figure_snapshots_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;