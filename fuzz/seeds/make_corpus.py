#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every fuzz target into corpus/<target>/.

Deterministic: the same files every run (tokens carry fixed times). The strict
parser's test table is added by json_table.sh; this script only writes the
shapes below. Usage: fuzz/seeds/make_corpus.py [ROOT]
"""
import base64
import hashlib
import hmac
import json
import os
import shutil
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
# The fixed test key the jwt_verify and refserver_request targets use (not a
# deployment secret).
KEY = b"fuzz-key-0123456789abcdef"
FAR = 4102444800   # 2100-01-01: valid for the targets' clocks
PAST = 1600000000  # expired for both


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token(header, claims, key=KEY, sign=True):
    h = b64(json.dumps(header, separators=(",", ":")).encode())
    c = b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = b64(hmac.new(key, (h + "." + c).encode(), hashlib.sha256).digest()) if sign else ""
    return h + "." + c + "." + sig


HS = {"alg": "HS256", "typ": "JWT"}
VALID = token(HS, {"botId": "fuzz-bot", "iat": 1700000000, "exp": FAR})


def write(target, name, data):
    d = os.path.join(ROOT, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


# ---- shapes from DESIGN.md and the spec -------------------------------
SUCCESS = '{"success":true,"message":"personal tag created"}'
ERRORS = {
    401: '{"success":false,"errResponse":{"message":"token expired","code":401}}',
    403: '{"success":false,"errResponse":{"message":"duplicate name","code":403,"botId":"b1"}}',
    404: '{"success":false,"errResponse":{"message":"unknown botId","code":404}}',
    429: '{"success":false,"errResponse":{"message":"rate limited","code":429}}',
    500: '{"success":false,"errResponse":{"message":"internal error","code":500}}',
}
REQUEST = '{"secret":"s3cr3t","name":"VIP customers"}'
REPORT = json.dumps({
    "tool": {"name": "manta-harness", "version": "0.1.0"}, "spec": "contracts/manta-openapi.json",
    "base_url": "http://127.0.0.1:8080/api", "seed": 42,
    "summary": {"cases": 2, "passed": 1, "failed": 1, "warnings": 0, "inconclusive": 0,
                "duration_ms": 350, "by_check": {"negative_data_rejection": 1}},
    "cases": [{"id": "malformed/name-wrong-type-number", "suite": "malformed",
               "operation": "POST /openapi/personalTag", "outcome": "failed",
               "request": {"method": "POST", "url": "http://127.0.0.1:8080/api/openapi/personalTag?botId=b1",
                           "headers": {"Content-Type": "application/json",
                                       "Authorization": "Bearer $MANTA_TOKEN"},
                           "body": "{\"secret\":\"$MANTA_SECRET\",\"name\":1}"},
               "response": {"status": 200, "content_type": "application/json",
                            "body": SUCCESS, "elapsed_ms": 1.4},
               "findings": [{"check": "negative_data_rejection", "severity": "error",
                             "message": "malformed case answered 200", "path": ""}],
               "curl": "curl -sS -X POST 'http://127.0.0.1:8080/api/openapi/personalTag?botId=b1'"}]},
    indent=2)
with open(os.path.join(ROOT, "contracts", "manta-openapi.json"), "rb") as f:
    SPEC = f.read()


def json_strict():
    write("json_strict", "design-success.json", SUCCESS)
    for code, body in ERRORS.items():
        write("json_strict", "design-error-%d.json" % code, body)
    write("json_strict", "design-request.json", REQUEST)
    write("json_strict", "design-request-unicode.json",
          '{"secret":"s","name":"\\u5ba2\\u6237 \\ud83d\\ude00 caf\u00e9\\t\\"q\\"\\\\"}')
    write("json_strict", "design-report.json", REPORT)
    write("json_strict", "design-spec.json", SPEC)
    write("json_strict", "numbers.json", "[0,-0,1.5e-3,1E+2,-12.5e10,123456789012345678901234567890,"
                                         "1e400,0.000001,9007199254740993]")
    write("json_strict", "deep.json", "[" * 200 + "]" * 200)
    write("json_strict", "too-deep.json", "[" * 300 + "]" * 300)


def jwt_verify():
    t = "jwt_verify"
    write(t, "valid", VALID)
    write(t, "valid-no-bot", token(HS, {"iat": 1, "exp": FAR}))
    write(t, "valid-bot-number", token(HS, {"botId": 7, "exp": FAR}))
    write(t, "expired", token(HS, {"botId": "fuzz-bot", "iat": 1, "exp": PAST}))
    write(t, "no-exp", token(HS, {"botId": "fuzz-bot", "iat": 1}))
    write(t, "exp-string", token(HS, {"botId": "fuzz-bot", "exp": "4102444800"}))
    write(t, "alg-none", token({"alg": "none", "typ": "JWT"}, {"botId": "fuzz-bot", "exp": FAR}, sign=False))
    write(t, "alg-hs512", token({"alg": "HS512"}, {"botId": "fuzz-bot", "exp": FAR}))
    write(t, "wrong-key", token(HS, {"botId": "fuzz-bot", "exp": FAR}, key=b"another key"))
    h, c, s = VALID.split(".")
    write(t, "tampered-sig", h + "." + c + "." + s[:-2] + ("AA" if s[-2:] != "AA" else "BA"))
    write(t, "tampered-claims", h + "." + b64(b'{"botId":"other","exp":4102444800}') + "." + s)
    write(t, "sig-padded", VALID + "=")
    write(t, "two-parts", h + "." + c)
    write(t, "four-parts", VALID + ".x")
    write(t, "header-array", b64(b"[1]") + "." + c + "." + s)
    write(t, "header-not-json", b64(b"{alg:HS256}") + "." + c + "." + s)
    write(t, "header-dup-alg", b64(b'{"alg":"none","alg":"HS256"}') + "." + c + "." + s)
    write(t, "noncanonical-b64", h[:-1] + "B." + c + "." + s)
    write(t, "std-base64-chars", h + "." + c + "." + s.replace("-", "+").replace("_", "/") + "+/")
    write(t, "empty", "")
    write(t, "dots", "..")
    write(t, "b64-1", "QQ")
    write(t, "b64-2", "QUI")
    write(t, "b64-3", "QUJD")
    write(t, "bot-unicode", "caf\u00e9 \u5ba2\u6237 \U0001F600")


def response_check():
    t = "response_check"

    def case(name, status, ctype, body):
        # 2 bytes: status - 100 big-endian; the content-type line; the body.
        write(t, name, bytes([(status - 100) >> 8, (status - 100) & 0xff]) +
              (ctype + "\n").encode() + body.encode())
    case("ok-200", 200, "application/json", SUCCESS)
    case("ok-200-charset", 200, "application/json; charset=utf-8", SUCCESS)
    for code, body in ERRORS.items():
        case("ok-%d" % code, code, "application/json", body)
    case("bad-200-success-string", 200, "application/json", '{"success":"true","message":"x"}')
    case("bad-200-no-message", 200, "application/json", '{"success":true}')
    case("bad-403-no-errresponse", 403, "application/json", '{"success":false}')
    case("bad-403-code-string", 403, "application/json",
         '{"success":false,"errResponse":{"message":"x","code":"403"}}')
    case("bad-trailing", 200, "application/json", SUCCESS + "xyz")
    case("bad-dupkey", 200, "application/json", '{"success":true,"success":false,"message":"x"}')
    case("bad-bom", 200, "application/json", "\ufeff" + SUCCESS)
    case("bad-html", 200, "text/html", "<html>ok</html>")
    case("bad-400", 400, "application/json", ERRORS[403].replace("403", "400"))
    case("bad-no-ctype", 200, "-", SUCCESS)
    case("bad-empty", 500, "application/json", "")
    case("bad-nan", 200, "application/json", '{"success":true,"message":"x","n":NaN}')
    case("ok-extra-props", 200, "application/json", '{"success":true,"message":"x","extra":[1,{}]}')
    case("wildcard-ctype", 200, "application/*", SUCCESS)
    case("problem-json", 403, "application/problem+json", ERRORS[403])
    case("status-599", 599, "application/json", "{}")


def spec_load():
    t = "spec_load"
    write(t, "manta-openapi.json", SPEC)
    d = os.path.join(ROOT, "tests", "data", "spec")
    if os.path.isdir(d):
        for name in sorted(os.listdir(d)):
            shutil.copyfile(os.path.join(d, name), os.path.join(ROOT, "corpus", t, "fixture-" + name))
    schemas = {
        "Tree": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
                 "additionalProperties": False},
        "All": {"allOf": [{"$ref": "#/components/schemas/Str"}, {"minLength": 1, "maxLength": 10}],
                "nullable": True},
        "Str": {"type": "string", "pattern": "^[a-z]+\\d*$", "format": "email"},
        "Any": {"anyOf": [{"type": "integer", "minimum": 0, "exclusiveMaximum": True, "maximum": 10,
                           "multipleOf": 0.5}, {"type": "string", "format": "date-time"},
                          {"type": "array", "uniqueItems": True, "minItems": 1, "maxItems": 3}]},
        "One": {"oneOf": [{"type": "boolean"}, {"not": {"enum": [1, "a", None]}}]},
        "Obj": {"type": "object", "required": ["a~b", "c/d"], "minProperties": 1, "maxProperties": 4,
                "properties": {"a~b": {"readOnly": True, "type": "string", "format": "uuid"},
                               "c/d": {"writeOnly": True, "type": "number", "format": "int32"}},
                "additionalProperties": {"$ref": "#/components/schemas/Any"}},
    }
    doc = {"openapi": "3.0.3", "info": {"title": "fuzz", "version": "1"},
           "components": {"schemas": schemas,
                          "securitySchemes": {"b": {"type": "http", "scheme": "bearer"}}},
           "security": [{"b": []}],
           "paths": {"/t/{id}": {
               "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
               "post": {"operationId": "t",
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Obj"}}}},
                        "responses": {
                            "200": {"description": "ok", "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Tree"}},
                                "text/*": {}}},
                            "4XX": {"description": "e", "content": {
                                "application/problem+json": {"schema": {"$ref": "#/components/schemas/One"}}}},
                            "default": {"description": "d", "content": {
                                "*/*": {"schema": {"$ref": "#/components/schemas/All"}}}}}},
               "get": {"security": [], "responses": {"204": {"description": "none"}}}}}}
    write(t, "keywords.json", json.dumps(doc, indent=1))
    write(t, "minimal.json", '{"openapi":"3.0.0","info":{"title":"m","version":"1"},"paths":{}}')


def refserver_request():
    t = "refserver_request"

    def req(name, method, query, auth, ctype, body, path="/openapi/personalTag"):
        write(t, name, "\n".join([method, path, query, auth, ctype]) + "\n" + body)
    ok = '{"secret":"fuzz-secret","name":"VIP customers"}'
    req("valid", "POST", "botId=fuzz-bot", "VALID", "application/json", ok)
    req("valid-twice-duplicate", "POST x2", "botId=fuzz-bot", "VALID", "application/json", ok)
    req("valid-cjk", "POST", "botId=fuzz-bot", "VALID", "application/json; charset=utf-8",
        '{"name":"  \u5ba2\u6237\u3000","secret":"fuzz-secret","extra":1}')
    req("valid-bot2", "POST", "botId=fuzz-bot-2", "VALID2", "application/json", ok)
    req("name-escapes", "POST", "botId=fuzz-bot", "VALID", "application/json",
        '{"secret":"fuzz-secret","name":"a\\u0000b\\ud83d\\ude00\\t"}')
    req("name-long", "POST", "botId=fuzz-bot", "VALID", "application/json",
        '{"secret":"fuzz-secret","name":"' + "x" * 1200 + '"}')
    req("name-empty", "POST", "botId=fuzz-bot", "VALID", "application/json", '{"secret":"fuzz-secret","name":"   "}')
    req("wrong-secret", "POST", "botId=fuzz-bot", "VALID", "application/json", '{"secret":"nope","name":"x"}')
    req("name-number", "POST", "botId=fuzz-bot", "VALID", "application/json", '{"secret":"fuzz-secret","name":1}')
    req("missing-name", "POST", "botId=fuzz-bot", "VALID", "application/json", '{"secret":"fuzz-secret"}')
    req("not-object", "POST", "botId=fuzz-bot", "VALID", "application/json", '["x"]')
    req("trailing", "POST", "botId=fuzz-bot", "VALID", "application/json", ok + "}")
    req("bom", "POST", "botId=fuzz-bot", "VALID", "application/json", "\ufeff" + ok)
    req("dupkey", "POST", "botId=fuzz-bot", "VALID", "application/json",
        '{"secret":"fuzz-secret","name":"a","name":"b"}')
    req("text-plain", "POST", "botId=fuzz-bot", "VALID", "text/plain", ok)
    req("no-ctype", "POST", "botId=fuzz-bot", "VALID", "", ok)
    req("empty-body", "POST", "botId=fuzz-bot", "VALID", "application/json", "")
    req("no-auth", "POST", "botId=fuzz-bot", "", "application/json", ok)
    req("basic-auth", "POST", "botId=fuzz-bot", "Basic Zm9vOmJhcg==", "application/json", ok)
    req("empty-bearer", "POST", "botId=fuzz-bot", "Bearer ", "application/json", ok)
    req("lowercase-bearer", "POST", "botId=fuzz-bot", "bearer VALIDTOKEN", "application/json", ok)
    req("expired", "POST", "botId=fuzz-bot", "EXPIRED", "application/json", ok)
    req("alg-none", "POST", "botId=fuzz-bot",
        "Bearer " + token({"alg": "none"}, {"botId": "fuzz-bot", "exp": FAR}, sign=False), "application/json", ok)
    h, c, s = VALID.split(".")
    req("tampered", "POST", "botId=fuzz-bot", "Bearer " + h + "." + c + "." + s[::-1], "application/json", ok)
    req("other-bot-token", "POST", "botId=fuzz-bot", "VALID2", "application/json", ok)
    req("no-botid", "POST", "", "VALID", "application/json", ok)
    req("empty-botid", "POST", "botId=", "VALID", "application/json", ok)
    req("repeated-botid", "POST", "botId=fuzz-bot&botId=fuzz-bot", "VALID", "application/json", ok)
    req("unknown-botid", "POST", "botId=nobody", "VALID", "application/json", ok)
    req("encoded-botid", "POST", "botId=fuzz%2Dbot&x=%zz&=&&y", "VALID", "application/json", ok)
    req("get", "GET", "botId=fuzz-bot", "VALID", "", "")
    req("delete", "DELETE", "botId=fuzz-bot", "VALID", "application/json", ok)
    req("other-path", "POST", "botId=fuzz-bot", "VALID", "application/json", ok, path="/openapi/other")
    req("fault-crash", "POST +crash-500", "botId=fuzz-bot", "VALID", "application/json", '{"secret":1}')
    req("fault-reset-long-name", "POST +reset-long-name", "botId=fuzz-bot", "VALID", "application/json",
        '{"secret":"fuzz-secret","name":"' + "y" * 1100 + '"}')
    req("fault-echo", "POST +echo-secret +echo-token +drop-message", "botId=fuzz-bot", "VALID",
        "application/json", '{"secret":"x","name":"n"}')


json_strict()
jwt_verify()
response_check()
spec_load()
refserver_request()
