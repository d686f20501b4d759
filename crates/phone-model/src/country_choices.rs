//! The countries a country picker offers for what a person typed: the staff app's country
//! field and the embeddable element's picker offer the same ones, in the same order.

use alloc::{string::String, vec::Vec};

use crate::{Country, countries, search::fold_latin};

/// The most countries offered at once.
pub const COUNTRY_CHOICES: usize = 8;

/// Names people type for a country of the table other than its own: initials, and the parts
/// of a country that the table lists as one ("England" dials as the United Kingdom). Written
/// folded, as typing is compared.
const ALSO_CALLED: [(&str, &str); 16] = [
    ("uk", "United Kingdom"),
    ("gb", "United Kingdom"),
    ("great britain", "United Kingdom"),
    ("britain", "United Kingdom"),
    ("england", "United Kingdom"),
    ("scotland", "United Kingdom"),
    ("wales", "United Kingdom"),
    ("northern ireland", "United Kingdom"),
    ("usa", "United States"),
    ("us", "United States"),
    ("america", "United States"),
    ("united states of america", "United States"),
    ("nz", "New Zealand"),
    ("aotearoa", "New Zealand"),
    ("uae", "United Arab Emirates"),
    ("holland", "Netherlands"),
];

/// The countries offered for `typed`, at most [`COUNTRY_CHOICES`], best first.
///
/// - Nothing typed: New Zealand and Australia first (most customers are there), then the
///   table's order.
/// - Digits, with or without `+` and spaces: a code. A number's start that picks a country out
///   by its area code first ("1684": American Samoa), with the code's main country ("1": the
///   United States, "44": the United Kingdom); then the code's other countries; then the codes
///   that start with the digits.
/// - Anything else, in any case or accent of the Latin alphabet (as [`fold`](crate::fold)
///   takes them off; other scripts as written): a country's name or another name it is called
///   by ("UK", "Aotearoa", "England"), whole first, then the start of a word of it, then
///   anywhere in its name.
///
/// Within each of these ranks New Zealand and Australia come first, then the table's order.
///
/// ```
/// let names = |typed: &str| -> Vec<&str> {
///     phone_model::country_choices(typed).iter().map(|c| c.name()).collect()
/// };
/// assert_eq!(names("united k"), ["United Kingdom"]);
/// assert_eq!(names("44")[0], "United Kingdom");
/// assert_eq!(names("aotearoa"), ["New Zealand"]);
/// ```
#[must_use]
pub fn country_choices(typed: &str) -> Vec<&'static Country> {
    country_choices_named(typed, [])
}

/// [`country_choices`], where a page shows the countries by names of its own: `names` holds
/// them in the table's order (a page in French names [`countries`]' rows "Allemagne", …),
/// and each is matched as the country's English name is. A row whose name is `""`, or past
/// the end of `names`, is found by its English name alone.
///
/// ```
/// use phone_model::{countries, country_choices_named};
/// let french: Vec<&str> =
///     countries().iter().map(|c| if c.name() == "Germany" { "Allemagne" } else { "" }).collect();
/// let found = country_choices_named("allem", french);
/// assert_eq!(found.iter().map(|c| c.name()).collect::<Vec<_>>(), ["Germany"]);
/// ```
#[must_use]
pub fn country_choices_named<'a>(
    typed: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<&'static Country> {
    let text = fold_latin(typed);
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    // Only digits, perhaps with a "+" or spaces (which folding made spaces): a code.
    let code = (!digits.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b' '))
        .then_some(digits.as_str());
    let mut names = names.into_iter();
    // The best so far, by rank and place at home, each after those as good: the table's order
    // among equals. Kept in order as they come rather than sorted: the module stays smaller.
    let mut chosen: Vec<(u8, &'static Country)> = Vec::with_capacity(COUNTRY_CHOICES + 1);
    for country in countries() {
        let name = country.name();
        let shown = names.next().filter(|shown| !shown.is_empty());
        let rank = match code {
            _ if text.is_empty() => Some(0),
            Some(digits) => code_rank(country, digits),
            None => name_rank(name, shown, &text),
        };
        let Some(rank) = rank else { continue };
        let key = rank * 3 + home(name);
        chosen.push((key, country));
        let mut at = chosen.len() - 1;
        while at > 0 && chosen.get(at - 1).is_some_and(|(worse, _)| *worse > key) {
            chosen.swap(at - 1, at);
            at -= 1;
        }
        chosen.truncate(COUNTRY_CHOICES);
    }
    chosen.into_iter().map(|(_, country)| country).collect()
}

/// New Zealand 0, Australia 1, any other country 2, by the country's name.
fn home(name: &str) -> u8 {
    match name {
        "New Zealand" => 0,
        "Australia" => 1,
        _ => 2,
    }
}

/// How well the code `digits` (no `+`) matches `country`: 0 by an area code, or the code's
/// main country; 1 another of the code's; 2 a code that starts with them; `None` otherwise.
fn code_rank(country: &Country, digits: &str) -> Option<u8> {
    let code = country.country_code().digits();
    let by_area = digits
        .strip_prefix(code)
        .filter(|rest| !rest.is_empty())
        .is_some_and(|rest| country.area_codes().iter().any(|area| area.starts_with(rest)));
    if by_area || (code == digits && country.main) {
        Some(0)
    } else if code == digits {
        Some(1)
    } else if code.starts_with(digits) {
        Some(2)
    } else {
        None
    }
}

