/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-identity.c - `ccctl identity new NAME`: a key (mode 0600) and a
 * self-signed certificate, DIR/NAME.key and DIR/NAME.crt.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "lib/crypto.h"
#include "lib/identity.h"

#define DEFAULT_DAYS 365
#define MAX_DAYS 36500

static const struct cli_opt opts[] = {
	{ 0, "dir", "DIR", "write DIR/NAME.key and DIR/NAME.crt (default: .)", false, false },
	{ 0, "type", "p256|ed25519", "key type (default: p256)", false, false },
	{ 0, "days", "N", "certificate validity in days (default: 365)", false, false },
	CLI_OPT_JSON,
	CLI_OPT_END,
};

static int parse_days(const struct cli_ctx *ctx, unsigned *out, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < 1 || v > MAX_DAYS)
		return cli_usage_error(ctx, "--days \"%s\": expected a whole number 1..%d", s,
				       MAX_DAYS);
	*out = (unsigned)v;
	return 0;
}

static int print_result(struct cli_ctx *ctx, const struct ccctl_key *key, const char *name,
			const char *kpath, const char *cpath)
{
	char hex[2 * CCCTL_SHA256_LEN + 1];
	const char *type = ccctl_key_type_name(ccctl_key_type(key));
	struct ccctl_json *doc = NULL;
	int ret;

	ccctl_hex_encode(hex, ccctl_key_spki_sha256(key), CCCTL_SHA256_LEN);
	if (!ctx->json) {
		printf("key          %s\ncertificate  %s\ntype         %s\nspki_sha256  %s\n", kpath,
		       cpath, type, hex);
		return 0;
	}
	doc = ccctl_json_new_object();
	if (!doc)
		return ccctl_err_nomem();
	if ((ret = ccctl_json_object_set_string(doc, "name", name)) ||
	    (ret = ccctl_json_object_set_string(doc, "key", kpath)) ||
	    (ret = ccctl_json_object_set_string(doc, "certificate", cpath)) ||
	    (ret = ccctl_json_object_set_string(doc, "type", type)) ||
	    (ret = ccctl_json_object_set_string(doc, "spki_sha256", hex)))
		goto out;
	ret = cli_print_json(ctx, doc);
out:
	ccctl_json_free(doc);
	return ret;
}

static int run(struct cli_ctx *ctx)
{
	const char *name = ctx->argv[0], *dir = cli_opt_str(ctx, "dir");
	const char *type_s = cli_opt_str(ctx, "type"), *days_s = cli_opt_str(ctx, "days");
	enum ccctl_key_type type = CCCTL_KEY_P256;
	unsigned days = DEFAULT_DAYS;
	struct ccctl_key *key = NULL;
	char *kpath = NULL, *cpath = NULL;
	int ret;

	/* Bad argument values are usage errors (exit 2). */
	if (ccctl_identity_check_name(name) < 0) {
		ret = cli_usage_error(ctx, "%s", ccctl_err_msg());
		goto out;
	}
	if (type_s && ccctl_key_type_parse(&type, type_s) < 0) {
		ret = cli_usage_error(ctx, "%s", ccctl_err_msg());
		goto out;
	}
	if (days_s && (ret = parse_days(ctx, &days, days_s)))
		goto out;
	if (dir && !*dir) {
		ret = cli_usage_error(ctx, "--dir: expected a folder, found \"\"");
		goto out;
	}
	ret = ccctl_identity_create(&key, &kpath, &cpath, dir ? dir : ".", name, type, days);
	if (ret)
		goto out;
	ret = print_result(ctx, key, name, kpath, cpath);
out:
	ccctl_key_free(key);
	free(kpath);
	free(cpath);
	return ret;
}

const struct cli_cmd cmd_identity_new = {
	.name = "identity new",
	.args = "NAME",
	.summary = "create a key and a self-signed certificate for NAME",
	.opts = opts,
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
