/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgbuild.c - the reproducible runtime image build.  See imgbuild.h for
 * what is built and how; the steps here are, in order: sources (export or
 * status), the build list from the revision's automake fragments, the
 * toolchain record, compile, archive, link, the image, measurements and
 * provenance.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cpio.h"
#include "eif.h"
#include "err.h"
#include "imgbuild.h"
#include "path.h"
#include "provenance.h"

#define TOOL_PATH	 "/usr/local/bin:/usr/bin:/bin"
#define MAX_JOBS	 8
#define MAX_AM_FILE	 (1024 * 1024)
#define MAX_AM_INCLUDES	 8
#define MAX_EXPAND_DEPTH 16
#define MAX_ARTIFACT	 (512u * 1024 * 1024)
#define PROGRAM		 "ccctl-runtime"
#define INIT_SOURCE	 "backends/nitro/init.c"

/* ---- small helpers ---------------------------------------------------- */

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static void hex32(char out[2 * CCCTL_SHA256_LEN + 1], const uint8_t d[CCCTL_SHA256_LEN])
{
	ccctl_hex_encode(out, d, CCCTL_SHA256_LEN);
}

/* A growable list of owned strings. */
struct strv {
	char **v;
	size_t n, cap;
};

static void strv_release(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Append s (taken, freed on failure; NULL means out of memory).  The list
 * stays NULL-terminated. */
static int strv_take(struct strv *l, char *s)
{
	if (!s)
		return ccctl_err_nomem();
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return ccctl_err_nomem();
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

static int strv_add(struct strv *l, const char *s)
{
	return strv_take(l, strdup(s));
}

/* ---- the work folder and running tools -------------------------------- */

struct work {
	char *dir;   /* private temporary folder */
	char *src;   /* sources: dir/src (exported) or the caller's work tree */
	char *build; /* dir/build: objects, archives, programs */
	char *log;   /* dir/build/log */
	char *env[6];
	char *gcc, *ar; /* tool paths (found in TOOL_PATH) */
	unsigned jobs;
	unsigned nlogs;
	const struct ccctl_imgbuild_opts *o;
};

static void progress(const struct work *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void progress(const struct work *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!w->o->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->o->progress(w->o->progress_arg, msg);
}

/* The path of tool name in TOOL_PATH (caller frees), or NULL. */
static char *find_tool(const char *name)
{
	const char *p = TOOL_PATH;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? strdup(name) : NULL;
	while (*p) {
		size_t n = strcspn(p, ":");
		char *cand = xprintf("%.*s/%s", (int)n, p, name);

		if (cand && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

/* The first line of file path mentioning "error" (or its first line),
 * for messages; caller frees; NULL if unreadable. */
static char *log_excerpt(const char *path)
{
	struct ccctl_buf b;
	char *line = NULL, *first = NULL, *s, *save = NULL;

	ccctl_buf_init(&b);
	if (ccctl_file_read(&b, path, 1024 * 1024) != 0) {
		ccctl_err_clear();
		goto out;
	}
	for (s = strtok_r((char *)b.data, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		if (!first)
			first = s;
		if (strstr(s, "error")) {
			line = s;
			break;
		}
	}
	if (!line)
		line = first;
	line = line ? strndup(line, 300) : NULL;
out:
	ccctl_buf_release(&b);
	return line;
}

/* Start argv (argv[0] a path) in cwd with the fixed environment, its
 * output to the file logpath. */
static int spawn(pid_t *pid, const struct work *w, char *const argv[], const char *cwd,
		 const char *logpath)
{
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid_t p;

	if (fd < 0)
		return ccctl_err_errno(CCCTL_EFAIL, logpath);
	p = fork();
	if (p < 0) {
		close(fd);
		return ccctl_err_errno(CCCTL_EFAIL, "fork");
	}
	if (p == 0) {
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0)
			dup2(nul, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		umask(022);
		if (chdir(cwd) != 0)
			_exit(126);
		execve(argv[0], argv, w->env);
		_exit(127);
	}
	close(fd);
	*pid = p;
	return 0;
}

/* "exit 1", "signal 9" */
static void describe_status(char *out, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(out, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, len, "signal %d", WTERMSIG(status));
	else
		snprintf(out, len, "status %d", status);
}

/* The failure of step what, with its log's telling line. */
static int step_failed(const struct work *w, const char *what, int status, const char *logpath)
{
	char st[32];
	char *ex = log_excerpt(logpath);
	int rc;

	describe_status(st, sizeof(st), status);
	rc = ccctl_err_set(CCCTL_EFAIL, "%s failed (%s)%s%s; log \"%s\"", what, st, ex ? ": " : "",
			   ex ? ex : "", logpath);
	free(ex);
	return rc;
}

/* A fresh log file name for step tag. */
static char *next_log(struct work *w, const char *tag)
{
	return xprintf("%s/%03u-%s.log", w->log, w->nlogs++, tag);
}

/* Run argv in cwd and wait; 0 or CCCTL_EFAIL naming what. *logout gets
 * the log path when not NULL (caller frees). */
static int run(struct work *w, char *const argv[], const char *cwd, const char *what, char **logout)
{
	char *logpath = next_log(w, "run");
	pid_t pid;
	int status, rc;

	if (logout)
		*logout = NULL;
	if (!logpath)
		return ccctl_err_nomem();
	if ((rc = spawn(&pid, w, argv, cwd, logpath)))
		goto out;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = ccctl_err_errno(CCCTL_EFAIL, "waitpid");
			goto out;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = step_failed(w, what, status, logpath);
out:
	if (logout && rc == 0) {
		*logout = logpath;
		logpath = NULL;
	}
	free(logpath);
	return rc;
}

/* Run argv and return the first line of its output (caller frees). */
static int run_line(struct work *w, char *const argv[], char **line)
{
	struct ccctl_buf b;
	char *logpath = NULL;
	int rc;

	*line = NULL;
	ccctl_buf_init(&b);
	if ((rc = run(w, argv, w->dir, argv[0], &logpath)))
		goto out;
	if ((rc = ccctl_file_read(&b, logpath, 1024 * 1024)))
		goto out;
	if (!(*line = strndup((char *)b.data, strcspn((char *)b.data, "\n"))))
		rc = ccctl_err_nomem();
out:
	free(logpath);
	ccctl_buf_release(&b);
	return rc;
}

static int work_init(struct work *w, const struct ccctl_imgbuild_opts *o)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	memset(w, 0, sizeof(*w));
	w->o = o;
	w->jobs = o->jobs ? o->jobs : (ncpu > 0 ? (unsigned)ncpu : 1);
	if (w->jobs > MAX_JOBS)
		w->jobs = MAX_JOBS;
	if ((rc = ccctl_gitsrc_tmpdir(&w->dir, "imgbuild")))
		return rc;
	if (!(w->build = xprintf("%s/build", w->dir)) || !(w->log = xprintf("%s/log", w->build)))
		return ccctl_err_nomem();
	if ((rc = ccctl_mkdirs(w->log, 0755)))
		return rc;
	if (!(w->gcc = find_tool("gcc")))
		return ccctl_err_set(CCCTL_EUNAVAIL, "\"gcc\" not found in %s", TOOL_PATH);
	if (!(w->ar = find_tool("ar")))
		return ccctl_err_set(CCCTL_EUNAVAIL, "\"ar\" not found in %s", TOOL_PATH);
	return 0;
}

static void work_release(struct work *w, bool remove)
{
	if (remove && w->dir)
		ccctl_gitsrc_rmtree(w->dir);
	free(w->dir);
	free(w->src);
	free(w->build);
	free(w->log);
	for (size_t i = 0; i < sizeof(w->env) / sizeof(w->env[0]); i++)
		free(w->env[i]);
	free(w->gcc);
	free(w->ar);
	memset(w, 0, sizeof(*w));
}

static int set_env(struct work *w, int64_t sde)
{
	w->env[0] = xprintf("PATH=%s", TOOL_PATH);
	w->env[1] = strdup("LC_ALL=C");
	w->env[2] = strdup("TZ=UTC");
	w->env[3] = xprintf("SOURCE_DATE_EPOCH=%lld", (long long)sde);
	w->env[4] = xprintf("TMPDIR=%s", w->dir);
	w->env[5] = NULL;
	for (int i = 0; i < 5; i++)
		if (!w->env[i])
			return ccctl_err_nomem();
	return 0;
}

/* ---- the build list from the revision's automake fragments ------------ */

struct am_var {
	char *name;
	char *value;
	bool cond; /* assigned inside if/endif */
};

struct am {
	struct am_var *v;
	size_t n, cap;
};

static void am_release(struct am *am)
{
	for (size_t i = 0; i < am->n; i++) {
		free(am->v[i].name);
		free(am->v[i].value);
	}
	free(am->v);
	memset(am, 0, sizeof(*am));
}

static struct am_var *am_find(const struct am *am, const char *name, size_t len)
{
	for (size_t i = 0; i < am->n; i++)
		if (strlen(am->v[i].name) == len && memcmp(am->v[i].name, name, len) == 0)
			return &am->v[i];
	return NULL;
}

static int am_assign(struct am *am, const char *name, size_t nlen, const char *val, bool append,
		     bool cond)
{
	struct am_var *v = am_find(am, name, nlen);
	char *nv;

	if (!v) {
		if (am->n == am->cap) {
			size_t cap = am->cap ? 2 * am->cap : 64;
			struct am_var *nvv = realloc(am->v, cap * sizeof(*nvv));

			if (!nvv)
				return ccctl_err_nomem();
			am->v = nvv;
			am->cap = cap;
		}
		v = &am->v[am->n];
		memset(v, 0, sizeof(*v));
		if (!(v->name = strndup(name, nlen)))
			return ccctl_err_nomem();
		am->n++;
		append = false;
	}
	nv = append && v->value ? xprintf("%s %s", v->value, val) : strdup(val);
	if (!nv)
		return ccctl_err_nomem();
	free(v->value);
	v->value = nv;
	v->cond = v->cond || cond;
	return 0;
}

/* A relative path inside the tree: no leading '/', no ".." component. */
static bool safe_relpath(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");

		if ((n == 2 && s[0] == '.' && s[1] == '.') || n == 0)
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int am_parse(struct am *am, const char *src, const char *rel, unsigned depth,
		    unsigned *cond);

/* One logical line (continuations joined). */
static int am_line(struct am *am, const char *src, char *line, unsigned depth, unsigned *cond,
		   const char *file)
{
	char *s, *hash, *eq;
	size_t nlen;
	bool append = false;

	if (line[0] == '\t')
		return 0; /* a recipe */
	if ((hash = strchr(line, '#')))
		*hash = '\0';
	s = trim(line);
	if (!*s)
		return 0;
	if (strncmp(s, "include", 7) == 0 && isspace((unsigned char)s[7]))
		return am_parse(am, src, trim(s + 7), depth + 1, cond);
	if (strncmp(s, "if", 2) == 0 && isspace((unsigned char)s[2])) {
		(*cond)++;
		return 0;
	}
	if (strcmp(s, "else") == 0 || strncmp(s, "else ", 5) == 0)
		return 0;
	if (strcmp(s, "endif") == 0 || strncmp(s, "endif ", 6) == 0) {
		if (*cond == 0)
			return ccctl_err_set(CCCTL_EINVAL, "\"%s\": endif without if", file);
		(*cond)--;
		return 0;
	}
	for (nlen = 0; isalnum((unsigned char)s[nlen]) || s[nlen] == '_'; nlen++)
		;
	if (nlen == 0)
		return 0;
	eq = s + nlen;
	while (*eq == ' ' || *eq == '\t')
		eq++;
	if (eq[0] == '+' && eq[1] == '=') {
		append = true;
		eq++;
	} else if ((eq[0] == ':' || eq[0] == '?') && eq[1] == '=') {
		eq++;
	}
	if (*eq != '=')
		return 0; /* a rule or something else: not a variable */
	return am_assign(am, s, nlen, trim(eq + 1), append, *cond > 0);
}

static int am_parse(struct am *am, const char *src, const char *rel, unsigned depth, unsigned *cond)
{
	struct ccctl_buf data, line;
	char *path = NULL;
	size_t i = 0;
	int rc;

	ccctl_buf_init(&data);
	ccctl_buf_init(&line);
	if (depth > MAX_AM_INCLUDES || !safe_relpath(rel)) {
		rc = ccctl_err_set(CCCTL_EINVAL, "automake include \"%s\": refused", rel);
		goto out;
	}
	if (!(path = xprintf("%s/%s", src, rel))) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_file_read(&data, path, MAX_AM_FILE))) {
		rc = ccctl_err_set(CCCTL_EINVAL, "sources: cannot read \"%s\": %s", rel,
				   ccctl_err_msg());
		goto out;
	}
	while (i < data.len) {
		size_t n = strcspn((char *)data.data + i, "\n");
		bool cont = n > 0 && data.data[i + n - 1] == '\\';

		if ((rc = ccctl_buf_append(&line, data.data + i, cont ? n - 1 : n)) ||
		    (cont && (rc = ccctl_buf_append_byte(&line, ' '))))
			goto out;
		i += n + 1;
		if (cont && i < data.len)
			continue;
		if ((rc = am_line(am, src, (char *)line.data, depth, cond, rel)))
			goto out;
		line.len = 0;
		line.data[0] = '\0';
	}
out:
	free(path);
	ccctl_buf_release(&line);
	ccctl_buf_release(&data);
	return rc;
}

/* Values the configure script would substitute, fixed for this build. */
static const struct {
	const char *name, *value;
} am_fixed[] = {
    {"CRYPTO_LIBS", "-lssl -lcrypto"},
    {"SECCOMP_LIBS", "-lseccomp"},
};

/* Expand $(VAR) and ${VAR} in s into out; a conditional variable is an
 * error (its value depends on configure options). */
static int am_expand(const struct am *am, struct ccctl_buf *out, const char *s, unsigned depth)
{
	int rc = 0;

	if (depth > MAX_EXPAND_DEPTH)
		return ccctl_err_set(CCCTL_EINVAL, "sources: variables nested too deeply");
	while (*s && rc == 0) {
		const char *close, *name;
		const struct am_var *v;
		size_t len, k;

		if (s[0] != '$' || (s[1] != '(' && s[1] != '{')) {
			rc = ccctl_buf_append_byte(out, (uint8_t)*s++);
			continue;
		}
		name = s + 2;
		close = strchr(name, s[1] == '(' ? ')' : '}');
		if (!close)
			return ccctl_err_set(CCCTL_EINVAL, "sources: unterminated \"%s\"", s);
		len = (size_t)(close - name);
		s = close + 1;
		for (k = 0; k < sizeof(am_fixed) / sizeof(am_fixed[0]); k++)
			if (strlen(am_fixed[k].name) == len &&
			    memcmp(am_fixed[k].name, name, len) == 0)
				break;
		if (k < sizeof(am_fixed) / sizeof(am_fixed[0])) {
			rc = ccctl_buf_append_str(out, am_fixed[k].value);
			continue;
		}
		if (!(v = am_find(am, name, len)))
			continue; /* a configure substitution we do not use: empty */
		if (v->cond)
			return ccctl_err_set(CCCTL_EINVAL,
					     "sources: \"%s\" is set conditionally; the image "
					     "build needs it unconditional",
					     v->name);
		rc = am_expand(am, out, v->value, depth + 1);
	}
	return rc;
}

/* The words of variable name, expanded; a missing variable is an error. */
static int am_words(const struct am *am, struct strv *out, const char *name)
{
	const struct am_var *v = am_find(am, name, strlen(name));
	struct ccctl_buf b;
	char *save = NULL, *t;
	int rc;

	if (!v)
		return ccctl_err_set(CCCTL_EINVAL,
				     "sources: \"%s\" is not set in Makefile.am or "
				     "its fragments",
				     name);
	if (v->cond)
		return ccctl_err_set(CCCTL_EINVAL, "sources: \"%s\" is set conditionally", name);
	ccctl_buf_init(&b);
	if ((rc = am_expand(am, &b, v->value, 0)))
		goto out;
	for (t = strtok_r((char *)b.data, " \t", &save); t && rc == 0;
	     t = strtok_r(NULL, " \t", &save))
		rc = strv_add(out, t);
out:
	ccctl_buf_release(&b);
	return rc;
}

/* automake's canonical name: every character but [A-Za-z0-9_@] -> '_'. */
static char *canonical(const char *s, const char *suffix)
{
	char *c = xprintf("%s%s", s, suffix);

	for (char *p = c; p && *p && p < c + strlen(s); p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '@')
			*p = '_';
	return c;
}

/* One compiled file. */
struct unit {
	char *src; /* relative to the source folder, e.g. runtime/main.c */
	char *obj; /* absolute */
	int lib;   /* index into plan.libs, or -1 for the program itself */
	uint8_t sha256[CCCTL_SHA256_LEN];
};

struct plan {
	struct unit *units;
	size_t n;
	struct strv libs;     /* archive paths relative to the build folder, link order */
	struct strv linkargs; /* -l..., -pthread, in order */
};

static void plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->units[i].src);
		free(p->units[i].obj);
	}
	free(p->units);
	strv_release(&p->libs);
	strv_release(&p->linkargs);
	memset(p, 0, sizeof(*p));
}

static int cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	if (x->lib != y->lib)
		return x->lib < y->lib ? -1 : 1;
	return strcmp(x->src, y->src);
}

/* Add the .c files among words as units of lib. */
static int plan_units(struct plan *p, struct work *w, const struct strv *words, int lib)
{
	for (size_t i = 0; i < words->n; i++) {
		const char *f = words->v[i];
		size_t len = strlen(f);
		struct unit *u, *nu;
		char *cf, *path;
		struct stat st;

		if (len > 2 && strcmp(f + len - 2, ".h") == 0)
			continue;
		if (len < 3 || strcmp(f + len - 2, ".c") != 0 || !safe_relpath(f))
			return ccctl_err_set(
			    CCCTL_EINVAL, "sources: \"%s\": expected a relative .c or .h path", f);
		if (!(path = xprintf("%s/%s", w->src, f)))
			return ccctl_err_nomem();
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			return ccctl_err_set(CCCTL_EINVAL, "sources: \"%s\" is listed but missing",
					     f);
		}
		free(path);
		if (!(nu = realloc(p->units, (p->n + 1) * sizeof(*nu))))
			return ccctl_err_nomem();
		p->units = nu;
		u = &p->units[p->n];
		memset(u, 0, sizeof(*u));
		u->lib = lib;
		if (!(u->src = strdup(f)) || !(cf = canonical(f, ""))) {
			free(u->src);
			return ccctl_err_nomem();
		}
		u->obj = xprintf("%s/obj/%d-%s.o", w->build, lib + 1, cf);
		free(cf);
		if (!u->obj) {
			free(u->src);
			return ccctl_err_nomem();
		}
		p->n++;
	}
	return 0;
}

