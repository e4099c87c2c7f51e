/* SPDX-License-Identifier: Apache-2.0 */
/*
 * topology.c - compile a topology (YAML) into a policy.
 *
 * Two passes.  The first turns libyaml's events into a small tree whose
 * every node keeps its 1-based line and column (aliases, anchors, tags and
 * extra documents are refused there, and the tree is bounded in size and
 * depth).  The second walks the tree section by section in a fixed order
 * (participants first, so references can be checked wherever they appear
 * in the file), fills a struct ccctl_policy and records one positioned
 * diagnostic per broken rule, carrying on after each so that the user sees
 * all of them.  Only a topology without errors is finished into a policy.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "crypto.h"
#include "json.h"
#include "topology.h"
#include "units.h"

/* ---- the YAML tree ---------------------------------------------------- */

enum node_type { N_SCALAR, N_SEQ, N_MAP };

struct node {
	enum node_type type;
	unsigned line, col;
	bool plain;	    /* scalar written without quotes */
	char *s;	    /* scalar text (NUL-terminated) */
	size_t len;	    /* scalar length */
	struct node **kids; /* sequence items; mapping: key, value, key, value... */
	size_t n, cap;
};

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->s);
	free(n);
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *node_kind(const struct node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case N_SEQ:
		return "a list";
	case N_MAP:
		return "a map";
	default:
		return n->plain && n->len == 0 ? "an empty value" : "a scalar";
	}
}

/* The compiler's state. */
struct tctx {
	struct ccctl_diags *d;
	const char *file;
	const struct ccctl_topology_opts *o;
	struct ccctl_policy *p;
	bool oom;
	/* Positions of what the policy arrays hold, by index. */
	const struct node **part_node; /* participant name (map key) */
	bool *part_role;
	const struct node **in_node;  /* the input's path value */
	const struct node **out_node; /* the output's path value */
};

__attribute__((format(printf, 4, 0))) static void vdiag(struct tctx *c, enum ccctl_diag_level level,
							const struct node *at, const char *fmt,
							va_list ap)
{
	char msg[768];
	char *m;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Values quoted from the file must not reach a terminal as controls. */
	for (m = msg; *m; m++)
		if ((unsigned char)*m < 0x20 || *m == 0x7f)
			*m = '?';
	if (ccctl_diags_add(c->d, level, c->file, at ? at->line : 0, at ? at->col : 0, "%s", msg))
		c->oom = true;
}

