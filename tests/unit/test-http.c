/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-http.c - the runtime's strict HTTP/1.1 request-head parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/http.h"

static int parse(struct rt_http_request *r, const char *s)
{
	const char *why;

	return rt_http_parse(r, (const uint8_t *)s, strlen(s), &why);
}

static void test_valid(void **state)
{
	struct rt_http_request r;
	char nonce[65];
	const char *s = "GET /v1/evidence?nonce=00ff HTTP/1.1\r\nHost: x\r\n\r\nextra";

	assert_int_equal(parse(&r, s), 1);
	assert_int_equal(r.method, RT_HTTP_GET);
	assert_string_equal(r.path, "/v1/evidence");
	assert_string_equal(r.query, "nonce=00ff");
	assert_int_equal(r.head_len, strlen(s) - strlen("extra"));
	assert_int_equal(rt_http_query_get(r.query, "nonce", nonce, sizeof(nonce)), 0);
	assert_string_equal(nonce, "00ff");
	assert_int_equal(rt_http_query_get(r.query, "other", nonce, sizeof(nonce)), -1);
	assert_int_equal(rt_http_query_get("nonce=1&nonce=2", "nonce", nonce, sizeof(nonce)), -1);
	assert_int_equal(rt_http_query_get("nonce=12345", "nonce", nonce, 3), -1);

	assert_int_equal(parse(&r, "PUT /v1/files/input/a%2Ecsv HTTP/1.1\r\nHost: x\r\n"
				   "Content-Length: 1234\r\nExpect: 100-continue\r\n"
				   "Connection: close\r\n\r\n"),
			 1);
	assert_int_equal(r.method, RT_HTTP_PUT);
	assert_string_equal(r.path, "/v1/files/input/a.csv");
	assert_true(r.has_content_length);
	assert_int_equal(r.content_length, 1234);
	assert_true(r.expect_continue);
	assert_true(r.close);
}

static void test_incomplete(void **state)
{
	struct rt_http_request r;

	assert_int_equal(parse(&r, ""), 0);
	assert_int_equal(parse(&r, "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
}

static void test_rejected(void **state)
{
	static const struct {
		const char *req;
		int status;
	} cases[] = {
	    {"GET / HTTP/1.1\r\n\r\n", -400},			    /* no Host */
	    {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400}, /* two Hosts */
	    {"GET / HTTP/1.0\r\nHost: x\r\n\r\n", -505},
	    {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", -400},
	    {"get / HTTP/1.1\r\nHost: x\r\n\r\n", -405},
	    {"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", -405},
	    {"PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", -501},
	    {"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", -400},
	    {"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", -400},
	    {"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999\r\n\r\n", -400},
	    {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", -400},
	    {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", -400},
	    {"GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", -400},
	    {"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", -400},
	    {"GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", -400},
	    {"GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", -400},
	    {"GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", -400},
	    {"GET / HTTP/1.1\nHost: x\r\n\r\n", -400}, /* bare LF */
	    {"GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", -400},
	    {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", -400},
	};
	struct rt_http_request r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = parse(&r, cases[i].req);
		if (got != cases[i].status)
			fail_msg("case %zu: got %d, expected %d", i, got, cases[i].status);
	}
}

static void test_bounds(void **state)
{
	struct rt_http_request r;
	const char *why;
	size_t n = RT_HTTP_MAX_HEAD + 10;
	char *big = malloc(n + 1);

	assert_non_null(big);
	/* A head that never ends within 16 KiB. */
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	memset(big + 19, 'a', n - 19);
	big[n] = '\0';
	assert_int_equal(rt_http_parse(&r, (uint8_t *)big, n, &why), -431);
	/* More than 64 header fields. */
	{
		char *p = big;
		p += sprintf(p, "GET / HTTP/1.1\r\nHost: x\r\n");
		for (int i = 0; i < 70; i++)
			p += sprintf(p, "X%d: y\r\n", i);
		p += sprintf(p, "\r\n");
		assert_int_equal(parse(&r, big), -431);
	}
	/* A path longer than the limit. */
	{
		char *p = big;
		p += sprintf(p, "GET /");
		memset(p, 'a', RT_HTTP_MAX_PATH + 5);
		p += RT_HTTP_MAX_PATH + 5;
		sprintf(p, " HTTP/1.1\r\nHost: x\r\n\r\n");
		assert_int_equal(parse(&r, big), -400);
	}
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_incomplete),
	    cmocka_unit_test(test_rejected),
	    cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