/* What to compile and link for ccctl-runtime, from the fragments. */
static int make_plan(struct plan *p, struct work *w)
{
	struct am am = {0};
	struct strv words = {0}, ldadd = {0};
	unsigned cond = 0;
	char *var = NULL;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = am_parse(&am, w->src, "Makefile.am", 0, &cond)))
		goto out;
	if ((rc = am_words(&am, &words, "ccctl_runtime_SOURCES")) ||
	    (rc = plan_units(p, w, &words, -1)))
		goto out;
	if ((rc = am_words(&am, &ldadd, "ccctl_runtime_LDADD")))
		goto out;
	for (size_t i = 0; i < ldadd.n; i++) {
		const char *item = ldadd.v[i];
		size_t len = strlen(item);

		if (strncmp(item, "-l", 2) == 0 || strcmp(item, "-pthread") == 0) {
			if ((rc = strv_add(&p->linkargs, item)))
				goto out;
			continue;
		}
		if (len < 3 || strcmp(item + len - 2, ".a") != 0 || !safe_relpath(item)) {
			rc = ccctl_err_set(CCCTL_EINVAL,
					   "sources: ccctl_runtime_LDADD: unexpected \"%s\"", item);
			goto out;
		}
		strv_release(&words);
		free(var);
		if (!(var = canonical(item, "_SOURCES"))) {
			rc = ccctl_err_nomem();
			goto out;
		}
		if ((rc = am_words(&am, &words, var)) ||
		    (rc = plan_units(p, w, &words, (int)p->libs.n)) ||
		    (rc = strv_add(&p->libs, item)))
			goto out;
	}
	if (p->n == 0) {
		rc = ccctl_err_set(CCCTL_EINVAL, "sources: nothing to compile for ccctl-runtime");
		goto out;
	}
	qsort(p->units, p->n, sizeof(*p->units), cmp_unit);
