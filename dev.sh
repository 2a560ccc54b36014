#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Set up, build and run sandbox, or its whole test suite. See README.md "Quick start".
#
#   ./dev.sh sandbox ARGS...   install what is missing, build, then run `sandbox ARGS...`
#   ./dev.sh test              install what is missing, build, run every test (normal build,
#                              ASan+UBSan build, and the unprivileged part as uid 65534)
#   ./dev.sh setup             install what is missing and build, nothing else
#   ./dev.sh bench [ARGS...]   release build, then bench/bench.py (writes bench/RESULTS.md)
#   ./dev.sh fuzz [SECONDS]    clang build, then the policy fuzzer for SECONDS (default 60)
#   ./dev.sh package           RelWithDebInfo build, then the Debian package (build-pkg/*.deb)
#
# Fast when nothing changed: a dpkg query and an incremental build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD="$ROOT/build"
BUILD_ASAN="$ROOT/build-asan"
BUILD_FUZZ="$ROOT/build-fuzz"
JOBS=$(nproc 2>/dev/null || echo 2)

# Debian packages the project needs: build tools, libraries, test tools, packaging (help2man for
# the man pages, dpkg-dev's dpkg-shlibdeps for the .deb's Depends).
PACKAGES=(g++ cmake make pkg-config libseccomp-dev libcap-dev nlohmann-json3-dev libfmt-dev libyaml-cpp-dev catch2
          util-linux strace runc clang libclang-rt-14-dev help2man dpkg-dev python3-jsonschema)

say() { printf '==> %s\n' "$*" >&2; }

install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "sandbox: these Debian packages are missing: ${missing[*]}" >&2
        echo "  install them as root with:" >&2
        echo "    $cmd" >&2
        exit 1
    fi
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() { # build DIR [cmake args...]
    local dir=$1
    shift
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        say "configuring $dir"
        cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DSANDBOX_WERROR=ON "$@" >/dev/null
    fi
    cmake --build "$dir" -j "$JOBS" -- --no-print-directory >/dev/null 2>"$dir/build.log" || {
        cat "$dir/build.log" >&2
        echo "sandbox: the build in $dir failed (log above)" >&2
        exit 1
    }
}

setup() {
    install_packages
    build "$BUILD"
}

# Totals over every suite, printed as the last line.
PASSED=0 FAILED=0 SKIPPED=0

# The tests' programs and data, copied to a fresh directory every uid can read and every sandbox
# shows: the checkout may live where uid 65534 cannot enter (a root user's clone under /root, mode
# 0700) or where the sandbox hides it (/tmp is a private tmpfs inside; so is a root caller's
# /root). Prints the directory; the tests find everything there through these variables.
stage() { # stage BUILD_DIR
    local build=$1 dir
    dir=$(mktemp -d /var/tmp/sandbox-stage.XXXXXX)
    cp "$build/sandbox" "$build/bench/threads" "$dir/"
    find "$build/tests" -maxdepth 1 -type f -perm -u+x -exec cp {} "$dir/" \;
    cp -r "$ROOT/policies" "$dir/policies"
    cp -r "$ROOT/lessons" "$dir/lessons"
    mkdir -p "$dir/tests" && cp -r "$ROOT/tests/fixtures" "$dir/tests/fixtures"
    # the JSON schemas and their validator (tests/integration/test_json_schema.cpp)
    cp -r "$ROOT/tests/schema" "$dir/tests/schema"
    mkdir -p "$dir/docs" && cp -r "$ROOT/docs/schema" "$dir/docs/schema"
    # {bin}: the lessons' programs (demo-service, race-demo, ...), next to the binary in lessons/
    find "$build/lessons" -maxdepth 1 -type f -perm -u+x -exec cp {} "$dir/lessons/" \;
    chmod -R a+rX "$dir"
    chmod 1777 "$dir"
    echo "$dir"
}

staged_env() { # staged_env DIR: the variables that point the tests at a staged copy
    local d=$1
    echo SANDBOX_BIN="$d/sandbox" PROBE_BIN="$d/probe" STORM_BIN="$d/storm" THREADS_BIN="$d/threads" \
        TICKER_BIN="$d/ticker" ESCAPE_BIN="$d/escape" OLD_RUNTIME_BIN="$d/old_runtime" \
        SANDBOX_SOURCE_DIR="$d" SANDBOX_LESSONS="$d/lessons"
}

run_ctest() { # run_ctest DIR LABEL
    local dir=$1 label=$2 log staged
    log=$(mktemp)
    staged=$(stage "$dir")
    say "tests: $label"
    local rc=0
    # shellcheck disable=SC2046 # staged_env prints KEY=VALUE words without spaces
    (cd "$dir" && env $(staged_env "$staged") ctest --output-on-failure -j "$JOBS" --timeout 300) 2>&1 |
        tee "$log" || rc=$?
    rm -rf "$staged"
    local total failed skipped
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n1)
    failed=$(sed -n 's/.* \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -n1)
    skipped=$(grep -c '\*\*\*Skipped' "$log" || true)
    rm -f "$log"
    total=${total:-0}
    failed=${failed:-1}
    PASSED=$((PASSED + total - failed - skipped))
    FAILED=$((FAILED + failed))
    SKIPPED=$((SKIPPED + skipped))
}

