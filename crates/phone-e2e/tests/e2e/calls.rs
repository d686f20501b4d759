//! The incoming-call banner: a phone system reports calls over the API, and the staff who see
//! the business hear of them on whatever page they are, without losing what they were doing.

use phone_e2e::{Ctx, Result, run};
use phone_store::Role;
use serde_json::{Value, json};

/// The demo business of Aroha Ngata, whose mobile is 027 345 6789.
const FITNESS: &str = "3333333";

/// The other demo business.
const PHYSIO: &str = "4444444";

/// A call's event as a phone system sends it.
fn event(call_id: &str, from: &str, state: &str) -> Value {
    json!({"callId": call_id, "from": from, "to": "+6493001234", "extension": "201", "state": state})
}

/// The `href` of the banner's link with these words.
async fn link(ctx: &Ctx, words: &str) -> Result<String> {
    for link in ctx.all("call-link").await? {
        if link.text().await? == words {
            return Ok(link.attr("href").await?.unwrap_or_default());
        }
    }
    Err(format!("the banner has no {words:?} link").into())
}

#[test]
fn a_known_callers_call_is_named_opened_and_followed_to_its_end() {
    run(|ctx| async move {
        let phone = ctx.phone_system(FITNESS).await?;
        let aroha = ctx.customer_id("Aroha")?;
        ctx.open("/").await?;

        phone.report(&event("c1", "+64273456789", "ringing")).await?;
        let words = "Incoming call from 027 345 6789 — Aroha Ngata (Debitsuccess 24/7 Fitness)";
        ctx.wait_for_text("call-words", words).await?;
        ctx.wait_for_text("call-announced", &format!("{words}.")).await?;
        assert_eq!(link(&ctx, "Open").await?, format!("/customers/{aroha}"));
        ctx.screenshot("incoming-call").await?;

        // Open is a link within the app: the banner stays, and follows the call.
        ctx.find("call-link").await?.click().await?;
        ctx.wait_for_text("customer-name", "Aroha Ngata").await?;
        let path = ctx.client.current_url().await?.path().to_owned();
        assert_eq!(path, format!("/customers/{aroha}"));
        phone.report(&event("c1", "+64273456789", "answered")).await?;
        ctx.wait_for_text("call-words", "Answered").await?;
        phone.report(&event("c1", "+64273456789", "ended")).await?;
        ctx.wait_for_text("call-words", "Call ended").await?;
        assert_eq!(ctx.all("call").await?.len(), 1, "one call, updated in place");

        // Dismiss takes it away.
        ctx.find("call-dismiss").await?.click().await?;
        ctx.wait_until("the call is gone", || async { Ok(ctx.all("call").await?.is_empty()) }).await
    });
}

#[test]
fn an_unknown_number_offers_a_search_and_a_new_customer() {
    run(|ctx| async move {
        let phone = ctx.phone_system(FITNESS).await?;
        ctx.open("/").await?;
        phone.report(&event("c2", "+64219998888", "ringing")).await?;
        ctx.wait_for_text("call-words", "Unknown caller 021 999 8888").await?;
        assert_eq!(link(&ctx, "Search").await?, "/?q=%2B64219998888");
        let new = "/customers/new?number=%2B64219998888";
        assert_eq!(link(&ctx, "New customer").await?, new);

        // Search opens the find page with the number in its box.
        for link in ctx.all("call-link").await? {
            if link.text().await? == "Search" {
                link.click().await?;
                break;
            }
        }
        ctx.wait_until("the search has the number", || async {
            let typed = ctx.find("customer-search").await?.prop("value").await?;
            Ok(typed.as_deref() == Some("+64219998888"))
        })
        .await
    });
}

#[test]
fn a_call_arriving_while_someone_types_takes_neither_focus_nor_text() {
    run(|ctx| async move {
        let phone = ctx.phone_system(FITNESS).await?;
        ctx.open_new_number(&ctx.customer_id("Aroha")?).await?;
        ctx.fill("phone-number", "021 55").await?;
        ctx.wait_for_focus("phone-number").await?;

        phone.report(&event("c3", "+64273456789", "ringing")).await?;
        ctx.wait_for_text("call-words", "Aroha Ngata").await?;
        phone.report(&event("c3", "+64273456789", "answered")).await?;
        ctx.wait_for_text("call-words", "Answered").await?;

        assert_eq!(ctx.focused().await?.as_deref(), Some("phone-number"));
        ctx.press("5 0199").await?;
        let typed = ctx.find("phone-number").await?.prop("value").await?;
        assert_eq!(typed.as_deref(), Some("021 555 0199"));
        Ok(())
    });
}

#[test]
fn staff_hear_only_their_own_businesses_calls() {
    run(|ctx| async move {
        ctx.add_user("physio", Role::Editor, &[PHYSIO])?;
        let physio = ctx.another_person("physio").await?;
        let (fitness_phone, physio_phone) =
            (ctx.phone_system(FITNESS).await?, ctx.phone_system(PHYSIO).await?);
        ctx.open("/").await?;

        // The fitness business's call reaches the editor, who sees every business, first...
        fitness_phone.report(&event("c4", "+64273456789", "ringing")).await?;
        ctx.wait_for_text("call-words", "Aroha Ngata").await?;
        // ...then the physio's, which reaches both; the physio hears only their own.
        physio_phone.report(&event("c5", "+64219998888", "ringing")).await?;
        physio.wait_for_text("call-words", "Unknown caller 021 999 8888").await?;
        ctx.wait_until("the editor hears both", || async { Ok(ctx.all("call").await?.len() == 2) })
            .await?;
        assert_eq!(physio.all("call").await?.len(), 1, "the physio heard another business's call");
        Ok(())
    });
}
