#!/usr/bin/env bash
# The issue-11 sweep of docs/QUALITY.md: Wiki, icons and segmentation at 16/32/64/128 bits over
# seeds 1..5, both database protocols, before (the authors' joint hash functions) and after (the
# default a user gets: ScratchHashFunctions.Validated), with the code-regression functions beside
# them — all three from one training per cell — then the hash-function ceiling at 64 bits, seed 1
# (CEILING_BITS=16,32,64,128 for every length). Runs niced, one set and length at a time, 64 bits
# first (BITS="64 16 32 128", SETS="segment wiki icons" and CEILING_SETS="segment wiki icons" by
# default; an empty CEILING_SETS skips the ceilings); writes artifacts/quality/sweep-{set}-{bits}.md and
# ceiling-{set}.md (scripts/quality-sweep-table.sh turns them into the docs/QUALITY.md table). Wiki's exit status 2 (a
# training-codes MAP off the authors' reference by > 0.015) is reported, not fatal.
# Extra arguments go to the runner (e.g. --bits 64 --seeds 1,2).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-data.sh
mkdir -p artifacts/quality
dotnet build tools/HammingIndex.Quality -c Release -v q -nologo >/dev/null
runner=tools/HammingIndex.Quality/bin/Release/net10.0/hamming-quality.dll
for bits in ${BITS:-64 16 32 128}; do
  for set in ${SETS:-segment wiki icons}; do
    status=0
    nice dotnet "$runner" "$set" --bits "$bits" --seeds 1,2,3,4,5 --out "artifacts/quality/sweep-$set-$bits.md" "$@" \
      > /dev/null 2> "artifacts/quality/sweep-$set-$bits.log" || status=$?
    [ "$status" -le 2 ] || { echo "quality-sweep: $set $bits bits failed (status $status; see artifacts/quality/sweep-$set-$bits.log)" >&2; exit "$status"; }
    [ "$status" -eq 0 ] || echo "quality-sweep: $set $bits bits: a training-codes MAP misses the authors' reference (see the log)" >&2
  done
done
for set in ${CEILING_SETS-segment wiki icons}; do
  nice dotnet "$runner" "$set" --ceiling --bits "${CEILING_BITS:-64}" --seeds 1 --out "artifacts/quality/ceiling-$set.md" \
    > /dev/null 2> "artifacts/quality/ceiling-$set.log"
done
