CREATE TABLE "team_inbox_counts" (
	"team_id" uuid NOT NULL,
	"bucket" text NOT NULL,
	"conversations" integer NOT NULL,
	CONSTRAINT "team_inbox_counts_team_id_bucket_pk" PRIMARY KEY("team_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "team_inbox_counts" ADD CONSTRAINT "team_inbox_counts_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The inbox bucket of one team's work state. The views in src/server/modules/inbox/inbox.queries.ts
-- (viewFilter) are defined by the same three cases.
CREATE FUNCTION team_inbox_bucket(assignee uuid, archived_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN archived_at IS NOT NULL THEN 'archived'
    WHEN assignee IS NULL THEN 'unassigned'
    ELSE assignee::text
  END
$$;
--> statement-breakpoint
-- Moves one conversation between buckets. The two rows are written in a fixed order, so two
-- transactions moving work in opposite directions cannot deadlock on them.
CREATE FUNCTION count_team_inbox_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO team_inbox_counts AS c (team_id, bucket, conversations)
  SELECT change.team_id, change.bucket, sum(change.delta)::int
    FROM (
      SELECT NEW.team_id, team_inbox_bucket(NEW.assignee_professional_id, NEW.archived_at), 1
       WHERE TG_OP IN ('INSERT', 'UPDATE')
      UNION ALL
      SELECT OLD.team_id, team_inbox_bucket(OLD.assignee_professional_id, OLD.archived_at), -1
       WHERE TG_OP IN ('UPDATE', 'DELETE')
    ) AS change(team_id, bucket, delta)
   GROUP BY change.team_id, change.bucket
  HAVING sum(change.delta) <> 0
   ORDER BY change.team_id, change.bucket
  ON CONFLICT (team_id, bucket) DO UPDATE SET conversations = c.conversations + excluded.conversations;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER team_inbox_counts_on_insert AFTER INSERT ON conversation_team_states
FOR EACH ROW EXECUTE FUNCTION count_team_inbox_change();
--> statement-breakpoint
-- Replies only move last_activity_at and waiting_since: they leave the counts alone.
CREATE TRIGGER team_inbox_counts_on_update AFTER UPDATE ON conversation_team_states
FOR EACH ROW
WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id
      OR team_inbox_bucket(OLD.assignee_professional_id, OLD.archived_at)
         IS DISTINCT FROM team_inbox_bucket(NEW.assignee_professional_id, NEW.archived_at))
EXECUTE FUNCTION count_team_inbox_change();
--> statement-breakpoint
CREATE TRIGGER team_inbox_counts_on_delete AFTER DELETE ON conversation_team_states
FOR EACH ROW EXECUTE FUNCTION count_team_inbox_change();
--> statement-breakpoint
-- Recounts from the work states: for existing data here, and after a bulk load that ran
-- without triggers (the benchmark's seed).
CREATE FUNCTION recount_team_inbox() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM team_inbox_counts;
  INSERT INTO team_inbox_counts (team_id, bucket, conversations)
  SELECT team_id, team_inbox_bucket(assignee_professional_id, archived_at), count(*)::int
    FROM conversation_team_states
   GROUP BY 1, 2;
$$;
--> statement-breakpoint
SELECT recount_team_inbox();
