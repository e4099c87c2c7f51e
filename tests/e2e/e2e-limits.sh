#!/bin/sh
# A program that fails ends its run cleanly and the runtime keeps serving.
# One deployment per failure, each with a module built here by wat2wasm:
# a trap (unreachable), an endless loop with 1e6 fuel, an initial memory of
# 2000 pages (125 MiB) under `memory: 64MiB`, and an endless loop with
# plenty of fuel under `timeout: 1s`.  The reader's pull exits 1 with the
# reason in the message (HTTP 500), a second pull gets the same reason
# without running the program again, status still answers and says the run
# failed, and a participant who is not a reader still gets 6, not the
# reason.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

need_wat2wasm
ident alice bob carol

# limits_case NAME WAT LIMITS REASON: deploy a policy whose program is WAT
# under LIMITS (a YAML flow mapping); bob's pull must fail with REASON.
limits_case() {
	name=$1 reason=$4
	wat "$name" "$2" || return
	cat >"$T/$name.yaml" <<EOT
version: 1
name: e2e-$name
participants:
  alice: { certificate: $IDS/alice.crt }
  bob: { certificate: $IDS/bob.crt }
  carol: { certificate: $IDS/carol.crt }
programs:
  - name: prog
    provider: alice
    wasm: $T/$name.wasm
    reads: [/input/]
    writes: [/output/]
inputs:
  - path: /input/x
    from: carol
outputs:
  - path: stdout
    to: [bob]
limits: $3
EOT
	policy "$T/$name.yaml" "$T/$name.json" "$IDS" alice bob carol || return
	deploy "$name" "$T/$name.json" || return
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" push $at --identity "$IDS/alice" --program prog "$T/$name.wasm"
	echo data >"$T/x"
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" push $at --identity "$IDS/carol" --file /input/x "$T/x"
	t0=$(date +%s)
	for i in 1 2; do
		# shellcheck disable=SC2086
		expect_exit 1 "$CCCTL" pull $at --identity "$IDS/bob" -o "$T/$name.out" stdout &&
			expect_grep "$T/err" "program prog" && expect_grep "$T/err" "$reason" &&
			expect_grep "$T/err" "(HTTP 500)"
		cp "$T/err" "$T/$name.err$i"
	done
	CHECKS=$((CHECKS + 1))
	[ "$(sed 's/.*error: //' "$T/$name.err1")" = "$(sed 's/.*error: //' "$T/$name.err2")" ] ||
		fail "$name: the second pull gave another reason"
	CHECKS=$((CHECKS + 1))
	[ $(($(date +%s) - t0)) -lt 30 ] || fail "$name: the failing run took more than 30 s"
	CHECKS=$((CHECKS + 1))
	[ ! -e "$T/$name.out" ] || fail "$name: a failed pull left a result"
	# shellcheck disable=SC2086
	expect_exit 6 "$CCCTL" pull $at --identity "$IDS/carol" stdout &&
		expect_no_grep "$T/err" "$reason"
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" status --json $at --identity "$IDS/bob" &&
		expect_grep "$T/out" '"run": "failed"'
	CHECKS=$((CHECKS + 1))
	kill -0 "$PID" 2>/dev/null || fail "$name: the runtime died"
}

# shellcheck disable=SC2016 # $l is a WebAssembly label
limits_case trap '(module (memory (export "memory") 1) (func (export "_start") unreachable))' \
	'{ fuel: 1000000 }' "unreachable"
# shellcheck disable=SC2016
limits_case fuel '(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))' \
	'{ fuel: 1000000 }' "out of fuel (limit 1000000)"
limits_case memory '(module (memory (export "memory") 2000) (func (export "_start")))' \
	'{ memory: 64MiB }' "memory too large"
# shellcheck disable=SC2016
limits_case timeout '(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))' \
	'{ fuel: 1000000000000000, timeout: 1s }' "timeout after 1 s"
e2e_finish