__attribute__((format(printf, 3, 4))) static void err_at(struct tctx *c, const struct node *at,
							 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(c, CCCTL_DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void warn_at(struct tctx *c, const struct node *at,
							  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(c, CCCTL_DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

static void err_line(struct tctx *c, unsigned line, unsigned col, const char *msg)
{
	if (ccctl_diags_add(c->d, CCCTL_DIAG_ERROR, c->file, line, col, "%s", msg))
		c->oom = true;
}

static int node_add_kid(struct node *parent, struct node *kid)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 8;
		struct node **k;

		if (cap > SIZE_MAX / sizeof(*k))
			return -1;
		k = realloc(parent->kids, cap * sizeof(*k));
		if (!k)
			return -1;
		parent->kids = k;
		parent->cap = cap;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

static struct node *node_new(enum node_type type, const yaml_mark_t *mark)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->type = type;
	n->line = (unsigned)(mark->line + 1);
	n->col = (unsigned)(mark->column + 1);
	return n;
}

/* What an event may not carry: anchors, explicit tags.  Returns the problem
 * or NULL. */
static const char *event_refused(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return "YAML aliases are not supported";
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return "YAML anchors are not supported";
		if (ev->data.scalar.tag)
			return "YAML tags are not supported";
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return "YAML anchors are not supported";
		if (ev->data.sequence_start.tag)
			return "YAML tags are not supported";
		return NULL;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			return "YAML anchors are not supported";
		if (ev->data.mapping_start.tag)
			return "YAML tags are not supported";
		return NULL;
	default:
		return NULL;
	}
}

/* Line and column (1-based, in bytes) of a byte offset. */
static void offset_position(const void *data, size_t len, size_t offset, unsigned *line,
			    unsigned *col)
{
	const unsigned char *d = data;
	size_t i, start = 0;

	*line = 1;
	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		if (d[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = (unsigned)(offset - start + 1);
}

/*
 * Parse the YAML text into a tree.  Every problem is a diagnostic; returns
 * the root (a node of any type) or NULL when there is no usable tree.
 */
static struct node *load_tree(struct tctx *c, const void *data, size_t len)
{
	struct node *stack[CCCTL_TOPOLOGY_MAX_DEPTH + 1];
	struct node *root = NULL;
	size_t depth = 0, count = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false, failed = false;
	int docs = 0;

	if (!yaml_parser_initialize(&parser)) {
		c->oom = true;
		return NULL;
	}
	yaml_parser_set_input_string(&parser, data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done && !failed) {
		const char *refused;
		struct node *n = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			char msg[512];
			unsigned line = (unsigned)parser.problem_mark.line + 1;
			unsigned col = (unsigned)parser.problem_mark.column + 1;

			snprintf(msg, sizeof(msg), "invalid YAML: %s%s%s",
				 parser.problem ? parser.problem : "syntax error",
				 parser.context ? " " : "", parser.context ? parser.context : "");
			/* The reader (encoding) reports a byte offset, not a mark. */
			if (parser.error == YAML_READER_ERROR)
				offset_position(data, len, parser.problem_offset, &line, &col);
			err_line(c, line, col, msg);
			failed = true;
			break;
		}
		refused = event_refused(&ev);
		if (refused) {
			err_line(c, (unsigned)ev.start_mark.line + 1,
				 (unsigned)ev.start_mark.column + 1, refused);
			failed = true;
		} else if (ev.type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
			err_line(c, (unsigned)ev.start_mark.line + 1,
				 (unsigned)ev.start_mark.column + 1,
				 "several YAML documents: expected exactly one");
			failed = true;
		} else if (ev.type == YAML_STREAM_END_EVENT) {
			done = true;
		} else if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
			   ev.type == YAML_MAPPING_START_EVENT) {
			if (++count > CCCTL_TOPOLOGY_MAX_NODES) {
				char msg[96];

				snprintf(msg, sizeof(msg), "too many YAML nodes (more than %u)",
					 CCCTL_TOPOLOGY_MAX_NODES);
				err_line(c, (unsigned)ev.start_mark.line + 1,
					 (unsigned)ev.start_mark.column + 1, msg);
				failed = true;
				goto next;
			}
			n = node_new(ev.type == YAML_SCALAR_EVENT	    ? N_SCALAR
				     : ev.type == YAML_SEQUENCE_START_EVENT ? N_SEQ
									    : N_MAP,
				     &ev.start_mark);
			if (!n)
				goto nomem;
			if (ev.type == YAML_SCALAR_EVENT) {
				n->len = ev.data.scalar.length;
				n->s = malloc(n->len + 1);
				if (!n->s) {
					node_free(n);
					goto nomem;
				}
				memcpy(n->s, ev.data.scalar.value, n->len);
				n->s[n->len] = '\0';
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			}
			if (depth == 0) {
				root = n;
			} else if (node_add_kid(stack[depth - 1], n)) {
				node_free(n);
				goto nomem;
			}
			if (n->type != N_SCALAR) {
				if (depth == CCCTL_TOPOLOGY_MAX_DEPTH) {
					char msg[96];

					snprintf(msg, sizeof(msg),
						 "YAML nested too deeply (more than %d levels)",
						 CCCTL_TOPOLOGY_MAX_DEPTH);
					err_line(c, n->line, n->col, msg);
					failed = true;
					goto next;
				}
				stack[depth++] = n;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			   ev.type == YAML_MAPPING_END_EVENT) {
			if (depth)
				depth--;
		}
	next:
		yaml_event_delete(&ev);
		continue;
	nomem:
		yaml_event_delete(&ev);
		c->oom = true;
		failed = true;
	}
	yaml_parser_delete(&parser);
	if (failed) {
		node_free(root);
		return NULL;
	}
	if (!root) {
		err_line(c, 1, 1,
			 "empty topology: expected a map with \"version\", \"name\", "
			 "\"participants\" and \"programs\"");
	}
	return root;
}

/* ---- typed access with diagnostics ------------------------------------ */

/* Suggest the closest of keys after msg ("... did you mean 'x'?"). */
static void err_unknown(struct tctx *c, const struct node *at, const char *what, const char *s,
			const char *const *keys)
{
	const char *near = ccctl_units_closest(s, keys);

	if (near)
		err_at(c, at, "unknown %s \"%s\"; did you mean \"%s\"?", what, s, near);
	else
		err_at(c, at, "unknown %s \"%s\"", what, s);
}

static bool want(struct tctx *c, const struct node *n, enum node_type type, const char *what)
{
	static const char *const kinds[] = {"a string", "a list", "a map"};

	if (n->type == type && !(type == N_SCALAR && n->plain && n->len == 0))
		return true;
	err_at(c, n, "\"%s\": expected %s, found %s", what, kinds[type], node_kind(n));
	return false;
}

/* A non-empty scalar's text, or NULL after a diagnostic. */
static const char *scalar(struct tctx *c, const struct node *n, const char *what)
{
	if (!want(c, n, N_SCALAR, what))
		return NULL;
	if (strlen(n->s) != n->len) {
		err_at(c, n, "\"%s\": contains a NUL character", what);
		return NULL;
	}
	return n->s;
}

/*
 * Check that m is a map with only the given keys (NULL-terminated) and no
 * key twice; vals[i] receives the value of keys[i] (or stays NULL).
 */
static bool fields(struct tctx *c, const struct node *m, const char *what, const char *const *keys,
		   const struct node **vals, const struct node **keynodes)
{
	size_t i, k, nkeys = 0;

	while (keys[nkeys])
		nkeys++;
	for (k = 0; k < nkeys; k++) {
		vals[k] = NULL;
		if (keynodes)
			keynodes[k] = NULL;
	}
	if (!want(c, m, N_MAP, what))
		return false;
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct node *key = m->kids[i];
		const struct node *first = NULL;

		if (key->type != N_SCALAR) {
			err_at(c, key, "\"%s\": keys must be plain names, found %s", what,
			       node_kind(key));
			continue;
		}
		for (k = 0; k < nkeys && strcmp(keys[k], key->s) != 0; k++)
			;
		if (k == nkeys) {
			err_unknown(c, key, "key", key->s, keys);
			continue;
		}
		if (vals[k]) {
			size_t j;

			for (j = 0; j < i; j += 2)
				if (m->kids[j]->type == N_SCALAR &&
				    strcmp(m->kids[j]->s, key->s) == 0)
					first = m->kids[j];
			err_at(c, key, "duplicate key \"%s\" (first at line %u)", key->s,
			       first ? first->line : 0);
			continue;
		}
		vals[k] = m->kids[i + 1];
		if (keynodes)
			keynodes[k] = key;
	}
	return true;
}

/* Resolve a name written in the topology against the base folder. */
static char *resolve(struct tctx *c, const char *name)
{
	const char *base = c->o->base_dir ? c->o->base_dir : ".";
	size_t n = strlen(base) + strlen(name) + 2;
	char *s;

	if (name[0] == '/')
		return strdup(name);
	s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", base, name);
	return s;
}

/* Read a file named at node n; false after a diagnostic. */
static bool read_named(struct tctx *c, const struct node *n, const char *what, size_t max,
		       struct ccctl_buf *out)
{
	char *path = resolve(c, n->s);
	int rc;

	if (!path) {
		c->oom = true;
		return false;
	}
	if (c->o->read_file)
		rc = c->o->read_file(c->o->read_arg, path, max, out);
	else
		rc = ccctl_file_read(out, path, max);
	if (rc)
		err_at(c, n, "cannot read %s \"%s\": %s", what, n->s, ccctl_err_msg());
	free(path);
	return rc == 0;
}

static char *xstrdup(struct tctx *c, const char *s)
{
	char *d = strdup(s);

	if (!d)
		c->oom = true;
	return d;
}

static void *xcalloc(struct tctx *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		c->oom = true;
	return p;
}

/* A number of the grammar parse() from a scalar; false after a diagnostic. */
static bool number(struct tctx *c, const struct node *n, const char *what,
		   int (*parse)(uint64_t *, const char *), uint64_t min, uint64_t max,
		   uint64_t *out)
{
	const char *s = scalar(c, n, what);
	uint64_t v;

	if (!s)
		return false;
	if (parse(&v, s)) {
		err_at(c, n, "\"%s\": %s", what, ccctl_err_msg());
		return false;
	}
	if (v < min || v > max) {
		err_at(c, n, "\"%s\": %llu is out of range (expected %llu to %llu)", what,
		       (unsigned long long)v, (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

static bool boolean(struct tctx *c, const struct node *n, const char *what, bool *out)
{
	const char *s = scalar(c, n, what);

	if (!s)
		return false;
	if (n->plain && strcmp(s, "true") == 0)
		*out = true;
	else if (n->plain && strcmp(s, "false") == 0)
		*out = false;
	else {
		err_at(c, n, "\"%s\": expected true or false, found \"%s\"", what, s);
		return false;
	}
	return true;
}

/* 64 hex digits (either case) into a digest. */
static bool hex32(struct tctx *c, const struct node *n, const char *what, uint8_t out[32])
{
	const char *s = scalar(c, n, what);

	if (!s)
		return false;
	if (n->len != 64 || ccctl_hex_decode(out, 32, s, 64)) {
		err_at(c, n, "\"%s\": expected 64 hex digits (SHA-256), found %zu characters", what,
		       n->len);
		return false;
	}
	return true;
}

/* ---- references ------------------------------------------------------- */

static const char *const *participant_names(struct tctx *c, const char **buf, size_t max)
{
	size_t i, n = c->p->nparticipants < max - 1 ? c->p->nparticipants : max - 1;

	for (i = 0; i < n; i++)
		buf[i] = c->p->participants[i].name;
	buf[n] = NULL;
	return buf;
}

/* The index of the participant a name refers to, or -1 after a diagnostic. */
static long participant_ref(struct tctx *c, const struct node *n, const char *what)
{
	const char *s = scalar(c, n, what);
	const char *names[257];
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < c->p->nparticipants; i++)
		if (strcmp(c->p->participants[i].name, s) == 0)
			return (long)i;
	err_unknown(c, n, "participant", s, participant_names(c, names, 257));
	return -1;
}

static long program_ref(struct tctx *c, const struct node *n)
{
	const char *s = scalar(c, n, "program");
	const char *names[257];
	size_t i, k = 0;

	if (!s)
		return -1;
	for (i = 0; i < c->p->nprograms; i++) {
		if (c->p->programs[i].name && strcmp(c->p->programs[i].name, s) == 0)
			return (long)i;
		if (c->p->programs[i].name && k < 256)
			names[k++] = c->p->programs[i].name;
	}
	names[k] = NULL;
	err_unknown(c, n, "program", s, names);
	return -1;
}

/* Uniqueness over (text, node) pairs: sort, then report later repeats. */
struct entry {
	const char *s;
	const struct node *n;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	if (x->n->line != y->n->line)
		return x->n->line < y->n->line ? -1 : 1;
	return x->n->col < y->n->col ? -1 : x->n->col > y->n->col;
}

static void check_unique(struct tctx *c, struct entry *e, size_t n, const char *what)
{
	size_t i, first = 0;

	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 1; i < n; i++) {
		if (strcmp(e[i].s, e[first].s) != 0) {
			first = i;
			continue;
		}
		err_at(c, e[i].n, "%s \"%s\" repeated (first at line %u, column %u)", what, e[i].s,
		       e[first].n->line, e[first].n->col);
	}
}

/* A list of names or paths into a fresh vector; each item is checked by
 * item() and repeats are errors. */
static bool string_list(struct tctx *c, const struct node *n, const char *what,
			bool (*item)(struct tctx *, const struct node *, const char *), char ***out,
			size_t *nout)
{
	struct entry *e;
	size_t i;
	bool ok = true;

	*out = NULL;
	*nout = 0;
	if (!want(c, n, N_SEQ, what))
		return false;
	*out = xcalloc(c, n->n, sizeof(**out));
	e = xcalloc(c, n->n, sizeof(*e));
	if (!*out || !e) {
		free(e);
		return false;
	}
	for (i = 0; i < n->n; i++) {
		const char *s = scalar(c, n->kids[i], what);

		if (!s || (item && !item(c, n->kids[i], what))) {
			ok = false;
			continue;
		}
		e[*nout].s = s;
		e[*nout].n = n->kids[i];
		(*out)[*nout] = xstrdup(c, s);
		if (!(*out)[*nout]) {
			free(e);
			return false;
		}
		(*nout)++;
	}
	if (item) {
		size_t before = c->d->errors;

		check_unique(c, e, *nout, what);
		ok = ok && before == c->d->errors;
	}
	free(e);
	return ok;
}

static bool path_item(struct tctx *c, const struct node *n, const char *what)
{
	const char *why;

	if (ccctl_units_path_ok(n->s, true, &why))
		return true;
	err_at(c, n, "\"%s\": invalid path \"%s\": %s", what, n->s, why);
	return false;
}

static bool name_item(struct tctx *c, const struct node *n, const char *what)
{
	return participant_ref(c, n, what) >= 0;
}

/* ---- sections --------------------------------------------------------- */

enum {
	S_VERSION,
	S_NAME,
	S_DESCRIPTION,
	S_PARTICIPANTS,
	S_PROGRAMS,
	S_INPUTS,
	S_OUTPUTS,
	S_LIMITS,
	S_RUNTIME,
	S_CONSENT,
	S_EXPIRES,
	S_OPTIONS,
	S_COUNT
};

static const char *const top_keys[] = {
    "version", "name",	  "description", "participants", "programs", "inputs", "outputs",
    "limits",  "runtime", "consent",	 "expires",	 "options",  NULL};

static void do_header(struct tctx *c, const struct node **sec, const struct node *root)
{
	const char *s;
	int64_t t;

	if (!sec[S_VERSION])
		err_at(c, root, "missing key \"version\" (expected version: 1)");
	else if ((s = scalar(c, sec[S_VERSION], "version")) && strcmp(s, "1") != 0)
		err_at(c, sec[S_VERSION], "\"version\": expected 1, found \"%s\"", s);
	if (!sec[S_NAME]) {
		err_at(c, root, "missing key \"name\"");
	} else if ((s = scalar(c, sec[S_NAME], "name"))) {
		if (!ccctl_units_policy_name_ok(s))
			err_at(c, sec[S_NAME],
			       "\"name\": \"%s\" must match [a-z0-9][a-z0-9-]{0,62}", s);
		else
			c->p->name = xstrdup(c, s);
	}
	if (sec[S_DESCRIPTION] && (s = scalar(c, sec[S_DESCRIPTION], "description"))) {
		if (!*s || strlen(s) > CCCTL_POLICY_MAX_DESCRIPTION)
			err_at(c, sec[S_DESCRIPTION], "\"description\": expected 1 to %d bytes",
			       CCCTL_POLICY_MAX_DESCRIPTION);
		else
			c->p->description = xstrdup(c, s);
	}
	if (sec[S_EXPIRES] && (s = scalar(c, sec[S_EXPIRES], "expires"))) {
		if (ccctl_units_parse_time(&t, s)) {
			err_at(c, sec[S_EXPIRES], "\"expires\": %s", ccctl_err_msg());
		} else {
			c->p->expires = xstrdup(c, s);
			c->p->expires_unix = t;
		}
	}
}

static void do_participants(struct tctx *c, const struct node *m, const struct node *root)
{
	static const char *const keys[] = {"certificate", NULL};
	size_t i, j, n;

	if (!m) {
		err_at(c, root, "missing key \"participants\"");
		return;
	}
	if (!want(c, m, N_MAP, "participants"))
		return;
	n = m->n / 2;
	if (n == 0)
		err_at(c, m, "\"participants\": expected at least one participant");
	c->p->participants = xcalloc(c, n, sizeof(*c->p->participants));
	c->part_node = xcalloc(c, n, sizeof(*c->part_node));
	c->part_role = xcalloc(c, n, sizeof(*c->part_role));
	if (c->oom)
		return;
	for (i = 0; i < n; i++) {
		const struct node *key = m->kids[2 * i], *val = m->kids[2 * i + 1];
		struct ccctl_policy_participant *a = &c->p->participants[c->p->nparticipants];
		const struct node *v[1];
		struct ccctl_buf pem;
		const char *bad = NULL;

		if (!scalar(c, key, "participants"))
			continue;
		if (!ccctl_units_name_ok(key->s)) {
			err_at(c, key, "participant name \"%s\" must match [a-z][a-z0-9_-]{0,31}",
			       key->s);
			continue;
		}
		for (j = 0; j < i; j++)
			if (m->kids[2 * j]->type == N_SCALAR &&
			    strcmp(m->kids[2 * j]->s, key->s) == 0)
				break;
		if (j < i) {
			err_at(c, key, "duplicate key \"%s\" (first at line %u)", key->s,
			       m->kids[2 * j]->line);
			continue;
		}
		if (!fields(c, val, key->s, keys, v, NULL))
			continue;
		if (!v[0]) {
			err_at(c, val, "participant \"%s\": missing key \"certificate\"", key->s);
			continue;
		}
		if (!scalar(c, v[0], "certificate"))
			continue;
		ccctl_buf_init(&pem);
		if (!read_named(c, v[0], "certificate", CCCTL_POLICY_MAX_CERT, &pem)) {
			ccctl_buf_release(&pem);
			continue;
		}
		if (strlen((const char *)pem.data) != pem.len)
			bad = "contains a NUL byte";
		else if (ccctl_cert_spki_sha256(a->spki_sha256, (const char *)pem.data, pem.len))
			bad = ccctl_err_msg();
		if (bad) {
			err_at(c, v[0], "certificate \"%s\": %s", v[0]->s, bad);
			ccctl_buf_release(&pem);
			continue;
		}
		for (j = 0; j < c->p->nparticipants; j++)
			if (memcmp(c->p->participants[j].spki_sha256, a->spki_sha256, 32) == 0)
				break;
		if (j < c->p->nparticipants) {
			err_at(c, v[0], "participant \"%s\" has the same key as \"%s\" (line %u)",
			       key->s, c->p->participants[j].name, c->part_node[j]->line);
			ccctl_buf_release(&pem);
			continue;
		}
		a->certificate = ccctl_buf_steal(&pem, NULL);
		a->name = xstrdup(c, key->s);
		if (!a->certificate || !a->name) {
			free(a->certificate);
			free(a->name);
			a->certificate = a->name = NULL;
			c->oom = true;
			return;
		}
		c->part_node[c->p->nparticipants++] = key;
	}
}

/* One program; returns the node of its name (or of the map). */
static const struct node *do_program(struct tctx *c, const struct node *m, size_t idx)
{
	static const char *const keys[] = {"name", "provider", "wasm",	 "sha256",
					   "args", "reads",    "writes", NULL};
	enum { K_NAME, K_PROVIDER, K_WASM, K_SHA256, K_ARGS, K_READS, K_WRITES };
	struct ccctl_policy_program *g = &c->p->programs[idx];
	const struct node *v[7], *kn[7];
	const char *s;
	long who;
	size_t i;

	if (!fields(c, m, "programs", keys, v, kn))
		return m;
	if (!v[K_NAME])
		err_at(c, m, "program: missing key \"name\"");
	else if ((s = scalar(c, v[K_NAME], "name"))) {
		if (!ccctl_units_name_ok(s))
			err_at(c, v[K_NAME], "program name \"%s\" must match [a-z][a-z0-9_-]{0,31}",
			       s);
		else
			g->name = xstrdup(c, s);
	}
	if (!v[K_PROVIDER]) {
		err_at(c, m, "program: missing key \"provider\"");
	} else if ((who = participant_ref(c, v[K_PROVIDER], "provider")) >= 0) {
		g->provider = xstrdup(c, c->p->participants[who].name);
		c->part_role[who] = true;
	}
	if (!v[K_WASM] == !v[K_SHA256]) {
		err_at(c, v[K_WASM] ? kn[K_SHA256] : m,
		       "program: exactly one of \"wasm\" or \"sha256\" is required");
	} else if (v[K_SHA256]) {
		hex32(c, v[K_SHA256], "sha256", g->sha256);
	} else if (scalar(c, v[K_WASM], "wasm")) {
		struct ccctl_buf wasm;

		ccctl_buf_init(&wasm);
		if (read_named(c, v[K_WASM], "program", CCCTL_TOPOLOGY_MAX_WASM, &wasm))
			ccctl_sha256(g->sha256, wasm.data, wasm.len);
		ccctl_buf_release(&wasm);
	}
	if (v[K_ARGS]) {
		string_list(c, v[K_ARGS], "args", NULL, &g->args, &g->nargs);
		if (g->nargs > CCCTL_POLICY_MAX_ARGS)
			err_at(c, v[K_ARGS], "\"args\": %zu arguments (at most %d)", g->nargs,
			       CCCTL_POLICY_MAX_ARGS);
		for (i = 0; i < g->nargs; i++)
			if (strlen(g->args[i]) > CCCTL_POLICY_MAX_ARG)
				err_at(c, v[K_ARGS]->kids[i], "argument longer than %d bytes",
				       CCCTL_POLICY_MAX_ARG);
	}
	if (v[K_READS])
		string_list(c, v[K_READS], "reads", path_item, &g->reads, &g->nreads);
	if (v[K_WRITES])
		string_list(c, v[K_WRITES], "writes", path_item, &g->writes, &g->nwrites);
	return v[K_NAME] ? v[K_NAME] : m;
}

static void do_programs(struct tctx *c, const struct node *l, const struct node *root)
{
	struct entry *e;
	size_t i, k = 0;

	if (!l) {
		err_at(c, root, "missing key \"programs\"");
		return;
	}
	if (!want(c, l, N_SEQ, "programs"))
		return;
	if (l->n == 0)
		err_at(c, l, "\"programs\": expected at least one program");
	c->p->programs = xcalloc(c, l->n, sizeof(*c->p->programs));
	e = xcalloc(c, l->n, sizeof(*e));
	if (c->oom) {
		free(e);
		return;
	}
	c->p->nprograms = l->n;
	for (i = 0; i < l->n; i++) {
		const struct node *at = do_program(c, l->kids[i], i);

		if (c->p->programs[i].name) {
			e[k].s = c->p->programs[i].name;
			e[k].n = at;
			k++;
		}
	}
	check_unique(c, e, k, "program");
	free(e);
}

/* Whether some program of g[0..ng) may read path. */
static bool readable(const struct ccctl_policy_program *g, size_t ng, const char *path)
{
	size_t i;

	for (i = 0; i < ng; i++)
		if (ccctl_policy_program_reads(&g[i], path))
			return true;
	return false;
}

static void do_inputs(struct tctx *c, const struct node *l)
{
	static const char *const keys[] = {"path", "from", "sha256", "max_size", NULL};
	struct entry *e;
	size_t i;

	if (!l)
		return;
	if (!want(c, l, N_SEQ, "inputs"))
		return;
	c->p->inputs = xcalloc(c, l->n, sizeof(*c->p->inputs));
	c->in_node = xcalloc(c, l->n, sizeof(*c->in_node));
	e = xcalloc(c, l->n, sizeof(*e));
	if (c->oom) {
		free(e);
		return;
	}
	for (i = 0; i < l->n; i++) {
		struct ccctl_policy_input *in = &c->p->inputs[c->p->ninputs];
		const struct node *v[4];
		const char *s, *why;
		long who = -1;
		bool ok = true;

		if (!fields(c, l->kids[i], "inputs", keys, v, NULL))
			continue;
		if (!v[0]) {
			err_at(c, l->kids[i], "input: missing key \"path\"");
			ok = false;
		} else if (!(s = scalar(c, v[0], "path"))) {
			ok = false;
		} else if (!ccctl_units_path_ok(s, false, &why)) {
			err_at(c, v[0], "input path \"%s\": %s", s, why);
			ok = false;
		} else if (!readable(c->p->programs, c->p->nprograms, s)) {
			err_at(c, v[0],
			       "input \"%s\" is not readable by any program (no \"reads\" "
			       "covers it)",
			       s);
		}
		if (!v[1]) {
			err_at(c, l->kids[i], "input: missing key \"from\"");
			ok = false;
		} else if ((who = participant_ref(c, v[1], "from")) < 0) {
			ok = false;
		}
		if (v[2] && !hex32(c, v[2], "sha256", in->sha256))
			ok = false;
		in->has_sha256 = v[2] != NULL;
		in->max_size = c->p->limits.max_input;
		if (v[3] && !number(c, v[3], "max_size", ccctl_units_parse_size, 1, CCCTL_UNITS_MAX,
				    &in->max_size))
			ok = false;
		if (!ok)
			continue;
		in->path = xstrdup(c, v[0]->s);
		in->from = xstrdup(c, c->p->participants[who].name);
		c->part_role[who] = true;
		e[c->p->ninputs].s = v[0]->s;
		e[c->p->ninputs].n = v[0];
		c->in_node[c->p->ninputs++] = v[0];
	}
	check_unique(c, e, c->p->ninputs, "input path");
	free(e);
}

static int cmp_input_path(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entry *)elem)->s);
}

static void do_outputs(struct tctx *c, const struct node *l)
{
	static const char *const keys[] = {"path", "to", "program", NULL};
	struct entry *e, *ins;
	size_t i, j;

	if (!l)
		return;
	if (!want(c, l, N_SEQ, "outputs"))
		return;
	c->p->outputs = xcalloc(c, l->n, sizeof(*c->p->outputs));
	c->out_node = xcalloc(c, l->n, sizeof(*c->out_node));
	e = xcalloc(c, l->n, sizeof(*e));
	ins = xcalloc(c, c->p->ninputs, sizeof(*ins));
	if (c->oom)
		goto out;
	/* Input paths, sorted, to find collisions. */
	for (i = 0; i < c->p->ninputs; i++) {
		ins[i].s = c->p->inputs[i].path;
		ins[i].n = c->in_node[i];
	}
	if (c->p->ninputs > 1)
		qsort(ins, c->p->ninputs, sizeof(*ins), cmp_entry);
	for (i = 0; i < l->n; i++) {
		struct ccctl_policy_output *o = &c->p->outputs[c->p->noutputs];
		const struct node *v[3];
		const struct entry *clash;
		const char *s = NULL, *why;
		long prog = -1;
		bool ok = true;

		if (!fields(c, l->kids[i], "outputs", keys, v, NULL))
			continue;
		if (!v[0]) {
			err_at(c, l->kids[i], "output: missing key \"path\"");
			ok = false;
		} else if (!(s = scalar(c, v[0], "path"))) {
			ok = false;
		} else if (strcmp(s, "stdout") != 0 && strcmp(s, "stderr") != 0 &&
			   !ccctl_units_path_ok(s, false, &why)) {
			err_at(c, v[0], "output path \"%s\": %s", s, why);
			ok = false;
		} else if (c->p->ninputs &&
			   (clash = bsearch(s, ins, c->p->ninputs, sizeof(*ins), cmp_input_path))) {
			err_at(c, v[0], "output path \"%s\" is also an input (line %u)", s,
			       clash->n->line);
			ok = false;
		}
		if (v[2]) {
			prog = program_ref(c, v[2]);
			ok = ok && prog >= 0;
		} else if (c->p->nprograms == 1) {
			prog = 0;
		} else {
			err_at(c, l->kids[i],
			       "output: missing key \"program\" (required with several programs)");
			ok = false;
		}
		if (ok && s && strcmp(s, "stdout") != 0 && strcmp(s, "stderr") != 0 &&
		    !ccctl_policy_program_writes(&c->p->programs[prog], s)) {
			err_at(c, v[0],
			       "output \"%s\" is not writable by program \"%s\" (no "
			       "\"writes\" covers it)",
			       s, c->p->programs[prog].name ? c->p->programs[prog].name : "?");
			ok = false;
		}
		if (!v[1]) {
			err_at(c, l->kids[i], "output: missing key \"to\"");
			ok = false;
		} else if (string_list(c, v[1], "to", name_item, &o->to, &o->nto)) {
			if (o->nto == 0) {
				err_at(c, v[1], "\"to\": expected at least one reader");
				ok = false;
			}
			for (j = 0; j < o->nto; j++) {
				const struct ccctl_policy_participant *a;

				for (a = c->p->participants; strcmp(a->name, o->to[j]) != 0; a++)
					;
				c->part_role[a - c->p->participants] = true;
			}
		} else {
			ok = false;
		}
		if (!ok || !c->p->programs[prog].name) {
			/* Keep nothing of a broken output. */
			strv_free(o->to, o->nto);
			o->to = NULL;
			o->nto = 0;
			continue;
		}
		o->path = xstrdup(c, s);
		o->program = xstrdup(c, c->p->programs[prog].name);
		e[c->p->noutputs].s = v[0]->s;
		e[c->p->noutputs].n = v[0];
		c->out_node[c->p->noutputs++] = v[0];
	}
	check_unique(c, e, c->p->noutputs, "output path");
out:
	free(ins);
	free(e);
}

static void do_limits(struct tctx *c, const struct node *m)
{
	static const char *const keys[] = {"memory", "fuel", "timeout", "max_input", NULL};
	const struct node *v[4];

	if (!m || !fields(c, m, "limits", keys, v, NULL))
		return;
	if (v[0])
		number(c, v[0], "memory", ccctl_units_parse_size, CCCTL_POLICY_MIN_MEMORY,
		       CCCTL_POLICY_MAX_MEMORY, &c->p->limits.memory);
	if (v[1])
		number(c, v[1], "fuel", ccctl_units_parse_uint, 1, CCCTL_UNITS_MAX,
		       &c->p->limits.fuel);
	if (v[2])
		number(c, v[2], "timeout", ccctl_units_parse_duration, 1, CCCTL_UNITS_MAX,
		       &c->p->limits.timeout_s);
	if (v[3])
		number(c, v[3], "max_input", ccctl_units_parse_size, 1, CCCTL_UNITS_MAX,
		       &c->p->limits.max_input);
}

static void do_options(struct tctx *c, const struct node *m)
{
	static const char *const keys[] = {"clock", "random", NULL};
	const struct node *v[2];

	if (!m || !fields(c, m, "options", keys, v, NULL))
		return;
	if (v[0])
		boolean(c, v[0], "clock", &c->p->options.clock);
	if (v[1])
		boolean(c, v[1], "random", &c->p->options.random);
}

/* ---- runtime: backends and measurements ------------------------------- */

static const char *const backend_names[] = {"sim", "nitro", "cca", "icecap", NULL};

/* Add measurement key=value (value lowercased when it is hex). */
static bool add_measurement(struct tctx *c, struct ccctl_policy_backend *b, const char *key,
			    const char *value)
{
	struct ccctl_policy_measurement *m;
	char *v;
	size_t i;

	m = realloc(b->measurements, (b->nmeasurements + 1) * sizeof(*m));
	if (!m) {
		c->oom = true;
		return false;
	}
	b->measurements = m;
	m = &b->measurements[b->nmeasurements];
	m->key = xstrdup(c, key);
	m->value = v = xstrdup(c, value);
	if (!m->key || !m->value) {
		free(m->key);
		free(m->value);
		return false;
	}
	b->nmeasurements++;
	if (strcmp(key, "hash_alg") != 0 && strcmp(key, "attestation") != 0)
		for (i = 0; v[i]; i++)
			if (v[i] >= 'A' && v[i] <= 'F')
				v[i] = (char)(v[i] - 'A' + 'a');
	return true;
}

/* cca: hash_alg may be left out; it follows from the RIM's length. */
static void cca_default_alg(struct tctx *c, struct ccctl_policy_backend *b)
{
	const char *rim = ccctl_policy_measurement(b, "rim");
	size_t n;

	if (strcmp(b->name, "cca") != 0 || !rim || ccctl_policy_measurement(b, "hash_alg"))
		return;
	n = strlen(rim);
	add_measurement(c, b, "hash_alg", n == 128 ? "sha-512" : n == 96 ? "sha-384" : "sha-256");
}

static int cmp_meas(const void *a, const void *b)
{
	return strcmp(((const struct ccctl_policy_measurement *)a)->key,
		      ((const struct ccctl_policy_measurement *)b)->key);
}

/* Check a backend's measurements, reporting at node `at`. */
static void check_measurements(struct tctx *c, struct ccctl_policy_backend *b,
			       const struct node *at, const char *source)
{
	cca_default_alg(c, b);
	if (b->nmeasurements > 1)
		qsort(b->measurements, b->nmeasurements, sizeof(*b->measurements), cmp_meas);
	if (ccctl_policy_check_measurements(b))
		err_at(c, at, "%s: %s", source, ccctl_err_msg());
}

/* Inline measurements: runtime.<backend>: { key: value, ... }. */
static void inline_measurements(struct tctx *c, struct ccctl_policy_backend *b,
				const struct node *m)
{
	size_t i;

	if (!want(c, m, N_MAP, b->name))
		return;
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct node *key = m->kids[i];
		const char *val;
		size_t j;

		if (!scalar(c, key, b->name))
			continue;
		for (j = 0; j < i; j += 2)
			if (m->kids[j]->type == N_SCALAR && strcmp(m->kids[j]->s, key->s) == 0)
				break;
		if (j < i) {
			err_at(c, key, "duplicate key \"%s\" (first at line %u)", key->s,
			       m->kids[j]->line);
			return;
		}
		val = scalar(c, m->kids[i + 1], key->s);
		if (!val)
			return;
		if (m->kids[i + 1]->len > 128) {
			err_at(c, m->kids[i + 1], "\"%s\": longer than 128 characters", key->s);
			return;
		}
		if (!add_measurement(c, b, key->s, val))
			return;
	}
	check_measurements(c, b, m, b->name);
}

