#!/usr/bin/env bash
# Smoke run of every benchmark: BenchmarkDotNet's Dry job (one invocation per case, in process), with
# the multi-index data sets cut to 100,000 64-bit codes. Proves the benchmarks build and execute;
# its timings mean nothing. Real runs: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export HAMMINGINDEX_MIH_N=${HAMMINGINDEX_MIH_N:-100000} HAMMINGINDEX_MIH_BITS=${HAMMINGINDEX_MIH_BITS:-64}
dotnet run -c Release --project bench/HammingIndex.Benchmarks -- \
  --filter '*' --job Dry --inProcess --artifacts artifacts/bench-smoke "$@"
