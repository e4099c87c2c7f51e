#!/bin/sh
# Who may do what, enforced by the running runtime (psi template, whose one
# result is made readable by st-marys only):
# - a certificate that is not in the policy is refused (push, status: 6),
#   also one whose subject is a participant's name (the key is what counts);
# - a participant cannot write another's input or the program (6);
# - a data provider and the program provider cannot pull a result they do
#   not read (6), nor read anyone's input through the files API (3);
# - an input and the program are written once: a second write is refused
#   (1, "already") and the stored bytes do not change (the result is still
#   exactly the expected one);
# and after each refusal `ccctl status --json` shows nothing was stored.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

d="$T/psi"
tpl psi "$d"
sed 's/to: \[st-marys, city-general\]/to: [st-marys]/' "$d/topology.yaml" >"$d/t.yaml"
grep -q 'to: \[st-marys\]$' "$d/t.yaml" || { fail "psi topology changed: cannot restrict readers"; finish; }
policy "$d/t.yaml" "$d/p.json" "$d/ids" st-marys city-general research-lab || finish
deploy acc "$d/p.json" || finish
ident mallory
sm="$d/ids/st-marys" cg="$d/ids/city-general" rl="$d/ids/research-lab"

# An identity the policy does not know.
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" push $at --identity "$IDS/mallory" --file /input/st-marys.csv \
	"$d/data/st-marys.csv" && expect_grep "$T/err" "client certificate of a policy participant"
expect_grep "$T/err" "(HTTP 401)"
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" push $at --identity "$IDS/mallory" --program psi "$d/programs/psi.wasm"
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" status $at --identity "$IDS/mallory" &&
	expect_grep "$T/err" "client certificate of a policy participant"
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" pull $at --identity "$IDS/mallory" -o "$T/m.out" /output/intersection.csv
CHECKS=$((CHECKS + 1))
[ ! -e "$T/m.out" ] || fail "a refused pull left $T/m.out"

# A new key under a participant's name.
"$CCCTL" identity new -q st-marys --dir "$T/evil" >/dev/null 2>&1
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" push $at --identity "$T/evil/st-marys" --file /input/st-marys.csv \
	"$d/data/st-marys.csv" && expect_grep "$T/err" "client certificate of a policy participant"
expect_stored inputs "$sm" ""

# Wrong writer.
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" push $at --identity "$sm" --file /input/city-general.csv \
	"$d/data/city-general.csv" && expect_grep "$T/err" "only the input's writer may upload it"
expect_grep "$T/err" "expected city-general, got st-marys"
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" push $at --identity "$cg" --program psi "$d/programs/psi.wasm" &&
	expect_grep "$T/err" "only the program's provider may upload it"
expect_stored inputs "$sm" ""
expect_stored programs "$sm" ""

# The rightful writers; then second writes of different bytes.
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv \
	"$d/data/city-general.csv"
expect_stored inputs "$sm" '"/input/city-general.csv","/input/st-marys.csv"'
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv \
	"$d/data/city-general.csv" && expect_grep "$T/err" "already"
expect_grep "$T/err" "(HTTP 409)"
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm" &&
	expect_grep "$T/err" "already"

# Readers and non-readers.
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" pull $at --identity "$cg" -o "$T/cg.out" /output/intersection.csv &&
	expect_grep "$T/err" "not a reader of this output"
expect_grep "$T/err" "(HTTP 403)"
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" pull $at --identity "$rl" -o "$T/rl.out" /output/intersection.csv &&
	expect_grep "$T/err" "not a reader of this output"
# shellcheck disable=SC2086
expect_exit 3 "$CCCTL" pull $at --identity "$sm" -o "$T/in.out" /input/city-general.csv &&
	expect_grep "$T/err" "no such output"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" pull $at --identity "$sm" -o "$T/sm.out" /output/intersection.csv
CHECKS=$((CHECKS + 1))
cmp -s "$T/sm.out" "$d/expected/intersection.csv" ||
	fail "st-marys' result differs from expected/ (a second write changed an input?)"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/cg.out" ] && [ ! -e "$T/rl.out" ] && [ ! -e "$T/in.out" ] ||
	fail "a refused pull left a file behind"
# After the run: still refused, still the same bytes.
# shellcheck disable=SC2086
expect_exit 6 "$CCCTL" pull $at --identity "$cg" /output/intersection.csv
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" pull $at --identity "$sm" -o "$T/sm2.out" /output/intersection.csv
CHECKS=$((CHECKS + 1))
cmp -s "$T/sm2.out" "$d/expected/intersection.csv" || fail "second pull differs"
e2e_finish
