/* yaml.h — YAML documents as the same cJSON trees mh_json_parse builds.
 *
 * OpenAPI documents are mostly YAML. mh_yaml_parse reads one YAML document
 * through libyaml (anchors and aliases resolved, merge keys "<<" applied) and
 * resolves plain scalars by the YAML 1.2 core schema: null (~, null, Null,
 * NULL, empty), booleans (true/True/TRUE, false/False/FALSE), integers
 * (decimal, 0o octal, 0x hex) and floats; every other scalar, and every quoted
 * or block scalar, is a string (so "yes", "on" and 0777 stay what YAML 1.2 says
 * they are: strings and a decimal). Explicit !!str, !!int, !!float, !!bool and
 * !!null tags are honoured.
 *
 * The tree follows json_strict.h's conventions, so the loader cannot tell the
 * two apart: number nodes keep a JSON literal in ->valuestring (YAML's 0x1F,
 * +1, 1. and .5 become 31, 1, 1.0 and 0.5), a NUL in a string is stored as
 * C0 80, member order is document order.
 *
 * Refused, with the line:column of the node: a second document in the stream,
 * an empty stream, duplicate mapping keys, keys that are not scalars, .inf and
 * .nan (no JSON equivalent), nesting deeper than MH_JSON_DEFAULT_DEPTH (which
 * also stops an alias that contains itself), and alias expansion beyond
 * MH_YAML_MAX_NODES nodes ("billion laughs").
 */
#ifndef MANTA_YAML_H
#define MANTA_YAML_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "manta/error.h"

/* Most nodes one document may expand to (aliases count every time they are
 * used). */
#define MH_YAML_MAX_NODES (4u * 1024u * 1024u)

/* Parses buf[0..len) as one YAML document. On success returns MH_OK and
 * stores a new tree in *out (caller frees with cJSON_Delete). On failure
 * returns MH_ERR_YAML (or MH_ERR_NOMEM), leaves *out NULL and fills err with
 * a one-line message located at name line:column (1-based). name is used in
 * messages only and may be NULL. */
mh_status mh_yaml_parse(const char *buf, size_t len, const char *name, cJSON **out, mh_error *err);

/* 1 when buf holds a JSON text rather than YAML: its first byte that is not
 * JSON whitespace (after an optional UTF-8 byte-order mark) is '{' or '['. The loader decides the
 * format by content, never by file extension. */
int mh_yaml_looks_like_json(const char *buf, size_t len);

/* Parses a document that is JSON or YAML, decided by content
 * (mh_yaml_looks_like_json): JSON through the strict parser (errors name the
 * rule, file line:column), anything else as YAML. Same ownership and errors
 * as mh_yaml_parse, plus MH_ERR_JSON for rejected JSON. */
mh_status mh_document_parse(const char *buf, size_t len, const char *name, cJSON **out,
                            mh_error *err);

#endif
