//! The dry run's report: how the file was read, what each heading is taken for (which the
//! person may change and check again), the counts, and the rows with something to say, a page
//! at a time, each with the person's decisions; then the way to apply it.

use leptos::prelude::*;
use phone_model::import::{Column, FindingKind, ImportCounts, ImportReport, ReportRow, RowAction};

use super::{
    Import,
    decisions::{self, PAGE_SIZE, from_wire_name, mapping_param, page_range, wire_name},
    words::{action_label, column_label, count, read_as},
};
use crate::focus::focus_element;

/// The last dry run's report, while nothing is being applied.
#[component]
pub fn Report(import: Import) -> impl IntoView {
    // A memo: the progress changes twice a second while applying, the report's view must not.
    let applying = Memo::new(move |_| import.progress.with(Option::is_some));
    view! {
        {move || {
            let report = import.report.get().filter(|_| !applying.get())?;
            Some(view! { <Found report=report import=import /> })
        }}
    }
}

#[component]
fn Found(report: ImportReport, import: Import) -> impl IntoView {
    let rows = report.counts.rows;
    view! {
        <section class="import-report" aria-labelledby="import-report-title" data-testid="import-report">
            <h2 id="import-report-title" tabindex="-1" data-testid="import-report-title">"What the check found"</h2>
            <dl class="facts" data-testid="import-file-facts">
                <dt>"File"</dt><dd>{report.file.name.clone()}</dd>
                <dt>"Read as"</dt><dd>{read_as(&report.file)}</dd>
                <dt>"Rows"</dt><dd>{report.file.rows}</dd>
            </dl>
            <Headings headings=report.headings.iter().map(|h| h.heading.clone()).collect() import=import />
            <Counts counts=report.counts.clone() import=import />
            <Rows import=import />
            <div class="actions">
                <button type="button" class="button" data-testid="import-apply"
                    disabled=move || import.starting.get() || import.checking.get() on:click=move |_| import.apply()>
                    {move || format!("Apply {}", count(import.decisions.with(|d| d.rows_to_apply(rows)), "row", "rows"))}
                </button>
            </div>
            <p class="hint">"Refused rows, and numbers the customer has already, are left as they are. Applying the same file again adds nothing twice."</p>
        </section>
    }
}

