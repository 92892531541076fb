CREATE TABLE "funder_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"funder_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"donor_id" uuid NOT NULL,
	"language" text DEFAULT 'vi' NOT NULL,
	"iati_ref" text,
	"org_type" text DEFAULT 'international-ngo' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funders_language_check" CHECK ("funders"."language" in ('vi','en')),
	CONSTRAINT "funders_type_check" CHECK ("funders"."org_type" in ('government','local-government','other-public-sector','international-ngo','national-ngo','foundation','private-sector','academic','multilateral','other'))
);
--> statement-breakpoint
CREATE TABLE "grant_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"baseline_year" integer,
	"baseline_value" bigint,
	"target_value" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grant_targets_values_check" CHECK ("grant_targets"."target_value" >= 0 and ("grant_targets"."baseline_value" is null or "grant_targets"."baseline_value" >= 0)),
	CONSTRAINT "grant_targets_baseline_check" CHECK (("grant_targets"."baseline_value" is null) = ("grant_targets"."baseline_year" is null))
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"funder_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"title_en" text,
	"description" text DEFAULT '' NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text DEFAULT 'VND' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"fund_id" uuid NOT NULL,
	"purpose" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"schedule" text DEFAULT 'quarterly' NOT NULL,
	"next_due_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grants_code_check" CHECK ("grants"."code" ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
	CONSTRAINT "grants_amount_check" CHECK ("grants"."amount_minor" >= 0),
	CONSTRAINT "grants_currency_check" CHECK ("grants"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "grants_dates_check" CHECK ("grants"."ends_on" >= "grants"."starts_on"),
	CONSTRAINT "grants_schedule_check" CHECK ("grants"."schedule" in ('none','quarterly','semi_annual','annual'))
);
--> statement-breakpoint
CREATE TABLE "report_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"period_to" date NOT NULL,
	"status" text DEFAULT 'preview' NOT NULL,
	"send_after" timestamp with time zone NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_deliveries_status_check" CHECK ("report_deliveries"."status" in ('preview','sent')),
	CONSTRAINT "report_deliveries_sent_check" CHECK (("report_deliveries"."status" = 'sent') = ("report_deliveries"."sent_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "report_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_links_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "report_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"model" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_versions_number_check" CHECK ("report_versions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"scope_kind" text NOT NULL,
	"campaign_id" uuid,
	"grant_id" uuid,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"language" text DEFAULT 'vi' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_scope_check" CHECK ("reports"."scope_kind" in ('organisation','campaign','grant')),
	CONSTRAINT "reports_scope_ref_check" CHECK (("reports"."scope_kind" = 'campaign') = ("reports"."campaign_id" is not null) and ("reports"."scope_kind" = 'grant') = ("reports"."grant_id" is not null)),
	CONSTRAINT "reports_period_check" CHECK ("reports"."period_to" >= "reports"."period_from"),
	CONSTRAINT "reports_language_check" CHECK ("reports"."language" in ('vi','en'))
);
--> statement-breakpoint
ALTER TABLE "funder_contacts" ADD CONSTRAINT "funder_contacts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funder_contacts" ADD CONSTRAINT "funder_contacts_funder_id_funders_id_fk" FOREIGN KEY ("funder_id") REFERENCES "public"."funders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funders" ADD CONSTRAINT "funders_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funders" ADD CONSTRAINT "funders_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_targets" ADD CONSTRAINT "grant_targets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_targets" ADD CONSTRAINT "grant_targets_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_funder_id_funders_id_fk" FOREIGN KEY ("funder_id") REFERENCES "public"."funders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "public"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_links" ADD CONSTRAINT "report_links_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_links" ADD CONSTRAINT "report_links_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_links" ADD CONSTRAINT "report_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funder_contacts_email_idx" ON "funder_contacts" USING btree ("funder_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "funders_org_donor_idx" ON "funders" USING btree ("org_id","donor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_targets_indicator_idx" ON "grant_targets" USING btree ("grant_id","indicator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_org_code_idx" ON "grants" USING btree ("org_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "report_deliveries_period_idx" ON "report_deliveries" USING btree ("grant_id","period_to");--> statement-breakpoint
CREATE INDEX "report_links_version_idx" ON "report_links" USING btree ("version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_versions_number_idx" ON "report_versions" USING btree ("report_id","version");--> statement-breakpoint
CREATE INDEX "reports_org_idx" ON "reports" USING btree ("org_id","created_at");