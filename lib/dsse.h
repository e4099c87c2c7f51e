/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dsse.h - DSSE envelopes (Dead Simple Signing Envelope, v1) and the signed
 * policy built on them.
 *
 * Envelope JSON: {"payload":"<base64>","payloadType":"<type>",
 * "signatures":[{"keyid":"<64 hex>","sig":"<base64>"}...]}.  Parsing is
 * strict: exactly these members, standard padded base64, keyid the
 * lowercase hex SHA-256 of the signer's SubjectPublicKeyInfo, at most one
 * signature per keyid, every size bounded.  Serialisation is canonical JSON
 * (RFC 8785) plus "\n", signatures sorted by keyid.  Signatures cover
 * PAE(payloadType, payload) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP
 * body, LEN in ASCII decimal.
 */
#ifndef CCCTL_DSSE_H
#define CCCTL_DSSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "policy.h"

#define CCCTL_DSSE_MAX_ENVELOPE (16u * 1024 * 1024) /* bytes of JSON */
#define CCCTL_DSSE_MAX_PAYLOAD (8u * 1024 * 1024)   /* decoded payload bytes */
#define CCCTL_DSSE_MAX_TYPE 256                     /* payloadType bytes */
#define CCCTL_DSSE_MAX_SIGNATURES 256

struct ccctl_dsse_sig {
	uint8_t keyid[CCCTL_SHA256_LEN];
	uint8_t sig[CCCTL_SIG_MAX];
	size_t sig_len;
};

struct ccctl_dsse_envelope {
	char *payload_type;
	struct ccctl_buf payload; /* decoded bytes */
	struct ccctl_dsse_sig *sigs; /* sorted by keyid, keyids unique */
	size_t nsigs;
};

/* PAE(type, payload) appended to out. */
int ccctl_dsse_pae(struct ccctl_buf *out, const char *type, const void *payload, size_t len);

/* A new envelope without signatures over a copy of payload. */
int ccctl_dsse_new(struct ccctl_dsse_envelope **out, const char *type, const void *payload,
		   size_t len);
/* Parse an envelope (strict, see above); CCCTL_EINVAL saying what is wrong. */
int ccctl_dsse_parse(struct ccctl_dsse_envelope **out, const void *data, size_t len);
void ccctl_dsse_free(struct ccctl_dsse_envelope *env);
/* Canonical JSON + "\n" appended to out. */
int ccctl_dsse_write(struct ccctl_buf *out, const struct ccctl_dsse_envelope *env);

/* The signature by keyid (borrowed), or NULL. */
const struct ccctl_dsse_sig *ccctl_dsse_find(const struct ccctl_dsse_envelope *env,
					     const uint8_t keyid[CCCTL_SHA256_LEN]);
/* Add a signature, replacing an earlier one by the same keyid. */
int ccctl_dsse_add(struct ccctl_dsse_envelope *env, const uint8_t keyid[CCCTL_SHA256_LEN],
		   const uint8_t *sig, size_t sig_len);
/* Sign the envelope's PAE with key and add the signature (keyid = the key's
 * SPKI digest), replacing this key's earlier signature. */
int ccctl_dsse_sign(struct ccctl_dsse_envelope *env, const struct ccctl_key *key);
/* Verify one signature of env with pk: 0 or CCCTL_EVERIFY. */
int ccctl_dsse_verify(const struct ccctl_dsse_envelope *env, const struct ccctl_dsse_sig *sig,
		      const struct ccctl_pubkey *pk);

/*
 * Signed policies.
 *
 * ccctl_dsse_load() reads either an envelope or a bare policy (the bytes are
 * then wrapped in an envelope of type CCCTL_POLICY_PAYLOAD_TYPE without
 * signatures; *bare says which).  Input that is neither a JSON object with
 * the envelope's members nor a JSON object at all is CCCTL_EINVAL.
 */
int ccctl_dsse_load(struct ccctl_dsse_envelope **out, bool *bare, const void *data, size_t len);
/* The same for a file (at most CCCTL_DSSE_MAX_ENVELOPE bytes); messages
 * name the file. */
int ccctl_dsse_load_file(struct ccctl_dsse_envelope **out, bool *bare, const char *path);

enum ccctl_sig_state {
	CCCTL_SIG_MISSING = 0, /* no signature by this participant */
	CCCTL_SIG_VALID,
	CCCTL_SIG_BAD, /* a signature with this participant's keyid that does not verify */
};

/* The result of checking a signed policy against its own participants. */
struct ccctl_consent {
	struct ccctl_policy *policy;  /* owned: the parsed payload */
	enum ccctl_sig_state *states; /* one per policy->participants[i] */
	uint8_t (*strangers)[CCCTL_SHA256_LEN]; /* keyids that are not participants */
	size_t nstrangers;
	uint64_t nvalid; /* consent signers with a valid signature */
	size_t nbad;     /* participants with a bad signature */
};

/*
 * Check every signature of a signed policy against the participants listed
 * inside its payload.  Returns 0 with the report in *out whatever the
 * signatures say (ccctl_consent_check() judges it); CCCTL_EINVAL if the
 * payload type is not a policy; CCCTL_EVERIFY if the payload is not a valid
 * policy (no signature can be checked then: it was altered, or never was a
 * policy).
 */
int ccctl_consent_new(struct ccctl_consent **out, const struct ccctl_dsse_envelope *env);
void ccctl_consent_free(struct ccctl_consent *c);
/* The state of the signature of policy->consent.signers[i]. */
enum ccctl_sig_state ccctl_consent_signer_state(const struct ccctl_consent *c, size_t i);
/* Whether the consent rule is met (threshold reached by valid signatures
 * of listed signers) and no signature is bad or by a non-participant: 0, or
 * CCCTL_EVERIFY with a message naming the first problem and who is
 * missing. */
int ccctl_consent_check(const struct ccctl_consent *c);

#endif