/// Each heading and the column it is read as, which the person may change.
#[component]
fn Headings(headings: Vec<String>, import: Import) -> impl IntoView {
    let columns = import.columns;
    let check_again = move |_| import.check(Some(columns.with_untracked(|c| mapping_param(c))));
    view! {
        <h3>"Columns"</h3>
        <p class="hint">"What each heading of the file is read as: change one, then check again."</p>
        <div class="import-columns" data-testid="import-columns">
            {headings.into_iter().enumerate().map(|(at, heading)| {
                let id = format!("import-heading-{at}");
                let current = columns.with_untracked(|c| c.get(at).copied().flatten());
                let named = if heading.trim().is_empty() { format!("Column {}", at + 1) } else { heading };
                view! {
                    <div class="import-columns__one">
                        <label class="field__label" for=id.clone()>{named}</label>
                        <select id=id data-testid="import-column"
                            on:change=move |ev| {
                                let chosen = from_wire_name::<Column>(&event_target_value(&ev));
                                columns.update(|c| if let Some(slot) = c.get_mut(at) { *slot = chosen });
                            }>
                            <option value="" selected=current.is_none()>"Leave out"</option>
                            {Column::ALL.into_iter().map(|column| view! {
                                <option value=wire_name(column) selected=current == Some(column)>{column_label(column)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
        </div>
        <p class="actions">
            <button type="button" class="button button--secondary" data-testid="import-check-again"
                disabled=move || import.checking.get() on:click=check_again>"Check again"</button>
        </p>
    }
}

/// Rows by what applying does, then findings by kind, each a way to show only its rows.
#[component]
fn Counts(counts: ImportCounts, import: Import) -> impl IntoView {
    let actions = [
        ("newCustomers", "New customers", counts.new_customers),
        ("addNumbers", "Rows adding numbers", counts.add_numbers),
        ("newNumbers", "Numbers to add", counts.new_numbers),
        ("nothingToDo", "Nothing to do", counts.nothing_to_do),
        ("refused", "Refused", counts.refused),
    ];
    let kind = import.kind;
    view! {
        <h3>"What applying would do"</h3>
        <ul class="review-groups" data-testid="import-actions">
            {actions.into_iter().map(|(name, label, n)| view! {
                <li class="import-count" data-testid=format!("import-count-{name}")>
                    {label}<span class="review-groups__count">{n}</span>
                </li>
            }).collect_view()}
        </ul>
        {(!counts.findings.is_empty()).then(|| view! {
            <h3>"Findings"</h3>
            <p class="hint">"Choose one to see only its rows; choose it again to see them all."</p>
            <ul class="review-groups" data-testid="import-findings">
                {counts.findings.into_iter().map(|found| {
                    let pressed = move || (kind.get() == Some(found.kind)).to_string();
                    view! {
                        <li>
                            <button type="button" class="link-button" aria-pressed=pressed
                                data-testid=format!("import-count-{}", wire_name(found.kind))
                                on:click=move |_| {
                                    kind.update(|k| *k = if *k == Some(found.kind) { None } else { Some(found.kind) });
                                    import.page.set(0);
                                }>
                                {found.kind.label()}<span class="review-groups__count">{found.count}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The reported rows, a page at a time, with "Accept all" over them.
#[component]
fn Rows(import: Import) -> impl IntoView {
    let Import { report, kind, page, decisions, .. } = import;
    // The page's rows, and how many rows are shown in all.
    let shown = Memo::new(move |_| {
        report.with(|r| {
            let all = r.as_ref().map(|r| r.rows.as_slice()).unwrap_or_default();
            let rows = decisions::shown(all, kind.get());
            let range = page_range(rows.len(), page.get());
            (
                range.clone(),
                rows[range].iter().map(|row| (*row).clone()).collect::<Vec<_>>(),
                rows.len(),
            )
        })
    });
    let repaired = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref()
                .map(|r| (decisions::repaired_rows(&r.rows), decisions::repairs(&r.rows)))
                .unwrap_or_default()
        })
    });
    let turn = move |by: isize| {
        page.update(|p| *p = p.saturating_add_signed(by));
        focus_element("import-rows-title");
    };
    view! {
        <h3 id="import-rows-title" tabindex="-1">{move || match kind.get() {
            None => "Rows with something to say".to_owned(),
            Some(kind) => format!("Rows with something to say: {}", kind.label()),
        }}</h3>
        {move || {
            let (rows, n) = repaired.get();
            (n > 0).then(|| view! {
                <label class="import-accept-all">
                    <input type="checkbox" class="checkbox" data-testid="import-accept-all"
                        prop:checked=move || decisions.with(|d| d.accepts_all(&rows))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            decisions.update(|d| d.accept_all(&repaired.get_untracked().0, on));
                        } />
                    {format!("Accept all {n} repairs")}
                </label>
            })
        }}
        {move || {
            let (range, rows, total) = shown.get();
            if total == 0 {
                return view! { <p class="empty" data-testid="import-clean">"Every row is ready as it is."</p> }.into_any();
            }
            view! {
                <table class="review-table import-rows" data-testid="import-rows">
                    <thead><tr><th scope="col">"Row"</th><th scope="col">"Customer"</th>
                        <th scope="col">"What the check found"</th><th scope="col">"Your decision"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|row| view! { <Row row=row import=import /> }).collect_view()}</tbody>
                </table>
                <p class="pager" data-testid="import-pager">
                    {(range.start > 0).then(|| view! {
                        <button type="button" class="button button--secondary" data-testid="import-previous"
                            on:click=move |_| turn(-1)>{format!("Previous {PAGE_SIZE}")}</button>
                    })}
                    <span>{format!("Rows {} to {} of {total}", range.start + 1, range.end)}</span>
                    {(range.end < total).then(|| view! {
                        <button type="button" class="button button--secondary" data-testid="import-next"
                            on:click=move |_| turn(1)>{format!("Next {PAGE_SIZE}")}</button>
                    })}
                </p>
            }.into_any()
        }}
    }
}

/// One reported row: who, what applying does, each finding, and the person's decisions.
#[component]
fn Row(row: ReportRow, import: Import) -> impl IntoView {
    let decisions = import.decisions;
    let number = row.row;
    let repairs: Vec<String> = row
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Repaired)
        .filter_map(|f| f.repaired.clone())
        .collect();
    let customer = match row.customer_id {
        Some(id) => view! { <a href=format!("/customers/{id}")>{row.customer}</a> }.into_any(),
        None => row.customer.into_any(),
    };
    let refused = row.action == RowAction::Refused;
    view! {
        <tr data-testid="import-row">
            <th scope="row">{number}</th>
            <td>{customer}<br />
                <span class="import-action" class:import-action--refused=refused>{action_label(row.action)}</span></td>
            <td>
                <ul class="import-findings">
                    {row.findings.into_iter().map(|finding| {
                        let cell = match (finding.heading, finding.written) {
                            (Some(heading), Some(written)) => format!("{heading} “{written}”: "),
                            (None, Some(written)) => format!("“{written}”: "),
                            _ => String::new(),
                        };
                        // The dry run judges a repair as accepted ("It is saved as …"): what
                        // Excel did is said here, and the row's box says whether it is used.
                        let message = match finding.kind {
                            FindingKind::Repaired if !finding.damage.is_empty() => {
                                finding.damage.iter().map(|d| d.label()).collect::<Vec<_>>().join(" ")
                            }
                            _ => finding.message,
                        };
                        view! {
                            <li data-testid="import-finding">
                                <span class="import-findings__kind">{finding.kind.label()}</span>" "
                                {cell}{message}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </td>
            <td class="import-decide">
                {(!repairs.is_empty()).then(|| view! {
                    <label>
                        <input type="checkbox" class="checkbox" data-testid="import-accept"
                            prop:checked=move || decisions.with(|d| d.accepts(number))
                            on:change=move |ev| decisions.update(|d| d.set_accept(number, event_target_checked(&ev))) />
                        {format!("Use {}", repairs.join(" and "))}
                    </label>
                })}
                <label>
                    <input type="checkbox" class="checkbox" data-testid="import-skip"
                        prop:checked=move || decisions.with(|d| d.skips(number))
                        on:change=move |ev| decisions.update(|d| d.set_skip(number, event_target_checked(&ev))) />
                    {format!("Leave out row {number}")}
                </label>
            </td>
        </tr>
    }
}
