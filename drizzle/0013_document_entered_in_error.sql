ALTER TABLE "documents" DROP CONSTRAINT "documents_status_check";--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "entered_in_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "entered_in_error_by" text;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_status_check" CHECK ("documents"."status" in ('uploading', 'checking', 'available', 'rejected', 'quarantined', 'withdrawn', 'entered_in_error'));