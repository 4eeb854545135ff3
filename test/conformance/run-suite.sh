#!/usr/bin/env bash
# Runs one DCP TCK suite against a running dcp-identity and prints
# "<suite>: N passed, N failed, N skipped" as the last line.
#
# Usage: run-suite.sh SUITE CONFIG_FILE
#   SUITE        presentation-cs, issuance-cs or issuer (or the suite's Java package)
#   CONFIG_FILE  Java properties file with dataspacetck.* keys; DATASPACETCK_* environment
#                variables override it
#
# Environment:
#   TCK_MAVEN_OFFLINE=true  run Maven with -o, for machines whose ~/.m2 already has the artifacts
#   TCK_RUN_TIMEOUT         seconds before the run is stopped (default 900)
#   TCK_REPORTS_DIR         directory for the JUnit XML report (default target/tck-reports/SUITE)
#   JAVA_HOME               Java 17 or newer; otherwise java from PATH
#
# Exit codes: 0 all tests passed, 1 a test failed or none ran, 2 invalid arguments or
# configuration, 124 the run timed out. Other codes come from Maven or the JVM.
set -euo pipefail

usage() {
  sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
}

if [ "$#" -ne 2 ]; then
  usage
  exit 2
fi
suite=$1
if [ ! -r "$2" ]; then
  echo "error: configuration file $2 not found or not readable." >&2
  exit 2
fi
config=$(realpath "$2")

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
classpath_file=$harness_dir/target/classpath.txt
timeout_seconds=${TCK_RUN_TIMEOUT:-900}
if ! [[ $timeout_seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "error: TCK_RUN_TIMEOUT is '$timeout_seconds'; expected a whole number of seconds." >&2
  exit 2
fi
reports_dir=${TCK_REPORTS_DIR:-$harness_dir/target/tck-reports/$suite}

maven_args=(--batch-mode --quiet --file "$harness_dir/pom.xml")
if [ "${TCK_MAVEN_OFFLINE:-false}" = true ]; then
  maven_args+=(--offline)
fi
# Compile the runner and write the runtime class path. The first run downloads the TCK, and
# Maven's output is shown only when it fails.
maven_log=$(mktemp)
trap 'rm -f "$maven_log"' EXIT
maven_status=0
mvn "${maven_args[@]}" -DskipTests compile dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath_file" >"$maven_log" 2>&1 || maven_status=$?
if [ "$maven_status" -ne 0 ]; then
  cat "$maven_log" >&2
  echo "error: Maven failed to build the harness (exit $maven_status); see its output above." >&2
  exit "$maven_status"
fi

java_command=java
if [ -n "${JAVA_HOME:-}" ]; then
  java_command=$JAVA_HOME/bin/java
fi

status=0
timeout --kill-after=30 "$timeout_seconds" \
  "$java_command" -cp "$harness_dir/target/classes:$(cat "$classpath_file")" \
  dcpidentity.conformance.TckSuiteRunner "$suite" "$config" "$reports_dir" || status=$?
if [ "$status" -eq 124 ]; then
  echo "error: suite $suite did not finish within $timeout_seconds s (TCK_RUN_TIMEOUT)." >&2
fi
exit "$status"
