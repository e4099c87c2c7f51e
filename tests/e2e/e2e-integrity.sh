#!/bin/sh
# Uploads are all or nothing (psi template; st-marys' input pinned to the
# sample file's SHA-256, city-general's limited to 10 bytes):
# - pulling before anything is stored: exit 1 naming every missing piece;
# - a program other than the pinned one: exit 1 naming the expected and the
#   actual sha256, nothing stored;
# - an input other than the pinned one: the same;
# - an input over max_size (11 bytes for 10B): exit 3 (HTTP 413), nothing
#   stored; exactly 10 bytes is accepted;
# - with some inputs stored, a pull names exactly the ones still missing.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

d="$T/psi"
tpl psi "$d"
smsum=$(sha "$d/data/st-marys.csv")
cgsum=$(sha "$d/data/city-general.csv")
psisum=$(sha "$d/programs/psi.wasm")
awk -v pin="$smsum" '
	{ print }
	/^    from: st-marys$/ { print "    sha256: " pin }
' "$d/topology.yaml" | sed '/from: city-general/{n;s/max_size: .*/max_size: 10B/;}' >"$d/t.yaml"
CHECKS=$((CHECKS + 1))
grep -q "sha256: $smsum" "$d/t.yaml" && grep -q 'max_size: 10B' "$d/t.yaml" ||
	{ fail "psi topology changed: cannot pin/limit inputs"; finish; }
policy "$d/t.yaml" "$d/p.json" "$d/ids" st-marys city-general research-lab || finish
deploy integ "$d/p.json" || finish
sm="$d/ids/st-marys" cg="$d/ids/city-general" rl="$d/ids/research-lab"

# Nothing stored yet: the pull names everything.
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" pull $at --identity "$sm" -o "$T/r" /output/intersection.csv &&
	expect_grep "$T/err" "waiting for inputs: program psi, /input/city-general.csv, /input/st-marys.csv"
expect_grep "$T/err" "(HTTP 409)"

# Another module (a valid, empty one) as the program.
printf '\000asm\001\000\000\000' >"$T/other.wasm"
othersum=$(sha "$T/other.wasm")
# shellcheck disable=SC2086
expect_exit 3 "$CCCTL" push $at --identity "$rl" --program psi "$T/other.wasm" &&
	expect_grep "$T/err" "not the one the policy pins"
expect_grep "$T/err" "expected sha256:$psisum, got sha256:$othersum"
expect_stored programs "$sm" ""

# Another file as the pinned input.
# shellcheck disable=SC2086
expect_exit 3 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv \
	"$d/data/city-general.csv" && expect_grep "$T/err" "not the one the policy pins"
expect_grep "$T/err" "expected sha256:$smsum, got sha256:$cgsum"
expect_stored inputs "$sm" ""

# Over max_size; then exactly max_size.
printf '01234567890' >"$T/eleven"
printf '0123456789' >"$T/ten"
# shellcheck disable=SC2086
expect_exit 3 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv \
	"$d/data/city-general.csv" && expect_grep "$T/err" "larger than the policy allows"
expect_grep "$T/err" "(HTTP 413)"
expect_grep "$T/err" "expected 10, got $(wc -c <"$d/data/city-general.csv" | tr -d ' ')"
# shellcheck disable=SC2086
expect_exit 3 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv "$T/eleven"
expect_stored inputs "$sm" ""

# The right pieces are still accepted after all those refusals.
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
expect_stored programs "$sm" '"psi"'
expect_stored inputs "$sm" '"/input/st-marys.csv"'
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" pull $at --identity "$cg" -o "$T/r" /output/intersection.csv &&
	expect_grep "$T/err" "waiting for inputs: /input/city-general.csv (HTTP 409)"
expect_no_grep "$T/err" "/input/st-marys.csv"
expect_no_grep "$T/err" "program psi"
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" push $at --identity "$cg" --file /input/city-general.csv "$T/ten"
expect_stored inputs "$sm" '"/input/city-general.csv","/input/st-marys.csv"'
CHECKS=$((CHECKS + 1))
[ ! -e "$T/r" ] || fail "a refused pull left a result file"
e2e_finish
