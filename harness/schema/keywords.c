/* keywords.c — what each Schema Object keyword is in each dialect, and the
 * list of load-time warnings a schema set collects.
 *
 * The table says, for OpenAPI 3.0 and for OpenAPI 3.1 (JSON Schema 2020-12),
 * whether the validator checks a keyword, ignores it by design (an
 * annotation), knows it as a keyword of the dialect it does not implement,
 * or knows it only from the other version. compile.c warns about every
 * keyword that is not checked and not an annotation, so nothing a document
 * asks for passes silently.
 */
#include "schema/schema_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Short names for the table. */
#define CHK MH__KW_CHECKED
#define ANN MH__KW_ANNOTATION
#define UNS MH__KW_UNSUPPORTED
#define OTH MH__KW_OTHER_DIALECT

static const struct {
    const char *name;
    unsigned char oas30, oas31;
} keywords[] = {
    /* checked in both */
    {"$ref", CHK, CHK},
    {"type", CHK, CHK},
    {"enum", CHK, CHK},
    {"properties", CHK, CHK},
    {"required", CHK, CHK},
    {"additionalProperties", CHK, CHK},
    {"items", CHK, CHK},
    {"minItems", CHK, CHK},
    {"maxItems", CHK, CHK},
    {"uniqueItems", CHK, CHK},
    {"minLength", CHK, CHK},
    {"maxLength", CHK, CHK},
    {"pattern", CHK, CHK},
    {"minimum", CHK, CHK},
    {"maximum", CHK, CHK},
    {"exclusiveMinimum", CHK, CHK},
    {"exclusiveMaximum", CHK, CHK},
    {"multipleOf", CHK, CHK},
    {"minProperties", CHK, CHK},
    {"maxProperties", CHK, CHK},
    {"allOf", CHK, CHK},
    {"anyOf", CHK, CHK},
    {"oneOf", CHK, CHK},
    {"not", CHK, CHK},
    {"format", CHK, CHK},
    {"readOnly", CHK, CHK},
    {"writeOnly", CHK, CHK},
    /* annotations in both */
    {"title", ANN, ANN},
    {"description", ANN, ANN},
    {"default", ANN, ANN},
    {"example", ANN, ANN},
    {"examples", ANN, ANN},
    {"deprecated", ANN, ANN},
    {"$comment", ANN, ANN},
    {"xml", ANN, ANN},
    {"externalDocs", ANN, ANN},
    {"discriminator", ANN, ANN},
    {"contentMediaType", ANN, ANN},
    {"contentEncoding", ANN, ANN},
    {"contentSchema", ANN, ANN},
    /* the Reference Object's sibling of $ref in 3.1 (not a 3.0 schema field) */
    {"summary", MH__KW_UNKNOWN, ANN},
    /* OpenAPI 3.0 only */
    {"nullable", CHK, OTH},
    /* JSON Schema 2020-12 (OpenAPI 3.1) */
    {"const", OTH, CHK},
    {"$defs", OTH, ANN},       /* a container: its schemas are compiled when referenced */
    {"definitions", OTH, ANN}, /* the draft-7 container, kept for compatibility */
    {"$schema", OTH, CHK},     /* compile.c warns about other dialects */
    {"prefixItems", OTH, CHK},
    {"contains", OTH, CHK},
    {"minContains", OTH, CHK},
    {"maxContains", OTH, CHK},
    {"propertyNames", OTH, CHK},
    {"patternProperties", OTH, CHK},
    {"dependentRequired", OTH, CHK},
    {"dependentSchemas", OTH, CHK},
    {"if", OTH, CHK},
    {"then", OTH, CHK},
    {"else", OTH, CHK},
    {"$id", OTH, UNS},
    {"$anchor", OTH, UNS},
    {"$dynamicRef", OTH, UNS},
    {"$dynamicAnchor", OTH, UNS},
    {"$vocabulary", OTH, UNS},
    {"unevaluatedProperties", OTH, UNS},
    {"unevaluatedItems", OTH, UNS},
};

mh__keyword_class mh__keyword_classify(mh__dialect d, const char *name)
{
    if (name[0] == 'x' && name[1] == '-')
        return MH__KW_ANNOTATION; /* specification extensions */
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(keywords[i].name, name) == 0)
            return (mh__keyword_class)(d == MH__DIALECT_OAS31 ? keywords[i].oas31
                                                              : keywords[i].oas30);
    return MH__KW_UNKNOWN;
}

int mh__keyword_is_annotation(const char *name)
{
    return mh__keyword_classify(MH__DIALECT_OAS31, name) == MH__KW_ANNOTATION &&
           strcmp(name, "$defs") != 0 && strcmp(name, "definitions") != 0;
}

/* ------------------------------------------------------------------ */
/* the warning list */

/* One warning: a single malloc block "pointer\0message\0". */
typedef struct {
    char *pointer;
    char *message;
} warning;

static size_t warnings_count(const mh__warnings *w)
{
    return w->list.len / sizeof(warning);
}

static const warning *warning_at(const mh__warnings *w, size_t i)
{
    return &((const warning *)(const void *)w->list.p)[i];
}

int mh__warnings_add(mh__warnings *w, const char *pointer, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (k < 0)
        return -1;
    for (size_t i = 0; i < warnings_count(w); i++) {
        const warning *it = warning_at(w, i);
        if (strcmp(it->pointer, pointer) == 0 && strcmp(it->message, msg) == 0)
            return 0; /* the same schema reached again: said once */
    }
    size_t plen = strlen(pointer), mlen = strlen(msg);
    char *block = malloc(plen + 1 + mlen + 1);
    char *slot = block ? mh__buf_reserve(&w->list, sizeof(warning)) : NULL;
    if (!slot) {
        free(block);
        return -1;
    }
    warning it = {block, block + plen + 1};
    memcpy(it.pointer, pointer, plen + 1);
    memcpy(it.message, msg, mlen + 1);
    memcpy(slot, &it, sizeof it);
    mh__buf_commit(&w->list, sizeof it);
    return 0;
}

size_t mh__warnings_count(const mh__warnings *w)
{
    return warnings_count(w);
}

const char *mh__warnings_get(const mh__warnings *w, size_t i, const char **pointer)
{
    if (i >= warnings_count(w))
        return NULL;
    const warning *it = warning_at(w, i);
    if (pointer)
        *pointer = it->pointer;
    return it->message;
}

void mh__warnings_free(mh__warnings *w)
{
    for (size_t i = 0; i < warnings_count(w); i++)
        free(warning_at(w, i)->pointer);
    mh__buf_free(&w->list);
}
