#!/usr/bin/env bash
# Installs what the test suite needs, only when missing. Safe to run again; quick when everything is there.
# - chromium: the browser the rendered-book and notebook-client tests drive (Debian package; Playwright uses it by path).
# - Jupyter (nbconvert, nbclient, ipykernel, jupyter-client): the notebook client attendees use; the tests execute every
#   notebook through it with the real .NET Interactive kernel.
# - jupyter-notebook: the classic Jupyter Notebook server the README names; the live-page test drives it in chromium.
# - libjs-requirejs: a local require.js for nbconvert's HTML pages, so rendered notebooks need no CDN.
# - gcc, g++: build the stand-in libtorch that the shadowing test puts on LD_LIBRARY_PATH, and the CPU build of the
#   CUDA rounding kernel that its bit-for-bit test compares with the CPU kernel.
# - the .NET tools pinned in .config/dotnet-tools.json (the kernel, Microsoft.dotnet-interactive, and dotnet-repl).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
if [[ "$(uname -s)" == "Linux" ]] && command -v apt-get >/dev/null; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v jupyter-nbconvert >/dev/null || need+=(jupyter-nbconvert)
  command -v jupyter-notebook >/dev/null || need+=(jupyter-notebook)
  /usr/bin/python3 -c "import nbclient, ipykernel, jupyter_client" 2>/dev/null || need+=(python3-nbclient python3-ipykernel jupyter-client)
  [[ -f /usr/share/javascript/requirejs/require.min.js ]] || need+=(libjs-requirejs)
  command -v gcc >/dev/null || need+=(gcc)
  command -v g++ >/dev/null || need+=(g++)
fi
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  echo "prereqs: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
dotnet tool restore >/dev/null
