# Shared helpers of scripts/deploy and scripts/destroy: output, dry-run, steps, queries.
# shellcheck shell=bash

# Progress goes to file descriptor 3, a copy of the original stdout, so that functions whose
# output is captured with $(...) can still report.
exec 3>&1

DRY_RUN=${DRY_RUN:-false}
STEP_INDEX=0
STEP_TOTAL=0
STEP_TITLE=""
RESUME_HINT=""
FAILED_COMMAND=""

log() { printf '%s\n' "$*" >&3; }
info() { printf '      %s\n' "$*" >&3; }
warn() { printf 'warning: %s\n' "$*" >&2; }
# Stops with a message. Inside a step it also names the step and how to resume.
die() {
  if [ "$STEP_INDEX" -gt 0 ]; then
    trap - ERR
    printf 'error: step %s/%s "%s" failed: %s\n' "$STEP_INDEX" "$STEP_TOTAL" "$STEP_TITLE" "$*" >&2
    print_resume_hint
  else
    printf 'error: %s\n' "$*" >&2
  fi
  exit 1
}

print_resume_hint() {
  if [ -n "$RESUME_HINT" ]; then
    printf 'Fix the cause above, then run the same command again to resume:\n  %s\n' "$RESUME_HINT" >&2
    printf 'Steps that already finished are checked and left as they are.\n' >&2
  fi
}

# Prints a command in a form that can be pasted into a shell.
print_command() {
  local quoted
  printf -v quoted '%q ' "$@"
  printf '      + %s\n' "${quoted% }" >&3
}

# Runs a command that changes something. With --dry-run it is only printed.
run() {
  print_command "$@"
  if [ "$DRY_RUN" = true ]; then
    return 0
  fi
  local status=0
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    printf -v FAILED_COMMAND '%q ' "$@"
    return "$status"
  fi
}

# Runs a command that only reads, returning its stdout. With --dry-run it is printed, not run,
# and fails, so callers take the path for "not there yet".
query() {
  if [ "$DRY_RUN" = true ]; then
    print_command "$@"
    return 1
  fi
  "$@" 2>/dev/null
}

# Returns a placeholder for a value that only a real query can return, for dry-run output.
placeholder() { printf '<%s>' "$1"; }

# Starts a numbered step. The ERR trap names it when a command fails.
step() {
  STEP_INDEX=$((STEP_INDEX + 1))
  STEP_TITLE=$1
  log ""
  log "[$STEP_INDEX/$STEP_TOTAL] $STEP_TITLE"
}

on_error() {
  local status=$1 command=${FAILED_COMMAND:-$2}
  trap - ERR
  printf '\nerror: step %s/%s "%s" failed: "%s" exited with status %s.\n' \
    "$STEP_INDEX" "$STEP_TOTAL" "$STEP_TITLE" "$command" "$status" >&2
  print_resume_hint
  exit "$status"
}

enable_error_trap() {
  set -Eeuo pipefail
  trap 'on_error $? "$BASH_COMMAND"' ERR
}

require_command() {
  local name=$1 purpose=$2
  command -v "$name" >/dev/null 2>&1 || die "$name not found on PATH; it is needed to $purpose"
}

# Compares dotted versions: succeeds when $1 >= $2.
version_at_least() {
  local actual=$1 minimum=$2
  [ "$(printf '%s\n%s\n' "$minimum" "$actual" | sort -V | head -n 1)" = "$minimum" ]
}

# Reads a dotted version number out of a tool's version output.
extract_version() {
  grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1
}

# Writes JSON from stdin to a file, pretty-printed, and reports the file.
write_json_file() {
  local path=$1
  jq . >"$path"
  info "wrote $path"
}

# Builds a Kubernetes Secret manifest from environment variables named in "key=VARIABLE" pairs,
# so secret values never appear on a command line.
secret_manifest() {
  local namespace=$1 name=$2
  shift 2
  local pair program='{}'
  for pair in "$@"; do
    program+=" | .[\"${pair%%=*}\"] = env.${pair#*=}"
  done
  jq -n --arg namespace "$namespace" --arg name "$name" \
    "{apiVersion: \"v1\", kind: \"Secret\", type: \"Opaque\",
      metadata: {name: \$name, namespace: \$namespace,
                 labels: {\"app.kubernetes.io/managed-by\": \"dcp-identity-deploy\"}},
      stringData: ($program)}"
}

# Returns a random string of URL-safe characters.
random_secret() {
  local length=${1:-40}
  openssl rand -base64 $((length * 2)) | tr -dc 'A-Za-z0-9' | head -c "$length"
}
