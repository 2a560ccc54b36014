#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` into a temporary DESTDIR, with the package's prefix (/usr): the FHS layout,
# and an installed binary that finds its lessons and their programs relative to itself
# (SANDBOX_LESSONS unset, run from /) and holds no path of the source or build tree.
#
#   install.sh BUILD_DIR SOURCE_DIR MAN_PAGES(1|0) [SANITIZED(1|0)]
# Exits 77 (skipped) when a tool it needs is missing.
set -u
build=$1 source=$2 man=$3 sanitized=${4:-0}
for tool in cmake strings; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIPPED: $tool is not installed (Debian: binutils for strings)"
        exit 77
    fi
done
dest=$(mktemp -d /var/tmp/sandbox-install-test.XXXXXX)
trap 'rm -rf "$dest"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }

if ! DESTDIR="$dest" cmake --install "$build" --prefix /usr --strip >"$dest.log" 2>&1; then
    cat "$dest.log"
    rm -f "$dest.log"
    echo "FAIL: cmake --install"
    exit 1
fi
rm -f "$dest.log"

root=$dest/usr
for f in bin/sandbox \
    share/sandbox/lessons/README.md share/sandbox/lessons/01-execve/lesson.json \
    share/sandbox/lessons/04-attach/demo-service.c \
    libexec/sandbox/demo-service libexec/sandbox/race-demo libexec/sandbox/suspicious-service \
    share/bash-completion/completions/sandbox \
    share/doc/sandbox/README.md share/doc/sandbox/LICENSE share/doc/sandbox/SECURITY.md \
    share/doc/sandbox/copyright share/doc/sandbox/changelog.Debian.gz \
    share/doc/sandbox/policies/README.md; do
    [ -e "$root/$f" ] || fail "not installed: /usr/$f"
done
if [ "$man" = 1 ]; then
    for p in sandbox sandbox-run sandbox-check sandbox-policy sandbox-lesson sandbox-attach sandbox-doctor; do
        f=share/man/man1/$p.1.gz
        [ -s "$root/$f" ] || fail "not installed: /usr/$f"
    done
    gzip -t "$root/share/man/man1/sandbox.1.gz" || fail "sandbox.1.gz is not gzip"
fi
for x in bin/sandbox libexec/sandbox/demo-service; do
    [ -x "$root/$x" ] || fail "not executable: /usr/$x"
done
[ ! -e "$root/share/sandbox/lessons/CMakeLists.txt" ] || fail "lessons/CMakeLists.txt installed"
# nothing outside the prefix
extra=$(cd "$dest" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$extra" ] || fail "installed outside /usr: $extra"

# The installed binary, with no hint where the lessons are: from /, SANDBOX_LESSONS unset.
state=$(mktemp -d /var/tmp/sandbox-install-state.XXXXXX)
trap 'rm -rf "$dest" "$state"' EXIT
run() { (cd / && env -u SANDBOX_LESSONS XDG_STATE_HOME="$state" HOME="$state" "$root/bin/sandbox" "$@" 2>&1); }
out=$(run lesson)
echo "$out" | grep -q '^1 .*execve' || fail "sandbox lesson (installed) does not list lesson 1: $out"
out=$(run lesson show 4)
echo "$out" | grep -qF "$root/libexec/sandbox/demo-service" ||
    fail "lesson 4's {bin} is not the installed libexec/sandbox: $(echo "$out" | grep -m1 demo-service)"
# without them, the error says where it looked and what to do (unless a prefix install elsewhere
# on this machine has lessons: then that is what the binary finds, as it should)
mv "$root/share/sandbox/lessons" "$root/share/sandbox/moved"
out=$(run lesson)
if echo "$out" | grep -q "looked in"; then
    echo "$out" | grep -qF "$root/share/sandbox/lessons" || fail "the not-found error does not say where it looked: $out"
    echo "$out" | grep -qF "SANDBOX_LESSONS=DIR" || fail "the not-found error does not name SANDBOX_LESSONS: $out"
else
    echo "note: lessons found outside DESTDIR (an install in the prefix?): not-found error unchecked"
fi
mv "$root/share/sandbox/moved" "$root/share/sandbox/lessons"

# no source or build path in the installed (stripped) binary. Not for an ASan+UBSan build: the
# sanitizers keep each source file's path for their reports, and such a build is never packaged.
trees=("$source" "$(cd "$build" && pwd)")
if [ "$sanitized" = 1 ]; then
    echo "note: sanitizer build: its reports name source files, the path check is for release builds"
    trees=()
fi
for tree in "${trees[@]}"; do
    hits=$(strings "$root/bin/sandbox" | grep -F "$tree" | head -3)
    [ -z "$hits" ] || fail "the installed binary holds $tree: $hits"
done

[ $failed = 0 ] || exit 1
echo "install: layout and relocatable lookup pass"
