/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-image-build.c - `ccctl image build` and `ccctl image verify`: the
 * reproducible runtime image and its independent rebuild (lib/imgbuild.h).
 *
 *   build   sources (a git revision, or a work tree as it is) -> image,
 *           measurements.json, provenance.json [+ provenance.dsse.json]
 *   verify  rebuild from the named revision and compare with an expected
 *           measurements.json; on a mismatch name what differs (the
 *           artifact, the EIF section, the initramfs member, the objects)
 *           and exit 4, keeping the rebuild for diffoscope
 */
#include "config.h"

#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/gitsrc.h"
#include "lib/identity.h"
#include "lib/imgbuild.h"
#include "lib/measure.h"

#define DEFAULT_OUTDIR "build/image"

static const struct cli_opt build_opts[] = {
    {0, "backend", "B", "the image's backend: sim or nitro", false, true},
    {0, "source", "DIR", "build this folder (with --rev: that revision of its repository)", false,
     false},
    {0, "git", "URL", "build a revision of this repository (URL or path)", false, false},
    {0, "rev", "REV", "the revision to build (default HEAD)", false, false},
    {0, "kernel", "FILE", "nitro: the kernel image to put in the EIF", false, false},
    {'o', "output", "DIR", "where the image goes (default " DEFAULT_OUTDIR ")", false, false},
    {0, "identity", "ID", "also write provenance.dsse.json signed by this identity", false, false},
    {0, "jobs", "N", "compilers run at once (default: the number of CPUs)", false, false},
    {0, "keep", NULL, "keep the temporary work folder and print its path", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static const struct cli_opt verify_opts[] = {
    {0, "backend", "B", "the image's backend: sim or nitro", false, true},
    {0, "source", "DIR", "the repository holding the revision (a work tree)", false, false},
    {0, "git", "URL", "the repository holding the revision (URL or path)", false, false},
    {0, "rev", "REV", "the revision to rebuild", false, true},
    {0, "expect", "FILE", "the measurements.json to reproduce", false, true},
    {0, "kernel", "FILE", "nitro: the kernel image the expected EIF holds", false, false},
    {'o', "output", "DIR", "keep the rebuilt image here (default: a temporary folder)", false,
     false},
    {0, "jobs", "N", "compilers run at once (default: the number of CPUs)", false, false},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static void on_progress(void *arg, const char *msg)
{
	cli_info(arg, "%s", msg);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The options both commands share, into o. */
static int common_opts(struct cli_ctx *ctx, struct ccctl_imgbuild_opts *o)
{
	const char *b = cli_opt_str(ctx, "backend"), *jobs = cli_opt_str(ctx, "jobs");

	memset(o, 0, sizeof(*o));
	if (b && strcmp(b, "sim") == 0)
		o->backend = CCCTL_IMGBUILD_SIM;
	else if (b && strcmp(b, "nitro") == 0)
		o->backend = CCCTL_IMGBUILD_NITRO;
	else if (b && (strcmp(b, "cca") == 0 || strcmp(b, "icecap") == 0))
		return ccctl_err_set(CCCTL_EUNAVAIL,
				     "%s: backend \"%s\" is not supported yet (sim, nitro)",
				     ctx->cmd->name, b);
	else
		return cli_usage_error(ctx, "--backend: expected sim or nitro, found '%s'",
				       b ? b : "");
	o->git = cli_opt_str(ctx, "git");
	o->source = cli_opt_str(ctx, "source");
	o->rev = cli_opt_str(ctx, "rev");
	o->kernel = cli_opt_str(ctx, "kernel");
	if (!!o->git == !!o->source)
		return cli_usage_error(ctx, "expected one of --git URL and --source DIR");
	if (o->backend == CCCTL_IMGBUILD_NITRO && !o->kernel)
		return cli_usage_error(ctx, "--backend nitro needs --kernel FILE");
	if (o->backend == CCCTL_IMGBUILD_SIM && o->kernel)
		return cli_usage_error(ctx, "--kernel applies to --backend nitro only");
	if (jobs) {
		char *end;
		unsigned long n = strtoul(jobs, &end, 10);

		if (*jobs < '1' || *jobs > '9' || *end || n > 64)
			return cli_usage_error(ctx, "--jobs: expected 1 to 64, found '%s'", jobs);
		o->jobs = (unsigned)n;
	}
	o->progress = on_progress;
	o->progress_arg = ctx;
	return 0;
}

static int set_hex(struct ccctl_json *obj, const char *key, const uint8_t *v, size_t len)
{
	char hex[2 * CCCTL_SHA384_LEN + 1];

	ccctl_hex_encode(hex, v, len);
	return ccctl_json_object_set_string(obj, key, hex);
}

/* The result as a JSON document (--json). */
static int result_json(struct ccctl_json **out, const struct ccctl_imgbuild_opts *o,
		       const struct ccctl_imgbuild_result *r)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *m = NULL;
	int rc;

	*out = NULL;
	if (!doc)
		return ccctl_err_nomem();
	if ((rc = ccctl_json_object_set_string(
		 doc, "backend", o->backend == CCCTL_IMGBUILD_NITRO ? "nitro" : "sim")) ||
	    (rc = ccctl_json_object_set_string(doc, "image", r->image)) ||
	    (rc = set_hex(doc, "sha256", r->image_sha256, CCCTL_SHA256_LEN)) ||
	    (rc = ccctl_json_object_set_string(doc, "measurementsFile", r->measurements)) ||
	    (rc = ccctl_json_object_set_string(doc, "provenance", r->provenance)) ||
	    (rc = ccctl_json_object_set_string(doc, "linkage",
					       r->is_static ? "static" : "dynamic")) ||
	    (rc = ccctl_json_object_set_bool(doc, "dirty", r->dirty)) ||
	    (rc = ccctl_json_object_set_int(doc, "sourceDateEpoch", r->source_date_epoch)))
		goto out;
	if (r->src.has_commit && (rc = ccctl_json_object_set_string(doc, "commit", r->src.commit)))
		goto out;
	if (r->provenance_signed &&
	    (rc = ccctl_json_object_set_string(doc, "provenanceSigned", r->provenance_signed)))
		goto out;
	if (r->workdir && (rc = ccctl_json_object_set_string(doc, "workdir", r->workdir)))
		goto out;
	if ((rc = ccctl_measure_to_json(&m, &r->m)))
		goto out;
	rc = ccctl_json_object_set(doc, "measurements", m);
	if (rc)
		goto out;
	*out = doc;
	doc = NULL;
out:
	ccctl_json_free(doc);
	return rc;
}

static void print_result(const struct ccctl_imgbuild_opts *o, const struct ccctl_imgbuild_result *r)
{
	char hex[2 * CCCTL_SHA384_LEN + 1];

	printf("%s (%s, %s)\n", r->image, o->backend == CCCTL_IMGBUILD_NITRO ? "nitro" : "sim",
	       r->is_static ? "static" : "dynamic");
	if (r->src.has_commit)
		printf("  source %s%s\n", r->src.commit, r->dirty ? " (with local changes)" : "");
	else
		printf("  source not a git commit\n");
	if (r->m.has_sim) {
		ccctl_hex_encode(hex, r->m.sim_sha256, CCCTL_SHA256_LEN);
		printf("  sha256 %s\n", hex);
	}
	if (r->m.has_nitro) {
		ccctl_hex_encode(hex, r->m.nitro.pcr0, CCCTL_SHA384_LEN);
		printf("  PCR0 %s\n", hex);
		ccctl_hex_encode(hex, r->m.nitro.pcr1, CCCTL_SHA384_LEN);
		printf("  PCR1 %s\n", hex);
		ccctl_hex_encode(hex, r->m.nitro.pcr2, CCCTL_SHA384_LEN);
		printf("  PCR2 %s\n", hex);
	}
	printf("measurements %s\nprovenance %s\n", r->measurements, r->provenance);
	if (r->provenance_signed)
		printf("signed provenance %s\n", r->provenance_signed);
	if (r->workdir)
		printf("work folder %s\n", r->workdir);
}

static int run_build(struct cli_ctx *ctx)
{
	struct ccctl_imgbuild_result res;
	struct ccctl_imgbuild_opts o;
	struct ccctl_json *doc = NULL;
	struct ccctl_key *key = NULL;
	const char *id = cli_opt_str(ctx, "identity");
	double t0 = now();
	int rc;

	ccctl_imgbuild_result_init(&res);
	if ((rc = common_opts(ctx, &o)))
		goto out;
	o.outdir = cli_opt_str(ctx, "output") ? cli_opt_str(ctx, "output") : DEFAULT_OUTDIR;
	o.keep = cli_opt_given(ctx, "keep");
	if (id && (rc = ccctl_identity_load(&key, id)))
		goto out;
	o.signer = key;
	if ((rc = ccctl_imgbuild_run(&res, &o)))
		goto out;
	if (res.dirty)
		cli_warn(ctx, "the sources are not a clean git commit: the provenance says so, and "
			      "others cannot rebuild this image from a revision");
	cli_info(ctx, "built in %.1f s", now() - t0);
	if (ctx->json) {
		if ((rc = result_json(&doc, &o, &res)))
			goto out;
		rc = cli_print_json(ctx, doc);
	} else {
		print_result(&o, &res);
	}
out:
	ccctl_json_free(doc);
	ccctl_key_free(key);
	ccctl_imgbuild_result_release(&res);
	return rc;
}

/* The verdict of verify as a JSON document. */
static int verify_json(struct cli_ctx *ctx, const struct ccctl_measurements *expected,
		       const struct ccctl_imgbuild_result *r, const char *difference)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *e = NULL, *f = NULL;
	int rc;

	if (!doc)
		return ccctl_err_nomem();
	if ((rc = ccctl_json_object_set_bool(doc, "match", difference == NULL)) ||
	    (rc = ccctl_measure_to_json(&e, expected)) ||
	    (rc = ccctl_json_object_set(doc, "expected", e)) ||
	    (rc = ccctl_measure_to_json(&f, &r->m)) ||
	    (rc = ccctl_json_object_set(doc, "found", f)))
		goto out;
	if (r->src.has_commit && (rc = ccctl_json_object_set_string(doc, "commit", r->src.commit)))
		goto out;
	if (difference && (rc = ccctl_json_object_set_string(doc, "difference", difference)))
		goto out;
	rc = cli_print_json(ctx, doc);
out:
	ccctl_json_free(doc);
	return rc;
}

static int run_verify(struct cli_ctx *ctx)
{
	struct ccctl_measurements expected, want;
	struct ccctl_imgbuild_result res;
	struct ccctl_imgbuild_opts o;
	const char *expect = cli_opt_str(ctx, "expect");
	char *tmp = NULL, *edir = NULL, *detail = NULL, *diff = NULL;
	const char *expect_dir;
	bool nitro;
	int rc;

	ccctl_imgbuild_result_init(&res);
	if ((rc = common_opts(ctx, &o)))
		goto out;
	nitro = o.backend == CCCTL_IMGBUILD_NITRO;
	if ((rc = ccctl_measure_read_file(&expected, expect)))
		goto out;
	memset(&want, 0, sizeof(want));
	if (nitro ? !expected.has_nitro : !expected.has_sim) {
		rc = ccctl_err_set(CCCTL_EINVAL, "\"%s\": no \"%s\" measurements to compare with",
				   expect, nitro ? "nitro" : "sim");
		goto out;
	}
	want.has_nitro = nitro;
	want.nitro = expected.nitro;
	want.has_sim = !nitro;
	memcpy(want.sim_sha256, expected.sim_sha256, CCCTL_SHA256_LEN);
	o.outdir = cli_opt_str(ctx, "output");
	if (!o.outdir) {
		if ((rc = ccctl_gitsrc_tmpdir(&tmp, "verify")))
			goto out;
		o.outdir = tmp;
	}
	if ((rc = ccctl_imgbuild_run(&res, &o)))
		goto out;
	if (ccctl_measure_compare(&want, &res.m) == 0) {
		if (ctx->json)
			rc = verify_json(ctx, &want, &res, NULL);
		else
			printf("reproduced: %s matches %s (commit %s)\n", res.image, expect,
			       res.src.has_commit ? res.src.commit : "none");
		goto out;
	}
	/* a mismatch: say what differs, keep the rebuild */
	if (!(diff = strdup(ccctl_err_msg())) || !(edir = strdup(expect))) {
		rc = ccctl_err_nomem();
		goto out;
	}
	expect_dir = dirname(edir);
	if (ccctl_imgbuild_explain(&detail, o.backend, expect_dir, o.outdir) != 0)
		ccctl_err_clear();
	if (tmp)
		cli_info(ctx, "the rebuilt image is kept in %s", tmp);
	if (access("/usr/bin/diffoscope", X_OK) == 0 ||
	    access("/usr/local/bin/diffoscope", X_OK) == 0)
		cli_info(ctx, "for a byte-level report: diffoscope %s/%s %s", expect_dir,
			 nitro ? CCCTL_IMGBUILD_NITRO_IMAGE : CCCTL_IMGBUILD_SIM_IMAGE, res.image);
	else
		cli_info(ctx,
			 "for a byte-level report install diffoscope and compare the expected "
			 "image with %s",
			 res.image);
	if (tmp) {
		free(tmp); /* kept on purpose */
		tmp = NULL;
	}
	if (ctx->json)
		verify_json(ctx, &want, &res, detail ? detail : diff);
	rc = ccctl_err_set(CCCTL_EVERIFY, "image not reproduced: %s%s%s", diff, detail ? "; " : "",
			   detail ? detail : "");
out:
	if (tmp) {
		ccctl_gitsrc_rmtree(tmp);
		free(tmp);
	}
	free(detail);
	free(diff);
	free(edir);
	ccctl_imgbuild_result_release(&res);
	return rc;
}

const struct cli_cmd cmd_image_build = {
    .name = "image build",
    .args = "",
    .summary = "build the runtime image reproducibly, with measurements and provenance",
    .synopsis = "--backend B (--source DIR | --git URL) [--rev REV] [--kernel FILE] [-o DIR] "
		"[--identity ID] [--jobs N] [--keep] [--json]",
    .opts = build_opts,
    .min_args = 0,
    .max_args = 0,
    .run = run_build,
};

const struct cli_cmd cmd_image_verify = {
    .name = "image verify",
    .args = "",
    .summary = "rebuild the runtime image and compare it with expected measurements",
    .synopsis = "--backend B (--source DIR | --git URL) --rev REV --expect FILE "
		"[--kernel FILE] [-o DIR] [--jobs N] [--json]",
    .opts = verify_opts,
    .min_args = 0,
    .max_args = 0,
    .run = run_verify,
};
