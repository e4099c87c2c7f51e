#!/bin/sh
# Every manual page in man/ is mandoc -Tlint clean (no message at any level
# from "style" up), and every ccctl page it refers to with .Xr exists.
: "${top_srcdir:?run through make check}"
# shellcheck source=tests/cli/lib.sh
. "$top_srcdir/tests/cli/lib.sh"

MANDOC=${MANDOC:-mandoc}
command -v "$MANDOC" >/dev/null 2>&1 || skip "mandoc not found: install mandoc"

man="$top_srcdir/man"
pages=$(ls "$man"/*.[1-8] 2>/dev/null)
[ -n "$pages" ] || skip "no manual pages in $man"

for p in $pages; do
	name=${p##*/}
	CHECKS=$((CHECKS + 1))
	# "referenced manual not found" depends on what is installed on this
	# machine; references to our own pages are checked below instead.
	"$MANDOC" -Tlint -W style "$p" >"$T/lint" 2>&1
	rc=$?
	grep -v 'STYLE: referenced manual not found' "$T/lint" >"$T/msgs"
	if [ -s "$T/msgs" ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; }; then
		fail "$name: mandoc -Tlint reports (exit $rc):"
		sed 's/^/  /' "$T/msgs"
	fi
	CHECKS=$((CHECKS + 1))
	if ! "$MANDOC" -Tlint -W warning "$p" >"$T/lint" 2>&1 || [ -s "$T/lint" ]; then
		fail "$name: mandoc -Tlint -W warning is not clean:"
		sed 's/^/  /' "$T/lint"
	fi
	# The title and section agree with the file name.
	CHECKS=$((CHECKS + 1))
	base=${name%.*}
	sect=${name##*.}
	title=$(echo "$base" | tr '[:lower:]' '[:upper:]')
	grep -qx "\.Dt $title $sect" "$p" || fail "$name: expected '.Dt $title $sect'"
	# It is installed and distributed.
	CHECKS=$((CHECKS + 1))
	grep -q "man/$name\>" "$man/Makefile.inc" || fail "$name is not in man/Makefile.inc"
	# shellcheck disable=SC2013 # page names hold no white space
	for ref in $(grep -o 'Xr ccctl[a-z-]* [1-8]' "$p" | sed 's/^Xr \(.*\) \(.\)$/\1.\2/' | sort -u); do
		CHECKS=$((CHECKS + 1))
		[ -f "$man/$ref" ] || fail "$name refers to missing page $ref"
	done
done
finish
