/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.c - the runtime's HTTP API (PROTOCOL.md) and the collaboration's
 * state machine: who may store what, when the program runs, who may read
 * which result, when the runtime stops.
 *
 * Uploads are all or nothing: the body is read into a private buffer, its
 * size and hash checked, and only then stored under the lock.  A request
 * whose body is not read (refused early) closes the connection.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/json.h"
#include "runtime/http.h"
#include "runtime/rt.h"

#define MAX_PROGRAM_SIZE (256u << 20)

static int respond_json(struct rt_conn *c, int status, struct ccctl_json *doc)
{
	struct ccctl_buf b;
	int rc;

	ccctl_buf_init(&b);
	rc = doc ? ccctl_json_write_canonical(&b, doc) : CCCTL_EFAIL;
	if (rc == 0)
		rc = rt_conn_respond(c, status, "application/json", b.data, b.len, NULL);
	else
		rc = rt_conn_respond(c, 500, "application/json", "{}", 2, NULL);
	ccctl_buf_release(&b);
	ccctl_json_free(doc);
	return rc;
}

int rt_conn_error(struct rt_conn *c, int status, const char *code, const char *message,
		  const char *expected, const char *actual)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *e = ccctl_json_new_object();
	int rc = -1;

	if (!doc || !e)
		goto out;
	if (ccctl_json_object_set_string(e, "code", code) != 0 ||
	    ccctl_json_object_set_string(e, "message", message) != 0 ||
	    (expected && ccctl_json_object_set_string(e, "expected", expected) != 0) ||
	    (actual && ccctl_json_object_set_string(e, "actual", actual) != 0))
		goto out;
	if (ccctl_json_object_set(doc, "error", e) != 0) {
		e = NULL;
		goto out;
	}
	e = NULL;
	rc = respond_json(c, status, doc);
	doc = NULL;
out:
	ccctl_json_free(e);
	ccctl_json_free(doc);
	return rc;
}

static const char *who(const struct rt_conn *c)
{
	return c->participant >= 0 ? c->st->policy->participants[c->participant].name
				   : "(no certificate)";
}

static bool expired(const struct ccctl_policy *p)
{
	return p->expires && time(NULL) >= p->expires_unix;
}

/* Check the state that gates every upload: consent complete, not expired,
 * not stopping.  Responds and returns false if refused. */
static bool gate_upload(struct rt_conn *c)
{
	struct rt_state *st = c->st;

	if (!st->consent_ok) {
		rt_conn_error(c, 409, "consent_incomplete", st->consent_msg, NULL, NULL);
		return false;
	}
	if (expired(st->policy)) {
		rt_conn_error(c, 409, "expired", "the policy has expired: no more work accepted",
			      st->policy->expires, NULL);
		return false;
	}
	if (st->stopping) {
		rt_conn_error(c, 409, "stopping", "the runtime is shutting down", NULL, NULL);
		return false;
	}
	return true;
}

