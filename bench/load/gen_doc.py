#!/usr/bin/env python3
"""gen_doc.py N OUT.json OUT.yaml — a synthetic OpenAPI 3.0 document with N
operations (N/2 paths, GET + POST each), a $ref chain of depth 8 per resource,
a 200-value enum per resource, path and query parameters, request and response
bodies, written as JSON and as equivalent YAML (block style)."""
import json
import sys


def document(n):
    paths, schemas = {}, {}
    for i in range((n + 1) // 2):
        name = "Res%05d" % i
        chain = ["%sL%d" % (name, d) for d in range(8)]
        for d, link in enumerate(chain):
            nxt = chain[d + 1] if d + 1 < len(chain) else None
            props = {"v%d" % d: {"type": "string", "maxLength": 64}}
            if nxt:
                props["next"] = {"$ref": "#/components/schemas/" + nxt}
            schemas[link] = {"type": "object", "properties": props}
        schemas[name] = {
            "type": "object",
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "kind": {"type": "string", "enum": ["k%03d" % k for k in range(200)]},
                "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
                "deep": {"$ref": "#/components/schemas/" + chain[0]},
            },
        }
        ref = {"$ref": "#/components/schemas/" + name}
        ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        err = {"description": "error", "content": {"application/json": {"schema": {
            "type": "object", "required": ["message"],
            "properties": {"message": {"type": "string"}}}}}}
        paths["/r%05d/{id}" % i] = {
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "get": {"operationId": "get%05d" % i,
                    "parameters": [{"name": "fields", "in": "query",
                                    "schema": {"type": "array", "items": {"type": "string"}}}],
                    "responses": {"200": ok, "default": err}},
            "post": {"operationId": "post%05d" % i,
                     "requestBody": {"required": True,
                                     "content": {"application/json": {"schema": ref}}},
                     "responses": {"201": ok, "4XX": err}},
        }
    return {"openapi": "3.0.3", "info": {"title": "synthetic %d" % n, "version": "1"},
            "paths": paths, "components": {"schemas": schemas}}


def yaml_scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v)  # double-quoted YAML scalars are JSON strings


def yaml_lines(v, indent, out):
    pad = "  " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:" % (pad, json.dumps(k)))
                yaml_lines(x, indent + 1, out)
            else:
                out.append("%s%s: %s" % (pad, json.dumps(k), yaml_scalar(x) if not isinstance(x, (dict, list)) else ("{}" if isinstance(x, dict) else "[]")))
    else:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = []
                yaml_lines(x, indent + 1, sub)
                first = sub[0].lstrip()
                out.append("%s- %s" % (pad, first))
                out.extend(sub[1:])
            else:
                out.append("%s- %s" % (pad, yaml_scalar(x)))


def main():
    n, out_json, out_yaml = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    doc = document(n)
    with open(out_json, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    lines = []
    yaml_lines(doc, 0, lines)
    with open(out_yaml, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
