//! The country of the provider's table that a calling code stands for, by the table alone (its
//! area codes and the row it marks main), never by the plans: a build with some countries'
//! plans only names the same country. What a number written with a code is written for
//! (`written`), the country a number saved under a code is saved as (the review), and the main
//! country of a code (`Country::is_main_for_code`, the plans' region names) all read it here.

use crate::{Country, CountryCode, countries};

/// The row of the provider's table for a number of `code` whose national digits are
/// `national` (see [`crate::written_country`]); `None` for a code the table does not have. With
/// `national` empty, the code's main country: what a number saved under the code is saved as.
pub(crate) fn country_of(code: CountryCode, national: &str) -> Option<&'static Country> {
    let rows = || countries().iter().filter(move |c| c.code() == code.as_str());
    let by_area = rows().find(|c| c.area_codes().iter().any(|area| national.starts_with(area)));
    // The main row is marked in the table's data, not found in the plans: a build with some
    // countries' plans only (New Zealand and Australia) knows it too.
    by_area.or_else(|| rows().find(|c| c.main)).or_else(|| rows().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_alone_is_its_main_country() {
        let name = |code: &str| country_of(CountryCode::new(code).unwrap(), "").map(Country::name);
        assert_eq!(name("+1"), Some("United States"));
        assert_eq!(name("+44"), Some("United Kingdom"));
        assert_eq!(name("+64"), Some("New Zealand"));
        assert_eq!(name("+61"), Some("Australia"));
        assert_eq!(name("+599"), Some("Curacao"), "named as the plans name it, folded");
    }
}
