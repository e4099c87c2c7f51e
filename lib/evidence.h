/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evidence.h - what attestation evidence must bind, and the verifier core
 * shared by every backend.
 *
 * report_data = SHA-512("ccctl-evidence-v1" 0x00 || nonce || D ||
 *                       SHA-256(TLS SubjectPublicKeyInfo DER))
 * where nonce is the verifier's 32 random bytes and D the policy digest.
 *
 * A backend's verifier turns its token into struct ccctl_evidence_claims
 * (after checking the token's signature up to its platform root); then
 * ccctl_evidence_check() compares the claims with what the verifier
 * expects, naming expected and actual values on any mismatch.
 */
#ifndef CCCTL_EVIDENCE_H
#define CCCTL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "policy.h"

#define CCCTL_NONCE_LEN	      32
#define CCCTL_REPORT_DATA_LEN 64
#define CCCTL_MEASUREMENT_MAX 64

/* The claims every backend's evidence yields. */
struct ccctl_evidence_claims {
	char backend[16];			    /* "sim", "nitro", "cca" */
	char profile[128];			    /* the token format's profile string */
	uint8_t report_data[CCCTL_REPORT_DATA_LEN]; /* challenge / user_data */
	struct {
		char key[16]; /* as in the policy: "sha256", "pcr0", "rim" */
		uint8_t value[CCCTL_MEASUREMENT_MAX];
		size_t len;
	} measurements[4];
	size_t nmeasurements;
	bool test_platform; /* signed by a key that proves nothing (sim, FVP) */
};

/* Compute report_data for a nonce, a policy digest and the SHA-256 of the
 * TLS key's SubjectPublicKeyInfo. */
void ccctl_evidence_report_data(uint8_t out[CCCTL_REPORT_DATA_LEN],
				const uint8_t nonce[CCCTL_NONCE_LEN],
				const uint8_t policy_digest[CCCTL_SHA256_LEN],
				const uint8_t tls_spki_sha256[CCCTL_SHA256_LEN]);

/* Check claims against the policy (the backend is allowed and every
 * measurement the policy pins for it is present and equal) and against the
 * report_data the verifier computed.  CCCTL_EVERIFY naming what differs:
 * "measurement mismatch: expected sha256:ab.. (policy), got sha256:cd..
 * (evidence)". */
int ccctl_evidence_check(const struct ccctl_evidence_claims *claims,
			 const struct ccctl_policy *policy,
			 const uint8_t expected_report_data[CCCTL_REPORT_DATA_LEN]);

/*
 * The sim backend's token: a tagged COSE_Sign1 (ES256) by the local
 * simulated platform key over a CBOR claim set shaped like PSA's:
 *   { 10: report_data (64 bytes), 256: instance id (0x01 || SHA-256 of the
 *     platform key's SPKI), 265: CCCTL_SIM_PROFILE,
 *     2399: [ { 1: "ccctl-runtime", 2: SHA-256 of the runtime binary,
 *               6: "sha-256" } ] }
 */
#define CCCTL_SIM_PROFILE "tag:ccctl.dev,2026:sim-evidence-v1"

/* Make a sim token (guest face). platform_key is an EC P-256 private key. */
int ccctl_sim_token_make(struct ccctl_buf *out, void *platform_key,
			 const uint8_t report_data[CCCTL_REPORT_DATA_LEN],
			 const uint8_t measurement[CCCTL_SHA256_LEN]);

/* Verify a sim token's signature with the platform public key and decode
 * its claims (host face).  CCCTL_EINVAL for a malformed token,
 * CCCTL_EVERIFY for a bad signature or a token from another platform key. */
int ccctl_sim_token_verify(struct ccctl_evidence_claims *claims, const void *token, size_t len,
			   void *platform_pubkey);

#endif
