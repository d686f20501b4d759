//! Importing a business's customers from a spreadsheet (issue 37): a file with what Excel does
//! to numbers and a row per problem, checked, its repairs accepted, applied with a progress
//! bar; applied again, it adds nothing.

use std::path::{Path, PathBuf};

use fantoccini::Locator;
use phone_e2e::{Ctx, Result, run};
use phone_store::Role;

/// The demo business the file is imported into.
const FITNESS: &str = "3333333";

/// A member list as a gym's system exports it and Excel saves it again, a row per problem
/// (rows are numbered as the spreadsheet shows them, the headings being row 1):
/// 2 a mobile that lost its leading 0 (and a home number that did not), 3 a mobile that lost
/// its +, 4 a number in scientific notation whose last digits are gone, 5 a mobile in the home
/// column and the same number twice, 6 a stored customer's stored number, 7 John Doe's mobile
/// for someone else, 8 a row with nothing to say, 9 a customer with no name, 10 a new number
/// for a stored customer.
const MEMBERS: &str = "\
Reference,First name,Surname,Mobile,Home,Primary
M-100,Tama,Hohaia,221234567,09 555 1234,
M-101,Anahera,Wiremu,64274445555,,
M-102,Ben,Lee,6.42E+10,,
M-103,Kiri,Moana,021 777 8888,0217778888,
abc1454,Aroha,Ngata,027 345 6789,,
M-104,Mere,Ngata,021 123 4567,,
M-105,Hone,Tawa,022 333 4444,,
M-106,,,021 999 0000,,
abc1458,Hemi,Walker,021 600 7000,,
";

/// Writes `contents` as `name` in a folder of its own, for the browser to upload.
fn file(name: &str, contents: &[u8]) -> Result<(tempfile::TempDir, PathBuf)> {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join(name);
    std::fs::write(&path, contents)?;
    Ok((folder, path))
}

/// Chooses the business and the file, and checks it.
async fn check(ctx: &Ctx, path: &Path) -> Result {
    ctx.choose("import-business", FITNESS).await?;
    ctx.find("import-file").await?.send_keys(&path.display().to_string()).await?;
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    ctx.wait_for_text("import-chosen", &name).await?;
    ctx.find("import-check").await?.click().await?;
    Ok(())
}

/// The count beside a label of the report's (`newCustomers`, `repaired`).
async fn count(ctx: &Ctx, name: &str) -> Result<String> {
    let text = ctx.text(&format!("import-count-{name}")).await?;
    Ok(text.split_whitespace().last().unwrap_or_default().to_owned())
}

/// The reported rows, as text, read in one script (the table may be drawn again meanwhile).
async fn rows(ctx: &Ctx) -> Result<Vec<String>> {
    let found = ctx
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=import-row]')].map((row) => row.innerText);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

/// Ticks the decision (`import-skip`, `import-accept`) of spreadsheet row `row`.
async fn tick(ctx: &Ctx, row: u32, decision: &str) -> Result {
    let path = format!(
        "//tr[@data-testid='import-row'][th[normalize-space()='{row}']]//input[@data-testid='{decision}']"
    );
    ctx.client.find(Locator::XPath(&path)).await?.click().await?;
    Ok(())
}

/// Accepts every repair, leaves out row 7 (Mere Ngata, who shares John Doe's mobile), applies,
/// and waits for the end; the summary.
async fn apply(ctx: &Ctx) -> Result<String> {
    ctx.find("import-accept-all").await?.click().await?;
    tick(ctx, 7, "import-skip").await?;
    assert_eq!(ctx.text("import-apply").await?, "Apply 8 rows");
    ctx.find("import-apply").await?.click().await?;
    ctx.find("import-progress-bar").await?;
    ctx.wait_for_text("import-apply-title", "The file is applied").await?;
    let bar = ctx.find("import-progress-bar").await?;
    let (value, max) = (bar.attr("value").await?, bar.attr("max").await?);
    assert_eq!((value.as_deref(), max.as_deref()), (Some("8"), Some("8")), "the bar is full");
    ctx.wait_for_text("import-status", "8 of 8 rows done").await?;
    ctx.wait_for_focus("import-apply-title").await?;
    ctx.text("import-summary").await
}

