-- Service entries added to a participant's DID document besides the CredentialService and
-- IssuerService entries that its roles imply.
CREATE TABLE did_services (
  participant_id    text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  id                text NOT NULL CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
  type              text NOT NULL,
  service_endpoint  text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (participant_id, id)
);

-- The did:web path of a DID (":a:b" for did:web:host:a:b, "" for a host DID) selects the
-- document to serve, so it gets an index.
CREATE INDEX participants_did_path_idx ON participants ((substring(did from '^did:web:[^:]+(.*)$')));
