#!/usr/bin/env bash
# Runs the DCP TCK suites presentation-cs, issuance-cs and issuer against a freshly built
# dcp-identity on PostgreSQL, and prints the pass and fail counts of each suite.
#
# Usage: run-tck.sh [SUITE...]    (default: all three suites)
#
# The script creates a database on the server of DATABASE_URL, whose role needs CREATEDB. It
# starts the service with local keys on loopback ports and seed.yaml, which creates a holder, an
# issuer and the TCK's parties. Then it runs the suites one after another through run-suite.sh,
# stops the service and drops the database.
#
# Environment:
#   DATABASE_URL        PostgreSQL server to create the run's database on (required)
#   TCK_PUBLIC_PORT     public port of the service (default 8080)
#   TCK_INTERNAL_PORT   internal port of the service: STS and admin API (default 8081)
#   TCK_CALLBACK_PORT   port of the TCK's own server and DIDs (default 8083)
#   TCK_MAVEN_OFFLINE   true: run Maven offline; default: offline when ~/.m2 has the TCK
#   TCK_KEEP_LOGS       directory that receives the service log and the suite outputs
#
# Exit codes: 0 every test passed or failed only as listed in known-deviations.txt, 1 a test
# failed or the service did not start, 2 invalid arguments or environment. A failed build or
# database command exits with its own code.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$harness_dir/../.." && pwd)
all_suites=(presentation-cs issuance-cs issuer)
suites=("$@")
if [ "${#suites[@]}" -eq 0 ]; then
  suites=("${all_suites[@]}")
fi
for suite in "${suites[@]}"; do
  case $suite in
    presentation-cs | issuance-cs | issuer) ;;
    *)
      echo "error: unknown suite '$suite'; expected presentation-cs, issuance-cs or issuer." >&2
      exit 2
      ;;
  esac
done

if [ -z "${DATABASE_URL:-}" ]; then
  echo 'error: DATABASE_URL is not set; expected a PostgreSQL URL whose role may create databases.' >&2
  exit 2
fi
for command in node java mvn; do
  if ! command -v "$command" >/dev/null; then
    echo "error: $command is not on PATH; the TCK run needs Node.js 20, Java 17 and Maven." >&2
    exit 2
  fi
done

public_port=${TCK_PUBLIC_PORT:-8080}
internal_port=${TCK_INTERNAL_PORT:-8081}
callback_port=${TCK_CALLBACK_PORT:-8083}
holder_did="did:web:localhost%3A$public_port:tck-holder"
issuer_did="did:web:localhost%3A$public_port:tck-issuer"

if [ -z "${TCK_MAVEN_OFFLINE:-}" ]; then
  # The first run downloads the TCK into ~/.m2, and later runs need no network.
  if [ -d "${HOME}/.m2/repository/org/eclipse/dataspacetck/dcp/dcp-testcases/1.0.0-RC6" ]; then
    export TCK_MAVEN_OFFLINE=true
  else
    export TCK_MAVEN_OFFLINE=false
  fi
fi

work_dir=$(mktemp -d)
database_name="dcp_tck_$(date +%s)_$$"
service_pid=''
database_created=false

log() { printf '== %s\n' "$*"; }

# Runs SQL on the server's maintenance connection through the pg client of the project.
admin_sql() {
  DATABASE_URL=$DATABASE_URL node --input-type=module -e '
    import pg from "pg"
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await client.connect()
    try { await client.query(process.argv[1]) } finally { await client.end() }
  ' "$1"
}

