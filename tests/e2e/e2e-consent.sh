#!/bin/sh
# What a participant's client refuses before sending data, and what the
# runtime refuses while the policy does not allow work (psi template):
# - a policy signed by only some of its signers deploys, but every upload is
#   refused (exit 1) naming who has not signed, and nothing is stored;
# - an expired policy (`expires:` in the past; compile, sign and deploy
#   accept it): uploads are refused with "expired", nothing stored;
# - a policy that expires (8 s after compiling) once every input is in:
#   the first pull after that is refused ("expired", "will not run") and
#   the program never runs;
# - a policy pinning another runtime measurement (64 zeros): attest exits 4
#   naming the expected and the actual measurement, and push refuses to
#   send anything (4);
# - attesting with --policy of another policy than the deployed one: exit 4
#   "policy digest mismatch" naming both digests.
# A replayed nonce (evidence whose report_data binds another nonce) is
# covered by tests/unit/test-evidence.c: the CLI always draws a fresh
# nonce, so it cannot be replayed from here without a fake runtime.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

d="$T/psi"
tpl psi "$d"
sm="$d/ids/st-marys" rl="$d/ids/research-lab"
zeros=0000000000000000000000000000000000000000000000000000000000000000

# Expiring while the inputs are in (set up first; checked last, after the
# other cases have let the clock pass the expiry).
soon=
if exp=$(date -u -d '+8 seconds' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null); then
	{
		cat "$d/topology.yaml"
		echo "expires: $exp"
	} >"$d/soon.yaml"
	policy "$d/soon.yaml" "$d/soon.json" "$d/ids" st-marys city-general research-lab || finish
	deploy soon "$d/soon.json" || finish
	soon=$at
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm"
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
	# shellcheck disable=SC2086
	expect_exit 0 "$CCCTL" push $at --identity "$d/ids/city-general" --file /input/city-general.csv \
		"$d/data/city-general.csv"
fi

# Consent incomplete: city-general has not signed.
policy "$d/topology.yaml" "$d/partial.json" "$d/ids" st-marys research-lab || finish
expect_exit 4 "$CCCTL" policy verify "$d/partial.json" && expect_grep "$T/err" "city-general"
deploy partial "$d/partial.json" || finish
# shellcheck disable=SC2086
expect_exit 0 "$CCCTL" attest $at
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv" &&
	expect_grep "$T/err" "consent" && expect_grep "$T/err" "missing: city-general"
expect_no_grep "$T/err" "st-marys,"
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm" &&
	expect_grep "$T/err" "missing: city-general"
expect_stored inputs "$sm" ""
expect_stored programs "$sm" ""
expect_grep "$T/status.json" '"consent": false'
expect_grep "$T/status.json" 'city-general'

# Expired.
{
	cat "$d/topology.yaml"
	echo 'expires: 2020-01-01T00:00:00Z'
} >"$d/expired.yaml"
policy "$d/expired.yaml" "$d/expired.json" "$d/ids" st-marys city-general research-lab || finish
deploy expired "$d/expired.json" || finish
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv" &&
	expect_grep "$T/err" "expired" && expect_grep "$T/err" "2020-01-01T00:00:00Z"
# shellcheck disable=SC2086
expect_exit 1 "$CCCTL" push $at --identity "$rl" --program psi "$d/programs/psi.wasm" &&
	expect_grep "$T/err" "expired"
expect_stored inputs "$sm" ""
expect_stored programs "$sm" ""
expect_grep "$T/status.json" '"expired": true'

# Another measurement pinned.
{
	cat "$d/topology.yaml"
	printf 'runtime:\n  sim: { sha256: %s }\n' "$zeros"
} >"$d/meas.yaml"
policy "$d/meas.yaml" "$d/meas.json" "$d/ids" st-marys city-general research-lab || finish
actual=$(sha "$E2E_RUNTIME")
deploy meas "$d/meas.json" || finish
# shellcheck disable=SC2086
expect_exit 4 "$CCCTL" attest $at &&
	expect_grep "$T/err" "measurement mismatch: expected sha256:$zeros (policy), got sha256:$actual (evidence)"
# shellcheck disable=SC2086
expect_exit 4 "$CCCTL" push $at --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv" &&
	expect_grep "$T/err" "measurement mismatch"
# shellcheck disable=SC2086
expect_exit 4 "$CCCTL" status $at --identity "$sm"

# Another policy than the deployed one (same runtime, another name).
sed 's/^name: hospital-psi$/name: hospital-psi-two/' "$d/topology.yaml" >"$d/two.yaml"
policy "$d/two.yaml" "$d/two.json" "$d/ids" st-marys city-general research-lab || finish
deploy good "$d/expired.json" || finish
deployed_digest=$(sed -n 's/.*"policy": *"\(sha256:[0-9a-f]*\)".*/\1/p' "$T/deploy.json")
two_digest=sha256:$(sha "$d/two.json.bare")
expect_exit 4 "$CCCTL" attest --deployment good --policy "$d/two.json" &&
	expect_grep "$T/err" "policy digest mismatch: expected $two_digest (--policy), got $deployed_digest (runtime)"
expect_exit 4 "$CCCTL" push --deployment good --policy "$d/two.json" --identity "$sm" \
	--file /input/st-marys.csv "$d/data/st-marys.csv" && expect_grep "$T/err" "policy digest mismatch"
expect_exit 0 "$CCCTL" attest --deployment good --policy "$d/expired.json"

if [ -n "$soon" ]; then
	at=$soon
	end=$(date -u -d "$exp" +%s)
	while [ "$(date -u +%s)" -le "$end" ]; do
		sleep 0.5
	done
	# shellcheck disable=SC2086
	expect_exit 1 "$CCCTL" pull $at --identity "$sm" -o "$T/soon.out" /output/intersection.csv &&
		expect_grep "$T/err" "expired" && expect_grep "$T/err" "will not run"
	expect_grep "$T/err" "$exp"
	CHECKS=$((CHECKS + 1))
	[ ! -e "$T/soon.out" ] || fail "a pull after expiry wrote a result"
	present inputs "$sm" >/dev/null
	expect_grep "$T/status.json" '"run": "pending"'
else
	echo "NOTE: no GNU date -d: the expiry-during-collaboration case is not checked"
fi

e2e_finish
