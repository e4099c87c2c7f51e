#!/bin/sh
# Install the Debian 12 packages ccctl needs to build, test and run its
# demo.  Idempotent: installs only what is missing.
set -eu
PKGS="build-essential autoconf automake libtool pkg-config git ca-certificates
libyaml-dev libssl-dev libcurl4-openssl-dev libgit2-dev libcmocka-dev
clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt mandoc cpio
libseccomp-dev time"
missing=
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "scripts/deps.sh: installing:$missing"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
