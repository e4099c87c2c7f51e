/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.c - deployment records, attestation and pinned requests.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "cli/client.h"
#include "lib/dsse.h"
#include "lib/identity.h"
#include "lib/json.h"
#include "lib/path.h"

#define MAX_ERROR_BODY (64u * 1024)
#define MAX_TOKEN      (64u * 1024)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *cli_runtime_path(void)
{
	const char *env = getenv("CCCTL_RUNTIME");

	if (env && *env)
		return env;
	/* The build tree's runtime only for the build tree's ccctl: an
	 * installed ccctl uses the installed runtime. */
	{
		char self[PATH_MAX], built[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n > 0 && realpath(ABS_TOP_BUILDDIR "/ccctl", built)) {
			self[n] = '\0';
			if (strcmp(self, built) == 0 &&
			    access(ABS_TOP_BUILDDIR "/ccctl-runtime", X_OK) == 0)
				return ABS_TOP_BUILDDIR "/ccctl-runtime";
		}
	}
	return LIBEXECDIR "/ccctl-runtime";
}

static int record_path(char *out, size_t size, const char *state_dir, const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-' || name[i] == '_'))
			return ccctl_err_set(CCCTL_EUSAGE,
					     "deployment name \"%s\": use a-z, 0-9, '-' and '_'",
					     name);
	if (i == 0 || i > 63)
		return ccctl_err_set(CCCTL_EUSAGE, "deployment name must be 1 to 63 characters");
	snprintf(out, size, "%s/deployments/%s.json", state_dir, name);
	return 0;
}

int cli_deployment_json(struct ccctl_json **out, const struct ccctl_deployment *d)
{
	struct ccctl_json *doc = ccctl_json_new_object();
	int rc;

	*out = NULL;
	if (!doc)
		return ccctl_err_nomem();
	rc = ccctl_json_object_set_string(doc, "name", d->name);
	if (rc == 0)
		rc = ccctl_json_object_set_string(doc, "backend", d->backend);
	if (rc == 0)
		rc = ccctl_json_object_set_string(doc, "endpoint", d->endpoint);
	if (rc == 0)
		rc = ccctl_json_object_set_int(doc, "pid", d->pid);
	if (rc == 0)
		rc = ccctl_json_object_set_string(doc, "policy", d->policy_digest);
	if (rc == 0)
		*out = doc;
	else
		ccctl_json_free(doc);
	return rc;
}

int cli_deployment_save(const char *state_dir, const struct ccctl_deployment *d)
{
	struct ccctl_json *doc = NULL;
	struct ccctl_buf b;
	char path[4200], dir[4200];
	int rc;

	ccctl_buf_init(&b);
	rc = record_path(path, sizeof(path), state_dir, d->name);
	if (rc == 0) {
		snprintf(dir, sizeof(dir), "%s/deployments", state_dir);
		rc = ccctl_mkdirs(dir, 0700);
	}
	if (rc == 0)
		rc = cli_deployment_json(&doc, d);
	if (rc == 0)
		rc = ccctl_json_write_pretty(&b, doc);
	if (rc == 0)
		rc = ccctl_file_write_atomic(path, b.data, b.len, 0600);
	ccctl_json_free(doc);
	ccctl_buf_release(&b);
	return rc;
}

int cli_deployment_load(const char *state_dir, const char *name, struct ccctl_deployment *d)
{
	struct ccctl_json *doc = NULL;
	struct ccctl_buf b;
	char path[4200];
	const char *s;
	int64_t pid = 0;
	int rc;

	memset(d, 0, sizeof(*d));
	ccctl_buf_init(&b);
	rc = record_path(path, sizeof(path), state_dir, name);
	if (rc != 0)
		return rc;
	if (access(path, F_OK) != 0) {
		rc = ccctl_err_set(CCCTL_EUNAVAIL, "no deployment named \"%s\" (%s)", name, path);
		goto out;
	}
	rc = ccctl_file_read(&b, path, 64 * 1024);
	if (rc == 0)
		rc = ccctl_json_parse(&doc, b.data, b.len);
	if (rc != 0)
		goto out;
	snprintf(d->name, sizeof(d->name), "%s", name);
	if ((s = ccctl_json_get_string(doc, "backend")))
		snprintf(d->backend, sizeof(d->backend), "%s", s);
	if ((s = ccctl_json_get_string(doc, "endpoint")))
		snprintf(d->endpoint, sizeof(d->endpoint), "%s", s);
	if ((s = ccctl_json_get_string(doc, "policy")))
		snprintf(d->policy_digest, sizeof(d->policy_digest), "%s", s);
	ccctl_json_get_int(doc, "pid", &pid);
	d->pid = (pid_t)pid;
	if (!d->backend[0] || !d->endpoint[0])
		rc = ccctl_err_set(CCCTL_EINVAL, "deployment record \"%s\" is damaged", path);
out:
	ccctl_json_free(doc);
	ccctl_buf_release(&b);
	return rc;
}

