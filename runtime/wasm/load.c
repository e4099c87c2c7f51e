/* SPDX-License-Identifier: Apache-2.0 */
/*
 * load.c - decode and validate a module binary (everything but function
 * bodies, which compile.c validates and compiles).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "reader.h"

void wasm_limits_default(struct wasm_limits *lim)
{
	lim->max_module_size = 256u << 20;
	lim->max_types = 1u << 20;
	lim->max_functions = 1u << 20;
	lim->max_imports = 1u << 16;
	lim->max_exports = 1u << 20;
	lim->max_globals = 1u << 20;
	lim->max_tables = 1u << 16;
	lim->max_segments = 1u << 20;
	lim->max_segment_elems = 10u << 20;
	lim->max_locals = 50000;
	lim->max_function_size = 16u << 20;
	lim->max_block_depth = 10000;
	lim->max_memory_pages = 65536;
	lim->max_table_elems = 10u << 20;
	lim->max_call_depth = 10000;
	lim->max_stack_slots = 1u << 21;
	lim->fuel = UINT64_MAX;
}

static bool is_reftype(uint8_t t)
{
	return t == WASM_FUNCREF || t == WASM_EXTERNREF;
}

bool wasm_is_valtype(uint8_t t)
{
	return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 || is_reftype(t);
}

static bool rd_valtype(struct wasm_reader *r, enum wasm_valtype *out)
{
	uint8_t b;

	if (!wasm_rd_u8(r, &b))
		return false;
	if (b == 0x7b) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "simd is not supported (v128 type)");
		return false;
	}
	if (!wasm_is_valtype(b)) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed value type 0x%02x", b);
		return false;
	}
	*out = (enum wasm_valtype)b;
	return true;
}

static bool rd_reftype(struct wasm_reader *r, enum wasm_valtype *out)
{
	uint8_t b;

	if (!wasm_rd_u8(r, &b))
		return false;
	if (!is_reftype(b)) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed reference type 0x%02x", b);
		return false;
	}
	*out = (enum wasm_valtype)b;
	return true;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t len, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

static bool rd_name(struct wasm_reader *r, char **out, size_t *len)
{
	uint32_t n;
	const uint8_t *b;

	if (!wasm_rd_u32(r, &n) || !wasm_rd_bytes(r, n, &b))
		return false;
	if (!utf8_valid(b, n)) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed UTF-8 encoding");
		return false;
	}
	*out = malloc((size_t)n + 1);
	if (!*out) {
		wasm_rd_fail(r, WASM_ERR_NOMEM, "out of memory");
		return false;
	}
	memcpy(*out, b, n);
	(*out)[n] = 0;
	*len = n;
	return true;
}

static bool rd_limits(struct wasm_reader *r, struct wasm_limtype *l, uint32_t cap,
		      const char *what)
{
	uint8_t flag;

	if (!wasm_rd_u8(r, &flag))
		return false;
	if (flag > 1) {
		/* 0x02/0x03 are shared memories (threads), others malformed */
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer too large: %s limits flag 0x%02x",
			     what, flag);
		return false;
	}
	if (!wasm_rd_u32(r, &l->min))
		return false;
	l->has_max = flag == 1;
	l->max = UINT32_MAX;
	if (l->has_max && !wasm_rd_u32(r, &l->max))
		return false;
	if (l->min > cap || (l->has_max && l->max > cap)) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "%s size must be at most %u", what, cap);
		return false;
	}
	if (l->has_max && l->max < l->min) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "size minimum must not be greater than maximum");
		return false;
	}
	return true;
}

static bool rd_memtype(struct wasm_reader *r, struct wasm_limtype *l)
{
	return rd_limits(r, l, 65536, "memory");
}

static bool rd_tabletype(struct wasm_reader *r, struct wasm_tabledef *t)
{
	return rd_reftype(r, &t->elem) && rd_limits(r, &t->lim, UINT32_MAX, "table");
}

