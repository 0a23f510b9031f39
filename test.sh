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
# awk alone (no grep): a pattern with no match must not fail the script under pipefail.
count() { awk -v k="$1" '$1 == k":" && $2 ~ /^[0-9]+$/ {s+=$2} END {print s+0}' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
# CI keeps only the end of the output: repeat each failure's name and message here, where it is seen.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests (name, then the start of the message):"
  awk '/^  Failed /{p=1} /^  Stack Trace:/{p=0} p{print}' "$log" | cut -c1-600 | head -c 20000
fi
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
