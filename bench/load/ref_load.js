// ref_load.js FILE... — the reference side of bench/load: how long Node takes
// to parse the same documents (JSON.parse for .json, js-yaml for .yaml), best
// of 3. Parsing only: manta-harness also bundles $refs and compiles every
// schema, so this is a floor, not a like-for-like ratio.
const fs = require('fs');
const yaml = require(process.env.JS_YAML || 'js-yaml');
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const doc = file.endsWith('.json') ? JSON.parse(text) : yaml.load(text);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!doc) throw new Error('empty ' + file);
    best = Math.min(best, ms);
  }
  console.log(`node ${file.endsWith('.json') ? 'JSON.parse' : 'js-yaml'} ${file}: best ${best.toFixed(2)} ms`);
}
