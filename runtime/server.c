/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - TLS 1.3 server: the key is made here, in memory, and never
 * leaves the process; one thread per connection; request heads parsed by
 * http.c and handed to api.c.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "lib/crypto.h"
#include "lib/err.h"
#include "runtime/http.h"
#include "runtime/rt.h"
#include "runtime/server.h"

/* Clients authenticate with self-signed certificates that the policy lists
 * by key digest, so the chain is not what is checked: TLS still proves the
 * client holds the key (CertificateVerify); api.c maps the key to a
 * participant. */
static int accept_any_cert(int ok, X509_STORE_CTX *ctx)
{
	return 1;
}

int rt_tls_new(SSL_CTX **out, uint8_t spki_sha256[CCCTL_SHA256_LEN])
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_NAME *name;
	SSL_CTX *ctx = NULL;
	unsigned char *der = NULL;
	uint8_t serial[16];
	BIGNUM *bn = NULL;
	int len, rc = CCCTL_EFAIL;

	*out = NULL;
	key = EVP_EC_gen("P-256");
	cert = X509_new();
	if (!key || !cert || RAND_bytes(serial, sizeof(serial)) != 1)
		goto ossl;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) ||
	    !X509_set_version(cert, 2) || !X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600) ||
	    !X509_set_pubkey(cert, key))
		goto ossl;
	name = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)"ccctl-runtime", -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) || !X509_sign(cert, key, EVP_sha256()))
		goto ossl;
	len = i2d_PUBKEY(key, &der);
	if (len <= 0)
		goto ossl;
	ccctl_sha256(spki_sha256, der, (size_t)len);

	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		goto ossl;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_cert);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	*out = ctx;
	ctx = NULL;
	rc = 0;
	goto out;
ossl:
	rc = ccctl_err_openssl(CCCTL_EFAIL, "tls key");
out:
	OPENSSL_free(der);
	BN_free(bn);
	SSL_CTX_free(ctx);
	X509_free(cert);
	EVP_PKEY_free(key); /* the SSL_CTX holds its own references */
	return rc;
}

/* The participant whose certificate key the client presented, or -1. */
static int peer_participant(SSL *ssl, const struct ccctl_policy *p)
{
	X509 *peer = SSL_get1_peer_certificate(ssl);
	unsigned char *der = NULL;
	uint8_t d[CCCTL_SHA256_LEN];
	const struct ccctl_policy_participant *pp;
	int len, idx = -1;

	if (!peer)
		return -1;
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(peer), &der);
	if (len > 0) {
		ccctl_sha256(d, der, (size_t)len);
		pp = ccctl_policy_find_by_spki(p, d);
		if (pp)
			idx = (int)(pp - p->participants);
	}
	OPENSSL_free(der);
	X509_free(peer);
	return idx;
}

