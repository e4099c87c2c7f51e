/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - ccctl-runtime(8): start from a signed policy, make the TLS key,
 * listen, close the sandbox, serve until the policy's stop rule is met.
 *
 *   ccctl-runtime --policy SIGNED --listen HOST:PORT [--backend NAME]
 *                 [--backend-arg ARG] [--no-sandbox]
 *
 * On success it prints "listening HOST:PORT" (the real port when PORT is 0)
 * on standard output, then serves.  Exit status: 0 after a clean stop, 2
 * usage, 3 invalid policy, 4 policy signatures invalid, 1 otherwise.
 */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/crypto.h"
#include "lib/dsse.h"
#include "lib/err.h"
#include "runtime/rt.h"
#include "runtime/server.h"

static const struct rt_backend *const backends[] = {&rt_backend_sim, NULL};

static void usage(FILE *f)
{
	fputs("usage: ccctl-runtime --policy SIGNED --listen HOST:PORT [--backend NAME]\n"
	      "                     [--backend-arg ARG] [--no-sandbox]\n",
	      f);
}

static int die(int code)
{
	fprintf(stderr, "ccctl-runtime: error: %s\n", ccctl_err_msg());
	return code < 0 ? -code : code;
}

static int listen_on(const char *spec, char *bound, size_t boundlen)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = -1, one = 1, rc;

	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		return ccctl_err_set(CCCTL_EUSAGE, "--listen expects HOST:PORT, got \"%s\"", spec);
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai);
	if (rc != 0)
		return ccctl_err_set(CCCTL_EUSAGE, "--listen \"%s\": %s", spec, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		rc = ccctl_err_errno(CCCTL_EUNAVAIL, spec);
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return rc;
	}
	freeaddrinfo(ai);
	if (ss.ss_family == AF_INET6)
		snprintf(bound, boundlen, "[%s]:%u", host,
			 ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	else
		snprintf(bound, boundlen, "%s:%u", host,
			 ntohs(((struct sockaddr_in *)&ss)->sin_port));
	return fd;
}

/* SHA-256 of our own executable: the sim measurement. */
static int measure_self(uint8_t out[CCCTL_SHA256_LEN])
{
	struct ccctl_buf b;
	int rc;

	ccctl_buf_init(&b);
	rc = ccctl_file_read(&b, "/proc/self/exe", 256u << 20);
	if (rc == 0)
		ccctl_sha256(out, b.data, b.len);
	ccctl_buf_release(&b);
	return rc;
}

static int state_init(struct rt_state *st, const char *policy_path)
{
	struct ccctl_dsse_envelope *env = NULL;
	const struct ccctl_policy *p;
	bool bare = false;
	size_t np;
	int rc;

	rc = ccctl_file_read(&st->signed_policy, policy_path, CCCTL_DSSE_MAX_ENVELOPE);
	if (rc == 0)
		rc = ccctl_dsse_load(&env, &bare, st->signed_policy.data, st->signed_policy.len);
	if (rc == 0)
		rc = ccctl_consent_new(&st->consent, env);
	ccctl_dsse_free(env);
	if (rc != 0)
		return rc;
	st->policy = p = st->consent->policy;
	if (ccctl_consent_check(st->consent) == 0) {
		st->consent_ok = true;
	} else {
		snprintf(st->consent_msg, sizeof(st->consent_msg), "consent incomplete: %s",
			 ccctl_err_msg());
	}
	np = p->nparticipants;
	st->programs = calloc(p->nprograms + 1, sizeof(*st->programs));
	st->inputs = calloc(p->ninputs + 1, sizeof(*st->inputs));
	st->outputs = calloc(p->noutputs + 1, sizeof(*st->outputs));
	st->reader_got = calloc(p->noutputs * np + 1, sizeof(*st->reader_got));
	st->asked_shutdown = calloc(np + 1, sizeof(*st->asked_shutdown));
	if (!st->programs || !st->inputs || !st->outputs || !st->reader_got || !st->asked_shutdown)
		return ccctl_err_nomem();
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->changed, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"policy", required_argument, NULL, 'p'},
	    {"listen", required_argument, NULL, 'l'},
	    {"backend", required_argument, NULL, 'b'},
	    {"backend-arg", required_argument, NULL, 'a'},
	    {"no-sandbox", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *policy = NULL, *listen_spec = NULL, *backend = "sim", *barg = NULL;
	static struct rt_state st;
	char bound[300];
	bool sandbox = true;
	SSL_CTX *ctx = NULL;
	int c, lfd, rc;
	size_t i;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			policy = optarg;
			break;
		case 'l':
			listen_spec = optarg;
			break;
		case 'b':
			backend = optarg;
			break;
		case 'a':
			barg = optarg;
			break;
		case 'n':
			sandbox = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!policy || !listen_spec || optind != argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; backends[i]; i++)
		if (strcmp(backends[i]->name, backend) == 0)
			st.backend = backends[i];
	if (!st.backend) {
		ccctl_err_set(CCCTL_EUSAGE, "unknown backend \"%s\"", backend);
		return die(CCCTL_EUSAGE);
	}
	if (strcmp(backend, "sim") == 0)
		fputs("ccctl-runtime: warning: sim backend: a simulation offers no "
		      "confidentiality; the host can read everything\n",
		      stderr);
	if ((rc = state_init(&st, policy)) != 0)
		return die(rc);
	if (!ccctl_policy_find_backend(st.policy, backend)) {
		ccctl_err_set(CCCTL_EDENIED, "the policy does not allow backend \"%s\"", backend);
		return die(CCCTL_EDENIED);
	}
	if ((rc = measure_self(st.measurement)) != 0 ||
	    (rc = st.backend->init(st.backend, barg, st.measurement)) != 0 ||
	    (rc = rt_tls_new(&ctx, st.tls_spki_sha256)) != 0)
		return die(rc);
	lfd = listen_on(listen_spec, bound, sizeof(bound));
	if (lfd < 0)
		return die(lfd);
	if (sandbox && (rc = rt_sandbox_enter()) != 0)
		return die(rc);
	if (!st.consent_ok)
		fprintf(stderr, "ccctl-runtime: %s; no program or data will be accepted\n",
			st.consent_msg);
	printf("listening %s\n", bound);
	fflush(stdout);
	rc = rt_serve(&st, ctx, lfd);
	close(lfd);
	SSL_CTX_free(ctx);
	return rc == 0 ? 0 : die(rc);
}
