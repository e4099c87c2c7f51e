#!/bin/sh
# Replay every fuzz target's seed corpus (tests/fuzz/corpus/NAME/) through
# the target built with the replay driver; a crash or sanitizer report fails.
set -u
names=$(cat "$top_builddir/fuzz-names.txt" 2>/dev/null)
if [ -z "$names" ]; then
	echo "no fuzz targets registered"
	exit 77
fi
rc=0
for n in $names; do
	bin="$top_builddir/tests/fuzz/fuzz-$n"
	corpus="$top_srcdir/tests/fuzz/corpus/$n"
	if [ ! -x "$bin" ] || [ ! -d "$corpus" ]; then
		echo "FAIL: fuzz target $n: missing $bin or $corpus"
		rc=1
		continue
	fi
	if out=$("$bin" "$corpus" 2>&1); then
		echo "ok: fuzz-$n: $out"
	else
		echo "FAIL: fuzz-$n"
		echo "$out" | tail -n 30
		rc=1
	fi
done
exit $rc
