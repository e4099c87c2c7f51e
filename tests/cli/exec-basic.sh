#!/bin/sh
# ccctl exec: standard streams, arguments, environment, exit statuses,
# --stats, usage errors, and the WASI calls' errno answers (bad pointers,
# missing rights, unknown descriptors, unimplemented functions).
. "$top_srcdir/tests/cli/lib.sh"

[ -n "${WASI_CC:-}" ] || skip "no wasm32-wasi C compiler (configure found none)"

cat >"$T/prog.c" <<'PROG'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

extern char **environ;

/* Raw WASI calls and the errno each returned, one per line. */
static void probe(void)
{
	char buf[16];
	__wasi_ciovec_t iov = { (const uint8_t *)"x\n", 2 };
	__wasi_ciovec_t bad_buf = { (const uint8_t *)0xfffffff0u, 64 };
	__wasi_iovec_t riov = { (uint8_t *)buf, sizeof(buf) };
	__wasi_size_t n, m;
	__wasi_filesize_t pos;
	__wasi_timestamp_t t = 1;
	__wasi_fdstat_t st;

	printf("write_ok=%d\n", __wasi_fd_write(1, &iov, 1, &n));
	printf("write_n=%u\n", (unsigned)n);
	printf("write_bad_iovs=%d\n",
	       __wasi_fd_write(1, (const __wasi_ciovec_t *)0xfffffffcu, 1, &n));
	printf("write_bad_buf=%d\n", __wasi_fd_write(1, &bad_buf, 1, &n));
	printf("write_bad_result=%d\n",
	       __wasi_fd_write(1, &iov, 1, (__wasi_size_t *)0xfffffffeu));
	printf("write_badf=%d\n", __wasi_fd_write(99, &iov, 1, &n));
	printf("write_stdin=%d\n", __wasi_fd_write(0, &iov, 1, &n));
	printf("read_stdout=%d\n", __wasi_fd_read(1, &riov, 1, &n));
	printf("seek_stdout=%d\n", __wasi_fd_seek(1, 0, __WASI_WHENCE_SET, &pos));
	printf("sizes_bad=%d\n", __wasi_args_sizes_get(&n, (__wasi_size_t *)0x7ffffffcu));
	printf("sizes_ok=%d\n", __wasi_args_sizes_get(&n, &m));
	printf("clock=%d\n", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t));
	printf("clock_value=%llu\n", (unsigned long long)t);
	printf("clock_bad_id=%d\n", __wasi_clock_time_get(9, 1, &t));
	printf("random=%d\n", __wasi_random_get((uint8_t *)buf, sizeof(buf)));
	printf("random_bad=%d\n", __wasi_random_get((uint8_t *)0xfffffff0u, 32));
	printf("fdstat=%d type=%d\n", __wasi_fd_fdstat_get(1, &st), st.fs_filetype);
	printf("fdstat_bad=%d\n", __wasi_fd_fdstat_get(1, (__wasi_fdstat_t *)0xfffffff8u));
	printf("prestat_none=%d\n", __wasi_fd_prestat_get(3, &(__wasi_prestat_t){ 0 }));
	printf("renumber=%d\n", __wasi_fd_renumber(1, 5));
	printf("yield=%d\n", __wasi_sched_yield());
	printf("close_badf=%d\n", __wasi_fd_close(42));
	fflush(stdout);
	printf("close_stderr=%d\n", __wasi_fd_close(2));
	printf("write_closed=%d\n", __wasi_fd_write(2, &iov, 1, &n));
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	int c;

	if (!*m) {
		printf("hello, world\n");
	} else if (!strcmp(m, "args")) {
		for (int i = 0; i < argc; i++)
			printf("argv[%d]=%s\n", i, argv[i]);
	} else if (!strcmp(m, "env")) {
		for (char **e = environ; *e; e++)
			printf("env %s\n", *e);
	} else if (!strcmp(m, "exit")) {
		return atoi(argv[2]);
	} else if (!strcmp(m, "exit-call")) {
		printf("before exit\n");
		exit(atoi(argv[2]));
	} else if (!strcmp(m, "stderr")) {
		fprintf(stderr, "to stderr\n");
	} else if (!strcmp(m, "cat")) {
		while ((c = getchar()) != EOF)
			putchar(c);
	} else if (!strcmp(m, "malloc")) {
		size_t n = (size_t)atol(argv[2]);
		char *p = malloc(n);

		if (!p) {
			printf("malloc failed\n");
			return 9;
		}
		memset(p, 1, n);
		printf("malloc ok %d\n", p[n / 2] + p[n - 1]);
	} else if (!strcmp(m, "probe")) {
		probe();
	}
	return 0;
}
PROG
$WASI_CC $WASI_CFLAGS -O1 -o "$T/prog.wasm" "$T/prog.c" >"$T/cc.log" 2>&1 ||
	{ cat "$T/cc.log"; skip "cannot build a wasm32-wasi test program"; }
P=$T/prog.wasm

