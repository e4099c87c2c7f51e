/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-version.c - `ccctl version`: version, build commit, and the runtime
 * this ccctl deploys with its sim measurement (SHA-256 of the binary).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "lib/crypto.h"
#include "cli/build-info.h"

static const struct cli_opt opts[] = {
    CLI_OPT_JSON,
    CLI_OPT_END,
};

/* "sha256:<hex>" of the runtime, or "" when it cannot be read. */
static void runtime_digest(char out[72], const char *path)
{
	struct ccctl_buf b;
	uint8_t d[CCCTL_SHA256_LEN];

	out[0] = '\0';
	ccctl_buf_init(&b);
	if (ccctl_file_read(&b, path, 512u << 20) == 0) {
		ccctl_sha256(d, b.data, b.len);
		memcpy(out, "sha256:", 7);
		ccctl_hex_encode(out + 7, d, sizeof(d));
	}
	ccctl_buf_release(&b);
	ccctl_err_clear();
}

static int run(struct cli_ctx *ctx)
{
	const char *rt = cli_runtime_path();
	struct ccctl_json *doc = NULL, *r = NULL;
	char digest[72];
	int rc;

	runtime_digest(digest, rt);
	if (!ctx->json) {
		printf("ccctl %s\ncommit %s\nruntime %s %s\n", PACKAGE_VERSION, CCCTL_BUILD_COMMIT, rt,
		       digest[0] ? digest : "(not found)");
		return 0;
	}
	doc = ccctl_json_new_object();
	r = ccctl_json_new_object();
	if (!doc || !r) {
		ccctl_json_free(doc);
		ccctl_json_free(r);
		return ccctl_err_nomem();
	}
	rc = ccctl_json_object_set_string(doc, "version", PACKAGE_VERSION);
	if (rc == 0)
		rc = ccctl_json_object_set_string(doc, "commit", CCCTL_BUILD_COMMIT);
	if (rc == 0)
		rc = ccctl_json_object_set_string(r, "path", rt);
	if (rc == 0 && digest[0])
		rc = ccctl_json_object_set_string(r, "measurement", digest);
	if (rc == 0) {
		rc = ccctl_json_object_set(doc, "runtime", r);
		r = NULL;
	}
	if (rc == 0)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(r);
	ccctl_json_free(doc);
	return rc;
}

const struct cli_cmd cmd_version = {
    .name = "version",
    .args = "",
    .summary = "print the version, build commit and runtime measurement",
    .opts = opts,
    .min_args = 0,
    .max_args = 0,
    .run = run,
};
