ALTER TABLE "documents" DROP CONSTRAINT "documents_status_check";--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "draft" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "documents_draft_idx" ON "documents" USING btree ("created_at") WHERE "documents"."draft";--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_status_check" CHECK ("documents"."status" in ('uploading', 'checking', 'available', 'rejected', 'quarantined', 'withdrawn'));