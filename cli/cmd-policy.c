/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-policy.c - `ccctl policy compile`, `policy show` and `policy explain`.
 *
 * compile turns a topology into a policy file (canonical bytes, nothing
 * added, so `sha256sum` of the file is the digest) and prints the digest;
 * show prints a policy or a signed policy for people (or as JSON); explain
 * prints the information flow each participant is asked to consent to.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/dsse.h"
#include "lib/policy.h"
#include "lib/topology.h"
#include "lib/units.h"

#define DEFAULT_OUTPUT "policy.json"

/* ---- compile ---------------------------------------------------------- */

static const struct cli_opt compile_opts[] = {
    {'o', "output", "POLICY.json", "write the policy here (default ./" DEFAULT_OUTPUT ")", false,
     false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static int run_compile(struct cli_ctx *ctx)
{
	const char *topology = ctx->argv[0];
	const char *output = cli_opt_str(ctx, "output");
	/* The sim measurement: $CCCTL_RUNTIME's (an error if it cannot be
	 * read), else the installed runtime's, else none (with a warning). */
	const char *runtime = getenv("CCCTL_RUNTIME");
	struct ccctl_policy *p = NULL;
	struct ccctl_json *doc = NULL;
	struct ccctl_diags diags;
	char digest[72];
	size_t warnings;
	int rc;

	ccctl_diags_init(&diags);
	if (!output)
		output = DEFAULT_OUTPUT;
	if (!runtime || !*runtime)
		runtime = access(LIBEXECDIR "/ccctl-runtime", R_OK) == 0 ? LIBEXECDIR
			      "/ccctl-runtime"
									 : NULL;
	rc = ccctl_topology_compile_file(&p, &diags, topology, runtime);
	cli_print_diags(ctx, &diags);
	if (rc)
		goto out;
	rc = ccctl_file_write_atomic(output, p->canonical.data, p->canonical.len, 0644);
	if (rc)
		goto out;
	ccctl_policy_digest_str(digest, p);
	warnings = diags.n - diags.errors;
	if (!ctx->json) {
		printf("%s\n", digest);
		cli_info(ctx, "wrote %s (policy \"%s\", %zu participant%s, %zu warning%s)", output,
			 p->name, p->nparticipants, p->nparticipants == 1 ? "" : "s", warnings,
			 warnings == 1 ? "" : "s");
		goto out;
	}
	doc = ccctl_json_new_object();
	if (!doc) {
		rc = ccctl_err_nomem();
		goto out;
	}
	rc = ccctl_json_object_set_string(doc, "digest", digest);
	if (!rc)
		rc = ccctl_json_object_set_string(doc, "name", p->name);
	if (!rc)
		rc = ccctl_json_object_set_string(doc, "output", output);
	if (!rc)
		rc = ccctl_json_object_set_int(doc, "warnings", (int64_t)warnings);
	if (!rc)
		rc = cli_print_json(ctx, doc);
out:
	ccctl_json_free(doc);
	ccctl_policy_free(p);
	ccctl_diags_release(&diags);
	return rc;
}

const struct cli_cmd cmd_policy_compile = {
    .name = "policy compile",
    .args = "TOPOLOGY.yaml",
    .summary = "validate a topology and compile it into a policy",
    .opts = compile_opts,
    .min_args = 1,
    .max_args = 1,
    .run = run_compile,
};

/* ---- loading a policy or a signed policy ------------------------------ */

/* Parse POLICY (bare or a DSSE envelope); *nsigs is the number of
 * signatures (-1 for a bare policy). */
static int load_policy(struct ccctl_policy **out, long *nsigs, const char *path)
{
	struct ccctl_dsse_envelope *env = NULL;
	bool bare = false;
	char msg[512];
	int rc;

	*out = NULL;
	rc = ccctl_dsse_load_file(&env, &bare, path);
	if (rc)
		goto out;
	if (strcmp(env->payload_type, CCCTL_POLICY_PAYLOAD_TYPE) != 0) {
		rc = ccctl_err_set(CCCTL_EINVAL, "\"%s\": payload type \"%s\" is not a policy (%s)",
				   path, env->payload_type, CCCTL_POLICY_PAYLOAD_TYPE);
		goto out;
	}
	rc = ccctl_policy_parse(out, env->payload.data, env->payload.len);
	if (rc) {
		snprintf(msg, sizeof(msg), "%s", ccctl_err_msg());
		rc = ccctl_err_set(rc, "\"%s\": %s", path, msg);
		goto out;
	}
	*nsigs = bare ? -1 : (long)env->nsigs;
out:
	ccctl_dsse_free(env);
	return rc;
}

/* ---- show ------------------------------------------------------------- */

static const struct cli_opt show_opts[] = {
    CLI_OPT_JSON,
    CLI_OPT_END,
};

/* "64MiB", "1GiB", "1000B": the largest exact unit. */
static void fmt_size(char *out, size_t n, uint64_t v)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB"};
	int u = 0;

	while (u < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	snprintf(out, n, "%llu%s", (unsigned long long)v, units[u]);
}

/* Free text from a policy (description, arguments): control characters
 * are shown as \xNN, never sent to the terminal. */
static void put_text(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

static void print_list(const char *label, char *const *v, size_t n)
{
	size_t i;

	printf("%s", label);
	for (i = 0; i < n; i++) {
		printf("%s", i ? ", " : "");
		put_text(v[i]);
	}
	printf("%s\n", n ? "" : "(none)");
}

static void show_text(const struct ccctl_policy *p, long nsigs)
{
	char hex[65], size[32], digest[72];
	size_t i, j;

	ccctl_policy_digest_str(digest, p);
	printf("policy %s\ndigest %s\n", p->name, digest);
	if (p->description) {
		printf("description: ");
		put_text(p->description);
		printf("\n");
	}
	if (p->expires)
		printf("expires: %s\n", p->expires);
	if (nsigs >= 0)
		printf("signatures: %ld (run `ccctl policy verify` to check them)\n", nsigs);
	printf("participants:\n");
	for (i = 0; i < p->nparticipants; i++) {
		ccctl_hex_encode(hex, p->participants[i].spki_sha256, 32);
		printf("  %-16s key sha256:%s\n", p->participants[i].name, hex);
	}
	printf("programs:\n");
	for (i = 0; i < p->nprograms; i++) {
		const struct ccctl_policy_program *g = &p->programs[i];

		ccctl_hex_encode(hex, g->sha256, 32);
		printf("  %-16s from %s, sha256:%s\n", g->name, g->provider, hex);
		if (g->nargs)
			print_list("    args: ", g->args, g->nargs);
		print_list("    reads: ", g->reads, g->nreads);
		print_list("    writes: ", g->writes, g->nwrites);
	}
	printf("inputs:\n");
	for (i = 0; i < p->ninputs; i++) {
		const struct ccctl_policy_input *in = &p->inputs[i];

		fmt_size(size, sizeof(size), in->max_size);
		printf("  %s from %s, at most %s", in->path, in->from, size);
		if (in->has_sha256) {
			ccctl_hex_encode(hex, in->sha256, 32);
			printf(", sha256:%s", hex);
		}
		printf("\n");
	}
	printf("outputs:\n");
	for (i = 0; i < p->noutputs; i++) {
		printf("  %s by %s, ", p->outputs[i].path, p->outputs[i].program);
		print_list("to ", p->outputs[i].to, p->outputs[i].nto);
	}
	fmt_size(size, sizeof(size), p->limits.memory);
	printf("limits: memory %s, fuel %llu, timeout %llus, ", size,
	       (unsigned long long)p->limits.fuel, (unsigned long long)p->limits.timeout_s);
	fmt_size(size, sizeof(size), p->limits.max_input);
	printf("max_input %s\n", size);
	printf("options: clock %s, random %s\n", p->options.clock ? "true" : "false",
	       p->options.random ? "true" : "false");
	printf("backends:\n");
	for (i = 0; i < p->nbackends; i++) {
		const struct ccctl_policy_backend *b = &p->backends[i];

		printf("  %s", b->name);
		if (!b->nmeasurements)
			printf(" (no reference measurement: any runtime)");
		for (j = 0; j < b->nmeasurements; j++)
			printf("%s%s=%s", j ? ", " : " ", b->measurements[j].key,
			       b->measurements[j].value);
		printf("\n");
	}
	printf("consent: %llu of ", (unsigned long long)p->consent.threshold);
	print_list("", p->consent.signers, p->consent.nsigners);
}

static int run_show(struct cli_ctx *ctx)
{
	struct ccctl_policy *p = NULL;
	struct ccctl_json *doc = NULL;
	long nsigs = -1;
	int rc;

	rc = load_policy(&p, &nsigs, ctx->argv[0]);
	if (rc)
		goto out;
	if (!ctx->json) {
		show_text(p, nsigs);
		goto out;
	}
	rc = ccctl_policy_to_json(&doc, p);
	if (!rc)
		rc = cli_print_json(ctx, doc);
out:
	ccctl_json_free(doc);
	ccctl_policy_free(p);
	return rc;
}

const struct cli_cmd cmd_policy_show = {
    .name = "policy show",
    .args = "POLICY",
    .summary = "print a policy or a signed policy",
    .opts = show_opts,
    .min_args = 1,
    .max_args = 1,
    .run = run_show,
};

/* ---- explain ---------------------------------------------------------- */

static const struct cli_opt explain_opts[] = {
    {0, "format", "text|json|dot", "output format (default text)", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

/*
 * The information flow.  reach[g] is the set of inputs whose content can
 * influence what program g writes: the inputs its reads cover, plus
 * (transitively) whatever any program writing where g reads can see.  The
 * over-approximation is deliberate: this is what people consent to.
 */
struct flow {
	const struct ccctl_policy *p;
	uint8_t *reach; /* nprograms x ninputs booleans */
};

static bool rights_overlap(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (ccctl_units_paths_overlap(a[i], b[j]))
				return true;
	return false;
}

static int flow_init(struct flow *f, const struct ccctl_policy *p)
{
	size_t ni = p->ninputs ? p->ninputs : 1, g, h, i;
	bool changed = true;

	f->p = p;
	if (p->nprograms > SIZE_MAX / ni)
		return ccctl_err_nomem();
	f->reach = calloc(p->nprograms * ni, 1);
	if (!f->reach)
		return ccctl_err_nomem();
	for (g = 0; g < p->nprograms; g++)
		for (i = 0; i < p->ninputs; i++)
			f->reach[g * ni + i] =
			    ccctl_policy_program_reads(&p->programs[g], p->inputs[i].path);
	while (changed) {
		changed = false;
		for (g = 0; g < p->nprograms; g++) {
			const struct ccctl_policy_program *pg = &p->programs[g];

			for (h = 0; h < p->nprograms; h++) {
				const struct ccctl_policy_program *ph = &p->programs[h];

				if (h == g ||
				    !rights_overlap(ph->writes, ph->nwrites, pg->reads, pg->nreads))
					continue;
				for (i = 0; i < p->ninputs; i++) {
					if (f->reach[h * ni + i] && !f->reach[g * ni + i]) {
						f->reach[g * ni + i] = 1;
						changed = true;
					}
				}
			}
		}
	}
	return 0;
}

static bool flow_reaches(const struct flow *f, size_t prog, size_t input)
{
	return f->reach[prog * f->p->ninputs + input] != 0;
}

static size_t program_index(const struct ccctl_policy *p, const char *name)
{
	return (size_t)(ccctl_policy_find_program(p, name) - p->programs);
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void explain_text(const struct flow *f)
{
	const struct ccctl_policy *p = f->p;
	char digest[72];
	size_t a, i, o;

	ccctl_policy_digest_str(digest, p);
	printf("policy %s (%s)\n", p->name, digest);
	for (a = 0; a < p->nparticipants; a++) {
		const char *me = p->participants[a].name;
		bool any = false;

		printf("\n%s\n  gives:\n", me);
		for (i = 0; i < p->nprograms; i++) {
			if (strcmp(p->programs[i].provider, me) == 0) {
				printf("    program %s\n", p->programs[i].name);
				any = true;
			}
		}
		for (i = 0; i < p->ninputs; i++) {
			if (strcmp(p->inputs[i].from, me) == 0) {
				printf("    input %s\n", p->inputs[i].path);
				any = true;
			}
		}
		if (!any)
			printf("    nothing\n");
		any = false;
		printf("  receives:\n");
		for (o = 0; o < p->noutputs; o++) {
			if (in_list(p->outputs[o].to, p->outputs[o].nto, me)) {
				printf("    %s from program %s\n", p->outputs[o].path,
				       p->outputs[o].program);
				any = true;
			}
		}
		if (!any)
			printf("    nothing\n");
		any = false;
		printf("  can learn from:\n");
		for (o = 0; o < p->noutputs; o++) {
			const struct ccctl_policy_output *out = &p->outputs[o];
			size_t g = program_index(p, out->program);

			if (!in_list(out->to, out->nto, me))
				continue;
			for (i = 0; i < p->ninputs; i++) {
				if (!flow_reaches(f, g, i) || strcmp(p->inputs[i].from, me) == 0)
					continue;
				printf("    %s's %s through program %s (in %s)\n",
				       p->inputs[i].from, p->inputs[i].path, out->program,
				       out->path);
				any = true;
			}
		}
		if (!any)
			printf("    no other party's data\n");
	}
}

/* Sticky-error JSON helpers. */
static struct ccctl_json *jpush_obj(struct ccctl_json *arr, int *rc)
{
	struct ccctl_json *o;

	if (*rc)
		return NULL;
	o = ccctl_json_new_object();
	if (!o) {
		*rc = ccctl_err_nomem();
		return NULL;
	}
	*rc = ccctl_json_array_push(arr, o);
	return *rc ? NULL : o;
}

static struct ccctl_json *jset_arr(struct ccctl_json *obj, const char *key, int *rc)
{
	struct ccctl_json *a;

	if (*rc || !obj)
		return NULL;
	a = ccctl_json_new_array();
	if (!a) {
		*rc = ccctl_err_nomem();
		return NULL;
	}
	*rc = ccctl_json_object_set(obj, key, a);
	return *rc ? NULL : a;
}

static void jset_str(struct ccctl_json *obj, const char *key, const char *s, int *rc)
{
	if (!*rc && obj)
		*rc = ccctl_json_object_set_string(obj, key, s);
}

static void jpush_str(struct ccctl_json *arr, const char *s, int *rc)
{
	struct ccctl_json *v;

	if (*rc || !arr)
		return;
	v = ccctl_json_new_string(s);
	*rc = v ? ccctl_json_array_push(arr, v) : ccctl_err_nomem();
}

static int explain_json(struct cli_ctx *ctx, const struct flow *f)
{
	const struct ccctl_policy *p = f->p;
	struct ccctl_json *doc = ccctl_json_new_object(), *parts;
	char digest[72];
	size_t a, i, o;
	int rc = doc ? 0 : ccctl_err_nomem();

	ccctl_policy_digest_str(digest, p);
	jset_str(doc, "name", p->name, &rc);
	jset_str(doc, "digest", digest, &rc);
	parts = jset_arr(doc, "participants", &rc);
	for (a = 0; a < p->nparticipants && !rc; a++) {
		const char *me = p->participants[a].name;
		struct ccctl_json *pj = jpush_obj(parts, &rc);
		struct ccctl_json *gp, *gi, *recv, *fl;

		jset_str(pj, "name", me, &rc);
		gp = jset_arr(pj, "gives_programs", &rc);
		gi = jset_arr(pj, "gives_inputs", &rc);
		recv = jset_arr(pj, "receives", &rc);
		fl = jset_arr(pj, "flows", &rc);
		for (i = 0; i < p->nprograms; i++)
			if (strcmp(p->programs[i].provider, me) == 0)
				jpush_str(gp, p->programs[i].name, &rc);
		for (i = 0; i < p->ninputs; i++)
			if (strcmp(p->inputs[i].from, me) == 0)
				jpush_str(gi, p->inputs[i].path, &rc);
		for (o = 0; o < p->noutputs && !rc; o++) {
			const struct ccctl_policy_output *out = &p->outputs[o];
			size_t g = program_index(p, out->program);
			struct ccctl_json *r;

			if (!in_list(out->to, out->nto, me))
				continue;
			r = jpush_obj(recv, &rc);
			jset_str(r, "path", out->path, &rc);
			jset_str(r, "program", out->program, &rc);
			for (i = 0; i < p->ninputs && !rc; i++) {
				struct ccctl_json *e;

				if (!flow_reaches(f, g, i))
					continue;
				e = jpush_obj(fl, &rc);
				jset_str(e, "from", p->inputs[i].from, &rc);
				jset_str(e, "input", p->inputs[i].path, &rc);
				jset_str(e, "program", out->program, &rc);
				jset_str(e, "output", out->path, &rc);
			}
		}
	}
	if (!rc)
		rc = cli_print_json(ctx, doc);
	ccctl_json_free(doc);
	return rc;
}

/* A DOT string: quoted, with '"' and '\' escaped. */
static void dot_id(const char *prefix, const char *s)
{
	printf("\"%s", prefix);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void dot_edge(const char *pa, const char *a, const char *pb, const char *b,
		     const char *attrs)
{
	printf("  ");
	dot_id(pa, a);
	printf(" -> ");
	dot_id(pb, b);
	printf("%s;\n", attrs);
}

static void dot_node(const char *prefix, const char *s, const char *shape)
{
	printf("  ");
	dot_id(prefix, s);
	printf(" [label=");
	dot_id("", s);
	printf(", shape=%s];\n", shape);
}

static void explain_dot(const struct flow *f)
{
	const struct ccctl_policy *p = f->p;
	size_t i, j;

	printf("digraph ");
	dot_id("", p->name);
	printf(" {\n  rankdir=LR;\n");
	for (i = 0; i < p->nparticipants; i++)
		dot_node("p:", p->participants[i].name, "box");
	for (i = 0; i < p->nprograms; i++)
		dot_node("g:", p->programs[i].name, "ellipse");
	for (i = 0; i < p->ninputs; i++)
		dot_node("i:", p->inputs[i].path, "note");
	for (i = 0; i < p->noutputs; i++)
		dot_node("o:", p->outputs[i].path, "note");
	for (i = 0; i < p->nprograms; i++) {
		const struct ccctl_policy_program *g = &p->programs[i];

		dot_edge("p:", g->provider, "g:", g->name, " [style=dashed, label=\"provides\"]");
		for (j = 0; j < p->nprograms; j++)
			if (j != i && rights_overlap(g->writes, g->nwrites, p->programs[j].reads,
						     p->programs[j].nreads))
				dot_edge("g:", g->name, "g:", p->programs[j].name,
					 " [style=dotted]");
	}
	for (i = 0; i < p->ninputs; i++) {
		dot_edge("p:", p->inputs[i].from, "i:", p->inputs[i].path, "");
		for (j = 0; j < p->nprograms; j++)
			if (ccctl_policy_program_reads(&p->programs[j], p->inputs[i].path))
				dot_edge("i:", p->inputs[i].path, "g:", p->programs[j].name, "");
	}
	for (i = 0; i < p->noutputs; i++) {
		dot_edge("g:", p->outputs[i].program, "o:", p->outputs[i].path, "");
		for (j = 0; j < p->outputs[i].nto; j++)
			dot_edge("o:", p->outputs[i].path, "p:", p->outputs[i].to[j], "");
	}
	printf("}\n");
}

static int run_explain(struct cli_ctx *ctx)
{
	const char *format = cli_opt_str(ctx, "format");
	struct ccctl_policy *p = NULL;
	struct flow f = {NULL, NULL};
	long nsigs;
	int rc;

	if (!format)
		format = ctx->json ? "json" : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "dot") != 0)
		return cli_usage_error(ctx, "unknown format \"%s\" (expected text, json or dot)",
				       format);
	rc = load_policy(&p, &nsigs, ctx->argv[0]);
	if (!rc)
		rc = flow_init(&f, p);
	if (rc)
		goto out;
	if (strcmp(format, "json") == 0)
		rc = explain_json(ctx, &f);
	else if (strcmp(format, "dot") == 0)
		explain_dot(&f);
	else
		explain_text(&f);
out:
	free(f.reach);
	ccctl_policy_free(p);
	return rc;
}

const struct cli_cmd cmd_policy_explain = {
    .name = "policy explain",
    .args = "POLICY",
    .summary = "explain who gives, receives and can learn what",
    .opts = explain_opts,
    .min_args = 1,
    .max_args = 1,
    .run = run_explain,
};
