//! The phone rings and the customer is on screen (issue 36): every number shown dials with a
//! click, the customer page says in words which number is primary, and a caller who is no
//! customer yet is added from the number the phone system sent.

use fantoccini::Locator;
use phone_e2e::{Ctx, Result, run};
use phone_model::ParsedNumber;
use serde_json::json;

/// The `tel:` links within the element with this `data-testid`, as (URI, text), read in one
/// script: the list may be drawn again between two calls.
async fn dial_links(ctx: &Ctx, test_id: &str) -> Result<Vec<(String, String)>> {
    let script = format!(
        "return [...document.querySelectorAll('[data-testid={test_id}] a[href^=\"tel:\"]')]
           .map((a) => [a.getAttribute('href'), a.textContent.trim()]);"
    );
    Ok(serde_json::from_value(ctx.client.execute(&script, vec![]).await?)?)
}

/// The link to dial the saved number of this demo customer's (their first), as the app
/// should write it: its E.164 URI and its international form.
fn dial_of(ctx: &Ctx, first_name: &str) -> Result<(String, String)> {
    let customer = ctx.customer_id(first_name)?;
    let saved = ctx.numbers_of(&customer)?.into_iter().next().ok_or("a number")?;
    let parsed = ParsedNumber::parse(saved.country_code, &saved.area_code, &saved.phone_number)
        .map_err(|e| format!("{first_name}'s number cannot be read: {e:?}"))?;
    Ok((parsed.tel_uri(), parsed.international()))
}

async fn assert_accessible(ctx: &Ctx, screen: &str) -> Result {
    let violations = ctx.accessibility_violations().await?;
    assert!(violations.is_empty(), "{screen}: {violations:#?}");
    Ok(())
}

#[test]
fn the_numbers_of_search_results_and_the_review_dial_in_their_e164_form() {
    run(|ctx| async move {
        ctx.open_search().await?;
        ctx.press("027 345 6789").await?;
        ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        let aroha = ("tel:+64273456789".to_owned(), "+64 27 345 6789".to_owned());
        ctx.wait_until("the result's number dials", || async {
            Ok(dial_links(&ctx, "customer-results").await?.contains(&aroha))
        })
        .await?;
        // The number's link is beside the name's, never inside it.
        let nested = ctx.client.execute("return document.querySelectorAll('a a').length", vec![]);
        assert_eq!(nested.await?, json!(0));
        assert_accessible(&ctx, "search results").await?;

        let tama = dial_of(&ctx, "Tama")?;
        ctx.open("/review?problem=wrongType").await?;
        ctx.wait_for_text("review-table", "Tama Parata").await?;
        ctx.wait_until("the review's number dials", || async {
            Ok(dial_links(&ctx, "review-table").await?.contains(&tama))
        })
        .await?;
        // The list of every suggested change too.
        ctx.find("change-all-start").await?.click().await?;
        ctx.wait_until("the listed number dials", || async {
            Ok(dial_links(&ctx, "change-all-list")
                .await?
                .iter()
                .any(|(uri, _)| uri.starts_with("tel:+")))
        })
        .await?;
        Ok(())
    });
}

#[test]
fn the_customer_page_says_which_number_is_primary_and_an_unreadable_one_is_no_link() {
    run(|ctx| async move {
        let hemi = ctx.customer_id("Hemi")?;
        // Saved by another client of the API: too short to be read as a number.
        ctx.add_number_directly(&hemi, "+64", "", "12")?;
        ctx.open(&format!("/customers/{hemi}")).await?;
        ctx.wait_for_text("phone-numbers", "+64 12").await?;
        let rows = ctx
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=phone-number]')].map((row) => [
                   row.querySelector('[data-testid=primary-marker]')?.textContent ?? '',
                   row.querySelector('[data-testid=dial]').tagName,
                   row.querySelector('[data-testid=dial]').textContent]);",
                vec![],
            )
            .await?;
        let (uri, shown) = dial_of(&ctx, "Hemi")?;
        assert_eq!(rows, json!([["Primary", "A", shown], ["", "SPAN", "+64 12"]]));
        assert_eq!(dial_links(&ctx, "phone-numbers").await?, [(uri, shown)]);
        Ok(())
    });
}

