/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-dsse.c - DSSE PAE, envelope parse/serialise, signatures with both key
 * types, and consent checking of signed policies.
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
#include "lib/dsse.h"
#include "lib/err.h"
#include "lib/policy.h"

#define KEYID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEYID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* The example of the DSSE specification (protocol.md). */
static void test_pae_vector(void **state)
{
	struct ccctl_buf b;

	(void)state;
	ccctl_buf_init(&b);
	assert_int_equal(ccctl_dsse_pae(&b, "http://example.com/HelloWorld", "hello world", 11), 0);
	assert_int_equal(b.len, strlen("DSSEv1 29 http://example.com/HelloWorld 11 hello world"));
	assert_memory_equal(b.data, "DSSEv1 29 http://example.com/HelloWorld 11 hello world", b.len);
	b.len = 0;
	assert_int_equal(ccctl_dsse_pae(&b, "t", "", 0), 0);
	assert_string_equal((char *)b.data, "DSSEv1 1 t 0 ");
	ccctl_buf_release(&b);
}

/* Parse text; 0 or the error code (the envelope is freed). */
static int parse_str(const char *text)
{
	struct ccctl_dsse_envelope *env = NULL;
	int ret = ccctl_dsse_parse(&env, text, strlen(text));

	if (ret == 0)
		assert_non_null(env);
	else
		assert_null(env);
	ccctl_dsse_free(env);
	return ret;
}

static void test_parse_ok(void **state)
{
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_buf out;
	const char *text = "{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":["
			   "{\"keyid\":\"" KEYID_B "\",\"sig\":\"AQ==\"},"
			   "{\"keyid\":\"" KEYID_A "\",\"sig\":\"AgM=\"}]}";

	(void)state;
	ccctl_buf_init(&out);
	assert_int_equal(ccctl_dsse_parse(&env, text, strlen(text)), 0);
	assert_string_equal(env->payload_type, "t");
	assert_int_equal(env->payload.len, 2);
	assert_memory_equal(env->payload.data, "hi", 2);
	assert_int_equal(env->nsigs, 2);
	/* Kept sorted by keyid. */
	assert_int_equal(env->sigs[0].keyid[0], 0xaa);
	assert_int_equal(env->sigs[0].sig_len, 2);
	assert_int_equal(env->sigs[1].sig[0], 1);
	assert_int_equal(ccctl_dsse_write(&out, env), 0);
	assert_string_equal((char *)out.data,
			    "{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":["
			    "{\"keyid\":\"" KEYID_A "\",\"sig\":\"AgM=\"},"
			    "{\"keyid\":\"" KEYID_B "\",\"sig\":\"AQ==\"}]}\n");
	ccctl_dsse_free(env);
	ccctl_buf_release(&out);

	/* White space and member order do not matter; no signatures is fine. */
	assert_int_equal(parse_str(" {\"signatures\" : [], \"payloadType\":\"t\", "
				   "\"payload\":\"\"}\n"),
			 0);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"\x01\x02\xff",
		"[]",
		"{}",
		"null",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\"}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[],\"x\":1}",
		"{\"payload\":\"aGk\",\"payloadType\":\"t\",\"signatures\":[]}",
		"{\"payload\":\"aGl=\",\"payloadType\":\"t\",\"signatures\":[]}",
		"{\"payload\":\"a Gk=\",\"payloadType\":\"t\",\"signatures\":[]}",
		"{\"payload\":\"!!!!\",\"payloadType\":\"t\",\"signatures\":[]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"\",\"signatures\":[]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"a\\u0000b\",\"signatures\":[]}",
		"{\"payload\":1,\"payloadType\":\"t\",\"signatures\":[]}",
		"{\"payload\":\"aGk=\",\"payloadType\":[],\"signatures\":[]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":{}}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[1]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"" KEYID_A
		"\"}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"" KEYID_A
		"\",\"sig\":\"AQ==\",\"x\":0}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"" KEYID_A
		"\",\"sig\":\"\"}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"" KEYID_A
		"\",\"sig\":\"AQ\"}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"ab\","
		"\"sig\":\"AQ==\"}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\""
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"sig\":\"AQ==\"}]}",
		"{\"payload\":\"aGk=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"" KEYID_A
		"\",\"sig\":\"AQ==\"},{\"keyid\":\"" KEYID_A "\",\"sig\":\"Ag==\"}]}",
	};
	char big[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_str(bad[i]) != CCCTL_EINVAL)
			fail_msg("accepted bad envelope %zu: %s", i, bad[i]);
	}
	assert_int_equal(parse_str(bad[sizeof(bad) / sizeof(bad[0]) - 1]), CCCTL_EINVAL);
	assert_non_null(strstr(ccctl_err_msg(), "more than one signature"));

	/* A signature longer than any supported key makes. */
	snprintf(big, sizeof(big),
		 "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"%s\","
		 "\"sig\":\"%0200d\"}]}", KEYID_A, 0);
	assert_int_equal(parse_str(big), CCCTL_EINVAL);
}

