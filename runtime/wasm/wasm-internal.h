/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasm-internal.h - data structures shared by the engine's files: the
 * decoded module, the compiled code form, and the run-time objects.
 *
 * Compiled code is an array of 8-byte cells: an operation (label address
 * for the computed-goto interpreter) followed by its immediates.  Values
 * live in 64-bit slots; a frame is [locals (params first) | operands] and a
 * callee's frame starts at its arguments in the caller's frame, so calls
 * copy nothing.  Branch targets and slot numbers are precomputed.
 */
#ifndef CCCTL_WASM_INTERNAL_H
#define CCCTL_WASM_INTERNAL_H

#include <signal.h>

#include "wasm.h"

#if !defined(__GNUC__)
#error "the wasm interpreter needs labels as values (gcc or clang)"
#endif

union wasm_cell {
	const void *op;
	uint64_t u64;
	int64_t i64;
	uint32_t u32;
	int32_t i32;
	uintptr_t ptr;
	uint32_t s[2]; /* two frame slot indexes */
};

/*
 * Internal operations.  Operands are frame slots (fp-relative indexes):
 * locals first, then one slot per operand-stack height, so every stack
 * value has a fixed home and ops are three-address ("d = a op b").  Cell
 * layouts: unary {d,a}; binary {d,a} {b,-}; load {d,addr} off; store
 * {addr,val} off; immediate forms {d,a} imm.  0x00..0xff are the wasm
 * single-byte opcodes (same semantics, slot operands), then the rest.
 */
enum wasm_iop {
	IOP_FC_BASE = 0x100,   /* 0xfc N -> IOP_FC_BASE + N (N <= 17) */
	IOP_BR = 0x120,        /* off */
	IOP_BR_MOVE,           /* off, {dst,src}, n */
	IOP_BR_IF,             /* off, {cond} */
	IOP_BR_IF_MOVE,        /* off, {cond,n}, {dst,src} */
	IOP_BR_TABLE,          /* {idx,arity}, {src,n}, then n+1 x (off, {dst}) */
	IOP_RETURN,            /* {src,n} */
	IOP_RETURN1,           /* {src}: RETURN of one value */
	IOP_CALL,              /* funcidx, {argbase} */
	IOP_CALL_INDIRECT,     /* typeidx, tableidx, {argbase,idx} */
	IOP_SELECT,            /* {d,a}, {b,cond} */
	IOP_COPY,              /* {d,a} */
	IOP_CONST,             /* {d}, value (raw bits) */
	IOP_COPY2,             /* {d,a}, {d2,a2}: two COPYs, in that order */
	IOP_BR_IF_NOT,         /* off, {cond}: branch when zero, no values moved */
	IOP_CALL_LOCAL,        /* code (a function of the same module), {argbase}, its cells */
	IOP_BR_LOOP,           /* BR, BR_IF, BR_IF_NOT back to a loop header: the same */
	IOP_BR_IF_LOOP,        /* cells and then the fuel of the loop's whole body, */
	IOP_BR_IF_NOT_LOOP,    /* charged when taken; CMPL and CMPIL likewise */
	IOP_IMM_BASE,          /* binary op 0x46..0xa5 with constant b: {d,a}, imm (raw bits) */
	IOP_CMP_BR_BASE = IOP_IMM_BASE + (0xa5 - 0x46 + 1),
			       /* i32 compare 0x46..0x4f fused with br_if: off, {a,b} */
	IOP_CMPI_BR_BASE = IOP_CMP_BR_BASE + (0x4f - 0x46 + 1),
			       /* the same with a constant b: off, {a,-}, imm */
	IOP_LOADK_BASE = IOP_CMPI_BR_BASE + (0x4f - 0x46 + 1),
			       /* load 0x28..0x35 from (a + k) mod 2^32: {d,a}, k, off */
	IOP_A_BASE = IOP_LOADK_BASE + (0x35 - 0x28 + 1),
			       /* op 0x00..0xff with its first operand from acc (same cells) */
	IOP_B_BASE = IOP_A_BASE + 0x100, /* ... with its second operand from acc */
	IOP_IA_BASE = IOP_B_BASE + 0x100, /* immediate form, first operand from acc */
	IOP_KA_BASE = IOP_IA_BASE + (0xa5 - 0x46 + 1), /* load with k, address from acc */
	IOP_CMPL_BASE = IOP_KA_BASE + (0x35 - 0x28 + 1), /* CMP_BR to a loop header */
	IOP_CMPIL_BASE = IOP_CMPL_BASE + (0x4f - 0x46 + 1), /* CMPI_BR to a loop header */
	IOP_A1B_BASE = IOP_CMPIL_BASE + (0x4f - 0x46 + 1),
			       /* op 0x00..0xff: first operand from acc1, second from acc */
	IOP_ACMPL_BASE = IOP_A1B_BASE + 0x100,
			       /* "d = a + imm" (i32) and CMPL on d: off, {d,a}, {b,-}, imm, fuel */
	IOP_ACMPIL_BASE = IOP_ACMPL_BASE + (0x4f - 0x46 + 1),
			       /* ... and CMPIL on d: off, {d,a}, cmpimm, imm, fuel */
	IOP_M_BASE = IOP_ACMPIL_BASE + (0x4f - 0x46 + 1),
			       /* binary op 0x46..0xa5 whose second operand is loaded:
				* {d,a}, {addr,k}, off (address (addr + k) mod 2^32 + off);
				* index 96 * kind + op - 0x46, kind 0 the full-width load
				* of the op's type, 1..4 i32.load8_s, 8_u, 16_s, 16_u */
	IOP_MA_BASE = IOP_M_BASE + 5 * 96, /* the same, first operand from acc */
	IOP_RMW_BASE = IOP_MA_BASE + 5 * 96,
			       /* M form of kind 0 that also stores its result back to
				* the address it loaded from: same cells */
	IOP_RMWA_BASE = IOP_RMW_BASE + 96, /* the same, first operand from acc */
	IOP_II_BASE = IOP_RMWA_BASE + 96,
			       /* integer op1 with a constant, its result the second
				* operand of op2: {d,a}, {x,-}, imm: d = a op2 (x op1 imm);
				* index IOP_II_INDEX(op1, op2) */
	IOP_IIA_BASE = IOP_II_BASE + 2 * 225, /* the same, a from acc */
	IOP_COUNT = IOP_IIA_BASE + 2 * 225
};

