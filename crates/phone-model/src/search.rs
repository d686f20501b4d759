// Over 400 lines: the matching rules every engine shares, with the tests that pin them; split,
// the tiers would be read apart from their order.
//! How a customer is found from what a person types: a name in any case, order, spacing,
//! punctuation or accents, with one typo; a business's name; a customer id or external
//! reference; or any written form of one of the customer's phone numbers.
//!
//! The server keeps, for each customer, a *document* of its folded words and, for each number,
//! its digits reversed; the database's own text index (SQLite FTS5's trigrams, PostgreSQL's
//! `pg_trgm`) and a B-tree find the candidates. The rules of what matches live here, so every
//! engine matches the same.

use alloc::{string::String, vec::Vec};

use crate::{plan::Region, typed::after_international_prefix};

/// The base letter of each character from U+00C0 to U+017F (Latin-1 Supplement and Latin
/// Extended-A: "é" → "e", "ā" → "a", "ø" → "o"); a space for the few that are not letters.
const LATIN_BASES: &str = "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuytyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// The most words of a query that count; the rest are ignored.
pub const SEARCH_WORDS_MAX: usize = 5;

/// A query's digits must number at least this many to be looked for among phone numbers.
const NUMBER_DIGITS_MIN: usize = 4;

/// The words, folded, that label a customer's id or reference where the app shows them
/// ("Ref. abc1454", "Customer 3333333") or where staff copy them from ("Reference",
/// "ID: …", "No. …"). At the start of a query and followed by another word, each is dropped,
/// so that a value copied with its label finds the customer. Alone ("ref") it is a word like
/// any other.
pub const SEARCH_LABELS: [&str; 5] = ["ref", "reference", "customer", "id", "no"];

/// What to tell a person whose query [`CustomerQuery::too_short`] says is too short.
pub const SEARCH_TOO_SHORT: &str = "Type at least 2 letters or 4 digits.";

/// `text` as the search compares it: lower case, accents taken off, apostrophes dropped
/// ("O'Connor" is "oconnor"), every other mark a space, one space between words.
///
/// ```
/// use phone_model::fold;
/// assert_eq!(fold("  Ngata,  Āroha "), "ngata aroha");
/// assert_eq!(fold("O’Connor-Smith"), "oconnor smith");
/// ```
#[must_use]
pub fn fold(text: &str) -> String {
    fold_with(
        text,
        |c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' },
    )
}

/// [`fold`] without Unicode's tables, which the embeddable module would carry (8.6 KB of
/// gzip): the same for ASCII and the Latin letters whose accents `fold` takes off (to
/// U+017F); the rest of Latin-1 (no-break space, «, ²) and white space a space; any other
/// character as written (`И` stays `И`).
pub(crate) fn fold_latin(text: &str) -> String {
    fold_with(text, |c| if c < '\u{c0}' || c.is_whitespace() { ' ' } else { c })
}

/// `text` folded, `other` giving what becomes of each character that is not an ASCII letter
/// or digit, an apostrophe, a combining accent or a Latin letter of `LATIN_BASES`.
fn fold_with(text: &str, other: impl Fn(char) -> char) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let c = match c {
            // Apostrophes join ("O'Connor"); combining accents, as a decomposed "ā" has them,
            // belong to their letter.
            '\'' | '’' | '‘' | 'ʻ' | '\u{300}'..='\u{36f}' => continue,
            'A'..='Z' | 'a'..='z' | '0'..='9' => c.to_ascii_lowercase(),
            '\u{c0}'..='\u{17f}' => {
                LATIN_BASES.as_bytes().get(c as usize - 0xc0).map_or(' ', |&b| char::from(b))
            }
            // The rest of ASCII is marks.
            c if c.is_ascii() => ' ',
            c => other(c),
        };
        if c == ' ' {
            if !space {
                folded.push(' ');
            }
            space = true;
        } else {
            folded.push(c);
            space = false;
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// The document a customer is found by: its names, external reference, id and business's
/// name, folded, with a space at each end so that `" jo"` matches a word that starts "jo".
/// A reference written in parts ("2023-0042") is there whole as well ("20230042"), as a
/// query of digits looks for it.
///
/// ```
/// use phone_model::customer_document;
/// let document = customer_document("Āroha", "Ngata", "2023-0042", "5075447896", "Kiwi Physio");
/// assert_eq!(document, " aroha ngata 2023 0042 5075447896 kiwi physio 20230042 ");
/// ```
#[must_use]
pub fn customer_document(
    first_name: &str,
    last_name: &str,
    external_reference: &str,
    customer_id: &str,
    business_name: &str,
) -> String {
    let mut document = String::from(" ");
    for part in [first_name, last_name, external_reference, customer_id, business_name] {
        let part = fold(part);
        if !part.is_empty() {
            document.push_str(&part);
            document.push(' ');
        }
    }
    let reference = fold(external_reference);
    if reference.contains(' ') {
        document.push_str(&reference.replace(' ', ""));
        document.push(' ');
    }
    document
}

/// The digits of a stored number's E.164 form (or of its text, when it cannot be read),
/// last first: every written form of a number is an ending of its E.164 digits, so a
/// search by number is a search by the start of this, which a B-tree index answers.
///
/// ```
/// use phone_model::reversed_digits;
/// assert_eq!(reversed_digits("+64211234567"), "76543211246");
/// ```
#[must_use]
pub fn reversed_digits(number: &str) -> String {
    number.chars().rev().filter(char::is_ascii_digit).collect()
}

/// What a person typed into the customer search, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerQuery {
    /// The folded words, each to be found in the customer's document (at most
    /// [`SEARCH_WORDS_MAX`], no repeats). A number's digits are one word, so that a customer
    /// id or reference written in groups ("90 0005 0000") is found whole.
    pub words: Vec<String>,
    /// When the text is a phone number in some written form: the start of the reversed
    /// digits its numbers must have (see [`reversed_digits`]).
    pub number: Option<String>,
    /// Whether the words followed a label ([`SEARCH_LABELS`]): then they are an id or a
    /// reference however short.
    labelled: bool,
}

