#!/bin/sh
# ccctl exec --dir: files read and written through mapped host folders,
# listings, folders, stat, seek/append; escapes (.., absolute paths,
# symbolic links in and out of the folder, FIFOs) are refused.
. "$top_srcdir/tests/cli/lib.sh"

[ -n "${WASI_CC:-}" ] || skip "no wasm32-wasi C compiler (configure found none)"

cat >"$T/fs.c" <<'PROG'
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static int report(const char *what, int ok)
{
	if (ok) {
		printf("%s: ok\n", what);
		return 0;
	}
	printf("%s: errno %d\n", what, errno);
	return 1;
}

/* path_open on descriptor 3 (the first --dir) without libc's help */
static int raw_open(const char *path, __wasi_lookupflags_t follow)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = __wasi_path_open(3, follow, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);

	printf("raw %s: %d\n", path, e);
	return e != 0;
}

int main(int argc, char **argv)
{
	const char *m = argv[1], *p = argc > 2 ? argv[2] : "";
	char buf[4096];
	struct stat st;
	FILE *f;
	DIR *d;
	struct dirent *de;
	size_t n;
	int fd;

	if (!strcmp(m, "cat")) {
		f = fopen(p, "r");
		if (!f)
			return report(p, 0);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
	} else if (!strcmp(m, "write") || !strcmp(m, "append")) {
		f = fopen(p, m[0] == 'w' ? "w" : "a");
		if (!f)
			return report(p, 0);
		fputs(argv[3], f);
		return report(p, fclose(f) == 0);
	} else if (!strcmp(m, "ls")) {
		d = opendir(p);
		if (!d)
			return report(p, 0);
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				printf("%s%s\n", de->d_name, de->d_type == DT_DIR ? "/" : "");
		closedir(d);
	} else if (!strcmp(m, "mkdir")) {
		return report(p, mkdir(p, 0755) == 0);
	} else if (!strcmp(m, "stat")) {
		if (stat(p, &st) != 0)
			return report(p, 0);
		printf("%s: size %lld %s mtime %lld\n", p, (long long)st.st_size,
		       S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
		       (long long)st.st_mtime);
	} else if (!strcmp(m, "open")) {
		fd = open(p, O_RDONLY);
		return report(p, fd >= 0);
	} else if (!strcmp(m, "tail")) {
		fd = open(p, O_RDONLY);
		if (fd < 0 || lseek(fd, -3, SEEK_END) < 0)
			return report(p, 0);
		n = (size_t)read(fd, buf, 3);
		printf("tail %.*s at %lld\n", (int)n, buf, (long long)lseek(fd, 0, SEEK_CUR));
		pread(fd, buf, 2, 1);
		printf("pread %.2s\n", buf);
	} else if (!strcmp(m, "rights")) {
		/* raw calls: libc turns ENOTCAPABLE into EBADF */
		__wasi_ciovec_t ci = { (const uint8_t *)"x", 1 };
		__wasi_iovec_t vi = { (uint8_t *)buf, 1 };
		__wasi_size_t k;

		fd = open(p, O_RDONLY);
		printf("write on read-only: %d\n", __wasi_fd_write(fd, &ci, 1, &k));
		fd = open(p, O_WRONLY);
		printf("read on write-only: %d\n", __wasi_fd_read(fd, &vi, 1, &k));
		fd = open("/in", O_RDONLY | O_DIRECTORY);
		printf("read on a folder: %d\n", __wasi_fd_read(fd, &vi, 1, &k));
		printf("seek on a folder: %d\n", (int)lseek(fd, 0, SEEK_SET));
	} else if (!strcmp(m, "many")) {
		int k, last = -1;

		for (k = 0; k < atoi(p); k++) {
			fd = open("/in/a.txt", O_RDONLY);
			if (fd < 0)
				break;
			last = fd;
		}
		printf("opened %d errno %d\n", k, k < atoi(p) ? errno : 0);
		n = (size_t)read(last, buf, 5);
		printf("last reads %.*s\n", (int)n, buf);
	} else if (!strcmp(m, "raw")) {
		int bad = 0;

		for (int i = 2; i < argc; i++)
			bad |= raw_open(argv[i], 0);
		bad |= raw_open(argv[2], __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
		return bad;
	}
	return 0;
}
PROG
$WASI_CC $WASI_CFLAGS -O1 -o "$T/fs.wasm" "$T/fs.c" >"$T/cc.log" 2>&1 ||
	{ cat "$T/cc.log"; skip "cannot build a wasm32-wasi test program"; }
P=$T/fs.wasm

mkdir -p "$T/in/sub" "$T/outdir" "$T/secret"
printf 'input data\n' >"$T/in/a.txt"
printf 'nested\n' >"$T/in/sub/b.txt"
printf 'top secret\n' >"$T/secret/key"
ln -s "$T/secret" "$T/in/link-dir"
ln -s "$T/secret/key" "$T/in/link-file"
ln -s a.txt "$T/in/link-inside"
DIRS="--dir $T/in::/in --dir $T/outdir::/out"

# reading, listing (sorted, links shown but not followed), stat
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- cat /in/a.txt && expect_grep "$T/out" "input data"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- cat /in/sub/b.txt && expect_grep "$T/out" "nested"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- cat /in/./sub//b.txt && expect_grep "$T/out" "nested"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- ls /in
CHECKS=$((CHECKS + 1))
[ "$(tr '\n' ' ' <"$T/out")" = "a.txt link-dir link-file link-inside sub/ " ] ||
	fail "listing of /in: $(tr '\n' ' ' <"$T/out")"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- stat /in/a.txt &&
	expect_grep "$T/out" "/in/a.txt: size 11 file mtime 0"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- stat /in/sub && expect_grep "$T/out" "dir"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- tail /in/a.txt &&
	expect_grep "$T/out" "tail ta" && expect_grep "$T/out" "at 11" &&
	expect_grep "$T/out" "pread np"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/missing && expect_grep "$T/out" "errno 44"

# rights follow the open mode
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- rights /in/a.txt &&
	expect_grep "$T/out" "write on read-only: 76" &&
	expect_grep "$T/out" "read on write-only: 76" &&
	expect_grep "$T/out" "read on a folder: 76" && expect_grep "$T/out" "seek on a folder: -1"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/in/a.txt")" = "input data" ] || fail "a.txt changed"

