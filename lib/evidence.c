/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evidence.c - report_data binding, the claims check shared by all
 * backends, and the sim backend's token format.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "cbor.h"
#include "cose.h"
#include "err.h"
#include "evidence.h"

#define LABEL "ccctl-evidence-v1"

void ccctl_evidence_report_data(uint8_t out[CCCTL_REPORT_DATA_LEN],
				const uint8_t nonce[CCCTL_NONCE_LEN],
				const uint8_t policy_digest[CCCTL_SHA256_LEN],
				const uint8_t tls_spki_sha256[CCCTL_SHA256_LEN])
{
	uint8_t msg[sizeof(LABEL) + CCCTL_NONCE_LEN + 2 * CCCTL_SHA256_LEN];
	size_t off = 0;

	memcpy(msg, LABEL, sizeof(LABEL)); /* includes the 0x00 */
	off += sizeof(LABEL);
	memcpy(msg + off, nonce, CCCTL_NONCE_LEN);
	off += CCCTL_NONCE_LEN;
	memcpy(msg + off, policy_digest, CCCTL_SHA256_LEN);
	off += CCCTL_SHA256_LEN;
	memcpy(msg + off, tls_spki_sha256, CCCTL_SHA256_LEN);
	off += CCCTL_SHA256_LEN;
	SHA512(msg, off, out);
}

/* "KEY:HEX" for messages ("sha256:ab12..", "pcr0:..."). */
static void fmt_value(char *out, size_t size, const char *key, const uint8_t *v, size_t len)
{
	char hex[2 * CCCTL_MEASUREMENT_MAX + 1];

	ccctl_hex_encode(hex, v, len);
	snprintf(out, size, "%s:%s", key, hex);
}

int ccctl_evidence_check(const struct ccctl_evidence_claims *claims,
			 const struct ccctl_policy *policy,
			 const uint8_t expected_report_data[CCCTL_REPORT_DATA_LEN])
{
	const struct ccctl_policy_backend *b = ccctl_policy_find_backend(policy, claims->backend);
	size_t i, j;

	if (!b)
		return ccctl_err_set(CCCTL_EVERIFY,
				     "backend not allowed: the policy does not list \"%s\"",
				     claims->backend);
	for (i = 0; i < b->nmeasurements; i++) {
		const struct ccctl_policy_measurement *m = &b->measurements[i];
		uint8_t want[CCCTL_MEASUREMENT_MAX];
		size_t wlen = strlen(m->value) / 2;
		bool found = false;

		if (strcmp(m->key, "hash_alg") == 0)
			continue;
		if (wlen == 0 || wlen > sizeof(want) ||
		    ccctl_hex_decode(want, wlen, m->value, strlen(m->value)) != 0)
			return ccctl_err_set(CCCTL_EINVAL, "policy measurement \"%s\" is not hex",
					     m->key);
		for (j = 0; j < claims->nmeasurements; j++) {
			char exp[160], got[160];

			if (strcmp(claims->measurements[j].key, m->key) != 0)
				continue;
			found = true;
			if (claims->measurements[j].len == wlen &&
			    ccctl_ct_equal(claims->measurements[j].value, want, wlen))
				break;
			fmt_value(exp, sizeof(exp), m->key, want, wlen);
			fmt_value(got, sizeof(got), m->key, claims->measurements[j].value,
				  claims->measurements[j].len);
			return ccctl_err_set(CCCTL_EVERIFY,
					     "measurement mismatch: expected %s (policy), got %s "
					     "(evidence)",
					     exp, got);
		}
		if (!found)
			return ccctl_err_set(
			    CCCTL_EVERIFY,
			    "measurement \"%s\" pinned by the policy is missing from "
			    "the evidence",
			    m->key);
	}
	if (!ccctl_ct_equal(claims->report_data, expected_report_data, CCCTL_REPORT_DATA_LEN)) {
		char exp[2 * CCCTL_REPORT_DATA_LEN + 1], got[2 * CCCTL_REPORT_DATA_LEN + 1];

		ccctl_hex_encode(exp, expected_report_data, CCCTL_REPORT_DATA_LEN);
		ccctl_hex_encode(got, claims->report_data, CCCTL_REPORT_DATA_LEN);
		return ccctl_err_set(
		    CCCTL_EVERIFY,
		    "report_data mismatch (nonce, policy digest or TLS key differ): "
		    "expected %.16s… (verifier), got %.16s… (evidence)",
		    exp, got);
	}
	return 0;
}

static int spki_sha256_of(uint8_t out[CCCTL_SHA256_LEN], EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(key, &der);

	if (len <= 0)
		return ccctl_err_openssl(CCCTL_EFAIL, "platform key");
	ccctl_sha256(out, der, (size_t)len);
	OPENSSL_free(der);
	return 0;
}

