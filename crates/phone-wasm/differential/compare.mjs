// Differential test: Phonedesk's embeddable module against libphonenumber-js (max metadata), in
// the version that carries the same libphonenumber metadata release as our plans (9.0.35:
// libphonenumber-js 1.13.9, installed as `libphonenumber-js-9.0.35`), so that a difference is a
// difference of rules, not of data.
//
//   node crates/phone-wasm/differential/compare.mjs <embed-dir> [--min 99.9] [--per-region 50] [--seed 1]
//
// <embed-dir> is `cargo xtask embed`'s output (target/embed/: the package; or
// target/embed/on-demand/, which fetches each calling code's plans the first time a number of
// the code is judged: here every code's, from its plans/ folder, before the comparison).
// Numbers are generated deterministically from libphonenumber-js's own metadata for every region
// whose calling code is in the provider's table, written in E.164, and judged by both sides.
// Exit 1 when agreement < --min, fewer than 10,000 numbers were compared, or a region of the
// table produced no candidate.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MIN_TOTAL = 10_000;
// The repository root, so the script finds node_modules/ and the table from any working directory.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(path.join(root, 'package.json'));

// ---- arguments
const args = process.argv.slice(2);
const options = { min: 99.9, 'per-region': 50, seed: 1 };
let embedDir;
for (let i = 0; i < args.length; i++) {
  const name = args[i].startsWith('--') ? args[i].slice(2) : null;
  if (name === null) { embedDir = args[i]; continue; }
  const value = Number(args[++i]);
  if (!(name in options) || !Number.isFinite(value)) usage(`bad option --${name}`);
  options[name] = value;
}
if (!embedDir) usage('missing <embed-dir>');
function usage(problem) {
  console.error(`${problem}\nusage: node compare.mjs <embed-dir> [--min 99.9] [--per-region 50] [--seed 1]`);
  process.exit(2);
}

// ---- the two sides
const PACKAGE = 'libphonenumber-js-9.0.35';
const lib = require(`${PACKAGE}/max`);
const metadata = require(`${PACKAGE}/metadata.max.json`);
// metadata.max.json has per-type patterns but no example numbers; only mobile examples ship
// (examples.mobile.json), so the other types' examples are drawn from their patterns below.
const mobileExamples = require(`${PACKAGE}/examples.mobile.json`);

// The package's entry for Node.js, which reads phone_wasm.wasm beside it.
const glue = await import(pathToFileURL(path.resolve(embedDir, 'phone_wasm.node.js')).href);
await glue.default();
// The on-demand build answers a number whose plans have not arrived by length alone, and says
// so; the others never do. A number of every code asks for its plans; then all have come.
const onDemand = fs.existsSync(path.join(embedDir, 'plans'));
const first = glue.checkNumber('+64', '021 123 4567', false);
if (first.planPending !== onDemand) {
  console.error(`FAIL: a first New Zealand number's planPending is ${first.planPending}`);
  process.exit(1);
}
for (const country of glue.countryCodes()) glue.checkNumber(country.code, '1', false);
await glue.plansReady();
const again = glue.checkNumber('+64', '021 123 4567', false);
if (again.planPending || again.kind !== 'mobile') {
  console.error(`FAIL: once its plans came, New Zealand's mobile is ${JSON.stringify(again)}`);
  process.exit(1);
}

// ---- the regions: every libphonenumber region of every calling code in the provider's table
const table = fs.readFileSync(path.join(root, 'crates/phone-model/data/country-codes.csv'), 'utf8');
const tableCodes = new Set();
for (const line of table.trim().split('\n').slice(1)) {
  const match = /^(?:"[^"]*"|[^,]*),\+(\d+),/.exec(line); // the name may be quoted and hold commas
  if (match) tableCodes.add(match[1]);
}
const skippedCodes = [...tableCodes].filter((code) => !metadata.country_calling_codes[code]);
const regions = [...tableCodes]
  .filter((code) => metadata.country_calling_codes[code])
  .flatMap((code) => metadata.country_calling_codes[code].map((region) => ({ region, code })));
const perRegion = Math.max(options['per-region'], Math.ceil(MIN_TOTAL / regions.length));

// ---- a seeded PRNG (mulberry32): same seed, same numbers, on any machine
let state = options.seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(random() * n);
const pick = (list) => list[below(list.length)];
const digit = () => String(below(10));
const digits = (n) => Array.from({ length: n }, digit).join('');

