/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - run-time objects: stores, memories, tables, globals, host
 * functions, the linker, instantiation and calls from the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm-internal.h"

static const char *const trap_names[] = {
	[WASM_TRAP_NONE] = "no trap",
	[WASM_TRAP_UNREACHABLE] = "unreachable",
	[WASM_TRAP_MEM_OOB] = "out of bounds memory access",
	[WASM_TRAP_TABLE_OOB] = "out of bounds table access",
	[WASM_TRAP_UNDEFINED_ELEMENT] = "undefined element",
	[WASM_TRAP_UNINIT_ELEMENT] = "uninitialized element",
	[WASM_TRAP_INDIRECT_TYPE] = "indirect call type mismatch",
	[WASM_TRAP_DIV_ZERO] = "integer divide by zero",
	[WASM_TRAP_INT_OVERFLOW] = "integer overflow",
	[WASM_TRAP_INVALID_CONV] = "invalid conversion to integer",
	[WASM_TRAP_CALL_DEPTH] = "call stack exhausted",
	[WASM_TRAP_STACK] = "value stack exhausted",
	[WASM_TRAP_FUEL] = "fuel exhausted",
	[WASM_TRAP_INTERRUPTED] = "interrupted",
	[WASM_TRAP_HOST] = "host function trapped",
	[WASM_TRAP_EXIT] = "exit",
};

const char *wasm_trap_str(enum wasm_trap trap)
{
	if ((size_t)trap >= sizeof(trap_names) / sizeof(trap_names[0]))
		return "unknown trap";
	return trap_names[trap];
}

