#!/usr/bin/env python3
"""Piece-level train/eval split of the ASAP performances for the shipped model.

A piece is a folder holding performances (e.g. Chopin/Etudes_op_10/3); folder names
differing only by a "_no_repeat" suffix are the same piece. Every 10th piece in sorted
order goes to eval. Score files (midi_score.mid) are not performances and are skipped.

Usage: asap_split.py ASAP_DIR OUT_DIR
Creates OUT_DIR/train and OUT_DIR/eval holding symlinks to the performance MIDI files
(same relative paths) and OUT_DIR/eval_pieces.txt listing the held-out pieces.
"""
import os
import sys


def piece_of(relative_dir):
    parts = relative_dir.split(os.sep)
    parts[-1] = parts[-1].replace("_no_repeat", "")
    return "/".join(parts)


def main():
    asap, out = sys.argv[1], sys.argv[2]
    performances = {}
    for root, _, files in os.walk(asap):
        for name in files:
            if name.endswith(".mid") and name != "midi_score.mid":
                relative = os.path.relpath(os.path.join(root, name), asap)
                performances.setdefault(piece_of(os.path.dirname(relative)), []).append(relative)
    pieces = sorted(performances)
    eval_pieces = set(pieces[5::10])
    counts = {"train": 0, "eval": 0}
    for piece in pieces:
        split = "eval" if piece in eval_pieces else "train"
        for relative in performances[piece]:
            target = os.path.join(out, split, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.lexists(target):
                os.symlink(os.path.abspath(os.path.join(asap, relative)), target)
            counts[split] += 1
    with open(os.path.join(out, "eval_pieces.txt"), "w") as f:
        f.write("\n".join(sorted(eval_pieces)) + "\n")
    print("pieces: %d train, %d eval; performances: %d train, %d eval"
          % (len(pieces) - len(eval_pieces), len(eval_pieces), counts["train"], counts["eval"]))


if __name__ == "__main__":
    main()
