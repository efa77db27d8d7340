/* credential.c — the credential-name rule, and the names, encodings and
 * redaction of configured scheme credentials (contract: credential.h). */
#include "manta/credential.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

char *mh_credential_api_key_var(const char *scheme, char *buf, size_t n)
{
    static const char prefix[] = "MANTA_API_KEY_";
    size_t at = 0;
    for (const char *p = prefix; *p && at + 1 < n; p++)
        buf[at++] = *p;
    for (const unsigned char *p = (const unsigned char *)(scheme ? scheme : ""); *p && at + 1 < n;
         p++) {
        unsigned char c = *p >= 'a' && *p <= 'z' ? (unsigned char)(*p - 32) : *p;
        int keep = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        buf[at++] = keep ? (char)c : '_';
    }
    buf[at] = '\0';
    return buf;
}

char *mh_credential_basic_b64(const char *user_pass)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (!user_pass)
        return NULL;
    const unsigned char *s = (const unsigned char *)user_pass;
    size_t n = strlen(user_pass);
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        *o++ = abc[(v >> 18) & 63];
        *o++ = abc[(v >> 12) & 63];
        *o++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? abc[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

int mh_credential_redact_api_key(mh_redactor *r, const char *scheme, const char *value)
{
    char var[160];
    var[0] = '$';
    mh_credential_api_key_var(scheme, var + 1, sizeof var - 1);
    return mh_redactor_add(r, value, var);
}

int mh_credential_redact_basic(mh_redactor *r, const char *user_pass)
{
    if (!user_pass || !*user_pass)
        return 0;
    char *b64 = mh_credential_basic_b64(user_pass);
    const char *colon = strchr(user_pass, ':');
    int rc = b64 ? 0 : -1;
    rc |= mh_redactor_add(r, user_pass, MH_PLACEHOLDER_BASIC);
    rc |= mh_redactor_add(r, b64, MH_PLACEHOLDER_BASIC_B64);
    rc |= mh_redactor_add(r, colon ? colon + 1 : NULL, MH_PLACEHOLDER_BASIC_PASSWORD);
    free(b64);
    return rc ? -1 : 0;
}