void wasm_error_set(struct wasm_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->code = code;
	err->trap = WASM_TRAP_NONE;
	err->exit_code = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* ---- stores ----------------------------------------------------------- */

struct wasm_store *wasm_store_new(const struct wasm_limits *lim)
{
	struct wasm_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (lim)
		s->lim = *lim;
	else
		wasm_limits_default(&s->lim);
	if (s->lim.max_stack_slots < 16)
		s->lim.max_stack_slots = 16;
	if (s->lim.max_call_depth < 1)
		s->lim.max_call_depth = 1;
	s->fuel = s->lim.fuel;
	s->stack = calloc(s->lim.max_stack_slots, sizeof(uint64_t));
	s->frames = calloc((size_t)s->lim.max_call_depth + 1, sizeof(*s->frames));
	if (!s->stack || !s->frames) {
		free(s->stack);
		free(s->frames);
		free(s);
		return NULL;
	}
	s->stack_end = s->stack + s->lim.max_stack_slots;
	s->sp = s->stack;
	return s;
}

static void instance_free(struct wasm_instance *inst)
{
	if (inst->elem_refs) {
		for (uint32_t i = 0; i < inst->nelems; i++)
			free(inst->elem_refs[i]);
	}
	free(inst->elem_refs);
	free(inst->elem_len);
	free(inst->data_len);
	free(inst->funcs);
	free(inst->tables);
	free(inst->mems);
	free(inst->globals);
	free(inst);
}

void wasm_store_free(struct wasm_store *s)
{
	if (!s)
		return;
	while (s->instances) {
		struct wasm_instance *n = s->instances->next;
		instance_free(s->instances);
		s->instances = n;
	}
	while (s->funcs) {
		struct wasm_func *n = s->funcs->next;
		if (!s->funcs->inst)
			free((void *)s->funcs->type);
		free(s->funcs);
		s->funcs = n;
	}
	while (s->memories) {
		struct wasm_memory *n = s->memories->next;
		free(s->memories->data);
		free(s->memories);
		s->memories = n;
	}
	while (s->tables) {
		struct wasm_table *n = s->tables->next;
		free(s->tables->elems);
		free(s->tables);
		s->tables = n;
	}
	while (s->globals) {
		struct wasm_global *n = s->globals->next;
		free(s->globals);
		s->globals = n;
	}
	free(s->stack);
	free(s->frames);
	free(s);
}

void wasm_store_set_fuel(struct wasm_store *s, uint64_t fuel)
{
	s->fuel = fuel;
}

uint64_t wasm_store_fuel(const struct wasm_store *s)
{
	return s->fuel;
}

void wasm_store_interrupt(struct wasm_store *s)
{
	s->interrupt = 1;
}

/* ---- memories, tables, globals ----------------------------------------- */

/* Ask for transparent huge pages over a linear memory's whole pages:
 * programs that roam a large memory (hash tables) spend much of their time
 * in TLB misses with 4 KiB pages.  Advice only; nothing depends on it. */
static void advise_huge(uint8_t *p, uint64_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + size) & ~(uintptr_t)4095;

	if (size >= (2u << 20) && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

struct wasm_memory *wasm_memory_new(struct wasm_store *s, uint32_t min, uint32_t max)
{
	struct wasm_memory *m;

	if (min > s->lim.max_memory_pages || min > 65536)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->pages = min;
	m->max = max;
	m->limit = s->lim.max_memory_pages < 65536 ? s->lim.max_memory_pages : 65536;
	m->size = (uint64_t)min * WASM_PAGE_SIZE;
	m->data = calloc(m->size ? m->size : 1, 1);
	if (!m->data) {
		free(m);
		return NULL;
	}
	advise_huge(m->data, m->size);
	m->next = s->memories;
	s->memories = m;
	return m;
}

int64_t wasm_memory_grow_pages(struct wasm_memory *m, uint32_t delta)
{
	uint64_t pages = (uint64_t)m->pages + delta;
	uint8_t *p;
	uint32_t old = m->pages;

	if (pages > m->max || pages > m->limit)
		return -1;
	if (delta == 0)
		return old;
	p = realloc(m->data, pages * WASM_PAGE_SIZE);
	if (!p)
		return -1;
	advise_huge(p, pages * WASM_PAGE_SIZE);
	memset(p + m->size, 0, pages * WASM_PAGE_SIZE - m->size);
	m->data = p;
	m->pages = (uint32_t)pages;
	m->size = pages * WASM_PAGE_SIZE;
	return old;
}

int64_t wasm_memory_grow(struct wasm_memory *mem, uint32_t delta)
{
	return wasm_memory_grow_pages(mem, delta);
}

uint8_t *wasm_memory_data(const struct wasm_memory *mem)
{
	return mem->data;
}

uint64_t wasm_memory_size(const struct wasm_memory *mem)
{
	return mem->size;
}

void *wasm_memory_ptr(const struct wasm_memory *mem, uint64_t addr, uint64_t len)
{
	if (!mem || addr > mem->size || len > mem->size - addr)
		return NULL;
	return mem->data + addr;
}

struct wasm_table *wasm_table_new(struct wasm_store *s, enum wasm_valtype elem, uint32_t min,
				  uint32_t max)
{
	struct wasm_table *t;

	if (min > s->lim.max_table_elems)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->elem = elem;
	t->size = min;
	t->max = max;
	t->limit = s->lim.max_table_elems;
	t->elems = calloc(min ? min : 1, sizeof(uintptr_t));
	if (!t->elems) {
		free(t);
		return NULL;
	}
	t->next = s->tables;
	s->tables = t;
	return t;
}

int64_t wasm_table_grow_elems(struct wasm_table *t, uint32_t delta, uintptr_t init)
{
	uint64_t n = (uint64_t)t->size + delta;
	uintptr_t *p;
	uint32_t old = t->size;

	if (n > t->max || n > t->limit)
		return -1;
	if (delta == 0)
		return old;
	p = realloc(t->elems, n * sizeof(uintptr_t));
	if (!p)
		return -1;
	for (uint64_t i = t->size; i < n; i++)
		p[i] = init;
	t->elems = p;
	t->size = (uint32_t)n;
	return old;
}

uint32_t wasm_table_size(const struct wasm_table *t)
{
	return t->size;
}

int wasm_table_get(const struct wasm_table *t, uint32_t idx, struct wasm_value *out)
{
	if (idx >= t->size)
		return WASM_ERR_ARG;
	out->type = t->elem;
	out->u.ref = t->elems[idx];
	return 0;
}

struct wasm_global *wasm_global_new(struct wasm_store *s, const struct wasm_value *v,
				    bool mutable_)
{
	struct wasm_global *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->type = v->type;
	g->mut = mutable_;
	switch (v->type) {
	case WASM_I32:
	case WASM_F32:
		g->val = v->u.i32;
		break;
	case WASM_I64:
	case WASM_F64:
		g->val = v->u.i64;
		break;
	default:
		g->val = v->u.ref;
		break;
	}
	g->next = s->globals;
	s->globals = g;
	return g;
}

static void slot_to_value(enum wasm_valtype t, uint64_t slot, struct wasm_value *v)
{
	v->type = t;
	switch (t) {
	case WASM_I32:
	case WASM_F32:
		v->u.i64 = 0;
		v->u.i32 = (uint32_t)slot;
		break;
	case WASM_I64:
	case WASM_F64:
		v->u.i64 = slot;
		break;
	default:
		v->u.ref = (uintptr_t)slot;
		break;
	}
}

static uint64_t value_to_slot(const struct wasm_value *v)
{
	switch (v->type) {
	case WASM_I32:
	case WASM_F32:
		return v->u.i32;
	case WASM_I64:
	case WASM_F64:
		return v->u.i64;
	default:
		return v->u.ref;
	}
}

void wasm_global_get(const struct wasm_global *g, struct wasm_value *out)
{
	slot_to_value(g->type, g->val, out);
}

int wasm_global_set(struct wasm_global *g, const struct wasm_value *v)
{
	if (!g->mut || v->type != g->type)
		return WASM_ERR_ARG;
	g->val = value_to_slot(v);
	return 0;
}

/* ---- host functions ---------------------------------------------------- */

static bool letter_valtype(char c, enum wasm_valtype *t)
{
	switch (c) {
	case 'i':
		*t = WASM_I32;
		return true;
	case 'I':
		*t = WASM_I64;
		return true;
	case 'f':
		*t = WASM_F32;
		return true;
	case 'F':
		*t = WASM_F64;
		return true;
	case 'r':
		*t = WASM_FUNCREF;
		return true;
	case 'e':
		*t = WASM_EXTERNREF;
		return true;
	}
	return false;
}

struct wasm_func *wasm_func_new_host(struct wasm_store *s, const char *params,
				     const char *results, wasm_host_fn fn, void *env)
{
	size_t np = strlen(params), nr = strlen(results), i;
	struct wasm_functype *ft;
	struct wasm_func *f;

	if (np > WASM_HOST_MAX_VALUES || nr > WASM_HOST_MAX_VALUES || !fn)
		return NULL;
	ft = malloc(sizeof(*ft) + (np + nr) * sizeof(ft->types[0]));
	f = calloc(1, sizeof(*f));
	if (!ft || !f)
		goto fail;
	ft->nparams = (uint32_t)np;
	ft->nresults = (uint32_t)nr;
	ft->params = ft->types;
	ft->results = ft->types + np;
	for (i = 0; i < np; i++)
		if (!letter_valtype(params[i], &ft->types[i]))
			goto fail;
	for (i = 0; i < nr; i++)
		if (!letter_valtype(results[i], &ft->types[np + i]))
			goto fail;
	f->type = ft;
	f->host = fn;
	f->env = env;
	f->next = s->funcs;
	s->funcs = f;
	return f;
fail:
	free(ft);
	free(f);
	return NULL;
}

int wasm_call_trap(struct wasm_call *call, const char *fmt, ...)
{
	va_list ap;

	call->store->trap = WASM_TRAP_HOST;
	va_start(ap, fmt);
	vsnprintf(call->store->trap_msg, sizeof(call->store->trap_msg), fmt, ap);
	va_end(ap);
	return -1;
}

int wasm_call_exit(struct wasm_call *call, uint32_t exit_code)
{
	call->store->trap = WASM_TRAP_EXIT;
	call->store->exit_code = exit_code;
	return -1;
}

struct wasm_memory *wasm_call_memory(struct wasm_call *call)
{
	return call->inst && call->inst->mod->nmems ? call->inst->mems[0] : NULL;
}

struct wasm_store *wasm_call_store(struct wasm_call *call)
{
	return call->store;
}

void *wasm_call_mem(struct wasm_call *call, uint64_t addr, uint64_t len)
{
	return wasm_memory_ptr(wasm_call_memory(call), addr, len);
}

void wasm_func_type(const struct wasm_func *f, const enum wasm_valtype **params, size_t *nparams,
		    const enum wasm_valtype **results, size_t *nresults)
{
	*params = f->type->params;
	*nparams = f->type->nparams;
	*results = f->type->results;
	*nresults = f->type->nresults;
}

/* ---- calls ------------------------------------------------------------- */

/* Run f with args already in place at base; results left at base. */
static int call_at(struct wasm_store *s, struct wasm_func *f, uint64_t *base,
		   struct wasm_error *err)
{
	uint64_t *save_sp = s->sp;
	uint32_t save_frames = s->nframes;
	int rc;

	s->trap = WASM_TRAP_NONE;
	s->trap_msg[0] = 0;
	if (s->nframes >= s->lim.max_call_depth) {
		s->trap = WASM_TRAP_CALL_DEPTH;
		rc = WASM_ERR_TRAP;
	} else {
		rc = wasm_interp_call(s, f, base);
	}
	s->sp = save_sp;
	s->nframes = save_frames;
	if (rc) {
		if (err) {
			err->code = WASM_ERR_TRAP;
			err->trap = s->trap;
			err->exit_code = s->exit_code;
			if (s->trap == WASM_TRAP_HOST && s->trap_msg[0])
				snprintf(err->msg, sizeof(err->msg), "%s", s->trap_msg);
			else
				snprintf(err->msg, sizeof(err->msg), "%s", wasm_trap_str(s->trap));
		}
		s->interrupt = 0;
	}
	return rc;
}

int wasm_func_call(struct wasm_store *s, struct wasm_func *f, const struct wasm_value *args,
		   size_t nargs, struct wasm_value *results, size_t nresults,
		   struct wasm_error *err)
{
	const struct wasm_functype *ft = f->type;
	uint64_t *base = s->sp;
	size_t i, need;
	int rc;

	if (nargs != ft->nparams || nresults != ft->nresults) {
		wasm_error_set(err, WASM_ERR_ARG, "wrong number of values: expected %u arguments "
			       "and %u results, got %zu and %zu", ft->nparams, ft->nresults,
			       nargs, nresults);
		return WASM_ERR_ARG;
	}
	for (i = 0; i < nargs; i++) {
		if (args[i].type != ft->params[i]) {
			wasm_error_set(err, WASM_ERR_ARG, "argument %zu has the wrong type", i);
			return WASM_ERR_ARG;
		}
	}
	need = (nargs > nresults ? nargs : nresults) + 1;
	if ((size_t)(s->stack_end - base) < need) {
		wasm_error_set(err, WASM_ERR_TRAP, "%s", wasm_trap_str(WASM_TRAP_STACK));
		if (err)
			err->trap = WASM_TRAP_STACK;
		return WASM_ERR_TRAP;
	}
	for (i = 0; i < nargs; i++)
		base[i] = value_to_slot(&args[i]);
	rc = call_at(s, f, base, err);
	if (rc)
		return rc;
	for (i = 0; i < nresults; i++)
		slot_to_value(ft->results[i], base[i], &results[i]);
	return 0;
}

/* ---- linker ------------------------------------------------------------- */

struct linker_entry {
	char *module, *name;
	struct wasm_extern ext;
};

struct wasm_linker {
	struct linker_entry *items;
	size_t n, cap;
};

struct wasm_linker *wasm_linker_new(void)
{
	return calloc(1, sizeof(struct wasm_linker));
}

void wasm_linker_free(struct wasm_linker *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].module);
		free(l->items[i].name);
	}
	free(l->items);
	free(l);
}