static bool rd_globaltype(struct wasm_reader *r, enum wasm_valtype *t, bool *mut)
{
	uint8_t m;

	if (!rd_valtype(r, t) || !wasm_rd_u8(r, &m))
		return false;
	if (m > 1) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed mutability 0x%02x", m);
		return false;
	}
	*mut = m == 1;
	return true;
}

/* Counts of a vector, checked against a limit. */
static bool rd_count(struct wasm_reader *r, uint32_t *n, uint32_t max, const char *what)
{
	if (!wasm_rd_u32(r, n))
		return false;
	if (*n > max) {
		wasm_rd_fail(r, WASM_ERR_LIMIT, "too many %s: limit %u, found %u", what, max, *n);
		return false;
	}
	/* every entry takes at least one byte */
	if ((size_t)(r->end - r->p) < *n) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end: %u %s", *n, what);
		return false;
	}
	return true;
}

static void *xcalloc(struct wasm_reader *r, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		wasm_rd_fail(r, WASM_ERR_NOMEM, "out of memory");
	return p;
}

/*
 * Constant expression of type want.  Wasm 2.0: t.const, ref.null,
 * ref.func, global.get of an imported immutable global; then end.
 */
static bool rd_cexpr(struct wasm_reader *r, struct wasm_module *m, enum wasm_valtype want,
		     struct wasm_cexpr *e)
{
	uint8_t op, end;
	enum wasm_valtype got;
	int32_t i32;
	int64_t i64;
	uint32_t idx;
	const uint8_t *b;

	if (!wasm_rd_u8(r, &op))
		return false;
	switch (op) {
	case 0x41:
		if (!wasm_rd_s32(r, &i32))
			return false;
		e->kind = CEXPR_CONST;
		e->value = (uint32_t)i32;
		got = WASM_I32;
		break;
	case 0x42:
		if (!wasm_rd_s64(r, &i64))
			return false;
		e->kind = CEXPR_CONST;
		e->value = (uint64_t)i64;
		got = WASM_I64;
		break;
	case 0x43:
		if (!wasm_rd_bytes(r, 4, &b))
			return false;
		e->kind = CEXPR_CONST;
		e->value = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
			   (uint32_t)b[3] << 24;
		got = WASM_F32;
		break;
	case 0x44:
		if (!wasm_rd_bytes(r, 8, &b))
			return false;
		e->kind = CEXPR_CONST;
		e->value = 0;
		for (int k = 7; k >= 0; k--)
			e->value = e->value << 8 | b[k];
		got = WASM_F64;
		break;
	case 0x23:
		if (!wasm_rd_u32(r, &idx))
			return false;
		if (idx >= m->nglobal_imports) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "unknown global %u", idx);
			return false;
		}
		if (m->globals[idx].mut) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "constant expression required");
			return false;
		}
		e->kind = CEXPR_GLOBAL;
		e->value = idx;
		got = m->globals[idx].type;
		break;
	case 0xd0:
		if (!rd_reftype(r, &got))
			return false;
		e->kind = CEXPR_REF_NULL;
		e->value = 0;
		break;
	case 0xd2:
		if (!wasm_rd_u32(r, &idx))
			return false;
		if (idx >= m->nfuncs) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "unknown function %u", idx);
			return false;
		}
		m->func_declared[idx] = true;
		e->kind = CEXPR_REF_FUNC;
		e->value = idx;
		got = WASM_FUNCREF;
		break;
	case 0x0b:
		wasm_rd_fail(r, WASM_ERR_INVALID, "type mismatch: empty constant expression");
		return false;
	case 0xfd:
		wasm_rd_fail(r, WASM_ERR_INVALID, "simd is not supported");
		return false;
	default:
		if (wasm_opcode_known(op))
			wasm_rd_fail(r, WASM_ERR_INVALID, "constant expression required");
		else
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "illegal opcode 0x%02x", op);
		return false;
	}
	if (!wasm_rd_u8(r, &end))
		return false;
	if (end != 0x0b) {
		if (wasm_opcode_known(end))
			wasm_rd_fail(r, WASM_ERR_INVALID,
				     "type mismatch: constant expression of more than one instruction");
		else
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "illegal opcode 0x%02x", end);
		return false;
	}
	if (got != want) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "type mismatch in constant expression");
		return false;
	}
	return true;
}

