/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.h - the policy model (ccctl-policy(5)), version 1.
 *
 * A policy is canonical JSON (RFC 8785); its digest is SHA-256 over exactly
 * those bytes.  ccctl_policy_parse() accepts only canonical bytes: it parses,
 * validates every field and cross-reference, re-serialises and requires the
 * result to be byte-identical to the input.
 */
#ifndef CCCTL_POLICY_H
#define CCCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"

#define CCCTL_POLICY_PAYLOAD_TYPE "application/vnd.ccctl.policy+json"

struct ccctl_policy_participant {
	char *name;
	char *certificate; /* PEM */
	uint8_t spki_sha256[CCCTL_SHA256_LEN];
};

struct ccctl_policy_program {
	char *name;
	char *provider;
	uint8_t sha256[CCCTL_SHA256_LEN];
	char **args;
	size_t nargs;
	char **reads; /* absolute guest paths; a trailing '/' means a folder */
	size_t nreads;
	char **writes;
	size_t nwrites;
};

struct ccctl_policy_input {
	char *path;
	char *from;
	bool has_sha256;
	uint8_t sha256[CCCTL_SHA256_LEN];
	uint64_t max_size;
};

struct ccctl_policy_output {
	char *path; /* absolute guest path, or "stdout" / "stderr" */
	char **to;
	size_t nto;
	char *program;
};

struct ccctl_policy_measurement {
	char *key;   /* e.g. "sha256", "pcr0", "rim", "hash_alg" */
	char *value; /* lowercase hex (or a name for hash_alg) */
};

struct ccctl_policy_backend {
	char *name; /* sim, nitro, cca, icecap */
	struct ccctl_policy_measurement *measurements;
	size_t nmeasurements;
};

struct ccctl_policy {
	char *name;
	char *description; /* NULL if absent */
	char *expires;     /* RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ", NULL if none */
	int64_t expires_unix;
	struct ccctl_policy_participant *participants; /* sorted by name */
	size_t nparticipants;
	struct ccctl_policy_program *programs; /* sorted by name */
	size_t nprograms;
	struct ccctl_policy_input *inputs; /* sorted by path */
	size_t ninputs;
	struct ccctl_policy_output *outputs; /* sorted by path */
	size_t noutputs;
	struct {
		uint64_t memory, fuel, timeout_s, max_input;
	} limits;
	struct {
		bool clock, random;
	} options;
	struct ccctl_policy_backend *backends;
	size_t nbackends;
	struct {
		char **signers; /* participant names, sorted */
		size_t nsigners;
		uint64_t threshold; /* 1..nsigners */
	} consent;
	/* The canonical bytes and their digest. */
	struct ccctl_buf canonical;
	uint8_t digest[CCCTL_SHA256_LEN];
};

/* Parse and validate canonical policy bytes (see above). */
int ccctl_policy_parse(struct ccctl_policy **out, const void *data, size_t len);
void ccctl_policy_free(struct ccctl_policy *p);

/* Look up a participant by name or by SPKI digest (borrowed; NULL if none). */
const struct ccctl_policy_participant *ccctl_policy_find_participant(const struct ccctl_policy *p,
								     const char *name);
const struct ccctl_policy_participant *
ccctl_policy_find_by_spki(const struct ccctl_policy *p, const uint8_t spki[CCCTL_SHA256_LEN]);

/* "sha256:<hex>" of the digest into out (72 bytes incl. NUL). */
void ccctl_policy_digest_str(char out[72], const struct ccctl_policy *p);

/* Borrowed lookups by name (NULL if none); the arrays must be sorted, as
 * they are in any parsed or finished policy. */
const struct ccctl_policy_program *ccctl_policy_find_program(const struct ccctl_policy *p,
							     const char *name);
const struct ccctl_policy_backend *ccctl_policy_find_backend(const struct ccctl_policy *p,
							     const char *name);
/* The value of one measurement of a backend, or NULL (borrowed). */
const char *ccctl_policy_measurement(const struct ccctl_policy_backend *b, const char *key);

/*
 * Building a policy (the topology compiler): ccctl_policy_new() gives an
 * empty policy holding the defaults (limits, options, threshold 0 = "all
 * signers"); the caller fills the arrays with heap strings (they become
 * owned by the policy), then calls ccctl_policy_finish(), which sorts every
 * array, fills the defaults that depend on the rest (consent threshold),
 * validates everything ccctl_policy_parse() would, and sets canonical and
 * digest.  A finished policy parses back to itself.
 */
struct ccctl_policy *ccctl_policy_new(void);
int ccctl_policy_finish(struct ccctl_policy *p);

/* Check every rule of ccctl-policy(5) on a sorted policy (what parse and
 * finish do); 0 or CCCTL_EINVAL with a message naming the field. */
int ccctl_policy_validate(const struct ccctl_policy *p);

/* The policy as a JSON document (caller frees with ccctl_json_free). */
struct ccctl_json;
int ccctl_policy_to_json(struct ccctl_json **out, const struct ccctl_policy *p);

/* Whether program g may read (write) guest file path: one of its reads
 * (writes) covers it, see ccctl_units_path_covers(). */
bool ccctl_policy_program_reads(const struct ccctl_policy_program *g, const char *path);
bool ccctl_policy_program_writes(const struct ccctl_policy_program *g, const char *path);

/* Whether a backend name is one ccctl knows (sim, nitro, cca, icecap). */
bool ccctl_policy_backend_known(const char *name);

/* Check one backend's measurements (keys and value formats, see
 * ccctl-policy(5)); 0 or CCCTL_EINVAL with a message. */
int ccctl_policy_check_measurements(const struct ccctl_policy_backend *b);

/* Limits that bound every policy. */
#define CCCTL_POLICY_DEFAULT_MEMORY (256ull << 20)
#define CCCTL_POLICY_DEFAULT_FUEL 10000000000ull
#define CCCTL_POLICY_DEFAULT_TIMEOUT 600ull
#define CCCTL_POLICY_DEFAULT_MAX_INPUT (1ull << 30)
#define CCCTL_POLICY_MAX_MEMORY (4ull << 30) /* wasm32: 65536 pages */
#define CCCTL_POLICY_MIN_MEMORY 65536ull     /* one page */
#define CCCTL_POLICY_MAX_CERT 16384          /* bytes of one PEM certificate */
#define CCCTL_POLICY_MAX_DESCRIPTION 4096
#define CCCTL_POLICY_MAX_ARG 4096 /* bytes of one program argument */
#define CCCTL_POLICY_MAX_ARGS 256
#define CCCTL_POLICY_MAX_SIZE (8u * 1024 * 1024) /* canonical bytes (a DSSE payload) */

#endif
