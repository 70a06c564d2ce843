CREATE TYPE "public"."watched_word_action" AS ENUM('block', 'require-approval', 'flag', 'censor');--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'approve' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'edit-approve' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."moderation_action_kind" ADD VALUE 'reject' BEFORE 'request-deletion';--> statement-breakpoint
ALTER TYPE "public"."review_item_kind" ADD VALUE 'queued-post';--> statement-breakpoint
CREATE TABLE "spam_settings" (
	"name" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL,
	"updated_by_id" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watched_words" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "watched_words_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"word" text NOT NULL,
	"action" "watched_word_action" NOT NULL,
	"created_by_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "trusted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "queued_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "queued_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "spam_settings" ADD CONSTRAINT "spam_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watched_words" ADD CONSTRAINT "watched_words_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "watched_words_word_idx" ON "watched_words" USING btree ("word");--> statement-breakpoint
-- hand-written: members who were here before the approval queue are not new members.
UPDATE "users" SET "trusted_at" = now() WHERE "trusted_at" IS NULL;
