/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.c - hashing, keys, self-signed certificates and signatures over
 * OpenSSL 3.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "err.h"

struct ccctl_pubkey {
	EVP_PKEY *pkey;
	enum ccctl_key_type type;
	uint8_t spki[CCCTL_SHA256_LEN];
};

struct ccctl_key {
	EVP_PKEY *pkey;
	enum ccctl_key_type type;
	uint8_t spki[CCCTL_SHA256_LEN];
	char *cert_pem;
};

void ccctl_sha256(uint8_t out[CCCTL_SHA256_LEN], const void *data, size_t len)
{
	unsigned int n = 0;

	/* Only fails when OpenSSL itself is broken (no SHA-256 provider, out
	 * of memory): a digest we cannot compute must never read as zeros. */
	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != CCCTL_SHA256_LEN)
		abort();
}

const char *ccctl_key_type_name(enum ccctl_key_type type)
{
	switch (type) {
	case CCCTL_KEY_P256:
		return "p256";
	case CCCTL_KEY_ED25519:
		return "ed25519";
	}
	return "unknown";
}

int ccctl_key_type_parse(enum ccctl_key_type *out, const char *name)
{
	if (strcmp(name, "p256") == 0)
		*out = CCCTL_KEY_P256;
	else if (strcmp(name, "ed25519") == 0)
		*out = CCCTL_KEY_ED25519;
	else
		return ccctl_err_set(CCCTL_EINVAL,
				     "unknown key type \"%s\": expected p256 or ed25519", name);
	return 0;
}

/* Which supported type pkey is; CCCTL_EINVAL for any other key. */
static int pkey_type(enum ccctl_key_type *out, EVP_PKEY *pkey)
{
	char group[32];
	size_t glen = 0;

	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
		*out = CCCTL_KEY_ED25519;
		return 0;
	}
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
	    EVP_PKEY_get_group_name(pkey, group, sizeof(group), &glen) == 1 &&
	    strcmp(group, SN_X9_62_prime256v1) == 0) {
		*out = CCCTL_KEY_P256;
		return 0;
	}
	return ccctl_err_set(CCCTL_EINVAL, "unsupported key type \"%s\": expected P-256 or Ed25519",
			     OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
}

/* SHA-256 of the certificate's SubjectPublicKeyInfo DER. */
static int cert_spki(uint8_t out[CCCTL_SHA256_LEN], X509 *cert)
{
	unsigned char *der = NULL;
	int len;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0)
		return ccctl_err_openssl(CCCTL_EINVAL, "certificate public key");
	ccctl_sha256(out, der, (size_t)len);
	OPENSSL_free(der);
	return 0;
}

/* True if the bytes are only white space (what may follow a PEM block). */
static int only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return 0;
	return 1;
}

/* Parse exactly one PEM certificate; nothing but white space may follow. */
static int cert_parse(X509 **out, const char *pem, size_t len)
{
	BIO *bio = NULL;
	X509 *cert = NULL;
	char *rest;
	long nrest;
	int ret;

	*out = NULL;
	if (len > CCCTL_PEM_MAX || len > INT_MAX) {
		ret = ccctl_err_set(CCCTL_EINVAL, "certificate too large: %zu bytes (max %d)", len,
				    CCCTL_PEM_MAX);
		goto out;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		ret = ccctl_err_nomem();
		goto out;
	}
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!cert) {
		ret = ccctl_err_openssl(CCCTL_EINVAL, "certificate: not a PEM X.509 certificate");
		goto out;
	}
	nrest = BIO_get_mem_data(bio, &rest);
	if (nrest < 0 || !only_space(rest, (size_t)nrest)) {
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "certificate: expected exactly one PEM certificate, found "
				    "%ld more bytes after it", nrest);
		goto out;
	}
	*out = cert;
	cert = NULL;
	ret = 0;
out:
	X509_free(cert);
	BIO_free(bio);
	return ret;
}

int ccctl_pubkey_from_cert(struct ccctl_pubkey **out, const char *pem, size_t len)
{
	struct ccctl_pubkey *pk = NULL;
	X509 *cert = NULL;
	int ret;

	*out = NULL;
	ret = cert_parse(&cert, pem, len);
	if (ret)
		goto out;
	pk = calloc(1, sizeof(*pk));
	if (!pk) {
		ret = ccctl_err_nomem();
		goto out;
	}
	pk->pkey = X509_get_pubkey(cert);
	if (!pk->pkey) {
		ret = ccctl_err_openssl(CCCTL_EINVAL, "certificate public key");
		goto out;
	}
	ret = pkey_type(&pk->type, pk->pkey);
	if (ret)
		goto out;
	ret = cert_spki(pk->spki, cert);
	if (ret)
		goto out;
	*out = pk;
	pk = NULL;
out:
	ccctl_pubkey_free(pk);
	X509_free(cert);
	return ret;
}