# The tests that must also hold for an ordinary user: run the built test binaries as uid 65534,
# one test case per process (a skipped case exits with 77), from a staged copy, JOBS at a time
# (as ctest runs them), reported in order.
run_one_unprivileged() { # run_one_unprivileged DIR BIN NAME N: exit status in DIR/rc.N
    local dir=$1 bin=$2 name=$3 n=$4 rc=0
    # Catch2 reads , [ ] in a name as syntax: escape them as catch_discover_tests does.
    local spec=${name//,/\\,}
    spec=${spec//[/\\[}
    spec=${spec//]/\\]}
    # shellcheck disable=SC2046
    (cd "$dir" && timeout 300 setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all \
        env HOME="$dir" $(staged_env "$dir") "$dir/$bin" "$spec" >"$dir/out.$n" 2>&1) || rc=$?
    echo "$rc" >"$dir/rc.$n"
}

run_unprivileged() {
    if [ "$(id -u)" -ne 0 ]; then
        say "tests as uid 65534: skipped (needs root to switch user; you already are unprivileged)"
        return 0
    fi
    local dir
    dir=$(stage "$BUILD")
    say "tests as uid 65534 (unit and integration)"
    local bin name rc p=0 f=0 s=0 n=0 i
    local names=()
    for bin in unit_tests integration_tests; do
        while IFS= read -r name; do
            [ -n "$name" ] || continue
            n=$((n + 1))
            names[n]=$name
            run_one_unprivileged "$dir" "$bin" "$name" "$n" &
            while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
        done < <("$dir/$bin" --list-test-names-only | grep -v '^$')
    done
    wait
    for ((i = 1; i <= n; i++)); do
        rc=$(cat "$dir/rc.$i" 2>/dev/null || echo 1)
        case $rc in
        0) p=$((p + 1)) ;;
        77) s=$((s + 1)); echo "  skipped as uid 65534: ${names[i]} ($(grep -m1 SKIPPED "$dir/out.$i" | cut -c10-))" ;;
        *) f=$((f + 1)); echo "  FAILED as uid 65534: ${names[i]}"; sed 's/^/    /' "$dir/out.$i" ;;
        esac
    done
    rm -rf "$dir"
    echo "uid 65534: $p passed, $f failed, $s skipped"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    SKIPPED=$((SKIPPED + s))
}

run_fuzz() { # run_fuzz SECONDS
    local seconds=$1 corpus log rc=0
    CC=clang CXX=clang++ build "$BUILD_FUZZ" -DSANDBOX_FUZZ=ON -DSANDBOX_TESTS=OFF
    corpus=$(mktemp -d)
    log=$(mktemp)
    cp "$ROOT"/policies/*.json "$corpus/"
    cp "$ROOT"/tests/fixtures/*.json "$corpus/" 2>/dev/null || true
    cp "$ROOT"/tests/fuzz/regressions/* "$corpus/" # inputs that once crashed or hung it
    say "fuzz: policy load -> compile for ${seconds}s"
    (cd "$BUILD_FUZZ" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ./tests/fuzz/fuzz_policy -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 "$corpus" >"$log" 2>&1) || rc=$?
    if [ "$rc" -eq 0 ]; then grep -E '^(Done|stat::number_of_executed_units)' "$log" >&2 || true; else cat "$log" >&2; fi
    rm -rf "$corpus" "$log"
    return "$rc"
}

cmd=${1:-}
case $cmd in
setup)
    setup
    say "built $BUILD/sandbox"
    ;;
sandbox)
    shift
    setup
    exec "$BUILD/sandbox" "$@"
    ;;
bench)
    shift
    install_packages
    # The harness needs python3; bubblewrap is compared against when present.
    for tool in python3:python3 bwrap:bubblewrap; do
        if ! command -v "${tool%%:*}" >/dev/null && [ "$(id -u)" -eq 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tool#*:}" >/dev/null || true
        fi
    done
    build "$ROOT/build-release" -DCMAKE_BUILD_TYPE=Release -DSANDBOX_WERROR=OFF -DSANDBOX_TESTS=OFF
    exec python3 "$ROOT/bench/bench.py" --build "$ROOT/build-release" "$@"
    ;;
test)
    setup
    run_ctest "$BUILD" "debug build (warnings are errors)"
    build "$BUILD_ASAN" -DSANDBOX_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_ctest "$BUILD_ASAN" "ASan+UBSan build"
    run_unprivileged
    if run_fuzz 60; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        echo "  FAILED: fuzz_policy (the crashing input is in $BUILD_FUZZ)"
    fi
    echo "all suites: $PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
    ;;
package)
    install_packages
    build "$ROOT/build-pkg" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr -DSANDBOX_WERROR=OFF \
        -DSANDBOX_TESTS=OFF
    (cd "$ROOT/build-pkg" && cpack -G DEB >/dev/null)
    say "built $(ls "$ROOT"/build-pkg/sandbox_*.deb) (install it with: apt install ./build-pkg/sandbox_*.deb)"
    ;;
fuzz)
    shift
    install_packages
    run_fuzz "${1:-60}"
    ;;
*)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || exit 2
    ;;
esac
