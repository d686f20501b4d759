//! Reading libphonenumber's `PhoneNumberMetadata.xml` into plain territories: the patterns with
//! their white space removed, possible lengths as bit masks, formats as group lengths.

use crate::Result;

/// The number types, in the order libphonenumber tests them (`getNumberTypeHelper`): the
/// special services first, then fixed line and mobile. The position is the type's bit in the
/// compiled plans, which `phone-model` reads in the same order.
pub(crate) const TYPES: [&str; 10] = [
    "premiumRate",
    "tollFree",
    "sharedCost",
    "voip",
    "personalNumber",
    "pager",
    "uan",
    "voicemail",
    "fixedLine",
    "mobile",
];

/// One `<territory>`.
#[derive(Debug)]
pub(crate) struct Territory {
    pub(crate) id: String,
    pub(crate) calling_code: u16,
    pub(crate) main_for_code: bool,
    /// For calling codes several territories share: the leading digits that pick this one.
    pub(crate) leading_digits: Option<String>,
    pub(crate) national_prefix: String,
    /// What is stripped from the front of a national number; the national prefix if unset.
    pub(crate) prefix_for_parsing: Option<String>,
    pub(crate) transform_rule: Option<String>,
    /// The digits dialled before a country code to call abroad (`00` in New Zealand, `0011`
    /// in Australia), when the region has one literal prefix; see [`international_prefix`].
    pub(crate) international_prefix: Option<String>,
    pub(crate) general: String,
    pub(crate) types: Vec<TypeDesc>,
    pub(crate) formats: Vec<Format>,
}

/// One number type of a territory.
#[derive(Debug)]
pub(crate) struct TypeDesc {
    /// Index into [`TYPES`].
    pub(crate) index: usize,
    pub(crate) pattern: String,
    /// Bit `n` set: `n` digits is a possible national length.
    pub(crate) lengths: u32,
    /// Lengths dialled only within an area (`localOnly`), which the national number is not.
    pub(crate) local_lengths: u32,
    pub(crate) example: Option<String>,
}

/// One `<numberFormat>`: a pattern of digit groups.
#[derive(Debug)]
pub(crate) struct Format {
    /// Each group's fewest and most digits, from `(\d{2})(\d{3,4})`.
    pub(crate) groups: Vec<(u8, u8)>,
    /// The most specific (last) leading-digits pattern, if any.
    pub(crate) leading_digits: Option<String>,
    pub(crate) format: String,
    /// The national form's rule with `$NP` and `$FG` filled in (`0$1`, `($1)`), if any.
    pub(crate) national_rule: Option<String>,
    pub(crate) intl: Intl,
}

/// How a format is written internationally.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Intl {
    /// As nationally.
    Same,
    /// Not used internationally (`<intlFormat>NA</intlFormat>`).
    None,
    /// With its own format string.
    Other(String),
}

/// Every territory of the file, in its order.
///
/// # Errors
/// When the file is not the metadata XML libphonenumber publishes.
pub(crate) fn read(xml: &str) -> Result<Vec<Territory>> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(xml, options)?;
    let territories = document
        .descendants()
        .find(|n| n.has_tag_name("territories"))
        .ok_or("no <territories> element")?;
    territories.children().filter(|node| node.has_tag_name("territory")).map(territory).collect()
}

