/* SPDX-License-Identifier: Apache-2.0 */
/*
 * units.c - sizes, durations, names, guest paths and times.
 */
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "units.h"

/* Parse the leading decimal digits of s; *end points past them. */
static int parse_digits(uint64_t *out, const char *s, const char **end, const char *what)
{
	const char *p = s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return ccctl_err_set(CCCTL_EINVAL, "invalid %s \"%s\": expected a decimal number",
				     what, s);
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return ccctl_err_set(CCCTL_EINVAL, "invalid %s \"%s\": leading zero", what, s);
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (CCCTL_UNITS_MAX - d) / 10)
			return ccctl_err_set(CCCTL_EINVAL, "invalid %s \"%s\": larger than %llu",
					     what, s, (unsigned long long)CCCTL_UNITS_MAX);
		v = v * 10 + d;
	}
	*out = v;
	*end = p;
	return 0;
}

int ccctl_units_parse_uint(uint64_t *out, const char *s)
{
	const char *end;
	uint64_t v;
	int rc = parse_digits(&v, s, &end, "number");

	if (rc)
		return rc;
	if (*end)
		return ccctl_err_set(CCCTL_EINVAL, "invalid number \"%s\": expected digits only",
				     s);
	*out = v;
	return 0;
}

struct unit {
	const char *suffix;
	uint64_t mult;
};

static int parse_with_units(uint64_t *out, const char *s, const struct unit *units,
			    const char *what, const char *expected)
{
	const char *end;
	uint64_t v;
	int rc = parse_digits(&v, s, &end, what);

	if (rc)
		return rc;
	if (!*end) {
		*out = v;
		return 0;
	}
	for (; units->suffix; units++) {
		if (strcmp(end, units->suffix) != 0)
			continue;
		if (v > CCCTL_UNITS_MAX / units->mult)
			return ccctl_err_set(CCCTL_EINVAL, "invalid %s \"%s\": larger than %llu",
					     what, s, (unsigned long long)CCCTL_UNITS_MAX);
		*out = v * units->mult;
		return 0;
	}
	return ccctl_err_set(CCCTL_EINVAL, "invalid %s \"%s\": unknown unit \"%s\" (expected %s)",
			     what, s, end, expected);
}

int ccctl_units_parse_size(uint64_t *out, const char *s)
{
	static const struct unit units[] = {
	    {"B", 1},  {"KiB", 1024ull}, {"MiB", 1024ull * 1024}, {"GiB", 1024ull * 1024 * 1024},
	    {NULL, 0},
	};

	return parse_with_units(out, s, units, "size", "B, KiB, MiB or GiB");
}

int ccctl_units_parse_duration(uint64_t *out, const char *s)
{
	static const struct unit units[] = {
	    {"s", 1},
	    {"m", 60},
	    {"h", 3600},
	    {NULL, 0},
	};

	return parse_with_units(out, s, units, "duration", "s, m or h");
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool ccctl_units_name_ok(const char *s)
{
	size_t i;

	if (!is_lower(s[0]))
		return false;
	for (i = 1; s[i]; i++) {
		if (i >= 32)
			return false;
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	}
	return true;
}

bool ccctl_units_policy_name_ok(const char *s)
{
	size_t i;

	if (!is_lower(s[0]) && !is_digit(s[0]))
		return false;
	for (i = 1; s[i]; i++) {
		if (i >= 63)
			return false;
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return false;
	}
	return true;
}

bool ccctl_units_path_ok(const char *s, bool folder_ok, const char **why)
{
	const char *dummy;
	const char *c;
	size_t len = strlen(s);

	if (!why)
		why = &dummy;
	if (s[0] != '/') {
		*why = "expected an absolute path (starting with \"/\")";
		return false;
	}
	if (len > CCCTL_PATH_MAX) {
		*why = "longer than 1024 bytes";
		return false;
	}
	for (c = s; *c; c++) {
		if (*c <= ' ' || *c > '~' || *c == '\\') {
			*why = "only printable ASCII without spaces or backslashes is allowed";
			return false;
		}
	}
	if (s[len - 1] == '/' && !folder_ok) {
		*why = "expected a file, not a folder (trailing \"/\")";
		return false;
	}
	/* Walk the components between slashes. */
	for (c = s + 1; *c;) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);

		if (n == 0) {
			*why = "empty component (\"//\")";
			return false;
		}
		if (n == 1 && c[0] == '.') {
			*why = "\".\" component";
			return false;
		}
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			*why = "\"..\" component";
			return false;
		}
		if (!slash)
			break;
		c = slash + 1;
	}
	return true;
}

bool ccctl_units_path_covers(const char *rule, const char *path)
{
	size_t n = strlen(rule);

	if (n && rule[n - 1] == '/')
		return strncmp(rule, path, n) == 0;
	return strcmp(rule, path) == 0;
}

bool ccctl_units_paths_overlap(const char *a, const char *b)
{
	return ccctl_units_path_covers(a, b) || ccctl_units_path_covers(b, a);
}

static bool is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of a valid proleptic Gregorian date. */
static int64_t days_from_civil(long y, long m, long d)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t days = 0;
	long yy;

	for (yy = 1970; yy < y; yy++)
		days += is_leap(yy) ? 366 : 365;
	days += before[m - 1] + (m > 2 && is_leap(y) ? 1 : 0);
	return days + d - 1;
}

static long digits_at(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int ccctl_units_parse_time(int64_t *out, const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y, mo, d, h, mi, se;
	int dim;

	/* YYYY-MM-DDTHH:MM:SSZ: exactly 20 bytes. */
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		goto bad;
	y = digits_at(s, 4);
	mo = digits_at(s + 5, 2);
	d = digits_at(s + 8, 2);
	h = digits_at(s + 11, 2);
	mi = digits_at(s + 14, 2);
	se = digits_at(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 59)
		goto bad;
	dim = mdays[mo - 1] + (mo == 2 && is_leap(y) ? 1 : 0);
	if (d > dim)
		goto bad;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
bad:
	return ccctl_err_set(
	    CCCTL_EINVAL, "invalid time \"%s\": expected YYYY-MM-DDTHH:MM:SSZ (UTC, from 1970)", s);
}

size_t ccctl_units_distance(const char *a, const char *b)
{
	/* Optimal string alignment: insertions, deletions, substitutions and
	 * transpositions of neighbours ("nmae" -> "name") cost one each. */
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t rows[3][65];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *t;

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *ccctl_units_closest(const char *s, const char *const *candidates)
{
	size_t len = strlen(s);
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	size_t best = SIZE_MAX;
	const char *found = NULL;

	for (; *candidates; candidates++) {
		size_t d = ccctl_units_distance(s, *candidates);

		if (d <= limit && d < best) {
			best = d;
			found = *candidates;
		}
	}
	return found;
}
