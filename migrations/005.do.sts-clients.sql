-- One STS client per participant: the connector beside it authenticates with these credentials.
-- Secrets are at least 256 bits of randomness or 32 characters, so a SHA-256 digest is stored.
CREATE TABLE sts_clients (
  participant_id  text PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
  client_id       text NOT NULL UNIQUE,
  secret_hash     bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz
);
