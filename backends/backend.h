/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backend.h - the host face of an isolate platform: launch the runtime,
 * stop it, and verify its evidence.  One table per platform
 * (backends/<name>/host.c); the guest face is runtime/rt.h's rt_backend.
 */
#ifndef CCCTL_BACKEND_H
#define CCCTL_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/evidence.h"

/* A running deployment, as recorded under the state directory. */
struct ccctl_deployment {
	char name[64];
	char backend[16];
	char endpoint[280]; /* HOST:PORT where the runtime (or its relay) listens */
	pid_t pid;	    /* sim: the runtime process */
	char policy_digest[72];
};

struct ccctl_backend_opts {
	const char *state_dir; /* ccctl's state directory */
	const char *runtime;   /* the runtime program (sim) */
	const char *root;      /* trusted platform root (PEM), or NULL for the default */
};

struct ccctl_backend_host {
	const char *name;
	bool simulated; /* protects nothing: every command says so */
	/* Launch the runtime with the signed policy at policy_path; fill
	 * d->endpoint and d->pid. */
	int (*deploy)(const struct ccctl_backend_opts *o, const char *policy_path,
		      struct ccctl_deployment *d);
	int (*teardown)(const struct ccctl_backend_opts *o, const struct ccctl_deployment *d);
	/* Check the token up to the platform's root and decode its claims. */
	int (*verify)(const struct ccctl_backend_opts *o, const void *token, size_t len,
		      struct ccctl_evidence_claims *claims);
};

extern const struct ccctl_backend_host ccctl_backend_sim;

/* The host face by name (borrowed), or NULL. */
const struct ccctl_backend_host *ccctl_backend_find(const char *name);

#endif
