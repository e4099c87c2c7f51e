# Helpers shared by the templates-*.sh tests (sourced after lib.sh).
#
# A template is a folder templates/NAME/ with topology.yaml, one program
# programs/PROG.c (`wasm: programs/PROG.wasm` in the topology), sample
# inputs data/FILE (guest path /input/FILE) and the byte-exact results for
# them, expected/FILE (guest path /output/FILE).

TPL_SRC="$top_srcdir/templates"

# The template names, one per line, sorted.
tpl_names() {
	for d in "$TPL_SRC"/*/; do
		[ -f "$d/topology.yaml" ] && basename "$d"
	done | LC_ALL=C sort
}

# tpl_prog NAME: the program's name from `wasm: programs/PROG.wasm`.
tpl_prog() {
	sed -n 's|^ *wasm: *programs/\([a-z0-9_-]*\)\.wasm *$|\1|p' "$TPL_SRC/$1/topology.yaml"
}

# tpl_args NAME: the program's args, one per line (the flow sequence
# `args: [a, b, ...]`, possibly over several lines; no quoting needed).
tpl_args() {
	awk '
		/^ *args: *\[/ { on = 1; sub(/^ *args: *\[/, "") }
		on {
			line = $0
			end = sub(/\].*$/, "", line)
			n = split(line, a, ",")
			for (i = 1; i <= n; i++) {
				gsub(/^ +| +$/, "", a[i])
				if (a[i] != "")
					print a[i]
			}
			if (end)
				on = 0
		}' "$TPL_SRC/$1/topology.yaml"
}

# tpl_root NAME ROOT: lay out ROOT/input (the sample data) and ROOT/output.
tpl_root() {
	rm -rf "$2"
	mkdir -p "$2/input" "$2/output"
	cp "$TPL_SRC/$1"/data/* "$2/input/"
	chmod -R u+w "$2/input" # the source tree is read-only under distcheck
}

# tpl_compare NAME OUTDIR: OUTDIR holds exactly expected/'s files, byte for byte.
tpl_compare() {
	CHECKS=$((CHECKS + 1))
	want=$(cd "$TPL_SRC/$1/expected" && ls | LC_ALL=C sort | tr '\n' ' ')
	got=$(cd "$2" && ls | LC_ALL=C sort | tr '\n' ' ')
	if [ "$want" != "$got" ]; then
		fail "$1: output files '$got', expected '$want'"
		return 1
	fi
	for f in "$TPL_SRC/$1"/expected/*; do
		CHECKS=$((CHECKS + 1))
		if ! cmp -s "$f" "$2/$(basename "$f")"; then
			fail "$1: $(basename "$f") differs from expected/"
			diff "$f" "$2/$(basename "$f")" | head -n 20 | sed 's/^/  | /'
		fi
	done
}
