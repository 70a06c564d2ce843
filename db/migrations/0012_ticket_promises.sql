CREATE TYPE "public"."ticket_access_purpose" AS ENUM('ticket-link', 'claim-account');--> statement-breakpoint
ALTER TYPE "public"."ticket_event_kind" ADD VALUE 'management';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'ticket-management';--> statement-breakpoint
CREATE TABLE "ticket_access_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_access_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"purpose" "ticket_access_purpose" NOT NULL,
	"ticket_id" integer,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_access_tokens_ticket_check" CHECK (("ticket_access_tokens"."purpose" = 'ticket-link') = ("ticket_access_tokens"."ticket_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "after_hours_first_response_minutes" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "management_escalated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "ticket_access_tokens" ADD CONSTRAINT "ticket_access_tokens_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_access_tokens_hash_idx" ON "ticket_access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "ticket_access_tokens_email_idx" ON "ticket_access_tokens" USING btree ("email","purpose");--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_after_hours_positive_check" CHECK ("sla_policies"."after_hours_first_response_minutes" is null or "sla_policies"."after_hours_first_response_minutes" > 0);--> statement-breakpoint
-- The SLA document promises High "4 hours outside business hours"; existing installs get the same default as new ones.
UPDATE "sla_policies" SET "after_hours_first_response_minutes" = 240 WHERE "priority" = 'high';