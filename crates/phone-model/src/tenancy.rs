//! Tenancy, as the contract reads it: every API client and staff user has a set of businesses
//! (or all of them, for the provider's own staff). A customer in a business outside the set
//! answers 403 `customer_access_denied`; a customer that exists nowhere stays 404; creating a
//! customer in a business outside the set is refused with the same 403.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use crate::Refusal;

/// The businesses a caller may see.
///
/// ```
/// use phone_model::{Businesses, Refusal};
/// let ana = Businesses::only(["1001"]);
/// assert_eq!(ana.check_customer(Some("1001")), Ok(()));
/// assert_eq!(ana.check_customer(Some("1002")), Err(Refusal::CustomerAccessDenied));
/// assert_eq!(ana.check_customer(None), Err(Refusal::NotFound));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Businesses {
    /// Every business: the provider's own staff, and clients set up before tenancy.
    All,
    /// These businesses only (sorted, no duplicates; possibly none).
    Only(Vec<String>),
}

impl Businesses {
    /// The set of `ids`, sorted and without duplicates.
    pub fn only<S: AsRef<str>>(ids: impl IntoIterator<Item = S>) -> Self {
        let mut ids: Vec<String> = ids.into_iter().map(|id| id.as_ref().to_owned()).collect();
        ids.sort();
        ids.dedup();
        Self::Only(ids)
    }

    /// Whether the set holds `business_id`.
    #[must_use]
    pub fn allows(&self, business_id: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(ids) => ids.binary_search_by(|id| id.as_str().cmp(business_id)).is_ok(),
        }
    }

    /// The contract's answer for an operation on a customer: `found_in` is the business of the
    /// customer with the requested id, `None` when there is no such customer anywhere.
    ///
    /// # Errors
    /// [`Refusal::NotFound`] for `None`; [`Refusal::CustomerAccessDenied`] for a customer of a
    /// business outside the set.
    pub fn check_customer(&self, found_in: Option<&str>) -> Result<(), Refusal> {
        match found_in {
            None => Err(Refusal::NotFound),
            Some(business_id) if self.allows(business_id) => Ok(()),
            Some(_) => Err(Refusal::CustomerAccessDenied),
        }
    }

    /// The answer for creating a customer in `business_id`.
    ///
    /// # Errors
    /// [`Refusal::CustomerAccessDenied`] for a business outside the set.
    pub fn check_new_customer(&self, business_id: &str) -> Result<(), Refusal> {
        if self.allows(business_id) { Ok(()) } else { Err(Refusal::CustomerAccessDenied) }
    }

    /// Which customers a list for this caller is of, for the `businessId` it asked for (as
    /// sent: trimmed, and blank read as none): the contract's "everything they list or search
    /// is within that set", put as a question a provider can answer, since the provider lists
    /// one business's customers or everyone's.
    ///
    /// ```
    /// use phone_model::{Businesses, Listing, Refusal};
    /// let ana = Businesses::only(["1001", "1002"]);
    /// assert_eq!(ana.listing(Some(" 1002 ")), Ok(Listing::Within("1002")));
    /// assert!(matches!(ana.listing(None), Ok(Listing::Several(_))));
    /// assert_eq!(ana.listing(Some("1003")), Err(Refusal::CustomerAccessDenied));
    /// assert_eq!(Businesses::All.listing(Some("1003")), Ok(Listing::AsAsked));
    /// ```
    ///
    /// # Errors
    /// [`Refusal::CustomerAccessDenied`] for a business outside the set (`"1003"` to a caller
    /// of `1001` and `1002`), as creating a customer there is.
    pub fn listing<'a>(&'a self, asked: Option<&'a str>) -> Result<Listing<'a>, Refusal> {
        let asked = asked.map(str::trim).filter(|business| !business.is_empty());
        match (self, asked) {
            (Self::All, _) => Ok(Listing::AsAsked),
            (Self::Only(_), Some(business)) => {
                self.check_new_customer(business).map(|()| Listing::Within(business))
            }
            (Self::Only(ids), None) => match ids.as_slice() {
                [only] => Ok(Listing::Within(only)),
                _ => Ok(Listing::Several(ids)),
            },
        }
    }

    /// The ids, or `None` for every business.
    #[must_use]
    pub fn ids(&self) -> Option<&[String]> {
        match self {
            Self::All => None,
            Self::Only(ids) => Some(ids),
        }
    }
}

