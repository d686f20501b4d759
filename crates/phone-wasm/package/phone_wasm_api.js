// The module's functions. Each checks its arguments, writes them into the wasm's memory as
// UTF-8, calls one export of src/abi.rs once, and builds its answer object from the one string
// it answers (src/lib.rs says how answers are written). The rules stay in Rust; reading a
// page's objects and making new ones happen here, where that is cheap.

import { packs, wasm } from "./phone_wasm_load.js";

const PART = "\u0001";
const PAIR = "\u0002";
const ITEM = "\u0003";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A view of the wasm's memory, made again when memory has grown (which detaches the old).
let bytes = new Uint8Array(0);
// The input buffer's address and size (`input` in abi.rs), and where the next argument goes.
let input = 0;
let capacity = 0;
let cursor = 0;
// Where each answer's length is; the error messages `validate`'s letters stand for.
let lengthAt = -1;
let messages = null;

// The exports, or `Error("call init() first")`: without the check, a call before `init()`
// would fail with "Cannot read properties of null".
function ready() {
  if (wasm === null) throw new Error("call init() first");
  return wasm;
}

function memory() {
  if (bytes.byteLength === 0) bytes = new Uint8Array(wasm.memory.buffer);
  return bytes;
}

// Makes room for arguments of `units` UTF-16 code units in all (at most 3 bytes of UTF-8
// each), and starts writing at the buffer's start.
function begin(units) {
  if (units * 3 > capacity) {
    capacity = Math.max(units * 3, 256);
    input = wasm.input(capacity);
    bytes = new Uint8Array(wasm.memory.buffer);
  }
  cursor = input;
}

// Writes `text` after the previous argument; its length in bytes. ASCII by hand, which for
// the short texts of a call is several times faster than `encodeInto` and its view.
function put(text) {
  const view = memory();
  const start = cursor;
  let i = 0;
  for (; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) break;
    view[cursor++] = unit;
  }
  if (i < text.length) {
    const rest = view.subarray(cursor, input + capacity);
    cursor += encoder.encodeInto(i === 0 ? text : text.slice(i), rest).written;
  }
  return cursor - start;
}

// The text of the answer at `at`.
function answer(at) {
  const view = memory();
  const length =
    (view[lengthAt] | (view[lengthAt + 1] << 8) | (view[lengthAt + 2] << 16) | (view[lengthAt + 3] << 24)) >>> 0;
  return decoder.decode(view.subarray(at, at + length));
}

// A string argument; `undefined` and `null` read as empty.
function argument(value, name) {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new Error(name + " must be a string");
  return value;
}

// Where the answers' lengths are, and the error messages: read once.
function learn(exports) {
  if (lengthAt < 0) lengthAt = exports.answer_length();
  if (messages === null) messages = fieldMessages(answer(exports.messages()));
}

// Each own member of `fields` as `<name length>:<name><tag>`, the tag followed by
// `<length>:<text>` for a string. Tags: s string, t true, f false, u undefined, n null, o any
// other value. Lengths count UTF-16 code units, as JavaScript's do.
function packMembers(fields) {
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new Error(
      "validatePhoneNumber expects an object with the phone number's fields, such as { phoneName, countryCode, areaCode, phoneNumber, phoneType, isPrimary }",
    );
  }
  let packed = "";
  for (const name of Object.keys(fields)) {
    let value;
    try {
      value = fields[name];
    } catch {
      throw new Error(`reading the member ${name} threw`);
    }
    packed += name.length + ":" + name;
    switch (typeof value) {
      case "string":
        packed += "s" + value.length + ":" + value;
        break;
      case "boolean":
        packed += value ? "t" : "f";
        break;
      case "undefined":
        packed += "u";
        break;
      default:
        packed += value === null ? "n" : "o";
    }
  }
  return packed;
}

// `field PAIR message` joined by ITEM, as `{ field, message }` objects.
function fieldMessages(list) {
  return list === "" ? [] : list.split(ITEM).map((entry) => {
    const [field, message] = entry.split(PAIR);
    return { field, message };
  });
}