/* II index of i32 ops 0x6a..0x78 or i64 ops 0x7c..0x8a (both of one type). */
#define IOP_II_INDEX(op1, op2)                                                             \
	((op1) < 0x7c ? ((op1) - 0x6a) * 15 + (op2) - 0x6a : 225 + ((op1) - 0x7c) * 15 + (op2) - 0x7c)

/* An opcode with no handler: its label is the invalid op's. */
#define IOP_NONE 0x01

struct wasm_functype {
	uint32_t nparams, nresults;
	enum wasm_valtype *params;  /* points into types */
	enum wasm_valtype *results; /* points into types */
	enum wasm_valtype types[];
};

struct wasm_limtype {
	uint32_t min, max; /* max UINT32_MAX when absent */
	bool has_max;
};

/* A constant expression (Wasm 2.0: one instruction). */
enum wasm_cexpr_kind { CEXPR_CONST, CEXPR_GLOBAL, CEXPR_REF_NULL, CEXPR_REF_FUNC };

struct wasm_cexpr {
	enum wasm_cexpr_kind kind;
	uint64_t value; /* const bits, global index or function index */
};

struct wasm_import_desc {
	char *module, *name;
	size_t module_len, name_len;
	enum wasm_extern_kind kind;
	uint32_t type;                /* func: type index */
	enum wasm_valtype valtype;    /* table elem / global type */
	bool mut;                     /* global */
	struct wasm_limtype lim;      /* table / memory */
};

struct wasm_export_desc {
	char *name;
	size_t name_len;
	enum wasm_extern_kind kind;
	uint32_t idx;
};

struct wasm_tabledef {
	enum wasm_valtype elem;
	struct wasm_limtype lim;
};

struct wasm_globaldef {
	enum wasm_valtype type;
	bool mut;
	struct wasm_cexpr init;
};

enum wasm_segmode { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE };

struct wasm_elemdef {
	enum wasm_segmode mode;
	enum wasm_valtype type;
	uint32_t table;
	struct wasm_cexpr offset;
	uint32_t n;
	struct wasm_cexpr *items;
};

struct wasm_datadef {
	enum wasm_segmode mode;
	uint32_t mem;
	struct wasm_cexpr offset;
	uint32_t len;
	uint8_t *bytes;
};

struct wasm_code {
	uint32_t type;       /* type index */
	uint32_t nparams;
	uint32_t nlocals;    /* params included */
	uint32_t max_slots;  /* nlocals + maximum operand height + slack */
	uint64_t entry_fuel; /* charged by the call: the whole body, locals zeroed */
	union wasm_cell *cells;
	size_t ncells;
	/* CALL_LOCAL cells, whose callee's cells load.c fills in once every
	 * function is compiled (then freed) */
	size_t *calls;
	size_t ncalls;
};