out:
	free(var);
	strv_release(&ldadd);
	strv_release(&words);
	am_release(&am);
	return rc;
}

/* ---- compile, archive, link ------------------------------------------- */

/* CFLAGS with the source and build folders; with placeholders "$SRC" and
 * "$BUILD" instead when for_record (the provenance). */
static int cflags(struct strv *out, const struct work *w, bool for_record)
{
	const char *src = for_record ? "$SRC" : w->src;
	const char *build = for_record ? "$BUILD" : w->build;
	int rc;

	if ((rc = strv_add(out, "-std=gnu11")) || (rc = strv_add(out, "-O2")) ||
	    (rc = strv_add(out, "-pipe")) || (rc = strv_add(out, "-fstack-protector-strong")) ||
	    (rc = strv_add(out, "-D_FORTIFY_SOURCE=2")) ||
	    (rc = strv_take(out, xprintf("-ffile-prefix-map=%s=.", src))) ||
	    (rc = strv_take(out, xprintf("-fdebug-prefix-map=%s=.", src))) ||
	    (rc = strv_take(out, xprintf("-ffile-prefix-map=%s=.", build))) ||
	    (rc = strv_take(out, xprintf("-I%s/include", build))) || (rc = strv_add(out, "-I.")) ||
	    (rc = strv_add(out, "-Ilib")))
		return rc;
	return 0;
}

static const char *const ldflags_fixed[] = {
    "-Wl,--build-id=none",
    "-Wl,-z,relro,-z,now",
    NULL,
};

/* Compile every unit, w->jobs at a time. */
static int compile_all(struct work *w, struct plan *p)
{
	struct {
		pid_t pid;
		size_t unit;
		char *log;
	} slot[MAX_JOBS];
	struct strv a = {0};
	size_t next = 0, running = 0;
	int rc = 0;

	progress(w, "compiling %zu files with %u jobs", p->n, w->jobs);
	while (running > 0 || (rc == 0 && next < p->n)) {
		int status;
		pid_t pid;
		size_t s;

		if (rc == 0 && next < p->n && running < w->jobs) {
			struct unit *u = &p->units[next];

			/* the child has its own copy of argv once forked */
			strv_release(&a);
			if ((rc = strv_add(&a, w->gcc)) || (rc = cflags(&a, w, false)) ||
			    (rc = strv_take(&a, xprintf("-frandom-seed=%s", u->src))) ||
			    (rc = strv_add(&a, "-c")) || (rc = strv_add(&a, u->src)) ||
			    (rc = strv_add(&a, "-o")) || (rc = strv_add(&a, u->obj)))
				continue;
			if (!(slot[running].log = next_log(w, "cc"))) {
				rc = ccctl_err_nomem();
				continue;
			}
			if ((rc = spawn(&slot[running].pid, w, a.v, w->src, slot[running].log))) {
				free(slot[running].log);
				continue;
			}
			slot[running].unit = next++;
			running++;
			continue;
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (rc == 0)
				rc = ccctl_err_errno(CCCTL_EFAIL, "waitpid");
			break;
		}
		for (s = 0; s < running && slot[s].pid != pid; s++)
			;
		if (s == running)
			continue; /* not ours */
		if ((!WIFEXITED(status) || WEXITSTATUS(status) != 0) && rc == 0) {
			char *what = xprintf("compiling \"%s\"", p->units[slot[s].unit].src);

			rc = what ? step_failed(w, what, status, slot[s].log) : ccctl_err_nomem();
			free(what);
		}
		free(slot[s].log);
		slot[s] = slot[--running];
	}
	strv_release(&a);
	for (size_t i = 0; rc == 0 && i < p->n; i++)
		rc = ccctl_measure_file_sha256(p->units[i].sha256, p->units[i].obj);
	return rc;
}

/* Deterministic archives (ar rcsD), one per library, members sorted. */
static int archive_all(struct work *w, const struct plan *p)
{
	struct strv a = {0};
	int rc = 0;

	for (size_t l = 0; l < p->libs.n && rc == 0; l++) {
		char *lib = xprintf("%s/%s", w->build, p->libs.v[l]);
		char *dir = lib ? strdup(lib) : NULL;

		strv_release(&a);
		if (!lib || !dir) {
			rc = ccctl_err_nomem();
		} else {
			*strrchr(dir, '/') = '\0';
			unlink(lib);
			if (!(rc = ccctl_mkdirs(dir, 0755)) && !(rc = strv_add(&a, w->ar)) &&
			    !(rc = strv_add(&a, "rcsD")) && !(rc = strv_add(&a, lib)))
				for (size_t i = 0; i < p->n && rc == 0; i++)
					if (p->units[i].lib == (int)l)
						rc = strv_add(&a, p->units[i].obj);
			if (rc == 0)
				rc = run(w, a.v, w->build, "ar", NULL);
		}
		free(dir);
		free(lib);
	}
	strv_release(&a);
	return rc;
}

