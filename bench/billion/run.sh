#!/usr/bin/env bash
# Billion-scale run (issue 13): for N codes (default 10^6), generate a uniform and a clustered store
# of 64-bit codes with `hamming generate` (+ 100 queries each, drawn the same way), then for each run
# `bench billion` in a fresh process: build the tables (wall, peak RSS, disk bytes per code), open,
# radius and 10-NN per query (median / p99, warm and with the page cache dropped), the scan's time per
# query, and every answer compared with a batched scan. Prints the markdown rows of bench/README.md
# ("Billion scale"). Exits 1 on any mismatch.
#
#   bash bench/billion/run.sh                 # 10^6, CI (well under a minute)
#   N=100000000 bash bench/billion/run.sh     # 10^8: minutes, ~2.4 GB of store files per kind
#   N=1000000000 bash bench/billion/run.sh    # 10^9 on request: ~16 GB store per kind + tables; 75 GB free disk is enough
#
# Environment: N (codes), QUERIES (100), DIR (a fresh folder under /tmp by default, so runs never share
# one; put it on a disk with room at 10^9; the run's files are deleted afterwards unless KEEP=1),
# COLD (queries timed cold, 10; each drops the page cache: needs root, else skipped with a message),
# KINDS ("uniform clustered"), SEED (1), UNIFORM_KNN (uniform k-NN queries: all below 10^9, 10 from 10^9 on,
# where m = 2 and a uniform 10-NN query, radius ~15 of 64 bits, probes most of the 10 GB of tables:
# with the store's 16 GB beside them in 24 GiB, 100 of them take tens of minutes of page-cache churn), SKIP_BUILD=1 (the Release build is there already), EXTRA (more options for `bench billion`, e.g. "--codes-in-tables false").
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
N=${N:-1000000}
QUERIES=${QUERIES:-100}
if [[ -z "${DIR:-}" ]]; then DIR=$(mktemp -d /tmp/billion.XXXXXX); OWN_DIR=1; else OWN_DIR=0; fi
COLD=${COLD:-10}
KINDS=${KINDS:-uniform clustered}
SEED=${SEED:-1}
EXTRA=${EXTRA:-}
if (( N >= 1000000000 )); then UNIFORM_KNN=${UNIFORM_KNN:-10}; else UNIFORM_KNN=${UNIFORM_KNN:-$QUERIES}; fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then # CI builds the solution first
  dotnet build src/HammingIndex.Cli/HammingIndex.Cli.csproj -c Release -v q -nologo >/dev/null
  dotnet build bench/HammingIndex.Benchmarks/HammingIndex.Benchmarks.csproj -c Release -v q -nologo >/dev/null
fi
HAMMING=(dotnet src/HammingIndex.Cli/bin/Release/net10.0/hamming.dll)
BENCH=(dotnet bench/HammingIndex.Benchmarks/bin/Release/net10.0/HammingIndex.Benchmarks.dll)

mkdir -p "$DIR"
cleanup() {
  [[ "${KEEP:-0}" == 1 ]] && return
  rm -f "$DIR"/b"$N"-*.hstore "$DIR"/b"$N"-*.hstore.mih "$DIR"/b"$N"-*.codes
  [[ "$OWN_DIR" == 1 ]] && rmdir "$DIR" 2>/dev/null || true
}
trap cleanup EXIT

header=--header
status=0
for kind in $KINDS; do
  store="$DIR/b$N-$kind.hstore" queries="$DIR/b$N-$kind.codes"
  start=$(date +%s.%N)
  "${HAMMING[@]}" generate -n "$N" --kind "$kind" --centres 1000000 --flip 0.1 --bits 64 --seed "$SEED" \
    --out "$store" --queries "$QUERIES" --queries-out "$queries" --overwrite >&2
  echo "generated $N $kind codes (and $QUERIES queries) in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s" >&2
  knn=$QUERIES; [[ "$kind" == uniform ]] && knn=$UNIFORM_KNN
  # shellcheck disable=SC2086
  "${BENCH[@]}" billion --store "$store" --queries "$queries" --kind "$kind" --cold "$COLD" --knn-queries "$knn" $header $EXTRA || status=1
  header=
  rm -f "$store" "$store.mih" "$queries"
done
exit $status
