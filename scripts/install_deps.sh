#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need (idempotent).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  protobuf-compiler libprotobuf-dev      # NoteSequence / SequenceExample / bundle schemas
  libdnnl-dev                            # oneDNN: the matrix products of the network
  libpugixml-dev                         # MusicXML
  libzip-dev                             # compressed MusicXML (.mxl)
  zlib1g-dev                             # gzip-compressed model files (.safetensors.gz)
  nettle-dev                             # SHA-1 of NoteSequence ids
  nlohmann-json3-dev                     # JSON output (dump, evaluate, checkpoint headers)
  libgtest-dev                           # tests
  python3 python3-mido                   # MIDI parity test against the reference script
  timidity                               # renders our MIDI output in a test
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