/* Link program out from the program's objects, the archives and the link
 * arguments (-static when static_link). */
static int link_runtime(struct work *w, const struct plan *p, const char *out, bool static_link)
{
	struct strv a = {0};
	int rc;

	if ((rc = strv_add(&a, w->gcc)) || (static_link && (rc = strv_add(&a, "-static"))) ||
	    (rc = strv_add(&a, "-O2")))
		goto out;
	for (size_t i = 0; ldflags_fixed[i] && rc == 0; i++)
		rc = strv_add(&a, ldflags_fixed[i]);
	if (rc || (rc = strv_add(&a, "-o")) || (rc = strv_add(&a, out)))
		goto out;
	for (size_t i = 0; i < p->n && rc == 0; i++)
		if (p->units[i].lib < 0)
			rc = strv_add(&a, p->units[i].obj);
	for (size_t l = 0; l < p->libs.n && rc == 0; l++)
		rc = strv_take(&a, xprintf("%s/%s", w->build, p->libs.v[l]));
	for (size_t i = 0; i < p->linkargs.n && rc == 0; i++)
		rc = strv_add(&a, p->linkargs.v[i]);
	/* libcrypto.a needs libdl and the thread library when static */
	if (rc == 0 && static_link)
		rc = (rc = strv_add(&a, "-ldl")) ? rc : strv_add(&a, "-lpthread");
	if (rc == 0)
		rc = run(w, a.v, w->build, static_link ? "linking (static)" : "linking", NULL);
out:
	strv_release(&a);
	return rc;
}

/* Whether the sources can make a nitro image (fail before compiling). */
static int check_init_source(const struct work *w)
{
	char *path = xprintf("%s/%s", w->src, INIT_SOURCE);
	int rc = 0;

	if (!path)
		return ccctl_err_nomem();
	if (access(path, R_OK) != 0)
		rc = ccctl_err_set(CCCTL_EINVAL,
				   "sources: \"%s\" missing: this revision cannot build a nitro "
				   "image",
				   INIT_SOURCE);
	free(path);
	return rc;
}

/* /init for nitro: compiled and linked statically in one step. */
static int build_init(struct work *w, const char *out)
{
	struct strv a = {0};
	int rc = 0;

	if ((rc = strv_add(&a, w->gcc)) || (rc = cflags(&a, w, false)) ||
	    (rc = strv_take(&a, xprintf("-frandom-seed=%s", INIT_SOURCE))) ||
	    (rc = strv_add(&a, "-static")))
		goto out;
	for (size_t i = 0; ldflags_fixed[i] && rc == 0; i++)
		rc = strv_add(&a, ldflags_fixed[i]);
	if (rc || (rc = strv_add(&a, "-o")) || (rc = strv_add(&a, out)) ||
	    (rc = strv_add(&a, INIT_SOURCE)))
		goto out;
	rc = run(w, a.v, w->src, "building /init (static)", NULL);
out:
	strv_release(&a);
	return rc;
}

/* The version of the revision: the second argument of AC_INIT in its
 * configure.ac ("AC_INIT([ccctl], [0.1.0], ...)"), at most 63 characters of
 * [0-9A-Za-z.+~-]. */
static int revision_version(const struct work *w, char out[64])
{
	struct ccctl_buf b;
	char *path = xprintf("%s/configure.ac", w->src);
	const char *p, *q;
	size_t n = 0;
	int rc;

	ccctl_buf_init(&b);
	if (!path)
		return ccctl_err_nomem();
	if ((rc = ccctl_file_read(&b, path, MAX_AM_FILE))) {
		rc = ccctl_err_set(CCCTL_EINVAL, "sources: %s", ccctl_err_msg());
		goto out;
	}
	p = strstr((char *)b.data, "AC_INIT(");
	q = p ? strstr(p, "],") : NULL;
	if (q) {
		for (q += 2; *q == ' ' || *q == '\t' || *q == '['; q++)
			;
		while (n < 63 && (isalnum((unsigned char)q[n]) || strchr(".+~-", q[n])) && q[n])
			n++;
	}
	if (n == 0 || (q[n] != ']' && q[n] != ')' && q[n] != ',')) {
		rc = ccctl_err_set(CCCTL_EINVAL, "sources: configure.ac: no AC_INIT version found");
		goto out;
	}
	memcpy(out, q, n);
	out[n] = '\0';
out:
	free(path);
	ccctl_buf_release(&b);
	return rc;
}

/* The fixed config.h (the image build does not run configure); the
 * package version is the revision's. */
static int write_config_h(struct work *w, uint8_t digest[CCCTL_SHA256_LEN])
{
	char *dir = xprintf("%s/include", w->build), *path = NULL, *text = NULL;
	char version[64];
	int rc;

	if ((rc = revision_version(w, version)))
		goto out;
	text =
	    xprintf("/* config.h of the reproducible runtime image build (ccctl image build) */\n"
		    "#define _GNU_SOURCE 1\n"
		    "#define HAVE_GETRANDOM 1\n"
		    "#define HAVE_EXPLICIT_BZERO 1\n"
		    "#define PACKAGE \"ccctl\"\n"
		    "#define PACKAGE_NAME \"ccctl\"\n"
		    "#define PACKAGE_VERSION \"%s\"\n"
		    "#define VERSION \"%s\"\n",
		    version, version);
	if (!dir || !text || !(path = xprintf("%s/config.h", dir))) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_mkdirs(dir, 0755)))
		goto out;
	if ((rc = ccctl_file_write_atomic(path, text, strlen(text), 0644)))
		goto out;
	ccctl_sha256(digest, text, strlen(text));
	{
		char *obj = xprintf("%s/obj", w->build);

		rc = obj ? ccctl_mkdirs(obj, 0755) : ccctl_err_nomem();
		free(obj);
	}
out:
	free(text);
	free(path);
	free(dir);
	return rc;
}

/* ---- the toolchain record --------------------------------------------- */

/* Add a toolchain entry: name, the tool's resolved path, its sha256 and the
 * version line (when argv is given, the first line of its output). */
static int add_tool(struct ccctl_json **deps, const char *name, const char *path,
		    const char *version)
{
	struct ccctl_json *ann = NULL;
	uint8_t d[CCCTL_SHA256_LEN];
	char hex[2 * CCCTL_SHA256_LEN + 1], real[PATH_MAX];
	char *uri = NULL;
	int rc;

	if (!realpath(path, real))
		return ccctl_err_errno(CCCTL_EUNAVAIL, path);
	if ((rc = ccctl_measure_file_sha256(d, real)))
		return rc;
	hex32(hex, d);
	if (version) {
		if (!(ann = ccctl_json_new_object()))
			return ccctl_err_nomem();
		if ((rc = ccctl_json_object_set_string(ann, "version", version))) {
			ccctl_json_free(ann);
			return rc;
		}
	}
	if (!(uri = xprintf("file://%s", real))) {
		ccctl_json_free(ann);
		return ccctl_err_nomem();
	}
	rc = ccctl_provenance_add(deps, name, uri, "sha256", hex, ann);
	free(uri);
	return rc;
}

/* The first line printed by `tool ARG...` (a NULL-terminated list). */
static int tool_line(struct work *w, char **line, const char *tool, const char *arg1,
		     const char *arg2)
{
	char *argv[4] = {(char *)tool, (char *)arg1, (char *)arg2, NULL};

	return run_line(w, argv, line);
}

/* The path of a program gcc uses (cc1, as, ld) or of a library file. */
static int gcc_path(struct work *w, char **out, const char *flag, const char *what)
{
	char *arg = xprintf("%s%s", flag, what), *line = NULL;
	int rc;

	*out = NULL;
	if (!arg)
		return ccctl_err_nomem();
	rc = tool_line(w, &line, w->gcc, arg, NULL);
	free(arg);
	if (rc)
		return rc;
	if (!strchr(line, '/')) {
		*out = find_tool(line); /* "as", "ld": from PATH */
		free(line);
		if (!*out)
			return ccctl_err_set(CCCTL_EUNAVAIL, "\"%s\" not found", what);
		return 0;
	}
	*out = line;
	return 0;
}

