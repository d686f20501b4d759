//! axe-core on every screen: no violations.

use phone_e2e::{Ctx, Result, run};

async fn assert_accessible(ctx: &Ctx, screen: &str) -> Result {
    let violations = ctx.accessibility_violations().await?;
    assert!(violations.is_empty(), "{screen}: {violations:#?}");
    Ok(())
}

/// The page's title names where one is.
async fn assert_title(ctx: &Ctx, title: &str) -> Result {
    assert_eq!(ctx.client.title().await?, format!("{title} — Phonedesk"));
    Ok(())
}

#[test]
fn every_screen_has_no_accessibility_violations() {
    run(|ctx| async move {
        // The page for a customer id that names nobody is asked of a server that says so.
        ctx.expect_console("status of 404");
        ctx.open("/").await?;
        ctx.find("customer-search").await?;
        assert_accessible(&ctx, "search, empty").await?;
        assert_title(&ctx, "Find a customer").await?;
        // The frame index.html painted before the app ran has given way to the app's own.
        assert!(ctx.client.find_all(fantoccini::Locator::Id("boot")).await?.is_empty());
        ctx.fill("customer-search", "ar").await?;
        ctx.find("customer-results").await?;
        assert_accessible(&ctx, "search, results").await?;

        let customer = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("phone-numbers").await?;
        assert_accessible(&ctx, "customer").await?;
        let name = ctx.find("customer-name").await?.text().await?;
        assert_title(&ctx, &name).await?;

        ctx.find("delete").await?.click().await?;
        ctx.find("delete-description").await?;
        assert_accessible(&ctx, "delete dialog").await?;
        ctx.find("cancel-delete").await?.click().await?;

        ctx.open_new_number(&customer).await?;
        assert_accessible(&ctx, "add").await?;
        assert_title(&ctx, "Add a number").await?;
        ctx.find("save").await?.click().await?;
        ctx.find("error-summary").await?;
        assert_accessible(&ctx, "add with errors").await?;

        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("edit").await?.click().await?;
        ctx.find("phone-form").await?;
        assert_accessible(&ctx, "edit").await?;
        assert_title(&ctx, "Change a number").await?;

        ctx.open("/customers/1").await?;
        ctx.find("no-such-customer").await?;
        assert_accessible(&ctx, "no such customer").await?;
        assert_title(&ctx, "No such customer").await?;
        ctx.open("/nowhere").await?;
        ctx.find("not-found").await?;
        assert_accessible(&ctx, "not found").await?;
        assert_title(&ctx, "Page not found").await?;
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        assert_accessible(&ctx, "sign in").await?;
        assert_title(&ctx, "Sign in").await?;
        // The validator's demo page, not the app's.
        ctx.open_page("/embed/").await?;
        ctx.client.wait().for_element(fantoccini::Locator::Css("#countryCode option")).await?;
        assert_accessible(&ctx, "embed demo").await?;
        Ok(())
    });
}
