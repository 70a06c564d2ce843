ALTER TYPE "public"."ticket_event_kind" ADD VALUE 'management';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'ticket-management';--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "management_escalated_at" timestamp (3) with time zone;