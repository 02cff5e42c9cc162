#!/usr/bin/env bash
# Fetches the real data sets HammingIndex evaluates on into a git-ignored cache (default .data/,
# or $HAMMINGINDEX_DATA), from package registries only, at pinned versions:
#   .data/mdi/package/{meta.json,svg/*.svg}        npm @mdi/svg 7.4.47 (Material Design Icons)
#   .data/segment/segment-{challenge,test}.arff     Debian weka 3.6.14-3 (UCI Image Segmentation)
# The icons are rasterized by the loader (HammingIndex.Training.Datasets.IconsDataset, SkiaSharp)
# on first load, which caches the pixels as .npy beside meta.json.
# Idempotent: whatever is already in the cache is not fetched again, so a second run is offline.
# Works on a fresh Debian machine: installs npm with apt-get when it is missing (needs root).
set -euo pipefail

MDI_VERSION=7.4.47
WEKA_VERSION=3.6.14-3

root=$(cd "$(dirname "$0")/.." && pwd)
data=${HAMMINGINDEX_DATA:-$root/.data}
mkdir -p "$data"

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "fetch-data: '$*' is missing and installing it needs root (apt-get install $*)." >&2
    exit 1
  fi
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Material Design Icons (npm) ------------------------------------------------------------
mdi="$data/mdi"
if [ -f "$mdi/.complete-$MDI_VERSION" ]; then
  echo "fetch-data: icons: cached in $mdi"
else
  command -v npm >/dev/null || apt_install npm
  rm -rf "$mdi" "$mdi.tmp"
  mkdir -p "$mdi.tmp"
  (cd "$mdi.tmp" && npm pack "@mdi/svg@$MDI_VERSION" --silent >/dev/null)
  tarball=$(ls "$mdi.tmp"/mdi-svg-"$MDI_VERSION".tgz)
  tar -xzf "$tarball" -C "$mdi.tmp"
  test -f "$mdi.tmp/package/meta.json" || { echo "fetch-data: $tarball has no package/meta.json" >&2; exit 1; }
  count=$(ls "$mdi.tmp/package/svg" | wc -l)
  mv "$mdi.tmp" "$mdi"
  touch "$mdi/.complete-$MDI_VERSION"
  echo "fetch-data: icons: @mdi/svg@$MDI_VERSION, $count SVG files in $mdi"
fi

# --- UCI Image Segmentation (Debian weka; no Java needed: only the ARFF examples are used) ----
seg="$data/segment"
if [ -f "$seg/.complete-$WEKA_VERSION" ]; then
  echo "fetch-data: segmentation: cached in $seg"
else
  rm -rf "$seg" "$seg.tmp"
  mkdir -p "$seg.tmp"
  # Fresh package lists first (a fresh machine may have none, or stale ones); needs root.
  if [ "$apt_updated" -eq 0 ] && [ "$(id -u)" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  (cd "$seg.tmp" && apt-get download -qq -o APT::Sandbox::User=root "weka=$WEKA_VERSION")
  dpkg -x "$seg.tmp"/weka_*.deb "$seg.tmp/root"
  examples="$seg.tmp/root/usr/share/doc/weka/examples"
  for f in segment-challenge segment-test; do
    if [ -f "$examples/$f.arff.gz" ]; then gunzip -c "$examples/$f.arff.gz" > "$seg.tmp/$f.arff"
    else cp "$examples/$f.arff" "$seg.tmp/$f.arff"; fi
  done
  rm -rf "$seg.tmp/root" "$seg.tmp"/weka_*.deb
  mv "$seg.tmp" "$seg"
  touch "$seg/.complete-$WEKA_VERSION"
  echo "fetch-data: segmentation: weka $WEKA_VERSION, $(grep -c '^[0-9-]' "$seg/segment-challenge.arff") + $(grep -c '^[0-9-]' "$seg/segment-test.arff") rows in $seg"
fi
