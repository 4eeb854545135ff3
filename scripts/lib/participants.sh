# Names derived from the participant list, shared by scripts/deploy and scripts/destroy.
# shellcheck shell=bash
# The constants are read by the scripts that source this file.
# shellcheck disable=SC2034

readonly AUTHORITY_NAMESPACE=authority
readonly PARTICIPANT_NAME_PATTERN='^[a-z][a-z0-9-]{0,30}[a-z0-9]$'
readonly RESERVED_NAMES=" authority issuer bdrs default kube-system kube-public kube-node-lease "

declare -a PARTICIPANTS=()
declare -A BPNS=()

# Adds "name" or "name=BPNL..." to PARTICIPANTS; a missing BPN is numbered by position.
add_participant() {
  local entry=$1 name bpn
  name=${entry%%=*}
  bpn=""
  [ "$name" != "$entry" ] && bpn=${entry#*=}
  [[ $name =~ $PARTICIPANT_NAME_PATTERN ]] ||
    die "invalid participant name \"$name\"; expected 2 to 32 lower-case letters, digits or hyphens, starting with a letter"
  [[ $RESERVED_NAMES == *" $name "* ]] && die "participant name \"$name\" is reserved; choose another name"
  [ -n "${BPNS[$name]+set}" ] && die "participant \"$name\" is listed twice"
  PARTICIPANTS+=("$name")
  [ -n "$bpn" ] || printf -v bpn 'BPNL%012d' "${#PARTICIPANTS[@]}"
  [[ $bpn =~ ^BPNL[0-9A-Z]{12}$ ]] || die "invalid BPN \"$bpn\" for participant \"$name\"; expected BPNL and 12 digits or capital letters"
  BPNS[$name]=$bpn
}

set_participants() {
  local list=$1 entry
  PARTICIPANTS=()
  BPNS=()
  IFS=',' read -r -a entries <<<"$list"
  [ "${#entries[@]}" -gt 0 ] || die "--participants needs at least one name"
  for entry in "${entries[@]}"; do
    add_participant "$entry"
  done
}

participant_did() { printf 'did:web:%s.%s' "$1" "$DOMAIN"; }

# "companyx" becomes "Company X"; other names stay as they are.
display_name() {
  local name=$1
  if [[ $name =~ ^company([a-z])$ ]]; then
    printf 'Company %s' "${BASH_REMATCH[1]^^}"
  else
    printf '%s' "$name"
  fi
}

# A stable UUID-shaped id per cluster and participant, for the connector's participant context.
participant_context_id() {
  local digest
  digest=$(printf 'dcp-identity/%s/%s' "$CLUSTER" "$1" | sha256sum | cut -c1-32)
  printf '%s-%s-5%s-8%s-%s' "${digest:0:8}" "${digest:8:4}" "${digest:13:3}" "${digest:17:3}" "${digest:20:12}"
}
