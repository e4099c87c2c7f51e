#!/bin/sh
# One negative test per rule of ccctl-topology(5): each edits the valid
# base topology (tests/cli/topology-lib.sh, lines numbered there) with a
# sed script and expects exit 3 and the exact "FILE:LINE:COL: error: ..."
# of the broken rule.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/topology-lib.sh"

make_fixture "$T/c" || skip "cannot build the fixture (ccctl identity new)"
cd "$T/c" || exit 1
printf 'not a certificate\n' >ids/junk.crt
printf '{"nitro":{"pcr0":"%s","pcr1":"%s","pcr2":"%s"}}' "$HEX96" "$HEX96" "$HEX96" >m.json
printf '{"nitro":' >bad.json

# The base compiles (and so every failure below is the edit's doing).
expect_exit 0 "$CCCTL" policy compile -o base.json topology.yaml

# rule POS MESSAGE SED-SCRIPT: the edited topology fails at POS with MESSAGE.
rule() {
	base_topology | sed "$3" >topology.yaml
	rm -f out.json
	if expect_exit 3 "$CCCTL" policy compile -o out.json topology.yaml; then
		expect_grep "$T/err" "topology.yaml:$1: error: $2" || sed 's/^/  yaml: /' topology.yaml
	fi
	CHECKS=$((CHECKS + 1))
	[ ! -e out.json ] || fail "out.json written for a failed compilation ($2)"
}

# Header.
rule 1:10 '"version": expected 1, found "2"' '1s/1/2/'
rule 1:1 'missing key "version"' '1d'
rule 2:7 '"name": "Hospital" must match [a-z0-9][a-z0-9-]{0,62}' '2s/hospital/Hospital/'
rule 2:7 '"name": "-x" must match' '2s/hospital/-x/'
rule 2:7 "\"name\": \"$HEX64\" must match" "2s/hospital/$HEX64/"
rule 2:1 'unknown key "nmae"; did you mean "name"?' '2s/name:/nmae:/'
rule 19:1 'duplicate key "name" (first at line 2)' '$a\name: other'
rule 19:14 '"description": expected a string, found a list' '$a\description: [a, b]'
rule 19:14 '"description": expected 1 to 4096 bytes' "\$a\\description: ''"
rule 19:1 'unknown key "colour"' '$a\colour: blue'
# Participants.
rule 3:15 '"participants": expected a map, found a list' '3s/.*/participants: [alice]/;4,6d'
rule 3:15 '"participants": expected at least one participant' '3s/.*/participants: {}/;4,6d'
rule 4:3 'participant name "Alice" must match [a-z][a-z0-9_-]{0,31}' '4s/alice/Alice/'
rule 4:3 'participant name "a234567890123456789012345678901234" must match' \
	'4s/alice/a234567890123456789012345678901234/'
rule 4:12 'unknown key "certficate"; did you mean "certificate"?' '4s/certificate/certficate/'
rule 4:10 'participant "alice": missing key "certificate"' '4s/certificate: ids.alice.crt//'
rule 4:25 'cannot read certificate "ids/nope.crt"' '4s/alice.crt/nope.crt/'
rule 4:25 'certificate "ids/junk.crt":' '4s/alice.crt/junk.crt/'
rule 5:23 'participant "bob" has the same key as "alice" (line 4)' '5s/bob.crt/alice.crt/'
rule 6:3 'duplicate key "alice" (first at line 4)' \
	'6s/carol: { certificate: ids.carol.crt }/alice: { certificate: ids\/bob.crt }/'
# Programs.
rule 7:11 '"programs": expected a list, found a map' '7s/.*/programs: {}/;8,12d'
rule 7:11 '"programs": expected at least one program' '7s/.*/programs: []/;8,12d'
rule 1:1 'missing key "programs"' '7,12d'
rule 8:11 'program name "Psi" must match' '8s/psi/Psi/'
rule 13:11 'program "psi" repeated (first at line 8, column 11)' \
	"12a\\  - name: psi\\n    provider: carol\\n    sha256: $HEX64"
rule 8:5 'program: missing key "provider"' '9d'
rule 9:15 'unknown participant "carl"; did you mean "carol"?' '9s/carol/carl/'
rule 9:15 'unknown participant "zed"' '9s/carol/zed/'
rule 11:5 'program: exactly one of "wasm" or "sha256" is required' "10a\\    sha256: $HEX64"
rule 8:5 'program: exactly one of "wasm" or "sha256" is required' '10d'
rule 10:11 'cannot read program "programs/nope.wasm"' '10s/psi.wasm/nope.wasm/'
rule 10:13 '"sha256": expected 64 hex digits (SHA-256), found 3 characters' \
	'10s/.*/    sha256: abc/'
