/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-wasm.c - the engine on arbitrary bytes: decode and validate; if the
 * module loads, instantiate it with stub imports (functions that trap,
 * fresh tables/memories/globals of the imported types) under small limits
 * and call every exported function with zero arguments.  Everything is done
 * twice in two stores and must agree (results, traps, fuel): execution is
 * deterministic.  A third run uses the module compiled plain (no fused
 * ops, immediate or register forms) and must agree too: the compiler's
 * rewrites change nothing a program can observe.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/wasm/wasm-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RESULTS 64

static int stub(struct wasm_call *call, void *env, const uint64_t *args, uint64_t *results)
{
	return wasm_call_trap(call, "stub import");
}

static char letter(enum wasm_valtype t)
{
	switch (t) {
	case WASM_I32:
		return 'i';
	case WASM_I64:
		return 'I';
	case WASM_F32:
		return 'f';
	case WASM_F64:
		return 'F';
	case WASM_FUNCREF:
		return 'r';
	default:
		return 'e';
	}
}

static bool type_letters(const enum wasm_valtype *ts, uint32_t n, char *out)
{
	if (n > WASM_HOST_MAX_VALUES)
		return false;
	for (uint32_t i = 0; i < n; i++)
		out[i] = letter(ts[i]);
	out[n] = 0;
	return true;
}

static bool define_stubs(const struct wasm_module *m, struct wasm_store *s, struct wasm_linker *l)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wasm_import_desc *im = &m->imports[i];
		struct wasm_extern ext = { .kind = im->kind };
		char params[WASM_HOST_MAX_VALUES + 1], results[WASM_HOST_MAX_VALUES + 1];
		struct wasm_value v = { .type = im->valtype };

		if (strlen(im->module) != im->module_len || strlen(im->name) != im->name_len)
			continue;
		switch (im->kind) {
		case WASM_EXTERN_FUNC: {
			const struct wasm_functype *ft = m->types[im->type];
			if (!type_letters(ft->params, ft->nparams, params) ||
			    !type_letters(ft->results, ft->nresults, results))
				continue;
			ext.u.func = wasm_func_new_host(s, params, results, stub, NULL);
			break;
		}
		case WASM_EXTERN_TABLE:
			ext.u.table = wasm_table_new(s, im->valtype, im->lim.min, im->lim.max);
			break;
		case WASM_EXTERN_MEMORY:
			ext.u.memory = wasm_memory_new(s, im->lim.min, im->lim.max);
			break;
		case WASM_EXTERN_GLOBAL:
			ext.u.global = wasm_global_new(s, &v, im->mut);
			break;
		}
		if (!ext.u.func) /* any member: they share the storage */
			continue;
		if (wasm_linker_define(l, im->module, im->name, &ext))
			return false;
	}
	return true;
}

/* One run; writes a transcript of what happened to out. */
static void run(const struct wasm_module *m, uint64_t *out, size_t nout)
{
	struct wasm_limits lim;
	struct wasm_store *s;
	struct wasm_linker *l;
	struct wasm_instance *inst = NULL;
	struct wasm_error err;
	size_t k = 0;

	wasm_limits_default(&lim);
	lim.max_memory_pages = 16;
	lim.max_table_elems = 10000;
	lim.max_call_depth = 500;
	lim.max_stack_slots = 1u << 16;
	lim.fuel = 200000;
	s = wasm_store_new(&lim);
	l = wasm_linker_new();
	if (!s || !l || !define_stubs(m, s, l))
		abort();
	out[k++] = (uint64_t)wasm_instantiate(&inst, s, m, l, &err);
	if (inst) {
		for (uint32_t i = 0; i < m->nexports && k + 2 + MAX_RESULTS < nout; i++) {
			const struct wasm_export_desc *e = &m->exports[i];
			struct wasm_value args[WASM_HOST_MAX_VALUES], res[MAX_RESULTS];
			const enum wasm_valtype *pt, *rt;
			size_t np, nr;
			struct wasm_func *f;
			int rc;

			if (e->kind != WASM_EXTERN_FUNC)
				continue;
			f = inst->funcs[e->idx];
			wasm_func_type(f, &pt, &np, &rt, &nr);
			if (np > WASM_HOST_MAX_VALUES || nr > MAX_RESULTS)
				continue;
			memset(args, 0, sizeof(args));
			for (size_t j = 0; j < np; j++)
				args[j].type = pt[j];
			wasm_store_set_fuel(s, 100000);
			rc = wasm_func_call(s, f, args, np, res, nr, &err);
			out[k++] = (uint64_t)rc;
			out[k++] = rc ? (uint64_t)err.trap : 0;
			out[k++] = wasm_store_fuel(s);
			for (size_t j = 0; !rc && j < nr; j++) {
				/* funcref results are addresses: only compare null-ness */
				if (res[j].type == WASM_FUNCREF)
					out[k++] = res[j].u.ref != 0;
				else
					out[k++] = res[j].u.i64;
			}
		}
	}
	wasm_linker_free(l);
	wasm_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wasm_module *m = NULL, *plain = NULL;
	struct wasm_limits lim;
	struct wasm_error err;
	static uint64_t a[4096], b[4096];
	int rc;

	wasm_limits_default(&lim);
	lim.max_module_size = 1u << 20;
	lim.max_memory_pages = 16;
	if (wasm_module_load(&m, data, size, &lim, &err) != 0) {
		if (m || err.code >= 0 || !err.msg[0])
			abort();
		return 0;
	}
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	run(m, a, 4096);
	run(m, b, 4096);
	if (memcmp(a, b, sizeof(a)))
		abort();
	rc = wasm_module_load_as(&plain, data, size, &lim, true, &err);
	if (rc != 0)
		abort(); /* validation does not depend on the code form */
	memset(b, 0, sizeof(b));
	run(plain, b, 4096);
	if (memcmp(a, b, sizeof(a)))
		abort();
	wasm_module_free(plain);
	wasm_module_free(m);
	return 0;
}
