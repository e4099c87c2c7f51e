/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-run.c - `ccctl run TOPOLOGY.yaml`: the whole flow on one machine
 * with the sim backend, one local identity per party: compile, sign with
 * every identity, deploy, attest (as each party), push the program and the
 * inputs, pull every result as one of its readers, tear down.
 *
 * Local files are found by the layout `ccctl init` makes, next to the
 * topology: identities ids/NAME (or $CCCTL_IDENTITY_DIR/NAME), programs
 * programs/NAME.wasm, input data data/BASENAME (or --input GUESTPATH=FILE).
 * Each is checked against the policy (key digest, program hash) before use.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "lib/dsse.h"
#include "lib/identity.h"
#include "lib/topology.h"

static const struct cli_opt run_opts[] = {
    {0, "input", "GUESTPATH=LOCALFILE", "data for an input (default: data/BASENAME)", true, false},
    {'o', "output", "DIR", "where results go (default: results)", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

enum phase { P_COMPILE, P_SIGN, P_DEPLOY, P_ATTEST, P_PUSH, P_RUN, P_PULL, P_TEARDOWN, P_N };
static const char *const phase_names[P_N] = {"compile", "sign", "deploy", "attest",
					     "push",	"run",	"pull",	  "teardown"};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct run {
	struct cli_ctx *ctx;
	char *dir;  /* the topology's folder */
	char *work; /* private temporary folder for the signed policy */
	char policy_path[4200];
	struct ccctl_policy *policy;
	char **ids;		      /* identity reference per participant */
	struct cli_session *sessions; /* per participant, opened on demand */
	bool *open;
	struct ccctl_deployment dep;
	bool deployed;
	double t[P_N];
};

static char *path_join(const char *dir, const char *name)
{
	struct ccctl_buf b;

	ccctl_buf_init(&b);
	if (ccctl_buf_printf(&b, "%s/%s", dir, name) != 0) {
		ccctl_buf_release(&b);
		return NULL;
	}
	return ccctl_buf_steal(&b, NULL);
}

/* Find each participant's identity and check it is the one the policy
 * lists. */
static int find_identities(struct run *r)
{
	const struct ccctl_policy *p = r->policy;
	const char *env = getenv("CCCTL_IDENTITY_DIR");
	size_t i;
	int rc;

	r->ids = calloc(p->nparticipants, sizeof(*r->ids));
	if (!r->ids)
		return ccctl_err_nomem();
	for (i = 0; i < p->nparticipants; i++) {
		const char *name = p->participants[i].name;
		struct ccctl_key *k = NULL;
		char *cand[2] = {NULL, NULL};
		size_t c;

		cand[0] = malloc(strlen(r->dir) + strlen(name) + 6);
		if (!cand[0])
			return ccctl_err_nomem();
		sprintf(cand[0], "%s/ids/%s", r->dir, name);
		if (env && *env)
			cand[1] = path_join(env, name);
		for (c = 0; c < 2 && !r->ids[i]; c++) {
			char key[4200];
			if (!cand[c])
				continue;
			snprintf(key, sizeof(key), "%s.key", cand[c]);
			if (access(key, F_OK) != 0)
				continue;
			rc = ccctl_identity_load(&k, cand[c]);
			if (rc != 0) {
				free(cand[0]);
				free(cand[1]);
				return rc;
			}
			if (!ccctl_ct_equal(ccctl_key_spki_sha256(k),
					    p->participants[i].spki_sha256, CCCTL_SHA256_LEN)) {
				ccctl_key_free(k);
				rc = ccctl_err_set(
				    CCCTL_EINVAL,
				    "identity \"%s\" is not the key the policy lists for "
				    "\"%s\"",
				    cand[c], name);
				free(cand[0]);
				free(cand[1]);
				return rc;
			}
			ccctl_key_free(k);
			r->ids[i] = cand[c];
			cand[c] = NULL;
		}
		free(cand[0]);
		free(cand[1]);
		if (!r->ids[i])
			return ccctl_err_set(
			    CCCTL_EINVAL,
			    "no identity for participant \"%s\": expected %s/ids/%s.key "
			    "(ccctl run signs and acts for every party)",
			    name, r->dir, name);
	}
	return 0;
}

static int sign_all(struct run *r, const struct ccctl_buf *canonical)
{
	struct ccctl_dsse_envelope *env = NULL;
	struct ccctl_buf out;
	size_t i;
	int rc;

	ccctl_buf_init(&out);
	rc = ccctl_dsse_new(&env, CCCTL_POLICY_PAYLOAD_TYPE, canonical->data, canonical->len);
	for (i = 0; rc == 0 && i < r->policy->nparticipants; i++) {
		struct ccctl_key *k = NULL;
		rc = ccctl_identity_load(&k, r->ids[i]);
		if (rc == 0)
			rc = ccctl_dsse_sign(env, k);
		ccctl_key_free(k);
	}
	if (rc == 0)
		rc = ccctl_dsse_write(&out, env);
	if (rc == 0)
		rc = ccctl_file_write_atomic(r->policy_path, out.data, out.len, 0600);
	ccctl_buf_release(&out);
	ccctl_dsse_free(env);
	return rc;
}

static int session(struct run *r, const char *who, struct cli_session **out)
{
	const struct ccctl_policy_participant *pp = ccctl_policy_find_participant(r->policy, who);
	size_t i;
	int rc;
	double t0;

	if (!pp)
		return ccctl_err_set(CCCTL_EINVAL, "unknown participant \"%s\"", who);
	i = (size_t)(pp - r->policy->participants);
	if (!r->open[i]) {
		t0 = now_s();
		rc = cli_session_open_at(&r->sessions[i], r->dep.endpoint, r->policy_path, NULL,
					 r->ids[i]);
		r->t[P_ATTEST] += now_s() - t0;
		if (rc != 0) {
			cli_session_close(&r->sessions[i]);
			return rc;
		}
		r->open[i] = true;
	}
	*out = &r->sessions[i];
	return 0;
}

static int push_file(struct run *r, const char *who, const char *url, const char *local,
		     const char *what)
{
	struct cli_session *s;
	struct ccctl_buf resp;
	long status = 0;
	FILE *f;
	int rc = session(r, who, &s);
	double t0 = now_s();

	if (rc != 0)
		return rc;
	f = fopen(local, "rb");
	if (!f)
		return ccctl_err_errno(CCCTL_EINVAL, local);
	ccctl_buf_init(&resp);
	rc = cli_session_request(s, "PUT", url, f, NULL, &resp, &status);
	fclose(f);
	if (rc == 0 && status != 201)
		rc = cli_http_error(status, &resp, what);
	ccctl_buf_release(&resp);
	r->t[P_PUSH] += now_s() - t0;
	if (rc == 0)
		cli_info(r->ctx, "%s pushed %s", who, what);
	return rc;
}

static const char *input_local(struct run *r, const char *guest, char *buf, size_t size)
{
	size_t n, i, glen = strlen(guest);
	const char *const *v = cli_opt_all(r->ctx, "input", &n);
	const char *base = strrchr(guest, '/');

	for (i = 0; i < n; i++)
		if (strncmp(v[i], guest, glen) == 0 && v[i][glen] == '=')
			return v[i] + glen + 1;
	snprintf(buf, size, "%s/data/%s", r->dir, base ? base + 1 : guest);
	return buf;
}

/* Results are named by their base name in the output folder: two outputs
 * with the same base name would overwrite each other. */
static int check_output_names(const struct ccctl_policy *p)
{
	size_t i, k;

	for (i = 0; i < p->noutputs; i++) {
		for (k = i + 1; k < p->noutputs; k++) {
			const char *a = strrchr(p->outputs[i].path, '/');
			const char *b = strrchr(p->outputs[k].path, '/');
			if (strcmp(a ? a + 1 : p->outputs[i].path,
				   b ? b + 1 : p->outputs[k].path) == 0)
				return ccctl_err_set(CCCTL_EINVAL,
						     "outputs \"%s\" and \"%s\" have the same file "
						     "name: pull them with ccctl pull -o",
						     p->outputs[i].path, p->outputs[k].path);
		}
	}
	return 0;
}

static int pull_outputs(struct run *r, const char *outdir, struct ccctl_json *results)
{
	const struct ccctl_policy *p = r->policy;
	size_t i;
	int rc = 0;

	if (mkdir(outdir, 0700) != 0 && errno != EEXIST)
		return ccctl_err_errno(CCCTL_EFAIL, outdir);
	for (i = 0; rc == 0 && i < p->noutputs; i++) {
		const struct ccctl_policy_output *o = &p->outputs[i];
		const char *base = strrchr(o->path, '/');
		struct cli_session *s;
		char dst[4200];
		double t0;

		rc = session(r, o->to[0], &s);
		if (rc != 0)
			break;
		snprintf(dst, sizeof(dst), "%s/%s", outdir, base ? base + 1 : o->path);
		t0 = now_s();
		rc = cli_session_pull(s, o->path, dst);
		/* The first pull runs the program. */
		r->t[i == 0 ? P_RUN : P_PULL] += now_s() - t0;
		if (rc == 0) {
			if (!r->ctx->json)
				printf("%s -> %s (read by %s)\n", o->path, dst, o->to[0]);
			else
				rc = ccctl_json_object_set_string(results, o->path, dst);
		}
	}
	return rc;
}

static int report(struct run *r, struct ccctl_json *results)
{
	struct ccctl_json *doc, *times;
	double total = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < P_N; i++)
		total += r->t[i];
	if (!r->ctx->json) {
		if (r->ctx->verbose > 0) {
			for (i = 0; i < P_N; i++)
				fprintf(stderr, "ccctl: %-9s %8.1f ms\n", phase_names[i],
					r->t[i] * 1e3);
			fprintf(stderr, "ccctl: %-9s %8.1f ms\n", "total", total * 1e3);
		}
		ccctl_json_free(results);
		return 0;
	}
	doc = ccctl_json_new_object();
	times = ccctl_json_new_object();
	if (!doc || !times) {
		ccctl_json_free(doc);
		ccctl_json_free(times);
		return ccctl_err_nomem();
	}
	for (i = 0; i < P_N; i++)
		rc |= ccctl_json_object_set_int(times, phase_names[i], (int64_t)(r->t[i] * 1e6));
	rc |= ccctl_json_object_set_int(times, "total", (int64_t)(total * 1e6));
	rc |= ccctl_json_object_set_string(doc, "policy", r->dep.policy_digest);
	rc |= ccctl_json_object_set_string(doc, "backend", "sim");
	rc |= ccctl_json_object_set(doc, "results", results);
	rc |= ccctl_json_object_set(doc, "microseconds", times);
	if (rc == 0)
		rc = cli_print_json(r->ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

static int run_run(struct cli_ctx *ctx)
{
	const char *topo = ctx->argv[0];
	const char *outdir = cli_opt_str(ctx, "output") ? cli_opt_str(ctx, "output") : "results";
	struct ccctl_diags diags;
	struct ccctl_json *results = ccctl_json_new_object();
	struct run r;
	char *copy = NULL, tmpl[] = "/tmp/ccctl-run.XXXXXX", local[4200];
	size_t i, n;
	int rc, trc;
	double t0;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	ccctl_diags_init(&diags);
	if (!results)
		return ccctl_err_nomem();
	/* Every --input names an input of the policy (checked after compile). */
	copy = strdup(topo);
	if (!copy) {
		rc = ccctl_err_nomem();
		goto out;
	}
	r.dir = strdup(dirname(copy));
	t0 = now_s();
	rc = ccctl_topology_compile_file(&r.policy, &diags, topo, cli_runtime_path());
	r.t[P_COMPILE] = now_s() - t0;
	cli_print_diags(ctx, &diags);
	if (rc != 0)
		goto out;
	{
		const char *const *v = cli_opt_all(ctx, "input", &n);
		for (i = 0; i < n; i++) {
			const char *eq = strchr(v[i], '=');
			size_t k;
			bool known = false;
			for (k = 0; eq && k < r.policy->ninputs; k++)
				if (strlen(r.policy->inputs[k].path) == (size_t)(eq - v[i]) &&
				    strncmp(r.policy->inputs[k].path, v[i], (size_t)(eq - v[i])) ==
					0)
					known = true;
			if (!known) {
				rc = cli_usage_error(ctx,
						     "--input \"%s\": expected GUESTPATH=LOCALFILE "
						     "with an input path of the policy",
						     v[i]);
				goto out;
			}
		}
	}
	rc = check_output_names(r.policy);
	if (rc == 0)
		rc = find_identities(&r);
	if (rc != 0)
		goto out;
	/* The signed policy lives in a private folder for the run. */
	r.work = strdup(mkdtemp(tmpl) ? tmpl : "");
	if (!r.work || !*r.work) {
		rc = ccctl_err_errno(CCCTL_EFAIL, "temporary folder");
		goto out;
	}
	snprintf(r.policy_path, sizeof(r.policy_path), "%s/policy.signed.json", r.work);
	t0 = now_s();
	rc = sign_all(&r, &r.policy->canonical);
	r.t[P_SIGN] = now_s() - t0;
	if (rc != 0)
		goto out;

	t0 = now_s();
	{
		char name[64];
		snprintf(name, sizeof(name), "run-%d", (int)getpid());
		rc = cli_deploy(ctx, "sim", r.policy_path, name, &r.dep);
	}
	r.t[P_DEPLOY] = now_s() - t0;
	if (rc != 0)
		goto out;
	r.deployed = true;
	r.sessions = calloc(r.policy->nparticipants, sizeof(*r.sessions));
	r.open = calloc(r.policy->nparticipants, sizeof(*r.open));
	if (!r.sessions || !r.open) {
		rc = ccctl_err_nomem();
		goto out;
	}
	for (i = 0; rc == 0 && i < r.policy->nprograms; i++) {
		const struct ccctl_policy_program *g = &r.policy->programs[i];
		char url[128];
		snprintf(local, sizeof(local), "%s/programs/%s.wasm", r.dir, g->name);
		snprintf(url, sizeof(url), "/v1/programs/%s", g->name);
		rc = push_file(&r, g->provider, url, local, g->name);
	}
	for (i = 0; rc == 0 && i < r.policy->ninputs; i++) {
		const struct ccctl_policy_input *in = &r.policy->inputs[i];
		char url[8192];
		const char *lf = input_local(&r, in->path, local, sizeof(local));
		rc = cli_files_url(url, sizeof(url), in->path);
		if (rc == 0)
			rc = push_file(&r, in->from, url, lf, in->path);
	}
	if (rc == 0)
		rc = pull_outputs(&r, outdir, results);
out:
	if (r.sessions)
		for (i = 0; i < r.policy->nparticipants; i++)
			if (r.open[i])
				cli_session_close(&r.sessions[i]);
	if (r.deployed) {
		char saved[1024];
		snprintf(saved, sizeof(saved), "%s", ccctl_err_msg());
		t0 = now_s();
		trc = cli_teardown(r.dep.name);
		r.t[P_TEARDOWN] = now_s() - t0;
		if (rc == 0)
			rc = trc;
		else
			ccctl_err_set(rc, "%s", saved);
	}
	if (rc == 0) {
		rc = report(&r, results);
		results = NULL;
	}
	if (r.work) {
		unlink(r.policy_path);
		rmdir(r.work);
	}
	ccctl_json_free(results);
	if (r.ids)
		for (i = 0; i < r.policy->nparticipants; i++)
			free(r.ids[i]);
	free(r.ids);
	free(r.sessions);
	free(r.open);
	ccctl_policy_free(r.policy);
	ccctl_diags_release(&diags);
	free(r.dir);
	free(r.work);
	free(copy);
	return rc;
}

const struct cli_cmd cmd_run = {
    .name = "run",
    .args = "TOPOLOGY.yaml",
    .summary = "the whole flow on one machine (sim): compile, sign, deploy, push, pull",
    .opts = run_opts,
    .min_args = 1,
    .max_args = 1,
    .run = run_run,
};
