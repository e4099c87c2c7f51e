/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-buf.c - buffers, hex, base64, file read/write, constant-time compare.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"

static void test_buf_basics(void **state)
{
	struct ccctl_buf b;
	size_t len = 99;
	char *s;
	int i;

	ccctl_buf_init(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(ccctl_buf_append_str(&b, "abc"), 0);
	assert_int_equal(ccctl_buf_append_byte(&b, 'd'), 0);
	assert_int_equal(ccctl_buf_append(&b, "e\0f", 3), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abcde\0f", 8); /* NUL past len */
	assert_int_equal(ccctl_buf_append(&b, NULL, 0), 0);
	b.len = 0;
	for (i = 0; i < 1000; i++)
		assert_int_equal(ccctl_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(b.len, 3890);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data + b.len - 4, "999,", 4);
	s = ccctl_buf_steal(&b, &len);
	assert_int_equal(len, 3890);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);

	/* An empty buffer still gives a C string. */
	s = ccctl_buf_steal(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	assert_int_equal(ccctl_buf_append_str(&b, "secret"), 0);
	ccctl_buf_release_secure(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
	ccctl_buf_release(&b);
}

static void test_buf_overflow(void **state)
{
	struct ccctl_buf b;

	/* A length near SIZE_MAX must fail before any allocation or copy. */
	ccctl_buf_init(&b);
	b.len = SIZE_MAX - 4;
	assert_int_equal(ccctl_buf_reserve(&b, 4), CCCTL_EFAIL);
	assert_int_equal(ccctl_buf_reserve(&b, SIZE_MAX), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "overflow"));
	assert_int_equal(ccctl_buf_append(&b, "abcd", 4), CCCTL_EFAIL);
	assert_null(b.data);
	/* The terminating NUL counts too. */
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_buf_reserve(&b, SIZE_MAX), CCCTL_EFAIL);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
}

static void test_hex(void **state)
{
	static const uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	uint8_t out[6];
	char hex[13];

	ccctl_hex_encode(hex, bytes, sizeof(bytes));
	assert_string_equal(hex, "00017f80abff");
	ccctl_hex_encode(hex, bytes, 0);
	assert_string_equal(hex, "");
	assert_int_equal(ccctl_hex_decode(out, 6, "00017F80aBfF", 12), 0);
	assert_memory_equal(out, bytes, 6);
	assert_int_equal(ccctl_hex_decode(out, 0, "", 0), 0);
	assert_int_equal(ccctl_hex_decode(out, 6, "00017f80abf", 11), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "hex: expected 12 digits, found 11");
	assert_int_equal(ccctl_hex_decode(out, 5, "00017f80abff", 12), CCCTL_EINVAL);
	assert_int_equal(ccctl_hex_decode(out, 6, "00017f80abfg", 12), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "hex: invalid digit at offset 11: expected 0-9a-f");
	assert_int_equal(ccctl_hex_decode(out, 6, " 0017f80abff", 12), CCCTL_EINVAL);
	assert_int_equal(ccctl_hex_decode(out, 1, "-1", 2), CCCTL_EINVAL);
	assert_int_equal(ccctl_hex_decode(out, 1, "\xc3\xa9", 2), CCCTL_EINVAL);
	assert_int_equal(ccctl_hex_value('0'), 0);
	assert_int_equal(ccctl_hex_value('9'), 9);
	assert_int_equal(ccctl_hex_value('a'), 10);
	assert_int_equal(ccctl_hex_value('F'), 15);
	assert_int_equal(ccctl_hex_value('g'), -1);
	assert_int_equal(ccctl_hex_value('/'), -1);
	assert_int_equal(ccctl_hex_value(':'), -1);
	assert_int_equal(ccctl_hex_value('@'), -1);
	assert_int_equal(ccctl_hex_value(-1), -1);
}

/* RFC 4648 section 10. */
static const char *const b64_vectors[][2] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void test_base64_vectors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(b64_vectors) / sizeof(b64_vectors[0]); i++) {
		const char *raw = b64_vectors[i][0], *enc = b64_vectors[i][1];
		struct ccctl_buf b;

		ccctl_buf_init(&b);
		assert_int_equal(ccctl_base64_encode(&b, (const uint8_t *)raw, strlen(raw)), 0);
		assert_int_equal(b.len, strlen(enc));
		if (b.len)
			assert_string_equal(b.data, enc);
		ccctl_buf_release(&b);

		assert_int_equal(ccctl_base64_decode(&b, enc, strlen(enc)), 0);
		assert_int_equal(b.len, strlen(raw));
		if (b.len)
			assert_memory_equal(b.data, raw, b.len);
		ccctl_buf_release(&b);
	}
}