// ---- drawing numbers from the metadata's patterns. They use a small regex subset: digits,
// \d, [..] classes with ranges, (..) and (?:..) groups, |, ?, {n} and {n,m}; * and + are
// handled too, bounded, in case a later metadata uses them.
const parsed = new Map();
function parseRegex(src) {
  let i = 0;
  const alternatives = () => {
    const options = [sequence()];
    while (src[i] === '|') { i++; options.push(sequence()); }
    return { options };
  };
  const sequence = () => {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') items.push(quantified(atom()));
    return items;
  };
  const atom = () => {
    const c = src[i++];
    if (c === '(') {
      if (src.startsWith('?:', i)) i += 2;
      const group = alternatives();
      i++; // ')'
      return group;
    }
    if (c === '\\') return { chars: src[i++] === 'd' ? '0123456789' : src[i - 1] };
    if (c !== '[') return { chars: c };
    let chars = '';
    while (src[i] !== ']') {
      const from = src[i++];
      if (src[i] === '-' && src[i + 1] !== ']') {
        for (let k = from.charCodeAt(0); k <= src.charCodeAt(i + 1); k++) chars += String.fromCharCode(k);
        i += 2;
      } else chars += from;
    }
    i++; // ']'
    return { chars };
  };
  const quantified = (node) => {
    const q = /^(?:\?|\*|\+|\{(\d+)(,(\d*))?\})/.exec(src.slice(i));
    if (!q) return { node, min: 1, max: 1 };
    i += q[0].length;
    if (q[0] === '?') return { node, min: 0, max: 1 };
    if (q[0] === '*') return { node, min: 0, max: 3 };
    if (q[0] === '+') return { node, min: 1, max: 4 };
    const min = Number(q[1]);
    return { node, min, max: q[2] ? (q[3] ? Number(q[3]) : min + 3) : min };
  };
  return alternatives();
}
function draw(node) {
  if (node.chars) return pick(node.chars);
  if (node.options) return pick(node.options).map(draw).join('');
  let out = '';
  for (let n = node.min + below(node.max - node.min + 1); n > 0; n--) out += draw(node.node);
  return out;
}
// A number matching `pattern`, preferring one of the allowed lengths (patterns often allow
// more lengths than the type's possible lengths).
function fromPattern(pattern, lengths) {
  if (!parsed.has(pattern)) parsed.set(pattern, parseRegex(pattern));
  let number = '';
  for (let tries = 0; tries < 30; tries++) {
    number = draw(parsed.get(pattern));
    if (lengths.includes(number.length)) break;
  }
  return number;
}

// ---- candidates for one region
// A region's metadata is an array (libphonenumber-js's source/metadata.js reads it): [2] the
// national number pattern, [3] its possible lengths, [11] one [pattern, possibleLengths?] per
// type in the order fixed line, mobile, toll free, premium rate, personal number, voicemail,
// UAN, pager, VoIP, shared cost — 0 for a type the region lacks.
function candidates({ region, code }) {
  const plan = metadata.countries[region];
  const lengths = plan[3];
  const types = (plan[11] || []).filter(Boolean).map(([pattern, own]) => ({ pattern, lengths: own || lengths }));
  if (types.length === 0) types.push({ pattern: plan[2], lengths });
  const example = (t) => fromPattern(t.pattern, t.lengths);
  // Examples: Google's mobile example, then one drawn from every type's pattern.
  const examples = [mobileExamples[region], ...types.map(example)].filter(Boolean);
  const out = new Set(examples);
  for (let tries = 0; out.size < perRegion && tries < perRegion * 20; tries++) {
    const base = random() < 0.5 ? pick(examples) : example(pick(types));
    const r = random();
    let number;
    if (r < 0.05) number = base; // another example of a type
    else if (r < 0.25) { // trailing digits replaced: often still valid, less so the more replaced
      const n = 1 + below(Math.min(6, base.length - 1));
      number = base.slice(0, -n) + digits(n);
    } else if (r < 0.6) { // one digit too many or too few
      const at = below(base.length + 1);
      number = base.slice(0, at) + (random() < 0.5 ? digit() + base.slice(at) : base.slice(at + 1));
    } else { // a possible length, a real leading digit sequence, the rest random
      const length = pick(lengths);
      const lead = base.slice(0, 1 + below(Math.min(4, length)));
      number = lead + digits(Math.max(0, length - lead.length));
    }
    if (number.length > 0) out.add(number);
  }
  return [...out].map((national) => `+${code}${national}`);
}

// ---- the verdicts
const LIB_KINDS = { FIXED_LINE: 'landline', MOBILE: 'mobile', FIXED_LINE_OR_MOBILE: 'landlineOrMobile',
  TOLL_FREE: 'tollFree', PREMIUM_RATE: 'premiumRate', SHARED_COST: 'sharedCost', VOIP: 'voip',
  PERSONAL_NUMBER: 'personalNumber', PAGER: 'pager', UAN: 'uan', VOICEMAIL: 'voicemail' };