static bool sec_type(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i, j, np, nr;
	uint8_t form;

	if (!rd_count(r, &n, m->lim.max_types, "types"))
		return false;
	m->types = xcalloc(r, n, sizeof(*m->types));
	if (!m->types)
		return false;
	m->ntypes = n;
	for (i = 0; i < n; i++) {
		struct wasm_functype *ft;
		const uint8_t *pstart;

		if (!wasm_rd_u8(r, &form))
			return false;
		if (form != 0x60) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "integer representation too long: "
				     "function type form 0x%02x", form);
			return false;
		}
		if (!rd_count(r, &np, 1000, "parameters"))
			return false;
		pstart = r->p;
		for (j = 0; j < np; j++) {
			enum wasm_valtype t;
			if (!rd_valtype(r, &t))
				return false;
		}
		if (!rd_count(r, &nr, 1000, "results"))
			return false;
		ft = malloc(sizeof(*ft) + ((size_t)np + nr) * sizeof(ft->types[0]));
		if (!ft) {
			wasm_rd_fail(r, WASM_ERR_NOMEM, "out of memory");
			return false;
		}
		ft->nparams = np;
		ft->nresults = nr;
		ft->params = ft->types;
		ft->results = ft->types + np;
		for (j = 0; j < np; j++)
			ft->types[j] = (enum wasm_valtype)pstart[j];
		for (j = 0; j < nr; j++) {
			if (!rd_valtype(r, &ft->types[np + j])) {
				free(ft);
				return false;
			}
		}
		m->types[i] = ft;
	}
	return true;
}

static bool sec_import(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i;

	if (!rd_count(r, &n, m->lim.max_imports, "imports"))
		return false;
	m->imports = xcalloc(r, n, sizeof(*m->imports));
	if (!m->imports)
		return false;
	for (i = 0; i < n; i++) {
		struct wasm_import_desc *im = &m->imports[i];
		uint8_t kind;

		m->nimports = i + 1;
		if (!rd_name(r, &im->module, &im->module_len) ||
		    !rd_name(r, &im->name, &im->name_len) || !wasm_rd_u8(r, &kind))
			return false;
		switch (kind) {
		case 0:
			im->kind = WASM_EXTERN_FUNC;
			if (!wasm_rd_u32(r, &im->type))
				return false;
			if (im->type >= m->ntypes) {
				wasm_rd_fail(r, WASM_ERR_INVALID, "unknown type %u", im->type);
				return false;
			}
			m->nfunc_imports++;
			break;
		case 1: {
			struct wasm_tabledef t;
			im->kind = WASM_EXTERN_TABLE;
			if (!rd_tabletype(r, &t))
				return false;
			im->valtype = t.elem;
			im->lim = t.lim;
			m->ntable_imports++;
			break;
		}
		case 2:
			im->kind = WASM_EXTERN_MEMORY;
			if (!rd_memtype(r, &im->lim))
				return false;
			m->nmem_imports++;
			break;
		case 3:
			im->kind = WASM_EXTERN_GLOBAL;
			if (!rd_globaltype(r, &im->valtype, &im->mut))
				return false;
			m->nglobal_imports++;
			break;
		default:
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed import kind 0x%02x", kind);
			return false;
		}
	}
	return true;
}

