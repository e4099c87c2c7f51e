/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the ccctl command table, option parsing and output conventions.
 *
 * Each command lives in cli/cmd-<name>.c and exports one
 * `const struct cli_cmd cmd_<name>_<sub>` that cli/main.c lists in its
 * commands[] table.  The option table of a command both parses its argv and
 * prints its `-h` usage, so the two cannot disagree; the man pages'
 * SYNOPSIS is tested against that usage line.
 *
 * Common options (-h/--help, -q/--quiet, -v/--verbose) are accepted by every
 * command and need not be listed.  --json is listed by commands that print
 * results (use CLI_OPT_JSON).
 *
 * A command's run() returns 0, a negative ccctl_err code (the message is
 * taken from ccctl_err_msg() and printed by main as "ccctl: <message>"), or
 * a positive exit status it has already explained (e.g. exec's 134).
 */
#ifndef CCCTL_CLI_H
#define CCCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lib/buf.h"
#include "lib/err.h"
#include "lib/json.h"

struct cli_opt {
	int short_name;	       /* e.g. 'o', or 0 if the option has no short form */
	const char *long_name; /* e.g. "output"; required */
	const char *arg;       /* metavar ("FILE") or NULL for a flag */
	const char *help;      /* one line, lowercase */
	bool repeatable;       /* may be given several times (shown as "..." in usage) */
	bool required;	       /* shown without brackets; missing -> usage error */
};

#define CLI_OPT_JSON                                                                               \
	{                                                                                          \
		0, "json", NULL, "print one JSON document on stdout", false, false                 \
	}
#define CLI_OPT_END                                                                                \
	{                                                                                          \
		0, NULL, NULL, NULL, false, false                                                  \
	}

struct cli_ctx;

struct cli_cmd {
	const char *name;    /* "policy compile" */
	const char *args;    /* positional part of the synopsis: "TOPOLOGY.yaml", or "" */
	const char *summary; /* one line for `ccctl -h` */
	/* Optional: the synopsis, if it cannot be derived from opts (groups of
	 * alternatives like "(--deployment N | --endpoint HOST:PORT)").  When
	 * NULL the usage is "ccctl NAME [-x ARG] [--long ARG]... ARGS". */
	const char *synopsis;
	const struct cli_opt *opts; /* terminated by CLI_OPT_END */
	size_t min_args, max_args;  /* positional argument count; max SIZE_MAX = any */
	int (*run)(struct cli_ctx *ctx);
};

/* Parsed state handed to run(). */
struct cli_ctx {
	const struct cli_cmd *cmd;
	int argc; /* positional arguments only */
	char **argv;
	bool json;	   /* --json given */
	int verbose;	   /* -v count minus -q count: <0 quiet, 0 normal, >0 verbose */
	bool color;	   /* stderr is a terminal and NO_COLOR unset */
	bool github;	   /* GITHUB_ACTIONS=true */
	bool json_printed; /* cli_print_json() wrote the document */
	/* private: option values, parallel to cmd->opts */
	struct cli_optval *vals;
};

/* Last value of an option, or NULL if not given. */
const char *cli_opt_str(const struct cli_ctx *ctx, const char *long_name);
/* All values of a repeatable option (borrowed array), count in *n. */
const char *const *cli_opt_all(const struct cli_ctx *ctx, const char *long_name, size_t *n);
/* Whether a flag (or an option with argument) was given. */
bool cli_opt_given(const struct cli_ctx *ctx, const char *long_name);

/* Messages on stderr: "ccctl: " + text (info is suppressed by -q). */
void cli_info(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_error(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print positioned diagnostics as "FILE:LINE:COL: error: message" on stderr,
 * plus GitHub workflow annotations when ctx->github. */
void cli_print_diags(const struct cli_ctx *ctx, const struct ccctl_diags *d);

/* Print an error as a GitHub annotation too (when ctx->github); file may be
 * NULL.  main() already does this for the error a command returns. */
void cli_annotate(const struct cli_ctx *ctx, const char *file, unsigned line, unsigned col,
		  const char *message);

/* Write a JSON document (pretty, trailing newline) to stdout; takes no
 * ownership.  Returns 0 or a negative code.  If a command fails without
 * printing its document, main prints {"error":{"exit":N,"message":"..."}}. */
int cli_print_json(struct cli_ctx *ctx, const struct ccctl_json *doc);

/* Print a usage error for the current command and return CCCTL_EUSAGE. */
int cli_usage_error(const struct cli_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The directory holding templates (CCCTL_TEMPLATE_DIR, else the installed
 * $(pkgdatadir)/templates, else the source tree's templates/ when run from
 * the build tree). Borrowed. */
const char *cli_template_dir(void);

/* Print the usage of cmd ("usage: ccctl ..." and its option list) to f. */
void cli_print_usage(FILE *f, const struct cli_cmd *cmd);

/* Parse argv (argv[0] is the command's last word) for cmd into ctx.
 * Returns 0, CCCTL_EUSAGE (message set), or 1 when -h was given and usage
 * has been printed. */
int cli_parse(struct cli_ctx *ctx, const struct cli_cmd *cmd, int argc, char **argv);
void cli_ctx_release(struct cli_ctx *ctx);

/* The state directory: $CCCTL_STATE_DIR, else $XDG_STATE_HOME/ccctl, else
 * $HOME/.local/state/ccctl (created on demand by callers).  Caller frees. */
char *cli_state_dir(void);

#endif
