/* fuzz_util.c — helpers shared by the fuzz targets (see fuzz_util.h). */
#include "fuzz_util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mh_fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz property violated: %s\n", file, line, what);
    __builtin_trap();
}

char *mh_fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

const char *mh_fuzz_contract_path(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("MH_FUZZ_SPEC");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = '\0';
        char *slash = strrchr(path, '/');
        const char *name = "manta-openapi.json";
        if (slash && (size_t)(slash + 1 - path) + strlen(name) < sizeof path) {
            strcpy(slash + 1, name);
            if (readable(path))
                return path;
        }
    }
#ifdef MH_SOURCE_CONTRACT
    return MH_SOURCE_CONTRACT;
#else
    return "contracts/manta-openapi.json";
#endif
}
