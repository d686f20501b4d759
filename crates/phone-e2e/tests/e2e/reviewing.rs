//! The data-quality review: the demo's numbers that look wrong, found, fixed one at a time from
//! the review's link, and all at once where the number's kind decides the type.

use phone_e2e::{Ctx, Result, run};
use phone_model::PhoneType;

/// The type of the demo customer's only number, as the database holds it.
fn type_of(ctx: &Ctx, first_name: &str) -> Result<PhoneType> {
    let customer = ctx.customer_id(first_name)?;
    Ok(ctx.numbers_of(&customer)?.first().ok_or("a number")?.phone_type)
}

/// The rows of the review's table, as text, read in one script: the table is drawn again when
/// its answer comes, and rows found one call and read the next may be gone by then.
async fn rows(ctx: &Ctx) -> Result<Vec<String>> {
    let found = ctx
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=review-row]')].map((row) => row.innerText);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

#[test]
fn the_review_finds_the_demos_problems_and_fixes_them_one_and_all_at_once() {
    run(|ctx| async move {
        // From any page: the masthead's link; the first group with numbers in it opens.
        ctx.open("/").await?;
        ctx.find("nav-review").await?.click().await?;
        ctx.wait_for_text("group-heading", "Numbers that cannot exist as written").await?;
        let groups = ctx.text("review-groups").await?;
        for (heading, count) in [
            ("Numbers that cannot exist as written", 1),
            ("Numbers saved under another country", 0),
            ("Types that contradict the number", 3),
            ("Countries that can no longer be chosen", 0),
            ("Numbers shared with another customer", 2),
        ] {
            assert!(
                groups.contains(&format!("{heading}\n{count}"))
                    || groups.contains(&format!("{heading} {count}")),
                "{heading} {count}: {groups}"
            );
        }
        ctx.wait_for_text("review-message", "No number in New Zealand is written like this")
            .await?;

        ctx.find("group-wrongType").await?.click().await?;
        ctx.wait_for_text("group-heading", "Types that contradict the number").await?;
        ctx.wait_until("three rows", || async { Ok(rows(&ctx).await?.len() == 3) }).await?;
        let listed = rows(&ctx).await?;
        assert!(
            listed[0].contains("Tama Parata") && listed[0].contains("change the type to Mobile?"),
            "{listed:?}"
        );
        assert!(
            listed.iter().any(|r| r.contains("Leo Harris") && r.contains("Home or Work?")),
            "{listed:?}"
        );
        ctx.screenshot("review").await?;
        assert_eq!(ctx.accessibility_violations().await?, Vec::<String>::new());

        // One fix from its link: the form says what the review found, arrives with the
        // suggested type chosen, and comes back to the list once saved.
        ctx.find("review-fix").await?.click().await?;
        ctx.wait_for_text(
            "review-says",
            "The review says: Saved as Home, dials as a mobile number: change the type to Mobile?",
        )
        .await?;
        ctx.wait_for_text("suggestion", "The type Mobile is chosen below").await?;
        assert_eq!(ctx.find("phone-type").await?.prop("value").await?.as_deref(), Some("mobile"));
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        ctx.wait_for_text("group-heading", "Types that contradict the number").await?;
        assert_eq!(type_of(&ctx, "Tama")?, PhoneType::Mobile);

        // The rest at once: only the numbers whose kind decides their type (Maia's mobile, not
        // Leo's landline), listed before anything changes.
        ctx.wait_until("two rows", || async { Ok(rows(&ctx).await?.len() == 2) }).await?;
        ctx.find("change-all-start").await?.click().await?;
        let list = ctx.text("change-all-list").await?;
        assert!(list.contains("Maia Young") && !list.contains("Leo"), "{list}");
        assert_eq!(
            type_of(&ctx, "Maia")?,
            PhoneType::Home,
            "nothing changes before the confirmation"
        );
        ctx.find("change-all-confirm").await?.click().await?;
        ctx.wait_for_text("notice", "Changed the type of 1 number.").await?;
        ctx.wait_until("one row left", || async { Ok(rows(&ctx).await?.len() == 1) }).await?;
        assert_eq!(type_of(&ctx, "Maia")?, PhoneType::Mobile);
        assert_eq!(type_of(&ctx, "Leo")?, PhoneType::Mobile, "a person decides Leo's");

        // Shared numbers are information, with who else has them.
        ctx.find("group-sharedNumber").await?.click().await?;
        ctx.wait_for_text("review-table", "Also saved for").await?;
        let shared = rows(&ctx).await?;
        assert!(
            shared.iter().any(|r| r.contains("John Doe") && r.contains("Ruby Kereama")),
            "{shared:?}"
        );
        assert!(ctx.all("review-fix").await?.is_empty(), "nothing to fix");

        // A family's number, fine: marked as expected, it is listed no more, with who and when
        // kept, and the mark can be taken back.
        let shared_before = shared.len();
        ctx.find("review-mark").await?.click().await?;
        ctx.wait_for_text("notice", "is marked as expected.").await?;
        ctx.wait_until("the marked number's rows are gone", || async {
            Ok(rows(&ctx).await?.len() < shared_before)
        })
        .await?;
        ctx.find("review-expected").await?.click().await?;
        ctx.wait_for_text("group-heading", "Shared numbers marked as expected").await?;
        ctx.wait_for_text("review-marked", "Marked as expected by editor").await?;
        let marked = rows(&ctx).await?;
        assert!(marked.iter().any(|r| r.contains("John Doe")), "{marked:?}");
        ctx.find("review-mark").await?.click().await?; // Undo
        ctx.wait_for_text("notice", "is listed again.").await?;
        ctx.find("review-unmarked").await?.click().await?;
        ctx.wait_until("listed again", || async { Ok(rows(&ctx).await?.len() == shared_before) })
            .await?;
        Ok(())
    });
}

