/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-eif-vectors.c - Nitro PCR vectors from the shared test data
 * ($CCCTL_TESTDATA/eif/, see its SOURCE.md).  Skipped (exit 77) when the
 * folder is absent.
 *
 * Values are read from pcr-vectors.json, never retyped here:
 * - "extend_of_empty": computed by the vector authors (Python hashlib and
 *   openssl agree); equals PCR2 of any single-ramdisk EIF.
 * - "aws_user_guide" PCR3/PCR4: the AWS Nitro Enclaves User Guide examples
 *   (SHA-384(48 zero bytes || string)).
 * - "real_document_crosscheck" PCR4: the instance ID of the parent of the
 *   real attestation documents in ../nitro/.
 * - "synthetic": derived by the vector authors from the documented
 *   algorithm (not an upstream test), including the NUL-terminated cmdline
 *   mistake as a negative vector.
 * - synthetic-4part.eif: a complete EIF built by the vector authors from the
 *   synthetic parts; SOURCE.md gives its CRC-32 (0xc76f9a38) and SHA-256.
 * The nitro-cli hello:v1 values cannot be recomputed (image not included).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/buf.h"
#include "lib/crypto.h"
#include "lib/eif.h"
#include "lib/err.h"
#include "lib/json.h"
#include "lib/measure.h"

static char dir[4096];
static struct ccctl_json *vectors;

static const struct ccctl_json *obj(const struct ccctl_json *o, const char *key)
{
	const struct ccctl_json *v = ccctl_json_get(o, key);

	if (!v || v->type != CCCTL_JSON_OBJECT)
		fail_msg("pcr-vectors.json: \"%s\" is not an object", key);
	return v;
}

/* The 48-byte value of a hex member of o. */
static void vec(uint8_t out[CCCTL_SHA384_LEN], const struct ccctl_json *o, const char *key)
{
	const char *hex = ccctl_json_get_string(o, key);

	if (!hex)
		fail_msg("pcr-vectors.json: \"%s\" is missing", key);
	assert_int_equal(ccctl_hex_decode(out, CCCTL_SHA384_LEN, hex, strlen(hex)), 0);
}

static void test_extend_of_empty(void **state)
{
	uint8_t want[CCCTL_SHA384_LEN], got[CCCTL_SHA384_LEN], empty[CCCTL_SHA384_LEN];
	unsigned int n;

	vec(want, vectors, "extend_of_empty");
	assert_int_equal(EVP_Digest("", 0, empty, &n, EVP_sha384(), NULL), 1);
	assert_int_equal(ccctl_measure_pcr_extend(got, NULL, empty, sizeof(empty)), 0);
	assert_memory_equal(got, want, sizeof(want));
}

