#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench-flow.sh - the whole sim flow, `ccctl run --json` of the psi
# template, BENCH_FLOW_RUNS times (default 5): the median of each phase
# (compile, sign, deploy, attest, push, run, pull, teardown, total) from the
# "microseconds" object, in milliseconds, with the fastest and slowest
# total.  Figures only: exits 0 unless it cannot run at all.
#
# environment: CCCTL (the built ccctl; ccctl-runtime beside it), top_srcdir.
set -u
: "${CCCTL:?CCCTL must point at the built ccctl}"
: "${top_srcdir:=.}"
RUNS=${BENCH_FLOW_RUNS:-5}
CCCTL_TEMPLATE_DIR=${CCCTL_TEMPLATE_DIR:-$top_srcdir/templates}
CCCTL_RUNTIME=$(dirname "$CCCTL")/ccctl-runtime
T=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-bench-flow.XXXXXX")
CCCTL_STATE_DIR=$T/state
export CCCTL_TEMPLATE_DIR CCCTL_RUNTIME CCCTL_STATE_DIR
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

"$CCCTL" init -q --template psi "$T/psi" >/dev/null 2>&1 || { echo "bench-flow: ccctl init failed"; exit 1; }
if [ ! -f "$T/psi/programs/psi.wasm" ]; then
	echo "bench-flow: psi.wasm not built (no wasm32-wasi compiler): skipped"
	exit 0
fi
cd "$T/psi" || exit 1
PHASES="compile sign deploy attest push run pull teardown total"
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -rf out
	"$CCCTL" run -q --json topology.yaml -o out >"$T/run.json" 2>"$T/run.err" ||
		{ echo "bench-flow: ccctl run failed: $(tail -n 1 "$T/run.err")"; exit 1; }
	tr -d ' \n' <"$T/run.json" | sed -n 's/.*"microseconds":{\([^}]*\)}.*/\1/p' | tr ',' '\n' |
		tr -d '"' | awk 1 >>"$T/us"
	i=$((i + 1))
done
echo "ccctl run (psi template, sim), median of $RUNS runs, milliseconds"
echo "(run = the first pull, which runs the program; pull = the other outputs' pulls):"
for ph in $PHASES; do
	sed -n "s/^$ph:\([0-9]*\)$/\1/p" "$T/us" | sort -n | awk -v ph="$ph" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { printf "  %-9s     n/a\n", ph; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			if (ph == "total")
				printf "  %-9s %8.1f  (min %.1f, max %.1f)\n", ph, m / 1000, v[1] / 1000, v[NR] / 1000
			else
				printf "  %-9s %8.1f\n", ph, m / 1000
		}'
done