void ccctl_pubkey_free(struct ccctl_pubkey *pk)
{
	if (!pk)
		return;
	EVP_PKEY_free(pk->pkey);
	free(pk);
}

enum ccctl_key_type ccctl_pubkey_type(const struct ccctl_pubkey *pk)
{
	return pk->type;
}

const uint8_t *ccctl_pubkey_spki_sha256(const struct ccctl_pubkey *pk)
{
	return pk->spki;
}

int ccctl_cert_spki_sha256(uint8_t out[CCCTL_SHA256_LEN], const char *pem, size_t len)
{
	struct ccctl_pubkey *pk = NULL;
	int ret;

	ret = ccctl_pubkey_from_cert(&pk, pem, len);
	if (ret)
		goto out;
	memcpy(out, pk->spki, CCCTL_SHA256_LEN);
out:
	ccctl_pubkey_free(pk);
	return ret;
}

/* The digest used with a key type: SHA-256 for ECDSA, none for Ed25519. */
static const EVP_MD *type_md(enum ccctl_key_type type)
{
	return type == CCCTL_KEY_P256 ? EVP_sha256() : NULL;
}

int ccctl_pubkey_verify(const struct ccctl_pubkey *pk, const void *msg, size_t msglen,
			const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = NULL;
	int ret, rc;

	if (siglen == 0 || siglen > CCCTL_SIG_MAX) {
		ret = ccctl_err_set(CCCTL_EVERIFY, "bad signature: %zu bytes (expected 1..%d)",
				    siglen, CCCTL_SIG_MAX);
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (EVP_DigestVerifyInit(ctx, NULL, type_md(pk->type), NULL, pk->pkey) != 1) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "signature verification setup");
		goto out;
	}
	/* OpenSSL rejects non-DER ECDSA encodings and trailing bytes itself. */
	rc = EVP_DigestVerify(ctx, sig, siglen, msg, msglen);
	ERR_clear_error();
	if (rc != 1) {
		ret = ccctl_err_set(CCCTL_EVERIFY, "bad signature");
		goto out;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

void ccctl_key_free(struct ccctl_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k->cert_pem);
	free(k);
}

enum ccctl_key_type ccctl_key_type(const struct ccctl_key *k)
{
	return k->type;
}

const uint8_t *ccctl_key_spki_sha256(const struct ccctl_key *k)
{
	return k->spki;
}

const char *ccctl_key_cert_pem(const struct ccctl_key *k)
{
	return k->cert_pem;
}

/* Add one extension given in OpenSSL's configuration syntax. */
static int add_ext(X509 *cert, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *ext;
	int ok;

	ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);
	if (!ext)
		return ccctl_err_openssl(CCCTL_EFAIL, "certificate extension");
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ok)
		return ccctl_err_openssl(CCCTL_EFAIL, "certificate extension");
	return 0;
}

/* Build and self-sign the certificate for pkey; PEM into *pem_out. */
static int make_cert(char **pem_out, EVP_PKEY *pkey, enum ccctl_key_type type, const char *name,
		     unsigned days)
{
	X509 *cert = NULL;
	X509_NAME *subj = NULL;
	BIGNUM *serial = NULL;
	BIO *bio = NULL;
	X509V3_CTX v3;
	char *data;
	long n;
	int ret;

	*pem_out = NULL;
	cert = X509_new();
	subj = X509_NAME_new();
	serial = BN_new();
	bio = BIO_new(BIO_s_mem());
	if (!cert || !subj || !serial || !bio) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!X509_set_version(cert, X509_VERSION_3) ||
	    !BN_rand(serial, 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) ||
	    !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) ||
	    !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)name,
					-1, -1, 0) ||
	    !X509_set_subject_name(cert, subj) || !X509_set_issuer_name(cert, subj) ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), 0) ||
	    !X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0, NULL) ||
	    !X509_set_pubkey(cert, pkey)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "certificate");
		goto out;
	}
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	if ((ret = add_ext(cert, &v3, NID_basic_constraints, "critical,CA:FALSE")) ||
	    (ret = add_ext(cert, &v3, NID_key_usage, "critical,digitalSignature")) ||
	    (ret = add_ext(cert, &v3, NID_ext_key_usage, "clientAuth")) ||
	    (ret = add_ext(cert, &v3, NID_subject_key_identifier, "hash")))
		goto out;
	if (!X509_sign(cert, pkey, type_md(type))) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "certificate signature");
		goto out;
	}
	if (!PEM_write_bio_X509(bio, cert)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "certificate PEM");
		goto out;
	}
	n = BIO_get_mem_data(bio, &data);
	*pem_out = n > 0 ? strndup(data, (size_t)n) : NULL;
	ret = *pem_out ? 0 : ccctl_err_nomem();
