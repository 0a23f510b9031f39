#!/usr/bin/env bash
# Runs every WorkshopKit test: the README's test command, and what CI runs (.ci/run).
# Installs what the tests need from the package registries first (idempotent, quick when present).
set -euo pipefail
cd "$(dirname "$0")"
bash tools/prereqs.sh
dotnet test WorkshopKit.sln --logger "console;verbosity=normal" "$@"
