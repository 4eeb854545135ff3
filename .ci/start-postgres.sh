#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster and creates the role and database the tests use.
# The role may create databases because each storage test runs in a database of its own.
set -euo pipefail

if ! pg_lsclusters --no-header 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main
fi
pg_ctlcluster 15 main start 2>/dev/null || pg_ctlcluster 15 main status >/dev/null
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

su postgres -c 'psql -v ON_ERROR_STOP=1 -q' <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dcp') THEN
    CREATE ROLE dcp LOGIN CREATEDB PASSWORD 'dcp';
  END IF;
END
$$;
-- DROP DATABASE ... WITH (FORCE) in test teardown must also end an autovacuum worker that
-- happens to run in the test database, which needs this role.
GRANT pg_signal_backend TO dcp;
SQL
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'dcp'\"" | grep -q 1; then
  su postgres -c 'createdb -O dcp dcp'
fi
