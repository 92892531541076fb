CREATE TABLE "case_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label_vi" text NOT NULL,
	"label_en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_categories_key_check" CHECK ("case_categories"."key" ~ '^[a-z][a-z0-9_]{1,39}$')
);
--> statement-breakpoint
CREATE TABLE "case_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"given_on" date NOT NULL,
	"given_by_relation" text NOT NULL,
	"given_by_name" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_consents_kind_check" CHECK ("case_consents"."kind" in ('data_processing','photos')),
	CONSTRAINT "case_consents_action_check" CHECK ("case_consents"."action" in ('granted','withdrawn')),
	CONSTRAINT "case_consents_giver_check" CHECK ("case_consents"."given_by_relation" in ('self','mother','father','grandparent','legal_guardian','other_relative','institution'))
);
--> statement-breakpoint
CREATE TABLE "case_counters" (
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "case_counters_org_id_year_pk" PRIMARY KEY("org_id","year"),
	CONSTRAINT "case_counters_positive" CHECK ("case_counters"."last_value" > 0)
);
--> statement-breakpoint
CREATE TABLE "case_erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"erased_by" uuid,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_erasures_reason_check" CHECK ("case_erasures"."reason" in ('data_subject_request','consent_withdrawn','retention_expired','recorded_in_error'))
);
--> statement-breakpoint
CREATE TABLE "case_goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"description" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"target_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_goals_status_check" CHECK ("case_goals"."status" in ('planned','in_progress','achieved','dropped'))
);
--> statement-breakpoint
CREATE TABLE "case_identities" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"full_name" text,
	"birth_date" date,
	"address" text,
	"guardian_name" text,
	"guardian_relation" text,
	"guardian_phone" text,
	"photos" jsonb,
	"erased_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"delivered_on" date NOT NULL,
	"duration_minutes" integer NOT NULL,
	"staff_user_id" uuid,
	"referral_to" text,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_services_kind_check" CHECK ("case_services"."kind" in ('counselling','therapy','home_visit','referral','emergency_shelter','emergency_food','emergency_travel')),
	CONSTRAINT "case_services_duration_check" CHECK ("case_services"."duration_minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "case_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"closure_reason" text,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_transitions_kind_check" CHECK ("case_transitions"."kind" in ('open','advance','close','reopen')),
	CONSTRAINT "case_transitions_to_check" CHECK ("case_transitions"."to_status" in ('intake','assessment','intervention','closed')),
	CONSTRAINT "case_transitions_close_reason" CHECK (("case_transitions"."to_status" = 'closed') = ("case_transitions"."closure_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"status" text DEFAULT 'intake' NOT NULL,
	"birth_year" integer NOT NULL,
	"gender" text NOT NULL,
	"location_id" uuid NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"household" text DEFAULT 'unknown' NOT NULL,
	"urgency" text DEFAULT 'medium' NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closure_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_status_check" CHECK ("cases"."status" in ('intake','assessment','intervention','closed')),
	CONSTRAINT "cases_gender_check" CHECK ("cases"."gender" in ('female','male','other','unknown')),
	CONSTRAINT "cases_urgency_check" CHECK ("cases"."urgency" in ('low','medium','high','critical')),
	CONSTRAINT "cases_household_check" CHECK ("cases"."household" in ('both_parents','single_parent','grandparents','relatives','foster_family','institution','alone','unknown')),
	CONSTRAINT "cases_closure_reason_check" CHECK ("cases"."closure_reason" is null or "cases"."closure_reason" in ('goals_met','referred','moved','declined','other')),
	CONSTRAINT "cases_birth_year_check" CHECK ("cases"."birth_year" between 1900 and 2200),
	CONSTRAINT "cases_closed_consistency" CHECK (("cases"."status" = 'closed') = ("cases"."closed_at" is not null) and ("cases"."status" = 'closed') = ("cases"."closure_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "hotline_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"caller_type" text NOT NULL,
	"topic" text NOT NULL,
	"outcome" text NOT NULL,
	"location_id" uuid,
	"case_id" uuid,
	"taken_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hotline_calls_duration_check" CHECK ("hotline_calls"."duration_minutes" between 0 and 600),
	CONSTRAINT "hotline_calls_caller_check" CHECK ("hotline_calls"."caller_type" in ('child','parent','relative','teacher','neighbour','official','anonymous','other')),
	CONSTRAINT "hotline_calls_topic_check" CHECK ("hotline_calls"."topic" in ('violence','abuse','trafficking','neglect','development','health','school','legal','family','information','other')),
	CONSTRAINT "hotline_calls_outcome_check" CHECK ("hotline_calls"."outcome" in ('advice_given','referred','case_opened','emergency_response','no_action'))
);
--> statement-breakpoint
CREATE TABLE "outreach_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"location_id" uuid,
	"audience_type" text NOT NULL,
	"participants" integer NOT NULL,
	"leaflets" integer DEFAULT 0 NOT NULL,
	"posters" integer DEFAULT 0 NOT NULL,
	"questionnaires" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outreach_events_kind_check" CHECK ("outreach_events"."kind" in ('awareness_conference','training','life_skills','early_detection')),
	CONSTRAINT "outreach_events_audience_check" CHECK ("outreach_events"."audience_type" in ('community','parents','teachers','children','officials','collaborators','mixed')),
	CONSTRAINT "outreach_events_counts_check" CHECK ("outreach_events"."participants" >= 0 and "outreach_events"."leaflets" >= 0 and "outreach_events"."posters" >= 0 and "outreach_events"."questionnaires" >= 0)
);
--> statement-breakpoint
ALTER TABLE "case_categories" ADD CONSTRAINT "case_categories_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_consents" ADD CONSTRAINT "case_consents_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_consents" ADD CONSTRAINT "case_consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_consents" ADD CONSTRAINT "case_consents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_counters" ADD CONSTRAINT "case_counters_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_erasures" ADD CONSTRAINT "case_erasures_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_erasures" ADD CONSTRAINT "case_erasures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_erasures" ADD CONSTRAINT "case_erasures_erased_by_users_id_fk" FOREIGN KEY ("erased_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_goals" ADD CONSTRAINT "case_goals_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_goals" ADD CONSTRAINT "case_goals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_goals" ADD CONSTRAINT "case_goals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_goals" ADD CONSTRAINT "case_goals_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_identities" ADD CONSTRAINT "case_identities_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_identities" ADD CONSTRAINT "case_identities_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_staff_user_id_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_transitions" ADD CONSTRAINT "case_transitions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_transitions" ADD CONSTRAINT "case_transitions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_transitions" ADD CONSTRAINT "case_transitions_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_calls" ADD CONSTRAINT "hotline_calls_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_calls" ADD CONSTRAINT "hotline_calls_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_calls" ADD CONSTRAINT "hotline_calls_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotline_calls" ADD CONSTRAINT "hotline_calls_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_events" ADD CONSTRAINT "outreach_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_events" ADD CONSTRAINT "outreach_events_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outreach_events" ADD CONSTRAINT "outreach_events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_categories_org_key_idx" ON "case_categories" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "case_consents_case_idx" ON "case_consents" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_erasures_case_idx" ON "case_erasures" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_goals_case_idx" ON "case_goals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_services_case_idx" ON "case_services" USING btree ("case_id","delivered_on");--> statement-breakpoint
CREATE INDEX "case_services_org_on_idx" ON "case_services" USING btree ("org_id","delivered_on");--> statement-breakpoint
CREATE INDEX "case_transitions_case_idx" ON "case_transitions" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "case_transitions_org_at_idx" ON "case_transitions" USING btree ("org_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_org_code_idx" ON "cases" USING btree ("org_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_org_year_seq_idx" ON "cases" USING btree ("org_id","year","seq");--> statement-breakpoint
CREATE INDEX "cases_org_status_idx" ON "cases" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "cases_org_location_idx" ON "cases" USING btree ("org_id","location_id");--> statement-breakpoint
CREATE INDEX "cases_categories_idx" ON "cases" USING gin ("categories");--> statement-breakpoint
CREATE INDEX "hotline_calls_org_at_idx" ON "hotline_calls" USING btree ("org_id","received_at");--> statement-breakpoint
CREATE INDEX "outreach_events_org_on_idx" ON "outreach_events" USING btree ("org_id","held_on");