# hello world, and nothing else on either stream
expect_exit 0 "$CCCTL" exec "$P" && expect_grep "$T/out" "hello, world"
CHECKS=$((CHECKS + 1))
[ "$(cat "$T/out")" = "hello, world" ] || fail "stdout is not exactly 'hello, world'"
CHECKS=$((CHECKS + 1))
[ ! -s "$T/err" ] || fail "unexpected stderr: $(cat "$T/err")"

# arguments after --, argv[0] is the module's file name
expect_exit 0 "$CCCTL" exec "$P" -- args "two words" --flag "" &&
	expect_grep "$T/out" "argv[0]=$P" && expect_grep "$T/out" "argv[1]=args" &&
	expect_grep "$T/out" "argv[2]=two words" && expect_grep "$T/out" "argv[3]=--flag" &&
	expect_grep "$T/out" "argv[4]=" && expect_no_grep "$T/out" "argv[5]"

# only the given environment
FOO_FROM_HOST=leak expect_exit 0 "$CCCTL" exec --env A=1 --env B=x=y --env EMPTY= "$P" -- env &&
	expect_grep "$T/out" "env A=1" && expect_grep "$T/out" "env B=x=y" &&
	expect_grep "$T/out" "env EMPTY=" && expect_no_grep "$T/out" "FOO_FROM_HOST"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "expected exactly 3 environment entries"

# exit statuses propagate (return from main and exit())
expect_exit 7 "$CCCTL" exec "$P" -- exit 7
expect_exit 0 "$CCCTL" exec "$P" -- exit 0
expect_exit 1 "$CCCTL" exec "$P" -- exit 1
expect_exit 42 "$CCCTL" exec "$P" -- exit-call 42 && expect_grep "$T/out" "before exit"
expect_exit 1 "$CCCTL" exec "$P" -- exit-call 300 && expect_grep "$T/err" "exit status 300"

# stderr and stdin
expect_exit 0 "$CCCTL" exec "$P" -- stderr && expect_grep "$T/err" "to stderr"
CHECKS=$((CHECKS + 1))
out=$(printf 'line one\nline two\n' | "$CCCTL" exec "$P" -- cat)
[ "$out" = "$(printf 'line one\nline two')" ] || fail "stdin not copied: '$out'"

# memory cap: malloc fails inside the program instead of the host
expect_exit 0 "$CCCTL" exec "$P" -- malloc 8000000 && expect_grep "$T/out" "malloc ok"
expect_exit 9 "$CCCTL" exec --max-memory 4MiB "$P" -- malloc 8000000 &&
	expect_grep "$T/out" "malloc failed"

# --stats
expect_exit 0 "$CCCTL" exec --stats "$P" && expect_grep "$T/err" "fuel used: " &&
	expect_grep "$T/err" "wall time: " && expect_grep "$T/out" "hello, world"
CHECKS=$((CHECKS + 1))
used=$(sed -n 's/^fuel used: //p' "$T/err")
[ "${used:-0}" -gt 100 ] || fail "fuel used '$used' is implausible"
# the same fuel every run (determinism)
"$CCCTL" exec --stats "$P" 2>"$T/err2" >/dev/null
CHECKS=$((CHECKS + 1))
[ "$(sed -n 's/^fuel used: //p' "$T/err2")" = "$used" ] || fail "fuel used differs between runs"

# WASI answers: bounds, rights, descriptors, disabled clock, unimplemented calls
expect_exit 0 "$CCCTL" exec "$P" -- probe
for want in write_ok=0 write_n=2 write_bad_iovs=21 write_bad_buf=21 write_bad_result=21 \
	write_badf=8 write_stdin=76 read_stdout=76 seek_stdout=76 sizes_bad=21 sizes_ok=0 \
	clock=0 clock_value=0 clock_bad_id=28 random=0 random_bad=21 "fdstat=0 type=2" \
	fdstat_bad=21 prestat_none=8 renumber=52 yield=0 close_badf=8 close_stderr=0 \
	write_closed=8; do
	expect_grep "$T/out" "$want"
done

# usage errors
expect_exit 2 "$CCCTL" exec
expect_exit 2 "$CCCTL" exec --fuel lots "$P" && expect_grep "$T/err" "--fuel"
expect_exit 2 "$CCCTL" exec --max-memory 12XB "$P" && expect_grep "$T/err" "--max-memory"
expect_exit 2 "$CCCTL" exec --max-memory 100 "$P"
expect_exit 2 "$CCCTL" exec --env NOEQUALS "$P" && expect_grep "$T/err" "NOEQUALS"
expect_exit 2 "$CCCTL" exec --dir /tmp "$P" && expect_grep "$T/err" "HOSTDIR::GUESTDIR"
expect_exit 2 "$CCCTL" exec --dir ::/x "$P"
expect_exit 1 "$CCCTL" exec --dir "$T/absent::/x" "$P" && expect_grep "$T/err" "absent"
expect_exit 1 "$CCCTL" exec "$T/absent.wasm"
expect_exit 0 "$CCCTL" exec -h && expect_grep "$T/out" "usage: ccctl exec"
finish
