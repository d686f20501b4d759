//! `<phone-number-input>` on the validator's demo page, as a page that drops it into a plain
//! form would use it: submitted, checked, picked by keyboard, reset, disabled, accessible.

use fantoccini::{Locator, elements::Element, key::Key};
use phone_e2e::{Ctx, Result, run};
use serde_json::{Value, json};

/// An inner part of the element (`::part(name)`).
async fn part(host: &Element, name: &str) -> Result<Element> {
    Ok(host.shadow_root().await?.find(Locator::Css(&format!("[part={name}]"))).await?)
}

async fn script(ctx: &Ctx, code: &str) -> Result<Value> {
    Ok(ctx.client.execute(code, vec![]).await?)
}

/// The form's validity, the element's `:invalid` and its message.
async fn validity(ctx: &Ctx) -> Result<Value> {
    script(
        ctx,
        "const tel = document.getElementById('tel');
         return [document.getElementById('element-form').checkValidity(), tel.matches(':invalid'),
                 tel.validationMessage];",
    )
    .await
}

/// Empties a box by its keys, then types: Chromium's driver puts the caret at the end before
/// it types, where a person's click has selected the box's text.
async fn retype(input: &Element, text: &str) -> Result {
    let erase: String = std::iter::repeat_n(char::from(Key::Backspace), 30).collect();
    input.send_keys(&format!("{erase}{text}")).await?;
    Ok(())
}

/// The picker's choices now: (text, whether it is the active one).
async fn choices(ctx: &Ctx) -> Result<Vec<(String, bool)>> {
    let found = script(
        ctx,
        "return [...document.getElementById('tel').shadowRoot.querySelectorAll('[role=option]')]
           .map((o) => [o.textContent, o.getAttribute('aria-selected') === 'true']);",
    )
    .await?;
    Ok(serde_json::from_value(found)?)
}

async fn sent(ctx: &Ctx) -> Result<String> {
    Ok(ctx.client.find(Locator::Css("#sent")).await?.text().await?)
}

#[test]
fn the_element_submits_e164_checks_itself_and_picks_a_country_by_keyboard() {
    run(|ctx| async move {
        ctx.open("/embed/").await?;
        let host =
            ctx.client.wait().for_element(Locator::Css("phone-number-input[data-ready]")).await?;
        let (country, number) = (part(&host, "country").await?, part(&host, "number").await?);
        // Named by the page's <label for>, with New Zealand chosen by its attribute.
        assert_eq!(number.attr("aria-label").await?.as_deref(), Some("Phone"));
        assert_eq!(country.attr("aria-label").await?.as_deref(), Some("Phone: country"));
        assert_eq!(country.prop("value").await?.as_deref(), Some("New Zealand +64"));
        script(
            &ctx,
            "document.getElementById('tel').addEventListener('phone-number-change', (event) => {
               document.body.dataset.lastChange = JSON.stringify(event.detail);
             });",
        )
        .await?;

        // Required and empty: invalid, and the browser does not send the form.
        assert_eq!(validity(&ctx).await?, json!([false, true, "Enter the number."]));
        ctx.client.find(Locator::Css("#element-form button[type=submit]")).await?.click().await?;
        assert_eq!(sent(&ctx).await?, "Nothing sent yet.");

        // Not a number: said in plain words once the field is left.
        number.send_keys("call me").await?;
        number.send_keys(&char::from(Key::Tab).to_string()).await?;
        let message = part(&host, "message").await?;
        assert_eq!(message.text().await?, "Enter the number in digits, such as 264 5555.");
        assert_eq!(number.attr("aria-invalid").await?.as_deref(), Some("true"));

        // A mobile: grouped as typed, said what it is, and sent in E.164.
        number.clear().await?;
        number.send_keys("0211234567").await?;
        assert_eq!(number.prop("value").await?.as_deref(), Some("021 123 4567"));
        assert_eq!(validity(&ctx).await?, json!([true, false, ""]));
        let status = part(&host, "status").await?;
        assert_eq!(status.text().await?, "mobile number");
        let change: Value = serde_json::from_str(
            script(&ctx, "return document.body.dataset.lastChange").await?.as_str().unwrap_or("{}"),
        )?;
        assert_eq!(
            [&change["e164"], &change["kind"], &change["valid"], &change["errors"]],
            [&json!("+64211234567"), &json!("mobile"), &json!(true), &json!([])]
        );
        ctx.client.find(Locator::Css("#element-form button[type=submit]")).await?.click().await?;
        assert_eq!(sent(&ctx).await?, "Would send phone=+64211234567");

        // The picker by keyboard: a name's start, the arrow keys, Enter (which chooses, and does
        // not send the form). One stroke of keys each: Chromium's driver leaves and comes back
        // to a field between two, which closes the list as leaving it does.
        let key = |k: Key| char::from(k).to_string();
        country.click().await?;
        retype(&country, "new").await?;
        let shown = choices(&ctx).await?;
        let names: Vec<&str> = shown.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["New Caledonia +687", "New Zealand +64", "Papua New Guinea +675"]);
        assert!(shown[0].1, "the first is active: {shown:?}");
        retype(&country, &format!("new{}{}{}", key(Key::Down), key(Key::Down), key(Key::Enter)))
            .await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("Papua New Guinea +675"));
        assert_eq!(sent(&ctx).await?, "Would send phone=+64211234567", "Enter sent nothing");
        // Escape leaves the chosen country as it was.
        retype(&country, &format!("aus{}", key(Key::Escape))).await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("Papua New Guinea +675"));
        // By code: Australia, where the same digits are a Sydney landline.
        retype(&country, &format!("61{}", key(Key::Enter))).await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("Australia +61"));
        assert_eq!(status.text().await?, "landline");
        let value = script(&ctx, "return document.getElementById('tel').value").await?;
        assert_eq!(value, json!("+61211234567"));

        // Reset: the attributes' country and an empty number; disabled: not sent at all.
        ctx.client.find(Locator::Css("#element-form button[type=reset]")).await?.click().await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("New Zealand +64"));
        assert_eq!(number.prop("value").await?.as_deref(), Some(""));
        number.send_keys("0211234567").await?;
        script(&ctx, "document.getElementById('tel').disabled = true").await?;
        assert!(!number.is_enabled().await?);
        let entries = script(
            &ctx,
            "return [...new FormData(document.getElementById('element-form'))].length",
        )
        .await?;
        assert_eq!(entries, json!(0), "a disabled field sends nothing");
        script(&ctx, "document.getElementById('tel').disabled = false").await?;

        assert_eq!(ctx.accessibility_violations().await?, Vec::<String>::new());
        ctx.screenshot("phone-number-input").await?;
        Ok(())
    });
}