static bool sec_export(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i, j, max;
	uint8_t kind;

	if (!rd_count(r, &n, m->lim.max_exports, "exports"))
		return false;
	m->exports = xcalloc(r, n, sizeof(*m->exports));
	if (!m->exports)
		return false;
	for (i = 0; i < n; i++) {
		struct wasm_export_desc *e = &m->exports[i];

		m->nexports = i + 1;
		if (!rd_name(r, &e->name, &e->name_len) || !wasm_rd_u8(r, &kind) ||
		    !wasm_rd_u32(r, &e->idx))
			return false;
		switch (kind) {
		case 0:
			max = m->nfuncs;
			break;
		case 1:
			max = m->ntables;
			break;
		case 2:
			max = m->nmems;
			break;
		case 3:
			max = m->nglobals;
			break;
		default:
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed export kind 0x%02x", kind);
			return false;
		}
		e->kind = (enum wasm_extern_kind)kind;
		if (e->idx >= max) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "unknown %s %u",
				     kind == 0 ? "function" : kind == 1 ? "table" :
				     kind == 2 ? "memory" : "global", e->idx);
			return false;
		}
		if (kind == 0)
			m->func_declared[e->idx] = true;
		for (j = 0; j < i; j++) {
			if (m->exports[j].name_len == e->name_len &&
			    !memcmp(m->exports[j].name, e->name, e->name_len)) {
				wasm_rd_fail(r, WASM_ERR_INVALID, "duplicate export name");
				return false;
			}
		}
	}
	return true;
}

static bool sec_start(struct wasm_reader *r, struct wasm_module *m)
{
	const struct wasm_functype *ft;

	if (!wasm_rd_u32(r, &m->start))
		return false;
	if (m->start >= m->nfuncs) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "unknown function %u", m->start);
		return false;
	}
	ft = m->types[m->func_types[m->start]];
	if (ft->nparams || ft->nresults) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "start function must have type [] -> []");
		return false;
	}
	m->has_start = true;
	return true;
}

static bool elem_items(struct wasm_reader *r, struct wasm_module *m, struct wasm_elemdef *e,
		       bool exprs)
{
	uint32_t i;

	if (!rd_count(r, &e->n, m->lim.max_segment_elems, "segment elements"))
		return false;
	e->items = xcalloc(r, e->n, sizeof(*e->items));
	if (!e->items)
		return false;
	for (i = 0; i < e->n; i++) {
		if (exprs) {
			if (!rd_cexpr(r, m, e->type, &e->items[i]))
				return false;
		} else {
			uint32_t f;
			if (!wasm_rd_u32(r, &f))
				return false;
			if (f >= m->nfuncs) {
				wasm_rd_fail(r, WASM_ERR_INVALID, "unknown function %u", f);
				return false;
			}
			m->func_declared[f] = true;
			e->items[i].kind = CEXPR_REF_FUNC;
			e->items[i].value = f;
		}
	}
	return true;
}

static bool sec_elem(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i, flags;

	if (!rd_count(r, &n, m->lim.max_segments, "element segments"))
		return false;
	m->elems = xcalloc(r, n, sizeof(*m->elems));
	if (!m->elems)
		return false;
	for (i = 0; i < n; i++) {
		struct wasm_elemdef *e = &m->elems[i];
		bool exprs;

		m->nelems = i + 1;
		if (!wasm_rd_u32(r, &flags))
			return false;
		if (flags > 7) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed elements segment kind %u",
				     flags);
			return false;
		}
		exprs = flags & 4;
		e->type = WASM_FUNCREF;
		e->table = 0;
		if (flags & 1)
			e->mode = (flags & 2) ? SEG_DECLARATIVE : SEG_PASSIVE;
		else
			e->mode = SEG_ACTIVE;
		if (e->mode == SEG_ACTIVE) {
			if ((flags & 2) && !wasm_rd_u32(r, &e->table))
				return false;
			if (e->table >= m->ntables) {
				wasm_rd_fail(r, WASM_ERR_INVALID, "unknown table %u", e->table);
				return false;
			}
			if (!rd_cexpr(r, m, WASM_I32, &e->offset))
				return false;
		}
		if (flags & 3) {
			/* explicit elemkind (0x00 = funcref) or reftype */
			if (exprs) {
				if (!rd_reftype(r, &e->type))
					return false;
			} else {
				uint8_t k;
				if (!wasm_rd_u8(r, &k))
					return false;
				if (k != 0) {
					wasm_rd_fail(r, WASM_ERR_MALFORMED,
						     "malformed element kind 0x%02x", k);
					return false;
				}
			}
		}
		if (!elem_items(r, m, e, exprs))
			return false;
		if (e->mode == SEG_ACTIVE && m->tables[e->table].elem != e->type) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "type mismatch: element segment %u", i);
			return false;
		}
	}
	return true;
}

