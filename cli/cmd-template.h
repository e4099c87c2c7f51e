/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-template.h - the templates folder, shared by `ccctl template list`
 * (cli/cmd-template.c, which implements these) and `ccctl init`.
 *
 * A template is a folder cli_template_dir()/NAME holding topology.yaml,
 * README.md, programs/ (C sources, and the .wasm when built), data/ and
 * expected/.  NAME follows the topology name rule [a-z0-9][a-z0-9-]{0,62}.
 */
#ifndef CCCTL_CLI_CMD_TEMPLATE_H
#define CCCTL_CLI_CMD_TEMPLATE_H

#include <stddef.h>

#define CLI_TEMPLATE_NAME_MAX	  63
#define CLI_TEMPLATE_MAX_TOPOLOGY (1024u * 1024) /* bytes of a template's topology */

/* What `ccctl init` and `ccctl template list` need from a template's
 * topology.yaml (read leniently: full validation is `ccctl policy compile`). */
struct cli_template {
	char *name;	     /* the template (folder) name */
	char *dir;	     /* its folder */
	char *description;   /* the topology's description, or NULL */
	char **participants; /* participant names, in file order */
	size_t nparticipants;
	char **programs; /* programs' `wasm:` paths, relative to dir */
	size_t nprograms;
};

/* 1 if name is a well-formed template name, else 0. */
int cli_template_name_ok(const char *name);

/* The names of the templates in cli_template_dir() (folders with a
 * topology.yaml), sorted; free with cli_strv_free().  A missing folder gives
 * an empty list. */
int cli_template_names(char ***out, size_t *n);

/* "a, b, c" for an error message (caller frees), or NULL on out of memory. */
char *cli_template_names_joined(void);

void cli_strv_free(char **v, size_t n);

/*
 * Load template `name` into t (released with cli_template_release(), also
 * after a failure).  CCCTL_EUSAGE if there is no such template (the message
 * lists those there are), CCCTL_EINVAL if its topology cannot be read as
 * documented, CCCTL_EFAIL on I/O errors.
 */
int cli_template_load(struct cli_template *t, const char *name);
void cli_template_release(struct cli_template *t);

#endif