#[test]
fn a_caller_is_added_from_the_number_the_phone_system_sent_as_their_primary() {
    run(|ctx| async move {
        // The incoming-call banner's link, for a number no customer has.
        ctx.open("/customers/new?number=%2B64211234567").await?;
        ctx.find("customer-form").await?;
        let value = |test_id: &'static str| {
            let ctx = ctx.clone();
            async move { Result::Ok(ctx.find(test_id).await?.prop("value").await?.unwrap_or_default()) }
        };
        assert_eq!(value("phone-number").await?, "+64211234567");
        assert_eq!(value("country-code").await?, "+64");
        // A mobile is Mobile: the type follows the number's kind once the plans are here.
        ctx.wait_until("the type is Mobile", || async {
            Ok(value("phone-type").await? == "mobile")
        })
        .await?;
        ctx.wait_for_text("preview", "+64 21 123 4567").await?;
        assert_accessible(&ctx, "new customer").await?;

        ctx.choose("business", "3333333").await?;
        ctx.fill("first-name", "Rangi").await?;
        ctx.fill("last-name", "Hohaia").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("customer-name", "Rangi Hohaia").await?;
        ctx.wait_for_text("notice", "The customer was added.").await?;
        let id = ctx.text("customer-id").await?;
        assert_eq!(ctx.client.current_url().await?.path(), format!("/customers/{id}"));
        ctx.wait_for_text("phone-numbers", "+64 21 123 4567").await?;
        let number = ctx.find("phone-number").await?;
        let marker = number.find(Locator::Css("[data-testid=primary-marker]")).await?;
        assert_eq!(marker.text().await?, "Primary");
        assert_eq!(ctx.all("phone-number").await?.len(), 1);
        let saved = ctx.numbers_of(&id)?;
        assert!(saved[0].is_primary && saved[0].phone_name == "Rangi", "{saved:?}");
        assert_eq!(
            dial_links(&ctx, "phone-numbers").await?,
            [("tel:+64211234567".to_owned(), "+64 21 123 4567".to_owned())]
        );
        Ok(())
    });
}

#[test]
fn the_find_page_offers_a_new_customer_with_the_number_typed() {
    run(|ctx| async move {
        ctx.open_search().await?;
        ctx.press("021 765 4321").await?;
        ctx.find("no-match").await?;
        let link = ctx.find("new-customer").await?;
        let href = link.attr("href").await?.unwrap_or_default();
        assert_eq!(href, "/customers/new?number=021%20765%204321");
        link.click().await?;
        ctx.find("customer-form").await?;
        let typed = ctx.find("phone-number").await?.prop("value").await?;
        assert_eq!(typed.as_deref(), Some("021 765 4321"));
        Ok(())
    });
}

#[test]
fn a_bad_entry_is_told_in_the_apps_words_and_the_servers_refusal_lands_on_its_field() {
    run(|ctx| async move {
        ctx.open("/customers/new?number=%2B64211234567").await?;
        ctx.find("customer-form").await?;
        ctx.choose("business", "3333333").await?;
        // No first name: the summary takes focus, as on the number form, and the field says so.
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("error-summary", "Enter a first name.").await?;
        ctx.wait_for_focus("error-summary").await?;
        ctx.wait_for_text("first-name-error", "Enter a first name.").await?;
        let invalid = ctx.find("first-name").await?.attr("aria-invalid").await?;
        assert_eq!(invalid.as_deref(), Some("true"));
        assert_accessible(&ctx, "new customer with errors").await?;
        let summary = ctx.text("error-summary").await?;
        assert!(!summary.contains("FirstName") && !summary.contains("contact name"), "{summary}");

        // A reference another customer of the business has: only the server knows, and its
        // 400 lands on the field in the app's words.
        ctx.expect_console("status of 400");
        ctx.fill("first-name", "Rangi").await?;
        ctx.fill("external-reference", "abc1454").await?;
        ctx.wait_until("the type is chosen", || async {
            Ok(ctx.find("phone-type").await?.prop("value").await?.as_deref() == Some("mobile"))
        })
        .await?;
        ctx.find("save").await?.click().await?;
        let said = "Another customer of this business has this reference.";
        ctx.wait_for_text("external-reference-error", said).await?;
        ctx.wait_for_text("error-summary", said).await?;
        ctx.wait_for_focus("error-summary").await?;
        Ok(())
    });
}

#[test]
fn a_viewer_is_told_that_only_editors_add_customers() {
    run(|ctx| async move {
        ctx.sign_in("viewer").await?;
        ctx.open("/customers/new?number=%2B64211234567").await?;
        ctx.wait_for_text("editors-only", "Only editors add customers.").await?;
        assert!(ctx.all("customer-form").await?.is_empty(), "a viewer is given the form");
        ctx.open_search().await?;
        ctx.find("signed-in-as").await?;
        assert!(ctx.all("new-customer").await?.is_empty(), "a viewer is offered a new customer");
        Ok(())
    });
}