static bool sec_data(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i, flags;
	const uint8_t *b;

	if (!rd_count(r, &n, m->lim.max_segments, "data segments"))
		return false;
	if (m->has_datacount && n != m->datacount) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED,
			     "data count and data section have inconsistent lengths");
		return false;
	}
	m->datas = xcalloc(r, n, sizeof(*m->datas));
	if (!m->datas)
		return false;
	for (i = 0; i < n; i++) {
		struct wasm_datadef *d = &m->datas[i];

		m->ndatas = i + 1;
		if (!wasm_rd_u32(r, &flags))
			return false;
		if (flags > 2) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed data segment kind %u", flags);
			return false;
		}
		d->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
		if (flags == 2 && !wasm_rd_u32(r, &d->mem))
			return false;
		if (d->mode == SEG_ACTIVE) {
			if (d->mem >= m->nmems) {
				wasm_rd_fail(r, WASM_ERR_INVALID, "unknown memory %u", d->mem);
				return false;
			}
			if (!rd_cexpr(r, m, WASM_I32, &d->offset))
				return false;
		}
		if (!wasm_rd_u32(r, &d->len) || !wasm_rd_bytes(r, d->len, &b))
			return false;
		d->bytes = malloc(d->len ? d->len : 1);
		if (!d->bytes) {
			wasm_rd_fail(r, WASM_ERR_NOMEM, "out of memory");
			return false;
		}
		memcpy(d->bytes, b, d->len);
	}
	return true;
}

static bool sec_code(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t n, i, ndef = m->nfuncs - m->nfunc_imports;

	if (!wasm_rd_u32(r, &n))
		return false;
	if (n != ndef) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED,
			     "function and code section have inconsistent lengths");
		return false;
	}
	m->codes = xcalloc(r, n, sizeof(*m->codes));
	if (!m->codes)
		return false;
	for (i = 0; i < n; i++) {
		uint32_t size;
		struct wasm_reader body;

		if (!wasm_rd_u32(r, &size))
			return false;
		if (size > m->lim.max_function_size) {
			wasm_rd_fail(r, WASM_ERR_LIMIT, "function %u too large: limit %u bytes",
				     m->nfunc_imports + i, m->lim.max_function_size);
			return false;
		}
		if ((size_t)(r->end - r->p) < size) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end of section or function");
			return false;
		}
		body = *r;
		body.end = r->p + size;
		m->codes[i].type = m->func_types[m->nfunc_imports + i];
		if (wasm_compile_function(&body, m, m->nfunc_imports + i, &m->codes[i]) != 0) {
			r->failed = body.failed;
			return false;
		}
		r->p += size;
	}
	/* every function compiled: direct calls get their callee's cells */
	for (i = 0; i < n; i++) {
		struct wasm_code *code = &m->codes[i];
		for (size_t k = 0; k < code->ncalls; k++) {
			union wasm_cell *at = &code->cells[code->calls[k]];
			at[2].ptr = (uintptr_t)((const struct wasm_code *)at[0].ptr)->cells;
		}
		free(code->calls);
		code->calls = NULL;
		code->ncalls = 0;
	}
	return true;
}

