-- Every replica also caches STS client lookups and participants' default signing keys. A changed
-- client secret, participant state or default key notifies the holder change channel at commit,
-- so each replica drops what it cached of that participant instead of waiting for the cache to
-- expire. Deleting a participant deletes its client and keys, which notifies as well.
CREATE TRIGGER sts_clients_changed AFTER INSERT OR UPDATE OR DELETE ON sts_clients
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER sts_clients_truncated AFTER TRUNCATE ON sts_clients
  FOR EACH STATEMENT EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER participant_keys_changed AFTER UPDATE OR DELETE ON participant_keys
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER participant_default_keys_changed AFTER INSERT OR UPDATE OR DELETE ON participant_default_keys
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();

-- The participants table names its id `id`, so it has a function of its own.
CREATE FUNCTION notify_participant_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('dcp_holder_changed', OLD.id);
  ELSE
    PERFORM pg_notify('dcp_holder_changed', NEW.id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER participants_changed AFTER UPDATE OR DELETE ON participants
  FOR EACH ROW EXECUTE FUNCTION notify_participant_changed();