fn territory(node: roxmltree::Node<'_, '_>) -> Result<Territory> {
    let attribute = |name: &str| node.attribute(name).map(squeeze);
    let id = attribute("id").ok_or("a territory without id")?;
    let calling_code =
        attribute("countryCode").ok_or("a territory without countryCode")?.parse()?;
    let child = |tag: &str| node.children().find(|c| c.has_tag_name(tag));
    let general = child("generalDesc")
        .and_then(|d| element_text(d, "nationalNumberPattern"))
        .ok_or_else(|| format!("{id}: no generalDesc pattern"))?;
    let mut types = Vec::new();
    for (index, tag) in TYPES.iter().enumerate() {
        let Some(desc) = child(tag) else { continue };
        let Some(pattern) = element_text(desc, "nationalNumberPattern") else { continue };
        let possible = desc.children().find(|c| c.has_tag_name("possibleLengths"));
        let lengths = possible
            .and_then(|p| p.attribute("national"))
            .map(lengths_mask)
            .transpose()?
            .ok_or_else(|| format!("{id} {tag}: no possible lengths"))?;
        let local_lengths = possible
            .and_then(|p| p.attribute("localOnly"))
            .map(lengths_mask)
            .transpose()?
            .unwrap_or(0);
        let example = element_text(desc, "exampleNumber");
        types.push(TypeDesc { index, pattern, lengths, local_lengths, example });
    }
    let national_prefix = attribute("nationalPrefix").unwrap_or_default();
    let formats = match child("availableFormats") {
        Some(list) => list
            .children()
            .filter(|c| c.has_tag_name("numberFormat"))
            .map(|f| format(f, &national_prefix).map_err(|e| format!("{id}: {e}").into()))
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    Ok(Territory {
        calling_code,
        main_for_code: attribute("mainCountryForCode").as_deref() == Some("true"),
        leading_digits: attribute("leadingDigits"),
        prefix_for_parsing: attribute("nationalPrefixForParsing"),
        transform_rule: attribute("nationalPrefixTransformRule"),
        international_prefix: international_prefix(
            attribute("preferredInternationalPrefix"),
            attribute("internationalPrefix"),
        ),
        national_prefix,
        general,
        types,
        formats,
        id,
    })
}

fn format(node: roxmltree::Node<'_, '_>, national_prefix: &str) -> Result<Format> {
    let pattern = squeeze(node.attribute("pattern").ok_or("a numberFormat without pattern")?);
    // Spaces are part of a format (`$1 $2`): only the XML's layout around it is trimmed.
    let text = |tag: &str| {
        node.children()
            .rfind(|c| c.has_tag_name(tag))
            .map(|c| c.text().unwrap_or_default().trim().to_owned())
    };
    let intl = match text("intlFormat") {
        None => Intl::Same,
        Some(text) if text == "NA" => Intl::None,
        Some(text) => Intl::Other(text),
    };
    Ok(Format {
        groups: group_lengths(&pattern)?,
        leading_digits: text("leadingDigits").map(|t| squeeze(&t)),
        format: text("format").ok_or("a numberFormat without format")?,
        national_rule: node
            .attribute("nationalPrefixFormattingRule")
            .map(|rule| rule.replace("$NP", national_prefix).replace("$FG", "$1")),
        intl,
    })
}

/// The one international prefix a region's numbers are read with: the preferred one where the
/// file gives it (New Zealand's `00`, though `0161` also works there), else the prefix when it
/// is only digits (the United States' `011`). A `~` in a preferred prefix (Russia's `8~10`)
/// marks a pause for the dial tone, not a digit: it is dropped. The regions whose prefix is a
/// pattern with no preferred form (Brazil's, Colombia's and South Korea's choose a carrier)
/// get none: there only a number written with `+` is read as international.
fn international_prefix(preferred: Option<String>, prefix: Option<String>) -> Option<String> {
    let literal = |text: String| {
        let digits: String = text.chars().filter(|&c| c != '~').collect();
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
    };
    preferred.and_then(literal).or_else(|| prefix.and_then(literal))
}

/// `(\d{2})(\d{3,4})(\d)` → `[(2, 2), (3, 4), (1, 1)]`. Every format of the file is groups of
/// digits and nothing else; anything else is refused, since the core splits by lengths alone.
fn group_lengths(pattern: &str) -> Result<Vec<(u8, u8)>> {
    let mut groups = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        let inner = rest
            .strip_prefix("(\\d")
            .ok_or_else(|| format!("format pattern {pattern:?} is not groups of \\d"))?;
        let close = inner.find(')').ok_or("unclosed group")?;
        let counts = &inner[..close];
        let (min, max) = match counts.strip_prefix('{').and_then(|c| c.strip_suffix('}')) {
            None if counts.is_empty() => (1, 1),
            None => return Err(format!("format pattern {pattern:?}: odd group").into()),
            Some(c) => match c.split_once(',') {
                Some((a, b)) => (a.parse()?, b.parse()?),
                None => (c.parse()?, c.parse()?),
            },
        };
        groups.push((min, max));
        rest = &inner[close + 1..];
    }
    Ok(groups)
}

/// `[8-10]`, `4,7`, `[5-7],9` → a mask with those bits set; `-1` (none) → 0.
fn lengths_mask(text: &str) -> Result<u32> {
    let mut mask = 0_u32;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty() && *p != "-1") {
        let (low, high) = match part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            Some(range) => {
                let (a, b) = range.split_once('-').ok_or_else(|| format!("odd range {part}"))?;
                (a.parse::<u32>()?, b.parse::<u32>()?)
            }
            None => (part.parse()?, part.parse()?),
        };
        for n in low..=high {
            mask |= 1 << n;
        }
    }
    Ok(mask)
}

fn element_text(node: roxmltree::Node<'_, '_>, tag: &str) -> Option<String> {
    node.children().find(|c| c.has_tag_name(tag)).and_then(|c| c.text()).map(squeeze)
}

/// The XML lays patterns out over lines; the white space means nothing.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_read_ranges_and_lists() {
        assert_eq!(lengths_mask("[8-10]").unwrap(), 0b111 << 8);
        assert_eq!(lengths_mask("4,7").unwrap(), (1 << 4) | (1 << 7));
        assert_eq!(lengths_mask("[5-6],9").unwrap(), (1 << 5) | (1 << 6) | (1 << 9));
        assert_eq!(lengths_mask("-1").unwrap(), 0);
    }

    #[test]
    fn the_international_prefix_is_the_preferred_one_or_a_prefix_of_only_digits() {
        let prefix = |preferred: Option<&str>, prefix: Option<&str>| {
            international_prefix(preferred.map(Into::into), prefix.map(Into::into))
        };
        assert_eq!(prefix(Some("00"), Some("0(?:0|161)")).as_deref(), Some("00"));
        assert_eq!(prefix(None, Some("011")).as_deref(), Some("011"));
        assert_eq!(prefix(Some("8~10"), Some("810")).as_deref(), Some("810"));
        assert_eq!(prefix(None, Some("00(?:1[245]|2[1-35])")), None);
        assert_eq!(prefix(None, None), None);
    }

    #[test]
    fn format_patterns_become_group_lengths() {
        assert_eq!(group_lengths(r"(\d{2})(\d{3,4})(\d)").unwrap(), [(2, 2), (3, 4), (1, 1)]);
        assert!(group_lengths(r"(\d{2})-(\d{3})").is_err());
        assert!(group_lengths(r"([2-9]\d)").is_err());
    }
}