static void module_release(struct wasm_module *m)
{
	uint32_t i;

	for (i = 0; i < m->ntypes; i++)
		free(m->types[i]);
	free(m->types);
	for (i = 0; i < m->nimports; i++) {
		free(m->imports[i].module);
		free(m->imports[i].name);
	}
	free(m->imports);
	free(m->func_types);
	free(m->func_declared);
	free(m->tables);
	free(m->mems);
	free(m->globals);
	for (i = 0; i < m->nexports; i++)
		free(m->exports[i].name);
	free(m->exports);
	for (i = 0; i < m->nelems; i++)
		free(m->elems[i].items);
	free(m->elems);
	for (i = 0; i < m->ndatas; i++)
		free(m->datas[i].bytes);
	free(m->datas);
	if (m->codes) {
		for (i = 0; i < m->nfuncs - m->nfunc_imports; i++) {
			free(m->codes[i].cells);
			free(m->codes[i].calls);
		}
		free(m->codes);
	}
}

void wasm_module_free(struct wasm_module *m)
{
	if (!m)
		return;
	module_release(m);
	free(m);
}

/* Section order rank (custom sections excluded); datacount sits before code. */
static int section_rank(uint8_t id)
{
	static const int rank[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10 };

	return rank[id];
}

/* Grow an index-space array from old to old+n entries (zeroed). */
static bool grow_space(struct wasm_reader *r, void **arr, uint32_t old, uint32_t n, size_t size)
{
	void *p = realloc(*arr, ((size_t)old + n + 1) * size);

	if (!p) {
		wasm_rd_fail(r, WASM_ERR_NOMEM, "out of memory");
		return false;
	}
	memset((char *)p + (size_t)old * size, 0, ((size_t)n + 1) * size);
	*arr = p;
	return true;
}

/* Set up the index spaces of the imports (once the import section is past). */
static bool index_imports(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t i, fi = 0, ti = 0, mi = 0, gi = 0;

	if (m->nfunc_imports > m->lim.max_functions || m->nglobal_imports > m->lim.max_globals ||
	    m->ntable_imports > m->lim.max_tables) {
		wasm_rd_fail(r, WASM_ERR_LIMIT, "too many imported objects");
		return false;
	}
	if (m->nmem_imports > 1) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "multiple memories");
		return false;
	}
	m->nfuncs = m->nfunc_imports;
	m->ntables = m->ntable_imports;
	m->nmems = m->nmem_imports;
	m->nglobals = m->nglobal_imports;
	if (!grow_space(r, (void **)&m->func_types, 0, m->nfuncs, sizeof(*m->func_types)) ||
	    !grow_space(r, (void **)&m->func_declared, 0, m->nfuncs, sizeof(*m->func_declared)) ||
	    !grow_space(r, (void **)&m->tables, 0, m->ntables, sizeof(*m->tables)) ||
	    !grow_space(r, (void **)&m->mems, 0, m->nmems, sizeof(*m->mems)) ||
	    !grow_space(r, (void **)&m->globals, 0, m->nglobals, sizeof(*m->globals)))
		return false;
	for (i = 0; i < m->nimports; i++) {
		struct wasm_import_desc *im = &m->imports[i];
		switch (im->kind) {
		case WASM_EXTERN_FUNC:
			m->func_types[fi++] = im->type;
			break;
		case WASM_EXTERN_TABLE:
			m->tables[ti].elem = im->valtype;
			m->tables[ti++].lim = im->lim;
			break;
		case WASM_EXTERN_MEMORY:
			m->mems[mi++] = im->lim;
			break;
		case WASM_EXTERN_GLOBAL:
			m->globals[gi].type = im->valtype;
			m->globals[gi++].mut = im->mut;
			break;
		}
	}
	return true;
}

