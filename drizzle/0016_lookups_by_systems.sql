ALTER TABLE "patient_lookups" ALTER COLUMN "professional_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_lookups" ADD COLUMN "integration_client_id" uuid;--> statement-breakpoint
ALTER TABLE "patient_lookups" ADD CONSTRAINT "patient_lookups_integration_client_id_integration_clients_id_fk" FOREIGN KEY ("integration_client_id") REFERENCES "public"."integration_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_lookups_integration_client_idx" ON "patient_lookups" USING btree ("integration_client_id","looked_up_at");--> statement-breakpoint
ALTER TABLE "patient_lookups" ADD CONSTRAINT "patient_lookups_one_looker_check" CHECK (("patient_lookups"."professional_id" is null) <> ("patient_lookups"."integration_client_id" is null));