#!/bin/sh
# Set up a fresh Debian 12 machine, build ccctl, and run the main job on a
# template: scaffold it, compile the topology into a policy, co-sign it with
# every party's identity, verify consent and explain the information flow.
#   scripts/demo.sh [TEMPLATE]      (default: psi)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
sh scripts/build.sh build
ccctl="$top/build/ccctl"
template=${1:-psi}
work=$(mktemp -d "${TMPDIR:-/tmp}/ccctl-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CCCTL_TEMPLATE_DIR="$top/templates"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*" | sed 's|'"$top"'/build/||'; }
say ccctl init --template "$template" "$work/demo"
"$ccctl" init --template "$template" "$work/demo"
cd "$work/demo"
say ccctl policy compile topology.yaml -o policy.json
"$ccctl" policy compile topology.yaml -o policy.json
for key in ids/*.key; do
	id=${key%.key}
	say ccctl policy sign policy.signed.json --identity "$id" -o policy.signed.json
	if [ -f policy.signed.json ]; then
		"$ccctl" policy sign policy.signed.json --identity "$id" -o policy.signed.json
	else
		"$ccctl" policy sign policy.json --identity "$id" -o policy.signed.json
	fi
done
say ccctl policy verify policy.signed.json
"$ccctl" policy verify policy.signed.json
say ccctl policy explain policy.signed.json
"$ccctl" policy explain policy.signed.json
