/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tplio.h - input/output helpers shared by the template programs.
 *
 * Header only, plain C11 and libc, so that every program is one translation
 * unit that builds unchanged for wasm32-wasi and natively:
 *
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 -ffp-contract=off \
 *         -I. psi.c -o psi.wasm
 *
 * Inside the isolate the program sees its inputs under /input and writes its
 * results under /output, exactly the paths of the topology.  A native build
 * (-DCCCTL_NATIVE, used by the tests) prefixes those paths with the folder
 * named by the environment variable CCCTL_ROOT, so a test can lay out
 * ROOT/input and ROOT/output; the wasm build never looks at the environment.
 *
 * Inputs are small CSV files: comma separated, no quoting, an exact header
 * line, LF or CRLF line ends, no empty lines.  Anything else is rejected with
 * "PROGRAM: PATH:LINE: message" on stderr and exit status 3 (invalid input).
 * I/O failures exit with status 1.  The programs use no clock and no random
 * numbers: their output is a pure function of their inputs and arguments.
 */
#ifndef CCCTL_TPLIO_H
#define CCCTL_TPLIO_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printf format checking where the compiler offers it (gcc, clang). */
#ifdef __GNUC__
#define TPL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TPL_PRINTF(fmt, args)
#endif

#define TPL_EXIT_FAIL	 1
#define TPL_EXIT_INVALID 3
#define TPL_MAX_FILE	 ((size_t)16 << 20) /* bytes per input file */
#define TPL_MAX_PATH	 4096

/* The program's name in messages; set it first thing in main(). */
static const char *tpl_prog = "program";

struct tpl_file {
	const char *path; /* the guest path, used in messages */
	char *data;	  /* whole file, NUL-terminated */
	size_t len;
	size_t pos;    /* next unread byte */
	unsigned line; /* number of the line last returned */
};

static inline void tpl_vdie(int status, const char *path, unsigned line, const char *fmt,
			    va_list ap) TPL_PRINTF(4, 0);
static inline void tpl_vdie(int status, const char *path, unsigned line, const char *fmt,
			    va_list ap)
{
	fprintf(stderr, "%s: ", tpl_prog);
	if (path && line)
		fprintf(stderr, "%s:%u: ", path, line);
	else if (path)
		fprintf(stderr, "%s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(status);
}

/* Exit with a message about the program's use or arguments. */
static inline _Noreturn void tpl_die(int status, const char *fmt, ...) TPL_PRINTF(2, 3);
static inline _Noreturn void tpl_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tpl_vdie(status, NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

/* Exit with status 3 and a message about the current line of f. */
static inline _Noreturn void tpl_invalid(const struct tpl_file *f, const char *fmt, ...)
    TPL_PRINTF(2, 3);
static inline _Noreturn void tpl_invalid(const struct tpl_file *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tpl_vdie(TPL_EXIT_INVALID, f->path, f->line, fmt, ap);
	va_end(ap);
	exit(TPL_EXIT_INVALID);
}

static inline void *tpl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		tpl_die(TPL_EXIT_FAIL, "out of memory");
	return p;
}

/* Grow *arr (of *cap elements of size bytes) so that it holds at least need. */
static inline void tpl_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			tpl_die(TPL_EXIT_FAIL, "out of memory");
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		tpl_die(TPL_EXIT_FAIL, "out of memory");
	q = realloc(*p, ncap * size);
	if (!q)
		tpl_die(TPL_EXIT_FAIL, "out of memory");
	*p = q;
	*cap = ncap;
}

/* The host path for a guest path (into out, TPL_MAX_PATH bytes). */
static inline const char *tpl_host_path(char *out, const char *guest)
{
#ifdef CCCTL_NATIVE
	const char *root = getenv("CCCTL_ROOT");

	if (root && *root) {
		int n = snprintf(out, TPL_MAX_PATH, "%s%s", root, guest);

		if (n < 0 || n >= TPL_MAX_PATH)
			tpl_die(TPL_EXIT_FAIL, "path too long: \"%s%s\"", root, guest);
		return out;
	}
#endif
	(void)out;
	return guest;
}

