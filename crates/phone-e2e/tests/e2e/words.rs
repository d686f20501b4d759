//! What staff read: plain words where the API's sentences or a machine's numbers were, and a
//! page that fits a phone.

use fantoccini::Locator;
use phone_e2e::run;
use phone_store::Role;

#[test]
fn another_business_customer_is_said_so_with_the_way_back() {
    run(|ctx| async move {
        ctx.expect_console("status of 403");
        ctx.add_user("fitness", Role::Editor, &["3333333"])?;
        ctx.sign_in("fitness").await?;
        let isla = ctx.customer_id("Isla")?; // of the physio business, 4444444
        ctx.open(&format!("/customers/{isla}")).await?;
        let page = ctx.wait_for_text("foreign-customer", "Another business's customer").await?;
        assert!(page.contains("belongs to a business your account does not see"), "{page}");
        assert!(!page.contains("Unable to process"), "the API's sentence: {page}");
        assert!(ctx.all("retry").await?.is_empty(), "Try again can only fail again");
        ctx.find("back-to-search").await?.click().await?;
        ctx.find("customer-search").await?;
        Ok(())
    });
}

#[test]
fn the_customer_page_and_form_read_as_words_not_codes() {
    run(|ctx| async move {
        let isla = ctx.customer_id("Isla")?;
        ctx.open(&format!("/customers/{isla}")).await?;
        let facts = ctx.client.wait().for_element(Locator::Css(".facts")).await?.text().await?;
        assert!(facts.contains("Harbourside") && !facts.contains("4444444"), "{facts}");

        ctx.find("edit").await?.click().await?;
        ctx.find("phone-form").await?;
        // An Australian landline: its kind, and its national form once, in its own brackets.
        ctx.fill("area-code", "").await?;
        ctx.fill("phone-number", "02 9876 1111").await?;
        let preview = ctx.wait_for_text("preview", "landline").await?;
        assert!(
            preview.contains("+61 2 9876 1111 · landline · (02) 9876 1111 within the country"),
            "{preview}"
        );
        assert!(!preview.contains("(("), "{preview}");
        // A number of no kind is not called "of unknown kind".
        ctx.fill("phone-number", "1").await?;
        ctx.fill("phone-number", "9876").await?;
        let preview = ctx.text("preview").await?;
        assert!(!preview.contains("unknown kind"), "{preview}");
        ctx.fill("phone-number", "08 8123 4568").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;

        // History: not numbered, and to the minute.
        let item = ctx.find("history").await?;
        let style = ctx
            .client
            .execute(
                "return getComputedStyle(document.querySelector('[data-testid=history] li')).listStyleType",
                vec![],
            )
            .await?;
        assert_eq!(style, "none", "history entries are not numbered");
        let text = item.text().await?;
        let seconds = text.split_whitespace().any(|w| w.matches(':').count() == 2);
        assert!(!seconds, "history is timed to the minute: {text}");
        Ok(())
    });
}

#[test]
fn an_empty_sign_in_says_what_is_missing() {
    run(|ctx| async move {
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        ctx.find("sign-in").await?.click().await?;
        ctx.wait_for_text("sign-in-error", "Enter your user name.").await?;
        ctx.wait_for_focus("username").await?;
        ctx.fill("username", "editor").await?;
        ctx.find("sign-in").await?.click().await?;
        ctx.wait_for_text("sign-in-error", "Enter your password.").await?;
        ctx.wait_for_focus("password").await?;
        Ok(())
    });
}

#[test]
fn on_a_phone_the_primary_badge_and_the_header_fit() {
    run(|ctx| async move {
        ctx.client.set_window_size(360, 780).await?;
        let john = ctx.customer_id("John")?;
        ctx.open(&format!("/customers/{john}")).await?;
        ctx.find("primary-marker").await?;
        let sizes = ctx
            .client
            .execute(
                "const badge = document.querySelector('[data-testid=primary-marker]').getBoundingClientRect();
                 const row = document.querySelector('[data-testid=phone-number]').getBoundingClientRect();
                 const who = document.querySelector('[data-testid=signed-in-as]');
                 return [badge.width, row.width, who.scrollWidth, who.clientWidth];",
                vec![],
            )
            .await?;
        let [badge, row, text, room] = [0, 1, 2, 3].map(|i| sizes[i].as_f64().unwrap_or(0.0));
        assert!(badge < row / 3.0, "the Primary badge is {badge} px of a {row} px row");
        assert!(text <= room, "who is signed in is cut off: {text} px in {room} px");
        Ok(())
    });
}
