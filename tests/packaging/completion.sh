#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bash completion (packaging/bash-completion/sandbox) against the built binary: source it,
# call _sandbox with COMP_WORDS/COMP_CWORD as bash would set them (split at = and :), and check
# COMPREPLY.
#
#   completion.sh COMPLETION_SCRIPT SANDBOX_BINARY
set -u
script=$1 sandbox=$2
failed=0

# shellcheck source=/dev/null
source "$script" || { echo "FAIL: sourcing $script"; exit 1; }
complete -p sandbox >/dev/null || { echo "FAIL: no completion registered for sandbox"; exit 1; }

# complete WORD... : the words after the binary, as bash splits them; the last one is being
# completed (give "" for a fresh word)
complete_words() {
    COMP_WORDS=("$sandbox" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _sandbox
}

# expect "DESCRIPTION" WANTED... -- WORD...: every WANTED among the replies
expect() {
    local what=$1 want=() w r found
    shift
    while [ "$1" != "--" ]; do want+=("$1"); shift; done
    shift
    complete_words "$@"
    for w in "${want[@]}"; do
        found=0
        for r in "${COMPREPLY[@]}"; do [ "$r" = "$w" ] && found=1; done
        if [ $found = 0 ]; then
            echo "FAIL: $what: \`sandbox $*<TAB>\` offers no \"$w\" (got: ${COMPREPLY[*]:0:20})"
            failed=1
        fi
    done
}

# expect_not "DESCRIPTION" UNWANTED -- WORD...
expect_not() {
    local what=$1 no=$2 r
    shift 3
    complete_words "$@"
    for r in "${COMPREPLY[@]}"; do
        if [ "$r" = "$no" ]; then
            echo "FAIL: $what: \`sandbox $*<TAB>\` offers \"$no\""
            failed=1
        fi
    done
}

expect "commands" run attach lesson check policy doctor help -- ""
expect "a command from a prefix" policy -- po
expect "global options" --help --version -- --
expect "run's options, from its --help" --profile --policy --ns --rw --cap-add --results -c -- run -
expect "--profile: bundled names" baseline runtime-default deny-mkdir -- run --profile ""
expect "--profile: a prefix" deny-mkdir deny-network -- run --profile de
expect_not "--profile: a prefix" baseline -- run --profile de
files=$(mktemp -d)
touch "$files/mine.json"
pushd "$files" >/dev/null || exit 1
expect_not "--profile: no files (a file is --policy FILE)" mine.json -- run --profile ""
expect "--policy: files" mine.json -- run --policy ""
popd >/dev/null || exit 1
rm -rf "$files"
expect "--profile=NAME" runtime-default -- run --profile = run
expect "-e trace=: syscall names" openat open_tree -- run -e trace = open
expect "-e trace=: every name" read execve all none %file -- run -e trace =
expect "-e trace=: classes" %file -- run -e trace = %fi
expect "-e trace=: a list" openat,write -- run -e trace = openat,wri
expect "-e trace=: negated" '!%network' -- run -e trace = '!%net'
expect "-e: the keys" trace= inject= -- run -e ""
expect "--ns: a list" user,pid -- run --ns user,p
expect "-S: the sort keys" calls denied -- run -S ""
expect "after --: commands" echo -- run -- ech
expect "check: its own and run's options" --policy --enforce --rw -- check --
expect "attach: its options" --seconds -- attach --
expect "lesson: actions and numbers" 1 12 verify shell status -- lesson ""
expect "lesson verify: numbers" 1 2 -- lesson verify ""
expect_not "lesson verify: numbers only" verify -- lesson verify ""
expect "lesson: options" --task --no-input -- lesson 1 --
expect "policy: subcommands" validate explain list record lint diff export install audit-log -- policy ""
expect "policy explain: options" --profile --all --no-pfc -- policy explain --
expect "policy explain --profile" baseline -- policy explain --profile ""
expect "policy diff profile:NAME" baseline -- policy diff profile : ba
expect "policy export --format" pod spo -- policy export x.json --format ""
expect "help: topics" run policy -- help ""

if [ $failed != 0 ]; then exit 1; fi
echo "completion: all cases pass"
