ALTER TABLE "sla_policies" ADD COLUMN "after_hours_first_response_minutes" integer;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_after_hours_positive_check" CHECK ("sla_policies"."after_hours_first_response_minutes" is null or "sla_policies"."after_hours_first_response_minutes" > 0);--> statement-breakpoint
-- The SLA document promises High "4 hours outside business hours"; existing installs get the same default as new ones.
UPDATE "sla_policies" SET "after_hours_first_response_minutes" = 240 WHERE "priority" = 'high';
