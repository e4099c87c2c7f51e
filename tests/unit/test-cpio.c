/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-cpio.c - deterministic newc writer, strict reader, compare
 * (lib/cpio.c), and GNU cpio reading what we write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/cpio.h"
#include "lib/err.h"

#define MTIME 1700000000u

static const struct ccctl_cpio_entry sample[] = {
    {"init", S_IFREG | 0755, "#!/bin/sh\n", 10, 0},
    {"bin", S_IFDIR | 0755, NULL, 0, 0},
    {"bin/sh", S_IFLNK | 0777, "busybox", 7, 0},
    {"bin/busybox", S_IFREG | 0755, "BB", 2, 0},
    {"etc", S_IFDIR | 0700, NULL, 0, 0},
    {"etc/empty", S_IFREG | 0644, NULL, 0, 0},
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static void write_sample(struct ccctl_buf *out, const struct ccctl_cpio_entry *e, size_t n)
{
	ccctl_buf_init(out);
	assert_int_equal(ccctl_cpio_write(out, e, n, MTIME), 0);
}

static void expect_write_error(const struct ccctl_cpio_entry *e, uint64_t mtime, const char *want)
{
	struct ccctl_buf out;

	ccctl_buf_init(&out);
	assert_int_equal(ccctl_cpio_write(&out, e, 1, mtime), CCCTL_EINVAL);
	if (!strstr(ccctl_err_msg(), want))
		fail_msg("message \"%s\" lacks \"%s\"", ccctl_err_msg(), want);
	ccctl_buf_release(&out);
}

static void expect_parse_error(const void *data, size_t len, const char *want)
{
	struct ccctl_cpio *c = NULL;

	assert_int_equal(ccctl_cpio_parse(&c, data, len), CCCTL_EINVAL);
	assert_null(c);
	if (!strstr(ccctl_err_msg(), want))
		fail_msg("message \"%s\" lacks \"%s\"", ccctl_err_msg(), want);
}

static void test_exact_bytes(void **state)
{
	static const struct ccctl_cpio_entry one = {"a", S_IFREG | 0644, "xyz", 3, 0};
	/* Written out by hand from the newc definition. */
	static const char want[] = "070701"
				   "00000001"
				   "000081A4"
				   "00000000"
				   "00000000"
				   "00000001"
				   "6553F100"
				   "00000003"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000002"
				   "00000000"
				   "a\0"
				   "xyz\0"
				   "070701"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000001"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000000"
				   "00000000"
				   "0000000B"
				   "00000000"
				   "TRAILER!!!\0"
				   "\0\0\0";
	struct ccctl_buf out;

	write_sample(&out, &one, 1);
	assert_int_equal(out.len, sizeof(want) - 1);
	assert_memory_equal(out.data, want, out.len);
	assert_int_equal(out.len % 4, 0);
	ccctl_buf_release(&out);
}

static void test_deterministic_and_sorted(void **state)
{
	struct ccctl_cpio_entry rev[NSAMPLE];
	struct ccctl_buf a, b;
	struct ccctl_cpio *c = NULL;

	for (size_t i = 0; i < NSAMPLE; i++)
		rev[i] = sample[NSAMPLE - 1 - i];
	write_sample(&a, sample, NSAMPLE);
	write_sample(&b, rev, NSAMPLE);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);

	assert_int_equal(ccctl_cpio_parse(&c, a.data, a.len), 0);
	assert_int_equal(c->n, NSAMPLE);
	assert_string_equal(c->entries[0].name, "bin");
	assert_string_equal(c->entries[1].name, "bin/busybox");
	assert_string_equal(c->entries[2].name, "bin/sh");
	assert_string_equal(c->entries[3].name, "etc");
	assert_string_equal(c->entries[4].name, "etc/empty");
	assert_string_equal(c->entries[5].name, "init");
	assert_int_equal(c->entries[2].mode, S_IFLNK | 0777);
	assert_int_equal(c->entries[2].len, 7);
	assert_memory_equal(c->entries[2].data, "busybox", 7);
	assert_int_equal(c->entries[5].len, 10);
	for (size_t i = 0; i < NSAMPLE; i++)
		assert_int_equal(c->entries[i].mtime, MTIME);
	/* Inode numbers 1.. in sorted order, nlink 2 for folders: read the
	 * header fields directly (ino at 6, nlink at 38). */
	assert_memory_equal(a.data + 6, "00000001", 8);
	assert_memory_equal(a.data + 38, "00000002", 8);
	ccctl_cpio_free(c);
	ccctl_buf_release(&a);
	ccctl_buf_release(&b);
}

