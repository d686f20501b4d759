// <phone-number-input>: a phone number field for any form, on Phonedesk's embeddable module.
// A form-associated custom element (ElementInternals): it submits the number in E.164 (or the
// text as typed when it cannot be read), takes part in `required`, `checkValidity()`,
// `reportValidity()`, `:invalid`, `form.reset()` and `disabled`, and is labelled by a
// `<label for>`. The rules and messages are the module's, which are the Phonedesk server's.
// No framework, no inline script or style: its styles are the stylesheet beside it.

import init, { checkNumber, countryCodes, formatAsYouType } from "./phone_wasm.js";

const ready = init();
const stylesheet = new URL("./phone-number-input.css", import.meta.url).href;
// The most countries the picker lists at once.
const SHOWN = 8;
let made = 0;

// Lower case without accents, for finding "Aland" in "Åland Islands".
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

// An element of `tag` with these attributes.
function element(tag, attributes = {}) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  return made;
}

export class PhoneNumberInputElement extends HTMLElement {
  static formAssociated = true;
  static observedAttributes = ["country", "plain-messages", "value", "placeholder"];

  #internals = this.attachInternals();
  #country;
  #number;
  #list;
  #message;
  #status;
  #countries = [];
  // The chosen country ({ name, code }) and the choices shown while the picker is open.
  #chosen = null;
  #shown = [];
  #active = -1;
  #check = null;
  #kind = null;
  #loaded = false;

