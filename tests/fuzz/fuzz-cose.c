/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-cose.c - CBOR decoding and COSE_Sign1 parsing of untrusted tokens;
 * a parsed token's payload is decoded as a claim set too.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/cbor.h"
#include "lib/cose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_cbor_doc *doc = NULL;
	struct ccctl_cose_sign1 *s = NULL;

	if (ccctl_cbor_decode(&doc, data, size) == 0)
		ccctl_cbor_doc_free(doc);
	if (ccctl_cose_sign1_parse(&s, data, size) == 0) {
		doc = NULL;
		if (ccctl_cbor_decode(&doc, s->payload, s->payload_len) == 0)
			ccctl_cbor_doc_free(doc);
		ccctl_cose_sign1_free(s);
	}
	return 0;
}