int wasm_linker_define(struct wasm_linker *l, const char *module, const char *name,
		       const struct wasm_extern *ext)
{
	struct linker_entry *e;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->items[i].module, module) && !strcmp(l->items[i].name, name)) {
			l->items[i].ext = *ext;
			return 0;
		}
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct linker_entry *p = realloc(l->items, cap * sizeof(*p));
		if (!p)
			return WASM_ERR_NOMEM;
		l->items = p;
		l->cap = cap;
	}
	e = &l->items[l->n];
	e->module = strdup(module);
	e->name = strdup(name);
	if (!e->module || !e->name) {
		free(e->module);
		free(e->name);
		return WASM_ERR_NOMEM;
	}
	e->ext = *ext;
	l->n++;
	return 0;
}

int wasm_linker_define_host(struct wasm_linker *l, struct wasm_store *s, const char *module,
			    const char *name, const char *params, const char *results,
			    wasm_host_fn fn, void *env)
{
	struct wasm_extern ext = { .kind = WASM_EXTERN_FUNC };

	ext.u.func = wasm_func_new_host(s, params, results, fn, env);
	if (!ext.u.func)
		return WASM_ERR_ARG;
	return wasm_linker_define(l, module, name, &ext);
}

static const struct wasm_extern *linker_find(const struct wasm_linker *l,
					     const struct wasm_import_desc *im)
{
	if (!l)
		return NULL;
	for (size_t i = l->n; i-- > 0;) {
		const struct linker_entry *e = &l->items[i];
		if (strlen(e->module) == im->module_len && strlen(e->name) == im->name_len &&
		    !memcmp(e->module, im->module, im->module_len) &&
		    !memcmp(e->name, im->name, im->name_len))
			return &e->ext;
	}
	return NULL;
}

