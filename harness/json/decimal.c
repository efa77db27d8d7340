/* decimal.c — exact decimal arithmetic on number literals (decimal.h):
 * parsing a literal into sign, significant digits and exponent; equality and
 * a hash consistent with it; multipleOf; the int32/int64 range test; and the
 * integer test behind mh_json_is_integer (json_strict.h).
 */
#include "json/decimal.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "manta/json_strict.h"

/* A literal taken apart: value = (-1)^neg x d1.d2d3... x 10^sci, where the
 * significant digits are read in place from the literal (dec_digit). */
typedef struct {
    int ok;             /* 0: no literal, use doubles */
    int neg;            /* sign (ignored for zero) */
    int zero;           /* the value is 0 */
    const char *mant;   /* first char of the mantissa (after '-') */
    size_t intdigits;   /* digits before '.' */
    size_t first, ndig; /* first significant digit index, count (no trailing zeros) */
    long sci;           /* decimal exponent of the first significant digit */
} decnum;

/* The k-th significant digit (0-based), skipping the '.'. */
static int dec_digit(const decnum *d, size_t k)
{
    size_t j = d->first + k;
    return d->mant[j < d->intdigits ? j : j + 1] - '0';
}

/* Takes n's literal apart; .ok is 0 when n has none (or it is not a plain
 * decimal literal). */
static decnum dec_parse(const cJSON *n)
{
    decnum d = {0};
    const char *s = n->valuestring;
    if (!s || !*s)
        return d;
    d.neg = *s == '-';
    d.mant = s + d.neg;
    const char *p = d.mant;
    size_t idx = 0, first = (size_t)-1, last = 0;
    int seen_dot = 0;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            seen_dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return d;
        if (!seen_dot)
            d.intdigits++;
        if (*p != '0') {
            if (first == (size_t)-1)
                first = idx;
            last = idx;
        }
        idx++;
    }
    long exp = 0;
    if (*p) {
        p++;
        int eneg = *p == '-';
        if (*p == '-' || *p == '+')
            p++;
        for (; *p; p++) {
            if (*p < '0' || *p > '9')
                return d;
            if (exp < 100000000L)
                exp = exp * 10 + (*p - '0');
        }
        if (eneg)
            exp = -exp;
    }
    d.ok = 1;
    if (first == (size_t)-1) {
        d.zero = 1;
        return d;
    }
    d.first = first;
    d.ndig = last - first + 1;
    d.sci = exp + (long)d.intdigits - 1 - (long)first;
    return d;
}

int mh__dec_equal(const cJSON *a, const cJSON *b)
{
    decnum x = dec_parse(a), y = dec_parse(b);
    if (!x.ok || !y.ok)
        return a->valuedouble == b->valuedouble;
    if (x.zero || y.zero)
        return x.zero && y.zero;
    if (x.neg != y.neg || x.sci != y.sci || x.ndig != y.ndig)
        return 0;
    for (size_t k = 0; k < x.ndig; k++)
        if (dec_digit(&x, k) != dec_digit(&y, k))
            return 0;
    return 1;
}

/* Significant digits as an integer (at most 19 of them). */
static int dec_mantissa(const decnum *d, uint64_t *out)
{
    if (d->ndig > 19)
        return 0;
    uint64_t v = 0;
    for (size_t k = 0; k < d->ndig; k++)
        v = v * 10 + (uint64_t)dec_digit(d, k);
    *out = v;
    return 1;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)(((unsigned __int128)a * b) % m);
}

static uint64_t pow10mod(long e, uint64_t m)
{
    uint64_t r = 1 % m, base = 10 % m;
    while (e > 0) {
        if (e & 1)
            r = mulmod(r, base, m);
        base = mulmod(base, base, m);
        e >>= 1;
    }
    return r;
}

/* The significant digits of d, as an integer, modulo m. */
static uint64_t dec_mod(const decnum *d, uint64_t m)
{
    uint64_t r = 0;
    for (size_t k = 0; k < d->ndig; k++)
        r = (mulmod(r, 10, m) + (uint64_t)dec_digit(d, k)) % m;
    return r;
}

/* Whether x is an integer multiple of m, exactly on the decimal literals:
 * x = a * 10^ex, m = b * 10^em with integer a, b. 1 multiple, 0 not, -1
 * cannot tell exactly (no literal, or m has more than 19 digits). */
