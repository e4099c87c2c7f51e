/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cose.c - COSE_Sign1 parse, verify and sign (ES256, ES384).
 *
 * COSE carries ECDSA signatures as raw r||s of the curve's size; OpenSSL
 * works with DER ECDSA-Sig-Value, so both directions convert.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "cose.h"
#include "err.h"

static int alg_params(int64_t alg, const EVP_MD **md, size_t *half, const char **curve)
{
	*md = NULL;
	*half = 0;
	*curve = "";
	switch (alg) {
	case CCCTL_COSE_ALG_ES256:
		*md = EVP_sha256();
		*half = 32;
		*curve = "prime256v1";
		return 0;
	case CCCTL_COSE_ALG_ES384:
		*md = EVP_sha384();
		*half = 48;
		*curve = "secp384r1";
		return 0;
	default:
		return ccctl_err_set(CCCTL_EINVAL, "cose: unsupported algorithm %lld",
				     (long long)alg);
	}
}

void ccctl_cose_sign1_free(struct ccctl_cose_sign1 *s)
{
	if (!s)
		return;
	ccctl_cbor_doc_free(s->doc);
	free(s);
}

int ccctl_cose_sign1_parse(struct ccctl_cose_sign1 **out, const void *data, size_t len)
{
	struct ccctl_cose_sign1 *s = NULL;
	struct ccctl_cbor_doc *hdr = NULL;
	const struct ccctl_cbor *root, *it, *alg;
	const EVP_MD *md = NULL;
	const char *curve = "";
	size_t half = 0;
	int64_t a;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ccctl_err_nomem();
	rc = ccctl_cbor_decode(&s->doc, data, len);
	if (rc != 0)
		goto out;
	root = s->doc->root;
	if (root->type == CCCTL_CBOR_TAG) {
		if (root->u.tag.number != CCCTL_COSE_TAG_SIGN1) {
			rc = ccctl_err_set(CCCTL_EINVAL,
					   "cose: expected tag 18 (COSE_Sign1), found %llu",
					   (unsigned long long)root->u.tag.number);
			goto out;
		}
		s->tagged = true;
		root = root->u.tag.item;
	}
	if (root->type != CCCTL_CBOR_ARRAY || root->u.arr.n != 4) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: COSE_Sign1 must be an array of 4 items");
		goto out;
	}
	it = root->u.arr.items;
	if (it[0].type != CCCTL_CBOR_BYTES || it[1].type != CCCTL_CBOR_MAP ||
	    it[3].type != CCCTL_CBOR_BYTES) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: malformed COSE_Sign1 fields");
		goto out;
	}
	if (it[2].type != CCCTL_CBOR_BYTES) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: detached or malformed payload");
		goto out;
	}
	s->protected_bytes = it[0].u.str.ptr;
	s->protected_len = it[0].u.str.len;
	s->unprotected = &it[1];
	s->payload = it[2].u.str.ptr;
	s->payload_len = it[2].u.str.len;
	s->signature = it[3].u.str.ptr;
	s->signature_len = it[3].u.str.len;
	if (s->protected_len == 0) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: empty protected header (no algorithm)");
		goto out;
	}
	rc = ccctl_cbor_decode(&hdr, s->protected_bytes, s->protected_len);
	if (rc != 0)
		goto out;
	alg = ccctl_cbor_map_get_int(hdr->root, 1);
	if (!alg || ccctl_cbor_get_int(alg, &a) != 0) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: protected header has no algorithm");
		goto out;
	}
	rc = alg_params(a, &md, &half, &curve);
	if (rc != 0)
		goto out;
	if (s->signature_len != 2 * half) {
		rc = ccctl_err_set(CCCTL_EINVAL, "cose: signature length %zu, expected %zu",
				   s->signature_len, 2 * half);
		goto out;
	}
	s->alg = a;
	*out = s;
	s = NULL;
out:
	ccctl_cbor_doc_free(hdr);
	ccctl_cose_sign1_free(s);
	return rc;
}

/* Sig_structure = ["Signature1", body_protected, external_aad = h'', payload] */
static int sig_structure(struct ccctl_buf *b, const uint8_t *prot, size_t plen,
			 const uint8_t *payload, size_t len)
{
	int rc = ccctl_cbor_put_array(b, 4);

	if (rc == 0)
		rc = ccctl_cbor_put_text(b, "Signature1");
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(b, prot, plen);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(b, "", 0);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(b, payload, len);
	return rc;
}

static int key_curve_is(EVP_PKEY *key, const char *curve)
{
	char name[64];
	size_t n = 0;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
		return 0;
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
					    &n))
		return 0;
	return strcmp(name, curve) == 0;
}

