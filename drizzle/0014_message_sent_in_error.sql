ALTER TABLE "messages" ADD COLUMN "entered_in_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "entered_in_error_by" text;