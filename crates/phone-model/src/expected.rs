//! Shared numbers marked as expected (Phonedesk's extension). A number that other customers
//! have too is listed by the review as information ([`Problem::Shared`]): often it is a
//! family's or an office's number, and fine. Staff who know so mark it as expected; the mark
//! covers the customers who share it at that moment, so the number leaves the review until
//! someone else gets it too.
//!
//! ```
//! # fn main() -> Result<(), phone_model::ValidationError> {
//! use phone_model::{Problem, ValidationError, plan_shared_mark, review_expected};
//! assert_eq!(review_expected(Some(Problem::Shared), Some("true"))?, true);
//! assert_eq!(review_expected(Some(Problem::WrongType), Some("true")), Err(ValidationError::ExpectedInvalid));
//! assert_eq!(plan_shared_mark(false), Err(ValidationError::PhoneNumberNotShared));
//! # Ok(()) }
//! ```

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::{Problem, ValidationError};

/// Who marked a shared number as expected, and when: the answer to marking it, and
/// `expected` on the review's item for a marked number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedNumberMark {
    /// Who: a staff member's name, or `client <id>` for an API client (as the history names
    /// them).
    pub by: String,
    /// When, in seconds since 1970-01-01 UTC.
    pub at: i64,
}

/// Whether a review lists the shared numbers marked as expected (`expected=true`) instead of
/// those still to look at (`expected` left out, or `false`).
///
/// # Errors
/// [`ValidationError::ExpectedInvalid`] for any other value (`yes`, `TRUE`, `1`), or for
/// `true` with a problem other than [`Problem::Shared`] (nothing else is ever marked), or
/// with no problem at all.
pub fn review_expected(
    problem: Option<Problem>,
    expected: Option<&str>,
) -> Result<bool, ValidationError> {
    match expected {
        None | Some("false") => Ok(false),
        Some("true") if problem == Some(Problem::Shared) => Ok(true),
        Some(_) => Err(ValidationError::ExpectedInvalid),
    }
}

/// Marking a number as an expected shared number: only a number another customer (whom the
/// caller may see) has too can be marked.
///
/// # Errors
/// [`ValidationError::PhoneNumberNotShared`] when `shared` is false.
pub const fn plan_shared_mark(shared: bool) -> Result<(), ValidationError> {
    if shared { Ok(()) } else { Err(ValidationError::PhoneNumberNotShared) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_true_or_false_is_read_and_true_only_for_shared_numbers() {
        let shared = Some(Problem::Shared);
        let cases = [
            (shared, None, Ok(false)),
            (shared, Some("false"), Ok(false)),
            (shared, Some("true"), Ok(true)),
            (None, None, Ok(false)),
            (Some(Problem::WrongType), Some("false"), Ok(false)),
            (Some(Problem::WrongType), Some("true"), Err(ValidationError::ExpectedInvalid)),
            (None, Some("true"), Err(ValidationError::ExpectedInvalid)),
            (shared, Some("TRUE"), Err(ValidationError::ExpectedInvalid)),
            (shared, Some(""), Err(ValidationError::ExpectedInvalid)),
        ];
        for (problem, expected, answer) in cases {
            assert_eq!(review_expected(problem, expected), answer, "{problem:?} {expected:?}");
        }
    }

    #[test]
    fn only_a_shared_number_is_marked() {
        assert_eq!(plan_shared_mark(true), Ok(()));
        assert_eq!(plan_shared_mark(false), Err(ValidationError::PhoneNumberNotShared));
        assert_eq!(ValidationError::PhoneNumberNotShared.field(), crate::Field::PhoneNumberId);
    }
}
