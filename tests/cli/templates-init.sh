#!/bin/sh
# `ccctl template list` and `ccctl init`: every template initialises into a
# new folder with its files, a self-contained program source and one identity
# (key mode 0600) per participant; a non-empty folder or an unknown template
# is refused without touching anything; a failure half-way removes what was
# created.  Once `ccctl policy compile` exists, every initialised template
# compiles, to the same policy twice and from a copy at another path.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/templates-lib.sh"

# tpl_participants NAME: participant names, one per line.
tpl_participants() {
	awk '/^participants:/ { on = 1; next } /^[^ #]/ { on = 0 }
		on && /^  [a-z][a-z0-9_-]*:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' \
		"$TPL_SRC/$1/topology.yaml"
}

# listing DIR: every file below DIR with its mode, sorted.
listing() {
	(cd "$1" && find . -exec stat -c '%A %n' {} + | LC_ALL=C sort)
}

names=$(tpl_names)
[ -n "$names" ] || { fail "no templates in $TPL_SRC"; finish; }

# template list: one line per template with its description.
expect_exit 0 "$CCCTL" template list
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/out")" = "$(echo "$names" | wc -l)" ] || fail "template list: wrong line count"
for t in $names; do
	desc=$(sed -n 's/^description: *//p' "$TPL_SRC/$t/topology.yaml")
	CHECKS=$((CHECKS + 1))
	[ -n "$desc" ] || fail "$t: topology has no description"
	CHECKS=$((CHECKS + 1))
	grep -F -- "$desc" "$T/out" | grep -q "^$t  *" || fail "template list lacks '$t  $desc'"
done
expect_exit 0 "$CCCTL" template list --json
for t in $names; do
	expect_grep "$T/out" "\"name\": \"$t\""
done
expect_exit 2 "$CCCTL" template list extra
# An empty template folder: nothing listed, not an error.
mkdir "$T/none"
CCCTL_TEMPLATE_DIR="$T/none" expect_exit 0 "$CCCTL" template list
CHECKS=$((CHECKS + 1))
[ -s "$T/out" ] && fail "template list: output for an empty folder"

have_compile=no
"$CCCTL" policy compile -h >/dev/null 2>&1 && have_compile=yes

for t in $names; do
	d="$T/p-$t"
	prog=$(tpl_prog "$t")
	expect_exit 0 "$CCCTL" init --template "$t" "$d" || continue
	expect_grep "$T/out" "$t"
	# The template's files, byte for byte.
	(cd "$TPL_SRC/$t" && find topology.yaml README.md data expected programs -type f \
		\( -path 'programs/*' ! -name '*.[ch]' -prune -o -print \) | LC_ALL=C sort) >"$T/want"
	while read -r f; do
		CHECKS=$((CHECKS + 1))
		cmp -s "$TPL_SRC/$t/$f" "$d/$f" || fail "$t: $f not copied intact"
	done <"$T/want"
	CHECKS=$((CHECKS + 1))
	cmp -s "$TPL_SRC/common/tplio.h" "$d/programs/tplio.h" || fail "$t: programs/tplio.h missing"
	# The built program comes along when there is one.
	w="$top_builddir/templates/$t/programs/$prog.wasm"
	if [ -f "$w" ]; then
		CHECKS=$((CHECKS + 1))
		cmp -s "$w" "$d/programs/$prog.wasm" || fail "$t: programs/$prog.wasm not copied"
	fi
	# No build products of an in-tree build.
	CHECKS=$((CHECKS + 1))
	[ -z "$(find "$d/programs" -type f ! -name '*.c' ! -name '*.h' ! -name '*.wasm')" ] ||
		fail "$t: unexpected files in programs/"
	# Identities: key 0600, certificate, ids/ 0700, the certificate the topology names.
	for p in $(tpl_participants "$t"); do
		CHECKS=$((CHECKS + 1))
		[ "$(stat -c %a "$d/ids/$p.key" 2>/dev/null)" = 600 ] || fail "$t: ids/$p.key not 0600"
		expect_grep "$d/ids/$p.crt" "BEGIN CERTIFICATE"
		expect_grep "$d/topology.yaml" "certificate: ids/$p.crt"
	done
	CHECKS=$((CHECKS + 1))
	[ "$(stat -c %a "$d/ids")" = 700 ] || fail "$t: ids/ not 0700"
	expect_grep "$d/.gitignore" "/ids/*.key"
	# The copied source builds on its own and gives the expected results.
	cc=${CC:-cc}
	if command -v "$cc" >/dev/null 2>&1; then
		CHECKS=$((CHECKS + 1))
		if "$cc" -std=c11 -O1 -ffp-contract=off -DCCCTL_NATIVE -I"$d/programs" \
			-o "$T/prog-$t" "$d/programs/$prog.c" 2>"$T/cc-err"; then
			tpl_root "$t" "$T/root-$t"
			old_ifs=$IFS
			IFS='
