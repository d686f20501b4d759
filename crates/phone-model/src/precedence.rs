//! Which refusal a request gets when it breaks more than one rule: the contract answers 404 or
//! 403 for what the request names before anything else ("on every operation"), then 412 for an
//! `If-Match` the current version fails (RFC 9110 § 13.2.1 puts preconditions before the
//! method's own checks), then 400 with every failed rule at once — a malformed `If-Match`
//! first, then the body's.
//!
//! The rule takes facts that cost a look-up to gather, so callers gather them in order and stop
//! where the answer is settled (see [`first_refusal`]).

use alloc::vec::Vec;

use crate::{IfMatch, ValidationError, Version};

/// The refusal that comes first, when one does.
///
/// Not `#[non_exhaustive]`: every caller answers each kind in its own way, and a kind added
/// later must not slip through a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused<T> {
    /// The target's own refusal, as its look-up gave it: 404 (no such customer or number, or a
    /// number of another customer) or 403 (a customer of another business).
    Target(T),
    /// 412: `If-Match` does not admit the target's current version.
    PreconditionFailed,
    /// 400 with these errors, in order: a malformed `If-Match`, then the body's.
    Invalid(Vec<ValidationError>),
}

/// The refusal the contract gives a request on `target` with the `If-Match` header `condition`
/// and the body's `errors`; `Ok` when nothing refuses it.
///
/// - `target`: the look-up of what the request names — its current version (`None` for one
///   without versions, such as the customer of a list or a create, which ignore `If-Match`),
///   or the refusal the look-up gave.
/// - `condition`: the header as read — not sent (`Ok(None)`), a condition, or the error of a
///   malformed one.
/// - `errors`: the body's validation errors, as far as this caller judges the body.
///
/// Callers gather the facts in that order, and may stop early: a target's refusal wins whatever
/// follows, so it may be answered as soon as it is known. A request with no errors of its own (a
/// well-formed header, a valid body) is refused only by its target and its condition, so a
/// caller whose write looks the target up and checks the condition anyway (the server's store,
/// in the write's transaction) need not look up anything for it; a caller that leaves the body
/// to the one it sends the request to (the gateway, to the provider) passes no body errors for a
/// request it sends, and that one answers them.
///
/// ```
/// use phone_model::{IfMatch, Refusal, Refused, ValidationError, Version, first_refusal};
/// let current = Version::of(&["1", "Ana"]);
/// let stale = IfMatch::parse("\"0000000000000000\"");
/// let body = vec![ValidationError::PhoneNameRequired];
///
/// // 404 before everything; 412 before the body's 400.
/// let missing: Result<Option<Version>, Refusal> = Err(Refusal::NotFound);
/// let refused = first_refusal(missing, &stale.clone().map(Some), body.clone());
/// assert_eq!(refused, Err(Refused::Target(Refusal::NotFound)));
/// let refused = first_refusal::<Refusal>(Ok(Some(current)), &stale.map(Some), body.clone());
/// assert_eq!(refused, Err(Refused::PreconditionFailed));
///
/// // A malformed header is one more validation error, before the body's.
/// let malformed = IfMatch::parse("abc").map(Some);
/// let refused = first_refusal::<Refusal>(Ok(Some(current)), &malformed, body);
/// assert_eq!(
///     refused,
///     Err(Refused::Invalid(vec![
///         ValidationError::IfMatchInvalid,
///         ValidationError::PhoneNameRequired
///     ]))
/// );
/// ```
///
/// # Errors
/// [`Refused::Target`] with the look-up's refusal when `target` is one;
/// [`Refused::PreconditionFailed`] when `condition` is one that the target's version fails
/// (such as `"0000000000000000"` for any stored number); [`Refused::Invalid`] when
/// `condition` is malformed (`abc`, `W/abc`) or `errors` is not empty.
pub fn first_refusal<T>(
    target: Result<Option<Version>, T>,
    condition: &Result<Option<IfMatch>, ValidationError>,
    errors: Vec<ValidationError>,
) -> Result<(), Refused<T>> {
    let version = target.map_err(Refused::Target)?;
    let condition = match condition {
        Ok(condition) => condition.as_ref(),
        Err(malformed) => {
            let mut all = Vec::with_capacity(errors.len() + 1);
            all.push(*malformed);
            all.extend(errors);
            return Err(Refused::Invalid(all));
        }
    };
    if let Some(version) = version {
        IfMatch::check(condition, version).map_err(|_| Refused::PreconditionFailed)?;
    }
    if errors.is_empty() { Ok(()) } else { Err(Refused::Invalid(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Refusal;
    use alloc::{format, vec};

    /// What the look-up of a request's target found: a number (with a version), a customer
    /// (without), or a refusal.
    #[derive(Debug, Clone, Copy)]
    enum Lookup {
        Number,
        Customer,
        NotFound,
        Denied,
    }

    /// The `If-Match` header, as sent.
    #[derive(Debug, Clone, Copy)]
    enum Header {
        Absent,
        Any,
        Current,
        Stale,
        Weak,
        Malformed,
    }

    const BODY: ValidationError = ValidationError::PhoneTypeInvalid;

    #[track_caller]
    fn answer(target: Lookup, header: Header, body_errors: bool) -> Result<(), Refused<Refusal>> {
        let current = Version::of(&["1", "Ana", "+64", "9", "300 1000", "work", "false"]);
        let target = match target {
            Lookup::Number => Ok(Some(current)),
            Lookup::Customer => Ok(None),
            Lookup::NotFound => Err(Refusal::NotFound),
            Lookup::Denied => Err(Refusal::CustomerAccessDenied),
        };
        let condition = match header {
            Header::Absent => Ok(None),
            Header::Any => IfMatch::parse("*").map(Some),
            Header::Current => IfMatch::parse(&format!("{current}")).map(Some),
            Header::Stale => IfMatch::parse("\"0000000000000000\"").map(Some),
            Header::Weak => IfMatch::parse(&format!("W/{current}")).map(Some),
            Header::Malformed => IfMatch::parse("abc").map(Some),
        };
        assert!(condition.is_ok() != matches!(header, Header::Malformed), "{header:?}");
        let errors = if body_errors { vec![BODY] } else { Vec::new() };
        first_refusal(target, &condition, errors)
    }

    #[test]
    fn the_target_then_the_condition_then_every_validation_error() {
        use {Header::*, Lookup::*};
        let not_found = Err(Refused::Target(Refusal::NotFound));
        let denied = Err(Refused::Target(Refusal::CustomerAccessDenied));
        let failed = Err(Refused::PreconditionFailed);
        let body = || Err(Refused::Invalid(vec![BODY]));
        let header = || Err(Refused::Invalid(vec![ValidationError::IfMatchInvalid]));
        let both = || Err(Refused::Invalid(vec![ValidationError::IfMatchInvalid, BODY]));
        // (target, If-Match, answer with a valid body, answer with a body error)
        let cases = [
            (Number, Absent, Ok(()), body()),
            (Number, Any, Ok(()), body()),
            (Number, Current, Ok(()), body()),
            (Number, Stale, failed.clone(), failed.clone()),
            (Number, Weak, failed.clone(), failed.clone()),
            (Number, Malformed, header(), both()),
            // A list's or a create's customer has no version: a condition is not weighed, but
            // a malformed header is still an error.
            (Customer, Absent, Ok(()), body()),
            (Customer, Any, Ok(()), body()),
            (Customer, Current, Ok(()), body()),
            (Customer, Stale, Ok(()), body()),
            (Customer, Weak, Ok(()), body()),
            (Customer, Malformed, header(), both()),
            (NotFound, Absent, not_found.clone(), not_found.clone()),
            (NotFound, Any, not_found.clone(), not_found.clone()),
            (NotFound, Current, not_found.clone(), not_found.clone()),
            (NotFound, Stale, not_found.clone(), not_found.clone()),
            (NotFound, Weak, not_found.clone(), not_found.clone()),
            (NotFound, Malformed, not_found.clone(), not_found.clone()),
            (Denied, Absent, denied.clone(), denied.clone()),
            (Denied, Any, denied.clone(), denied.clone()),
            (Denied, Current, denied.clone(), denied.clone()),
            (Denied, Stale, denied.clone(), denied.clone()),
            (Denied, Weak, denied.clone(), denied.clone()),
            (Denied, Malformed, denied.clone(), denied.clone()),
        ];
        for (target, header, valid, invalid) in cases {
            assert_eq!(answer(target, header, false), valid, "{target:?} {header:?}, valid body");
            assert_eq!(answer(target, header, true), invalid, "{target:?} {header:?}, body error");
        }
    }

    #[test]
    fn every_error_of_the_body_is_kept_in_its_order() {
        let errors = vec![ValidationError::PhoneNameRequired, ValidationError::PhoneTypeInvalid];
        let malformed = Err(ValidationError::IfMatchInvalid);
        assert_eq!(
            first_refusal::<Refusal>(Ok(None), &malformed, errors.clone()),
            Err(Refused::Invalid(vec![
                ValidationError::IfMatchInvalid,
                ValidationError::PhoneNameRequired,
                ValidationError::PhoneTypeInvalid
            ]))
        );
        assert_eq!(
            first_refusal::<Refusal>(Ok(None), &Ok(None), errors.clone()),
            Err(Refused::Invalid(errors))
        );
    }
}
