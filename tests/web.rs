//! The app's pieces mounted in a real browser (headless Chromium, wasm-bindgen-test): the
//! form's messages, the error summary, a server 400 on the fields, the list with its primary
//! marker, and the delete dialog.
//!
//! Over 400 lines: one case per piece and state a person sees, with the mounting they share.
#![cfg(target_arch = "wasm32")]

use std::{cell::RefCell, rc::Rc};

use leptos::{mount::mount_to, prelude::*, task::tick};
use leptos_router::components::Router;
use phone_model::{
    BusinessResource, ErrorBody, FieldMessage, PhoneNumberResource, Role, StaffSession,
};
use phonedesk::{
    App,
    api::ApiError,
    components::{
        delete_dialog::DeleteDialog,
        phone_number_form::{PhoneNumberForm, Submission},
        phone_number_list::PhoneNumberList,
        unsaved_changes::UnsavedChanges,
    },
    notice::Notice,
    pages::find_customer::FindCustomer,
    plans::Plans,
    session::{Session, SignedIn},
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element of the page to mount into.
fn root() -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

fn find<T: JsCast>(root: &HtmlElement, test_id: &str) -> Option<T> {
    root.query_selector(&format!("[data-testid={test_id}]")).unwrap().map(JsCast::unchecked_into)
}

#[track_caller]
fn get<T: JsCast>(root: &HtmlElement, test_id: &str) -> T {
    find(root, test_id).unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
}

fn text(root: &HtmlElement, test_id: &str) -> String {
    get::<HtmlElement>(root, test_id).text_content().unwrap_or_default()
}

/// Lets effects, actions and animation frames run.
async fn settle() {
    for _ in 0..3 {
        tick().await;
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
    }
}

fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

fn leave(element: &HtmlElement) {
    element.dispatch_event(&web_sys::FocusEvent::new("blur").unwrap()).unwrap();
}

fn choose(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

fn submit(root: &HtmlElement) {
    get::<HtmlElement>(root, "save").click();
}

/// What the app provides its pages, as a test must: an editor signed in, the notice and
/// the unsaved-changes guard (without its browser listeners).
fn provide_app_contexts() {
    Session::provide(SignedIn::As(StaffSession {
        username: "test".to_owned(),
        role: Role::Editor,
        all_businesses: true,
        businesses: Vec::new(),
        gateway: false,
    }));
    Notice::provide();
    UnsavedChanges::provide();
    // The app fetches the plans once it starts; a test adds them itself.
    phone_model::plans::add(include_bytes!("../crates/phone-model/data/plans.bin").to_vec());
    Plans::here();
}

/// Mounts the form for a new number; `answer` is what saving returns. Returns the root and
/// the forms that were saved.
fn mount_form(answer: Result<(), ApiError>) -> (HtmlElement, Rc<RefCell<Vec<Submission>>>) {
    let root = root();
    let saved = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&saved);
    mount_to(root.clone(), move || {
        provide_app_contexts();
        let record = Rc::clone(&record);
        let answer = answer.clone();
        let save = Action::new_local(move |sent: &Submission| {
            record.borrow_mut().push(sent.clone());
            let answer = answer.clone();
            async move { answer }
        });
        view! { <Router><PhoneNumberForm saved=None save=save customer_id="1".to_owned() cancel_href="/".to_owned() /></Router> }
    })
    .forget();
    (root, saved)
}

fn fill_valid(root: &HtmlElement) {
    type_into(&get(root, "phone-name"), "John");
    choose(&get(root, "phone-type"), "home");
    type_into(&get(root, "area-code"), "09");
    type_into(&get(root, "phone-number"), "264 5555");
}

#[wasm_bindgen_test]
async fn the_app_asks_to_sign_in_before_showing_any_page() {
    let root = root();
    mount_to(root.clone(), App).forget();
    // No server answers here: nobody is signed in.
    for _ in 0..20 {
        settle().await;
        if find::<HtmlElement>(&root, "sign-in-form").is_some() {
            break;
        }
    }
    assert_eq!(text(&root, "product-name"), "Phonedesk");
    assert!(find::<HtmlElement>(&root, "sign-in-form").is_some());
    assert!(find::<HtmlInputElement>(&root, "customer-search").is_none());
    assert_eq!(document().title(), "Sign in — Phonedesk", "the page says where one is");
}

#[wasm_bindgen_test]
async fn submitting_an_empty_form_lists_every_problem_in_a_summary_that_takes_focus() {
    let (root, saved) = mount_form(Ok(()));
    assert!(find::<HtmlElement>(&root, "error-summary").is_none());

    submit(&root);
    settle().await;

    let summary: HtmlElement = get(&root, "error-summary");
    let links: Vec<(String, String)> = (0..summary.query_selector_all("a").unwrap().length())
        .map(|i| {
            let link: web_sys::Element =
                summary.query_selector_all("a").unwrap().item(i).unwrap().unchecked_into();
            (link.get_attribute("href").unwrap(), link.text_content().unwrap())
        })
        .collect();
    assert_eq!(
        links,
        [
            ("#phone-name".to_owned(), "Enter a contact name.".to_owned()),
            ("#phone-number".to_owned(), "Enter the number.".to_owned()),
            ("#phone-type".to_owned(), "Choose a type.".to_owned()),
        ]
    );
    assert_eq!(
        document().active_element(),
        Some(summary.clone().unchecked_into::<web_sys::Element>())
    );
    assert_eq!(text(&root, "phone-name-error"), "Enter a contact name.");
    let name: HtmlInputElement = get(&root, "phone-name");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        name.get_attribute("aria-describedby").as_deref(),
        Some("phone-name-hint phone-name-error")
    );
    assert!(saved.borrow().is_empty(), "nothing is saved while the rules fail");
}

