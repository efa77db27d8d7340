/* main.c — manta-harness: dispatch to a subcommand. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef MH_VERSION
#define MH_VERSION "0.0.0"
#endif

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"run", mh_cmd_run, "run the conformance suite against a target (default: embedded server)"},
    {"validate", mh_cmd_validate, "validate a JSON document against a schema or a response"},
    {"serve", mh_cmd_serve, "run the reference server of the endpoint"},
    {"token", mh_cmd_token, "print an HS256 JWT"},
    {"fuzz", mh_cmd_fuzz, "network-fuzz the operation"},
    {"replay", mh_cmd_replay, "re-send one saved case and re-check it"},
    {"merge-reports", mh_cmd_merge_reports, "combine shard JSON reports into one"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: manta-harness <command> [options]\n"
                 "       manta-harness <command> --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nexit status: 0 ok, 1 findings or invalid, 2 usage/spec/config error,\n"
                 "             3 target unreachable or internal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return MH_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return MH_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("manta-harness %s\n", MH_VERSION);
        return MH_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "manta-harness: unknown command '%s' (see manta-harness --help)\n", argv[1]);
    return MH_EXIT_USAGE;
}