// The reason and the forms that end a validation's or a check's answer, from `at` on, onto
// `result`: the reason as `code PART <length>:message<length>:plain message` (the messages
// counted, since they may hold a character that was typed) or nothing, then PART and the
// forms as `forms` reads them.
function reasonAndForms(text, at, result) {
  let reason = null;
  let reasonMessage = null;
  let reasonPlainMessage = null;
  if (text[at] !== PART) {
    const end = text.indexOf(PART, at);
    reason = text.slice(at, end);
    at = end + 1;
    for (let i = 0; i < 2; i++) {
      const colon = text.indexOf(":", at);
      const next = colon + 1 + Number(text.slice(at, colon));
      if (i === 0) reasonMessage = text.slice(colon + 1, next);
      else reasonPlainMessage = text.slice(colon + 1, next);
      at = next;
    }
  }
  const found = forms(text.slice(at + 1));
  result.e164 = found && found.e164;
  result.national = found && found.national;
  result.international = found && found.international;
  result.telUri = found && found.telUri;
  result.kind = found && found.kind;
  result.reason = reason;
  result.reasonMessage = reasonMessage;
  result.reasonPlainMessage = reasonPlainMessage;
  return result;
}

// `e164 PART national PART international PART tel PART kind`, or null for nothing.
function forms(text) {
  if (text === "") return null;
  const [e164, national, international, telUri, kind] = text.split(PART);
  return { e164, national, international, telUri, kind };
}

// `name PAIR code PAIR area codes (joined by ",") PAIR region id PAIR main`, as a Country.
function country(row) {
  const [name, code, areaCodes, regionId, main] = row.split(PAIR);
  return {
    name,
    code,
    areaCodes: areaCodes === "" ? [] : areaCodes.split(","),
    regionId: regionId === "" ? null : regionId,
    main: main === "1",
  };
}

// The on-demand build (its wasm exports `add_plans`): the packs asked for, by calling code, and
// the codes whose pack could not be had (a code with no plan, a failed download), which are
// judged by length alone for the page's life rather than asked for at every call.
const requested = new Map();
const missing = new Set();

// Starts fetching the packs of the calling codes the last call needed and did not have; whether
// one it needed is still to come (the answer was then judged by length alone). Call it after
// the call's answer has been read: asking makes a new answer.
function wantPlans(exports) {
  if (exports.plans_wanted === undefined) return false;
  const wanted = answer(exports.plans_wanted());
  let pending = false;
  for (const code of wanted === "" ? [] : wanted.split(",")) {
    request(code);
    if (!missing.has(code)) pending = true;
  }
  return pending;
}

function request(code) {
  if (!requested.has(code)) {
    const adding = addPack(code);
    // Awaited by plansReady and preloadPlans; a failure is theirs to report, not unhandled.
    adding.catch(() => {});
    requested.set(code, adding);
  }
  return requested.get(code);
}

async function addPack(code) {
  try {
    const pack = await packs.read(new URL(`${code}.bin`, packs.where()));
    const exports = ready();
    begin(Math.ceil(pack.length / 3));
    memory().set(pack, input);
    if (exports.add_plans(pack.length) === 0) throw new Error(`plans/${code}.bin is not a pack of plans`);
  } catch (error) {
    missing.add(code);
    throw error;
  }
}

export function plansReady() {
  return Promise.allSettled(requested.values()).then(() => undefined);
}

export function preloadPlans(regions) {
  const exports = ready();
  if (exports.add_plans === undefined || !regions || regions.length === 0) return Promise.resolve();
  const codes = countryCodes()
    .filter((country) => regions.includes(country.regionId))
    .map((country) => country.code.slice(1));
  return Promise.all([...new Set(codes)].map(request)).then(() => undefined);
}

export function validatePhoneNumber(fields) {
  const exports = ready();
  learn(exports);
  const packed = packMembers(fields);
  begin(packed.length);
  const text = answer(exports.validate(put(packed)));
  const planPending = wantPlans(exports);
  // valid PART errors PART warnings PART reason and forms
  const errorsAt = text.indexOf(PART) + 1;
  const warningsAt = text.indexOf(PART, errorsAt) + 1;
  const restAt = text.indexOf(PART, warningsAt) + 1;
  const errors = [];
  for (let i = errorsAt; i < warningsAt - 1; i++) {
    const { field, message } = messages[text.charCodeAt(i) - 65];
    errors.push({ field, message });
  }
  return reasonAndForms(text, restAt, {
    valid: text[0] === "1",
    errors,
    warnings: fieldMessages(text.slice(warningsAt, restAt - 1)),
    planPending,
  });
}

