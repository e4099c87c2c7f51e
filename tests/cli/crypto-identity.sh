#!/bin/sh
# ccctl identity new: files, modes, key types, refusal to overwrite, bad
# arguments; keys usable (and checked) by policy sign.
. "$top_srcdir/tests/cli/lib.sh"

# P-256 by default, into the current folder.
(cd "$T" && expect_exit 0 "$CCCTL" identity new alice) || FAILS=$((FAILS + 1))
expect_exit 0 test -f "$T/alice.key"
expect_exit 0 test -f "$T/alice.crt"
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$T/alice.key")" = 600 ] || fail "alice.key mode $(stat -c %a "$T/alice.key")"
expect_grep "$T/alice.key" "-----BEGIN PRIVATE KEY-----"
expect_grep "$T/alice.crt" "-----BEGIN CERTIFICATE-----"

# Ed25519 with --json, and a permissive umask never widens the key's mode.
(umask 000 && expect_exit 0 "$CCCTL" identity new bob --dir "$T/ids" --type ed25519 \
	--days 10 --json) || FAILS=$((FAILS + 1))
expect_grep "$T/out" '"name": "bob"'
expect_grep "$T/out" '"type": "ed25519"'
expect_grep "$T/out" "\"key\": \"$T/ids/bob.key\""
expect_grep "$T/out" "\"certificate\": \"$T/ids/bob.crt\""
expect_grep "$T/out" '"spki_sha256": "'
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$T/ids/bob.key")" = 600 ] || fail "bob.key mode $(stat -c %a "$T/ids/bob.key")"
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$T/ids")" = 700 ] || fail "ids/ mode $(stat -c %a "$T/ids")"
expect_exit 0 "$CCCTL" identity new carol --dir "$T/ids" --type p256
expect_grep "$T/out" "type         p256"

# The SPKI digest printed is the one of the certificate (when openssl is
# around to compute it independently).
if command -v openssl >/dev/null 2>&1; then
	"$CCCTL" identity new dave --dir "$T/ids" --json >"$T/dave.json"
	want=$(openssl x509 -in "$T/ids/dave.crt" -pubkey -noout |
		openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
	expect_grep "$T/dave.json" "\"spki_sha256\": \"$want\""
	openssl x509 -in "$T/ids/dave.crt" -noout -text >"$T/dave.txt"
	expect_grep "$T/dave.txt" "Subject: CN = dave"
	expect_grep "$T/dave.txt" "CA:FALSE"
	expect_grep "$T/dave.txt" "TLS Web Client Authentication"
	expect_grep "$T/dave.txt" "Digital Signature"
	expect_grep "$T/dave.txt" "ecdsa-with-SHA256"
fi

# Never overwrite: exit 1, the key unchanged.
before=$(cksum <"$T/ids/bob.key")
expect_exit 1 "$CCCTL" identity new bob --dir "$T/ids"
expect_grep "$T/err" "already exists"
CHECKS=$((CHECKS + 1))
[ "$(cksum <"$T/ids/bob.key")" = "$before" ] || fail "bob.key was overwritten"
# Nor a certificate lying there without its key.
rm -f "$T/ids/carol.key"
expect_exit 1 "$CCCTL" identity new carol --dir "$T/ids"
expect_exit 1 test -e "$T/ids/carol.key"

# Bad argument values are usage errors.
for n in Alice 1x -x a.b "a/b" "" abcdefghijklmnopqrstuvwxyz0123456; do
	expect_exit 2 "$CCCTL" identity new "$n" --dir "$T/bad"
done
expect_grep "$T/err" "identity name"
expect_exit 2 "$CCCTL" identity new eve --dir "$T/bad" --type rsa
expect_grep "$T/err" "unknown key type \"rsa\""
for d in 0 -1 x 36501 1x ""; do
	expect_exit 2 "$CCCTL" identity new eve --dir "$T/bad" --days "$d"
done
expect_exit 2 "$CCCTL" identity new
expect_exit 2 "$CCCTL" identity new a b
expect_exit 1 test -e "$T/bad/eve.key"
finish