static void test_base64_all_bytes(void **state)
{
	uint8_t raw[256];
	struct ccctl_buf enc, dec;
	size_t n, i;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(255 - i);
	for (n = 0; n <= sizeof(raw); n += 1 + n / 8) {
		ccctl_buf_init(&enc);
		ccctl_buf_init(&dec);
		assert_int_equal(ccctl_base64_encode(&enc, raw, n), 0);
		assert_int_equal(enc.len, (n + 2) / 3 * 4);
		assert_int_equal(ccctl_base64_decode(&dec, (const char *)enc.data, enc.len), 0);
		assert_int_equal(dec.len, n);
		if (n)
			assert_memory_equal(dec.data, raw, n);
		ccctl_buf_release(&enc);
		ccctl_buf_release(&dec);
	}
	/* Encoding appends. */
	ccctl_buf_init(&enc);
	assert_int_equal(ccctl_buf_append_str(&enc, "x:"), 0);
	assert_int_equal(ccctl_base64_encode(&enc, (const uint8_t *)"\xfb\xff", 2), 0);
	assert_string_equal(enc.data, "x:+/8=");
	ccctl_buf_release(&enc);
}

static void test_base64_strict(void **state)
{
	static const char *const bad[] = {
	    "Zg",	/* no padding */
	    "Zg=",	/* short padding */
	    "Zm9vY",	/* not a multiple of 4 */
	    "Zh==",	/* non-zero trailing bits (1 byte) */
	    "Zm9=",	/* non-zero trailing bits (2 bytes) */
	    "Zm+=",	/* non-zero trailing bits */
	    "Z===",	/* too much padding */
	    "====",	/* only padding */
	    "=Zm9",	/* padding first */
	    "Zg==Zg==", /* padding in the middle */
	    "Zg=a",	/* padding before data */
	    "Zm 9v",	/* white space */
	    "Zm9v\n",	/* trailing newline */
	    "Zm-v",	/* URL alphabet */
	    "Zm_v",	/* URL alphabet */
	    "Zm9v====", /* extra padding group */
	};
	struct ccctl_buf b;
	size_t i;

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_buf_append_str(&b, "pre"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ccctl_base64_decode(&b, bad[i], strlen(bad[i])) != CCCTL_EINVAL)
			fail_msg("base64 \"%s\" was accepted", bad[i]);
		assert_int_equal(ccctl_err_code(), CCCTL_EINVAL);
		/* Failure leaves what was in the buffer. */
		assert_int_equal(b.len, 3);
		assert_string_equal(b.data, "pre");
	}
	assert_int_equal(ccctl_base64_decode(&b, "Zh==", 4), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "base64: non-canonical trailing bits at offset 1");
	assert_int_equal(ccctl_base64_decode(&b, "Zm9v\n", 5), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(),
			    "base64: length 5 is not a multiple of 4 (padding required)");
	assert_int_equal(ccctl_base64_decode(&b, "Zm-v", 4), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "base64: invalid character at offset 2");
	/* Decoding appends. */
	assert_int_equal(ccctl_base64_decode(&b, "Zm8=", 4), 0);
	assert_string_equal(b.data, "prefo");
	ccctl_buf_release(&b);
}

static void test_ct_equal(void **state)
{
	assert_true(ccctl_ct_equal("abcd", "abcd", 4));
	assert_false(ccctl_ct_equal("abcd", "abce", 4));
	assert_false(ccctl_ct_equal("\x80", "\x00", 1));
	assert_true(ccctl_ct_equal("x", "y", 0));
}

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	strcpy(tmpdir, "/tmp/ccctl-test-buf-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name) >=
		    sizeof(path))
			continue;
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

/* Number of entries in tmpdir (to find leftover temporary files). */
static int count_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void test_file_roundtrip(void **state)
{
	char path[128];
	struct ccctl_buf b;
	struct stat st;

	snprintf(path, sizeof(path), "%s/key", tmpdir);
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_file_write_atomic(path, "hello\0world", 11, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 11);
	assert_int_equal(ccctl_file_read(&b, path, 11), 0);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "hello\0world", 12);
	ccctl_buf_release(&b);

	/* Replace: new content and mode, nothing else left behind. */
	assert_int_equal(ccctl_file_write_atomic(path, "x", 1, 0644), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(ccctl_file_read(&b, path, 1 << 20), 0);
	assert_string_equal(b.data, "x");
	ccctl_buf_release(&b);
	assert_int_equal(count_entries(), 1);

	/* Empty file. */
	assert_int_equal(ccctl_file_write_atomic(path, "", 0, 0600), 0);
	assert_int_equal(ccctl_file_read(&b, path, 0), 0);
	assert_int_equal(b.len, 0);
	ccctl_buf_release(&b);
	assert_int_equal(unlink(path), 0);
}

