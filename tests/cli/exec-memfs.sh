#!/bin/sh
# The WASI layer over the in-memory file system (as inside the isolate):
# reads, writes, folders, listings, size and node limits (EFBIG, ENOSPC),
# read-only folders (ENOTCAPABLE), captured standard streams.  Driver:
# tests/cli/exec-memfs.c.
. "$top_srcdir/tests/cli/lib.sh"

[ -n "${WASI_CC:-}" ] || skip "no wasm32-wasi C compiler (configure found none)"
D=$top_builddir/tests/cli/exec-memfs

cat >"$T/g.c" <<'PROG'
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argv[1];
	char buf[256], name[64];
	int fd, i;
	ssize_t n;
	DIR *d;
	struct dirent *de;

	if (!strcmp(m, "cat")) {
		fd = open(argv[2], O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (n < 0)
			printf("cat errno %d\n", errno);
		else
			printf("cat %.*s", (int)n, buf);
	} else if (!strcmp(m, "write")) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		n = fd < 0 ? -1 : write(fd, argv[3], strlen(argv[3]));
		printf("write %zd errno %d\n", n, n < 0 ? errno : 0);
	} else if (!strcmp(m, "mkdir")) {
		printf("mkdir %d\n", mkdir(argv[2], 0755) == 0 ? 0 : errno);
	} else if (!strcmp(m, "big")) {
		memset(buf, 'b', sizeof(buf));
		fd = open("/data/big", O_WRONLY | O_CREAT, 0644);
		n = write(fd, buf, 60);
		printf("first %zd\n", n);
		n = write(fd, buf, 10);
		printf("second %zd errno %d\n", n, n < 0 ? errno : 0);
	} else if (!strcmp(m, "fill")) {
		for (i = 0; i < 20; i++) {
			snprintf(name, sizeof(name), "/data/f%02d", i);
			fd = open(name, O_WRONLY | O_CREAT, 0644);
			if (fd < 0)
				break;
			close(fd);
		}
		printf("created %d errno %d\n", i, errno);
		fd = open("/data/in.txt", O_WRONLY | O_APPEND);
		for (i = 0; i < 20; i++)
			if (write(fd, "0123456789", 10) < 0)
				break;
		printf("appended %d errno %d\n", i, errno);
	} else if (!strcmp(m, "ls")) {
		d = opendir(argv[2]);
		while (d && (de = readdir(d)) != NULL)
			printf("%s ", de->d_name);
		printf("\n");
	} else if (!strcmp(m, "shout")) {
		fprintf(stderr, "on stderr\n");
		for (i = 0; i < 1000; i++)
			printf("0123456789\n");
		fflush(stdout);
		printf("done errno %d\n", errno);
	}
	return 3;
}
PROG
$WASI_CC $WASI_CFLAGS -O1 -o "$T/g.wasm" "$T/g.c" >"$T/cc.log" 2>&1 ||
	{ cat "$T/cc.log"; skip "cannot build a wasm32-wasi test program"; }
G=$T/g.wasm

expect_exit 0 "$D" "$G" cat /data/in.txt && expect_grep "$T/out" "status 3" &&
	expect_grep "$T/out" "cat memory input"
expect_exit 0 "$D" "$G" cat /ro/x && expect_grep "$T/out" "cat ro"
expect_exit 0 "$D" "$G" cat /data/nope && expect_grep "$T/out" "cat errno 44"
expect_exit 0 "$D" "$G" cat /data/../ro/x && expect_no_grep "$T/out" "cat ro"
expect_exit 0 "$D" "$G" write /data/out.txt "written" &&
	expect_grep "$T/out" "write 7 errno 0" && expect_grep "$T/out" "file out.txt: written" &&
	expect_grep "$T/out" "file in.txt: memory input"
expect_exit 0 "$D" "$G" write /data/in.txt "replaced" && expect_grep "$T/out" "file in.txt: replaced"
expect_exit 0 "$D" "$G" write /ro/y "no" && expect_grep "$T/out" "write -1 errno 76"
expect_exit 0 "$D" "$G" write /ro/x "no" && expect_grep "$T/out" "write -1 errno 76"
expect_exit 0 "$D" "$G" mkdir /ro/sub && expect_grep "$T/out" "mkdir 76"
expect_exit 0 "$D" "$G" mkdir /data/new && expect_grep "$T/out" "mkdir 0"
expect_exit 0 "$D" "$G" mkdir /data/in.txt && expect_grep "$T/out" "mkdir 20"
expect_exit 0 "$D" "$G" write /data/new/deep.txt "x" && expect_grep "$T/out" "write -1 errno 44"
expect_exit 0 "$D" "$G" write /data/in.txt/x "x" && expect_grep "$T/out" "write -1 errno 54"
expect_exit 0 "$D" "$G" ls /data && expect_grep "$T/out" "in.txt"
# limits: 64-byte files, 160 bytes in all, 8 nodes
expect_exit 0 "$D" "$G" big && expect_grep "$T/out" "first 60" &&
	expect_grep "$T/out" "second -1 errno 22"
expect_exit 0 "$D" "$G" fill && expect_grep "$T/out" "created 6 errno 51" &&
	expect_grep "$T/out" "appended 5 errno 22"
# captured streams: stderr kept apart, stdout cut at its cap with ENOSPC
expect_exit 0 "$D" "$G" shout && expect_grep "$T/out" "stderr: on stderr" &&
	expect_no_grep "$T/out" "done errno 0"
finish
