/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cose.h - COSE_Sign1 (RFC 9052) with ES256 and ES384, the envelope of
 * every attestation token ccctl reads (PSA, CCA, Nitro) or writes (sim).
 */
#ifndef CCCTL_COSE_H
#define CCCTL_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "buf.h"
#include "cbor.h"

#define CCCTL_COSE_ALG_ES256 (-7)
#define CCCTL_COSE_ALG_ES384 (-35)
#define CCCTL_COSE_TAG_SIGN1 18

struct ccctl_cose_sign1 {
	struct ccctl_cbor_doc *doc;
	bool tagged;			/* wrapped in CBOR tag 18 */
	int64_t alg;			/* from the protected header, label 1 */
	const uint8_t *protected_bytes; /* the serialized protected header (bstr content) */
	size_t protected_len;
	const struct ccctl_cbor *unprotected; /* map */
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *signature; /* raw r||s */
	size_t signature_len;
};

/* Parse a COSE_Sign1, tagged (18) or untagged; checks the structure, that
 * the protected header is a map with a supported alg, the payload is
 * attached, and the signature length fits the alg.  CCCTL_EINVAL otherwise. */
int ccctl_cose_sign1_parse(struct ccctl_cose_sign1 **out, const void *data, size_t len);
void ccctl_cose_sign1_free(struct ccctl_cose_sign1 *s);

/* Verify the signature with key (an EC public key whose curve must match
 * the alg).  0, or CCCTL_EVERIFY "cose signature does not verify". */
int ccctl_cose_sign1_verify(const struct ccctl_cose_sign1 *s, EVP_PKEY *key);

/* Sign payload with an EC private key (P-256 -> ES256, P-384 -> ES384),
 * appending the COSE_Sign1 (tagged if tagged) to out. */
int ccctl_cose_sign1_sign(struct ccctl_buf *out, EVP_PKEY *key, const void *payload, size_t len,
			  bool tagged);

#endif
