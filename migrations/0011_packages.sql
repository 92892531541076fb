CREATE TABLE "package_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"drive_id" uuid NOT NULL,
	"delivered_on" date NOT NULL,
	"place" text NOT NULL,
	"staff" text NOT NULL,
	"note" text,
	"unit_count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "package_drives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"package_type_id" uuid NOT NULL,
	"fund_id" uuid NOT NULL,
	"title_vi" text NOT NULL,
	"title_en" text,
	"target_count" integer NOT NULL,
	"unit_value_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"status" text DEFAULT 'active' NOT NULL,
	"min_age" integer,
	"max_age" integer,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"location_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_drives_target_check" CHECK ("package_drives"."target_count" > 0),
	CONSTRAINT "package_drives_value_check" CHECK ("package_drives"."unit_value_minor" > 0),
	CONSTRAINT "package_drives_currency_check" CHECK ("package_drives"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "package_drives_status_check" CHECK ("package_drives"."status" in ('draft','active','closed')),
	CONSTRAINT "package_drives_dates_check" CHECK ("package_drives"."ends_on" is null or "package_drives"."starts_on" is null or "package_drives"."ends_on" >= "package_drives"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "package_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text,
	"contents_vi" text DEFAULT '' NOT NULL,
	"contents_en" text,
	"unit_value_minor" bigint NOT NULL,
	"currency" text DEFAULT 'VND' NOT NULL,
	"min_age" integer,
	"max_age" integer,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"location_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_types_value_check" CHECK ("package_types"."unit_value_minor" > 0),
	CONSTRAINT "package_types_currency_check" CHECK ("package_types"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "package_types_age_check" CHECK (("package_types"."min_age" is null or "package_types"."min_age" >= 0) and ("package_types"."max_age" is null or "package_types"."max_age" >= 0) and ("package_types"."min_age" is null or "package_types"."max_age" is null or "package_types"."max_age" >= "package_types"."min_age"))
);
--> statement-breakpoint
CREATE TABLE "package_unit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"case_id" uuid,
	"delivery_id" uuid,
	"reason" text,
	"data" jsonb,
	"actor_id" uuid,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "package_unit_events_kind_check" CHECK ("package_unit_events"."kind" in ('funded','matched','unmatched','delivered','delivery_undone','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "package_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"drive_id" uuid NOT NULL,
	"donation_id" uuid NOT NULL,
	"unit_no" integer NOT NULL,
	"value_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"money_account" text NOT NULL,
	"source_unit_id" uuid,
	"status" text DEFAULT 'funded' NOT NULL,
	"case_id" uuid,
	"match_reason" text,
	"override_reason" text,
	"matched_at" timestamp with time zone,
	"matched_by" uuid,
	"delivery_id" uuid,
	"delivered_on" date,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_units_status_check" CHECK ("package_units"."status" in ('funded','matched','delivered','cancelled')),
	CONSTRAINT "package_units_value_check" CHECK ("package_units"."value_minor" > 0),
	CONSTRAINT "package_units_unit_no_check" CHECK ("package_units"."unit_no" > 0),
	CONSTRAINT "package_units_case_check" CHECK (("package_units"."status" in ('matched','delivered')) = ("package_units"."case_id" is not null)),
	CONSTRAINT "package_units_delivered_check" CHECK (("package_units"."status" = 'delivered') = ("package_units"."delivered_at" is not null and "package_units"."delivery_id" is not null and "package_units"."delivered_on" is not null))
);
--> statement-breakpoint
ALTER TABLE "package_deliveries" ADD CONSTRAINT "package_deliveries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_deliveries" ADD CONSTRAINT "package_deliveries_drive_id_package_drives_id_fk" FOREIGN KEY ("drive_id") REFERENCES "public"."package_drives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_deliveries" ADD CONSTRAINT "package_deliveries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_drives" ADD CONSTRAINT "package_drives_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_drives" ADD CONSTRAINT "package_drives_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_drives" ADD CONSTRAINT "package_drives_package_type_id_package_types_id_fk" FOREIGN KEY ("package_type_id") REFERENCES "public"."package_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_drives" ADD CONSTRAINT "package_drives_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "public"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_drives" ADD CONSTRAINT "package_drives_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_types" ADD CONSTRAINT "package_types_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_types" ADD CONSTRAINT "package_types_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_unit_events" ADD CONSTRAINT "package_unit_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_unit_events" ADD CONSTRAINT "package_unit_events_unit_id_package_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."package_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_unit_events" ADD CONSTRAINT "package_unit_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_unit_events" ADD CONSTRAINT "package_unit_events_delivery_id_package_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."package_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_unit_events" ADD CONSTRAINT "package_unit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_drive_id_package_drives_id_fk" FOREIGN KEY ("drive_id") REFERENCES "public"."package_drives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_donation_id_donations_id_fk" FOREIGN KEY ("donation_id") REFERENCES "public"."donations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_source_unit_id_package_units_id_fk" FOREIGN KEY ("source_unit_id") REFERENCES "public"."package_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_matched_by_users_id_fk" FOREIGN KEY ("matched_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_units" ADD CONSTRAINT "package_units_delivery_id_package_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."package_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "package_deliveries_drive_idx" ON "package_deliveries" USING btree ("org_id","drive_id");--> statement-breakpoint
CREATE UNIQUE INDEX "package_drives_fund_idx" ON "package_drives" USING btree ("fund_id");--> statement-breakpoint
CREATE INDEX "package_drives_org_idx" ON "package_drives" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "package_drives_campaign_idx" ON "package_drives" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "package_types_org_idx" ON "package_types" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "package_unit_events_unit_idx" ON "package_unit_events" USING btree ("unit_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "package_units_donation_no_idx" ON "package_units" USING btree ("donation_id","unit_no");--> statement-breakpoint
CREATE UNIQUE INDEX "package_units_one_per_child_idx" ON "package_units" USING btree ("drive_id","case_id") WHERE "package_units"."override_reason" is null and "package_units"."status" in ('matched','delivered');--> statement-breakpoint
CREATE INDEX "package_units_drive_status_idx" ON "package_units" USING btree ("org_id","drive_id","status");--> statement-breakpoint
CREATE INDEX "package_units_case_idx" ON "package_units" USING btree ("case_id","status");--> statement-breakpoint
CREATE INDEX "package_units_donation_idx" ON "package_units" USING btree ("donation_id");--> statement-breakpoint
CREATE INDEX "package_units_delivered_idx" ON "package_units" USING btree ("org_id","delivered_at");