out:
	BIO_free(bio);
	BN_free(serial);
	X509_NAME_free(subj);
	X509_free(cert);
	return ret;
}

int ccctl_key_generate(struct ccctl_key **out, enum ccctl_key_type type, const char *name,
		       unsigned days)
{
	struct ccctl_key *k = NULL;
	int ret;

	*out = NULL;
	if (days == 0 || days > 36500) {
		ret = ccctl_err_set(CCCTL_EINVAL, "validity of %u days: expected 1..36500", days);
		goto out;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		ret = ccctl_err_nomem();
		goto out;
	}
	k->type = type;
	if (type == CCCTL_KEY_P256)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", SN_X9_62_prime256v1);
	else if (type == CCCTL_KEY_ED25519)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else {
		ret = ccctl_err_set(CCCTL_EINVAL, "unknown key type %d", (int)type);
		goto out;
	}
	if (!k->pkey) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "key generation");
		goto out;
	}
	ret = make_cert(&k->cert_pem, k->pkey, type, name, days);
	if (ret)
		goto out;
	ret = ccctl_cert_spki_sha256(k->spki, k->cert_pem, strlen(k->cert_pem));
	if (ret)
		goto out;
	*out = k;
	k = NULL;
out:
	ccctl_key_free(k);
	return ret;
}

/* Password callback that refuses: an encrypted key is an error, never a
 * prompt on the terminal. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int ccctl_key_from_pem(struct ccctl_key **out, const char *key_pem, size_t key_len,
		       const char *cert_pem, size_t cert_len)
{
	struct ccctl_key *k = NULL;
	X509 *cert = NULL;
	BIO *bio = NULL;
	int ret;

	*out = NULL;
	if (key_len > CCCTL_PEM_MAX) {
		ret = ccctl_err_set(CCCTL_EINVAL, "private key too large: %zu bytes (max %d)",
				    key_len, CCCTL_PEM_MAX);
		goto out;
	}
	ret = cert_parse(&cert, cert_pem, cert_len);
	if (ret)
		goto out;
	k = calloc(1, sizeof(*k));
	bio = BIO_new_mem_buf(key_pem, (int)key_len);
	if (!k || !bio) {
		ret = ccctl_err_nomem();
		goto out;
	}
	k->pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	if (!k->pkey) {
		ret = ccctl_err_openssl(CCCTL_EINVAL,
					"private key: not an unencrypted PKCS#8 PEM key");
		goto out;
	}
	ret = pkey_type(&k->type, k->pkey);
	if (ret)
		goto out;
	if (EVP_PKEY_eq(X509_get0_pubkey(cert), k->pkey) != 1) {
		ERR_clear_error();
		ret = ccctl_err_set(CCCTL_EINVAL,
				    "private key does not match the certificate's public key");
		goto out;
	}
	ret = cert_spki(k->spki, cert);
	if (ret)
		goto out;
	k->cert_pem = strndup(cert_pem, cert_len);
	if (!k->cert_pem) {
		ret = ccctl_err_nomem();
		goto out;
	}
	*out = k;
	k = NULL;
out:
	BIO_free(bio);
	X509_free(cert);
	ccctl_key_free(k);
	return ret;
}

int ccctl_key_write_pem(struct ccctl_buf *out, const struct ccctl_key *k)
{
	BIO *bio = NULL;
	char *data;
	long n;
	int ret;

	/* A secure-memory BIO wipes its buffer when it is freed or grown. */
	bio = BIO_new(BIO_s_secmem());
	if (!bio) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL)) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "private key PEM");
		goto out;
	}
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0) {
		ret = ccctl_err_set(CCCTL_EFAIL, "private key PEM: empty");
		goto out;
	}
	ret = ccctl_buf_append(out, data, (size_t)n);
out:
	BIO_free(bio);
	return ret;
}

int ccctl_key_sign(const struct ccctl_key *k, struct ccctl_buf *sig, const void *msg,
		   size_t msglen)
{
	EVP_MD_CTX *ctx = NULL;
	uint8_t tmp[CCCTL_SIG_MAX];
	size_t n = sizeof(tmp);
	int ret;

	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (EVP_DigestSignInit(ctx, NULL, type_md(k->type), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(ctx, NULL, &n, msg, msglen) != 1 || n > sizeof(tmp) ||
	    EVP_DigestSign(ctx, tmp, &n, msg, msglen) != 1) {
		ret = ccctl_err_openssl(CCCTL_EFAIL, "signing");
		goto out;
	}
	ret = ccctl_buf_append(sig, tmp, n);
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}
