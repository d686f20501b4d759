//! `<phone-number-input>` on the validator's demo page, as a page that drops it into a plain
//! form would use it: submitted, checked, picked by keyboard, reset, disabled, accessible;
//! without its rules (no wasm), before they come, on a server (Node), and with what people
//! paste and browsers fill in.

use std::{path::Path, process::Command};

use fantoccini::{Locator, elements::Element, key::Key};
use phone_e2e::{Browser, Ctx, Result, run, run_without_app_code};
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

/// Which part of the element has focus (`None`: none of them).
async fn focused_part(ctx: &Ctx) -> Result<Value> {
    script(
        ctx,
        "return document.getElementById('tel').shadowRoot.activeElement?.getAttribute('part') ?? null",
    )
    .await
}

async fn sent(ctx: &Ctx) -> Result<String> {
    Ok(ctx.client.find(Locator::Css("#sent")).await?.text().await?)
}

#[test]
fn the_element_submits_e164_checks_itself_and_picks_a_country_by_keyboard() {
    run(|ctx| async move {
        ctx.open_page("/embed/").await?;
        let host =
            ctx.client.wait().for_element(Locator::Css("phone-number-input[rules=ready]")).await?;
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

        // The picker by keyboard: a name's start (New Zealand first, as in the app's country
        // field), the arrow keys, Enter (which chooses, and does not send the form). One stroke
        // of keys each: Chromium's driver leaves and comes back to a field between two, which
        // closes the list as leaving it does.
        let key = |k: Key| char::from(k).to_string();
        country.click().await?;
        retype(&country, "new").await?;
        let shown = choices(&ctx).await?;
        let names: Vec<&str> = shown.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["New Zealand +64", "New Caledonia +687", "Papua New Guinea +675"]);
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

#[test]
fn without_its_rules_the_element_sends_what_was_typed_and_says_they_failed() {
    run_without_app_code(|ctx| async move {
        // The page's wasm is missing: the browser says so, and the demo's own script (which
        // loads the same module) fails with it.
        ctx.expect_console("phone_wasm.wasm.js");
        ctx.open_page("/embed/").await?;
        let host =
            ctx.client.wait().for_element(Locator::Css("phone-number-input[rules=failed]")).await?;
        let number = part(&host, "number").await?;
        let submit = ctx.client.find(Locator::Css("#element-form button[type=submit]")).await?;

        // The demo's script, which would show what the form sends, failed with the wasm: the
        // browser sends the form itself, to the page's own address.
        let address =
            || async { Result::<String>::Ok(ctx.client.current_url().await?.to_string()) };

        // Still required: an empty field is not sent, and the browser's own words say why.
        submit.click().await?;
        assert!(!address().await?.contains('?'), "sent: {}", address().await?);
        let [form_valid, invalid, said] =
            <[Value; 3]>::try_from(validity(&ctx).await?.as_array().cloned().unwrap_or_default())
                .map_err(|v| format!("validity: {v:?}"))?;
        assert_eq!((form_valid, invalid), (json!(false), json!(true)));
        let said = said.as_str().unwrap_or_default().to_owned();
        assert!(!said.is_empty(), "a message for the empty field");
        assert_eq!(part(&host, "message").await?.text().await?, said, "shown on submit");

        // What was typed is sent as typed.
        number.send_keys("021 123 4567").await?;
        submit.click().await?;
        ctx.wait_until("the form is sent", || async { Ok(address().await?.contains('?')) }).await?;
        assert!(address().await?.ends_with("/embed/?phone=021+123+4567"), "{}", address().await?);
        ctx.client.wait().for_element(Locator::Css("phone-number-input[rules=failed]")).await?;

        // An element added later hears of the failure as an event, keeping its early value.
        let later = ctx
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const later = document.createElement('phone-number-input');
                 later.value = '09 264 5555';
                 later.addEventListener('phone-rules-error', (event) => done([
                   later.getAttribute('rules'), String(event.detail.error), later.value,
                   later.shadowRoot.querySelector('[part=number]').value]));
                 document.body.append(later);",
                vec![],
            )
            .await?;
        assert_eq!(later[0], json!("failed"));
        // The module that carries the wasm could not be loaded: the import says so.
        let error = later[1].as_str().unwrap_or_default();
        assert!(error.contains("dynamically imported module"), "{later}");
        assert_eq!([&later[2], &later[3]], [&json!("09 264 5555"), &json!("09 264 5555")]);
        Ok(())
    });
}

#[test]
fn a_value_set_before_the_rules_come_is_kept_and_read_once_they_do() {
    run(|ctx| async move {
        // The staff app's page has no validator of its own: the element, added to it, is the
        // first to ask for the rules, and its values are set before and while they load.
        ctx.open("/").await?;
        ctx.find("customer-search").await?;
        let found = ctx
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const element = document.createElement('script');
                 element.type = 'module';
                 element.src = '/embed/phone-number-input.js';
                 document.head.append(element);
                 customElements.whenDefined('phone-number-input').then(() => {
                   const make = (name) => {
                     const made = document.createElement('phone-number-input');
                     made.setAttribute('name', name);
                     return made;
                   };
                   const byAttribute = make('attribute');
                   byAttribute.setAttribute('value', '021 123 4567');
                   const byProperty = make('property');
                   byProperty.value = '09 264 5555';
                   const during = make('during');
                   const form = document.createElement('form');
                   form.append(byAttribute, byProperty, during);
                   document.body.append(form);
                   during.value = '+61 2 9374 4000';
                   const sent = () => [...new FormData(form)].map(([n, v]) => `${n}=${v}`).join('&');
                   const loading = [during.getAttribute('rules'), sent()];
                   const wait = () => during.rules === 'loading' ? setTimeout(wait, 20) : done([
                     ...loading, during.rules, sent(),
                     during.shadowRoot.querySelector('[part=country]').value]);
                   wait();
                 });",
                vec![],
            )
            .await?;
        assert_eq!(
            found,
            json!([
                "loading",
                "attribute=021 123 4567&property=09 264 5555&during=+61 2 9374 4000",
                "ready",
                "attribute=+64211234567&property=+6492645555&during=+61293744000",
                "Australia +61"
            ])
        );
        Ok(())
    });
}