/* Read and check an upload body; on success *data owns len bytes. */
static bool read_upload(struct rt_conn *c, const struct rt_http_request *req, uint64_t max,
			uint8_t **data, size_t *len)
{
	char lim[32], got[32];

	*data = NULL;
	*len = 0;
	if (!req->has_content_length) {
		rt_conn_error(c, 400, "malformed", "uploads need a Content-Length", NULL, NULL);
		return false;
	}
	if (req->content_length > max) {
		snprintf(lim, sizeof(lim), "%llu", (unsigned long long)max);
		snprintf(got, sizeof(got), "%llu", (unsigned long long)req->content_length);
		rt_conn_error(c, 413, "too_large", "upload larger than the policy allows", lim,
			      got);
		return false;
	}
	if (req->expect_continue && rt_conn_write(c, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
		return false;
	*data = malloc(req->content_length ? (size_t)req->content_length : 1);
	if (!*data) {
		rt_conn_error(c, 413, "too_large", "not enough memory for this upload", NULL, NULL);
		return false;
	}
	if (rt_conn_read_body(c, *data, (size_t)req->content_length) != 0) {
		OPENSSL_cleanse(*data, (size_t)req->content_length);
		free(*data);
		*data = NULL;
		return false; /* connection dropped mid-upload: nothing stored */
	}
	*len = (size_t)req->content_length;
	return true;
}

static void discard(uint8_t *data, size_t len)
{
	if (data) {
		OPENSSL_cleanse(data, len);
		free(data);
	}
}

/* Compare an upload with the SHA-256 the policy pins; on a mismatch the
 * upload is wiped and 409 names both digests. */
static bool pinned_hash_ok(struct rt_conn *c, const uint8_t want[CCCTL_SHA256_LEN], uint8_t *data,
			   size_t len, const char *message)
{
	uint8_t d[CCCTL_SHA256_LEN];
	char exp[72] = "sha256:", got[72] = "sha256:";

	ccctl_sha256(d, data, len);
	if (ccctl_ct_equal(d, want, sizeof(d)))
		return true;
	ccctl_hex_encode(exp + 7, want, CCCTL_SHA256_LEN);
	ccctl_hex_encode(got + 7, d, CCCTL_SHA256_LEN);
	discard(data, len);
	rt_conn_error(c, 409, "hash_mismatch", message, exp, got);
	return false;
}

static void release_upload(struct rt_state *st, struct rt_blob *b)
{
	pthread_mutex_lock(&st->lock);
	b->uploading = false;
	pthread_mutex_unlock(&st->lock);
}

/* Receive an upload for blob b: one upload at a time per blob, written
 * once, all or nothing.  pin, if not NULL, is the SHA-256 the policy
 * requires.  Returns false when the connection must be closed. */
static bool upload(struct rt_conn *c, const struct rt_http_request *req, struct rt_blob *b,
		   uint64_t max, const uint8_t *pin, const char *what, const char *pin_message)
{
	struct rt_state *st = c->st;
	uint8_t *data = NULL;
	size_t len = 0;
	bool present, busy, stored = false;

	pthread_mutex_lock(&st->lock);
	present = b->present;
	busy = b->uploading;
	if (!present && !busy)
		b->uploading = true;
	pthread_mutex_unlock(&st->lock);
	if (present || busy) {
		rt_conn_error(c, 409, present ? "already_written" : "upload_in_progress",
			      present ? "already stored: written once, it cannot change"
				      : "another upload of this is in progress",
			      NULL, what);
		return false;
	}
	if (!read_upload(c, req, max, &data, &len)) {
		release_upload(st, b);
		return false;
	}
	if (pin && !pinned_hash_ok(c, pin, data, len, pin_message)) {
		release_upload(st, b);
		return true; /* the body was read: the connection can go on */
	}
	pthread_mutex_lock(&st->lock);
	b->uploading = false;
	if (!st->stopping) {
		b->present = true;
		b->data = data;
		b->len = len;
		stored = true;
		pthread_cond_broadcast(&st->changed);
	}
	pthread_mutex_unlock(&st->lock);
	if (!stored) {
		discard(data, len);
		return rt_conn_error(c, 409, "stopping", "the runtime is shutting down", NULL,
				     what) == 0;
	}
	return rt_conn_respond(c, 201, "application/json", "{}", 2, NULL) == 0;
}

static bool put_program(struct rt_conn *c, const struct rt_http_request *req, const char *name)
{
	const struct ccctl_policy *p = c->st->policy;
	const struct ccctl_policy_program *g = NULL;
	size_t i;

	for (i = 0; i < p->nprograms; i++)
		if (strcmp(p->programs[i].name, name) == 0)
			g = &p->programs[i];
	if (!g) {
		rt_conn_error(c, 404, "not_found", "the policy has no such program", NULL, name);
		return false;
	}
	if (strcmp(g->provider, who(c)) != 0) {
		rt_conn_error(c, 403, "forbidden", "only the program's provider may upload it",
			      g->provider, who(c));
		return false;
	}
	if (!gate_upload(c))
		return false;
	return upload(c, req, &c->st->programs[g - p->programs], MAX_PROGRAM_SIZE, g->sha256,
		      g->name, "the module is not the one the policy pins");
}

static bool put_file(struct rt_conn *c, const struct rt_http_request *req, const char *path)
{
	const struct ccctl_policy *p = c->st->policy;
	const struct ccctl_policy_input *in = NULL;
	size_t i;

	for (i = 0; i < p->ninputs; i++)
		if (strcmp(p->inputs[i].path, path) == 0)
			in = &p->inputs[i];
	if (!in) {
		rt_conn_error(c, 404, "not_found", "the policy has no such input", NULL, path);
		return false;
	}
	if (strcmp(in->from, who(c)) != 0) {
		rt_conn_error(c, 403, "forbidden", "only the input's writer may upload it",
			      in->from, who(c));
		return false;
	}
	if (!gate_upload(c))
		return false;
	return upload(c, req, &c->st->inputs[in - p->inputs], in->max_size,
		      in->has_sha256 ? in->sha256 : NULL, path,
		      "the input is not the one the policy pins");
}

/* Comma-separated list of what the run still needs (programs, inputs). */
static size_t missing_list(const struct rt_state *st, char *out, size_t size)
{
	const struct ccctl_policy *p = st->policy;
	size_t i, n = 0, off = 0;

	out[0] = '\0';
	for (i = 0; i < p->nprograms; i++) {
		if (st->programs[i].present)
			continue;
		off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%sprogram %s",
					n++ ? ", " : "", p->programs[i].name);
	}
	for (i = 0; i < p->ninputs; i++) {
		if (st->inputs[i].present)
			continue;
		off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%s%s",
					n++ ? ", " : "", p->inputs[i].path);
	}
	return n;
}