/* Whether a guest path is acceptable as an input path: "/input/NAME". */
static inline int tpl_is_input_path(const char *p)
{
	const char *name = p + 7;

	if (strncmp(p, "/input/", 7) != 0 || !*name || strlen(name) > 255)
		return 0;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') ||
		      *name == '-' || *name == '_' || *name == '.'))
			return 0;
	return p[7] != '.';
}

/* Require argv[first..argc) to be distinct input paths; exits 2 otherwise. */
static inline void tpl_check_inputs(int argc, char **argv, int first)
{
	int i, j;

	for (i = first; i < argc; i++) {
		if (!tpl_is_input_path(argv[i]))
			tpl_die(2, "\"%s\": expected a file /input/NAME", argv[i]);
		for (j = first; j < i; j++)
			if (strcmp(argv[i], argv[j]) == 0)
				tpl_die(2, "\"%s\" given twice", argv[i]);
	}
}

/* Read a whole input file; rejects files over TPL_MAX_FILE and NUL bytes. */
static inline void tpl_read(struct tpl_file *f, const char *guest)
{
	char host[TPL_MAX_PATH];
	FILE *fp;
	size_t cap = 4096, n;

	memset(f, 0, sizeof(*f));
	f->path = guest;
	fp = fopen(tpl_host_path(host, guest), "rb");
	if (!fp)
		tpl_die(TPL_EXIT_FAIL, "%s: %s", guest, strerror(errno));
	f->data = tpl_xcalloc(cap, 1);
	for (;;) {
		if (f->len + 1 >= cap) {
			if (cap > TPL_MAX_FILE) {
				fclose(fp);
				tpl_die(TPL_EXIT_INVALID, "%s: larger than %zu bytes", guest,
					TPL_MAX_FILE);
			}
			tpl_grow(&f->data, &cap, cap * 2, 1);
		}
		n = fread(f->data + f->len, 1, cap - f->len - 1, fp);
		f->len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp))
		tpl_die(TPL_EXIT_FAIL, "%s: read error", guest);
	fclose(fp);
	if (f->len > TPL_MAX_FILE)
		tpl_die(TPL_EXIT_INVALID, "%s: larger than %zu bytes", guest, TPL_MAX_FILE);
	if (memchr(f->data, '\0', f->len))
		tpl_die(TPL_EXIT_INVALID, "%s: contains a NUL byte: not a text file", guest);
	f->data[f->len] = '\0';
}

/* The next line without its line end (NUL-terminated in place), or NULL at
 * the end of the file.  Empty lines are rejected. */
static inline char *tpl_next_line(struct tpl_file *f)
{
	char *line, *end;

	if (f->pos >= f->len)
		return NULL;
	line = f->data + f->pos;
	end = strchr(line, '\n');
	if (end) {
		f->pos = (size_t)(end - f->data) + 1;
		*end = '\0';
	} else {
		f->pos = f->len;
		end = line + strlen(line);
	}
	f->line++;
	if (end > line && end[-1] == '\r')
		*--end = '\0';
	if (end == line)
		tpl_invalid(f, "empty line");
	return line;
}

/* Split a line at commas into exactly n fields (pointers into the line). */
static inline void tpl_fields(const struct tpl_file *f, char *line, char **fields, size_t n)
{
	size_t i = 0;

	if (strchr(line, '"'))
		tpl_invalid(f, "quoted fields are not supported");
	for (;;) {
		char *comma = strchr(line, ',');

		if (i == n)
			tpl_invalid(f, "expected %zu fields, found more", n);
		fields[i++] = line;
		if (!comma)
			break;
		*comma = '\0';
		line = comma + 1;
	}
	if (i != n)
		tpl_invalid(f, "expected %zu fields, found %zu", n, i);
}

