CREATE TABLE "patient_lookups" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "patient_lookups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"professional_id" uuid NOT NULL,
	"looked_up_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	CONSTRAINT "patient_lookups_outcome_check" CHECK ("patient_lookups"."outcome" in ('found', 'refused', 'none'))
);
--> statement-breakpoint
ALTER TABLE "patient_lookups" ADD CONSTRAINT "patient_lookups_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_lookups_professional_idx" ON "patient_lookups" USING btree ("professional_id","looked_up_at");