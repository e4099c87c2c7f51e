/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.c - option parsing from a command's option table, usage, messages.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

struct cli_optval {
	size_t n;
	const char **vals;
};

/* Options every command accepts; not shown in the synopsis. */
static const struct cli_opt common_opts[] = {
    {'h', "help", NULL, "show this help", false, false},
    {'q', "quiet", NULL, "print less", true, false},
    {'v', "verbose", NULL, "print more", true, false},
    CLI_OPT_END,
};

static size_t opt_count(const struct cli_opt *opts)
{
	size_t n = 0;

	while (opts && opts[n].long_name)
		n++;
	return n;
}

static void usage_line(FILE *f, const struct cli_cmd *cmd)
{
	const struct cli_opt *o;

	if (cmd->synopsis) {
		fprintf(f, "usage: ccctl %s %s\n", cmd->name, cmd->synopsis);
		return;
	}
	fprintf(f, "usage: ccctl %s", cmd->name);
	for (o = cmd->opts; o && o->long_name; o++) {
		const char *open = o->required ? "" : "[";
		const char *close = o->required ? "" : "]";
		if (o->short_name)
			fprintf(f, " %s-%c", open, o->short_name);
		else
			fprintf(f, " %s--%s", open, o->long_name);
		if (o->arg)
			fprintf(f, " %s", o->arg);
		fprintf(f, "%s%s", close, o->repeatable ? "..." : "");
	}
	if (cmd->args && *cmd->args)
		fprintf(f, " %s", cmd->args);
	fputc('\n', f);
}

static void opt_help(FILE *f, const struct cli_opt *o)
{
	char left[64];

	if (o->short_name)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->long_name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", o->long_name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	fprintf(f, "  %-28s %s\n", left, o->help);
}

void cli_print_usage(FILE *f, const struct cli_cmd *cmd)
{
	const struct cli_opt *o;

	usage_line(f, cmd);
	if (cmd->summary)
		fprintf(f, "\n%s\n", cmd->summary);
	fputs("\noptions:\n", f);
	for (o = cmd->opts; o && o->long_name; o++)
		opt_help(f, o);
	for (o = common_opts; o->long_name; o++)
		opt_help(f, o);
	fprintf(f, "\nsee ccctl-%.*s(1)\n", (int)strcspn(cmd->name, " "), cmd->name);
}

