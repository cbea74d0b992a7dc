#!/bin/bash
# Our checkpoints follow the published safetensors layout: a plain Python reader (struct
# + json, written from the spec, no code of ours) finds the weights, their shapes and the
# metadata. Usage: checkpoint_python_test.sh BINARY SOURCE_DIR SHARED_DIR
set -euo pipefail
binary=$1 shared=$3
if [ ! -d "$shared/data" ]; then  # the shared test data (CTest: SKIP_RETURN_CODE 77)
  echo "SKIPPED: the shared test data ($shared) is absent"; exit 77
fi
if ! command -v python3 > /dev/null; then echo "SKIP: no python3"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" train --config=performance_with_dynamics --run_dir="$work/run" \
  --note_sequence_file="$shared/data/note_seq" --num_training_steps=2 --log=WARN \
  --hparams='batch_size=2,rnn_layer_sizes=[8,8]' --precision=fp32
"$binary" export --run_dir="$work/run" --output="$work/model.safetensors" --dtype=bf16
python3 - "$work/run/train/model.ckpt-2.safetensors" "$work/model.safetensors" <<'PY'
import json, struct, sys

def load(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    spans = sorted(tuple(v["data_offsets"]) for k, v in header.items() if k != "__metadata__")
    assert spans[0][0] == 0 and spans[-1][1] == len(data), "tensors must tile the buffer"
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), "no gaps"
    return header, data

header, data = load(sys.argv[1])
meta = header["__metadata__"]
assert meta["format"] == "prnn-checkpoint" and meta["config"] == "performance_with_dynamics"
assert meta["global_step"] == "2", meta
kernel = header["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel"]
assert kernel["dtype"] == "F32" and kernel["shape"] == [388 + 8, 32], kernel
assert header["rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel"]["shape"] == [16, 32]
assert header["fully_connected/weights"]["shape"] == [8, 388]
assert header["fully_connected/biases"]["shape"] == [388]
assert "fully_connected/weights/Adam_1" in header
b, e = kernel["data_offsets"]
weights = struct.unpack("<%df" % ((e - b) // 4), data[b:e])
limit = (6 / (396 + 32)) ** 0.5 + 0.01  # Glorot bound plus two small Adam steps
assert max(abs(w) for w in weights) < limit, max(abs(w) for w in weights)

exported, edata = load(sys.argv[2])
assert not any(k.endswith("/Adam") for k in exported)
ek = exported["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel"]
assert ek["dtype"] == "BF16"
b2, e2 = ek["data_offsets"]
halves = struct.unpack("<%dH" % ((e2 - b2) // 2), edata[b2:e2])
as_float = [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in halves]
assert all(abs(x - w) <= abs(w) / 128 + 1e-30 for x, w in zip(as_float, weights))
print("python reader: ok")
PY
