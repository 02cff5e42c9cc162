#!/usr/bin/env bash
# Prints the before/after table of docs/QUALITY.md ("The sweep") from the runs scripts/quality-sweep.sh
# wrote: artifacts/quality/sweep-{set}-{bits}.md (MAP, mean ± std over the seeds named in each file)
# and ceiling-{set}.md (the hash-function ceiling, seed 1). "before" = SCRATCH with the authors'
# joint hash functions, "after" = SCRATCH validated (the default), change = after - before; the
# code-regression functions beside them, and in how many seeds the validation split chose them (from
# the per-seed lines of sweep-{set}-{bits}.log).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=artifacts/quality
echo "| set | bits | seeds | training codes I->T | training codes T->I | encoded database I->T | encoded database T->I | code regression, encoded I->T / T->I | validation chose code regression |"
echo "|---|---|---|---|---|---|---|---|---|"
for set in wiki icons segment; do
  case $set in wiki) name="Wiki" ;; icons) name="Material Design Icons" ;; segment) name="UCI Image Segmentation" ;; esac
  for bits in 16 32 64 128; do
    file=$dir/sweep-$set-$bits.md
    [ -f "$file" ] || continue
    seeds=$(sed -n 's/.*mean ± std over seeds \(.*\)\.$/\1/p' "$file" | head -1)
    # Per seed: the validated line's MAPs equal the code-regression line's when it chose code regression.
    chose=$(awk '/SCRATCH \+ code regression [0-9]+ bits/ { sub(/.*seed/, ""); sub(/; trained.*/, ""); cr[++n] = $0 }
                 /SCRATCH validated [0-9]+ bits/ { sub(/.*seed/, ""); sub(/; trained.*/, ""); v[++m] = $0 }
                 END { c = 0; for (i = 1; i <= m; i++) if (v[i] == cr[i]) c++; printf "%d of %d", c, m }' "$dir/sweep-$set-$bits.log")
    # First MAP table only: "| method | database | task | m ± s |".
    awk -F' *\\| *' -v name="$name" -v bits="$bits" -v seeds="$seeds" -v chose="$chose" '
      /^MAP@50/ { exit }
      $2 == "SCRATCH + code regression" && $3 == "encoded database" { split($5, v, " ± "); cr[$4] = v[1] }
      $2 == "SCRATCH" || $2 == "SCRATCH validated" {
        split($5, v, " ± "); key = $3 "|" $4
        if ($2 == "SCRATCH") before[key] = v[1]; else { after[key] = v[1]; sd[key] = v[2] }
        bsd[key] = ($2 == "SCRATCH") ? v[2] : bsd[key]
      }
      END {
        line = "| " name " | " bits " | " seeds " |"
        n = split("training codes|I->T,training codes|T->I,encoded database|I->T,encoded database|T->I", keys, ",")
        for (i = 1; i <= n; i++) {
          k = keys[i]
          line = line sprintf(" %.3f ± %.3f → %.3f ± %.3f (%+.3f) |", before[k], bsd[k], after[k], sd[k], after[k] - before[k])
        }
        print line sprintf(" %.3f / %.3f | %s |", cr["I->T"], cr["T->I"], chose)
      }' "$file"
  done
  ceiling=$dir/ceiling-$set.md
  if [ -f "$ceiling" ]; then
    # Ceiling rows: "| bits | image | ceiling (N anchors) | ... | encoded I->T / T->I | training I->T / T->I |" (image row; the MAPs repeat in the text row).
    awk -F' *\\| *' -v name="$name" '
      $3 == "image" && $4 ~ /^ceiling/ {
        split($10, e, " / "); split($11, t, " / ")
        printf "| %s, %s | %s | 1 | %s | %s | %s | %s | | |\n", name, $4, $2, t[1], t[2], e[1], e[2]
      }' "$ceiling"
  fi
done