int wasm_linker_define_instance(struct wasm_linker *l, const char *module,
				struct wasm_instance *inst)
{
	const struct wasm_module *m = inst->mod;

	for (uint32_t i = 0; i < m->nexports; i++) {
		struct wasm_extern ext;
		int rc;

		if (strlen(m->exports[i].name) != m->exports[i].name_len)
			continue; /* names with NUL cannot be looked up by C string */
		wasm_instance_export(inst, m->exports[i].name, &ext);
		rc = wasm_linker_define(l, module, m->exports[i].name, &ext);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- instances ---------------------------------------------------------- */

int wasm_instance_export(const struct wasm_instance *inst, const char *name,
			 struct wasm_extern *out)
{
	return wasm_instance_export_n(inst, name, strlen(name), out);
}

int wasm_instance_export_n(const struct wasm_instance *inst, const char *name, size_t len,
			   struct wasm_extern *out)
{
	const struct wasm_module *m = inst->mod;

	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wasm_export_desc *e = &m->exports[i];
		if (e->name_len != len || memcmp(e->name, name, len))
			continue;
		out->kind = e->kind;
		switch (e->kind) {
		case WASM_EXTERN_FUNC:
			out->u.func = inst->funcs[e->idx];
			break;
		case WASM_EXTERN_TABLE:
			out->u.table = inst->tables[e->idx];
			break;
		case WASM_EXTERN_MEMORY:
			out->u.memory = inst->mems[e->idx];
			break;
		case WASM_EXTERN_GLOBAL:
			out->u.global = inst->globals[e->idx];
			break;
		}
		return 0;
	}
	return WASM_ERR_LINK;
}

struct wasm_func *wasm_instance_func(const struct wasm_instance *inst, const char *name)
{
	struct wasm_extern ext;

