//! The staff app on the provider's own API: the server is a gateway (`--upstream`) in front of
//! a second server that plays the provider and holds the customers.

use phone_e2e::{Ctx, Result, run_in_front_of_provider};

/// The provider's numbers of `customer`, as (phone number, name, primary).
fn at_provider(ctx: &Ctx, customer: &str) -> Result<Vec<(String, String, bool)>> {
    Ok(ctx
        .numbers_of(customer)?
        .into_iter()
        .map(|n| (n.phone_number, n.phone_name, n.is_primary))
        .collect())
}

#[test]
fn staff_change_the_providers_numbers_and_find_what_was_added_there() {
    run_in_front_of_provider(|ctx| async move {
        ctx.expect_console("status of 502");
        let customer = ctx.customer_id("Liam")?;
        // Found through the gateway's copy, which says how fresh it is.
        ctx.open("/").await?;
        ctx.find("sync-status").await?;
        ctx.fill("customer-search", "Liam").await?;
        ctx.wait_for_text("customer-results", "Liam").await?;
        ctx.wait_for_text("sync-status", "as synced").await?;

        // Added: at the provider.
        ctx.open_new_number(&customer).await?;
        ctx.fill("phone-name", "Liam at work").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "555 1234").await?;
        ctx.choose("phone-type", "work").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        let added = ctx.numbers_of(&customer)?;
        let added =
            added.iter().find(|n| n.phone_number == "555 1234").ok_or("not at the provider")?;
        let added = added.phone_number_id.to_string();

        // Edited: at the provider.
        ctx.open(&format!("/customers/{customer}/phone-numbers/{added}")).await?;
        ctx.find("phone-form").await?;
        ctx.fill("phone-name", "Liam, front desk").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        ctx.wait_until("the provider has the new name", || async {
            Ok(at_provider(&ctx, &customer)?.iter().any(|n| n.1 == "Liam, front desk"))
        })
        .await?;

        // Made primary, then the old primary deleted: at the provider.
        let primary = |numbers: Vec<(String, String, bool)>| {
            numbers.into_iter().find(|n| n.2).map(|n| n.0).unwrap_or_default()
        };
        let before = primary(at_provider(&ctx, &customer)?);
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("make-primary").await?.click().await?;
        // The list is drawn again with the change: only then are its buttons the ones to use.
        ctx.wait_for_text("notice", "is now the primary number.").await?;
        ctx.wait_until("another primary at the provider", || async {
            Ok(primary(at_provider(&ctx, &customer)?) != before)
        })
        .await?;
        let count = ctx.numbers_of(&customer)?.len();
        ctx.find("phone-numbers").await?;
        ctx.all("delete").await?[0].click().await?;
        ctx.find("confirm-delete").await?.click().await?;
        ctx.wait_for_text("notice", "was deleted").await?;
        ctx.wait_until("one number fewer at the provider", || async {
            Ok(ctx.numbers_of(&customer)?.len() == count - 1)
        })
        .await?;

        // A number added at the provider itself is found once the sync has run.
        ctx.add_number_directly(&customer, "+64", "04", "555 8877")?;
        ctx.wait_until("search finds the provider's new number", || async {
            ctx.open("/?q=04%20555%208877").await?;
            // The page answers "No customer matches" until the copy has the number.
            for _ in 0..20 {
                let text = ctx.text("results").await?;
                if text.contains("Liam") || text.contains("No customer matches") {
                    return Ok(text.contains("Liam"));
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Ok(false)
        })
        .await?;

        // The provider stops answering while a number is being typed: the app says so in words
        // and keeps the form.
        ctx.open_new_number(&customer).await?;
        ctx.fill("phone-name", "Liam at home").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "555 4321").await?;
        ctx.choose("phone-type", "home").await?;
        ctx.stop_provider();
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("problem", "The provider's system could not be reached").await?;
        let kept = ctx.find("phone-number").await?.prop("value").await?;
        assert_eq!(kept.as_deref(), Some("555 4321"));
        Ok(())
    });
}
