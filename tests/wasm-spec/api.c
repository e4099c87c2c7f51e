/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.c - the engine's embedding API and limits: fuel (exact and
 * deterministic, charged by calls and branches back to loops), call depth,
 * memory limits, host functions (results, traps, exit, bounds-checked
 * memory access), linking errors, SIMD and malformed-module rejection,
 * interrupts, argument checking.
 *
 * The test module (wat2wasm output, embedded):
 * (module
 *   (import "env" "host" (func $host (param i32) (result i32)))
 *   (memory (export "mem") 1)
 *   (func (export "spin") (param i32) (result i32) (local i32)
 *     (loop
 *       (local.set 1 (i32.add (local.get 1) (i32.const 1)))
 *       (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
 *     (local.get 1))
 *   (func $rec (export "rec") (param i32) (result i32)
 *     (call $rec (i32.add (local.get 0) (i32.const 1))))
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *   (func (export "callhost") (param i32) (result i32) (call $host (local.get 0)))
 *   (func (export "f32id") (param f32) (result f32) (local.get 0))
 *   (func (export "fill") (param i32) (result i32)
 *     (memory.fill (i32.const 0) (i32.const 1) (local.get 0)) (i32.const 0))
 * )
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/wasm/wasm.h"

static const uint8_t wasm_a[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x02, 0x60,
	0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7d, 0x01, 0x7d, 0x02, 0x0c, 0x01,
	0x03, 0x65, 0x6e, 0x76, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x03,
	0x07, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00,
	0x01, 0x07, 0x35, 0x07, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x04, 0x73,
	0x70, 0x69, 0x6e, 0x00, 0x01, 0x03, 0x72, 0x65, 0x63, 0x00, 0x02, 0x04,
	0x67, 0x72, 0x6f, 0x77, 0x00, 0x03, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x68,
	0x6f, 0x73, 0x74, 0x00, 0x04, 0x05, 0x66, 0x33, 0x32, 0x69, 0x64, 0x00,
	0x05, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x06, 0x0a, 0x44, 0x06, 0x17,
	0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01,
	0x20, 0x01, 0x20, 0x00, 0x49, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x09,
	0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x10, 0x02, 0x0b, 0x06, 0x00, 0x20,
	0x00, 0x40, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b, 0x04,
	0x00, 0x20, 0x00, 0x0b, 0x0d, 0x00, 0x41, 0x00, 0x41, 0x01, 0x20, 0x00,
	0xfc, 0x0b, 0x00, 0x41, 0x00, 0x0b
};
static const uint8_t wasm_big[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00,
	0x08
};
static const uint8_t wasm_simd[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
	0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x08, 0x01, 0x06, 0x01,
	0x01, 0x7b, 0x41, 0x00, 0x0b
};

/*
 * Branches back to loops (with br_table, and with values moved by br and
 * br_if) charge the loop's fuel; the module (wat2wasm output, embedded):
 * (module
 *   (func (export "table_spin") (param i32) (result i32)
 *     (loop $l
 *       (br_table $l $l (local.get 0)))
 *     (i32.const 0))
 *   (func (export "br_if_values_spin") (param i32) (result i32)
 *     (local.get 0)
 *     (loop $l (param i32) (result i32)
 *       (i32.const 5)
 *       (i32.add)
 *       (i32.const 7)
 *       (local.get 0)
 *       (br_if $l)
 *       (drop)))
 *   (func (export "br_values_spin") (param i32) (result i32)
 *     (local.get 0)
 *     (loop $l (param i32) (result i32)
 *       (i32.const 5)
 *       (i32.add)
 *       (i32.const 7)
 *       (br $l)))
 *   (func (export "table_values") (param i32) (result i32)
 *     (local.get 0)
 *     (loop $l (param i32) (result i32)
 *       (i32.const 1)
 *       (i32.sub)
 *       (local.tee 0)
 *       (local.get 0)
 *       (br_table $l $l 1)))
 * )
 */
static const uint8_t wasm_loops[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
	0x01, 0x7f, 0x01, 0x7f, 0x03, 0x05, 0x04, 0x00, 0x00, 0x00, 0x00, 0x07,
	0x42, 0x04, 0x0a, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x73, 0x70, 0x69,
	0x6e, 0x00, 0x00, 0x11, 0x62, 0x72, 0x5f, 0x69, 0x66, 0x5f, 0x76, 0x61,
	0x6c, 0x75, 0x65, 0x73, 0x5f, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x01, 0x0e,
	0x62, 0x72, 0x5f, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x73, 0x5f, 0x73, 0x70,
	0x69, 0x6e, 0x00, 0x02, 0x0c, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x76,
	0x61, 0x6c, 0x75, 0x65, 0x73, 0x00, 0x03, 0x0a, 0x44, 0x04, 0x0d, 0x00,
	0x03, 0x40, 0x20, 0x00, 0x0e, 0x01, 0x00, 0x00, 0x0b, 0x41, 0x00, 0x0b,
	0x11, 0x00, 0x20, 0x00, 0x03, 0x00, 0x41, 0x05, 0x6a, 0x41, 0x07, 0x20,
	0x00, 0x0d, 0x00, 0x1a, 0x0b, 0x0b, 0x0e, 0x00, 0x20, 0x00, 0x03, 0x00,
	0x41, 0x05, 0x6a, 0x41, 0x07, 0x0c, 0x00, 0x0b, 0x0b, 0x13, 0x00, 0x20,
	0x00, 0x03, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x20, 0x00, 0x0e, 0x02,
	0x00, 0x00, 0x01, 0x0b, 0x0b
};

struct fixture {
	struct wasm_module *m;
	struct wasm_store *s;
	struct wasm_linker *l;
	struct wasm_instance *inst;
	int host_calls;
};

/* env.host(x): 2x for x < 100; x == 7 exits with 7; x >= 100 traps.  It
 * also checks the memory bounds helper on the caller's 64 KiB memory. */
static int host(struct wasm_call *call, void *env, const uint64_t *args, uint64_t *results)
{
	struct fixture *fx = env;
	uint32_t x = (uint32_t)args[0];

	fx->host_calls++;
	if (!wasm_call_mem(call, 65536 - 4, 4) || wasm_call_mem(call, 65536 - 3, 4) ||
	    wasm_call_mem(call, UINT64_MAX, 1) || !wasm_call_mem(call, 65536, 0))
		return wasm_call_trap(call, "memory bounds helper is wrong");
	if (x == 7)
		return wasm_call_exit(call, 7);
	if (x >= 100)
		return wasm_call_trap(call, "argument %u too big", x);
	results[0] = 2 * x;
	return 0;
}

static void setup_with(struct fixture *fx, const struct wasm_limits *lim)
{
	struct wasm_error err;

	memset(fx, 0, sizeof(*fx));
	assert_int_equal(wasm_module_load(&fx->m, wasm_a, sizeof(wasm_a), lim, &err), 0);
	fx->s = wasm_store_new(lim);
	fx->l = wasm_linker_new();
	assert_non_null(fx->s);
	assert_non_null(fx->l);
	assert_int_equal(wasm_linker_define_host(fx->l, fx->s, "env", "host", "i", "i", host, fx),
			 0);
	assert_int_equal(wasm_instantiate(&fx->inst, fx->s, fx->m, fx->l, &err), 0);
}

static void teardown(struct fixture *fx)
{
	wasm_linker_free(fx->l);
	wasm_store_free(fx->s);
	wasm_module_free(fx->m);
}

/* Call export name(x) -> i32; returns the engine's code. */
static int call1(struct fixture *fx, const char *name, uint32_t x, uint32_t *out,
		 struct wasm_error *err)
{
	struct wasm_value arg = { .type = WASM_I32 }, res;
	struct wasm_func *f = wasm_instance_func(fx->inst, name);
	int rc;

	assert_non_null(f);
	arg.u.i64 = 0;
	arg.u.i32 = x;
	rc = wasm_func_call(fx->s, f, &arg, 1, &res, 1, err);
	if (rc == 0) {
		assert_int_equal(res.type, WASM_I32);
		*out = res.u.i32;
	}
	return rc;
}

static uint64_t fuel_for_spin(uint32_t n)
{
	struct fixture fx;
	struct wasm_error err;
	uint32_t r = 0;
	uint64_t used;

	setup_with(&fx, NULL);
	wasm_store_set_fuel(fx.s, 1000000);
	assert_int_equal(call1(&fx, "spin", n, &r, &err), 0);
	assert_int_equal(r, n);
	used = 1000000 - wasm_store_fuel(fx.s);
	teardown(&fx);
	return used;
}

static void test_fuel(void **state)
{
	struct fixture fx;
	struct wasm_error err;
	uint64_t u1 = fuel_for_spin(1000), u2 = fuel_for_spin(1000), u3 = fuel_for_spin(2000);
	uint32_t r = 0;

	/* deterministic, and growing with the work done */
	assert_int_equal(u1, u2);
	assert_true(u3 > u1);
	assert_true(u1 >= 1000 * 5);
	/* exactly enough fuel succeeds; one unit less traps */
	setup_with(&fx, NULL);
	wasm_store_set_fuel(fx.s, u1);
	assert_int_equal(call1(&fx, "spin", 1000, &r, &err), 0);
	assert_int_equal(wasm_store_fuel(fx.s), 0);
	wasm_store_set_fuel(fx.s, u1 - 1);
	assert_int_equal(call1(&fx, "spin", 1000, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_FUEL);
	assert_string_equal(err.msg, "fuel exhausted");
	/* bulk memory work costs fuel in proportion to its size */
	wasm_store_set_fuel(fx.s, 100);
	assert_int_equal(call1(&fx, "fill", 64, &r, &err), 0);
	assert_int_equal(call1(&fx, "fill", 65536, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_FUEL);
	wasm_store_set_fuel(fx.s, 2000);
	assert_int_equal(call1(&fx, "fill", 65536, &r, &err), 0);
	assert_true(wasm_store_fuel(fx.s) < 2000 - 1024);
	/* the store stays usable */
	wasm_store_set_fuel(fx.s, UINT64_MAX);
	assert_int_equal(call1(&fx, "spin", 10, &r, &err), 0);
	assert_int_equal(r, 10);
	teardown(&fx);
}

/* Call export name(x) of inst with fuel 100000; returns the engine's code
 * and the fuel used. */
static int call_fueled(struct wasm_store *s, struct wasm_instance *inst, const char *name,
		       uint32_t x, uint32_t *out, uint64_t *used, struct wasm_error *err)
{
	struct wasm_value arg = { .type = WASM_I32 }, res;
	struct wasm_func *f = wasm_instance_func(inst, name);
	int rc;

	assert_non_null(f);
	arg.u.i64 = 0;
	arg.u.i32 = x;
	wasm_store_set_fuel(s, 100000);
	rc = wasm_func_call(s, f, &arg, 1, &res, 1, err);
	*used = 100000 - wasm_store_fuel(s);
	if (rc == 0)
		*out = res.u.i32;
	return rc;
}

static void test_loop_fuel(void **state)
{
	static const char *const spins[] = { "table_spin", "br_if_values_spin",
					     "br_values_spin" };
	struct wasm_module *m;
	struct wasm_store *s = wasm_store_new(NULL);
	struct wasm_linker *l = wasm_linker_new();
	struct wasm_instance *inst;
	struct wasm_error err;
	uint32_t r = 0;
	uint64_t used;

	assert_int_equal(wasm_module_load(&m, wasm_loops, sizeof(wasm_loops), NULL, &err), 0);
	assert_int_equal(wasm_instantiate(&inst, s, m, l, &err), 0);
	/* endless loops run out of fuel, whichever branch goes back */
	for (size_t i = 0; i < sizeof(spins) / sizeof(spins[0]); i++) {
		assert_int_equal(call_fueled(s, inst, spins[i], 1, &r, &used, &err),
				 WASM_ERR_TRAP);
		assert_int_equal(err.trap, WASM_TRAP_FUEL);
		assert_int_equal(used, 100000);
	}
	/* the call charges the whole body (7 instructions), each of the two
	 * branches back the loop's body (5) */
	assert_int_equal(call_fueled(s, inst, "table_values", 2, &r, &used, &err), 0);
	assert_int_equal(r, UINT32_MAX);
	assert_int_equal(used, 7 + 2 * 5);
	/* no branch back: the call's 8 only */
	assert_int_equal(call_fueled(s, inst, "br_if_values_spin", 0, &r, &used, &err), 0);
	assert_int_equal(r, 5);
	assert_int_equal(used, 8);
	wasm_linker_free(l);
	wasm_store_free(s);
	wasm_module_free(m);
}

static void test_call_depth(void **state)
{
	struct fixture fx;
	struct wasm_limits lim;
	struct wasm_error err;
	uint32_t r = 0;

	wasm_limits_default(&lim);
	lim.max_call_depth = 100;
	setup_with(&fx, &lim);
	assert_int_equal(call1(&fx, "rec", 0, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_CALL_DEPTH);
	assert_string_equal(err.msg, "call stack exhausted");
	assert_int_equal(call1(&fx, "spin", 3, &r, &err), 0);
	assert_int_equal(r, 3);
	teardown(&fx);

	/* a small value stack is exhausted before a deep call depth */
	lim.max_call_depth = 1000000;
	lim.max_stack_slots = 1000;
	setup_with(&fx, &lim);
	assert_int_equal(call1(&fx, "rec", 0, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_STACK);
	teardown(&fx);
}

static void test_memory_limit(void **state)
{
	struct fixture fx;
	struct wasm_limits lim;
	struct wasm_error err;
	struct wasm_module *m = NULL;
	struct wasm_instance *inst = NULL;
	uint32_t r = 0;

	wasm_limits_default(&lim);
	lim.max_memory_pages = 4;
	setup_with(&fx, &lim);
	assert_int_equal(call1(&fx, "grow", 2, &r, &err), 0);
	assert_int_equal(r, 1);
	assert_int_equal(wasm_memory_size(wasm_instance_memory(fx.inst)), 3 * 65536);
	assert_int_equal(call1(&fx, "grow", 2, &r, &err), 0);
	assert_int_equal(r, UINT32_MAX); /* -1: over the limit, memory unchanged */
	assert_int_equal(wasm_memory_size(wasm_instance_memory(fx.inst)), 3 * 65536);
	assert_int_equal(call1(&fx, "grow", 1, &r, &err), 0);
	assert_int_equal(r, 3);
	/* a module whose memory starts above the limit is refused */
	assert_int_equal(wasm_module_load(&m, wasm_big, sizeof(wasm_big), &lim, &err), 0);
	assert_int_equal(wasm_instantiate(&inst, fx.s, m, NULL, &err), WASM_ERR_LIMIT);
	assert_null(inst);
	wasm_module_free(m);
	teardown(&fx);
}

static void test_host_functions(void **state)
{
	struct fixture fx;
	struct wasm_error err;
	uint32_t r = 0;

	setup_with(&fx, NULL);
	assert_int_equal(call1(&fx, "callhost", 21, &r, &err), 0);
	assert_int_equal(r, 42);
	assert_int_equal(call1(&fx, "callhost", 100, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_HOST);
	assert_string_equal(err.msg, "argument 100 too big");
	assert_int_equal(call1(&fx, "callhost", 7, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_EXIT);
	assert_int_equal(err.exit_code, 7);
	assert_int_equal(fx.host_calls, 3);
	teardown(&fx);
}

static void test_link_errors(void **state)
{
	struct wasm_module *m = NULL;
	struct wasm_store *s = wasm_store_new(NULL);
	struct wasm_linker *l = wasm_linker_new();
	struct wasm_instance *inst = NULL;
	struct wasm_error err;
	struct fixture fx;

	assert_int_equal(wasm_module_load(&m, wasm_a, sizeof(wasm_a), NULL, &err), 0);
	assert_int_equal(wasm_instantiate(&inst, s, m, l, &err), WASM_ERR_LINK);
	assert_non_null(strstr(err.msg, "unknown import"));
	/* right name, wrong signature */
	assert_int_equal(wasm_linker_define_host(l, s, "env", "host", "I", "i", host, &fx), 0);
	assert_int_equal(wasm_instantiate(&inst, s, m, l, &err), WASM_ERR_LINK);
	assert_non_null(strstr(err.msg, "incompatible import type"));
	assert_null(inst);
	/* a bad signature string is refused */
	assert_int_not_equal(wasm_linker_define_host(l, s, "env", "x", "q", "", host, &fx), 0);
	wasm_linker_free(l);
	wasm_store_free(s);
	wasm_module_free(m);
}

static void test_rejected_modules(void **state)
{
	struct wasm_module *m = NULL;
	struct wasm_limits lim;
	struct wasm_error err;

	assert_int_equal(wasm_module_load(&m, wasm_simd, sizeof(wasm_simd), NULL, &err),
			 WASM_ERR_INVALID);
	assert_non_null(strstr(err.msg, "simd is not supported"));
	assert_null(m);
	/* every truncation is malformed, except cuts at a section boundary that
	 * leave a complete smaller module */
	for (size_t len = 0, ok = 0; len < sizeof(wasm_a); len++) {
		int rc = wasm_module_load(&m, wasm_a, len, NULL, &err);
		assert_true(rc == WASM_ERR_MALFORMED || rc == 0);
		assert_true(rc != 0 || m != NULL);
		ok += rc == 0;
		assert_true(ok <= 5);
		wasm_module_free(m);
		m = NULL;
	}
	wasm_limits_default(&lim);
	lim.max_module_size = 100;
	assert_int_equal(wasm_module_load(&m, wasm_a, sizeof(wasm_a), &lim, &err),
			 WASM_ERR_LIMIT);
	assert_null(m);
}

static void test_interrupt_and_arguments(void **state)
{
	struct fixture fx;
	struct wasm_error err;
	struct wasm_value v = { .type = WASM_I64 }, res;
	uint32_t r = 0;

	setup_with(&fx, NULL);
	wasm_store_interrupt(fx.s);
	assert_int_equal(call1(&fx, "spin", 0xffffffffu, &r, &err), WASM_ERR_TRAP);
	assert_int_equal(err.trap, WASM_TRAP_INTERRUPTED);
	assert_int_equal(call1(&fx, "spin", 5, &r, &err), 0);
	assert_int_equal(r, 5);
	/* wrong argument type and count */
	v.u.i64 = 1;
	assert_int_equal(wasm_func_call(fx.s, wasm_instance_func(fx.inst, "spin"), &v, 1, &res, 1,
					&err),
			 WASM_ERR_ARG);
	assert_int_equal(wasm_func_call(fx.s, wasm_instance_func(fx.inst, "spin"), NULL, 0, &res,
					1, &err),
			 WASM_ERR_ARG);
	/* f32 values travel as bits: a signalling NaN comes back unchanged */
	v.type = WASM_F32;
	v.u.i64 = 0;
	v.u.f32 = 0x7fa00001u;
	assert_int_equal(wasm_func_call(fx.s, wasm_instance_func(fx.inst, "f32id"), &v, 1, &res,
					1, &err),
			 0);
	assert_int_equal(res.u.f32, 0x7fa00001u);
	assert_null(wasm_instance_func(fx.inst, "absent"));
	teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_loop_fuel),
		cmocka_unit_test(test_call_depth),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_host_functions),
		cmocka_unit_test(test_link_errors),
		cmocka_unit_test(test_rejected_modules),
		cmocka_unit_test(test_interrupt_and_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