impl CustomerQuery {
    /// Reads the text. A phone number is digits with only spaces, dashes, dots, slashes,
    /// brackets and a leading `+` around them; written nationally ("021 123 4567", "09 264
    /// 5555"), its trunk `0` is left off, and written with an international prefix ("0064 …",
    /// "0011 61 …") the prefix is, as is a bracketed trunk 0 ("+64 (0)21 …"). Single letters
    /// alone are found as words in a row: initials "j s" find "J Smith", not "John Smith".
    /// Labels at the start ([`SEARCH_LABELS`]: "Ref. abc1454", "Customer 3333333") are
    /// dropped when another word follows them.
    ///
    /// ```
    /// use phone_model::CustomerQuery;
    /// let query = CustomerQuery::parse("021 123 4567");
    /// assert_eq!(query.number.as_deref(), Some("765432112"));
    /// assert_eq!(query.words, ["0211234567"]);
    /// assert_eq!(CustomerQuery::parse("+64 21 123 4567").number.as_deref(), Some("76543211246"));
    /// assert_eq!(CustomerQuery::parse("Ngata, Aroha").words, ["ngata", "aroha"]);
    /// assert_eq!(CustomerQuery::parse("Ref. abc1454").words, ["abc1454"]);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let number = number_ending(text);
        if number.is_some() {
            let digits = text.replace("(0)", "").chars().filter(char::is_ascii_digit).collect();
            return Self { words: alloc::vec![digits], number, labelled: false };
        }
        let folded = fold(text);
        let all: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        // Labels, each followed by another word ("Customer no. 3333333" drops two).
        let labels = all
            .iter()
            .take(all.len().saturating_sub(1))
            .take_while(|word| SEARCH_LABELS.contains(word))
            .count();
        let mut words: Vec<String> = Vec::new();
        for &word in &all[labels..] {
            if words.len() < SEARCH_WORDS_MAX && !words.iter().any(|w| w == word) {
                words.push(word.into());
            }
        }
        Self { words, number, labelled: labels > 0 }
    }

    /// Whether there is anything to look for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.number.is_none()
    }

    /// Whether the query is too short to search: what it could match would be chance, not
    /// what was meant ([`SEARCH_TOO_SHORT`] says so to a person). That is a single letter or
    /// digit (`a`, `7`: only a word of that one character could match), and digits too few for
    /// a phone number (four, a national trunk `0` or an international
    /// prefix not counted: `27`, `345`, `021`), which would otherwise match any customer id
    /// (random, seven to ten digits) that holds them. Two letters are enough (`jo` finds
    /// every "Jo…" through the index), and so is a short reference given with its label
    /// (`Ref 27`).
    ///
    /// ```
    /// use phone_model::CustomerQuery;
    /// let too_short = |text: &str| CustomerQuery::parse(text).too_short();
    /// assert!(too_short("a") && too_short("345") && too_short("+64"));
    /// assert!(!too_short("jo") && !too_short("5555") && !too_short("Ref 27"));
    /// ```
    #[must_use]
    pub fn too_short(&self) -> bool {
        if self.number.is_some() {
            return false;
        }
        let characters: usize = self.words.iter().map(|w| w.chars().count()).sum();
        let digits_only = self.words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()));
        characters < 2 || (digits_only && !self.labelled)
    }
}