export function formatPhoneNumber(countryCode, areaCode, phoneNumber) {
  const exports = ready();
  learn(exports);
  const code = argument(countryCode, "countryCode");
  const area = argument(areaCode, "areaCode");
  const number = argument(phoneNumber, "phoneNumber");
  begin(code.length + area.length + number.length);
  const found = forms(answer(exports.format(put(code), put(area), put(number))));
  wantPlans(exports);
  return found;
}

export function checkNumber(countryCode, number, plain) {
  const exports = ready();
  learn(exports);
  const code = argument(countryCode, "countryCode");
  const digits = argument(number, "number");
  begin(code.length + digits.length);
  // `plain` goes as it is: WebAssembly reads it as a number (true 1, false or nothing 0).
  const reply = answer(exports.check(put(code), put(digits), plain));
  const planPending = wantPlans(exports);
  // valid PART message PART warnings PART reason and forms
  const messageAt = reply.indexOf(PART) + 1;
  const warningsAt = reply.indexOf(PART, messageAt) + 1;
  const restAt = reply.indexOf(PART, warningsAt) + 1;
  const warnings = reply.slice(warningsAt, restAt - 1);
  return reasonAndForms(reply, restAt, {
    valid: reply[0] === "1",
    message: reply.slice(messageAt, warningsAt - 1),
    warnings: warnings === "" ? [] : warnings.split(ITEM),
    planPending,
  });
}

export function isValidNumber(countryCode, number) {
  const exports = ready();
  if (countryCode === undefined || countryCode === null || number === undefined || number === null) {
    return false;
  }
  // Anything but a string is read as its text.
  const code = typeof countryCode === "string" ? countryCode : String(countryCode);
  const digits = typeof number === "string" ? number : String(number);
  begin(code.length + digits.length);
  const valid = exports.is_valid(put(code), put(digits)) === 1;
  wantPlans(exports);
  return valid;
}

export function formatAsYouType(countryCode, typed) {
  const exports = ready();
  learn(exports);
  const code = argument(countryCode, "countryCode");
  const digits = argument(typed, "text");
  begin(code.length + digits.length);
  const grouped = answer(exports.as_you_type(put(code), put(digits)));
  wantPlans(exports);
  return grouped;
}

// The table's rows as the module writes them, read once: `countryChoices` answers with places
// in it.
let rows = null;
function tableRows(exports) {
  rows ??= answer(exports.countries()).split(ITEM);
  return rows;
}

export function countryCodes() {
  const exports = ready();
  learn(exports);
  return tableRows(exports).map(country);
}

// Text for `countryChoices`, lower case and decomposed by the browser's Unicode tables, which
// the wasm does without (8.6 KB of gzip): the module folds Latin letters itself, and then
// every script compares in any case or accent.
const decased = (text) => text.normalize("NFD").toLowerCase();

// A page's own names of the table's rows, in its order, joined by ITEM (which none may hold).
function pageNames(names) {
  if (names === undefined || names === null) return "";
  if (!Array.isArray(names)) throw new Error("names must be an array of strings, in countryCodes() order");
  return names.map((name) => decased(argument(name, "each of names")).replaceAll(ITEM, "")).join(ITEM);
}

export function countryChoices(typed, names) {
  const exports = ready();
  learn(exports);
  const text = decased(argument(typed, "typed"));
  const shown = pageNames(names);
  begin(text.length + shown.length);
  const places = answer(exports.choices(put(text), put(shown)));
  const table = tableRows(exports);
  return places === "" ? [] : places.split(",").map((at) => country(table[Number(at)]));
}

export function writtenCountry(countryCode, phoneNumber) {
  const exports = ready();
  learn(exports);
  const code = argument(countryCode, "countryCode");
  const number = argument(phoneNumber, "phoneNumber");
  begin(code.length + number.length);
  const row = answer(exports.written(put(code), put(number)));
  wantPlans(exports);
  return row === "" ? null : country(row);
}
