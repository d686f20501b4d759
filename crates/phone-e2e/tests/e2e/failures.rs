//! Unsaved changes are never lost silently, and a server that goes away, or an app that cannot
//! download, is said plainly.

use fantoccini::Locator;
use phone_e2e::{run, run_without_app_code};

#[test]
fn leaving_a_changed_form_asks_first_and_cancelling_keeps_the_text() {
    run(|ctx| async move {
        let customer = ctx.customer_id("Sophie")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.all("edit").await.map(|_| ())?;
        ctx.find("edit").await?.click().await?;
        ctx.find("phone-form").await?;
        ctx.fill("phone-name", "Sophie, changed").await?;

        // A link away (the customer's name above the form) asks first.
        ctx.client.find(Locator::Css(".breadcrumb a")).await?.click().await?;
        let question = ctx.client.get_alert_text().await?;
        assert!(question.contains("unsaved changes"), "{question}");
        ctx.client.dismiss_alert().await?;

        assert!(ctx.client.current_url().await?.path().contains("/phone-numbers/"));
        assert_eq!(
            ctx.find("phone-name").await?.prop("value").await?.as_deref(),
            Some("Sophie, changed")
        );

        // Cancel says what it does: it leaves without asking, and nothing is saved.
        ctx.find("cancel").await?.click().await?;
        ctx.find("customer-name").await?;
        assert!(
            ctx.client.get_alert_text().await.is_err(),
            "Cancel asked whether to lose the changes"
        );
        assert!(ctx.numbers_of(&customer)?.iter().all(|n| n.phone_name != "Sophie, changed"));
        Ok(())
    });
}

#[test]
fn a_save_while_the_server_is_down_offers_to_retry_and_keeps_the_form() {
    run(|ctx| async move {
        ctx.expect_console("ERR_CONNECTION_REFUSED");
        let customer = ctx.customer_id("Hemi")?;
        ctx.open_new_number(&customer).await?;
        ctx.fill("phone-name", "Hemi at work").await?;
        ctx.fill("area-code", "06").await?;
        ctx.fill("phone-number", "835 9999").await?;
        ctx.choose("phone-type", "work").await?;

        ctx.stop_server();
        ctx.find("save").await?.click().await?;

        ctx.wait_for_text("problem", "could not be reached").await?;
        ctx.find("retry").await?;
        assert_eq!(
            ctx.find("phone-number").await?.prop("value").await?.as_deref(),
            Some("835 9999")
        );
        assert_eq!(
            ctx.find("phone-name").await?.prop("value").await?.as_deref(),
            Some("Hemi at work")
        );
        Ok(())
    });
}

#[test]
fn a_stored_script_in_a_contact_name_is_shown_as_text_and_never_runs() {
    run(|ctx| async move {
        ctx.expect_console("Content Security Policy");
        let customer = ctx.customer_id("Isla")?;
        // Within the 50 characters a contact name may have.
        let name = "<img src=x onerror=window.pwned=1><b>Isla</b>";
        ctx.open_new_number(&customer).await?;
        ctx.fill("phone-name", name).await?;
        ctx.fill("area-code", "09").await?;
        ctx.fill("phone-number", "555 7777").await?;
        ctx.choose("phone-type", "work").await?;
        ctx.find("save").await?.click().await?;
        ctx.wait_for_text("notice", "The number was added.").await?;

        ctx.client.refresh().await?;
        ctx.wait_for_text("phone-numbers", name).await?;
        let pwned = ctx.client.execute("return window.pwned === undefined;", vec![]).await?;
        assert_eq!(pwned, serde_json::json!(true), "the stored markup ran");
        // And the policy itself refuses inline handlers, should markup ever reach the page.
        let blocked = ctx
            .client
            .execute_async(
                "const done = arguments[0];
                 document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.pwned=3\">');
                 setTimeout(() => done(window.pwned === undefined), 300);",
                vec![],
            )
            .await?;
        assert_eq!(
            blocked,
            serde_json::json!(true),
            "the Content Security Policy let an inline handler run"
        );
        Ok(())
    });
}

#[test]
fn an_app_whose_code_cannot_download_says_so_with_a_way_to_reload() {
    run_without_app_code(|ctx| async move {
        ctx.expect_console("application/wasm");
        // Chromium: "expected magic word"; Firefox: "failed to match magic number".
        ctx.expect_console("magic");
        ctx.open_page("/").await?;
        let failed = Locator::Css(".boot-failed:not([hidden])");
        let message = ctx.client.wait().for_element(failed).await?.text().await?;
        assert!(message.starts_with("Phonedesk could not start"), "{message}");
        let reload = ctx.client.find(Locator::Css(".boot-failed a")).await?;
        assert_eq!(reload.text().await?, "reload the page");
        assert_eq!(ctx.client.title().await?, "Phonedesk");
        Ok(())
    });
}

#[test]
fn a_change_that_cannot_reach_the_server_leaves_the_list_and_says_so_once() {
    run(|ctx| async move {
        ctx.expect_console("ERR_CONNECTION_REFUSED");
        let customer = ctx.customer_id("Liam")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("make-primary").await?;
        let before = ctx.all("phone-number").await?.len();
        ctx.stop_server();
        ctx.find("make-primary").await?.click().await?;
        ctx.wait_for_text("problem", "could not be reached").await?;
        assert_eq!(ctx.all("problem").await?.len(), 1, "reported once");
        assert_eq!(ctx.all("retry").await?.len(), 1, "with Try again");
        assert_eq!(ctx.all("phone-number").await?.len(), before, "the list stays on screen");
        Ok(())
    });
}

#[test]
fn a_session_that_ended_elsewhere_asks_to_sign_in_at_the_next_request() {
    run(|ctx| async move {
        ctx.expect_console("status of 401");
        let customer = ctx.customer_id("Liam")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("make-primary").await?;
        // Signed out behind the app's back, as another tab would.
        ctx.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/auth/session', { method: 'DELETE', headers: { 'X-Phonedesk-Request': '1' } })
                   .then((answer) => done(answer.status), (error) => done(String(error)));",
                vec![],
            )
            .await?;
        ctx.find("make-primary").await?.click().await?;
        ctx.find("sign-in-form").await?;
        assert!(ctx.all("signed-in-as").await?.is_empty());
        Ok(())
    });
}
