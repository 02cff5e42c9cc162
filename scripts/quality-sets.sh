#!/usr/bin/env bash
# Quality runs on the fetched sets: Material Design Icons and UCI Image Segmentation (fetched and
# cached by scripts/fetch-data.sh, which this runs first). SCRATCH vs LSH, both directions,
# 16/32/64/128 bits, mean of 5 seeds, cosine references; SCRATCH also with mu = 100, alpha = 10
# (the authors' advice for high-dimensional features). Extra arguments go to the runner.
# Writes artifacts/quality/{icons,segment}.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-data.sh
mkdir -p artifacts/quality
dotnet build tools/HammingIndex.Quality -c Release -v q -nologo >/dev/null
for set in icons segment; do
  dotnet tools/HammingIndex.Quality/bin/Release/net10.0/hamming-quality.dll "$set" --high-dim --out "artifacts/quality/$set.md" "$@"
done
