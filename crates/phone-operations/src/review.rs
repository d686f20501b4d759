//! The data-quality review and the marks that take an expected shared number out of it: the
//! same in both modes, read from the database (in gateway mode, the copy of the provider's
//! data, which the sync and every write through the gateway keep).

use phone_model::{
    PhoneNumberReview, Problem, ProblemCount, ReviewedNumber, SharedNumberMark, ValidationError,
    review_expected,
};
use phone_store::Change;

use crate::{ApiError, ListQuery, NumberIds, Operations, Principal, now};

impl Operations {
    /// `GET /phoneNumberReview`: the counts by problem, and with `problem`, a page of its
    /// numbers.
    pub async fn phone_number_review(
        &self,
        principal: Principal,
        query: ListQuery,
    ) -> Result<PhoneNumberReview, ApiError> {
        let problem = query
            .get("problem")
            .map(|name| Problem::parse(name).ok_or(ValidationError::ProblemInvalid))
            .transpose()
            .map_err(ApiError::invalid)?;
        let expected =
            review_expected(problem, query.get("expected")).map_err(ApiError::invalid)?;
        // A cursor continues only its own list: the expected ones are another.
        let list = format!(
            "review:{}{}",
            problem.map_or("", Problem::as_str),
            if expected { ":expected" } else { "" }
        );
        let keys = self.keys.ring();
        let cursors = keys.cursors(list, now());
        let (size, after) = cursors.requested_page(&query)?;
        let review = self
            .blocking(move |store| {
                Ok(store.review(problem, expected, principal.businesses(), after, size)?)
            })
            .await?;
        let phone_numbers = problem.map_or_else(Vec::new, |problem| {
            review
                .numbers
                .items
                .into_iter()
                .map(|row| ReviewedNumber {
                    expected: row.expected,
                    ..ReviewedNumber::new(problem, row.customer, row.number, row.shared_with)
                })
                .collect()
        });
        Ok(PhoneNumberReview {
            problems: review
                .counts
                .into_iter()
                .map(|(problem, count)| ProblemCount {
                    problem,
                    heading: problem.heading().to_owned(),
                    information: problem.is_information(),
                    count,
                })
                .collect(),
            phone_numbers,
            response_metadata: cursors.metadata(review.numbers.next_after),
        })
    }

    /// `PUT`/`DELETE …/sharedExpected`: marks the number as expected, or takes the mark back,
    /// as the caller.
    pub async fn shared_expected(
        &self,
        principal: Principal,
        ids: NumberIds,
        expected: bool,
    ) -> Result<SharedNumberMark, ApiError> {
        let NumberIds { customer_id, phone_number_id } = ids;
        self.blocking(move |store| {
            let actor = principal.actor();
            let change = Change { actor: &actor, at: now() };
            let (customer, number, businesses) =
                (&customer_id, &phone_number_id, principal.businesses());
            Ok(if expected {
                store.mark_shared_expected(customer, number, businesses, &change)?
            } else {
                store.unmark_shared_expected(customer, number, businesses, &change)?
            })
        })
        .await
    }
}
