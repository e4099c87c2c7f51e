/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-policy.c - the policy model: building, canonical bytes, strict
 * parsing, and one rejected mutation per rule of ccctl-policy(5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/json.h"
#include "lib/policy.h"
#include "test-certs.h"

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static char **strv(int n, ...)
{
	char **v = calloc((size_t)n + 1, sizeof(*v));
	va_list ap;
	int i;

	assert_non_null(v);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static void set_participant(struct ccctl_policy_participant *a, const char *name, const char *crt,
			    const char *spki)
{
	a->name = xstrdup(name);
	a->certificate = xstrdup(crt);
	assert_int_equal(ccctl_hex_decode(a->spki_sha256, 32, spki, 64), 0);
}

static void set_measurement(struct ccctl_policy_measurement *m, const char *k, const char *v)
{
	m->key = xstrdup(k);
	m->value = xstrdup(v);
}

/* The hospital example of TOPOLOGY.md, filled in deliberately unsorted. */
static struct ccctl_policy *example(void)
{
	struct ccctl_policy *p = ccctl_policy_new();
	char hex96[97];

	assert_non_null(p);
	memset(hex96, 'a', 96);
	hex96[96] = '\0';
	p->name = xstrdup("hospital-psi");
	p->description = xstrdup("patients both hospitals treated");
	p->expires = xstrdup("2027-06-30T00:00:00Z");
	p->expires_unix = 1814313600;
	p->participants = calloc(3, sizeof(*p->participants));
	p->nparticipants = 3;
	set_participant(&p->participants[0], "carol", carol_crt, carol_spki);
	set_participant(&p->participants[1], "alice", alice_crt, alice_spki);
	set_participant(&p->participants[2], "bob", bob_crt, bob_spki);
	p->programs = calloc(1, sizeof(*p->programs));
	p->nprograms = 1;
	p->programs[0].name = xstrdup("psi");
	p->programs[0].provider = xstrdup("carol");
	memset(p->programs[0].sha256, 0x9f, 32);
	p->programs[0].args = strv(2, "--format", "csv");
	p->programs[0].nargs = 2;
	p->programs[0].reads = strv(1, "/input/");
	p->programs[0].nreads = 1;
	p->programs[0].writes = strv(1, "/output/");
	p->programs[0].nwrites = 1;
	p->inputs = calloc(2, sizeof(*p->inputs));
	p->ninputs = 2;
	p->inputs[0].path = xstrdup("/input/bob.csv");
	p->inputs[0].from = xstrdup("bob");
	p->inputs[0].max_size = 1u << 30;
	p->inputs[1].path = xstrdup("/input/alice.csv");
	p->inputs[1].from = xstrdup("alice");
	p->inputs[1].has_sha256 = true;
	memset(p->inputs[1].sha256, 0x2c, 32);
	p->inputs[1].max_size = 64u << 20;
	p->outputs = calloc(2, sizeof(*p->outputs));
	p->noutputs = 2;
	p->outputs[0].path = xstrdup("stdout");
	p->outputs[0].to = strv(1, "carol");
	p->outputs[0].nto = 1;
	p->outputs[0].program = xstrdup("psi");
	p->outputs[1].path = xstrdup("/output/intersection.csv");
	p->outputs[1].to = strv(2, "bob", "alice");
	p->outputs[1].nto = 2;
	p->outputs[1].program = xstrdup("psi");
	p->backends = calloc(2, sizeof(*p->backends));
	p->nbackends = 2;
	p->backends[0].name = xstrdup("sim");
	p->backends[0].measurements = calloc(1, sizeof(struct ccctl_policy_measurement));
	p->backends[0].nmeasurements = 1;
	set_measurement(&p->backends[0].measurements[0], "sha256",
			"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	p->backends[1].name = xstrdup("nitro");
	p->backends[1].measurements = calloc(3, sizeof(struct ccctl_policy_measurement));
	p->backends[1].nmeasurements = 3;
	set_measurement(&p->backends[1].measurements[0], "pcr2", hex96);
	set_measurement(&p->backends[1].measurements[1], "pcr0", hex96);
	set_measurement(&p->backends[1].measurements[2], "pcr1", hex96);
	p->consent.signers = strv(3, "carol", "bob", "alice");
	p->consent.nsigners = 3;
	return p;
}

/* The example's canonical text (NUL-terminated copy). */
static char *example_text(void)
{
	struct ccctl_policy *p = example();
	char *s;

	assert_int_equal(ccctl_policy_finish(p), 0);
	s = strndup((const char *)p->canonical.data, p->canonical.len);
	assert_non_null(s);
	ccctl_policy_free(p);
	return s;
}

static void test_build_and_parse(void **state)
{
	struct ccctl_policy *p = example(), *q = NULL;
	const char *text;
	char d1[72], d2[72];

	(void)state;
	assert_int_equal(ccctl_policy_finish(p), 0);
	text = (const char *)p->canonical.data;
	/* Arrays sorted, defaults written, threshold "all". */
	assert_non_null(strstr(text, "\"signers\":[\"alice\",\"bob\",\"carol\"],\"threshold\":3"));
	assert_non_null(strstr(text, "\"limits\":{\"fuel\":10000000000,\"max_input\":1073741824,"
				     "\"memory\":268435456,\"timeout\":600}"));
	assert_non_null(strstr(text, "\"options\":{\"clock\":false,\"random\":true}"));
	assert_non_null(strstr(text, "\"to\":[\"alice\",\"bob\"]"));
	assert_non_null(strstr(text, "\"args\":[\"--format\",\"csv\"]"));
	assert_true(strncmp(text, "{\"backends\":[{\"measurements\":{\"pcr0\"", 36) == 0);
	assert_string_equal(p->participants[0].name, "alice");
	assert_string_equal(p->inputs[0].path, "/input/alice.csv");
	assert_string_equal(p->outputs[1].path, "stdout");

	assert_int_equal(ccctl_policy_parse(&q, p->canonical.data, p->canonical.len), 0);
	assert_memory_equal(p->digest, q->digest, 32);
	ccctl_policy_digest_str(d1, p);
	ccctl_policy_digest_str(d2, q);
	assert_string_equal(d1, d2);
	assert_int_equal(strlen(d1), 71);
	assert_true(strncmp(d1, "sha256:", 7) == 0);
	assert_int_equal(q->expires_unix, 1814313600);
	assert_int_equal(q->limits.timeout_s, 600);
	assert_int_equal(q->consent.threshold, 3);
	assert_int_equal(q->programs[0].nargs, 2);
	assert_true(q->inputs[0].has_sha256);
	assert_false(q->inputs[1].has_sha256);

	/* Finders. */
	assert_ptr_equal(ccctl_policy_find_participant(q, "bob"), &q->participants[1]);
	assert_null(ccctl_policy_find_participant(q, "dave"));
	assert_ptr_equal(ccctl_policy_find_by_spki(q, q->participants[2].spki_sha256),
			 &q->participants[2]);
	assert_non_null(ccctl_policy_find_program(q, "psi"));
	assert_null(ccctl_policy_find_program(q, "zzz"));
	assert_non_null(ccctl_policy_find_backend(q, "nitro"));
	assert_null(ccctl_policy_find_backend(q, "cca"));
	assert_non_null(ccctl_policy_measurement(ccctl_policy_find_backend(q, "sim"), "sha256"));
	ccctl_policy_free(p);
	ccctl_policy_free(q);
	ccctl_policy_free(NULL);
}

/* Replace the first occurrence of from by to in text (fails the test if
 * from does not occur, so a mutation can never silently test nothing). */
static char *mutate(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t a, b = strlen(from), c = strlen(to);
	char *s;

	if (!at)
		fail_msg("mutation source \"%s\" not found", from);
	a = (size_t)(at - text);
	s = malloc(strlen(text) - b + c + 1);
	assert_non_null(s);
	memcpy(s, text, a);
	memcpy(s + a, to, c);
	strcpy(s + a + c, at + b);
	return s;
}

struct mutation {
	const char *from, *to, *msg; /* msg: a substring of the error message */
};

static const struct mutation mutations[] = {
    {"\"version\":1", "\"version\":2", "version"},
    {"\"version\":1", "\"version\":1,\"zzz\":1", "unknown member \"zzz\""},
    {"\"name\":\"hospital-psi\"", "\"name\":\"Hospital\"", "name"},
    {"\"name\":\"hospital-psi\"", "\"name\":\"-x\"", "name"},
    {"{\"backends\"", "{ \"backends\"", "canonical"},
    {"\"threshold\":3}", "\"threshold\":3} ", "canonical"},
    {"\"clock\":false,\"random\":true", "\"random\":true,\"clock\":false", "canonical"},
    {"\"threshold\":3", "\"threshold\":0", "threshold"},
    {"\"threshold\":3", "\"threshold\":4", "threshold"},
    {"\"threshold\":3", "\"threshold\":-1", "threshold"},
    {"\"threshold\":3", "\"threshold\":3.0", ""},
    {"\"threshold\":3", "\"threshold\":\"3\"", "threshold"},
    {"\"signers\":[\"alice\",", "\"signers\":[\"dave\",", "signer"},
    {"\"signers\":[\"alice\",\"bob\"", "\"signers\":[\"bob\",\"alice\"", "out of order"},
    {"\"signers\":[\"alice\",\"bob\"", "\"signers\":[\"bob\",\"bob\"", "repeated"},
    {"\"signers\":[\"alice\",\"bob\",\"carol\"]", "\"signers\":[]", "signer"},
    {"\"provider\":\"carol\"", "\"provider\":\"dave\"", "provider"},
    {"\"from\":\"alice\"", "\"from\":\"dave\"", "from"},
    {"\"to\":[\"alice\",\"bob\"]", "\"to\":[\"alice\",\"dave\"]", "not a participant"},
    {"\"to\":[\"alice\",\"bob\"]", "\"to\":[\"alice\",\"alice\"]", "repeated"},
    {"\"to\":[\"alice\",\"bob\"]", "\"to\":[]", "empty"},
    {"\"program\":\"psi\"", "\"program\":\"qsi\"", "does not exist"},
    {"\"reads\":[\"/input/\"]", "\"reads\":[\"/in/\"]", "no program reads"},
    {"\"reads\":[\"/input/\"]", "\"reads\":[\"/input/\",\"/a/\"]", "out of order"},
    {"\"reads\":[\"/input/\"]", "\"reads\":[\"input/\"]", "guest path"},
    {"\"writes\":[\"/output/\"]", "\"writes\":[\"/out/\"]", "may not write"},
    {"\"writes\":[\"/output/\"]", "\"writes\":[\"/output//\"]", "guest path"},
    {"\"args\":[\"--format\",\"csv\"],", "\"args\":[],", "canonical"},
    {"\"args\":[\"--format\",\"csv\"],", "\"args\":[1],", "string"},
    {"\"args\":[\"--format\",", "\"args\":[\"--f\\u0000\",", "U+0000"},
    {"\"path\":\"/input/alice.csv\"", "\"path\":\"/input/../alice.csv\"", "\"..\""},
    {"\"path\":\"/input/alice.csv\"", "\"path\":\"/input/./alice.csv\"", "\".\""},
    {"\"path\":\"/input/alice.csv\"", "\"path\":\"/input/alice.csv/\"", "folder"},
    {"\"path\":\"/input/alice.csv\"", "\"path\":\"/input/a b\"", "printable"},
    {"\"path\":\"/output/intersection.csv\"", "\"path\":\"/input/bob.csv\"", "input"},
    {"\"path\":\"/input/alice.csv\"", "\"path\":\"/input/bob.csv\"", "repeated"},
    {"\"path\":\"stdout\"", "\"path\":\"stdin\"", "absolute"},
    {"\"max_size\":67108864", "\"max_size\":0", "max_size"},
    {"\"max_size\":67108864", "\"max_size\":-5", "max_size"},
    {"\"sha256\":\"2c2c", "\"sha256\":\"2C2C", "hex"},
    {"\"sha256\":\"2c2c", "\"sha256\":\"2c2", "hex"},
    {"\"memory\":268435456", "\"memory\":1024", "memory"},
    {"\"memory\":268435456", "\"memory\":8589934592", "memory"},
    {"\"fuel\":10000000000", "\"fuel\":0", "fuel"},
    {"\"timeout\":600", "\"timeout\":0", "timeout"},
    {",\"timeout\":600", "", "missing member \"timeout\""},
    {"\"options\":{\"clock\":false,\"random\":true},", "", "missing member \"options\""},
    {"\"clock\":false", "\"clock\":0", "clock"},
    {"\"expires\":\"2027-06-30T00:00:00Z\"", "\"expires\":\"2027-02-30T00:00:00Z\"", "expires"},
    {"\"expires\":\"2027-06-30T00:00:00Z\"", "\"expires\":\"2027-06-30T00:00:00+00:00\"",
     "expires"},
    {"\"description\":\"patients both hospitals treated\"", "\"description\":\"\"", "description"},
    {"\"name\":\"sim\"", "\"name\":\"xen\"", "unknown backend"},
    {"\"pcr2\":\"aaaa", "\"pcr9\":\"aaaa", "unknown measurement"},
    {"\"pcr0\":\"aaaa", "\"pcr0\":\"aaa", "hex"},
    {"\"measurements\":{\"pcr0\"", "\"measurements\":{\"pcr3\"", "missing measurement"},
    {"\"measurements\":{\"sha256\":\"0011", "\"measurements\":{\"sha256\":\"0g11", "hex"},
    {"\"measurements\":{\"sha256\":\"0011", "\"measurements\":{\"sha256\":1,\"x\":\"0011",
     "string"},
    {"\"backends\":[", "\"backends\":[],\"x\":[", "unknown member"},
    {"\"participants\":[", "\"participants\":[],\"x\":[", "unknown member"},
    {"-----BEGIN CERTIFICATE-----\\nMII", "-----BEGIN CERTIFICATE-----\\nMIJ", "certificate"},
    {"\"spki_sha256\":\"8", "\"spki_sha256\":\"9", "does not match"},
    {"\"name\":\"bob\"", "\"name\":\"bob\",\"role\":\"x\"", "unknown member \"role\""},
    {"\"name\":\"psi\"", "\"name\":\"Psi\"", "name"},
};

static void test_mutations(void **state)
{
	char *good = example_text();
	struct ccctl_policy *p = NULL;
	size_t i;

	(void)state;
	assert_int_equal(ccctl_policy_parse(&p, good, strlen(good)), 0);
	ccctl_policy_free(p);
	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		char *bad = mutate(good, mutations[i].from, mutations[i].to);
		int rc;

		p = (struct ccctl_policy *)1;
		rc = ccctl_policy_parse(&p, bad, strlen(bad));
		if (rc != CCCTL_EINVAL || !strstr(ccctl_err_msg(), mutations[i].msg))
			fail_msg("mutation %zu (%s -> %s): rc %d, message \"%s\"", i,
				 mutations[i].from, mutations[i].to, rc, ccctl_err_msg());
		assert_null(p);
		free(bad);
	}
	free(good);
}

static void test_not_json(void **state)
{
	static const char *const bad[] = {
	    "", "null", "[]", "{}", "{\"version\":1}", "\"x\"", "{\"version\":1,\"version\":1}"};
	struct ccctl_policy *p = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ccctl_policy_parse(&p, bad[i], strlen(bad[i])), CCCTL_EINVAL);
		assert_null(p);
	}
	/* Embedded NUL and truncation. */
	{
		char *good = example_text();
		size_t n = strlen(good);

		assert_int_equal(ccctl_policy_parse(&p, good, n - 1), CCCTL_EINVAL);
		good[10] = '\0';
		assert_int_equal(ccctl_policy_parse(&p, good, n), CCCTL_EINVAL);
		free(good);
	}
}

