//! Finding the customer as the front desk does: from the number a caller rings from, by
//! keyboard, and back to the same search after opening someone.

use fantoccini::{Locator, key::Key};
use phone_e2e::{Ctx, Result, run};

/// Types into the search box, which has focus on arrival.
async fn type_search(ctx: &Ctx, text: &str) -> Result {
    ctx.open_search().await?;
    ctx.client.active_element().await?.send_keys(text).await?;
    Ok(())
}

#[test]
fn a_caller_rings_in_and_is_found_by_their_number_then_a_number_is_fixed() {
    run(|ctx| async move {
        // Aroha rings from her mobile; the screen shows it as "+64 27 345 6789", the desk
        // types it as said.
        type_search(&ctx, "027 345 6789").await?;
        let results = ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        assert!(results.contains("+64 27 345 6789"), "the result shows the number: {results}");
        assert_eq!(ctx.all("customer-link").await?.len(), 1);
        // Enter opens the only match.
        ctx.client.active_element().await?.send_keys(&char::from(Key::Enter).to_string()).await?;
        ctx.wait_for_text("customer-name", "Aroha Ngata").await?;

        // She has a new mobile: fix the number in one pass.
        ctx.find("edit").await?.click().await?;
        ctx.find("phone-form").await?;
        ctx.fill("phone-number", "027 345 6790").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        ctx.wait_for_text("phone-numbers", "+64 27 345 6790").await?;

        // The new number finds her; the old one no longer does.
        for (typed, found) in [("+64 27 345 6790", true), ("0273456789", false)] {
            type_search(&ctx, typed).await?;
            if found {
                ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
            } else {
                ctx.find("no-match").await?;
            }
        }
        Ok(())
    });
}

#[test]
fn back_from_a_customer_returns_to_the_same_search() {
    run(|ctx| async move {
        type_search(&ctx, "ngata, aroha").await?;
        ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        // The search is in the URL.
        let url = ctx.client.current_url().await?;
        assert_eq!(url.query(), Some("q=ngata%2C%20aroha"), "{url}");
        // Arrow down to the result, Enter to open it.
        ctx.client.active_element().await?.send_keys(&char::from(Key::Down).to_string()).await?;
        let focused = ctx.client.active_element().await?.attr("data-testid").await?;
        assert_eq!(focused.as_deref(), Some("customer-link"));
        ctx.client.active_element().await?.send_keys(&char::from(Key::Enter).to_string()).await?;
        ctx.wait_for_text("customer-name", "Aroha Ngata").await?;
        // Focus moved to the new page's heading, which a screen reader reads out.
        ctx.wait_until("the heading has focus", || async {
            let active = ctx.client.active_element().await?.attr("data-testid").await?;
            Ok(active.as_deref() == Some("customer-name"))
        })
        .await?;

        // Back: the same search, typed and found.
        ctx.client.back().await?;
        ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        let typed = ctx.find("customer-search").await?.prop("value").await?;
        assert_eq!(typed.as_deref(), Some("ngata, aroha"));

        // A reload, and a link shared with a colleague, show it too.
        ctx.client.refresh().await?;
        ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        ctx.open("/?q=tipene").await?;
        ctx.wait_for_text("customer-results", "Mere Tipene").await?;
        assert_eq!(
            ctx.find("customer-search").await?.prop("value").await?.as_deref(),
            Some("tipene")
        );
        // One business, from the URL, shows as chosen.
        ctx.open("/?q=smith&business=4444444").await?;
        ctx.find("customer-results").await?;
        let chosen = ctx.find("business-filter").await?.prop("value").await?;
        assert_eq!(chosen.as_deref(), Some("4444444"));
        Ok(())
    });
}

