#!/bin/sh
# The SYNOPSIS of every command's manual page agrees with its -h usage line:
# for each command the binary lists, take "usage: ccctl CMD ..." from
# `ccctl CMD -h`, render the page that the help names ("see ccctl-X(1)")
# and require the usage to be one of the SYNOPSIS entries, white space
# normalised; the page also describes every long option the help lists,
# and ccctl(1) lists the command.  The same for `ccctl -h` and ccctl(1),
# and for ccctl-runtime(8).  Commands the binary does not have yet are not
# checked.
: "${top_srcdir:?run through make check}"
# shellcheck source=tests/cli/lib.sh
. "$top_srcdir/tests/cli/lib.sh"

MANDOC=${MANDOC:-mandoc}
command -v "$MANDOC" >/dev/null 2>&1 || skip "mandoc not found: install mandoc"

man="$top_srcdir/man"
bs=$(printf '\b')

# render PAGE: the page as plain text, without line wrapping.
render() {
	MANWIDTH=1000 "$MANDOC" -Tascii -O width=1000 "$1" | sed "s/.$bs//g"
}

# synopsis: the SYNOPSIS entries of a rendered page on standard input, one
# per line, white space normalised (continuation lines joined to their
# entry).
synopsis() {
	awk '
		/^[^ ]/ { in_syn = ($0 == "SYNOPSIS"); next }
		!in_syn || /^ *$/ { next }
		{
			match($0, /^ */)
			if (RLENGTH <= 5 || entry == "") {
				if (entry != "")
					print entry
				entry = $0
			} else {
				entry = entry " " $0
			}
		}
		END { if (entry != "") print entry }' |
		tr -s ' \t' '  ' | sed 's/^ //; s/ $//'
}

"$CCCTL" -h >"$T/help" 2>&1 || { fail "ccctl -h failed"; finish; }
cmds=$(sed -n 's/^  \([a-z]*\( [a-z]*\)\?\)  .*/\1/p' "$T/help" | sed 's/ *$//')
[ -n "$cmds" ] || { fail "no commands found in 'ccctl -h'"; cat "$T/help"; finish; }

# ccctl(1) shows the usage of `ccctl -h`.
CHECKS=$((CHECKS + 1))
usage=$(head -n 1 "$T/help" | sed 's/^usage: //' | tr -s ' \t' '  ' | sed 's/ $//')
render "$man/ccctl.1" | synopsis >"$T/syn"
grep -qxF -- "$usage" "$T/syn" || fail "ccctl.1: SYNOPSIS lacks '$usage'"

nl='
'
IFS=$nl
for c in $cmds; do
	IFS=' '
	# shellcheck disable=SC2086
	if ! "$CCCTL" $c -h >"$T/usage" 2>&1 || ! head -n 1 "$T/usage" | grep -q '^usage: ccctl '; then
		echo "NOTE: '$c' has no -h usage yet; not checked"
		continue
	fi
	usage=$(head -n 1 "$T/usage" | sed 's/^usage: //' | tr -s ' \t' '  ' | sed 's/ $//')
	page=$(sed -n 's/^see \(ccctl[a-z-]*\)(\([1-8]\))$/\1.\2/p' "$T/usage" | head -n 1)
	CHECKS=$((CHECKS + 1))
	if [ -z "$page" ]; then
		fail "'ccctl $c -h' names no manual page"
		continue
	fi
	if [ ! -f "$man/$page" ]; then
		fail "'ccctl $c -h' refers to $page, which does not exist"
		continue
	fi
	render "$man/$page" >"$T/page"
	synopsis <"$T/page" >"$T/syn"
	if ! grep -qxF -- "$usage" "$T/syn"; then
		fail "$page: SYNOPSIS lacks '$usage'"
		sed 's/^/  synopsis: /' "$T/syn"
	fi
	# The page names every long option the help lists (the usage line
	# shows only the short form of options that have one).
	for o in $(sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' "$T/usage" | tr '\n' ' '); do
		case $o in --help | --quiet | --verbose) continue ;; esac
		CHECKS=$((CHECKS + 1))
		grep -qF -- "$o" "$T/page" || fail "$page does not describe $o of 'ccctl $c'"
	done
	# The main page lists the command.
	CHECKS=$((CHECKS + 1))
	grep -qx "\.It Cm $c" "$man/ccctl.1" || fail "ccctl.1 does not list '$c' (.It Cm $c)"
done
unset IFS

# ccctl-runtime(8) shows the runtime's usage (which may span lines).
rt="${top_builddir:-}/ccctl-runtime"
if [ -x "$rt" ]; then
	CHECKS=$((CHECKS + 1))
	"$rt" -h >"$T/usage" 2>&1 || fail "ccctl-runtime -h failed"
	usage=$(sed '/^$/q' "$T/usage" | tr '\n\t' '  ' | tr -s ' ' |
		sed 's/^usage: //; s/ $//')
	render "$man/ccctl-runtime.8" | synopsis >"$T/syn"
	if ! grep -qxF -- "$usage" "$T/syn"; then
		fail "ccctl-runtime.8: SYNOPSIS lacks '$usage'"
		sed 's/^/  synopsis: /' "$T/syn"
	fi
else
	echo "NOTE: no $rt; ccctl-runtime.8 not checked"
fi
finish
