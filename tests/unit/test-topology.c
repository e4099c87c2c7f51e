/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-topology.c - the topology compiler as a library: a golden policy,
 * all errors of a file reported with positions, warnings, how named files
 * are resolved and read, and the bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/policy.h"
#include "lib/topology.h"
#include "test-certs.h"

#define CORPUS ABS_TOP_SRCDIR "/tests/fuzz/corpus"

/* Files served to the compiler; every path asked for is recorded. */
struct served {
	char asked[16][256];
	size_t nasked;
};

static int serve(void *arg, const char *path, size_t max, struct ccctl_buf *out)
{
	struct served *s = arg;
	const char *content = NULL;

	if (s->nasked < 16)
		snprintf(s->asked[s->nasked++], sizeof(s->asked[0]), "%s", path);
	if (strstr(path, "alice.crt"))
		content = alice_crt;
	else if (strstr(path, "bob.crt"))
		content = bob_crt;
	else if (strstr(path, "carol.crt"))
		content = carol_crt;
	else if (strstr(path, ".wasm"))
		content = "x\n";
	else if (strstr(path, "runtime"))
		content = "runtime";
	if (!content)
		return ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": no such file", path);
	if (strlen(content) > max)
		return ccctl_err_set(CCCTL_EINVAL, "file \"%s\" is too large", path);
	return ccctl_buf_append_str(out, content);
}

static int compile(struct ccctl_policy **p, struct ccctl_diags *d, const char *yaml,
		   struct served *s, const char *runtime)
{
	struct ccctl_topology_opts opts = {"/base", runtime, serve, s};

	return ccctl_topology_compile(p, d, "t.yaml", yaml, strlen(yaml), &opts);
}

static bool has_diag(const struct ccctl_diags *d, enum ccctl_diag_level level, unsigned line,
		     unsigned col, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].level == level && d->items[i].line == line &&
		    d->items[i].col == col && strstr(d->items[i].message, text) &&
		    strcmp(d->items[i].file, "t.yaml") == 0)
			return true;
	return false;
}

/* The seed topology compiles to exactly the seed policy (both in the fuzz
 * corpus): the compiler's output is stable. */
static void test_golden(void **state)
{
	struct ccctl_buf yaml, want;
	struct ccctl_policy *p = NULL;
	struct ccctl_diags d;
	struct served s = {.nasked = 0};

	(void)state;
	ccctl_buf_init(&yaml);
	ccctl_buf_init(&want);
	ccctl_diags_init(&d);
	assert_int_equal(ccctl_file_read(&yaml, CORPUS "/topology/base.yaml", 1 << 20), 0);
	assert_int_equal(ccctl_file_read(&want, CORPUS "/policy/base.json", 1 << 20), 0);
	assert_int_equal(compile(&p, &d, (const char *)yaml.data, &s, NULL), 0);
	assert_int_equal(p->canonical.len, want.len);
	assert_memory_equal(p->canonical.data, want.data, want.len);
	/* Relative names are joined to the base folder, in file order. */
	assert_int_equal(s.nasked, 4);
	assert_string_equal(s.asked[0], "/base/ids/alice.crt");
	assert_string_equal(s.asked[3], "/base/programs/psi.wasm");
	/* One warning: sim without a measurement. */
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.items[0].level, CCCTL_DIAG_WARNING);
	assert_non_null(strstr(d.items[0].message, "sim"));
	ccctl_policy_free(p);
	ccctl_diags_release(&d);
	ccctl_buf_release(&yaml);
	ccctl_buf_release(&want);
}