#[wasm_bindgen_test]
async fn a_field_is_checked_when_it_loses_focus_and_then_as_it_changes() {
    let (root, _) = mount_form(Ok(()));
    let number: HtmlInputElement = get(&root, "phone-number");

    type_into(&number, "abc");
    settle().await;
    assert!(find::<HtmlElement>(&root, "phone-number-error").is_none(), "not while first typing");

    leave(&number);
    settle().await;
    assert_eq!(text(&root, "phone-number-error"), "Enter the number in digits, such as 264 5555.");

    type_into(&number, "021 123 4567");
    settle().await;
    assert!(find::<HtmlElement>(&root, "phone-number-error").is_none());
    assert!(text(&root, "preview").contains("+64 21 123 4567"));
}

#[wasm_bindgen_test]
async fn a_valid_form_is_saved_with_what_was_typed() {
    let (root, saved) = mount_form(Ok(()));
    fill_valid(&root);
    submit(&root);
    settle().await;
    let saved = saved.borrow();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].form.phone_number, "264 5555");
}

#[wasm_bindgen_test]
async fn the_servers_400_lands_on_its_field_and_in_the_summary() {
    let body = ErrorBody {
        error_code: Some("validation".to_owned()),
        message: "Unable to process request due to validation errors.".to_owned(),
        errors: vec![FieldMessage {
            field: "phoneNumber".to_owned(),
            message: "PhoneNumber provided already exists.".to_owned(),
        }],
    };
    let (root, _) = mount_form(Err(ApiError::Invalid(body)));
    fill_valid(&root);
    submit(&root);
    settle().await;

    // In the app's words, as the core has them for the provider's message.
    assert_eq!(text(&root, "phone-number-error"), "This customer already has this number.");
    assert!(text(&root, "error-summary").contains("This customer already has this number."));
    assert_eq!(
        get::<HtmlInputElement>(&root, "phone-name").value(),
        "John",
        "the form keeps what was typed"
    );
}

