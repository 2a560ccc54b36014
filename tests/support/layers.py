#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""No module includes one above it.

The layers are ARCHITECTURE.md's table under "## Layers" (one home for the fact): each row is
`| N | `module/`, `file.hpp`, ... | ... |`. Every #include "..." of a file under runner/ must name
a file of the same layer or a lower one; a file or module the table does not place is an error
too, so a new module has to be given its layer.

    layers.py SOURCE_DIR
"""
import os
import re
import sys


def read_layers(architecture):
    text = open(architecture, encoding="utf-8").read()
    section = text.split("## Layers", 1)
    if len(section) < 2:
        sys.exit(f"FAIL: {architecture} has no '## Layers' section")
    layers = {}
    for line in section[1].split("\n## ", 1)[0].splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|([^|]*)\|", line)
        if not m:
            continue
        for name in re.findall(r"`([^`]+)`", m.group(2)):
            # `cli.*` names cli.hpp and cli.cpp; `commands/` a folder
            layers[name.replace(".*", "")] = int(m.group(1))
    if not layers:
        sys.exit(f"FAIL: no layer rows under '## Layers' in {architecture}")
    return layers


def layer_of(path, layers):
    """The layer of a path relative to runner/ ("trace/sinks.hpp", "cli.cpp"), or None."""
    if "/" in path:
        return layers.get(path.split("/", 1)[0] + "/")
    for key in (path, os.path.splitext(path)[0]):
        if key in layers:
            return layers[key]
    return None


def main():
    source = sys.argv[1]
    layers = read_layers(os.path.join(source, "ARCHITECTURE.md"))
    runner = os.path.join(source, "runner")
    problems = []
    files = 0
    for root, _, names in os.walk(runner):
        for name in sorted(names):
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.relpath(os.path.join(root, name), runner)
            files += 1
            own = layer_of(path, layers)
            if own is None:
                problems.append(f"{path}: its module has no layer in ARCHITECTURE.md")
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            for number, line in enumerate(text.splitlines(), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                target = m.group(1)
                theirs = layer_of(target, layers)
                if theirs is None:
                    problems.append(f"{path}:{number}: includes {target}, whose module has no layer")
                elif theirs > own:
                    problems.append(f"{path}:{number}: layer {own} includes {target} of layer {theirs}")
    for p in problems:
        print("FAIL:", p)
    print(f"{files} files checked against {len(layers)} layer entries")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
