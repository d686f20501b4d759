//! Import and export (`/import`, issue 37): a business's customers and numbers read from a
//! spreadsheet and checked first — the dry run says how the file was read, what each heading
//! is taken for, and what each row would do, with what Excel did to its numbers — then applied
//! with the person's decisions, followed by a progress bar that can cancel; and the business's
//! customers downloaded as CSV or Excel.
//!
//! Every rule is the server's (the core's judge): the page shows its report, and sends back
//! which repairs the person accepts and which rows they leave out.

mod apply;
mod decisions;
mod report;
mod words;

use leptos::prelude::*;
use phone_model::import::{Column, FindingKind, ImportProgress, ImportReport};
use wasm_bindgen::JsValue;

use crate::{
    api::{self, ApiError},
    components::{page_heading::PageHeading, problem::Loading},
    focus::{find, focus_element, focus_when},
    session::{Session, SignedIn},
    title,
};

use self::{apply::Applying, decisions::Decisions, report::Report};

#[component]
pub fn ImportPage() -> impl IntoView {
    title::set("Import and export");
    let session = Session::get();
    // Read as the session changes: the page may show before the app knows who is signed in.
    let role = Memo::new(move |_| (session.is_checking(), session.can_edit()));
    view! {
        <section class="card" aria-labelledby="import-title">
            <PageHeading id="import-title">"Import and export"</PageHeading>
            {move || match role.get() {
                (true, _) => view! { <Loading what="the page" /> }.into_any(),
                (false, true) => view! { <Importer /> }.into_any(),
                (false, false) => view! {
                    <p data-testid="editors-only">"Only editors import customers. Ask an editor to import the file, or to export the customers you need."</p>
                }.into_any(),
            }}
        </section>
    }
}

/// A file the person chose or dropped: the browser's `File`, sent as it is.
#[derive(Debug, Clone)]
struct PickedFile {
    name: String,
    file: JsValue,
}

impl PickedFile {
    /// The first file of a `FileList` (an input's `files`, a drop's `dataTransfer.files`).
    fn first_of(files: &JsValue) -> Option<Self> {
        let file = js_sys::Reflect::get(files, &JsValue::from(0)).ok()?;
        let name = js_sys::Reflect::get(&file, &"name".into()).ok()?.as_string()?;
        Some(Self { name, file })
    }

    /// The file at `path` (`files`, `dataTransfer.files`) of an event or its target.
    fn found_at(object: &JsValue, path: &[&str]) -> Option<Self> {
        let mut at = object.clone();
        for step in path {
            at = js_sys::Reflect::get(&at, &(*step).into()).ok()?;
        }
        Self::first_of(&at)
    }
}

/// The page's state, which its parts share.
#[derive(Debug, Clone, Copy)]
struct Import {
    business: RwSignal<String>,
    file: RwSignal<Option<PickedFile>, LocalStorage>,
    /// The last dry run, and the mapping it was asked with (`None`: the server guessed).
    report: RwSignal<Option<ImportReport>>,
    sent_mapping: StoredValue<Option<String>>,
    /// Each heading's column, as the person has chosen them since.
    columns: RwSignal<Vec<Option<Column>>>,
    decisions: RwSignal<Decisions>,
    /// The report's rows shown: those with a finding of this kind, or all; and the page.
    kind: RwSignal<Option<FindingKind>>,
    page: RwSignal<usize>,
    checking: RwSignal<bool>,
    /// Whether the apply's first request is under way.
    starting: RwSignal<bool>,
    /// What keeps the file from being checked, each with the id of the control it is about.
    problems: RwSignal<Vec<(&'static str, String)>>,
    progress: RwSignal<Option<ImportProgress>>,
    /// Why applying, or following it, failed.
    failed: RwSignal<Option<ApiError>>,
}

impl Import {
    fn new(business: String) -> Self {
        Self {
            business: RwSignal::new(business),
            file: RwSignal::new_local(None),
            report: RwSignal::new(None),
            sent_mapping: StoredValue::new(None),
            columns: RwSignal::new(Vec::new()),
            decisions: RwSignal::new(Decisions::default()),
            kind: RwSignal::new(None),
            page: RwSignal::new(0),
            checking: RwSignal::new(false),
            starting: RwSignal::new(false),
            problems: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            failed: RwSignal::new(None),
        }
    }

    /// A new file or business: what was found for the last one no longer holds.
    fn start_over(self) {
        self.report.set(None);
        self.progress.set(None);
        self.failed.set(None);
        self.problems.set(Vec::new());
    }

    /// Runs the dry run on the chosen file, read by `mapping` (guessed by the server when
    /// `None`); the report arrives with fresh decisions, and focus moves to its heading.
    fn check(self, mapping: Option<String>) {
        let business = self.business.get_untracked();
        let file = self.file.get_untracked();
        let mut problems = Vec::new();
        if business.is_empty() {
            problems.push(("import-business", "Choose the business to import into.".to_owned()));
        }
        if file.is_none() {
            problems.push(("import-file", "Choose a spreadsheet to check.".to_owned()));
        }
        let Some(file) = file.filter(|_| problems.is_empty()) else {
            self.show_problems(problems);
            return;
        };
        self.problems.set(Vec::new());
        self.checking.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                api::check_import(&business, &file.name, &file.file, mapping.as_deref()).await;
            if self.checking.is_disposed() {
                return;
            }
            self.checking.set(false);
            match answer {
                Ok(report) => {
                    self.show(report, mapping);
                    self.decisions.set(Decisions::default());
                    self.kind.set(None);
                    self.page.set(0);
                    focus_when(|| find("#import-report-title"));
                }
                Err(error) => self.show_problems(problems_of(&error)),
            }
        });
    }

    /// Shows a dry run's report, asked with `mapping`.
    fn show(self, report: ImportReport, mapping: Option<String>) {
        self.columns.set(report.headings.iter().map(|heading| heading.column).collect());
        self.sent_mapping.set_value(mapping);
        self.progress.set(None);
        self.report.set(Some(report));
    }

    fn show_problems(self, problems: Vec<(&'static str, String)>) {
        self.problems.set(problems);
        focus_when(|| find("#import-problems"));
    }
}

