#!/bin/sh
# Every template through the whole flow on the sim backend, as its README
# describes: init, compile, every participant signs, deploy, attest, the
# provider pushes the program, each data provider pushes its input, every
# reader of every output pulls it and gets exactly expected/'s bytes; a
# participant who is not a reader is denied (exit 6).  And the README's
# one-liner, `ccctl run topology.yaml`, puts exactly expected/ in results/.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/templates-lib.sh"

"$CCCTL" deploy -h >/dev/null 2>&1 || skip "no 'ccctl deploy' in this build"
CCCTL_STATE_DIR="$T/state"
export CCCTL_STATE_DIR
deployed=
cleanup() {
	for n in $deployed; do
		"$CCCTL" teardown "$n" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT

# The bare compiled policy is one line of canonical JSON (keys sorted), so
# its records can be picked out with sed.
records() { # records KEY FILE: the array KEY's objects, one per line
	sed -n "s/.*\"$1\":\[\(\({[^]]*\(\[[^]]*\][^]]*\)*}\)*\)\].*/\1/p" "$2" | sed 's/},{/}\n{/g' | awk 1
}
field() { # field KEY: a string member of the object on stdin
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}
readers() { # the "to" array of the object on stdin, one name per line
	sed -n 's/.*"to":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d '"'
}

for t in $(tpl_names); do
	d="$T/$t"
	n="tpl-$t"
	expect_exit 0 "$CCCTL" init -q --template "$t" "$d" || continue
	[ -f "$d/programs/$(tpl_prog "$t").wasm" ] || { echo "NOTE: $t: no .wasm, not run"; continue; }
	expect_exit 0 "$CCCTL" policy compile "$d/topology.yaml" -o "$d/policy.json" || continue
	pol="$d/policy.signed.json"
	parts=$(records participants "$d/policy.json" | field name)
	CHECKS=$((CHECKS + 1))
	[ -n "$parts" ] || { fail "$t: no participants found in policy.json"; continue; }
	first=yes
	for p in $parts; do
		if [ $first = yes ]; then
			expect_exit 0 "$CCCTL" policy sign "$d/policy.json" --identity "$d/ids/$p" -o "$pol"
			first=no
		else
			expect_exit 0 "$CCCTL" policy sign "$pol" --identity "$d/ids/$p"
		fi
	done
	expect_exit 0 "$CCCTL" policy verify "$pol" || continue
	expect_exit 0 "$CCCTL" deploy -q --backend sim --policy "$pol" --name "$n" || continue
	deployed="$deployed $n"
	at="--deployment $n --policy $pol"
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" attest $at
	records programs "$d/policy.json" >"$T/progs"
	while read -r rec; do
		prog=$(echo "$rec" | field name)
		prov=$(echo "$rec" | field provider)
		# shellcheck disable=SC2086
		expect_exit 0 "$CCCTL" push $at --identity "$d/ids/$prov" --program "$prog" \
			"$d/programs/$prog.wasm"
	done <"$T/progs"
	records inputs "$d/policy.json" >"$T/inputs"
	while read -r rec; do
		path=$(echo "$rec" | field path)
		from=$(echo "$rec" | field from)
		# shellcheck disable=SC2086
		expect_exit 0 "$CCCTL" push $at --identity "$d/ids/$from" --file "$path" \
			"$d/data/${path#/input/}"
	done <"$T/inputs"
	records outputs "$d/policy.json" >"$T/outputs"
	CHECKS=$((CHECKS + 1))
	[ "$(wc -l <"$T/outputs")" = "$(ls "$d/expected" | wc -l)" ] ||
		fail "$t: outputs in the policy and files in expected/ differ"
	while read -r rec; do
		path=$(echo "$rec" | field path)
		echo "$rec" | readers >"$T/to"
		while read -r p; do
			# shellcheck disable=SC2086
			expect_exit 0 "$CCCTL" pull $at --identity "$d/ids/$p" -o "$T/got" "$path" </dev/null &&
				{ CHECKS=$((CHECKS + 1)); cmp -s "$T/got" "$d/expected/${path#/output/}" ||
					fail "$t: $p pulled $path: differs from expected/"; }
		done <"$T/to"
		for p in $parts; do
			grep -qx "$p" "$T/to" && continue
			# shellcheck disable=SC2086
			expect_exit 6 "$CCCTL" pull $at --identity "$d/ids/$p" -o "$T/denied" "$path" </dev/null
			break
		done
	done <"$T/outputs"
	expect_exit 0 "$CCCTL" teardown "$n" && deployed=$(echo "$deployed" | sed "s/ $n\$//; s/ $n / /")
done

if "$CCCTL" run -h >/dev/null 2>&1; then
	for t in $(tpl_names); do
		d="$T/run-$t"
		expect_exit 0 "$CCCTL" init -q --template "$t" "$d" || continue
		[ -f "$d/programs/$(tpl_prog "$t").wasm" ] || continue
		cd "$d" || continue
		expect_exit 0 "$CCCTL" run -q topology.yaml
		ok=$?
		cd "$T" || exit 1
		[ $ok = 0 ] || continue
		CHECKS=$((CHECKS + 1))
		diff -r "$d/results" "$d/expected" >"$T/diff" 2>&1 ||
			{ fail "$t: ccctl run: results/ differs from expected/"; head -n 20 "$T/diff"; }
	done
else
	echo "NOTE: no 'ccctl run' yet: not checked"
fi

finish
