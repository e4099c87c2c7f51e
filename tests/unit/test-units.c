/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-units.c - sizes, durations, names, guest paths, times and the edit
 * distance behind "did you mean".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/units.h"

struct num_case {
	const char *s;
	uint64_t want; /* ignored when bad */
	bool bad;
};

static void check_nums(int (*parse)(uint64_t *, const char *), const struct num_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = 12345;
		int rc = parse(&v, c[i].s);

		if (c[i].bad) {
			if (rc != CCCTL_EINVAL)
				fail_msg("\"%s\" accepted as %llu", c[i].s, (unsigned long long)v);
			assert_int_equal(v, 12345);
			assert_non_null(strstr(ccctl_err_msg(), c[i].s));
		} else {
			if (rc != 0)
				fail_msg("\"%s\" rejected: %s", c[i].s, ccctl_err_msg());
			assert_int_equal(v, c[i].want);
		}
	}
}

static void test_sizes(void **state)
{
	static const struct num_case cases[] = {
	    {"0", 0, false},
	    {"1", 1, false},
	    {"10B", 10, false},
	    {"1KiB", 1024, false},
	    {"64MiB", 64ull << 20, false},
	    {"1GiB", 1ull << 30, false},
	    {"4096GiB", 4096ull << 30, false},
	    {"9007199254740991", 9007199254740991ull, false},
	    {"9007199254740991B", 9007199254740991ull, false},
	    {"9007199254740992", 0, true},     /* 2^53 */
	    {"18446744073709551616", 0, true}, /* 2^64: no wrap-around */
	    {"99999999999999999999999", 0, true},
	    {"8388608GiB", 0, true}, /* 2^53: the multiplication overflows the bound */
	    {"8388607GiB", 8388607ull << 30, false},
	    {"", 0, true},
	    {"MiB", 0, true},
	    {"-1", 0, true},
	    {"+1", 0, true},
	    {"01", 0, true},
	    {"1.5GiB", 0, true},
	    {"1 MiB", 0, true},
	    {"1MB", 0, true},
	    {"1mib", 0, true},
	    {"1KB", 0, true},
	    {"1TiB", 0, true},
	    {"1MiBB", 0, true},
	    {"0x10", 0, true},
	    {"1e6", 0, true},
	    {" 1", 0, true},
	};

	(void)state;
	check_nums(ccctl_units_parse_size, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_durations(void **state)
{
	static const struct num_case cases[] = {
	    {"0", 0, false},
	    {"600", 600, false},
	    {"30s", 30, false},
	    {"10m", 600, false},
	    {"2h", 7200, false},
	    {"2501999792983h", 2501999792983ull * 3600, false},
	    {"2501999792984h", 0, true}, /* over 2^53 - 1 seconds */
	    {"10d", 0, true},
	    {"10ms", 0, true},
	    {"1M", 0, true},
	    {"h", 0, true},
	    {"1.5h", 0, true},
	    {"-5s", 0, true},
	    {"5 s", 0, true},
	};

	(void)state;
	check_nums(ccctl_units_parse_duration, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_uint(void **state)
{
	static const struct num_case cases[] = {
	    {"0", 0, false}, {"20000000000", 20000000000ull, false},
	    {"1B", 0, true}, {"1s", 0, true},
	    {"00", 0, true}, {"", 0, true},
	};

	(void)state;
	check_nums(ccctl_units_parse_uint, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_names(void **state)
{
	static const char *const good[] = {
	    "a", "alice", "bob-2", "c_d", "z0", "abcdefghijklmnopqrstuvwxyz012345" /* 32 */};
	static const char *const bad[] = {"",
					  "A",
					  "Alice",
					  "1a",
					  "-a",
					  "_a",
					  "a b",
					  "a.b",
					  "a/b",
					  "é",
					  "a\n",
					  "alicE",
					  "abcdefghijklmnopqrstuvwxyz0123456" /* 33 */};
	static const char *const pgood[] = {
	    "a",
	    "1",
	    "hospital-psi",
	    "0-0",
	    "2024",
	    "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0" /* 63 */
	};
	static const char *const pbad[] = {
	    "",
	    "-a",
	    "a_b",
	    "A",
	    "a.b",
	    "a b",
	    "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01" /* 64 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(ccctl_units_name_ok(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ccctl_units_name_ok(bad[i]))
			fail_msg("name \"%s\" accepted", bad[i]);
	for (i = 0; i < sizeof(pgood) / sizeof(pgood[0]); i++)
		assert_true(ccctl_units_policy_name_ok(pgood[i]));
	for (i = 0; i < sizeof(pbad) / sizeof(pbad[0]); i++)
		if (ccctl_units_policy_name_ok(pbad[i]))
			fail_msg("policy name \"%s\" accepted", pbad[i]);
}

static void test_paths(void **state)
{
	static const char *const files[] = {
	    "/a", "/input/alice.csv", "/a/b/c", "/.hidden", "/a..b", "/...", "/a-b_c.d~e"};
	static const char *const folders[] = {"/", "/input/", "/a/b/"};
	static const char *const bad[] = {"",	    "a",     "input/x", "//",	  "/a//b",
					  "/a/./b", "/a/..", "/../a",	"/.",	  "/a b",
					  "/a\\b",  "/a\tb", "/é",	"stdout", "./a"};
	char longp[CCCTL_PATH_MAX + 2];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_true(ccctl_units_path_ok(files[i], false, NULL));
		assert_true(ccctl_units_path_ok(files[i], true, NULL));
	}
	for (i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		assert_true(ccctl_units_path_ok(folders[i], true, NULL));
		assert_false(ccctl_units_path_ok(folders[i], false, &why));
		assert_non_null(strstr(why, "folder"));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (ccctl_units_path_ok(bad[i], true, &why))
			fail_msg("path \"%s\" accepted", bad[i]);
		assert_non_null(why);
	}
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[CCCTL_PATH_MAX] = '\0';
	assert_true(ccctl_units_path_ok(longp, false, NULL));
	longp[CCCTL_PATH_MAX] = 'a';
	longp[CCCTL_PATH_MAX + 1] = '\0';
	assert_false(ccctl_units_path_ok(longp, false, NULL));

	assert_true(ccctl_units_path_covers("/input/", "/input/a.csv"));
	assert_true(ccctl_units_path_covers("/input/", "/input/x/y"));
	assert_true(ccctl_units_path_covers("/", "/a"));
	assert_true(ccctl_units_path_covers("/a.csv", "/a.csv"));
	assert_false(ccctl_units_path_covers("/input/", "/inputx"));
	assert_false(ccctl_units_path_covers("/input", "/input/a.csv"));
	assert_false(ccctl_units_path_covers("/a.csv", "/a.csv2"));
	assert_true(ccctl_units_paths_overlap("/tmp/x", "/tmp/"));
	assert_true(ccctl_units_paths_overlap("/tmp/", "/tmp/x"));
	assert_true(ccctl_units_paths_overlap("/", "/tmp/"));
	assert_false(ccctl_units_paths_overlap("/tmp/", "/out/"));
}

static void test_times(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} good[] = {
	    {"1970-01-01T00:00:00Z", 0},
	    {"2000-02-29T12:34:56Z", 951827696},
	    {"2027-06-30T00:00:00Z", 1814313600},
	    {"2038-01-19T03:14:08Z", 2147483648},
	    {"9999-12-31T23:59:59Z", 253402300799},
	};
	static const char *const bad[] = {
	    "",
	    "2027-06-30",
	    "2027-06-30T00:00:00",
	    "2027-06-30T00:00:00z",
	    "2027-06-30t00:00:00Z",
	    "2027-06-30 00:00:00Z",
	    "2027-06-30T00:00:00.5Z",
	    "2027-06-30T00:00:00+00:00",
	    "1969-12-31T23:59:59Z",
	    "2027-13-01T00:00:00Z",
	    "2027-00-01T00:00:00Z",
	    "2027-02-29T00:00:00Z",
	    "1900-02-29T00:00:00Z",
	    "2027-04-31T00:00:00Z",
	    "2027-06-00T00:00:00Z",
	    "2027-06-30T24:00:00Z",
	    "2027-06-30T00:60:00Z",
	    "2027-06-30T00:00:60Z",
	    "2027-6-30T00:00:00Z ",
	    "+027-06-30T00:00:00Z",
	};
	size_t i;
	int64_t t;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(ccctl_units_parse_time(&t, good[i].s), 0);
		assert_int_equal(t, good[i].t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ccctl_units_parse_time(&t, bad[i]) != CCCTL_EINVAL)
			fail_msg("time \"%s\" accepted", bad[i]);
}

static void test_distance(void **state)
{
	static const char *const keys[] = {"version", "name",	 "participants", "programs",
					   "inputs",  "outputs", "limits",	 NULL};
	char longs[80];

	(void)state;
	assert_int_equal(ccctl_units_distance("", ""), 0);
	assert_int_equal(ccctl_units_distance("abc", ""), 3);
	assert_int_equal(ccctl_units_distance("kitten", "sitting"), 3);
	assert_int_equal(ccctl_units_distance("nmae", "name"), 1); /* a swap counts one */
	assert_int_equal(ccctl_units_distance("ab", "ba"), 1);
	memset(longs, 'a', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	assert_int_equal(ccctl_units_distance(longs, "a"), SIZE_MAX);

	assert_string_equal(ccctl_units_closest("nmae", keys), "name");
	assert_string_equal(ccctl_units_closest("partcipants", keys), "participants");
	assert_string_equal(ccctl_units_closest("output", keys), "outputs");
	assert_string_equal(ccctl_units_closest("limit", keys), "limits");
	assert_null(ccctl_units_closest("zzz", keys));
	assert_null(ccctl_units_closest("colour", keys));
	assert_null(ccctl_units_closest(longs, keys));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_uint),     cmocka_unit_test(test_names),
	    cmocka_unit_test(test_paths),    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
