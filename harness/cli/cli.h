/* cli.h — the subcommands of manta-harness. Each takes the arguments after
 * its own name (argv[0] is the subcommand name) and returns the process exit
 * status (DESIGN.md: 0 ok, 1 findings/invalid, 2 usage/spec/config, 3
 * unreachable/internal). Only the CLI prints; the engine returns values. */
#ifndef MH_CLI_H
#define MH_CLI_H

enum { MH_EXIT_OK = 0, MH_EXIT_FINDINGS = 1, MH_EXIT_USAGE = 2, MH_EXIT_UNREACHABLE = 3 };

int mh_cmd_run(int argc, char **argv);
int mh_cmd_validate(int argc, char **argv);
int mh_cmd_serve(int argc, char **argv);
int mh_cmd_token(int argc, char **argv);
int mh_cmd_fuzz(int argc, char **argv);
int mh_cmd_replay(int argc, char **argv);
int mh_cmd_merge_reports(int argc, char **argv);

/* Defined in cmd_common.c, so main.c only dispatches.
 * The bundled contract: the build-tree copy when it exists,
 * else the installed copy. Borrowed static string. */
const char *mh_cli_default_spec(void);

/* Prints "manta-harness <cmd>: message" to stderr. */
void mh_cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