#[test]
fn a_viewer_is_told_to_ask_an_editor_and_sees_no_fix_column() {
    run(|ctx| async move {
        ctx.sign_in("viewer").await?;
        ctx.open("/review?problem=notInPlan").await?;
        ctx.find("review-table").await?;
        let page = ctx.client.find(fantoccini::Locator::Css("main")).await?.text().await?;
        assert!(page.contains("ask an editor to fix these"), "{page}");
        assert!(!page.contains("Each links to its form"), "{page}");
        let headers = ctx
            .client
            .execute("return [...document.querySelectorAll('.review-table th')].map((th) => th.innerText)", vec![])
            .await?;
        assert_eq!(headers, serde_json::json!(["Customer", "Number", "What looks wrong"]));

        // Choosing another group moves none of the group links.
        let places = "return [...document.querySelectorAll('[data-testid=review-groups] a')].map((a) => { const r = a.getBoundingClientRect(); return [r.left, r.top, r.width]; })";
        let before = ctx.client.execute(places, vec![]).await?;
        ctx.find("group-wrongType").await?.click().await?;
        ctx.wait_for_text("group-heading", "Types that contradict the number").await?;
        assert_eq!(ctx.client.execute(places, vec![]).await?, before, "the group links moved");
        Ok(())
    });
}

#[test]
fn a_number_saved_under_another_country_is_listed_and_fixed_to_its_own() {
    run(|ctx| async move {
        // Saved by another client of the API, under New Zealand, written with +44.
        let hemi = ctx.customer_id("Hemi")?;
        ctx.add_number_directly(&hemi, "+64", "", "+44 20 7946 0958")?;
        // Marked on the customer's page, with the way to the review.
        ctx.open(&format!("/customers/{hemi}")).await?;
        ctx.wait_for_text("number-mark", "Saved as New Zealand, dials as United Kingdom").await?;
        ctx.client
            .find(fantoccini::Locator::Css("[data-testid=number-mark] a"))
            .await?
            .click()
            .await?;
        ctx.wait_for_text(
            "review-message",
            "Saved as New Zealand, dials as United Kingdom: change the country to United Kingdom (+44)?",
        )
        .await?;
        ctx.find("review-fix").await?.click().await?;
        ctx.wait_for_text("review-says", "Saved as New Zealand, dials as United Kingdom").await?;
        assert_eq!(ctx.find("country-code").await?.prop("value").await?.as_deref(), Some("+44"));
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        ctx.wait_for_text("group-heading", "Numbers saved under another country").await?;
        ctx.find("review-empty").await?;
        let numbers = ctx.numbers_of(&hemi)?;
        assert!(numbers.iter().any(|n| n.country_code.as_str() == "+44"), "{numbers:?}");
        Ok(())
    });
}