static void test_finish_rejects(void **state)
{
	struct ccctl_policy *p;

	(void)state;
	/* Two participants with one name. */
	p = example();
	free(p->participants[2].name);
	p->participants[2].name = xstrdup("alice");
	assert_int_equal(ccctl_policy_finish(p), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "repeated"));
	ccctl_policy_free(p);

	/* Two participants with one key. */
	p = example();
	free(p->participants[2].certificate);
	p->participants[2].certificate = xstrdup(alice_crt);
	assert_int_equal(ccctl_hex_decode(p->participants[2].spki_sha256, 32, alice_spki, 64), 0);
	assert_int_equal(ccctl_policy_finish(p), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "same key"));
	ccctl_policy_free(p);

	/* sim without measurement is fine; nitro without one is not. */
	p = example();
	free(p->backends[0].measurements[0].key);
	free(p->backends[0].measurements[0].value);
	free(p->backends[0].measurements);
	p->backends[0].measurements = NULL;
	p->backends[0].nmeasurements = 0;
	assert_int_equal(ccctl_policy_finish(p), 0);
	assert_null(strstr((const char *)p->canonical.data, "\"name\":\"sim\",\"measurements\""));
	assert_non_null(strstr((const char *)p->canonical.data, "{\"name\":\"sim\"}"));
	ccctl_policy_free(p);

	/* No expiry and no description: the members are omitted. */
	p = example();
	free(p->expires);
	free(p->description);
	p->expires = NULL;
	p->description = NULL;
	assert_int_equal(ccctl_policy_finish(p), 0);
	assert_null(strstr((const char *)p->canonical.data, "expires"));
	assert_null(strstr((const char *)p->canonical.data, "description"));
	ccctl_policy_free(p);

	/* expires text and value disagree. */
	p = example();
	p->expires_unix++;
	assert_int_equal(ccctl_policy_finish(p), CCCTL_EINVAL);
	ccctl_policy_free(p);
}

