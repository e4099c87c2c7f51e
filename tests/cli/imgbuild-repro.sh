#!/bin/sh
# `ccctl image build` / `image verify` on sim: two builds of one commit from
# two different folders, at different times and with different caller
# environments, give byte-identical images and measurements; the provenance
# names the commit; a one-line change to runtime/ makes `image verify` exit
# 4 naming the runtime binary and the object that differs; bad input is
# refused with the right exit status.  Three full builds of the runtime
# (about 15-30 s each on two cores).
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/imgbuild-lib.sh"

repo=$T/a/repo
mkrepo "$repo"
c1=$(git -C "$repo" rev-parse HEAD)

# 1. build the work tree as it is (clean: the commit is recorded), signing
# the provenance
"$CCCTL" identity new builder --dir "$T/ids" --type p256 >/dev/null 2>&1 ||
	{ fail "identity new failed"; finish; }
t0=$(date +%s)
expect_exit 0 "$CCCTL" image build --backend sim --source "$repo" -o "$T/out1" --json \
	--identity "$T/ids/builder" &&
	expect_grep "$T/out" "\"commit\": \"$c1\"" &&
	expect_grep "$T/out" '"dirty": false' &&
	expect_no_grep "$T/err" "not a clean git commit"
t1=$(date +%s)
linkage=$(json_str "$T/out" linkage)
[ -x "$T/out1/ccctl-runtime" ] || fail "no runtime binary in $T/out1"
"$T/out1/ccctl-runtime" -h 2>&1 | grep -q '^usage: ccctl-runtime' ||
	fail "the built runtime does not run"

# provenance: in-toto Statement v1, SLSA v1, the commit, the subject digest
prov=$T/out1/provenance.json
sha1=$(sha256sum "$T/out1/ccctl-runtime" | cut -d' ' -f1)
expect_grep "$prov" '"_type":"https://in-toto.io/Statement/v1"'
expect_grep "$prov" '"predicateType":"https://slsa.dev/provenance/v1"'
expect_grep "$prov" "\"digest\":{\"gitCommit\":\"$c1\"}"
expect_grep "$prov" "\"subject\":[{\"digest\":{\"sha256\":\"$sha1\"},\"name\":\"ccctl-runtime\"}]"
expect_grep "$prov" '"buildType":"urn:ccctl:build-type:runtime-image:v1"'
expect_grep "$prov" '"name":"gcc"'
expect_grep "$prov" '"name":"obj/runtime/main.o"'
expect_grep "$prov" "\"sourceDateEpoch\":$(date -d 2026-01-01T00:00:00Z +%s)"
expect_no_grep "$prov" "startedOn"
if command -v python3 >/dev/null 2>&1; then
	CHECKS=$((CHECKS + 1))
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$prov" ||
		fail "provenance.json is not valid JSON"
fi
expect_grep "$T/out1/measurements.json" "{\"sim\":{\"sha256\":\"$sha1\"}}"

# the DSSE envelope: in-toto payload type, the statement as payload, an
# ECDSA signature over PAE(type, payload) by the builder's key
envf=$T/out1/provenance.dsse.json
expect_grep "$envf" '"payloadType":"application/vnd.in-toto+json"'
payload=$(sed -n 's/.*"payload":"\([^"]*\)".*/\1/p' "$envf")
sig=$(sed -n 's/.*"sig":"\([^"]*\)".*/\1/p' "$envf")
printf '%s' "$payload" | base64 -d >"$T/payload" 2>/dev/null
CHECKS=$((CHECKS + 1))
{ cat "$T/payload"; echo; } | cmp -s - "$prov" ||
	fail "the envelope's payload is not provenance.json"
