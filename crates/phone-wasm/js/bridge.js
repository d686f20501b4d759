// The JavaScript half of the module's calls: reading a page's object and building the answer
// objects happen here, where property access is cheap, so each call crosses into WebAssembly
// once with one string and comes back with one. The rules stay in Rust.

let messages = [];

// Each own member of `fields` as `<name length>:<name><tag>`, the tag followed by
// `<length>:<text>` for a string. Tags: s string, t true, f false, u undefined, n null, o any
// other value. Lengths count UTF-16 code units, as JavaScript's do.
export function packMembers(fields) {
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

// `field \u0002 message` joined by `\u0003`, as `{ field, message }` objects.
function messagesOf(text) {
  return text === "" ? [] : text.split("\u0003").map((entry) => {
    const [field, message] = entry.split("\u0002");
    return { field, message };
  });
}

// The module's error messages, kept for every call.
export function learnMessages(table) {
  messages = messagesOf(table);
}

// An answer is parts joined by `\u0001`: valid (1 or 0), error codes (one character each,
// "A" is message 0), warnings (`field \u0002 message` joined by `\u0003`), then the number's
// forms: e164 (empty when the number cannot be read), national, international, tel: URI, kind.
export function makeValidation(answer) {
  const parts = answer.split("\u0001");
  const errors = [];
  for (let i = 0; i < parts[1].length; i++) {
    const { field, message } = messages[parts[1].charCodeAt(i) - 65];
    errors.push({ field, message });
  }
  const warnings = messagesOf(parts[2]);
  const readable = parts[3] !== "";
  return {
    valid: parts[0] === "1",
    errors,
    warnings,
    e164: readable ? parts[3] : null,
    national: readable ? parts[4] : null,
    international: readable ? parts[5] : null,
    telUri: readable ? parts[6] : null,
    kind: readable ? parts[7] : null,
  };
}

// The forms of a number (`e164 \u0001 national \u0001 international \u0001 tel \u0001 kind`),
// or null for an empty answer.
export function makeForms(answer) {
  if (answer === "") return null;
  const [e164, national, international, telUri, kind] = answer.split("\u0001");
  return { e164, national, international, telUri, kind };
}

// `valid \u0001 message \u0001 warnings \u0001` and the number's forms as `makeForms` reads
// them (none when it cannot be read), as a NumberCheck.
export function makeCheck(answer) {
  const [valid, message, warnings] = answer.split("\u0001", 3);
  const forms = makeForms(answer.slice(valid.length + message.length + warnings.length + 3));
  return {
    valid: valid === "1",
    message,
    warnings: messagesOf(warnings).map((w) => w.message),
    e164: forms && forms.e164,
    national: forms && forms.national,
    international: forms && forms.international,
    telUri: forms && forms.telUri,
    kind: forms && forms.kind,
  };
}
