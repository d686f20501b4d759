// The types of phone_wasm_api.js, for every entry (`cargo xtask embed` adds `init`'s).

/** A problem with one field, in the provider's words. */
export interface FieldMessage {
    /** The field, in the API's spelling: "phoneName", "countryCode", "areaCode", "phoneNumber", "phoneType", "isPrimary". */
    field: string;
    /** The message, exactly as the server's 400 body would say it. */
    message: string;
}

/** What a number is, by its country's numbering plan (libphonenumber's types). */
export type NumberKind =
| "landline" | "mobile" | "landlineOrMobile" | "tollFree" | "premiumRate" | "sharedCost"
| "voip" | "personalNumber" | "pager" | "uan" | "voicemail" | "unknown";

/** The ways of writing a number that can be read. */
export interface FormattedNumber {
    /** "+6492645555" */
    e164: string;
    /** "09 264 5555" */
    national: string;
    /** "+64 9 264 5555" */
    international: string;
    /** "tel:+6492645555" */
    telUri: string;
    kind: NumberKind;
}

/**
 * Why a number (its country code, area code and digits) is not valid, or cannot exist as written:
 * "noCountryCode"; "unknownCountryCode" (+999); "invalidAreaCode"; "noNumber"; "invalidCharacter"
 * ("264 5555!"); "noDigits" ("call me"); "tooShort" and "tooLong" (than any number of the country,
 * or of any country); "noAreaCode" (a length only dialled within an area: 555 0123 under +1);
 * "invalidLength" (between the country's shortest and longest numbers, yet a length none has);
 * "notInPlan" (a possible length, but no range of the country's plan holds it).
 */
export type ReasonCode =
| "noCountryCode" | "unknownCountryCode" | "invalidAreaCode" | "noNumber" | "invalidCharacter"
| "noDigits" | "tooShort" | "tooLong" | "noAreaCode" | "invalidLength" | "notInPlan";

/** What a verdict says of the number itself: its forms, and whether its country's plan is still to come. */
export interface JudgedNumber {
    /** The forms below are null when the number cannot be read. */
    e164: string | null;
    national: string | null;
    international: string | null;
    telUri: string | null;
    kind: NumberKind | null;
    /**
     * The on-demand build only: the number's country's plan is still downloading, so it was
     * judged by its length alone; judge it again once `plansReady()` resolves. Always false
     * in the other builds, which carry their plans.
     */
    planPending: boolean;
}

/** The verdict on a phone number: errors block saving (the server would refuse it), warnings do not. */
export interface Validation extends JudgedNumber {
    valid: boolean;
    errors: FieldMessage[];
    warnings: FieldMessage[];
    /**
     * Why the number is not valid, or cannot exist as written (then `valid` may still be true: the
     * server saves it, with a warning); null when the number is fine, whatever the other fields' errors.
     */
    reason: ReasonCode | null;
    /** The reason in the provider's sentence style ("PhoneNumber is too short for a number in New Zealand."). */
    reasonMessage: string | null;
    /** The reason in plain words ("This number is too short for New Zealand: check the digits."). */
    reasonPlainMessage: string | null;
}

/** The fields of a phone number as the API takes them (POST .../phoneNumbers). */
export interface PhoneNumberFields {
    phoneName?: string;
    countryCode?: string;
    areaCode?: string;
    phoneNumber?: string;
    phoneType?: string;
    isPrimary?: boolean | "true" | "false";
    [other: string]: unknown;
}

/** The verdict on a number alone (a country code and the number), as one input needs it. */
export interface NumberCheck extends JudgedNumber {
    /** No error, and the number fits its country's plan. */
    valid: boolean;
    /** What is wrong, "" when valid: the server's wording, or plain wording when asked for. */
    message: string;
    /** Why it is not valid, null exactly when `valid`. */
    reason: ReasonCode | null;
    /** The reason in the provider's sentence style, more precise than `message` (which keeps the server's error). */
    reasonMessage: string | null;
    /** The reason in plain words. */
    reasonPlainMessage: string | null;
    /** What to look at twice, which never makes the number invalid, in the same wording. */
    warnings: string[];
}

