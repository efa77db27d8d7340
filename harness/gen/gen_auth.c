/* gen_auth.c — tokens, the auth suite (bearer tokens, basic credentials,
 * API keys, credential properties) and the methods suite. Above gen_case.c
 * and gen_cred.c. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "manta/credential.h"
#include "manta/json_strict.h"
#include "manta/jwt.h"

/* The claims text of the valid token: {"botId":...,"iat":now,"exp":now+3600}.
 * "botId" is the claim name DESIGN.md fixes for the harness's JWTs. */
static char *claims_text(mh__gen *g, const char *bot, long long iat, long long exp)
{
    char *q = mh__quote(g, bot ? bot : "");
    char *c = q ? mh__printf(g, "{\"botId\":%s,\"iat\":%lld,\"exp\":%lld}", q, iat, exp) : NULL;
    free(q);
    return c;
}

mh_status mh__tokens_init(mh__gen *g, int need, mh_error *err)
{
    const mh_gen_opts *o = g->o;
    if (!need || (!o->token && !o->jwt_key))
        return MH_OK;
    size_t klen = o->jwt_key ? strlen(o->jwt_key) : 0;
    if (o->token)
        g->token = mh__strdup(g, o->token);
    else
        g->token = mh_jwt_mint(o->jwt_key, klen, o->bot_id, o->now, o->now + 3600);
    if (o->jwt_key) {
        char *other = mh__printf(g, "%s-other", o->bot_id ? o->bot_id : "bot");
        g->token_expired = mh_jwt_mint(o->jwt_key, klen, o->bot_id, o->now - 7200, o->now - 3600);
        g->token_other = other ? mh_jwt_mint(o->jwt_key, klen, other, o->now, o->now + 3600) : NULL;
        free(other);
        if (!g->token_expired || !g->token_other)
            g->oom = 1;
    }
    if (!g->token || g->oom)
        return mh_error_set(err, MH_ERR_NOMEM, "out of memory while minting tokens");
    return MH_OK;
}

/* Starts an auth case with a fully valid body and a unique name. */
static mh_case *begin_auth(mh__gen *g, const char *slug, const char *desc)
{
    mh_case *c = mh__case_begin(g, MH_SUITE_AUTH, slug, desc);
    mh__case_typical(g, c, "auth");
    return c;
}

static void header_case(mh__gen *g, const char *slug, const char *desc, const char *auth)
{
    mh_case *c = begin_auth(g, slug, desc);
    if (c)
        mh__case_header(g, c, "Authorization", auth);
    mh__case_finish(g, c, MH__KEEP);
}

static void bearer_case(mh__gen *g, const char *slug, const char *desc, const char *token)
{
    char *h = token ? mh__printf(g, "Bearer %s", token) : NULL;
    if (h)
        header_case(g, slug, desc, h);
    free(h);
}

/* The token with one signature character changed in all six of its bits'
 * worth: the first character of the third part (or the middle one of an
 * opaque token), so the decoded signature really differs. */
static char *tampered(mh__gen *g, const char *tok)
{
    char *t = mh__strdup(g, tok);
    if (!t || !*t)
        return t;
    char *dot = strrchr(t, '.');
    char *at = dot && dot[1] ? dot + 1 : t + strlen(t) / 2;
    *at = *at == 'A' ? 'B' : 'A';
    return t;
}

/* alg:none with the valid token's claims (decoded from it when it is a JWT,
 * else built from the bot id) and an empty signature. */