int cli_parse(struct cli_ctx *ctx, const struct cli_cmd *cmd, int argc, char **argv)
{
	size_t nopts = opt_count(cmd->opts), ncommon = opt_count(common_opts), i;
	struct option *longopts = NULL;
	char shortopts[2 * 64 + 4];
	size_t sp = 0;
	int rc = CCCTL_EUSAGE, c, idx;

	ctx->cmd = cmd;
	ctx->vals = calloc(nopts + 1, sizeof(*ctx->vals));
	longopts = calloc(nopts + ncommon + 1, sizeof(*longopts));
	if (!ctx->vals || !longopts) {
		rc = ccctl_err_nomem();
		goto out;
	}
	shortopts[sp++] = ':'; /* report a missing argument as ':' */
	for (i = 0; i < nopts + ncommon; i++) {
		const struct cli_opt *o = i < nopts ? &cmd->opts[i] : &common_opts[i - nopts];
		longopts[i].name = o->long_name;
		longopts[i].has_arg = o->arg ? required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = (int)(0x1000 + i);
		if (o->short_name && sp + 3 < sizeof(shortopts)) {
			shortopts[sp++] = (char)o->short_name;
			if (o->arg)
				shortopts[sp++] = ':';
		}
	}
	shortopts[sp] = '\0';

	optind = 0; /* GNU: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct cli_opt *o = NULL;
		size_t k = SIZE_MAX;

		if (c == '?') {
			if (optopt)
				rc = ccctl_err_set(CCCTL_EUSAGE, "unknown option '-%c'", optopt);
			else
				rc = ccctl_err_set(CCCTL_EUSAGE, "unknown option '%s'",
						   argv[optind - 1]);
			goto out;
		}
		if (c == ':') {
			rc = ccctl_err_set(CCCTL_EUSAGE, "option '%s' needs an argument",
					   argv[optind - 1]);
			goto out;
		}
		if (c >= 0x1000) {
			k = (size_t)(c - 0x1000);
		} else {
			for (i = 0; i < nopts + ncommon; i++) {
				const struct cli_opt *p =
				    i < nopts ? &cmd->opts[i] : &common_opts[i - nopts];
				if (p->short_name == c) {
					k = i;
					break;
				}
			}
		}
		if (k == SIZE_MAX)
			continue;
		if (k >= nopts) {
			o = &common_opts[k - nopts];
			if (o->short_name == 'h') {
				cli_print_usage(stdout, cmd);
				rc = 1;
				goto out;
			} else if (o->short_name == 'q') {
				ctx->verbose--;
			} else if (o->short_name == 'v') {
				ctx->verbose++;
			}
			continue;
		}
		o = &cmd->opts[k];
		if (ctx->vals[k].n > 0 && !o->repeatable && o->arg) {
			rc = ccctl_err_set(CCCTL_EUSAGE, "option '--%s' given more than once",
					   o->long_name);
			goto out;
		}
		{
			const char **nv =
			    realloc(ctx->vals[k].vals, (ctx->vals[k].n + 1) * sizeof(*nv));
			if (!nv) {
				rc = ccctl_err_nomem();
				goto out;
			}
			ctx->vals[k].vals = nv;
			nv[ctx->vals[k].n++] = o->arg ? optarg : "";
		}
		if (strcmp(o->long_name, "json") == 0)
			ctx->json = true;
	}
	for (i = 0; i < nopts; i++) {
		if (cmd->opts[i].required && ctx->vals[i].n == 0) {
			rc = ccctl_err_set(CCCTL_EUSAGE, "option '--%s' is required",
					   cmd->opts[i].long_name);
			goto out;
		}
	}
	ctx->argc = argc - optind;
	ctx->argv = argv + optind;
	if ((size_t)ctx->argc < cmd->min_args) {
		rc = ccctl_err_set(CCCTL_EUSAGE, "missing argument%s%s",
				   cmd->args && *cmd->args ? ": expected " : "",
				   cmd->args ? cmd->args : "");
		goto out;
	}
	if ((size_t)ctx->argc > cmd->max_args) {
		rc = ccctl_err_set(CCCTL_EUSAGE, "unexpected argument '%s'",
				   ctx->argv[cmd->max_args]);
		goto out;
	}
	rc = 0;
out:
	free(longopts);
	return rc;
}

void cli_ctx_release(struct cli_ctx *ctx)
{
	size_t i, n;

	if (!ctx || !ctx->vals)
		return;
	n = ctx->cmd ? opt_count(ctx->cmd->opts) : 0;
	for (i = 0; i < n; i++)
		free(ctx->vals[i].vals);
	free(ctx->vals);
	ctx->vals = NULL;
}

static const struct cli_optval *find_val(const struct cli_ctx *ctx, const char *long_name)
{
	size_t i, n = opt_count(ctx->cmd->opts);

	for (i = 0; i < n; i++)
		if (strcmp(ctx->cmd->opts[i].long_name, long_name) == 0)
			return &ctx->vals[i];
	return NULL;
}

const char *cli_opt_str(const struct cli_ctx *ctx, const char *long_name)
{
	const struct cli_optval *v = find_val(ctx, long_name);

	return v && v->n ? v->vals[v->n - 1] : NULL;
}

const char *const *cli_opt_all(const struct cli_ctx *ctx, const char *long_name, size_t *n)
{
	const struct cli_optval *v = find_val(ctx, long_name);

	*n = v ? v->n : 0;
	return v ? v->vals : NULL;
}

bool cli_opt_given(const struct cli_ctx *ctx, const char *long_name)
{
	const struct cli_optval *v = find_val(ctx, long_name);

	return v && v->n > 0;
}

static void vmessage(const struct cli_ctx *ctx, const char *label, const char *colour,
		     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void vmessage(const struct cli_ctx *ctx, const char *label, const char *colour,
		     const char *fmt, va_list ap)
{
	fputs("ccctl: ", stderr);
	if (label) {
		if (ctx && ctx->color)
			fprintf(stderr, "\033[%sm%s:\033[0m ", colour, label);
		else
			fprintf(stderr, "%s: ", label);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_info(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx && ctx->verbose < 0)
		return;
	va_start(ap, fmt);
	vmessage(ctx, NULL, NULL, fmt, ap);
	va_end(ap);
}

void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, "warning", "33", fmt, ap);
	va_end(ap);
}

void cli_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(ctx, "error", "31", fmt, ap);
	va_end(ap);
}

int cli_usage_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ccctl_err_set(CCCTL_EUSAGE, "%s", msg);
}

/* GitHub workflow commands need %, CR and LF escaped in the message and
 * also ',' and ':' in properties. */
static void gh_escape(FILE *f, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

static void annotate(const char *kind, const char *file, unsigned line, unsigned col,
		     const char *message)
{
	fprintf(stdout, "::%s", kind);
	if (file) {
		fputs(" file=", stdout);
		gh_escape(stdout, file, true);
		if (line)
			fprintf(stdout, ",line=%u", line);
		if (col)
			fprintf(stdout, ",col=%u", col);
	}
	fputs("::", stdout);
	gh_escape(stdout, message, false);
	fputc('\n', stdout);
	fflush(stdout);
}

void cli_annotate(const struct cli_ctx *ctx, const char *file, unsigned line, unsigned col,
		  const char *message)
{
	if (ctx && ctx->github)
		annotate("error", file, line, col, message);
}

void cli_print_diags(const struct cli_ctx *ctx, const struct ccctl_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ccctl_diag *g = &d->items[i];
		const char *label = g->level == CCCTL_DIAG_ERROR ? "error" : "warning";
		const char *colour = g->level == CCCTL_DIAG_ERROR ? "31" : "33";

		if (g->level == CCCTL_DIAG_WARNING && ctx && ctx->verbose < 0)
			continue;
		if (g->file && g->line)
			fprintf(stderr, "%s:%u:%u: ", g->file, g->line, g->col);
		else if (g->file)
			fprintf(stderr, "%s: ", g->file);
		if (ctx && ctx->color)
			fprintf(stderr, "\033[%sm%s:\033[0m %s\n", colour, label, g->message);
		else
			fprintf(stderr, "%s: %s\n", label, g->message);
		if (ctx && ctx->github)
			annotate(g->level == CCCTL_DIAG_ERROR ? "error" : "warning", g->file,
				 g->line, g->col, g->message);
	}
}

int cli_print_json(struct cli_ctx *ctx, const struct ccctl_json *doc)
{
	struct ccctl_buf b;
	int rc;

	ccctl_buf_init(&b);
	rc = ccctl_json_write_pretty(&b, doc);
	if (rc == 0) {
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
			rc = ccctl_err_errno(CCCTL_EFAIL, "stdout");
		else if (ctx)
			ctx->json_printed = true;
	}
	ccctl_buf_release(&b);
	return rc;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_template_dir(void)
{
	const char *env = getenv("CCCTL_TEMPLATE_DIR");

	if (env && *env)
		return env;
	if (is_dir(PKGDATADIR "/templates"))
		return PKGDATADIR "/templates";
	return ABS_TOP_SRCDIR "/templates";
}

char *cli_state_dir(void)
{
	const char *env = getenv("CCCTL_STATE_DIR"), *home;
	struct ccctl_buf b;

	ccctl_buf_init(&b);
	if (env && *env) {
		if (ccctl_buf_append_str(&b, env) != 0)
			goto fail;
	} else if ((env = getenv("XDG_STATE_HOME")) && *env == '/') {
		if (ccctl_buf_printf(&b, "%s/ccctl", env) != 0)
			goto fail;
	} else if ((home = getenv("HOME")) && *home) {
		if (ccctl_buf_printf(&b, "%s/.local/state/ccctl", home) != 0)
			goto fail;
	} else {
		ccctl_err_set(CCCTL_EFAIL, "no state directory: set CCCTL_STATE_DIR or HOME");
		goto fail;
	}
	return ccctl_buf_steal(&b, NULL);
fail:
	ccctl_buf_release(&b);
	return NULL;
}