int cli_deployment_remove(const char *state_dir, const char *name)
{
	char path[4200];
	int rc = record_path(path, sizeof(path), state_dir, name);

	if (rc != 0)
		return rc;
	if (unlink(path) != 0 && errno != ENOENT)
		return ccctl_err_errno(CCCTL_EFAIL, path);
	snprintf(path, sizeof(path), "%s/deployments/%s.policy.json", state_dir, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/deployments/%s.log", state_dir, name);
	unlink(path);
	return 0;
}

int cli_files_url(char *out, size_t size, const char *guest_path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o;
	const char *p = guest_path;

	o = (size_t)snprintf(out, size, "/v1/files");
	if (*p != '/') {
		/* stdout, stderr */
		if (o + 1 < size)
			out[o++] = '/';
	}
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
			     c == '~' || c == '/';
		if (o + 4 >= size)
			return ccctl_err_set(CCCTL_EINVAL, "guest path too long");
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return 0;
}

struct sink {
	CURL *curl;
	FILE *file;
	struct ccctl_buf *buf;
	size_t max;
	bool overflow;
	bool write_error;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sink *k = arg;
	size_t n = size * nmemb;
	long status = 0;

	curl_easy_getinfo(k->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300 && k->file) {
		if (fwrite(ptr, 1, n, k->file) != n) {
			k->write_error = true;
			return 0;
		}
		return n;
	}
	if (!k->buf)
		return n;
	if (k->buf->len + n > k->max) {
		k->overflow = true;
		return 0;
	}
	return ccctl_buf_append(k->buf, ptr, n) == 0 ? n : 0;
}

/* Hold on to the runtime's Ccctl-Backend header. */
struct hdrs {
	char backend[16];
};

static size_t on_header(char *buf, size_t size, size_t nitems, void *arg)
{
	struct hdrs *h = arg;
	size_t n = size * nitems;
	static const char name[] = "ccctl-backend:";

	if (n > sizeof(name) - 1 && strncasecmp(buf, name, sizeof(name) - 1) == 0) {
		size_t i = sizeof(name) - 1, o = 0;
		while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		while (i < n && buf[i] != '\r' && buf[i] != '\n' && o + 1 < sizeof(h->backend))
			h->backend[o++] = buf[i++];
		h->backend[o] = '\0';
	}
	return n;
}

static int perform(struct cli_session *s, const char *what)
{
	CURLcode cc = curl_easy_perform(s->curl);

	if (cc == CURLE_OK)
		return 0;
	if (cc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return ccctl_err_set(CCCTL_EVERIFY,
				     "%s: the runtime's TLS key is not the attested one", what);
	if (cc == CURLE_WRITE_ERROR || cc == CURLE_READ_ERROR)
		return ccctl_err_set(CCCTL_EFAIL, "%s: %s", what, s->curl_err);
	return ccctl_err_set(CCCTL_EUNAVAIL, "%s: cannot reach the runtime at %s: %s", what,
			     s->base, s->curl_err[0] ? s->curl_err : curl_easy_strerror(cc));
}

int cli_session_request(struct cli_session *s, const char *method, const char *path, FILE *upload,
			FILE *sink, struct ccctl_buf *resp, long *status)
{
	struct sink k = {s->curl, sink, resp, MAX_ERROR_BODY, false, false};
	char url[8192];
	int rc;

	*status = 0;
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &k);
	curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, NULL);
	curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(s->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(s->curl, CURLOPT_CUSTOMREQUEST, NULL);
	/* One connection per request: a session (ccctl run keeps one per
	 * party) holds no connection to the runtime while it waits. */
	curl_easy_setopt(s->curl, CURLOPT_FORBID_REUSE, 1L);
	if (strcmp(method, "PUT") == 0) {
		struct stat st;
		if (!upload || fstat(fileno(upload), &st) != 0)
			return ccctl_err_set(CCCTL_EFAIL, "upload: no readable file");
		curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(s->curl, CURLOPT_READDATA, upload);
		curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, NULL);
		curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)st.st_size);
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(s->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, 0L);
	}
	rc = perform(s, path);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, status);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, NULL);
	if (k.write_error)
		return ccctl_err_errno(CCCTL_EFAIL, "writing the result");
	if (k.overflow)
		return ccctl_err_set(CCCTL_EFAIL, "%s: error response too large", path);
	return rc;
}

