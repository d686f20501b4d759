//! axe-core on every screen: no violations.

use phone_e2e::{Ctx, Result, run};

async fn assert_accessible(ctx: &Ctx, screen: &str) -> Result {
    let violations = ctx.accessibility_violations().await?;
    assert!(violations.is_empty(), "{screen}: {violations:#?}");
    Ok(())
}

#[test]
fn every_screen_has_no_accessibility_violations() {
    run(|ctx| async move {
        ctx.open("/").await?;
        ctx.find("customer-search").await?;
        assert_accessible(&ctx, "search, empty").await?;
        ctx.fill("customer-search", "o").await?;
        ctx.find("customer-results").await?;
        assert_accessible(&ctx, "search, results").await?;

        let customer = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("phone-numbers").await?;
        assert_accessible(&ctx, "customer").await?;

        ctx.find("delete").await?.click().await?;
        ctx.find("delete-description").await?;
        assert_accessible(&ctx, "delete dialog").await?;
        ctx.find("cancel-delete").await?.click().await?;

        ctx.open(&format!("/customers/{customer}/phone-numbers/new")).await?;
        ctx.find("phone-form").await?;
        assert_accessible(&ctx, "add").await?;
        ctx.find("save").await?.click().await?;
        ctx.find("error-summary").await?;
        assert_accessible(&ctx, "add with errors").await?;

        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("edit").await?.click().await?;
        ctx.find("phone-form").await?;
        assert_accessible(&ctx, "edit").await?;

        ctx.open("/customers/1").await?;
        ctx.find("no-such-customer").await?;
        assert_accessible(&ctx, "no such customer").await?;
        ctx.open("/nowhere").await?;
        ctx.find("not-found").await?;
        assert_accessible(&ctx, "not found").await?;
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        assert_accessible(&ctx, "sign in").await?;
        ctx.open("/embed/").await?;
        ctx.client.wait().for_element(fantoccini::Locator::Css("#countryCode option")).await?;
        assert_accessible(&ctx, "embed demo").await?;
        Ok(())
    });
}