static void test_write_rejects(void **state)
{
	struct ccctl_cpio_entry e = {"ok", S_IFREG | 0644, "x", 1, 0};
	struct ccctl_cpio_entry dup[2] = {e, e};
	struct ccctl_buf out;
	static const char *const bad[] = {"",	 "/abs", "a/../b", "a//b",
					  "./a", "a/",	 "..",	   "TRAILER!!!"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.name = bad[i];
		expect_write_error(&e, MTIME, "cpio entry");
	}
	e.name = "ok";
	expect_write_error(&e, (uint64_t)UINT32_MAX + 1, "mtime");
	e.mode = S_IFCHR | 0600;
	expect_write_error(&e, MTIME, "expected a file, folder or symlink");
	e.mode = S_IFDIR | 0755;
	expect_write_error(&e, MTIME, "a folder has no data");
	e.mode = S_IFLNK | 0777;
	e.len = 0;
	expect_write_error(&e, MTIME, "symlink without a target");
	e.mode = S_IFREG | 010000 | 0644 | 0100000000;
	expect_write_error(&e, MTIME, "invalid mode");

	ccctl_buf_init(&out);
	assert_int_equal(ccctl_cpio_write(&out, dup, 2, MTIME), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "\"ok\": duplicate name"));
	ccctl_buf_release(&out);
}

static void test_parse_rejects(void **state)
{
	struct ccctl_buf a;
	struct ccctl_cpio *c = NULL;
	uint8_t *copy;

	write_sample(&a, sample, NSAMPLE);
	copy = malloc(a.len + 512);
	assert_non_null(copy);

	memcpy(copy, a.data, a.len);
	copy[5] = '2';
	expect_parse_error(copy, a.len, "bad magic at offset 0");

	memcpy(copy, a.data, a.len);
	copy[6 + 8 * 6 + 3] = 'g'; /* filesize field of the first member */
	expect_parse_error(copy, a.len, "header field 6 at offset 0 is not 8 hex digits");

	expect_parse_error(a.data, a.len - 4, "truncated");
	expect_parse_error(a.data, 50, "truncated header at offset 0");
	expect_parse_error(a.data, 0, "truncated header");

	/* Zero padding after the trailer is accepted (GNU cpio writes
	 * 512-byte blocks); anything else is not. */
	memcpy(copy, a.data, a.len);
	memset(copy + a.len, 0, 512);
	assert_int_equal(ccctl_cpio_parse(&c, copy, a.len + 512), 0);
	assert_int_equal(c->n, NSAMPLE);
	ccctl_cpio_free(c);
	copy[a.len + 100] = 1;
	expect_parse_error(copy, a.len + 512, "data after the trailer");

	/* A file size running past the end. */
	memcpy(copy, a.data, a.len);
	memcpy(copy + 6 + 8 * 6, "7FFFFFFF", 8);
	expect_parse_error(copy, a.len, "truncated data");

	/* Name size 0 and an unterminated name. */
	memcpy(copy, a.data, a.len);
	memcpy(copy + 6 + 8 * 11, "00000000", 8);
	expect_parse_error(copy, a.len, "name size at offset 0");
	memcpy(copy, a.data, a.len);
	copy[110 + 3] = 'x'; /* the NUL of "bin" */
	expect_parse_error(copy, a.len, "malformed name at offset 110");
	free(copy);
	ccctl_buf_release(&a);
}

