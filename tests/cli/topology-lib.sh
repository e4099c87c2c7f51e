# Fixtures for the topology tests (sourced after lib.sh): a folder with
# three identities, a program module and a valid topology.

# The base topology; rule tests edit it line by line, so keep the numbering
# in mind (it is printed in the comments).
base_topology() {
	cat <<'YAML'
version: 1
name: hospital
participants:
  alice: { certificate: ids/alice.crt }
  bob: { certificate: ids/bob.crt }
  carol: { certificate: ids/carol.crt }
programs:
  - name: psi
    provider: carol
    wasm: programs/psi.wasm
    reads: [/input/]
    writes: [/output/]
inputs:
  - path: /input/a.csv
    from: alice
outputs:
  - path: /output/r.csv
    to: [alice, bob]
YAML
}

# new_cert DIR NAME: DIR/NAME.crt (and .key), by ccctl or else by openssl.
new_cert() {
	"$CCCTL" identity new "$2" --dir "$1" >/dev/null 2>&1 && return 0
	mkdir -p "$1" && openssl req -x509 -newkey ed25519 -nodes -keyout "$1/$2.key" \
		-out "$1/$2.crt" -subj "/CN=$2" -days 365 >/dev/null 2>&1
}

# make_fixture DIR: identities, program and base topology in DIR.
make_fixture() {
	mkdir -p "$1/programs" || return 1
	for who in alice bob carol; do
		new_cert "$1/ids" "$who" || { echo "cannot create identity $who"; return 1; }
	done
	printf '\000asm\001\000\000\000' >"$1/programs/psi.wasm"
	base_topology >"$1/topology.yaml"
}

HEX64=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
HEX96=${HEX64}0123456789abcdef0123456789abcdef