  constructor() {
    super();
    const id = `phone-number-input-${++made}`;
    const root = this.attachShadow({ mode: "open", delegatesFocus: true });
    const field = element("div", { part: "field", class: "field" });
    const picker = element("div", { class: "picker" });
    this.#country = element("input", {
      part: "country", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": `${id}-countries`, autocomplete: "off", spellcheck: "false",
    });
    this.#list = element("ul", { part: "listbox", role: "listbox", id: `${id}-countries`, class: "listbox" });
    this.#list.hidden = true;
    this.#number = element("input", {
      part: "number", type: "tel", inputmode: "tel", autocomplete: "tel-national",
      "aria-describedby": `${id}-message`,
    });
    this.#message = element("p", { part: "message", class: "message", id: `${id}-message` });
    this.#status = element("p", { part: "status", class: "status", "aria-live": "polite" });
    picker.append(this.#country, this.#list);
    field.append(picker, this.#number);
    root.append(element("link", { rel: "stylesheet", href: stylesheet }), field, this.#message, this.#status);

    this.#number.addEventListener("input", (event) => this.#typed(event));
    this.#number.addEventListener("change", () => {
      this.#tidy();
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
    this.#number.addEventListener("blur", () => this.#showMessage(true));
    this.#country.addEventListener("input", () => this.#open(this.#country.value));
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

  async connectedCallback() {
    this.#name();
    await ready;
    if (!this.#loaded) {
      this.#loaded = true;
      this.#countries = countryCodes();
      this.#chosen = this.#countryOf(this.getAttribute("country"));
      this.#showCountry();
      this.#number.value = this.getAttribute("value") ?? "";
      this.#update();
      this.setAttribute("data-ready", "");
    }
  }

  attributeChangedCallback(name) {
    if (!this.#loaded) return;
    if (name === "country") {
      this.#chosen = this.#countryOf(this.getAttribute("country"));
      this.#showCountry();
    }
    if (name === "placeholder") this.#number.placeholder = this.getAttribute("placeholder") ?? "";
    this.#update();
  }

  formResetCallback() {
    this.#chosen = this.#countryOf(this.getAttribute("country"));
    this.#showCountry();
    this.#number.value = this.getAttribute("value") ?? "";
    this.#update();
    this.#showMessage(false);
  }

  formDisabledCallback(disabled) {
    this.#country.disabled = disabled;
    this.#number.disabled = disabled;
  }

  formStateRestoreCallback(state) {
    if (typeof state === "string") {
      this.#number.value = state;
      this.#update();
    }
  }

  // The form's view of it.
  get value() {
    return this.#check?.e164 ?? this.#number.value;
  }
  set value(text) {
    this.#number.value = String(text ?? "");
    this.#update();
  }
  get country() {
    return this.#chosen?.code ?? this.getAttribute("country") ?? "+64";
  }
  set country(code) {
    this.setAttribute("country", code);
  }
  get required() {
    return this.hasAttribute("required");
  }
  set required(on) {
    this.toggleAttribute("required", Boolean(on));
    this.#update();
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

  // The inner fields are named by the host's label(s), or its own aria-label.
  #name() {
    const labels = [...this.#internals.labels].map((label) => label.textContent.trim()).filter(Boolean);
    const name = labels.join(" ") || this.getAttribute("aria-label") || "Phone number";
    this.#number.setAttribute("aria-label", name);
    this.#country.setAttribute("aria-label", `${name}: country`);
  }

  #countryOf(code) {
    const wanted = (code ?? "+64").trim();
    const matches = this.#countries.filter((c) => c.code === wanted || fold(c.name) === fold(wanted));
    // A code several countries share means the one without area codes of its own (+1: the
    // United States, not Barbados).
    return matches.find((c) => c.areaCodes.length === 0) ?? matches[0] ?? this.#countries.find((c) => c.code === "+64");
  }

  #showCountry() {
    this.#country.value = this.#chosen ? `${this.#chosen.name} ${this.#chosen.code}` : "";
  }

  // As-you-type grouping, only while typing at the end: a caret moved back into the number
  // is left where the person put it.
  #typed(event) {
    const input = this.#number;
    if (event.inputType?.startsWith("insert") && input.selectionStart === input.value.length) {
      input.value = formatAsYouType(this.country, input.value);
    }
    this.#update();
  }

  // The whole number grouped, once the person leaves it.
  #tidy() {
    if (this.#check?.valid && this.#check.national && !this.#number.value.trim().startsWith("+")) {
      this.#number.value = this.#check.national;
    }
  }

  #update() {
    if (!this.#loaded) return;
    const plain = this.hasAttribute("plain-messages");
    const text = this.#number.value;
    this.#check = checkNumber(this.country, text, plain);
    const empty = text.trim() === "";
    this.#internals.setFormValue(empty ? null : this.value, text);
    if (empty && this.required) {
      this.#internals.setValidity({ valueMissing: true }, this.#check.message, this.#number);
    } else if (!empty && !this.#check.valid) {
      this.#internals.setValidity({ customError: true }, this.#check.message, this.#number);
    } else {
      this.#internals.setValidity({});
    }
    this.#number.setAttribute("aria-invalid", String(!this.#internals.validity.valid));
    if (this.#message.textContent && !this.#internals.validity.valid) this.#showMessage(true);
    else if (this.#internals.validity.valid) this.#showMessage(false);
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

  // The message under the field: shown once the person has left it or the form is checked.
  #showMessage(show) {
    const message = show && !this.#internals.validity.valid ? this.#internals.validationMessage : "";
    this.#message.textContent = message;
  }

  // The country picker: a WAI-ARIA combobox over the provider's table.
  #open(typed) {
    const text = fold(typed.trim());
    const digits = typed.replace(/\D/g, "");
    const rank = (c) => {
      if (text === "") return ["New Zealand", "Australia"].includes(c.name) ? 0 : 2;
      if (digits !== "" && /^[+\d\s]+$/.test(typed.trim())) {
        const code = c.code.slice(1);
        return code === digits ? 0 : code.startsWith(digits) ? 1 : c.areaCodes.some((a) => (code + a).startsWith(digits)) ? 1 : -1;
      }
      const name = fold(c.name);
      return name.startsWith(text) || name.includes(` ${text}`) ? 0 : name.includes(text) ? 1 : -1;
    };
    this.#shown = this.#countries
      .map((c) => [rank(c), c])
      .filter(([r]) => r >= 0)
      .sort((a, b) => a[0] - b[0])
      .slice(0, SHOWN)
      .map(([, c]) => c);
    this.#active = this.#shown.length ? 0 : -1;
    this.#list.replaceChildren(...this.#shown.map((c, index) => {
      const option = element("li", {
        role: "option", part: "option", id: `${this.#list.id}-${index}`, "data-index": String(index),
        "aria-selected": String(index === this.#active),
      });
      option.textContent = `${c.name} ${c.code}`;
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

if (!customElements.get("phone-number-input")) {
  customElements.define("phone-number-input", PhoneNumberInputElement);
}
