/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run.c - run the policy's programs over the stored inputs, inside the
 * engine and the WASI layer, with exactly the rights the policy gives:
 *
 *  - every folder a program may read or write (a `reads`/`writes` entry
 *    ending in '/', or the folder of a file entry) becomes a preopened
 *    in-memory folder; only folders named by `writes` are writable;
 *  - the inputs a program's `reads` cover are placed in those folders;
 *  - standard output and error are captured (bounded) and routed like any
 *    other output; standard input is empty;
 *  - the clock is fixed at zero unless options.clock, random_get works
 *    unless options.random is false;
 *  - memory, fuel and wall-clock limits come from the policy.
 *
 * Results are copied out of the in-memory folders into st->outputs; a
 * program that did not write one of its outputs fails the run.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"
#include "runtime/http.h"
#include "runtime/rt.h"
#include "runtime/wasi/fs.h"
#include "runtime/wasi/wasi.h"
#include "runtime/wasm/wasm.h"

#define MAX_FOLDERS 32
#define MAX_CAPTURE (64u << 20)

struct folder {
	char path[RT_HTTP_MAX_PATH]; /* "/input", no trailing '/' */
	bool writable;
	bool given;	  /* handed to the rt_wasi, which frees it */
	struct rt_fs *fs; /* still readable after the run for the results */
};

/* "/input/" -> "/input"; "/input/a.csv" -> "/input". */
static void folder_of(char *out, size_t size, const char *rule)
{
	size_t n = strlen(rule);
	const char *slash;

	if (n > 1 && rule[n - 1] == '/') {
		snprintf(out, size, "%.*s", (int)(n - 1), rule);
		return;
	}
	slash = strrchr(rule, '/');
	if (!slash || slash == rule)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - rule), rule);
}

static bool covered(char *const *rules, size_t n, const char *path)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(rules[i]);
		if (rules[i][len - 1] == '/' ? strncmp(path, rules[i], len) == 0
					     : strcmp(path, rules[i]) == 0)
			return true;
	}
	return false;
}

static struct folder *add_folder(struct folder *f, size_t *n, const char *rule, bool writable)
{
	char path[RT_HTTP_MAX_PATH];
	size_t i;

	folder_of(path, sizeof(path), rule);
	for (i = 0; i < *n; i++) {
		if (strcmp(f[i].path, path) == 0) {
			f[i].writable |= writable;
			return &f[i];
		}
	}
	if (*n >= MAX_FOLDERS)
		return NULL;
	snprintf(f[*n].path, sizeof(f[*n].path), "%s", path);
	f[*n].writable = writable;
	f[*n].given = false;
	f[*n].fs = NULL;
	return &f[(*n)++];
}

/* The folder an absolute path lies in (longest match), or NULL. */
static struct folder *folder_for(struct folder *f, size_t n, const char *path, const char **rel)
{
	struct folder *best = NULL;
	size_t i, blen = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(f[i].path);
		if (strcmp(f[i].path, "/") == 0)
			len = 0;
		if (strncmp(path, f[i].path, len) == 0 && path[len] == '/' && len >= blen) {
			best = &f[i];
			blen = len;
		}
	}
	if (best)
		*rel = path + blen + 1;
	return best;
}

struct watchdog {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	struct wasm_store *store;
	uint64_t timeout_s;
	bool fired;
};