	if (wasm_instance_export(inst, name, &ext) || ext.kind != WASM_EXTERN_FUNC)
		return NULL;
	return ext.u.func;
}

struct wasm_memory *wasm_instance_memory(const struct wasm_instance *inst)
{
	return inst->mod->nmems ? inst->mems[0] : NULL;
}

static bool limits_match(uint32_t size, uint32_t max, const struct wasm_limtype *want)
{
	if (size < want->min)
		return false;
	if (want->has_max && (max == UINT32_MAX || max > want->max))
		return false;
	return true;
}

static int resolve_imports(struct wasm_instance *inst, const struct wasm_linker *l,
			   struct wasm_error *err)
{
	const struct wasm_module *m = inst->mod;
	uint32_t fi = 0, ti = 0, mi = 0, gi = 0;

	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wasm_import_desc *im = &m->imports[i];
		const struct wasm_extern *ext = linker_find(l, im);
		bool ok = false;

		if (!ext) {
			wasm_error_set(err, WASM_ERR_LINK, "unknown import \"%s\" \"%s\"",
				       im->module, im->name);
			return WASM_ERR_LINK;
		}
		if (ext->kind == im->kind) {
			switch (im->kind) {
			case WASM_EXTERN_FUNC:
				ok = wasm_functype_equal(ext->u.func->type, m->types[im->type]);
				inst->funcs[fi++] = ext->u.func;
				break;
			case WASM_EXTERN_TABLE:
				ok = ext->u.table->elem == im->valtype &&
				     limits_match(ext->u.table->size, ext->u.table->max, &im->lim);
				inst->tables[ti++] = ext->u.table;
				break;
			case WASM_EXTERN_MEMORY:
				ok = limits_match(ext->u.memory->pages, ext->u.memory->max,
						  &im->lim);
				inst->mems[mi++] = ext->u.memory;
				break;
			case WASM_EXTERN_GLOBAL:
				ok = ext->u.global->type == im->valtype &&
				     ext->u.global->mut == im->mut;
				inst->globals[gi++] = ext->u.global;
				break;
			}
		}
		if (!ok) {
			wasm_error_set(err, WASM_ERR_LINK, "incompatible import type for \"%s\" "
				       "\"%s\"", im->module, im->name);
			return WASM_ERR_LINK;
		}
	}
	return 0;
}

