#!/bin/sh
# ccctl policy compile / show / explain: the happy path, outputs, digests
# that depend on nothing but the topology, measurements, and explain's flow.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/topology-lib.sh"

make_fixture "$T/a" || skip "cannot build the fixture (ccctl identity new)"
cd "$T/a" || exit 1
cat >>topology.yaml <<'YAML'
  - path: stdout
    to: [carol]
limits:
  timeout: 10m
  memory: 64MiB
expires: 2027-06-30T00:00:00Z
YAML

# Default output: ./policy.json; the digest on stdout is the file's SHA-256.
expect_exit 0 "$CCCTL" policy compile topology.yaml
D=$(cat "$T/out")
case "$D" in sha256:????????????????????????????????????????????????????????????????) ;;
*) fail "digest line '$D'" ;; esac
expect_grep "$T/err" 'topology.yaml: warning: backend "sim" has no reference measurement'
expect_exit 0 test -f policy.json
CHECKS=$((CHECKS + 1))
[ "sha256:$(sha256sum policy.json | cut -d' ' -f1)" = "$D" ] || fail "file digest differs from '$D'"
expect_grep policy.json \
	'"limits":{"fuel":10000000000,"max_input":1073741824,"memory":67108864,"timeout":600}'
expect_grep policy.json '"consent":{"signers":["alice","bob","carol"],"threshold":3}'
expect_grep policy.json '"backends":[{"name":"sim"}]'
expect_grep policy.json '"expires":"2027-06-30T00:00:00Z"'
expect_no_grep policy.json 'topology.yaml'
expect_no_grep policy.json "$T"

# -o, twice: identical bytes; from another folder and a copy of the folder:
# the same digest (nothing host-specific is in a policy).
expect_exit 0 "$CCCTL" policy compile -o again.json topology.yaml
expect_exit 0 cmp policy.json again.json
cp -R "$T/a" "$T/copy"
(cd / && "$CCCTL" policy compile -o "$T/b.json" "$T/copy/topology.yaml") >"$T/out" 2>"$T/err"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/out")" = "$D" ] || fail "copy gives '$(cat "$T/out")', expected '$D'"
expect_exit 0 cmp policy.json "$T/b.json"

# --json.
expect_exit 0 "$CCCTL" policy compile --json -o j.json topology.yaml
expect_grep "$T/out" "\"digest\": \"$D\""
expect_grep "$T/out" '"output": "j.json"'
expect_grep "$T/out" '"warnings": 1'

# -q hides the warning; an unwritable output is a failure (exit 1).
expect_exit 0 "$CCCTL" policy compile -q -o q.json topology.yaml
expect_no_grep "$T/err" 'warning:'
expect_exit 1 "$CCCTL" policy compile -o "$T/no/such/dir/p.json" topology.yaml

# The changed program changes the digest.
printf 'x' >>programs/psi.wasm
expect_exit 0 "$CCCTL" policy compile -o changed.json topology.yaml
expect_no_grep "$T/out" "$D"

# show: text, --json, and the same for a signed policy.
expect_exit 0 "$CCCTL" policy show policy.json
expect_grep "$T/out" 'policy hospital'
expect_grep "$T/out" "digest $D"
expect_grep "$T/out" '/input/a.csv from alice, at most 1GiB'
expect_grep "$T/out" '/output/r.csv by psi, to alice, bob'
expect_grep "$T/out" 'limits: memory 64MiB, fuel 10000000000, timeout 600s, max_input 1GiB'
expect_grep "$T/out" 'consent: 3 of alice, bob, carol'
expect_grep "$T/out" 'expires: 2027-06-30T00:00:00Z'
expect_exit 0 "$CCCTL" policy show --json policy.json
expect_grep "$T/out" '"name": "hospital"'
expect_grep "$T/out" '"spki_sha256": '
if "$CCCTL" policy sign policy.json --identity ids/alice -o signed.json >/dev/null 2>&1; then
	expect_exit 0 "$CCCTL" policy show signed.json
	expect_grep "$T/out" "digest $D"
	expect_grep "$T/out" 'signatures: 1'
	expect_exit 0 "$CCCTL" policy explain signed.json
fi
# A policy with a changed byte or an extra newline is not canonical: exit 3.
sed 's/"threshold":3/"threshold":2/' policy.json >edited.json
expect_exit 0 "$CCCTL" policy show edited.json
sed 's/"threshold":3/"threshold": 3/' policy.json >spaced.json
expect_exit 3 "$CCCTL" policy show spaced.json
expect_grep "$T/err" 'canonical'
sed 's/"name":"psi"/"name":"Psi"/' policy.json >bad.json
expect_exit 3 "$CCCTL" policy show bad.json
expect_exit 3 "$CCCTL" policy explain bad.json
expect_exit 1 "$CCCTL" policy show nope.json
expect_exit 3 "$CCCTL" policy show topology.yaml

