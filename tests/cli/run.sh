#!/bin/sh
# ccctl run: the whole flow in one command; --input overrides, -o, --json,
# and the refusals that happen before anything is deployed.
. "$top_srcdir/tests/cli/lib.sh"

CCCTL_STATE_DIR="$T/state"
export CCCTL_STATE_DIR
"$CCCTL" -q init --template psi "$T/p" >/dev/null 2>&1 || skip "ccctl init failed"
[ -f "$T/p/programs/psi.wasm" ] || skip "psi.wasm not built (no wasm32-wasi compiler)"
cd "$T/p" || exit 1

# Defaults: data/BASENAME in, results/ out; the result is the expected one.
expect_exit 0 "$CCCTL" run topology.yaml &&
	expect_grep "$T/out" "/output/intersection.csv -> results/intersection.csv"
CHECKS=$((CHECKS + 1))
cmp -s results/intersection.csv expected/intersection.csv || fail "run result differs from expected"
# Nothing is left deployed.
CHECKS=$((CHECKS + 1))
[ -z "$(ls "$CCCTL_STATE_DIR/deployments" 2>/dev/null)" ] || fail "a deployment record was left behind"

# --input replaces a party's data; -o and --json.
printf 'patient_id\n409-322-7416\n000-000-0000\n' >"$T/mine.csv"
expect_exit 0 "$CCCTL" run --json -o "$T/r2" --input "/input/st-marys.csv=$T/mine.csv" topology.yaml &&
	expect_grep "$T/out" '"microseconds": {' && expect_grep "$T/out" '"total": '
expect_grep "$T/out" "\"/output/intersection.csv\": \"$T/r2/intersection.csv\""
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/r2/intersection.csv")" = "$(printf 'patient_id\n409-322-7416')" ] ||
	fail "--input result: $(cat "$T/r2/intersection.csv")"

# Refused before anything is deployed.
expect_exit 2 "$CCCTL" run --input /input/nobody.csv=x topology.yaml &&
	expect_grep "$T/err" "an input path of the policy"
expect_exit 2 "$CCCTL" run --input noequals topology.yaml
mv ids/city-general.key "$T/cg.key"
expect_exit 3 "$CCCTL" run topology.yaml && expect_grep "$T/err" 'no identity for participant "city-general"'
mv "$T/cg.key" ids/city-general.key
# A key that does not belong to the participant's certificate.
"$CCCTL" -q identity new city-general --dir "$T/other" >/dev/null
cp ids/city-general.key "$T/" && cp "$T/other/city-general.key" ids/
expect_exit 3 "$CCCTL" run topology.yaml && expect_grep "$T/err" "city-general"
cp "$T/city-general.key" ids/
# Missing input data: the run stops, tears down and says which file.
mv data/st-marys.csv "$T/sm.csv"
expect_exit 3 "$CCCTL" run topology.yaml && expect_grep "$T/err" "data/st-marys.csv"
mv "$T/sm.csv" data/st-marys.csv
CHECKS=$((CHECKS + 1))
[ -z "$(ls "$CCCTL_STATE_DIR/deployments" 2>/dev/null)" ] || fail "a failed run left a deployment behind"
finish
