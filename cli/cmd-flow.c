/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-flow.c - the participants' side of a collaboration: `ccctl attest`,
 * `ccctl push`, `ccctl pull` and `ccctl status`.  Every one of them attests
 * the runtime first (fresh nonce, policy, TLS key) and then talks only to
 * the attested key.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "lib/json.h"

#define SYN_RUNTIME "(--deployment N | --endpoint HOST:PORT) --policy P [--sim-root PEM]"

static int attest_json(struct cli_ctx *ctx, const struct cli_session *s)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *m = ccctl_json_new_object();
	char digest[72], hex[2 * CCCTL_MEASUREMENT_MAX + 1];
	size_t i;
	int rc = 0;

	if (!doc || !m) {
		ccctl_json_free(doc);
		ccctl_json_free(m);
		return ccctl_err_nomem();
	}
	ccctl_policy_digest_str(digest, s->policy);
	for (i = 0; i < s->claims.nmeasurements; i++) {
		ccctl_hex_encode(hex, s->claims.measurements[i].value,
				 s->claims.measurements[i].len);
		rc |= ccctl_json_object_set_string(m, s->claims.measurements[i].key, hex);
	}
	rc |= ccctl_json_object_set_bool(doc, "verified", true);
	rc |= ccctl_json_object_set_string(doc, "backend", s->claims.backend);
	rc |= ccctl_json_object_set_bool(doc, "simulated", s->backend->simulated);
	rc |= ccctl_json_object_set_string(doc, "policy", digest);
	rc |= ccctl_json_object_set(doc, "measurements", m);
	ccctl_hex_encode(hex, s->tls_spki_sha256, CCCTL_SHA256_LEN);
	rc |= ccctl_json_object_set_string(doc, "tls_spki_sha256", hex);
	rc |= ccctl_json_object_set_string(doc, "profile", s->claims.profile);
	if (rc == 0)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

