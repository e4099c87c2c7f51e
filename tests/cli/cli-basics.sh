#!/bin/sh
# The command framework: help, usage errors, unknown commands, exit codes,
# --json error documents.
. "$top_srcdir/tests/cli/lib.sh"

expect_exit 0 "$CCCTL" -h && expect_grep "$T/out" "usage: ccctl"
expect_exit 0 "$CCCTL" --help && expect_grep "$T/out" "version"
expect_exit 2 "$CCCTL" && expect_grep "$T/err" "usage: ccctl"
expect_exit 2 "$CCCTL" frobnicate && expect_grep "$T/err" "unknown command 'frobnicate'"
expect_exit 2 "$CCCTL" --bogus
expect_exit 0 "$CCCTL" version && expect_grep "$T/out" "ccctl "
expect_exit 0 "$CCCTL" version --json && expect_grep "$T/out" '"version": '
expect_exit 0 "$CCCTL" --json version && expect_grep "$T/out" '"commit": '
expect_exit 0 "$CCCTL" version -h && expect_grep "$T/out" "usage: ccctl version"
# The runtime line carries the sim measurement of the runtime ccctl deploys.
printf 'not really a runtime' >"$T/rt"
CCCTL_RUNTIME="$T/rt" expect_exit 0 "$CCCTL" version &&
	expect_grep "$T/out" "runtime $T/rt sha256:$(sha256sum "$T/rt" | cut -d' ' -f1)"
CCCTL_RUNTIME="$T/none" expect_exit 0 "$CCCTL" version --json &&
	expect_grep "$T/out" "\"path\": \"$T/none\"" && expect_no_grep "$T/out" '"measurement"'
expect_exit 2 "$CCCTL" version extra && expect_grep "$T/err" "unexpected argument 'extra'"
expect_exit 2 "$CCCTL" version --nope && expect_grep "$T/err" "unknown option '--nope'"
expect_exit 2 "$CCCTL" version --json --json=1
expect_exit 0 "$CCCTL" help version && expect_grep "$T/out" "usage: ccctl version"
# A usage error under --json still gives one JSON document on stdout.
expect_exit 2 "$CCCTL" --json version extra && expect_grep "$T/out" '"exit": 2'
# Every listed command answers -h with its usage line.
"$CCCTL" -h | awk -F'  +' '/^  [a-z]/ { print $2 }' >"$T/cmds"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/cmds")" -ge 5 ] || fail "ccctl -h lists fewer than 5 commands"
while read -r c; do
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" $c -h && expect_grep "$T/out" "usage: ccctl $c"
done <"$T/cmds"
finish
