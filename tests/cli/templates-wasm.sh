#!/bin/sh
# The wasm32-wasi builds of the template programs: rebuilt from an
# initialised project with the command its README gives, they are the same
# bytes as the build's (so anyone can re-derive the SHA-256 a policy pins);
# run under `ccctl exec` and, when node is installed, under node's WASI,
# they print exactly the expected/ results (the same bytes as the native
# builds), and reject malformed input with exit status 3.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/templates-lib.sh"

names=$(tpl_names)
for t in $names; do
	[ -f "$top_builddir/templates/$t/programs/$(tpl_prog "$t").wasm" ] ||
		skip "templates not built for wasm32-wasi (configure found no wasm32-wasi compiler)"
done

runners=
if "$CCCTL" exec -h >/dev/null 2>&1; then
	runners="$runners ccctl"
fi
cat >"$T/wasi.mjs" <<'JS'
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
const [root, wasm, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['program', ...args], env: {},
	preopens: { '/input': root + '/input', '/output': root + '/output' },
	returnOnExit: true });
const mod = await WebAssembly.compile(await readFile(wasm));
process.exitCode = wasi.start(await WebAssembly.instantiate(mod, wasi.getImportObject()));
JS
if command -v node >/dev/null 2>&1 && [ -d "$T" ] &&
	node --no-warnings -e 'import("node:wasi").then(m => process.exit(m.WASI ? 0 : 1))' \
		>/dev/null 2>&1; then
	runners="$runners node"
fi

# wasm_run RUNNER CODE WASM ROOT ARG...
wasm_run() {
	runner=$1 code=$2 wasm=$3 root=$4
	shift 4
	case $runner in
	ccctl)
		expect_exit "$code" "$CCCTL" exec --dir "$root/input::/input" \
			--dir "$root/output::/output" "$wasm" -- "$@" ;;
	node)
		expect_exit "$code" node --no-warnings "$T/wasi.mjs" "$root" "$wasm" "$@" ;;
	esac
}

for t in $names; do
	prog=$(tpl_prog "$t")
	built="$top_builddir/templates/$t/programs/$prog.wasm"

	# Rebuilt from an initialised copy (another path, the README's command):
	# the same bytes.
	if [ -n "${WASI_CC:-}" ] && command -v "$WASI_CC" >/dev/null 2>&1; then
		d="$T/proj-$t"
		expect_exit 0 "$CCCTL" init -q --template "$t" "$d"
		CHECKS=$((CHECKS + 1))
		# shellcheck disable=SC2086
		if (cd "$d" && "$WASI_CC" $WASI_CFLAGS -O2 -ffp-contract=off -Wl,--strip-all \
			-Iprograms "programs/$prog.c" -o "$T/$prog.wasm") 2>"$T/cc-err"; then
			cmp -s "$built" "$T/$prog.wasm" ||
				fail "$t: rebuilding $prog.wasm gives different bytes"
		else
			fail "$t: $prog.wasm does not rebuild"
			sed 's/^/  | /' "$T/cc-err" | head -n 20
		fi
	fi

	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2046
	set -- $(tpl_args "$t")
	IFS=$old_ifs
	for runner in $runners; do
		r="$T/run-$t-$runner"
		tpl_root "$t" "$r"
		wasm_run "$runner" 0 "$built" "$r" "$@" && tpl_compare "$t" "$r/output"
		# Malformed input: exit 3, no output.
		f=$(cd "$r/input" && ls | head -n 1)
		tpl_root "$t" "$r"
		printf 'x\0y\n' >>"$r/input/$f"
		wasm_run "$runner" 3 "$built" "$r" "$@" && expect_grep "$T/err" "/input/$f"
		CHECKS=$((CHECKS + 1))
		[ -z "$(ls "$r/output")" ] || fail "$t ($runner): output despite invalid input"
	done
done
[ -n "$runners" ] || echo "NOTE: neither 'ccctl exec' nor node's WASI available: programs not run"

finish
