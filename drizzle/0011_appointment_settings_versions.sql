ALTER TABLE "appointment_settings" ALTER COLUMN "appointments_team_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appointment_settings" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "appointment_settings" ADD CONSTRAINT "appointment_settings_change_cutoff_hours_check" CHECK ("appointment_settings"."change_cutoff_hours" between 0 and 720);