#[test]
fn a_mangled_file_is_checked_repaired_applied_and_applied_again_adds_nothing() {
    run(|ctx| async move {
        let (_folder, path) = file("members.csv", MEMBERS.as_bytes())?;
        ctx.open("/").await?;
        ctx.find("nav-import").await?.click().await?;
        ctx.find("import-form").await?;
        check(&ctx, &path).await?;

        // The report: how the file was read, focus on its heading, counts by what applying
        // does and by finding.
        ctx.wait_for_focus("import-report-title").await?;
        let facts = ctx.text("import-file-facts").await?;
        assert!(
            facts.contains("members.csv") && facts.contains("UTF-8, separated by commas"),
            "{facts}"
        );
        for (name, expected) in [
            ("newCustomers", "5"),
            ("addNumbers", "1"),
            ("nothingToDo", "1"),
            ("refused", "2"),
            ("error", "2"),
            ("repaired", "2"),
            ("warning", "1"),
            ("duplicateInFile", "1"),
            ("alreadyStored", "1"),
            ("sharedNumber", "1"),
        ] {
            assert_eq!(count(&ctx, name).await?, expected, "{name}");
        }
        let reported = rows(&ctx).await?;
        let tama = reported.iter().find(|r| r.contains("Tama Hohaia")).ok_or("Tama's row")?;
        assert!(
            tama.contains("Excel dropped its leading 0.") && tama.contains("Use 022 123 4567"),
            "{tama}"
        );
        assert!(
            reported.iter().any(|r| r.contains("Anahera Wiremu") && r.contains("Use 0274 445 555")),
            "{reported:?}"
        );
        assert!(reported.iter().any(|r| r.contains("last digits are lost")), "{reported:?}");
        assert!(
            reported.iter().any(|r| r.contains("John Doe has this number too.")),
            "{reported:?}"
        );
        assert!(
            !reported.iter().any(|r| r.contains("Hone Tawa")),
            "a row with nothing to say is not listed"
        );
        assert_eq!(
            ctx.find("import-accept").await?.prop("checked").await?.as_deref(),
            Some("false"),
            "a repair is not used unless accepted"
        );
        // A count shows only its rows.
        ctx.find("import-count-repaired").await?.click().await?;
        ctx.wait_until("only the repaired rows", || async { Ok(rows(&ctx).await?.len() == 2) })
            .await?;
        ctx.find("import-count-repaired").await?.click().await?;
        ctx.wait_until("every row again", || async { Ok(rows(&ctx).await?.len() > 2) }).await?;

        // The README's picture: the report from its heading, in a window tall enough for it.
        ctx.client.set_window_size(1100, 1500).await?;
        ctx.client
            .execute("document.getElementById('import-report-title').scrollIntoView()", vec![])
            .await?;
        ctx.screenshot("import-report").await?;
        ctx.client.set_window_size(1100, 900).await?;
        assert_eq!(ctx.accessibility_violations().await?, Vec::<String>::new());

        // Applied with the repairs: the customer is found by the repaired number.
        let summary = apply(&ctx).await?;
        assert_eq!(summary, "4 customers created, 6 numbers added, 3 rows unchanged.");
        ctx.open_search().await?;
        ctx.press("022 123 4567").await?;
        ctx.wait_for_text("customer-results", "Tama Hohaia").await?;
        let tama = ctx.customer_id("Hohaia")?;
        let numbers = ctx.numbers_of(&tama)?;
        assert_eq!(numbers.len(), 2, "{numbers:?}");

        // The same file again, the same decisions: every row is stored already.
        ctx.find("nav-import").await?.click().await?;
        check(&ctx, &path).await?;
        ctx.wait_for_focus("import-report-title").await?;
        assert_eq!(count(&ctx, "newCustomers").await?, "1", "only the row left out");
        let summary = apply(&ctx).await?;
        assert_eq!(summary, "0 customers created, 0 numbers added, 8 rows unchanged.");
        assert_eq!(ctx.numbers_of(&tama)?.len(), 2);
        Ok(())
    });
}