/// The reversed digits a number written as `text` ends with, when `text` is a number.
fn number_ending(text: &str) -> Option<String> {
    // "+64 (0)21 …": the trunk 0 in brackets is not dialled from abroad.
    let text = text.trim().replace("(0)", "");
    let written_as_number = text.chars().all(|c| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '.' | '/' | '(' | ')' | '+')
    });
    if !written_as_number || text.chars().skip(1).any(|c| c == '+') {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let significant = if text.starts_with('+') {
        digits.as_str()
    } else {
        after_any_international_prefix(&digits)
            .or_else(|| digits.strip_prefix('0'))
            .unwrap_or(digits.as_str())
    };
    (significant.len() >= NUMBER_DIGITS_MIN).then(|| significant.chars().rev().collect())
}

/// `digits` after the longest international prefix of any country that starts them (`0011` of
/// `0011 61 …`, `00` of `0064 …`), read as a number's parse reads one. The search does not know
/// which country the person dials from, so it tries every country's; only prefixes that start
/// with `0`, since a national number can start like `810` (Russia's) or `119` (Cuba's), and
/// such digits would be lost. Cutting too much is safe: what is left is still an ending of the
/// number's digits, found by fewer of them (`020 …`, a New Zealand mobile written nationally,
/// is looked for after Mauritius's `020`).
fn after_any_international_prefix(digits: &str) -> Option<&str> {
    Region::every_international_prefix()
        .filter(|prefix| prefix.starts_with('0'))
        .filter_map(|prefix| after_international_prefix(digits, prefix))
        .min_by_key(|rest| rest.len())
}

/// How well a customer's document matches: the better, the smaller. Results are shown best
/// first, and in the order customers were created within a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchRank {
    /// Every word is a whole word of the document.
    Exact,
    /// Every word starts a word of the document.
    Prefix,
    /// Every word is somewhere in the document.
    Within,
    /// Some word is one typo away from a word of the document (or from its start).
    Typo,
}

impl MatchRank {
    /// The rank as a number, for ordering in SQL.
    #[must_use]
    pub fn number(self) -> i64 {
        self as i64
    }
}

/// How `document` (see [`customer_document`]) matches every word of `words`, or `None`.
///
/// ```
/// use phone_model::{MatchRank, customer_document, match_rank};
/// let john = customer_document("John", "O'Connor", "", "1234567890", "City Physio");
/// let rank = |query: &[&str]| {
///     let words: Vec<String> = query.iter().map(|w| w.to_string()).collect();
///     match_rank(&john, &words)
/// };
/// assert_eq!(rank(&["oconnor", "john"]), Some(MatchRank::Exact));
/// assert_eq!(rank(&["jo", "physio"]), Some(MatchRank::Prefix));
/// assert_eq!(rank(&["onno"]), Some(MatchRank::Within));
/// assert_eq!(rank(&["jon"]), Some(MatchRank::Typo));
/// assert_eq!(rank(&["jane"]), None);
/// ```
#[must_use]
pub fn match_rank(document: &str, words: &[String]) -> Option<MatchRank> {
    let document_words: Vec<&str> = document.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().try_fold(MatchRank::Exact, |worst, word| {
        let word = word.as_str();
        let rank = if document_words.contains(&word) {
            MatchRank::Exact
        } else if document_words.iter().any(|w| w.starts_with(word)) {
            MatchRank::Prefix
        } else if document.contains(word) {
            MatchRank::Within
        } else if document_words.iter().any(|w| one_typo_from(word, w)) {
            MatchRank::Typo
        } else {
            return None;
        };
        Some(worst.max(rank))
    })
}

/// Whether `typed` is one typo (a letter added, missing, changed, or two swapped) away from
/// `word` or from its start; words shorter than three letters get no typo.
fn one_typo_from(typed: &str, word: &str) -> bool {
    let (typed, word): (Vec<char>, Vec<char>) = (typed.chars().collect(), word.chars().collect());
    if typed.len() < 3 {
        return false;
    }
    // The start of `word` as long as `typed`, one shorter and one longer: a typo at the end
    // of a prefix looks like any of the three.
    (typed.len().saturating_sub(1)..=typed.len() + 1)
        .filter(|&length| length <= word.len())
        .any(|length| within_one_edit(&typed, &word[..length]))
}

/// Damerau–Levenshtein distance of at most one.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    match (a.len(), b.len()) {
        (0, 0) | (0, 1) | (1, 0) => true,
        (m, n) if m == n => {
            a[1..] == b[1..] || (m >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        (m, n) if m + 1 == n => a == &b[1..],
        (m, n) if m == n + 1 => &a[1..] == b,
        _ => false,
    }
}

