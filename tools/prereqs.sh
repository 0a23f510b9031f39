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
# - every platform's packages for a room pack: RoomPackTests builds a pack for linux-x64, win-x64 and osx-arm64 from the
#   NuGet cache without network, and the kit's own build restores only this machine's libtorch. `room-pack --prefetch`
#   fetches the rest once (about 140 MB: win-x64's and osx-arm64's libtorch, SkiaSharp's natives); quick when present.
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
dotnet run --project tools/WorkshopKit.Cli -- room-pack --prefetch --platform all >/dev/null
