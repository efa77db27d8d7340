/* credential.h — the one rule for credential-like property names.
 *
 * A request-body property whose name looks like a credential carries the
 * configured secret: the case generator (gen.h) sends --secret in it, and the
 * reference server (refserver.h) checks it. Both ask this rule, so they
 * always agree on which property that is.
 *
 * The rule: the name contains, ignoring ASCII case, one of
 *   secret, password, passwd, token, credential,
 *   or "api" followed by "key" directly or after any one byte
 * — that is /secret|password|passwd|token|credential|api.?key/i searched
 * anywhere in the whole name. It is the union of the generator's former rule
 * (secret, password, passwd, token, apikey, api_key, credential; first 255
 * bytes) and the reference server's (/secret|password|token|api.?key/i; first
 * 127 bytes), so every name either called a credential still is one. Matching
 * is by substring: "clientSecret", "api-key" and "tokenizer" match; "name",
 * "key" and "passport" do not. Whether the property must also be a string is
 * the caller's business.
 */
#ifndef MANTA_CREDENTIAL_H
#define MANTA_CREDENTIAL_H

/* 1 when name looks like a credential (the rule above), else 0. NULL is 0.
 * This function can't fail. */
int mh_credential_name(const char *name);

#endif
