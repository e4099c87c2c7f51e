/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-evidence.c - report_data binding, the claims check, sim tokens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "lib/evidence.h"
#include "lib/policy.h"

/* Known answer computed independently (Python hashlib):
 * sha512(b"ccctl-evidence-v1\0" + bytes(range(32)) + b"\xd0"*32 + b"\x5a"*32) */
static void test_report_data(void **state)
{
	uint8_t nonce[32], d[32], k[32], out[64];
	char hex[129];

	for (int i = 0; i < 32; i++)
		nonce[i] = (uint8_t)i;
	memset(d, 0xd0, sizeof(d));
	memset(k, 0x5a, sizeof(k));
	ccctl_evidence_report_data(out, nonce, d, k);
	ccctl_hex_encode(hex, out, sizeof(out));
	assert_string_equal(hex,
			    "21bc496d45c9c9f6ef6814d1789aa4ef4cafb2a6929cf04a2e37ab6b1b558b63"
			    "05cc528c41011813abc28e9c701a3c30f0972d659675a067ef9e59ce096e6607");
	/* Every input matters. */
	nonce[31] ^= 1;
	ccctl_evidence_report_data(out, nonce, d, k);
	ccctl_hex_encode(hex, out, sizeof(out));
	assert_string_not_equal(hex,
				"21bc496d45c9c9f6ef6814d1789aa4ef4cafb2a6929cf04a2e37ab6b1b558b63"
				"05cc528c41011813abc28e9c701a3c30f0972d659675a067ef9e59ce096e6607");
}

/* A policy with only what the check reads: one sim backend. */
static struct ccctl_policy *policy_with_sim(const char *hex)
{
	struct ccctl_policy *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->backends = calloc(1, sizeof(*p->backends));
	p->nbackends = 1;
	p->backends[0].name = strdup("sim");
	p->backends[0].measurements = calloc(1, sizeof(*p->backends[0].measurements));
	p->backends[0].nmeasurements = 1;
	p->backends[0].measurements[0].key = strdup("sha256");
	p->backends[0].measurements[0].value = strdup(hex);
	return p;
}

static void test_sim_token(void **state)
{
	EVP_PKEY *platform = EVP_EC_gen("P-256"), *other = EVP_EC_gen("P-256");
	uint8_t rd[64], meas[32];
	char mhex[65];
	struct ccctl_buf tok;
	struct ccctl_evidence_claims c;
	struct ccctl_policy *p;

	memset(rd, 0x11, sizeof(rd));
	memset(meas, 0xab, sizeof(meas));
	ccctl_hex_encode(mhex, meas, sizeof(meas));
	ccctl_buf_init(&tok);
	assert_int_equal(ccctl_sim_token_make(&tok, platform, rd, meas), 0);

	assert_int_equal(ccctl_sim_token_verify(&c, tok.data, tok.len, platform), 0);
	assert_string_equal(c.backend, "sim");
	assert_true(c.test_platform);
	assert_int_equal(c.nmeasurements, 1);
	assert_memory_equal(c.measurements[0].value, meas, 32);
	assert_memory_equal(c.report_data, rd, 64);

	/* The right policy and report_data pass. */
	p = policy_with_sim(mhex);
	assert_int_equal(ccctl_evidence_check(&c, p, rd), 0);
	/* Another report_data (replayed nonce, other policy or TLS key). */
	rd[0] ^= 1;
	assert_int_equal(ccctl_evidence_check(&c, p, rd), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "report_data mismatch"));
	rd[0] ^= 1;
	/* Another measurement: the message names both. */
	p->backends[0].measurements[0].value[0] = '0';
	assert_int_equal(ccctl_evidence_check(&c, p, rd), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "measurement mismatch: expected sha256:0bab"));
	assert_non_null(strstr(ccctl_err_msg(), "got sha256:abab"));
	/* A backend the policy does not allow. */
	free(p->backends[0].name);
	p->backends[0].name = strdup("nitro");
	assert_int_equal(ccctl_evidence_check(&c, p, rd), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "backend not allowed"));

	/* Another platform key does not verify; a flipped byte does not either. */
	assert_int_equal(ccctl_sim_token_verify(&c, tok.data, tok.len, other), CCCTL_EVERIFY);
	tok.data[tok.len - 70] ^= 1;
	assert_int_not_equal(ccctl_sim_token_verify(&c, tok.data, tok.len, platform), 0);
	assert_int_equal(ccctl_sim_token_verify(&c, tok.data, tok.len - 1, platform), CCCTL_EINVAL);

	ccctl_policy_free(p);
	ccctl_buf_release(&tok);
	EVP_PKEY_free(platform);
	EVP_PKEY_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_data),
	    cmocka_unit_test(test_sim_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