struct toolchain {
	struct ccctl_json *deps;
	char *gcc_version, *ld_version, *openssl_version;
	bool static_libs;
};

static void toolchain_release(struct toolchain *t)
{
	ccctl_json_free(t->deps);
	free(t->gcc_version);
	free(t->ld_version);
	free(t->openssl_version);
	memset(t, 0, sizeof(*t));
}

static int probe_toolchain(struct work *w, struct toolchain *t)
{
	static const char *const libs[] = {"libc.a", "libssl.a", "libcrypto.a", "libseccomp.a"};
	char *cc1 = NULL, *as = NULL, *ld = NULL, *as_v = NULL, *ar_v = NULL, *pc = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	t->static_libs = true;
	if ((rc = tool_line(w, &t->gcc_version, w->gcc, "--version", NULL)) ||
	    (rc = gcc_path(w, &cc1, "-print-prog-name=", "cc1")) ||
	    (rc = gcc_path(w, &as, "-print-prog-name=", "as")) ||
	    (rc = gcc_path(w, &ld, "-print-prog-name=", "ld")) ||
	    (rc = tool_line(w, &t->ld_version, ld, "--version", NULL)) ||
	    (rc = tool_line(w, &as_v, as, "--version", NULL)) ||
	    (rc = tool_line(w, &ar_v, w->ar, "--version", NULL)))
		goto out;
	if ((rc = add_tool(&t->deps, "gcc", w->gcc, t->gcc_version)) ||
	    (rc = add_tool(&t->deps, "cc1", cc1, t->gcc_version)) ||
	    (rc = add_tool(&t->deps, "as", as, as_v)) ||
	    (rc = add_tool(&t->deps, "ld", ld, t->ld_version)) ||
	    (rc = add_tool(&t->deps, "ar", w->ar, ar_v)))
		goto out;
	/* OpenSSL: the version of the library linked (pkg-config), else none */
	if ((pc = find_tool("pkg-config")) &&
	    tool_line(w, &t->openssl_version, pc, "--modversion", "libcrypto") == 0) {
		char *v = xprintf("OpenSSL %s", t->openssl_version);

		free(t->openssl_version);
		t->openssl_version = v;
	}
	ccctl_err_clear();
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		char *path = NULL;
		const char *version = NULL;
		char glibc[64];

		if ((rc = gcc_path(w, &path, "-print-file-name=", libs[i])))
			goto out;
		if (path[0] != '/' || access(path, R_OK) != 0) {
			t->static_libs = false; /* gcc echoes the bare name if absent */
			free(path);
			continue;
		}
		if (i == 0) {
			snprintf(glibc, sizeof(glibc), "GNU libc %s", gnu_get_libc_version());
			version = glibc;
		} else if (i < 3) {
			version = t->openssl_version;
		}
		rc = add_tool(&t->deps, libs[i], path, version);
		free(path);
		if (rc)
			goto out;
	}
out:
	free(pc);
	free(cc1);
	free(as);
	free(ld);
	free(as_v);
	free(ar_v);
	return rc;
}

/* ---- sources ---------------------------------------------------------- */

static int prepare_sources(struct work *w, struct ccctl_imgbuild_result *res)
{
	const struct ccctl_imgbuild_opts *o = w->o;
	const char *env;
	int rc;

	if (o->git || o->rev) {
		const char *repo = o->git ? o->git : o->source;

		if (!(w->src = xprintf("%s/src", w->dir)))
			return ccctl_err_nomem();
		if (mkdir(w->src, 0700) != 0)
			return ccctl_err_errno(CCCTL_EFAIL, w->src);
		progress(w, "exporting %s of %s", o->rev ? o->rev : "HEAD", repo);
		if ((rc = ccctl_gitsrc_export(&res->src, repo, o->rev, w->src)))
			return rc;
		res->source_date_epoch = res->src.commit_time;
		return 0;
	}
	if (!(w->src = realpath(o->source, NULL)))
		return ccctl_err_errno(CCCTL_EINVAL, o->source);
	if ((rc = ccctl_gitsrc_status(&res->src, w->src)))
		return rc;
	res->dirty = !res->src.has_commit || res->src.dirty;
	if (res->src.has_commit) {
		res->source_date_epoch = res->src.commit_time;
	} else if ((env = getenv("SOURCE_DATE_EPOCH")) && *env) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(env, &end, 10);
		if (errno || *end || v < 0 || v > UINT32_MAX)
			return ccctl_err_set(CCCTL_EINVAL,
					     "SOURCE_DATE_EPOCH: expected seconds since the "
					     "epoch, found \"%s\"",
					     env);
		res->source_date_epoch = v;
	}
	return 0;
}

/* ---- the image -------------------------------------------------------- */

struct artifacts {
	struct ccctl_buf runtime, init, cpio, kernel, eif, metadata;
	struct ccctl_json *byproducts;
};

static void artifacts_release(struct artifacts *a)
{
	ccctl_buf_release(&a->runtime);
	ccctl_buf_release(&a->init);
	ccctl_buf_release(&a->cpio);
	ccctl_buf_release(&a->kernel);
	ccctl_buf_release(&a->eif);
	ccctl_buf_release(&a->metadata);
	ccctl_json_free(a->byproducts);
}

static int byproduct(struct artifacts *a, const char *name, const void *data, size_t len)
{
	uint8_t d[CCCTL_SHA256_LEN];
	char hex[2 * CCCTL_SHA256_LEN + 1];

	ccctl_sha256(d, data, len);
	hex32(hex, d);
	return ccctl_provenance_add(&a->byproducts, name, NULL, "sha256", hex, NULL);
}

/* The EIF metadata section: canonical JSON, no timestamps. */
static int nitro_metadata(struct ccctl_buf *out, const struct ccctl_imgbuild_result *res)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *bm = ccctl_json_new_object();
	int rc;

	if (!doc || !bm) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_json_object_set_string(bm, "BuildTool", "ccctl image build")) ||
	    (rc = ccctl_json_object_set_string(bm, "BuildToolVersion", PACKAGE_VERSION)) ||
	    (rc = ccctl_json_object_set_string(bm, "SourceCommit",
					       res->src.has_commit ? res->src.commit : "")) ||
	    (rc = ccctl_json_object_set_bool(bm, "SourceDirty", res->dirty)) ||
	    (rc = ccctl_json_object_set_int(bm, "SourceDateEpoch", res->source_date_epoch)))
		goto out;
	rc = ccctl_json_object_set(doc, "BuildMetadata", bm);
	bm = NULL;
	if (rc || (rc = ccctl_json_object_set_string(doc, "ImageName", PROGRAM)))
		goto out;
	rc = ccctl_json_write_canonical(out, doc);
out:
	ccctl_json_free(bm);
	ccctl_json_free(doc);
	return rc;
}

/* Refuse a kernel for another architecture than the runtime's. */
static int check_kernel(const struct ccctl_buf *k, const char *path)
{
	bool arm64 = k->len >= 60 && memcmp(k->data + 56, "ARM\x64", 4) == 0;

	if (k->len == 0)
		return ccctl_err_set(CCCTL_EINVAL, "kernel \"%s\": empty file", path);
#if defined(__aarch64__)
	if (!arm64)
		return ccctl_err_set(CCCTL_EINVAL,
				     "kernel \"%s\": expected an arm64 Image like the runtime, "
				     "found another format",
				     path);
#else
	if (arm64)
		return ccctl_err_set(CCCTL_EINVAL,
				     "kernel \"%s\": an arm64 Image, but the runtime is built for "
				     "this host's architecture",
				     path);
#endif
	return 0;
}

