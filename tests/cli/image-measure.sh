#!/bin/sh
# `ccctl image measure`: sim and nitro measurements, nitro-cli's JSON shape,
# and exit 3 naming what is wrong for damaged images.  Vectors come from
# $CCCTL_TESTDATA/eif (see its SOURCE.md): synthetic-4part.eif and the
# "synthetic" values of pcr-vectors.json (ours, derived from the documented
# algorithm), and the file's SHA-256 given in SOURCE.md.
. "$top_srcdir/tests/cli/lib.sh"

eif_dir=${CCCTL_TESTDATA:-}/eif
[ -n "${CCCTL_TESTDATA:-}" ] && [ -f "$eif_dir/synthetic-4part.eif" ] ||
	skip "shared EIF test data not found (CCCTL_TESTDATA='${CCCTL_TESTDATA:-}')"
img=$eif_dir/synthetic-4part.eif

# The synthetic PCRs are the first (two-space indented) PCR0/1/2 members.
vector() {
	sed -n "s/^  \"$1\": \"\\([0-9a-f]*\\)\",\\{0,1\\}\$/\\1/p" "$eif_dir/pcr-vectors.json" |
		head -n 1
}
pcr0=$(vector PCR0)
pcr1=$(vector PCR1)
pcr2=$(vector PCR2)
[ ${#pcr0} -eq 96 ] && [ ${#pcr1} -eq 96 ] && [ ${#pcr2} -eq 96 ] ||
	{ fail "could not read the synthetic vectors from pcr-vectors.json"; finish; }

# nitro, text
expect_exit 0 "$CCCTL" image measure --backend nitro "$img" &&
	expect_grep "$T/out" "  PCR0 $pcr0" && expect_grep "$T/out" "  PCR1 $pcr1" &&
	expect_grep "$T/out" "  PCR2 $pcr2" &&
	expect_grep "$T/out" "(eif v4, x86_64, 5 sections, 2 ramdisks)"

# nitro, --json: nitro-cli's document
expect_exit 0 "$CCCTL" image measure --backend nitro --json "$img" &&
	expect_grep "$T/out" '"Measurements": {' &&
	expect_grep "$T/out" '"HashAlgorithm": "Sha384 { ... }",' &&
	expect_grep "$T/out" "\"PCR0\": \"$pcr0\"," &&
	expect_grep "$T/out" "\"PCR1\": \"$pcr1\"," &&
	expect_grep "$T/out" "\"PCR2\": \"$pcr2\""
# two images: an array of such documents
expect_exit 0 "$CCCTL" image measure --backend nitro --json "$img" "$img" &&
	[ "$(grep -c '"Measurements"' "$T/out")" -eq 2 ] && [ "$(head -c 1 "$T/out")" = "[" ] ||
	fail "two images: expected a JSON array of two documents"

# sim: SHA-256 of the file (SOURCE.md gives it)
sha=359f1d7210cd9660b522876c0fb9a7512c9cee552468455574f10aa391e50970
expect_exit 0 "$CCCTL" image measure --backend sim "$img" && expect_grep "$T/out" "  sha256 $sha"
expect_exit 0 "$CCCTL" image measure --backend sim --json "$img" &&
	expect_grep "$T/out" "\"sha256\": \"$sha\""

# patch FILE OFFSET OCTAL-BYTE: overwrite one byte in place
patch() {
	printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
bad() { # NAME: a fresh writable copy of the image
	cp "$img" "$T/$1.eif"
	chmod u+w "$T/$1.eif"
	echo "$T/$1.eif"
}

f=$(bad magic)
patch "$f" 0 105 # 'E'
expect_exit 3 "$CCCTL" image measure --backend nitro "$f" &&
	expect_grep "$T/err" "bad magic: expected \".eif\"" && expect_grep "$T/err" "magic.eif"

f=$(bad version)
patch "$f" 5 003
expect_exit 3 "$CCCTL" image measure --backend nitro "$f" &&
	expect_grep "$T/err" "unsupported version: expected 4, found 3"

f=$(bad crc)
patch "$f" 644 060 # last byte of ramdisk 1: '1' -> '0'
expect_exit 3 "$CCCTL" image measure --backend nitro "$f" &&
	expect_grep "$T/err" "crc-32 mismatch: header says c76f9a38, computed"

f=$(bad count)
patch "$f" 27 041 # 33 sections
expect_exit 3 "$CCCTL" image measure --backend nitro "$f" &&
	expect_grep "$T/err" "section count: expected 1 to 32, found 33"

head -c 640 "$img" >"$T/truncated.eif"
expect_exit 3 "$CCCTL" image measure --backend nitro "$T/truncated.eif" &&
	expect_grep "$T/err" "truncated section 4 (ramdisk)"

head -c 100 "$img" >"$T/short.eif"
expect_exit 3 "$CCCTL" image measure --backend nitro "$T/short.eif" &&
	expect_grep "$T/err" "truncated header: expected at least 548 bytes, found 100"

: >"$T/empty.eif"
expect_exit 3 "$CCCTL" image measure --backend nitro "$T/empty.eif" &&
	expect_grep "$T/err" "found 0"

# The first bad image stops the command; --json still gives one document.
expect_exit 3 "$CCCTL" image measure --backend nitro --json "$img" "$T/short.eif" &&
	expect_grep "$T/out" '"exit": 3'

# not readable / not a file / usage
expect_exit 1 "$CCCTL" image measure --backend nitro "$T/missing.eif" &&
	expect_grep "$T/err" "missing.eif"
expect_exit 1 "$CCCTL" image measure --backend sim "$T/missing.bin"
expect_exit 3 "$CCCTL" image measure --backend nitro "$T" &&
	expect_grep "$T/err" "not a regular file"
expect_exit 2 "$CCCTL" image measure "$img" && expect_grep "$T/err" "--backend"
expect_exit 2 "$CCCTL" image measure --backend tdx "$img" &&
	expect_grep "$T/err" "expected sim or nitro"
expect_exit 2 "$CCCTL" image measure --backend nitro
expect_exit 5 "$CCCTL" image measure --backend cca "$img"
finish