/// How well the folded `text` matches a country's `name`, its `shown` name or another name it
/// is called by: 0 whole, 1 a word's start, 2 anywhere in a name (not in another name: "sa"
/// is no reason to offer the USA); `None` otherwise.
fn name_rank(name: &str, shown: Option<&str>, text: &str) -> Option<u8> {
    let mut best = rank_in(&fold_latin(name), text, true);
    let mut keep = |rank: Option<u8>| {
        if let Some(rank) = rank {
            best = Some(best.map_or(rank, |best| best.min(rank)));
        }
    };
    if let Some(shown) = shown {
        keep(rank_in(&fold_latin(shown), text, true));
    }
    for (other, of) in ALSO_CALLED {
        if of == name {
            keep(rank_in(other, text, false));
        }
    }
    best
}

/// 0 when the folded `name` is `text`, 1 when a word of it starts so, 2 when it holds `text`
/// elsewhere and `anywhere` counts.
fn rank_in(name: &str, text: &str, anywhere: bool) -> Option<u8> {
    if name == text {
        Some(0)
    } else if found(name, text, true) {
        Some(1)
    } else if anywhere && found(name, text, false) {
        Some(2)
    } else {
        None
    }
}

/// Whether `text` is in the folded `name` (words one space apart): anywhere, or only at a
/// word's start. By hand: `str::contains`'s searcher would add 4 KB of gzip to the module.
fn found(name: &str, text: &str, word_start: bool) -> bool {
    let (name, text) = (name.as_bytes(), text.as_bytes());
    (0..name.len()).any(|at| {
        let starts_word = at == 0 || name.get(at - 1) == Some(&b' ');
        (starts_word || !word_start) && name.get(at..).is_some_and(|rest| rest.starts_with(text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn names(typed: &str) -> Vec<&'static str> {
        country_choices(typed).iter().map(|c| c.name()).collect()
    }

    #[test]
    fn countries_are_offered_by_name_or_code_home_first() {
        assert_eq!(&names("")[..2], ["New Zealand", "Australia"]);
        assert_eq!(names("").len(), COUNTRY_CHOICES);
        assert_eq!(names("australia"), ["Australia"]);
        assert_eq!(names("united k")[0], "United Kingdom");
        assert_eq!(names("+64")[0], "New Zealand");
        assert_eq!(names("61")[0], "Australia");
        assert!(names("kingdom").contains(&"United Kingdom"));
        assert!(names("zzz").is_empty());
        // A word's start, home first: as the element's picker showed it, New Zealand moves up.
        assert_eq!(names("new"), ["New Zealand", "New Caledonia", "Papua New Guinea"]);
        // Anywhere in a name comes after a word's start, home first there too.
        assert_eq!(names("land")[..2], ["New Zealand", "British Virgin Islands"]);
        assert_eq!(names("and")[0], "Andorra");
    }

    #[test]
    fn what_people_call_a_country_finds_it_before_names_that_merely_contain_it() {
        assert_eq!(names("UK")[0], "United Kingdom");
        assert!(names("UK").contains(&"Ukraine"), "the name still matches");
        assert_eq!(names("England"), ["United Kingdom"]);
        assert_eq!(names("engl"), ["United Kingdom"]);
        assert_eq!(names("USA"), ["United States"]);
        assert_eq!(names("nz")[0], "New Zealand");
        assert_eq!(names("Aotearoa"), ["New Zealand"]);
        assert_eq!(names("Curaçao"), ["Curacao"], "accents as typed or not");
    }

    #[test]
    fn digits_are_a_code_its_main_country_first_or_a_numbers_start() {
        let cases: [(&str, &[&str]); 8] = [
            ("1", &["United States"]),
            ("+44", &["United Kingdom", "Guernsey", "Isle of Man", "Jersey"]),
            ("61", &["Australia", "Christmas Island", "Cocos Islands"]),
            // A number's start picks a country out by its area code.
            ("1684", &["American Samoa"]),
            ("+1 684", &["American Samoa"]),
            ("1 809", &["Dominican Republic"]),
            // The codes that start with the digits, home first.
            ("6", &["New Zealand", "Australia", "Antarctica"]),
            ("999", &[]),
        ];
        for (typed, first) in cases {
            let found = names(typed);
            assert_eq!(&found[..first.len().min(found.len())], first, "{typed}: {found:?}");
            assert!(!first.is_empty() || found.is_empty(), "{typed}: {found:?}");
        }
    }

    #[test]
    fn a_pages_own_names_are_matched_as_the_english_ones() {
        let french = |c: &Country| match c.name() {
            "New Zealand" => "Nouvelle-Zélande",
            "Germany" => "Allemagne",
            _ => "",
        };
        let shown: Vec<&str> = countries().iter().map(french).collect();
        let named = |typed: &str| -> Vec<&str> {
            country_choices_named(typed, shown.iter().copied()).iter().map(|c| c.name()).collect()
        };
        assert_eq!(named("nouvelle-z"), ["New Zealand"]);
        assert_eq!(named("zelande"), ["New Zealand"]);
        assert_eq!(named("Allemagne"), ["Germany"]);
        assert_eq!(named("germ"), ["Germany"], "the English name still finds it");
        // Fewer names than rows: the rest are found by their English names.
        assert_eq!(country_choices_named("zimb", shown[..3].iter().copied())[0].name(), "Zimbabwe");
    }

    #[test]
    fn every_other_name_is_of_a_country_of_the_table_and_written_folded() {
        for (other, name) in ALSO_CALLED {
            assert!(countries().iter().any(|c| c.name() == name), "{other} → {name}");
            assert_eq!(fold_latin(other), other, "written folded, as typing is compared");
        }
    }
}