# shellcheck disable=SC2317 # runs through the EXIT trap
cleanup() {
  local status=$?
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [ "$database_created" = true ]; then
    (cd "$repo_dir" && admin_sql "DROP DATABASE IF EXISTS $database_name WITH (FORCE)") ||
      echo "warning: dropping database $database_name failed; drop it by hand." >&2
  fi
  if [ -n "${TCK_KEEP_LOGS:-}" ]; then
    mkdir -p "$TCK_KEEP_LOGS"
    cp "$work_dir"/*.log "$TCK_KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log 'build the service'
(cd "$repo_dir" && npm run -s build)

log "create database $database_name"
(cd "$repo_dir" && admin_sql "CREATE DATABASE $database_name")
database_created=true
service_database_url=$(DATABASE_URL=$DATABASE_URL DATABASE_NAME=$database_name node -e '
  const url = new URL(process.env.DATABASE_URL)
  url.pathname = "/" + process.env.DATABASE_NAME
  process.stdout.write(url.toString())
')

# Secrets of this run, generated into files that only this user can read.
umask 077
node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$work_dir/master-key"
node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' >"$work_dir/admin-token"
node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))' >"$work_dir/sts-secret"
sed -e "s|@PUBLIC_PORT@|$public_port|g" -e "s|@CALLBACK_PORT@|$callback_port|g" \
  -e "s|@STS_SECRET_FILE@|$work_dir/sts-secret|g" "$harness_dir/seed.yaml" >"$work_dir/seed.yaml"

log "start the service on 127.0.0.1:$public_port and 127.0.0.1:$internal_port"
(
  cd "$repo_dir"
  export DATABASE_URL=$service_database_url
  export PUBLIC_HOST=127.0.0.1 PUBLIC_PORT=$public_port
  export INTERNAL_HOST=127.0.0.1 INTERNAL_PORT=$internal_port
  export PUBLIC_BASE_URL="http://localhost:$public_port"
  export MASTER_KEY_FILE=$work_dir/master-key ADMIN_TOKEN_FILE=$work_dir/admin-token
  export SEED_FILE=$work_dir/seed.yaml KEY_CUSTODY=local LOG_LEVEL=${LOG_LEVEL:-info}
  # The TCK serves its DID documents over http on loopback.
  export DID_WEB_HTTP_HOSTS="localhost:$callback_port"
  # Every suite run generates new TCK keys under the same DIDs, so no document may be reused.
  export DID_CACHE_TTL_SECONDS=0 DID_CACHE_NEGATIVE_TTL_SECONDS=0
  # The TCK 1.0.0-RC6 serves its DID documents without a Content-Type header, and they list
  # their keys in no verification relationship.
  export DID_ALLOW_MISSING_CONTENT_TYPE=true DID_KEY_RELATIONSHIPS=any-listed
  # The RC6 holder accepts only containers of format VC1_0_JWT and sends one holderPid.
  export ISSUER_CONTAINER_FORMAT=VC1_0_JWT ISSUER_ALLOW_REPEATED_HOLDER_PID=true
  exec node bin/dcp-identity.js serve
) >"$work_dir/service.log" 2>&1 &
service_pid=$!

ready=false
for _ in $(seq 1 60); do
  if ! kill -0 "$service_pid" 2>/dev/null; then
    break
  fi
  if node -e '
    fetch(process.argv[1]).then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))
  ' "http://127.0.0.1:$internal_port/health/ready"; then
    ready=true
    break
  fi
  sleep 0.5
done
if [ "$ready" != true ]; then
  tail -n 40 "$work_dir/service.log" >&2
  echo 'error: the service did not become ready within 30 s; its log is above.' >&2
  exit 1
fi

# Runs one suite with the ports of this run, and writes its output to the terminal and to
# <suite>.log in the work directory.
run_suite() {
  local suite=$1
  local status=0
  (
    export DATASPACETCK_CALLBACK_ADDRESS="http://localhost:$callback_port"
    export DATASPACETCK_PORT=$callback_port
    case $suite in
      presentation-cs)
        export DATASPACETCK_DID_HOLDER=$holder_did
        export DATASPACETCK_STS_URL="http://127.0.0.1:$internal_port/sts"
        DATASPACETCK_STS_CLIENT_SECRET=$(cat "$work_dir/sts-secret")
        export DATASPACETCK_STS_CLIENT_SECRET
        ;;
      issuance-cs) export DATASPACETCK_DID_HOLDER=$holder_did ;;
      issuer) export DATASPACETCK_DID_ISSUER=$issuer_did ;;
    esac
    "$harness_dir/run-suite.sh" "$suite" "$harness_dir/config/$suite.properties"
  ) >"$work_dir/$suite.log" 2>&1 || status=$?
  cat "$work_dir/$suite.log"
  return "$status"
}

# Prints CLASS.METHOD of each failed test in a suite's output.
failed_tests() {
  { grep -E '^FAILED  ' "$work_dir/$1.log" || true; } | sed -E 's/^FAILED  ([^:]+): .*/\1/'
}