static void test_pcr3_pcr4(void **state)
{
	const struct ccctl_json *aws = obj(vectors, "aws_user_guide");
	const struct ccctl_json *real = obj(vectors, "real_document_crosscheck");
	static const struct {
		const char *key, *input;
	} cases[] = {
	    {"PCR3 arn:aws:iam::123456789012:role/Webserver",
	     "arn:aws:iam::123456789012:role/Webserver"},
	    {"PCR4 i-1234567890abcdef0", "i-1234567890abcdef0"},
	    {"PCR4 i-0a22e5c5f24d22174 (parent of the nitrite sample documents)",
	     "i-0a22e5c5f24d22174"},
	};

	for (size_t i = 0; i < 3; i++) {
		uint8_t want[CCCTL_SHA384_LEN], got[CCCTL_SHA384_LEN];

		vec(want, i < 2 ? aws : real, cases[i].key);
		/* The raw string is extended, not its hash. */
		assert_int_equal(
		    ccctl_measure_pcr_extend(got, NULL, cases[i].input, strlen(cases[i].input)), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
}

/* The synthetic parts, from the vector file's "inputs". */
struct parts {
	struct ccctl_eif_blob ramdisks[2];
	struct ccctl_eif_spec spec;
};

static void synthetic_parts(struct parts *p, const struct ccctl_json *syn)
{
	const struct ccctl_json *in = obj(syn, "inputs"), *rd = ccctl_json_get(in, "ramdisks");
	const char *k = ccctl_json_get_string(in, "kernel"),
		   *c = ccctl_json_get_string(in, "cmdline");

	assert_non_null(k);
	assert_non_null(c);
	assert_non_null(rd);
	assert_int_equal(rd->type, CCCTL_JSON_ARRAY);
	assert_int_equal(rd->u.arr.n, 2);
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < 2; i++)
		p->ramdisks[i] = (struct ccctl_eif_blob){rd->u.arr.items[i]->u.str.s,
							 rd->u.arr.items[i]->u.str.len};
	p->spec.kernel = (struct ccctl_eif_blob){k, strlen(k)};
	p->spec.cmdline = (struct ccctl_eif_blob){c, strlen(c)};
	p->spec.ramdisks = p->ramdisks;
	p->spec.nramdisks = 2;
}

static void expect_pcrs(const struct ccctl_eif_pcrs *got, const struct ccctl_json *o)
{
	uint8_t want[CCCTL_SHA384_LEN];

	vec(want, o, "PCR0");
	assert_memory_equal(got->pcr0, want, sizeof(want));
	vec(want, o, "PCR1");
	assert_memory_equal(got->pcr1, want, sizeof(want));
	vec(want, o, "PCR2");
	assert_memory_equal(got->pcr2, want, sizeof(want));
}

static void test_synthetic(void **state)
{
	const struct ccctl_json *syn = obj(vectors, "synthetic");
	struct ccctl_eif_pcrs pcrs;
	struct parts p;
	uint8_t wrong[CCCTL_SHA384_LEN];

	synthetic_parts(&p, syn);
	assert_int_equal(ccctl_eif_pcrs_compute(&pcrs, &p.spec), 0);
	expect_pcrs(&pcrs, syn);

	/* Single ramdisk variant: PCR0 = PCR1, PCR2 = extend of empty. */
	p.spec.nramdisks = 1;
	assert_int_equal(ccctl_eif_pcrs_compute(&pcrs, &p.spec), 0);
	expect_pcrs(&pcrs, obj(syn, "single_ramdisk_variant"));

	/* Negative vector: measuring the cmdline with its NUL gives the
	 * documented wrong PCR0, which must differ from the right one. */
	p.spec.nramdisks = 2;
	p.spec.cmdline.len++;
	assert_int_equal(ccctl_eif_pcrs_compute(&pcrs, &p.spec), 0);
	vec(wrong, syn, "negative_cmdline_with_NUL_PCR0_WRONG");
	assert_memory_equal(pcrs.pcr0, wrong, sizeof(wrong));
	vec(wrong, syn, "PCR0");
	assert_memory_not_equal(pcrs.pcr0, wrong, sizeof(wrong));
}

static void test_synthetic_file(void **state)
{
	char path[4200];
	struct ccctl_buf file, built;
	struct ccctl_eif_info info;
	struct ccctl_eif_pcrs pcrs;
	struct parts p;
	uint8_t sha[CCCTL_SHA256_LEN], want[CCCTL_SHA256_LEN];

	snprintf(path, sizeof(path), "%s/synthetic-4part.eif", dir);
	assert_int_equal(ccctl_eif_measure_file(&info, &pcrs, path), 0);
	/* SOURCE.md: CRC-32 0xc76f9a38, 1 GiB, 2 CPUs, x86_64, 5 sections. */
	assert_int_equal(info.crc, 0xc76f9a38u);
	assert_int_equal(info.default_memory, 1073741824);
	assert_int_equal(info.default_cpus, 2);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.nsections, 5);
	assert_int_equal(info.nramdisks, 2);
	assert_true(info.has_metadata);
	expect_pcrs(&pcrs, obj(vectors, "synthetic"));

	/* SHA-256 of the file (the sim measurement path) from SOURCE.md. */
	assert_int_equal(ccctl_measure_file_sha256(sha, path), 0);
	assert_int_equal(ccctl_hex_decode(want, sizeof(want),
					  "359f1d7210cd9660b522876c0fb9a751"
					  "2c9cee552468455574f10aa391e50970",
					  64),
			 0);
	assert_memory_equal(sha, want, sizeof(want));

	/* Our writer produces the same bytes from the same parts. */
	synthetic_parts(&p, obj(vectors, "synthetic"));
	p.spec.default_memory = 1073741824;
	p.spec.default_cpus = 2;
	p.spec.metadata = (struct ccctl_eif_blob){"{}", 2};
	ccctl_buf_init(&file);
	ccctl_buf_init(&built);
	assert_int_equal(ccctl_file_read(&file, path, 1 << 20), 0);
	assert_int_equal(ccctl_eif_write(&built, &p.spec), 0);
	assert_int_equal(built.len, file.len);
	assert_memory_equal(built.data, file.data, file.len);
	ccctl_buf_release(&file);
	ccctl_buf_release(&built);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_extend_of_empty),
	    cmocka_unit_test(test_pcr3_pcr4),
	    cmocka_unit_test(test_synthetic),
	    cmocka_unit_test(test_synthetic_file),
	};
	const char *td = getenv("CCCTL_TESTDATA");
	char path[4200];
	struct ccctl_buf b;
	int rc;

	if (!td || !*td) {
		printf("SKIP: CCCTL_TESTDATA is not set (make check sets it to the shared "
		       "testdata folder)\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/eif", td);
	snprintf(path, sizeof(path), "%s/pcr-vectors.json", dir);
	ccctl_buf_init(&b);
	if (ccctl_file_read(&b, path, 1 << 20) != 0) {
		printf("SKIP: %s: %s\n", path, ccctl_err_msg());
		return 77;
	}
	if (ccctl_json_parse(&vectors, b.data, b.len) != 0) {
		printf("FAIL: %s: %s\n", path, ccctl_err_msg());
		return 1;
	}
	ccctl_buf_release(&b);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	ccctl_json_free(vectors);
	return rc;
}