int cli_session_pull(struct cli_session *s, const char *guest, const char *dst)
{
	struct ccctl_buf resp, tmp;
	char url[8192];
	long status = 0;
	FILE *f = stdout;
	int rc, fd;

	ccctl_buf_init(&resp);
	ccctl_buf_init(&tmp);
	rc = cli_files_url(url, sizeof(url), guest);
	if (rc != 0)
		return rc;
	if (dst) {
		if (ccctl_buf_printf(&tmp, "%s.XXXXXX", dst) != 0)
			return ccctl_err_nomem();
		fd = mkstemp((char *)tmp.data);
		if (fd < 0 || !(f = fdopen(fd, "wb"))) {
			rc = ccctl_err_errno(CCCTL_EFAIL, dst);
			if (fd >= 0) {
				close(fd);
				unlink((char *)tmp.data);
			}
			ccctl_buf_release(&tmp);
			return rc;
		}
	}
	rc = cli_session_request(s, "GET", url, NULL, f, &resp, &status);
	if (rc == 0 && status != 200)
		rc = cli_http_error(status, &resp, guest);
	if (dst) {
		if ((fflush(f) != 0 || fsync(fileno(f)) != 0) && rc == 0)
			rc = ccctl_err_errno(CCCTL_EFAIL, dst);
		if (fclose(f) != 0 && rc == 0)
			rc = ccctl_err_errno(CCCTL_EFAIL, dst);
		if (rc == 0 && rename((char *)tmp.data, dst) != 0)
			rc = ccctl_err_errno(CCCTL_EFAIL, dst);
		if (rc != 0)
			unlink((char *)tmp.data);
	}
	ccctl_buf_release(&tmp);
	ccctl_buf_release(&resp);
	return rc;
}

int cli_http_error(long status, const struct ccctl_buf *resp, const char *what)
{
	struct ccctl_json *doc = NULL;
	const struct ccctl_json *e = NULL;
	const char *msg = NULL, *exp = NULL, *act = NULL;
	int code;
	char extra[1024] = "";

	if (resp && resp->len && ccctl_json_parse(&doc, resp->data, resp->len) == 0) {
		e = ccctl_json_get(doc, "error");
		msg = ccctl_json_get_string(e, "message");
		exp = ccctl_json_get_string(e, "expected");
		act = ccctl_json_get_string(e, "actual");
	}
	if (exp && act)
		snprintf(extra, sizeof(extra), ": expected %s, got %s", exp, act);
	else if (exp)
		snprintf(extra, sizeof(extra), ": expected %s", exp);
	else if (act)
		snprintf(extra, sizeof(extra), ": %s", act);
	switch (status) {
	case 401:
	case 403:
		code = CCCTL_EDENIED;
		break;
	case 404:
	case 413:
		code = CCCTL_EINVAL;
		break;
	default:
		code = CCCTL_EFAIL;
	}
	/* A file that is not the one the policy pins failed validation. */
	{
		const char *ec = ccctl_json_get_string(e, "code");
		if (ec && strcmp(ec, "hash_mismatch") == 0)
			code = CCCTL_EINVAL;
	}
	ccctl_err_set(code, "%s: %s%s (HTTP %ld)", what, msg ? msg : "request refused", extra,
		      status);
	ccctl_json_free(doc);
	return code;
}

/* SHA-256 of the peer certificate's key, from curl's certificate info. */
static int peer_spki(struct cli_session *s, uint8_t out[CCCTL_SHA256_LEN])
{
	struct curl_certinfo *ci = NULL;
	struct curl_slist *l;
	int rc = ccctl_err_set(CCCTL_EVERIFY, "attestation: the runtime presented no certificate");

	if (curl_easy_getinfo(s->curl, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
	    ci->num_of_certs < 1)
		return rc;
	for (l = ci->certinfo[0]; l; l = l->next) {
		if (strncmp(l->data, "Cert:", 5) == 0) {
			BIO *bio = BIO_new_mem_buf(l->data + 5, -1);
			X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
			unsigned char *der = NULL;
			int len = x ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der) : -1;
			if (len > 0) {
				ccctl_sha256(out, der, (size_t)len);
				rc = 0;
			}
			OPENSSL_free(der);
			X509_free(x);
			BIO_free(bio);
			break;
		}
	}
	return rc;
}

