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

/**
 * A form-associated phone number field: a searchable country picker and the number, checked by
 * the Phonedesk rules as it is typed.
 *
 * Attributes: `name`, `country` (a code such as "+64", or a country's name; default "+64"),
 * `value` (the number it starts and resets with), `required`, `disabled`, `placeholder`, and
 * `plain-messages` (plain wording instead of the API's, such as "Enter the number." for
 * "PhoneNumber is required.").
 */
export declare class PhoneNumberInputElement extends HTMLElement {
  static readonly formAssociated: true;
  /** The E.164 form when the number can be read, else the text as typed: what the form submits. */
  value: string;
  /** The chosen country's code ("+64"). */
  country: string;
  required: boolean;
  disabled: boolean;
  readonly name: string;
  readonly type: "tel";
  readonly form: HTMLFormElement | null;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
}

declare global {
  interface HTMLElementTagNameMap {
    "phone-number-input": PhoneNumberInputElement;
  }
  interface HTMLElementEventMap {
    "phone-number-change": CustomEvent<PhoneNumberChangeDetail>;
  }
}
