#!/usr/bin/env bash
# Byte-mutation fuzzing (FsCheck generator) of the store and tables readers: N cases per reader
# (default 20,000). Prints executions and outcomes per reader (crashes and hangs must be 0).
# Usage: scripts/fuzz.sh [cases per reader]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
report=$(mktemp)
dotnet build tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release -v quiet -nologo >/dev/null
HAMMING_FUZZ_RUNS=${1:-20000} HAMMING_FUZZ_REPORT=$report \
  dotnet test tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~FuzzTests" >/dev/null || status=$?
cat "$report"
rm -f "$report"
exit "${status:-0}"
