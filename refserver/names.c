/* names.c — business rules for the name property and media-type matching. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"
#include "refserver_int.h"

#define NAME_MAX_CODE_POINTS 100

/* Decodes one code point at s, a NUL-terminated string from mh_json_parse:
 * valid UTF-8 (util/utf8.h), except that U+0000 arrives as C0 80 ("modified
 * UTF-8"). Stores its byte length in *n. A stray byte (not reachable from the
 * parser) is taken as one code point of its own value. */
static uint32_t decode(const unsigned char *s, size_t *n)
{
    uint32_t c;
    if (s[0] == 0xC0 && s[1] == 0x80) {
        *n = 2;
        return 0;
    }
    /* 4 is safe to pass: a NUL is never a continuation byte, so decoding
     * stops at the terminator */
    if ((*n = mh__utf8_decode(s, 4, &c)) != 0)
        return c;
    *n = 1;
    return s[0];
}

/* Unicode White_Space. */
static int is_space(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000;
}

static int is_control(uint32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

int mh__name_check(const char *s, const char **start, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, i = 0;
    while (p[i] && is_space(decode(p + i, &n)))
        i += n;
    size_t first = i, end = i, points = 0, points_at_end = 0;
    int control = 0;
    while (p[i]) {
        uint32_t c = decode(p + i, &n);
        i += n;
        points++;
        if (!is_space(c)) {
            end = i;
            points_at_end = points;
        }
    }
    /* controls are judged inside the trimmed name only: leading/trailing
     * \t \n \r are white space and were trimmed */
    for (size_t j = first; j < end; j += n)
        control |= is_control(decode(p + j, &n));
    *start = s + first;
    *len = end - first;
    if (points_at_end < 1 || points_at_end > NAME_MAX_CODE_POINTS)
        return 1;
    return control ? 2 : 0;
}

int mh__has_cjk(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    for (size_t i = 0; i < len; i += n) {
        uint32_t c = decode(p + i, &n);
        if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
            (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
            (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f))
            return 1;
    }
    return 0;
}

int mh__is_json_media(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (strncasecmp(ct, want, sizeof want - 1) != 0)
        return 0;
    ct += sizeof want - 1;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}
