#!/bin/sh
# ccctl policy sign / verify: round trips with both key types, output
# naming, consent reporting, tampering, wrong and non-participant keys,
# malformed input.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/crypto-helpers.sh"

new_id alice p256
new_id bob ed25519
new_id mallory p256
write_policy "$T/policy.json" demo alice bob
P="$T/policy.json"
S="$T/policy.signed.json"

# Unsigned: a bare policy verifies as "everyone missing".
expect_exit 4 "$CCCTL" policy verify "$P"
expect_grep "$T/err" "missing: alice, bob"

# Alice (P-256) signs the bare policy: written to policy.signed.json.
expect_exit 0 "$CCCTL" policy sign "$P" --identity "$T/ids/alice"
expect_grep "$T/out" "policy.signed.json"
expect_grep "$T/out" "1 of 2"
expect_exit 0 test -f "$S"
expect_grep "$S" '"payloadType":"application/vnd.ccctl.policy+json"'
expect_grep "$S" "\"keyid\":\"$SPKI_alice\""
expect_exit 4 "$CCCTL" policy verify "$S"
expect_grep "$T/out" "sha256:"
expect_grep "$T/out" "alice                signed"
expect_grep "$T/out" "bob                  missing"
expect_grep "$T/err" "missing: bob"

# Signing the bare policy again merges into the existing envelope.
expect_exit 0 "$CCCTL" policy sign "$P" --identity "$T/ids/alice"
expect_exit 4 "$CCCTL" policy verify "$S"
expect_grep "$T/err" "1 of 2"

# Bob (Ed25519) signs the envelope in place; consent complete.
expect_exit 0 "$CCCTL" policy sign "$S" --identity "$T/ids/bob" --json
expect_grep "$T/out" '"signer": "bob"'
expect_grep "$T/out" '"complete": true'
expect_exit 0 "$CCCTL" policy verify "$S"
expect_grep "$T/out" "bob                  signed"
expect_grep "$T/out" "consent: 2 of 2"
expect_exit 0 "$CCCTL" policy verify --json "$S"
expect_grep "$T/out" '"verified": true'
expect_grep "$T/out" '"digest": "sha256:'
# One signature per key: re-signing replaces.
expect_exit 0 "$CCCTL" policy sign "$S" --identity "$T/ids/bob" -o "$T/again.json"
CHECKS=$((CHECKS + 1))
[ "$(grep -o '"keyid"' "$T/again.json" | wc -l)" = 2 ] || fail "again.json: expected 2 signatures"
expect_exit 0 "$CCCTL" policy verify "$T/again.json"

# By name from CCCTL_IDENTITY_DIR.
expect_exit 0 env CCCTL_IDENTITY_DIR="$T/ids" "$CCCTL" policy sign "$S" --identity alice \
	-o "$T/byname.json"
expect_exit 0 "$CCCTL" policy verify "$T/byname.json"

# A threshold of 1 is met by one signature.
write_policy "$T/one.json" one alice bob 1
expect_exit 0 "$CCCTL" policy sign "$T/one.json" --identity "$T/ids/bob"
expect_exit 0 "$CCCTL" policy verify "$T/one.signed.json"
expect_grep "$T/out" "alice                missing"

# An expired policy still verifies, with a warning.
EXPIRES=2020-01-01T00:00:00Z
write_policy "$T/old.json" old alice bob 1
unset EXPIRES
expect_exit 0 "$CCCTL" policy sign "$T/old.json" --identity "$T/ids/alice"
expect_exit 0 "$CCCTL" policy verify "$T/old.signed.json"
expect_grep "$T/err" "expired at 2020-01-01T00:00:00Z"
expect_exit 0 "$CCCTL" policy verify "$T/one.signed.json"
expect_no_grep "$T/err" "expired"

# A non-participant may not sign: exit 6, naming its key digest.
expect_exit 6 "$CCCTL" policy sign "$S" --identity "$T/ids/mallory" -o "$T/m.json"
expect_grep "$T/err" "$SPKI_mallory"
expect_grep "$T/err" "not a participant"
expect_exit 1 test -e "$T/m.json"

