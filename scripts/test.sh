#!/usr/bin/env bash
# Builds the solution (warnings are errors) and runs every unit test project.
# Ends with one plain line "N passed, N failed, N skipped" summed over the test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build HammingIndex.sln -c Release
log=$(mktemp)
set +e
dotnet test HammingIndex.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per project.
grep -E '(Passed|Failed)!\s+-\s+Failed:' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
rm -f "$log"
exit "$status"