function libVerdict(text) {
  const p = lib.parsePhoneNumberFromString(text);
  const valid = p?.isValid() ?? false;
  // An invalid number has no type here, whatever its pattern matches.
  return { valid, kind: valid ? (LIB_KINDS[p.getType()] ?? 'unknown') : 'unknown' };
}
function ourVerdict(code, text) {
  try {
    const kind = glue.formatPhoneNumber(`+${code}`, '', text)?.kind ?? 'unknown';
    const valid = glue.isValidNumber(`+${code}`, text);
    return { valid, kind };
  } catch (error) { // a throw is a disagreement to see, not a reason to stop
    return { valid: false, kind: `threw: ${error.message}` };
  }
}

// ---- compare
let compared = 0, agreed = 0, libValid = 0, ourValid = 0, fingerprint = 0x811c9dc5;
// libphonenumber-js answers "fixed line or mobile" for a fixed line of a region with no mobile
// numbers at all (Tristan da Cunha): it cannot tell a mobile pattern left out of its metadata
// for being the fixed line's from one that does not exist. libphonenumber itself, and Phonedesk,
// say "fixed line". Counted apart, as agreement with libphonenumber, and reported.
let knownDeviation = 0;
const noMobiles = (region) => !(metadata.countries[region][11] || [])[1];
const perRegionCount = new Map(), disagreementsByRegion = new Map(), disagreements = [], libKinds = {};
const verdict = ({ valid, kind }) => `${valid ? 'valid' : 'invalid'}/${kind}`;
for (const entry of regions) {
  const texts = candidates(entry);
  perRegionCount.set(entry.region, texts.length);
  for (const text of texts) {
    // FNV-1a over every candidate: equal fingerprints mean the same numbers were generated.
    for (const c of text) fingerprint = Math.imul(fingerprint ^ c.charCodeAt(0), 0x01000193) >>> 0;
    const theirs = libVerdict(text), ours = ourVerdict(entry.code, text);
    compared++;
    if (theirs.valid) libValid++;
    libKinds[theirs.kind] = (libKinds[theirs.kind] ?? 0) + 1;
    if (ours.valid) ourValid++;
    if (theirs.valid === ours.valid && theirs.kind === ours.kind) { agreed++; continue; }
    if (theirs.valid && ours.valid && theirs.kind === 'landlineOrMobile' && ours.kind === 'landline'
      && noMobiles(entry.region)) { agreed++; knownDeviation++; continue; }
    disagreementsByRegion.set(entry.region, (disagreementsByRegion.get(entry.region) ?? 0) + 1);
    if (disagreements.length < 40) {
      disagreements.push(`${text} ${entry.region}: phonedesk ${verdict(ours)} vs libphonenumber-js ${verdict(theirs)}`);
    }
  }
}

// ---- report
const percent = (n, d) => (d === 0 ? 0 : (100 * n) / d).toFixed(2);
const agreement = compared === 0 ? 0 : (100 * agreed) / compared;
const empty = regions.filter(({ region }) => !perRegionCount.get(region));
const libVersion = require(`${PACKAGE}/package.json`).version;
console.log(`libphonenumber-js ${libVersion} (max metadata) vs Phonedesk ${path.resolve(embedDir)}`);
for (const code of skippedCodes) {
  console.log(`skipped +${code}: in the provider's table, but libphonenumber-js has no region for it`);
}
const print = (label, text) => console.log(`${`${label}:`.padEnd(26)}${text}`);
print('seed', `${options.seed}, ${perRegion} per region, fingerprint ${fingerprint.toString(16).padStart(8, '0')}`);
print('numbers compared', compared);
const codes = tableCodes.size - skippedCodes.length;
print('regions covered', `${regions.length - empty.length} of ${regions.length} (${codes} calling codes)`);
print('valid share', `${percent(libValid, compared)}% by libphonenumber-js, ${percent(ourValid, compared)}% by Phonedesk`);
print('libphonenumber-js types', Object.entries(libKinds).sort((a, b) => b[1] - a[1]).map((e) => e.join(' ')).join(', '));
print('agreement', `${agreement.toFixed(2)}% (${agreed} of ${compared}; minimum ${options.min}%)`);
print('of which', `${knownDeviation} fixed lines of regions without mobiles (libphonenumber-js says fixed line or mobile); without them ${percent(agreed - knownDeviation, compared)}%`);
const worst = [...disagreementsByRegion].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 15);
if (worst.length) print('most disagreements', worst.map(([region, n]) => `${region} ${n}`).join(', '));
if (disagreements.length) console.log(`first ${disagreements.length} disagreements:\n  ${disagreements.join('\n  ')}`);

const failures = [];
if (agreement < options.min) failures.push(`agreement ${agreement.toFixed(2)}% is below ${options.min}%`);
if (compared < MIN_TOTAL) failures.push(`only ${compared} numbers compared (need ${MIN_TOTAL})`);
if (empty.length) failures.push(`no candidates for ${empty.map((e) => e.region).join(', ')}`);
for (const failure of failures) console.log(`FAIL: ${failure}`);
process.exit(failures.length ? 1 : 0);
