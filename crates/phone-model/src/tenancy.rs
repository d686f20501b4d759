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

    /// The ids, or `None` for every business.
    #[must_use]
    pub fn ids(&self) -> Option<&[String]> {
        match self {
            Self::All => None,
            Self::Only(ids) => Some(ids),
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
}
