//! The mark on a saved number that the data-quality review would list: one that cannot exist
//! as written, whose type contradicts it, or whose country is wrong. Wherever a saved number is
//! shown, it shows what is wrong, in the review's words, and leads to the review's list of
//! such numbers, where it can be fixed.

use leptos::prelude::*;
use phone_model::{PhoneNumberResource, Problem, Review};

/// The number's marks: none for a number the review has nothing to say about.
#[component]
pub fn NumberMarks(number: PhoneNumberResource) -> impl IntoView {
    let review = Review::of(&number);
    Problem::ALL
        .into_iter()
        .filter(|&problem| !problem.is_information() && review.has(problem))
        .map(|problem| {
            let href = format!("/review?problem={}", problem.as_str());
            view! {
                <span class="number-mark" data-testid="number-mark" data-problem=problem.as_str()>
                    {review.message(problem, &number)}" "
                    <a href=href>"In the review"</a>
                </span>
            }
        })
        .collect_view()
}
