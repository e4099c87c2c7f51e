#!/bin/sh
# Set up a fresh Debian 12 machine and run the whole test suite: a normal
# build with warnings as errors, then an ASan+UBSan build, both `make check`;
# under CI also `make distcheck`.  Idempotent.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
jobs=$(nproc)

run_check() { # build-dir configure-options...
	bdir=$1
	shift
	sh scripts/build.sh "$bdir" "$@"
	if ! make -C "$bdir" -s -j"$jobs" check; then
		find "$top/$bdir" -name '*.log' ! -name config.log ! -name test-suite.log \
			-newer "$top/$bdir/Makefile" -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null |
			while read -r f; do echo "==== $f"; tail -n 60 "$f"; done
		echo "scripts/check.sh: make check failed in $bdir"
		exit 1
	fi
}

run_check build --enable-werror
run_check build-asan --enable-werror --enable-sanitizers
if [ "${CI:-}" = true ] || [ "${CCCTL_DISTCHECK:-}" = 1 ]; then
	make -C build -s distcheck DISTCHECK_CONFIGURE_FLAGS="--with-testdata=$top/../shared/testdata"
fi
echo "scripts/check.sh: all tests passed"