/// The problems an answer to the dry run gives, each at the control it is about.
fn problems_of(error: &ApiError) -> Vec<(&'static str, String)> {
    let at = |field: &str| match field {
        "businessId" => "import-business",
        "mapping" => "import-heading-0",
        _ => "import-file",
    };
    match error {
        ApiError::Invalid(body) if !body.errors.is_empty() => {
            body.errors.iter().map(|entry| (at(&entry.field), entry.message.clone())).collect()
        }
        error => vec![("import-file", error.to_string())],
    }
}

/// The choice of business and file, the report, and the export.
#[component]
fn Importer() -> impl IntoView {
    let businesses = match Session::get().0.get_untracked() {
        SignedIn::As(me) => me.businesses,
        _ => Vec::new(),
    };
    let only = match businesses.as_slice() {
        [only] => only.business_id.clone(),
        _ => String::new(),
    };
    let import = Import::new(only);
    let Import { business, file, checking, problems, .. } = import;
    let over = RwSignal::new(false);
    let choose = move |picked: Option<PickedFile>| {
        if picked.is_some() {
            file.set(picked);
            import.start_over();
        }
    };
    let chosen = business.get_untracked();
    view! {
        <p>"Bring a business's customers and their numbers in from a spreadsheet. The file is checked first, and nothing is saved until you apply it."</p>
        <Show when=move || !problems.with(Vec::is_empty)>
            <div class="error-summary" id="import-problems" role="alert" tabindex="-1"
                aria-labelledby="import-problems-title" data-testid="error-summary">
                <h2 id="import-problems-title" class="error-summary__title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    {move || problems.get().into_iter().map(|(id, message)| view! {
                        <li><a href=format!("#{id}") on:click=move |ev| {
                            ev.prevent_default();
                            focus_element(id);
                        }>{message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        </Show>
        <form class="import-choose" novalidate data-testid="import-form"
            on:submit=move |ev| { ev.prevent_default(); import.check(None); }>
            <div class="field">
                <label class="field__label" for="import-business">"Business"</label>
                <select id="import-business" data-testid="import-business"
                    on:change=move |ev| { business.set(event_target_value(&ev)); import.start_over(); }>
                    {(businesses.len() != 1).then(|| view! { <option value="">"Choose a business"</option> })}
                    {businesses.into_iter().map(|b| {
                        let selected = b.business_id == chosen;
                        view! { <option value=b.business_id selected=selected>{b.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field drop-zone" class:drop-zone--over=move || over.get() data-testid="drop-zone"
                on:dragover=move |ev| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=move |ev| {
                    ev.prevent_default();
                    over.set(false);
                    choose(PickedFile::found_at(ev.as_ref(), &["dataTransfer", "files"]));
                }>
                <label class="field__label" for="import-file">"Spreadsheet"</label>
                <p class="field__hint" id="import-file-hint">"CSV (separated by commas, semicolons or tabs) or Excel (.xlsx), one customer or number a row under a row of headings. Choose it, or drop it here."</p>
                <input id="import-file" type="file" accept=".csv,.tsv,.txt,.xlsx" data-testid="import-file"
                    aria-describedby="import-file-hint"
                    on:change=move |ev| {
                        let target = ev.target().map(JsValue::from).unwrap_or_default();
                        choose(PickedFile::found_at(&target, &["files"]));
                    } />
                <p class="drop-zone__chosen" aria-live="polite" data-testid="import-chosen">
                    {move || file.with(|f| f.as_ref().map(|f| format!("Chosen: {}", f.name)))}
                </p>
            </div>
            <button type="submit" class="button" data-testid="import-check" disabled=move || checking.get()>
                {move || if checking.get() { "Checking the file…" } else { "Check the file" }}
            </button>
        </form>
        <Report import=import />
        <Applying import=import />
        <Export business=business />
    }
}

/// The chosen business's customers, to download.
#[component]
fn Export(business: RwSignal<String>) -> impl IntoView {
    view! {
        <section class="import-export" aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            {move || {
                let id = business.get();
                if id.is_empty() {
                    view! { <p class="hint">"Choose a business above to download its customers and numbers."</p> }.into_any()
                } else {
                    view! {
                        <p>"Every customer of the business with their numbers, as written and in E.164, with any problem the review finds. Numbers are text, so Excel keeps them."</p>
                        <p class="actions">
                            <a class="button button--secondary" href=api::export_url(&id, "csv") download data-testid="export-csv">"Download CSV"</a>
                            <a class="button button--secondary" href=api::export_url(&id, "xlsx") download data-testid="export-xlsx">"Download Excel (.xlsx)"</a>
                        </p>
                    }.into_any()
                }
            }}
        </section>
    }
}
