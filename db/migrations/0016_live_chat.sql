CREATE TYPE "public"."chat_event_kind" AS ENUM('started', 'accepted', 'transferred', 'ended', 'abandoned', 'converted', 'rated');--> statement-breakpoint
CREATE TYPE "public"."chat_state" AS ENUM('queued', 'active', 'ended', 'abandoned', 'converted');--> statement-breakpoint
ALTER TYPE "public"."ticket_source" ADD VALUE 'chat';--> statement-breakpoint
CREATE TABLE "chat_agents" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"available" boolean DEFAULT false NOT NULL,
	"capacity" smallint DEFAULT 2 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_agents_capacity_check" CHECK ("chat_agents"."capacity" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "chat_canned_replies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chat_canned_replies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chat_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"chat_id" integer NOT NULL,
	"actor_id" integer,
	"kind" "chat_event_kind" NOT NULL,
	"note" text,
	"to_agent_id" integer,
	"to_tier" smallint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chat_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"chat_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"by_agent" boolean DEFAULT false NOT NULL,
	"body_source" text NOT NULL,
	"body_html" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chats_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" integer NOT NULL,
	"state" "chat_state" DEFAULT 'queued' NOT NULL,
	"tier" smallint DEFAULT 1 NOT NULL,
	"premium" boolean DEFAULT false NOT NULL,
	"agent_id" integer,
	"offered_to_id" integer,
	"queued_at" timestamp (3) with time zone NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"accepted_at" timestamp (3) with time zone,
	"first_agent_reply_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"ticket_id" integer,
	"rating" smallint,
	"rating_comment" text,
	"rated_at" timestamp (3) with time zone,
	CONSTRAINT "chats_tier_check" CHECK ("chats"."tier" between 1 and 3),
	CONSTRAINT "chats_rating_check" CHECK ("chats"."rating" is null or "chats"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "chat_message_id" integer;--> statement-breakpoint
ALTER TABLE "chat_agents" ADD CONSTRAINT "chat_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_events" ADD CONSTRAINT "chat_events_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_events" ADD CONSTRAINT "chat_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_events" ADD CONSTRAINT "chat_events_to_agent_id_users_id_fk" FOREIGN KEY ("to_agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_offered_to_id_users_id_fk" FOREIGN KEY ("offered_to_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chats" ADD CONSTRAINT "chats_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_events_chat_idx" ON "chat_events" USING btree ("chat_id","id");--> statement-breakpoint
CREATE INDEX "chat_messages_chat_idx" ON "chat_messages" USING btree ("chat_id","id");--> statement-breakpoint
CREATE INDEX "chats_queue_idx" ON "chats" USING btree ("premium" DESC NULLS FIRST,"queued_at","id") WHERE "chats"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "chats_member_idx" ON "chats" USING btree ("member_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "chats_agent_active_idx" ON "chats" USING btree ("agent_id") WHERE "chats"."state" = 'active';--> statement-breakpoint
CREATE INDEX "chats_started_idx" ON "chats" USING btree ("started_at");--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_chat_message_id_chat_messages_id_fk" FOREIGN KEY ("chat_message_id") REFERENCES "public"."chat_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_chat_message_idx" ON "uploads" USING btree ("chat_message_id") WHERE "uploads"."chat_message_id" is not null;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_chat_private_check" CHECK ("uploads"."chat_message_id" is null or "uploads"."private");--> statement-breakpoint
-- hand-written: a few canned replies to start from; admins edit them at /admin/chat-replies.
INSERT INTO "chat_canned_replies" ("title", "body") VALUES
  ('Greeting', 'Hello! Thanks for waiting. How can I help you today?'),
  ('Looking into it', 'Thanks, I am looking into this now. It may take a minute or two.'),
  ('Anything else', 'Is there anything else I can help you with?');
