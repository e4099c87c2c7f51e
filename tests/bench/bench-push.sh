#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench-push.sh - upload throughput of `ccctl push` into a sim runtime:
# a 1 GiB input (zeros, written once so that it is in the page cache: a
# sparse file would make the kernel's zero-filling the bottleneck) to a
# policy whose input allows it (max_size 1GiB, limits.max_input 1GiB).
# Prints the push's wall time and MB/s beside `openssl speed` of the cipher
# the TLS 1.3 connection negotiates (one core), the runtime's peak RSS
# (VmHWM, goal < 1.2 GiB while holding the 1 GiB input) and the client's,
# and the CPU time each side spent (MB per CPU second is the figure to
# compare with openssl speed on a busy machine).
# Figures only: exits 0 unless it cannot run at all.
#
# environment: CCCTL (the built ccctl; ccctl-runtime beside it),
# BENCH_PUSH_MIB (default 1024).
set -u
: "${CCCTL:?CCCTL must point at the built ccctl}"
RUNTIME=$(dirname "$CCCTL")/ccctl-runtime
MIB=${BENCH_PUSH_MIB:-1024}
T=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-bench-push.XXXXXX")
CCCTL_STATE_DIR=$T/state
CCCTL_RUNTIME=$RUNTIME
export CCCTL_STATE_DIR CCCTL_RUNTIME
deployed=
cleanup() {
	[ -z "$deployed" ] || "$CCCTL" teardown -q "$deployed" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() {
	echo "bench-push: $*" >&2
	exit 1
}

[ -x "$RUNTIME" ] || die "no $RUNTIME"
cd "$T" || exit 1
dd if=/dev/zero of=big bs=1048576 count="$MIB" 2>/dev/null || die "cannot write a $MIB MiB file"
bytes=$(wc -c <big | tr -d ' ')
printf '\000asm\001\000\000\000' >empty.wasm
"$CCCTL" identity new -q a --dir ids >/dev/null 2>&1 || die "identity new failed"
cat >t.yaml <<EOT
version: 1
name: bench-push
participants:
  a: { certificate: ids/a.crt }
programs:
  - { name: p, provider: a, wasm: empty.wasm, reads: [/input/], writes: [/output/] }
inputs:
  - { path: /input/big, from: a, max_size: 1GiB }
outputs:
  - { path: stdout, to: [a] }
limits: { max_input: 1GiB }
EOT
"$CCCTL" policy compile -q t.yaml -o t.bare >/dev/null 2>&1 || die "policy compile failed"
"$CCCTL" policy sign -q t.bare -o t.json --identity ids/a >/dev/null 2>&1 || die "sign failed"
"$CCCTL" deploy -q --json --backend sim --policy t.json --name bench-push >dep.json 2>dep.err ||
	die "deploy failed: $(cat dep.err)"
deployed=bench-push
pid=$(tr -d ' \n' <dep.json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
ep=$(tr -d ' \n' <dep.json | sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p')

# The cipher suite the runtime negotiates with a default TLS 1.3 client.
suite=$(openssl s_client -connect "$ep" -tls1_3 -cert ids/a.crt -key ids/a.key </dev/null 2>/dev/null |
	sed -n 's/.*Cipher is \([A-Z0-9_]*\).*/\1/p' | head -n 1)
case $suite in
TLS_AES_256_GCM_SHA384) evp=aes-256-gcm ;;
TLS_AES_128_GCM_SHA256) evp=aes-128-gcm ;;
TLS_CHACHA20_POLY1305_SHA256) evp=chacha20-poly1305 ;;
*) evp=aes-256-gcm suite="${suite:-unknown} (assumed AES-256-GCM)" ;;
esac
# utime + stime of the runtime, in clock ticks.
cpu_ticks() {
	sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'
}
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu0=$(cpu_ticks)
rss0=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")

t0=$(date +%s%N)
if command -v /usr/bin/time >/dev/null 2>&1; then
	/usr/bin/time -f '%M %U %S' -o client.rss "$CCCTL" push -q --deployment bench-push --policy t.json \
		--identity ids/a --file /input/big big 2>push.err
else
	"$CCCTL" push -q --deployment bench-push --policy t.json --identity ids/a --file /input/big \
		big 2>push.err
fi
rc=$?
t1=$(date +%s%N)
[ $rc = 0 ] || die "push failed ($rc): $(cat push.err)"
cpu1=$(cpu_ticks)
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
"$CCCTL" status -q --json --deployment bench-push --policy t.json --identity ids/a >st.json 2>&1
grep -q '/input/big' st.json || die "the input is not stored after the push"

# One core, 16 KiB records (TLS's maximum record size).
speed=$(openssl speed -seconds 3 -bytes 16384 -evp "$evp" 2>/dev/null |
	awk '/^[a-zA-Z0-9-]+ +[0-9.]+k *$/ { v = $NF } END { sub(/k$/, "", v); print v }')

awk -v b="$bytes" -v ns="$((t1 - t0))" -v suite="$suite" -v evp="$evp" -v sp="$speed" \
	-v hwm="$hwm" -v rss0="$rss0" -v rss="$rss" -v cl="$(tail -n 1 client.rss 2>/dev/null)" -v rcpu="$(((cpu1 - cpu0) * 1000 / hz))" 'BEGIN {
	s = ns / 1e9
	printf "push of %.0f MiB into a sim runtime (TLS 1.3, %s)\n", b / 1048576, suite
	printf "  ccctl push wall time   %8.2f s (attestation included)\n", s
	printf "  throughput             %8.1f MB/s\n", b / s / 1e6
	split(cl, c, " ")
	if (c[2] != "" && c[2] + c[3] > 0)
		printf "  client CPU             %8.2f s = %.1f MB per CPU second\n", c[2] + c[3],
		       b / (c[2] + c[3]) / 1e6
	if (rcpu > 0)
		printf "  runtime CPU            %8.2f s = %.1f MB per CPU second\n", rcpu / 1000,
		       b / (rcpu / 1000) / 1e6
	if (sp != "")
		printf "  openssl speed %-9s %8.1f MB/s (one core, 16 KiB blocks)\n", evp, sp * 1000 / 1e6
	printf "  runtime RSS            %8.1f MiB before, %.1f MiB after\n", rss0 / 1024, rss / 1024
	printf "  runtime peak RSS       %8.1f MiB (VmHWM; goal < 1228.8 MiB = 1.2 GiB)\n", hwm / 1024
	if (c[1] != "")
		printf "  client peak RSS        %8.1f MiB\n", c[1] / 1024
}'