/// Which customers a caller's list is of (see [`Businesses::listing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing<'a> {
    /// Any business's, as the caller asked: a caller of every business.
    AsAsked,
    /// This one business's: the one the caller named, or its only one.
    Within(&'a str),
    /// These businesses' (sorted), none named, when the caller has several (or none): no list
    /// of the provider's is this one, which is made where the caller's businesses are known.
    Several(&'a [String]),
}

impl Listing<'_> {
    /// Whether a customer of `business_id` (`None`: one whose business cannot be read) belongs
    /// in the list: what is kept of a provider's answer, which is trusted no further than
    /// the question it was asked.
    ///
    /// ```
    /// use phone_model::Listing;
    /// assert!(Listing::Within("1001").shows(Some("1001")));
    /// assert!(!Listing::Within("1001").shows(Some("1002")));
    /// assert!(!Listing::Within("1001").shows(None));
    /// ```
    #[must_use]
    pub fn shows(&self, business_id: Option<&str>) -> bool {
        match self {
            Self::AsAsked => true,
            Self::Within(business) => business_id == Some(*business),
            Self::Several(ids) => business_id
                .is_some_and(|wanted| ids.binary_search_by(|id| id.as_str().cmp(wanted)).is_ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_answers_by_where_it_is_and_who_asks() {
        let two = Businesses::only(["1002", "1001", "1001"]);
        let none = Businesses::only::<&str>([]);
        let cases = [
            (&Businesses::All, Some("1003"), Ok(())),
            (&Businesses::All, None, Err(Refusal::NotFound)),
            (&two, Some("1001"), Ok(())),
            (&two, Some("1002"), Ok(())),
            (&two, Some("1003"), Err(Refusal::CustomerAccessDenied)),
            (&two, None, Err(Refusal::NotFound)),
            (&none, Some("1001"), Err(Refusal::CustomerAccessDenied)),
        ];
        for (businesses, found_in, answer) in cases {
            assert_eq!(businesses.check_customer(found_in), answer, "{businesses:?} {found_in:?}");
        }
        assert_eq!(two.ids(), Some(&["1001".to_owned(), "1002".to_owned()][..]));
        assert_eq!(two.check_new_customer("1003"), Err(Refusal::CustomerAccessDenied));
        assert_eq!(Businesses::All.check_new_customer("1003"), Ok(()));
    }

    #[test]
    fn a_list_is_asked_of_one_business_or_refused() {
        let one = Businesses::only(["1001"]);
        let two = Businesses::only(["1002", "1001"]);
        let none = Businesses::only::<&str>([]);
        let ids = ["1001".to_owned(), "1002".to_owned()];
        let cases = [
            // (caller's businesses, businessId asked, the list)
            (&Businesses::All, None, Ok(Listing::AsAsked)),
            (&Businesses::All, Some("1003"), Ok(Listing::AsAsked)),
            (&Businesses::All, Some(""), Ok(Listing::AsAsked)),
            (&one, None, Ok(Listing::Within("1001"))),
            (&one, Some(""), Ok(Listing::Within("1001"))),
            (&one, Some(" \t"), Ok(Listing::Within("1001"))),
            (&one, Some("1001"), Ok(Listing::Within("1001"))),
            (&one, Some(" 1001 "), Ok(Listing::Within("1001"))),
            (&one, Some("1002"), Err(Refusal::CustomerAccessDenied)),
            (&one, Some("1001 1002"), Err(Refusal::CustomerAccessDenied)),
            (&two, None, Ok(Listing::Several(&ids))),
            (&two, Some(" "), Ok(Listing::Several(&ids))),
            (&two, Some("1002"), Ok(Listing::Within("1002"))),
            (&two, Some("1003"), Err(Refusal::CustomerAccessDenied)),
            (&none, None, Ok(Listing::Several(&[]))),
            (&none, Some("1001"), Err(Refusal::CustomerAccessDenied)),
        ];
        for (businesses, asked, expected) in cases {
            assert_eq!(businesses.listing(asked), expected, "{businesses:?} {asked:?}");
        }
    }

    #[test]
    fn a_list_shows_only_the_customers_it_was_asked_for() {
        let ids = ["1001".to_owned(), "1002".to_owned()];
        let cases = [
            // (list, customer's business, shown)
            (Listing::AsAsked, Some("1003"), true),
            (Listing::AsAsked, None, true),
            (Listing::Within("1001"), Some("1001"), true),
            (Listing::Within("1001"), Some("1002"), false),
            (Listing::Within("1001"), Some(" 1001"), false),
            (Listing::Within("1001"), Some(""), false),
            (Listing::Within("1001"), None, false),
            (Listing::Several(&ids), Some("1002"), true),
            (Listing::Several(&ids), Some("1003"), false),
            (Listing::Several(&ids), None, false),
            (Listing::Several(&[]), Some("1001"), false),
        ];
        for (listing, business_id, shown) in cases {
            assert_eq!(listing.shows(business_id), shown, "{listing:?} {business_id:?}");
        }
    }
}
