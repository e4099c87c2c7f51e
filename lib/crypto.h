/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h - hashing, identities (key + self-signed certificate) and
 * signatures over OpenSSL.
 *
 * An identity is a private key (P-256 or Ed25519, PKCS#8 PEM, mode 0600) and
 * a self-signed X.509 certificate (PEM).  A party is known everywhere by the
 * SHA-256 of its certificate's SubjectPublicKeyInfo DER ("SPKI digest"): it
 * is the DSSE keyid and the TLS client identity.
 *
 * Signatures: P-256 is ECDSA over SHA-256 with an ASN.1 DER signature;
 * Ed25519 is the 64-byte raw signature over the message itself.
 */
#ifndef CCCTL_CRYPTO_H
#define CCCTL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CCCTL_SHA256_LEN 32

/* The largest signature any supported key produces (DER ECDSA P-256 is at
 * most 72 bytes, Ed25519 64); longer signatures are rejected unread. */
#define CCCTL_SIG_MAX 128

/* Bound on a PEM certificate or key file we are willing to read. */
#define CCCTL_PEM_MAX (64 * 1024)

enum ccctl_key_type {
	CCCTL_KEY_P256 = 1,
	CCCTL_KEY_ED25519 = 2,
};

void ccctl_sha256(uint8_t out[CCCTL_SHA256_LEN], const void *data, size_t len);

/* Parse exactly one PEM X.509 certificate from pem/len and compute the
 * SHA-256 of its SubjectPublicKeyInfo DER.  CCCTL_EINVAL if it is not one
 * parseable certificate or its key type is not P-256 or Ed25519. */
int ccctl_cert_spki_sha256(uint8_t out[CCCTL_SHA256_LEN], const char *pem, size_t len);

/* "p256" / "ed25519" (static string), and the reverse (CCCTL_EINVAL). */
const char *ccctl_key_type_name(enum ccctl_key_type type);
int ccctl_key_type_parse(enum ccctl_key_type *out, const char *name);

/*
 * Public key taken from a certificate (opaque).  Created by
 * ccctl_pubkey_from_cert() with the same rules as ccctl_cert_spki_sha256().
 */
struct ccctl_pubkey;

int ccctl_pubkey_from_cert(struct ccctl_pubkey **out, const char *pem, size_t len);
void ccctl_pubkey_free(struct ccctl_pubkey *pk);
enum ccctl_key_type ccctl_pubkey_type(const struct ccctl_pubkey *pk);
/* The SPKI digest of the certificate's key (borrowed, CCCTL_SHA256_LEN). */
const uint8_t *ccctl_pubkey_spki_sha256(const struct ccctl_pubkey *pk);
/* 0 if sig is a valid signature of msg by pk, else CCCTL_EVERIFY ("bad
 * signature"); CCCTL_EFAIL only on internal errors. */
int ccctl_pubkey_verify(const struct ccctl_pubkey *pk, const void *msg, size_t msglen,
			const uint8_t *sig, size_t siglen);

/*
 * Private key with its certificate (opaque).  ccctl_key_generate() makes a
 * fresh key and a self-signed certificate for it: CN=name, random 128-bit
 * serial, valid for `days` days from now, CA:FALSE, keyUsage
 * digitalSignature, extendedKeyUsage clientAuth, signed with SHA-256 (P-256)
 * or Ed25519.  ccctl_key_from_pem() loads a PKCS#8 PEM key (unencrypted;
 * never prompts) and a PEM certificate and checks that they belong together
 * (CCCTL_EINVAL otherwise).  The private key is held by OpenSSL, which wipes
 * it on free.
 */
struct ccctl_key;

int ccctl_key_generate(struct ccctl_key **out, enum ccctl_key_type type, const char *name,
		       unsigned days);
int ccctl_key_from_pem(struct ccctl_key **out, const char *key_pem, size_t key_len,
		       const char *cert_pem, size_t cert_len);
void ccctl_key_free(struct ccctl_key *k);
enum ccctl_key_type ccctl_key_type(const struct ccctl_key *k);
/* The SPKI digest of the key (borrowed, CCCTL_SHA256_LEN). */
const uint8_t *ccctl_key_spki_sha256(const struct ccctl_key *k);
/* The certificate as PEM (borrowed, NUL-terminated). */
const char *ccctl_key_cert_pem(const struct ccctl_key *k);
/* The private key as PKCS#8 PEM appended to out; wipe it with
 * ccctl_buf_release_secure(). */
int ccctl_key_write_pem(struct ccctl_buf *out, const struct ccctl_key *k);
/* Sign msg; the signature is appended to sig (at most CCCTL_SIG_MAX bytes). */
int ccctl_key_sign(const struct ccctl_key *k, struct ccctl_buf *sig, const void *msg,
		   size_t msglen);

#endif