#[test]
fn the_element_reads_a_pasted_number_sends_on_enter_and_takes_its_labels_focus() {
    run(|ctx| async move {
        ctx.open_page("/embed/").await?;
        let host =
            ctx.client.wait().for_element(Locator::Css("phone-number-input[rules=ready]")).await?;
        let (country, number) = (part(&host, "country").await?, part(&host, "number").await?);
        let key = |k: Key| char::from(k).to_string();

        // Marked for a browser filling in a saved address: the code and the national number,
        // each in its place (Chrome's autofill cannot be driven here; see the filled picker
        // below). The number reads left to right in any page.
        assert_eq!(country.attr("autocomplete").await?.as_deref(), Some("tel-country-code"));
        assert_eq!(number.attr("autocomplete").await?.as_deref(), Some("tel-national"));
        assert_eq!(number.attr("dir").await?.as_deref(), Some("ltr"));

        // The page's label puts the caret in the number, not the country.
        ctx.client.find(Locator::Css("label[for=tel]")).await?.click().await?;
        assert_eq!(focused_part(&ctx).await?, json!("number"));

        // Enter with nothing typed checks the form: nothing sent, the message shown.
        number.send_keys(&key(Key::Enter)).await?;
        assert_eq!(sent(&ctx).await?, "Nothing sent yet.");
        assert_eq!(part(&host, "message").await?.text().await?, "Enter the number.");

        // A browser filling the picker in, as autofill does (the value set, `input` and
        // `change` fired, the field not focused): a code chooses its country, and a whole
        // number — Chrome's old guess — goes into the number.
        let fill = |text: &str| {
            format!(
                "const picker = document.getElementById('tel').shadowRoot.querySelector('[part=country]');
                 picker.value = '{text}';
                 picker.dispatchEvent(new Event('input', {{ bubbles: true }}));
                 picker.dispatchEvent(new Event('change', {{ bubbles: true }}));"
            )
        };
        script(&ctx, &fill("61")).await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("Australia +61"));
        script(&ctx, &fill("+64")).await?;
        script(&ctx, &fill("0211234567")).await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("New Zealand +64"));
        assert_eq!(number.prop("value").await?.as_deref(), Some("0211234567"));
        let value = script(&ctx, "return document.getElementById('tel').value").await?;
        assert_eq!(value, json!("+64211234567"));

        // Pasted with Australia's code under New Zealand: Australia, grouped as it writes it.
        // (Headless Firefox has no clipboard here: there it is typed, in one stroke, and the
        // picker switches as the code is complete.)
        if ctx.browser == Browser::Chromium {
            let name = ctx.client.find(Locator::Css("#phoneName")).await?;
            name.send_keys("+61 2 9374 4000").await?;
            let (ctrl, null) = (key(Key::Control), key(Key::Null));
            name.send_keys(&format!("{ctrl}a{null}{ctrl}c{null}")).await?;
            retype(&number, &format!("{ctrl}v{null}")).await?;
        } else {
            retype(&number, "+61 2 9374 4000").await?;
        }
        assert_eq!(number.prop("value").await?.as_deref(), Some("+61 2 9374 4000"));
        assert_eq!(country.prop("value").await?.as_deref(), Some("Australia +61"));

        // Enter sends it, as in a plain field.
        number.send_keys(&key(Key::Enter)).await?;
        assert_eq!(sent(&ctx).await?, "Would send phone=+61293744000");

        // Digits in the picker: a shared code's main country first.
        country.click().await?;
        retype(&country, "1").await?;
        let shown = choices(&ctx).await?;
        assert_eq!(shown.first(), Some(&("United States +1".to_owned(), true)), "{shown:?}");
        // What people call a country, as the app's country field knows it.
        retype(&country, "England").await?;
        assert_eq!(choices(&ctx).await?, [("United Kingdom +44".to_owned(), true)]);
        retype(&country, &format!("44{}", key(Key::Enter))).await?;
        assert_eq!(country.prop("value").await?.as_deref(), Some("United Kingdom +44"));

        // In a French right-to-left page: French names, the code kept reading "+64".
        let french = script(
            &ctx,
            "const page = document.createElement('div');
             page.dir = 'rtl';
             page.lang = 'fr';
             page.innerHTML = '<phone-number-input country=\"+64\"></phone-number-input>';
             document.body.append(page);
             const picker = page.firstChild.shadowRoot.querySelector('[part=country]');
             const shown = [picker.value, getComputedStyle(picker).direction];
             page.remove();
             return shown;",
        )
        .await?;
        assert_eq!(french, json!(["Nouvelle-Zélande \u{200e}+64", "rtl"]));
        Ok(())
    });
}

#[test]
fn the_element_can_be_imported_where_there_is_no_browser() {
    // A server rendering pages imports it: nothing may run, fail or print at import.
    let element =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist/embed/phone-number-input.js");
    assert!(element.exists(), "{} is built by `cargo xtask embed`", element.display());
    let url = format!("file://{}", element.canonicalize().expect("a built element").display());
    let node = Command::new("node")
        .args(["-e", &format!("import({url:?}).then((m) => {{ if (!m.PhoneNumberInputElement) process.exit(3); }})")])
        .output()
        .expect("node runs (it is installed with the tools)");
    let said = [node.stdout, node.stderr].concat();
    assert!(node.status.success(), "node: {}\n{}", node.status, String::from_utf8_lossy(&said));
    assert_eq!(String::from_utf8_lossy(&said), "", "nothing printed");
}
