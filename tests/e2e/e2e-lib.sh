# Helpers for the end-to-end tests (sourced after tests/cli/lib.sh): each
# test has its own state folder under $T and tears down every deployment it
# made when it exits, whatever happens.
E2E_RUNTIME="${top_builddir:?top_builddir must be set (run through make check)}/ccctl-runtime"
[ -x "$E2E_RUNTIME" ] || skip "no ccctl-runtime in $top_builddir"
"$CCCTL" deploy -h >/dev/null 2>&1 || skip "no 'ccctl deploy' in this build"
# Policies compiled here pin the measurement of the runtime that is deployed.
CCCTL_RUNTIME=$E2E_RUNTIME
CCCTL_STATE_DIR="$T/state"
export CCCTL_RUNTIME CCCTL_STATE_DIR
IDS="$T/ids"
E2E_DEPLOYED=
e2e_cleanup() {
	for n in $E2E_DEPLOYED; do
		"$CCCTL" teardown "$n" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

need_wat2wasm() {
	command -v wat2wasm >/dev/null 2>&1 || skip "wat2wasm (wabt) not found"
}

# wat NAME TEXT: build $T/NAME.wasm from the WebAssembly text TEXT.
wat() {
	printf '%s\n' "$2" >"$T/$1.wat"
	wat2wasm "$T/$1.wat" -o "$T/$1.wasm" || { fail "wat2wasm $1.wat"; return 1; }
}

# tpl NAME DIR: `ccctl init` the template NAME into DIR; skip the test when
# its program was not built (no wasm32-wasi compiler).
tpl() {
	"$CCCTL" init -q --template "$1" "$2" >/dev/null 2>&1 || { fail "ccctl init $1"; finish; }
	ls "$2"/programs/*.wasm >/dev/null 2>&1 ||
		skip "template $1 has no .wasm (no wasm32-wasi compiler in this build)"
}

# ident NAME...: new identities $IDS/NAME.{key,crt}.
ident() {
	for i in "$@"; do
		"$CCCTL" identity new -q "$i" --dir "$IDS" >/dev/null 2>&1 ||
			{ fail "identity new $i"; return 1; }
	done
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# policy TOPOLOGY OUT IDDIR SIGNER...: compile TOPOLOGY and have each
# SIGNER (IDDIR/SIGNER) sign it; the signed envelope is OUT.
policy() {
	topo=$1 out=$2 dir=$3
	shift 3
	"$CCCTL" policy compile -q "$topo" -o "$out.bare" >/dev/null 2>"$T/compile.err" ||
		{ fail "compile $topo"; cat "$T/compile.err"; return 1; }
	[ $# -gt 0 ] || cp "$out.bare" "$out"
	src=$out.bare
	for s in "$@"; do
		"$CCCTL" policy sign -q "$src" -o "$out" --identity "$dir/$s" >/dev/null 2>&1 ||
			{ fail "sign $out as $s"; return 1; }
		src=$out
	done
}

# deploy NAME POLICY: deploy on sim; sets $at (the runtime options for
# push/pull/status/attest), $PID and $ENDPOINT.
deploy() {
	"$CCCTL" deploy -q --json --backend sim --policy "$2" --name "$1" >"$T/deploy.json" \
		2>"$T/deploy.err" || { fail "deploy $1"; cat "$T/deploy.err"; return 1; }
	E2E_DEPLOYED="$E2E_DEPLOYED $1"
	at="--deployment $1 --policy $2"
	# A second name for the runtime's log: teardown unlinks the record's,
	# and what the runtime writes while exiting (sanitizers) still lands.
	ln -f "$CCCTL_STATE_DIR/deployments/$1.log" "$T/$1.runtime.log" 2>/dev/null
	PID=$(tr -d ' \n' <"$T/deploy.json" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
	ENDPOINT=$(tr -d ' \n' <"$T/deploy.json" | sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p')
	CHECKS=$((CHECKS + 1))
	[ -n "$PID" ] && [ -n "$ENDPOINT" ] || { fail "deploy --json: no pid/endpoint"; return 1; }
}

# present KIND ID: the "present" names of KIND (programs, inputs) in
# `ccctl status --json` as ID, comma-separated and quoted; the status
# document is left in $T/status.json.
present() {
	# shellcheck disable=SC2086
	"$CCCTL" status -q --json $at --identity "$2" >"$T/status.json" 2>"$T/status.err" ||
		{ echo "status-failed"; return 1; }
	tr -d ' \n\t' <"$T/status.json" | sed -n "s/.*\"$1\":{\([^}]*\)}.*/\1/p" |
		sed -n 's/.*"present":\[\([^]]*\)\].*/\1/p'
}

# expect_stored KIND ID WANT: `present KIND ID` is exactly WANT.
expect_stored() {
	CHECKS=$((CHECKS + 1))
	got=$(present "$1" "$2")
	[ "$got" = "$3" ] || { fail "$1 stored: '$got', expected '$3'"; return 1; }
}

# tls_send ID [OPTION...]: send stdin over TLS to the runtime as ID ("": no
# client certificate) and wait for the runtime to close the connection (or
# with -no_ign_eof, hang up at the end of stdin); the response is in
# $T/tls.out.
tls_send() {
	id=$1
	shift
	timeout 20 openssl s_client -connect "$ENDPOINT" -quiet ${id:+-cert "$id.crt" -key "$id.key"} "$@" \
		>"$T/tls.out" 2>"$T/tls.err"
}

# e2e_finish: tear every deployment down (exit 0), check that no runtime
# wrote a sanitizer report or crashed, and finish.
e2e_finish() {
	for n in $E2E_DEPLOYED; do
		expect_exit 0 "$CCCTL" teardown "$n"
		[ -f "$T/$n.runtime.log" ] || continue
		CHECKS=$((CHECKS + 1))
		# LeakSanitizer cannot stop the world inside the seccomp sandbox
		# when the runtime exits normally: that is not a finding.
		if grep -vE 'LeakSanitizer has encountered a fatal error|HINT: (For debugging|LeakSanitizer does not work)' \
			"$T/$n.runtime.log" | grep -qE 'Sanitizer|runtime error:|Segmentation|Aborted'; then
			fail "runtime of deployment $n reported an error"
			head -n 30 "$T/$n.runtime.log" | sed 's/^/  log: /'
		fi
	done
	E2E_DEPLOYED=
	finish
}