static uint64_t eval_cexpr(const struct wasm_instance *inst, const struct wasm_cexpr *e)
{
	switch (e->kind) {
	case CEXPR_CONST:
		return e->value;
	case CEXPR_GLOBAL:
		return inst->globals[e->value]->val;
	case CEXPR_REF_NULL:
		return 0;
	case CEXPR_REF_FUNC:
		return (uintptr_t)inst->funcs[e->value];
	}
	return 0;
}

static int alloc_objects(struct wasm_instance *inst, struct wasm_error *err)
{
	const struct wasm_module *m = inst->mod;
	struct wasm_store *s = inst->store;
	uint32_t i;

	for (i = m->nfunc_imports; i < m->nfuncs; i++) {
		struct wasm_func *f = calloc(1, sizeof(*f));
		if (!f)
			goto nomem;
		f->type = m->types[m->func_types[i]];
		f->inst = inst;
		f->code = &m->codes[i - m->nfunc_imports];
		f->next = s->funcs;
		s->funcs = f;
		inst->funcs[i] = f;
	}
	for (i = m->ntable_imports; i < m->ntables; i++) {
		const struct wasm_tabledef *t = &m->tables[i];
		if (t->lim.min > s->lim.max_table_elems) {
			wasm_error_set(err, WASM_ERR_LIMIT, "table %u too large: limit %u "
				       "elements, found %u", i, s->lim.max_table_elems, t->lim.min);
			return WASM_ERR_LIMIT;
		}
		inst->tables[i] = wasm_table_new(s, t->elem, t->lim.min, t->lim.max);
		if (!inst->tables[i])
			goto nomem;
	}
	for (i = m->nmem_imports; i < m->nmems; i++) {
		const struct wasm_limtype *l = &m->mems[i];
		if (l->min > s->lim.max_memory_pages) {
			wasm_error_set(err, WASM_ERR_LIMIT, "memory too large: limit %u pages, "
				       "found %u", s->lim.max_memory_pages, l->min);
			return WASM_ERR_LIMIT;
		}
		inst->mems[i] = wasm_memory_new(s, l->min, l->max);
		if (!inst->mems[i])
			goto nomem;
	}
	for (i = m->nglobal_imports; i < m->nglobals; i++) {
		struct wasm_global *g = calloc(1, sizeof(*g));
		if (!g)
			goto nomem;
		g->type = m->globals[i].type;
		g->mut = m->globals[i].mut;
		g->val = eval_cexpr(inst, &m->globals[i].init);
		g->next = s->globals;
		s->globals = g;
		inst->globals[i] = g;
	}
	for (i = 0; i < m->nelems; i++) {
		const struct wasm_elemdef *e = &m->elems[i];
		inst->elem_refs[i] = calloc(e->n ? e->n : 1, sizeof(uintptr_t));
		if (!inst->elem_refs[i])
			goto nomem;
		for (uint32_t k = 0; k < e->n; k++)
			inst->elem_refs[i][k] = (uintptr_t)eval_cexpr(inst, &e->items[k]);
		inst->elem_len[i] = e->mode == SEG_PASSIVE ? e->n : 0;
	}
	for (i = 0; i < m->ndatas; i++)
		inst->data_len[i] = m->datas[i].mode == SEG_PASSIVE ? m->datas[i].len : 0;
	return 0;
nomem:
	wasm_error_set(err, WASM_ERR_NOMEM, "out of memory");
	return WASM_ERR_NOMEM;
}