int ccctl_sim_token_make(struct ccctl_buf *out, void *platform_key,
			 const uint8_t report_data[CCCTL_REPORT_DATA_LEN],
			 const uint8_t measurement[CCCTL_SHA256_LEN])
{
	struct ccctl_buf claims;
	uint8_t iid[1 + CCCTL_SHA256_LEN];
	int rc;

	ccctl_buf_init(&claims);
	iid[0] = 0x01;
	rc = spki_sha256_of(iid + 1, platform_key);
	if (rc == 0)
		rc = ccctl_cbor_put_map(&claims, 4);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 10);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(&claims, report_data, CCCTL_REPORT_DATA_LEN);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 256);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(&claims, iid, sizeof(iid));
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 265);
	if (rc == 0)
		rc = ccctl_cbor_put_text(&claims, CCCTL_SIM_PROFILE);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 2399);
	if (rc == 0)
		rc = ccctl_cbor_put_array(&claims, 1);
	if (rc == 0)
		rc = ccctl_cbor_put_map(&claims, 3);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 1);
	if (rc == 0)
		rc = ccctl_cbor_put_text(&claims, "ccctl-runtime");
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 2);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(&claims, measurement, CCCTL_SHA256_LEN);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&claims, 6);
	if (rc == 0)
		rc = ccctl_cbor_put_text(&claims, "sha-256");
	if (rc == 0)
		rc = ccctl_cose_sign1_sign(out, platform_key, claims.data, claims.len, true);
	ccctl_buf_release(&claims);
	return rc;
}

static bool text_is(const struct ccctl_cbor *c, const char *s)
{
	return c && c->type == CCCTL_CBOR_TEXT && c->u.str.len == strlen(s) &&
	       memcmp(c->u.str.ptr, s, c->u.str.len) == 0;
}

int ccctl_sim_token_verify(struct ccctl_evidence_claims *claims, const void *token, size_t len,
			   void *platform_pubkey)
{
	struct ccctl_cose_sign1 *s = NULL;
	struct ccctl_cbor_doc *doc = NULL;
	const struct ccctl_cbor *c, *sw, *m;
	uint8_t iid[1 + CCCTL_SHA256_LEN];
	int rc;

	memset(claims, 0, sizeof(*claims));
	rc = ccctl_cose_sign1_parse(&s, token, len);
	if (rc != 0)
		goto out;
	if (!s->tagged || s->alg != CCCTL_COSE_ALG_ES256) {
		rc = ccctl_err_set(CCCTL_EINVAL, "sim token: expected a tagged ES256 COSE_Sign1");
		goto out;
	}
	rc = ccctl_cose_sign1_verify(s, platform_pubkey);
	if (rc != 0) {
		if (rc == CCCTL_EVERIFY)
			ccctl_err_set(CCCTL_EVERIFY, "sim token signature does not verify with the "
						     "trusted sim platform key");
		goto out;
	}
	rc = ccctl_cbor_decode(&doc, s->payload, s->payload_len);
	if (rc != 0)
		goto out;
	rc = CCCTL_EINVAL;
	c = ccctl_cbor_map_get_int(doc->root, 265);
	if (!text_is(c, CCCTL_SIM_PROFILE)) {
		ccctl_err_set(CCCTL_EINVAL, "sim token: profile is not \"%s\"", CCCTL_SIM_PROFILE);
		goto out;
	}
	c = ccctl_cbor_map_get_int(doc->root, 10);
	if (!c || c->type != CCCTL_CBOR_BYTES || c->u.str.len != CCCTL_REPORT_DATA_LEN) {
		ccctl_err_set(CCCTL_EINVAL, "sim token: challenge must be 64 bytes");
		goto out;
	}
	memcpy(claims->report_data, c->u.str.ptr, CCCTL_REPORT_DATA_LEN);
	c = ccctl_cbor_map_get_int(doc->root, 256);
	iid[0] = 0x01;
	if (spki_sha256_of(iid + 1, platform_pubkey) != 0)
		goto out;
	if (!c || c->type != CCCTL_CBOR_BYTES || c->u.str.len != sizeof(iid) ||
	    memcmp(c->u.str.ptr, iid, sizeof(iid)) != 0) {
		ccctl_err_set(CCCTL_EINVAL,
			      "sim token: instance id does not name the platform key");
		goto out;
	}
	sw = ccctl_cbor_map_get_int(doc->root, 2399);
	if (!sw || sw->type != CCCTL_CBOR_ARRAY || sw->u.arr.n != 1 ||
	    !text_is(ccctl_cbor_map_get_int(&sw->u.arr.items[0], 1), "ccctl-runtime") ||
	    !text_is(ccctl_cbor_map_get_int(&sw->u.arr.items[0], 6), "sha-256")) {
		ccctl_err_set(CCCTL_EINVAL,
			      "sim token: expected one ccctl-runtime sha-256 component");
		goto out;
	}
	m = ccctl_cbor_map_get_int(&sw->u.arr.items[0], 2);
	if (!m || m->type != CCCTL_CBOR_BYTES || m->u.str.len != CCCTL_SHA256_LEN) {
		ccctl_err_set(CCCTL_EINVAL, "sim token: runtime measurement must be 32 bytes");
		goto out;
	}
	snprintf(claims->backend, sizeof(claims->backend), "sim");
	snprintf(claims->profile, sizeof(claims->profile), "%s", CCCTL_SIM_PROFILE);
	snprintf(claims->measurements[0].key, sizeof(claims->measurements[0].key), "sha256");
	memcpy(claims->measurements[0].value, m->u.str.ptr, CCCTL_SHA256_LEN);
	claims->measurements[0].len = CCCTL_SHA256_LEN;
	claims->nmeasurements = 1;
	claims->test_platform = true;
	rc = 0;
out:
	ccctl_cbor_doc_free(doc);
	ccctl_cose_sign1_free(s);
	return rc;
}
