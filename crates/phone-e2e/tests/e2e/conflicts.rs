//! Two people, one number: a change based on an old version is never saved over a newer one
//! unseen; an add whose answer was lost is never added twice.

use phone_e2e::{Ctx, Result, run};
use phone_model::{PhoneNumberResource, PhoneType};

/// Opens a number's form and waits until it shows the saved values.
async fn open_form(ctx: &Ctx, path: &str, number: &str) -> Result {
    ctx.open(path).await?;
    ctx.wait_until("the number's form", || async {
        Ok(ctx.find("phone-number").await?.prop("value").await?.as_deref() == Some(number))
    })
    .await
}

/// John's home number, as the database holds it now.
fn johns_home(ctx: &Ctx, john: &str) -> Result<PhoneNumberResource> {
    let numbers = ctx.numbers_of(john)?;
    Ok(numbers.into_iter().find(|n| n.phone_number == "264 5555").ok_or("John's home number")?)
}

#[test]
fn a_save_over_someone_elses_shows_their_change_and_then_lays_this_one_over_it_or_drops_it() {
    run(|ctx| async move {
        ctx.expect_console("status of 412");
        ctx.expect_console("status of 404");
        let john = ctx.customer_id("John")?;
        let home = johns_home(&ctx, &john)?;
        let path = format!("/customers/{john}/phone-numbers/{}", home.phone_number_id);
        let sam = ctx.another_person("sam").await?;

        // Both open the number; Sam saves first.
        open_form(&ctx, &path, "264 5555").await?;
        open_form(&sam, &path, "264 5555").await?;
        sam.choose("phone-type", "work").await?;
        sam.find("save").await?.click().await?;
        sam.wait_for_text("notice", "The number was saved.").await?;

        // The editor's save is refused, and says what Sam did, keeping what was typed.
        ctx.fill("phone-name", "John after 5pm").await?;
        ctx.find("save").await?.click().await?;
        let panel = ctx
            .wait_for_text("changed-meanwhile", "sam changed this number while you were editing it")
            .await?;
        assert!(panel.contains("Type") && panel.contains("Home"), "{panel}");
        // Two rows: the type Sam changed, and the name this person changed.
        let mut theirs = Vec::new();
        for (cell, yours) in ctx.all("theirs").await?.into_iter().zip(ctx.all("yours").await?) {
            if cell.is_displayed().await? {
                theirs.push((cell.text().await?, yours.text().await?));
            }
        }
        let unchanged = "(unchanged)".to_owned();
        assert_eq!(
            theirs,
            [(unchanged.clone(), "John after 5pm".to_owned()), ("Work".to_owned(), unchanged)]
        );
        // One way to save: the panel's.
        assert!(!ctx.find("save").await?.is_displayed().await?, "the form's own save is hidden");
        assert_eq!(
            ctx.find("phone-name").await?.prop("value").await?.as_deref(),
            Some("John after 5pm")
        );
        let saved = johns_home(&ctx, &john)?;
        assert_eq!((saved.phone_name.as_str(), saved.phone_type), ("John", PhoneType::Work));
        ctx.screenshot("changed-meanwhile").await?;
        assert_eq!(ctx.accessibility_violations().await?, Vec::<String>::new());

        // Laid over Sam's: the editor's name and Sam's type.
        ctx.find("apply-mine").await?.click().await?;
        ctx.wait_for_text("notice", "The number was saved.").await?;
        let saved = johns_home(&ctx, &john)?;
        assert_eq!(
            (saved.phone_name.as_str(), saved.phone_type),
            ("John after 5pm", PhoneType::Work)
        );

        // Once more, and this time the editor drops their change for Sam's.
        open_form(&ctx, &path, "264 5555").await?;
        open_form(&sam, &path, "264 5555").await?;
        sam.fill("phone-name", "Johnny").await?;
        sam.find("save").await?.click().await?;
        sam.wait_for_text("notice", "The number was saved.").await?;
        ctx.choose("phone-type", "home").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("changed-meanwhile", "Johnny").await?;
        ctx.find("discard-mine").await?.click().await?;
        ctx.wait_for_text("notice", "Your changes were discarded.").await?;
        let saved = johns_home(&ctx, &john)?;
        assert_eq!((saved.phone_name.as_str(), saved.phone_type), ("Johnny", PhoneType::Work));

        // Deleted meanwhile: said so, with nothing to try again.
        let office = ctx.numbers_of(&john)?.into_iter().find(|n| n.phone_number == "377 8899");
        let office = office.ok_or("John's office number")?;
        let path = format!("/customers/{john}/phone-numbers/{}", office.phone_number_id);
        open_form(&ctx, &path, "377 8899").await?;
        sam.open(&format!("/customers/{john}")).await?;
        let delete = format!("delete-{}", office.phone_number_id);
        sam.client.wait().for_element(fantoccini::Locator::Id(&delete)).await?.click().await?;
        sam.find("confirm-delete").await?.click().await?;
        sam.wait_for_text("notice", "was deleted").await?;
        ctx.fill("phone-name", "Reception").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("changed-meanwhile", "sam deleted this number while you were editing it")
            .await?;
        assert!(ctx.all("retry").await?.is_empty(), "nothing to try again");
        Ok(())
    });
}

#[test]
fn an_add_whose_answer_was_lost_is_saved_once_when_tried_again() {
    run(|ctx| async move {
        ctx.expect_console("Content Security Policy");
        let aroha = ctx.customer_id("Aroha")?;
        let before = ctx.numbers_of(&aroha)?.len();
        ctx.open(&format!("/customers/{aroha}/phone-numbers/new")).await?;
        ctx.find("phone-name").await?;
        // The network loses the first answer to an add: the request reaches the server and is
        // saved there, and the app hears nothing back.
        ctx.client
            .execute(
                // The loss is the page's own failed fetch (one its policy refuses), so that the
                // app sees a real network error in either browser; Firefox runs this script in a
                // sandbox whose own errors the page cannot read.
                "const real = window.fetch;
                 let lost = false;
                 window.fetch = (request, init) => real.call(window, request, init).then((answer) => {
                     const method = (init && init.method) || (request && request.method);
                     if (!lost && method === 'POST') {
                         lost = true;
                         return real.call(window, 'http://127.0.0.1:9/lost');
                     }
                     return answer;
                 });",
                vec![],
            )
            .await?;
        ctx.fill("phone-name", "Aroha at home").await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "555 4321").await?;
        ctx.choose("phone-type", "home").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("problem", "could not be reached").await?;
        assert_eq!(ctx.numbers_of(&aroha)?.len(), before + 1, "the first attempt was saved");

        // Try again: the server answers the first attempt's answer; no second copy.
        ctx.find("retry").await?.click().await?;
        ctx.wait_for_text("notice", "The number was added.").await?;
        ctx.wait_for_text("phone-numbers", "+64 9 555 4321").await?;
        assert_eq!(ctx.numbers_of(&aroha)?.len(), before + 1);
        Ok(())
    });
}