static bool sec_function(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t i, n;

	if (!rd_count(r, &n, m->lim.max_functions - m->nfuncs, "functions"))
		return false;
	if (!grow_space(r, (void **)&m->func_types, m->nfuncs, n, sizeof(*m->func_types)) ||
	    !grow_space(r, (void **)&m->func_declared, m->nfuncs, n, sizeof(*m->func_declared)))
		return false;
	for (i = 0; i < n; i++) {
		uint32_t t;
		if (!wasm_rd_u32(r, &t))
			return false;
		if (t >= m->ntypes) {
			wasm_rd_fail(r, WASM_ERR_INVALID, "unknown type %u", t);
			return false;
		}
		m->func_types[m->nfuncs++] = t;
	}
	return true;
}

static bool sec_table(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t i, n;

	if (!rd_count(r, &n, m->lim.max_tables - m->ntables, "tables"))
		return false;
	if (!grow_space(r, (void **)&m->tables, m->ntables, n, sizeof(*m->tables)))
		return false;
	for (i = 0; i < n; i++) {
		if (!rd_tabletype(r, &m->tables[m->ntables]))
			return false;
		m->ntables++;
	}
	return true;
}

static bool sec_memory(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t i, n;

	if (!wasm_rd_u32(r, &n))
		return false;
	if ((uint64_t)n + m->nmems > 1) {
		wasm_rd_fail(r, WASM_ERR_INVALID, "multiple memories");
		return false;
	}
	if (!grow_space(r, (void **)&m->mems, m->nmems, n, sizeof(*m->mems)))
		return false;
	for (i = 0; i < n; i++) {
		if (!rd_memtype(r, &m->mems[m->nmems]))
			return false;
		m->nmems++;
	}
	return true;
}

static bool sec_global(struct wasm_reader *r, struct wasm_module *m)
{
	uint32_t i, n;

	if (!rd_count(r, &n, m->lim.max_globals - m->nglobals, "globals"))
		return false;
	if (!grow_space(r, (void **)&m->globals, m->nglobals, n, sizeof(*m->globals)))
		return false;
	for (i = 0; i < n; i++) {
		struct wasm_globaldef *g = &m->globals[m->nglobals];
		if (!rd_globaltype(r, &g->type, &g->mut) || !rd_cexpr(r, m, g->type, &g->init))
			return false;
		m->nglobals++;
	}
	return true;
}

static bool decode_section(struct wasm_reader *s, struct wasm_module *m, uint8_t id)
{
	char *name;
	size_t nlen;

	switch (id) {
	case 0:
		if (!rd_name(s, &name, &nlen))
			return false;
		free(name);
		s->p = s->end;
		return true;
	case 1:
		return sec_type(s, m);
	case 2:
		return sec_import(s, m);
	case 3:
		return sec_function(s, m);
	case 4:
		return sec_table(s, m);
	case 5:
		return sec_memory(s, m);
	case 6:
		return sec_global(s, m);
	case 7:
		return sec_export(s, m);
	case 8:
		return sec_start(s, m);
	case 9:
		return sec_elem(s, m);
	case 10:
		return sec_code(s, m);
	case 11:
		return sec_data(s, m);
	case 12:
		if (!wasm_rd_u32(s, &m->datacount))
			return false;
		m->has_datacount = true;
		return true;
	}
	return false;
}

