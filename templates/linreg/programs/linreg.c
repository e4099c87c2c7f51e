/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linreg - ordinary least squares regression over several parties' rows.
 *
 *   linreg INPUT INPUT...
 *
 * Every INPUT (a path under /input/) is a CSV file whose header names the
 * columns: one or more features, then the target, e.g.
 * "age,bmi,exercise_hours,systolic_bp".  All inputs must have the same
 * header.  Values are decimals with at most 6 places, |v| <= 1000000.
 *
 * Fits target = b0 + b1*x1 + ... + bk*xk by solving the normal equations and
 * writes /output/model.csv ("term,coefficient", one line per term) and
 * /output/fit.csv ("rows,features,r_squared").  Numbers are printed with
 * exactly 6 decimals.
 *
 * Reproducibility: the arithmetic is IEEE-754 double in a fixed order with
 * no library functions (no libm) and must be compiled without contraction
 * of a*b+c into fused multiply-adds (-ffp-contract=off; the pragma below
 * covers clang), so the native and the wasm32 builds print the same bytes.
 */
#include "tplio.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#define MODEL	     "/output/model.csv"
#define FIT	     "/output/fit.csv"
#define MAX_FEATURES 8
#define MAX_COLS     (MAX_FEATURES + 1)
#define MAX_NAME     32
#define SCALE	     1000000 /* 6 decimal places */

struct data {
	double *v; /* rows * cols values, row major */
	size_t rows, cap, cols;
};

static void check_header(const struct tpl_file *f, char **names, size_t cols)
{
	size_t i, j;

	for (i = 0; i < cols; i++) {
		const char *c = names[i];

		if (!(*c >= 'a' && *c <= 'z') && *c != '_')
			tpl_invalid(f, "column \"%.40s\": expected a name starting with a-z or _",
				    names[i]);
		for (j = 0; c[j]; j++)
			if (!((c[j] >= 'a' && c[j] <= 'z') || (c[j] >= '0' && c[j] <= '9') ||
			      c[j] == '_') ||
			    j >= MAX_NAME)
				tpl_invalid(f, "column \"%.40s\": expected at most %d of a-z 0-9 _",
					    names[i], MAX_NAME);
		if (strcmp(c, "intercept") == 0)
			tpl_invalid(f, "column name \"intercept\" is reserved");
		for (j = 0; j < i; j++)
			if (strcmp(names[j], c) == 0)
				tpl_invalid(f, "duplicate column \"%s\"", c);
	}
}

/* Count the fields of a header line without modifying it. */
static size_t count_fields(const char *line)
{
	size_t n = 1;

	for (; *line; line++)
		n += *line == ',';
	return n;
}

