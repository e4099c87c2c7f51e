#!/bin/sh
# The topology compiler on hostile or odd input: several errors reported at
# once (in file order), empty and binary files, YAML bombs, deep nesting,
# and a 10 MiB topology handled cleanly.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/topology-lib.sh"

make_fixture "$T/c" || skip "cannot build the fixture (ccctl identity new)"
cd "$T/c" || exit 1

# Several errors in one file: all reported, in file order, one exit 3.
base_topology |
	sed 's/hospital/Hospital/; s/provider: carol/provider: carl/; s/to: \[alice, bob\]/to: [alice, bbo]/' \
		>many.yaml
cat >>many.yaml <<'YAML'
limits: { memory: 1TB, fule: 5 }
YAML
expect_exit 3 "$CCCTL" policy compile -o out.json many.yaml
grep '^many.yaml:.*: error: ' "$T/err" | cut -d: -f2,3 >"$T/pos"
CHECKS=$((CHECKS + 1))
[ "$(tr '\n' ' ' <"$T/pos")" = "2:7 9:15 18:17 19:19 19:24 " ] ||
	fail "positions $(tr '\n' ' ' <"$T/pos"), expected 2:7 9:15 18:17 19:19 19:24"
expect_grep "$T/err" 'many.yaml:9:15: error: unknown participant "carl"; did you mean "carol"?'
expect_grep "$T/err" 'many.yaml:19:24: error: unknown key "fule"; did you mean "fuel"?'
expect_grep "$T/err" 'ccctl: error: invalid topology "many.yaml": 5 errors'
expect_exit 1 test -e out.json
# Warnings about roles would only repeat the errors: none.
expect_no_grep "$T/err" 'has no role'

# Empty, blank, comment-only and null documents.
: >empty.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json empty.yaml
expect_grep "$T/err" 'empty.yaml:1:1: error: empty topology'
printf '# nothing\n\n' >comment.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json comment.yaml
expect_grep "$T/err" 'comment.yaml:1:1: error: empty topology'
printf '~\n' >null.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json null.yaml
expect_grep "$T/err" 'null.yaml:1:1: error: "topology": expected a map, found a scalar'
printf 'version: 1\n' >short.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json short.yaml
expect_grep "$T/err" 'short.yaml:1:1: error: missing key "name"'
expect_grep "$T/err" 'short.yaml:1:1: error: missing key "participants"'
expect_grep "$T/err" 'short.yaml:1:1: error: missing key "programs"'

# Binary garbage, a NUL byte, invalid UTF-8 and UTF-16.
head -c 65536 /dev/urandom >garbage.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json garbage.yaml
expect_grep "$T/err" 'garbage.yaml:'
printf 'version: 1\nname: a\000b\n' >nul.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json nul.yaml
expect_grep "$T/err" 'nul.yaml:2:8: error: invalid YAML: control characters are not allowed'
printf 'version: 1\nname: \377\n' >utf8.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json utf8.yaml
expect_grep "$T/err" 'utf8.yaml:2:7: error: invalid YAML: invalid leading UTF-8 octet'
printf '\377\376v\000:\000 \0001\000\n\000' >utf16.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json utf16.yaml
expect_grep "$T/err" 'utf16.yaml:1:1: error: invalid YAML'

# Billion laughs: refused at the first anchor, whatever follows.
cat >laughs.yaml <<'YAML'
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
YAML
expect_exit 3 "$CCCTL" policy compile -o out.json laughs.yaml
expect_grep "$T/err" 'laughs.yaml:1:4: error: YAML anchors are not supported'

# Deep nesting: bounded, no stack overflow.
awk 'BEGIN { s = "x: "; for (i = 0; i < 100000; i++) s = s "["; print s }' >deep.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json deep.yaml
expect_grep "$T/err" 'deep.yaml:1:'
awk 'BEGIN { s = "x: "; for (i = 0; i < 40; i++) s = s "[";
	for (i = 0; i < 40; i++) s = s "]"; print s }' >deep40.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json deep40.yaml
expect_grep "$T/err" 'deep40.yaml:1:35: error: YAML nested too deeply (more than 32 levels)'

# Too many nodes: a flat list of 1.2 million items (2.4 MB) is refused.
awk 'BEGIN { printf "x: ["; for (i = 0; i < 1200000; i++) printf "1,"; print "1]" }' >wide.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json wide.yaml
expect_grep "$T/err" 'error: too many YAML nodes (more than 1000000)'

# A 10 MiB topology: 80000 inputs; compiled cleanly and fast.
big() {
	base_topology | sed '/^outputs:/,$d'
	awk -v n="$1" -v pad="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "  - { path: /input/file-%08d.csv, from: alice, max_size: 1MiB }%s\n", i, pad }'
	printf 'outputs:\n  - path: /output/r.csv\n    to: [alice, bob]\n'
}
big 80000 "  # padding padding padding padding padding padding padding padding" >big.yaml
SIZE=$(wc -c <big.yaml)
CHECKS=$((CHECKS + 1))
[ "$SIZE" -gt 10485760 ] || fail "big.yaml is only $SIZE bytes"
expect_exit 0 timeout 120 "$CCCTL" policy compile -q -o big.json big.yaml
expect_grep big.json '"path":"/input/file-00079999.csv"'
expect_exit 0 "$CCCTL" policy show big.json
expect_grep "$T/out" '/input/file-00079999.csv from alice, at most 1MiB'
# 120000 inputs (8 MiB of YAML) make a policy larger than a signed policy
# may be (8 MiB): refused with a clear message.
big 120000 "" >bigger.yaml
expect_exit 3 timeout 120 "$CCCTL" policy compile -q -o bigger.json bigger.yaml
expect_grep "$T/err" 'bigger.yaml: error: invalid policy: '
expect_grep "$T/err" 'more than 8388608'
cat bigger.yaml >>big.yaml

# More than 16 MiB: refused before parsing.
cat big.yaml bigger.yaml >huge.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json huge.yaml
expect_grep "$T/err" 'huge.yaml'
expect_grep "$T/err" 'too large'

# Control characters from the file never reach the terminal raw.
printf 'version: 1\nname: "a\\e[31mred"\n' >esc.yaml
expect_exit 3 "$CCCTL" policy compile -o out.json esc.yaml
expect_grep "$T/err" 'esc.yaml:2:7: error: "name": "a?[31mred" must match'
CHECKS=$((CHECKS + 1))
! tr -d '\n' <"$T/err" | od -An -c | grep -q '033' || fail "an escape character reached stderr"
base_topology | sed 's/^name: hospital$/name: hospital\ndescription: "x\\e[31m"/' >esc2.yaml
expect_exit 0 "$CCCTL" policy compile -q -o esc2.json esc2.yaml
expect_exit 0 "$CCCTL" policy show esc2.json
expect_grep "$T/out" 'description: x\x1b[31m'

# Missing file, a folder, and usage errors.
expect_exit 1 "$CCCTL" policy compile -o out.json nope.yaml
expect_grep "$T/err" 'nope.yaml'
expect_exit 3 "$CCCTL" policy compile -o out.json ids
expect_exit 2 "$CCCTL" policy compile
expect_exit 2 "$CCCTL" policy compile a.yaml b.yaml

finish
