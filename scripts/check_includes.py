#!/usr/bin/python3
"""Checks that the modules under src/ depend in one direction (doc/design.md, "Layers").

Reads every `#include "module/file.h"` line of src/, tools/, python/, fuzz/ and tests/ and
fails (exit 1, one line per fault) when
  * a module of src/ includes a module of its own layer or of a higher one (an upward
    include), or a folder of src/ that is not in LAYERS (every module must have a place);
  * the modules' include graph has a cycle (implied by the first rule; checked on its own
    so that the message names the cycle);
  * a file outside src/ is included from src/ (tools, tests, fuzzers and the Python module
    sit above every module: nothing in the library may reach them).
There is no list of exceptions: a file that needs to reach up belongs in a higher module.

Usage: scripts/check_includes.py [repository root]   (default: this script's parent folder)
"""
import os
import re
import sys

# Lowest first. A module may include its own files and those of any module in a LOWER
# layer; modules of one layer are siblings and do not include each other.
LAYERS = [
    ["base"],                          # errors, files, flags, logging, tfrecord, statistics
    ["music"],                         # NoteSequences: MIDI/MusicXML/ABC in and out
    ["performance", "render"],         # the event encoding; piano rolls and audio
    ["nn"],                            # network kernels: training and inference, batches
    ["model"],                         # model files: checkpoints, bundles, hparams, loader
    ["data"],                          # datasets: SequenceExamples, pipelines, batching
    ["train", "generate", "quality"],  # the engines, and the judging of their output
    ["studio"],                        # the browser studio (server, engine)
]
OUTSIDE = ["tools", "python", "fuzz", "tests"]  # above every layer

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE = (".h", ".cc", ".cpp", ".hpp")


def module_includes(root):
    """Yields (file, line number, module of file, included module) for src/'s includes."""
    src = os.path.join(root, "src")
    for folder, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith(SOURCE):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            module = os.path.relpath(path, src).split(os.sep)[0]
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = m.group(1)
                    if "/" not in target:  # a file beside this one
                        yield rel, number, module, module, target
                    else:
                        yield rel, number, module, target.split("/")[0], target


def find_cycle(graph):
    """A list of modules forming a cycle in graph (module -> set of modules), or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    rank = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    generated = {"proto"}  # the build's generated protobuf headers (proto/*.pb.h): below base
    faults = []
    graph = {}
    src_modules = sorted(d for d in os.listdir(os.path.join(root, "src"))
                         if os.path.isdir(os.path.join(root, "src", d)))
    for module in src_modules:
        if module not in rank:
            faults.append(f"src/{module}/: a module with no layer in scripts/check_includes.py")
    for rel, number, module, target, text in module_includes(root):
        if module not in rank or target == module or target in generated:
            continue
        where = f"{rel}:{number}: #include \"{text}\""
        if target in OUTSIDE:
            faults.append(f"{where}: the library includes {target}/, which sits above it")
            continue
        if target not in rank:
            continue  # a system or third-party header spelled with quotes
        graph.setdefault(module, set()).add(target)
        if rank[target] >= rank[module]:
            kind = "a sibling" if rank[target] == rank[module] else "a higher"
            faults.append(f"{where}: {module} (layer {rank[module]}) includes {kind} "
                          f"module {target} (layer {rank[target]})")
    cycle = find_cycle(graph)
    if cycle:
        faults.append("include cycle between modules: " + " -> ".join(cycle))
    for fault in faults:
        print(fault)
    if faults:
        print(f"check_includes: {len(faults)} fault(s); the layers are in doc/design.md")
        return 1
    print(f"check_includes: {len(src_modules)} modules in {len(LAYERS)} layers, "
          "no upward include, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
