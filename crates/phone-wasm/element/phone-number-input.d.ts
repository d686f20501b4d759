/* TypeScript types of <phone-number-input> (phone-number-input.js). */

import type { NumberKind } from "./phone_wasm.js";

/** What `phone-number-change` says, on every change of the number or its country. */
export interface PhoneNumberChangeDetail {
  /** "+64211234567"; null when the number cannot be read. */
  e164: string | null;
  /** "021 123 4567" */
  national: string | null;
  /** "+64 21 123 4567" */
  international: string | null;
  kind: NumberKind | null;
  /** Not empty, no error, and the number fits its country's numbering plan. */
  valid: boolean;
  /** What makes it invalid (at most one), in the element's wording. */
  errors: string[];
  /** What to look at twice, which never makes it invalid. */
  warnings: string[];
}

/** How far the element's rules (the module's wasm) are: the `rules` attribute and property. */
export type PhoneRulesState = "loading" | "ready" | "failed";

/** What `phone-rules-error` says: the module or its wasm could not be loaded. */
export interface PhoneRulesErrorDetail {
  /** Why, as the loader threw it ("failed to fetch Wasm: 404 …", a CSP refusal …). */
  error: unknown;
}

/**
 * A form-associated phone number field: a searchable country picker and the number, checked by
 * the Phonedesk rules as it is typed.
 *
 * From the first keystroke it is a plain telephone field: its form value is the text as typed
 * and `required` holds (in the browser's words), with or without the rules. The rules (loaded
 * once, by the first element connected to the page) upgrade it: the E.164 form value, the
 * country list, the messages. A value set before they come, by attribute or property, is kept.
 * Importing the file does nothing else (a server rendering pages may import it).
 *
 * Attributes: `name`, `country` (a code such as "+64", or a country's name; default "+64"),
 * `value` (the number it starts and resets with, until the number is typed or set), `required`,
 * `disabled`, `placeholder`, and `plain-messages` (plain wording instead of the API's, such as
 * "Enter the number." for "PhoneNumber is required."). The element sets `rules` itself:
 * "loading", then "ready" or "failed".
 *
 * Country names follow the page's language (`lang` on the element or an ancestor, else the
 * document's) through `Intl.DisplayNames`, where the provider's English name is a region the
 * browser knows; the number field is always left to right (`dir="ltr"`).
 */
export declare class PhoneNumberInputElement extends HTMLElement {
  static readonly formAssociated: true;
  /** The E.164 form when the number can be read, else the text as typed: what the form submits. */
  value: string;
  /** The chosen country's code ("+64"). */
  country: string;
  /** How far the rules are (the `rules` attribute). */
  readonly rules: PhoneRulesState;
  required: boolean;
  disabled: boolean;
  readonly name: string;
  readonly type: "tel";
  readonly form: HTMLFormElement | null;
  readonly labels: NodeList;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
  /** Focuses the number (what a `<label for>` does too), not the country picker. */
  focus(options?: FocusOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "phone-number-input": PhoneNumberInputElement;
  }
  interface HTMLElementEventMap {
    "phone-number-change": CustomEvent<PhoneNumberChangeDetail>;
    /** The rules could not be loaded; the element stays a plain telephone field. Bubbles. */
    "phone-rules-error": CustomEvent<PhoneRulesErrorDetail>;
  }
}
