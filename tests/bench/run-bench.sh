#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-bench.sh - `make bench`: run benchmark programs and print a table.
#
# usage: run-bench.sh PROGRAM...   (environment: CCCTL, top_srcdir)
#
# A PROGRAM with PROGRAM.wasm beside it is run natively, under `ccctl exec`,
# under wabt's wasm-interp (--wasi) and under Node's V8 (node:wasi); the
# table shows the native time (CPU seconds when GNU time is there, else
# wall) and each engine's time as a ratio to it, then
# geometric means of the ratios.  A column whose tool is missing, fails, or
# prints something other than the native output shows "n/a" (with the reason
# below the table).  Any other PROGRAM (a .sh is run with sh) is simply run
# and its output shown after the table.  Benchmarks never fail the build:
# the exit status is 0 unless the arguments are wrong.
#
# BENCH_RUNS=N takes the fastest of N runs (default 1); BENCH_ARGS are
# passed to every program (e.g. a smaller size).
set -u
if [ $# -eq 0 ]; then
	echo "usage: run-bench.sh PROGRAM..." >&2
	exit 2
fi
: "${CCCTL:=ccctl}"
: "${top_srcdir:=.}"
: "${BENCH_RUNS:=1}"
: "${BENCH_ARGS:=}"
NODE=${NODE:-$(command -v node || command -v nodejs || true)}
WASM_INTERP=${WASM_INTERP:-$(command -v wasm-interp || true)}
T=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
NOTES=$T/notes
: >"$NOTES"

now_ns() {
	date +%s%N
}

# GNU time gives the CPU time (user + system) of the run, which a busy
# machine disturbs far less than the wall time; without it, wall time.
GNU_TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f %U -o "$T/probe" true 2>/dev/null; then
	GNU_TIME=/usr/bin/time
fi

# timed NAME CMD...: run CMD BENCH_RUNS times (stdout to $T/NAME.out),
# print the best time in seconds; status 1 if any run failed.
timed() {
	name=$1
	shift
	best=
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		t0=$(now_ns)
		if [ -n "$GNU_TIME" ]; then
			# shellcheck disable=SC2086
			"$GNU_TIME" -f '%U %S' -o "$T/time" "$@" $BENCH_ARGS >"$T/$name.out" \
				2>"$T/$name.err" </dev/null || return 1
			dt=$(awk '{ printf "%.0f\n", ($1 + $2) * 1e9 }' "$T/time")
		else
			# shellcheck disable=SC2086
			"$@" $BENCH_ARGS >"$T/$name.out" 2>"$T/$name.err" </dev/null || return 1
			t1=$(now_ns)
			dt=$((t1 - t0))
		fi
		if [ -z "$best" ] || [ "$dt" -lt "$best" ]; then
			best=$dt
		fi
		i=$((i + 1))
	done
	awk -v ns="$best" 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

# engine COLUMN PROGRAM NATIVE_SECONDS CMD...: "SECONDS RATIO" or "n/a n/a".
engine() {
	col=$1
	prog=$2
	base=$3
	shift 3
	if ! secs=$(timed "$col" "$@"); then
		echo "$prog: $col failed: $(head -n 1 "$T/$col.err")" >>"$NOTES"
		echo n/a n/a
		return
	fi
	if ! cmp -s "$T/native.out" "$T/$col.out"; then
		echo "$prog: $col output differs from native" >>"$NOTES"
		echo n/a n/a
		return
	fi
	awk -v s="$secs" -v b="$base" 'BEGIN { printf "%ss %.2f\n", s, (b > 0 ? s / b : 0) }'
}

# wasm-interp in Debian may be built without WASI support: checked on the
# first module.
interp_ok=0
if [ -z "$WASM_INTERP" ]; then
	echo "wasm-interp: not installed (Debian package wabt)" >>"$NOTES"
else
	interp_ok=1
fi
[ -n "$NODE" ] || echo "node: not installed" >>"$NOTES"

ROWS=$T/rows
: >"$ROWS"
OTHERS=$T/others
: >"$OTHERS"
printf '%-12s %10s %12s %8s %12s %8s\n' program native "ccctl exec" ratio wasm-interp node
for p in "$@"; do
	name=$(basename "$p")
	# scripts live in the source tree (out-of-tree builds)
	if [ ! -f "$p" ] && [ -f "$top_srcdir/$p" ]; then
		p=$top_srcdir/$p
	fi
	if [ ! -f "$p" ]; then
		echo "$name: not built" >>"$NOTES"
		continue
	fi
	if [ ! -f "$p.wasm" ]; then
		# not an engine benchmark: runs after the table
		echo "$p" >>"$OTHERS"
		continue
	fi
	if ! base=$(timed native "$p"); then
		echo "$name: native run failed" >>"$NOTES"
		continue
	fi
	engine ccctl "$name" "$base" "$CCCTL" exec "$p.wasm" -- >"$T/ccctl.row"
	read -r exec_secs exec_ratio <"$T/ccctl.row"
	interp_ratio=n/a
	if [ "$interp_ok" = 1 ] &&
		"$WASM_INTERP" --wasi "$p.wasm" 2>&1 </dev/null | grep -q "not compiled in"; then
		interp_ok=0
		echo "wasm-interp: built without WASI support (--wasi)" >>"$NOTES"
	fi
	if [ "$interp_ok" = 1 ]; then
		interp_ratio=$(engine interp "$name" "$base" "$WASM_INTERP" --wasi "$p.wasm" -- |
			cut -d' ' -f2)
	fi
	node_ratio=n/a
	if [ -n "$NODE" ]; then
		# --single-threaded: node 20 can crash at exit after large wasm runs
		node_ratio=$(engine node "$name" "$base" "$NODE" --no-warnings --single-threaded \
			"$top_srcdir/tests/bench/wasi-node.mjs" "$p.wasm" | cut -d' ' -f2)
	fi
	printf '%-12s %9ss %12s %8s %12s %8s\n' "$name" "$base" "$exec_secs" "$exec_ratio" \
		"$interp_ratio" "$node_ratio"
	echo "$exec_ratio $interp_ratio $node_ratio" >>"$ROWS"
done
if [ -s "$ROWS" ]; then
	awk '
	function fmt(i) { return n[i] ? sprintf("%.2f", exp(s[i] / n[i])) : "n/a" }
	{ for (i = 1; i <= 3; i++) if ($i != "n/a" && $i > 0) { s[i] += log($i); n[i]++ } }
	END { printf "%-12s %10s %12s %8s %12s %8s\n", "geomean", "", "", fmt(1), fmt(2), fmt(3) }
	' "$ROWS"
	if [ -n "$GNU_TIME" ]; then
		echo "(times: CPU seconds, user + system; ratios: engine / native, lower is faster)"
	else
		echo "(times: wall seconds; ratios: engine / native, lower is faster)"
	fi
fi
while read -r p; do
	name=$(basename "$p")
	echo "== $name"
	case $p in
	*.sh) sh "$p" ;;
	*) "$p" ;;
	esac </dev/null || echo "$name: exited with status $?" >>"$NOTES"
done <"$OTHERS"
if [ -s "$NOTES" ]; then
	echo "notes:"
	sed 's/^/  /' "$NOTES"
fi
exit 0
