//! Review numbers (`/review`): the saved numbers that look wrong by today's numbering plans,
//! grouped by problem and counted, each with a link to its form, ready to fix; and, where the
//! number's kind decides its type, one confirmed change of them all — each change an ordinary
//! edit, with the same rules, history and `If-Match`.
//!
//! The group and the page live in the URL (`?problem=…&from=…`), so Back and reload keep them.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use phone_model::{PhoneNumberReview, Problem, ReviewedNumber};

use crate::{
    api::{self, ApiError},
    components::{
        page_heading::PageHeading,
        phone_number_list::Dial,
        problem::{Loading, Problem as ProblemView},
    },
    display::{capitalise, describe, moment},
    focus::focus_element,
    form::PhoneForm,
    notice::{Notice, NoticeArea},
    plans::Plans,
    session::Session,
    title,
};

/// The app's URL of one group's page: of the shared numbers marked as expected, when
/// `expected`.
fn url(problem: Problem, expected: bool, from: Option<&str>) -> String {
    let from = from.map(|f| format!("&from={}", api::encode(f))).unwrap_or_default();
    let expected = if expected { "&expected=true" } else { "" };
    format!("/review?problem={}{expected}{from}", problem.as_str())
}

#[component]
pub fn ReviewNumbers() -> impl IntoView {
    title::set("Review numbers");
    let session = Session::get();
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.with(|q| {
            let problem = q.get("problem").and_then(|p| Problem::parse(&p));
            let expected =
                problem == Some(Problem::Shared) && q.get("expected").as_deref() == Some("true");
            (problem, q.get("from").filter(|f| !f.is_empty()), expected)
        })
    });
    // Numbers are shown as their plans write them: the list waits for the plans too.
    let plans = Plans::get();
    let review = LocalResource::new(move || {
        let (problem, from, expected) = asked.get();
        async move { plans.after(api::review(problem, expected, from.as_deref())).await }
    });
    // No group asked for: the first with numbers in it (the counts come with any answer).
    let navigate = use_navigate();
    Effect::new(move |_| {
        if asked.with(|(problem, ..)| problem.is_some()) {
            return;
        }
        if let Some(Ok(found)) = review.get() {
            let first = found
                .problems
                .iter()
                .find(|p| p.count > 0)
                .map_or(Problem::NotInPlan, |p| p.problem);
            let options = NavigateOptions { replace: true, scroll: false, ..Default::default() };
            navigate(&url(first, false, None), options);
        }
    });

    view! {
        <NoticeArea />
        <section class="card" aria-labelledby="review-title">
            <PageHeading id="review-title">"Review numbers"</PageHeading>
            // Read as the session changes: the review may arrive before the app knows who is
            // signed in.
            <p>"Saved numbers that look wrong by today's numbering plans, in the businesses you see. "
                {move || if session.can_edit() {
                    "Each links to its form, which says what is wrong, ready to fix."
                } else {
                    "Your account can only read numbers: ask an editor to fix these, naming the customer and the number."
                }}</p>
            <Transition fallback=|| view! { <Loading what="the review" /> }>
                {move || Suspend::new(async move {
                    match (review.await, asked.get_untracked().0) {
                        (Ok(found), Some(problem)) => view! {
                            <Groups review=found.clone() problem=problem />
                            <Group review=found problem=problem from=asked.get_untracked().1
                                expected=asked.get_untracked().2
                                on_changed=Callback::new(move |()| review.refetch()) />
                        }.into_any(),
                        (Ok(_), None) => view! { <Loading what="the review" /> }.into_any(),
                        (Err(error), _) => view! {
                            <ProblemView error=error retry=Callback::new(move |()| review.refetch()) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The problems, each a link to its group, with how many numbers have it.
#[component]
fn Groups(review: PhoneNumberReview, problem: Problem) -> impl IntoView {
    view! {
        <nav aria-label="Problems">
            <ul class="review-groups" data-testid="review-groups">
                {review.problems.into_iter().map(|group| {
                    let current = (group.problem == problem).then_some("page");
                    view! {
                        <li>
                            <a href=url(group.problem, false, None) aria-current=current
                                data-testid=format!("group-{}", group.problem.as_str())>
                                {group.heading}
                                <span class="review-groups__count">{group.count}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// One group's page of numbers, with the change of them all where it is mechanical.
#[component]
fn Group(
    review: PhoneNumberReview,
    problem: Problem,
    from: Option<String>,
    /// The shared numbers marked as expected, rather than the group's.
    expected: bool,
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = Session::get();
    let count = review.problems.iter().find(|p| p.problem == problem).map_or(0, |p| p.count);
    let next =
        review.response_metadata.next_cursor.clone().filter(|_| review.response_metadata.has_next);
    let mechanical = problem == Problem::WrongType && count > 0;
    let empty = review.phone_numbers.is_empty() && from.is_none();
    // Where a fix comes back to: this page of this group.
    let here = url(problem, expected, from.as_deref());
    let rows = review
        .phone_numbers
        .into_iter()
        .map(|item| view! { <Row item=item back=here.clone() on_changed=on_changed /> })
        .collect_view();
    let heading = if expected { "Shared numbers marked as expected" } else { problem.heading() };
    let action = if problem == Problem::Shared { "Expected?" } else { "Fix" };
    view! {
        <h2 id="group-heading" tabindex="-1" data-testid="group-heading">{heading}</h2>
        // Shared numbers: a family's or an office's can be marked as expected, and the marks
        // looked at and taken back.
        {(problem == Problem::Shared).then(|| if expected {
            view! { <p><a href=url(problem, false, None) data-testid="review-unmarked">"Back to the shared numbers to look at"</a></p> }.into_any()
        } else {
            view! { <p>"A family's or an office's number is fine: mark it as expected and it is listed no more, until someone else gets it. "
                <a href=url(problem, true, None) data-testid="review-expected">"Numbers marked as expected"</a></p> }.into_any()
        })}
        // Read as the session changes: the review may arrive before the app knows who is
        // signed in.
        {move || (mechanical && session.can_edit()).then(|| view! { <ChangeAll on_changed=on_changed /> })}
        {if empty {
            view! { <p class="empty" data-testid="review-empty">"Nothing to review here."</p> }.into_any()
        } else {
            view! {
                <table class="review-table" data-testid="review-table">
                    <thead>
                        <tr><th scope="col">"Customer"</th><th scope="col">"Number"</th>
                            <th scope="col">"What looks wrong"</th>
                            {move || session.can_edit().then(|| view! { <th scope="col">{action}</th> })}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
        <p class="pager">
            {from.map(|_| view! { <a href=url(problem, expected, None) data-testid="review-first">"First page"</a> })}
            {next.map(|cursor| view! { <a href=url(problem, expected, Some(&cursor)) data-testid="review-next">"Next page"</a> })}
        </p>
    }
}

/// One number: whose, which, what is wrong, and the way to its form, which says the problem
/// (with the suggested type) and comes `back` to this page once saved.
#[component]
fn Row(item: ReviewedNumber, back: String, on_changed: Callback<()>) -> impl IntoView {
    let session = Session::get();
    let notice = Notice::get();
    let failed = RwSignal::new(None::<ApiError>);
    // Marking a shared number as expected, or taking the mark back: the list is asked again,
    // and focus goes to its heading, as the row leaves it.
    let mark = {
        let (customer, number) = (item.customer.customer_id.clone(), item.phone_number.clone());
        move |undo: bool| {
            let (customer, number) = (customer.clone(), number.clone());
            leptos::task::spawn_local(async move {
                let id = number.phone_number_id.as_str();
                match api::mark_shared_expected(&customer, id, undo).await {
                    Ok(_) => {
                        let done = if undo { "is listed again" } else { "is marked as expected" };
                        notice.set(format!("{} {done}.", capitalise(&describe(&number))));
                        on_changed.run(());
                        focus_element("group-heading");
                    }
                    Err(error) => failed.set(Some(error)),
                }
            });
        }
    };
    let marked = item.expected.clone();
    let customer = &item.customer;
    let name = format!("{} {}", customer.first_name, customer.last_name).trim().to_owned();
    let customer_href = format!("/customers/{}", customer.customer_id);
    let mut fix_href = format!(
        "{customer_href}/phone-numbers/{}?problem={}&back={}",
        item.phone_number.phone_number_id,
        item.problem.as_str(),
        api::encode(&back)
    );
    if let Some(to) = item.suggested_phone_type {
        fix_href.push_str(&format!("&phoneType={}", to.as_str()));
    }
    if let Some(to) = item.suggested_country_code {
        fix_href.push_str(&format!("&countryCode={}", api::encode(to.as_str())));
    }
    let information = item.problem.is_information();
    let others = item
        .shared_with
        .iter()
        .map(|other| {
            let href = format!("/customers/{}", other.customer_id);
            let name = format!("{} {}", other.first_name, other.last_name).trim().to_owned();
            view! { " "<a href=href>{name}</a> }
        })
        .collect_view();
    view! {
        <tr data-testid="review-row">
            <td><a href=customer_href>{name}</a><br /><span class="review-table__business">{customer.business.name.clone()}</span></td>
            <td><Dial number=item.phone_number.clone() class="review-table__dial" />{format!(" ({})", item.phone_number.phone_type.label())}</td>
            <td data-testid="review-message">{item.message.clone()}
                {(!item.shared_with.is_empty()).then(|| view! { <br />"Also saved for:"{others} })}
                {marked.clone().map(|mark| view! {
                    <br /><span data-testid="review-marked">{format!("Marked as expected by {}, {}.", mark.by, moment(mark.at))}</span>
                })}
                {move || failed.get().map(|error| view! { <ProblemView error=error /> })}</td>
            {move || session.can_edit().then(|| {
                let mark = mark.clone();
                view! {
                    <td>{if !information {
                        view! { <a class="button button--secondary" href=fix_href.clone() data-testid="review-fix">"Fix"</a> }.into_any()
                    } else {
                        let undo = marked.is_some();
                        view! {
                            <button type="button" class="button button--secondary" data-testid="review-mark"
                                on:click=move |_| mark(undo)>
                                {if undo { "Undo" } else { "Mark as expected" }}
                            </button>
                        }.into_any()
                    }}</td>
                }
            })}
        </tr>
    }
}

/// What the change of every suggested type is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ChangeAllState {
    Idle,
    Loading,
    /// Listed for the person to confirm.
    Confirming(Vec<ReviewedNumber>),
    Changing {
        done: usize,
        total: usize,
    },
}

/// "Change every suggested type": lists every number it would change (all pages), asks, then
/// changes them one by one as ordinary edits, each with its version as `If-Match`.
#[component]
fn ChangeAll(on_changed: Callback<()>) -> impl IntoView {
    let state = RwSignal::new(ChangeAllState::Idle);
    let failed = RwSignal::new(None::<ApiError>);
    let notice = Notice::get();
    let list = move || {
        state.set(ChangeAllState::Loading);
        failed.set(None);
        leptos::task::spawn_local(async move {
            match suggested_changes().await {
                Ok(items) => {
                    state.set(ChangeAllState::Confirming(items));
                    request_animation_frame(|| focus_element("change-all-title"));
                }
                Err(error) => {
                    state.set(ChangeAllState::Idle);
                    failed.set(Some(error));
                }
            }
        });
    };
    let change = move || {
        let ChangeAllState::Confirming(items) = state.get_untracked() else { return };
        let total = items.len();
        state.set(ChangeAllState::Changing { done: 0, total });
        leptos::task::spawn_local(async move {
            let mut left = 0;
            for (done, item) in items.into_iter().enumerate() {
                state.set(ChangeAllState::Changing { done, total });
                if change_type(&item).await.is_err() {
                    left += 1;
                }
            }
            let changed = total - left;
            let mut said = format!(
                "Changed the type of {changed} number{}.",
                if changed == 1 { "" } else { "s" }
            );
            if left > 0 {
                said.push_str(&format!(
                    " {left} could not be changed (someone else may have changed it meanwhile) and {} still listed.",
                    if left == 1 { "is" } else { "are" }
                ));
            }
            notice.set(said);
            state.set(ChangeAllState::Idle);
            on_changed.run(());
        });
    };
    view! {
        <div class="change-all" data-testid="change-all">
            {move || match state.get() {
                ChangeAllState::Idle => view! {
                    <p>"Where a number's kind decides its type (a mobile is Mobile; a toll-free number is Work), the review suggests it."</p>
                    <button type="button" class="button" data-testid="change-all-start" on:click=move |_| list()>
                        "Change every suggested type…"
                    </button>
                }.into_any(),
                ChangeAllState::Loading => view! { <Loading what="the numbers to change" /> }.into_any(),
                ChangeAllState::Confirming(items) => {
                    let total = items.len();
                    view! {
                        <h3 id="change-all-title" tabindex="-1">{format!("Change the type of these {total} numbers?")}</h3>
                        <ul data-testid="change-all-list">
                            {items.into_iter().map(|item| {
                                let (was, to) = (item.phone_number.phone_type.label(), item.suggested_phone_type.map_or("", |t| t.label()));
                                view! { <li>{format!("{} {}: ", item.customer.first_name, item.customer.last_name)}<Dial number=item.phone_number.clone() class="review-table__dial" />{format!(", {was} → {to}")}</li> }
                            }).collect_view()}
                        </ul>
                        <div class="actions">
                            <button type="button" class="button" data-testid="change-all-confirm" on:click=move |_| change()>
                                {format!("Change {total} numbers")}
                            </button>
                            <button type="button" class="button button--secondary" data-testid="change-all-cancel"
                                on:click=move |_| state.set(ChangeAllState::Idle)>"Cancel"</button>
                        </div>
                    }.into_any()
                }
                ChangeAllState::Changing { done, total } => view! {
                    <p role="status">{format!("Changing {} of {total}…", done + 1)}</p>
                }.into_any(),
            }}
            {move || failed.get().map(|error| view! { <ProblemView error=error /> })}
        </div>
    }
}

/// Every number of the wrong-type group whose kind decides its type, following the pages.
async fn suggested_changes() -> Result<Vec<ReviewedNumber>, ApiError> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = api::review(Some(Problem::WrongType), false, cursor.as_deref()).await?;
        found.extend(page.phone_numbers.into_iter().filter(|n| n.suggested_phone_type.is_some()));
        match page.response_metadata.next_cursor {
            Some(next) if page.response_metadata.has_next => cursor = Some(next),
            _ => return Ok(found),
        }
    }
}

/// One suggested change, as an edit of the number as the review showed it.
async fn change_type(item: &ReviewedNumber) -> Result<(), ApiError> {
    let Some(to) = item.suggested_phone_type else { return Ok(()) };
    let body = PhoneForm {
        phone_type: to.as_str().to_owned(),
        ..PhoneForm::from_saved(&item.phone_number)
    };
    let (customer, number) =
        (&item.customer.customer_id, item.phone_number.phone_number_id.as_str());
    api::update_phone_number(customer, number, &body, Some(item.phone_number.version()))
        .await
        .map(drop)
}
