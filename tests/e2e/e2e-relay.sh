#!/bin/sh
# The host relays bytes only, and a relay that swaps runtimes is caught.
# Two runtimes run the same signed policy (psi template), A and B.  A relay
# (a small Python TCP proxy, standing for a malicious host) sends each
# client's first connection (the evidence request) to A and every later
# one to B.  The evidence is genuine (A's), but it binds A's TLS key, and
# the client pins that key: push, pull and status through the relay exit 4
# ("not the attested one"), and B stores nothing.  Through an honest relay
# (every connection to A) the same commands work: the relay itself is not
# what is refused.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/e2e/e2e-lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 not found (needed for the relay)"
d="$T/psi"
tpl psi "$d"
sm="$d/ids/st-marys" rl="$d/ids/research-lab"
policy "$d/topology.yaml" "$d/p.json" "$d/ids" st-marys city-general research-lab || finish
deploy relay-b "$d/p.json" || finish
EP_B=$ENDPOINT
at_b=$at
deploy relay-a "$d/p.json" || finish
EP_A=$ENDPOINT
at_a=$at

RELAY=
# relay FIRST LATER: listen on 127.0.0.1 (port in $T/relay.port), send the
# first connection to FIRST and the others to LATER; $RELAY is its pid.
relay() {
	rm -f "$T/relay.port"
	python3 - "$1" "$2" "$T/relay.port" <<'EOP' >"$T/relay.log" 2>&1 &
import os, socket, sys, threading

def target(s):
    host, port = s.rsplit(":", 1)
    return (host, int(port))

first, later, portfile = target(sys.argv[1]), target(sys.argv[2]), sys.argv[3]
lsock = socket.socket()
lsock.bind(("127.0.0.1", 0))
lsock.listen(64)
with open(portfile + ".tmp", "w") as f:
    f.write(str(lsock.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)

def pump(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

n = 0
while True:
    c, _ = lsock.accept()
    u = socket.create_connection(first if n == 0 else later)
    n += 1
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
EOP
	RELAY=$!
	n=0
	while [ ! -s "$T/relay.port" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -s "$T/relay.port" ] || { fail "the relay did not start: $(cat "$T/relay.log")"; return 1; }
	RELAY_EP=127.0.0.1:$(cat "$T/relay.port")
}
stop_relay() {
	[ -n "$RELAY" ] || return 0
	kill "$RELAY" 2>/dev/null
	wait "$RELAY" 2>/dev/null
	RELAY=
}
trap 'stop_relay; e2e_cleanup' EXIT

# Swapping relay: one relay per command (each command's first connection
# is its evidence request).
swapped() { # swapped CMD-ARGS...: run ccctl through a fresh A-then-B relay
	relay "$EP_A" "$EP_B" || return 1
	expect_exit 4 "$CCCTL" "$@" --endpoint "$RELAY_EP" --policy "$d/p.json" &&
		expect_grep "$T/err" "the runtime's TLS key is not the attested one"
	stop_relay
}
swapped push --identity "$rl" --program psi "$d/programs/psi.wasm"
swapped push --identity "$sm" --file /input/st-marys.csv "$d/data/st-marys.csv"
swapped status --identity "$sm"
swapped pull --identity "$sm" -o "$T/r" /output/intersection.csv
CHECKS=$((CHECKS + 1))
[ ! -e "$T/r" ] || fail "a pull through the swapping relay wrote a result"
at=$at_b
expect_stored inputs "$sm" ""
expect_stored programs "$sm" ""
at=$at_a
expect_stored inputs "$sm" ""

# Honest relay: every connection to A.
relay "$EP_A" "$EP_A" || finish
expect_exit 0 "$CCCTL" push --endpoint "$RELAY_EP" --policy "$d/p.json" --identity "$sm" \
	--file /input/st-marys.csv "$d/data/st-marys.csv"
expect_exit 0 "$CCCTL" attest --endpoint "$RELAY_EP" --policy "$d/p.json" &&
	expect_grep "$T/out" "verified: sim runtime"
stop_relay
expect_stored inputs "$sm" '"/input/st-marys.csv"'
at=$at_b
expect_stored inputs "$sm" ""
e2e_finish
