-- vc20-bssl/json-ld: VC 2.0 JSON-LD credentials with a Data Integrity proof (ecdsa-rdfc-2019).
-- Holders store them as JSON text in raw; issuers sign them for definitions of that profile.
ALTER TABLE holder_credentials DROP CONSTRAINT holder_credentials_profile_check;
ALTER TABLE holder_credentials ADD CONSTRAINT holder_credentials_profile_check
  CHECK (profile IN ('vc11-sl2021/jwt', 'vc20-bssl/jwt', 'vc20-bssl/json-ld'));

ALTER TABLE issuer_credential_definitions DROP CONSTRAINT issuer_credential_definitions_profile_check;
ALTER TABLE issuer_credential_definitions ADD CONSTRAINT issuer_credential_definitions_profile_check
  CHECK (profile IN ('vc11-sl2021/jwt', 'vc20-bssl/jwt', 'vc20-bssl/json-ld'));

-- How a status list credential is secured: a JWT (credential holds the compact JWS) or a
-- Data Integrity proof (credential holds the JSON text). Credentials reference lists of their
-- own securing mechanism, so that verifiers of either kind can check the list.
ALTER TABLE issuer_status_lists ADD COLUMN proof_format text NOT NULL DEFAULT 'jwt'
  CHECK (proof_format IN ('jwt', 'data-integrity'));
DROP INDEX issuer_status_lists_open_idx;
CREATE INDEX issuer_status_lists_open_idx ON issuer_status_lists (participant_id, purpose, list_type, proof_format) WHERE NOT is_full;
