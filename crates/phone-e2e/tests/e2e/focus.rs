//! Focus goes where the person's next step is, after every action: never to the top of the
//! page, from where a keyboard user would Tab ten times to get back.

use fantoccini::key::Key;
use phone_e2e::{Ctx, PASSWORD, Result, run};

use crate::keyboard::key;

/// Whether, from now until the sign-in form shows, the search box was ever on screen: the
/// page a visit asks for must not flash before the app knows nobody is signed in.
const SEARCH_FLASHED: &str = r#"
const done = arguments[arguments.length - 1];
let seen = false;
const look = () => {
  const search = document.querySelector('[data-testid=customer-search]');
  if (search && search.offsetParent !== null) seen = true;
  if (document.querySelector('[data-testid=sign-in-form]')) done(seen);
  else requestAnimationFrame(look);
};
look();
"#;

#[test]
fn signing_in_and_out_puts_focus_in_the_first_box() {
    run(|ctx| async move {
        // Signed out, on a slow connection (Chromium's: Firefox's driver has no throttling),
        // the search page does not show before the sign-in page.
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        ctx.wait_for_focus("username").await?;
        ctx.slow_connection(400).await?;
        ctx.open("/").await?;
        let flashed = ctx.client.execute_async(SEARCH_FLASHED, vec![]).await?;
        assert_eq!(flashed, serde_json::json!(false), "the search page flashed before sign-in");
        ctx.slow_connection(0).await?;

        // The user name box has focus on arrival; signing in moves it to the search box.
        ctx.wait_for_focus("username").await?;
        ctx.press("editor").await?;
        ctx.press(&key(Key::Tab)).await?;
        ctx.press(PASSWORD).await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("signed-in-as", "editor").await?;
        ctx.wait_for_focus("customer-search").await?;
        Ok(())
    });
}

/// The `data-id` of the number row whose Edit link has focus.
async fn focused_row(ctx: &Ctx) -> Result<Option<String>> {
    let id = ctx
        .client
        .execute(
            "return document.activeElement?.closest('[data-testid=phone-number]')?.dataset.id ?? null",
            vec![],
        )
        .await?;
    Ok(id.as_str().map(str::to_owned))
}

#[test]
fn after_make_primary_delete_and_save_focus_stays_with_the_numbers() {
    run(|ctx| async move {
        let john = ctx.customer_id("John")?;
        let numbers = ctx.numbers_of(&john)?;
        let others: Vec<_> = numbers.iter().filter(|n| !n.is_primary).collect();
        let [first, second, ..] = others.as_slice() else {
            return Err("John has two numbers besides his primary".into());
        };
        ctx.open(&format!("/customers/{john}")).await?;
        ctx.find("make-primary").await?;

        // Make primary: focus on the number now primary, ready for its next action.
        let make_primary = format!(
            "[data-testid=phone-number][data-id=\"{}\"] [data-testid=make-primary]",
            first.phone_number_id
        );
        ctx.client.find(fantoccini::Locator::Css(&make_primary)).await?.click().await?;
        ctx.wait_for_text("notice", "is now the primary number.").await?;
        ctx.wait_for_focus("edit").await?;
        assert_eq!(focused_row(&ctx).await?.as_deref(), Some(first.phone_number_id.as_str()));

        // Delete: focus on the number that took its place, not the page's top.
        ctx.client
            .find(fantoccini::Locator::Id(&format!("delete-{}", second.phone_number_id)))
            .await?
            .click()
            .await?;
        ctx.find("confirm-delete").await?.click().await?;
        ctx.wait_for_text("notice", "was deleted.").await?;
        ctx.wait_for_focus("edit").await?;
        let row = focused_row(&ctx).await?;
        assert!(
            row.is_some() && row.as_deref() != Some(second.phone_number_id.as_str()),
            "focus on a number still there: {row:?}"
        );

        // A save returns to the customer with focus on its heading, marked in the margin: no
        // box that looks like a field to type in. (Enter on the focused Edit link, once the
        // history shows the delete: the page is done drawing.)
        ctx.wait_for_text("history", "deleted").await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.find("phone-form").await?;
        ctx.fill("phone-name", "John, changed").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        ctx.wait_for_focus("customer-name").await?;
        let outline = ctx
            .client
            .execute("return getComputedStyle(document.activeElement).outlineStyle", vec![])
            .await?;
        assert_eq!(outline, "none", "the focused heading has no box");
        Ok(())
    });
}