/* measurements.json: {"sim":{"sha256":..},"nitro":{"pcr0":..},...}. */
static struct ccctl_json *load_measurements(struct tctx *c, const struct node *n)
{
	struct ccctl_json *doc = NULL;
	struct ccctl_buf buf;
	size_t i, j;

	if (!scalar(c, n, "measurements"))
		return NULL;
	ccctl_buf_init(&buf);
	if (!read_named(c, n, "measurements", CCCTL_TOPOLOGY_MAX_MEASUREMENTS, &buf))
		goto out;
	if (ccctl_json_parse(&doc, buf.data, buf.len)) {
		err_at(c, n, "measurements \"%s\": %s", n->s, ccctl_err_msg());
		goto out;
	}
	if (doc->type != CCCTL_JSON_OBJECT)
		goto bad;
	for (i = 0; i < doc->u.obj.n; i++) {
		const struct ccctl_json *v = doc->u.obj.members[i].value;

		if (!ccctl_policy_backend_known(doc->u.obj.members[i].key)) {
			err_at(c, n, "measurements \"%s\": unknown backend \"%s\"", n->s,
			       doc->u.obj.members[i].key);
			goto fail;
		}
		if (v->type != CCCTL_JSON_OBJECT)
			goto bad;
		for (j = 0; j < v->u.obj.n; j++) {
			const struct ccctl_json *s = v->u.obj.members[j].value;

			if (s->type != CCCTL_JSON_STRING || s->u.str.len > 128 ||
			    strlen(s->u.str.s) != s->u.str.len)
				goto bad;
		}
	}
	goto out;
bad:
	err_at(c, n,
	       "measurements \"%s\": expected {\"<backend>\": {\"<name>\": \"<hex>\", "
	       "...}, ...}",
	       n->s);
fail:
	ccctl_json_free(doc);
	doc = NULL;
out:
	ccctl_buf_release(&buf);
	return doc;
}