/// Waits up to `seconds` until the element's text contains `expected`: an apply of thousands
/// of rows takes longer than the harness's patience.
async fn wait_long(ctx: &Ctx, test_id: &str, expected: &str, seconds: u64) -> Result<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let text = match ctx.all(test_id).await?.first() {
            Some(element) => element.text().await.unwrap_or_default(),
            None => String::new(),
        };
        if text.contains(expected) || std::time::Instant::now() > deadline {
            return Ok(text);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The first number in a sentence ("1234 customers created, …").
fn first_number(text: &str) -> Result<u32> {
    let digits: String =
        text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    Ok(digits.parse().map_err(|_| format!("no number in {text:?}"))?)
}

/// The rows of the business's CSV export with `text` in them, as the browser downloads it.
async fn exported(ctx: &Ctx, text: &str) -> Result<usize> {
    let csv = ctx.find("export-csv").await?.attr("href").await?.unwrap_or_default();
    let body = ctx
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then((r) => r.text()).then(done);",
            vec![serde_json::json!(csv)],
        )
        .await?;
    Ok(body.as_str().unwrap_or_default().lines().filter(|line| line.contains(text)).count())
}

#[test]
fn a_long_file_is_paged_and_an_apply_cancelled_part_way_resumes_without_doubling() {
    const ROWS: u32 = 3_000;
    run(|ctx| async move {
        // Every mobile lost its leading 0: every row is reported, with a repair.
        let mut csv = String::from("Reference,First name,Surname,Mobile\n");
        for i in 0..ROWS {
            csv.push_str(&format!("L-{i},Member{i},Longfile,21{:07}\n", 5_000_000 + i));
        }
        let (_folder, path) = file("long.csv", csv.as_bytes())?;
        ctx.open("/import").await?;
        check(&ctx, &path).await?;
        ctx.wait_for_focus("import-report-title").await?;
        // A page at a time: 50 rows drawn, not 3,000.
        assert_eq!(rows(&ctx).await?.len(), 50);
        ctx.wait_for_text("import-pager", "Rows 1 to 50 of 3000").await?;
        ctx.find("import-next").await?.click().await?;
        ctx.wait_for_text("import-pager", "Rows 51 to 100 of 3000").await?;
        assert!(rows(&ctx).await?[0].starts_with("52"), "the second page starts at row 52");
        ctx.find("import-previous").await?.click().await?;
        ctx.wait_for_text("import-pager", "Rows 1 to 50 of 3000").await?;

        // Applied with every repair, and cancelled part way: what is done stays done.
        ctx.find("import-accept-all").await?.click().await?;
        ctx.wait_for_text("import-apply", "Apply 3000 rows").await?;
        ctx.find("import-apply").await?.click().await?;
        ctx.wait_until("some rows are done", || async {
            let done = ctx.find("import-progress-bar").await?.attr("value").await?;
            Ok(done.and_then(|d| d.parse::<u32>().ok()).is_some_and(|d| d > 0))
        })
        .await?;
        ctx.wait_for_text("import-status", "min").await?;
        ctx.find("import-cancel").await?.click().await?;
        ctx.wait_for_text("import-apply-title", "The import was cancelled").await?;
        let done = first_number(&ctx.text("import-summary").await?)?;
        assert!(0 < done && done < ROWS, "{done} of {ROWS} done when cancelled");
        assert_eq!(exported(&ctx, "Longfile").await?, done as usize, "no row half made");

        // The same file again finds the finished rows stored, and applies only the rest.
        ctx.find("import-recheck").await?.click().await?;
        ctx.wait_for_focus("import-report-title").await?;
        assert_eq!(count(&ctx, "alreadyStored").await?, done.to_string());
        assert_eq!(count(&ctx, "newCustomers").await?, (ROWS - done).to_string());
        ctx.find("import-accept-all").await?.click().await?;
        ctx.find("import-apply").await?.click().await?;
        let ended = wait_long(&ctx, "import-apply-title", "The file is applied", 120).await?;
        assert_eq!(ended, "The file is applied");
        let summary = ctx.text("import-summary").await?;
        let rest = ROWS - done;
        assert_eq!(
            summary,
            format!("{rest} customers created, {rest} numbers added, {done} rows unchanged.")
        );
        assert_eq!(exported(&ctx, "Longfile").await?, ROWS as usize);
        Ok(())
    });
}

