#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validate sandbox's JSON output against docs/schema/*.schema.json (docs/json.md).

  validate_json.py SCHEMA FILE [--lines] [--kubernetes]
      FILE holds one JSON document, or with --lines one per line (run --json, attach --json).
      Each is validated with python3-jsonschema; then every key sandbox owns must be snake_case:
      the keys under "decoded" (kernel struct fields) and "pod_snippet" (Kubernetes) are not
      sandbox's, and --kubernetes (policy export: a Kubernetes object, not a report) skips the
      key check altogether.
  validate_json.py --closed SCHEMA_DIR
      Every object schema in every file lists its properties and refuses others
      (additionalProperties: false), and every report requires schema_version: a new key, a
      camelCase one above all, fails validation until the schema and docs/json.md name it.
      A schema whose $comment starts "foreign keys:" (an embedded Kubernetes object) is not
      sandbox's; one starting "dispatch:" hands each document to a closed schema by its type.

Exit status: 0 valid, 1 invalid (each problem printed), 77 python3-jsonschema is missing (the
test is reported as skipped, never as passed), 2 usage.
"""
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("SKIPPED: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

FOREIGN_KEYS = {"decoded", "pod_snippet"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Schemas of documents that are not sandbox's reports: no schema_version, foreign keys.
NOT_REPORTS = {"policy-export.schema.json"}


def key_problems(value, path="$"):
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}"
            if not SNAKE.match(k):
                yield f"{where}: key {k!r} is not snake_case"
            if k not in FOREIGN_KEYS:
                yield from key_problems(v, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from key_problems(v, f"{path}[{i}]")


def validate(schema_path, file_path, lines, kubernetes):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    with open(file_path, encoding="utf-8") as f:
        text = f.read()
    docs = []
    if lines:
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                docs.append((f"line {n}", line))
    else:
        docs.append(("document", text))
    if not docs:
        print(f"{file_path}: no JSON document")
        return 1
    problems = 0
    for where, raw in docs:
        try:
            doc = json.loads(raw)
        except ValueError as e:
            print(f"{where}: not JSON ({e}): {raw[:200]}")
            problems += 1
            continue
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                 for p in error.absolute_path)
            message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
            print(f"{where}: {path}: {message}")
            problems += 1
        if not kubernetes:
            for p in key_problems(doc):
                print(f"{where}: {p}")
                problems += 1
    if problems:
        print(f"{problems} problem(s) against {os.path.basename(schema_path)}")
        return 1
    print(f"{len(docs)} document(s) valid against {os.path.basename(schema_path)}")
    return 0


def closed_problems(node, where):
    if isinstance(node, dict):
        comment = node.get("$comment", "")
        if comment.startswith("foreign keys:"):
            return  # an embedded Kubernetes object: its own keys, its own rules
        dispatch = comment.startswith("dispatch:")  # closed in the schemas it dispatches to
        if node.get("type") == "object" and "properties" in node and not dispatch:
            if node.get("additionalProperties") is not False:
                yield f"{where}: an object schema without additionalProperties: false"
            for k in node["properties"]:
                if not SNAKE.match(k):
                    yield f"{where}: property {k!r} is not snake_case"
        for k, v in node.items():
            if k in ("properties", "$defs"):
                for name, sub in v.items():
                    yield from closed_problems(sub, f"{where}/{k}/{name}")
            else:
                yield from closed_problems(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from closed_problems(v, f"{where}/{i}")


def check_closed(directory):
    problems = 0
    files = sorted(f for f in os.listdir(directory) if f.endswith(".schema.json"))
    for name in files:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.validators.validator_for(schema).check_schema(schema)
        if name in NOT_REPORTS:
            continue
        for p in closed_problems(schema, name):
            print(p)
            problems += 1
        # Every report says which version of the interface it is.
        text = json.dumps(schema)
        if '"schema_version"' not in text:
            print(f"{name}: no schema_version")
            problems += 1
    if not files:
        print(f"{directory}: no schema files")
        return 1
    print(f"{len(files)} schema file(s) checked, {problems} problem(s)")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 2 and argv[0] == "--closed":
        return check_closed(argv[1])
    flags = [a for a in argv if a.startswith("--")]
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2 or any(f not in ("--lines", "--kubernetes") for f in flags):
        print(__doc__)
        return 2
    return validate(args[0], args[1], "--lines" in flags, "--kubernetes" in flags)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
