/* SPDX-License-Identifier: Apache-2.0 */
/*
 * commands.c - the table of ccctl commands.  Each command is defined in
 * cli/cmd-<name>.c; every command listed here must be linked in.
 */
#include "config.h"

#include <stddef.h>

#include "cli/cli.h"

#define CMD(sym)      extern const struct cli_cmd sym
CMD(cmd_init);
CMD(cmd_template_list);
CMD(cmd_identity_new);
CMD(cmd_policy_compile);
CMD(cmd_policy_sign);
CMD(cmd_policy_verify);
CMD(cmd_policy_show);
CMD(cmd_policy_explain);
CMD(cmd_image_build);
CMD(cmd_image_measure);
CMD(cmd_image_verify);
CMD(cmd_deploy);
CMD(cmd_attest);
CMD(cmd_push);
CMD(cmd_pull);
CMD(cmd_status);
CMD(cmd_teardown);
CMD(cmd_run);
CMD(cmd_exec);
CMD(cmd_version);
#undef CMD

/* In the order `ccctl -h` lists them. */
const struct cli_cmd *const cli_commands[] = {
    &cmd_init,		 &cmd_template_list,  &cmd_identity_new,
    &cmd_policy_compile, &cmd_policy_sign,    &cmd_policy_verify,
    &cmd_policy_show,	 &cmd_policy_explain, &cmd_image_build,
    &cmd_image_measure,	 &cmd_image_verify,   &cmd_deploy,
    &cmd_attest,	 &cmd_push,	      &cmd_pull,
    &cmd_status,	 &cmd_teardown,	      &cmd_run,
    &cmd_exec,		 &cmd_version,	      NULL,
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]) - 1;