rule 11:5 'unknown key "raeds"; did you mean "reads"?' '11s/reads/raeds/'
rule 11:13 '"reads": invalid path "input/": expected an absolute path' '11s#/input/#input/#'
rule 11:13 '"reads": invalid path "/input/../x/": ".." component' '11s#/input/#/input/../x/#'
rule 11:13 '"reads": invalid path "/input//": empty component' '11s#/input/#/input//#'
rule 11:13 '"reads": invalid path "/./input/": "." component' '11s#/input/#/./input/#'
rule 11:22 'reads "/input/" repeated (first at line 11, column 13)' \
	'11s#\[/input/\]#[/input/, /input/]#'
rule 11:12 '"reads": expected a list, found a scalar' '11s#\[/input/\]#/input/#'
rule 12:14 '"writes": invalid path "/out put/": only printable ASCII' '12s#/output/#"/out put/"#'
rule 13:11 '"args": expected a list, found a scalar' '12a\    args: --verbose'
# Inputs.
rule 14:11 'input path "input/a.csv": expected an absolute path' '14s#/input/a.csv#input/a.csv#'
rule 14:11 'input path "/input/a/": expected a file, not a folder' '14s#a.csv#a/#'
rule 14:11 'input "/data/a.csv" is not readable by any program (no "reads" covers it)' \
	'14s#/input/a.csv#/data/a.csv#'
rule 14:11 'input "/inputx" is not readable by any program' '14s#/input/a.csv#/inputx#'
rule 16:11 'input path "/input/a.csv" repeated (first at line 14, column 11)' \
	'15a\  - path: /input/a.csv\n    from: bob'
rule 15:11 'unknown participant "alcie"; did you mean "alice"?' '15s/alice/alcie/'
rule 15:11 '"from": expected a string, found a list' '15s/alice/[alice, bob]/'
rule 14:5 'input: missing key "from"' '15d'
rule 14:5 'input: missing key "path"' '14s/path: .input.a.csv/sha256: x/'
rule 16:15 '"max_size": invalid size "64MB": unknown unit "MB" (expected B, KiB, MiB or GiB)' \
	'15a\    max_size: 64MB'
rule 16:15 '"max_size": invalid size "99999999999GiB": larger than' \
	'15a\    max_size: 99999999999GiB'
rule 16:15 '"max_size": invalid size "-1"' '15a\    max_size: -1'
rule 16:15 '"max_size": 0 is out of range' '15a\    max_size: 0'
rule 16:13 '"sha256": expected 64 hex digits' '15a\    sha256: xyz'
rule 16:5 'unknown key "form"; did you mean "from"?' '15a\    form: bob'
rule 13:9 '"inputs": expected a list, found a map' '13s/.*/inputs: {}/;14,15d'
# Outputs.
rule 17:11 'output path "/input/a.csv" is also an input (line 14)' '17s#/output/r.csv#/input/a.csv#'
rule 17:11 'output "/other/r.csv" is not writable by program "psi" (no "writes" covers it)' \
	'17s#/output/r.csv#/other/r.csv#'
rule 17:11 'output path "stdin": expected an absolute path' '17s#/output/r.csv#stdin#'
rule 17:11 'output path "/output/": expected a file, not a folder' '17s#/output/r.csv#/output/#'
rule 18:17 'unknown participant "bbo"; did you mean "bob"?' '18s/bob/bbo/'
rule 18:17 'to "alice" repeated (first at line 18, column 10)' '18s/bob/alice/'
rule 18:9 '"to": expected at least one reader' '18s/\[alice, bob\]/[]/'
rule 18:9 '"to": expected a list, found a scalar' '18s/\[alice, bob\]/alice/'
rule 17:5 'output: missing key "to"' '18d'
rule 19:14 'unknown program "pis"; did you mean "psi"?' '$a\    program: pis'
rule 20:5 'output: missing key "program" (required with several programs)' \
	"12a\\  - name: other\\n    provider: carol\\n    sha256: $HEX64"
rule 19:11 'output path "/output/r.csv" repeated (first at line 17, column 11)' \
	'$a\  - path: /output/r.csv\n    to: [carol]'
# Limits and options.
rule 19:19 '"memory": invalid size "1TiB": unknown unit "TiB"' '$a\limits: { memory: 1TiB }'
rule 19:19 '"memory": 1024 is out of range (expected 65536 to 4294967296)' \
	'$a\limits: { memory: 1KiB }'
rule 19:20 '"timeout": invalid duration "10d": unknown unit "d" (expected s, m or h)' \
	'$a\limits: { timeout: 10d }'
