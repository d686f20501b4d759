//! The page holds still while it loads: what a person is about to tap does not move when the
//! app learns who is signed in or when the numbers arrive.

use phone_e2e::run;

/// The cumulative layout shift so far (shifts a person caused by typing or clicking are not
/// counted), through the browser's own layout-shift entries; `null` in a browser without them
/// (Firefox).
const LAYOUT_SHIFT: &str = r#"
const done = arguments[arguments.length - 1];
if (!PerformanceObserver.supportedEntryTypes.includes('layout-shift')) { done(null); return; }
let total = 0;
const moved = [];
const name = (node) => node ? `${node.nodeName}.${node.className || ''}[${node.dataset?.testid || ''}]` : '?';
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    total += entry.value;
    for (const source of entry.sources || []) {
      const [a, b] = [source.previousRect, source.currentRect];
      moved.push(`${name(source.node)} ${entry.value.toFixed(4)} from ${a.y},${a.height} to ${b.y},${b.height}`);
    }
  }
});
observer.observe({ type: 'layout-shift', buffered: true });
setTimeout(() => { observer.disconnect(); done([total, moved.join('; ')]); }, 200);
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
            let measured = ctx.client.execute_async(LAYOUT_SHIFT, vec![]).await?;
            let Some(shift) = measured[0].as_f64() else {
                // Firefox measures no layout shifts: this is Chromium's to check.
                assert_eq!(ctx.browser, phone_e2e::Browser::Firefox, "no layout shift figure");
                return Ok(());
            };
            assert!(
                shift < 0.01,
                "the page moved as it loaded: cumulative layout shift {shift}, of {}",
                measured[1]
            );
        }
        Ok(())
    });
}

/// The links and buttons of the page that stand alone (not a link within a sentence), each
/// as (its text or label, its height in CSS pixels).
const CONTROLS: &str = r#"
return [...document.querySelectorAll('main button, main .button, main .number__dial, main .customer > a, main .breadcrumb a, .masthead a, .masthead button')]
  .filter((element) => element.offsetParent !== null)
  .map((element) => [element.getAttribute('aria-label') || element.textContent.trim(), element.getBoundingClientRect().height]);
"#;

#[test]
fn on_a_phone_the_header_is_compact_and_every_control_is_a_fingers_width() {
    run(|ctx| async move {
        ctx.client.set_window_size(390, 844).await?;
        let customer = ctx.customer_id("Liam")?;
        ctx.open(&format!("/customers/{customer}")).await?;
        ctx.find("make-primary").await?;
        let header = ctx
            .client
            .execute("return document.querySelector('.masthead').getBoundingClientRect().height / window.innerHeight", vec![])
            .await?;
        let header = header.as_f64().ok_or("no header height")?;
        assert!(header <= 0.15, "the header takes {:.0}% of the screen", header * 100.0);
        let controls = ctx.client.execute(CONTROLS, vec![]).await?;
        let controls = controls.as_array().ok_or("no controls")?;
        assert!(controls.len() >= 5, "{controls:?}");
        for control in controls {
            let height = control[1].as_f64().unwrap_or(0.0);
            assert!(height >= 44.0, "{} is {height} px tall", control[0]);
        }
        // Each number row in the same order: what it is, the number, the actions.
        let rows = ctx
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=phone-number]')].map((row) => {
                   const top = (selector) => row.querySelector(selector)?.getBoundingClientRect().top ?? -1;
                   return [top('.number__type'), top('.number__dial'), top('.number__actions')];
                 });",
                vec![],
            )
            .await?;
        // (At a phone's width: Firefox's headless window is never narrower than 500 px, where
        // a row keeps its wide layout.)
        let width = ctx.client.execute("return window.innerWidth", vec![]).await?;
        if width.as_f64().is_some_and(|w| w <= 480.0) {
            for row in rows.as_array().ok_or("no rows")? {
                let [kind, number, actions] = [0, 1, 2].map(|i| row[i].as_f64().unwrap_or(-1.0));
                assert!(kind < number && number < actions, "a row out of order: {row}");
            }
        } else {
            assert_eq!(ctx.browser, phone_e2e::Browser::Firefox, "Chromium is 390 px wide here");
        }
        // The sign-in page's password box matches the username box.
        ctx.find("sign-out").await?.click().await?;
        ctx.find("sign-in-form").await?;
        let same = ctx
            .client
            .execute(
                "const style = (id) => { const s = getComputedStyle(document.querySelector(`[data-testid=${id}]`));
                   return [s.borderTopWidth, s.borderTopStyle, s.paddingTop, s.height, s.width].join(' '); };
                 return [style('username'), style('password')];",
                vec![],
            )
            .await?;
        assert_eq!(same[0], same[1], "username and password boxes differ");
        Ok(())
    });
}