static int load_policy(struct cli_session *s, const char *path)
{
	struct ccctl_dsse_envelope *env = NULL;
	bool bare = false;
	int rc = ccctl_dsse_load_file(&env, &bare, path);

	if (rc == 0)
		rc = ccctl_policy_parse(&s->policy, env->payload.data, env->payload.len);
	ccctl_dsse_free(env);
	return rc;
}

/* When report_data does not match, say whether the runtime runs another
 * policy: that is the likeliest cause and the most useful message. */
static void explain_digest(struct cli_session *s)
{
	struct ccctl_buf body;
	struct ccctl_dsse_envelope *env = NULL;
	bool bare;
	long status = 0;
	uint8_t d[CCCTL_SHA256_LEN];
	char exp[72], got[80];
	char saved[1024];

	snprintf(saved, sizeof(saved), "%s", ccctl_err_msg());
	ccctl_buf_init(&body);
	if (cli_session_request(s, "GET", "/v1/policy", NULL, NULL, &body, &status) == 0 &&
	    status == 200 && ccctl_dsse_load(&env, &bare, body.data, body.len) == 0) {
		ccctl_sha256(d, env->payload.data, env->payload.len);
		if (!ccctl_ct_equal(d, s->policy->digest, sizeof(d))) {
			ccctl_policy_digest_str(exp, s->policy);
			memcpy(got, "sha256:", 7);
			ccctl_hex_encode(got + 7, d, sizeof(d));
			ccctl_err_set(CCCTL_EVERIFY,
				      "policy digest mismatch: expected %s (--policy), got %s "
				      "(runtime)",
				      exp, got);
			goto out;
		}
	}
	ccctl_err_set(CCCTL_EVERIFY, "%s", saved);
out:
	ccctl_dsse_free(env);
	ccctl_buf_release(&body);
}

static int attest(struct cli_session *s)
{
	uint8_t nonce[CCCTL_NONCE_LEN], rd[CCCTL_REPORT_DATA_LEN];
	char hex[2 * CCCTL_NONCE_LEN + 1], path[128];
	struct ccctl_buf tok;
	struct hdrs h = {""};
	long status = 0;
	unsigned char b64[64];
	double t0 = now_s();
	int rc;

	ccctl_buf_init(&tok);
	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return ccctl_err_openssl(CCCTL_EFAIL, "nonce");
	ccctl_hex_encode(hex, nonce, sizeof(nonce));
	snprintf(path, sizeof(path), "/v1/evidence?nonce=%s", hex);
	curl_easy_setopt(s->curl, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, &h);
	{
		struct sink k = {s->curl, NULL, &tok, MAX_TOKEN, false, false};
		char url[512];
		snprintf(url, sizeof(url), "%s%s", s->base, path);
		curl_easy_setopt(s->curl, CURLOPT_URL, url);
		curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &k);
		curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, on_header);
		/* Close it: the pinned requests cannot reuse it (other options). */
		curl_easy_setopt(s->curl, CURLOPT_FORBID_REUSE, 1L);
		rc = perform(s, "attestation");
		curl_easy_setopt(s->curl, CURLOPT_FORBID_REUSE, 0L);
		curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, NULL);
		curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, NULL);
		if (rc == 0 && k.overflow)
			rc = ccctl_err_set(CCCTL_EVERIFY, "attestation: evidence too large");
	}
	if (rc != 0)
		goto out;
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		rc = cli_http_error(status, &tok, "attestation");
		goto out;
	}
	rc = peer_spki(s, s->tls_spki_sha256);
	curl_easy_setopt(s->curl, CURLOPT_CERTINFO, 0L);
	if (rc != 0)
		goto out;
	s->backend = ccctl_backend_find(h.backend);
	if (!s->backend) {
		rc = ccctl_err_set(CCCTL_EVERIFY, "attestation: unknown backend \"%s\"", h.backend);
		goto out;
	}
	rc = s->backend->verify(&s->opts, tok.data, tok.len, &s->claims);
	if (rc != 0) {
		if (rc == CCCTL_EINVAL)
			rc = ccctl_err_set(CCCTL_EVERIFY, "attestation: %s", ccctl_err_msg());
		goto out;
	}
	ccctl_evidence_report_data(rd, nonce, s->policy->digest, s->tls_spki_sha256);
	rc = ccctl_evidence_check(&s->claims, s->policy, rd);
	if (rc != 0) {
		if (strstr(ccctl_err_msg(), "report_data"))
			explain_digest(s);
		rc = CCCTL_EVERIFY;
		goto out;
	}
	/* From now on only this key: the attested runtime. */
	EVP_EncodeBlock(b64, s->tls_spki_sha256, CCCTL_SHA256_LEN);
	snprintf(s->pin, sizeof(s->pin), "sha256//%s", b64);
	curl_easy_setopt(s->curl, CURLOPT_PINNEDPUBLICKEY, s->pin);
	s->attest_seconds = now_s() - t0;
