#!/usr/bin/env bash
# Runs every WorkshopKit test: the README's test command, and what CI runs (.ci/run).
# Installs what the tests need from the package registries first (idempotent, quick when present).
set -euo pipefail
cd "$(dirname "$0")"
bash tools/prereqs.sh
log=$(mktemp)
status=0
dotnet test WorkshopKit.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, in the plain form CI understands.
passed=$(grep -E '^\s+Passed:\s+[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+Failed:\s+[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+Skipped:\s+[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
