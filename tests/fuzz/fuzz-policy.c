/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-policy.c - the strict policy parser on arbitrary bytes.  Oracle: an
 * accepted policy re-serialises to exactly the input, and the digest is the
 * SHA-256 of those bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "lib/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_policy *p = NULL;
	uint8_t d[CCCTL_SHA256_LEN];

	if (ccctl_policy_parse(&p, data, size) != 0) {
		if (p)
			abort();
		return 0;
	}
	ccctl_sha256(d, data, size);
	if (p->canonical.len != size || memcmp(p->canonical.data, data, size) != 0 ||
	    memcmp(d, p->digest, sizeof(d)) != 0)
		abort();
	ccctl_policy_free(p);
	return 0;
}
