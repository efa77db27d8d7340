/* cmd_replay.c — placeholder until the subcommand lands. */
#include "cli.h"

int mh_cmd_replay(int argc, char **argv)
{
    (void)argc;
    mh_cli_error(argv[0], "not implemented yet");
    return MH_EXIT_USAGE;
}