/** One row of the provider's country-code table. */
export interface Country {
    name: string;
    /** "+64" */
    code: string;
    /** Area codes that pick the country out among those sharing its code ("684" for American Samoa). */
    areaCodes: string[];
    /** Its ISO 3166 region id ("NZ", "US"), for `Intl.DisplayNames`; null where the plans have none (Antarctica, Pitcairn). */
    regionId: string | null;
    /** Whether it is the main country of its code, which a number of the code alone is saved as: the United States under +1, the United Kingdom under +44. */
    main: boolean;
}



/**
 * A country code and a number alone, as one input field holds them (the drop-in
 * `<phone-number-input>`): valid when the rules find no error in them and the number fits its
 * country's plan; else the first problem, in the server's words or (`plain`) in plain ones.
 *
 * # Errors
 * A JavaScript `Error` when an argument is neither a string nor absent.
 */
export function checkNumber(countryCode: string, number: string, plain: boolean): NumberCheck;

/**
 * The provider's table of country codes, for building a country list.
 */
export function countryCodes(): Country[];

/**
 * The countries a country picker offers for what a person typed, best first, at most 8: those
 * the Phonedesk app's country field offers. Nothing typed: New Zealand and Australia, then the
 * table. Digits (with `+` or spaces) are a code: a country its area code picks out (`"1684"`:
 * American Samoa) or the code's main one first (`"1"`: the United States), then the code's
 * others, then the codes that start so. Anything else is a name in any case or accent, or
 * another name a country is called by (`"UK"`, `"England"`, `"Aotearoa"`): whole first, then
 * a word's start, then anywhere. New Zealand and Australia come first within each.
 *
 * `names` are the names the page shows the rows by, in `countryCodes()` order (from
 * `Intl.DisplayNames`, say), matched as the English names are; `""`, `null` or a missing one:
 * the English name alone.
 *
 * # Errors
 * A JavaScript `Error` when `typed` or one of `names` is neither a string nor absent, or
 * `names` is not an array.
 */
export function countryChoices(typed: string, names?: (string | null | undefined)[]): Country[];

/**
 * A number still being typed, grouped for display (`"0211234"` → `"021 123 4"`); one written
 * with another country's code by that country's plan (`"+61293744000"` → `"+61 2 9374
 * 4000"`). With a country code not in the provider's table, the text as typed.
 *
 * # Errors
 * A JavaScript `Error` when an argument is neither a string nor absent.
 */
export function formatAsYouType(countryCode: string, text: string): string;

/**
 * The forms of a number typed as the API takes it, or `null` when it cannot be read.
 *
 * # Errors
 * A JavaScript `Error` when an argument is neither a string nor absent.
 */
export function formatPhoneNumber(countryCode: string, areaCode: string | undefined, phoneNumber: string): FormattedNumber | null;

/**
 * Whether a number is valid in its country's numbering plan: the yes or no alone, for pages
 * that need nothing else. `number` may be national (`"021 123 4567"` under `"+64"`) or
 * international (`"+64 21 123 4567"`). Built for speed: the arguments cross as strings (a
 * value that is not a string is read as its text), and anything unreadable is `false`.
 */
export function isValidNumber(countryCode?: string | null, number?: string | null): boolean;

/**
 * Checks a phone number's fields with the server's rules (those of creating a number):
 * every error in the server's words and order, the warnings, and the number's forms.
 *
 * # Errors
 * A JavaScript `Error` when `fields` is not an object, or reading it throws.
 */
export function validatePhoneNumber(fields: PhoneNumberFields): Validation;

/**
 * The on-demand build: fetches the plans of these regions ("NZ", "AU") now, rather than when a
 * number of theirs is first judged; `init({ regions })` calls it. Resolves when they are added;
 * rejects if one cannot be had. Does nothing in the other builds.
 */
export function preloadPlans(regions: string[]): Promise<void>;

/**
 * The on-demand build: resolves when every plan asked for so far has arrived (or failed), for
 * judging again a number answered with `planPending`. Resolves at once in the other builds.
 */
export function plansReady(): Promise<void>;

/**
 * The country of the provider's table a number is written for, when it is written with a
 * country code other than `countryCode`'s — after `+`, or after that country's international
 * prefix (`0044 20 7946 0958` under `+64`) — for a country list to switch to; `null` when it
 * is written nationally, with `countryCode`'s own code, or `countryCode` is not in the table.
 *
 * # Errors
 * A JavaScript `Error` when an argument is neither a string nor absent.
 */
export function writtenCountry(countryCode: string, phoneNumber: string): Country | null;

