CREATE TABLE "inkind_distributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"distributed_on" date NOT NULL,
	"location_id" uuid NOT NULL,
	"case_id" uuid,
	"event_name" text,
	"headcount" integer,
	"place_location_id" uuid,
	"place" text,
	"package_type_id" uuid,
	"package_unit_id" uuid,
	"package_quantity" integer,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inkind_distributions_kind_check" CHECK ("inkind_distributions"."kind" in ('case','event','package')),
	CONSTRAINT "inkind_distributions_shape_check" CHECK (("inkind_distributions"."kind" = 'case' and "inkind_distributions"."case_id" is not null)
        or ("inkind_distributions"."kind" = 'event' and "inkind_distributions"."headcount" is not null and "inkind_distributions"."headcount" > 0 and "inkind_distributions"."event_name" is not null)
        or ("inkind_distributions"."kind" = 'package' and "inkind_distributions"."package_type_id" is not null and "inkind_distributions"."package_quantity" is not null and "inkind_distributions"."package_quantity" > 0))
);
--> statement-breakpoint
CREATE TABLE "inkind_intakes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"donor_id" uuid,
	"anonymous" boolean DEFAULT false NOT NULL,
	"received_on" date NOT NULL,
	"location_id" uuid NOT NULL,
	"ack_states_value" boolean,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inkind_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text,
	"category" text NOT NULL,
	"unit" text NOT NULL,
	"unit_value_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'VND' NOT NULL,
	"valuation_source" text DEFAULT 'none' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inkind_items_category_check" CHECK ("inkind_items"."category" in ('clothing','school_supplies','toys','food','hygiene','medical','other')),
	CONSTRAINT "inkind_items_unit_check" CHECK ("inkind_items"."unit" in ('piece','set','kg','box','pack','bag','bottle','pair','book')),
	CONSTRAINT "inkind_items_source_check" CHECK ("inkind_items"."valuation_source" in ('donor_invoice','market_survey','staff_estimate','none')),
	CONSTRAINT "inkind_items_value_check" CHECK ("inkind_items"."unit_value_minor" >= 0),
	CONSTRAINT "inkind_items_currency_check" CHECK ("inkind_items"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "inkind_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"ack_states_value" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "package_type_items" (
	"org_id" uuid NOT NULL,
	"package_type_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "package_type_items_package_type_id_item_id_pk" PRIMARY KEY("package_type_id","item_id"),
	CONSTRAINT "package_type_items_qty_check" CHECK ("package_type_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"org_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"value_minor" bigint NOT NULL,
	CONSTRAINT "stock_balances_item_id_location_id_pk" PRIMARY KEY("item_id","location_id"),
	CONSTRAINT "stock_balances_nonnegative" CHECK ("stock_balances"."quantity" >= 0 and "stock_balances"."value_minor" >= 0 and ("stock_balances"."quantity" > 0 or "stock_balances"."value_minor" = 0))
);
--> statement-breakpoint
CREATE TABLE "stock_count_lines" (
	"count_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"expected_quantity" integer NOT NULL,
	"counted_quantity" integer,
	CONSTRAINT "stock_count_lines_count_id_item_id_pk" PRIMARY KEY("count_id","item_id"),
	CONSTRAINT "stock_count_lines_qty_check" CHECK ("stock_count_lines"."expected_quantity" >= 0 and ("stock_count_lines"."counted_quantity" is null or "stock_count_lines"."counted_quantity" >= 0))
);
--> statement-breakpoint
CREATE TABLE "stock_counts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_counts_status_check" CHECK ("stock_counts"."status" in ('open','confirmed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_value_minor" bigint NOT NULL,
	"value_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"condition" text,
	"reason" text,
	"note" text,
	"intake_id" uuid,
	"distribution_id" uuid,
	"count_id" uuid,
	"batch_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_kind_check" CHECK ("stock_movements"."kind" in ('receive','transfer_out','transfer_in','distribute','adjust','return')),
	CONSTRAINT "stock_movements_sign_check" CHECK ("stock_movements"."quantity" <> 0
        and ("stock_movements"."kind" not in ('receive','transfer_in','return') or "stock_movements"."quantity" > 0)
        and ("stock_movements"."kind" not in ('transfer_out','distribute') or "stock_movements"."quantity" < 0)
        and ("stock_movements"."value_minor" = 0 or sign("stock_movements"."value_minor") = sign("stock_movements"."quantity"))
        and "stock_movements"."unit_value_minor" >= 0),
	CONSTRAINT "stock_movements_reason_check" CHECK (("stock_movements"."kind" = 'adjust') = ("stock_movements"."reason" is not null) and ("stock_movements"."reason" is null or "stock_movements"."reason" in ('damaged','expired','count_correction','other'))),
	CONSTRAINT "stock_movements_condition_check" CHECK ("stock_movements"."condition" is null or "stock_movements"."condition" in ('new','good','used')),
	CONSTRAINT "stock_movements_currency_check" CHECK ("stock_movements"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "inkind_distributions" ADD CONSTRAINT "inkind_distributions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_distributions" ADD CONSTRAINT "inkind_distributions_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_distributions" ADD CONSTRAINT "inkind_distributions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_distributions" ADD CONSTRAINT "inkind_distributions_place_location_id_locations_id_fk" FOREIGN KEY ("place_location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_distributions" ADD CONSTRAINT "inkind_distributions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_intakes" ADD CONSTRAINT "inkind_intakes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_intakes" ADD CONSTRAINT "inkind_intakes_donor_id_donors_id_fk" FOREIGN KEY ("donor_id") REFERENCES "public"."donors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_intakes" ADD CONSTRAINT "inkind_intakes_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_intakes" ADD CONSTRAINT "inkind_intakes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_items" ADD CONSTRAINT "inkind_items_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inkind_settings" ADD CONSTRAINT "inkind_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_type_items" ADD CONSTRAINT "package_type_items_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_type_items" ADD CONSTRAINT "package_type_items_item_id_inkind_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inkind_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_item_id_inkind_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inkind_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_count_id_stock_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."stock_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_item_id_inkind_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inkind_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_counts" ADD CONSTRAINT "stock_counts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_counts" ADD CONSTRAINT "stock_counts_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_counts" ADD CONSTRAINT "stock_counts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_item_id_inkind_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inkind_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_intake_id_inkind_intakes_id_fk" FOREIGN KEY ("intake_id") REFERENCES "public"."inkind_intakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_distribution_id_inkind_distributions_id_fk" FOREIGN KEY ("distribution_id") REFERENCES "public"."inkind_distributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_count_id_stock_counts_id_fk" FOREIGN KEY ("count_id") REFERENCES "public"."stock_counts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inkind_distributions_org_idx" ON "inkind_distributions" USING btree ("org_id","distributed_on");--> statement-breakpoint
CREATE INDEX "inkind_distributions_case_idx" ON "inkind_distributions" USING btree ("org_id","case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inkind_distributions_package_unit_idx" ON "inkind_distributions" USING btree ("org_id","package_unit_id") WHERE "inkind_distributions"."package_unit_id" is not null;--> statement-breakpoint
CREATE INDEX "inkind_intakes_org_idx" ON "inkind_intakes" USING btree ("org_id","received_on");--> statement-breakpoint
CREATE UNIQUE INDEX "inkind_items_org_name_idx" ON "inkind_items" USING btree ("org_id",lower("name_vi"));--> statement-breakpoint
CREATE INDEX "package_type_items_org_idx" ON "package_type_items" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "stock_balances_org_loc_idx" ON "stock_balances" USING btree ("org_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_counts_org_idx" ON "stock_counts" USING btree ("org_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_movements_item_loc_idx" ON "stock_movements" USING btree ("org_id","item_id","location_id");--> statement-breakpoint
CREATE INDEX "stock_movements_org_at_idx" ON "stock_movements" USING btree ("org_id","occurred_at");--> statement-breakpoint
CREATE INDEX "stock_movements_batch_idx" ON "stock_movements" USING btree ("batch_id");