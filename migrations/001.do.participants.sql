-- Tenants: every participant-owned table references participants(id) with ON DELETE CASCADE.
CREATE TABLE participants (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  did           text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  roles         text[] NOT NULL CHECK (roles <@ ARRAY['holder', 'issuer']::text[] AND cardinality(roles) > 0),
  state         text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deactivated')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Participant API keys: the secret part is stored only as its SHA-256 digest.
CREATE TABLE api_keys (
  id              text PRIMARY KEY,
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  name            text NOT NULL,
  secret_hash     bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);
CREATE INDEX api_keys_participant_idx ON api_keys (participant_id);

-- Audit rows outlive the participant they name, so participant_id has no foreign key.
CREATE TABLE audit_events (
  id              bigserial PRIMARY KEY,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  actor           text NOT NULL,
  action          text NOT NULL,
  target          text NOT NULL,
  participant_id  text,
  outcome         text NOT NULL CHECK (outcome IN ('success', 'failure')),
  error_code      text,
  request_id      text,
  detail          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_participant_idx ON audit_events (participant_id, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, id);
