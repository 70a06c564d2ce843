-- The moderation audit log is append-only: a reversal is a new row, never an edit. The database
-- refuses UPDATE and DELETE on it, whatever code (or person with psql) tries.
CREATE FUNCTION moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_actions is append-only: record a new action instead of changing one';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER moderation_actions_append_only
  BEFORE UPDATE OR DELETE ON moderation_actions
  FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only();
