-- Credentials a participant holds as a wallet. raw is the credential exactly as received (a
-- compact JWS), because presentations must carry it unchanged.
CREATE TABLE holder_credentials (
  id              uuid PRIMARY KEY,
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  credential_id   text,
  profile         text NOT NULL CHECK (profile IN ('vc11-sl2021/jwt', 'vc20-bssl/jwt')),
  types           text[] NOT NULL,
  issuer_did      text NOT NULL,
  subject_did     text,
  raw             text NOT NULL,
  -- SHA-256 of raw: a credential delivered twice is stored once; raw itself may be too long to index.
  raw_sha256      bytea NOT NULL,
  document        jsonb NOT NULL,
  status_entries  jsonb NOT NULL DEFAULT '[]'::jsonb,
  valid_from      timestamptz,
  valid_until     timestamptz,
  -- issued: usable; revoked and suspended come from status lists; expiry is read from valid_until.
  state           text NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'revoked', 'suspended')),
  issuer_pid      text,
  holder_pid      text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  state_checked_at timestamptz,
  UNIQUE (participant_id, raw_sha256)
);
CREATE INDEX holder_credentials_types_idx ON holder_credentials USING gin (types);
CREATE INDEX holder_credentials_participant_idx ON holder_credentials (participant_id, received_at DESC);

-- Issuers whose credentials a participant accepts without having requested them, optionally
-- only for some credential types (an empty array admits every type).
CREATE TABLE trusted_issuers (
  participant_id    text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  issuer_did        text NOT NULL,
  credential_types  text[] NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (participant_id, issuer_did)
);