static void test_add_replaces(void **state)
{
	struct ccctl_dsse_envelope *env = NULL;
	uint8_t a[32], b[32];

	(void)state;
	memset(a, 0xaa, 32);
	memset(b, 0x01, 32);
	assert_int_equal(ccctl_dsse_new(&env, "t", "x", 1), 0);
	assert_int_equal(ccctl_dsse_add(env, a, (const uint8_t *)"1", 1), 0);
	assert_int_equal(ccctl_dsse_add(env, b, (const uint8_t *)"2", 1), 0);
	assert_int_equal(ccctl_dsse_add(env, a, (const uint8_t *)"33", 2), 0);
	assert_int_equal(env->nsigs, 2);
	assert_memory_equal(env->sigs[0].keyid, b, 32);
	assert_int_equal(env->sigs[1].sig_len, 2);
	assert_ptr_equal(ccctl_dsse_find(env, a), &env->sigs[1]);
	assert_int_equal(ccctl_dsse_add(env, a, (const uint8_t *)"", 0), CCCTL_EINVAL);
	ccctl_dsse_free(env);
	assert_int_equal(ccctl_dsse_new(&env, "", "x", 1), CCCTL_EINVAL);
	assert_null(env);
}

/* Sign, serialise, parse back and verify; wrong key and a changed payload
 * fail. */
static void sign_roundtrip(enum ccctl_key_type type)
{
	struct ccctl_dsse_envelope *env = NULL, *back = NULL;
	struct ccctl_key *k = NULL, *other = NULL;
	struct ccctl_pubkey *pk = NULL, *opk = NULL;
	struct ccctl_buf text, again;
	const struct ccctl_dsse_sig *s;

	ccctl_buf_init(&text);
	ccctl_buf_init(&again);
	assert_int_equal(ccctl_key_generate(&k, type, "alice", 1), 0);
	assert_int_equal(ccctl_key_generate(&other, type, "mallory", 1), 0);
	assert_int_equal(ccctl_pubkey_from_cert(&pk, ccctl_key_cert_pem(k),
						strlen(ccctl_key_cert_pem(k))),
			 0);
	assert_int_equal(ccctl_pubkey_from_cert(&opk, ccctl_key_cert_pem(other),
						strlen(ccctl_key_cert_pem(other))),
			 0);
	assert_int_equal(ccctl_dsse_new(&env, "application/x-test", "{\"a\":1}", 7), 0);
	assert_int_equal(ccctl_dsse_sign(env, k), 0);
	assert_int_equal(ccctl_dsse_sign(env, k), 0); /* replaces, never duplicates */
	assert_int_equal(env->nsigs, 1);
	assert_int_equal(ccctl_dsse_write(&text, env), 0);
	assert_int_equal(text.data[text.len - 1], '\n');
	assert_int_equal(ccctl_dsse_parse(&back, text.data, text.len), 0);
	assert_int_equal(ccctl_dsse_write(&again, back), 0);
	assert_int_equal(again.len, text.len);
	assert_memory_equal(again.data, text.data, text.len);

	s = ccctl_dsse_find(back, ccctl_key_spki_sha256(k));
	assert_non_null(s);
	assert_int_equal(ccctl_dsse_verify(back, s, pk), 0);
	assert_int_equal(ccctl_dsse_verify(back, s, opk), CCCTL_EVERIFY);
	back->payload.data[3] ^= 0x20;
	assert_int_equal(ccctl_dsse_verify(back, s, pk), CCCTL_EVERIFY);
	back->payload.data[3] ^= 0x20;
	back->payload_type[0] = 'b';
	assert_int_equal(ccctl_dsse_verify(back, s, pk), CCCTL_EVERIFY);

	ccctl_buf_release(&text);
	ccctl_buf_release(&again);
	ccctl_dsse_free(env);
	ccctl_dsse_free(back);
	ccctl_pubkey_free(pk);
	ccctl_pubkey_free(opk);
	ccctl_key_free(k);
	ccctl_key_free(other);
}

static void test_sign_p256(void **state)
{
	(void)state;
	sign_roundtrip(CCCTL_KEY_P256);
}

static void test_sign_ed25519(void **state)
{
	(void)state;
	sign_roundtrip(CCCTL_KEY_ED25519);
}

static char **strv1(const char *s)
{
	char **v = calloc(2, sizeof(*v));

	assert_non_null(v);
	v[0] = strdup(s);
	assert_non_null(v[0]);
	return v;
}

