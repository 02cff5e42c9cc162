#!/usr/bin/env bash
# Unsupervised quality runs (docs/QUALITY.md, "Unsupervised cross-modal hashing"): the graph trainer,
# CCA-ITQ, LSH and supervised SCRATCH, both protocols, MAP mean ± std over seeds. Wiki from
# ../shared/data/wiki, icons and segment from .data/ (scripts/fetch-data.sh). Extra arguments go to
# the runner (e.g. --bits 32,64 --seeds 1,2,3 --methods graph,cca). Writes artifacts/quality/unsup-*.md.
#   scripts/quality-unsupervised.sh wiki|icons|segment [args]
#   scripts/quality-unsupervised.sh tune wiki|icons|segment [--bits 32]    (validation split only)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts/quality
dotnet build tools/HammingIndex.Unsupervised -c Release -v q -nologo >/dev/null
run() { nice dotnet tools/HammingIndex.Unsupervised/bin/Release/net10.0/hamming-unsup.dll "$@"; }
if [ "${1:-}" = tune ]; then shift; run tune "$@"; exit; fi
set_name=${1:?name a data set: wiki, icons or segment}; shift
[ "$set_name" = wiki ] || bash scripts/fetch-data.sh
run eval "$set_name" --out "artifacts/quality/unsup-$set_name.md" "$@"
