CREATE TABLE "ticket_call_backs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_call_backs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ticket_id" integer NOT NULL,
	"requested_by_id" integer,
	"phone" text NOT NULL,
	"window_starts_at" timestamp (3) with time zone NOT NULL,
	"window_ends_at" timestamp (3) with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"done_at" timestamp (3) with time zone,
	"done_by_id" integer,
	"done_note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_call_backs_window_check" CHECK ("ticket_call_backs"."window_ends_at" > "ticket_call_backs"."window_starts_at"),
	CONSTRAINT "ticket_call_backs_done_check" CHECK (("ticket_call_backs"."done_at" is null) = ("ticket_call_backs"."done_by_id" is null))
);
--> statement-breakpoint
ALTER TABLE "ticket_call_backs" ADD CONSTRAINT "ticket_call_backs_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_call_backs" ADD CONSTRAINT "ticket_call_backs_requested_by_id_users_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_call_backs" ADD CONSTRAINT "ticket_call_backs_done_by_id_users_id_fk" FOREIGN KEY ("done_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_call_backs_ticket_idx" ON "ticket_call_backs" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_call_backs_open_idx" ON "ticket_call_backs" USING btree ("ticket_id","due_at") WHERE "ticket_call_backs"."done_at" is null;