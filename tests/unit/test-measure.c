/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-measure.c - measurements.json, comparison, nitro-cli's JSON shape
 * and the PCR extend (lib/measure.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "lib/json.h"
#include "lib/measure.h"

#define H48(c)                                                                                     \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c  \
	    c c c
#define HEX96(a, b) H48(a b)

static void sample(struct ccctl_measurements *m)
{
	memset(m, 0, sizeof(*m));
	m->has_sim = true;
	memset(m->sim_sha256, 0xab, sizeof(m->sim_sha256));
	m->has_nitro = true;
	memset(m->nitro.pcr0, 0x01, CCCTL_SHA384_LEN);
	memset(m->nitro.pcr1, 0x02, CCCTL_SHA384_LEN);
	memset(m->nitro.pcr2, 0xfe, CCCTL_SHA384_LEN);
}

static void expect_parse_error(const char *json, const char *want)
{
	struct ccctl_measurements m;

	assert_int_equal(ccctl_measure_parse(&m, json, strlen(json)), CCCTL_EINVAL);
	if (!strstr(ccctl_err_msg(), want))
		fail_msg("message \"%s\" lacks \"%s\"", ccctl_err_msg(), want);
}

/* Hex of n copies of byte b into out (2n + 1 bytes). */
static const char *hexrep(char *out, uint8_t b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b);
	return out;
}

static void test_write_canonical(void **state)
{
	char want[1024], h0[97], h1[97], h2[97], hs[65];
	struct ccctl_measurements m, back;
	struct ccctl_buf out;

	sample(&m);
	snprintf(want, sizeof(want),
		 "{\"nitro\":{\"pcr0\":\"%s\",\"pcr1\":\"%s\",\"pcr2\":\"%s\"},"
		 "\"sim\":{\"sha256\":\"%s\"}}\n",
		 hexrep(h0, 0x01, 48), hexrep(h1, 0x02, 48), hexrep(h2, 0xfe, 48),
		 hexrep(hs, 0xab, 32));
	ccctl_buf_init(&out);
	assert_int_equal(ccctl_measure_write(&out, &m), 0);
	assert_string_equal((char *)out.data, want);
	assert_int_equal(ccctl_measure_parse(&back, out.data, out.len), 0);
	assert_true(back.has_sim && back.has_nitro);
	assert_memory_equal(&back, &m, sizeof(m));
	assert_int_equal(ccctl_measure_compare(&m, &back), 0);
	ccctl_buf_release(&out);

	/* Only the backends present are written. */
	m.has_sim = false;
	ccctl_buf_init(&out);
	assert_int_equal(ccctl_measure_write(&out, &m), 0);
	assert_null(strstr((char *)out.data, "sim"));
	ccctl_buf_release(&out);
}

static void test_parse_rejects(void **state)
{
	const char *pcr = "\"" HEX96("0", "1") "\"";
	char buf[1024];

	expect_parse_error("[]", "expected an object");
	expect_parse_error("{}", "no backend");
	expect_parse_error("{\"tdx\":{}}", "unknown member \"tdx\"");
	expect_parse_error("{\"sim\":[]}", "\"sim\": expected an object");
	expect_parse_error("{\"sim\":{}}", "\"sim.sha256\" is missing");
	expect_parse_error("{\"sim\":{\"sha256\":1}}", "expected a string");
	expect_parse_error("{\"sim\":{\"sha256\":\"abcd\"}}", "expected 64 lowercase hex digits");
	snprintf(buf, sizeof(buf), "{\"sim\":{\"sha256\":\"%.64s\"}}", H48("AB") H48("AB"));
	expect_parse_error(buf, "expected 64 lowercase hex digits");
	snprintf(buf, sizeof(buf), "{\"sim\":{\"sha256\":\"%.64s\",\"x\":\"1\"}}",
		 H48("ab") H48("ab"));
	expect_parse_error(buf, "unknown member \"x\" in \"sim\"");
	snprintf(buf, sizeof(buf), "{\"nitro\":{\"pcr0\":%s,\"pcr1\":%s}}", pcr, pcr);
	expect_parse_error(buf, "\"nitro.pcr2\" is missing");
	snprintf(buf, sizeof(buf), "{\"nitro\":{\"pcr0\":%s,\"pcr1\":%s,\"pcr2\":%s,\"pcr9\":%s}}",
		 pcr, pcr, pcr, pcr);
	expect_parse_error(buf, "unknown member \"pcr9\" in \"nitro\"");
	expect_parse_error("{\"sim\":{\"sha256\":\"a\"}", "json");
	/* Trailing white space (a final newline) is fine. */
	snprintf(buf, sizeof(buf), "{\"nitro\":{\"pcr0\":%s,\"pcr1\":%s,\"pcr2\":%s}}\n \n", pcr,
		 pcr, pcr);
	{
		struct ccctl_measurements m;

		assert_int_equal(ccctl_measure_parse(&m, buf, strlen(buf)), 0);
		assert_true(m.has_nitro);
		assert_false(m.has_sim);
		assert_int_equal(m.nitro.pcr2[47], 0x01);
	}
}

