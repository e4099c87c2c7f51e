/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-cose.c - CBOR encoder/decoder and COSE_Sign1.
 *
 * Vectors: CBOR encodings from RFC 8949 Appendix A; the PSA token
 * psa-2_0_0_sign1.bin and its key public.pem from veraison/psatoken
 * (testvectors/tf-m, see $CCCTL_TESTDATA/psa/SOURCE.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lib/buf.h"
#include "lib/cbor.h"
#include "lib/cose.h"
#include "lib/err.h"

static void expect_hex(const struct ccctl_buf *b, const char *hex)
{
	char got[256];

	assert_true(b->len * 2 < sizeof(got));
	ccctl_hex_encode(got, b->data, b->len);
	assert_string_equal(got, hex);
}

/* RFC 8949 Appendix A: integer and container encodings. */
static void test_cbor_encode_rfc8949(void **state)
{
	static const struct {
		int64_t v;
		const char *hex;
	} ints[] = {
	    {0, "00"},
	    {1, "01"},
	    {10, "0a"},
	    {23, "17"},
	    {24, "1818"},
	    {25, "1819"},
	    {100, "1864"},
	    {1000, "1903e8"},
	    {1000000, "1a000f4240"},
	    {1000000000000, "1b000000e8d4a51000"},
	    {-1, "20"},
	    {-10, "29"},
	    {-100, "3863"},
	    {-1000, "3903e7"},
	};
	struct ccctl_buf b;
	size_t i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		ccctl_buf_init(&b);
		assert_int_equal(ccctl_cbor_put_int(&b, ints[i].v), 0);
		expect_hex(&b, ints[i].hex);
		ccctl_buf_release(&b);
	}
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_cbor_put_uint(&b, UINT64_MAX), 0);
	expect_hex(&b, "1bffffffffffffffff");
	ccctl_buf_release(&b);

	ccctl_buf_init(&b);
	assert_int_equal(ccctl_cbor_put_text(&b, "IETF"), 0);
	expect_hex(&b, "6449455446");
	ccctl_buf_release(&b);

	ccctl_buf_init(&b); /* [1, [2, 3], [4, 5]] */
	ccctl_cbor_put_array(&b, 3);
	ccctl_cbor_put_int(&b, 1);
	ccctl_cbor_put_array(&b, 2);
	ccctl_cbor_put_int(&b, 2);
	ccctl_cbor_put_int(&b, 3);
	ccctl_cbor_put_array(&b, 2);
	ccctl_cbor_put_int(&b, 4);
	ccctl_cbor_put_int(&b, 5);
	expect_hex(&b, "8301820203820405");
	ccctl_buf_release(&b);

	ccctl_buf_init(&b); /* {"a": 1, "b": [2, 3]} */
	ccctl_cbor_put_map(&b, 2);
	ccctl_cbor_put_text(&b, "a");
	ccctl_cbor_put_int(&b, 1);
	ccctl_cbor_put_text(&b, "b");
	ccctl_cbor_put_array(&b, 2);
	ccctl_cbor_put_int(&b, 2);
	ccctl_cbor_put_int(&b, 3);
	expect_hex(&b, "a26161016162820203");
	ccctl_buf_release(&b);
}

static int decode_hex(struct ccctl_cbor_doc **doc, const char *hex)
{
	uint8_t bin[128];
	size_t n = strlen(hex) / 2;

	assert_true(n <= sizeof(bin));
	assert_int_equal(ccctl_hex_decode(bin, n, hex, strlen(hex)), 0);
	return ccctl_cbor_decode(doc, bin, n);
}

