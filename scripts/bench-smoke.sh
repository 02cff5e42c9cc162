#!/usr/bin/env bash
# Smoke run of the benchmarks (what CI runs): every [Benchmark] method once, first parameter
# combination, one Dry invocation in process, with the data sets cut down (multi-index 100,000
# 64-bit codes; the 200,000-pair training case 5,000 pairs). Proves the benchmarks build and
# execute; its timings mean nothing. Real runs: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export HAMMINGINDEX_MIH_N=${HAMMINGINDEX_MIH_N:-100000} HAMMINGINDEX_MIH_BITS=${HAMMINGINDEX_MIH_BITS:-64}
export HAMMINGINDEX_SCRATCH_LARGE_N=${HAMMINGINDEX_SCRATCH_LARGE_N:-5000}
dotnet run -c Release --project bench/HammingIndex.Benchmarks -- smoke