static bool get_file(struct rt_conn *c, const char *path)
{
	struct rt_state *st = c->st;
	const struct ccctl_policy *p = st->policy;
	const struct ccctl_policy_output *o = NULL;
	char missing[2048], reason[600];
	size_t i, k, oi;
	bool reader = false, run_here = false;

	for (i = 0; i < p->noutputs; i++)
		if (strcmp(p->outputs[i].path, path) == 0)
			o = &p->outputs[i];
	if (!o) {
		rt_conn_error(c, 404, "not_found", "the policy has no such output", NULL, path);
		return true;
	}
	oi = (size_t)(o - p->outputs);
	for (k = 0; k < o->nto; k++)
		if (strcmp(o->to[k], who(c)) == 0)
			reader = true;
	if (!reader) {
		rt_conn_error(c, 403, "forbidden", "not a reader of this output", NULL, who(c));
		return true;
	}
	pthread_mutex_lock(&st->lock);
	if (st->run == RT_RUN_PENDING && expired(p)) {
		pthread_mutex_unlock(&st->lock);
		rt_conn_error(c, 409, "expired", "the policy has expired: the program will not run",
			      p->expires, NULL);
		return true;
	}
	if (st->run == RT_RUN_PENDING) {
		if (missing_list(st, missing, sizeof(missing)) > 0) {
			pthread_mutex_unlock(&st->lock);
			rt_conn_error(c, 409, "missing_inputs", "the run is waiting for inputs",
				      NULL, missing);
			return true;
		}
		st->run = RT_RUN_RUNNING;
		run_here = true;
	}
	pthread_mutex_unlock(&st->lock);
	if (run_here) {
		char err[512] = "";
		int rc = rt_run_programs(st, err, sizeof(err));

		pthread_mutex_lock(&st->lock);
		st->run = rc == 0 ? RT_RUN_DONE : RT_RUN_FAILED;
		if (rc != 0)
			snprintf(st->run_error, sizeof(st->run_error), "%s", err);
		pthread_cond_broadcast(&st->changed);
		pthread_mutex_unlock(&st->lock);
	}
	pthread_mutex_lock(&st->lock);
	while (st->run == RT_RUN_RUNNING)
		pthread_cond_wait(&st->changed, &st->lock);
	if (st->run == RT_RUN_FAILED) {
		snprintf(reason, sizeof(reason), "%s", st->run_error);
		pthread_mutex_unlock(&st->lock);
		rt_conn_error(c, 500, "program_failed", reason, NULL, NULL);
		return true;
	}
	st->reader_got[oi * p->nparticipants + (size_t)c->participant] = true;
	pthread_mutex_unlock(&st->lock);
	/* Results are immutable once the run is done. */
	return rt_conn_respond(c, 200, "application/octet-stream", st->outputs[oi].data,
			       st->outputs[oi].len, NULL) == 0;
}