static char *alg_none(mh__gen *g)
{
    const char *tok = g->token;
    const char *d1 = strchr(tok, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    char *claims = NULL;
    unsigned char *raw = NULL;
    size_t rlen = 0;
    if (d2 && mh_base64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &raw, &rlen) == 0) {
        claims = malloc(rlen + 1);
        if (claims) {
            memcpy(claims, raw, rlen);
            claims[rlen] = '\0';
        }
        free(raw);
    }
    cJSON *tree = NULL;
    if (claims && (mh_json_parse(claims, strlen(claims), NULL, &tree, NULL) != MH_JSON_OK ||
                   !cJSON_IsObject(tree))) {
        free(claims); /* an opaque token: there are no claims to reuse */
        claims = NULL;
    }
    cJSON_Delete(tree);
    if (!claims)
        claims = claims_text(g, g->o->bot_id, g->o->now, g->o->now + 3600);
    char *t =
        claims ? mh_jwt_mint_raw("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims, NULL, 0, 0) : NULL;
    free(claims);
    if (!t)
        g->oom = 1;
    return t;
}

static char *garbage_token(mh__gen *g)
{
    static const char b64u[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char t[3 * 22 + 3];
    size_t n = 0;
    for (int part = 0; part < 3; part++) {
        for (int i = 0; i < 21; i++)
            t[n++] = b64u[mh_prng_below(&g->rng, 64)];
        if (part < 2)
            t[n++] = '.';
    }
    t[n] = '\0';
    return mh__strdup(g, t);
}

/* 1 when tok is a JWT: three dot-separated parts, the first the base64url
 * of a JSON object with a string "alg". */
static int is_jwt(const char *tok)
{
    const char *d1 = strchr(tok, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    unsigned char *raw = NULL;
    size_t len = 0;
    if (!d2 || strchr(d2 + 1, '.') || mh_base64url_decode(tok, (size_t)(d1 - tok), &raw, &len) != 0)
        return 0;
    cJSON *head = NULL;
    int jwt = mh_json_parse((const char *)raw, len, NULL, &head, NULL) == MH_JSON_OK &&
              cJSON_IsString(mh_json_get(head, "alg"));
    cJSON_Delete(head);
    free(raw);
    return jwt;
}

/* The auth cases of a bearer operation; with_token = 0 (no credentials
 * configured) keeps those that need no valid token. */
static void header_auth_cases(mh__gen *g, int with_token)
{
    header_case(g, "no-authorization", "no Authorization header", NULL);
    header_case(g, "bearer-empty", "the Bearer scheme with an empty token", "Bearer ");
    unsigned char basic[64];
    static const char userpass[] = "mh-harness:not-a-password";
    EVP_EncodeBlock(basic, (const unsigned char *)userpass, (int)strlen(userpass));
    char *h = mh__printf(g, "Basic %s", (const char *)basic);
    if (h)
        header_case(g, "basic-scheme", "the Basic scheme instead of Bearer", h);
    free(h);
    h = with_token ? mh__printf(g, "Token %s", g->token) : NULL;
    if (h)
        header_case(g, "token-scheme", "the valid token under the Token scheme", h);
    free(h);

    mh_case *c = begin_auth(g, "garbage-token", "a random string as the bearer token");
    char *t = c ? garbage_token(g) : NULL;
    char *gh = t ? mh__printf(g, "Bearer %s", t) : NULL;
    if (c && gh)
        mh__case_header(g, c, "Authorization", gh);
    free(t);
    free(gh);
    mh__case_finish(g, c, MH__KEEP);
    if (!with_token)
        return;

    if (is_jwt(g->token)) { /* an opaque token has no signature or alg to attack */
        t = tampered(g, g->token);
        bearer_case(g, "tampered-signature", "the valid token with one signature character changed",
                    t);
        free(t);
        t = alg_none(g);
        bearer_case(g, "alg-none", "alg:none with the valid claims and no signature", t);
        free(t);
    }
    if (g->token_expired)
        bearer_case(g, "expired-token", "a correctly signed token that expired an hour ago",
                    g->token_expired);
    if (g->token_other && g->bot_index >= 0) /* only where a botId parameter is sent */
        bearer_case(g, "other-bot-token",
                    "a correctly signed token for another bot, sent with the configured bot",
                    g->token_other);
}

static void wrong_credential_cases(mh__gen *g)
{
    for (size_t i = 0; i < g->prop_count; i++) {
        const mh__prop *p = &g->props[i];
        if (!p->credential)
            continue;
        char slug[512], desc[512];
        snprintf(slug, sizeof slug, "%s-wrong", p->slug);
        snprintf(desc, sizeof desc, "a wrong value for the credential property \"%s\"", p->name);
        mh_case *c = mh__case_begin(g, MH_SUITE_AUTH, slug, desc);
        if (c) {
            mh__body b = {0};
            mh__body_typical(g, &b, "auth", 0);
            const char *real = mh__config(g, g->o->properties, g->o->property_count, p->name);
            char *wrong = mh__printf(g, "%s-wrong", real ? real : g->o->secret);
            mh__body_set(g, &b, p->name, wrong ? mh__quote(g, wrong) : NULL);
            free(wrong);
            mh__case_json(g, c, &b);
        }
        mh__case_finish(g, c, MH__KEEP);
    }
}

/* "Basic " and the base64 of user:pass. */
static char *basic_of(mh__gen *g, const char *user, const char *pass)
{
    char *up = mh__printf(g, "%s:%s", user, pass);
    char *b64 = up ? mh_credential_basic_b64(up) : NULL;
    char *h = b64 ? mh__printf(g, "Basic %s", b64) : NULL;
    if (up && !b64)
        g->oom = 1;
    free(up);
    free(b64);
    return h;
}

/* n random characters of [A-Za-z0-9] from g->rng (n < 64). */
static void random_word(mh__gen *g, char *out, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < n; i++)
        out[i] = abc[mh_prng_below(&g->rng, 62)];
    out[n] = '\0';
}

/* The auth cases of an http basic operation; with_creds = 0 keeps those
 * that need no configured credentials. The wrong password is random, never
 * derived from the real one: base64 hides nothing. */
static void basic_auth_cases(mh__gen *g, int with_creds)
{
    header_case(g, "no-authorization", "no Authorization header", NULL);
    header_case(g, "basic-empty", "the Basic scheme with empty credentials", "Basic ");
    for (int k = 0; k < 1 + with_creds; k++) {
        mh_case *c = begin_auth(g, k ? "basic-wrong-password" : "basic-garbage",
                                k ? "the configured user with a wrong password"
                                  : "a random user and password");
        char user[24], pass[24];
        random_word(g, user, 12);
        random_word(g, pass, 20);
        const char *colon = k ? strchr(g->o->basic, ':') : NULL;
        char *name = k ? mh__printf(g, "%.*s", (int)(colon ? colon - g->o->basic : 0), g->o->basic)
                       : mh__strdup(g, user);
        char *h = name ? basic_of(g, name, pass) : NULL;
        if (c && h)
            mh__case_header(g, c, "Authorization", h);
        free(name);
        free(h);
        mh__case_finish(g, c, MH__KEEP);
    }
}

/* One auth case that does to the API key of s what mode says: value is
 * the value sent (MH__CRED_VALUE; NULL = a random one), in the place it
 * moves to (MH__CRED_MOVE). */
static void api_key_case(mh__gen *g, const mh_security_scheme *s, const char *tail,
                         const char *desc, mh__cred_mode mode, const char *value, const char *in)
{
    char *base = mh__slug(g, s->name);
    char *slug = base ? mh__printf(g, "%s-%s", base, tail) : NULL;
    mh_case *c = slug ? begin_auth(g, slug, desc) : NULL;
    char garbage[40];
    if (c) {
        random_word(g, garbage, 32);
        g->cred = (mh__cred_variant){s, mode, value ? value : garbage, in};
        mh__case_params(g, c, NULL);
        memset(&g->cred, 0, sizeof g->cred);
    }
    free(base);
    free(slug);
    mh__case_finish(g, c, MH__KEEP);
}

/* The auth cases of an apiKey scheme s; with_creds = 0 keeps those that
 * need no configured key. */
static void api_key_cases(mh__gen *g, const mh_security_scheme *s, int with_creds)
{
    static const char *const places[] = {"header", "query", "cookie"};
    char desc[400], tail[16];
    snprintf(desc, sizeof desc, "no API key for security scheme %.100s (%s %.100s)", s->name, s->in,
             s->param_name);
    api_key_case(g, s, "missing", desc, MH__CRED_OMIT, NULL, NULL);
    snprintf(desc, sizeof desc, "an empty API key for security scheme %.100s", s->name);
    api_key_case(g, s, "empty", desc, MH__CRED_VALUE, "", NULL);
    snprintf(desc, sizeof desc, "a random API key for security scheme %.100s", s->name);
    api_key_case(g, s, "garbage", desc, MH__CRED_VALUE, NULL, NULL);
    for (size_t i = 0; with_creds && i < 3; i++) {
        if (strcmp(places[i], s->in) == 0)
            continue;
        snprintf(tail, sizeof tail, "in-%s", places[i]);
        snprintf(desc, sizeof desc,
                 "the valid API key of security scheme %.100s sent in the %s instead of the %s",
                 s->name, places[i], s->in);
        api_key_case(g, s, tail, desc, MH__CRED_MOVE, NULL, places[i]);
    }
}

void mh__suite_auth(mh__gen *g)
{
    if (!g->secured)
        return; /* anyone may call it: nothing to refuse */
    /* The alternative the requests carry, else the first one. */
    const mh_security_req *r = g->req ? g->req : &g->op->security[0];
    int creds = g->req != NULL, authorization = 0, planned = 0;
    for (size_t k = 0; k < r->count; k++) {
        const mh_security_scheme *s = r->schemes[k];
        if ((mh__cred_bearer(s) || s->type == MH_SCHEME_HTTP_BASIC) && !authorization) {
            (mh__cred_bearer(s) ? header_auth_cases : basic_auth_cases)(g, creds);
            authorization = planned = 1;
        } else if (s->type == MH_SCHEME_API_KEY) {
            api_key_cases(g, s, creds);
            planned = 1;
        }
    }
    if (!planned) { /* schemes nothing can be configured for: a bare request */
        mh_case *c = begin_auth(g, "no-credentials", "no credentials at all");
        mh__case_finish(g, c, MH__KEEP);
    }
    if (creds)
        wrong_credential_cases(g);
}

static int declared(const char *list, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, method, n) == 0)
            return 1;
        p += len;
        p += *p == ',';
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* 1 when the methods cases of g->op's path are planned already (this
 * repetition); else records the path and returns 0. */