static void set_participant(struct ccctl_policy_participant *p, const char *name,
			    const struct ccctl_key *k)
{
	p->name = strdup(name);
	p->certificate = strdup(ccctl_key_cert_pem(k));
	assert_non_null(p->name);
	assert_non_null(p->certificate);
	memcpy(p->spki_sha256, ccctl_key_spki_sha256(k), 32);
}

/* A small valid policy: alice (P-256) provides the program, bob (Ed25519)
 * an input; both must sign (threshold = all). */
static struct ccctl_policy *small_policy(const struct ccctl_key *alice,
					 const struct ccctl_key *bob)
{
	struct ccctl_policy *p = ccctl_policy_new();

	assert_non_null(p);
	p->name = strdup("t");
	p->participants = calloc(2, sizeof(*p->participants));
	p->nparticipants = 2;
	set_participant(&p->participants[0], "alice", alice);
	set_participant(&p->participants[1], "bob", bob);
	p->programs = calloc(1, sizeof(*p->programs));
	p->nprograms = 1;
	p->programs[0].name = strdup("p");
	p->programs[0].provider = strdup("alice");
	p->programs[0].reads = strv1("/input/");
	p->programs[0].nreads = 1;
	p->programs[0].writes = strv1("/output/");
	p->programs[0].nwrites = 1;
	p->inputs = calloc(1, sizeof(*p->inputs));
	p->ninputs = 1;
	p->inputs[0].path = strdup("/input/b");
	p->inputs[0].from = strdup("bob");
	p->inputs[0].max_size = 1024;
	p->outputs = calloc(1, sizeof(*p->outputs));
	p->noutputs = 1;
	p->outputs[0].path = strdup("/output/r");
	p->outputs[0].to = strv1("alice");
	p->outputs[0].nto = 1;
	p->outputs[0].program = strdup("p");
	p->backends = calloc(1, sizeof(*p->backends));
	p->nbackends = 1;
	p->backends[0].name = strdup("sim");
	p->backends[0].measurements = calloc(1, sizeof(*p->backends[0].measurements));
	p->backends[0].nmeasurements = 1;
	p->backends[0].measurements[0].key = strdup("sha256");
	p->backends[0].measurements[0].value =
		strdup("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	p->consent.signers = calloc(3, sizeof(char *));
	p->consent.signers[0] = strdup("bob");
	p->consent.signers[1] = strdup("alice");
	p->consent.nsigners = 2;
	if (ccctl_policy_finish(p) != 0)
		fail_msg("policy: %s", ccctl_err_msg());
	return p;
}

static int consent_of(const struct ccctl_dsse_envelope *env, struct ccctl_consent **c)
{
	int ret = ccctl_consent_new(c, env);

	if (ret)
		return ret;
	return ccctl_consent_check(*c);
}

static void test_consent(void **state)
{
	struct ccctl_key *alice = NULL, *bob = NULL, *mallory = NULL;
	struct ccctl_dsse_envelope *env = NULL, *bad = NULL;
	struct ccctl_consent *c = NULL;
	struct ccctl_policy *pol;
	struct ccctl_dsse_sig *s;

	(void)state;
	assert_int_equal(ccctl_key_generate(&alice, CCCTL_KEY_P256, "alice", 1), 0);
	assert_int_equal(ccctl_key_generate(&bob, CCCTL_KEY_ED25519, "bob", 1), 0);
	assert_int_equal(ccctl_key_generate(&mallory, CCCTL_KEY_P256, "mallory", 1), 0);
	pol = small_policy(alice, bob);
	assert_int_equal(ccctl_dsse_new(&env, CCCTL_POLICY_PAYLOAD_TYPE, pol->canonical.data,
					pol->canonical.len),
			 0);

	/* Nobody yet. */
	assert_int_equal(consent_of(env, &c), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "missing: alice, bob"));
	assert_int_equal(c->states[0], CCCTL_SIG_MISSING);
	ccctl_consent_free(c);
	c = NULL;

	/* Alice only: bob is named as missing. */
	assert_int_equal(ccctl_dsse_sign(env, alice), 0);
	assert_int_equal(consent_of(env, &c), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "1 of 2"));
	assert_non_null(strstr(ccctl_err_msg(), "missing: bob"));
	assert_int_equal(c->states[0], CCCTL_SIG_VALID);
	ccctl_consent_free(c);
	c = NULL;

	/* Both: complete. */
	assert_int_equal(ccctl_dsse_sign(env, bob), 0);
	assert_int_equal(consent_of(env, &c), 0);
	assert_int_equal(c->nvalid, 2);
	assert_memory_equal(c->policy->digest, pol->digest, 32);
	ccctl_consent_free(c);
	c = NULL;

	/* A corrupted signature of bob's: bad, and consent no longer met. */
	assert_int_equal(ccctl_dsse_new(&bad, env->payload_type, env->payload.data,
					env->payload.len),
			 0);
	assert_int_equal(ccctl_dsse_add(bad, env->sigs[0].keyid, env->sigs[0].sig,
					env->sigs[0].sig_len),
			 0);
	assert_int_equal(ccctl_dsse_add(bad, env->sigs[1].keyid, env->sigs[1].sig,
					env->sigs[1].sig_len),
			 0);
	s = (struct ccctl_dsse_sig *)ccctl_dsse_find(bad, ccctl_key_spki_sha256(bob));
	s->sig[5] ^= 1;
	assert_int_equal(consent_of(bad, &c), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "bad signature by participant \"bob\""));
	assert_non_null(strstr(ccctl_err_msg(), "bob (bad signature)"));
	assert_int_equal(c->states[1], CCCTL_SIG_BAD);
	ccctl_consent_free(c);
	c = NULL;
	ccctl_dsse_free(bad);
	bad = NULL;

	/* A non-participant's extra signature is an error even with consent. */
	assert_int_equal(ccctl_dsse_sign(env, mallory), 0);
	assert_int_equal(consent_of(env, &c), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "signature by non-participant key"));
	assert_int_equal(c->nstrangers, 1);
	assert_int_equal(c->nvalid, 2);
	ccctl_consent_free(c);
	c = NULL;

	/* One flipped payload bit making it no valid policy: exit 4, not 3. */
	env->payload.data[0] ^= 0x01;
	assert_int_equal(ccctl_consent_new(&c, env), CCCTL_EVERIFY);
	assert_non_null(strstr(ccctl_err_msg(), "not a valid policy"));
	assert_null(c);
	env->payload.data[0] ^= 0x01;
	/* ... or leaving a valid policy whose signatures do not verify. */
	assert_int_equal(ccctl_dsse_new(&bad, env->payload_type, env->payload.data,
					env->payload.len),
			 0);
	s = (struct ccctl_dsse_sig *)ccctl_dsse_find(env, ccctl_key_spki_sha256(alice));
	assert_non_null(s);
	assert_int_equal(ccctl_dsse_add(bad, s->keyid, s->sig, s->sig_len), 0);
	{
		char *t = strstr((char *)bad->payload.data, "\"name\":\"t\"");
		assert_non_null(t);
		t[8] = 'u';
	}
	assert_int_equal(consent_of(bad, &c), CCCTL_EVERIFY);
	assert_int_equal(c->nbad, 1);
	ccctl_consent_free(c);
	c = NULL;
	ccctl_dsse_free(bad);
	bad = NULL;

	/* Wrong payload type; an unsigned non-policy is invalid input. */
	free(env->payload_type);
	env->payload_type = strdup("text/plain");
	assert_int_equal(ccctl_consent_new(&c, env), CCCTL_EINVAL);
	assert_int_equal(ccctl_dsse_new(&bad, CCCTL_POLICY_PAYLOAD_TYPE, "{}", 2), 0);
	assert_int_equal(ccctl_consent_new(&c, bad), CCCTL_EINVAL);
	assert_null(c);

	ccctl_dsse_free(bad);
	ccctl_dsse_free(env);
	ccctl_policy_free(pol);
	ccctl_key_free(alice);
	ccctl_key_free(bob);
	ccctl_key_free(mallory);
}

