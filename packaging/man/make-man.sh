#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Make the man pages from the binary's own help with help2man: sandbox(1) from `sandbox --help`,
# and sandbox-COMMAND(1) from `sandbox COMMAND --help` for each command. Each page's "Examples:"
# block is set as preformatted lines (help2man would fill it into one paragraph); the rest of a
# page's extra sections are in NAME.h2m beside this script (command.h2m for the commands').
#
#   make-man.sh SANDBOX_BINARY OUT_DIR VERSION
#
# writes OUT_DIR/man1/NAME.1 (`man -l`, or MANPATH=OUT_DIR) and OUT_DIR/gz/NAME.1.gz (installed).
set -eu
sandbox=$1 out=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/man1" "$out/gz"

# Text as roff: \ and - escaped (a man page's - is a hyphen, not the minus a command needs), no
# line starting with a control character.
roff() {
    sed -e '/^\.[fnP][iPf]*$/b' -e 's/\\/\\e/g' -e 's/-/\\-/g' -e 's/^[.'\'']/\\\&&/'
}

# page NAME TOPIC DESCRIPTION
page() {
    name=$1 topic=$2 description=$3
    # help2man runs a program with --help and --version: this one answers for the topic.
    cat >"$work/$name" <<WRAP
#!/bin/sh
case "\$1" in
--version) echo "$name $version" ;;
*) exec "$sandbox" $topic --help ;;
esac
WRAP
    chmod +x "$work/$name"
    {
        if [ -f "$here/$name.h2m" ]; then cat "$here/$name.h2m"; else cat "$here/command.h2m"; fi
        # help2man would fill the "Examples:" block into one paragraph: set it as it is, one
        # command a line, and what follows the block (its last paragraph) after it
        if "$sandbox" ${topic:+"$topic"} --help | grep -q '^Examples:$'; then
            echo
            echo "[=EXAMPLES]"
            echo ".nf"
            "$sandbox" ${topic:+"$topic"} --help |
                awk 'f == 1 && NF == 0 { f = 2; print ".fi"; print ".PP"; next }
                     f == 1 { sub(/^ +/, ""); print; next }
                     f == 2 { print } /^Examples:$/ { f = 1 }
                     END { if (f == 1) print ".fi" }' | roff
        fi
    } >"$work/$name.h2m"
    help2man --no-info --no-discard-stderr --section=1 --source="sandbox $version" \
        --manual="User Commands" --name="$description" --include="$work/$name.h2m" \
        --output="$out/man1/$name.1" "$work/$name"
    gzip -9n <"$out/man1/$name.1" >"$out/gz/$name.1.gz"
}

page sandbox "" "see and control what crosses the line between a program and the Linux kernel"
page sandbox-run run "run a command in namespaces under a seccomp profile, and trace its syscalls"
page sandbox-check check "which syscalls of a command a seccomp profile would deny, and by which rule"
page sandbox-policy policy "validate, explain, record, lint, diff, export and install seccomp profiles"
page sandbox-lesson lesson "self-checking lessons on syscalls, seccomp and Kubernetes security contexts"
page sandbox-attach attach "trace a running process, like strace -p"
page sandbox-doctor doctor "what this machine's kernel allows for sandbox, and how to fix what it does not"
