#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every Catch2 test case must reach ctest whole. catch_discover_tests hands each name to CMake,
# where ';' separates list items: a name holding one is registered as two tests that select
# nothing and pass without running. This check fails on such a name.
#
#   test_names.sh TEST_BINARY...
set -u
status=0
for binary in "$@"; do
    # Catch2 2.x exits with the number of tests listed, so the output is what tells
    names=$("$binary" --list-test-names-only)
    [ -n "$names" ] || { echo "FAIL: $binary --list-test-names-only listed nothing"; exit 1; }
    bad=$(grep -F ';' <<<"$names")
    if [ -n "$bad" ]; then
        echo "FAIL: $(basename "$binary"): test names with ';' (CMake splits them; use ' - '):"
        echo "$bad"
        status=1
    fi
    echo "$(basename "$binary"): $(grep -c . <<<"$names") test names checked"
done
exit $status
