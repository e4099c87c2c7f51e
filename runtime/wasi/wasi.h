/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasi.h - WASI preview1 host functions for the ccctl engine.
 *
 * One struct rt_wasi holds a program's WASI world: arguments, environment,
 * standard streams, preopened folders (each a struct rt_fs), the descriptor
 * table and the options (clock, randomness).  rt_wasi_define() registers all
 * 46 functions of "wasi_snapshot_preview1" in a linker; the ones outside the
 * supported set return ENOSYS (52).  Every call checks the descriptor's
 * rights and every guest pointer/length through the engine's bounds-checked
 * memory access (EFAULT when out of bounds).
 *
 * Supported: args_*, environ_*, clock_res_get/clock_time_get (a clock fixed
 * at zero unless enabled), random_get (getrandom, unless disabled: ENOSYS),
 * fd_read/write/pread/pwrite/seek/tell/close/fdstat_get/fdstat_set_flags/
 * filestat_get/prestat_get/prestat_dir_name/readdir, path_open,
 * path_create_directory, path_filestat_get, proc_exit, sched_yield.
 *
 * Guest paths are resolved relative to a descriptor's folder and may not be
 * absolute nor contain "..": ENOTCAPABLE.  "." and empty components are
 * skipped.  Symbolic links are never followed (ELOOP).
 */
#ifndef CCCTL_RT_WASI_H
#define CCCTL_RT_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "runtime/wasi/fs.h"
#include "runtime/wasm/wasm.h"

#define RT_WASI_MODULE "wasi_snapshot_preview1"
#define RT_WASI_MAX_FDS 1024

/* A standard stream: a host descriptor (>= 0), else a capture buffer
 * (bounded by capture_max: ENOSPC beyond), else nothing (reads give end of
 * file, writes are discarded). */
struct rt_wasi_stream {
	int hostfd;
	struct ccctl_buf *capture; /* borrowed */
	size_t capture_max;
};

struct rt_wasi_config {
	const char *const *argv; /* argv[0] is the program name */
	size_t argc;
	const char *const *env; /* "KEY=VALUE" strings */
	size_t envc;
	bool clock;  /* real clocks; otherwise every clock reads 0 */
	bool random; /* random_get from getrandom(); otherwise ENOSYS */
	struct rt_wasi_stream stdio[3];
};

struct rt_wasi;

/* Copies argv/env.  0, CCCTL_EINVAL (argument/environment sizes beyond
 * what 32-bit guest memory can take, "=" missing in an env entry) or
 * CCCTL_EFAIL (out of memory). */
int rt_wasi_new(struct rt_wasi **out, const struct rt_wasi_config *cfg);
void rt_wasi_free(struct rt_wasi *w);

/* Add a preopened folder named guest_name (e.g. "/data") backed by fs,
 * which the rt_wasi now owns (also on failure).  Without writable, the
 * folder and everything under it is read-only (no write/create rights).
 * Preopens get descriptors 3, 4, ... in the order added. */
int rt_wasi_preopen(struct rt_wasi *w, struct rt_fs *fs, const char *guest_name, bool writable);

/* Register the 46 functions of RT_WASI_MODULE in l, created in store s.
 * The rt_wasi must outlive every call through them.  0 or CCCTL_EFAIL. */
int rt_wasi_define(struct rt_wasi *w, struct wasm_linker *l, struct wasm_store *s);

/*
 * Run the command: call the instance's exported "_start" (no parameters, no
 * results).  *status gets the exit status: 0 when _start returns, the
 * proc_exit code otherwise.  Returns 0 (finished, *status set),
 * CCCTL_EINVAL (no suitable "_start"), or CCCTL_EFAIL when it trapped (err
 * then holds the trap; the message is set to "trap: <reason>").
 */
int rt_wasi_run(struct rt_wasi *w, struct wasm_store *s, struct wasm_instance *inst,
		uint32_t *status, struct wasm_error *err);

#endif
