/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fusion - fuse air-quality readings from several sensor networks.
 *
 *   fusion [--min-parties=N] INPUT...
 *
 * Every INPUT (a path under /input/, one per sensor operator) is a CSV file
 * with the header "zone,hour,pm25,stddev" and one line per reading: a zone
 * (1 to 16 of a-z 0-9 -), an hour 0-23, a PM2.5 concentration in ug/m3 (0 to
 * 1000, at most 2 decimals) and the sensor's standard error (0.01 to 1000,
 * at most 2 decimals).
 *
 * For every zone and hour, writes the inverse-variance weighted mean of all
 * readings and its standard error to /output/fused.csv:
 * "zone,hour,readings,pm25,stddev", sorted by zone then hour, numbers with 2
 * decimals.  A cell measured by fewer than N operators (default 2) is
 * printed as "suppressed", so that no operator's own readings are published
 * as such.
 *
 * Reproducibility: IEEE-754 double arithmetic in a fixed order, no libm
 * (the square root is Newton's method), no fused multiply-add
 * (-ffp-contract=off), so native and wasm32 builds print the same bytes.
 */
#include "tplio.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define OUTPUT	    "/output/fused.csv"
#define MAX_ZONE    16
#define MAX_PARTIES 64

struct reading {
	char zone[MAX_ZONE + 1];
	int hour;
	size_t party;
	int64_t pm25, stddev; /* hundredths */
};

static int cmp_reading(const void *a, const void *b)
{
	const struct reading *x = a, *y = b;
	int c = strcmp(x->zone, y->zone);

	if (c)
		return c;
	if (x->hour != y->hour)
		return x->hour < y->hour ? -1 : 1;
	if (x->party != y->party)
		return x->party < y->party ? -1 : 1;
	if (x->pm25 != y->pm25)
		return x->pm25 < y->pm25 ? -1 : 1;
	return (x->stddev > y->stddev) - (x->stddev < y->stddev);
}

static void load(struct reading **r, size_t *n, size_t *cap, const char *path, size_t party)
{
	struct tpl_file f;
	char *line, *fld[4];
	size_t before = *n, i;

	tpl_read(&f, path);
	tpl_header(&f, "zone,hour,pm25,stddev");
	while ((line = tpl_next_line(&f))) {
		struct reading *x;

		tpl_fields(&f, line, fld, 4);
		if (!*fld[0] || strlen(fld[0]) > MAX_ZONE)
			tpl_invalid(&f, "zone \"%.40s\": expected 1 to %d of a-z 0-9 -", fld[0],
				    MAX_ZONE);
		for (i = 0; fld[0][i]; i++)
			if (!((fld[0][i] >= 'a' && fld[0][i] <= 'z') ||
			      (fld[0][i] >= '0' && fld[0][i] <= '9') || fld[0][i] == '-'))
				tpl_invalid(&f, "zone \"%.40s\": expected 1 to %d of a-z 0-9 -",
					    fld[0], MAX_ZONE);
		tpl_grow(r, cap, *n + 1, sizeof(**r));
		x = &(*r)[(*n)++];
		memcpy(x->zone, fld[0], strlen(fld[0]) + 1);
		x->hour = (int)tpl_decimal(&f, "hour", fld[1], 0, 0, 0, 23);
		x->pm25 = tpl_decimal(&f, "pm25", fld[2], 2, 0, 0, 100000);
		x->stddev = tpl_decimal(&f, "stddev", fld[3], 2, 0, 1, 100000);
		x->party = party;
	}
	if (*n == before)
		tpl_invalid(&f, "no readings after the header");
	free(f.data);
}

/* Square root by Newton's method (x > 0): only + - * / in a fixed order. */
static double newton_sqrt(double x)
{
	double g = x > 1.0 ? x : 1.0, prev = 0.0;
	int i;

	for (i = 0; i < 200 && g != prev; i++) {
		prev = g;
		g = 0.5 * (g + x / g);
	}
	return g;
}

/* Print one cell: readings r[0..n) of one zone and hour. */
static void cell(FILE *out, const struct reading *r, size_t n, long min_parties)
{
	double wsum = 0.0, vsum = 0.0;
	size_t i, parties = 0;

	for (i = 0; i < n; i++) {
		double sd = (double)r[i].stddev / 100.0, w = 1.0 / (sd * sd);

		parties += i == 0 || r[i].party != r[i - 1].party;
		wsum += w;
		vsum += w * ((double)r[i].pm25 / 100.0);
	}
	if (parties < (size_t)min_parties) {
		fprintf(out, "%s,%d,suppressed,,\n", r[0].zone, r[0].hour);
		return;
	}
	fprintf(out, "%s,%d,%zu,%.2f,%.2f\n", r[0].zone, r[0].hour, n, vsum / wsum,
		newton_sqrt(1.0 / wsum));
}

int main(int argc, char **argv)
{
	struct reading *r = NULL;
	size_t n = 0, cap = 0, i, start;
	long min_parties = 2;
	int first = 1;
	FILE *out;

	tpl_prog = "fusion";
	if (argc > 1 && tpl_int_option(argv[1], "--min-parties", 1, MAX_PARTIES, &min_parties))
		first = 2;
	if (argc <= first)
		tpl_die(2, "usage: fusion [--min-parties=N] INPUT...");
	if (argc - first > MAX_PARTIES)
		tpl_die(2, "at most %d inputs", MAX_PARTIES);
	tpl_check_inputs(argc, argv, first);
	for (i = 0; i < (size_t)(argc - first); i++)
		load(&r, &n, &cap, argv[first + (int)i], i);
	qsort(r, n, sizeof(*r), cmp_reading);

	out = tpl_out_open(OUTPUT);
	fputs("zone,hour,readings,pm25,stddev\n", out);
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || strcmp(r[i].zone, r[start].zone) != 0 || r[i].hour != r[start].hour) {
			cell(out, r + start, i - start, min_parties);
			start = i;
		}
	tpl_out_close(out, OUTPUT);
	free(r);
	return 0;
}
