/* json_strict.c — single-pass, iterative RFC 8259 parser that builds cJSON trees.
 *
 * The parser is a small state machine over an explicit frame stack (inline for
 * shallow documents, heap beyond), so nesting depth never touches the C stack.
 * Every node is linked into the tree as soon as it exists, so on any error one
 * cJSON_Delete of the root frees everything. Line and column are computed only
 * when an error is reported. Also here: the small tree helpers of
 * json_strict.h (member lookup, duplication, quoting, error description);
 * exact judgements on number literals (mh_json_is_integer) are in decimal.c.
 *
 * This is the hot path of bench/validate, so its inner loops (the
 * word-at-a-time string scan, the UTF-8 check of the fast path) are written
 * out here rather than called from util/; see utf8_seq.
 */
#include "manta/json_strict.h"

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

/* Bytes that end the fast path inside a string: C0 controls, '"', '\\' and
 * every non-ASCII byte (validated as UTF-8 one sequence at a time). */
static const unsigned char str_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 (DEL is allowed) */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x80 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x90 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xA0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xB0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xC0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xD0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xE0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xF0 */
};

/* Objects with more members than this get their names in the hash set;
 * smaller ones are checked by a linear walk, which is cheaper at that size. */
#define LINEAR_KEYS 8
#define INLINE_FRAMES 32
#define INLINE_SCRATCH 512

typedef struct {
    cJSON *node;   /* the open array or object */
    cJSON *tail;   /* last child, for O(1) appends */
    size_t count;  /* children so far */
    uint32_t id;   /* key-set id once the object is hashed, else 0 */
    int is_object; /* 1 for '{', 0 for '[' */
} frame;

typedef struct {
    const char *key; /* borrowed: becomes a member's ->string */
    uint32_t hash;
    uint32_t id; /* 0 marks an empty slot */
} kslot;

typedef struct {
    kslot *slots;
    size_t cap; /* power of two */
    size_t used;
} keyset;

/* What the parser expects next. */
typedef enum {
    W_VALUE,        /* a value (top level or after ':') */
    W_ARRAY_FIRST,  /* a value or ']' right after '[' */
    W_ARRAY_NEXT,   /* a value after ',' in an array */
    W_OBJECT_FIRST, /* a name or '}' right after '{' */
    W_OBJECT_NEXT,  /* a name after ',' in an object */
    W_AFTER         /* ',' or a closing bracket, or the end at top level */
} want;

typedef struct {
    const unsigned char *b;
    size_t len;
    size_t pos;
    want want;
    cJSON *root;
    /* A parsed member name waiting for its value: borrowed, in the input or
     * (when it had escapes) at the start of scratch; NULL when none. */
    const char *key;
    size_t key_len;
    size_t key_scratch; /* scratch bytes the pending name occupies */
    uint32_t key_hash;  /* its hash, when its object is hashed */
    frame *stack;       /* inline_frames, or deep.p once deeper than INLINE_FRAMES */
    mh__buf deep;
    int depth;
    int cap;
    int max_depth;
    uint32_t next_id;
    size_t comma; /* offset of the last ',' (for trailing_comma) */
    keyset set;
    char *scratch; /* decoded strings; never shorter than the input, so a
                    * decoded name and the decoded value after it both fit */
    char decimal;  /* the locale's decimal point, 0 until looked up */
    mh_json_error *err;
    frame inline_frames[INLINE_FRAMES];
    char inline_scratch[INLINE_SCRATCH];
} parser;

/* ---- errors ---------------------------------------------------------- */

static mh_json_rule fail(parser *p, mh_json_rule rule, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static mh_json_rule fail(parser *p, mh_json_rule rule, size_t off, const char *fmt, ...)
{
    if (p->err) {
        p->err->rule = rule;
        p->err->offset = off;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
        va_end(ap);
    }
    return rule;
}

/* Writes a byte for a message: the character when printable ASCII. */
static const char *show_byte(unsigned char c, char buf[8])
{
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "0x%02X", c);
    return buf;
}

