/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - `ccctl [global options] <command> [<subcommand>] [options] [args]`.
 *
 * Finds the command in cli_commands[], parses its options, runs it, and is
 * the one place that turns an error into a message and an exit status.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

extern const struct cli_cmd *const cli_commands[];
extern const size_t cli_ncommands;

static void print_commands(FILE *f)
{
	size_t i;

	fputs("usage: ccctl [-h] [-q] [-v] [--json] <command> [<subcommand>] [options] [args]\n\n"
	      "commands:\n",
	      f);
	for (i = 0; i < cli_ncommands; i++)
		if (cli_commands[i])
			fprintf(f, "  %-18s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\n'ccctl <command> -h' shows a command's options; see ccctl(1)\n", f);
}

/* How many words of name ("policy compile") match argv[0..]. */
static bool name_matches(const char *name, int argc, char **argv, int *words)
{
	int w = 0;

	while (*name) {
		size_t len = strcspn(name, " ");
		if (w >= argc || strlen(argv[w]) != len || strncmp(name, argv[w], len) != 0)
			return false;
		w++;
		name += len;
		while (*name == ' ')
			name++;
	}
	*words = w;
	return true;
}

static const struct cli_cmd *find_command(int argc, char **argv, int *words)
{
	size_t i;

	for (i = 0; i < cli_ncommands; i++)
		if (cli_commands[i] && name_matches(cli_commands[i]->name, argc, argv, words))
			return cli_commands[i];
	return NULL;
}

/* A group ("policy") is the first word of several commands. */
static bool list_group(FILE *f, const char *group)
{
	size_t i, glen = strlen(group);
	bool any = false;

	for (i = 0; i < cli_ncommands; i++) {
		const struct cli_cmd *c = cli_commands[i];
		if (c && strncmp(c->name, group, glen) == 0 && c->name[glen] == ' ') {
			if (!any)
				fprintf(f, "ccctl %s: subcommands:\n", group);
			fprintf(f, "  %-18s %s\n", c->name, c->summary);
			any = true;
		}
	}
	return any;
}

static void json_error(int status, const char *message)
{
	struct ccctl_json *doc = ccctl_json_new_object(), *err = ccctl_json_new_object();

	if (doc && err && ccctl_json_object_set_int(err, "exit", status) == 0 &&
	    ccctl_json_object_set_string(err, "message", message) == 0 &&
	    ccctl_json_object_set(doc, "error", err) == 0) {
		err = NULL;
		cli_print_json(NULL, doc);
	}
	ccctl_json_free(err);
	ccctl_json_free(doc);
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx;
	const struct cli_cmd *cmd;
	const char *gh = getenv("GITHUB_ACTIONS"), *nc = getenv("NO_COLOR");
	int i = 1, words = 0, rc, status;
	bool global_json = false;
	char *msg = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ctx.color = isatty(STDERR_FILENO) && !(nc && *nc);
	ctx.github = gh && strcmp(gh, "true") == 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_commands(stdout);
			return 0;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			ctx.verbose--;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			ctx.verbose++;
		} else if (strcmp(a, "--json") == 0) {
			global_json = true;
		} else if (strcmp(a, "--version") == 0) {
			argv[i] = (char *)"version";
			break;
		} else {
			fprintf(stderr, "ccctl: error: unknown global option '%s'\n", a);
			print_commands(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		print_commands(stderr);
		return 2;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 >= argc) {
			print_commands(stdout);
			return 0;
		}
		cmd = find_command(argc - i - 1, argv + i + 1, &words);
		if (cmd) {
			cli_print_usage(stdout, cmd);
			return 0;
		}
		if (list_group(stdout, argv[i + 1]))
			return 0;
		fprintf(stderr, "ccctl: error: unknown command '%s'\n", argv[i + 1]);
		return 2;
	}
	cmd = find_command(argc - i, argv + i, &words);
	if (!cmd) {
		if (list_group(stderr, argv[i])) {
			if (i + 1 < argc && argv[i + 1][0] != '-')
				fprintf(stderr, "ccctl: error: unknown subcommand '%s %s'\n",
					argv[i], argv[i + 1]);
			else if (i + 1 < argc && (strcmp(argv[i + 1], "-h") == 0 ||
						  strcmp(argv[i + 1], "--help") == 0))
				return 0;
			else
				fprintf(stderr, "ccctl: error: '%s' needs a subcommand\n", argv[i]);
		} else {
			fprintf(stderr, "ccctl: error: unknown command '%s' (see 'ccctl -h')\n",
				argv[i]);
		}
		return 2;
	}
	/* Options start after the command words; argv[0] of the command is its
	 * last word. */
	i += words - 1;
	rc = cli_parse(&ctx, cmd, argc - i, argv + i);
	if (rc == 1) {
		cli_ctx_release(&ctx);
		return 0;
	}
	if (global_json)
		ctx.json = true;
	if (rc == 0)
		rc = cmd->run(&ctx);

	if (rc < 0) {
		status = -rc;
		msg = strdup(*ccctl_err_msg() ? ccctl_err_msg() : "failed");
		if (!msg) {
			fputs("ccctl: error: out of memory\n", stderr);
		} else {
			cli_error(&ctx, "%s", msg);
			if (status == 2)
				fprintf(stderr, "ccctl: see 'ccctl %s -h'\n", cmd->name);
			if (status == 3 || status == 4)
				cli_annotate(&ctx, NULL, 0, 0, msg);
			if (ctx.json && !ctx.json_printed)
				json_error(status, msg);
		}
	} else {
		status = rc;
	}
	free(msg);
	cli_ctx_release(&ctx);
	if (fflush(stdout) != 0 && status == 0) {
		perror("ccctl: stdout");
		status = 1;
	}
	return status;
}