static const struct cli_opt attest_opts[] = {
    CLI_OPTS_RUNTIME,
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int attest_run(struct cli_ctx *ctx)
{
	struct cli_session s;
	char digest[72], hex[2 * CCCTL_MEASUREMENT_MAX + 1];
	int rc = cli_session_open(&s, ctx, NULL);
	size_t i;

	if (rc == 0) {
		cli_session_warn(ctx, &s);
		if (ctx->json) {
			rc = attest_json(ctx, &s);
		} else {
			ccctl_policy_digest_str(digest, s.policy);
			printf("verified: %s runtime at %s\n", s.claims.backend, s.base + 8);
			printf("policy     %s\n", digest);
			for (i = 0; i < s.claims.nmeasurements; i++) {
				ccctl_hex_encode(hex, s.claims.measurements[i].value,
						 s.claims.measurements[i].len);
				printf("%-10s %s\n", s.claims.measurements[i].key, hex);
			}
			ccctl_hex_encode(hex, s.tls_spki_sha256, CCCTL_SHA256_LEN);
			printf("tls key    sha256:%s (pinned)\n", hex);
		}
	}
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cmd_attest = {
    .name = "attest",
    .args = "",
    .summary = "fetch fresh evidence and verify it against the policy",
    .synopsis = SYN_RUNTIME " [--json]",
    .opts = attest_opts,
    .min_args = 0,
    .max_args = 0,
    .run = attest_run,
};

static const struct cli_opt push_opts[] = {
    CLI_OPTS_RUNTIME,
    {0, "identity", "ID", "your identity (ids/alice or a name in $CCCTL_IDENTITY_DIR)", false,
     true},
    {0, "program", "NAME", "upload the program NAME", false, false},
    {0, "file", "GUESTPATH", "upload the input GUESTPATH", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int push_run(struct cli_ctx *ctx)
{
	const char *prog = cli_opt_str(ctx, "program"), *file = cli_opt_str(ctx, "file");
	const char *local = ctx->argv[0];
	struct cli_session s;
	struct ccctl_buf resp;
	char path[8192];
	long status = 0;
	FILE *f = NULL;
	int rc;

	ccctl_buf_init(&resp);
	if (!!prog == !!file)
		return cli_usage_error(ctx, "give exactly one of --program and --file");
	if (prog)
		snprintf(path, sizeof(path), "/v1/programs/%s", prog);
	else if ((rc = cli_files_url(path, sizeof(path), file)) != 0)
		return rc;
	f = fopen(local, "rb");
	if (!f)
		return ccctl_err_errno(CCCTL_EFAIL, local);
	rc = cli_session_open(&s, ctx, cli_opt_str(ctx, "identity"));
	if (rc == 0) {
		cli_session_warn(ctx, &s);
		rc = cli_session_request(&s, "PUT", path, f, NULL, &resp, &status);
	}
	if (rc == 0 && status != 201)
		rc = cli_http_error(status, &resp, prog ? prog : file);
	if (rc == 0) {
		if (ctx->json) {
			struct ccctl_json *doc = ccctl_json_new_object();
			rc = doc ? 0 : ccctl_err_nomem();
			if (rc == 0)
				rc = ccctl_json_object_set_string(doc, prog ? "program" : "file",
								  prog ? prog : file);
			if (rc == 0)
				rc = ccctl_json_object_set_bool(doc, "stored", true);
			if (rc == 0)
				rc = cli_print_json(ctx, doc);
			ccctl_json_free(doc);
		} else {
			cli_info(ctx, "stored %s", prog ? prog : file);
		}
	}
	fclose(f);
	ccctl_buf_release(&resp);
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cmd_push = {
    .name = "push",
    .args = "LOCALFILE",
    .summary = "upload a program or an input to the attested runtime",
    .synopsis = SYN_RUNTIME " --identity ID (--program NAME | --file GUESTPATH) [--json] "
			    "LOCALFILE",
    .opts = push_opts,
    .min_args = 1,
    .max_args = 1,
    .run = push_run,
};

static const struct cli_opt pull_opts[] = {
    CLI_OPTS_RUNTIME,
    {0, "identity", "ID", "your identity (ids/alice or a name in $CCCTL_IDENTITY_DIR)", false,
     true},
    {'o', "output", "LOCALFILE", "write the result here (default: standard output)", false, false},
    CLI_OPT_END,
};

static int pull_run(struct cli_ctx *ctx)
{
	const char *guest = ctx->argv[0], *out = cli_opt_str(ctx, "output");
	struct cli_session s;
	int rc = cli_session_open(&s, ctx, cli_opt_str(ctx, "identity"));

	if (rc == 0) {
		cli_session_warn(ctx, &s);
		rc = cli_session_pull(&s, guest, out);
	}
	if (rc == 0 && out)
		cli_info(ctx, "wrote %s", out);
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cmd_pull = {
    .name = "pull",
    .args = "GUESTPATH",
    .summary = "fetch a result (the first pull runs the program)",
    .synopsis = SYN_RUNTIME " --identity ID [-o LOCALFILE] GUESTPATH",
    .opts = pull_opts,
    .min_args = 1,
    .max_args = 1,
    .run = pull_run,
};

static const struct cli_opt status_opts[] = {
    CLI_OPTS_RUNTIME,
    {0, "identity", "ID", "your identity (ids/alice or a name in $CCCTL_IDENTITY_DIR)", false,
     true},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static void print_names(const char *label, const struct ccctl_json *a)
{
	size_t i;

	printf("%-18s", label);
	if (!a || a->type != CCCTL_JSON_ARRAY || a->u.arr.n == 0)
		printf(" -");
	for (i = 0; a && a->type == CCCTL_JSON_ARRAY && i < a->u.arr.n; i++)
		printf(" %s", a->u.arr.items[i]->u.str.s);
	putchar('\n');
}

static int status_run(struct cli_ctx *ctx)
{
	struct cli_session s;
	struct ccctl_buf resp;
	struct ccctl_json *doc = NULL;
	long status = 0;
	int rc;

	ccctl_buf_init(&resp);
	rc = cli_session_open(&s, ctx, cli_opt_str(ctx, "identity"));
	if (rc == 0) {
		cli_session_warn(ctx, &s);
		rc = cli_session_request(&s, "GET", "/v1/status", NULL, NULL, &resp, &status);
	}
	if (rc == 0 && status != 200)
		rc = cli_http_error(status, &resp, "status");
	if (rc == 0)
		rc = ccctl_json_parse(&doc, resp.data, resp.len);
	if (rc == 0 && ctx->json) {
		rc = cli_print_json(ctx, doc);
	} else if (rc == 0) {
		const struct ccctl_json *p = ccctl_json_get(doc, "programs"),
					*in = ccctl_json_get(doc, "inputs");
		const struct ccctl_json *c = ccctl_json_get(doc, "consent");
		printf("%-18s %s\n", "policy", ccctl_json_get_string(doc, "policy"));
		printf("%-18s %s\n", "backend", ccctl_json_get_string(doc, "backend"));
		printf("%-18s %s\n", "consent",
		       c && c->type == CCCTL_JSON_BOOL && c->u.b
			   ? "complete"
			   : ccctl_json_get_string(doc, "consent_missing"));
		print_names("programs present", ccctl_json_get(p, "present"));
		print_names("programs missing", ccctl_json_get(p, "missing"));
		print_names("inputs present", ccctl_json_get(in, "present"));
		print_names("inputs missing", ccctl_json_get(in, "missing"));
		printf("%-18s %s\n", "run", ccctl_json_get_string(doc, "run"));
	}
	ccctl_json_free(doc);
	ccctl_buf_release(&resp);
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cmd_status = {
    .name = "status",
    .args = "",
    .summary = "what the runtime holds and is waiting for",
    .synopsis = SYN_RUNTIME " --identity ID [--json]",
    .opts = status_opts,
    .min_args = 0,
    .max_args = 0,
    .run = status_run,
};
