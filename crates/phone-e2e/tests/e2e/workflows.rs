//! The provider's two workflows: find the customer and add a number; find the customer and
//! update a number.

use phone_e2e::{Ctx, Result, run};

/// Opens the first customer found for `name` from the search page.
async fn find_customer(ctx: &Ctx, name: &str) -> Result {
    ctx.open("/").await?;
    ctx.fill("customer-search", name).await?;
    ctx.find("customer-link").await?.click().await?;
    ctx.find("customer-name").await?;
    Ok(())
}

/// Follows the link to the saved number a change repeats (John's home number), leaving the
/// changed form (which asks first), and waits for that number's form.
async fn open_the_duplicate(ctx: &Ctx) -> Result {
    // The form being left holds the same digits, typed: only a new address says the saved
    // number's form is the one shown (Firefox, under load, was asked before it had moved).
    let leaving = ctx.client.current_url().await?;
    ctx.client
        .find(fantoccini::Locator::Css("[data-testid=duplicate-of] a"))
        .await?
        .click()
        .await?;
    ctx.client.accept_alert().await?;
    ctx.wait_until("the saved number's form", || async {
        let moved = ctx.client.current_url().await? != leaving;
        let shown = ctx.find("phone-number").await?.prop("value").await?;
        Ok(moved && shown.as_deref() == Some("264 5555"))
    })
    .await
}

#[test]
fn adding_a_number_shows_every_mistake_then_saves_it_for_good() {
    run(|ctx| async move {
        ctx.open("/").await?;
        ctx.fill("customer-search", "Aroha").await?;
        ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        ctx.screenshot("search").await?;
        ctx.find("customer-link").await?.click().await?;
        ctx.wait_for_text("customer-name", "Aroha Ngata").await?;
        ctx.screenshot("customer").await?;
        ctx.find("add-number").await?.click().await?;

        // Mistakes: no contact name, a letters-only number, a fifth digit in the country code.
        ctx.fill("country-code", "+6412").await?;
        ctx.fill("phone-number", "call me").await?;
        ctx.choose("phone-type", "work").await?;
        ctx.find("save").await?.click().await?;
        let summary = ctx.wait_for_text("error-summary", "There is a problem").await?;
        for message in [
            "Enter a contact name.",
            "Choose a country from the list, or enter its code, such as +64 for New Zealand.",
            "Enter the number in digits, such as 264 5555.",
        ] {
            assert!(summary.contains(message), "summary lacks {message:?}: {summary}");
        }
        assert_eq!(ctx.text("phone-name-error").await?, "Enter a contact name.");
        assert_eq!(
            ctx.text("country-code-error").await?,
            "Choose a country from the list, or enter its code, such as +64 for New Zealand."
        );
        assert_eq!(
            ctx.text("phone-number-error").await?,
            "Enter the number in digits, such as 264 5555."
        );
        ctx.screenshot("add-with-errors").await?;

        // Fixed and saved.
        ctx.fill("phone-name", "Aroha at work").await?;
        ctx.fill("country-code", "+64").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "555 1234").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        ctx.wait_for_text("phone-numbers", "+64 9 555 1234").await?;

        ctx.client.refresh().await?;
        ctx.wait_for_text("phone-numbers", "+64 9 555 1234").await?;
        Ok(())
    });
}

#[test]
fn updating_a_number_to_primary_leaves_exactly_one_primary() {
    run(|ctx| async move {
        let customer = ctx.customer_id("Liam")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        let numbers = ctx.find("phone-numbers").await?;
        assert_eq!(ctx.all("primary-marker").await?.len(), 1);
        let first_primary = ctx.all("phone-number").await?[0].attr("data-id").await?;

        // Edit the second number: a new contact name, and make it primary.
        ctx.all("edit").await?[1].click().await?;
        ctx.find("phone-form").await?;
        ctx.screenshot("edit").await?;
        ctx.fill("phone-name", "Liam (mobile)").await?;
        ctx.find("is-primary").await?.click().await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        drop(numbers);

        ctx.wait_for_text("phone-numbers", "Liam (mobile)").await?;
        let items = ctx.all("phone-number").await?;
        let mut primaries = Vec::new();
        for item in &items {
            if item.find(fantoccini::Locator::Css("[data-testid=primary-marker]")).await.is_ok() {
                primaries.push(item.text().await?);
            }
        }
        assert_eq!(primaries.len(), 1, "{primaries:?}");
        // The history says who made this change: the promotion itself, not any line of theirs.
        let history = ctx.wait_for_text("history", "→ Liam (mobile); made it the primary").await?;
        assert!(history.contains("editor changed"), "{history}");
        assert!(primaries[0].contains("Liam (mobile)"));
        for item in &items {
            if item.attr("data-id").await? == first_primary {
                assert!(
                    item.find(fantoccini::Locator::Css("[data-testid=primary-marker]"))
                        .await
                        .is_err()
                );
            }
        }
        Ok(())
    });
}

