// <phone-number-input>: a phone number field for any form, on Phonedesk's embeddable module.
// A form-associated custom element (ElementInternals): it submits the number in E.164 (or the
// text as typed when it cannot be read), takes part in `required`, `checkValidity()`,
// `reportValidity()`, `:invalid`, `form.reset()` and `disabled`, and is labelled by a
// `<label for>`. The rules and messages are the module's, which are the Phonedesk server's.
// No framework, no inline script or style: its styles are phone-number-input.css, imported as
// text and adopted as a constructed stylesheet, which a page's `style-src 'self'` allows and no
// bundler needs to copy.
//
// It never loses what a person typed: from the first keystroke it is a plain telephone field
// (its form value is the text, `required` holds), and the module's rules are an upgrade that
// may come late or never (a blocked or missing wasm): the `rules` attribute says which
// (`loading`, `ready`, `failed`), and a failure is the `phone-rules-error` event.
//
// Nothing runs on import, so a server that renders pages can import this file: the module is
// loaded by the first element connected to a page, once, and the element is defined only where
// there are custom elements.

import { css } from "./phone-number-input.css.js";

// The stylesheet every element adopts, made by the first (not on import: a server has none).
let stylesheet = null;
let made = 0;
// Whether labels' clicks are watched (see `labelClicked`).
let listening = false;

// The module once loaded, and the one load every element waits for.
let rules = null;
let loading = null;
function loadRules() {
  loading ??= import("./phone_wasm.js").then(async (module) => {
    await module.default();
    rules = module;
  });
  return loading;
}

// The provider's country table, with what the picker needs beside each row; made once.
let table = null;
function countryTable() {
  if (table) return table;
  // Each row names its region ("NZ", for the page's language) and whether it is its calling
  // code's main country (the United States under +1): the module's, which are the core's.
  table = rules.countryCodes();
  return table;
}

// Lower case without accents, for finding "Aland" in "Åland Islands".
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();



// An element of `tag` with these attributes.
function element(tag, attributes = {}) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  return made;
}

// A `<label>` activates its control by focusing it, and focusing this element would give the
// first of its fields, the country, focus: a click on a label of the element puts the caret in
// the number instead, as a label of a plain phone field does. (Only a click on the label
// itself: one inside the element, within a label around it, goes where it was aimed.)
function labelClicked(event) {
  const control = event.target.closest?.("label")?.control;
  if (control instanceof PhoneNumberInputElement && !event.composedPath().includes(control)) {
    control.focus();
  }
}

// Outside a browser (a server rendering the page) there is no HTMLElement to extend.
const Base = globalThis.HTMLElement ?? class {};

export class PhoneNumberInputElement extends Base {
  static formAssociated = true;
  static observedAttributes = ["country", "plain-messages", "value", "placeholder", "required"];

  #internals = this.attachInternals();
  #country;
  #number;
  #list;
  #message;
  #status;
  #countries = [];
  // The chosen country (a row of the table) and the choices shown while the picker is open.
  #chosen = null;
  #shown = [];
  #active = -1;
  #check = null;
  #kind = null;
  // Whether the rules were asked for, and have come.
  #asked = false;
  #loaded = false;
  // Set once the number is typed or set by `value`: the `value` attribute is then only what a
  // reset returns to, as with an <input>.
  #dirty = false;
  #names = null;