static int build_nitro(struct work *w, struct artifacts *a, struct ccctl_imgbuild_result *res)
{
	struct ccctl_cpio_entry ents[3];
	struct ccctl_eif_blob ramdisk;
	struct ccctl_eif_spec spec;
	struct ccctl_eif_pcrs check;
	char *init = xprintf("%s/init", w->build);
	int rc;

	if (!init)
		return ccctl_err_nomem();
	if ((rc = build_init(w, init)) || (rc = ccctl_file_read(&a->init, init, MAX_ARTIFACT)) ||
	    (rc = byproduct(a, "bin/init", a->init.data, a->init.len)))
		goto out;
	memset(ents, 0, sizeof(ents));
	ents[0] = (struct ccctl_cpio_entry){.name = "dev", .mode = S_IFDIR | 0755};
	ents[1] = (struct ccctl_cpio_entry){
	    .name = "init", .mode = S_IFREG | 0755, .data = a->init.data, .len = a->init.len};
	ents[2] = (struct ccctl_cpio_entry){.name = PROGRAM,
					    .mode = S_IFREG | 0755,
					    .data = a->runtime.data,
					    .len = a->runtime.len};
	if ((rc = ccctl_cpio_write(&a->cpio, ents, 3, (uint64_t)res->source_date_epoch)))
		goto out;
	if ((rc = byproduct(a, "cpio/init", a->init.data, a->init.len)) ||
	    (rc = byproduct(a, "cpio/" PROGRAM, a->runtime.data, a->runtime.len)))
		goto out;
	if ((rc = nitro_metadata(&a->metadata, res)))
		goto out;
	memset(&spec, 0, sizeof(spec));
#if defined(__aarch64__)
	spec.flags = CCCTL_EIF_FLAG_ARM64;
#endif
	spec.default_memory = 512ull * 1024 * 1024;
	spec.default_cpus = 2;
	spec.kernel = (struct ccctl_eif_blob){a->kernel.data, a->kernel.len};
	spec.cmdline = (struct ccctl_eif_blob){CCCTL_IMGBUILD_NITRO_CMDLINE,
					       sizeof(CCCTL_IMGBUILD_NITRO_CMDLINE) - 1};
	spec.metadata = (struct ccctl_eif_blob){a->metadata.data, a->metadata.len};
	ramdisk = (struct ccctl_eif_blob){a->cpio.data, a->cpio.len};
	spec.ramdisks = &ramdisk;
	spec.nramdisks = 1;
	if ((rc = ccctl_eif_write(&a->eif, &spec)) ||
	    (rc = ccctl_eif_pcrs_compute(&res->m.nitro, &spec)) ||
	    (rc = ccctl_eif_measure(NULL, &check, a->eif.data, a->eif.len, "built image")))
		goto out;
	if (memcmp(&check, &res->m.nitro, sizeof(check)) != 0) {
		rc = ccctl_err_set(CCCTL_EFAIL, "built image: PCRs of the file differ from the "
						"PCRs of its parts");
		goto out;
	}
	res->m.has_nitro = true;
	if ((rc = byproduct(a, "eif/kernel", spec.kernel.data, spec.kernel.len)) ||
	    (rc = byproduct(a, "eif/cmdline", spec.cmdline.data, spec.cmdline.len)) ||
	    (rc = byproduct(a, "eif/metadata", spec.metadata.data, spec.metadata.len)) ||
	    (rc = byproduct(a, "eif/ramdisk", ramdisk.data, ramdisk.len)))
		goto out;
out:
	free(init);
	return rc;
}

/* ---- provenance ------------------------------------------------------- */

static int external_params(struct ccctl_json **out, const struct ccctl_imgbuild_opts *o)
{
	struct ccctl_json *e = ccctl_json_new_object(), *src = ccctl_json_new_object();
	int rc;

	*out = NULL;
	if (!e || !src) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_json_object_set_string(src, o->git ? "git" : "dir",
					       o->git ? o->git : o->source)))
		goto out;
	rc = ccctl_json_object_set(e, "source", src);
	src = NULL;
	if (rc || (rc = ccctl_json_object_set_string(
		       e, "backend", o->backend == CCCTL_IMGBUILD_NITRO ? "nitro" : "sim")))
		goto out;
	if (o->rev && (rc = ccctl_json_object_set_string(e, "rev", o->rev)))
		goto out;
	if (o->kernel) {
		const char *base = strrchr(o->kernel, '/');

		if ((rc = ccctl_json_object_set_string(e, "kernel", base ? base + 1 : o->kernel)))
			goto out;
	}
	*out = e;
	e = NULL;
out:
	ccctl_json_free(src);
	ccctl_json_free(e);
	return rc;
}

static int internal_params(struct ccctl_json **out, const struct work *w,
			   const struct ccctl_imgbuild_result *res, const uint8_t config_h[32])
{
	struct ccctl_json *in = ccctl_json_new_object(), *arr = NULL, *ld = NULL;
	struct strv f = {0};
	char hex[2 * CCCTL_SHA256_LEN + 1];
	int rc = 0;

	*out = NULL;
	if (!in || !(arr = ccctl_json_new_array()) || !(ld = ccctl_json_new_array())) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = cflags(&f, w, true)))
		goto out;
	for (size_t i = 0; i < f.n && rc == 0; i++)
		rc = ccctl_json_array_push(arr, ccctl_json_new_string(f.v[i]));
	for (size_t i = 0; ldflags_fixed[i] && rc == 0; i++)
		rc = ccctl_json_array_push(ld, ccctl_json_new_string(ldflags_fixed[i]));
	if (rc)
		goto out;
	hex32(hex, config_h);
	rc = ccctl_json_object_set(in, "cflags", arr);
	arr = NULL;
	if (rc)
		goto out;
	rc = ccctl_json_object_set(in, "ldflags", ld);
	ld = NULL;
	if (rc || (rc = ccctl_json_object_set_string(in, "cc", "gcc")) ||
	    (rc = ccctl_json_object_set_string(in, "configHSha256", hex)) ||
	    (rc = ccctl_json_object_set_string(in, "linkage",
					       res->is_static ? "static" : "dynamic")) ||
	    (rc = ccctl_json_object_set_int(in, "sourceDateEpoch", res->source_date_epoch)) ||
	    (rc = ccctl_json_object_set_int(in, "sources", (int64_t)res->nsources)) ||
	    (rc = ccctl_json_object_set_bool(in, "dirty", res->dirty)))
		goto out;
	*out = in;
	in = NULL;
out:
	strv_release(&f);
	ccctl_json_free(arr);
	ccctl_json_free(ld);
	ccctl_json_free(in);
	return rc;
}

/* The source as a ResourceDescriptor: git+URL@REV with gitCommit. */
static int add_source_dep(struct ccctl_json **deps, const struct ccctl_imgbuild_opts *o,
			  const struct ccctl_imgbuild_result *res)
{
	const char *loc = o->git ? o->git : o->source;
	struct ccctl_json *ann = NULL;
	char *uri = NULL, *abs = NULL;
	int rc;

	if (!strstr(loc, "://") && (abs = realpath(loc, NULL)))
		loc = abs;
	if (res->src.has_commit)
		uri = xprintf("git+%s%s@%s", strstr(loc, "://") ? "" : "file://", loc,
			      o->rev ? o->rev : "HEAD");
	else
		uri = xprintf("file://%s", loc);
	if (!uri || !(ann = ccctl_json_new_object())) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_json_object_set_bool(ann, "dirty", res->dirty)))
		goto out;
	rc = ccctl_provenance_add(deps, "source", uri, res->src.has_commit ? "gitCommit" : NULL,
				  res->src.has_commit ? res->src.commit : NULL, ann);
	ann = NULL;
out:
	ccctl_json_free(ann);
	free(uri);
	free(abs);
	return rc;
}

static int write_provenance(struct work *w, struct ccctl_imgbuild_result *res, struct artifacts *a,
			    struct toolchain *tc, const uint8_t config_h[32])
{
	const struct ccctl_imgbuild_opts *o = w->o;
	struct ccctl_prov_subject subj[2];
	struct ccctl_provenance p;
	struct ccctl_json *st = NULL;
	struct ccctl_buf out, env;
	char hex[2 * CCCTL_SHA256_LEN + 1];
	int rc;