static void test_cca_icecap(void **state)
{
	struct ccctl_policy_measurement m[3];
	struct ccctl_policy_backend b = {(char *)"cca", m, 2};
	char rim[129];

	(void)state;
	memset(rim, 'b', 128);
	rim[64] = '\0';
	m[0] = (struct ccctl_policy_measurement){(char *)"hash_alg", (char *)"sha-256"};
	m[1] = (struct ccctl_policy_measurement){(char *)"rim", rim};
	assert_int_equal(ccctl_policy_check_measurements(&b), 0);
	m[0].value = (char *)"sha-512";
	assert_int_equal(ccctl_policy_check_measurements(&b), CCCTL_EINVAL);
	rim[64] = 'b';
	rim[128] = '\0';
	assert_int_equal(ccctl_policy_check_measurements(&b), 0);
	m[0].value = (char *)"md5";
	assert_int_equal(ccctl_policy_check_measurements(&b), CCCTL_EINVAL);

	b.name = (char *)"icecap";
	rim[64] = '\0';
	m[0] = (struct ccctl_policy_measurement){(char *)"attestation", (char *)"none"};
	m[1] = (struct ccctl_policy_measurement){(char *)"sha256", rim};
	assert_int_equal(ccctl_policy_check_measurements(&b), 0);
	m[0].value = (char *)"tpm";
	assert_int_equal(ccctl_policy_check_measurements(&b), CCCTL_EINVAL);
	b.nmeasurements = 0;
	assert_int_equal(ccctl_policy_check_measurements(&b), CCCTL_EINVAL);
	b.name = (char *)"sim";
	assert_int_equal(ccctl_policy_check_measurements(&b), 0);
	assert_true(ccctl_policy_backend_known("nitro"));
	assert_false(ccctl_policy_backend_known("Nitro"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_and_parse), cmocka_unit_test(test_mutations),
	    cmocka_unit_test(test_not_json),	    cmocka_unit_test(test_finish_rejects),
	    cmocka_unit_test(test_cca_icecap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
