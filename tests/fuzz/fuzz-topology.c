/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-topology.c - the topology compiler on arbitrary YAML, from memory.
 *
 * Files the topology names are served by a callback: "*.crt" gives one of
 * three fixed certificates (chosen by the name's last letter before the
 * extension, so names can share or differ in keys), "*.json" a valid
 * measurements.json, anything else a few bytes derived from the name.
 * Oracles: an accepted topology's policy parses back to the same bytes and
 * digest; a refused one has at least one error diagnostic, each with a
 * message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/policy.h"
#include "lib/topology.h"
#include "tests/unit/test-certs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char measurements[] =
    "{\"sim\":{\"sha256\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"},"
    "\"nitro\":{\"pcr0\":\"000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000\",\"pcr1\":\"0000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000\",\"pcr2\":\"00000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000\"}}";

static int fake_read(void *arg, const char *path, size_t max, struct ccctl_buf *out)
{
	size_t n = strlen(path);
	const char *content = path;

	(void)arg;
	if (n >= 4 && strcmp(path + n - 4, ".crt") == 0) {
		char k = n > 4 ? path[n - 5] : 'e';

		content = k == 'e' ? alice_crt : k == 'b' ? bob_crt : carol_crt;
	} else if (n >= 5 && strcmp(path + n - 5, ".json") == 0) {
		content = measurements;
	} else if (strstr(path, "missing")) {
		return ccctl_err_set(CCCTL_EFAIL, "cannot open \"%s\": no such file", path);
	}
	if (strlen(content) > max)
		return ccctl_err_set(CCCTL_EINVAL, "file \"%s\" is too large", path);
	return ccctl_buf_append_str(out, content);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_topology_opts opts = {"/fuzz", NULL, fake_read, NULL};
	struct ccctl_policy *p = NULL, *q = NULL;
	struct ccctl_diags diags;
	size_t i;
	int rc;

	ccctl_diags_init(&diags);
	rc = ccctl_topology_compile(&p, &diags, "fuzz.yaml", data, size, &opts);
	if (rc == 0) {
		if (!p || diags.errors)
			abort();
		if (ccctl_policy_parse(&q, p->canonical.data, p->canonical.len) != 0)
			abort();
		if (q->canonical.len != p->canonical.len ||
		    memcmp(q->digest, p->digest, sizeof(p->digest)) != 0)
			abort();
	} else if (rc == CCCTL_EINVAL) {
		if (p || diags.errors == 0)
			abort();
	} else if (rc != CCCTL_EFAIL) {
		abort();
	}
	for (i = 0; i < diags.n; i++)
		if (!diags.items[i].message || !diags.items[i].message[0])
			abort();
	ccctl_policy_free(p);
	ccctl_policy_free(q);
	ccctl_diags_release(&diags);
	return 0;
}