	ccctl_provenance_init(&p);
	ccctl_buf_init(&out);
	ccctl_buf_init(&env);
	memset(subj, 0, sizeof(subj));
	subj[0].name = o->backend == CCCTL_IMGBUILD_NITRO ? CCCTL_IMGBUILD_NITRO_IMAGE
							  : CCCTL_IMGBUILD_SIM_IMAGE;
	memcpy(subj[0].sha256, res->image_sha256, CCCTL_SHA256_LEN);
	p.nsubjects = 1;
	if (o->backend == CCCTL_IMGBUILD_NITRO) {
		subj[1].name = CCCTL_IMGBUILD_INITRAMFS;
		ccctl_sha256(subj[1].sha256, a->cpio.data, a->cpio.len);
		p.nsubjects = 2;
	}
	p.subjects = subj;
	p.build_type = CCCTL_IMGBUILD_BUILD_TYPE;
	p.builder_id = CCCTL_IMGBUILD_BUILDER_ID;
	if (!(p.builder_version = ccctl_json_new_object())) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_json_object_set_string(p.builder_version, "ccctl", PACKAGE_VERSION)) ||
	    (rc = external_params(&p.external, o)) ||
	    (rc = internal_params(&p.internal, w, res, config_h)) ||
	    (rc = add_source_dep(&p.dependencies, o, res)))
		goto out;
	for (size_t i = 0; tc->deps && i < tc->deps->u.arr.n; i++) {
		rc = ccctl_json_array_push(p.dependencies, tc->deps->u.arr.items[i]);
		tc->deps->u.arr.items[i] = NULL;
		if (rc)
			goto out;
	}
	if (o->kernel) {
		uint8_t kd[CCCTL_SHA256_LEN];

		ccctl_sha256(kd, a->kernel.data, a->kernel.len);
		hex32(hex, kd);
		if ((rc = ccctl_provenance_add(&p.dependencies, "kernel", NULL, "sha256", hex,
					       NULL)))
			goto out;
	}
	p.byproducts = a->byproducts;
	a->byproducts = NULL;
	if ((rc = ccctl_provenance_statement(&st, &p)) || (rc = ccctl_provenance_write(&out, st)))
		goto out;
	if (!(res->provenance = xprintf("%s/%s", o->outdir, CCCTL_IMGBUILD_PROVENANCE))) {
		rc = ccctl_err_nomem();
		goto out;
	}
	if ((rc = ccctl_file_write_atomic(res->provenance, out.data, out.len, 0644)))
		goto out;
	if (o->signer) {
		if ((rc = ccctl_provenance_sign(&env, out.data, out.len - 1, o->signer)))
			goto out;
		if (!(res->provenance_signed =
			  xprintf("%s/%s", o->outdir, CCCTL_IMGBUILD_PROVENANCE_SIGNED))) {
			rc = ccctl_err_nomem();
			goto out;
		}
		rc = ccctl_file_write_atomic(res->provenance_signed, env.data, env.len, 0644);
	}
out:
	ccctl_json_free(st);
	ccctl_provenance_release(&p);
	ccctl_buf_release(&out);
	ccctl_buf_release(&env);
	return rc;
}

/* ---- the driver ------------------------------------------------------- */

void ccctl_imgbuild_result_init(struct ccctl_imgbuild_result *r)
{
	memset(r, 0, sizeof(*r));
	ccctl_gitsrc_init(&r->src);
}

void ccctl_imgbuild_result_release(struct ccctl_imgbuild_result *r)
{
	if (!r)
		return;
	free(r->image);
	free(r->measurements);
	free(r->provenance);
	free(r->provenance_signed);
	free(r->workdir);
	ccctl_gitsrc_release(&r->src);
	ccctl_imgbuild_result_init(r);
}

static int check_opts(const struct ccctl_imgbuild_opts *o)
{
	if (!!o->git == !!o->source)
		return ccctl_err_set(CCCTL_EUSAGE, "expected one of --git and --source");
	if (o->backend == CCCTL_IMGBUILD_NITRO && !o->kernel)
		return ccctl_err_set(CCCTL_EUSAGE, "backend nitro: --kernel FILE is required");
	if (o->backend == CCCTL_IMGBUILD_SIM && o->kernel)
		return ccctl_err_set(CCCTL_EUSAGE, "backend sim: --kernel does not apply");
	if (!o->outdir || !*o->outdir)
		return ccctl_err_set(CCCTL_EUSAGE, "expected an output folder");
	return 0;
}

static int write_outputs(struct work *w, struct ccctl_imgbuild_result *res, struct artifacts *a)
{
	const struct ccctl_imgbuild_opts *o = w->o;
	bool nitro = o->backend == CCCTL_IMGBUILD_NITRO;
	const struct ccctl_buf *img = nitro ? &a->eif : &a->runtime;
	struct ccctl_buf m;
	char *cpio = NULL;
	int rc;

	ccctl_buf_init(&m);
	if ((rc = ccctl_mkdirs(o->outdir, 0755)))
		goto out;
	res->image = xprintf("%s/%s", o->outdir,
			     nitro ? CCCTL_IMGBUILD_NITRO_IMAGE : CCCTL_IMGBUILD_SIM_IMAGE);
	res->measurements = xprintf("%s/%s", o->outdir, CCCTL_IMGBUILD_MEASUREMENTS);
	if (!res->image || !res->measurements) {
		rc = ccctl_err_nomem();
		goto out;
	}
	ccctl_sha256(res->image_sha256, img->data, img->len);
	if (!nitro) {
		memcpy(res->m.sim_sha256, res->image_sha256, CCCTL_SHA256_LEN);
		res->m.has_sim = true;
	}
	if ((rc = ccctl_file_write_atomic(res->image, img->data, img->len, nitro ? 0644 : 0755)))
		goto out;
	if (nitro) {
		if (!(cpio = xprintf("%s/%s", o->outdir, CCCTL_IMGBUILD_INITRAMFS))) {
			rc = ccctl_err_nomem();
			goto out;
		}
		if ((rc = ccctl_file_write_atomic(cpio, a->cpio.data, a->cpio.len, 0644)))
			goto out;
	}
	if ((rc = ccctl_measure_write(&m, &res->m)))
		goto out;
	rc = ccctl_file_write_atomic(res->measurements, m.data, m.len, 0644);
out:
	free(cpio);
	ccctl_buf_release(&m);
	return rc;
}

int ccctl_imgbuild_run(struct ccctl_imgbuild_result *res, const struct ccctl_imgbuild_opts *o)
{
	struct work w;
	struct plan plan;
	struct toolchain tc;
	struct artifacts a;
	uint8_t config_h[CCCTL_SHA256_LEN];
	char *runtime = NULL;
	bool keep = o->keep, failed_step = false;
	int rc;

	ccctl_imgbuild_result_init(res);
	memset(&plan, 0, sizeof(plan));
	memset(&tc, 0, sizeof(tc));
	memset(&a, 0, sizeof(a));
	if ((rc = check_opts(o)))
		return rc;
	if ((rc = work_init(&w, o)))
		goto out;
	if ((rc = prepare_sources(&w, res)) || (rc = set_env(&w, res->source_date_epoch)) ||
	    (rc = make_plan(&plan, &w)) ||
	    (o->backend == CCCTL_IMGBUILD_NITRO &&
	     ((rc = check_init_source(&w)) ||
	      (rc = ccctl_file_read(&a.kernel, o->kernel, CCCTL_IMGBUILD_MAX_KERNEL)) ||
	      (rc = check_kernel(&a.kernel, o->kernel)))) ||
	    (rc = probe_toolchain(&w, &tc)) || (rc = write_config_h(&w, config_h)))
		goto out;
	res->nsources = plan.n;
	failed_step = true; /* from here, a failure keeps the work folder */
	if ((rc = compile_all(&w, &plan)) || (rc = archive_all(&w, &plan)))
		goto out;
	if (!(runtime = xprintf("%s/%s", w.build, PROGRAM))) {
		rc = ccctl_err_nomem();
		goto out;
	}
	progress(&w, "linking %s", PROGRAM);
	res->is_static = tc.static_libs;
	if (tc.static_libs && (rc = link_runtime(&w, &plan, runtime, true))) {
		if (o->backend == CCCTL_IMGBUILD_NITRO)
			goto out; /* the initramfs has no shared libraries */
		progress(&w, "static linking failed (%s); linking dynamically", ccctl_err_msg());
		res->is_static = false;
	}
	if (!res->is_static) {
		if (o->backend == CCCTL_IMGBUILD_NITRO) {
			rc = ccctl_err_set(CCCTL_EUNAVAIL,
					   "backend nitro needs static libraries (libc.a, "
					   "libssl.a, libcrypto.a, libseccomp.a)");
			goto out;
		}
		if ((rc = link_runtime(&w, &plan, runtime, false)))
			goto out;
	}
	if ((rc = ccctl_file_read(&a.runtime, runtime, MAX_ARTIFACT)))
		goto out;
	for (size_t i = 0; i < plan.n; i++) {
		char name[PATH_MAX + 8], hex[2 * CCCTL_SHA256_LEN + 1];
		size_t len = strlen(plan.units[i].src);

		snprintf(name, sizeof(name), "obj/%.*s.o", (int)(len - 2), plan.units[i].src);
		hex32(hex, plan.units[i].sha256);
		if ((rc = ccctl_provenance_add(&a.byproducts, name, NULL, "sha256", hex, NULL)))
			goto out;
	}
	if ((rc = byproduct(&a, "bin/" PROGRAM, a.runtime.data, a.runtime.len)))
		goto out;
	if (o->backend == CCCTL_IMGBUILD_NITRO) {
		progress(&w, "building the initramfs and the EIF");
		if ((rc = build_nitro(&w, &a, res)))
			goto out;
	}
	failed_step = false;
	if ((rc = write_outputs(&w, res, &a)) ||
	    (rc = write_provenance(&w, res, &a, &tc, config_h)))
		goto out;
out:
	if (rc && failed_step && w.dir) {
		keep = true;
		ccctl_err_set(rc, "%s; work folder kept: \"%s\"", ccctl_err_msg(), w.dir);
	}
	if (keep && w.dir)
		res->workdir = strdup(w.dir);
	work_release(&w, !keep);
	free(runtime);
	plan_release(&plan);
	toolchain_release(&tc);
	artifacts_release(&a);
	return rc;
}

