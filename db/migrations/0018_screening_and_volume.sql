CREATE TYPE "public"."penalty_kind" AS ENUM('none', 'silence', 'suspend');--> statement-breakpoint
CREATE TYPE "public"."screened_kind" AS ENUM('email', 'domain', 'ip');--> statement-breakpoint
CREATE TYPE "public"."screening_action" AS ENUM('block', 'approve');--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'silence' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'lift-silence' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'ignore' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'delete-spammer' BEFORE 'request-deletion';--> statement-breakpoint
CREATE TABLE "penalty_templates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "penalty_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"reason" text NOT NULL,
	"penalty" "penalty_kind" DEFAULT 'none' NOT NULL,
	"days" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screened_entries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "screened_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "screened_kind" NOT NULL,
	"value" text NOT NULL,
	"ip_range" "cidr",
	"action" "screening_action" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"moderation_action_id" integer,
	"created_by_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_notes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "staff_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "silenced_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "silence_reason" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "signup_ip" "inet";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_post_ip" "inet";--> statement-breakpoint
ALTER TABLE "screened_entries" ADD CONSTRAINT "screened_entries_moderation_action_id_moderation_actions_id_fk" FOREIGN KEY ("moderation_action_id") REFERENCES "public"."moderation_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screened_entries" ADD CONSTRAINT "screened_entries_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notes" ADD CONSTRAINT "staff_notes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notes" ADD CONSTRAINT "staff_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "penalty_templates_name_idx" ON "penalty_templates" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "screened_entries_kind_value_idx" ON "screened_entries" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "screened_entries_created_idx" ON "screened_entries" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "staff_notes_user_idx" ON "staff_notes" USING btree ("user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "users_signup_ip_idx" ON "users" USING btree ("signup_ip");--> statement-breakpoint
CREATE INDEX "users_last_post_ip_idx" ON "users" USING btree ("last_post_ip");--> statement-breakpoint
CREATE INDEX "users_email_domain_idx" ON "users" USING btree (lower(split_part("email", '@', 2)));--> statement-breakpoint
-- hand-written: an address is checked against every screened range with `<<=`; GiST with inet_ops answers that from the index.
CREATE INDEX "screened_entries_ip_range_idx" ON "screened_entries" USING gist ("ip_range" inet_ops) WHERE "kind" = 'ip';