if command -v openssl >/dev/null 2>&1; then
	t=application/vnd.in-toto+json
	{ printf 'DSSEv1 %d %s %d ' ${#t} "$t" "$(wc -c <"$T/payload")"; cat "$T/payload"; } \
		>"$T/pae"
	printf '%s' "$sig" | base64 -d >"$T/sig"
	openssl x509 -in "$T/ids/builder.crt" -pubkey -noout >"$T/pub.pem"
	expect_exit 0 openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/sig" "$T/pae"
	printf 'x' >>"$T/pae"
	expect_exit 1 openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/sig" "$T/pae"
fi

# 2. rebuild from a clone elsewhere, later, in another environment, one job
mkdir -p "$T/b/other folder"
git clone -q "$repo" "$T/b/other folder/clone" || fail "git clone failed"
sleep 1
t2=$(date +%s)
expect_exit 0 env TZ=Pacific/Chatham LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1 CFLAGS=-O0 \
	"$CCCTL" image verify --backend sim --git "file://$T/b/other folder/clone" --rev "$c1" \
	--expect "$T/out1/measurements.json" -o "$T/out2" --jobs 1 &&
	expect_grep "$T/out" "reproduced: $T/out2/ccctl-runtime matches"
t3=$(date +%s)
sha2=$(sha256sum "$T/out2/ccctl-runtime" 2>/dev/null | cut -d' ' -f1)
CHECKS=$((CHECKS + 1))
cmp -s "$T/out1/ccctl-runtime" "$T/out2/ccctl-runtime" ||
	fail "two builds of $c1 differ: $sha1 vs $sha2"
CHECKS=$((CHECKS + 1))
cmp -s "$T/out1/measurements.json" "$T/out2/measurements.json" ||
	fail "measurements.json differ between the two builds"
echo "build 1: $((t1 - t0)) s, build 2: $((t3 - t2)) s, $linkage, sha256 $sha1 / $sha2"

# 3. a one-line change to runtime/: verify against the first measurements
commit_change "$repo" '2026-01-02T00:00:00Z'
c2=$(git -C "$repo" rev-parse HEAD)
expect_exit 4 "$CCCTL" image verify --backend sim --git "$repo" --rev "$c2" \
	--expect "$T/out1/measurements.json" -o "$T/out3" &&
	expect_grep "$T/err" "image not reproduced: measurement mismatch: sim sha256" &&
	expect_grep "$T/err" 'runtime binary "ccctl-runtime" differs' &&
	expect_grep "$T/err" "objects that differ: runtime/main.o" &&
	expect_grep "$T/err" "diffoscope"
[ -f "$T/out3/ccctl-runtime" ] || fail "the rebuild was not kept in $T/out3"

# 4. refusals (no build)
expect_exit 3 "$CCCTL" image build --backend sim --git "$repo" --rev nosuchrev -o "$T/x" &&
	expect_grep "$T/err" 'revision "nosuchrev" not found'
expect_exit 3 "$CCCTL" image build --backend sim --source "$repo" --rev nosuchrev -o "$T/x" &&
	expect_grep "$T/err" 'revision "nosuchrev" not found'
expect_exit 3 "$CCCTL" image build --backend sim --git "$repo" --rev "$c1^{tree}" -o "$T/x" &&
	expect_grep "$T/err" "expected a commit, found a tree"
expect_exit 5 "$CCCTL" image build --backend sim --git "$T/nothing-here" -o "$T/x"
expect_exit 3 "$CCCTL" image build --backend sim --source "$T/ids" -o "$T/x" &&
	expect_grep "$T/err" 'sources: cannot read "Makefile.am"'
sed -i 's/ccctl_runtime_SOURCES/ccctl_runtime_SRCS/' "$T/b/other folder/clone/runtime/Makefile.inc"
expect_exit 3 "$CCCTL" image build --backend sim --source "$T/b/other folder/clone" -o "$T/x" &&
	expect_grep "$T/err" '"ccctl_runtime_SOURCES" is not set'
rm -f "$repo/runtime/wasm/reader.c"
expect_exit 3 "$CCCTL" image build --backend sim --source "$repo" -o "$T/x" &&
	expect_grep "$T/err" '"runtime/wasm/reader.c" is listed but missing'
git -C "$repo" checkout -q -- runtime/wasm/reader.c
expect_exit 2 "$CCCTL" image build --backend sim --git "$repo" --source "$repo" -o "$T/x"
expect_exit 2 "$CCCTL" image build --backend sim -o "$T/x"
expect_exit 2 "$CCCTL" image build --backend nitro --git "$repo" -o "$T/x" &&
	expect_grep "$T/err" "needs --kernel FILE"
expect_exit 2 "$CCCTL" image build --backend sim --kernel /dev/null --git "$repo" -o "$T/x"
expect_exit 2 "$CCCTL" image build --backend wat --git "$repo"
expect_exit 2 "$CCCTL" image build --backend sim --git "$repo" --jobs 0
expect_exit 2 "$CCCTL" image verify --backend sim --git "$repo" --expect "$T/out1/measurements.json"
printf '{"sim":{"sha256":"zz"}}\n' >"$T/bad.json"
expect_exit 3 "$CCCTL" image verify --backend sim --git "$repo" --rev "$c1" --expect "$T/bad.json"
expect_exit 3 "$CCCTL" image verify --backend nitro --kernel /dev/null --git "$repo" --rev "$c1" \
	--expect "$T/out1/measurements.json" &&
	expect_grep "$T/err" 'no "nitro" measurements'
# hostile trees: entries that would escape the export folder, submodules
blob=$(echo hi | git -C "$repo" hash-object -w --stdin)
for entry in "100644 blob $blob	.." "100644 blob $blob	.GIT" "160000 commit $c1	sub"; do
	tree=$(printf '%s\n' "$entry" | git -C "$repo" mktree) &&
		bad=$(echo bad | git -C "$repo" commit-tree "$tree") ||
		{ fail "could not make a commit of '$entry'"; continue; }
	expect_exit 3 "$CCCTL" image build --backend sim --git "$repo" --rev "$bad" -o "$T/x"
	case $entry in
	*sub) expect_grep "$T/err" 'submodule "sub": submodules are not supported' ;;
	*) expect_grep "$T/err" "unsafe tree entry" ;;
	esac
done
[ ! -e "$T/x" ] || fail "a refused build wrote $T/x"
# no work folder is left behind by refused builds
CHECKS=$((CHECKS + 1))
ls -d "$T"/ccctl-imgbuild.* >/dev/null 2>&1 && fail "a work folder was left in $T"
finish
