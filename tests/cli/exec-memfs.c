/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec-memfs.c - test driver for the in-memory file system behind the WASI
 * layer (what the runtime uses inside the isolate), driven by
 * tests/cli/exec-memfs.sh:
 *
 *   exec-memfs GUEST.wasm [ARG...]
 *
 * Runs GUEST.wasm with a writable in-memory folder "/data" (small limits:
 * 64-byte files, 160 bytes in all, 8 nodes) holding data/in.txt, and a
 * read-only one "/ro" holding ro/x; stdout and stderr are captured in
 * buffers (at most 4096 bytes).  Prints "status N", then the captured
 * stdout, then every file of /data as "file PATH: CONTENT".
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "runtime/wasi/wasi.h"
#include "runtime/wasm/wasm.h"

static const char *const files[] = { "in.txt", "out.txt", "new/deep.txt", "big", NULL };

int main(int argc, char **argv)
{
	struct rt_fs_mem_limits ml = { 64, 160, 8 };
	struct ccctl_buf mod, out, err;
	struct rt_wasi_config cfg;
	struct wasm_error werr;
	struct rt_fs *data = NULL, *ro = NULL;
	struct rt_wasi *w = NULL;
	struct wasm_module *m = NULL;
	struct wasm_store *s = NULL;
	struct wasm_linker *l = NULL;
	struct wasm_instance *inst = NULL;
	uint32_t status = 0;
	bool data_given = false;
	int rc = 1;

	ccctl_buf_init(&mod);
	ccctl_buf_init(&out);
	ccctl_buf_init(&err);
	if (argc < 2) {
		fprintf(stderr, "usage: exec-memfs GUEST.wasm [ARG...]\n");
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.argv = (const char *const *)argv + 1;
	cfg.argc = (size_t)argc - 1;
	cfg.stdio[0].hostfd = -1;
	cfg.stdio[1] = (struct rt_wasi_stream){ -1, &out, 4096 };
	cfg.stdio[2] = (struct rt_wasi_stream){ -1, &err, 4096 };
	if (ccctl_file_read(&mod, argv[1], 64 << 20) != 0 || rt_fs_mem_new(&data, &ml) != 0 ||
	    rt_fs_mem_new(&ro, NULL) != 0 || rt_fs_mem_put(data, "in.txt", "memory input\n", 13) ||
	    rt_fs_mem_put(ro, "x", "ro", 2) || rt_wasi_new(&w, &cfg) != 0) {
		fprintf(stderr, "setup: %s\n", ccctl_err_msg());
		goto out;
	}
	/* the rt_wasi owns a folder once offered, even when that fails */
	rc = rt_wasi_preopen(w, data, "/data", true);
	data_given = true;
	if (rc == 0)
		rc = rt_wasi_preopen(w, ro, "/ro", false);
	ro = NULL;
	if (rc != 0) {
		rc = 1;
		fprintf(stderr, "preopen: %s\n", ccctl_err_msg());
		goto out;
	}
	rc = 1;
	if (wasm_module_load(&m, mod.data, mod.len, NULL, &werr) != 0) {
		fprintf(stderr, "load: %s\n", werr.msg);
		goto out;
	}
	s = wasm_store_new(NULL);
	l = wasm_linker_new();
	if (!s || !l || rt_wasi_define(w, l, s) != 0 ||
	    wasm_instantiate(&inst, s, m, l, &werr) != 0) {
		fprintf(stderr, "instantiate: %s\n", werr.msg);
		goto out;
	}
	if (rt_wasi_run(w, s, inst, &status, &werr) != 0) {
		fprintf(stderr, "run: %s\n", ccctl_err_msg());
		goto out;
	}
	printf("status %u\n", (unsigned)status);
	fwrite(out.data, 1, out.len, stdout);
	for (size_t i = 0; files[i]; i++) {
		const uint8_t *d;
		size_t n;
		int e = rt_fs_mem_get(data, files[i], &d, &n);

		if (e)
			printf("file %s: errno %d\n", files[i], e);
		else
			printf("file %s: %.*s\n", files[i], (int)n, (const char *)d);
	}
	if (err.len) {
		printf("stderr: ");
		fwrite(err.data, 1, err.len, stdout);
	}
	rc = 0;
out:
	wasm_linker_free(l);
	wasm_store_free(s);
	wasm_module_free(m);
	rt_wasi_free(w);
	if (!data_given)
		rt_fs_free(data);
	rt_fs_free(ro);
	ccctl_buf_release(&mod);
	ccctl_buf_release(&out);
	ccctl_buf_release(&err);
	return rc;
}
