#!/bin/sh
# Differential check: every benchmark of tests/bench/, built to wasm32-wasi,
# prints under `ccctl exec` exactly what its native build prints (small
# work sizes, so this stays quick).
. "$top_srcdir/tests/cli/lib.sh"

[ -n "${WASI_CC:-}" ] || skip "no wasm32-wasi C compiler (configure found none)"

# name and a small size argument
for spec in coremix:40 matmul:24 sha256:1 sort:5000 nbody:200 mandelbrot:48 crc32:2 \
	hashjoin:2000 fib:18; do
	name=${spec%%:*}
	size=${spec#*:}
	native=$top_builddir/tests/bench/$name
	CHECKS=$((CHECKS + 1))
	if [ ! -x "$native" ]; then
		fail "$native not built"
		continue
	fi
	if ! $WASI_CC $WASI_CFLAGS -O2 -o "$T/$name.wasm" "$top_srcdir/tests/bench/$name.c" \
		>"$T/cc.log" 2>&1; then
		cat "$T/cc.log"
		fail "cannot build $name.wasm"
		continue
	fi
	"$native" "$size" >"$T/$name.native" 2>&1 || fail "$name: native run failed"
	if ! expect_exit 0 "$CCCTL" exec "$T/$name.wasm" -- "$size"; then
		continue
	fi
	CHECKS=$((CHECKS + 1))
	if ! cmp -s "$T/$name.native" "$T/out"; then
		fail "$name: output under ccctl exec differs from native"
		sed 's/^/  native: /' "$T/$name.native"
		sed 's/^/  exec:   /' "$T/out"
	fi
	# the size argument really changes the work (the outputs are not constants)
	CHECKS=$((CHECKS + 1))
	"$native" "$((size + 1))" >"$T/$name.other" 2>&1
	cmp -s "$T/$name.native" "$T/$name.other" && fail "$name: output does not depend on its size"
done
finish
