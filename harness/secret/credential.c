/* credential.c — the credential-name rule (contract: credential.h). */
#include "manta/credential.h"

#include <stddef.h>

/* ASCII lower case; other bytes unchanged (the rule ignores locales). */
static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* 1 when s starts with the lower-case word w, ignoring ASCII case. */
static int starts_with(const char *s, const char *w)
{
    for (; *w; s++, w++)
        if (lower((unsigned char)*s) != (unsigned char)*w)
            return 0;
    return 1;
}

int mh_credential_name(const char *name)
{
    static const char *const words[] = {"secret", "password", "passwd", "token", "credential"};
    for (const char *p = name; p && *p; p++) {
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (starts_with(p, words[i]))
                return 1;
        /* api.?key: "key" right after "api" or after one more byte */
        if (starts_with(p, "api") &&
            (starts_with(p + 3, "key") || (p[3] && starts_with(p + 4, "key"))))
            return 1;
    }
    return 0;
}
