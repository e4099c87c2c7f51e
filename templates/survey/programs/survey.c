/* SPDX-License-Identifier: Apache-2.0 */
/*
 * survey - aggregate survey answers with small-group suppression.
 *
 *   survey [--min-group=N] INPUT...
 *
 * Every INPUT (a path under /input/) is a CSV file with the header
 * "age_band,satisfaction,recommend" and one line per respondent: an age band
 * (18-29, 30-44, 45-59 or 60+), a satisfaction score from 1 to 5 and "yes"
 * or "no".
 *
 * Writes /output/summary.csv: for all respondents and for each age band, the
 * number of respondents, the mean satisfaction (2 decimals), the histogram
 * of scores and the share answering "yes" (percent, 1 decimal).  A group of
 * fewer than N respondents (default 5) is printed as "suppressed".  If that
 * would leave exactly one age band suppressed, the smallest other band is
 * suppressed too, so that no band can be recovered by subtracting the others
 * from the total.  If the total is below N, every line is suppressed.
 */
#include "tplio.h"

#define OUTPUT	"/output/summary.csv"
#define NBANDS	4
#define NSCORES 5

static const char *const bands[NBANDS] = {"18-29", "30-44", "45-59", "60+"};

struct group {
	int64_t n, yes, sum;
	int64_t hist[NSCORES];
	int suppressed;
};

static void load(struct group *g, const char *path)
{
	struct tpl_file f;
	char *line, *fld[3];

	tpl_read(&f, path);
	tpl_header(&f, "age_band,satisfaction,recommend");
	while ((line = tpl_next_line(&f))) {
		int b;
		int64_t s;

		tpl_fields(&f, line, fld, 3);
		for (b = 0; b < NBANDS; b++)
			if (strcmp(fld[0], bands[b]) == 0)
				break;
		if (b == NBANDS)
			tpl_invalid(&f, "age_band \"%.40s\": expected 18-29, 30-44, 45-59 or 60+",
				    fld[0]);
		s = tpl_decimal(&f, "satisfaction", fld[1], 0, 0, 1, NSCORES);
		if (strcmp(fld[2], "yes") != 0 && strcmp(fld[2], "no") != 0)
			tpl_invalid(&f, "recommend \"%.40s\": expected yes or no", fld[2]);
		g[b].n++;
		g[b].sum += s;
		g[b].hist[s - 1]++;
		g[b].yes += fld[2][0] == 'y';
	}
	if (f.line < 2)
		tpl_invalid(&f, "no answers after the header");
	free(f.data);
}

static void print_group(FILE *out, const char *name, const struct group *g)
{
	char mean[32], pct[32];
	int i;

	if (g->suppressed) {
		fprintf(out, "%s,suppressed,,,,,,,\n", name);
		return;
	}
	fprintf(out, "%s,%lld,%s", name, (long long)g->n,
		tpl_fmt_decimal(mean, tpl_div_round(g->sum * 100, g->n), 2));
	for (i = 0; i < NSCORES; i++)
		fprintf(out, ",%lld", (long long)g->hist[i]);
	fprintf(out, ",%s\n", tpl_fmt_decimal(pct, tpl_div_round(g->yes * 1000, g->n), 1));
}

int main(int argc, char **argv)
{
	struct group g[NBANDS] = {0}, all = {0};
	long min_group = 5;
	int i, b, first = 1, nsup = 0;
	FILE *out;

	tpl_prog = "survey";
	if (argc > 1 && tpl_int_option(argv[1], "--min-group", 1, 1000000, &min_group))
		first = 2;
	if (argc <= first)
		tpl_die(2, "usage: survey [--min-group=N] INPUT...");
	tpl_check_inputs(argc, argv, first);
	for (i = first; i < argc; i++)
		load(g, argv[i]);

	for (b = 0; b < NBANDS; b++) {
		int s;

		all.n += g[b].n;
		all.yes += g[b].yes;
		all.sum += g[b].sum;
		for (s = 0; s < NSCORES; s++)
			all.hist[s] += g[b].hist[s];
		g[b].suppressed = g[b].n < min_group;
		nsup += g[b].suppressed;
	}
	if (all.n < min_group) {
		all.suppressed = 1;
		for (b = 0; b < NBANDS; b++)
			g[b].suppressed = 1;
	} else if (nsup == 1) {
		int pick = -1;

		for (b = 0; b < NBANDS; b++)
			if (!g[b].suppressed && (pick < 0 || g[b].n < g[pick].n))
				pick = b;
		g[pick].suppressed = 1;
	}

	out = tpl_out_open(OUTPUT);
	fputs("group,respondents,mean_satisfaction,score_1,score_2,score_3,score_4,score_5,"
	      "recommend_pct\n",
	      out);
	print_group(out, "all", &all);
	for (b = 0; b < NBANDS; b++)
		print_group(out, bands[b], &g[b]);
	tpl_out_close(out, OUTPUT);
	return 0;
}
