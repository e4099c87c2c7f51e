#!/bin/sh
# Set up a fresh Debian 12 machine, build ccctl, and run the main job on a
# template, every party with its own identity: scaffold it, compile the
# topology into a policy, co-sign it, verify consent, explain the flow,
# deploy the runtime on the sim backend, attest it, push the program and the
# inputs, pull the result as a reader, and tear down.
#   scripts/demo.sh [TEMPLATE]      (default: psi)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
sh scripts/build.sh build
ccctl="$top/build/ccctl"
template=${1:-psi}
work=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-demo.XXXXXX")
CCCTL_STATE_DIR="$work/state"
CCCTL_TEMPLATE_DIR="$top/templates"
# Pin the sim measurement to the runtime this build deploys.
CCCTL_RUNTIME="$top/build/ccctl-runtime"
export CCCTL_STATE_DIR CCCTL_TEMPLATE_DIR CCCTL_RUNTIME
cleanup() {
	"$ccctl" -q teardown demo >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
c() { say ccctl "$@"; "$ccctl" "$@"; }

c init --template "$template" "$work/demo"
cd "$work/demo"
c policy compile topology.yaml -o policy.json
cp policy.json policy.signed.json
for key in ids/*.key; do
	c policy sign policy.signed.json --identity "${key%.key}" -o policy.signed.json
done
c policy verify policy.signed.json
c policy explain policy.signed.json
c deploy --backend sim --policy policy.signed.json --name demo
at="--deployment demo --policy policy.signed.json"
# shellcheck disable=SC2086
c attest $at
# Who provides what, straight from the compiled policy (one line of
# canonical JSON): "programs" records name their provider, "inputs" their
# writer, "outputs" their readers.
json=$(cat policy.json)
rec() { printf '%s' "$json" | sed -n "s/.*\"$1\":\[\([^][]*\(\[[^][]*\][^][]*\)*\)\].*/\1/p" | sed 's/},{/}\n{/g' | awk 1; }
get() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
rec programs | while read -r r; do
	name=$(printf '%s' "$r" | get name)
	who=$(printf '%s' "$r" | get provider)
	# shellcheck disable=SC2086
	c push $at --identity "ids/$who" --program "$name" "programs/$name.wasm"
done
rec inputs | while read -r r; do
	path=$(printf '%s' "$r" | get path)
	who=$(printf '%s' "$r" | get from)
	# shellcheck disable=SC2086
	c push $at --identity "ids/$who" --file "$path" "data/${path##*/}"
done
rec outputs | while read -r r; do
	path=$(printf '%s' "$r" | get path)
	reader=$(printf '%s' "$r" | sed -n 's/.*"to":\["\([^"]*\)".*/\1/p')
	# shellcheck disable=SC2086
	c pull $at --identity "ids/$reader" "$path"
done
c teardown demo
printf '\nThe result above was computed inside the runtime from every party'"'"'s data;\n'
printf 'each party saw only what the policy grants it (sim: a simulation, not confidential).\n'