#[wasm_bindgen_test]
async fn a_failure_that_is_not_a_400_offers_to_retry_and_keeps_the_form() {
    let (root, saved) = mount_form(Err(ApiError::Network));
    fill_valid(&root);
    submit(&root);
    settle().await;

    assert!(text(&root, "problem").contains("could not be reached"));
    assert_eq!(get::<HtmlInputElement>(&root, "phone-number").value(), "264 5555");
    get::<HtmlElement>(&root, "retry").click();
    settle().await;
    assert_eq!(saved.borrow().len(), 2, "retry saves again");
    // The retry is the same attempt: the server answers it once, however often it is sent.
    let keys: Vec<String> = saved.borrow().iter().map(|s| s.key.clone()).collect();
    assert!(keys[0].len() >= 32 && keys[1] == keys[0], "{keys:?}");
    assert_eq!(saved.borrow()[0].version, None, "an add has no version to match");

    // Another number typed is another attempt, with a key of its own.
    type_into(&get(&root, "phone-number"), "264 5556");
    submit(&root);
    settle().await;
    let third = saved.borrow()[2].key.clone();
    assert!(third != keys[0] && third.len() >= 32, "{third}");
}

#[wasm_bindgen_test]
async fn a_hint_never_holds_a_save_up() {
    let (root, saved) = mount_form(Ok(()));
    fill_valid(&root);
    choose(&get(&root, "phone-type"), "mobile"); // a landline number
    submit(&root);
    settle().await;
    assert_eq!(
        text(&root, "phone-type-warning"),
        "This looks like a landline, not a mobile number."
    );
    assert!(find::<HtmlElement>(&root, "warnings-confirm").is_none());
    assert_eq!(saved.borrow().len(), 1, "saved at the first press");
}

#[wasm_bindgen_test]
async fn a_number_that_cannot_exist_is_a_problem_saved_only_by_the_buttons_anyway() {
    let (root, saved) = mount_form(Ok(()));
    fill_valid(&root);
    type_into(&get(&root, "area-code"), "06");
    type_into(&get(&root, "phone-number"), "555 abcd");
    submit(&root);
    settle().await;

    assert!(saved.borrow().is_empty());
    assert!(
        text(&root, "phone-number-error").contains("check the digits"),
        "{}",
        text(&root, "phone-number-error")
    );
    assert_eq!(
        text(&root, "phone-number-warning"),
        "The text after the number is kept, but not dialled."
    );
    let confirm = text(&root, "warnings-confirm");
    assert!(confirm.contains("“Add number anyway”"), "{confirm}");
    let anyway: HtmlElement = get(&root, "save-anyway");
    assert_eq!(anyway.text_content().as_deref(), Some("Add number anyway"));
    // Focus stays where the number is corrected, so submitting again (Enter) asks again.
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("phone-number"));
    submit(&root);
    settle().await;
    assert!(saved.borrow().is_empty(), "a second submit saved it");
    anyway.click();
    settle().await;
    assert_eq!(saved.borrow().len(), 1);
    assert_eq!(saved.borrow()[0].form.phone_number, "555 abcd");
}

#[wasm_bindgen_test]
async fn leaving_a_field_by_pressing_the_button_does_not_move_it_before_the_click() {
    let (root, saved) = mount_form(Ok(()));
    fill_valid(&root);
    let number: HtmlInputElement = get(&root, "phone-number");
    type_into(&number, "264 5555 after six"); // a hint once the field is left
    let save: HtmlElement = get(&root, "save");
    let before = save.get_bounding_client_rect().top();
    save.dispatch_event(&web_sys::PointerEvent::new("pointerdown").unwrap()).unwrap();
    leave(&number);
    settle().await;
    assert_eq!(
        save.get_bounding_client_rect().top(),
        before,
        "the button stayed under the pointer"
    );
    save.click();
    settle().await;
    assert_eq!(saved.borrow().len(), 1, "one click saves");
    assert!(find::<HtmlElement>(&root, "phone-number-warning").is_some(), "the hint shows after");
}