static void test_cbor_decode(void **state)
{
	struct ccctl_cbor_doc *doc = NULL;
	int64_t v;

	assert_int_equal(decode_hex(&doc, "a26161016162820203"), 0);
	assert_int_equal(doc->root->type, CCCTL_CBOR_MAP);
	assert_int_equal(ccctl_cbor_get_int(ccctl_cbor_map_get_text(doc->root, "a"), &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(ccctl_cbor_map_get_text(doc->root, "b")->u.arr.n, 2);
	assert_null(ccctl_cbor_map_get_text(doc->root, "c"));
	ccctl_cbor_doc_free(doc);

	assert_int_equal(decode_hex(&doc, "3903e7"), 0);
	assert_int_equal(ccctl_cbor_get_int(doc->root, &v), 0);
	assert_int_equal(v, -1000);
	ccctl_cbor_doc_free(doc);

	/* Rejected: truncated, trailing, indefinite, float, duplicate key,
	 * string longer than input, bad UTF-8, absurd array length. */
	static const char *bad[] = {
	    "",		  "19",	    "0101",
	    "9f01ff",	  "f93c00", "a2616101616102",
	    "5aff000000", "62c328", "9bffffffffffffffff",
	    "a1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = NULL;
		assert_int_equal(decode_hex(&doc, bad[i]), CCCTL_EINVAL);
		assert_null(doc);
	}
	/* Nesting is bounded. */
	{
		char deep[2 * 40 + 3];
		for (int i = 0; i < 40; i++)
			memcpy(deep + 2 * i, "81", 2);
		strcpy(deep + 80, "00");
		assert_int_equal(decode_hex(&doc, deep), CCCTL_EINVAL);
		assert_non_null(strstr(ccctl_err_msg(), "too deep"));
	}
}

static char *testdata_path(const char *rel)
{
	const char *dir = getenv("CCCTL_TESTDATA");
	char *p;

	if (!dir || !*dir)
		return NULL;
	p = malloc(strlen(dir) + strlen(rel) + 2);
	assert_non_null(p);
	sprintf(p, "%s/%s", dir, rel);
	return p;
}

static EVP_PKEY *load_pub(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	assert_non_null(f);
	k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(k);
	return k;
}

/* The TF-M PSA 2.0.0 token verifies with its key and decodes to the claims
 * listed in psa/expected.json; any changed byte breaks it. */
static void test_cose_psa_vector(void **state)
{
	char *tok = testdata_path("psa/psa-2_0_0_sign1.bin");
	char *pem = testdata_path("psa/public.pem");
	struct ccctl_buf b;
	struct ccctl_cose_sign1 *s = NULL;
	struct ccctl_cbor_doc *claims = NULL;
	const struct ccctl_cbor *c;
	EVP_PKEY *key;
	FILE *probe;

	if (!tok || !(probe = fopen(tok, "rb"))) {
		free(tok);
		free(pem);
		skip();
		return;
	}
	fclose(probe);
	key = load_pub(pem);
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_file_read(&b, tok, 1 << 20), 0);
	assert_int_equal(b.len, 534);
	assert_int_equal(ccctl_cose_sign1_parse(&s, b.data, b.len), 0);
	assert_true(s->tagged);
	assert_int_equal(s->alg, CCCTL_COSE_ALG_ES256);
	assert_int_equal(s->protected_len, 3);
	assert_memory_equal(s->protected_bytes, "\xa1\x01\x26", 3);
	assert_int_equal(ccctl_cose_sign1_verify(s, key), 0);

	assert_int_equal(ccctl_cbor_decode(&claims, s->payload, s->payload_len), 0);
	c = ccctl_cbor_map_get_int(claims->root, 265);
	assert_non_null(c);
	assert_int_equal(c->u.str.len, strlen("http://arm.com/psa/2.0.0"));
	assert_memory_equal(c->u.str.ptr, "http://arm.com/psa/2.0.0", c->u.str.len);
	c = ccctl_cbor_map_get_int(claims->root, 10);
	assert_non_null(c);
	assert_int_equal(c->type, CCCTL_CBOR_BYTES);
	assert_int_equal(c->u.str.len, 64);
	c = ccctl_cbor_map_get_int(claims->root, 2399);
	assert_non_null(c);
	assert_int_equal(c->u.arr.n, 2);
	{
		char hex[65];
		const struct ccctl_cbor *m = ccctl_cbor_map_get_int(&c->u.arr.items[0], 2);
		assert_non_null(m);
		assert_int_equal(m->u.str.len, 32);
		ccctl_hex_encode(hex, m->u.str.ptr, 32);
		assert_string_equal(
		    hex, "96a2ec56c65120a60ce3a53ef8d2082233772aacd5b17935a92be12ac577f685");
	}
	ccctl_cbor_doc_free(claims);
	ccctl_cose_sign1_free(s);

	/* One flipped payload byte: still parses, no longer verifies. */
	b.data[100] ^= 1;
	assert_int_equal(ccctl_cose_sign1_parse(&s, b.data, b.len), 0);
	assert_int_equal(ccctl_cose_sign1_verify(s, key), CCCTL_EVERIFY);
	ccctl_cose_sign1_free(s);
	/* Truncated: malformed. */
	assert_int_equal(ccctl_cose_sign1_parse(&s, b.data, b.len - 1), CCCTL_EINVAL);

	ccctl_buf_release(&b);
	EVP_PKEY_free(key);
	free(tok);
	free(pem);
}

static void roundtrip(const char *curve, int64_t alg)
{
	EVP_PKEY *key = EVP_EC_gen(curve), *other = EVP_EC_gen(curve);
	struct ccctl_buf b;
	struct ccctl_cose_sign1 *s = NULL;

	assert_non_null(key);
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_cose_sign1_sign(&b, key, "claims", 6, true), 0);
	assert_int_equal(ccctl_cose_sign1_parse(&s, b.data, b.len), 0);
	assert_int_equal(s->alg, alg);
	assert_int_equal(s->payload_len, 6);
	assert_int_equal(ccctl_cose_sign1_verify(s, key), 0);
	assert_int_equal(ccctl_cose_sign1_verify(s, other), CCCTL_EVERIFY);
	ccctl_cose_sign1_free(s);
	ccctl_buf_release(&b);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

static void test_cose_roundtrip(void **state)
{
	roundtrip("P-256", CCCTL_COSE_ALG_ES256);
	roundtrip("P-384", CCCTL_COSE_ALG_ES384);
	/* A P-384 key cannot verify an ES256 token. */
	{
		EVP_PKEY *k256 = EVP_EC_gen("P-256"), *k384 = EVP_EC_gen("P-384");
		struct ccctl_buf b;
		struct ccctl_cose_sign1 *s = NULL;
		ccctl_buf_init(&b);
		assert_int_equal(ccctl_cose_sign1_sign(&b, k256, "x", 1, false), 0);
		assert_int_equal(ccctl_cose_sign1_parse(&s, b.data, b.len), 0);
		assert_false(s->tagged);
		assert_int_equal(ccctl_cose_sign1_verify(s, k384), CCCTL_EVERIFY);
		ccctl_cose_sign1_free(s);
		ccctl_buf_release(&b);
		EVP_PKEY_free(k256);
		EVP_PKEY_free(k384);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cbor_encode_rfc8949),
	    cmocka_unit_test(test_cbor_decode),
	    cmocka_unit_test(test_cose_psa_vector),
	    cmocka_unit_test(test_cose_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
