# Helpers for the crypto CLI tests (sourced after lib.sh): identities and a
# small hand-written canonical policy (ccctl-policy(5)) over them.

# new_id NAME TYPE: ids/NAME.{key,crt} in $T; sets SPKI_<NAME>.
new_id() {
	"$CCCTL" identity new "$1" --dir "$T/ids" --type "$2" --json >"$T/id.json" ||
		{ echo "identity new $1 failed"; exit 99; }
	s=$(sed -n 's/.*"spki_sha256": "\([0-9a-f]*\)".*/\1/p' "$T/id.json")
	eval "SPKI_$1=$s"
}

# The certificate as the inside of a JSON string.
pem_json() {
	awk '{ printf "%s\\n", $0 }' "$1"
}

# write_policy FILE NAME A B [THRESHOLD]: participants A and B (sorted: A < B),
# both consent signers; A provides the program, B an input.  $EXPIRES, if
# set, is the expiry time.
write_policy() {
	z=0000000000000000000000000000000000000000000000000000000000000000
	eval "sa=\$SPKI_$3 sb=\$SPKI_$4"
	printf '{"backends":[{"measurements":{"sha256":"%s"},"name":"sim"}],' "$z" >"$1"
	printf '"consent":{"signers":["%s","%s"],"threshold":%s},' "$3" "$4" "${5:-2}" >>"$1"
	[ -z "${EXPIRES:-}" ] || printf '"expires":"%s",' "$EXPIRES" >>"$1"
	printf '"inputs":[{"from":"%s","max_size":1024,"path":"/input/b"}],' "$4" >>"$1"
	printf '"limits":{"fuel":10000000000,"max_input":1073741824,' >>"$1"
	printf '"memory":268435456,"timeout":600},"name":"%s",' "$2" >>"$1"
	printf '"options":{"clock":false,"random":true},' >>"$1"
	printf '"outputs":[{"path":"/output/r","program":"p","to":["%s"]}],' "$3" >>"$1"
	printf '"participants":[{"certificate":"%s","name":"%s","spki_sha256":"%s"},' \
		"$(pem_json "$T/ids/$3.crt")" "$3" "$sa" >>"$1"
	printf '{"certificate":"%s","name":"%s","spki_sha256":"%s"}],' \
		"$(pem_json "$T/ids/$4.crt")" "$4" "$sb" >>"$1"
	printf '"programs":[{"name":"p","provider":"%s","reads":["/input/"],' "$3" >>"$1"
	printf '"sha256":"%s","writes":["/output/"]}],"version":1}' "$z" >>"$1"
}

# The base64 payload of a (canonical, one-line) envelope.
env_payload() {
	sed -n 's/^{"payload":"\([^"]*\)".*/\1/p' "$1"
}

# set_payload IN OUT B64: IN with its payload replaced.
set_payload() {
	sed "s|^{\"payload\":\"[^\"]*\"|{\"payload\":\"$3\"|" "$1" >"$2"
}