# many descriptors at once, up to the table's limit (1024 incl. stdio and preopens)
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- many 100 && expect_grep "$T/out" "opened 100 errno 0" &&
	expect_grep "$T/out" "last reads input"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- many 2000 && expect_grep "$T/out" "opened 1019 errno 33" &&
	expect_grep "$T/out" "last reads input"

# writing, appending, creating folders: visible on the host
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- write /out/r.txt "result 1"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/outdir/r.txt")" = "result 1" ] || fail "written file: '$(cat "$T/outdir/r.txt")'"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- append /out/r.txt "+more"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/outdir/r.txt")" = "result 1+more" ] || fail "appended file: '$(cat "$T/outdir/r.txt")'"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- write /out/r.txt "short"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/outdir/r.txt")" = "short" ] || fail "truncated file: '$(cat "$T/outdir/r.txt")'"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- mkdir /out/newdir
CHECKS=$((CHECKS + 1))
[ -d "$T/outdir/newdir" ] || fail "folder not created on the host"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- mkdir /out/newdir && expect_grep "$T/out" "errno 20"
expect_exit 0 "$CCCTL" exec $DIRS "$P" -- write /out/newdir/x "deep"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/outdir/newdir/x")" = "deep" ] || fail "file in new folder"

# escapes: .. (even staying inside), absolute paths, symbolic links
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/../secret/key && expect_no_grep "$T/out" "top secret"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/sub/../a.txt && expect_grep "$T/out" "errno 76"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/link-dir/key && expect_no_grep "$T/out" "top secret"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/link-file && expect_grep "$T/out" "errno 32"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /in/link-inside && expect_grep "$T/out" "errno 32"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- write /in/link-file "overwrite"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/secret/key")" = "top secret" ] || fail "wrote through a symbolic link"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- write /in/link-dir/new "planted"
CHECKS=$((CHECKS + 1))
[ ! -e "$T/secret/new" ] || fail "created a file through a symbolic link"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- mkdir /in/link-dir/sub
CHECKS=$((CHECKS + 1))
[ ! -e "$T/secret/sub" ] || fail "created a folder through a symbolic link"
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- cat /etc/passwd
expect_exit 1 "$CCCTL" exec $DIRS "$P" -- raw /etc/passwd ../secret/key sub/../a.txt \
	link-file link-dir/key a.txt
expect_grep "$T/out" "raw /etc/passwd: 76"
expect_grep "$T/out" "raw ../secret/key: 76"
expect_grep "$T/out" "raw sub/../a.txt: 76"
expect_grep "$T/out" "raw link-file: 32"
expect_grep "$T/out" "raw link-dir/key: 32"
expect_grep "$T/out" "raw a.txt: 0"
# no --dir: no files at all
expect_exit 1 "$CCCTL" exec "$P" -- cat /in/a.txt && expect_no_grep "$T/out" "input data"

# special files are refused (and a FIFO does not block)
if mkfifo "$T/in/fifo" 2>/dev/null; then
	expect_exit 1 "$CCCTL" exec $DIRS "$P" -- open /in/fifo && expect_grep "$T/out" "errno 2"
fi
finish