static void sim_default(struct tctx *c, struct ccctl_policy_backend *b, const struct node *at)
{
	struct ccctl_buf bin;
	uint8_t d[32];
	char hex[65];
	int rc;

	if (!c->o->runtime_path) {
		warn_at(c, at,
			"backend \"sim\" has no reference measurement and CCCTL_RUNTIME is "
			"not set: any sim runtime will be accepted");
		return;
	}
	ccctl_buf_init(&bin);
	if (c->o->read_file)
		rc = c->o->read_file(c->o->read_arg, c->o->runtime_path, CCCTL_TOPOLOGY_MAX_RUNTIME,
				     &bin);
	else
		rc = ccctl_file_read(&bin, c->o->runtime_path, CCCTL_TOPOLOGY_MAX_RUNTIME);
	if (rc) {
		err_at(c, at, "cannot measure the sim runtime (CCCTL_RUNTIME): %s",
		       ccctl_err_msg());
	} else {
		ccctl_sha256(d, bin.data, bin.len);
		ccctl_hex_encode(hex, d, sizeof(d));
		add_measurement(c, b, "sha256", hex);
		warn_at(c, at,
			"backend \"sim\": using the measurement of the runtime \"%s\" "
			"(sha256:%s)",
			c->o->runtime_path, hex);
	}
	ccctl_buf_release(&bin);
}