/* ccctl_dsse_load: a bare policy is wrapped, an envelope parsed. */
static void test_load(void **state)
{
	struct ccctl_dsse_envelope *env = NULL;
	bool bare;

	(void)state;
	assert_int_equal(ccctl_dsse_load(&env, &bare, "{\"version\":1}", 13), 0);
	assert_true(bare);
	assert_string_equal(env->payload_type, CCCTL_POLICY_PAYLOAD_TYPE);
	assert_int_equal(env->nsigs, 0);
	ccctl_dsse_free(env);
	assert_int_equal(ccctl_dsse_load(&env, &bare,
					 "{\"payload\":\"\",\"payloadType\":\"t\","
					 "\"signatures\":[]}", 48),
			 0);
	assert_false(bare);
	ccctl_dsse_free(env);
	/* Something envelope-like but broken is not silently a bare policy. */
	assert_int_equal(ccctl_dsse_load(&env, &bare, "{\"payload\":\"\"}", 14), CCCTL_EINVAL);
	assert_int_equal(ccctl_dsse_load(&env, &bare, "[1]", 3), CCCTL_EINVAL);
	assert_int_equal(ccctl_dsse_load(&env, &bare, "", 0), CCCTL_EINVAL);
	assert_null(env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pae_vector),  cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_rejects), cmocka_unit_test(test_add_replaces),
		cmocka_unit_test(test_sign_p256),   cmocka_unit_test(test_sign_ed25519),
		cmocka_unit_test(test_consent),     cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
