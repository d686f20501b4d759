//! The contract's rules that depend on what is stored: one primary number per customer, no
//! number twice, and the primary never deleted or demoted by itself. Each rule is a function of
//! the request and the facts a store fetched; it returns what to do, or the provider's error.
//! The stores fetch the facts and apply the outcome, in one transaction.

use crate::ValidationError;

/// What a store knows when a number is added to a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateFacts {
    /// The customer has a primary number.
    pub has_primary: bool,
    /// The customer already has this number (the same duplicate key).
    pub duplicate: bool,
}

/// What a store knows when a number is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateFacts {
    /// The number being replaced is the customer's primary.
    pub was_primary: bool,
    /// Another number of the customer has the new number's duplicate key.
    pub duplicate: bool,
}

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the number is primary afterwards.
    pub is_primary: bool,
    /// Whether the customer's current primary must first become an ordinary number.
    pub demote_primary: bool,
}

/// Adding a number: `isPrimary: true` makes it the primary and demotes the current one; a
/// customer without a primary gets this one as primary whatever was asked.
///
/// ```
/// # fn main() -> Result<(), phone_model::ValidationError> {
/// use phone_model::{CreateFacts, Outcome, plan_create};
/// let first = plan_create(false, CreateFacts { has_primary: false, duplicate: false })?;
/// assert_eq!(first, Outcome { is_primary: true, demote_primary: false });
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`ValidationError::PhoneNumberExists`] when the customer already has the number.
pub fn plan_create(make_primary: bool, facts: CreateFacts) -> Result<Outcome, ValidationError> {
    if facts.duplicate {
        return Err(ValidationError::PhoneNumberExists);
    }
    let is_primary = make_primary || !facts.has_primary;
    Ok(Outcome { is_primary, demote_primary: is_primary && facts.has_primary })
}

/// Replacing a number: `isPrimary: true` promotes it (demoting the current primary), `false`
/// on the primary is refused, left out keeps what it was.
///
/// # Errors
/// [`ValidationError::PrimaryRequired`] for `false` on the primary, which would leave the
/// customer without one; [`ValidationError::PhoneNumberExists`] when another of the customer's
/// numbers is the same number.
pub fn plan_update(
    make_primary: Option<bool>,
    facts: UpdateFacts,
) -> Result<Outcome, ValidationError> {
    let is_primary = match make_primary {
        Some(false) if facts.was_primary => return Err(ValidationError::PrimaryRequired),
        Some(wanted) => wanted,
        None => facts.was_primary,
    };
    if facts.duplicate {
        return Err(ValidationError::PhoneNumberExists);
    }
    Ok(Outcome { is_primary, demote_primary: is_primary && !facts.was_primary })
}

/// Deleting a number.
///
/// # Errors
/// [`ValidationError::PrimaryDeletion`] for the primary.
pub fn plan_delete(is_primary: bool) -> Result<(), ValidationError> {
    if is_primary { Err(ValidationError::PrimaryDeletion) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn outcome(is_primary: bool, demote_primary: bool) -> Result<Outcome, ValidationError> {
        Ok(Outcome { is_primary, demote_primary })
    }

    #[test]
    fn adding_a_number_keeps_exactly_one_primary() {
        let cases = [
            // (asked primary, has primary, duplicate, outcome)
            (false, false, false, outcome(true, false)),
            (true, false, false, outcome(true, false)),
            (false, true, false, outcome(false, false)),
            (true, true, false, outcome(true, true)),
            (true, true, true, Err(ValidationError::PhoneNumberExists)),
            (false, false, true, Err(ValidationError::PhoneNumberExists)),
        ];
        for (asked, has_primary, duplicate, expected) in cases {
            let facts = CreateFacts { has_primary, duplicate };
            assert_eq!(plan_create(asked, facts), expected, "{asked} {facts:?}");
        }
    }

    #[test]
    fn replacing_a_number_never_leaves_the_customer_without_a_primary() {
        let cases = [
            // (asked primary, was primary, duplicate, outcome)
            (None, true, false, outcome(true, false)),
            (None, false, false, outcome(false, false)),
            (Some(true), true, false, outcome(true, false)),
            (Some(true), false, false, outcome(true, true)),
            (Some(false), false, false, outcome(false, false)),
            (Some(false), true, false, Err(ValidationError::PrimaryRequired)),
            (Some(false), true, true, Err(ValidationError::PrimaryRequired)),
            (None, false, true, Err(ValidationError::PhoneNumberExists)),
        ];
        for (asked, was_primary, duplicate, expected) in cases {
            let facts = UpdateFacts { was_primary, duplicate };
            assert_eq!(plan_update(asked, facts), expected, "{asked:?} {facts:?}");
        }
    }

    #[test]
    fn only_an_ordinary_number_is_deleted() {
        assert_eq!(plan_delete(false), Ok(()));
        assert_eq!(plan_delete(true), Err(ValidationError::PrimaryDeletion));
    }
}
