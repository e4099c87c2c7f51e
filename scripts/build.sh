#!/bin/sh
# Configure and build ccctl in a build folder (default build/), reusing it
# when it exists.  Extra arguments go to configure.
#   scripts/build.sh [BUILDDIR] [configure options...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bdir=${1:-build}
[ $# -gt 0 ] && shift
case $bdir in /*) ;; *) bdir="$top/$bdir" ;; esac
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi
fi
mkdir -p "$bdir"
cd "$bdir"
if [ ! -f Makefile ]; then
	"$top/configure" -q "$@"
fi
make -s -j"$(nproc)"
