-- Signing keys of participants. Private material is stored only encrypted: under the master key
-- (local) or under a KMS key (kms-envelope); aws-kms keys keep it inside KMS and store its ARN.
CREATE TABLE participant_keys (
  id                      text PRIMARY KEY CHECK (id ~ '^[a-z2-7]{16}$'),
  participant_id          text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  fragment                text NOT NULL CHECK (fragment ~ '^key-[a-z0-9-]{1,64}$'),
  algorithm               text NOT NULL CHECK (algorithm IN ('ES256', 'EdDSA')),
  usages                  text[] NOT NULL CHECK (
    usages <@ ARRAY['sign_token', 'sign_presentation', 'sign_credentials']::text[] AND cardinality(usages) > 0
  ),
  custody                 text NOT NULL CHECK (custody IN ('local', 'aws-kms', 'kms-envelope')),
  state                   text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'rotated', 'revoked')),
  public_jwk              jsonb NOT NULL,
  -- local: version || iv || tag || AES-256-GCM ciphertext of the PKCS#8 key; kms-envelope: KMS ciphertext blob.
  private_key_ciphertext  bytea,
  -- aws-kms: ARN of the signing key; kms-envelope: ARN of the key that encrypted the private key.
  kms_key_id              text,
  replaced_by             text REFERENCES participant_keys (id) ON DELETE SET NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  rotated_at              timestamptz,
  revoked_at              timestamptz,
  UNIQUE (participant_id, fragment),
  -- Revocation erases the encrypted private key.
  CHECK (custody = 'aws-kms' OR state = 'revoked' OR private_key_ciphertext IS NOT NULL),
  CHECK (custody = 'local' OR kms_key_id IS NOT NULL)
);
CREATE INDEX participant_keys_participant_idx ON participant_keys (participant_id, created_at);

-- One default key per participant and usage, which the STS, presentations and issuance sign with.
CREATE TABLE participant_default_keys (
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  usage           text NOT NULL CHECK (usage IN ('sign_token', 'sign_presentation', 'sign_credentials')),
  key_id          text NOT NULL REFERENCES participant_keys (id) ON DELETE CASCADE,
  PRIMARY KEY (participant_id, usage)
);
CREATE INDEX participant_default_keys_key_idx ON participant_default_keys (key_id);