static bool decode(struct wasm_reader *r, struct wasm_module *m)
{
	const uint8_t *b;
	int last = 0;
	bool indexed = false, have_code = false;
	static const uint8_t magic[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };

	if (!wasm_rd_bytes(r, 4, &b))
		return false;
	if (memcmp(b, magic, 4)) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "magic header not detected");
		return false;
	}
	if (!wasm_rd_bytes(r, 4, &b))
		return false;
	if (memcmp(b, magic + 4, 4)) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED, "unknown binary version");
		return false;
	}
	while (r->p < r->end) {
		uint8_t id;
		uint32_t size;
		struct wasm_reader s;

		if (!wasm_rd_u8(r, &id) || !wasm_rd_u32(r, &size))
			return false;
		if (id > 12) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "malformed section id %u", id);
			return false;
		}
		if ((size_t)(r->end - r->p) < size) {
			wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected end: section size %u", size);
			return false;
		}
		if (id != 0) {
			if (section_rank(id) <= last) {
				wasm_rd_fail(r, WASM_ERR_MALFORMED, "unexpected content after last "
					     "section: section %u out of order", id);
				return false;
			}
			last = section_rank(id);
		}
		if (!indexed && id > 2) {
			if (!index_imports(r, m))
				return false;
			indexed = true;
		}
		if (id == 10)
			have_code = true;
		s = *r;
		s.end = r->p + size;
		if (!decode_section(&s, m, id)) {
			r->failed = s.failed ? s.failed : WASM_ERR_MALFORMED;
			return false;
		}
		if (s.p != s.end) {
			wasm_rd_fail(&s, WASM_ERR_MALFORMED, "section size mismatch: section %u", id);
			r->failed = s.failed;
			return false;
		}
		r->p = s.end;
	}
	if (!indexed && !index_imports(r, m))
		return false;
	if (m->nfuncs > m->nfunc_imports && !have_code) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED,
			     "function and code section have inconsistent lengths");
		return false;
	}
	if (m->has_datacount && m->ndatas != m->datacount) {
		wasm_rd_fail(r, WASM_ERR_MALFORMED,
			     "data count and data section have inconsistent lengths");
		return false;
	}
	return true;
}

int wasm_module_load(struct wasm_module **out, const void *bytes, size_t len,
		     const struct wasm_limits *lim, struct wasm_error *err)
{
	return wasm_module_load_as(out, bytes, len, lim, false, err);
}

int wasm_module_load_as(struct wasm_module **out, const void *bytes, size_t len,
			const struct wasm_limits *lim, bool plain, struct wasm_error *err)
{
	struct wasm_module *m = NULL;
	struct wasm_reader r = { .p = bytes, .end = (const uint8_t *)bytes + len, .base = bytes,
				 .err = err };
	int rc = 0;

	*out = NULL;
	if (err) {
		err->code = 0;
		err->trap = WASM_TRAP_NONE;
		err->msg[0] = 0;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		rc = wasm_rd_fail(&r, WASM_ERR_NOMEM, "out of memory");
		goto out;
	}
	m->plain = plain;
	if (lim)
		m->lim = *lim;
	else
		wasm_limits_default(&m->lim);
	if (len > m->lim.max_module_size) {
		rc = wasm_rd_fail(&r, WASM_ERR_LIMIT, "module too large: limit %zu bytes, found %zu",
				  m->lim.max_module_size, len);
		goto out;
	}
	if (!decode(&r, m)) {
		rc = r.failed ? r.failed : WASM_ERR_MALFORMED;
		goto out;
	}
	*out = m;
	m = NULL;
out:
	wasm_module_free(m);
	return rc;
}

size_t wasm_module_import_count(const struct wasm_module *m)
{
	return m->nimports;
}

void wasm_module_import(const struct wasm_module *m, size_t i, const char **module,
			size_t *module_len, const char **name, size_t *name_len,
			enum wasm_extern_kind *kind)
{
	*module = m->imports[i].module;
	*module_len = m->imports[i].module_len;
	*name = m->imports[i].name;
	*name_len = m->imports[i].name_len;
	*kind = m->imports[i].kind;
}

size_t wasm_module_export_count(const struct wasm_module *m)
{
	return m->nexports;
}

void wasm_module_export(const struct wasm_module *m, size_t i, const char **name,
			size_t *name_len, enum wasm_extern_kind *kind)
{
	*name = m->exports[i].name;
	*name_len = m->exports[i].name_len;
	*kind = m->exports[i].kind;
}
