#!/usr/bin/env bash
# Installs the pinned helm release into .tools/bin of this repository by building it from the Go
# module proxy. Exits at once when that helm is already there. Callers put .tools/bin on PATH.
set -euo pipefail

helm_version=v3.21.4
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=${TOOLS_BIN:-$repo_root/.tools/bin}

installed_version() {
  if [ -x "$bin_dir/helm" ]; then
    "$bin_dir/helm" version --template '{{.Version}}' 2>/dev/null || true
  fi
}

if [ "$(installed_version)" = "$helm_version" ]; then
  echo "helm $helm_version is already installed in $bin_dir"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-helm: go not found; install Go 1.24 or newer to build helm $helm_version" >&2
  exit 1
fi

mkdir -p "$bin_dir"
echo "building helm $helm_version into $bin_dir (takes a few minutes the first time)"
# helm reads its version from ldflags, so without them `helm version` prints a development version.
GOBIN="$bin_dir" CGO_ENABLED=0 go install \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version" \
  "helm.sh/helm/v3/cmd/helm@$helm_version"

actual=$(installed_version)
if [ "$actual" != "$helm_version" ]; then
  echo "install-helm: built helm reports version '$actual'; expected $helm_version" >&2
  exit 1
fi
echo "helm $helm_version installed in $bin_dir"
