/* headers.h — response_headers_conformance (harness/check/ only). */
#ifndef MH_CHECK_HEADERS_H
#define MH_CHECK_HEADERS_H

#include "manta/model.h"
#include "manta/spec.h"

/* Judges x's headers against the headers declared by op's response for
 * x->status: a header declared required must be present; a declared header
 * that is present must match its schema, its text read by the schema's type
 * (integer and number parsed as JSON numbers, boolean as true/false, an
 * array split on commas with each item read by the items' type, anything
 * else as a string; a header declared by a JSON-like "content" is parsed as
 * JSON). Header names match case-insensitively and repeated field lines are
 * joined with ", " as HTTP says. An object-typed header (its serialisation is
 * not knowable) is only checked for presence. Appends findings to r when the
 * check is on in enabled (check.h's mask; 0 = all). */
void mh__check_headers(const mh_operation *op, const mh_exchange *x, unsigned long long enabled,
                       mh_result *r);

#endif
