//! Deleting: never the primary; another only after confirming; cancelling deletes nothing.

use phone_e2e::run;

#[test]
fn the_primary_cannot_be_deleted_and_another_only_after_confirming() {
    run(|ctx| async move {
        let customer = ctx.customer_id("Noah")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("phone-numbers").await?;
        assert_eq!(ctx.all("phone-number").await?.len(), 3);
        assert!(ctx.text("primary-reason").await?.contains("can't be deleted"));
        assert_eq!(ctx.all("delete").await?.len(), 2, "no delete button for the primary");

        // Cancel: nothing is deleted.
        ctx.all("delete").await?[0].click().await?;
        let description = ctx.wait_for_text("delete-description", "Delete ").await?;
        assert!(description.contains("+61 7 3123 4568"), "{description}");
        ctx.screenshot("delete-dialog").await?;
        ctx.find("cancel-delete").await?.click().await?;
        ctx.client
            .find(fantoccini::Locator::Css("[data-testid=delete-dialog]:not([open])"))
            .await?;
        assert_eq!(ctx.all("phone-number").await?.len(), 3);

        // Confirm: it is gone, and the list says so after reloading from the server.
        ctx.all("delete").await?[0].click().await?;
        ctx.find("confirm-delete").await?.click().await?;
        ctx.wait_for_text("notice", "was deleted").await?;
        ctx.wait_until("the list has two numbers", || async {
            Ok(ctx.all("phone-number").await?.len() == 2)
        })
        .await?;
        assert!(!ctx.text("phone-numbers").await?.contains("+61 7 3123 4568"));
        Ok(())
    });
}
