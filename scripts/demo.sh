#!/usr/bin/env bash
# The main job: fetch the Material Design Icons set (cached in .data/ after the first run), then
# `hamming demo`: train SCRATCH, print the MAP table against LSH, write plots to demo-plots/,
# index the codes and time queries through the scan and the multi-index.
# Extra arguments go to `hamming demo` (e.g. `bash scripts/demo.sh --bits 32`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${HAMMINGINDEX_DATA:-$root/.data}
if ! ls "$data"/mdi/.complete-* >/dev/null 2>&1; then
  bash scripts/fetch-data.sh
fi
exec dotnet run -c Release --project src/HammingIndex.Cli -- demo "$@"
