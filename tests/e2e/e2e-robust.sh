#!/bin/sh
# The running runtime against a misbehaving peer (psi template), talking raw
# HTTP over TLS with `openssl s_client`:
# - it runs confined: /proc/PID/status shows Seccomp: 2 (filter) and
#   NoNewPrivs: 1;
# - a hand-made PUT with a complete body is stored (201): the control that
#   shows the raw requests below reach the API;
# - a PUT announcing 1000 bytes that sends 10 and hangs up stores nothing,
#   and the proper push of that input succeeds afterwards;
# - every connection's socket is closed when it ends: after ~20
#   connections the runtime holds no more file descriptors than at the
#   start (a leak here is a denial of service at RLIMIT_NOFILE);
# - TLS 1.2 is refused;
# - garbage, an oversized head, chunked uploads, conflicting or negative
#   Content-Length get 400/431/501, with and without a client certificate,
#   and the runtime keeps serving: status works, the whole collaboration
#   completes and the result is exactly the expected one.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

command -v openssl >/dev/null 2>&1 || skip "openssl command not found"
command -v timeout >/dev/null 2>&1 || skip "timeout command not found"
d="$T/psi"
tpl psi "$d"
policy "$d/topology.yaml" "$d/p.json" "$d/ids" st-marys city-general research-lab || finish
deploy robust "$d/p.json" || finish
sm="$d/ids/st-marys" cg="$d/ids/city-general" rl="$d/ids/research-lab"

CHECKS=$((CHECKS + 1))
grep -q '^Seccomp:[[:space:]]*2$' "/proc/$PID/status" ||
	fail "runtime pid $PID: no seccomp filter ($(grep Seccomp: "/proc/$PID/status"))"
fds() {
	ls "/proc/$PID/fd" | wc -l
}
fds0=$(fds)
CHECKS=$((CHECKS + 1))
grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$PID/status" || fail "runtime pid $PID: NoNewPrivs not set"

# status_of: the status code of the response in $T/tls.out.
status_of() {
	sed -n '1s/^HTTP\/1\.1 \([0-9][0-9][0-9]\) .*/\1/p' "$T/tls.out" | tr -d '\r'
}
# expect_http CODE WHAT: the last tls_send got CODE.
expect_http() {
	CHECKS=$((CHECKS + 1))
	got=$(status_of)
	[ "$got" = "$1" ] || { fail "$2: HTTP '$got', expected $1"; sed 's/^/  | /' "$T/tls.out" | head -n 5; }
}

# Control: a complete hand-made upload is stored.
len=$(wc -c <"$d/data/city-general.csv" | tr -d ' ')
{
	printf 'PUT /v1/files/input/city-general.csv HTTP/1.1\r\nHost: x\r\n'
	printf 'Connection: close\r\nContent-Length: %s\r\n\r\n' "$len"
	cat "$d/data/city-general.csv"
} | tls_send "$cg"
expect_http 201 "complete raw upload"
expect_stored inputs "$sm" '"/input/city-general.csv"'

# A short body, then EOF.
printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789' |
	tls_send "$sm" -no_ign_eof
CHECKS=$((CHECKS + 1))
[ ! -s "$T/tls.out" ] || { fail "short upload got a response"; head -n 3 "$T/tls.out"; }
expect_stored inputs "$sm" '"/input/city-general.csv"'
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" status $at --identity "$sm" && expect_grep "$T/out" "/input/st-marys.csv"

# While an upload is in progress, another upload of the same input is
# refused (409, "in progress"); when the first hangs up, nothing is stored.
{
	printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n'
	printf '0123456789'
	sleep 3
} | tls_send "$sm" -no_ign_eof &
slow=$!
sleep 1
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv \
	"$d/data/st-marys.csv" && expect_grep "$T/err" "in progress"
wait "$slow"
expect_stored inputs "$sm" '"/input/city-general.csv"'

# TLS 1.2 is refused (protocol_version alert): no request gets through.
printf 'GET /v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | tls_send "" -tls1_2
CHECKS=$((CHECKS + 1))
[ ! -s "$T/tls.out" ] || fail "a TLS 1.2 client got an answer: $(head -n 1 "$T/tls.out")"
expect_grep "$T/tls.err" "protocol version"
printf 'GET /v1/policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | tls_send "" -tls1_3
expect_http 200 "TLS 1.3, open endpoint, no certificate"

# Malformed requests: each answered, then the connection closed.
raw() { # raw ID WANT WHAT: send stdin as ID, expect status WANT and the close
	tls_send "$1"
	expect_http "$2" "$3"
}
printf 'GARBAGE\r\n\r\n' | raw "$sm" 400 "garbage request line"
expect_grep "$T/tls.out" '"code":"malformed"'
printf '\001\002\003\377\r\n\r\n' | raw "" 400 "binary garbage without a certificate"
{
	printf 'GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: '
	head -c 20000 /dev/zero | tr '\0' a
	printf '\r\n\r\n'
} | raw "$sm" 431 "20 KB header"
printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n' |
	raw "$sm" 501 "chunked upload"
printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef' |
	raw "$sm" 400 "two Content-Length"
printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nabcdef' |
	raw "$sm" 400 "negative Content-Length"
printf 'PUT /v1/files/input/st-marys.csv HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\nab' |
	raw "$sm" 400 "Content-Length overflowing 64 bits"
expect_stored inputs "$sm" '"/input/city-general.csv"'

# Still serving: the whole collaboration completes.
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" pull $at --identity "$cg" -o "$T/r" /output/intersection.csv
CHECKS=$((CHECKS + 1))
cmp -s "$T/r" "$d/expected/intersection.csv" || fail "result differs from expected/"
CHECKS=$((CHECKS + 1))
kill -0 "$PID" 2>/dev/null || fail "the runtime died"
# Connection threads finish just after their clients: give them a moment.
n=0
while [ "$(fds)" -gt "$fds0" ] && [ $n -lt 20 ]; do
	sleep 0.1
	n=$((n + 1))
done
CHECKS=$((CHECKS + 1))
[ "$(fds)" -le "$fds0" ] || fail "runtime holds $(fds) file descriptors, $fds0 at the start (leak)"
e2e_finish