#[wasm_bindgen_test]
async fn a_too_long_area_code_is_kept_and_said_to_be_too_long() {
    let (root, saved) = mount_form(Ok(()));
    fill_valid(&root);
    let area: HtmlInputElement = get(&root, "area-code");
    type_into(&area, "09123");
    leave(&area);
    settle().await;
    assert_eq!(area.value(), "09123", "nothing typed is cut off");
    assert_eq!(
        text(&root, "area-code-error"),
        "Shorten the area code to 4 digits or fewer, such as 09 or 021."
    );
    submit(&root);
    settle().await;
    assert!(saved.borrow().is_empty());
}

fn numbers() -> Vec<PhoneNumberResource> {
    serde_json::from_value(serde_json::json!([
        {"phoneNumberId": "11", "phoneName": "John", "countryCode": "+64", "areaCode": "09",
         "phoneNumber": "264 5555", "phoneType": "home", "isPrimary": true},
        {"phoneNumberId": "12", "phoneName": "Office", "countryCode": "+64", "areaCode": "",
         "phoneNumber": "021 123 4567", "phoneType": "work", "isPrimary": false}
    ]))
    .unwrap()
}

#[wasm_bindgen_test]
async fn the_list_marks_the_one_primary_and_offers_no_delete_for_it() {
    let root = root();
    mount_to(root.clone(), || {
        provide_app_contexts();
        view! {
            <PhoneNumberList customer_id="7".to_owned() numbers=numbers() busy=Signal::derive(|| false)
                on_make_primary=Callback::new(|_| {}) on_delete=Callback::new(|_| {}) />
        }
    })
    .forget();
    settle().await;

    let items = root.query_selector_all("[data-testid=phone-number]").unwrap();
    assert_eq!(items.length(), 2);
    assert_eq!(root.query_selector_all("[data-testid=primary-marker]").unwrap().length(), 1);
    let primary: HtmlElement = items.item(0).unwrap().unchecked_into();
    assert!(primary.query_selector("[data-testid=primary-marker]").unwrap().is_some());
    assert!(primary.query_selector("[data-testid=delete]").unwrap().is_none());
    assert!(primary.text_content().unwrap().contains("can't be deleted"));
    let dial: web_sys::Element = primary.query_selector("[data-testid=dial]").unwrap().unwrap();
    assert_eq!(dial.get_attribute("href").as_deref(), Some("tel:+6492645555"));
    assert_eq!(dial.text_content().as_deref(), Some("+64 9 264 5555"));
    // The other number's buttons say which number they act on.
    let other: HtmlElement = items.item(1).unwrap().unchecked_into();
    let shown =
        other.query_selector("[data-testid=dial]").unwrap().unwrap().text_content().unwrap();
    let label = |test_id: &str| {
        let selector = format!("[data-testid={test_id}]");
        other.query_selector(&selector).unwrap().unwrap().get_attribute("aria-label").unwrap()
    };
    assert_eq!(label("make-primary"), format!("Make primary: {shown}"));
    assert_eq!(label("delete"), format!("Delete {shown}"));
}

#[wasm_bindgen_test]
async fn the_delete_dialog_names_the_number_and_only_confirm_deletes() {
    let root = root();
    let confirmed = RwSignal::new(Vec::<String>::new());
    let target = RwSignal::new(None::<PhoneNumberResource>);
    mount_to(root.clone(), move || {
        view! {
            <DeleteDialog number=target on_confirm=Callback::new(move |n: PhoneNumberResource| {
                confirmed.update(|c| c.push(n.phone_number_id.to_string()));
            }) />
        }
    })
    .forget();
    let dialog: web_sys::HtmlDialogElement = get(&root, "delete-dialog");
    assert!(!dialog.open());

    target.set(Some(numbers()[1].clone()));
    settle().await;
    assert!(dialog.open());
    assert_eq!(
        text(&root, "delete-description"),
        "Delete Office's work number +64 21 123 4567? This cannot be undone."
    );
    assert!(
        dialog.contains(document().active_element().as_ref().map(|e| e.unchecked_ref())),
        "focus moved in"
    );

    get::<HtmlElement>(&root, "cancel-delete").click();
    settle().await;
    assert!(!dialog.open());
    assert!(confirmed.get_untracked().is_empty());

    target.set(Some(numbers()[1].clone()));
    settle().await;
    get::<HtmlElement>(&root, "confirm-delete").click();
    settle().await;
    assert!(!dialog.open());
    assert_eq!(confirmed.get_untracked(), ["12"]);
}