static int path_done(mh__gen *g)
{
    const char *const *seen = MH__ITEMS(g->paths, const char *);
    for (size_t i = 0; i < MH__COUNT(g->paths, const char *); i++)
        if (strcmp(seen[i], g->op->path) == 0)
            return 1;
    mh__buf_add(&g->paths, &g->op->path, sizeof g->op->path);
    if (g->paths.failed)
        g->oom = 1;
    return 0;
}

void mh__suite_methods(mh__gen *g)
{
    /* DESIGN.md's list; never HEAD, OPTIONS or TRACE. The order keeps the
     * bundled contract's plan (GET, PUT, PATCH, DELETE) as it was. */
    static const char *const methods[] = {"GET", "PUT", "POST", "PATCH", "DELETE"};
    if (path_done(g))
        return;
    const char *list = mh_spec_path_methods(g->o->spec, g->op->path);
    if (!list)
        list = g->op->method;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (declared(list, methods[i]))
            continue;
        char slug[16], desc[128];
        int with_body = strcmp(methods[i], "GET") != 0 && strcmp(methods[i], "DELETE") != 0 &&
                        g->kind != MH__BODY_NONE;
        size_t k = 0;
        for (; methods[i][k]; k++)
            slug[k] = (char)(methods[i][k] + 32);
        slug[k] = '\0';
        snprintf(desc, sizeof desc, "%s, which the path does not declare%s", methods[i],
                 with_body ? ", with a valid body" : "");
        mh_case *c = mh__case_begin(g, MH_SUITE_METHODS, slug, desc);
        if (c) {
            char *m = mh__strdup(g, methods[i]);
            char *label = mh__printf(g, "%s %s", methods[i], g->op->path);
            if (m) {
                free(c->method);
                c->method = m;
            }
            free(c->operation);
            c->operation = label;
            if (with_body)
                mh__case_typical(g, c, "method");
            else
                mh__case_header(g, c, "Content-Type", NULL);
        }
        mh__case_finish(g, c, MH__KEEP);
    }
}
