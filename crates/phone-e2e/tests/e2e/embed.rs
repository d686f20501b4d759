//! The embeddable validator's demo page, served beside the app.

use fantoccini::Locator;
use phone_e2e::run;

#[test]
fn the_demo_shows_the_message_for_an_invalid_number_and_the_form_of_a_valid_one() {
    run(|ctx| async move {
        ctx.open_page("/embed/").await?;
        ctx.wait_until("the country list is filled", || async {
            Ok(ctx.client.find_all(Locator::Css("#countryCode option")).await?.len() > 200)
        })
        .await?;
        ctx.client.find(Locator::Css("#phoneName")).await?.send_keys("John").await?;
        let number = ctx.client.find(Locator::Css("#phoneNumber")).await?;
        number.send_keys("call me").await?;
        let error = ctx.client.find(Locator::Css("#phoneNumber-error")).await?;
        assert_eq!(error.text().await?, "PhoneNumber provided is invalid.");

        number.clear().await?;
        number.send_keys("0211234567").await?;
        ctx.wait_until("the valid number is shown", || async {
            Ok(ctx
                .client
                .find(Locator::Css("#result"))
                .await?
                .text()
                .await?
                .contains("+64 21 123 4567"))
        })
        .await?;
        ctx.screenshot("embed-demo").await?;
        Ok(())
    });
}