#[test]
fn enter_opens_the_match_for_what_was_typed_not_the_last_searchs() {
    run(|ctx| async move {
        type_search(&ctx, "tipene").await?;
        ctx.wait_for_text("customer-results", "Mere Tipene").await?;
        // A new search and Enter straight away, before its answer: the last answer (Mere
        // alone) must not be the one opened.
        let search = ctx.find("customer-search").await?;
        search.clear().await?;
        search.send_keys(&format!("ngata{}", char::from(Key::Enter))).await?;
        ctx.wait_for_text("customer-name", "Aroha Ngata").await?;
        Ok(())
    });
}

#[test]
fn results_page_through_every_match_once_and_back_returns_a_page() {
    run(|ctx| async move {
        ctx.add_customers(30)?;
        ctx.open("/?q=fitness").await?;
        ctx.find("customer-results").await?;
        let names = |ctx: &Ctx| {
            let ctx = ctx.clone();
            async move {
                let mut names = Vec::new();
                for link in ctx.all("customer-link").await? {
                    names.push(link.attr("href").await?.unwrap_or_default());
                }
                Result::<Vec<String>>::Ok(names)
            }
        };
        let first = names(&ctx).await?;
        assert_eq!(first.len(), 20, "a page of twenty");
        ctx.find("more-results").await?.click().await?;
        ctx.wait_until("the next page", || async { Ok(names(&ctx).await? != first) }).await?;
        let second = names(&ctx).await?;
        assert!(second.iter().all(|n| !first.contains(n)), "pages do not overlap");
        assert!(ctx.client.current_url().await?.query().unwrap_or_default().contains("from="));
        // Back returns to the first page.
        ctx.client.back().await?;
        ctx.wait_until("the first page again", || async { Ok(names(&ctx).await? == first) })
            .await?;
        Ok(())
    });
}

/// The text of every result, read in one script (the list is drawn again as answers come).
async fn results(ctx: &Ctx) -> Result<Vec<String>> {
    let found = ctx
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=customer-results] li')].map((li) => li.innerText);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

#[test]
fn a_result_shows_the_number_that_matched_and_a_short_query_says_so() {
    run(|ctx| async move {
        // Mum's number becomes Aroha's primary; the caller rings from Aroha's own mobile.
        let aroha = ctx.customer_id("Aroha")?;
        let mum = ctx.numbers_of(&aroha)?.into_iter().find(|n| n.phone_name == "Mum");
        let mum = mum.ok_or("Mum's number")?;
        ctx.open(&format!("/customers/{aroha}")).await?;
        ctx.client
            .wait()
            .for_element(Locator::Css(&format!(
                "[data-id=\"{}\"] [data-testid=make-primary]",
                mum.phone_number_id
            )))
            .await?
            .click()
            .await?;
        ctx.wait_for_text("notice", "is now the primary number.").await?;

        type_search(&ctx, "027 345 6789").await?;
        ctx.wait_for_text("matched-number", "Matched +64 27 345 6789").await?;
        ctx.screenshot("search-by-number").await?;
        let shown = results(&ctx).await?;
        assert!(
            shown[0].contains("Aroha Ngata") && shown[0].contains("+64 7 838 1234 · primary"),
            "{shown:?}"
        );

        // The last digits of a number: the number says why Jack Smith is found.
        type_search(&ctx, "6789").await?;
        ctx.wait_for_text("customer-results", "Jack Smith").await?;
        let shown = results(&ctx).await?;
        let jack = shown.iter().find(|r| r.contains("Jack Smith")).ok_or("Jack")?;
        assert!(jack.contains("Matched +61 423 456 789"), "{jack}");

        // Too short to mean anything: said, not "no customer matches".
        for short in ["a", "27", "345"] {
            type_search(&ctx, short).await?;
            ctx.wait_for_text("too-short", "Type at least 2 letters or 4 digits.").await?;
            assert!(ctx.all("no-match").await?.is_empty(), "{short}");
        }

        // A reference copied with its label, as the result shows it.
        for copied in ["Ref. abc1454", "Ref abc1454"] {
            type_search(&ctx, copied).await?;
            ctx.wait_for_text("customer-results", "Aroha Ngata").await?;
        }
        Ok(())
    });
}