static void load(struct data *d, struct tpl_file *f, const char *path, char *header0,
		 size_t header0_len, char **names)
{
	char *line, *fields[MAX_COLS];
	size_t i;

	tpl_read(f, path);
	line = tpl_next_line(f);
	if (!line) {
		f->line = 1;
		tpl_invalid(f, "empty file: expected a header line");
	}
	if (d->cols == 0) {
		size_t n = count_fields(line);

		if (n < 2 || n > MAX_COLS)
			tpl_invalid(f,
				    "expected 1 to %d feature columns and a target column, "
				    "found %zu columns",
				    MAX_FEATURES, n);
		if (strlen(line) >= header0_len)
			tpl_invalid(f, "header line too long");
		strcpy(header0, line);
		tpl_fields(f, line, names, n);
		check_header(f, names, n);
		d->cols = n;
	} else if (strcmp(line, header0) != 0) {
		tpl_invalid(f, "header \"%.80s\" differs from the first input's \"%.80s\"", line,
			    header0);
	}
	while ((line = tpl_next_line(f))) {
		double *row;

		tpl_fields(f, line, fields, d->cols);
		tpl_grow(&d->v, &d->cap, (d->rows + 1) * d->cols, sizeof(*d->v));
		row = d->v + d->rows * d->cols;
		for (i = 0; i < d->cols; i++) {
			int64_t x = tpl_decimal(f, names[i], fields[i], 6, 1,
						-(int64_t)SCALE * SCALE, (int64_t)SCALE * SCALE);

			row[i] = (double)x / SCALE;
		}
		d->rows++;
	}
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

/*
 * Solve a (p x p, row major) * b = r by Gaussian elimination with partial
 * pivoting; a and r are destroyed.  Returns 0, or -1 if a is singular.
 */
static int solve(double *a, double *r, double *b, size_t p)
{
	size_t i, j, k, piv;
	double maxdiag = 0;

	for (i = 0; i < p; i++)
		if (dabs(a[i * p + i]) > maxdiag)
			maxdiag = dabs(a[i * p + i]);
	for (k = 0; k < p; k++) {
		piv = k;
		for (i = k + 1; i < p; i++)
			if (dabs(a[i * p + k]) > dabs(a[piv * p + k]))
				piv = i;
		if (dabs(a[piv * p + k]) <= maxdiag * 1e-12)
			return -1;
		if (piv != k) {
			double t;

			for (j = 0; j < p; j++) {
				t = a[k * p + j];
				a[k * p + j] = a[piv * p + j];
				a[piv * p + j] = t;
			}
			t = r[k];
			r[k] = r[piv];
			r[piv] = t;
		}
		for (i = k + 1; i < p; i++) {
			double m = a[i * p + k] / a[k * p + k];

			for (j = k; j < p; j++)
				a[i * p + j] -= m * a[k * p + j];
			r[i] -= m * r[k];
		}
	}
	for (k = p; k-- > 0;) {
		double s = r[k];

		for (j = k + 1; j < p; j++)
			s -= a[k * p + j] * b[j];
		b[k] = s / a[k * p + k];
	}
	return 0;
}

static void print_fixed(FILE *out, double v)
{
	/* Never print "-0.000000". */
	if (v > -0.0000005 && v < 0.0000005)
		v = 0.0;
	fprintf(out, "%.6f", v);
}

int main(int argc, char **argv)
{
	static char header0[1024];
	struct data d = {0};
	struct tpl_file *files;
	char *names[MAX_COLS];
	double a[MAX_COLS * MAX_COLS] = {0}, r[MAX_COLS] = {0}, b[MAX_COLS];
	double x[MAX_COLS], mean = 0, sse = 0, sst = 0;
	size_t n, i, j, k, p;
	FILE *out;

	tpl_prog = "linreg";
	if (argc < 2)
		tpl_die(2, "usage: linreg INPUT...");
	tpl_check_inputs(argc, argv, 1);
	n = (size_t)argc - 1;
	files = tpl_xcalloc(n, sizeof(*files));
	for (i = 0; i < n; i++)
		load(&d, &files[i], argv[i + 1], header0, sizeof(header0), names);

	p = d.cols; /* intercept + (cols - 1) features */
	if (d.rows <= p)
		tpl_die(TPL_EXIT_INVALID, "%zu rows in all: need more than %zu to fit %zu terms",
			d.rows, p, p);
	/* Normal equations: (X'X) b = X'y with X = [1 features]. */
	for (k = 0; k < d.rows; k++) {
		const double *row = d.v + k * d.cols;
		double y = row[d.cols - 1];

		x[0] = 1.0;
		for (j = 1; j < p; j++)
			x[j] = row[j - 1];
		for (i = 0; i < p; i++) {
			for (j = 0; j < p; j++)
				a[i * p + j] += x[i] * x[j];
			r[i] += x[i] * y;
		}
		mean += y;
	}
	if (solve(a, r, b, p) != 0)
		tpl_die(TPL_EXIT_INVALID,
			"the features are collinear (or constant): no unique solution");
	mean /= (double)d.rows;
	for (k = 0; k < d.rows; k++) {
		const double *row = d.v + k * d.cols;
		double y = row[d.cols - 1], fit = b[0], e;

		for (j = 1; j < p; j++)
			fit += b[j] * row[j - 1];
		e = y - fit;
		sse += e * e;
		sst += (y - mean) * (y - mean);
	}
	if (sst == 0.0)
		tpl_die(TPL_EXIT_INVALID, "the target column \"%s\" is constant",
			names[d.cols - 1]);

	out = tpl_out_open(MODEL);
	fputs("term,coefficient\n", out);
	for (j = 0; j < p; j++) {
		fprintf(out, "%s,", j ? names[j - 1] : "intercept");
		print_fixed(out, b[j]);
		fputc('\n', out);
	}
	tpl_out_close(out, MODEL);

	out = tpl_out_open(FIT);
	fprintf(out, "rows,features,r_squared\n%zu,%zu,", d.rows, p - 1);
	print_fixed(out, 1.0 - sse / sst);
	fputc('\n', out);
	tpl_out_close(out, FIT);

	for (i = 0; i < n; i++)
		free(files[i].data);
	free(files);
	free(d.v);
	return 0;
}