static struct ccctl_json *names_array(const struct rt_state *st, bool programs, bool present)
{
	const struct ccctl_policy *p = st->policy;
	struct ccctl_json *a = ccctl_json_new_array();
	size_t i, n = programs ? p->nprograms : p->ninputs;

	for (i = 0; a && i < n; i++) {
		const struct rt_blob *b = programs ? &st->programs[i] : &st->inputs[i];
		if (b->present != present)
			continue;
		if (ccctl_json_array_push(a, ccctl_json_new_string(programs ? p->programs[i].name
									    : p->inputs[i].path)) !=
		    0) {
			ccctl_json_free(a);
			return NULL;
		}
	}
	return a;
}

static bool get_status(struct rt_conn *c)
{
	struct rt_state *st = c->st;
	struct ccctl_json *doc = ccctl_json_new_object(), *prog, *in;
	static const char *const runs[] = {"pending", "running", "done", "failed"};
	char digest[72];
	int rc = 0;

	if (!doc)
		return false;
	ccctl_policy_digest_str(digest, st->policy);
	pthread_mutex_lock(&st->lock);
	rc |= ccctl_json_object_set_string(doc, "policy", digest);
	rc |= ccctl_json_object_set_string(doc, "backend", st->backend->name);
	rc |= ccctl_json_object_set_string(doc, "participant", who(c));
	rc |= ccctl_json_object_set_bool(doc, "consent", st->consent_ok);
	if (!st->consent_ok)
		rc |= ccctl_json_object_set_string(doc, "consent_missing", st->consent_msg);
	rc |= ccctl_json_object_set_bool(doc, "expired", expired(st->policy));
	prog = ccctl_json_new_object();
	in = ccctl_json_new_object();
	if (prog && in) {
		rc |= ccctl_json_object_set(prog, "present", names_array(st, true, true));
		rc |= ccctl_json_object_set(prog, "missing", names_array(st, true, false));
		rc |= ccctl_json_object_set(in, "present", names_array(st, false, true));
		rc |= ccctl_json_object_set(in, "missing", names_array(st, false, false));
	}
	rc |= ccctl_json_object_set(doc, "programs", prog);
	rc |= ccctl_json_object_set(doc, "inputs", in);
	rc |= ccctl_json_object_set_string(doc, "run", runs[st->run]);
	rc |= ccctl_json_object_set_bool(doc, "results_ready", st->run == RT_RUN_DONE);
	pthread_mutex_unlock(&st->lock);
	if (rc != 0) {
		ccctl_json_free(doc);
		return rt_conn_error(c, 500, "internal", "out of memory", NULL, NULL) == 0;
	}
	return respond_json(c, 200, doc) == 0;
}