/* Length of the valid UTF-8 sequence at s (s[0] >= 0x80), 0 when invalid:
 * stray continuation, overlong, UTF-16 surrogate, above U+10FFFF, truncated.
 * The same rule as mh__utf8_seq_len (util/utf8.h), kept here on purpose: it
 * runs once per non-ASCII character of every string in the fast path
 * (parse_string), where an out-of-line call into another file would cost
 * more than the check itself (bench/validate). The slow and error paths call
 * util/utf8 instead. */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c < 0xF5) {
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* Reports the byte at off, which the grammar does not allow there. A NUL,
 * invalid UTF-8 or a BOM is named as such whatever the context; anything
 * else breaks rule `fallback` with message `what`. */
static mh_json_rule bad_byte(parser *p, size_t off, mh_json_rule fallback, const char *what)
{
    char sb[8];
    if (off >= p->len)
        return fail(p, MH_JSON_E_EOF, off, "input ends early: %s", what);
    unsigned char c = p->b[off];
    if (c == 0)
        return fail(p, MH_JSON_E_NUL, off, "raw NUL byte");
    if (c >= 0x80) {
        if (off == 0 && p->len >= 3 && memcmp(p->b, "\xEF\xBB\xBF", 3) == 0)
            return fail(p, MH_JSON_E_BOM, 0, "byte-order mark before the value");
        if (mh__utf8_seq_len(p->b + off, p->len - off) == 0)
            return fail(p, MH_JSON_E_UTF8, off, "invalid UTF-8 byte 0x%02X", c);
    }
    return fail(p, fallback, off, "%s, found %s", what, show_byte(c, sb));
}

/* ---- tree building --------------------------------------------------- */

static int set_put(keyset *s, uint32_t id, const char *key, uint32_t hash);

/* One cJSON_malloc block holds the node, its member name (the pending key)
 * and its value text (val[0..vlen) when has_val: a string value or a number
 * literal), each NUL-terminated. cJSON_StringIsConst keeps cJSON_Delete from
 * freeing the name on its own, cJSON_IsReference the value text (set only on
 * scalars: a container's children must still be deleted), so freeing the
 * node frees all of it. */
static cJSON *new_node(parser *p, int type, const void *val, size_t vlen, int has_val)
{
    size_t klen = p->key ? p->key_len + 1 : 0;
    cJSON *item = cJSON_malloc(sizeof *item + klen + (has_val ? vlen + 1 : 0));
    if (!item)
        return NULL;
    memset(item, 0, sizeof *item);
    char *o = (char *)(item + 1);
    item->type = type;
    if (p->key) {
        memcpy(o, p->key, p->key_len);
        o[p->key_len] = '\0';
        item->string = o;
        item->type |= cJSON_StringIsConst;
        o += klen;
    }
    if (has_val) {
        memcpy(o, val, vlen);
        o[vlen] = '\0';
        item->valuestring = o;
        item->type |= cJSON_IsReference;
    }
    return item;
}

/* Links item as the last child of the open container (or as the root);
 * cJSON keeps the last child in child->prev, which we keep up to date. A
 * member of a hashed object enters the key set now that its name has its
 * final address (is_duplicate reserved the room). */
static void attach(parser *p, cJSON *item)
{
    if (p->depth == 0) {
        p->root = item;
        return;
    }
    frame *f = &p->stack[p->depth - 1];
    if (p->key && f->id)
        set_put(&p->set, f->id, item->string, p->key_hash);
    p->key = NULL;
    p->key_scratch = 0;
    if (!f->tail) {
        f->node->child = item;
        item->prev = item;
    } else {
        f->tail->next = item;
        item->prev = f->tail;
        f->node->child->prev = item;
    }
    f->tail = item;
    f->count++;
}

/* Doubles the frame stack. The first time, the frames move from
 * inline_frames into p->deep, an mh__buf used as the frame array (its length
 * is the capacity in bytes). -1 when out of memory (the stack is unchanged). */
static int grow_frames(parser *p)
{
    size_t bytes = (size_t)p->cap * sizeof(frame);
    if (p->stack == p->inline_frames)
        mh__buf_add(&p->deep, p->inline_frames, bytes);
    if (!mh__buf_reserve(&p->deep, bytes))
        return -1;
    mh__buf_commit(&p->deep, bytes);
    p->stack = (frame *)(void *)p->deep.p;
    p->cap *= 2;
    return 0;
}

static mh_json_rule push(parser *p, cJSON *node, int is_object)
{
    if (p->depth == p->cap && grow_frames(p) < 0)
        return fail(p, MH_JSON_E_NOMEM, p->pos, "out of memory");
    frame *f = &p->stack[p->depth++];
    f->node = node;
    f->tail = NULL;
    f->count = 0;
    f->id = 0;
    f->is_object = is_object;
    return MH_JSON_OK;
}

/* ---- duplicate member names ------------------------------------------ */

static uint32_t hash_key(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* 1 when the NUL-terminated s equals k[0..n) (k holds no NUL byte, so the
 * walk stops at the end of a shorter s). */
static int key_eq(const char *s, const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != k[i])
            return 0;
    return s[n] == '\0';
}

static size_t slot_of(uint32_t hash, uint32_t id, size_t mask)
{
    uint64_t x = ((uint64_t)id << 32 | hash) * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 17) & mask;
}

