/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-deploy.c - `ccctl deploy` launches the runtime with a signed policy
 * on a backend and records the deployment; `ccctl teardown` stops it and
 * removes the record.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/backend.h"
#include "cli/cli.h"
#include "cli/client.h"
#include "lib/dsse.h"

static const struct cli_opt deploy_opts[] = {
    {0, "backend", "B", "isolate platform: sim", false, true},
    {0, "policy", "SIGNED", "the signed policy the runtime starts from", false, true},
    {0, "name", "N", "name of the deployment (default: the policy's name)", false, false},
    {0, "image", "DIR", "runtime image from ccctl image build (sim: ignored)", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int print_deployment(struct cli_ctx *ctx, const struct ccctl_deployment *d)
{
	struct ccctl_json *doc = NULL;
	int rc;

	if (!ctx->json) {
		printf("%s\n", d->endpoint);
		return 0;
	}
	rc = cli_deployment_json(&doc, d);
	if (rc == 0)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

int cli_deploy(struct cli_ctx *ctx, const char *backend, const char *policy_path, const char *name,
	       struct ccctl_deployment *d)
{
	const struct ccctl_backend_host *b = ccctl_backend_find(backend);
	struct ccctl_backend_opts o;
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_consent *consent = NULL;
	struct ccctl_buf copy;
	char *state = NULL, path[4200], probe[4200];
	bool bare = false;
	int rc;

	memset(d, 0, sizeof(*d));
	ccctl_buf_init(&copy);
	if (!b)
		return ccctl_err_set(CCCTL_EUSAGE, "unknown backend \"%s\" (available: sim)",
				     backend);
	if (b->simulated)
		cli_warn(ctx,
			 "%s backend: a simulation offers no confidentiality; the host can "
			 "read everything",
			 b->name);
	rc = ccctl_dsse_load_file(&env, &bare, policy_path);
	if (rc == 0)
		rc = ccctl_consent_new(&consent, env);
	if (rc != 0)
		goto out;
	if (!ccctl_policy_find_backend(consent->policy, backend)) {
		rc = ccctl_err_set(CCCTL_EDENIED, "the policy does not allow backend \"%s\"",
				   backend);
		goto out;
	}
	if (consent->policy->expires && time(NULL) >= consent->policy->expires_unix)
		cli_warn(ctx, "the policy expired at %s: the runtime will accept no work",
			 consent->policy->expires);
	if (ccctl_consent_check(consent) != 0)
		cli_warn(ctx, "%s: the runtime will accept no data until every signer has signed",
			 ccctl_err_msg());
	snprintf(d->name, sizeof(d->name), "%s", name ? name : consent->policy->name);
	snprintf(d->backend, sizeof(d->backend), "%s", backend);
	ccctl_policy_digest_str(d->policy_digest, consent->policy);
	state = cli_state_dir();
	if (!state) {
		rc = CCCTL_EFAIL;
		goto out;
	}
	/* Refuse to overwrite a live deployment of the same name. */
	{
		struct ccctl_deployment old;
		snprintf(probe, sizeof(probe), "%s/deployments/%s.json", state, d->name);
		if (access(probe, F_OK) == 0 && cli_deployment_load(state, d->name, &old) == 0 &&
		    old.pid > 0 && kill(old.pid, 0) == 0) {
			rc = ccctl_err_set(CCCTL_EFAIL,
					   "deployment \"%s\" exists and is running (pid %d): "
					   "ccctl teardown %s, or choose --name",
					   d->name, (int)old.pid, d->name);
			goto out;
		}
	}
	/* The runtime reads its own copy of the signed policy. */
	rc = cli_deployment_save(state, d); /* creates the folders, validates the name */
	if (rc != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/deployments/%s.policy.json", state, d->name);
	rc = ccctl_file_read(&copy, policy_path, CCCTL_DSSE_MAX_ENVELOPE);
	if (rc == 0)
		rc = ccctl_file_write_atomic(path, copy.data, copy.len, 0600);
	if (rc == 0) {
		o.state_dir = state;
		o.runtime = cli_runtime_path();
		o.root = NULL;
		rc = b->deploy(&o, path, d);
	}
	if (rc == 0)
		rc = cli_deployment_save(state, d);
	else
		cli_deployment_remove(state, d->name);
out:
	ccctl_buf_release(&copy);
	ccctl_consent_free(consent);
	ccctl_dsse_free(env);
	free(state);
	return rc;
}

static int deploy_run(struct cli_ctx *ctx)
{
	struct ccctl_deployment d;
	int rc = cli_deploy(ctx, cli_opt_str(ctx, "backend"), cli_opt_str(ctx, "policy"),
			    cli_opt_str(ctx, "name"), &d);

	if (rc != 0)
		return rc;
	cli_info(ctx, "deployed \"%s\" on %s at %s", d.name, d.backend, d.endpoint);
	return print_deployment(ctx, &d);
}

const struct cli_cmd cmd_deploy = {
    .name = "deploy",
    .args = "",
    .summary = "launch the runtime with a signed policy in an isolate",
    .opts = deploy_opts,
    .min_args = 0,
    .max_args = 0,
    .run = deploy_run,
};

static const struct cli_opt teardown_opts[] = {
    CLI_OPT_JSON,
    CLI_OPT_END,
};

int cli_teardown(const char *name)
{
	struct ccctl_deployment d;
	struct ccctl_backend_opts o;
	const struct ccctl_backend_host *b;
	char *state = cli_state_dir();
	int rc;

	if (!state)
		return CCCTL_EFAIL;
	rc = cli_deployment_load(state, name, &d);
	if (rc == 0) {
		b = ccctl_backend_find(d.backend);
		o.state_dir = state;
		o.runtime = cli_runtime_path();
		o.root = NULL;
		rc = b ? b->teardown(&o, &d)
		       : ccctl_err_set(CCCTL_EINVAL, "unknown backend \"%s\"", d.backend);
	}
	if (rc == 0)
		rc = cli_deployment_remove(state, name);
	free(state);
	return rc;
}

static int teardown_run(struct cli_ctx *ctx)
{
	int rc = cli_teardown(ctx->argv[0]);
	struct ccctl_json *doc;

	if (rc != 0)
		return rc;
	if (!ctx->json) {
		cli_info(ctx, "stopped and removed \"%s\"", ctx->argv[0]);
		return 0;
	}
	doc = ccctl_json_new_object();
	if (!doc)
		return ccctl_err_nomem();
	rc = ccctl_json_object_set_string(doc, "removed", ctx->argv[0]);
	if (rc == 0)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

const struct cli_cmd cmd_teardown = {
    .name = "teardown",
    .args = "N",
    .summary = "stop a deployment and remove its record",
    .opts = teardown_opts,
    .min_args = 1,
    .max_args = 1,
    .run = teardown_run,
};