/* Stop when every reader has its results, or every participant asked. */
static bool post_shutdown(struct rt_conn *c)
{
	struct rt_state *st = c->st;
	const struct ccctl_policy *p = st->policy;
	bool all_asked = true, all_read, stop;
	size_t i, k;

	pthread_mutex_lock(&st->lock);
	all_read = st->run == RT_RUN_DONE;
	st->asked_shutdown[c->participant] = true;
	for (i = 0; i < p->nparticipants; i++)
		all_asked &= st->asked_shutdown[i];
	for (i = 0; all_read && i < p->noutputs; i++) {
		for (k = 0; k < p->outputs[i].nto; k++) {
			const struct ccctl_policy_participant *r =
			    ccctl_policy_find_participant(p, p->outputs[i].to[k]);
			if (!r ||
			    !st->reader_got[i * p->nparticipants + (size_t)(r - p->participants)])
				all_read = false;
		}
	}
	stop = all_asked || all_read;
	if (stop) {
		st->stopping = true;
		pthread_cond_broadcast(&st->changed);
	}
	pthread_mutex_unlock(&st->lock);
	if (stop) {
		rt_conn_respond(c, 200, "application/json", "{\"stopping\":true}", 17,
				"Connection: close\r\n");
		return false;
	}
	return rt_conn_respond(c, 202, "application/json", "{\"stopping\":false}", 18, NULL) == 0;
}

static bool get_evidence(struct rt_conn *c, const struct rt_http_request *req)
{
	struct rt_state *st = c->st;
	char hex[2 * CCCTL_NONCE_LEN + 2], hdr[64];
	uint8_t nonce[CCCTL_NONCE_LEN], rd[CCCTL_REPORT_DATA_LEN];
	struct ccctl_buf tok;
	bool ok;

	if (rt_http_query_get(req->query, "nonce", hex, sizeof(hex)) != 0 ||
	    strlen(hex) != 2 * CCCTL_NONCE_LEN ||
	    ccctl_hex_decode(nonce, sizeof(nonce), hex, strlen(hex)) != 0)
		return rt_conn_error(c, 400, "malformed", "nonce must be 64 hex digits", NULL,
				     NULL) == 0;
	ccctl_evidence_report_data(rd, nonce, st->policy->digest, st->tls_spki_sha256);
	ccctl_buf_init(&tok);
	if (st->backend->evidence(st->backend, rd, &tok) != 0) {
		ccctl_buf_release(&tok);
		return rt_conn_error(c, 500, "evidence", "the platform gave no evidence", NULL,
				     NULL) == 0;
	}
	snprintf(hdr, sizeof(hdr), "Ccctl-Backend: %s\r\n", st->backend->name);
	ok = rt_conn_respond(c, 200, "application/cose", tok.data, tok.len, hdr) == 0;
	ccctl_buf_release(&tok);
	return ok;
}

bool rt_api_handle(struct rt_conn *c, const struct rt_http_request *req)
{
	struct rt_state *st = c->st;
	bool has_body = req->has_content_length && req->content_length > 0;
	const char *path = req->path;

	if (req->method == RT_HTTP_GET && strcmp(path, "/v1/evidence") == 0)
		return get_evidence(c, req);
	if (req->method == RT_HTTP_GET && strcmp(path, "/v1/policy") == 0)
		return rt_conn_respond(c, 200, "application/json", st->signed_policy.data,
				       st->signed_policy.len, NULL) == 0;
	if (c->participant < 0) {
		rt_conn_error(c, 401, "unauthenticated",
			      "a client certificate of a policy participant is required", NULL,
			      NULL);
		return !has_body;
	}
	if (req->method == RT_HTTP_GET && strcmp(path, "/v1/status") == 0)
		return get_status(c);
	if (req->method == RT_HTTP_PUT && strncmp(path, "/v1/programs/", 13) == 0)
		return put_program(c, req, path + 13);
	if (req->method == RT_HTTP_PUT && strncmp(path, "/v1/files/", 10) == 0)
		return put_file(c, req, path + 9);
	if (req->method == RT_HTTP_GET && strncmp(path, "/v1/files/", 10) == 0) {
		const char *gp = path + 9; /* "/input/a.csv", or "/stdout" */
		if (strcmp(gp, "/stdout") == 0 || strcmp(gp, "/stderr") == 0)
			gp++;
		return get_file(c, gp);
	}
	if (req->method == RT_HTTP_POST && strcmp(path, "/v1/shutdown") == 0 && !has_body)
		return post_shutdown(c);
	rt_conn_error(c, 404, "not_found", "no such endpoint", NULL, path);
	return !has_body;
}