/* Inserts without checking for growth. Returns 1 when (id, key) was there. */
static int set_put(keyset *s, uint32_t id, const char *key, uint32_t hash)
{
    size_t mask = s->cap - 1;
    for (size_t i = slot_of(hash, id, mask);; i = (i + 1) & mask) {
        kslot *k = &s->slots[i];
        if (k->id == 0) {
            k->id = id;
            k->hash = hash;
            k->key = key;
            s->used++;
            return 0;
        }
        if (k->id == id && k->hash == hash && strcmp(k->key, key) == 0)
            return 1;
    }
}

/* 1 when (id, key[0..n)) is in the set. */
static int set_has(const keyset *s, uint32_t id, const char *key, size_t n, uint32_t hash)
{
    size_t mask = s->cap - 1;
    for (size_t i = slot_of(hash, id, mask);; i = (i + 1) & mask) {
        const kslot *k = &s->slots[i];
        if (k->id == 0)
            return 0;
        if (k->id == id && k->hash == hash && key_eq(k->key, key, n))
            return 1;
    }
}

/* Doubles the table and rehashes every name into it. (A hash table's
 * slots move when it grows, so this is a rehash, not an append: it stays out
 * of mh__buf.) -1 when out of memory (s unchanged). */
static int set_grow(keyset *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 256;
    kslot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    keyset n = {ns, ncap, 0};
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].id)
            set_put(&n, s->slots[i].id, s->slots[i].key, s->slots[i].hash);
    free(s->slots);
    *s = n;
    return 0;
}

/* Returns 1 when key[0..n) is already a member of the object in f, 0 when
 * not, -1 when out of memory. Small objects are walked; from LINEAR_KEYS
 * members on the object's names live in the parser-wide hash set under the
 * object's id. A new name is looked up here and inserted by attach() once its
 * node exists; the room for it is reserved here. */
static int is_duplicate(parser *p, frame *f, const char *key, size_t n)
{
    if (f->count < LINEAR_KEYS) {
        for (cJSON *c = f->node->child; c; c = c->next)
            if (key_eq(c->string, key, n))
                return 1;
        return 0;
    }
    if ((p->set.used + f->count + 1) * 2 > p->set.cap)
        while ((p->set.used + f->count + 1) * 2 > p->set.cap)
            if (set_grow(&p->set) < 0)
                return -1;
    if (f->id == 0) {
        f->id = ++p->next_id;
        for (cJSON *c = f->node->child; c; c = c->next)
            set_put(&p->set, f->id, c->string, hash_key(c->string, strlen(c->string)));
    }
    p->key_hash = hash_key(key, n);
    return set_has(&p->set, f->id, key, n, p->key_hash);
}

/* ---- strings --------------------------------------------------------- */

