// bench/validate/ajv.js — the same documents through JSON.parse + ajv.
//
// usage: node ajv.js SPEC DOCS REPS VERDICTS_OUT [VERDICTS_C]
//
// Reads every document (format: see bench_validate.c) into memory, compiles
// BasicSuccessResponse and ErrorResponse from the OpenAPI document as JSON
// Schema (draft-07; strict: false, allErrors: true), then times REPS passes of
// JSON.parse + validate and keeps the best. Two timings:
//   best_s         documents already decoded to JS strings (ajv's best case:
//                  UTF-8 decoding is outside the timed loop)
//   best_decode_s  bytes in, like the C side: TextDecoder (fatal, BOM kept)
//                  + JSON.parse + validate
// each as best wall-clock and best process CPU time (*_cpu_s; includes V8's
// GC and compiler threads, which is work the validation costs).
// Invalid UTF-8 fails the decode and counts as "not JSON", as in C.
// With VERDICTS_C it compares verdicts document by document and classifies
// every disagreement by the generator's category.
'use strict';
const fs = require('fs');
const path = require('path');

const ajvDir = process.env.AJV_DIR || path.join(__dirname, '..', '.ajv', 'node_modules', 'ajv');
const Ajv = require(ajvDir).default;

const [specPath, docsPath, repsArg, verdictsOut, verdictsC] = process.argv.slice(2);
if (!verdictsOut) {
  console.error('usage: node ajv.js SPEC DOCS REPS VERDICTS_OUT [VERDICTS_C]');
  process.exit(2);
}
const reps = Math.max(1, parseInt(repsArg, 10) || 1);
const SCHEMAS = ['BasicSuccessResponse', 'ErrorResponse'];

// OpenAPI 3.0 Schema Object -> JSON Schema draft-07 for what this spec uses:
// $refs into components/schemas become #/definitions/..., `nullable` becomes a
// "null" type. Maps of schemas (properties, definitions) keep their names.
function toJsonSchema(s) {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace(/^#\/components\/schemas\//, '#/definitions/');
    } else if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p)]));
    } else if (k !== 'nullable') {
      out[k] = toJsonSchema(v);
    }
  }
  if (s.nullable === true && typeof s.type === 'string') out.type = [s.type, 'null'];
  return out;
}

function compile(spec) {
  const defs = {};
  for (const [n, sch] of Object.entries(spec.components.schemas)) defs[n] = toJsonSchema(sch);
  const ajv = new Ajv({ strict: false, allErrors: true });
  return SCHEMAS.map((n) => ajv.compile({ definitions: defs, $ref: `#/definitions/${n}` }));
}

// Returns { bufs, schema, category } with every document as its own Buffer view.
function loadDocs(file) {
  const data = fs.readFileSync(file);
  const bufs = [], schema = [], category = [];
  let at = 0;
  while (at < data.length) {
    const nl = data.indexOf(10, at);
    const [s, cat, len] = data.toString('latin1', at, nl).split(' ');
    const n = parseInt(len, 10);
    bufs.push(data.subarray(nl + 1, nl + 1 + n));
    schema.push(s === '1' ? 1 : 0);
    category.push(cat);
    at = nl + 1 + n + 1;
  }
  return { bufs, schema, category };
}

// -1 not JSON, else the number of errors (0 = valid).
function checkString(str, validate) {
  let value;
  try {
    value = JSON.parse(str);
  } catch (e) {
    return -1;
  }
  return validate(value) ? 0 : validate.errors.length;
}

// Each pass returns [wall seconds, CPU seconds of the whole process].
function since(t0, c0) {
  const c = process.cpuUsage(c0);
  return [Number(process.hrtime.bigint() - t0) / 1e9, (c.user + c.system) / 1e6];
}

function timeStrings(strs, schema, validators, verdict) {
  const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  for (let i = 0; i < strs.length; i++) {
    const s = strs[i];
    verdict[i] = s === null ? -1 : checkString(s, validators[schema[i]]);
  }
  return since(t0, c0);
}