static int multiple_exact(const cJSON *x, const cJSON *m)
{
    decnum dx = dec_parse(x), dm = dec_parse(m);
    uint64_t b;
    if (!dx.ok || !dm.ok || dm.zero)
        return -1;
    if (dx.zero)
        return 1;
    if (!dec_mantissa(&dm, &b))
        return -1;
    long ex = dx.sci - (long)(dx.ndig - 1), em = dm.sci - (long)(dm.ndig - 1);
    if (em > ex) {
        /* x/m = a / (b * 10^(em-ex)): a must be divisible by that */
        unsigned __int128 M = b;
        for (long k = 0; k < em - ex; k++) {
            M *= 10;
            if (M > UINT64_MAX)
                return dx.ndig <= 19 ? 0 : -1; /* a < 10^19 < M */
        }
        return dec_mod(&dx, (uint64_t)M) == 0;
    }
    /* x/m = a * 10^(ex-em) / b */
    return mulmod(dec_mod(&dx, b), pow10mod(ex - em, b), b) == 0;
}

/* The double fallback of mh__dec_multiple_of. */
static int multiple_approx(double x, double m)
{
    double q = x / m;
    if (!isfinite(q) || fabs(q) >= 9007199254740992.0)
        return 1; /* beyond double precision every quotient looks whole */
    double r = fabs(q - nearbyint(q));
    return r <= 8 * 2.220446049250313e-16 * fmax(1.0, fabs(q));
}

uint64_t mh__dec_hash(const cJSON *n)
{
    uint64_t h = 1469598103934665603ULL;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
    decnum d = dec_parse(n);
    if (!d.ok || d.zero) {
        /* no literal: hash the double's bits (0 and -0 alike) */
        double x = n->valuedouble == 0 ? 0.0 : n->valuedouble;
        uint64_t bits = 0;
        if (!d.zero)
            memcpy(&bits, &x, sizeof bits);
        MIX(bits);
        return h;
    }
    MIX(d.neg);
    MIX((uint64_t)d.sci);
    for (size_t k = 0; k < d.ndig; k++)
        MIX(dec_digit(&d, k));
#undef MIX
    return h;
}

int mh__dec_multiple_of(const cJSON *x, const cJSON *m)
{
    int r = multiple_exact(x, m);
    return r < 0 ? multiple_approx(x->valuedouble, m->valuedouble) : r;
}

int mh__dec_int_in_range(const cJSON *n, int bits)
{
    decnum d = dec_parse(n);
    unsigned __int128 lim = ((unsigned __int128)1) << (bits - 1);
    if (!d.ok) {
        double v = n->valuedouble, l = (double)lim;
        return v >= -l && v < l;
    }
    if (d.zero)
        return 1;
    if (d.sci > 19)
        return 0;
    unsigned __int128 v = 0;
    for (long k = 0; k <= d.sci; k++)
        v = v * 10 + (unsigned)((size_t)k < d.ndig ? dec_digit(&d, (size_t)k) : 0);
    return d.neg ? v <= lim : v < lim;
}

/* Exact integer test on a literal: value = digits x 10^(exp - fraction
 * digits); with t trailing zeros stripped from the digits it is an integer iff
 * the digits are all zero or exp - fraction digits + t >= 0. */
static int literal_is_integer(const char *s)
{
    long long frac = 0, zeros = 0, exp = 0;
    int nonzero = 0, in_frac = 0, eneg = 0;
    if (*s == '-')
        s++;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            in_frac = 1;
            continue;
        }
        if (*s < '0' || *s > '9')
            return 0;
        frac += in_frac;
        zeros = *s == '0' ? zeros + 1 : 0;
        nonzero |= *s != '0';
    }
    if (*s) {
        s++;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        for (; *s >= '0' && *s <= '9'; s++)
            if (exp < 1000000000000000LL) /* saturate: far beyond any literal length */
                exp = exp * 10 + (*s - '0');
    }
    if (!nonzero)
        return 1;
    return (eneg ? -exp : exp) - frac + zeros >= 0;
}

/* Public (json_strict.h): here because it is the same exact judgement on the
 * literal as the rest of this file. */
int mh_json_is_integer(const cJSON *num)
{
    if (!num || (num->type & 0xFF) != cJSON_Number)
        return 0;
    if (num->valuestring)
        return literal_is_integer(num->valuestring);
    double d = num->valuedouble;
    return isfinite(d) && floor(d) == d;
}