static void test_compare(void **state)
{
	struct ccctl_cpio_entry changed[NSAMPLE];
	struct ccctl_buf a, b;
	struct ccctl_cpio *x = NULL, *y = NULL;

	memcpy(changed, sample, sizeof(sample));
	write_sample(&a, sample, NSAMPLE);
	assert_int_equal(ccctl_cpio_parse(&x, a.data, a.len), 0);

	write_sample(&b, sample, NSAMPLE);
	assert_int_equal(ccctl_cpio_parse(&y, b.data, b.len), 0);
	assert_int_equal(ccctl_cpio_compare(x, y), 0);
	ccctl_cpio_free(y);
	ccctl_buf_release(&b);

	changed[3].data = "BC"; /* bin/busybox, same size */
	write_sample(&b, changed, NSAMPLE);
	assert_int_equal(ccctl_cpio_parse(&y, b.data, b.len), 0);
	assert_int_equal(ccctl_cpio_compare(x, y), CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "cpio member \"bin/busybox\": contents differ");
	ccctl_cpio_free(y);
	ccctl_buf_release(&b);

	memcpy(changed, sample, sizeof(sample));
	changed[0].mode = S_IFREG | 0700;
	write_sample(&b, changed, NSAMPLE);
	assert_int_equal(ccctl_cpio_parse(&y, b.data, b.len), 0);
	assert_int_equal(ccctl_cpio_compare(x, y), CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "cpio member \"init\": mode: expected 100755, "
					     "found 100700");
	ccctl_cpio_free(y);
	ccctl_buf_release(&b);

	write_sample(&b, sample, NSAMPLE - 1); /* without etc/empty */
	assert_int_equal(ccctl_cpio_parse(&y, b.data, b.len), 0);
	assert_int_equal(ccctl_cpio_compare(x, y), CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "cpio member \"etc/empty\": expected, not found");
	assert_int_equal(ccctl_cpio_compare(y, x), CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "cpio member \"etc/empty\": found, not expected");
	ccctl_cpio_free(y);
	ccctl_buf_release(&b);

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_cpio_write(&b, sample, NSAMPLE, MTIME + 1), 0);
	assert_int_equal(ccctl_cpio_parse(&y, b.data, b.len), 0);
	assert_int_equal(ccctl_cpio_compare(x, y), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "mtime: expected 1700000000, found 1700000001"));
	ccctl_cpio_free(y);
	ccctl_buf_release(&b);

	ccctl_cpio_free(x);
	ccctl_buf_release(&a);
}

/* GNU cpio (installed in CI) lists exactly our members, in our order. */
static void test_gnu_cpio_lists(void **state)
{
	char dir[] = "/tmp/test-cpio.XXXXXX", cmd[256], line[256];
	struct ccctl_buf a;
	FILE *f;
	size_t i = 0;
	static const char *const want[] = {"bin", "bin/busybox", "bin/sh",
					   "etc", "etc/empty",	 "init"};

	if (system("cpio --version >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	write_sample(&a, sample, NSAMPLE);
	snprintf(cmd, sizeof(cmd), "%s/a.cpio", dir);
	assert_int_equal(ccctl_file_write_atomic(cmd, a.data, a.len, 0644), 0);
	snprintf(cmd, sizeof(cmd), "cpio -t --quiet < %s/a.cpio 2>&1", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		assert_true(i < NSAMPLE);
		assert_string_equal(line, want[i]);
		i++;
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(i, NSAMPLE);
	/* Extracting gives the contents and the fixed mtime back. */
	snprintf(cmd, sizeof(cmd), "cd %s && cpio -idm --quiet < a.cpio", dir);
	assert_int_equal(system(cmd), 0);
	{
		struct ccctl_buf got;
		struct stat st;

		ccctl_buf_init(&got);
		snprintf(cmd, sizeof(cmd), "%s/init", dir);
		assert_int_equal(ccctl_file_read(&got, cmd, 1024), 0);
		assert_string_equal((char *)got.data, "#!/bin/sh\n");
		assert_int_equal(stat(cmd, &st), 0);
		assert_int_equal(st.st_mtime, MTIME);
		assert_int_equal(st.st_mode & 07777, 0755);
		ccctl_buf_release(&got);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	ccctl_buf_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_bytes),	  cmocka_unit_test(test_deterministic_and_sorted),
	    cmocka_unit_test(test_write_rejects), cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_compare),	  cmocka_unit_test(test_gnu_cpio_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
