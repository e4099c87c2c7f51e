# Helpers for the CLI test scripts (sourced).  Each test runs in its own
# temporary folder, removed on exit; `check` assertions count failures and
# the script exits non-zero if any failed.
set -u
: "${CCCTL:?CCCTL must point at the ccctl binary (run through make check)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
CHECKS=0

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# expect_exit CODE CMD...: run CMD, stdout to $T/out, stderr to $T/err, and
# check its exit status.
expect_exit() {
	want=$1
	shift
	CHECKS=$((CHECKS + 1))
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	if [ "$got" != "$want" ]; then
		fail "'$*': exit $got, expected $want"
		sed 's/^/  stderr: /' "$T/err" | head -n 20
		sed 's/^/  stdout: /' "$T/out" | head -n 10
		return 1
	fi
	return 0
}

# expect_grep FILE PATTERN: FILE contains a line matching the fixed string.
expect_grep() {
	CHECKS=$((CHECKS + 1))
	if ! grep -qF -- "$2" "$1"; then
		fail "$1 lacks '$2'"
		sed 's/^/  | /' "$1" | head -n 20
		return 1
	fi
	return 0
}

expect_no_grep() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$2" "$1"; then
		fail "$1 unexpectedly contains '$2'"
		return 1
	fi
	return 0
}

# skip MESSAGE: exit 77 (automake's "skipped").
skip() {
	echo "SKIP: $*"
	exit 77
}

finish() {
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ]
	exit $?
}
