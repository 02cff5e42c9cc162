#!/usr/bin/env bash
# Wiki training time with AVX-512 on and off, side by side: ROUNDS rounds (default 3), each runs one
# process per setting in alternating order (`train-wiki` of the benchmarks: a warm-up training, then
# TRAININGS timed ones, default 3). Prints each process's line, then the medians and the ratio
# off/on of CPU time per training (what waiting for a core on a shared machine does not inflate)
# and of wall time. Needs ../shared/data/wiki (or HAMMINGINDEX_WIKI_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
trainings=${2:-3}
dotnet build bench/HammingIndex.Benchmarks -c Release -v q -nologo >/dev/null
bench=bench/HammingIndex.Benchmarks/bin/Release/net10.0/HammingIndex.Benchmarks.dll
log=$(mktemp)
for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then order="1 0"; else order="0 1"; fi
  for avx512 in $order; do
    DOTNET_EnableAVX512=$avx512 dotnet "$bench" train-wiki "$trainings" | tee -a "$log"
  done
done
awk '
  function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /^train-wiki/ {
    for (f = 1; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
    p = v["path"]; n[p]++; cpu[p, n[p]] = v["cpu_per_training_s"]; wall[p, n[p]] = v["wall_median_s"]
  }
  END {
    for (p in n) {
      for (i = 1; i <= n[p]; i++) { c[i] = cpu[p, i]; w[i] = wall[p, i] }
      mc[p] = median(c, n[p]); mw[p] = median(w, n[p])
      printf "%s: CPU %.3f s, wall %.3f s per training (median of %d processes)\n", p, mc[p], mw[p], n[p]
    }
    if (("Vector512" in mc) && ("Vector256" in mc))
      printf "AVX-512 off / on: CPU %.2fx, wall %.2fx\n", mc["Vector256"] / mc["Vector512"], mw["Vector256"] / mw["Vector512"]
  }' "$log"
rm -f "$log"
