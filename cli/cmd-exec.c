/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-exec.c - `ccctl exec`: run a WebAssembly/WASI program in the
 * runtime's engine and WASI layer as a local process, without an isolate
 * (for developing and debugging programs).
 *
 * Exit status: the program's own (0 when _start returns, else the
 * proc_exit code), 3 for a module that fails to decode, validate or link,
 * 134 with "trap: <reason>" when it traps (fuel and memory limits
 * included), 2 for usage errors, 1 otherwise.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/units.h"
#include "runtime/wasi/wasi.h"
#include "runtime/wasm/wasm.h"

#define EXEC_TRAP_STATUS 134
#define EXEC_DEFAULT_MEMORY (256ull << 20)

static const struct cli_opt opts[] = {
	{ 0, "dir", "HOSTDIR::GUESTDIR", "make a host folder visible to the program", true },
	{ 0, "fuel", "N", "instruction budget (default: unlimited)", false },
	{ 0, "max-memory", "SIZE", "cap on linear memory, e.g. 64MiB (default: 256MiB)", false },
	{ 0, "env", "K=V", "set an environment variable for the program", true },
	{ 0, "stats", NULL, "print fuel used and wall time on stderr", false },
	CLI_OPT_END,
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Map every --dir HOSTDIR::GUESTDIR (split at the last "::"). */
static int exec_preopens(const struct cli_ctx *ctx, struct rt_wasi *w)
{
	const char *const *dirs;
	size_t n;
	int rc = 0;

	dirs = cli_opt_all(ctx, "dir", &n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *sep = NULL, *p = dirs[i];
		struct rt_fs *fs = NULL;
		char *host;

		while ((p = strstr(p, "::")) != NULL)
			sep = p++;
		if (!sep || sep == dirs[i] || !sep[2])
			return cli_usage_error(ctx, "--dir '%s': expected HOSTDIR::GUESTDIR", dirs[i]);
		host = strndup(dirs[i], (size_t)(sep - dirs[i]));
		if (!host)
			return ccctl_err_nomem();
		rc = rt_fs_host_new(&fs, host);
		free(host);
		if (rc == 0)
			rc = rt_wasi_preopen(w, fs, sep + 2, true);
	}
	return rc;
}

static int parse_limits(const struct cli_ctx *ctx, struct wasm_limits *lim)
{
	uint64_t v = EXEC_DEFAULT_MEMORY;
	const char *s;

	wasm_limits_default(lim);
	lim->fuel = UINT64_MAX - 1; /* metered, so --stats can tell the fuel used */
	s = cli_opt_str(ctx, "fuel");
	if (s && ccctl_units_parse_uint(&lim->fuel, s) != 0)
		return cli_usage_error(ctx, "--fuel '%s': expected a whole number", s);
	s = cli_opt_str(ctx, "max-memory");
	if (s && ccctl_units_parse_size(&v, s) != 0)
		return cli_usage_error(ctx, "--max-memory '%s': expected a size like 64MiB", s);
	if (v < WASM_PAGE_SIZE)
		return cli_usage_error(ctx, "--max-memory '%s': expected at least 64KiB", s);
	v /= WASM_PAGE_SIZE;
	if (v < lim->max_memory_pages)
		lim->max_memory_pages = (uint32_t)v;
	return 0;
}

/*
 * Instantiate the module and run its _start.  Returns the exit status for
 * ccctl: the program's own (0-255), or EXEC_TRAP_STATUS after printing
 * "trap: <reason>" (a resource limit at instantiation counts as a trap);
 * a negative error code when it could not run at all.
 */
static int exec_instance(const struct cli_ctx *ctx, struct rt_wasi *w, struct wasm_store *store,
			 const struct wasm_module *mod, const struct wasm_linker *linker,
			 const char *path)
{
	struct wasm_instance *inst = NULL;
	struct wasm_error err;
	uint32_t status = 0;
	int rc;

	memset(&err, 0, sizeof(err));
	if (wasm_instantiate(&inst, store, mod, linker, &err) == 0) {
		rc = rt_wasi_run(w, store, inst, &status, &err);
	} else if (err.code == WASM_ERR_TRAP && err.trap == WASM_TRAP_EXIT) {
		rc = 0; /* proc_exit in a start function */
		status = err.exit_code;
	} else if (err.code == WASM_ERR_TRAP || err.code == WASM_ERR_LIMIT) {
		rc = ccctl_err_set(CCCTL_EFAIL, "trap: %s",
				   err.msg[0] ? err.msg : wasm_trap_str(err.trap));
	} else if (err.code == WASM_ERR_NOMEM) {
		rc = ccctl_err_nomem();
	} else {
		rc = ccctl_err_set(CCCTL_EINVAL, "cannot instantiate '%s': %s", path, err.msg);
	}
	if (rc == CCCTL_EFAIL && (err.code == WASM_ERR_TRAP || err.code == WASM_ERR_LIMIT)) {
		cli_error(ctx, "%s", ccctl_err_msg());
		return EXEC_TRAP_STATUS;
	}
	if (rc)
		return rc;
	if (status > 255) {
		cli_error(ctx, "program exit status %u is out of range", (unsigned)status);
		return 1;
	}
	return (int)status;
}

static int run(struct cli_ctx *ctx)
{
	const char *path = ctx->argv[0];
	const char *const *env;
	struct wasm_limits lim, load_lim;
	struct wasm_error err;
	struct rt_wasi_config cfg;
	struct ccctl_buf bytes;
	struct wasm_module *mod = NULL;
	struct wasm_store *store = NULL;
	struct wasm_linker *linker = NULL;
	struct rt_wasi *w = NULL;
	double t0;
	size_t nenv;
	int rc;

	ccctl_buf_init(&bytes);
	memset(&err, 0, sizeof(err));
	rc = parse_limits(ctx, &lim);
	if (rc)
		goto out;
	env = cli_opt_all(ctx, "env", &nenv);
	for (size_t i = 0; i < nenv; i++) {
		if (env[i][0] == '=' || !strchr(env[i], '=')) {
			rc = cli_usage_error(ctx, "--env '%s': expected K=V", env[i]);
			goto out;
		}
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.argv = (const char *const *)ctx->argv;
	cfg.argc = (size_t)ctx->argc;
	cfg.env = env;
	cfg.envc = nenv;
	cfg.clock = false;
	cfg.random = true;
	for (int i = 0; i < 3; i++)
		cfg.stdio[i].hostfd = i;
	rc = rt_wasi_new(&w, &cfg);
	if (rc)
		goto out;
	rc = exec_preopens(ctx, w);
	if (rc)
		goto out;

	rc = ccctl_file_read(&bytes, path, lim.max_module_size);
	if (rc)
		goto out;
	/* the memory cap applies at run time (a trap), not to the module's shape */
	wasm_limits_default(&load_lim);
	if (wasm_module_load(&mod, bytes.data, bytes.len, &load_lim, &err) != 0) {
		rc = err.code == WASM_ERR_NOMEM
			     ? ccctl_err_nomem()
			     : ccctl_err_set(CCCTL_EINVAL, "invalid module '%s': %s", path, err.msg);
		goto out;
	}
	store = wasm_store_new(&lim);
	linker = wasm_linker_new();
	if (!store || !linker) {
		rc = ccctl_err_nomem();
		goto out;
	}
	rc = rt_wasi_define(w, linker, store);
	if (rc)
		goto out;

	t0 = now_seconds();
	rc = exec_instance(ctx, w, store, mod, linker, path);
	if (rc >= 0 && cli_opt_given(ctx, "stats"))
		fprintf(stderr, "fuel used: %llu\nwall time: %.3f s\n",
			(unsigned long long)(lim.fuel - wasm_store_fuel(store)), now_seconds() - t0);
out:
	wasm_linker_free(linker);
	wasm_store_free(store);
	wasm_module_free(mod);
	rt_wasi_free(w);
	ccctl_buf_release(&bytes);
	return rc;
}

const struct cli_cmd cmd_exec = {
	.name = "exec",
	.args = "PROGRAM.wasm [-- ARG...]",
	.summary = "run a WebAssembly program without an isolate (for debugging)",
	.opts = opts,
	.min_args = 1,
	.max_args = SIZE_MAX,
	.run = run,
};
