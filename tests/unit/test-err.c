/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-err.c - per-thread error message and diagnostics lists.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/err.h>

#include "err.h"

static void test_set_and_clear(void **state)
{
	ccctl_err_clear();
	assert_string_equal(ccctl_err_msg(), "");
	assert_int_equal(ccctl_err_code(), 0);
	assert_int_equal(
	    ccctl_err_set(CCCTL_EVERIFY, "bad \"%s\": expected %d, found %d", "x", 1, 2),
	    CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "bad \"x\": expected 1, found 2");
	assert_int_equal(ccctl_err_code(), CCCTL_EVERIFY);
	assert_int_equal(ccctl_err_nomem(), CCCTL_EFAIL);
	assert_string_equal(ccctl_err_msg(), "out of memory");
	errno = ENOENT;
	assert_int_equal(ccctl_err_errno(CCCTL_EINVAL, "open \"f\""), CCCTL_EINVAL);
	assert_string_equal(ccctl_err_msg(), "open \"f\": No such file or directory");
	ccctl_err_clear();
	assert_string_equal(ccctl_err_msg(), "");
}

/* Adding context to the current message reuses it as an argument. */
static void test_prefix_own_message(void **state)
{
	ccctl_err_set(CCCTL_EINVAL, "json: bad at offset %d", 3);
	ccctl_err_set(ccctl_err_code(), "policy \"p.json\": %s", ccctl_err_msg());
	assert_string_equal(ccctl_err_msg(), "policy \"p.json\": json: bad at offset 3");
	assert_int_equal(ccctl_err_code(), CCCTL_EINVAL);
	ERR_clear_error();
	ccctl_err_openssl(CCCTL_EFAIL, ccctl_err_msg());
	assert_string_equal(ccctl_err_msg(), "policy \"p.json\": json: bad at offset 3");
}

static void test_truncation(void **state)
{
	char big[3000];
	size_t len;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ccctl_err_set(CCCTL_EINVAL, "%s", big);
	len = strlen(ccctl_err_msg());
	assert_int_equal(len, 1023);
	assert_string_equal(ccctl_err_msg() + len - 3, "...");
}

static void test_openssl(void **state)
{
	BIO *bio;

	ERR_clear_error();
	bio = BIO_new_file("/nonexistent/ccctl", "r");
	assert_null(bio);
	assert_int_not_equal(ERR_peek_error(), 0);
	assert_int_equal(ccctl_err_openssl(CCCTL_EFAIL, "cannot load \"x\""), CCCTL_EFAIL);
	assert_memory_equal(ccctl_err_msg(), "cannot load \"x\": error:", 22);
	/* The queue is consumed. */
	assert_int_equal(ERR_peek_error(), 0);
	assert_int_equal(ccctl_err_openssl(CCCTL_EVERIFY, "verify"), CCCTL_EVERIFY);
	assert_string_equal(ccctl_err_msg(), "verify");
}

static void *other_thread(void *arg)
{
	ccctl_err_set(CCCTL_EDENIED, "from another thread");
	return NULL;
}

static void test_thread_local(void **state)
{
	pthread_t t;

	ccctl_err_set(CCCTL_EINVAL, "mine");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(ccctl_err_msg(), "mine");
	assert_int_equal(ccctl_err_code(), CCCTL_EINVAL);
}

static void test_diags(void **state)
{
	struct ccctl_diags d;
	int i;

	ccctl_diags_init(&d);
	assert_int_equal(ccctl_diags_add(&d, CCCTL_DIAG_ERROR, "t.yaml", 3, 7, "bad %s", "x"), 0);
	assert_int_equal(ccctl_diags_add(&d, CCCTL_DIAG_WARNING, NULL, 0, 0, "note"), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(
		    ccctl_diags_add(&d, CCCTL_DIAG_ERROR, "f", (unsigned)i, 1, "%d", i), 0);
	assert_int_equal(d.n, 102);
	assert_int_equal(d.errors, 101);
	assert_string_equal(d.items[0].file, "t.yaml");
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].col, 7);
	assert_string_equal(d.items[0].message, "bad x");
	assert_int_equal(d.items[1].level, CCCTL_DIAG_WARNING);
	assert_null(d.items[1].file);
	assert_string_equal(d.items[101].message, "99");
	ccctl_diags_release(&d);
	assert_int_equal(d.n, 0);
	assert_null(d.items);
	ccctl_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_set_and_clear), cmocka_unit_test(test_prefix_own_message),
	    cmocka_unit_test(test_truncation),	  cmocka_unit_test(test_openssl),
	    cmocka_unit_test(test_thread_local),  cmocka_unit_test(test_diags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
