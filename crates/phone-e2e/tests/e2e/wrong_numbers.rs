//! A wrong number is never one key away: one that cannot exist is saved only by a deliberate
//! choice, and once saved it is marked wherever it is shown.

use fantoccini::key::Key;
use phone_e2e::run;

use crate::keyboard::{key, tab_to};

#[test]
fn enter_alone_never_saves_a_number_that_cannot_exist_and_a_saved_one_is_marked() {
    run(|ctx| async move {
        let mere = ctx.customer_id("Mere")?;
        let before = ctx.numbers_of(&mere)?.len();
        ctx.open_new_number(&mere).await?;
        ctx.fill("phone-name", "Mere").await?;
        ctx.choose("phone-type", "mobile").await?;
        ctx.fill("phone-number", "21123").await?;

        // Enter, again and again: asked, with focus kept in the number to correct it.
        for _ in 0..3 {
            ctx.press(&key(Key::Enter)).await?;
            ctx.wait_for_text("warnings-confirm", "This number can't exist as written.").await?;
            ctx.wait_for_focus("phone-number").await?;
        }
        assert_eq!(ctx.numbers_of(&mere)?.len(), before, "Enter alone saved it");

        // Saved only by choosing to: the anyway button, reached on purpose.
        tab_to(&ctx, "save-anyway").await?;
        ctx.press(&key(Key::Enter)).await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        assert_eq!(ctx.numbers_of(&mere)?.len(), before + 1);

        // On the customer's page it is marked, with why, and leads to the review.
        let mark = ctx.wait_for_text("number-mark", "No number in New Zealand").await?;
        ctx.screenshot("marked-number").await?;
        assert!(mark.contains("In the review"), "{mark}");
        ctx.client
            .find(fantoccini::Locator::Css("[data-testid=number-mark] a"))
            .await?
            .click()
            .await?;
        ctx.wait_for_text("group-heading", "Numbers that cannot exist as written").await?;
        ctx.wait_for_text("review-table", "Mere").await?;
        // Its form says so as it opens, before anything is typed.
        let fix = format!(
            "[data-testid=review-row]:has(a[href='/customers/{mere}']) [data-testid=review-fix]"
        );
        ctx.client.wait().for_element(fantoccini::Locator::Css(&fix)).await?.click().await?;
        ctx.wait_for_text("phone-number-error", "No number in New Zealand").await?;
        Ok(())
    });
}

#[test]
fn the_country_box_knows_what_people_call_a_country_and_says_when_none_matches() {
    run(|ctx| async move {
        let mere = ctx.customer_id("Mere")?;
        ctx.open_new_number(&mere).await?;
        for (typed, first) in [
            ("UK", "United Kingdom +44"),
            ("England", "United Kingdom +44"),
            ("USA", "United States +1"),
            ("NZ", "New Zealand +64"),
        ] {
            ctx.fill("country-code", typed).await?;
            let options = ctx.wait_for_text("country-options", first).await?;
            assert!(options.starts_with(first), "{typed}: {options}");
        }
        ctx.fill("country-code", "Narnia").await?;
        ctx.wait_for_text("no-country", "No country is called “Narnia”").await?;
        Ok(())
    });
}

#[test]
fn a_number_typed_with_its_own_country_code_is_saved_as_that_countrys() {
    run(|ctx| async move {
        let mere = ctx.customer_id("Mere")?;
        ctx.open_new_number(&mere).await?;
        ctx.fill("phone-name", "Mere in London").await?;
        ctx.choose("phone-type", "work").await?;

        // Dialled from New Zealand with its 00: still New Zealand's, read whole.
        ctx.fill("phone-number", "0064 21 123 4567").await?;
        ctx.wait_for_text("preview", "+64 21 123 4567 · mobile number").await?;
        assert!(ctx.all("country-followed").await?.is_empty());

        // Pasted with +44 while New Zealand is chosen: the country follows, and says so.
        ctx.fill("phone-number", "+44 20 7946 0958").await?;
        ctx.wait_for_text("country-followed", "The country is now United Kingdom (+44)").await?;
        assert_eq!(ctx.find("country-code").await?.prop("value").await?.as_deref(), Some("+44"));
        ctx.screenshot("country-follows").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        let saved = ctx.numbers_of(&mere)?;
        let london = saved.iter().find(|n| n.phone_name == "Mere in London").ok_or("saved")?;
        assert_eq!(london.country_code.as_str(), "+44");
        let list = ctx.text("phone-numbers").await?;
        assert!(list.contains("+44 20 7946 0958") && !list.contains("+64 +44"), "{list}");
        Ok(())
    });
}