static void do_runtime(struct tctx *c, const struct node *m, const struct node *root)
{
	static const char *const keys[] = {"backends", "measurements", "sim", "nitro",
					   "cca",      "icecap",       NULL};
	const struct node *v[6], *kn[6];
	const struct node *items_default = m; /* NULL: no position */
	struct ccctl_json *file = NULL;
	size_t i, k, n;
	bool listed[4] = {false, false, false, false};

	if (m && !fields(c, m, "runtime", keys, v, kn))
		return;
	if (!m)
		memset(v, 0, sizeof(v));
	n = v[0] ? (v[0]->type == N_SEQ ? v[0]->n : 0) : 1;
	if (v[0] && !want(c, v[0], N_SEQ, "backends"))
		return;
	if (v[0] && n == 0) {
		err_at(c, v[0], "\"backends\": expected at least one backend");
		return;
	}
	c->p->backends = xcalloc(c, n, sizeof(*c->p->backends));
	if (!c->p->backends)
		return;
	if (v[1])
		file = load_measurements(c, v[1]);
	for (i = 0; i < n; i++) {
		const struct node *at = v[0] ? v[0]->kids[i] : items_default;
		struct ccctl_policy_backend *b = &c->p->backends[c->p->nbackends];
		const char *s = v[0] ? scalar(c, at, "backends") : "sim";
		const struct ccctl_json *fm;

		if (!s)
			continue;
		for (k = 0; backend_names[k] && strcmp(backend_names[k], s) != 0; k++)
			;
		if (!backend_names[k]) {
			err_unknown(c, at, "backend", s, backend_names);
			continue;
		}
		if (listed[k]) {
			err_at(c, at, "backend \"%s\" repeated", s);
			continue;
		}
		listed[k] = true;
		b->name = xstrdup(c, s);
		if (!b->name)
			return;
		c->p->nbackends++;
		fm = file ? ccctl_json_get(file, s) : NULL;
		if (v[2 + k]) {
			inline_measurements(c, b, v[2 + k]);
		} else if (fm) {
			size_t j;

			for (j = 0; j < fm->u.obj.n; j++)
				if (!add_measurement(c, b, fm->u.obj.members[j].key,
						     fm->u.obj.members[j].value->u.str.s))
					break;
			check_measurements(c, b, v[1], "measurements");
		} else if (k == 0) {
			sim_default(c, b, at);
		} else {
			err_at(c, at,
			       "backend \"%s\" has no reference measurements (give "
			       "runtime.%s or runtime.measurements)",
			       s, s);
		}
	}
	/* Inline measurements for a backend that is not listed are a mistake. */
	for (k = 0; k < 4; k++)
		if (v[2 + k] && !listed[k])
			err_at(c, kn[2 + k],
			       "measurements for backend \"%s\", which is not in "
			       "runtime.backends",
			       backend_names[k]);
	ccctl_json_free(file);
}