out:
	ccctl_buf_release(&tok);
	return rc;
}

int cli_session_open(struct cli_session *s, struct cli_ctx *ctx, const char *identity)
{
	const char *dep = cli_opt_str(ctx, "deployment"), *ep = cli_opt_str(ctx, "endpoint");
	struct ccctl_deployment d;
	char *state;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!!dep == !!ep)
		return cli_usage_error(ctx, "give exactly one of --deployment and --endpoint");
	if (dep) {
		state = cli_state_dir();
		if (!state)
			return CCCTL_EFAIL;
		rc = cli_deployment_load(state, dep, &d);
		free(state);
		if (rc != 0)
			return rc;
		ep = d.endpoint;
	}
	return cli_session_open_at(s, ep, cli_opt_str(ctx, "policy"), cli_opt_str(ctx, "sim-root"),
				   identity);
}

int cli_session_open_at(struct cli_session *s, const char *endpoint, const char *policy_path,
			const char *root, const char *identity)
{
	int rc;

	memset(s, 0, sizeof(*s));
	ccctl_buf_init(&s->cert_pem);
	ccctl_buf_init(&s->key_pem);
	s->state_dir = cli_state_dir();
	if (!s->state_dir)
		return CCCTL_EFAIL;
	s->opts.state_dir = s->state_dir;
	s->opts.runtime = cli_runtime_path();
	s->opts.root = root;
	snprintf(s->base, sizeof(s->base), "https://%s", endpoint);
	rc = load_policy(s, policy_path);
	if (rc != 0)
		return rc;
	if (identity) {
		rc = ccctl_identity_load(&s->identity, identity);
		if (rc == 0)
			rc = ccctl_buf_append_str(&s->cert_pem, ccctl_key_cert_pem(s->identity));
		if (rc == 0)
			rc = ccctl_key_write_pem(&s->key_pem, s->identity);
		if (rc != 0)
			return rc;
	}
	s->curl = curl_easy_init();
	if (!s->curl)
		return ccctl_err_set(CCCTL_EFAIL, "cannot initialise libcurl");
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_3);
	/* The runtime's certificate is self-signed and made inside the
	 * isolate: it is trusted through attestation and then pinned, not
	 * through a CA. */
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "https");
	if (s->identity) {
		struct curl_blob cert = {s->cert_pem.data, s->cert_pem.len, CURL_BLOB_NOCOPY};
		struct curl_blob key = {s->key_pem.data, s->key_pem.len, CURL_BLOB_NOCOPY};
		curl_easy_setopt(s->curl, CURLOPT_SSLCERT_BLOB, &cert);
		curl_easy_setopt(s->curl, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(s->curl, CURLOPT_SSLKEY_BLOB, &key);
		curl_easy_setopt(s->curl, CURLOPT_SSLKEYTYPE, "PEM");
	}
	return attest(s);
}

void cli_session_warn(const struct cli_ctx *ctx, const struct cli_session *s)
{
	if (s->backend && s->backend->simulated)
		cli_warn(ctx, "%s backend: a simulation offers no confidentiality",
			 s->backend->name);
}

void cli_session_close(struct cli_session *s)
{
	if (s->curl)
		curl_easy_cleanup(s->curl);
	ccctl_policy_free(s->policy);
	ccctl_key_free(s->identity);
	ccctl_buf_release(&s->cert_pem);
	ccctl_buf_release_secure(&s->key_pem);
	free(s->state_dir);
	memset(s, 0, sizeof(*s));
}
