//! The page holds still while it loads: what a person is about to tap does not move when the
//! app learns who is signed in or when the numbers arrive.

use phone_e2e::run;

/// The cumulative layout shift so far (shifts a person caused by typing or clicking are not
/// counted), through the browser's own layout-shift entries.
const LAYOUT_SHIFT: &str = r#"
const done = arguments[arguments.length - 1];
let total = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
});
observer.observe({ type: 'layout-shift', buffered: true });
setTimeout(() => { observer.disconnect(); done(total); }, 200);
"#;

#[test]
fn a_customers_page_on_a_phone_sized_screen_does_not_move_as_it_loads() {
    run(|ctx| async move {
        // A phone's width, where the masthead wraps and the session takes a line of its own.
        ctx.client.set_window_size(412, 823).await?;
        let customer = ctx.customer_id("John")?;
        for _ in 0..3 {
            ctx.open(&format!("/customers/{customer}")).await?;
            ctx.find("phone-numbers").await?;
            ctx.find("edit").await?;
            ctx.find("signed-in-as").await?;
            ctx.find("history").await?;
            let shift = ctx.client.execute_async(LAYOUT_SHIFT, vec![]).await?;
            let shift = shift.as_f64().ok_or("no layout shift figure")?;
            assert!(shift < 0.01, "the page moved as it loaded: cumulative layout shift {shift}");
        }
        Ok(())
    });
}
