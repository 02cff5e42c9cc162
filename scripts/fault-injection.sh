#!/usr/bin/env bash
# Injects faults into the store's file layer (tests/HammingIndex.Tests/Storage/Faults): for each seed a
# workload (create, appends, deletes, flush, compact, tables save, dispose + reopen) runs once per fault
# kind (crash dropping unsynced writes, crash tearing the last write at a sector boundary, crash keeping a
# random subset, EIO, ENOSPC) with the fault at a random operation, then the post-crash image is reopened
# and compared with the last acknowledged commit. Prints the counts.
# Usage: scripts/fault-injection.sh [seeds (default 200 = 1,000 faults)] [first seed (default 1)]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seeds=${1:-200}
first=${2:-1}
report=$(mktemp)
dotnet build tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release -v quiet -nologo >/dev/null
HAMMING_FAULT_SEEDS=$seeds HAMMING_FAULT_FIRST_SEED=$first HAMMING_FAULT_REPORT=$report \
  dotnet test tests/HammingIndex.Tests/HammingIndex.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~FaultInjectionTests" >/dev/null || status=$?
cat "$report"
rm -f "$report"
exit "${status:-0}"
