/* SPDX-License-Identifier: Apache-2.0 */
/*
 * topology.h - the topology compiler (ccctl-topology(5) -> ccctl-policy(5)).
 *
 * A topology is YAML written by people.  Compiling it checks every rule of
 * ccctl-topology(5) and reports each broken rule as a positioned diagnostic
 * (file, 1-based line and column), all of them, not just the first; a
 * participant with no role and a sim backend without a measurement are
 * warnings.  Files named by the topology (certificates, wasm programs,
 * measurements.json) are relative to the topology's folder.
 *
 * Untrusted input is bounded: the YAML text (CCCTL_TOPOLOGY_MAX_SIZE), its
 * node count and nesting depth, every file read; YAML anchors, aliases,
 * tags and multiple documents are rejected.
 */
#ifndef CCCTL_TOPOLOGY_H
#define CCCTL_TOPOLOGY_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "policy.h"

#define CCCTL_TOPOLOGY_MAX_SIZE		(16u * 1024 * 1024)  /* bytes of YAML */
#define CCCTL_TOPOLOGY_MAX_NODES	1000000u	     /* YAML nodes */
#define CCCTL_TOPOLOGY_MAX_DEPTH	32		     /* YAML nesting */
#define CCCTL_TOPOLOGY_MAX_WASM		(256u * 1024 * 1024) /* bytes of one program */
#define CCCTL_TOPOLOGY_MAX_MEASUREMENTS (1024u * 1024)	     /* bytes of measurements.json */
#define CCCTL_TOPOLOGY_MAX_RUNTIME	(256u * 1024 * 1024) /* bytes of the sim runtime */

/*
 * Reads a file named by the topology.  path is already resolved (relative
 * names joined to base_dir); at most max bytes are appended to out.
 * Returns 0 or a negative code with a message (see ccctl_file_read()).
 */
typedef int (*ccctl_topology_read_fn)(void *arg, const char *path, size_t max,
				      struct ccctl_buf *out);

struct ccctl_topology_opts {
	const char *base_dir;		  /* folder for relative names; NULL = "." */
	const char *runtime_path;	  /* sim runtime to measure ($CCCTL_RUNTIME), or NULL */
	ccctl_topology_read_fn read_file; /* NULL = ccctl_file_read() */
	void *read_arg;
};

/*
 * Compile the topology text data/len (name is the file name used in the
 * diagnostics).  On success *out is the finished policy (caller frees) and
 * diags may hold warnings.  CCCTL_EINVAL when the topology broke a rule
 * (diags holds every error), CCCTL_EFAIL on out of memory.  On return diags
 * is sorted by position (file order; entries without a position first).
 */
int ccctl_topology_compile(struct ccctl_policy **out, struct ccctl_diags *diags, const char *name,
			   const void *data, size_t len, const struct ccctl_topology_opts *opts);

/* Read the topology file at path and compile it, relative names resolved
 * against the file's folder; runtime_path as in the options. */
int ccctl_topology_compile_file(struct ccctl_policy **out, struct ccctl_diags *diags,
				const char *path, const char *runtime_path);

#endif
