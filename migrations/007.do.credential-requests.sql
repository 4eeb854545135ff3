-- Credential requests a participant sent as a holder. A CredentialMessage is solicited when its
-- holderPid names a pending request of the receiving holder, and REJECTED messages close one.
CREATE TABLE credential_requests (
  id                uuid PRIMARY KEY,
  participant_id    text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  holder_pid        text NOT NULL,
  issuer_did        text NOT NULL,
  -- The issuer's id of the request, from the Location header or the first CredentialMessage.
  issuer_pid        text,
  -- requested: waiting for delivery; issued and rejected come from the issuer's CredentialMessage;
  -- error: the request could not be sent.
  state             text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'issued', 'rejected', 'error')),
  credential_types  text[] NOT NULL DEFAULT '{}',
  rejection_reason  text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (participant_id, holder_pid)
);

-- Credential offers received from issuers. credentials holds the CredentialObject entries;
-- sparse entries, which carry only an id, are completed from the issuer's metadata in the
-- background while completion_state is pending.
CREATE TABLE credential_offers (
  id                   uuid PRIMARY KEY,
  participant_id       text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  issuer_did           text NOT NULL,
  credentials          jsonb NOT NULL,
  completion_state     text NOT NULL DEFAULT 'pending' CHECK (completion_state IN ('pending', 'complete', 'failed')),
  completion_attempts  integer NOT NULL DEFAULT 0,
  completion_error     text,
  -- A replica that claims an offer for completion sets this, so no other replica takes it meanwhile.
  completion_claimed_until timestamptz,
  received_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credential_offers_participant_idx ON credential_offers (participant_id, received_at DESC);
CREATE INDEX credential_offers_pending_idx ON credential_offers (received_at) WHERE completion_state = 'pending';

-- Some issuers, such as the DCP TCK 1.0.0-RC6, issue JWT credentials whose type lacks
-- VerifiableCredential or whose sub is the credential id. An administrator may admit such
-- credentials from one trusted issuer without relaxing the checks for anyone else.
ALTER TABLE trusted_issuers ADD COLUMN relaxed_data_model boolean NOT NULL DEFAULT false;

-- Which credential types a participant presents to a verifier. A deny rule wins over an allow
-- rule; with no rule for a type, whatever the access token grants is presented.
CREATE TABLE verifier_access_rules (
  participant_id   text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  verifier_did     text NOT NULL,
  credential_type  text NOT NULL,
  effect           text NOT NULL CHECK (effect IN ('allow', 'deny')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (participant_id, verifier_did, credential_type, effect)
);
