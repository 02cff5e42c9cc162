#!/usr/bin/env bash
# `hamming tune` against the defaults on Wiki, segmentation and icons (docs/QUALITY.md, "Tuning"):
# per set, a 5-minute search (64 bits, seed 0, authors' protocol on a 20 % validation split of the
# training pairs), then the defaults alone (--max-trials 1), then both models scored on the test
# split under both protocols with `hamming eval`. Writes artifacts/quality/tune/*.
# Usage: scripts/quality-tune.sh [sets...] (default: wiki segment icons); BUDGET=5m by default.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/quality/tune
mkdir -p "$out"
dotnet build src/HammingIndex.Cli -c Release -v q -nologo >/dev/null
# A private copy of the build, so that rebuilding the worktree meanwhile cannot swap it mid-run.
rm -rf "$out/bin" && cp -r src/HammingIndex.Cli/bin/Release/net10.0 "$out/bin"
hamming() { dotnet "$out/bin/hamming.dll" "$@"; }
budget=${BUDGET:-5m}
for set in "${@:-wiki segment icons}"; do
  for s in $set; do
    hamming tune --dataset "$s" --bits 64 --budget "$budget" --seed 0 --overwrite --out "$out/$s-tuned.model" --train-codes "$out/$s-tuned.codes" \
      --trials "$out/$s-trials.md" > "$out/$s-tune.log" 2>&1
    hamming tune --dataset "$s" --bits 64 --max-trials 1 --seed 0 --overwrite --out "$out/$s-defaults.model" --train-codes "$out/$s-defaults.codes" \
      --trials "$out/$s-defaults-trials.md" > "$out/$s-defaults.log" 2>&1
    for m in defaults tuned; do
      hamming eval --model "$out/$s-$m.model" --dataset "$s" --database-codes "$out/$s-$m.codes" --no-plots > "$out/$s-$m-eval.txt" 2>&1
    done
  done
done
