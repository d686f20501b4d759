//! Adding a number without touching the mouse.

use fantoccini::key::Key;
use phone_e2e::{Ctx, Result, run};

/// Presses keys on whatever has focus.
async fn press(ctx: &Ctx, keys: &str) -> Result {
    ctx.press(keys).await
}

pub fn key(key: Key) -> String {
    char::from(key).to_string()
}

/// Tabs until the element with this `data-testid` has focus.
pub async fn tab_to(ctx: &Ctx, test_id: &str) -> Result {
    for _ in 0..40 {
        if ctx.focused().await?.as_deref() == Some(test_id) {
            return Ok(());
        }
        ctx.press(&key(Key::Tab)).await?;
    }
    Err(format!("Tab never reached {test_id}").into())
}

#[test]
fn a_number_can_be_added_by_keyboard_alone() {
    run(|ctx| async move {
        ctx.open_search().await?;
        press(&ctx, "Mere").await?;
        ctx.wait_for_text("customer-results", "Mere Tipene").await?;
        tab_to(&ctx, "customer-link").await?;
        press(&ctx, &key(Key::Enter)).await?;
        ctx.wait_for_text("customer-name", "Mere Tipene").await?;

        tab_to(&ctx, "add-number").await?;
        press(&ctx, &key(Key::Enter)).await?;
        ctx.find("phone-form").await?;

        // Save at once: the summary takes focus; its first link leads to the first field.
        tab_to(&ctx, "save").await?;
        press(&ctx, &key(Key::Enter)).await?;
        ctx.wait_for_text("error-summary", "Enter a contact name.").await?;
        assert_eq!(
            ctx.client.active_element().await?.attr("data-testid").await?.as_deref(),
            Some("error-summary")
        );
        press(&ctx, &key(Key::Tab)).await?;
        press(&ctx, &key(Key::Enter)).await?;
        assert_eq!(
            ctx.client.active_element().await?.attr("data-testid").await?.as_deref(),
            Some("phone-name")
        );

        press(&ctx, "Mere").await?;
        tab_to(&ctx, "area-code").await?;
        press(&ctx, "021").await?;
        tab_to(&ctx, "phone-number").await?;
        press(&ctx, "765 4321").await?;
        tab_to(&ctx, "phone-type").await?;
        press(&ctx, "m").await?; // Mobile
        tab_to(&ctx, "save").await?;
        press(&ctx, &key(Key::Enter)).await?;

        ctx.wait_for_text("notice", "The number was added.").await?;
        ctx.wait_for_text("phone-numbers", "+64 21 765 4321").await?;
        Ok(())
    });
}
