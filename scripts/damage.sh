#!/usr/bin/env bash
# Every single-bit flip and every truncation of a small store file (16 KiB) and a small tables file:
# each must give the intact file's answers or the reader's specific exception. Prints the counts
# (identical, refused, wrong, crash, hang) per file and kind. Takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
report=$(mktemp)
dotnet build tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release -v quiet -nologo >/dev/null
HAMMING_DAMAGE_ALL=1 HAMMING_DAMAGE_REPORT=$report \
  dotnet test tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~BitFlipTests" >/dev/null || status=$?
cat "$report"
rm -f "$report"
exit "${status:-0}"