  constructor() {
    super();
    const id = `phone-number-input-${++made}`;
    const root = this.attachShadow({ mode: "open", delegatesFocus: true });
    const field = element("div", { part: "field", class: "field" });
    const picker = element("div", { class: "picker" });
    // Marked as the number's country code, so that a browser filling in a saved address
    // puts the code here and the number in the number (unmarked, Chrome guessed it was the
    // number's place). Read-only until the rules bring the country list.
    this.#country = element("input", {
      part: "country", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": `${id}-countries`, autocomplete: "tel-country-code", spellcheck: "false",
      readonly: "",
    });
    this.#list = element("ul", { part: "listbox", role: "listbox", id: `${id}-countries`, class: "listbox" });
    this.#list.hidden = true;
    // Phone numbers read left to right, in a right-to-left page too.
    this.#number = element("input", {
      part: "number", type: "tel", inputmode: "tel", autocomplete: "tel-national", dir: "ltr",
      "aria-describedby": `${id}-message`,
    });
    this.#message = element("p", { part: "message", class: "message", id: `${id}-message` });
    this.#status = element("p", { part: "status", class: "status", "aria-live": "polite" });
    picker.append(this.#country, this.#list);
    field.append(picker, this.#number);
    if (!stylesheet) {
      stylesheet = new CSSStyleSheet();
      stylesheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [stylesheet];
    root.append(field, this.#message, this.#status);
    this.#showCountry();

    this.#number.addEventListener("input", (event) => this.#typed(event));
    this.#number.addEventListener("change", () => {
      this.#tidy();
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
    this.#number.addEventListener("blur", () => this.#showMessage(true));
    // Enter sends the form, as in a plain field (a shadow root's field does not by itself).
    this.#number.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        this.#submit();
      }
    });
    // The browser checking the form (submitting it, checkValidity()) shows the message too.
    this.addEventListener("invalid", () => this.#showMessage(true));
    this.#country.addEventListener("input", (event) => this.#pickerInput(event));
    // Arriving in the box selects its text, so typing replaces the country shown; the click
    // that brought focus must not then put a caret in it instead.
    let arrived = false;
    this.#country.addEventListener("focus", () => {
      this.#country.select();
      arrived = true;
    });
    this.#country.addEventListener("mouseup", (event) => {
      if (arrived) event.preventDefault();
      arrived = false;
    });
    this.#country.addEventListener("keydown", (event) => this.#key(event));
    this.#country.addEventListener("blur", () => this.#close(false));
    // A press on a choice must not take focus from the box first (its blur would close it).
    this.#list.addEventListener("mousedown", (event) => event.preventDefault());
    this.#list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.#choose(this.#shown[Number(option.dataset.index)]);
    });
  }

  connectedCallback() {
    this.#name();
    this.#update();
    if (this.#asked) return;
    this.#asked = true;
    if (rules) {
      this.#rulesReady();
      return;
    }
    this.setAttribute("rules", "loading");
    loadRules().then(() => this.#rulesReady(), (error) => this.#rulesFailed(error));
  }

  // The country list and the checks arrive; whatever was typed or set meanwhile stays.
  #rulesReady() {
    if (this.#loaded) return;
    this.#loaded = true;
    // Names in the page's language; in English, the provider's own ("Czech Republic", where
    // Intl says "Czechia"), as the server's messages and table have them.
    const lang = this.closest("[lang]")?.lang || document.documentElement.lang || "en";
    try {
      const english = new Intl.Locale(lang).language === "en";
      this.#names = english ? null : new Intl.DisplayNames([lang, "en"], { type: "region", fallback: "none" });
    } catch {
      // A language tag Intl cannot read, or no Intl.DisplayNames: the English names.
      this.#names = null;
    }
    this.#countries = countryTable().map((row) => ({ ...row, label: this.#label(row) }));
    this.#chosen = this.#countryOf(this.getAttribute("country"));
    this.#country.readOnly = false;
    this.#showCountry();
    this.#followWrittenCountry();
    this.setAttribute("rules", "ready");
    this.#update();
  }

  #rulesFailed(error) {
    this.setAttribute("rules", "failed");
    this.dispatchEvent(new CustomEvent("phone-rules-error", { bubbles: true, detail: { error } }));
  }

  // The country's name in the page's language, else the provider's English one.
  #label(row) {
    if (!row.regionId || !this.#names) return row.name;
    try {
      return this.#names.of(row.regionId) ?? row.name;
    } catch {
      return row.name;
    }
  }

  attributeChangedCallback(name, _old, value) {
    switch (name) {
      case "value":
        if (this.#dirty) break;
        this.#number.value = value ?? "";
        if (this.#loaded) this.#followWrittenCountry();
        break;
      case "placeholder":
        this.#number.placeholder = value ?? "";
        return;
      case "country":
        if (this.#loaded) this.#chosen = this.#countryOf(value);
        this.#showCountry();
        break;
      default:
    }
    this.#update();
  }

  formResetCallback() {
    this.#dirty = false;
    if (this.#loaded) this.#chosen = this.#countryOf(this.getAttribute("country"));
    this.#showCountry();
    this.#number.value = this.getAttribute("value") ?? "";
    if (this.#loaded) this.#followWrittenCountry();
    this.#update();
    this.#showMessage(false);
  }

  formDisabledCallback(disabled) {
    this.#country.disabled = disabled;
    this.#number.disabled = disabled;
  }

  formStateRestoreCallback(state) {
    if (typeof state === "string") {
      this.#dirty = true;
      this.#number.value = state;
      this.#update();
    }
  }

  // The form's view of it.
  get value() {
    return this.#check?.e164 ?? this.#number.value;
  }
  set value(text) {
    this.#dirty = true;
    this.#number.value = String(text ?? "");
    if (this.#loaded) this.#followWrittenCountry();
    this.#update();
  }
  get country() {
    return this.#chosen?.code ?? this.getAttribute("country") ?? "+64";
  }
  set country(code) {
    this.setAttribute("country", code);
  }
  /** How far the rules are: "loading", "ready" or "failed" (the `rules` attribute). */
  get rules() {
    return this.getAttribute("rules") ?? "loading";
  }
  get required() {
    return this.hasAttribute("required");
  }
  set required(on) {
    this.toggleAttribute("required", Boolean(on));
  }
  get disabled() {
    return this.hasAttribute("disabled");
  }
  set disabled(on) {
    this.toggleAttribute("disabled", Boolean(on));
  }
  get name() {
    return this.getAttribute("name") ?? "";
  }
  get type() {
    return "tel";
  }
  get form() {
    return this.#internals.form;
  }
  get labels() {
    return this.#internals.labels;
  }
  get validity() {
    return this.#internals.validity;
  }
  get validationMessage() {
    return this.#internals.validationMessage;
  }
  get willValidate() {
    return this.#internals.willValidate;
  }
  checkValidity() {
    return this.#internals.checkValidity();
  }
  reportValidity() {
    this.#showMessage(true);
    return this.#internals.reportValidity();
  }
  // Focus goes to the number, what a person mostly comes to change.
  focus(options) {
    this.#number.focus(options);
  }

  // Enter in the number, as in a plain field: the form's default button is pressed (so its own
  // click handlers run; a disabled one sends nothing), or, without one, the form is sent.
  #submit() {
    const form = this.#internals.form;
    if (!form) return;
    const button = [...form.elements].find((e) => e.type === "submit" || (e.localName === "input" && e.type === "image"));
    if (button) {
      if (!button.disabled) button.click();
    } else {
      form.requestSubmit();
    }
  }

  // The inner fields are named by the host's label(s), or its own aria-label.
  #name() {
    if (!listening) {
      listening = true;
      document.addEventListener("click", labelClicked);
    }
    const labels = [...this.#internals.labels].map((label) => label.textContent.trim()).filter(Boolean);
    const name = labels.join(" ") || this.getAttribute("aria-label") || "Phone number";
    this.#number.setAttribute("aria-label", name);
    this.#country.setAttribute("aria-label", `${name}: country`);
  }

  // The country a text names: its code ("+61", "61") or its name, in English or as shown. Of
  // the countries sharing a code, the code's main one.
  #find(text) {
    const wanted = fold((text ?? "").trim());
    if (wanted === "") return undefined;
    const code = /^\+?\d+$/.test(wanted) ? `+${wanted.replace("+", "")}` : null;
    const matches = this.#countries.filter((c) => c.code === code || fold(c.name) === wanted || fold(c.label) === wanted);
    return matches.find((c) => c.main) ?? matches[0];
  }

  #countryOf(text) {
    return this.#find(text ?? "+64") ?? this.#find("+64");
  }

  #showCountry() {
    if (!this.#loaded) {
      this.#country.value = this.getAttribute("country") ?? "+64";
      return;
    }
    // In a right-to-left page a mark keeps the code after the name reading "+64", not "64+".
    const mark = this.isConnected && getComputedStyle(this).direction === "rtl" ? "\u200e" : "";
    this.#country.value = this.#chosen ? `${this.#chosen.label} ${mark}${this.#chosen.code}` : "";
  }

  // As-you-type grouping, only while typing at the end: a caret moved back into the number
  // is left where the person put it.
  #typed(event) {
    this.#dirty = true;
    if (this.#loaded) {
      const input = this.#number;
      const atEnd = input.selectionStart === input.value.length;
      const from = this.#followWrittenCountry();
      if (event.inputType?.startsWith("insert") && atEnd) input.value = this.#grouped(input.value, from);
    }
    this.#update();
  }

  // A number written with another country's code (pasted "+61 2 9374 4000", or "0044 …" after
  // New Zealand's international prefix) switches the picker to that country, by the module's
  // rule. Returns the code of the country it was switched from, or null.
  #followWrittenCountry() {
    const written = rules.writtenCountry(this.country, this.#number.value);
    const row = written && this.#countries.find((c) => c.code === written.code && c.name === written.name);
    if (!row) return null;
    const from = this.country;
    this.#chosen = row;
    this.#showCountry();
    return from;
  }

  // The number grouped as its country writes it. One written after the international prefix of
  // the country just left (0044 20 7946 0958) is grouped by none, so once it reads as a whole
  // number it is written as the international form ("+44 20 7946 0958"); until then, as typed.
  #grouped(text, from) {
    if (from && !text.trim().startsWith("+")) {
      return rules.checkNumber(from, text, false).international ?? text;
    }
    return rules.formatAsYouType(this.country, text);
  }

  // The whole number grouped, once the person leaves it.
  #tidy() {
    if (this.#check?.valid && this.#check.national && !this.#number.value.trim().startsWith("+")) {
      this.#number.value = this.#check.national;
    }
  }

  // Text that arrives in the picker without being typed there — a browser filling in a saved
  // address, Chrome's guess among them — is read: a country's code or name chooses it, and a
  // whole number (more digits than any code) goes into the number, where it belongs.
  #pickerInput(event) {
    if (!this.#loaded) return;
    const typed = event instanceof InputEvent && event.inputType !== "insertReplacementText"
      && this.shadowRoot.activeElement === this.#country;
    if (typed) {
      this.#open(this.#country.value);
      return;
    }
    const text = this.#country.value;
    if (text.replace(/\D/g, "").length > 4) {
      this.#showCountry();
      this.#number.value = text;
      this.#dirty = true;
      this.#followWrittenCountry();
      this.#update();
      return;
    }
    const country = this.#find(text);
    if (country) this.#choose(country);
    else this.#showCountry();
  }

  #update() {
    const text = this.#number.value;
    const empty = text.trim() === "";
    this.#number.required = this.required;
    if (!this.#loaded) {
      // A plain telephone field until the rules come: the text as typed, and `required` as
      // the browser checks it, in its words.
      this.#check = null;
      this.#internals.setFormValue(empty ? null : text, text);
      if (this.#number.validity.valueMissing) {
        this.#internals.setValidity({ valueMissing: true }, this.#number.validationMessage, this.#number);
      } else {
        this.#internals.setValidity({});
      }
      this.#showValidity();
      return;
    }
    const plain = this.hasAttribute("plain-messages");
    this.#check = rules.checkNumber(this.country, text, plain);
    // The on-demand build judged the number by length alone while its country's plan comes:
    // judge it again when it has.
    if (this.#check.planPending) rules.plansReady().then(() => this.#update());
    this.#internals.setFormValue(empty ? null : this.value, text);
    if (empty && this.required) {
      this.#internals.setValidity({ valueMissing: true }, this.#check.message, this.#number);
    } else if (!empty && !this.#check.valid) {
      this.#internals.setValidity({ customError: true }, this.#check.message, this.#number);
    } else {
      this.#internals.setValidity({});
    }
    this.#showValidity();
    // Told once, when what the number is changes ("mobile number"), not at every digit.
    const kind = this.#check.valid && !empty ? this.#check.kind : null;
    if (kind !== this.#kind) {
      this.#kind = kind;
      this.#status.textContent = kind ? KINDS[kind] ?? "phone number" : "";
    }
    const { e164, national, international, valid } = this.#check;
    this.dispatchEvent(new CustomEvent("phone-number-change", {
      bubbles: true,
      detail: {
        e164, national, international, kind: this.#check.kind, valid: valid && !empty,
        errors: valid || empty ? [] : [this.#check.message], warnings: this.#check.warnings,
      },
    }));
  }

  #showValidity() {
    this.#number.setAttribute("aria-invalid", String(!this.#internals.validity.valid));
    if (this.#message.textContent && !this.#internals.validity.valid) this.#showMessage(true);
    else if (this.#internals.validity.valid) this.#showMessage(false);
  }

  // The message under the field: shown once the person has left it or the form is checked.
  #showMessage(show) {
    const message = show && !this.#internals.validity.valid ? this.#internals.validationMessage : "";
    this.#message.textContent = message;
  }

  // The country picker: a WAI-ARIA combobox over the provider's table, offering the countries
  // the module ranks for what was typed (as the Phonedesk app's country field does), by their
  // names as shown here too. Digits find a country by its code (the code's main country
  // first: "1" is the United States, "44" the United Kingdom) or by the start of a number's
  // dialling prefix ("1684": American Samoa).
  #open(typed) {
    const labels = this.#names ? this.#countries.map((c) => c.label) : undefined;
    this.#shown = rules.countryChoices(typed, labels)
      .map((found) => this.#countries.find((c) => c.code === found.code && c.name === found.name))
      .filter(Boolean);
    this.#active = this.#shown.length ? 0 : -1;
    this.#list.replaceChildren(...this.#shown.map((c, index) => {
      const option = element("li", {
        role: "option", part: "option", id: `${this.#list.id}-${index}`, "data-index": String(index),
        "aria-selected": String(index === this.#active),
      });
      // The code reads "+64" beside a name in any script.
      const code = element("span", { dir: "ltr" });
      code.textContent = c.code;
      option.append(`${c.label} `, code);
      return option;
    }));
    if (this.#shown.length === 0) {
      const none = element("li", { class: "none", role: "option", "aria-disabled": "true", "aria-selected": "false" });
      none.textContent = "No country matches";
      this.#list.append(none);
    }
    this.#list.hidden = false;
    this.#country.setAttribute("aria-expanded", "true");
    this.#highlight();
  }

  #highlight() {
    for (const option of this.#list.children) {
      option.setAttribute("aria-selected", String(option.dataset.index === String(this.#active)));
    }
    const active = this.#active >= 0 ? `${this.#list.id}-${this.#active}` : null;
    if (active) {
      this.#country.setAttribute("aria-activedescendant", active);
      this.#list.children[this.#active]?.scrollIntoView({ block: "nearest" });
    } else {
      this.#country.removeAttribute("aria-activedescendant");
    }
  }

  // `choose`: take the highlighted choice; otherwise put back the chosen country's name.
  #close(choose) {
    if (choose && this.#active >= 0) {
      this.#choose(this.#shown[this.#active]);
      return;
    }
    this.#list.hidden = true;
    this.#country.setAttribute("aria-expanded", "false");
    this.#country.removeAttribute("aria-activedescendant");
    this.#showCountry();
  }

  #choose(country) {
    this.#chosen = country;
    this.#list.hidden = true;
    this.#country.setAttribute("aria-expanded", "false");
    this.#country.removeAttribute("aria-activedescendant");
    this.#showCountry();
    this.#update();
    this.dispatchEvent(new Event("change", { bubbles: true }));
  }

  #key(event) {
    const open = !this.#list.hidden;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        event.preventDefault();
        if (!open) {
          this.#open("");
          return;
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        const count = this.#shown.length;
        if (count) this.#active = (this.#active + step + count) % count;
        this.#highlight();
        return;
      }
      case "Enter":
        if (open) {
          // Choosing a country never submits the form.
          event.preventDefault();
          this.#close(true);
        }
        return;
      case "Escape":
        if (open) {
          event.preventDefault();
          this.#close(false);
        }
        return;
      case "Tab":
        if (open) this.#close(true);
        return;
      default:
    }
  }
}

// What each kind is called in the live region.
const KINDS = {
  landline: "landline", mobile: "mobile number", landlineOrMobile: "landline or mobile number",
  tollFree: "toll-free number", premiumRate: "premium-rate number", sharedCost: "local-rate number",
  voip: "VoIP number", personalNumber: "personal number", pager: "pager number",
  uan: "universal access number", voicemail: "voicemail number",
};

// Defined only where there are custom elements (not in a server rendering the page), and once.
if (globalThis.customElements && !customElements.get("phone-number-input")) {
  customElements.define("phone-number-input", PhoneNumberInputElement);
}
