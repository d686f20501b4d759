//! The Phonedesk staff app: front-desk and support staff find a customer and keep their phone
//! numbers right. Compiled to WebAssembly with Trunk; `main.rs` only mounts [`App`].

pub mod api;
pub mod components;
pub mod display;
pub mod focus;
pub mod form;
pub mod notice;
pub mod pages;
pub mod plans;
pub mod session;
pub mod takeover;
pub mod title;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::{
        call_banner::CallBanner,
        page_heading::{FollowPageMoves, focus_page},
        unsaved_changes::UnsavedChanges,
    },
    notice::Notice,
    pages::{
        customer::CustomerPage,
        find_customer::FindCustomer,
        not_found::NotFound,
        phone_number::{AddPhoneNumber, EditPhoneNumber},
        review::ReviewNumbers,
        sign_in::SignIn,
    },
    plans::Plans,
    session::{Session, SignedIn},
};

/// The whole app: a header, and the page the URL names — once someone is signed in.
#[component]
pub fn App() -> impl IntoView {
    Notice::provide();
    UnsavedChanges::install();
    Plans::fetch();
    // The page painted before the app may have asked already: then it showed the sign-in
    // form, which the app's takes over.
    let nobody = takeover::nobody_signed_in();
    let session = Session::provide(if nobody { SignedIn::Nobody } else { SignedIn::Checking });
    // However a request learns the session has ended, the app asks to sign in again.
    api::on_session_ended(move || session.0.set(SignedIn::Nobody));
    if !nobody {
        let check = LocalResource::new(api::session);
        Effect::new(move |_| {
            if let Some(result) = check.get() {
                // Not reaching the server shows the sign-in page, which says so when used.
                session.0.set(match result {
                    Ok(Some(me)) => SignedIn::As(me),
                    _ => SignedIn::Nobody,
                });
            }
        });
    }
    Effect::new(move |_| match session.0.get() {
        SignedIn::As(_) => takeover::remember_signed_in(true),
        SignedIn::Nobody => takeover::remember_signed_in(false),
        SignedIn::Checking => {}
    });
    let signed_out = Memo::new(move |_| session.0.get() == SignedIn::Nobody);
    let checking = Memo::new(move |_| session.0.get() == SignedIn::Checking);
    let signed_in = Memo::new(move |_| matches!(session.0.get(), SignedIn::As(_)));
    // The answer to who is signed in, signing in and signing out each show a whole page: focus
    // goes to its first field (the user name, the search box) or its heading, not to the top
    // of the page. (A hidden page's `autofocus` field takes no focus.)
    Effect::new(move |was: Option<(bool, bool)>| {
        let now = (checking.get(), signed_out.get());
        if was.is_some_and(|was| was != now) && !now.0 {
            focus_page();
        }
        now
    });
    let sign_out = Action::new_local(move |(): &()| async move {
        let _ = api::sign_out().await;
        session.0.set(SignedIn::Nobody);
    });
    view! {
        <Router>
            <FollowPageMoves />
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="masthead">
                <a class="masthead__name" href="/" data-testid="product-name">"Phonedesk"</a>
                <span class="masthead__tagline">"Keep customers' phone numbers right."</span>
                <nav class="masthead__nav" aria-label="Main">
                    // "Review" alone on a phone, where a second link must fit beside it on the
                    // name's line (a third line would move the page when the link appears).
                    <a href="/review" data-testid="nav-review">"Review"<span class="masthead__wide-only">" numbers"</span></a>
                    // Only editors import: the link shows once the app knows who is signed in.
                    {move || session.can_edit().then(|| view! { <a href="/import" data-testid="nav-import">"Import"</a> })}
                </nav>
                <div class="masthead__session">
                    {move || match session.0.get() {
                        SignedIn::As(me) => view! {
                            <span data-testid="signed-in-as">
                                <span class="masthead__wide-only">"Signed in as "</span>
                                {format!("{} ({})", me.username, me.role.as_str())}
                            </span>
                            <button type="button" class="button button--on-brand" data-testid="sign-out"
                                on:click=move |_| { sign_out.dispatch(()); }>"Sign out"</button>
                        }.into_any(),
                        SignedIn::Nobody => view! { <span>"Not signed in"</span> }.into_any(),
                        SignedIn::Checking => ().into_any(),
                    }}
                </div>
            </header>
            // Calls are heard only while someone is signed in: signing out closes the stream.
            <Show when=move || signed_in.get()>
                <CallBanner />
            </Show>
            <main id="main" class="page" tabindex="-1">
                // The page starts loading while the app asks who is signed in, so that a visit
                // waits for one round trip, not two; it gives way to the sign-in page if nobody
                // is. (A `Memo`: the page is not built again when the answer is someone.) It is
                // hidden until the answer: shown, it would flash, and take typing that the
                // sign-in page then loses.
                {move || if signed_out.get() {
                    view! { <SignIn /> }.into_any()
                } else {
                    view! {
                        <Show when=move || checking.get()>
                            <p class="loading loading--over" role="status" data-testid="checking-session">"Loading Phonedesk…"</p>
                        </Show>
                        <div class="page-frame" hidden=move || checking.get()>
                            <Pages />
                        </div>
                    }.into_any()
                }}
            </main>
        </Router>
    }
}

/// The page the URL names.
#[component]
fn Pages() -> impl IntoView {
    view! {
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=FindCustomer />
                    <Route path=path!("/customers/new") view=pages::new_customer::NewCustomer />
                    <Route path=path!("/customers/:customer_id") view=CustomerPage />
                    <Route path=path!("/customers/:customer_id/phone-numbers/new") view=AddPhoneNumber />
                    <Route path=path!("/customers/:customer_id/phone-numbers/:phone_number_id") view=EditPhoneNumber />
                    <Route path=path!("/review") view=ReviewNumbers />
                    <Route path=path!("/import") view=pages::import::ImportPage />
                </Routes>
    }
}