static void do_consent(struct tctx *c, const struct node *m)
{
	static const char *const keys[] = {"signers", "threshold", NULL};
	const struct node *v[2];
	size_t i;

	if (m && !fields(c, m, "consent", keys, v, NULL))
		return;
	if (!m)
		v[0] = v[1] = NULL;
	if (v[0] && v[0]->type == N_SCALAR && v[0]->plain && strcmp(v[0]->s, "all") == 0)
		v[0] = NULL;
	if (v[0]) {
		if (v[0]->type == N_SCALAR) {
			err_at(c, v[0],
			       "\"signers\": expected all or a list of participants, "
			       "found \"%s\"",
			       v[0]->s);
			return;
		}
		if (!string_list(c, v[0], "signers", name_item, &c->p->consent.signers,
				 &c->p->consent.nsigners))
			return;
		if (c->p->consent.nsigners == 0) {
			err_at(c, v[0], "\"signers\": expected at least one signer");
			return;
		}
	} else {
		c->p->consent.signers =
		    xcalloc(c, c->p->nparticipants, sizeof(*c->p->consent.signers));
		if (!c->p->consent.signers)
			return;
		for (i = 0; i < c->p->nparticipants; i++)
			c->p->consent.signers[c->p->consent.nsigners++] =
			    xstrdup(c, c->p->participants[i].name);
	}
	c->p->consent.threshold = c->p->consent.nsigners;
	if (v[1] && !(v[1]->type == N_SCALAR && v[1]->plain && strcmp(v[1]->s, "all") == 0))
		number(c, v[1], "threshold", ccctl_units_parse_uint, 1,
		       c->p->consent.nsigners ? c->p->consent.nsigners : 1,
		       &c->p->consent.threshold);
}

