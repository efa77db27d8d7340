/* cmd_token.c — `manta-harness token`: print an HS256 JWT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_common.h"
#include "manta/jwt.h"

static void token_usage(FILE *out)
{
    fprintf(out, "usage: manta-harness token --jwt-key KEY --bot-id ID [--ttl SECONDS]\n"
                 "\nPrints an HS256 JWT with claims botId, iat and exp (= now + ttl).\n\n"
                 "  --jwt-key KEY   HMAC key (env MANTA_JWT_KEY; prefer the env: argv is visible)\n"
                 "  --bot-id ID     botId claim (env MANTA_BOT_ID)\n"
                 "  --ttl SECONDS   lifetime, default 3600\n"
                 "  --help          this text\n");
}

int mh_cmd_token(int argc, char **argv)
{
    const char *key = getenv("MANTA_JWT_KEY"), *bot = getenv("MANTA_BOT_ID");
    long long ttl = 3600;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            token_usage(stdout);
            return MH_EXIT_OK;
        }
        if (i + 1 >= argc || mh_cli_value_is_option(argv[i + 1]) ||
            (strcmp(a, "--jwt-key") != 0 && strcmp(a, "--bot-id") != 0 &&
             strcmp(a, "--ttl") != 0)) {
            char name[64]; /* only the name: an "=value" may be a secret */
            mh_cli_error(argv[0], "%s: unknown option or missing value (see --help)",
                         mh_cli_opt_name(a, name, sizeof name));
            return MH_EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--jwt-key") == 0) {
            key = v;
        } else if (strcmp(a, "--bot-id") == 0) {
            bot = v;
        } else {
            char *end;
            errno = 0;
            ttl = strtoll(v, &end, 10);
            if (errno || *end || end == v || ttl <= 0 || ttl > 100LL * 365 * 86400) {
                mh_cli_error(argv[0], "--ttl: expected a positive number of seconds");
                return MH_EXIT_USAGE;
            }
        }
    }
    if (!key || !key[0]) {
        mh_cli_error(argv[0], "--jwt-key (or MANTA_JWT_KEY) is required");
        return MH_EXIT_USAGE;
    }
    if (!bot || !bot[0]) {
        mh_cli_error(argv[0], "--bot-id (or MANTA_BOT_ID) is required");
        return MH_EXIT_USAGE;
    }
    long long now = (long long)time(NULL);
    char *tok = mh_jwt_mint(key, strlen(key), bot, now, now + ttl);
    if (!tok) {
        mh_cli_error(argv[0], "out of memory");
        return MH_EXIT_UNREACHABLE;
    }
    printf("%s\n", tok);
    free(tok);
    return MH_EXIT_OK;
}
