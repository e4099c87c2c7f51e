/* SPDX-License-Identifier: Apache-2.0 */
/*
 * provenance.h - build provenance: an in-toto Statement v1 whose predicate
 * is SLSA Provenance v1, written as canonical JSON (RFC 8785) plus "\n",
 * optionally wrapped in a DSSE envelope (payloadType
 * application/vnd.in-toto+json).
 *
 *   {"_type":"https://in-toto.io/Statement/v1",
 *    "subject":[{"name":N,"digest":{"sha256":HEX}}...],
 *    "predicateType":"https://slsa.dev/provenance/v1",
 *    "predicate":{
 *      "buildDefinition":{"buildType":URI,"externalParameters":{..},
 *                         "internalParameters":{..},
 *                         "resolvedDependencies":[ResourceDescriptor..]},
 *      "runDetails":{"builder":{"id":URI,"version":{..}},
 *                    "byproducts":[ResourceDescriptor..]}}}
 *
 * A ResourceDescriptor is {"name":..,"uri":..,"digest":{ALG:HEX},
 * "annotations":{..}} with absent members omitted.  Nothing that changes
 * from one build to the next (start/finish times, invocation ids) is
 * recorded, so two builds of one revision give the same statement.
 */
#ifndef CCCTL_PROVENANCE_H
#define CCCTL_PROVENANCE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "json.h"

#define CCCTL_PROV_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define CCCTL_PROV_PREDICATE_TYPE "https://slsa.dev/provenance/v1"
#define CCCTL_PROV_PAYLOAD_TYPE	  "application/vnd.in-toto+json"
/* Provenance files are small; larger ones are refused. */
#define CCCTL_PROV_MAX_FILE (4u * 1024 * 1024)

struct ccctl_prov_subject {
	const char *name; /* borrowed: the file name of the artifact */
	uint8_t sha256[CCCTL_SHA256_LEN];
};

/*
 * What a statement says.  The JSON parts are owned by the struct until
 * ccctl_provenance_statement() moves them into the statement (the pointers
 * are then NULL); ccctl_provenance_release() frees what is left.
 */
struct ccctl_provenance {
	const struct ccctl_prov_subject *subjects; /* borrowed, at least one */
	size_t nsubjects;
	const char *build_type;		    /* borrowed URI */
	const char *builder_id;		    /* borrowed URI */
	struct ccctl_json *builder_version; /* object or NULL */
	struct ccctl_json *external;	    /* object (required) */
	struct ccctl_json *internal;	    /* object or NULL */
	struct ccctl_json *dependencies;    /* array of ResourceDescriptors or NULL */
	struct ccctl_json *byproducts;	    /* array of ResourceDescriptors or NULL */
};

void ccctl_provenance_init(struct ccctl_provenance *p);
void ccctl_provenance_release(struct ccctl_provenance *p);

/*
 * A ResourceDescriptor object: name, uri, one digest (alg and lowercase hex
 * value) -- each NULL to omit, but at least one of uri and digest -- and
 * annotations (an object, taken over even on failure; NULL to omit).
 */
int ccctl_provenance_resource(struct ccctl_json **out, const char *name, const char *uri,
			      const char *alg, const char *hex, struct ccctl_json *annotations);

/* Append a ResourceDescriptor (as above) to the array *list, creating the
 * array when *list is NULL. */
int ccctl_provenance_add(struct ccctl_json **list, const char *name, const char *uri,
			 const char *alg, const char *hex, struct ccctl_json *annotations);

/* Build the statement from p (moving its JSON parts).  CCCTL_EINVAL when
 * a required part is missing. */
int ccctl_provenance_statement(struct ccctl_json **out, struct ccctl_provenance *p);

/* Canonical JSON of the statement plus "\n" appended to out. */
int ccctl_provenance_write(struct ccctl_buf *out, const struct ccctl_json *statement);

/* A DSSE envelope (canonical JSON + "\n") over the statement bytes (as
 * written by ccctl_provenance_write, without the final "\n") signed by key,
 * appended to out. */
int ccctl_provenance_sign(struct ccctl_buf *out, const void *statement, size_t len,
			  const struct ccctl_key *key);

/*
 * Parse a statement (or a DSSE envelope of payloadType
 * application/vnd.in-toto+json holding one; signatures are not checked
 * here) and check its shape: the _type and predicateType above, a non-empty
 * subject list of names with sha256 digests, buildDefinition.buildType and
 * runDetails.builder.id strings.  CCCTL_EINVAL naming what is wrong.
 */
int ccctl_provenance_parse(struct ccctl_json **out, const void *data, size_t len);

/* The lowercase hex sha256 recorded for name among the subjects, then the
 * byproducts, of a parsed statement (borrowed), or NULL. */
const char *ccctl_provenance_digest(const struct ccctl_json *statement, const char *name);

#endif