int rt_conn_write(struct rt_conn *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
		int n = SSL_write(c->ssl, p, chunk);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int rt_conn_respond(struct rt_conn *c, int status, const char *ctype, const void *body, size_t len,
		    const char *extra_headers)
{
	char head[1024];
	int n;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Cache-Control: no-store\r\n%s\r\n",
		     status, rt_http_reason(status), ctype, len,
		     extra_headers ? extra_headers : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return -1;
	if (rt_conn_write(c, head, (size_t)n) != 0)
		return -1;
	return len ? rt_conn_write(c, body, len) : 0;
}

int rt_conn_read_body(struct rt_conn *c, uint8_t *dst, size_t len)
{
	size_t have = c->len < len ? c->len : len;

	/* Bytes that arrived with the head first. */
	memcpy(dst, c->buf, have);
	memmove(c->buf, c->buf + have, c->len - have);
	c->len -= have;
	dst += have;
	len -= have;
	while (len > 0) {
		int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
		int n = SSL_read(c->ssl, dst, chunk);
		if (n <= 0)
			return -1; /* short body: the caller stores nothing */
		dst += n;
		len -= (size_t)n;
	}
	return 0;
}

static void respond_parse_error(struct rt_conn *c, int status, const char *why)
{
	char body[512];
	int n = snprintf(body, sizeof(body),
			 "{\"error\":{\"code\":\"malformed\",\"message\":\"%s\"}}", why);

	if (n > 0 && (size_t)n < sizeof(body))
		rt_conn_respond(c, status, "application/json", body, (size_t)n,
				"Connection: close\r\n");
}

static void *conn_main(void *arg)
{
	struct rt_conn *c = arg;
	struct rt_state *st = c->st;
	struct rt_http_request req;
	struct timespec start;

	if (SSL_accept(c->ssl) != 1)
		goto out;
	c->participant = peer_participant(c->ssl, st->policy);
	for (;;) {
		const char *why = "";
		int rc;

		/* Read until a whole head is buffered, within a deadline, so a
		 * peer trickling bytes cannot hold a connection slot. */
		clock_gettime(CLOCK_MONOTONIC, &start);
		while ((rc = rt_http_parse(&req, c->buf, c->len, &why)) == 0) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec > RT_HEAD_DEADLINE_S)
				goto out;
			int n =
			    SSL_read(c->ssl, c->buf + c->len, (int)(sizeof(c->buf) - 1 - c->len));
			if (n <= 0)
				goto out;
			c->len += (size_t)n;
		}
		if (rc < 0) {
			respond_parse_error(c, -rc, why);
			goto out;
		}
		memmove(c->buf, c->buf + req.head_len, c->len - req.head_len);
		c->len -= req.head_len;
		if (!rt_api_handle(c, &req) || req.close)
			goto out;
	}
out:
	SSL_shutdown(c->ssl);
	close(SSL_get_fd(c->ssl)); /* SSL_set_fd's BIO is BIO_NOCLOSE: SSL_free keeps the fd */
	SSL_free(c->ssl);
	pthread_mutex_lock(&st->lock);
	st->connections--;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
	OPENSSL_cleanse(c->buf, sizeof(c->buf));
	free(c);
	return NULL;
}

int rt_serve(struct rt_state *st, SSL_CTX *ctx, int lfd)
{
	struct timeval tv = {RT_IO_TIMEOUT_S, 0};
	pthread_attr_t attr;
	int one = 1;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		struct pollfd pfd = {lfd, POLLIN, 0};
		struct rt_conn *c;
		pthread_t t;
		bool stop;
		int fd, busy;

		pthread_mutex_lock(&st->lock);
		stop = st->stopping;
		busy = st->connections;
		pthread_mutex_unlock(&st->lock);
		if (stop)
			break;
		/* At the cap, new connections wait in the listen backlog rather
		 * than being accepted and dropped; idle peers are cut off by the
		 * timeouts, so a slot frees up. */
		if (busy >= RT_MAX_CONNECTIONS) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 200 * 1000 * 1000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_mutex_lock(&st->lock);
			if (st->connections >= RT_MAX_CONNECTIONS && !st->stopping)
				pthread_cond_timedwait(&st->changed, &st->lock, &until);
			pthread_mutex_unlock(&st->lock);
			continue;
		}
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		/* Responses go out as head and body: no Nagle delay between them. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		c = calloc(1, sizeof(*c));
		if (!c || !(c->ssl = SSL_new(ctx))) {
			free(c);
			close(fd);
			continue;
		}
		SSL_set_fd(c->ssl, fd);
		c->st = st;
		c->participant = -1;
		pthread_mutex_lock(&st->lock);
		st->connections++;
		pthread_mutex_unlock(&st->lock);
		if (pthread_create(&t, &attr, conn_main, c) != 0) {
			pthread_mutex_lock(&st->lock);
			st->connections--;
			pthread_mutex_unlock(&st->lock);
			SSL_free(c->ssl);
			close(fd);
			free(c);
		}
	}
	pthread_attr_destroy(&attr);
	/* Let connections in flight finish their responses (bounded). */
	{
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_mutex_lock(&st->lock);
		while (st->connections > 0 &&
		       pthread_cond_timedwait(&st->changed, &st->lock, &until) == 0)
			;
		pthread_mutex_unlock(&st->lock);
	}
	return 0;
}
