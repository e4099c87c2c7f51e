/* SPDX-License-Identifier: Apache-2.0 */
/*
 * salary - joint salary benchmark (quartiles per role) across companies.
 *
 *   salary [--min-employees=N] [--min-companies=C] [--max-share=P] INPUT...
 *
 * Every INPUT (a path under /input/, one per company) is a CSV file with the
 * header "role,salary" and one line per employee: a role (1 to 40 of a-z 0-9
 * and '-') and an annual salary in whole currency units (1 to 100000000).
 *
 * Writes /output/benchmark.csv, one line per role sorted by name:
 * "role,companies,employees,p25,median,p75".  Quartiles use the nearest-rank
 * method; the median of an even count is the mean of the two middle salaries
 * rounded half up.  A role is printed as "suppressed" unless it has at least
 * N employees (default 5) from at least C companies (default 2) and no
 * single company contributes more than P percent of them (default 75), so
 * that no company can work out another's individual salaries.
 */
#include "tplio.h"

#define OUTPUT	   "/output/benchmark.csv"
#define MAX_ROLE   40
#define MAX_SALARY 100000000

struct row {
	const char *role;
	int64_t salary;
	size_t company;
};

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->role, y->role);

	if (c)
		return c;
	if (x->salary != y->salary)
		return x->salary < y->salary ? -1 : 1;
	return (x->company > y->company) - (x->company < y->company);
}

static void check_role(const struct tpl_file *f, const char *role)
{
	size_t i;

	if (!*role)
		tpl_invalid(f, "empty role");
	for (i = 0; role[i]; i++)
		if (!((role[i] >= 'a' && role[i] <= 'z') || (role[i] >= '0' && role[i] <= '9') ||
		      role[i] == '-') ||
		    i >= MAX_ROLE)
			tpl_invalid(f, "role \"%.60s\": expected 1 to %d of a-z 0-9 -", role,
				    MAX_ROLE);
}

static void load(struct row **rows, size_t *n, size_t *cap, struct tpl_file *f, const char *path,
		 size_t company)
{
	char *line, *fld[2];
	size_t before = *n;

	tpl_read(f, path);
	tpl_header(f, "role,salary");
	while ((line = tpl_next_line(f))) {
		tpl_fields(f, line, fld, 2);
		check_role(f, fld[0]);
		tpl_grow(rows, cap, *n + 1, sizeof(**rows));
		(*rows)[*n].role = fld[0];
		(*rows)[*n].salary = tpl_decimal(f, "salary", fld[1], 0, 0, 1, MAX_SALARY);
		(*rows)[*n].company = company;
		(*n)++;
	}
	if (*n == before)
		tpl_invalid(f, "no employees after the header");
}

/* The nearest-rank percentile pct of the sorted salaries s[0..n). */
static int64_t percentile(const struct row *s, size_t n, unsigned pct)
{
	size_t rank = (size_t)(((uint64_t)n * pct + 99) / 100);

	return s[rank ? rank - 1 : 0].salary;
}

/* Print one role's line for the sorted rows s[0..n) of that role. */
static void role_line(FILE *out, const struct row *s, size_t n, size_t ncompanies, long min_emp,
		      long min_co, long max_share, size_t *per)
{
	size_t i, companies = 0, most = 0;
	int64_t median;

	memset(per, 0, ncompanies * sizeof(*per));
	for (i = 0; i < n; i++)
		per[s[i].company]++;
	for (i = 0; i < ncompanies; i++) {
		companies += per[i] > 0;
		if (per[i] > most)
			most = per[i];
	}
	if (n < (size_t)min_emp || companies < (size_t)min_co ||
	    (uint64_t)most * 100 > (uint64_t)n * (uint64_t)max_share) {
		fprintf(out, "%s,suppressed,,,,\n", s[0].role);
		return;
	}
	if (n % 2)
		median = s[n / 2].salary;
	else
		median = (s[n / 2 - 1].salary + s[n / 2].salary + 1) / 2;
	fprintf(out, "%s,%zu,%zu,%lld,%lld,%lld\n", s[0].role, companies, n,
		(long long)percentile(s, n, 25), (long long)median,
		(long long)percentile(s, n, 75));
}

int main(int argc, char **argv)
{
	long min_emp = 5, min_co = 2, max_share = 75;
	struct tpl_file *files;
	struct row *rows = NULL;
	size_t nrows = 0, cap = 0, nfiles, i, start, *per;
	int first = 1;
	FILE *out;

	tpl_prog = "salary";
	while (first < argc &&
	       (tpl_int_option(argv[first], "--min-employees", 1, 1000000, &min_emp) ||
		tpl_int_option(argv[first], "--min-companies", 1, 1000000, &min_co) ||
		tpl_int_option(argv[first], "--max-share", 1, 100, &max_share)))
		first++;
	if (first >= argc)
		tpl_die(2, "usage: salary [--min-employees=N] [--min-companies=C] "
			   "[--max-share=P] INPUT...");
	nfiles = (size_t)(argc - first);
	files = tpl_xcalloc(nfiles, sizeof(*files));
	per = tpl_xcalloc(nfiles, sizeof(*per));
	tpl_check_inputs(argc, argv, first);
	for (i = 0; i < nfiles; i++)
		load(&rows, &nrows, &cap, &files[i], argv[first + (int)i], i);
	qsort(rows, nrows, sizeof(*rows), cmp_row);

	out = tpl_out_open(OUTPUT);
	fputs("role,companies,employees,p25,median,p75\n", out);
	for (start = 0, i = 1; i <= nrows; i++)
		if (i == nrows || strcmp(rows[i].role, rows[start].role) != 0) {
			role_line(out, rows + start, i - start, nfiles, min_emp, min_co, max_share,
				  per);
			start = i;
		}
	tpl_out_close(out, OUTPUT);

	for (i = 0; i < nfiles; i++)
		free(files[i].data);
	free(files);
	free(per);
	free(rows);
	return 0;
}
