CREATE TABLE "fhir_subscription_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"focus" text NOT NULL,
	"patient_id" uuid NOT NULL,
	"number" bigint,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fhir_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"criteria" text NOT NULL,
	"reason" text NOT NULL,
	"endpoint" text NOT NULL,
	"payload" text,
	"headers" text[] NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"ends_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"numbered_count" bigint DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "fhir_subscriptions" ADD CONSTRAINT "fhir_subscriptions_client_id_integration_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."integration_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fhir_subscriptions" ADD CONSTRAINT "fhir_subscriptions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fhir_subscription_events_subscription_idx" ON "fhir_subscription_events" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE INDEX "fhir_subscriptions_client_idx" ON "fhir_subscriptions" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "fhir_subscriptions_active_idx" ON "fhir_subscriptions" USING btree ("organisation_id") WHERE "fhir_subscriptions"."status" = 'active';