/* Active segments in order, then the start function. */
static int initialise(struct wasm_instance *inst, struct wasm_error *err)
{
	const struct wasm_module *m = inst->mod;
	uint32_t i;

	for (i = 0; i < m->nelems; i++) {
		const struct wasm_elemdef *e = &m->elems[i];
		struct wasm_table *t;
		uint64_t off;

		if (e->mode != SEG_ACTIVE)
			continue;
		t = inst->tables[e->table];
		off = (uint32_t)eval_cexpr(inst, &e->offset);
		if (off + e->n > t->size) {
			wasm_error_set(err, WASM_ERR_TRAP, "%s",
				       wasm_trap_str(WASM_TRAP_TABLE_OOB));
			if (err)
				err->trap = WASM_TRAP_TABLE_OOB;
			return WASM_ERR_TRAP;
		}
		if (e->n)
			memcpy(t->elems + off, inst->elem_refs[i], e->n * sizeof(uintptr_t));
	}
	for (i = 0; i < m->ndatas; i++) {
		const struct wasm_datadef *d = &m->datas[i];
		struct wasm_memory *mem;
		uint64_t off;

		if (d->mode != SEG_ACTIVE)
			continue;
		mem = inst->mems[d->mem];
		off = (uint32_t)eval_cexpr(inst, &d->offset);
		if (off + d->len > mem->size) {
			wasm_error_set(err, WASM_ERR_TRAP, "%s", wasm_trap_str(WASM_TRAP_MEM_OOB));
			if (err)
				err->trap = WASM_TRAP_MEM_OOB;
			return WASM_ERR_TRAP;
		}
		if (d->len)
			memcpy(mem->data + off, d->bytes, d->len);
	}
	if (m->has_start)
		return call_at(inst->store, inst->funcs[m->start], inst->store->sp, err);
	return 0;
}

int wasm_instantiate(struct wasm_instance **out, struct wasm_store *s,
		     const struct wasm_module *m, const struct wasm_linker *l,
		     struct wasm_error *err)
{
	struct wasm_instance *inst;
	int rc;

	*out = NULL;
	if (err) {
		err->code = 0;
		err->trap = WASM_TRAP_NONE;
		err->msg[0] = 0;
	}
	inst = calloc(1, sizeof(*inst));
	if (!inst) {
		wasm_error_set(err, WASM_ERR_NOMEM, "out of memory");
		return WASM_ERR_NOMEM;
	}
	inst->mod = m;
	inst->store = s;
	inst->funcs = calloc(m->nfuncs + 1, sizeof(*inst->funcs));
	inst->tables = calloc(m->ntables + 1, sizeof(*inst->tables));
	inst->mems = calloc(m->nmems + 1, sizeof(*inst->mems));
	inst->globals = calloc(m->nglobals + 1, sizeof(*inst->globals));
	inst->elem_refs = calloc(m->nelems + 1, sizeof(*inst->elem_refs));
	inst->nelems = m->nelems;
	inst->elem_len = calloc(m->nelems + 1, sizeof(*inst->elem_len));
	inst->data_len = calloc(m->ndatas + 1, sizeof(*inst->data_len));
	/* owned by the store from here on, so partial objects are freed with it */
	inst->next = s->instances;
	s->instances = inst;
	if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals ||
	    !inst->elem_refs || !inst->elem_len || !inst->data_len) {
		wasm_error_set(err, WASM_ERR_NOMEM, "out of memory");
		return WASM_ERR_NOMEM;
	}
	if (!m->nmems) {
		free(inst->mems);
		inst->mems = NULL;
	}
	rc = resolve_imports(inst, l, err);
	if (!rc)
		rc = alloc_objects(inst, err);
	if (!rc)
		rc = initialise(inst, err);
	if (rc)
		return rc;
	*out = inst;
	return 0;
}