#[test]
fn a_file_that_is_no_spreadsheet_is_refused_in_the_error_summary() {
    run(|ctx| async move {
        // Chromium reports the answer of 400 as a failed load.
        ctx.expect_console("the server responded with a status of 400");
        ctx.open("/import").await?;
        ctx.find("import-check").await?.click().await?;
        let summary = ctx.wait_for_text("error-summary", "Choose the business").await?;
        assert!(summary.contains("Choose a spreadsheet to check."), "{summary}");
        ctx.wait_for_focus("error-summary").await?;

        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let (_folder, path) = file("members.csv", &garbage)?;
        check(&ctx, &path).await?;
        ctx.wait_for_text("error-summary", "The file is not a spreadsheet").await?;
        ctx.wait_for_focus("error-summary").await?;
        // Its link goes to the file picker.
        ctx.client.find(Locator::Css("[data-testid=error-summary] a")).await?.click().await?;
        ctx.wait_for_focus("import-file").await?;
        assert!(ctx.all("import-report").await?.is_empty());
        Ok(())
    });
}

#[test]
fn a_file_dropped_on_the_page_is_checked() {
    run(|ctx| async move {
        ctx.open("/import").await?;
        ctx.choose("import-business", FITNESS).await?;
        // A file dragged from the desktop, as the browser hands it to the page.
        ctx.client
            .execute(
                "const data = new DataTransfer();
                 data.items.add(new File([arguments[0]], 'dropped.csv', { type: 'text/csv' }));
                 const zone = document.querySelector('[data-testid=drop-zone]');
                 for (const type of ['dragenter', 'dragover', 'drop']) {
                     zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
                 }",
                vec![serde_json::json!("Reference,First name,Surname,Mobile\nD-1,Rangi,Parker,221234567\n")],
            )
            .await?;
        ctx.wait_for_text("import-chosen", "Chosen: dropped.csv").await?;
        ctx.find("import-check").await?.click().await?;
        ctx.wait_for_focus("import-report-title").await?;
        ctx.wait_for_text("import-file-facts", "dropped.csv").await?;
        assert_eq!(count(&ctx, "repaired").await?, "1");
        Ok(())
    });
}

#[test]
fn a_viewer_has_no_import_and_is_told_to_ask_an_editor() {
    run(|ctx| async move {
        ctx.add_user("reader", Role::Viewer, &[FITNESS])?;
        ctx.sign_in("reader").await?;
        ctx.find("nav-review").await?;
        assert!(ctx.all("nav-import").await?.is_empty(), "a viewer has no Import link");
        ctx.open("/import").await?;
        ctx.wait_for_text("editors-only", "Only editors import").await?;
        assert!(ctx.all("import-form").await?.is_empty());
        Ok(())
    });
}

#[test]
fn an_editor_of_one_business_imports_and_exports_only_its_customers() {
    run(|ctx| async move {
        ctx.add_user("fitness", Role::Editor, &[FITNESS])?;
        ctx.sign_in("fitness").await?;
        ctx.find("nav-import").await?.click().await?;
        // Their one business is chosen already.
        let chosen = ctx.find("import-business").await?.prop("value").await?;
        assert_eq!(chosen.as_deref(), Some(FITNESS));
        let csv = ctx.find("export-csv").await?.attr("href").await?.unwrap_or_default();
        assert_eq!(csv, format!("/CustomerServices/v1.0/exports?businessId={FITNESS}&format=csv"));
        // The download, as the browser gets it with the person's session.
        let fetched = ctx
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(arguments[0]).then(async (r) => done([r.status, r.headers.get('content-disposition') || '', await r.text()]));",
                vec![serde_json::json!(csv)],
            )
            .await?;
        assert_eq!(fetched[0], 200, "{fetched}");
        let disposition = fetched[1].as_str().unwrap_or_default();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        let body = fetched[2].as_str().unwrap_or_default();
        assert!(body.contains("Aroha") && !body.contains("Jack"), "only the business's: {body}");
        let xlsx = ctx.find("export-xlsx").await?.attr("href").await?.unwrap_or_default();
        assert!(xlsx.ends_with("&format=xlsx"), "{xlsx}");
        Ok(())
    });
}
