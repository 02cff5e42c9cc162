#!/usr/bin/env bash
# Byte-mutation fuzzing of the file readers (model, .npy, .fvecs/.bvecs/.ivecs, CSV/TSV, raw codes):
# FsCheck-generated edits of a valid seed file, each mutant read once with a 10 s limit.
# Prints executions, accepted, refused, wrong answers accepted, crashes and hangs per reader.
# Usage: scripts/fuzz-readers.sh [executions per reader, default 5000] [seed, default 20261127]
# Failing inputs are kept in $HAMMING_FUZZ_KEEP (default .fuzz-failures/) to reproduce them.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
executions=${1:-5000}
seed=${2:-20261127}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
dotnet build tests/HammingIndex.Training.Tests -c Release -v quiet -nologo >/dev/null
set +e
HAMMING_FUZZ_EXECUTIONS=$executions HAMMING_FUZZ_SEED=$seed HAMMING_FUZZ_REPORT=$report \
HAMMING_FUZZ_KEEP=${HAMMING_FUZZ_KEEP:-$PWD/.fuzz-failures} \
  dotnet test tests/HammingIndex.Training.Tests -c Release --no-build --filter "Category=Fuzz" --logger "console;verbosity=minimal"
status=$?
set -e
echo
echo "seed $seed, $executions executions per reader"
{ printf 'reader\texecutions\taccepted\trefused\twrong accepted\tcrashes\thangs\n'; sort "$report"; } | column -t -s $'\t'
awk -F'\t' '{ n += $2; w += $5; c += $6; h += $7 } END { printf "total: %d executions, %d wrong answers accepted, %d crashes, %d hangs\n", n, w, c, h }' "$report"
exit "$status"
