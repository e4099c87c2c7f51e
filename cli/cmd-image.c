/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-image.c - `ccctl image measure`: reference measurements of existing
 * runtime images (also ones built by other tools, e.g. nitro-cli).
 *
 *   sim    SHA-256 of the file (the runtime binary)
 *   nitro  the EIF is checked (structure, CRC-32) and PCR0/1/2 printed;
 *          --json prints nitro-cli's {"Measurements":{...}} document
 * Several images: one block of text per image, or with --json a JSON array
 * of the per-image documents.  The first invalid image stops the command
 * (exit 3, the message names the file and what is wrong).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/eif.h"
#include "lib/measure.h"

static const struct cli_opt measure_opts[] = {
    {0, "backend", "B", "the image's backend: sim or nitro", false, true},
    CLI_OPT_JSON,
    CLI_OPT_END,
};

enum image_backend { IMG_SIM, IMG_NITRO };

static int parse_backend(const struct cli_ctx *ctx, enum image_backend *out)
{
	const char *b = cli_opt_str(ctx, "backend");

	if (b && strcmp(b, "sim") == 0)
		*out = IMG_SIM;
	else if (b && strcmp(b, "nitro") == 0)
		*out = IMG_NITRO;
	else if (b && (strcmp(b, "cca") == 0 || strcmp(b, "icecap") == 0))
		return ccctl_err_set(CCCTL_EUNAVAIL,
				     "image measure: backend \"%s\" is not "
				     "supported yet (sim, nitro)",
				     b);
	else
		return cli_usage_error(ctx, "--backend: expected sim or nitro, found '%s'",
				       b ? b : "");
	return 0;
}

static void print_hex_line(const char *key, const uint8_t *v, size_t len)
{
	char hex[2 * CCCTL_SHA384_LEN + 1];

	ccctl_hex_encode(hex, v, len);
	printf("  %s %s\n", key, hex);
}

/* Measure one image; *doc gets its JSON document when want_json. */
static int measure_one(const char *path, enum image_backend backend, bool want_json,
		       struct ccctl_json **doc)
{
	struct ccctl_measurements m;
	struct ccctl_eif_info info;
	int ret;

	memset(&m, 0, sizeof(m));
	*doc = NULL;
	if (backend == IMG_SIM) {
		if ((ret = ccctl_measure_file_sha256(m.sim_sha256, path)))
			return ret;
		m.has_sim = true;
		if (want_json)
			return ccctl_measure_to_json(doc, &m);
		printf("%s\n", path);
		print_hex_line("sha256", m.sim_sha256, CCCTL_SHA256_LEN);
		return 0;
	}
	if ((ret = ccctl_eif_measure_file(&info, &m.nitro, path)))
		return ret;
	if (want_json)
		return ccctl_measure_nitro_cli_json(doc, &m.nitro);
	printf("%s (eif v%u, %s, %zu sections, %zu ramdisk%s%s)\n", path, info.version,
	       info.flags & CCCTL_EIF_FLAG_ARM64 ? "arm64" : "x86_64", info.nsections,
	       info.nramdisks, info.nramdisks == 1 ? "" : "s",
	       info.has_signature ? ", signed" : "");
	print_hex_line("PCR0", m.nitro.pcr0, CCCTL_SHA384_LEN);
	print_hex_line("PCR1", m.nitro.pcr1, CCCTL_SHA384_LEN);
	print_hex_line("PCR2", m.nitro.pcr2, CCCTL_SHA384_LEN);
	return 0;
}

static int run_measure(struct cli_ctx *ctx)
{
	struct ccctl_json *all = NULL, *doc = NULL;
	enum image_backend backend = IMG_SIM;
	int ret;

	if ((ret = parse_backend(ctx, &backend)))
		return ret;
	if (ctx->json && ctx->argc > 1 && !(all = ccctl_json_new_array()))
		return ccctl_err_nomem();
	for (int i = 0; i < ctx->argc; i++) {
		if ((ret = measure_one(ctx->argv[i], backend, ctx->json, &doc)))
			goto out;
		if (all) {
			ret = ccctl_json_array_push(all, doc);
			doc = NULL;
			if (ret)
				goto out;
		}
	}
	if (ctx->json)
		ret = cli_print_json(ctx, all ? all : doc);
out:
	ccctl_json_free(doc);
	ccctl_json_free(all);
	return ret;
}

const struct cli_cmd cmd_image_measure = {
    .name = "image measure",
    .args = "IMAGE...",
    .summary = "print the measurements of existing images",
    .opts = measure_opts,
    .min_args = 1,
    .max_args = SIZE_MAX,
    .run = run_measure,
};