static void test_compare(void **state)
{
	struct ccctl_measurements a, b;
	char want[512], h1[97], h1x[97];

	sample(&a);
	sample(&b);
	b.nitro.pcr1[47] ^= 1;
	assert_int_equal(ccctl_measure_compare(&a, &b), CCCTL_EVERIFY);
	hexrep(h1, 0x02, 48);
	memcpy(h1x, h1, sizeof(h1));
	h1x[95] = '3';
	snprintf(want, sizeof(want), "measurement mismatch: nitro pcr1: expected %s, found %s", h1,
		 h1x);
	assert_string_equal(ccctl_err_msg(), want);
	sample(&b);
	b.sim_sha256[0] = 0;
	assert_int_equal(ccctl_measure_compare(&a, &b), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "measurement mismatch: sim sha256: expected ab"));
	sample(&b);
	b.has_nitro = false;
	assert_int_equal(ccctl_measure_compare(&a, &b), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "nitro: expected measurements, found none"));
	/* Backends absent from the expectation are not compared. */
	a.has_nitro = false;
	assert_int_equal(ccctl_measure_compare(&a, &b), 0);
}

static void test_nitro_cli_shape(void **state)
{
	struct ccctl_measurements m;
	struct ccctl_json *doc = NULL;
	const struct ccctl_json *inner;
	struct ccctl_buf out;

	sample(&m);
	assert_int_equal(ccctl_measure_nitro_cli_json(&doc, &m.nitro), 0);
	inner = ccctl_json_get(doc, "Measurements");
	assert_non_null(inner);
	assert_int_equal(inner->u.obj.n, 4);
	assert_string_equal(inner->u.obj.members[0].key, "HashAlgorithm");
	assert_string_equal(ccctl_json_get_string(inner, "HashAlgorithm"), "Sha384 { ... }");
	assert_string_equal(ccctl_json_get_string(inner, "PCR0"), HEX96("0", "1"));
	assert_string_equal(ccctl_json_get_string(inner, "PCR2"), HEX96("f", "e"));
	ccctl_buf_init(&out);
	assert_int_equal(ccctl_json_write_canonical(&out, doc), 0);
	assert_memory_equal(out.data,
			    "{\"Measurements\":{\"HashAlgorithm\":\"Sha384 { ... }\","
			    "\"PCR0\":\"0101",
			    53);
	ccctl_buf_release(&out);
	ccctl_json_free(doc);
}

static void test_extend(void **state)
{
	uint8_t prev[CCCTL_SHA384_LEN], got[CCCTL_SHA384_LEN], want[CCCTL_SHA384_LEN];
	uint8_t in[CCCTL_SHA384_LEN + 3];
	unsigned int n;

	memset(prev, 0x5a, sizeof(prev));
	memcpy(in, prev, sizeof(prev));
	memcpy(in + sizeof(prev), "abc", 3);
	assert_int_equal(EVP_Digest(in, sizeof(in), want, &n, EVP_sha384(), NULL), 1);
	assert_int_equal(ccctl_measure_pcr_extend(got, prev, "abc", 3), 0);
	assert_memory_equal(got, want, sizeof(want));
	/* NULL prev is the zero PCR. */
	memset(in, 0, sizeof(prev));
	assert_int_equal(EVP_Digest(in, sizeof(in), want, &n, EVP_sha384(), NULL), 1);
	assert_int_equal(ccctl_measure_pcr_extend(got, NULL, "abc", 3), 0);
	assert_memory_equal(got, want, sizeof(want));
}

static void test_files(void **state)
{
	uint8_t sha[CCCTL_SHA256_LEN];
	struct ccctl_measurements m;

	assert_int_equal(ccctl_measure_file_sha256(sha, "/nonexistent/runtime"), CCCTL_EFAIL);
	assert_non_null(strstr(ccctl_err_msg(), "\"/nonexistent/runtime\""));
	assert_int_equal(ccctl_measure_read_file(&m, "/nonexistent/measurements.json"),
			 CCCTL_EFAIL);
	/* SHA-256 of the empty file. */
	assert_int_equal(ccctl_measure_file_sha256(sha, "/dev/null"), 0);
	assert_int_equal(sha[0], 0xe3);
	assert_int_equal(sha[31], 0x55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_canonical), cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_compare),	    cmocka_unit_test(test_nitro_cli_shape),
	    cmocka_unit_test(test_extend),	    cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