static void warn_roles(struct tctx *c)
{
	size_t i;

	for (i = 0; i < c->p->nparticipants; i++)
		if (!c->part_role[i])
			warn_at(c, c->part_node[i],
				"participant \"%s\" has no role (provides no program or input and "
				"reads no output)",
				c->p->participants[i].name);
}

static void tctx_release(struct tctx *c)
{
	free(c->part_node);
	free(c->part_role);
	free(c->in_node);
	free(c->out_node);
}

/* Drop programs without a valid name, so outputs cannot refer to them. */
static void prune_programs(struct ccctl_policy *p)
{
	size_t i, k = 0;

	for (i = 0; i < p->nprograms; i++) {
		struct ccctl_policy_program *g = &p->programs[i];

		if (g->name) {
			p->programs[k++] = *g;
			continue;
		}
		free(g->provider);
		strv_free(g->args, g->nargs);
		strv_free(g->reads, g->nreads);
		strv_free(g->writes, g->nwrites);
	}
	p->nprograms = k;
}

/* Sort diagnostics by position (stable), so they read in file order. */
struct diag_pos {
	struct ccctl_diag d;
	size_t index;
};

static int cmp_diag(const void *a, const void *b)
{
	const struct diag_pos *x = a, *y = b;

	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	if (x->d.col != y->d.col)
		return x->d.col < y->d.col ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void sort_diags(struct ccctl_diags *d)
{
	struct diag_pos *v;
	size_t i;

	if (d->n < 2)
		return;
	v = calloc(d->n, sizeof(*v));
	if (!v)
		return; /* unsorted is still correct */
	for (i = 0; i < d->n; i++) {
		v[i].d = d->items[i];
		v[i].index = i;
	}
	qsort(v, d->n, sizeof(*v), cmp_diag);
	for (i = 0; i < d->n; i++)
		d->items[i] = v[i].d;
	free(v);
}

int ccctl_topology_compile(struct ccctl_policy **out, struct ccctl_diags *diags, const char *name,
			   const void *data, size_t len, const struct ccctl_topology_opts *opts)
{
	static const struct ccctl_topology_opts none = {NULL, NULL, NULL, NULL};
	const struct node *sec[S_COUNT];
	struct tctx c;
	struct node *root = NULL;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.d = diags;
	c.file = name;
	c.o = opts ? opts : &none;
	if (len > CCCTL_TOPOLOGY_MAX_SIZE) {
		ccctl_diags_add(diags, CCCTL_DIAG_ERROR, name, 0, 0,
				"topology of %zu bytes is too large (at most %u)", len,
				CCCTL_TOPOLOGY_MAX_SIZE);
		rc = ccctl_err_set(CCCTL_EINVAL, "invalid topology \"%s\"", name);
		goto out;
	}
	c.p = ccctl_policy_new();
	if (!c.p) {
		rc = ccctl_err_nomem();
		goto out;
	}
	root = load_tree(&c, data, len);
	if (root && fields(&c, root, "topology", top_keys, sec, NULL)) {
		do_header(&c, sec, root);
		do_limits(&c, sec[S_LIMITS]);
		do_options(&c, sec[S_OPTIONS]);
		do_participants(&c, sec[S_PARTICIPANTS], root);
		if (!c.oom)
			do_programs(&c, sec[S_PROGRAMS], root);
		prune_programs(c.p);
		if (!c.oom)
			do_inputs(&c, sec[S_INPUTS]);
		if (!c.oom)
			do_outputs(&c, sec[S_OUTPUTS]);
		if (!c.oom)
			do_runtime(&c, sec[S_RUNTIME], root);
		if (!c.oom)
			do_consent(&c, sec[S_CONSENT]);
		/* Roles are only meaningful once every reference resolved. */
		if (!c.oom && c.part_role && !diags->errors)
			warn_roles(&c);
	}
	if (c.oom) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if (diags->errors) {
		rc = ccctl_err_set(CCCTL_EINVAL, "invalid topology \"%s\": %zu error%s", name,
				   diags->errors, diags->errors == 1 ? "" : "s");
		goto out;
	}
	rc = ccctl_policy_finish(c.p);
	if (rc) {
		/* A rule the checks above missed: still an error about this file. */
		ccctl_diags_add(diags, CCCTL_DIAG_ERROR, name, 0, 0, "%s", ccctl_err_msg());
		goto out;
	}
	*out = c.p;
	c.p = NULL;
out:
	sort_diags(diags);
	node_free(root);
	tctx_release(&c);
	ccctl_policy_free(c.p);
	return rc;
}

int ccctl_topology_compile_file(struct ccctl_policy **out, struct ccctl_diags *diags,
				const char *path, const char *runtime_path)
{
	struct ccctl_topology_opts opts = {NULL, runtime_path, NULL, NULL};
	struct ccctl_buf text;
	char *dir = NULL;
	const char *slash;
	int rc;

	*out = NULL;
	ccctl_buf_init(&text);
	rc = ccctl_file_read(&text, path, CCCTL_TOPOLOGY_MAX_SIZE);
	if (rc)
		goto out;
	slash = strrchr(path, '/');
	if (slash) {
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		if (!dir) {
			rc = ccctl_err_nomem();
			goto out;
		}
	}
	opts.base_dir = dir;
	rc = ccctl_topology_compile(out, diags, path, text.data, text.len, &opts);
out:
	free(dir);
	ccctl_buf_release(&text);
	return rc;
}