/* ---- explaining a difference ------------------------------------------ */

/* Read dir/name (NULL path when absent). */
static int read_in(struct ccctl_buf *out, const char *dir, const char *name, bool *present)
{
	char *path = xprintf("%s/%s", dir, name);
	int rc = 0;

	*present = false;
	if (!path)
		return ccctl_err_nomem();
	if (access(path, F_OK) == 0) {
		*present = true;
		rc = ccctl_file_read(out, path, MAX_ARTIFACT);
	}
	free(path);
	return rc;
}

static size_t first_diff(const struct ccctl_buf *x, const struct ccctl_buf *y)
{
	size_t i, n = x->len < y->len ? x->len : y->len;

	for (i = 0; i < n && x->data[i] == y->data[i]; i++)
		;
	return i;
}

/* Inside two EIFs: the first section that differs, and inside a ramdisk
 * the first cpio member. */
static int explain_eif(struct ccctl_buf *msg, const struct ccctl_buf *x, const struct ccctl_buf *y)
{
	struct ccctl_eif_info ix, iy;
	struct ccctl_cpio *cx = NULL, *cy = NULL;
	int rc;

	if (ccctl_eif_measure(&ix, NULL, x->data, x->len, "expected") != 0 ||
	    ccctl_eif_measure(&iy, NULL, y->data, y->len, "rebuilt") != 0)
		return ccctl_buf_printf(msg, " (%s)", ccctl_err_msg());
	if (ix.nsections != iy.nsections)
		return ccctl_buf_printf(msg, ": %zu sections expected, %zu found", ix.nsections,
					iy.nsections);
	/* measured sections first: a metadata difference alone changes no PCR */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ix.nsections; i++) {
			const struct ccctl_eif_section *sx = &ix.sections[i], *sy = &iy.sections[i];
			const uint8_t *dx = x->data + sx->offset + CCCTL_EIF_SECTION_HEADER_LEN;
			const uint8_t *dy = y->data + sy->offset + CCCTL_EIF_SECTION_HEADER_LEN;
			bool measured = sx->type == CCCTL_EIF_KERNEL ||
					sx->type == CCCTL_EIF_CMDLINE ||
					sx->type == CCCTL_EIF_RAMDISK;

			if (measured != (pass == 0))
				continue;
			if (sx->type == sy->type && sx->size == sy->size &&
			    memcmp(dx, dy, (size_t)sx->size) == 0)
				continue;
			if ((rc = ccctl_buf_printf(msg, ": eif section %zu (%s%s) differs", i,
						   ccctl_eif_section_name(sx->type),
						   measured ? "" : ", not measured")))
				return rc;
			if (sx->type != CCCTL_EIF_RAMDISK || sy->type != CCCTL_EIF_RAMDISK)
				return 0;
			if (ccctl_cpio_parse(&cx, dx, (size_t)sx->size) == 0 &&
			    ccctl_cpio_parse(&cy, dy, (size_t)sy->size) == 0 &&
			    ccctl_cpio_compare(cx, cy) != 0)
				rc = ccctl_buf_printf(msg, ": %s", ccctl_err_msg());
			else
				rc = 0;
			ccctl_cpio_free(cx);
			ccctl_cpio_free(cy);
			return rc;
		}
	}
	return ccctl_buf_append_str(msg, ": only the headers differ");
}

/* The compiled objects whose digests differ between two provenance files. */
static int explain_objects(struct ccctl_buf *msg, const char *xdir, const char *ydir)
{
	static const char *const by[] = {"predicate", "runDetails", "byproducts"};
	struct ccctl_buf bx, by_;
	struct ccctl_json *px = NULL, *py = NULL;
	const struct ccctl_json *list;
	size_t shown = 0, more = 0;
	bool hx, hy;
	int rc = 0;

	ccctl_buf_init(&bx);
	ccctl_buf_init(&by_);
	if (read_in(&bx, xdir, CCCTL_IMGBUILD_PROVENANCE, &hx) != 0 ||
	    read_in(&by_, ydir, CCCTL_IMGBUILD_PROVENANCE, &hy) != 0 || !hx || !hy ||
	    ccctl_provenance_parse(&px, bx.data, bx.len) != 0 ||
	    ccctl_provenance_parse(&py, by_.data, by_.len) != 0) {
		ccctl_err_clear();
		goto out;
	}
	list = px;
	for (size_t k = 0; k < 3 && list; k++)
		list = ccctl_json_get(list, by[k]);
	for (size_t i = 0; list && list->type == CCCTL_JSON_ARRAY && i < list->u.arr.n; i++) {
		const char *name = ccctl_json_get_string(list->u.arr.items[i], "name");
		const char *dx, *dy;

		if (!name || strncmp(name, "obj/", 4) != 0)
			continue;
		dx = ccctl_provenance_digest(px, name);
		dy = ccctl_provenance_digest(py, name);
		if (dx && dy && strcmp(dx, dy) == 0)
			continue;
		if (shown == 4) {
			more++;
			continue;
		}
		rc = ccctl_buf_printf(msg, "%s%s%s",
				      shown ? ", " : "; objects that differ: ", name + 4,
				      dy ? "" : " (not built)");
		if (rc)
			goto out;
		shown++;
	}
	if (more)
		rc = ccctl_buf_printf(msg, " and %zu more", more);
out:
	ccctl_json_free(px);
	ccctl_json_free(py);
	ccctl_buf_release(&bx);
	ccctl_buf_release(&by_);
	return rc;
}

int ccctl_imgbuild_explain(char **out, enum ccctl_imgbuild_backend backend,
			   const char *expected_dir, const char *found_dir)
{
	const char *name =
	    backend == CCCTL_IMGBUILD_NITRO ? CCCTL_IMGBUILD_NITRO_IMAGE : CCCTL_IMGBUILD_SIM_IMAGE;
	struct ccctl_buf x, y, msg;
	bool hx = false, hy = false;
	int rc;

	*out = NULL;
	ccctl_buf_init(&x);
	ccctl_buf_init(&y);
	ccctl_buf_init(&msg);
	if ((rc = read_in(&x, expected_dir, name, &hx)) || (rc = read_in(&y, found_dir, name, &hy)))
		goto out;
	if (!hx) {
		rc = ccctl_buf_printf(&msg, "expected image \"%s\" not beside the measurements",
				      name);
	} else if (!hy) {
		rc = ccctl_buf_printf(&msg, "no rebuilt image \"%s\"", name);
	} else if (x.len == y.len && memcmp(x.data, y.data, x.len) == 0) {
		rc = ccctl_buf_printf(&msg, "image \"%s\" is identical", name);
	} else {
		rc = ccctl_buf_printf(&msg,
				      "%s \"%s\" differs (%zu bytes expected, %zu found, "
				      "first difference at byte %zu)",
				      backend == CCCTL_IMGBUILD_NITRO ? "enclave image"
								      : "runtime binary",
				      name, x.len, y.len, first_diff(&x, &y));
		if (rc == 0 && backend == CCCTL_IMGBUILD_NITRO)
			rc = explain_eif(&msg, &x, &y);
	}
	if (rc || (rc = explain_objects(&msg, expected_dir, found_dir)))
		goto out;
	*out = ccctl_buf_steal(&msg, NULL);
out:
	ccctl_buf_release(&x);
	ccctl_buf_release(&y);
	ccctl_buf_release(&msg);
	return rc;
}
