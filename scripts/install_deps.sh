#!/usr/bin/env bash
# Installs the Debian 12 packages that the README's two commands (build, generate, tests)
# need on a minimal Debian 12 (no recommends, no compilers, no python). Idempotent: only
# missing packages are installed, and they are named before apt-get runs.
set -euo pipefail
packages=(
  ca-certificates
  build-essential cmake ninja-build pkg-config git
  protobuf-compiler libprotobuf-dev      # NoteSequence / SequenceExample / bundle schemas
  libdnnl-dev                            # oneDNN: the matrix products of the network
  ocl-icd-opencl-dev                     # oneDNN's CMake config requires OpenCL (only recommended)
  libpugixml-dev                         # MusicXML
  libzip-dev                             # compressed MusicXML (.mxl)
  zlib1g-dev                             # gzip-compressed model files (.safetensors.gz)
  nettle-dev                             # SHA-1 of NoteSequence ids
  nlohmann-json3-dev                     # JSON output (dump, evaluate, checkpoint headers)
  libgtest-dev                           # tests
  libopenmpi-dev openmpi-bin             # data-parallel training under mpirun (doc/distributed.md)
  python3 python3-mido                   # MIDI parity test against the reference script
  timidity timgm6mb-soundfont            # renders our MIDI output in a test (with TimGM6mb's patches)
  libfluidsynth-dev                      # render: WAV synthesis through FluidSynth's C API (TimGM6mb: its default SoundFont)
  libpng-dev                             # render: PNG piano rolls
  pybind11-dev python3-dev               # the Python module performance_rnn
  python3-protobuf python3-numpy         # the module's NoteSequence messages and numpy samples
  python3-pytest                         # the module's tests (CTest python_module_test)
  jupyter-nbconvert python3-nbclient python3-ipykernel  # executes the notebook (CTest notebook_test)
  libboost-dev                           # Boost.Beast/Asio (header-only): the studio's HTTP + WebSocket
  chromium chromium-driver python3-selenium  # the studio's browser test (headless Chromium)
  clang-format-14                        # the formatting check (CTest check_format)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install_deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install_deps: all ${#packages[@]} packages already installed"
fi