'
			# shellcheck disable=SC2046
			set -- $(tpl_args "$t")
			IFS=$old_ifs
			expect_exit 0 env CCCTL_ROOT="$T/root-$t" "$T/prog-$t" "$@" &&
				tpl_compare "$t" "$T/root-$t/output"
		else
			fail "$t: the initialised source does not build"
			sed 's/^/  | /' "$T/cc-err" | head -n 20
		fi
	fi

	# policy compile: deterministic and independent of the folder's path.
	if [ "$have_compile" = yes ] && [ -f "$d/programs/$prog.wasm" ]; then
		expect_exit 0 "$CCCTL" policy compile "$d/topology.yaml" -o "$T/pol1.json" &&
			grep -o 'sha256:[0-9a-f]\{64\}' "$T/out" | head -n 1 >"$T/dig1"
		expect_exit 0 "$CCCTL" policy compile "$d/topology.yaml" -o "$T/pol2.json" &&
			grep -o 'sha256:[0-9a-f]\{64\}' "$T/out" | head -n 1 >"$T/dig2"
		mkdir -p "$T/elsewhere/x"
		cp -R "$d" "$T/elsewhere/x/copy"
		cd "$T/elsewhere/x/copy" &&
			expect_exit 0 "$CCCTL" policy compile topology.yaml -o "$T/pol3.json" &&
			grep -o 'sha256:[0-9a-f]\{64\}' "$T/out" | head -n 1 >"$T/dig3"
		cd "$T" || exit 1
		CHECKS=$((CHECKS + 1))
		if [ ! -s "$T/dig1" ] || ! cmp -s "$T/dig1" "$T/dig2" || ! cmp -s "$T/dig1" "$T/dig3"; then
			fail "$t: policy digests differ or missing: $(cat "$T/dig1" "$T/dig2" "$T/dig3" 2>/dev/null)"
		fi
		CHECKS=$((CHECKS + 1))
		cmp -s "$T/pol1.json" "$T/pol2.json" && cmp -s "$T/pol1.json" "$T/pol3.json" ||
			fail "$t: compiled policies differ"
		rm -rf "$T/elsewhere" "$T/pol1.json" "$T/pol2.json" "$T/pol3.json"
	fi
done
[ "$have_compile" = yes ] || echo "NOTE: no 'ccctl policy compile' yet: compile checks skipped"

# --json: what was created.
expect_exit 0 "$CCCTL" init --json --template auction "$T/j"
for s in '"template": "auction"' '"topology.yaml"' '"ids/acme.key"' '"certificate": "ids/acme.crt"' \
	'"spki_sha256": "' '"wasm": "programs/auction.wasm"'; do
	expect_grep "$T/out" "$s"
done

# Default template: psi.  An empty existing folder is fine, with a trailing /.
mkdir "$T/empty"
expect_exit 0 "$CCCTL" init "$T/empty/" && expect_grep "$T/empty/topology.yaml" "name: hospital-psi"

