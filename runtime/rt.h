/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rt.h - ccctl-runtime: the program that runs inside the isolate.
 *
 * It starts from a signed policy, creates its TLS key in memory, serves the
 * HTTP API of PROTOCOL.md over TLS 1.3 and keeps every program, input and
 * result in memory.  One struct rt_state holds the collaboration; a mutex
 * guards it, since each connection has a thread of its own.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "lib/buf.h"
#include "lib/dsse.h"
#include "lib/evidence.h"
#include "lib/policy.h"

#define RT_MAX_CONNECTIONS 128
#define RT_IO_TIMEOUT_S	   15 /* a peer silent this long is dropped */
#define RT_HEAD_DEADLINE_S 30 /* a request head must be complete by then */

/* The guest face of a backend: obtain evidence for report_data from inside
 * the isolate.  One small table per platform (backends/<name>/guest.c). */
struct rt_backend {
	const char *name;
	/* Called once at start-up, before the sandbox closes: read keys,
	 * open devices.  arg is the backend's --backend-arg (may be NULL). */
	int (*init)(const struct rt_backend *b, const char *arg,
		    const uint8_t measurement[CCCTL_SHA256_LEN]);
	int (*evidence)(const struct rt_backend *b,
			const uint8_t report_data[CCCTL_REPORT_DATA_LEN], struct ccctl_buf *token);
};

extern const struct rt_backend rt_backend_sim;

/* A stored blob: a program, an input or a result. */
struct rt_blob {
	bool present;
	bool uploading; /* an upload is being received */
	uint8_t *data;
	size_t len;
};

enum rt_run_state { RT_RUN_PENDING, RT_RUN_RUNNING, RT_RUN_DONE, RT_RUN_FAILED };

struct rt_state {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* run finished, shutdown requested */

	/* Fixed at start-up. */
	struct ccctl_buf signed_policy; /* the envelope as given */
	struct ccctl_consent *consent;	/* owns the parsed policy */
	const struct ccctl_policy *policy;
	bool consent_ok;
	char consent_msg[512]; /* why consent is incomplete */
	uint8_t tls_spki_sha256[CCCTL_SHA256_LEN];
	uint8_t measurement[CCCTL_SHA256_LEN];
	const struct rt_backend *backend;

	/* The collaboration. */
	struct rt_blob *programs; /* parallel to policy->programs */
	struct rt_blob *inputs;	  /* parallel to policy->inputs */
	struct rt_blob *outputs;  /* parallel to policy->outputs */
	bool *reader_got;	  /* [noutputs * nparticipants]: reader has pulled output */
	bool *asked_shutdown;	  /* per participant */
	enum rt_run_state run;
	char run_error[512];
	bool stopping;
	int connections;
};

/* Handle one request on an established TLS connection; reads the body
 * itself (or not), writes the response.  Returns false when the
 * connection must be closed. */
struct rt_conn {
	SSL *ssl;
	struct rt_state *st;
	int participant; /* index in policy->participants, or -1 */
	uint8_t buf[16384 + 1];
	size_t len; /* bytes buffered in buf */
};

struct rt_http_request;
bool rt_api_handle(struct rt_conn *c, const struct rt_http_request *req);

/* I/O helpers for handlers (server.c). */
int rt_conn_read_body(struct rt_conn *c, uint8_t *dst, size_t len);
int rt_conn_write(struct rt_conn *c, const void *data, size_t len);
int rt_conn_respond(struct rt_conn *c, int status, const char *ctype, const void *body, size_t len,
		    const char *extra_headers);
/* {"error":{"code":..,"message":..}} with optional expected/actual. */
int rt_conn_error(struct rt_conn *c, int status, const char *code, const char *message,
		  const char *expected, const char *actual);

/* Run the policy's programs over the stored inputs, filling st->outputs.
 * Called without st->lock held, by exactly one thread (state RUNNING).
 * Returns 0, or a negative code with the reason in err (trap, out of fuel,
 * memory cap, timeout, invalid module). */
int rt_run_programs(struct rt_state *st, char *err, size_t errlen);

/* Install the seccomp allow-list and no-new-privileges (sandbox.c). */
int rt_sandbox_enter(void);

#endif
