#!/bin/sh
# `ccctl image build --backend nitro`: an EIF of a (fake) kernel, the fixed
# command line and a deterministic initramfs.  `ccctl image measure` of the
# EIF gives the PCRs of measurements.json; GNU cpio lists the initramfs
# members; the EIF's ramdisk is initramfs.cpio; a work tree with an
# untracked file is built but recorded as dirty; `image verify` after a
# change to runtime/ names the EIF section and the initramfs member that
# differ.  Two full builds of the runtime.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/imgbuild-lib.sh"

# the initramfs holds no shared libraries: everything is linked statically
for lib in libc.a libssl.a libcrypto.a libseccomp.a; do
	case $(gcc -print-file-name=$lib 2>/dev/null) in
	/*) ;;
	*) skip "static $lib not found (Debian: libc6-dev, libssl-dev, libseccomp-dev)" ;;
	esac
done

repo=$T/repo
mkrepo "$repo"
c1=$(git -C "$repo" rev-parse HEAD)
echo "scratch" >"$repo/notes.txt" # untracked: the work tree is dirty
yes 'not a real kernel' | head -c 65536 >"$T/kernel"

expect_exit 0 "$CCCTL" image build --backend nitro --kernel "$T/kernel" --source "$repo" \
	-o "$T/img" &&
	expect_grep "$T/err" "not a clean git commit" &&
	expect_grep "$T/out" "source $c1 (with local changes)"
eif=$T/img/ccctl-runtime.eif
prov=$T/img/provenance.json
expect_grep "$prov" '"dirty":true'
expect_grep "$prov" '"name":"ccctl-runtime.eif"'
expect_grep "$prov" '"name":"initramfs.cpio"'
expect_grep "$prov" "\"name\":\"kernel\""
expect_grep "$prov" '"name":"cpio/init"'

# the PCRs of measurements.json are those `image measure` computes
m=$T/img/measurements.json
pcr0=$(sed -n 's/.*"pcr0":"\([0-9a-f]*\)".*/\1/p' "$m")
pcr1=$(sed -n 's/.*"pcr1":"\([0-9a-f]*\)".*/\1/p' "$m")
pcr2=$(sed -n 's/.*"pcr2":"\([0-9a-f]*\)".*/\1/p' "$m")
[ ${#pcr0} -eq 96 ] && [ ${#pcr1} -eq 96 ] && [ ${#pcr2} -eq 96 ] ||
	fail "measurements.json lacks nitro PCRs"
expect_exit 0 "$CCCTL" image measure --backend nitro "$eif" &&
	expect_grep "$T/out" "(eif v4, x86_64, 4 sections, 1 ramdisk)" &&
	expect_grep "$T/out" "  PCR0 $pcr0" && expect_grep "$T/out" "  PCR1 $pcr1" &&
	expect_grep "$T/out" "  PCR2 $pcr2"
# one ramdisk: PCR0 = PCR1, PCR2 the extension of the empty string
[ "$pcr0" = "$pcr1" ] || fail "PCR0 and PCR1 differ with one ramdisk"

# the EIF ends with the ramdisk, which is initramfs.cpio
size=$(wc -c <"$T/img/initramfs.cpio")
CHECKS=$((CHECKS + 1))
tail -c "$size" "$eif" | cmp -s - "$T/img/initramfs.cpio" ||
	fail "the EIF's ramdisk is not initramfs.cpio"
CHECKS=$((CHECKS + 1))
grep -q 'reboot=k panic=30 pci=off nomodules console=ttyS0' "$eif" ||
	fail "the EIF lacks the fixed command line"

if command -v cpio >/dev/null 2>&1; then
	CHECKS=$((CHECKS + 1))
	cpio -it --quiet <"$T/img/initramfs.cpio" >"$T/list" 2>"$T/cpio.err" ||
		fail "cpio -t failed: $(cat "$T/cpio.err")"
	printf 'ccctl-runtime\ndev\ninit\n' | cmp -s - "$T/list" ||
		{ fail "initramfs members:"; cat "$T/list"; }
	# the members are the runtime and a static init
	mkdir "$T/x" && (cd "$T/x" && cpio -idm --quiet <"$T/img/initramfs.cpio")
	CHECKS=$((CHECKS + 1))
	[ -x "$T/x/init" ] && [ -x "$T/x/ccctl-runtime" ] || fail "init or runtime not executable"
	CHECKS=$((CHECKS + 1))
	"$T/x/ccctl-runtime" -h 2>&1 | grep -q '^usage: ccctl-runtime' ||
		fail "the runtime in the initramfs does not run"
	expect_exit 0 stat -c '%Y' "$T/x/init" &&
		expect_grep "$T/out" "$(date -d 2026-01-01T00:00:00Z +%s)"
else
	echo "NOTE: cpio not installed; initramfs listing not checked"
fi

# a change to runtime/: the ramdisk section and its runtime member differ
rm -f "$repo/notes.txt"
commit_change "$repo" '2026-01-03T00:00:00Z'
expect_exit 4 "$CCCTL" image verify --backend nitro --kernel "$T/kernel" --git "$repo" \
	--rev HEAD --expect "$m" -o "$T/img2" &&
	expect_grep "$T/err" "measurement mismatch: nitro pcr0" &&
	expect_grep "$T/err" 'enclave image "ccctl-runtime.eif" differs' &&
	expect_grep "$T/err" "eif section 3 (ramdisk) differs" &&
	expect_grep "$T/err" 'cpio member "ccctl-runtime"' &&
	expect_grep "$T/err" "objects that differ: runtime/main.o"

# an arm64 kernel is refused before anything is built
{ head -c 56 /dev/zero; printf 'ARMd'; head -c 100 /dev/zero; } >"$T/arm64"
expect_exit 3 "$CCCTL" image build --backend nitro --kernel "$T/arm64" --git "$repo" \
	-o "$T/img3" && expect_grep "$T/err" "arm64"
finish