/* Every broken rule of a file is reported, each with its position. */
static void test_all_errors(void **state)
{
	struct ccctl_buf yaml;
	struct ccctl_policy *p = (struct ccctl_policy *)1;
	struct ccctl_diags d;
	struct served s = {.nasked = 0};
	size_t i;

	(void)state;
	ccctl_buf_init(&yaml);
	ccctl_diags_init(&d);
	assert_int_equal(ccctl_file_read(&yaml, CORPUS "/topology/errors.yaml", 1 << 20), 0);
	assert_int_equal(compile(&p, &d, (const char *)yaml.data, &s, NULL), CCCTL_EINVAL);
	assert_null(p);
	assert_true(d.errors >= 25);
	for (i = 0; i < d.n; i++)
		if (d.items[i].level == CCCTL_DIAG_ERROR)
			assert_true(d.items[i].line > 0 && d.items[i].col > 0);
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 1, 10, "\"version\": expected 1"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 3, 1, "did you mean \"name\"?"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 6, 10, "did you mean \"certificate\"?"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 7, 25, "cannot read certificate"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 11, 15, "unknown participant \"carl\""));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 14, 46, "reads \"/input/\" repeated"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 26, 14, "did you mean \"psi\"?"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 28, 28, "did you mean \"nitro\"?"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 30, 10, "invalid time"));
	assert_true(has_diag(&d, CCCTL_DIAG_ERROR, 31, 19, "expected true or false"));
	assert_non_null(strstr(ccctl_err_msg(), "errors"));
	ccctl_diags_release(&d);
	ccctl_buf_release(&yaml);
}

static const char small[] = "version: 1\n"
			    "name: small\n"
			    "participants:\n"
			    "  alice: { certificate: /abs/alice.crt }\n"
			    "  bob: { certificate: bob.crt }\n"
			    "programs:\n"
			    "  - { name: p, provider: alice, wasm: p.wasm, writes: [/o/] }\n"
			    "outputs:\n"
			    "  - { path: /o/x, to: [alice] }\n";

static void test_warnings_and_runtime(void **state)
{
	struct ccctl_policy *p = NULL;
	struct ccctl_diags d;
	struct served s = {.nasked = 0};
	uint8_t want[32];
	char hex[65];

	(void)state;
	ccctl_diags_init(&d);
	assert_int_equal(compile(&p, &d, small, &s, "/opt/runtime"), 0);
	/* Absolute names are used as they are; the runtime is read as given. */
	assert_string_equal(s.asked[0], "/abs/alice.crt");
	assert_string_equal(s.asked[1], "/base/bob.crt");
	assert_string_equal(s.asked[3], "/opt/runtime");
	ccctl_sha256(want, "runtime", 7);
	ccctl_hex_encode(hex, want, 32);
	assert_string_equal(ccctl_policy_measurement(&p->backends[0], "sha256"), hex);
	assert_true(has_diag(&d, CCCTL_DIAG_WARNING, 5, 3, "participant \"bob\" has no role"));
	assert_int_equal(d.errors, 0);
	assert_int_equal(p->ninputs, 0);
	assert_int_equal(p->nprograms, 1);
	assert_int_equal(p->programs[0].nreads, 0);
	ccctl_policy_free(p);
	ccctl_diags_release(&d);

	/* An unreadable runtime is an error. */
	ccctl_diags_init(&d);
	s.nasked = 0;
	assert_int_equal(compile(&p, &d, small, &s, "/opt/missing"), CCCTL_EINVAL);
	assert_true(d.errors == 1);
	ccctl_diags_release(&d);
}

static void test_bounds(void **state)
{
	struct ccctl_policy *p = NULL;
	struct ccctl_diags d;
	struct served s = {.nasked = 0};
	struct ccctl_topology_opts opts = {NULL, NULL, serve, &s};
	char *big = calloc(CCCTL_TOPOLOGY_MAX_SIZE + 1, 1);

	(void)state;
	assert_non_null(big);
	memset(big, '#', CCCTL_TOPOLOGY_MAX_SIZE + 1);
	ccctl_diags_init(&d);
	assert_int_equal(
	    ccctl_topology_compile(&p, &d, "big.yaml", big, CCCTL_TOPOLOGY_MAX_SIZE + 1, &opts),
	    CCCTL_EINVAL);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.items[0].message, "too large"));
	ccctl_diags_release(&d);
	free(big);

	ccctl_diags_init(&d);
	assert_int_equal(ccctl_topology_compile_file(&p, &d, "/nonexistent/t.yaml", NULL),
			 CCCTL_EFAIL);
	assert_null(p);
	ccctl_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden),
	    cmocka_unit_test(test_all_errors),
	    cmocka_unit_test(test_warnings_and_runtime),
	    cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
