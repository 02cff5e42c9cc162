#!/usr/bin/env bash
# Quality check on Wiki (../shared/data/wiki): SCRATCH with the paper's defaults vs the authors'
# reference MAP (mean of 5 seeds, tolerance 0.015) at 16/32/64/128 bits, both directions, with the
# LSH baseline and cosine references in the same run. Exit status 2 when a MAP misses the tolerance.
# Extra arguments go to the runner (e.g. --seeds 1,2 --bits 64). Writes artifacts/quality/wiki.md.
# The full check (no arguments) trains each cell once with the validated default hash functions and
# scores the joint, code-regression and validated ones. CI (.ci/run) passes --joint-only: the same 20
# cells and the same check (the reference is the joint functions on the training codes, and B does
# not depend on the hash functions), each cell trained once with the joint functions alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts/quality
dotnet build tools/HammingIndex.Quality -c Release -v q -nologo >/dev/null
dotnet tools/HammingIndex.Quality/bin/Release/net10.0/hamming-quality.dll wiki --out artifacts/quality/wiki.md "$@"
