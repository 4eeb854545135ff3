-- Every replica keeps each holder's presentable credentials and verifier rules in memory and drops
-- them when this channel names the holder. Notifications are sent at commit, so a replica that
-- reloads after one sees the change. The payload '*' means every holder (after a TRUNCATE).
CREATE FUNCTION notify_holder_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('dcp_holder_changed', '*');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('dcp_holder_changed', OLD.participant_id);
  ELSE
    PERFORM pg_notify('dcp_holder_changed', NEW.participant_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER holder_credentials_changed AFTER INSERT OR UPDATE OR DELETE ON holder_credentials
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER holder_credentials_truncated AFTER TRUNCATE ON holder_credentials
  FOR EACH STATEMENT EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER verifier_access_rules_changed AFTER INSERT OR UPDATE OR DELETE ON verifier_access_rules
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER verifier_access_rules_truncated AFTER TRUNCATE ON verifier_access_rules
  FOR EACH STATEMENT EXECUTE FUNCTION notify_holder_changed();
