/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-policy-sign.c - `ccctl policy sign POLICY --identity ID [-o OUT]`:
 * add this party's DSSE signature to a signed policy (a bare policy is
 * wrapped in an envelope first).
 *
 * Where the result goes: OUT if given; else an envelope is updated in
 * place and a bare X.json is written to X.signed.json.  Signatures already
 * in the target file are never lost: if it exists and holds an envelope of
 * the same payload, its signatures are kept (this key's is replaced);
 * anything else there is refused.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "lib/dsse.h"
#include "lib/identity.h"
#include "lib/policy.h"

static const struct cli_opt opts[] = {
	{ 0, "identity", "ID", "sign as ID (path prefix of ID.key/ID.crt, or a name)", false,
	  true },
	{ 'o', "output", "OUT",
	  "write the envelope to OUT (default: update POLICY, or X.signed.json for a bare X.json)",
	  false, false },
	CLI_OPT_JSON,
	CLI_OPT_END,
};

/* The default output: the envelope itself, or X.signed.json beside X.json. */
static char *default_output(const char *in, bool bare)
{
	struct ccctl_buf b;
	size_t len = strlen(in);

	if (!bare)
		return strdup(in);
	if (len > 5 && strcmp(in + len - 5, ".json") == 0)
		len -= 5;
	ccctl_buf_init(&b);
	if (ccctl_buf_printf(&b, "%.*s.signed.json", (int)len, in) < 0) {
		ccctl_buf_release(&b);
		return NULL;
	}
	return ccctl_buf_steal(&b, NULL);
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/*
 * If out (another file than the input) exists, it must be an envelope of
 * the same payload: take over its signatures that env lacks.  Refuse to
 * replace anything else.
 */
static int merge_existing(struct ccctl_dsse_envelope *env, const char *out)
{
	struct ccctl_dsse_envelope *old = NULL;
	struct stat st;
	bool bare;
	size_t i;
	int ret;

	if (stat(out, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return ccctl_err_set(CCCTL_EFAIL, "cannot stat \"%s\": %s", out, strerror(errno));
	}
	ret = ccctl_dsse_load_file(&old, &bare, out);
	if (ret || bare || strcmp(old->payload_type, env->payload_type) != 0 ||
	    old->payload.len != env->payload.len ||
	    memcmp(old->payload.data, env->payload.data, env->payload.len) != 0) {
		ret = ccctl_err_set(CCCTL_EFAIL,
				    "refusing to overwrite \"%s\": expected a signed copy of this "
				    "policy there, found something else (choose another -o)", out);
		goto out;
	}
	for (i = 0; i < old->nsigs; i++) {
		const struct ccctl_dsse_sig *s = &old->sigs[i];
		if (!ccctl_dsse_find(env, s->keyid)) {
			ret = ccctl_dsse_add(env, s->keyid, s->sig, s->sig_len);
			if (ret)
				goto out;
		}
	}
out:
	ccctl_dsse_free(old);
	return ret;
}

/* Say so when signatures carried over do not verify (kept, never dropped:
 * `policy verify` reports them). */
static void warn_existing(struct cli_ctx *ctx, const struct ccctl_consent *c)
{
	char hex[2 * CCCTL_SHA256_LEN + 1];
	size_t i;

	for (i = 0; i < c->policy->nparticipants; i++)
		if (c->states[i] == CCCTL_SIG_BAD)
			cli_warn(ctx, "keeping the bad signature by participant \"%s\"",
				 c->policy->participants[i].name);
	for (i = 0; i < c->nstrangers; i++) {
		ccctl_hex_encode(hex, c->strangers[i], CCCTL_SHA256_LEN);
		cli_warn(ctx, "keeping the signature by non-participant key %s", hex);
	}
}

static int print_result(struct cli_ctx *ctx, const struct ccctl_consent *c,
			const struct ccctl_policy_participant *signer, const char *out,
			size_t nsigs)
{
	const struct ccctl_policy *pol = c->policy;
	char digest[72], hex[2 * CCCTL_SHA256_LEN + 1];
	struct ccctl_json *doc = NULL;
	bool met = ccctl_consent_check(c) == 0;
	int ret;

	ccctl_policy_digest_str(digest, pol);
	ccctl_hex_encode(hex, signer->spki_sha256, CCCTL_SHA256_LEN);
	if (!ctx->json) {
		printf("%s: signed policy \"%s\" %s as %s\n", out, pol->name, digest, signer->name);
		printf("consent: %ju of %ju required signatures%s\n", (uintmax_t)c->nvalid,
		       (uintmax_t)pol->consent.threshold, met ? " (complete)" : "");
		return 0;
	}
	doc = ccctl_json_new_object();
	if (!doc)
		return ccctl_err_nomem();
	if ((ret = ccctl_json_object_set_string(doc, "policy", pol->name)) ||
	    (ret = ccctl_json_object_set_string(doc, "digest", digest)) ||
	    (ret = ccctl_json_object_set_string(doc, "signer", signer->name)) ||
	    (ret = ccctl_json_object_set_string(doc, "keyid", hex)) ||
	    (ret = ccctl_json_object_set_string(doc, "output", out)) ||
	    (ret = ccctl_json_object_set_int(doc, "signatures", (int64_t)nsigs)) ||
	    (ret = ccctl_json_object_set_int(doc, "valid", (int64_t)c->nvalid)) ||
	    (ret = ccctl_json_object_set_int(doc, "threshold", (int64_t)pol->consent.threshold)) ||
	    (ret = ccctl_json_object_set_bool(doc, "complete", met)))
		goto out;
	ret = cli_print_json(ctx, doc);
out:
	ccctl_json_free(doc);
	return ret;
}

static int run(struct cli_ctx *ctx)
{
	const char *in = ctx->argv[0], *id = cli_opt_str(ctx, "identity");
	const char *out_opt = cli_opt_str(ctx, "output");
	const struct ccctl_policy_participant *signer;
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_consent *c = NULL;
	struct ccctl_key *key = NULL;
	struct ccctl_buf data;
	char *out = NULL, hex[2 * CCCTL_SHA256_LEN + 1];
	bool bare;
	int ret;

	ccctl_buf_init(&data);
	ret = ccctl_dsse_load_file(&env, &bare, in);
	if (ret)
		goto out;
	/* The payload must be a valid policy, signed or not: invalid input. */
	ret = ccctl_consent_new(&c, env);
	if (ret) {
		ret = ccctl_err_set(ret == CCCTL_EVERIFY ? CCCTL_EINVAL : ret, "\"%s\": %s", in,
				    ccctl_err_msg());
		goto out;
	}
	ret = ccctl_identity_load(&key, id);
	if (ret)
		goto out;
	ccctl_hex_encode(hex, ccctl_key_spki_sha256(key), CCCTL_SHA256_LEN);
	if (!ccctl_policy_find_by_spki(c->policy, ccctl_key_spki_sha256(key))) {
		ret = ccctl_err_set(CCCTL_EDENIED,
				    "identity \"%s\" (key %s) is not a participant of policy \"%s\"",
				    id, hex, c->policy->name);
		goto out;
	}
	out = out_opt ? strdup(out_opt) : default_output(in, bare);
	if (!out) {
		ret = ccctl_err_nomem();
		goto out;
	}
	if (!same_file(in, out) && (ret = merge_existing(env, out)))
		goto out;
	if ((ret = ccctl_dsse_sign(env, key)) || (ret = ccctl_dsse_write(&data, env)) ||
	    (ret = ccctl_file_write_atomic(out, data.data, data.len, 0644)))
		goto out;
	/* Report on the result, signatures carried over included. */
	ccctl_consent_free(c);
	c = NULL;
	ret = ccctl_consent_new(&c, env);
	if (ret)
		goto out;
	warn_existing(ctx, c);
	signer = ccctl_policy_find_by_spki(c->policy, ccctl_key_spki_sha256(key));
	ret = print_result(ctx, c, signer, out, env->nsigs);
out:
	ccctl_buf_release(&data);
	ccctl_consent_free(c);
	ccctl_dsse_free(env);
	ccctl_key_free(key);
	free(out);
	return ret;
}

const struct cli_cmd cmd_policy_sign = {
	.name = "policy sign",
	.args = "POLICY",
	.summary = "add this party's signature to a policy",
	.opts = opts,
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
