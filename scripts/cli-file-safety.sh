#!/usr/bin/env bash
# Runs the sub-cases of issue 9, findings 8-11 (partial outputs, vague messages, malformed model and
# feature files, code files of another model or length) against one `hamming` binary; PASS/FAIL per case.
# Usage: scripts/cli-file-safety.sh [path to hamming; default: the Release build of this tree]
H=${1:-$(cd "$(dirname "$0")/.." && pwd)/src/HammingIndex.Cli/bin/Release/net10.0/hamming}
W=$(mktemp -d)
cd "$W"
python3 - <<'PY'
import random, struct
random.seed(7)
def rows(n, d, c):
    out = []
    for i in range(n):
        k = i % 3
        out.append([k * 2 + random.gauss(0, 0.7) for _ in range(d)])
    return out
for split, n in (("tr", 120), ("te", 40)):
    for name, d in (("I", 8), ("T", 5)):
        with open(f"{name}_{split}.csv", "w") as f:
            for r in rows(n, d, 3): f.write(",".join(f"{v:.6f}" for v in r) + "\n")
    with open(f"L_{split}.csv", "w") as f:
        for i in range(n): f.write(f"{i % 3}\n")
hdr = "{'descr': '<f8', 'fortran_order': False, 'shape': (60, 4, 2), }"
pad = 64 - (10 + len(hdr) + 1) % 64
hdr = hdr + " " * pad + "\n"
with open("cube.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + struct.pack("<480d", *[0.5] * 480))
with open("q64.codes", "wb") as f:
    for i in range(3): f.write(struct.pack("<Q", random.getrandbits(64)))
with open("db64.codes", "wb") as f:
    for i in range(60): f.write(struct.pack("<Q", random.getrandbits(64)))
PY
train() { $H train --images I_tr.csv --texts T_tr.csv --labels L_tr.csv --anchors 10 --iterations 2 "$@" >/dev/null 2>err.txt; }
passed=0 failed=0
check() { if eval "$2"; then echo "PASS $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi; }
train --bits 16 --out m.model --train-codes b.codes || echo "setup: train failed: $(cat err.txt)"
$H build --codes db64.codes --bits 64 --out s64.hstore >/dev/null 2>&1 || echo "setup: build failed"

mkdir cdir; train --bits 16 --out new.model --train-codes cdir
check "8  train with unwritable --train-codes writes no model" '[ ! -e new.model ]'
mkdir o.codes.ids; $H export --store s64.hstore --out o.codes >out.txt 2>&1
check "8  export failing on its ids leaves no .codes" '[ ! -e o.codes ]'
mkdir e.codes.ids; $H encode --model m.model --modality text --features T_tr.csv --out e.codes >/dev/null 2>&1
check "8  encode failing on its ids leaves no .codes" '[ ! -e e.codes ]'
$H encode --model m.model --modality text --features T_tr.csv --out f.codes >/dev/null 2>&1; cp f.codes f.before
sed '91s/^[^,]*,/oops,/' T_tr.csv > bad.csv
$H encode --model m.model --modality text --features bad.csv --out f.codes --overwrite --block-rows 16 >/dev/null 2>&1
check "8  encode failing halfway keeps the file it would overwrite" 'cmp -s f.codes f.before'
$H build --codes db64.codes --bits 64 --substrings 65 --out b65.hstore >out.txt 2>&1
check "8  build --substrings 65 refused before the import (no store left)" '[ ! -e b65.hstore ] && ! grep -q live out.txt'
echo old > r.tsv; i1=$(stat -c %i r.tsv); $H search --store s64.hstore --queries q64.codes --bits 64 --out r.tsv --overwrite >/dev/null 2>&1
check "8  search --out replaces the file (new inode), not written in place" '[ "$(stat -c %i r.tsv)" != "$i1" ]'
i1=$(stat -c %i m.model); cp m.model m.keep; train --bits 16 --seed 3 --out m.model --overwrite
check "8  train --out over a model replaces it (new inode), not written in place" '[ "$(stat -c %i m.model)" != "$i1" ]'
cp m.keep m.model
$H build --codes db64.codes --bits abc >out.txt 2>&1
check "9  --bits abc names the option and the value" 'grep -q -- "--bits" out.txt && grep -q "abc" out.txt && ! grep -q Nullable out.txt'
mkdir outdir; $H search --store s64.hstore --queries q64.codes --bits 64 --out outdir >out.txt 2>&1
check "9  a directory as --out is named a directory" 'grep -q "is a directory" out.txt'
$H export --store outdir --out x.codes >out.txt 2>&1
check "9  a directory as a store is named a directory" 'grep -q "is a directory" out.txt'
$H encode --model m.model --modality image --features cube.npy --out cube.codes >out.txt 2>&1; st=$?
check "10 a (60, 4, 2) .npy is refused naming the shape" '[ $st -ne 0 ] && grep -q "(60, 4, 2)" out.txt'
cat m.model > padded.model; printf 'GARBAGE' >> padded.model
$H encode --model padded.model --modality text --features T_tr.csv --out p.codes >out.txt 2>&1; st=$?
check "10 a model with trailing bytes is refused" '[ $st -ne 0 ]'
train --bits 16 --seed 9 --out other.model
$H eval --model other.model --data . --no-plots --database-codes b.codes >out.txt 2>&1; st=$?
check "11 eval with training codes of another model is refused" '[ $st -ne 0 ]'
$H search --store s64.hstore --queries b.codes --bits 64 >out.txt 2>&1; st=$?
check "11 16-bit codes as queries of a 64-bit store are refused" '[ $st -ne 0 ]'
cp s64.hstore store-named.codes
$H search --store s64.hstore --queries q64.codes --bits 64 -k 3 2>/dev/null | cut -f1-5 > a.tsv
$H search --store store-named.codes --queries q64.codes --bits 64 -k 3 2>/dev/null | cut -f1-5 > b.tsv
check "11 a store named *.codes is searched as a store (by its magic)" 'cmp -s a.tsv b.tsv'
cd /; rm -rf "$W"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
