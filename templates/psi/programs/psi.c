/* SPDX-License-Identifier: Apache-2.0 */
/*
 * psi - private set intersection of patient identifiers.
 *
 *   psi INPUT INPUT...
 *
 * Every INPUT (a path under /input/) is a CSV file with the header
 * "patient_id" and one identifier per line (1 to 64 characters of A-Z, a-z,
 * 0-9 and '-'; no duplicates within a file).  Writes the identifiers present
 * in every input, sorted bytewise, to /output/intersection.csv with the same
 * header.  Nothing else leaves the program.
 */
#include "tplio.h"

#define OUTPUT "/output/intersection.csv"
#define MAX_ID 64

struct entry {
	char *id;
	unsigned line;
};

struct idset {
	struct entry *ids;
	size_t n, cap;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static void check_id(const struct tpl_file *f, const char *id)
{
	size_t n = 0;

	for (; id[n]; n++) {
		char c = id[n];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			tpl_invalid(f, "patient_id \"%.80s\": unexpected character '%c'", id, c);
		if (n >= MAX_ID)
			tpl_invalid(f, "patient_id \"%.80s\": longer than %d characters", id,
				    MAX_ID);
	}
}

/* Load one input into a sorted set; duplicates are an error. */
static void load(struct idset *s, struct tpl_file *f, const char *path)
{
	char *line, *field;
	size_t i;

	tpl_read(f, path);
	tpl_header(f, "patient_id");
	while ((line = tpl_next_line(f))) {
		tpl_fields(f, line, &field, 1);
		check_id(f, field);
		tpl_grow(&s->ids, &s->cap, s->n + 1, sizeof(*s->ids));
		s->ids[s->n].id = field;
		s->ids[s->n++].line = f->line;
	}
	if (s->n == 0)
		tpl_invalid(f, "no patient ids after the header");
	qsort(s->ids, s->n, sizeof(*s->ids), cmp_entry);
	for (i = 1; i < s->n; i++)
		if (strcmp(s->ids[i - 1].id, s->ids[i].id) == 0) {
			f->line = s->ids[i].line;
			tpl_invalid(f, "duplicate patient_id \"%s\" (first on line %u)",
				    s->ids[i].id, s->ids[i - 1].line);
		}
}

/* Keep in a only the ids also in b (both sorted). */
static void intersect(struct idset *a, const struct idset *b)
{
	size_t i = 0, j = 0, k = 0;

	while (i < a->n && j < b->n) {
		int c = strcmp(a->ids[i].id, b->ids[j].id);

		if (c == 0) {
			a->ids[k++] = a->ids[i];
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	a->n = k;
}

int main(int argc, char **argv)
{
	struct tpl_file *files;
	struct idset *sets;
	size_t n, i;
	FILE *out;

	tpl_prog = "psi";
	if (argc < 3)
		tpl_die(2, "usage: psi INPUT INPUT...");
	tpl_check_inputs(argc, argv, 1);
	n = (size_t)argc - 1;
	files = tpl_xcalloc(n, sizeof(*files));
	sets = tpl_xcalloc(n, sizeof(*sets));
	for (i = 0; i < n; i++)
		load(&sets[i], &files[i], argv[i + 1]);
	for (i = 1; i < n; i++)
		intersect(&sets[0], &sets[i]);

	out = tpl_out_open(OUTPUT);
	fputs("patient_id\n", out);
	for (i = 0; i < sets[0].n; i++)
		fprintf(out, "%s\n", sets[0].ids[i].id);
	tpl_out_close(out, OUTPUT);

	for (i = 0; i < n; i++) {
		free(sets[i].ids);
		free(files[i].data);
	}
	free(sets);
	free(files);
	return 0;
}
