#!/bin/sh
# POST /v1/shutdown (PROTOCOL.md; no ccctl command sends it yet, so raw
# HTTP over TLS with openssl s_client), psi template:
# - without a participant's certificate: 401, the runtime keeps running;
# - while a reader has not pulled its result: 202 {"stopping":false}, and
#   the runtime keeps serving;
# - once every reader has its result: 200 {"stopping":true} and the runtime
#   process exits; the participants' commands then get exit 5;
# - with nothing run yet, it stops only when every participant has asked
#   (202, 202, then 200), and an upload between those requests still works.
# And the runtime leaves no participant data on the host: the state folder
# and its log never contain a line of the inputs or of the result.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

command -v openssl >/dev/null 2>&1 || skip "openssl command not found"
command -v timeout >/dev/null 2>&1 || skip "timeout command not found"
d="$T/psi"
tpl psi "$d"
sm="$d/ids/st-marys" cg="$d/ids/city-general" rl="$d/ids/research-lab"
ident mallory
policy "$d/topology.yaml" "$d/p.json" "$d/ids" st-marys city-general research-lab || finish

# shutdown ID WANT STOPPING: POST /v1/shutdown as ID, expect HTTP WANT and
# the body's "stopping" to be STOPPING (skipped when empty).
shutdown() {
	printf 'POST /v1/shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' |
		tls_send "$1"
	CHECKS=$((CHECKS + 1))
	got=$(sed -n '1s/^HTTP\/1\.1 \([0-9]*\) .*/\1/p' "$T/tls.out")
	[ "$got" = "$2" ] || { fail "shutdown as ${1##*/}: HTTP '$got', expected $2"; head -n 3 "$T/tls.out"; }
	[ -z "$3" ] || expect_grep "$T/tls.out" "{\"stopping\":$3}"
}
# gone: the runtime process $PID exits within 5 s.
gone() {
	n=0
	while kill -0 "$PID" 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	CHECKS=$((CHECKS + 1))
	! kill -0 "$PID" 2>/dev/null || fail "runtime $PID still running after a stopping shutdown"
}

# Stop once every reader has its result.
deploy readers "$d/p.json" || finish
rpid=$PID
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv \
	"$d/data/city-general.csv"
shutdown "" 401 ""
shutdown "$IDS/mallory" 401 ""
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" pull $at --identity "$sm" -o "$T/sm.csv" /output/intersection.csv
shutdown "$rl" 202 false
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" status $at --identity "$cg"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" pull $at --identity "$cg" -o "$T/cg.csv" /output/intersection.csv
CHECKS=$((CHECKS + 1))
cmp -s "$T/cg.csv" "$d/expected/intersection.csv" || fail "city-general's result differs"
# The leak check, while the state folder still has the record and the log.
CHECKS=$((CHECKS + 1))
cat "$d/data/st-marys.csv" "$d/data/city-general.csv" "$d/expected/intersection.csv" |
	grep '[0-9]' >"$T/secrets"
if [ ! -s "$T/secrets" ]; then
	fail "no data lines to look for"
elif grep -rqF -f "$T/secrets" "$CCCTL_STATE_DIR"; then
	fail "participant data in the state folder: $(grep -rlF -f "$T/secrets" "$CCCTL_STATE_DIR")"
fi
shutdown "$sm" 200 true
gone
# shellcheck disable=SC2086
expect_exit 5 "$CCCTL" status $at --identity "$sm" && expect_grep "$T/err" "cannot reach the runtime"

# Stop when every participant asked.
deploy asked "$d/p.json" || finish
shutdown "$sm" 202 false
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv \
	"$d/data/city-general.csv"
shutdown "$cg" 202 false
shutdown "$sm" 202 false
shutdown "$rl" 200 true
gone
CHECKS=$((CHECKS + 1))
! kill -0 "$rpid" 2>/dev/null || fail "the first runtime came back?"
e2e_finish
