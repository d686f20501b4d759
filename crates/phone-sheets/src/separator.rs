//! Which character separates a CSV file's fields. Excel writes `;` where the decimal mark is a
//! comma (much of Europe), and "Text (Tab delimited)" with tabs; the file's name is no guide,
//! since people rename files.

/// The candidates, in the order that wins a tie: a comma is by far the most common.
const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];

/// The candidate that occurs most often, outside double quotes, in the first record that has
/// anything in it; a comma when none occurs.
pub(crate) fn detect(text: &str) -> u8 {
    let mut counts = [0_usize; CANDIDATES.len()];
    let mut quoted = false;
    let mut record_has_text = false;
    for &byte in text.as_bytes() {
        match byte {
            // A doubled quote inside quotes turns quoting off and on again: still quoted.
            b'"' => {
                quoted = !quoted;
                record_has_text = true;
            }
            b'\n' | b'\r' if !quoted => {
                if record_has_text {
                    break;
                }
                counts = [0; CANDIDATES.len()];
            }
            _ if quoted => {}
            _ => {
                if let Some(index) = CANDIDATES.iter().position(|&candidate| candidate == byte) {
                    counts[index] += 1;
                } else if !byte.is_ascii_whitespace() {
                    record_has_text = true;
                }
            }
        }
    }
    let mut best = 0;
    for index in 1..CANDIDATES.len() {
        if counts[index] > counts[best] {
            best = index;
        }
    }
    CANDIDATES[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_separator_of_the_first_record_wins() {
        let cases: [(&str, u8); 9] = [
            ("Name,Mobile,Home\n", b','),
            ("Name;Mobile;Home\r\nx,y,z,w,v\n", b';'),
            ("Name\tMobile\tHome", b'\t'),
            // Separators inside quotes do not count, nor do doubled quotes confuse the count.
            ("\"Surname, first; \"\"name\"\"\";Mobile\n", b';'),
            ("\"a\nb,c,d,e\"\tMobile\n", b'\t'),
            // A tie goes to the comma, then the semicolon; no separator at all is a comma.
            ("a,b;c\n", b','),
            ("a;b\tc\n", b';'),
            ("Name\n", b','),
            // Blank lines (and lines of separators only) before the heading are not its record.
            ("\n;;;\r\n  \nName\tMobile\n", b'\t'),
        ];
        for (text, separator) in cases {
            assert_eq!(detect(text), separator, "{text:?}");
        }
    }
}
