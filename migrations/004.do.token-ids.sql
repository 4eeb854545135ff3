-- Token ids (jti) already accepted by a participant, kept until the token expires, so a replayed
-- token is refused by every replica that shares this database.
CREATE TABLE token_ids (
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  jti             text NOT NULL,
  issuer          text NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (participant_id, jti)
);
CREATE INDEX token_ids_expiry_idx ON token_ids (expires_at);
