/* format.c — the string formats of OpenAPI 3.0 that are checked: date-time,
 * date and time (RFC 3339, leap seconds only at 23:59:60 UTC), email
 * (dot-atom@hostname), uuid, uri (absolute, RFC 3986 characters), ipv4 (no
 * leading zeros), ipv6 (inet_pton) and byte (padded standard base64). The
 * numeric formats int32/int64 are judged by the validator on the literal.
 */
#include "schema/schema_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

mh__format mh__format_lookup(const char *name)
{
    static const struct {
        const char *name;
        mh__format kind;
    } fmts[] = {{"date-time", MH__F_DATETIME}, {"date", MH__F_DATE},  {"time", MH__F_TIME},
                {"email", MH__F_EMAIL},        {"uuid", MH__F_UUID},  {"uri", MH__F_URI},
                {"ipv4", MH__F_IPV4},          {"ipv6", MH__F_IPV6},  {"byte", MH__F_BYTE},
                {"int32", MH__F_INT32},        {"int64", MH__F_INT64}};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
        if (strcmp(name, fmts[i].name) == 0)
            return fmts[i].kind;
    return MH__F_NONE;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int is_date(const char *s)
{
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int y = num2(s) * 100 + num2(s + 2), m = num2(s + 5), d = num2(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* partial-time time-offset; returns 1 when s is exactly that. */
static int is_time(const char *s)
{
    if (!digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' || !digits(s + 6, 2))
        return 0;
    if (num2(s) > 23 || num2(s + 3) > 59 || num2(s + 6) > 60)
        return 0;
    int leap = num2(s + 6) == 60, minute = num2(s) * 60 + num2(s + 3);
    s += 8;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    /* RFC 3339 5.7: a leap second (:60) only ends the UTC day, 23:59:60Z. */
    if ((*s == 'Z' || *s == 'z') && !s[1])
        return !leap || minute == 23 * 60 + 59;
    if ((*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) && !s[6]) {
        if (num2(s + 1) > 23 || num2(s + 4) > 59)
            return 0;
        int offset = (num2(s + 1) * 60 + num2(s + 4)) * (*s == '-' ? -1 : 1);
        return !leap || ((minute - offset) % 1440 + 1440) % 1440 == 23 * 60 + 59;
    }
    return 0;
}

static int is_datetime(const char *s)
{
    if (strlen(s) < 11 || (s[10] != 'T' && s[10] != 't'))
        return 0;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    return is_date(date) && is_time(s + 11);
}

static int atext(int c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int is_hostname(const char *s, const char *end)
{
    if (s == end || end - s > 253)
        return 0;
    const char *label = s;
    for (const char *p = s; p <= end; p++) {
        if (p == end || *p == '.') {
            size_t n = (size_t)(p - label);
            if (n == 0 || n > 63 || label[0] == '-' || p[-1] == '-')
                return 0;
            label = p + 1;
        } else if (!isalnum((unsigned char)*p) && *p != '-') {
            return 0;
        }
    }
    return 1;
}

static int is_email(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s || at - s > 64)
        return 0;
    for (const char *p = s; p < at; p++) {
        if (*p == '.') {
            if (p == s || p + 1 == at || p[1] == '.')
                return 0;
        } else if (!atext((unsigned char)*p)) {
            return 0;
        }
    }
    return is_hostname(at + 1, at + 1 + strlen(at + 1));
}

static int is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return 0;
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

static int is_uri(const char *s)
{
    if (!isalpha((unsigned char)*s))
        return 0;
    const char *p = s + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return 0;
    for (p++; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return 0;
            p += 2;
        } else if (!(isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=", c))) {
            return 0;
        }
    }
    return 1;
}

static int is_ipv4(const char *s)
{
    for (int part = 0; part < 4; part++) {
        if (!isdigit((unsigned char)*s))
            return 0;
        int v = 0, n = 0;
        const char *start = s;
        while (isdigit((unsigned char)*s) && n < 4) {
            v = v * 10 + (*s++ - '0');
            n++;
        }
        if (n > 3 || v > 255 || (n > 1 && *start == '0'))
            return 0;
        if (part < 3 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

static int is_ipv6(const char *s)
{
    unsigned char buf[16];
    return strlen(s) < 64 && inet_pton(AF_INET6, s, buf) == 1;
}

static int is_base64(const char *s)
{
    size_t n = strlen(s), pad = 0;
    if (n % 4)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad || !(isalnum(c) || c == '+' || c == '/'))
            return 0;
    }
    return pad <= 2;
}

int mh__format_string_ok(mh__format f, const char *s)
{
    switch (f) {
    case MH__F_DATETIME:
        return is_datetime(s);
    case MH__F_DATE:
        return strlen(s) == 10 && is_date(s);
    case MH__F_TIME:
        return is_time(s);
    case MH__F_EMAIL:
        return is_email(s);
    case MH__F_UUID:
        return is_uuid(s);
    case MH__F_URI:
        return is_uri(s);
    case MH__F_IPV4:
        return is_ipv4(s);
    case MH__F_IPV6:
        return is_ipv6(s);
    case MH__F_BYTE:
        return is_base64(s);
    default:
        return 1;
    }
}
