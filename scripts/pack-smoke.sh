#!/usr/bin/env bash
# Packs the shipped packages (HammingIndex, HammingIndex.Training, the hamming tool) into
# artifacts/packages, then uses them as an outside user would:
#  1. samples/PackageConsumer restores HammingIndex and HammingIndex.Training from that folder only
#     (its NuGet.config maps HammingIndex* to the folder, everything else to nuget.org) into a
#     private package folder, and runs the README's embedding example plus a small training;
#  2. the tool is installed from the folder (dotnet tool install --add-source) into a private tool
#     path; `hamming --version` and one `hamming search` over the sample's files run;
#  3. the Training package's dependency closure (nuspec dependencies, resolved in the sample's
#     project.assets.json) holds no native assets (runtimes/*/native, or a package's native/ folder);
#  4. prints the size of each package.
# Exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI=true (hosted CI sets it) makes the packs deterministic with SourceLink (Directory.Build.props).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
feed=artifacts/packages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$feed"
mkdir -p "$feed"

echo "== pack"
# The first pack fixes the version (MinVer, from the commit); the others are packed with the same one.
dotnet pack src/HammingIndex -c Release -o "$feed" -v q -nologo
version=$(basename "$(ls "$feed"/HammingIndex.*.nupkg | grep -v snupkg)" .nupkg)
version=${version#HammingIndex.}
echo "version $version"
dotnet pack src/HammingIndex.Training -c Release -o "$feed" -v q -nologo -p:MinVerVersionOverride="$version"
dotnet pack src/HammingIndex.Cli -c Release -o "$feed" -v q -nologo -p:MinVerVersionOverride="$version"
for id in HammingIndex HammingIndex.Training hamming; do
  [ -f "$feed/$id.$version.nupkg" ] || { echo "missing $feed/$id.$version.nupkg" >&2; exit 1; }
done
# Nothing else is packable.
extra=$(ls "$feed" | grep -v -E "^(HammingIndex|HammingIndex\.Training|hamming)\.$version\.s?nupkg$" || true)
[ -z "$extra" ] || { echo "unexpected packages: $extra" >&2; exit 1; }

echo "== consume the libraries (samples/PackageConsumer, restored from $feed only)"
consumer=samples/PackageConsumer
rm -rf "$consumer/bin" "$consumer/obj"
dotnet restore "$consumer" --packages "$work/packages" -p:HammingIndexVersion="$version" -v q
dotnet build "$consumer" -c Release --no-restore -p:HammingIndexVersion="$version" -v q -nologo
for id in hammingindex hammingindex.training; do
  # The private package folder holds what was restored, with the source it came from.
  meta="$work/packages/$id/$version/.nupkg.metadata"
  grep -q "$(cd "$feed" && pwd)" "$meta" || { echo "$id was not restored from $feed:" >&2; cat "$meta" >&2; exit 1; }
done
dotnet "$consumer/bin/Release/net10.0/PackageConsumer.dll" "$work/out"

echo "== the training package's closure has no native assets"
python3 - "$consumer/obj/project.assets.json" <<'PY'
import json, sys
assets = json.load(open(sys.argv[1]))
libs = assets["targets"]["net10.0"]
def closure(name, seen):
    for key, lib in libs.items():
        if key.split("/")[0].lower() == name.lower() and key not in seen:
            seen.add(key)
            for dep in lib.get("dependencies", {}):
                closure(dep, seen)
    return seen
keys = closure("HammingIndex.Training", set())
native = []
for key in sorted(keys):
    lib = libs[key]
    files = list(lib.get("runtimeTargets", {})) + list(lib.get("native", {}))
    files += [f for f in assets["libraries"][key].get("files", []) if f.startswith("runtimes/") and "/native/" in f]
    native += [f"{key}: {f}" for f in files]
print("closure:", ", ".join(sorted(keys)))
if native:
    print("native assets in the closure of HammingIndex.Training:\n  " + "\n  ".join(native))
    sys.exit(1)
print("no native assets")
PY

echo "== install the tool from $feed"
# A config with no sources, so --add-source is the only place the tool can come from (a tool package
# carries its dependencies).
printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n' > "$work/NuGet.config"
dotnet tool install hamming --version "$version" --tool-path "$work/tools" --configfile "$work/NuGet.config" --add-source "$feed"
printed=$("$work/tools/hamming" --version)
echo "hamming --version: $printed"
case $printed in "$version" | "$version+"*) ;; *) echo "hamming --version does not print $version" >&2; exit 1 ;; esac
"$work/tools/hamming" search --store "$work/out/images.hstore" --queries "$work/out/queries.npy" \
  --model "$work/out/model.scratch" --modality text --top-k 5 | tee "$work/search.txt"
[ -s "$work/search.txt" ] || { echo "hamming search printed nothing" >&2; exit 1; }

echo "== package sizes"
for f in "$feed"/*.nupkg "$feed"/*.snupkg; do
  stat -c '%s %n' "$f"
done | awk '{ n = split($2, p, "/"); printf "%-52s %10.1f KB\n", p[n], $1 / 1024 }'
