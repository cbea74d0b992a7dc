#!/usr/bin/env bash
# Fetches the Salamander Grand Piano samples (Alexander Holm, CC BY 3.0) that the studio
# page plays, from the npm packages @audio-samples/piano-mp3-velocity{4,8,12,16} (four
# velocity layers, ~22 MB), into DEST (default: web/samples, which `performance_rnn serve`
# serves under /samples/). Without them the page plays its fallback synth.
#   scripts/install_piano_samples.sh [DEST]
# Needs npm (Debian: npm, or nodejs from elsewhere). File names lose their '#'
# (D#4 → Ds4) so that they need no URL escaping; manifest.json lists the layers.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$here/web/samples}"
layers=(4 8 12 16)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
packages=()
for v in "${layers[@]}"; do packages+=("@audio-samples/piano-mp3-velocity$v@1.0.5"); done
echo "install_piano_samples: npm install ${packages[*]}"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "${packages[@]}" >/dev/null)
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
manifest='{"source":"Salamander Grand Piano V3 by Alexander Holm, CC BY 3.0 (creativecommons.org/licenses/by/3.0), via the npm packages @audio-samples/piano-mp3-velocity*","layers":['
first=1
for v in "${layers[@]}"; do
  from="$work/node_modules/@audio-samples/piano-mp3-velocity$v/audio"
  mkdir -p "$dest.tmp/v$v"
  notes=""
  for f in "$from"/*.mp3; do
    name="$(basename "$f" "v$v.mp3")"
    name="${name//#/s}"
    cp "$f" "$dest.tmp/v$v/$name.mp3"
    notes+="${notes:+,}\"$name\""
  done
  # Salamander's 16 layers span MIDI velocities 1-127 evenly: layer v ~ velocity 8 v.
  manifest+="${first:+}$( ((first)) || echo ,){\"dir\":\"v$v\",\"velocity\":$((v * 8)),\"notes\":[$notes]}"
  first=0
done
manifest+=']}'
echo "$manifest" > "$dest.tmp/manifest.json"
cp "$work/node_modules/@audio-samples/piano-mp3-velocity4/README.md" "$dest.tmp/README.md"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "install_piano_samples: $(find "$dest" -name '*.mp3' | wc -l) samples in $dest"
