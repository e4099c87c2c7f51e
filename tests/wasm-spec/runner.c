/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runner.c - runs the WebAssembly core spec tests against the engine.
 *
 * Usage: wasm-spec [-v] [FILE.wast...]
 * Without files it runs every .wast file of $CCCTL_TESTDATA/wasm-spec (exit 77,
 * skipped, when that folder or wast2json is missing).  Each file is
 * converted with wast2json ($WAST2JSON or the one on PATH) into a temporary
 * folder and every command is executed with the standard "spectest" host
 * module.  Text-format modules of assert_malformed/assert_invalid cannot be
 * loaded by a binary engine and are counted as skipped; simd_* files are
 * skipped whole.  Prints a table per file and totals per command type;
 * exits 1 if any command failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "runtime/wasm/wasm.h"

#define MAX_VALUES 64

enum { PASS, FAIL, SKIP, NRES };

/* command types, for the totals */
static const char *const kinds[] = {
	"module", "register", "action", "assert_return", "assert_trap", "assert_exhaustion",
	"assert_invalid", "assert_malformed", "assert_uninstantiable", "assert_unlinkable",
	"other",
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static unsigned long totals[NKINDS][NRES];
static unsigned long text_skipped;
static bool verbose;

struct named {
	char *name;
	struct wasm_instance *inst;
};

struct ctx {
	const char *dir;  /* conversion folder */
	const char *file; /* wast name, for messages */
	struct wasm_store *store;
	struct wasm_linker *linker;
	struct wasm_instance *current;
	struct named *named;
	size_t nnamed;
	struct wasm_module **modules; /* kept until the store is freed */
	size_t nmodules;
	unsigned long res[NRES];
	unsigned long text;
	int line;
};

static void report(struct ctx *c, int kind, int res, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct ctx *c, int kind, int res, const char *fmt, ...)
{
	va_list ap;

	totals[kind][res]++;
	c->res[res]++;
	if (res == FAIL || (verbose && fmt)) {
		fprintf(stderr, "%s:%d: %s: %s: ", c->file, c->line, kinds[kind],
			res == FAIL ? "FAIL" : res == SKIP ? "skip" : "ok");
		if (fmt) {
			va_start(ap, fmt);
			vfprintf(stderr, fmt, ap);
			va_end(ap);
		}
		fputc('\n', stderr);
	}
}

static int kind_of(const char *type)
{
	for (size_t i = 0; i < NKINDS - 1; i++)
		if (!strcmp(kinds[i], type))
			return (int)i;
	return (int)NKINDS - 1;
}

/* ---- spectest ------------------------------------------------------------ */

static int host_print(struct wasm_call *call, void *env, const uint64_t *args, uint64_t *res)
{
	return 0;
}

static int define_spectest(struct wasm_store *s, struct wasm_linker *l)
{
	static const struct {
		const char *name, *params;
	} prints[] = {
		{ "print", "" },	    { "print_i32", "i" },     { "print_i64", "I" },
		{ "print_f32", "f" },	    { "print_f64", "F" },     { "print_i32_f32", "if" },
		{ "print_f64_f64", "FF" },
	};
	struct wasm_value v;
	struct wasm_extern ext;
	int rc;

	for (size_t i = 0; i < sizeof(prints) / sizeof(prints[0]); i++) {
		rc = wasm_linker_define_host(l, s, "spectest", prints[i].name, prints[i].params,
					     "", host_print, NULL);
		if (rc)
			return rc;
	}
	ext.kind = WASM_EXTERN_GLOBAL;
	v.type = WASM_I32;
	v.u.i64 = 0;
	v.u.i32 = 666;
	if (!(ext.u.global = wasm_global_new(s, &v, false)) ||
	    wasm_linker_define(l, "spectest", "global_i32", &ext))
		return -1;
	v.type = WASM_I64;
	v.u.i64 = 666;
	if (!(ext.u.global = wasm_global_new(s, &v, false)) ||
	    wasm_linker_define(l, "spectest", "global_i64", &ext))
		return -1;
	v.type = WASM_F32;
	v.u.i64 = 0;
	v.u.i32 = 0x44268666; /* 666.6f */
	if (!(ext.u.global = wasm_global_new(s, &v, false)) ||
	    wasm_linker_define(l, "spectest", "global_f32", &ext))
		return -1;
	v.type = WASM_F64;
	v.u.i64 = 0x4084d4cccccccccdull; /* 666.6 */
	if (!(ext.u.global = wasm_global_new(s, &v, false)) ||
	    wasm_linker_define(l, "spectest", "global_f64", &ext))
		return -1;
	ext.kind = WASM_EXTERN_TABLE;
	if (!(ext.u.table = wasm_table_new(s, WASM_FUNCREF, 10, 20)) ||
	    wasm_linker_define(l, "spectest", "table", &ext))
		return -1;
	ext.kind = WASM_EXTERN_MEMORY;
	if (!(ext.u.memory = wasm_memory_new(s, 1, 2)) ||
	    wasm_linker_define(l, "spectest", "memory", &ext))
		return -1;
	return 0;
}

/* ---- values --------------------------------------------------------------- */

static bool parse_type(const char *t, enum wasm_valtype *out)
{
	static const struct {
		const char *name;
		enum wasm_valtype t;
	} types[] = {
		{ "i32", WASM_I32 },	 { "i64", WASM_I64 },	       { "f32", WASM_F32 },
		{ "f64", WASM_F64 },	 { "funcref", WASM_FUNCREF }, { "externref", WASM_EXTERNREF },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (!strcmp(t, types[i].name)) {
			*out = types[i].t;
			return true;
		}
	}
	return false;
}

/* An argument value (no NaN patterns). */
static bool parse_arg(const struct ccctl_json *j, struct wasm_value *v)
{
	const char *t = ccctl_json_get_string(j, "type");
	const char *val = ccctl_json_get_string(j, "value");

	if (!t || !val || !parse_type(t, &v->type))
		return false;
	v->u.i64 = 0;
	if (v->type == WASM_FUNCREF || v->type == WASM_EXTERNREF) {
		/* externref N is represented as N+1 so that 0 stays null */
		v->u.ref = strcmp(val, "null") ? (uintptr_t)strtoull(val, NULL, 10) + 1 : 0;
		return true;
	}
	errno = 0;
	v->u.i64 = strtoull(val, NULL, 10);
	if (v->type == WASM_I32 || v->type == WASM_F32)
		v->u.i64 &= 0xffffffffu;
	return errno == 0;
}

static bool match_value(const struct ccctl_json *j, const struct wasm_value *got)
{
	const char *t = ccctl_json_get_string(j, "type");
	const char *val = ccctl_json_get_string(j, "value");
	enum wasm_valtype type;
	uint64_t want;

	if (!t || !parse_type(t, &type) || type != got->type)
		return false;
	if (type == WASM_FUNCREF || type == WASM_EXTERNREF) {
		if (!val) /* any non-null reference */
			return got->u.ref != 0;
		if (!strcmp(val, "null"))
			return got->u.ref == 0;
		return got->u.ref == (uintptr_t)strtoull(val, NULL, 10) + 1;
	}
	if (!val)
		return false;
	if (!strcmp(val, "nan:canonical")) {
		if (type == WASM_F32)
			return (got->u.i32 & 0x7fffffffu) == 0x7fc00000u;
		return (got->u.i64 & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
	}
	if (!strcmp(val, "nan:arithmetic")) {
		if (type == WASM_F32)
			return (got->u.i32 & 0x7fc00000u) == 0x7fc00000u;
		return (got->u.i64 & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	}
	want = strtoull(val, NULL, 10);
	if (type == WASM_I32 || type == WASM_F32)
		return got->u.i32 == (uint32_t)want;
	return got->u.i64 == want;
}

/* ---- modules and actions --------------------------------------------------- */

static struct wasm_instance *find_instance(struct ctx *c, const char *name)
{
	if (!name)
		return c->current;
	for (size_t i = c->nnamed; i-- > 0;)
		if (!strcmp(c->named[i].name, name))
			return c->named[i].inst;
	return NULL;
}

static int load_file(struct ctx *c, const char *filename, struct wasm_module **out,
		     struct wasm_error *err)
{
	struct ccctl_buf b;
	char path[4096];
	int rc;

	ccctl_buf_init(&b);
	snprintf(path, sizeof(path), "%s/%s", c->dir, filename);
	if (ccctl_file_read(&b, path, 64u << 20) != 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot read %.200s", filename);
		ccctl_buf_release(&b);
		return -100;
	}
	rc = wasm_module_load(out, b.data, b.len, NULL, err);
	ccctl_buf_release(&b);
	return rc;
}

static bool keep_module(struct ctx *c, struct wasm_module *m)
{
	struct wasm_module **p = realloc(c->modules, (c->nmodules + 1) * sizeof(*p));

	if (!p) {
		wasm_module_free(m);
		return false;
	}
	c->modules = p;
	c->modules[c->nmodules++] = m;
	return true;
}

/* Load and instantiate; 0, or the failing code with err filled. */
static int instantiate_file(struct ctx *c, const char *filename, struct wasm_instance **inst,
			    struct wasm_error *err)
{
	struct wasm_module *m = NULL;
	int rc = load_file(c, filename, &m, err);

	if (rc)
		return rc;
	if (!keep_module(c, m))
		return WASM_ERR_NOMEM;
	return wasm_instantiate(inst, c->store, m, c->linker, err);
}

/*
 * Run an action; 0 with results, or an error (trap).  nres receives the
 * number of results.
 */
static int do_action(struct ctx *c, const struct ccctl_json *a, struct wasm_value *res,
		     size_t *nres, struct wasm_error *err)
{
	const char *type = ccctl_json_get_string(a, "type");
	const struct ccctl_json *field = ccctl_json_get(a, "field");
	struct wasm_instance *inst = find_instance(c, ccctl_json_get_string(a, "module"));
	struct wasm_extern ext;

	memset(err, 0, sizeof(*err));
	if (!type || !field || field->type != CCCTL_JSON_STRING || !inst) {
		snprintf(err->msg, sizeof(err->msg), "bad action or unknown module");
		return -100;
	}
	if (wasm_instance_export_n(inst, field->u.str.s, field->u.str.len, &ext)) {
		snprintf(err->msg, sizeof(err->msg), "no export \"%s\"", field->u.str.s);
		return -100;
	}
	if (!strcmp(type, "get")) {
		if (ext.kind != WASM_EXTERN_GLOBAL)
			return -100;
		wasm_global_get(ext.u.global, &res[0]);
		*nres = 1;
		return 0;
	}
	if (!strcmp(type, "invoke") && ext.kind == WASM_EXTERN_FUNC) {
		const struct ccctl_json *args = ccctl_json_get(a, "args");
		struct wasm_value argv[MAX_VALUES];
		const enum wasm_valtype *pt, *rt;
		size_t np, nr, n = args && args->type == CCCTL_JSON_ARRAY ? args->u.arr.n : 0;

		if (n > MAX_VALUES)
			return -100;
		for (size_t i = 0; i < n; i++)
			if (!parse_arg(args->u.arr.items[i], &argv[i]))
				return -100;
		wasm_func_type(ext.u.func, &pt, &np, &rt, &nr);
		if (nr > MAX_VALUES)
			return -100;
		*nres = nr;
		return wasm_func_call(c->store, ext.u.func, argv, n, res, nr, err);
	}
	return -100;
}

static bool trap_text_matches(const struct wasm_error *err, const char *text)
{
	const char *ours = wasm_trap_str(err->trap);

	if (!text)
		return true;
	return !strncmp(text, ours, strlen(ours));
}

static void run_command(struct ctx *c, const struct ccctl_json *cmd)
{
	const char *type = ccctl_json_get_string(cmd, "type");
	const char *filename = ccctl_json_get_string(cmd, "filename");
	const char *text = ccctl_json_get_string(cmd, "text");
	const char *mtype = ccctl_json_get_string(cmd, "module_type");
	const struct ccctl_json *action = ccctl_json_get(cmd, "action");
	int64_t line = 0;
	int kind;
	struct wasm_error err;
	struct wasm_value res[MAX_VALUES];
	size_t nres = 0;
	struct wasm_instance *inst = NULL;
	struct wasm_module *m = NULL;
	int rc;

	memset(&err, 0, sizeof(err));
	if (!type)
		return;
	ccctl_json_get_int(cmd, "line", &line);
	c->line = (int)line;
	kind = kind_of(type);
	if (mtype && strcmp(mtype, "binary")) {
		c->text++;
		text_skipped++;
		report(c, kind, SKIP, "text module");
		return;
	}
	if (!strcmp(type, "module")) {
		const char *name = ccctl_json_get_string(cmd, "name");
		rc = instantiate_file(c, filename, &inst, &err);
		if (rc) {
			c->current = NULL;
			report(c, kind, FAIL, "%s: %s", filename, err.msg);
			return;
		}
		c->current = inst;
		if (name) {
			struct named *p = realloc(c->named, (c->nnamed + 1) * sizeof(*p));
			if (p) {
				c->named = p;
				c->named[c->nnamed].name = strdup(name);
				c->named[c->nnamed++].inst = inst;
			}
		}
		report(c, kind, PASS, NULL);
	} else if (!strcmp(type, "register")) {
		inst = find_instance(c, ccctl_json_get_string(cmd, "name"));
		const char *as = ccctl_json_get_string(cmd, "as");
		if (!inst || !as || wasm_linker_define_instance(c->linker, as, inst))
			report(c, kind, FAIL, "cannot register");
		else
			report(c, kind, PASS, NULL);
	} else if (!strcmp(type, "action")) {
		rc = do_action(c, action, res, &nres, &err);
		report(c, kind, rc ? FAIL : PASS, "%s", err.msg);
	} else if (!strcmp(type, "assert_return")) {
		const struct ccctl_json *exp = ccctl_json_get(cmd, "expected");
		size_t nexp = exp && exp->type == CCCTL_JSON_ARRAY ? exp->u.arr.n : 0;
		rc = do_action(c, action, res, &nres, &err);
		if (rc) {
			report(c, kind, FAIL, "%s", err.msg);
			return;
		}
		if (nres != nexp) {
			report(c, kind, FAIL, "expected %zu results, got %zu", nexp, nres);
			return;
		}
		for (size_t i = 0; i < nexp; i++) {
			if (!match_value(exp->u.arr.items[i], &res[i])) {
				report(c, kind, FAIL, "result %zu: got 0x%llx", i,
				       (unsigned long long)res[i].u.i64);
				return;
			}
		}
		report(c, kind, PASS, NULL);
	} else if (!strcmp(type, "assert_trap") || !strcmp(type, "assert_exhaustion")) {
		if (action)
			rc = do_action(c, action, res, &nres, &err);
		else
			rc = instantiate_file(c, filename, &inst, &err);
		if (rc != WASM_ERR_TRAP)
			report(c, kind, FAIL, "expected trap \"%s\", got %d %s", text, rc, err.msg);
		else if (kind == 5 && (err.trap == WASM_TRAP_CALL_DEPTH || err.trap == WASM_TRAP_STACK))
			report(c, kind, PASS, NULL);
		else if (!trap_text_matches(&err, text))
			report(c, kind, FAIL, "expected trap \"%s\", got \"%s\"", text, err.msg);
		else
			report(c, kind, PASS, NULL);
	} else if (!strcmp(type, "assert_invalid") || !strcmp(type, "assert_malformed")) {
		rc = load_file(c, filename, &m, &err);
		if (rc == 0 || rc == -100)
			report(c, kind, FAIL, "expected \"%s\": module loaded", text);
		else
			report(c, kind, PASS, "\"%s\": %s", text, err.msg);
		wasm_module_free(m);
	} else if (!strcmp(type, "assert_uninstantiable") || !strcmp(type, "assert_unlinkable")) {
		rc = instantiate_file(c, filename, &inst, &err);
		if (rc == 0 || rc == -100 || rc == WASM_ERR_MALFORMED || rc == WASM_ERR_INVALID)
			report(c, kind, FAIL, "expected \"%s\", got %d %s", text, rc, err.msg);
		else
			report(c, kind, PASS, "\"%s\": %s", text, err.msg);
	} else {
		report(c, kind, SKIP, "unknown command %s", type);
	}
}

/* ---- files ----------------------------------------------------------------- */

static int convert(const char *wast2json, const char *wast, const char *json)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp(wast2json, wast2json, wast, "-o", json, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void run_file(const char *wast2json, const char *wast, unsigned long sums[NRES + 1])
{
	char dir[] = "/tmp/ccctl-wasm-spec-XXXXXX";
	char json[4200];
	const char *base = strrchr(wast, '/') ? strrchr(wast, '/') + 1 : wast;
	struct ctx c = { .file = base };
	struct ccctl_buf b;
	struct ccctl_json *root = NULL;
	const struct ccctl_json *cmds;

	ccctl_buf_init(&b);
	if (!strncmp(base, "simd_", 5)) {
		printf("%-32s %8s %8s %8s %8s\n", base, "-", "-", "-", "skipped (simd)");
		sums[NRES]++;
		return;
	}
	if (!mkdtemp(dir)) {
		printf("%-32s cannot create a temporary folder\n", base);
		sums[FAIL]++;
		return;
	}
	c.dir = dir;
	snprintf(json, sizeof(json), "%s/x.json", dir);
	if (convert(wast2json, wast, json) || ccctl_file_read(&b, json, 256u << 20) ||
	    ccctl_json_parse(&root, b.data, b.len)) {
		printf("%-32s conversion failed\n", base);
		sums[FAIL]++;
		goto out;
	}
	c.store = wasm_store_new(NULL);
	c.linker = wasm_linker_new();
	if (!c.store || !c.linker || define_spectest(c.store, c.linker)) {
		printf("%-32s out of memory\n", base);
		sums[FAIL]++;
		goto out;
	}
	cmds = ccctl_json_get(root, "commands");
	for (size_t i = 0; cmds && cmds->type == CCCTL_JSON_ARRAY && i < cmds->u.arr.n; i++)
		run_command(&c, cmds->u.arr.items[i]);
	printf("%-32s %8lu %8lu %8lu %8lu\n", base, c.res[PASS], c.res[FAIL], c.res[SKIP] - c.text,
	       c.text);
	for (int k = 0; k < NRES; k++)
		sums[k] += c.res[k];
out:
	wasm_linker_free(c.linker);
	wasm_store_free(c.store);
	for (size_t i = 0; i < c.nmodules; i++)
		wasm_module_free(c.modules[i]);
	free(c.modules);
	for (size_t i = 0; i < c.nnamed; i++)
		free(c.named[i].name);
	free(c.named);
	ccctl_json_free(root);
	ccctl_buf_release(&b);
	remove_dir(dir);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *wast2json = getenv("WAST2JSON");
	const char *testdata = getenv("CCCTL_TESTDATA");
	char **files = NULL;
	size_t nfiles = 0;
	unsigned long sums[NRES + 1] = { 0 };
	char dirpath[4096];
	int argi = 1;

	if (argi < argc && !strcmp(argv[argi], "-v")) {
		verbose = true;
		argi++;
	}
	if (!wast2json || !*wast2json)
		wast2json = "wast2json";
	if (argi < argc) {
		files = calloc((size_t)(argc - argi), sizeof(*files));
		for (; argi < argc && files; argi++)
			files[nfiles++] = strdup(argv[argi]);
	} else {
		DIR *d;
		struct dirent *e;

		if (!testdata || !*testdata) {
			printf("wasm-spec: CCCTL_TESTDATA is not set; skipped\n");
			return 77;
		}
		snprintf(dirpath, sizeof(dirpath), "%s/wasm-spec", testdata);
		d = opendir(dirpath);
		if (!d) {
			printf("wasm-spec: %s is absent; skipped\n", dirpath);
			return 77;
		}
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			char **p;
			if (len < 6 || strcmp(e->d_name + len - 5, ".wast"))
				continue;
			p = realloc(files, (nfiles + 1) * sizeof(*p));
			if (!p)
				break;
			files = p;
			files[nfiles] = malloc(strlen(dirpath) + len + 2);
			if (files[nfiles])
				sprintf(files[nfiles++], "%s/%s", dirpath, e->d_name);
		}
		closedir(d);
		qsort(files, nfiles, sizeof(*files), cmp_str);
	}
	if (convert(wast2json, "--version", "/dev/null") && access("/usr/bin/wast2json", X_OK)) {
		printf("wasm-spec: wast2json not found (install wabt); skipped\n");
		return 77;
	}
	printf("%-32s %8s %8s %8s %8s\n", "file", "passed", "failed", "skipped", "text");
	for (size_t i = 0; i < nfiles; i++) {
		run_file(wast2json, files[i], sums);
		fflush(stdout);
		free(files[i]);
	}
	free(files);
	printf("\n%-24s %8s %8s %8s\n", "command", "passed", "failed", "skipped");
	for (size_t k = 0; k < NKINDS; k++)
		if (totals[k][PASS] + totals[k][FAIL] + totals[k][SKIP])
			printf("%-24s %8lu %8lu %8lu\n", kinds[k], totals[k][PASS], totals[k][FAIL],
			       totals[k][SKIP]);
	printf("%-24s %8lu %8lu %8lu  (%lu text-format modules skipped, %lu simd files)\n",
	       "total", sums[PASS], sums[FAIL], sums[SKIP], text_skipped, sums[NRES]);
	return sums[FAIL] ? 1 : 0;
}
