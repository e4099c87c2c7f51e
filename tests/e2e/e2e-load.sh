#!/bin/sh
# Load: 50 participants against one runtime at once, no lost or mixed-up
# data.  Participant pNN writes /input/pNN.txt (distinct random bytes of a
# distinct size) and alone reads /output/pNN.txt; a C program (built with
# $WASI_CC) copies each input to its output.  All 50 pushes run
# concurrently, then all 50 pulls (the first runs the program, the others
# wait for it): every command succeeds and every participant gets back
# exactly the bytes it pushed.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

N=${E2E_LOAD_CLIENTS:-50}
[ -n "${WASI_CC:-}" ] || skip "no wasm32-wasi compiler (WASI_CC is empty)"
cat >"$T/copy.c" <<'EOC'
#include <stdio.h>

int main(void)
{
	static char buf[65536];
	char in[64], out[64];
	int i;

	for (i = 0; i < NPART; i++) {
		FILE *f, *g;
		size_t n;

		snprintf(in, sizeof(in), "/input/p%02d.txt", i);
		snprintf(out, sizeof(out), "/output/p%02d.txt", i);
		f = fopen(in, "rb");
		g = fopen(out, "wb");
		if (!f || !g) {
			perror(f ? out : in);
			return 1;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (fwrite(buf, 1, n, g) != n)
				return 1;
		if (ferror(f) || fclose(g) != 0)
			return 1;
		fclose(f);
	}
	return 0;
}
EOC
# shellcheck disable=SC2086
$WASI_CC $WASI_CFLAGS -O2 -DNPART="$N" -o "$T/copy.wasm" "$T/copy.c" ||
	skip "$WASI_CC cannot build a wasm32-wasi program"

names=$(awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "p%02d\n", i }')
for p in prov $names; do
	"$CCCTL" identity new -q "$p" --dir "$IDS" >/dev/null 2>&1 </dev/null &
done
wait
for p in prov $names; do
	CHECKS=$((CHECKS + 1))
	[ -f "$IDS/$p.crt" ] && [ -f "$IDS/$p.key" ] || fail "identity new $p"
done
{
	echo "version: 1"
	echo "name: e2e-load"
	echo "participants:"
	echo "  prov: { certificate: $IDS/prov.crt }"
	for p in $names; do
		echo "  $p: { certificate: $IDS/$p.crt }"
	done
	echo "programs:"
	echo "  - { name: copy, provider: prov, wasm: $T/copy.wasm, reads: [/input/], writes: [/output/] }"
	echo "inputs:"
	for p in $names; do
		echo "  - { path: /input/$p.txt, from: $p }"
	done
	echo "outputs:"
	for p in $names; do
		echo "  - { path: /output/$p.txt, to: [$p] }"
	done
	# 51 signatures take ~20 s in the sanitizer build (each `policy sign`
	# checks those already there): consent is not what is tested here.
	echo "consent: { signers: [prov], threshold: 1 }"
} >"$T/load.yaml"
policy "$T/load.yaml" "$T/load.json" "$IDS" prov || finish
deploy load "$T/load.json" || finish
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$IDS/prov" --program copy "$T/copy.wasm"

i=0
for p in $names; do
	head -c $((1000 + i * 997)) /dev/urandom >"$T/$p.in"
	printf '%s\n' "$p" >>"$T/$p.in"
	i=$((i + 1))
done
for p in $names; do
	# shellcheck disable=SC2086
	{
		"$CCCTL" push -q $at --identity "$IDS/$p" --file "/input/$p.txt" "$T/$p.in" \
			>"$T/$p.push.out" 2>"$T/$p.push.err"
		echo $? >"$T/$p.push.rc"
	} </dev/null &
done
wait
for p in $names; do
	CHECKS=$((CHECKS + 1))
	[ "$(cat "$T/$p.push.rc")" = 0 ] || { fail "$p: push exit $(cat "$T/$p.push.rc")"; cat "$T/$p.push.err"; }
done
CHECKS=$((CHECKS + 1))
present inputs "$IDS/prov" >/dev/null && expect_grep "$T/status.json" "/input/p00.txt"
[ "$(tr -d ' \n' <"$T/status.json" | sed -n 's/.*"inputs":{"missing":\[\([^]]*\)\].*/\1/p')" = "" ] ||
	fail "inputs still missing after all pushes: $(cat "$T/status.json")"

for p in $names; do
	# shellcheck disable=SC2086
	{
		"$CCCTL" pull -q $at --identity "$IDS/$p" -o "$T/$p.got" "/output/$p.txt" \
			>"$T/$p.pull.out" 2>"$T/$p.pull.err"
		echo $? >"$T/$p.pull.rc"
	} </dev/null &
done
wait
for p in $names; do
	CHECKS=$((CHECKS + 1))
	[ "$(cat "$T/$p.pull.rc")" = 0 ] || { fail "$p: pull exit $(cat "$T/$p.pull.rc")"; cat "$T/$p.pull.err"; continue; }
	CHECKS=$((CHECKS + 1))
	cmp -s "$T/$p.in" "$T/$p.got" || fail "$p: pulled bytes differ from what $p pushed"
done
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" status --json $at --identity "$IDS/p00" && expect_grep "$T/out" '"run": "done"'
e2e_finish