/// The search page for a person who sees `businesses`.
async fn search_page_of(businesses: &[(&str, &str)]) -> HtmlElement {
    let root = root();
    let me = StaffSession {
        username: "ana".to_owned(),
        role: Role::Viewer,
        all_businesses: false,
        businesses: businesses
            .iter()
            .map(|(id, name)| BusinessResource {
                business_id: (*id).to_owned(),
                name: (*name).to_owned(),
            })
            .collect(),
        gateway: false,
    };
    mount_to(root.clone(), move || {
        Session::provide(SignedIn::As(me.clone()));
        Plans::here();
        view! { <Router><FindCustomer /></Router> }
    })
    .forget();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn a_person_of_several_businesses_can_search_one_of_them_and_of_one_is_not_asked() {
    let two = search_page_of(&[
        ("3333333", "Debitsuccess 24/7 Fitness"),
        ("4444444", "Harbourside Physio"),
    ])
    .await;
    let select: HtmlSelectElement = get(&two, "business-filter");
    let options: Vec<(String, String)> = (0..select.length())
        .map(|i| {
            let option: web_sys::HtmlOptionElement = select.item(i).unwrap().unchecked_into();
            (option.value(), option.text())
        })
        .collect();
    assert_eq!(
        options,
        [
            (String::new(), "All my businesses".to_owned()),
            ("3333333".to_owned(), "Debitsuccess 24/7 Fitness".to_owned()),
            ("4444444".to_owned(), "Harbourside Physio".to_owned()),
        ]
    );
    let one = search_page_of(&[("3333333", "Debitsuccess 24/7 Fitness")]).await;
    assert!(find::<HtmlSelectElement>(&one, "business-filter").is_none());
}

#[wasm_bindgen_test]
async fn the_country_field_finds_a_country_by_name_and_takes_it_by_keyboard_or_pointer() {
    let (root, _) = mount_form(Ok(()));
    settle().await;
    let country: HtmlInputElement = get(&root, "country-code");
    assert_eq!(country.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(country.value(), "+64");

    type_into(&country, "Australia");
    settle().await;
    let list: HtmlElement = get(&root, "country-options");
    assert!(!list.hidden());
    assert_eq!(country.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(text(&root, "country-option"), "Australia +61");
    let key = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init);
        country.dispatch_event(&event.unwrap()).unwrap();
    };
    key("ArrowDown");
    settle().await;
    assert_eq!(country.get_attribute("aria-activedescendant").as_deref(), Some("country-option-0"));
    key("Enter");
    settle().await;
    assert_eq!(country.value(), "+61", "the code of the country taken");
    assert!(get::<HtmlElement>(&root, "country-options").hidden());

    // By pointer, from part of a name.
    type_into(&country, "united k");
    settle().await;
    let first: HtmlElement = get(&root, "country-option");
    assert_eq!(first.text_content().as_deref(), Some("United Kingdom +44"));
    first.dispatch_event(&web_sys::MouseEvent::new("mousedown").unwrap()).unwrap();
    settle().await;
    assert_eq!(country.value(), "+44");

    // A name that is not a country stays as typed, and says what to do.
    type_into(&country, "Atlantis");
    leave(&country);
    settle().await;
    assert_eq!(
        text(&root, "country-code-error"),
        "Choose a country from the list, or enter its code, such as +64 for New Zealand."
    );
}