function timeBytes(bufs, schema, validators, verdict) {
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  for (let i = 0; i < bufs.length; i++) {
    let s;
    try {
      s = dec.decode(bufs[i]);
    } catch (e) {
      verdict[i] = -1;
      continue;
    }
    verdict[i] = checkString(s, validators[schema[i]]);
  }
  return since(t0, c0);
}

function decodeAll(bufs) {
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return bufs.map((b) => {
    try {
      return dec.decode(b);
    } catch (e) {
      return null;
    }
  });
}

function compare(docs, ours, theirs) {
  const byCat = new Map();
  let total = 0, countDiff = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i], b = theirs[i];
    if ((a === 0) !== (b === 0)) {
      total++;
      const key = `${docs.category[i]}: manta-harness ${a === 0 ? 'valid' : a < 0 ? 'not JSON' : 'invalid'}, ajv ${b === 0 ? 'valid' : b < 0 ? 'not JSON' : 'invalid'}`;
      const e = byCat.get(key) || { n: 0, example: i };
      e.n++;
      byCat.set(key, e);
    } else if (a > 0 && b > 0 && a !== b) {
      countDiff++;
    }
  }
  console.log(`verdict disagreements: ${total} of ${ours.length}`);
  let unexpected = 0;
  for (const [key, e] of [...byCat].sort()) {
    const design = key.startsWith('design_');
    if (!design) unexpected += e.n;
    const ex = docs.bufs[e.example].toString('utf8').slice(0, 100).replace(/[\x00-\x1f]/g, ' ');
    console.log(`  ${design ? 'by design ' : 'UNEXPECTED'} ${String(e.n).padStart(6)}  ${key}`);
    console.log(`             e.g. doc ${e.example}: ${ex}`);
  }
  console.log(`unexpected disagreements: ${unexpected}`);
  console.log(`both invalid, different violation counts: ${countDiff} (informational)`);
  return unexpected;
}

function main() {
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
  const validators = compile(spec);
  const docs = loadDocs(docsPath);
  const n = docs.bufs.length;
  let bytes = 0;
  for (const b of docs.bufs) bytes += b.length;
  const strs = decodeAll(docs.bufs);
  const verdict = new Array(n).fill(0);
  const verdict2 = new Array(n).fill(0);
  // One untimed pass each to let the JIT settle, then the timed ones.
  timeStrings(strs, docs.schema, validators, verdict);
  timeBytes(docs.bufs, docs.schema, validators, verdict2);
  let best = Infinity, bestCpu = Infinity, bestDecode = Infinity, bestDecodeCpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const [w, c] = timeStrings(strs, docs.schema, validators, verdict);
    const [dw, dc] = timeBytes(docs.bufs, docs.schema, validators, verdict2);
    [best, bestCpu] = [Math.min(best, w), Math.min(bestCpu, c)];
    [bestDecode, bestDecodeCpu] = [Math.min(bestDecode, dw), Math.min(bestDecodeCpu, dc)];
  }
  let valid = 0, notJson = 0, same = 0;
  for (let i = 0; i < n; i++) {
    valid += verdict[i] === 0;
    notJson += verdict[i] < 0;
    same += verdict[i] === verdict2[i];
  }
  if (same !== n) console.error(`ajv.js: decode and string passes disagree on ${n - same} documents`);
  fs.writeFileSync(verdictsOut, verdict.map((v) => `${v === 0 ? 1 : 0} ${v}\n`).join(''));
  let unexpected = 0;
  if (verdictsC) {
    const ours = fs.readFileSync(verdictsC, 'utf8').trim().split('\n').map((l) => parseInt(l.split(' ')[1], 10));
    if (ours.length !== n) throw new Error(`${verdictsC}: ${ours.length} verdicts for ${n} documents`);
    unexpected = compare(docs, ours, verdict);
  }
  console.log(`docs=${n} bytes=${bytes} best_s=${best.toFixed(6)} best_cpu_s=${bestCpu.toFixed(6)} best_decode_s=${bestDecode.toFixed(6)} best_decode_cpu_s=${bestDecodeCpu.toFixed(6)} valid=${valid} invalid=${n - valid} not_json=${notJson} unexpected=${unexpected}`);
}

main();