static int hex4(const unsigned char *s, unsigned *out, size_t *bad)
{
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else {
            *bad = i;
            return -1;
        }
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* Reads the 4 hex digits of the \u escape starting at i (the backslash). */
static mh_json_rule read_u(parser *p, size_t i, unsigned *cp)
{
    size_t bad = 0, avail = p->len - (i + 2);
    if (avail >= 4 && hex4(p->b + i + 2, cp, &bad) == 0)
        return MH_JSON_OK;
    if (avail < 4) {
        unsigned char tmp[4] = {'0', '0', '0', '0'};
        memcpy(tmp, p->b + i + 2, avail);
        if (hex4(tmp, cp, &bad) == 0)
            return fail(p, MH_JSON_E_EOF, p->len, "input ends inside a \\u escape");
    }
    return bad_byte(p, i + 2 + bad, MH_JSON_E_ESCAPE, "\\u needs 4 hex digits");
}

/* Writes cp as UTF-8 at o; returns the bytes written. U+0000 becomes C0 80
 * (modified UTF-8 keeps strings NUL-free). */
static size_t put_utf8(char *o, unsigned cp)
{
    unsigned char *u = (unsigned char *)o;
    if (cp == 0) {
        u[0] = 0xC0;
        u[1] = 0x80;
        return 2;
    }
    return mh__utf8_encode(cp, u);
}

/* Decodes the escape at *i (the backslash) into o; advances *i and *o. */
static mh_json_rule unescape(parser *p, size_t *i, char *o, size_t *on)
{
    static const char simple[128] = {['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
                                     ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t'};
    size_t at = *i;
    if (at + 1 >= p->len)
        return fail(p, MH_JSON_E_EOF, p->len, "input ends inside an escape");
    unsigned char e = p->b[at + 1];
    if (e != 'u') {
        if (e < 128 && simple[e]) {
            o[(*on)++] = simple[e];
            *i = at + 2;
            return MH_JSON_OK;
        }
        return bad_byte(p, at + 1, MH_JSON_E_ESCAPE, "unknown escape");
    }
    unsigned cp, lo;
    mh_json_rule r = read_u(p, at, &cp);
    if (r)
        return r;
    *i = at + 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(p, MH_JSON_E_SURROGATE, at, "low surrogate \\u%04X without a high one", cp);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        const unsigned char *nx = p->b + at + 6;
        size_t left = p->len - (at + 6);
        if ((left >= 1 && nx[0] != '\\') || (left >= 2 && nx[1] != 'u'))
            return fail(p, MH_JSON_E_SURROGATE, at,
                        "high surrogate \\u%04X not followed by a low one", cp);
        if (left < 2)
            return fail(p, MH_JSON_E_EOF, p->len, "input ends after a high surrogate");
        if ((r = read_u(p, at + 6, &lo)) != MH_JSON_OK)
            return r;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail(p, MH_JSON_E_SURROGATE, at,
                        "high surrogate \\u%04X not followed by a low one", cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        *i = at + 12;
    }
    *on += put_utf8(o + *on, cp);
    return MH_JSON_OK;
}

/* Index of the first byte at or after i that str_special flags (len when
 * none). Eight bytes at a time while they are all plain: a word has a
 * special byte when one is '"' or '\\' (a zero byte after the XOR), below
 * 0x20 or from 0x80 up (the high bit after subtracting 0x20, or already set).
 * Borrows only start at a byte that is itself special, so no plain word is
 * taken for special. */
static size_t scan_plain(const unsigned char *b, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        uint64_t q = w ^ (ones * '"'), e = w ^ (ones * '\\');
        uint64_t m = (((q - ones) & ~q) | ((e - ones) & ~e) | (w - ones * 0x20) | w) & high;
        if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* no borrow reaches a byte before the first special one, so the
             * lowest flag is exact */
            return i + (size_t)(__builtin_ctzll(m) >> 3);
#else
            break;
#endif
        }
    }
    while (i < len && !str_special[b[i]])
        i++;
    return i;
}

/* The slow path: escapes or an error somewhere in the string. Decodes into
 * scratch at offset at (after a pending decoded name). Decoded text never
 * outgrows its source, so scratch (>= len bytes) fits both. */
static mh_json_rule string_slow(parser *p, size_t at, size_t start, size_t i, const char **out,
                                size_t *out_len)
{
    const unsigned char *b = p->b;
    char *o = p->scratch + at;
    size_t on = i - start;
    memcpy(o, b + start, on);
    for (;;) {
        size_t run = i;
        i = scan_plain(b, i, p->len);
        memcpy(o + on, b + run, i - run);
        on += i - run;
        if (i >= p->len)
            return fail(p, MH_JSON_E_EOF, p->len, "input ends inside a string");
        unsigned char c = b[i];
        if (c == '"')
            break;
        if (c == '\\') {
            mh_json_rule r = unescape(p, &i, o, &on);
            if (r)
                return r;
        } else if (c < 0x20) {
            if (c == 0)
                return fail(p, MH_JSON_E_NUL, i, "raw NUL byte in a string");
            return fail(p, MH_JSON_E_CONTROL, i, "raw control character 0x%02X in a string", c);
        } else {
            size_t n = mh__utf8_seq_len(b + i, p->len - i);
            if (n == 0)
                return fail(p, MH_JSON_E_UTF8, i, "invalid UTF-8 byte 0x%02X in a string", c);
            memcpy(o + on, b + i, n);
            on += n;
            i += n;
        }
    }
    p->pos = i + 1;
    *out = o;
    *out_len = on;
    return MH_JSON_OK;
}

/* Parses the string whose opening quote is at p->pos. On success *out points
 * at its text, *out_len bytes, not NUL-terminated and borrowed: into the
 * input when the string has no escapes (plain ASCII and valid UTF-8 are
 * checked in place), else into scratch at offset at. */
static mh_json_rule parse_string(parser *p, size_t at, const char **out, size_t *out_len)
{
    size_t start = p->pos + 1, i = start, len = p->len;
    const unsigned char *b = p->b;
    for (;;) {
        i = scan_plain(b, i, len);
        if (i >= len || b[i] < 0x80)
            break;
        size_t n = utf8_seq(b + i, len - i);
        if (n == 0)
            break;
        i += n;
    }
    if (i < len && b[i] == '"') {
        p->pos = i + 1;
        *out = (const char *)b + start;
        *out_len = i - start;
        return MH_JSON_OK;
    }
    if (!p->scratch) {
        p->scratch = p->len < INLINE_SCRATCH ? p->inline_scratch : malloc(p->len + 1);
        if (!p->scratch)
            return fail(p, MH_JSON_E_NOMEM, start, "out of memory");
    }
    return string_slow(p, at, start, i, out, out_len);
}

/* ---- numbers and literals -------------------------------------------- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Bytes that, glued to a number, make it a malformed number ("1x", "0x1",
 * "1.2.3", "1e5e") rather than a number followed by something else. */
static int glued(unsigned char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '.' || c == '+' ||
           c == '-' || c == '_';
}

static mh_json_rule number_error(parser *p, size_t off, const char *what)
{
    if (off >= p->len) /* "1.", "1e", "-" at the end are malformed numbers */
        return fail(p, MH_JSON_E_NUMBER, off, "%s", what);
    return bad_byte(p, off, MH_JSON_E_NUMBER, what);
}

/* strtod on the literal, honouring a locale whose decimal point is not '.'. */
static double literal_value(parser *p, char *lit, int has_dot)
{
    if (has_dot) {
        if (!p->decimal)
            p->decimal = localeconv()->decimal_point[0];
        if (p->decimal != '.' && p->decimal) {
            char tmp[64], *dot = strchr(lit, '.');
            size_t n = strlen(lit);
            if (n < sizeof tmp) {
                memcpy(tmp, lit, n + 1);
                tmp[dot - lit] = p->decimal;
                return strtod(tmp, NULL);
            }
        }
    }
    return strtod(lit, NULL);
}

/* Powers of ten a double holds exactly (Clinger's fast path). */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* What parse_number learned from a literal, to compute its double. */
typedef struct {
    uint64_t mant;  /* the first 19 digits, integer and fraction */
    long long ndig; /* digits seen in integer and fraction */
    long long e10;  /* value = mant x 10^e10 when ndig <= 19 */
    int neg, has_dot;
} numscan;

/* With at most 15 digits and |e10| <= 22 both operands are exact doubles, so
 * one multiplication or division gives the correctly rounded result without
 * strtod (and without looking at the locale). */
static double number_value(parser *p, const numscan *n, char *lit)
{
    if (n->ndig <= 19 && n->mant == 0) /* every digit is 0, whatever the exponent */
        return n->neg ? -0.0 : 0.0;
    if (n->ndig <= 15 && n->e10 >= -22 && n->e10 <= 22) {
        double d = (double)n->mant;
        d = n->e10 < 0 ? d / pow10_exact[-n->e10] : d * pow10_exact[n->e10];
        return n->neg ? -d : d;
    }
    return literal_value(p, lit, n->has_dot);
}

/* Consumes digits from *i, folding them into n; returns how many. */
static long long scan_digits(const unsigned char *b, size_t len, size_t *i, numscan *n)
{
    size_t k = *i;
    for (; k < len && is_digit(b[k]); k++, n->ndig++)
        if (n->ndig < 19)
            n->mant = n->mant * 10 + (uint64_t)(b[k] - '0');
    long long got = (long long)(k - *i);
    *i = k;
    return got;
}

static mh_json_rule parse_number(parser *p)
{
    const unsigned char *b = p->b;
    size_t start = p->pos, i = start, len = p->len;
    numscan n = {0, 0, 0, 0, 0};
    if (b[i] == '-') {
        n.neg = 1;
        i++;
    }
    if (i >= len || !is_digit(b[i]))
        return number_error(p, i, "'-' must be followed by a digit");
    if (b[i] == '0' && i + 1 < len && is_digit(b[i + 1]))
        return fail(p, MH_JSON_E_NUMBER, start, "number with a leading zero");
    scan_digits(b, len, &i, &n);
    if (i < len && b[i] == '.') {
        n.has_dot = 1;
        i++;
        long long frac = scan_digits(b, len, &i, &n);
        if (frac == 0)
            return number_error(p, i, "'.' must be followed by a digit");
        n.e10 = -frac;
    }
    if (i < len && (b[i] | 0x20) == 'e') {
        long long ex = 0;
        int eneg = 0;
        if (++i < len && (b[i] == '+' || b[i] == '-'))
            eneg = b[i++] == '-';
        if (i >= len || !is_digit(b[i]))
            return number_error(p, i, "exponent needs a digit");
        for (; i < len && is_digit(b[i]); i++)
            if (ex < 100000000) /* saturate: already far outside double range */
                ex = ex * 10 + (b[i] - '0');
        n.e10 += eneg ? -ex : ex;
    }
    if (i < len && glued(b[i]))
        return number_error(p, i, "malformed number");
    cJSON *item = new_node(p, cJSON_Number, b + start, i - start, 1);
    if (!item)
        return fail(p, MH_JSON_E_NOMEM, start, "out of memory");
    double d = number_value(p, &n, item->valuestring);
    item->valuedouble = d; /* valueint saturated as cJSON_CreateNumber does */
    item->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    attach(p, item);
    p->pos = i;
    return MH_JSON_OK;
}

static mh_json_rule parse_literal(parser *p, const char *word, size_t n, int type)
{
    for (size_t k = 0; k < n; k++) {
        size_t at = p->pos + k;
        if (at >= p->len)
            return fail(p, MH_JSON_E_EOF, p->len, "input ends inside '%s'", word);
        if (p->b[at] != (unsigned char)word[k])
            return bad_byte(p, at, MH_JSON_E_TOKEN, "not a JSON literal");
    }
    cJSON *item = new_node(p, type, NULL, 0, 0);
    if (!item)
        return fail(p, MH_JSON_E_NOMEM, p->pos, "out of memory");
    attach(p, item);
    p->pos += n;
    return MH_JSON_OK;
}

/* ---- structure ------------------------------------------------------- */

static mh_json_rule open_container(parser *p, int is_object)
{
    if (p->depth >= p->max_depth)
        return fail(p, MH_JSON_E_DEPTH, p->pos, "nesting deeper than %d", p->max_depth);
    cJSON *node = new_node(p, is_object ? cJSON_Object : cJSON_Array, NULL, 0, 0);
    if (!node)
        return fail(p, MH_JSON_E_NOMEM, p->pos, "out of memory");
    attach(p, node);
    p->pos++;
    p->want = is_object ? W_OBJECT_FIRST : W_ARRAY_FIRST;
    return push(p, node, is_object);
}

/* A byte that cannot start a value: name the likely mistake. */
static mh_json_rule bad_value(parser *p)
{
    unsigned char c = p->b[p->pos];
    if (c == '+' || c == '.' || c == 'N' || c == 'I')
        return bad_byte(p, p->pos, MH_JSON_E_NUMBER,
                        "not a JSON number (no '+', '.5', NaN, Infinity)");
    if (c == '/')
        return fail(p, MH_JSON_E_TOKEN, p->pos, "comments are not allowed");
    if (c == '\'')
        return fail(p, MH_JSON_E_TOKEN, p->pos, "strings need double quotes");
    return bad_byte(p, p->pos, MH_JSON_E_TOKEN, "expected a value");
}

static mh_json_rule parse_value(parser *p)
{
    if (p->want == W_ARRAY_NEXT && p->b[p->pos] == ']')
        return fail(p, MH_JSON_E_COMMA, p->comma, "trailing comma before ']'");
    p->want = W_AFTER;
    switch (p->b[p->pos]) {
    case '{':
        return open_container(p, 1);
    case '[':
        return open_container(p, 0);
    case '"': {
        const char *s;
        size_t n;
        mh_json_rule r = parse_string(p, p->key_scratch, &s, &n);
        if (r)
            return r;
        cJSON *item = new_node(p, cJSON_String, s, n, 1);
        if (!item)
            return fail(p, MH_JSON_E_NOMEM, p->pos, "out of memory");
        attach(p, item);
        return MH_JSON_OK;
    }
    case 't':
        return parse_literal(p, "true", 4, cJSON_True);
    case 'f':
        return parse_literal(p, "false", 5, cJSON_False);
    case 'n':
        return parse_literal(p, "null", 4, cJSON_NULL);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return parse_number(p);
    default:
        return bad_value(p);
    }
}

/* A member name, the ':' after it, and the duplicate check. */
static mh_json_rule parse_name(parser *p)
{
    size_t at = p->pos;
    unsigned char c = p->b[at];
    if (c == '}' && p->want == W_OBJECT_NEXT)
        return fail(p, MH_JSON_E_COMMA, p->comma, "trailing comma before '}'");
    if (c != '"')
        return c == '\'' ? fail(p, MH_JSON_E_TOKEN, at, "names need double quotes")
                         : bad_byte(p, at, MH_JSON_E_TOKEN, "expected a member name");
    const char *key;
    size_t n;
    mh_json_rule r = parse_string(p, 0, &key, &n);
    if (r)
        return r;
    int dup = is_duplicate(p, &p->stack[p->depth - 1], key, n);
    if (dup < 0)
        return fail(p, MH_JSON_E_NOMEM, at, "out of memory");
    if (dup) {
        char shown[64];
        size_t k = 0;
        for (; k < n && k < sizeof shown - 4; k++)
            shown[k] = (key[k] >= 0x20 && key[k] < 0x7f) ? key[k] : '?';
        shown[k] = '\0';
        return fail(p, MH_JSON_E_DUPKEY, at, "duplicate key \"%s%s\"", shown,
                    k < n && k >= sizeof shown - 4 ? "..." : "");
    }
    p->key = key;
    p->key_len = n;
    p->key_scratch = key == p->scratch ? n : 0;
    while (p->pos < p->len && (p->b[p->pos] == ' ' || p->b[p->pos] == '\n' ||
                               p->b[p->pos] == '\r' || p->b[p->pos] == '\t'))
        p->pos++;
    if (p->pos >= p->len)
        return fail(p, MH_JSON_E_EOF, p->len, "input ends before ':'");
    if (p->b[p->pos] != ':')
        return bad_byte(p, p->pos, MH_JSON_E_TOKEN, "expected ':' after the member name");
    p->pos++;
    p->want = W_VALUE;
    return MH_JSON_OK;
}

/* After a value inside a container: ',' or the matching bracket. */
static mh_json_rule parse_after(parser *p)
{
    frame *f = &p->stack[p->depth - 1];
    unsigned char c = p->b[p->pos];
    unsigned char close = f->is_object ? '}' : ']';
    if (c == ',') {
        p->comma = p->pos++;
        p->want = f->is_object ? W_OBJECT_NEXT : W_ARRAY_NEXT;
        return MH_JSON_OK;
    }
    if (c == close) {
        p->pos++;
        p->depth--;
        return MH_JSON_OK;
    }
    return bad_byte(p, p->pos, MH_JSON_E_TOKEN,
                    f->is_object ? "expected ',' or '}'" : "expected ',' or ']'");
}

static mh_json_rule step(parser *p)
{
    switch (p->want) {
    case W_VALUE:
    case W_ARRAY_NEXT:
        return parse_value(p);
    case W_ARRAY_FIRST:
        if (p->b[p->pos] == ']') {
            p->pos++;
            p->depth--;
            p->want = W_AFTER;
            return MH_JSON_OK;
        }
        return parse_value(p);
    case W_OBJECT_FIRST:
        if (p->b[p->pos] == '}') {
            p->pos++;
            p->depth--;
            p->want = W_AFTER;
            return MH_JSON_OK;
        }
        return parse_name(p);
    case W_OBJECT_NEXT:
        return parse_name(p);
    case W_AFTER:
        return parse_after(p);
    }
    return MH_JSON_E_TOKEN;
}

static mh_json_rule run(parser *p)
{
    const unsigned char *b = p->b;
    if (p->len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        return fail(p, MH_JSON_E_BOM, 0, "byte-order mark before the value");
    for (;;) {
        while (p->pos < p->len &&
               (b[p->pos] == ' ' || b[p->pos] == '\n' || b[p->pos] == '\r' || b[p->pos] == '\t'))
            p->pos++;
        if (p->want == W_AFTER && p->depth == 0) {
            if (p->pos < p->len)
                return bad_byte(p, p->pos, MH_JSON_E_TRAILING, "data after the value");
            return MH_JSON_OK;
        }
        if (p->pos >= p->len) {
            if (!p->root)
                return fail(p, MH_JSON_E_EMPTY, p->pos, "no value (empty input)");
            return fail(p, MH_JSON_E_EOF, p->pos, "input ends inside a value");
        }
        mh_json_rule r = step(p);
        if (r)
            return r;
    }
}

static void locate(const char *buf, mh_json_error *err)
{
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < err->offset; i++)
        if (buf[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    err->line = line;
    err->column = (int)(err->offset - line_start) + 1;
}

mh_json_rule mh_json_parse(const char *buf, size_t len, const mh_json_opts *opts, cJSON **out,
                           mh_json_error *err)
{
    parser p;
    p.b = (const unsigned char *)buf;
    p.len = buf ? len : 0;
    p.pos = 0;
    p.want = W_VALUE;
    p.root = NULL;
    p.key = NULL;
    p.key_len = 0;
    p.key_scratch = 0;
    p.key_hash = 0;
    p.stack = p.inline_frames;
    p.deep = (mh__buf)MH__BUF_INIT;
    p.depth = 0;
    p.cap = INLINE_FRAMES;
    p.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : MH_JSON_DEFAULT_DEPTH;
    p.next_id = 0;
    p.comma = 0;
    p.set = (keyset){NULL, 0, 0};
    p.scratch = NULL;
    p.decimal = 0;
    p.err = err;
    if (err)
        memset(err, 0, sizeof *err);
    if (out)
        *out = NULL;

    mh_json_rule r = run(&p);
    mh__buf_free(&p.deep);
    if (p.scratch != p.inline_scratch)
        free(p.scratch);
    free(p.set.slots);
    if (r != MH_JSON_OK) {
        cJSON_Delete(p.root);
        if (err) {
            err->rule = r;
            locate(buf, err);
        }
        return r;
    }
    if (out)
        *out = p.root;
    else
        cJSON_Delete(p.root);
    return MH_JSON_OK;
}

const char *mh_json_rule_name(mh_json_rule rule)
{
    static const char *const names[] = {
        [MH_JSON_OK] = "ok",
        [MH_JSON_E_EMPTY] = "empty",
        [MH_JSON_E_BOM] = "bom",
        [MH_JSON_E_UTF8] = "utf8",
        [MH_JSON_E_NUL] = "nul_byte",
        [MH_JSON_E_CONTROL] = "control_char",
        [MH_JSON_E_ESCAPE] = "escape",
        [MH_JSON_E_SURROGATE] = "surrogate",
        [MH_JSON_E_NUMBER] = "number",
        [MH_JSON_E_TOKEN] = "token",
        [MH_JSON_E_COMMA] = "trailing_comma",
        [MH_JSON_E_DUPKEY] = "duplicate_key",
        [MH_JSON_E_DEPTH] = "depth",
        [MH_JSON_E_TRAILING] = "trailing_data",
        [MH_JSON_E_EOF] = "truncated",
        [MH_JSON_E_NOMEM] = "nomem",
    };
    if ((unsigned)rule < sizeof names / sizeof names[0] && names[rule])
        return names[rule];
    return "unknown";
}

/* strcmp(a, b) == 0 inline: member names are short, a call costs more. */
static int same_name(const char *a, const char *b)
{
    for (; *a == *b; a++, b++)
        if (!*a)
            return 1;
    return 0;
}

cJSON *mh_json_get(const cJSON *obj, const char *key)
{
    if (!obj || !key || (obj->type & 0xFF) != cJSON_Object)
        return NULL;
    for (cJSON *c = obj->child; c; c = c->next)
        if (c->string && same_name(c->string, key))
            return c;
    return NULL;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cJSON_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

cJSON *mh_json_duplicate(const cJSON *item)
{
    if (!item)
        return NULL;
    cJSON *n = cJSON_malloc(sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->type = item->type & ~(cJSON_IsReference | cJSON_StringIsConst);
    n->valueint = item->valueint;
    n->valuedouble = item->valuedouble;
    if ((item->valuestring && !(n->valuestring = dup_str(item->valuestring))) ||
        (item->string && !(n->string = dup_str(item->string))))
        goto fail;
    cJSON *tail = NULL;
    for (const cJSON *c = item->child; c; c = c->next) {
        cJSON *d = mh_json_duplicate(c); /* recursion bounded by the tree's depth */
        if (!d)
            goto fail;
        if (tail) {
            tail->next = d;
            d->prev = tail;
        } else {
            n->child = d;
        }
        tail = d;
    }
    if (n->child)
        n->child->prev = tail;
    return n;
fail:
    cJSON_Delete(n);
    return NULL;
}

size_t mh_json_utf8_length(const char *s)
{
    return mh__utf8_count(s); /* C0 80 is a lead and a continuation byte: one */
}

char *mh_json_quote(const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s)
        s = "";
    size_t n = 3;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        n += *u < 0x20 ? 6 : (*u == '"' || *u == '\\') ? 2 : (*u == 0xC0 && u[1] == 0x80) ? 6 : 1;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    *o++ = '"';
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        unsigned char c = *u;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == 0xC0 && u[1] == 0x80) {
            memcpy(o, "\\u0000", 6);
            o += 6;
            u++;
        } else if (c < 0x20) {
            const char *esc = c == '\n'   ? "\\n"
                              : c == '\t' ? "\\t"
                              : c == '\r' ? "\\r"
                              : c == '\b' ? "\\b"
                              : c == '\f' ? "\\f"
                                          : NULL;
            if (esc) {
                memcpy(o, esc, 2);
                o += 2;
            } else {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            }
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

mh_status mh_json_error_describe(mh_error *err, mh_json_rule rule, const mh_json_error *je,
                                 const char *file, const char *what)
{
    mh_status st = rule == MH_JSON_E_NOMEM ? MH_ERR_NOMEM : MH_ERR_JSON;
    mh_error_set(err, st, "invalid JSON%s%s (%s): %s", what ? " in " : "", what ? what : "",
                 mh_json_rule_name(rule), je->message);
    mh_error_at_file(err, file, je->line, je->column, (long)je->offset);
    return st;
}
