/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-version.c - `ccctl version`: version, build commit, runtime.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "cli/build-info.h"

static const struct cli_opt opts[] = {
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int run(struct cli_ctx *ctx)
{
	struct ccctl_json *doc = NULL;
	int rc;

	if (!ctx->json) {
		printf("ccctl %s\ncommit %s\n", PACKAGE_VERSION, CCCTL_BUILD_COMMIT);
		return 0;
	}
	doc = ccctl_json_new_object();
	if (!doc)
		return ccctl_err_nomem();
	rc = ccctl_json_object_set_string(doc, "version", PACKAGE_VERSION);
	if (rc == 0)
		rc = ccctl_json_object_set_string(doc, "commit", CCCTL_BUILD_COMMIT);
	if (rc == 0)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

const struct cli_cmd cmd_version = {
    .name = "version",
    .args = "",
    .summary = "print the version and build commit",
    .opts = opts,
    .min_args = 0,
    .max_args = 0,
    .run = run,
};
