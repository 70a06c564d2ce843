-- drizzle-kit writes .desc() as DESC NULLS LAST, which ORDER BY … DESC (NULLS FIRST) cannot use: every
-- such index is rebuilt as DESC NULLS FIRST. The queue index becomes one ascending key for keyset paging.
DROP INDEX "answers_author_idx";--> statement-breakpoint
DROP INDEX "questions_activity_idx";--> statement-breakpoint
DROP INDEX "questions_category_activity_idx";--> statement-breakpoint
DROP INDEX "questions_author_idx";--> statement-breakpoint
DROP INDEX "questions_unanswered_idx";--> statement-breakpoint
DROP INDEX "questions_unsolved_idx";--> statement-breakpoint
DROP INDEX "questions_solved_idx";--> statement-breakpoint
DROP INDEX "mail_outbox_created_idx";--> statement-breakpoint
DROP INDEX "tickets_requester_idx";--> statement-breakpoint
DROP INDEX "moderation_actions_created_idx";--> statement-breakpoint
DROP INDEX "moderation_actions_target_user_idx";--> statement-breakpoint
DROP INDEX "moderation_actions_moderator_idx";--> statement-breakpoint
DROP INDEX "reports_reporter_idx";--> statement-breakpoint
DROP INDEX "review_items_queue_idx";--> statement-breakpoint
DROP INDEX "review_items_target_user_idx";--> statement-breakpoint
DROP INDEX "search_documents_category_idx";--> statement-breakpoint
DROP INDEX "notifications_user_idx";--> statement-breakpoint
CREATE INDEX "review_items_resolved_idx" ON "review_items" USING btree ("resolved_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "review_items"."status" = 'resolved';--> statement-breakpoint
CREATE INDEX "answers_author_idx" ON "answers" USING btree ("author_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "questions_activity_idx" ON "questions" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "questions_category_activity_idx" ON "questions" USING btree ("category_id","last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "questions_author_idx" ON "questions" USING btree ("author_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "questions_unanswered_idx" ON "questions" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "questions"."answer_count" = 0;--> statement-breakpoint
CREATE INDEX "questions_unsolved_idx" ON "questions" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "questions"."accepted_answer_id" is null and "questions"."official_answer_id" is null;--> statement-breakpoint
CREATE INDEX "questions_solved_idx" ON "questions" USING btree ("last_activity_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "questions"."accepted_answer_id" is not null or "questions"."official_answer_id" is not null;--> statement-breakpoint
CREATE INDEX "mail_outbox_created_idx" ON "mail_outbox" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_requester_idx" ON "tickets" USING btree ("requester_id","updated_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "moderation_actions_created_idx" ON "moderation_actions" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "moderation_actions_target_user_idx" ON "moderation_actions" USING btree ("target_user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "moderation_actions_moderator_idx" ON "moderation_actions" USING btree ("moderator_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "reports_reporter_idx" ON "reports" USING btree ("reporter_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "review_items_queue_idx" ON "review_items" USING btree ("urgency",(-"score"),"created_at","id") WHERE "review_items"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "review_items_target_user_idx" ON "review_items" USING btree ("target_user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "search_documents_category_idx" ON "search_documents" USING btree ("category_id","last_activity_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","id" DESC NULLS FIRST);