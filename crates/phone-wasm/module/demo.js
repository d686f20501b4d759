// The demo page's script, a file of its own: the policy the README asks for
// (`script-src 'self' 'wasm-unsafe-eval'`) blocks inline scripts, this page's own included.

import init, { validatePhoneNumber, formatAsYouType, countryCodes } from "./phone_wasm.js";

await init();

const form = document.getElementById("phone-form");
const countries = document.getElementById("countryCode");
// New Zealand and Australia first, then the provider's table in its order.
const rank = ({ name }) => ({ "New Zealand": 0, "Australia": 1 })[name] ?? 2;
for (const { name, code } of countryCodes().sort((a, b) => rank(a) - rank(b))) {
  countries.add(new Option(`${name} (${code})`, code));
}

function check() {
  const fields = Object.fromEntries(new FormData(form));
  const result = validatePhoneNumber({ ...fields, isPrimary: true });
  for (const field of ["phoneName", "countryCode", "areaCode", "phoneNumber", "phoneType"]) {
    const messages = result.errors.filter((e) => e.field === field).map((e) => e.message);
    const slot = document.getElementById(`${field}-error`);
    slot.textContent = messages.join(" ");
    slot.hidden = messages.length === 0;
    document.getElementById(field).setAttribute("aria-invalid", String(messages.length > 0));
  }
  const output = document.getElementById("result");
  const warnings = result.warnings.map((w) => w.message).join(" ");
  output.textContent = result.international
    ? `${result.international} (${result.kind})${warnings ? " — " + warnings : ""}`
    : result.errors.length ? "Not a number the provider accepts yet." : "Type a number.";
}

document.getElementById("phoneNumber").addEventListener("input", (event) => {
  const input = event.target;
  if (input.selectionStart === input.value.length) {
    input.value = formatAsYouType(countries.value, input.value);
  }
});
form.addEventListener("input", check);
form.addEventListener("change", check);

// The element's form, sent nowhere: what it would send is shown instead.
document.getElementById("element-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const sent = [...new FormData(event.target)].map(([name, value]) => `${name}=${value}`);
  document.getElementById("sent").textContent = `Would send ${sent.join("&") || "nothing"}`;
});