#[test]
fn the_servers_already_exists_lands_at_the_number_field() {
    run(|ctx| async move {
        ctx.expect_console("status of 400");
        find_customer(&ctx, "John").await?;
        ctx.find("add-number").await?.click().await?;
        ctx.fill("phone-name", "John again").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "264 5555").await?; // John's home number
        ctx.choose("phone-type", "home").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("phone-number-error", "This customer already has this number.").await?;
        assert!(
            ctx.text("error-summary").await?.contains("This customer already has this number.")
        );
        // Which number it is, with the way to it.
        ctx.wait_for_text("duplicate-of", "as John's home number +64 9 264 5555").await?;
        open_the_duplicate(&ctx).await?;
        // The page names the number and the customer.
        let heading = ctx.client.find(fantoccini::Locator::Css("main h1")).await?.text().await?;
        assert_eq!(heading, "Change John's home number +64 9 264 5555");
        assert_eq!(
            ctx.client.find(fantoccini::Locator::Css(".breadcrumb")).await?.text().await?,
            "John Doe"
        );
        // Saving it unchanged says so, rather than "saved".
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "Nothing was changed.").await?;
        Ok(())
    });
}

#[test]
fn a_viewer_sees_the_numbers_and_is_offered_no_changes() {
    run(|ctx| async move {
        ctx.sign_in("viewer").await?;
        let customer = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.wait_for_text("phone-numbers", "+64 9 264 5555").await?;
        assert_eq!(ctx.all("primary-marker").await?.len(), 1);
        for action in ["add-number", "edit", "make-primary", "delete"] {
            assert!(ctx.all(action).await?.is_empty(), "a viewer is offered {action}");
        }
        assert!(ctx.text("signed-in-as").await?.contains("viewer"));
        // The pages for changes, opened by address, say plainly that a viewer only reads.
        let number = ctx.all("phone-number").await?[0].attr("data-id").await?.unwrap_or_default();
        for path in ["phone-numbers/new".to_owned(), format!("phone-numbers/{number}")] {
            ctx.open(&format!("/customers/{customer}/{path}")).await?;
            ctx.wait_for_text("read-only", "You can only read these numbers").await?;
            assert!(ctx.all("phone-form").await?.is_empty(), "{path}");
        }
        Ok(())
    });
}

#[test]
fn after_signing_out_back_shows_no_page_of_the_session() {
    run(|ctx| async move {
        let customer = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.wait_for_text("phone-numbers", "+64 9 264 5555").await?;
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        ctx.client.back().await?;
        // Watched for a second: never the signed-in header, nor a customer's numbers.
        for _ in 0..20 {
            assert!(ctx.all("signed-in-as").await?.is_empty(), "a stale session shows");
            assert!(ctx.all("phone-numbers").await?.is_empty(), "a stale page shows");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ctx.find("sign-in-form").await?;
        Ok(())
    });
}

#[test]
fn the_number_a_change_repeats_opens_without_the_last_pages_refusal() {
    run(|ctx| async move {
        ctx.expect_console("status of 400");
        let customer = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        // Change John's mobile into his home number.
        ctx.find("edit").await?;
        ctx.all("edit").await?[1].click().await?;
        ctx.find("phone-form").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "264 5555").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("duplicate-of", "John's home number").await?;
        open_the_duplicate(&ctx).await?;
        // The same page, for another number: none of the last one's refusal.
        assert!(ctx.all("phone-number-error").await?.is_empty());
        assert!(ctx.all("duplicate-of").await?.is_empty());
        assert!(ctx.all("error-summary").await?.is_empty());
        Ok(())
    });
}
