CREATE TABLE "break_glass_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"session_token_hash" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by_professional_id" uuid,
	CONSTRAINT "break_glass_sessions_period_check" CHECK ("break_glass_sessions"."expires_at" > "break_glass_sessions"."started_at" and "break_glass_sessions"."expires_at" <= "break_glass_sessions"."started_at" + interval '4 hours')
);--> statement-breakpoint
CREATE TABLE "carer_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"carer_user_id" uuid NOT NULL,
	"carer_patient_id" uuid NOT NULL,
	"level" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by_user_id" uuid,
	"invitation_id" uuid,
	"recorded_by_professional_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "carer_consents_level_check" CHECK ("carer_consents"."level" in ('view', 'message')),
	CONSTRAINT "carer_consents_period_check" CHECK ("carer_consents"."ends_at" is null or "carer_consents"."ends_at" > "carer_consents"."starts_at")
);--> statement-breakpoint
CREATE TABLE "carer_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"email" text NOT NULL,
	"level" text NOT NULL,
	"consent_ends_at" timestamp with time zone,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"invited_by_user_id" uuid NOT NULL,
	"recorded_by_professional_id" uuid,
	"witnessed_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "carer_invitations_level_check" CHECK ("carer_invitations"."level" in ('view', 'message'))
);--> statement-breakpoint
CREATE TABLE "private_conversations" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"marked_by_user_id" uuid NOT NULL,
	"marked_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE TABLE "record_access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"conversation_id" uuid,
	"granted_by_user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_user_id" uuid,
	CONSTRAINT "record_access_grants_period_check" CHECK ("record_access_grants"."expires_at" > "record_access_grants"."starts_at")
);--> statement-breakpoint
ALTER TABLE "break_glass_sessions" ADD CONSTRAINT "break_glass_sessions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_sessions" ADD CONSTRAINT "break_glass_sessions_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_sessions" ADD CONSTRAINT "break_glass_sessions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_sessions" ADD CONSTRAINT "break_glass_sessions_reviewed_by_professional_id_professionals_id_fk" FOREIGN KEY ("reviewed_by_professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_carer_user_id_users_id_fk" FOREIGN KEY ("carer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_carer_patient_id_patients_id_fk" FOREIGN KEY ("carer_patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_revoked_by_user_id_users_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_invitation_id_carer_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."carer_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_consents" ADD CONSTRAINT "carer_consents_recorded_by_professional_id_professionals_id_fk" FOREIGN KEY ("recorded_by_professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_invitations" ADD CONSTRAINT "carer_invitations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_invitations" ADD CONSTRAINT "carer_invitations_invited_by_user_id_users_id_fk" FOREIGN KEY ("invited_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_invitations" ADD CONSTRAINT "carer_invitations_recorded_by_professional_id_professionals_id_fk" FOREIGN KEY ("recorded_by_professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "private_conversations" ADD CONSTRAINT "private_conversations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "private_conversations" ADD CONSTRAINT "private_conversations_marked_by_user_id_users_id_fk" FOREIGN KEY ("marked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_granted_by_user_id_users_id_fk" FOREIGN KEY ("granted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_access_grants" ADD CONSTRAINT "record_access_grants_revoked_by_user_id_users_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "break_glass_sessions_patient_idx" ON "break_glass_sessions" USING btree ("patient_id","expires_at");--> statement-breakpoint
CREATE INDEX "break_glass_sessions_organisation_idx" ON "break_glass_sessions" USING btree ("organisation_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "carer_consents_open_key" ON "carer_consents" USING btree ("patient_id","carer_user_id") WHERE "carer_consents"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "carer_consents_carer_idx" ON "carer_consents" USING btree ("carer_user_id");--> statement-breakpoint
CREATE INDEX "carer_consents_patient_idx" ON "carer_consents" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "carer_invitations_token_hash_key" ON "carer_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "carer_invitations_patient_idx" ON "carer_invitations" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "record_access_grants_patient_idx" ON "record_access_grants" USING btree ("patient_id","expires_at");
