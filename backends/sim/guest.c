/* SPDX-License-Identifier: Apache-2.0 */
/*
 * guest.c - the sim backend's guest face: evidence is a COSE_Sign1 token
 * signed with the simulated platform key that `ccctl deploy` hands to the
 * runtime (see lib/evidence.h for the claims).  A simulation protects
 * nothing: the host can read this process's memory and the platform key.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lib/err.h"
#include "lib/evidence.h"
#include "runtime/rt.h"

static EVP_PKEY *platform_key;
static uint8_t runtime_measurement[CCCTL_SHA256_LEN];

static int sim_init(const struct rt_backend *b, const char *arg,
		    const uint8_t measurement[CCCTL_SHA256_LEN])
{
	FILE *f;

	if (!arg)
		return ccctl_err_set(CCCTL_EUSAGE, "sim: the platform key file is required "
						   "(--backend-arg FILE)");
	f = fopen(arg, "r");
	if (!f)
		return ccctl_err_errno(CCCTL_EFAIL, arg);
	platform_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!platform_key)
		return ccctl_err_openssl(CCCTL_EINVAL, "sim platform key");
	if (EVP_PKEY_get_base_id(platform_key) != EVP_PKEY_EC)
		return ccctl_err_set(CCCTL_EINVAL, "sim platform key \"%s\" is not a P-256 key",
				     arg);
	memcpy(runtime_measurement, measurement, CCCTL_SHA256_LEN);
	return 0;
}

static int sim_evidence(const struct rt_backend *b,
			const uint8_t report_data[CCCTL_REPORT_DATA_LEN], struct ccctl_buf *token)
{
	return ccctl_sim_token_make(token, platform_key, report_data, runtime_measurement);
}

const struct rt_backend rt_backend_sim = {
    .name = "sim",
    .init = sim_init,
    .evidence = sim_evidence,
};
