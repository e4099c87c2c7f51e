/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-dsse.c - DSSE envelopes (or bare policies) as ccctl_dsse_load reads
 * them, then the consent check, which parses the payload as a policy and
 * verifies signatures.  A parsed envelope must serialise and parse back to
 * the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dsse.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_dsse_envelope *env = NULL, *back = NULL;
	struct ccctl_consent *c = NULL;
	struct ccctl_buf out, again;
	bool bare;

	ccctl_buf_init(&out);
	ccctl_buf_init(&again);
	if (ccctl_dsse_load(&env, &bare, data, size) != 0)
		goto out;
	if (ccctl_dsse_write(&out, env) != 0 || ccctl_dsse_parse(&back, out.data, out.len) != 0 ||
	    ccctl_dsse_write(&again, back) != 0)
		abort();
	if (out.len != again.len || memcmp(out.data, again.data, out.len) != 0)
		abort();
	if (ccctl_consent_new(&c, env) == 0)
		(void)ccctl_consent_check(c);
out:
	ccctl_consent_free(c);
	ccctl_dsse_free(env);
	ccctl_dsse_free(back);
	ccctl_buf_release(&out);
	ccctl_buf_release(&again);
	ccctl_err_clear();
	return 0;
}