static void *watchdog_main(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)w->timeout_s;
	pthread_mutex_lock(&w->lock);
	while (!w->done) {
		if (pthread_cond_timedwait(&w->cond, &w->lock, &until) == ETIMEDOUT) {
			if (!w->done) {
				w->fired = true;
				wasm_store_interrupt(w->store);
			}
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int run_one(struct rt_state *st, size_t pi, char *err, size_t errlen)
{
	const struct ccctl_policy *p = st->policy;
	const struct ccctl_policy_program *g = &p->programs[pi];
	struct folder folders[MAX_FOLDERS];
	size_t nf = 0, i;
	struct wasm_limits lim;
	struct wasm_module *mod = NULL;
	struct wasm_store *store = NULL;
	struct wasm_linker *linker = NULL;
	struct wasm_instance *inst = NULL;
	struct rt_wasi *wasi = NULL;
	struct rt_wasi_config cfg;
	struct wasm_error werr;
	struct ccctl_buf out_cap, err_cap;
	const char **argv = NULL;
	struct watchdog wd;
	pthread_t wdt;
	bool wd_started = false;
	uint32_t status = 0;
	int rc = CCCTL_EFAIL;

	memset(&werr, 0, sizeof(werr));
	memset(&cfg, 0, sizeof(cfg));
	ccctl_buf_init(&out_cap);
	ccctl_buf_init(&err_cap);

	/* Folders and their contents. */
	for (i = 0; i < g->nreads; i++)
		if (!add_folder(folders, &nf, g->reads[i], false))
			goto toomany;
	for (i = 0; i < g->nwrites; i++)
		if (!add_folder(folders, &nf, g->writes[i], true))
			goto toomany;
	for (i = 0; i < nf; i++) {
		struct rt_fs_mem_limits ml = {p->limits.max_input, p->limits.max_input * 4,
					      RT_FS_MEM_DEFAULT_NODES};
		if (rt_fs_mem_new(&folders[i].fs, &ml) != 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	for (i = 0; i < p->ninputs; i++) {
		const char *rel = NULL;
		struct folder *f;

		if (!covered(g->reads, g->nreads, p->inputs[i].path))
			continue;
		f = folder_for(folders, nf, p->inputs[i].path, &rel);
		if (!f || rt_fs_mem_put(f->fs, rel, st->inputs[i].data, st->inputs[i].len) != 0) {
			snprintf(err, errlen, "cannot place input %s", p->inputs[i].path);
			goto out;
		}
	}

	/* Engine with the policy's limits. */
	wasm_limits_default(&lim);
	lim.max_memory_pages = (uint32_t)(p->limits.memory / WASM_PAGE_SIZE);
	lim.fuel = p->limits.fuel;
	if (wasm_module_load(&mod, st->programs[pi].data, st->programs[pi].len, &lim, &werr) != 0) {
		snprintf(err, errlen, "program %s: invalid module: %s", g->name, werr.msg);
		goto out;
	}
	store = wasm_store_new(&lim);
	linker = wasm_linker_new();
	argv = calloc(g->nargs + 1, sizeof(*argv));
	if (!store || !linker || !argv) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	wasm_store_set_fuel(store, p->limits.fuel);
	argv[0] = g->name;
	for (i = 0; i < g->nargs; i++)
		argv[i + 1] = g->args[i];
	cfg.argv = argv;
	cfg.argc = g->nargs + 1;
	cfg.clock = p->options.clock;
	cfg.random = p->options.random;
	cfg.stdio[0].hostfd = -1;
	cfg.stdio[1].hostfd = -1;
	cfg.stdio[1].capture = &out_cap;
	cfg.stdio[1].capture_max = MAX_CAPTURE;
	cfg.stdio[2].hostfd = -1;
	cfg.stdio[2].capture = &err_cap;
	cfg.stdio[2].capture_max = MAX_CAPTURE;
	if (rt_wasi_new(&wasi, &cfg) != 0) {
		snprintf(err, errlen, "program %s: %s", g->name, ccctl_err_msg());
		goto out;
	}
	for (i = 0; i < nf; i++) {
		/* The rt_wasi owns it from now on, also on failure. */
		folders[i].given = true;
		if (rt_wasi_preopen(wasi, folders[i].fs, folders[i].path, folders[i].writable) !=
		    0) {
			folders[i].fs = NULL;
			snprintf(err, errlen, "program %s: %s", g->name, ccctl_err_msg());
			goto out;
		}
	}
	if (rt_wasi_define(wasi, linker, store) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (wasm_instantiate(&inst, store, mod, linker, &werr) != 0) {
		snprintf(err, errlen, "program %s: %s", g->name, werr.msg);
		goto out;
	}

	/* Wall-clock limit. */
	memset(&wd, 0, sizeof(wd));
	pthread_mutex_init(&wd.lock, NULL);
	pthread_cond_init(&wd.cond, NULL);
	wd.store = store;
	wd.timeout_s = p->limits.timeout_s;
	wd_started = pthread_create(&wdt, NULL, watchdog_main, &wd) == 0;
	rc = rt_wasi_run(wasi, store, inst, &status, &werr);
	if (wd_started) {
		pthread_mutex_lock(&wd.lock);
		wd.done = true;
		pthread_cond_signal(&wd.cond);
		pthread_mutex_unlock(&wd.lock);
		pthread_join(wdt, NULL);
	}
	if (rc != 0) {
		if (wd.fired)
			snprintf(err, errlen, "program %s: timeout after %llu s", g->name,
				 (unsigned long long)p->limits.timeout_s);
		else if (werr.code == WASM_ERR_TRAP && werr.trap == WASM_TRAP_FUEL)
			snprintf(err, errlen, "program %s: out of fuel (limit %llu)", g->name,
				 (unsigned long long)p->limits.fuel);
		else
			snprintf(err, errlen, "program %s: %s", g->name, ccctl_err_msg());
		rc = CCCTL_EFAIL;
		goto out;
	}
	if (status != 0) {
		snprintf(err, errlen, "program %s exited with status %u", g->name, status);
		rc = CCCTL_EFAIL;
		goto out;
	}

	/* Collect this program's outputs. */
	for (i = 0; i < p->noutputs; i++) {
		const struct ccctl_policy_output *o = &p->outputs[i];
		const uint8_t *data = NULL;
		size_t len = 0;
		const char *rel = NULL;
		struct folder *f;

		if (strcmp(o->program, g->name) != 0)
			continue;
		if (strcmp(o->path, "stdout") == 0) {
			data = out_cap.data;
			len = out_cap.len;
		} else if (strcmp(o->path, "stderr") == 0) {
			data = err_cap.data;
			len = err_cap.len;
		} else if (!(f = folder_for(folders, nf, o->path, &rel)) || !f->fs ||
			   rt_fs_mem_get(f->fs, rel, &data, &len) != 0) {
			snprintf(err, errlen, "program %s did not write %s", g->name, o->path);
			rc = CCCTL_EFAIL;
			goto out;
		}
		st->outputs[i].data = malloc(len ? len : 1);
		if (!st->outputs[i].data) {
			snprintf(err, errlen, "out of memory");
			rc = CCCTL_EFAIL;
			goto out;
		}
		if (len)
			memcpy(st->outputs[i].data, data, len);
		st->outputs[i].len = len;
		st->outputs[i].present = true;
	}
	rc = 0;
	goto out;
toomany:
	snprintf(err, errlen, "program %s: more than %d folders", g->name, MAX_FOLDERS);
out:
	if (wd_started) {
		pthread_mutex_destroy(&wd.lock);
		pthread_cond_destroy(&wd.cond);
	}
	/* Preopened folders belong to the rt_wasi; the others are ours. */
	for (i = 0; i < nf; i++)
		if (!folders[i].given)
			rt_fs_free(folders[i].fs);
	rt_wasi_free(wasi);
	wasm_linker_free(linker);
	wasm_store_free(store);
	wasm_module_free(mod);
	free(argv);
	ccctl_buf_release_secure(&out_cap);
	ccctl_buf_release_secure(&err_cap);
	return rc;
}

int rt_run_programs(struct rt_state *st, char *err, size_t errlen)
{
	size_t i;
	int rc;

	for (i = 0; i < st->policy->nprograms; i++) {
		rc = run_one(st, i, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}