# explain: who gives, receives and can learn what.
expect_exit 0 "$CCCTL" policy explain policy.json
expect_grep "$T/out" "policy hospital ($D)"
expect_grep "$T/out" "alice's /input/a.csv through program psi (in /output/r.csv)"
expect_grep "$T/out" "alice's /input/a.csv through program psi (in stdout)"
expect_grep "$T/out" "stdout from program psi"
expect_grep "$T/out" "program psi"
expect_exit 0 "$CCCTL" policy explain --format json policy.json
expect_grep "$T/out" '"from": "alice"'
expect_grep "$T/out" '"output": "stdout"'
cp "$T/out" "$T/explain-format.json"
expect_exit 0 "$CCCTL" policy explain --json policy.json
CHECKS=$((CHECKS + 1))
cmp -s "$T/out" "$T/explain-format.json" || fail "explain --json differs from --format json"
expect_exit 0 "$CCCTL" policy explain --format dot policy.json
expect_grep "$T/out" 'digraph "hospital" {'
expect_grep "$T/out" '"p:alice" -> "i:/input/a.csv";'
expect_grep "$T/out" '"i:/input/a.csv" -> "g:psi";'
expect_grep "$T/out" '"o:/output/r.csv" -> "p:bob";'
expect_exit 2 "$CCCTL" policy explain --format xml policy.json

# Two programs chained through a folder: data flows transitively.
cat >chain.yaml <<YAML
version: 1
name: chain
participants:
  alice: { certificate: ids/alice.crt }
  bob: { certificate: ids/bob.crt }
  carol: { certificate: ids/carol.crt }
  dave: { certificate: ids/dave.crt }
programs:
  - name: clean
    provider: carol
    sha256: $HEX64
    reads: [/input/]
    writes: [/tmp/]
  - name: stats
    provider: carol
    sha256: $HEX64
    reads: [/tmp/clean.csv]
    writes: [/output/]
inputs:
  - { path: /input/a.csv, from: alice, max_size: 1KiB }
outputs:
  - { path: /output/s.csv, to: [bob], program: stats }
consent: { signers: [alice, bob], threshold: 1 }
options: { clock: true, random: false }
YAML
new_cert ids dave
expect_exit 0 "$CCCTL" policy compile -o chain.json chain.yaml
expect_grep "$T/err" 'chain.yaml:7:3: warning: participant "dave" has no role'
expect_no_grep "$T/err" '"carol" has no role'
expect_grep chain.json '"consent":{"signers":["alice","bob"],"threshold":1}'
expect_grep chain.json '"options":{"clock":true,"random":false}'
expect_grep chain.json '"max_size":1024'
expect_exit 0 "$CCCTL" policy explain chain.json
expect_grep "$T/out" "alice's /input/a.csv through program stats (in /output/s.csv)"

# Measurements: inline, from measurements.json, and the sim runtime.
printf '{"nitro":{"pcr0":"%s","pcr1":"%s","pcr2":"%s"},"sim":{"sha256":"%s"}}' \
	"$HEX96" "$HEX96" "$HEX96" "$HEX64" >measurements.json
base_topology >m.yaml
cat >>m.yaml <<YAML
runtime:
  backends: [nitro, sim, cca]
  measurements: measurements.json
  cca: { rim: $(echo "$HEX64" | tr a-f A-F) }
YAML
expect_exit 0 "$CCCTL" policy compile -o m.json m.yaml
expect_grep m.json \
	"{\"measurements\":{\"hash_alg\":\"sha-256\",\"rim\":\"$HEX64\"},\"name\":\"cca\"}"
P3="\"pcr0\":\"$HEX96\",\"pcr1\":\"$HEX96\",\"pcr2\":\"$HEX96\""
expect_grep m.json "{\"measurements\":{$P3},\"name\":\"nitro\"}"
expect_grep m.json "{\"measurements\":{\"sha256\":\"$HEX64\"},\"name\":\"sim\"}"
expect_no_grep "$T/err" 'warning:'
printf 'runtime bytes' >rt.bin
RT=$(sha256sum rt.bin | cut -d' ' -f1)
CCCTL_RUNTIME="$T/a/rt.bin" "$CCCTL" policy compile -o rt.json topology.yaml >"$T/out" 2>"$T/err"
expect_grep rt.json "{\"measurements\":{\"sha256\":\"$RT\"},\"name\":\"sim\"}"
expect_grep "$T/err" "using the measurement of the runtime"
CCCTL_RUNTIME="$T/a/none" "$CCCTL" policy compile -o rt2.json topology.yaml >"$T/out" 2>"$T/err"
expect_grep "$T/err" 'error: cannot measure the sim runtime (CCCTL_RUNTIME)'

# GitHub annotations for diagnostics.
sed 's/hospital/Hospital/' topology.yaml >gh.yaml
GITHUB_ACTIONS=true "$CCCTL" policy compile -o gh.json gh.yaml >"$T/out" 2>"$T/err"
expect_grep "$T/out" '::error file=gh.yaml,line=2,col=7::'

finish