rule 19:20 '"timeout": 0 is out of range' '$a\limits: { timeout: 0s }'
rule 19:17 '"fuel": invalid number "lots": expected a decimal number' '$a\limits: { fuel: lots }'
rule 19:17 '"fuel": invalid number "1e9"' '$a\limits: { fuel: 1e9 }'
rule 19:22 '"max_input": invalid size "007"' '$a\limits: { max_input: 007 }'
rule 19:11 'unknown key "memroy"; did you mean "memory"?' '$a\limits: { memroy: 1 }'
rule 19:19 '"clock": expected true or false, found "yes"' '$a\options: { clock: yes }'
rule 19:20 '"random": expected true or false, found "false"' '$a\options: { random: "false" }'
# Runtime.
rule 19:28 'unknown backend "nitor"; did you mean "nitro"?' '$a\runtime: { backends: [sim, nitor] }'
rule 19:28 'backend "sim" repeated' '$a\runtime: { backends: [sim, sim] }'
rule 19:28 'backend "nitro" has no reference measurements (give runtime.nitro or runtime.measurements)' \
	'$a\runtime: { backends: [sim, nitro] }'
rule 19:22 '"backends": expected at least one backend' '$a\runtime: { backends: [] }'
rule 21:10 'nitro: backend "nitro": measurement "pcr0": expected 96 lowercase hex digits' \
	"\$a\\runtime:\\n  backends: [nitro]\\n  nitro: { pcr0: 00, pcr1: $HEX96, pcr2: $HEX96 }"
rule 21:10 'nitro: backend "nitro": missing measurement "pcr2"' \
	"\$a\\runtime:\\n  backends: [nitro]\\n  nitro: { pcr0: $HEX96, pcr1: $HEX96 }"
rule 21:10 'nitro: backend "nitro": unknown measurement "pcr5"' \
	"\$a\\runtime:\\n  backends: [nitro]\\n  nitro: { pcr5: $HEX96, pcr0: $HEX96, pcr1: $HEX96, pcr2: $HEX96 }"
rule 21:3 'measurements for backend "cca", which is not in runtime.backends' \
	"\$a\\runtime:\\n  backends: [sim]\\n  cca: { rim: $HEX64 }"
rule 21:8 'cca: backend "cca": measurement "hash_alg" is "md5": not one of the accepted values' \
	"\$a\\runtime:\\n  backends: [cca]\\n  cca: { rim: $HEX64, hash_alg: md5 }"
rule 21:17 'cannot read measurements "nope.json"' \
	'$a\runtime:\n  backends: [nitro]\n  measurements: nope.json'
rule 21:17 'measurements "bad.json": ' '$a\runtime:\n  backends: [nitro]\n  measurements: bad.json'
rule 20:14 'backend "cca" has no reference measurements' \
	'$a\runtime:\n  backends: [cca]\n  measurements: m.json'
rule 20:3 'unknown key "backend"; did you mean "backends"?' '$a\runtime:\n  backend: [sim]'
# Consent.
rule 19:29 'unknown participant "dave"' '$a\consent: { signers: [alice, dave] }'
rule 19:46 '"threshold": 3 is out of range (expected 1 to 2)' \
	'$a\consent: { signers: [alice, bob], threshold: 3 }'
rule 19:23 '"threshold": 0 is out of range (expected 1 to 3)' '$a\consent: { threshold: 0 }'
rule 19:23 '"threshold": invalid number "most": expected a decimal number' \
	'$a\consent: { threshold: most }'
rule 19:21 '"signers": expected all or a list of participants, found "everyone"' \
	'$a\consent: { signers: everyone }'
rule 19:29 'signers "alice" repeated (first at line 19, column 22)' \
	'$a\consent: { signers: [alice, alice] }'
# Expiry.
rule 19:10 '"expires": invalid time "2027-06-30": expected YYYY-MM-DDTHH:MM:SSZ' \
	'$a\expires: 2027-06-30'
rule 19:10 '"expires": invalid time "2027-06-30T00:00:00+02:00"' \
	'$a\expires: 2027-06-30T00:00:00+02:00'
rule 19:10 '"expires": invalid time "2027-02-29T00:00:00Z"' '$a\expires: 2027-02-29T00:00:00Z'
rule 19:10 '"expires": invalid time "2027-06-30T24:00:00Z"' '$a\expires: 2027-06-30T24:00:00Z'
# YAML itself.
rule 1:1 '"topology": expected a map, found a list' '1,$c\- a'
rule 19:8 'YAML aliases are not supported' '$a\extra: *x'
rule 19:8 'YAML anchors are not supported' '$a\extra: &x [a]'
rule 1:10 'YAML tags are not supported' '1s/1/!!int 1/'
rule 19:1 'several YAML documents: expected exactly one' '$a\---\nversion: 1'
rule 18:3 'invalid YAML: did not find expected' '18s/    to/  to/'

finish
