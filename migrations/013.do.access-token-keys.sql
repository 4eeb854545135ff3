-- HMAC keys of the access tokens that each participant's STS puts in its SI tokens and its
-- Credential Service checks. Only this service ever checks them, so a shared secret does what a
-- signature did, without a KMS call to mint nor a public-key verification per presentation query.
-- The secret is stored as is: it only opens the credentials of this participant, and whoever
-- reads this table can read those credentials from the credentials table directly.
CREATE TABLE access_token_keys (
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  id              text NOT NULL,
  secret          bytea NOT NULL CHECK (octet_length(secret) = 32),
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (participant_id, id)
);

-- A new, rotated or deleted key notifies the channel that replicas already listen on for holder
-- changes, so each replica drops its cached keys of the participant at once.
CREATE TRIGGER access_token_keys_changed AFTER INSERT OR UPDATE OR DELETE ON access_token_keys
  FOR EACH ROW EXECUTE FUNCTION notify_holder_changed();
CREATE TRIGGER access_token_keys_truncated AFTER TRUNCATE ON access_token_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_holder_changed();