int ccctl_cose_sign1_verify(const struct ccctl_cose_sign1 *s, EVP_PKEY *key)
{
	struct ccctl_buf tbs;
	const EVP_MD *md = NULL;
	const char *curve = "";
	size_t half = 0;
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *sv = NULL;
	unsigned char *der = NULL;
	EVP_MD_CTX *mctx = NULL;
	int rc, derlen;

	ccctl_buf_init(&tbs);
	rc = alg_params(s->alg, &md, &half, &curve);
	if (rc != 0)
		goto out;
	if (!key_curve_is(key, curve)) {
		rc = ccctl_err_set(CCCTL_EVERIFY, "cose: key is not on curve %s", curve);
		goto out;
	}
	rc = sig_structure(&tbs, s->protected_bytes, s->protected_len, s->payload, s->payload_len);
	if (rc != 0)
		goto out;
	sig = ECDSA_SIG_new();
	r = BN_bin2bn(s->signature, (int)half, NULL);
	sv = BN_bin2bn(s->signature + half, (int)half, NULL);
	if (!sig || !r || !sv || !ECDSA_SIG_set0(sig, r, sv)) {
		rc = ccctl_err_openssl(CCCTL_EFAIL, "cose: signature");
		goto out;
	}
	r = sv = NULL;
	derlen = i2d_ECDSA_SIG(sig, &der);
	mctx = EVP_MD_CTX_new();
	if (derlen <= 0 || !mctx || EVP_DigestVerifyInit(mctx, NULL, md, NULL, key) != 1) {
		rc = ccctl_err_openssl(CCCTL_EFAIL, "cose: verify");
		goto out;
	}
	if (EVP_DigestVerify(mctx, der, (size_t)derlen, tbs.data, tbs.len) != 1) {
		ERR_clear_error();
		rc = ccctl_err_set(CCCTL_EVERIFY, "cose signature does not verify");
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	BN_free(r);
	BN_free(sv);
	ECDSA_SIG_free(sig);
	ccctl_buf_release(&tbs);
	return rc;
}

int ccctl_cose_sign1_sign(struct ccctl_buf *out, EVP_PKEY *key, const void *payload, size_t len,
			  bool tagged)
{
	struct ccctl_buf tbs, prot;
	const EVP_MD *md = NULL;
	const char *curve = "";
	size_t half = 0, siglen = 0;
	int64_t alg;
	unsigned char *der = NULL;
	const unsigned char *p;
	uint8_t raw[96];
	ECDSA_SIG *sig = NULL;
	EVP_MD_CTX *mctx = NULL;
	int rc;

	ccctl_buf_init(&tbs);
	ccctl_buf_init(&prot);
	alg = key_curve_is(key, "prime256v1")  ? CCCTL_COSE_ALG_ES256
	      : key_curve_is(key, "secp384r1") ? CCCTL_COSE_ALG_ES384
					       : 0;
	rc = alg_params(alg, &md, &half, &curve);
	if (rc != 0)
		goto out;
	rc = ccctl_cbor_put_map(&prot, 1);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&prot, 1);
	if (rc == 0)
		rc = ccctl_cbor_put_int(&prot, alg);
	if (rc == 0)
		rc = sig_structure(&tbs, prot.data, prot.len, payload, len);
	if (rc != 0)
		goto out;
	mctx = EVP_MD_CTX_new();
	if (!mctx || EVP_DigestSignInit(mctx, NULL, md, NULL, key) != 1 ||
	    EVP_DigestSign(mctx, NULL, &siglen, tbs.data, tbs.len) != 1 ||
	    !(der = OPENSSL_malloc(siglen)) ||
	    EVP_DigestSign(mctx, der, &siglen, tbs.data, tbs.len) != 1) {
		rc = ccctl_err_openssl(CCCTL_EFAIL, "cose: sign");
		goto out;
	}
	p = der;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, (int)half) != (int)half ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + half, (int)half) != (int)half) {
		rc = ccctl_err_openssl(CCCTL_EFAIL, "cose: signature encoding");
		goto out;
	}
	if (tagged)
		rc = ccctl_cbor_put_tag(out, CCCTL_COSE_TAG_SIGN1);
	if (rc == 0)
		rc = ccctl_cbor_put_array(out, 4);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(out, prot.data, prot.len);
	if (rc == 0)
		rc = ccctl_cbor_put_map(out, 0);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(out, payload, len);
	if (rc == 0)
		rc = ccctl_cbor_put_bytes(out, raw, 2 * half);
out:
	ECDSA_SIG_free(sig);
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	ccctl_buf_release(&tbs);
	ccctl_buf_release(&prot);
	return rc;
}