static void test_file_read_limits(void **state)
{
	char path[128], big[10000];
	struct ccctl_buf b;

	memset(big, 'a', sizeof(big));
	snprintf(path, sizeof(path), "%s/big", tmpdir);
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_file_write_atomic(path, big, sizeof(big), 0600), 0);
	assert_int_equal(ccctl_file_read(&b, path, sizeof(big)), 0);
	assert_int_equal(b.len, sizeof(big));
	ccctl_buf_release(&b);
	assert_int_equal(ccctl_buf_append_str(&b, "keep"), 0);
	assert_int_equal(ccctl_file_read(&b, path, sizeof(big) - 1), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "is too large"));
	assert_non_null(strstr(ccctl_err_msg(), path));
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");

	/* A pipe-like source has no size: the limit applies while reading. */
	assert_int_equal(ccctl_file_read(&b, "/dev/zero", 5000), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(),
			    "file \"/dev/zero\" is too large: more than 5000 bytes");
	assert_int_equal(b.len, 4);
	ccctl_buf_release(&b);

	assert_int_equal(ccctl_file_read(&b, "/nonexistent/ccctl", 10), CCCTL_EFAIL);
	assert_string_equal(ccctl_err_msg(),
			    "cannot open \"/nonexistent/ccctl\": No such file or directory");
	assert_int_equal(ccctl_file_read(&b, tmpdir, 10), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "found a directory"));
	ccctl_buf_release(&b);
	assert_int_equal(unlink(path), 0);
}

static void test_file_write_failures(void **state)
{
	char path[128], sub[128];
	struct ccctl_buf b;
	struct rlimit old, lim;
	static char big[1 << 16];

	ccctl_buf_init(&b);
	/* Missing folder. */
	snprintf(path, sizeof(path), "%s/missing/file", tmpdir);
	assert_int_equal(ccctl_file_write_atomic(path, "x", 1, 0600), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "cannot create a temporary file"));
	assert_int_equal(count_entries(), 0);
	assert_int_equal(ccctl_file_write_atomic("", "x", 1, 0600), CCCTL_EINVAL);
	snprintf(path, sizeof(path), "%s/", tmpdir);
	assert_int_equal(ccctl_file_write_atomic(path, "x", 1, 0600), CCCTL_EINVAL);

	/* rename() fails (target is a non-empty folder): the temp file is removed. */
	snprintf(sub, sizeof(sub), "%s/dir", tmpdir);
	snprintf(path, sizeof(path), "%s/dir/inner", tmpdir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(ccctl_file_write_atomic(path, "x", 1, 0600), 0);
	assert_int_equal(ccctl_file_write_atomic(sub, "y", 1, 0600), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "cannot rename"));
	assert_int_equal(count_entries(), 1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(sub), 0);

	/* write() fails part way (file size limit): the old file stays intact and
	 * no partial file is left. */
	snprintf(path, sizeof(path), "%s/target", tmpdir);
	assert_int_equal(ccctl_file_write_atomic(path, "old", 3, 0600), 0);
	memset(big, 'n', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(ccctl_file_write_atomic(path, big, sizeof(big), 0600), CCCTL_EFAIL);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_non_null(strstr(ccctl_err_msg(), "cannot write"));
	assert_int_equal(count_entries(), 1);
	assert_int_equal(ccctl_file_read(&b, path, 100), 0);
	assert_string_equal(b.data, "old");
	ccctl_buf_release(&b);
	assert_int_equal(unlink(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf_basics),
	    cmocka_unit_test(test_buf_overflow),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_base64_vectors),
	    cmocka_unit_test(test_base64_all_bytes),
	    cmocka_unit_test(test_base64_strict),
	    cmocka_unit_test(test_ct_equal),
	    cmocka_unit_test(test_file_roundtrip),
	    cmocka_unit_test(test_file_read_limits),
	    cmocka_unit_test(test_file_write_failures),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
