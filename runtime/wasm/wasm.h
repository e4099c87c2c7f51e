/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasm.h - the ccctl WebAssembly engine: embedding API.
 *
 * WebAssembly 2.0 without SIMD (MVP, sign extension, non-trapping
 * float-to-int, multi-value, bulk memory, reference types).  A module is
 * decoded and fully validated once (wasm_module_load) and compiled to an
 * internal form; it can then be instantiated any number of times in stores.
 *
 * Objects:
 *   wasm_module   immutable, validated code; independent of any store.
 *   wasm_store    owns everything created at run time: instances, functions,
 *                 memories, tables, globals, the value stack, the fuel
 *                 counter and the limits.  Freeing the store frees them all;
 *                 pointers to store objects are borrowed and stay valid until
 *                 wasm_store_free().  A store is used by one thread at a time.
 *   wasm_linker   a set of named definitions (module name, field name) ->
 *                 extern, used to resolve a module's imports.
 *
 * Errors: fallible functions return 0 or a negative enum wasm_err and, if
 * err is not NULL, fill *err (code, trap reason, message).  Messages are
 * lowercase, without trailing period.  Nothing here prints or exits.
 *
 * Determinism: given the same module, imports and inputs, execution
 * (including the fuel consumed and the point where a limit trips) is
 * identical from run to run.  Every limit is reported as a load error or a
 * trap, never as a crash: the interpreter does not recurse natively per wasm
 * call.
 *
 * Values: integers are held in uint32_t/uint64_t (two's complement); floats
 * as their raw IEEE bits (f32 never goes through double, so NaN payloads are
 * preserved); references as uintptr_t, 0 being the null reference.  A
 * funcref is the address of a struct wasm_func; an externref is whatever
 * non-zero value the host put in.
 */
#ifndef CCCTL_WASM_H
#define CCCTL_WASM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WASM_PAGE_SIZE 65536u

enum wasm_err {
	WASM_OK = 0,
	WASM_ERR_MALFORMED = -1,  /* binary does not decode */
	WASM_ERR_INVALID = -2,    /* decodes but fails validation (or uses SIMD) */
	WASM_ERR_LIMIT = -3,      /* exceeds a struct wasm_limits bound at load/instantiate */
	WASM_ERR_LINK = -4,       /* an import is missing or of the wrong type */
	WASM_ERR_TRAP = -5,       /* execution trapped (see enum wasm_trap) */
	WASM_ERR_NOMEM = -6,      /* out of host memory */
	WASM_ERR_ARG = -7,        /* API misuse: wrong argument count/types */
};

enum wasm_trap {
	WASM_TRAP_NONE = 0,
	WASM_TRAP_UNREACHABLE,       /* "unreachable" */
	WASM_TRAP_MEM_OOB,           /* "out of bounds memory access" */
	WASM_TRAP_TABLE_OOB,         /* "out of bounds table access" */
	WASM_TRAP_UNDEFINED_ELEMENT, /* "undefined element" (call_indirect index) */
	WASM_TRAP_UNINIT_ELEMENT,    /* "uninitialized element" (null funcref) */
	WASM_TRAP_INDIRECT_TYPE,     /* "indirect call type mismatch" */
	WASM_TRAP_DIV_ZERO,          /* "integer divide by zero" */
	WASM_TRAP_INT_OVERFLOW,      /* "integer overflow" */
	WASM_TRAP_INVALID_CONV,      /* "invalid conversion to integer" */
	WASM_TRAP_CALL_DEPTH,        /* "call stack exhausted" */
	WASM_TRAP_STACK,             /* "value stack exhausted" */
	WASM_TRAP_FUEL,              /* "fuel exhausted" */
	WASM_TRAP_INTERRUPTED,       /* "interrupted" (wasm_store_interrupt) */
	WASM_TRAP_HOST,              /* a host function trapped (message in err) */
	WASM_TRAP_EXIT,              /* a host function asked to exit (exit_code) */
};

/* The spec's wording for a trap reason ("integer divide by zero"). */
const char *wasm_trap_str(enum wasm_trap trap);

struct wasm_error {
	int code;            /* enum wasm_err */
	enum wasm_trap trap; /* when code == WASM_ERR_TRAP */
	uint32_t exit_code;  /* when trap == WASM_TRAP_EXIT */
	char msg[256];
};

enum wasm_valtype {
	WASM_I32 = 0x7f,
	WASM_I64 = 0x7e,
	WASM_F32 = 0x7d,
	WASM_F64 = 0x7c,
	WASM_FUNCREF = 0x70,
	WASM_EXTERNREF = 0x6f,
};

struct wasm_value {
	enum wasm_valtype type;
	union {
		uint32_t i32;
		uint64_t i64;
		uint32_t f32; /* raw bits */
		uint64_t f64; /* raw bits */
		uintptr_t ref; /* 0 = null */
	} u;
};

enum wasm_extern_kind {
	WASM_EXTERN_FUNC = 0,
	WASM_EXTERN_TABLE = 1,
	WASM_EXTERN_MEMORY = 2,
	WASM_EXTERN_GLOBAL = 3,
};

struct wasm_func;
struct wasm_table;
struct wasm_memory;
struct wasm_global;

struct wasm_extern {
	enum wasm_extern_kind kind;
	union {
		struct wasm_func *func;
		struct wasm_table *table;
		struct wasm_memory *memory;
		struct wasm_global *global;
	} u;
};

/*
 * Limits.  Load-time bounds reject a module (WASM_ERR_LIMIT); run-time
 * bounds trap.  wasm_limits_default() gives generous values suitable for
 * untrusted modules on a 64-bit host; lower any of them as needed.
 */
struct wasm_limits {
	size_t max_module_size;      /* bytes of the binary */
	uint32_t max_types;
	uint32_t max_functions;      /* imported + defined */
	uint32_t max_imports;
	uint32_t max_exports;
	uint32_t max_globals;
	uint32_t max_tables;
	uint32_t max_segments;       /* element + data segments, each */
	uint32_t max_segment_elems;  /* entries of one element segment */
	uint32_t max_locals;         /* per function, params included */
	uint32_t max_function_size;  /* bytes of one function body */
	uint32_t max_block_depth;    /* nesting of block/loop/if */
	uint32_t max_memory_pages;   /* any memory, initial and by memory.grow */
	uint32_t max_table_elems;    /* any table, initial and by table.grow */
	uint32_t max_call_depth;     /* wasm frames on the stack */
	uint32_t max_stack_slots;    /* 64-bit value slots: locals + operands, all frames */
	uint64_t fuel;               /* initial fuel of a store; UINT64_MAX = unmetered */
};

void wasm_limits_default(struct wasm_limits *lim);

/* ---- modules ---------------------------------------------------------- */

struct wasm_module;

/*
 * Decode and validate len bytes (copied as needed; bytes may be freed after
 * return).  lim may be NULL (defaults).  Errors: WASM_ERR_MALFORMED,
 * WASM_ERR_INVALID (also for SIMD: "simd is not supported"), WASM_ERR_LIMIT,
 * WASM_ERR_NOMEM; the message names the section/function and byte offset.
 */
int wasm_module_load(struct wasm_module **out, const void *bytes, size_t len,
		     const struct wasm_limits *lim, struct wasm_error *err);
void wasm_module_free(struct wasm_module *m);

/* Introspection.  Strings are borrowed from the module (not NUL-safe: names
 * may contain NUL bytes; *len is given). */
size_t wasm_module_import_count(const struct wasm_module *m);
void wasm_module_import(const struct wasm_module *m, size_t i, const char **module,
			size_t *module_len, const char **name, size_t *name_len,
			enum wasm_extern_kind *kind);
size_t wasm_module_export_count(const struct wasm_module *m);
void wasm_module_export(const struct wasm_module *m, size_t i, const char **name,
			size_t *name_len, enum wasm_extern_kind *kind);

/* ---- stores ----------------------------------------------------------- */

struct wasm_store;

/* lim may be NULL (defaults); it is copied.  NULL on out of memory. */
struct wasm_store *wasm_store_new(const struct wasm_limits *lim);
void wasm_store_free(struct wasm_store *s);

/* Fuel: one unit per instruction, charged by a call for the function's
 * whole body and by each branch back to a loop for the loop's whole body
 * (nested loops, both arms of an if included), so the count bounds the
 * instructions run and a trap comes before the last unit is spent;
 * bulk work costs extra: a call one unit per 8 locals it zeroes,
 * memory.fill/copy/init and memory.grow one per 64 bytes, table.fill/copy/
 * init/grow one per 8 elements.  UINT64_MAX = unmetered. */
void wasm_store_set_fuel(struct wasm_store *s, uint64_t fuel);
uint64_t wasm_store_fuel(const struct wasm_store *s);

/* Ask running code to trap with WASM_TRAP_INTERRUPTED at its next loop
 * iteration or call.  Async-signal-safe; cleared when the trap is taken. */
void wasm_store_interrupt(struct wasm_store *s);

/* ---- host objects ----------------------------------------------------- */

/* Context of a host-function call. */
struct wasm_call;

/*
 * A host function.  args holds the parameters and results receives the
 * results, one 64-bit slot per value (i32/f32 in the low 32 bits, the upper
 * bits of an i32/f32 result are ignored).  Return 0 to continue, or the
 * value of wasm_call_trap()/wasm_call_exit() to stop execution.
 */
typedef int (*wasm_host_fn)(struct wasm_call *call, void *env, const uint64_t *args,
			    uint64_t *results);

/* Stop execution with WASM_TRAP_HOST and a message; returns the value the
 * host function must return. */
int wasm_call_trap(struct wasm_call *call, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Stop execution with WASM_TRAP_EXIT and exit_code (WASI proc_exit). */
int wasm_call_exit(struct wasm_call *call, uint32_t exit_code);

/* The calling instance's memory 0 (NULL if it has none), its store. */
struct wasm_memory *wasm_call_memory(struct wasm_call *call);
struct wasm_store *wasm_call_store(struct wasm_call *call);

/* Pointer to [addr, addr+len) of the calling instance's memory 0, or NULL
 * if that range is not inside it (or there is no memory).  Valid until the
 * host function returns (memory.grow may move it).  len 0 gives a valid
 * non-NULL pointer when addr <= size. */
void *wasm_call_mem(struct wasm_call *call, uint64_t addr, uint64_t len);

/*
 * Host function with a signature written as two strings of value-type
 * letters: 'i' i32, 'I' i64, 'f' f32, 'F' f64, 'r' funcref, 'e' externref.
 * E.g. params "iIi", results "i".  NULL on bad signature or out of memory.
 */
struct wasm_func *wasm_func_new_host(struct wasm_store *s, const char *params,
				     const char *results, wasm_host_fn fn, void *env);

/* Memory with min/max pages (max UINT32_MAX = none); NULL if min exceeds
 * the store limit or out of memory. */
struct wasm_memory *wasm_memory_new(struct wasm_store *s, uint32_t min, uint32_t max);
/* Table of funcref/externref elements, all null. */
struct wasm_table *wasm_table_new(struct wasm_store *s, enum wasm_valtype elem, uint32_t min,
				  uint32_t max);
struct wasm_global *wasm_global_new(struct wasm_store *s, const struct wasm_value *v,
				    bool mutable_);

/* ---- linking and instances -------------------------------------------- */

struct wasm_linker;

struct wasm_linker *wasm_linker_new(void);
void wasm_linker_free(struct wasm_linker *l);
/* Define (module, name) -> ext; a later definition of the same name wins.
 * Names are copied.  0 or WASM_ERR_NOMEM. */
int wasm_linker_define(struct wasm_linker *l, const char *module, const char *name,
		       const struct wasm_extern *ext);
/* Convenience: wasm_func_new_host + wasm_linker_define. */
int wasm_linker_define_host(struct wasm_linker *l, struct wasm_store *s, const char *module,
			    const char *name, const char *params, const char *results,
			    wasm_host_fn fn, void *env);

struct wasm_instance;

/*
 * Instantiate m in s: resolve every import through l (may be NULL if there
 * are none), allocate memories/tables/globals, initialise active segments
 * and run the start function.  The instance belongs to the store.  Errors:
 * WASM_ERR_LINK (unknown import / incompatible type), WASM_ERR_LIMIT,
 * WASM_ERR_TRAP (segment out of bounds, or the start function trapped; the
 * instance is not returned but effects on imported objects remain, as the
 * spec says), WASM_ERR_NOMEM.  The module must outlive every use of the
 * instance (freeing the store after the module is fine).
 */
int wasm_instantiate(struct wasm_instance **out, struct wasm_store *s,
		     const struct wasm_module *m, const struct wasm_linker *l,
		     struct wasm_error *err);

/* Add every export of inst to l under module name (spec `register`). */
int wasm_linker_define_instance(struct wasm_linker *l, const char *module,
				struct wasm_instance *inst);

/* Export by name; 0 or WASM_ERR_LINK if absent. */
int wasm_instance_export(const struct wasm_instance *inst, const char *name,
			 struct wasm_extern *out);
/* The same for a name of len bytes (export names may contain NUL). */
int wasm_instance_export_n(const struct wasm_instance *inst, const char *name, size_t len,
			   struct wasm_extern *out);
/* The exported function name, or NULL. */
struct wasm_func *wasm_instance_func(const struct wasm_instance *inst, const char *name);
/* The instance's memory 0, or NULL. */
struct wasm_memory *wasm_instance_memory(const struct wasm_instance *inst);

/* ---- functions, memories, tables, globals ------------------------------ */

/* Borrowed arrays of the function's parameter / result types. */
void wasm_func_type(const struct wasm_func *f, const enum wasm_valtype **params, size_t *nparams,
		    const enum wasm_valtype **results, size_t *nresults);

/*
 * Call f with typed arguments (types must match exactly, else WASM_ERR_ARG)
 * and receive nresults results (must equal the function's result count).
 * Runs with the store's fuel and limits.  Returns 0, WASM_ERR_TRAP (err
 * says why; the store stays usable), WASM_ERR_ARG or WASM_ERR_NOMEM.
 */
int wasm_func_call(struct wasm_store *s, struct wasm_func *f, const struct wasm_value *args,
		   size_t nargs, struct wasm_value *results, size_t nresults,
		   struct wasm_error *err);

/* Memory bytes and size (bytes).  The data pointer changes on grow. */
uint8_t *wasm_memory_data(const struct wasm_memory *mem);
uint64_t wasm_memory_size(const struct wasm_memory *mem);
/* Pointer to [addr, addr+len) or NULL if out of bounds. */
void *wasm_memory_ptr(const struct wasm_memory *mem, uint64_t addr, uint64_t len);
/* Grow by delta pages; returns the old page count or -1 (limit, max, OOM). */
int64_t wasm_memory_grow(struct wasm_memory *mem, uint32_t delta);

void wasm_global_get(const struct wasm_global *g, struct wasm_value *out);
/* 0, or WASM_ERR_ARG if immutable or of another type. */
int wasm_global_set(struct wasm_global *g, const struct wasm_value *v);

uint32_t wasm_table_size(const struct wasm_table *t);
/* 0, or WASM_ERR_ARG if idx is out of bounds. */
int wasm_table_get(const struct wasm_table *t, uint32_t idx, struct wasm_value *out);

#endif