/// The patterns a candidate document is fetched by when `word` may hold a typo: its first two
/// letters at a word's start, or its last two at a word's end. One typo leaves one of them
/// whole in a word of five letters or more, and in most shorter ones; not where it changes
/// the middle of three letters or swaps the middle two of four ("jhon"), which no trigram
/// of the word survives.
#[must_use]
pub fn typo_anchors(word: &str) -> Option<[String; 2]> {
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < 3 {
        return None;
    }
    let start: String = letters[..2].iter().collect();
    let end: String = letters[letters.len() - 2..].iter().collect();
    Some([alloc::format!(" {start}"), alloc::format!("{end} ")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_marks_and_extra_spaces() {
        assert_eq!(fold("ÉLODIE  d’Arcy"), "elodie darcy");
        assert_eq!(fold("Mōrena, Tāne!"), "morena tane");
        assert_eq!(fold("Øster-Ødegård"), "oster odegard");
        assert_eq!(fold(" , "), "");
        assert_eq!(fold("Nga\u{304}ti"), "ngati", "a decomposed accent stays with its letter");
        assert_eq!(fold("ИВАН Σοφία"), "иван σοφία", "letters of other scripts are kept");
        // Without Unicode's tables: Latin alike, other scripts as written.
        for text in ["ÉLODIE  d’Arcy", "Mōrena, Tāne!", "Nga\u{304}ti", "a\u{a0}b\u{2009}c  «d»"]
        {
            assert_eq!(fold_latin(text), fold(text), "{text}");
        }
        assert_eq!(fold_latin("ИВАН Σοφία"), "ИВАН Σοφία");
    }

    #[test]
    fn one_edit_is_a_letter_added_missing_changed_or_two_swapped() {
        let edit = |a: &str, b: &str| {
            within_one_edit(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
        };
        for (a, b) in [
            ("john", "john"),
            ("john", "jon"),
            ("jon", "john"),
            ("john", "jxhn"),
            ("jhon", "john"),
            ("john", "joh"),
            ("joh", "john"),
            ("", "a"),
            ("a", ""),
        ] {
            assert!(edit(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("john", "jo"),
            ("jo", "john"),
            ("john", "jnho"),
            ("john", "xxhn"),
            ("ab", "ba c"),
            ("xyz", "yqz"),
        ] {
            assert!(!edit(a, b), "{a} {b}");
        }
        // From a word or its start; never for fewer than three letters.
        assert!(one_typo_from("smitj", "smith"));
        assert!(one_typo_from("smth", "smithson"));
        assert!(one_typo_from("smiht", "smith"));
        assert!(!one_typo_from("sm", "sx"));
        assert!(!one_typo_from("smxxh", "smith"));
        assert!(!one_typo_from("smith", "sm"));
    }

    #[test]
    fn a_typos_anchors_are_a_words_first_and_last_two_letters() {
        assert_eq!(typo_anchors("jo"), None);
        assert_eq!(typo_anchors("jon"), Some([" jo".to_owned(), "on ".to_owned()]));
        assert_eq!(typo_anchors("ngāti"), Some([" ng".to_owned(), "ti ".to_owned()]));
    }

    #[test]
    fn a_query_is_empty_only_without_words_or_a_number_and_ranks_order_as_numbers() {
        assert!(CustomerQuery::parse(" ,. ").is_empty());
        assert!(!CustomerQuery::parse("ana").is_empty());
        assert!(!CustomerQuery::parse("021 123 4567").is_empty());
        let ranks = [MatchRank::Exact, MatchRank::Prefix, MatchRank::Within, MatchRank::Typo];
        assert_eq!(ranks.map(MatchRank::number), [0, 1, 2, 3]);
    }

    #[test]
    fn a_number_in_any_written_form_is_an_ending_of_its_e164_digits() {
        let stored = reversed_digits("+64211234567");
        for typed in [
            "021 123 4567",
            "0211234567",
            "+64 21 123 4567",
            "+64211234567",
            "0064 21 123 4567",
            "21-123-4567",
            "(021) 123.4567",
            "123 4567",
            "+64 (0)21 123 4567",
            "021\u{a0}123\u{a0}4567",
            "021–123–4567",
            "021/123 4567",
        ] {
            let ending = CustomerQuery::parse(typed).number.expect(typed);
            assert!(stored.starts_with(&ending), "{typed}: {ending} vs {stored}");
        }
        let au = reversed_digits("+61412345678");
        let ending = CustomerQuery::parse("0011 61 412 345 678").number.expect("AU");
        assert!(au.starts_with(&ending));
        let local = reversed_digits("+6492645555");
        assert!(local.starts_with(&CustomerQuery::parse("264 5555").number.expect("local")));
    }

    #[test]
    fn text_that_is_not_a_number_is_only_words() {
        assert_eq!(CustomerQuery::parse("021 abc").number, None);
        assert_eq!(CustomerQuery::parse("12").number, None);
        assert_eq!(CustomerQuery::parse("1+2345").number, None);
        let query = CustomerQuery::parse("a b c d e f g a");
        assert_eq!(query.words, ["a", "b", "c", "d", "e"]);
        assert!(CustomerQuery::parse(" ,; ").is_empty());
    }

    #[track_caller]
    fn words_of(text: &str, words: &[&str]) {
        let query = CustomerQuery::parse(text);
        assert_eq!(query.words, words, "{text:?}");
        assert_eq!(query.number, None, "{text:?}: a label's value is no phone number");
    }

    #[test]
    fn a_label_before_a_value_is_dropped_and_a_label_alone_is_a_word() {
        for (text, words) in [
            ("Ref abc1454", &["abc1454"][..]),
            ("Ref. abc1454", &["abc1454"]),
            ("REF.abc1454", &["abc1454"]),
            ("reference 2023-0042", &["2023", "0042"]),
            ("Customer 3333333", &["3333333"]),
            ("customer no. 3333333", &["3333333"]),
            ("ID: 3333333", &["3333333"]),
            ("No. 42", &["42"]),
            ("Ref", &["ref"]),
            ("customer", &["customer"]),
            ("Ref No", &["no"]),
            ("Aroha ref", &["aroha", "ref"]),
            ("Refilwe Customer", &["refilwe", "customer"]),
        ] {
            words_of(text, words);
        }
    }

    #[test]
    fn a_query_too_short_to_mean_anything_is_said_to_be() {
        for (text, too_short) in [
            ("a", true),
            ("7", true),
            (" ,. ", true),
            ("27", true),
            ("345", true),
            ("021", true),
            ("0211", true),
            ("+64", true),
            ("1 2", true),
            ("jo", false),
            ("j s", false),
            ("a1", false),
            ("ana", false),
            ("2645", false),
            ("02112", false),
            ("Ref 27", false),
            ("Customer 7", true),
            ("Ref", false),
        ] {
            assert_eq!(CustomerQuery::parse(text).too_short(), too_short, "{text:?}");
        }
    }

    #[test]
    fn one_typo_is_forgiven_and_two_are_not() {
        let smith = customer_document("John", "Smith", "", "", "");
        let rank = |word: &str| match_rank(&smith, &[word.into()]);
        assert_eq!(rank("smoth"), Some(MatchRank::Typo));
        assert_eq!(rank("simth"), Some(MatchRank::Typo));
        assert_eq!(rank("smiths"), Some(MatchRank::Typo));
        assert_eq!(rank("smth"), Some(MatchRank::Typo));
        assert_eq!(rank("smi"), Some(MatchRank::Prefix));
        assert_eq!(rank("smoh"), None);
        assert_eq!(rank("snoth"), None);
        assert_eq!(rank("jo"), Some(MatchRank::Prefix));
        assert_eq!(rank("ja"), None);
    }

    #[test]
    fn the_worst_word_ranks_the_match() {
        let doc = customer_document("Aroha", "Ngata", "REF-9", "5075447896", "Kiwi Physio");
        let words = |w: &[&str]| w.iter().map(|w| String::from(*w)).collect::<Vec<_>>();
        assert_eq!(match_rank(&doc, &words(&["aroha", "physio"])), Some(MatchRank::Exact));
        assert_eq!(match_rank(&doc, &words(&["aroha", "phys"])), Some(MatchRank::Prefix));
        assert_eq!(match_rank(&doc, &words(&["aroha", "7544"])), Some(MatchRank::Within));
        assert_eq!(match_rank(&doc, &words(&["arhoa", "ngata"])), Some(MatchRank::Typo));
        assert_eq!(match_rank(&doc, &words(&["aroha", "smith"])), None);
    }

    #[test]
    fn a_typo_leaves_one_anchor_whole() {
        let doc = customer_document("Jonathan", "", "", "", "");
        for typed in ["xonathan", "jonathxn", "jonahtan", "jnathan"] {
            let [start, end] = typo_anchors(typed).expect("long enough");
            assert!(doc.contains(&start) || doc.contains(&end), "{typed}");
        }
        assert_eq!(typo_anchors("jo"), None);
    }
}
