/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-policy-verify.c - `ccctl policy verify POLICY`: check every signature
 * against the participants listed inside the payload and the consent rule;
 * exit 0 only when consent is complete and no signature is bad or by a
 * non-participant (exit 4 otherwise, 3 for a malformed envelope).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "lib/dsse.h"
#include "lib/policy.h"

static const struct cli_opt opts[] = {
	CLI_OPT_JSON,
	CLI_OPT_END,
};

static bool is_signer(const struct ccctl_policy *pol, const char *name)
{
	size_t i;

	for (i = 0; i < pol->consent.nsigners; i++)
		if (strcmp(pol->consent.signers[i], name) == 0)
			return true;
	return false;
}

static const char *state_name(enum ccctl_sig_state st, bool signer)
{
	switch (st) {
	case CCCTL_SIG_VALID:
		return "signed";
	case CCCTL_SIG_BAD:
		return "bad signature";
	case CCCTL_SIG_MISSING:
		break;
	}
	return signer ? "missing" : "not signed (not required)";
}

static void print_text(const struct ccctl_consent *c)
{
	const struct ccctl_policy *pol = c->policy;
	char digest[72], hex[2 * CCCTL_SHA256_LEN + 1];
	size_t i;

	ccctl_policy_digest_str(digest, pol);
	printf("policy \"%s\" %s\n", pol->name, digest);
	for (i = 0; i < pol->nparticipants; i++) {
		const struct ccctl_policy_participant *p = &pol->participants[i];
		printf("  %-20s %s\n", p->name, state_name(c->states[i], is_signer(pol, p->name)));
	}
	for (i = 0; i < c->nstrangers; i++) {
		ccctl_hex_encode(hex, c->strangers[i], CCCTL_SHA256_LEN);
		printf("  signature by non-participant key %s\n", hex);
	}
	printf("consent: %ju of %ju required signatures\n", (uintmax_t)c->nvalid,
	       (uintmax_t)pol->consent.threshold);
}

static int add_string(struct ccctl_json *arr, const char *s)
{
	struct ccctl_json *v = ccctl_json_new_string(s);

	return v ? ccctl_json_array_push(arr, v) : ccctl_err_nomem();
}

static int print_json(struct cli_ctx *ctx, const struct ccctl_consent *c, bool ok)
{
	const struct ccctl_policy *pol = c->policy;
	struct ccctl_json *doc = NULL, *parts = NULL, *strangers = NULL, *consent = NULL;
	struct ccctl_json *signers = NULL, *missing = NULL, *o;
	char digest[72], hex[2 * CCCTL_SHA256_LEN + 1];
	size_t i;
	int ret;

	ccctl_policy_digest_str(digest, pol);
	doc = ccctl_json_new_object();
	parts = ccctl_json_new_array();
	strangers = ccctl_json_new_array();
	consent = ccctl_json_new_object();
	signers = ccctl_json_new_array();
	missing = ccctl_json_new_array();
	if (!doc || !parts || !strangers || !consent || !signers || !missing) {
		ret = ccctl_err_nomem();
		goto out;
	}
	for (i = 0; i < pol->nparticipants; i++) {
		const struct ccctl_policy_participant *p = &pol->participants[i];
		bool signer = is_signer(pol, p->name);

		ccctl_hex_encode(hex, p->spki_sha256, CCCTL_SHA256_LEN);
		o = ccctl_json_new_object();
		if (!o) {
			ret = ccctl_err_nomem();
			goto out;
		}
		if ((ret = ccctl_json_object_set_string(o, "name", p->name)) ||
		    (ret = ccctl_json_object_set_string(o, "keyid", hex)) ||
		    (ret = ccctl_json_object_set_bool(o, "signer", signer)) ||
		    (ret = ccctl_json_object_set_string(
			     o, "status",
			     c->states[i] == CCCTL_SIG_VALID ? "signed"
			     : c->states[i] == CCCTL_SIG_BAD ? "bad"
							     : "missing"))) {
			ccctl_json_free(o);
			goto out;
		}
		if ((ret = ccctl_json_array_push(parts, o)))
			goto out;
	}
	for (i = 0; i < c->nstrangers; i++) {
		ccctl_hex_encode(hex, c->strangers[i], CCCTL_SHA256_LEN);
		if ((ret = add_string(strangers, hex)))
			goto out;
	}
	for (i = 0; i < pol->consent.nsigners; i++) {
		const char *name = pol->consent.signers[i];

		if ((ret = add_string(signers, name)))
			goto out;
		if (ccctl_consent_signer_state(c, i) != CCCTL_SIG_VALID &&
		    (ret = add_string(missing, name)))
			goto out;
	}
	ret = ccctl_json_object_set(consent, "signers", signers);
	signers = NULL;
	if (ret)
		goto out;
	if ((ret = ccctl_json_object_set_int(consent, "threshold",
					     (int64_t)pol->consent.threshold)) ||
	    (ret = ccctl_json_object_set_int(consent, "valid", (int64_t)c->nvalid)))
		goto out;
	ret = ccctl_json_object_set(consent, "missing", missing);
	missing = NULL;
	if (ret)
		goto out;
	if ((ret = ccctl_json_object_set_string(doc, "policy", pol->name)) ||
	    (ret = ccctl_json_object_set_string(doc, "digest", digest)))
		goto out;
	ret = ccctl_json_object_set(doc, "participants", parts);
	parts = NULL;
	if (ret)
		goto out;
	ret = ccctl_json_object_set(doc, "non_participant_keys", strangers);
	strangers = NULL;
	if (ret)
		goto out;
	ret = ccctl_json_object_set(doc, "consent", consent);
	consent = NULL;
	if (ret)
		goto out;
	if ((ret = ccctl_json_object_set_bool(doc, "verified", ok)))
		goto out;
	ret = cli_print_json(ctx, doc);
out:
	ccctl_json_free(missing);
	ccctl_json_free(signers);
	ccctl_json_free(consent);
	ccctl_json_free(strangers);
	ccctl_json_free(parts);
	ccctl_json_free(doc);
	return ret;
}

static int run(struct cli_ctx *ctx)
{
	const char *in = ctx->argv[0];
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_consent *c = NULL;
	char msg[1024];
	bool bare;
	int ret, verdict;

	ret = ccctl_dsse_load_file(&env, &bare, in);
	if (ret)
		goto out;
	ret = ccctl_consent_new(&c, env);
	if (ret) {
		ret = ccctl_err_set(ret, "\"%s\": %s", in, ccctl_err_msg());
		goto out;
	}
	/* Expiry is no part of consent, but worth saying. */
	if (c->policy->expires && c->policy->expires_unix < (int64_t)time(NULL))
		cli_warn(ctx, "policy \"%s\" expired at %s", c->policy->name, c->policy->expires);
	/* Judge first (the message is main's to print), then report. */
	verdict = ccctl_consent_check(c);
	snprintf(msg, sizeof(msg), "%s", ccctl_err_msg());
	ret = ctx->json ? print_json(ctx, c, verdict == 0) : (print_text(c), 0);
	if (ret == 0 && verdict)
		ret = ccctl_err_set(verdict, "\"%s\": %s", in, msg);
out:
	ccctl_consent_free(c);
	ccctl_dsse_free(env);
	return ret;
}

const struct cli_cmd cmd_policy_verify = {
	.name = "policy verify",
	.args = "POLICY",
	.summary = "check a policy's signatures and consent",
	.opts = opts,
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
