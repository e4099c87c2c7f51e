/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.h - talking to a runtime: deployment records, attestation, and
 * requests over the attested, pinned TLS connection (libcurl).
 *
 * cli_session_open() resolves the runtime from --deployment N or
 * --endpoint HOST:PORT, loads the local policy (--policy), fetches fresh
 * evidence for a random nonce, checks it up to the backend's root and
 * against the policy (allowed backend, measurements, report_data over the
 * nonce, the policy digest and the TLS key of this very connection), and
 * from then on pins that TLS key for every request of the session.  With
 * --identity the session authenticates with that client certificate.
 */
#ifndef CCCTL_CLI_CLIENT_H
#define CCCTL_CLI_CLIENT_H

#include <stdbool.h>
#include <stdio.h>

#include <curl/curl.h>

#include "backends/backend.h"
#include "cli/cli.h"
#include "lib/crypto.h"
#include "lib/evidence.h"
#include "lib/policy.h"

struct cli_session {
	CURL *curl;
	char base[320]; /* https://HOST:PORT */
	struct ccctl_policy *policy;
	const struct ccctl_backend_host *backend;
	struct ccctl_backend_opts opts;
	char *state_dir;
	struct ccctl_key *identity; /* NULL without --identity */
	struct ccctl_buf cert_pem, key_pem;
	struct ccctl_evidence_claims claims;
	uint8_t tls_spki_sha256[CCCTL_SHA256_LEN];
	char pin[96];
	char curl_err[CURL_ERROR_SIZE];
	double attest_seconds;
};

/* Options every runtime-facing command takes (in its option table). */
#define CLI_OPTS_RUNTIME                                                                           \
	{0, "deployment", "N", "the deployment recorded by ccctl deploy", false, false},           \
	    {0,	    "endpoint", "HOST:PORT", "the runtime's address instead of a deployment",      \
	     false, false},                                                                        \
	    {0, "policy", "P", "the signed policy you agreed to", false, true},                    \
	{                                                                                          \
		0, "sim-root", "PEM", "trusted sim platform key (default: the local one)", false,  \
		    false                                                                          \
	}

/* Open and attest; identity may be NULL.  Returns 0 or a negative code:
 * CCCTL_EVERIFY when attestation fails (message names expected and
 * actual), CCCTL_EUNAVAIL when the runtime cannot be reached. */
int cli_session_open(struct cli_session *s, struct cli_ctx *ctx, const char *identity);
/* The same without a command's options: endpoint HOST:PORT, policy file,
 * trusted root (NULL: default) and identity (NULL: none). */
int cli_session_open_at(struct cli_session *s, const char *endpoint, const char *policy_path,
			const char *root, const char *identity);
void cli_session_close(struct cli_session *s);

/* Launch / stop a deployment (cmd-deploy.c; also used by `ccctl run`). */
int cli_deploy(struct cli_ctx *ctx, const char *backend, const char *policy_path, const char *name,
	       struct ccctl_deployment *d);
int cli_teardown(const char *name);

/* One request.  Upload from the file `upload` (NULL: none, or an empty
 * body for PUT); the response body goes to `sink` when the status is 2xx
 * (if sink is non-NULL), otherwise into resp (bounded).  *status gets the
 * HTTP status. */
int cli_session_request(struct cli_session *s, const char *method, const char *path, FILE *upload,
			FILE *sink, struct ccctl_buf *resp, long *status);

/* Fetch the output guest into the file dst (written beside it under a
 * temporary name and renamed into place only when complete; nothing is
 * left on failure), or to standard output when dst is NULL. */
int cli_session_pull(struct cli_session *s, const char *guest, const char *dst);

/* Turn an error response into an error code and message: 401/403 ->
 * CCCTL_EDENIED, 404/413 -> CCCTL_EINVAL, others CCCTL_EFAIL; the message
 * carries the runtime's message, expected and actual. */
int cli_http_error(long status, const struct ccctl_buf *resp, const char *what);

/* Print the simulation warning when the backend protects nothing. */
void cli_session_warn(const struct cli_ctx *ctx, const struct cli_session *s);

/* Deployment records under STATE/deployments/NAME.json: name, backend,
 * endpoint, pid, policy (the --json output of deploy has the same shape). */
int cli_deployment_json(struct ccctl_json **out, const struct ccctl_deployment *d);
int cli_deployment_save(const char *state_dir, const struct ccctl_deployment *d);
int cli_deployment_load(const char *state_dir, const char *name, struct ccctl_deployment *d);
int cli_deployment_remove(const char *state_dir, const char *name);

/* The runtime program: $CCCTL_RUNTIME, else the build tree's (when run
 * from it), else the installed one.  Borrowed. */
const char *cli_runtime_path(void);

/* A guest path for URLs: "/input/a.csv" -> "/v1/files/input/a.csv"
 * (percent-encoding everything but unreserved characters and '/'). */
int cli_files_url(char *out, size_t size, const char *guest_path);

#endif