struct wasm_module {
	uint32_t ntypes;
	struct wasm_functype **types; /* identical types share one pointer */
	uint32_t nimports;
	struct wasm_import_desc *imports;
	uint32_t nfuncs, nfunc_imports;
	uint32_t *func_types; /* all functions */
	uint32_t ntables, ntable_imports;
	struct wasm_tabledef *tables; /* all tables */
	uint32_t nmems, nmem_imports;
	struct wasm_limtype *mems;
	uint32_t nglobals, nglobal_imports;
	struct wasm_globaldef *globals; /* all globals (imports: init unused) */
	uint32_t nexports;
	struct wasm_export_desc *exports;
	bool has_start;
	uint32_t start;
	uint32_t nelems;
	struct wasm_elemdef *elems;
	uint32_t ndatas;
	struct wasm_datadef *datas;
	bool has_datacount;
	uint32_t datacount;
	struct wasm_code *codes; /* nfuncs - nfunc_imports */
	bool *func_declared;    /* ref.func allowed (declared in elems/exports/globals) */
	struct wasm_limits lim;
	bool plain; /* compiled without fused ops and register forms (tests) */
};

/* ---- run time --------------------------------------------------------- */

struct wasm_instance;

struct wasm_func {
	const struct wasm_functype *type;
	struct wasm_instance *inst; /* NULL for host functions */
	const struct wasm_code *code;
	wasm_host_fn host;
	void *env;
	struct wasm_func *next; /* store list */
};

struct wasm_memory {
	uint8_t *data;
	uint64_t size; /* bytes */
	uint32_t pages, max;
	uint32_t limit; /* store's max pages */
	struct wasm_memory *next;
};

struct wasm_table {
	enum wasm_valtype elem;
	uint32_t size, max;
	uint32_t limit;
	uintptr_t *elems;
	struct wasm_table *next;
};

struct wasm_global {
	enum wasm_valtype type;
	bool mut;
	uint64_t val;
	struct wasm_global *next;
};

struct wasm_instance {
	const struct wasm_module *mod;
	struct wasm_store *store;
	struct wasm_func **funcs;
	struct wasm_table **tables;
	struct wasm_memory **mems;
	struct wasm_global **globals;
	uint32_t nelems;       /* element segments (freeing needs no module) */
	uint32_t *elem_len;    /* 0 once dropped */
	uintptr_t **elem_refs; /* evaluated element segments */
	uint32_t *data_len;    /* 0 once dropped */
	struct wasm_instance *next;
};

struct wasm_frame {
	const union wasm_cell *ret_pc; /* the exit cell: return to the host */
	uint64_t *fp;
	struct wasm_instance *inst;
};

struct wasm_call {
	struct wasm_store *store;
	struct wasm_instance *inst; /* caller, may be NULL */
};

struct wasm_store {
	struct wasm_limits lim;
	uint64_t fuel;
	volatile sig_atomic_t interrupt;
	uint64_t *stack, *stack_end, *sp; /* sp: first free slot */
	struct wasm_frame *frames;
	uint32_t nframes;
	struct wasm_func *funcs;
	struct wasm_memory *memories;
	struct wasm_table *tables;
	struct wasm_global *globals;
	struct wasm_instance *instances;
	/* trap state of the running call */
	enum wasm_trap trap;
	uint32_t exit_code;
	char trap_msg[256];
};

/* load.c: wasm_module_load, or with plain, code with no fused ops, no
 * immediate or register (acc) forms: the same results and fuel, for
 * differential tests of the compiler's rewrites. */
int wasm_module_load_as(struct wasm_module **out, const void *bytes, size_t len,
			const struct wasm_limits *lim, bool plain, struct wasm_error *err);

/* interp.c */
const void *const *wasm_interp_labels(void);
int wasm_interp_call(struct wasm_store *s, struct wasm_func *f, uint64_t *args);
bool wasm_functype_equal(const struct wasm_functype *a, const struct wasm_functype *b);

/* store.c */
int64_t wasm_memory_grow_pages(struct wasm_memory *m, uint32_t delta);
int64_t wasm_table_grow_elems(struct wasm_table *t, uint32_t delta, uintptr_t init);
void wasm_error_set(struct wasm_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Maximum operand slots reserved beyond max_slots for a host call's results. */
#define WASM_HOST_MAX_VALUES 64

#endif
