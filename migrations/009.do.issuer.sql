-- Credential definitions of an issuing participant: one CredentialObject of its IssuerMetadata each.
-- claims maps a credentialSubject property to {"attribute": name} (read from the holder) or
-- {"value": json} (fixed).
CREATE TABLE issuer_credential_definitions (
  participant_id    text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  id                text NOT NULL,
  credential_type   text NOT NULL,
  profile           text NOT NULL CHECK (profile IN ('vc11-sl2021/jwt', 'vc20-bssl/jwt')),
  validity_seconds  integer NOT NULL CHECK (validity_seconds > 0),
  claims            jsonb NOT NULL DEFAULT '{}'::jsonb,
  subject_schema    jsonb,
  contexts          text[] NOT NULL DEFAULT '{}',
  approval          text NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto', 'manual')),
  suspendable       boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (participant_id, id)
);

-- Holders an issuer knows, with the attributes (such as bpn) that claims are read from.
CREATE TABLE issuer_holders (
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  id              uuid NOT NULL,
  did             text NOT NULL,
  name            text NOT NULL,
  attributes      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (participant_id, id),
  UNIQUE (participant_id, did)
);

-- CredentialRequestMessages received. received waits for approval; issued and rejected are final.
CREATE TABLE issuer_credential_requests (
  participant_id    text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  issuer_pid        uuid PRIMARY KEY,
  holder_did        text NOT NULL,
  holder_pid        text NOT NULL,
  definition_ids    text[] NOT NULL,
  state             text NOT NULL CHECK (state IN ('received', 'issued', 'rejected')),
  -- Whether every requested definition approves automatically, so a failed issuance is retried.
  auto_approve      boolean NOT NULL DEFAULT false,
  rejection_reason  text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX issuer_requests_holder_idx ON issuer_credential_requests (participant_id, holder_did, holder_pid);
CREATE INDEX issuer_requests_state_idx ON issuer_credential_requests (participant_id, state, created_at);

-- Status lists: one bitstring credential per row. The bits are not stored here; they are derived
-- from the entries whose flag is true whenever the list credential is signed. Every flag change
-- increments version, and the stored credential is current while signed_version equals it.
CREATE TABLE issuer_status_lists (
  participant_id  text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  id              uuid PRIMARY KEY,
  purpose         text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  list_type       text NOT NULL CHECK (list_type IN ('StatusList2021', 'BitstringStatusList')),
  size            integer NOT NULL CHECK (size > 0 AND size % 8 = 0),
  allocated       integer NOT NULL DEFAULT 0,
  is_full         boolean NOT NULL DEFAULT false,
  credential      text,
  expires_at      timestamptz,
  version         integer NOT NULL DEFAULT 1,
  signed_version  integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX issuer_status_lists_open_idx ON issuer_status_lists (participant_id, purpose, list_type) WHERE NOT is_full;

CREATE TABLE issuer_status_list_entries (
  list_id        uuid NOT NULL REFERENCES issuer_status_lists (id) ON DELETE CASCADE,
  status_index   integer NOT NULL,
  credential_id  uuid NOT NULL,
  flag           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (list_id, status_index)
);

-- Credentials signed for a request, kept for delivery, revocation and suspension.
CREATE TABLE issuer_issued_credentials (
  id               uuid PRIMARY KEY,
  participant_id   text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  issuer_pid       uuid NOT NULL REFERENCES issuer_credential_requests (issuer_pid) ON DELETE CASCADE,
  holder_did       text NOT NULL,
  definition_id    text NOT NULL,
  credential_type  text NOT NULL,
  profile          text NOT NULL,
  raw              text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
  revocation_list_id   uuid NOT NULL,
  revocation_index     integer NOT NULL,
  suspension_list_id   uuid,
  suspension_index     integer,
  issued_at        timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL
);
CREATE INDEX issuer_issued_request_idx ON issuer_issued_credentials (issuer_pid);
CREATE INDEX issuer_issued_holder_idx ON issuer_issued_credentials (participant_id, holder_did);

-- Transactional outbox of CredentialMessages. Rows are claimed with FOR UPDATE SKIP LOCKED and a
-- lease (locked_until), so a replica that dies mid-delivery releases its rows when the lease ends.
CREATE TABLE issuer_deliveries (
  id               bigserial PRIMARY KEY,
  participant_id   text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  issuer_pid       uuid NOT NULL REFERENCES issuer_credential_requests (issuer_pid) ON DELETE CASCADE,
  state            text NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX issuer_deliveries_due_idx ON issuer_deliveries (next_attempt_at) WHERE state IN ('pending', 'delivering');
CREATE INDEX issuer_deliveries_participant_idx ON issuer_deliveries (participant_id, state, id);
