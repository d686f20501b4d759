//! The first load, on a slow line: the sign-in page is there before the app, and the numbering
//! plans come after it. Each scenario holds one download back (see `run_holding`) for as long
//! as it needs, then lets it through.

use fantoccini::key::Key;
use phone_e2e::{Ctx, PASSWORD, Result, run_holding};
use serde_json::Value;

use crate::keyboard::key;

/// Where the sign-in page's parts are on the screen: the heading, both boxes and the button.
async fn layout(ctx: &Ctx) -> Result<Value> {
    let script = "return ['h1', '#username', '#password', '[data-testid=sign-in]'].map((s) => {
        const box = document.querySelector(s).getBoundingClientRect();
        return [s, box.x, box.y, box.width, box.height]; });";
    Ok(ctx.client.execute(script, vec![]).await?)
}

/// Whether the app has started (its masthead has replaced the painted one).
async fn app_started(ctx: &Ctx) -> Result<bool> {
    Ok(!ctx.all("product-name").await?.is_empty())
}

#[test]
fn the_sign_in_page_works_before_the_app_and_the_app_keeps_what_was_typed_in_place() {
    run_holding("_bg.wasm", |ctx| async move {
        ctx.open_page("/").await?;
        ctx.find("sign-in-form").await?;
        ctx.wait_for_focus("username").await?;
        assert!(!app_started(&ctx).await?, "the app's code was held back, yet it started");
        assert_eq!(ctx.client.title().await?, "Sign in — Phonedesk");
        let violations = ctx.accessibility_violations().await?;
        assert!(violations.is_empty(), "the painted sign-in page: {violations:#?}");
        let before = layout(&ctx).await?;

        // A person types while the app downloads, and is halfway through the password.
        ctx.press("editor").await?;
        ctx.press(&key(Key::Tab)).await?;
        ctx.press(&PASSWORD[..10]).await?;

        ctx.release();
        ctx.wait_until("the app has started", || app_started(&ctx)).await?;
        assert_eq!(layout(&ctx).await?, before, "the page moved as the app took over");
        assert_eq!(ctx.find("username").await?.prop("value").await?.as_deref(), Some("editor"));
        ctx.wait_for_focus("password").await?;
        // Typing goes on where it was.
        ctx.press(&PASSWORD[10..]).await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("signed-in-as", "editor").await?;
        Ok(())
    });
}

#[test]
fn a_sign_in_sent_before_the_app_is_sent_by_the_app_as_it_starts() {
    run_holding("_bg.wasm", |ctx| async move {
        ctx.open_page("/").await?;
        ctx.find("sign-in-form").await?;
        ctx.fill("username", "editor").await?;
        ctx.fill("password", PASSWORD).await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("sign-in", "Signing in…").await?;
        assert!(!app_started(&ctx).await?);

        ctx.release();
        ctx.wait_for_text("signed-in-as", "editor").await?;
        Ok(())
    });
}

#[test]
fn a_form_opens_before_the_plans_arrive_and_a_save_waits_to_judge_the_number_by_them() {
    run_holding("/plans-", |ctx| async move {
        ctx.sign_in("editor").await?;
        let mere = ctx.customer_id("Mere")?;
        let before = ctx.numbers_of(&mere)?.len();
        ctx.open_new_number(&mere).await?;
        ctx.fill("phone-name", "Mere").await?;
        ctx.choose("phone-type", "mobile").await?;
        // A number no New Zealand number can be, which only the plans know.
        ctx.fill("phone-number", "21123").await?;
        // Without the plans it is not judged either way: no kind, no warning.
        ctx.wait_for_text("preview", "+64 21123").await?;
        assert!(!ctx.text("preview").await?.contains("mobile"), "judged without plans");

        // Saving now waits for the plans rather than sending a number they would question.
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("save", "Checking the number…").await?;
        assert_eq!(ctx.numbers_of(&mere)?.len(), before, "saved before the plans had judged it");

        ctx.release();
        ctx.wait_for_text("warnings-confirm", "This number can't exist as written.").await?;
        ctx.wait_for_text("save", "Add number").await?;
        assert_eq!(ctx.numbers_of(&mere)?.len(), before);
        assert_eq!(ctx.find("phone-number").await?.prop("value").await?.as_deref(), Some("21123"));

        // A number the plans know is written and judged by them, and saved at once.
        ctx.fill("phone-number", "21 123 4567").await?;
        ctx.wait_for_text("preview", "+64 21 123 4567 · mobile").await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        assert_eq!(ctx.numbers_of(&mere)?.len(), before + 1);
        Ok(())
    });
}