# A non-empty folder is refused and left exactly as it was.
mkdir "$T/busy"
echo keep >"$T/busy/notes.txt"
listing "$T/busy" >"$T/busy-before"
expect_exit 1 "$CCCTL" init --template psi "$T/busy" && expect_grep "$T/err" "not empty"
listing "$T/busy" >"$T/busy-after"
CHECKS=$((CHECKS + 1))
cmp -s "$T/busy-before" "$T/busy-after" || fail "init changed a non-empty folder"
mkdir "$T/hidden"
: >"$T/hidden/.git"
expect_exit 1 "$CCCTL" init "$T/hidden"
# A file in the way, or a missing parent folder.
: >"$T/afile"
expect_exit 1 "$CCCTL" init "$T/afile"
expect_exit 1 "$CCCTL" init "$T/no/such/parent"
CHECKS=$((CHECKS + 1))
[ -e "$T/no" ] && fail "init created the missing parents"

# An unknown template: usage error naming the templates there are.
expect_exit 2 "$CCCTL" init --template nosuch "$T/u"
for t in $names; do
	expect_grep "$T/err" "$t"
done
expect_grep "$T/err" "unknown template \"nosuch\""
expect_exit 2 "$CCCTL" init --template ../psi "$T/u"
expect_exit 2 "$CCCTL" init --template "" "$T/u"
CHECKS=$((CHECKS + 1))
[ -e "$T/u" ] && fail "init created the folder for an unknown template"
expect_exit 2 "$CCCTL" init
expect_exit 2 "$CCCTL" init "$T/a" "$T/b"

# A participant name no identity can have: refused before anything is made.
mkdir -p "$T/tpl"
cp -R "$TPL_SRC/psi" "$T/tpl/badname"
chmod -R u+w "$T/tpl"
sed -i 's/^  research-lab:/  Research-Lab:/' "$T/tpl/badname/topology.yaml"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 3 "$CCCTL" init --template badname "$T/half"
expect_grep "$T/err" "Research-Lab"
CHECKS=$((CHECKS + 1))
[ -e "$T/half" ] && fail "init created a folder for a broken template"
# A failure half-way (a program path outside the template, found after the
# files are copied) removes everything created: the new folder itself, or
# the contents of an empty one.
cp -R "$TPL_SRC/psi" "$T/tpl/broken"
chmod -R u+w "$T/tpl"
sed -i 's|wasm: programs/psi.wasm|wasm: ../psi.wasm|' "$T/tpl/broken/topology.yaml"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 3 "$CCCTL" init --template broken "$T/half"
expect_grep "$T/err" "../psi.wasm"
CHECKS=$((CHECKS + 1))
[ -e "$T/half" ] && fail "init left a half-made folder: $(find "$T/half" | head)"
mkdir "$T/half2"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 3 "$CCCTL" init --template broken "$T/half2"
CHECKS=$((CHECKS + 1))
[ -d "$T/half2" ] && [ -z "$(ls -A "$T/half2")" ] || fail "init left files in an empty folder"
# A template without a description is listed by name alone; one whose
# program is not built (and cannot be: no such folder) initialises with a
# warning and "built": false.
cp -R "$TPL_SRC/psi" "$T/tpl/plain"
chmod -R u+w "$T/tpl"
sed -i '/^description:/d; s|wasm: programs/psi.wasm|wasm: build/psi.wasm|' "$T/tpl/plain/topology.yaml"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 0 "$CCCTL" template list
CHECKS=$((CHECKS + 1))
grep -qx 'plain' "$T/out" || fail "template list: 'plain' not listed by name alone"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 0 "$CCCTL" template list --json
expect_grep "$T/out" '"name": "plain"'
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 0 "$CCCTL" init --json --template plain "$T/plain"
expect_grep "$T/err" "build/psi.wasm\" is not built"
expect_grep "$T/out" '"built": false'
# A template whose topology is not YAML: invalid input.
mkdir -p "$T/tpl/bad"
printf 'version: 1\nparticipants: [\n' >"$T/tpl/bad/topology.yaml"
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 3 "$CCCTL" init --template bad "$T/bad"
expect_grep "$T/err" "topology.yaml"
# ... and is skipped with a warning by template list.
CCCTL_TEMPLATE_DIR="$T/tpl" expect_exit 0 "$CCCTL" template list
expect_grep "$T/err" 'skipping template "bad"'
expect_grep "$T/out" "plain"

finish
