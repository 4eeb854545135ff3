-- Credential requests are recorded before they are sent, and a background task sends, retries and
-- polls them. pending: not yet accepted by the issuer, sent at next_attempt_at; requested: the
-- issuer accepted it, and its status is polled at next_attempt_at unless a CredentialMessage
-- arrives first.
ALTER TABLE credential_requests DROP CONSTRAINT credential_requests_state_check;
ALTER TABLE credential_requests ADD CONSTRAINT credential_requests_state_check
  CHECK (state IN ('pending', 'requested', 'issued', 'rejected', 'error'));
-- The ids of the issuer metadata's CredentialObjects that were sent; empty until the metadata was read.
ALTER TABLE credential_requests ADD COLUMN credential_object_ids text[] NOT NULL DEFAULT '{}';
-- Failed send attempts or polls that count against CREDENTIAL_REQUEST_MAX_ATTEMPTS.
ALTER TABLE credential_requests ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE credential_requests ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE credential_requests ADD COLUMN last_error text;
-- A replica that claims a request for sending or polling sets this, so no other replica takes it meanwhile.
ALTER TABLE credential_requests ADD COLUMN claimed_until timestamptz;
-- The stored credential this request renews. The unique index lets only one renewal exist per
-- credential, even when two replicas find it due at once.
ALTER TABLE credential_requests ADD COLUMN renews_credential_id uuid REFERENCES holder_credentials (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX credential_requests_renews_idx ON credential_requests (renews_credential_id)
  WHERE renews_credential_id IS NOT NULL;
CREATE INDEX credential_requests_due_idx ON credential_requests (next_attempt_at)
  WHERE state IN ('pending', 'requested');
CREATE INDEX credential_requests_participant_idx ON credential_requests (participant_id, created_at DESC);

-- The request a stored credential answered, so the renewal task knows where to ask again.
ALTER TABLE holder_credentials ADD COLUMN credential_request_id uuid REFERENCES credential_requests (id) ON DELETE SET NULL;
CREATE INDEX holder_credentials_request_idx ON holder_credentials (credential_request_id)
  WHERE credential_request_id IS NOT NULL;
