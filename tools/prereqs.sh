#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when missing. Safe to run again.
# - chromium: the browser the rendered-book test drives (Debian package; Playwright uses it by path).
set -euo pipefail
need=()
if [[ "$(uname -s)" == "Linux" ]] && command -v apt-get >/dev/null; then
  command -v chromium >/dev/null || need+=(chromium)
fi
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  echo "prereqs: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
