//! Writing a number in its region's formats: a format is a list of digit groups (`(\d{2})
//! (\d{3,4})(\d{4})` in the metadata, compiled to each group's fewest and most digits), a
//! template (`$1 $2 $3`), the national form's rule for the national prefix (`0$1`, `($1)`) and
//! the international template. The first format whose leading digits fit the number and whose
//! groups can hold its length is used, as in libphonenumber.

use super::{Region, data::Reader};
use alloc::string::String;

/// Which form of a number to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// As dialled at home, with the national prefix where the format puts it (`09 264 5555`).
    National,
    /// The national grouping without the national prefix (`9 264 5555`): a number being typed
    /// without its trunk 0.
    Grouped,
    /// As dialled from abroad, after the calling code (`9 264 5555`, or the region's own
    /// international template).
    International,
}

/// One format of a region.
#[derive(Debug, Clone, Copy)]
pub(super) struct Format {
    /// The fewest and most digits of each group, in pairs.
    groups: &'static [u8],
    // Templates stay bytes (the metadata's are ASCII) until one is rendered, so looking through
    // a region's formats does not check every string's UTF-8.
    template: &'static [u8],
    national_rule: &'static [u8],
    /// `None` when the format is not used internationally.
    international: Option<&'static [u8]>,
}

impl Format {
    pub(super) fn read(reader: &mut Reader) -> Self {
        let count = usize::from(reader.u8());
        let groups = reader.take(2 * count);
        let template = reader.bytes();
        let national_rule = reader.bytes();
        let international = match reader.u8() {
            0 => Some(template),
            2 => Some(reader.bytes()),
            _ => None,
        };
        Self { groups, template, national_rule, international }
    }

    fn fewest(&self) -> usize {
        self.groups.iter().step_by(2).map(|&n| usize::from(n)).sum()
    }

    fn most(&self) -> usize {
        self.groups.iter().skip(1).step_by(2).map(|&n| usize::from(n)).sum()
    }

    fn template(&self, style: Style) -> Option<&'static [u8]> {
        match style {
            Style::National | Style::Grouped => Some(self.template),
            Style::International => self.international,
        }
    }

    /// Splits `digits` into the groups: greedily, as the metadata's regular expression would,
    /// when there are enough digits for every group; otherwise each group its fewest digits,
    /// in order, as far as the digits go (a number being typed).
    fn split<'a>(&self, digits: &'a str) -> [&'a str; 8] {
        let mut parts = [""; 8];
        let mut rest = digits;
        let count = self.groups.len() / 2;
        let complete = digits.len() >= self.fewest();
        // No indexing or slicing that could panic: the module carries no panic messages.
        for (i, part) in parts.iter_mut().enumerate().take(count) {
            let group = |at: usize| usize::from(self.groups.get(at).copied().unwrap_or(0));
            let (fewest, most) = (group(2 * i), group(2 * i + 1));
            let later: usize = (i + 1..count).map(|later| group(2 * later)).sum();
            let take = if i + 1 == count {
                rest.len()
            } else if complete {
                most.min(rest.len().saturating_sub(later))
            } else {
                fewest.min(rest.len())
            };
            let (group, tail) = rest.split_at_checked(take).unwrap_or((rest, ""));
            *part = group;
            rest = tail;
        }
        parts
    }
}

/// The region's formats whose leading digits `digits` start with, with their indexes.
fn fitting(region: Region, digits: &str) -> impl Iterator<Item = (usize, Format)> {
    let (mut reader, leading) = region.formats();
    let fitting = leading.and_then(|a| a.walk(digits.as_bytes())).unwrap_or(0);
    let count = usize::from(reader.u8());
    (0..count).map(move |i| (i, Format::read(&mut reader))).filter(move |(i, _)| {
        fitting.checked_shr(u32::try_from(*i).unwrap_or(u32::MAX)).unwrap_or(0) & 1 != 0
    })
}

pub(super) fn format(region: Region, national: &str, style: Style) -> Option<String> {
    let length = national.len();
    fitting(region, national)
        .filter(|(_, f)| (f.fewest()..=f.most()).contains(&length))
        .find_map(|(_, f)| Some(render(f.template(style)?, rule(&f, style), &f.split(national))))
}

pub(super) fn format_partial(region: Region, partial: &str, style: Style) -> Option<String> {
    fitting(region, partial)
        .filter(|(_, f)| partial.len() <= f.most())
        .find_map(|(_, f)| Some(render(f.template(style)?, rule(&f, style), &f.split(partial))))
}

fn rule(format: &Format, style: Style) -> &'static [u8] {
    if style == Style::National { format.national_rule } else { b"" }
}

/// Fills `template`'s `$n` with the groups; the first `$n` is written through `rule` when
/// there is one (`0$1`). Stops before the first empty group, so a number being typed shows no
/// separator that nothing follows yet.
fn render(template: &[u8], rule: &[u8], groups: &[&str; 8]) -> String {
    let mut out = String::with_capacity(template.len() + 20);
    let mut first = true;
    let mut bytes = template.iter().copied();
    while let Some(byte) = bytes.next() {
        if byte != b'$' {
            out.push(char::from(byte));
            continue;
        }
        let group = usize::from(bytes.next().unwrap_or(b'0').wrapping_sub(b'1'));
        let text = groups.get(group).copied().unwrap_or_default();
        if text.is_empty() {
            break;
        }
        if first && !rule.is_empty() {
            out.push_str(&render(rule, b"", &[text, "", "", "", "", "", "", ""]));
        } else {
            out.push_str(text);
        }
        first = false;
    }
    while out.ends_with([' ', '-', '/', '.']) {
        out.pop();
    }
    out
}