# A signature filed under a non-participant's key: exit 4.
sed "s/$SPKI_alice/$SPKI_mallory/" "$S" >"$T/stranger.json"
expect_exit 4 "$CCCTL" policy verify "$T/stranger.json"
expect_grep "$T/err" "signature by non-participant key $SPKI_mallory"
# Bob's signature under alice's keyid: a bad signature by alice.
bobsig=$(sed -n "s/.*\"keyid\":\"$SPKI_bob\",\"sig\":\"\([^\"]*\)\".*/\1/p" "$S")
sed "s|\(\"keyid\":\"$SPKI_alice\",\"sig\":\"\)[^\"]*|\1$bobsig|" "$S" >"$T/wrongkey.json"
expect_exit 4 "$CCCTL" policy verify "$T/wrongkey.json"
expect_grep "$T/err" "bad signature by participant \"alice\""
expect_grep "$T/out" "alice                bad signature"
expect_exit 4 "$CCCTL" policy verify --json "$T/wrongkey.json"
expect_grep "$T/out" '"status": "bad"'
expect_grep "$T/out" '"verified": false'
# Signing such a file keeps the bad signature (and says so).
expect_exit 0 "$CCCTL" policy sign "$T/wrongkey.json" --identity "$T/ids/bob"
expect_grep "$T/err" "keeping the bad signature by participant \"alice\""

# Tampered payload: one changed byte that keeps a valid policy ...
env_payload "$S" | base64 -d >"$T/payload"
sed 's/"name":"demo"/"name":"demp"/' "$T/payload" >"$T/payload2"
expect_exit 1 cmp -s "$T/payload" "$T/payload2"
set_payload "$S" "$T/tampered.json" "$(base64 -w0 <"$T/payload2")"
expect_exit 4 "$CCCTL" policy verify "$T/tampered.json"
expect_grep "$T/err" "bad signature"
# ... and one that does not (still exit 4: the signatures fail).
sed 's/^{/[/' "$T/payload" >"$T/payload3"
set_payload "$S" "$T/tampered2.json" "$(base64 -w0 <"$T/payload3")"
expect_exit 4 "$CCCTL" policy verify "$T/tampered2.json"
expect_grep "$T/err" "not a valid policy"
# Signing refuses a payload that is not a valid policy.
expect_exit 3 "$CCCTL" policy sign "$T/tampered2.json" --identity "$T/ids/alice" -o "$T/x.json"

# Malformed envelopes and junk input: exit 3.
printf '' >"$T/empty.json"
printf '\000\001\377\376binary' >"$T/binary.json"
printf '{"payload":"!!","payloadType":"application/vnd.ccctl.policy+json","signatures":[]}' \
	>"$T/badb64.json"
sed 's/"signatures":/"extra":1,"signatures":/' "$S" >"$T/extra.json"
head -c 100 "$S" >"$T/truncated.json"
sed "s/$SPKI_bob/$SPKI_alice/" "$S" >"$T/dupkey.json"
printf '[1,2]' >"$T/array.json"
sed 's|"payloadType":"[^"]*"|"payloadType":"text/plain"|' "$S" >"$T/type.json"
for f in empty binary badb64 extra truncated dupkey array type; do
	expect_exit 3 "$CCCTL" policy verify "$T/$f.json"
	expect_exit 3 "$CCCTL" policy sign "$T/$f.json" --identity "$T/ids/alice" -o "$T/o.json"
done
expect_exit 1 test -e "$T/o.json"
expect_exit 1 "$CCCTL" policy verify "$T/nonexistent.json"
expect_exit 3 "$CCCTL" policy verify "$T/ids"

# Output protection: the default output holding something else is refused.
write_policy "$T/other.json" other alice bob
echo '{"not":"an envelope"}' >"$T/other.signed.json"
expect_exit 1 "$CCCTL" policy sign "$T/other.json" --identity "$T/ids/alice"
expect_grep "$T/err" "refusing to overwrite"
expect_grep "$T/other.signed.json" '"not":"an envelope"'

# Identity problems: a readable key, a key/certificate mismatch, none.
cp "$T/ids/alice.key" "$T/ids/open.key"
cp "$T/ids/alice.crt" "$T/ids/open.crt"
chmod 644 "$T/ids/open.key"
expect_exit 3 "$CCCTL" policy sign "$S" --identity "$T/ids/open" -o "$T/x.json"
expect_grep "$T/err" "accessible by others"
cp "$T/ids/alice.key" "$T/ids/mix.key"
cp "$T/ids/bob.crt" "$T/ids/mix.crt"
expect_exit 3 "$CCCTL" policy sign "$S" --identity "$T/ids/mix" -o "$T/x.json"
expect_grep "$T/err" "does not match"
expect_exit 1 "$CCCTL" policy sign "$S" --identity "$T/ids/nobody" -o "$T/x.json"
expect_exit 2 "$CCCTL" policy sign "$S"
expect_exit 1 test -e "$T/x.json"
finish
