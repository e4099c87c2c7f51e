/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-compile.c - how long compiling a large topology takes.
 *
 * Generates (in memory) a topology with N participants (default 1000, each
 * with its own Ed25519 certificate), 10 programs, 10*N inputs and N
 * outputs, compiles it, parses the policy back, and prints the YAML size,
 * the policy size, wall times and the peak resident memory (getrusage).
 * Usage: bench-compile [PARTICIPANTS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lib/crypto.h"
#include "lib/policy.h"
#include "lib/topology.h"
#include "bench.h"

struct certs {
	char **pem;
	long n;
};

/* Serve "ids/pNNNNN.crt" from memory. */
static int serve(void *arg, const char *path, size_t max, struct ccctl_buf *out)
{
	const struct certs *c = arg;
	const char *base = strrchr(path, '/');
	long i;

	if (!base || sscanf(base, "/p%ld.crt", &i) != 1 || i < 0 || i >= c->n)
		return ccctl_err_set(CCCTL_EFAIL, "no file \"%s\"", path);
	if (strlen(c->pem[i]) > max)
		return ccctl_err_set(CCCTL_EINVAL, "\"%s\" too large", path);
	return ccctl_buf_append_str(out, c->pem[i]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void must(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench-compile: %s: %s\n", what, ccctl_err_msg());
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long n = bench_arg(argc, argv, 1000), i, k;
	struct ccctl_topology_opts opts = {"/bench", NULL, serve, NULL};
	struct ccctl_policy *p = NULL, *q = NULL;
	struct certs certs = {NULL, n};
	struct ccctl_diags diags;
	struct ccctl_buf y;
	struct rusage ru;
	double t0, t1, t2, t3;

	certs.pem = bench_alloc((size_t)n, sizeof(char *));
	t0 = now();
	for (i = 0; i < n; i++) {
		struct ccctl_key *key = NULL;
		char name[24];

		snprintf(name, sizeof(name), "p%05ld", i);
		must(ccctl_key_generate(&key, CCCTL_KEY_ED25519, name, 365), "key");
		certs.pem[i] = strdup(ccctl_key_cert_pem(key));
		ccctl_key_free(key);
		if (!certs.pem[i])
			must(ccctl_err_nomem(), "strdup");
	}
	opts.read_arg = &certs;

	ccctl_buf_init(&y);
	must(ccctl_buf_printf(&y, "version: 1\nname: bench\nparticipants:\n"), "yaml");
	for (i = 0; i < n; i++)
		must(ccctl_buf_printf(&y, "  p%05ld: { certificate: ids/p%05ld.crt }\n", i, i),
		     "yaml");
	must(ccctl_buf_printf(&y, "programs:\n"), "yaml");
	for (k = 0; k < 10; k++)
		must(ccctl_buf_printf(&y,
				      "  - name: prog%ld\n    provider: p%05ld\n"
				      "    sha256: %064ld\n    reads: [/input/]\n"
				      "    writes: [/output/]\n",
				      k, k % n, k),
		     "yaml");
	must(ccctl_buf_printf(&y, "inputs:\n"), "yaml");
	for (i = 0; i < n; i++)
		for (k = 0; k < 10; k++)
			must(ccctl_buf_printf(&y,
					      "  - { path: /input/p%05ld-%ld.csv, from: p%05ld, "
					      "max_size: 16MiB }\n",
					      i, k, i),
			     "yaml");
	must(ccctl_buf_printf(&y, "outputs:\n"), "yaml");
	for (i = 0; i < n; i++)
		must(ccctl_buf_printf(&y,
				      "  - { path: /output/p%05ld.csv, to: [p%05ld], "
				      "program: prog%ld }\n",
				      i, i, i % 10),
		     "yaml");
	must(ccctl_buf_printf(&y, "consent: { signers: all, threshold: %ld }\n", n / 2 + 1),
	     "yaml");

	ccctl_diags_init(&diags);
	t1 = now();
	must(ccctl_topology_compile(&p, &diags, "bench.yaml", y.data, y.len, &opts), "compile");
	t2 = now();
	must(ccctl_policy_parse(&q, p->canonical.data, p->canonical.len), "parse");
	t3 = now();
	getrusage(RUSAGE_SELF, &ru);

	printf("bench-compile: %ld participants, %ld inputs, %ld outputs\n", n, 10 * n, n);
	printf("  topology       %zu bytes\n", y.len);
	printf("  policy         %zu bytes\n", p->canonical.len);
	printf("  certificates   %.3f s (setup, not compile)\n", t1 - t0);
	printf("  compile        %.3f s\n", t2 - t1);
	printf("  parse policy   %.3f s\n", t3 - t2);
	printf("  peak memory    %ld KiB (max RSS)\n", ru.ru_maxrss);
	if (memcmp(p->digest, q->digest, sizeof(p->digest)) != 0) {
		fprintf(stderr, "bench-compile: digest changed on parse\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		free(certs.pem[i]);
	free(certs.pem);
	ccctl_policy_free(p);
	ccctl_policy_free(q);
	ccctl_diags_release(&diags);
	ccctl_buf_release(&y);
	return 0;
}