# Prints the field FIELD (3: failure message, 4: reason) of the known-deviations.txt entry of a
# suite's test, or nothing when the test is not listed.
known_deviation() {
  awk -F ' [|] ' -v suite="$1" -v test="$2" -v field="$3" \
    '$1 == suite && $2 == test { print $field }' "$harness_dir/known-deviations.txt"
}

# Prints the failure report of one test: its "CLASS.METHOD: name" line and the messages below it.
failure_report() {
  awk -v name="$2: " 'index($0, name) == 1 { found = 1 } found && $0 == "" { exit } found { print }' \
    "$work_dir/$1.log"
}

# Prints each test that known-deviations.txt lists for a suite and that passed.
passed_deviations() {
  awk -F ' [|] ' -v suite="$1" '$1 == suite { print $2 }' "$harness_dir/known-deviations.txt" |
    while read -r test; do
      if grep -qF "PASSED  $test: " "$work_dir/$1.log"; then echo "$test"; fi
    done
}

overall=0
summaries=()
for suite in "${suites[@]}"; do
  log "suite $suite"
  suite_status=0
  run_suite "$suite" || suite_status=$?
  summary=$(grep -E "^$suite: [0-9]+ passed" "$work_dir/$suite.log" | tail -n 1 || true)
  if [ -z "$summary" ]; then
    summaries+=("$suite: did not run (exit $suite_status)")
    overall=1
    continue
  fi
  known=''
  unexpected=''
  while read -r test; do
    [ -n "$test" ] || continue
    expected_message=$(known_deviation "$suite" "$test" 3)
    if [ -z "$expected_message" ]; then
      unexpected+="$test"$'\n'
    elif failure_report "$suite" "$test" | grep -qF -- "$expected_message"; then
      known+="$test: $(known_deviation "$suite" "$test" 4)"$'\n'
    else
      # A listed test that fails for another reason than the listed one is a real failure.
      unexpected+="$test (listed in known-deviations.txt, but failed with another message)"$'\n'
    fi
  done < <(failed_tests "$suite")
  # Exit code 1 of run-suite.sh means that tests failed, and the suite still passes when all of
  # them are known deviations.
  if [ "$suite_status" -ne 0 ] && { [ "$suite_status" -ne 1 ] || [ -n "$unexpected" ] || [ -z "$known" ]; }; then
    overall=1
  fi
  summaries+=("$summary")
  while read -r line; do
    if [ -n "$line" ]; then summaries+=("  known deviation: $line"); fi
  done <<<"$known"
  while read -r line; do
    if [ -n "$line" ]; then summaries+=("  unexpected failure: $line"); fi
  done <<<"$unexpected"
  while read -r line; do
    if [ -n "$line" ]; then summaries+=("  listed deviation passed, remove it from known-deviations.txt: $line"); fi
  done < <(passed_deviations "$suite")
done

if [ "$overall" -ne 0 ]; then
  log 'last lines of the service log'
  tail -n 40 "$work_dir/service.log"
fi
log 'DCP TCK 1.0.0-RC6 results'
printf '%s\n' "${summaries[@]}"
if [ "$overall" -ne 0 ]; then
  echo 'TCK run failed.'
else
  echo 'TCK run passed.'
fi
exit "$overall"