/* Read the first line and require it to be exactly `header`. */
static inline void tpl_header(struct tpl_file *f, const char *header)
{
	char *line = tpl_next_line(f);

	if (!line) {
		f->line = 1;
		tpl_invalid(f, "empty file: expected the header \"%s\"", header);
	}
	if (strcmp(line, header) != 0)
		tpl_invalid(f, "expected the header \"%s\", found \"%.80s\"", header, line);
}

/*
 * Parse a decimal number with at most `decimals` digits after the point into
 * an integer scaled by 10^decimals ("12.5" with 2 decimals gives 1250).  An
 * optional leading '-' is accepted when allow_negative.  The result must lie
 * in [min, max] (scaled).  Rejects empty fields, '+', spaces, exponents.
 */
static inline int64_t tpl_decimal(const struct tpl_file *f, const char *what, const char *s,
				  unsigned decimals, int allow_negative, int64_t min, int64_t max)
{
	const char *p = s;
	int neg = 0, digits = 0;
	unsigned frac = 0;
	int64_t v = 0;

	if (*p == '-' && allow_negative) {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (v > (INT64_MAX / 10) - 10)
			tpl_invalid(f, "%s \"%.40s\" is out of range", what, s);
		v = v * 10 + (*p - '0');
	}
	if (*p == '.' && digits) {
		for (p++; *p >= '0' && *p <= '9' && frac < decimals; p++, frac++) {
			if (v > (INT64_MAX / 10) - 10)
				tpl_invalid(f, "%s \"%.40s\" is out of range", what, s);
			v = v * 10 + (*p - '0');
		}
		if (frac == 0 || (*p >= '0' && *p <= '9'))
			tpl_invalid(f, "%s \"%.40s\": expected at most %u decimal places", what, s,
				    decimals);
	}
	if (*p || !digits)
		tpl_invalid(f, "%s \"%.40s\" is not a number", what, s);
	for (; frac < decimals; frac++) {
		if (v > INT64_MAX / 10)
			tpl_invalid(f, "%s \"%.40s\" is out of range", what, s);
		v *= 10;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		tpl_invalid(f, "%s \"%.40s\" is out of range", what, s);
	return v;
}

/* Format a scaled integer (see tpl_decimal) with exactly `decimals` digits. */
static inline const char *tpl_fmt_decimal(char out[32], int64_t v, unsigned decimals)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, scale = 1;
	unsigned i;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	if (decimals)
		snprintf(out, 32, "%s%llu.%0*llu", v < 0 ? "-" : "",
			 (unsigned long long)(mag / scale), (int)decimals,
			 (unsigned long long)(mag % scale));
	else
		snprintf(out, 32, "%s%llu", v < 0 ? "-" : "", (unsigned long long)mag);
	return out;
}

/* num / den rounded half away from zero, for den > 0 and |num| < 2^62. */
static inline int64_t tpl_div_round(int64_t num, int64_t den)
{
	return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

/* Open an output file for writing (guest path under /output). */
static inline FILE *tpl_out_open(const char *guest)
{
	char host[TPL_MAX_PATH];
	FILE *fp = fopen(tpl_host_path(host, guest), "w");

	if (!fp)
		tpl_die(TPL_EXIT_FAIL, "%s: %s", guest, strerror(errno));
	return fp;
}

/* Close an output file, failing if anything could not be written. */
static inline void tpl_out_close(FILE *fp, const char *guest)
{
	int err = ferror(fp);

	if (fclose(fp) != 0 || err)
		tpl_die(TPL_EXIT_FAIL, "%s: write error", guest);
}

/* Parse "--NAME=VALUE" as an integer in [min, max]; 1 if arg is that option. */
static inline int tpl_int_option(const char *arg, const char *name, long min, long max, long *out)
{
	size_t n = strlen(name);
	const char *v;
	char *end;
	long x;

	if (strncmp(arg, name, n) != 0 || arg[n] != '=')
		return 0;
	v = arg + n + 1;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || *v < '0' || *v > '9' || x < min || x > max)
		tpl_die(TPL_EXIT_INVALID, "%s: expected an integer from %ld to %ld, found \"%s\"",
			name, min, max, v);
	*out = x;
	return 1;
}

#endif
