//! What a person's browser does: the time from navigation to a customer's phone list on screen,
//! and validations per second of the embeddable module against libphonenumber-js's
//! `isValidPhoneNumber` on the same numbers, both in headless Chromium (through the end-to-end
//! harness: the release app, a real server, a signed-in editor).

use std::sync::{Arc, Mutex};

use serde_json::Value;

/// How many times the customer page is opened for the median: enough that one slow load
/// does not move it.
const LOADS: usize = 21;

/// Runs the measurements; returns Markdown lines.
pub fn measure() -> Vec<String> {
    let rows = Arc::new(Mutex::new(Vec::new()));
    let found = Arc::clone(&rows);
    // The harness makes its own runtime: run it on a thread of its own.
    std::thread::spawn(move || {
        phone_e2e::run(|ctx| async move {
            let customer = ctx.customer_id("John")?;
            let mut painted = Vec::new();
            for _ in 0..LOADS {
                ctx.open(&format!("/customers/{customer}")).await?;
                ctx.find("phone-numbers").await?;
                let mut at = Value::Null;
                for _ in 0..50 {
                    at = ctx
                        .client
                        .execute("const m = performance.getEntriesByName('phone-list-painted'); return m.length ? m[0].startTime : null;", vec![])
                        .await?;
                    if !at.is_null() {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                painted.push(at.as_f64().ok_or("the list was never marked as painted")?);
            }
            painted.sort_by(f64::total_cmp);
            // The last load was a repeat visit: what did the app's own files cost on the wire?
            let repeat = ctx.client.execute(REPEAT_BYTES, vec![]).await?;
            let (bytes, files) = (repeat["bytes"].as_f64().unwrap_or(-1.0), repeat["files"].as_u64().unwrap_or(0));
            let speed = ctx.client.execute_async(SPEED, vec![]).await?;
            if let Some(error) = speed.get("error") {
                return Err(format!("the speed page failed: {error}").into());
            }
            let rate = |name: &str| speed[name].as_f64().unwrap_or(0.0);
            let (validate, is_valid) = (rate("validate"), rate("isValid"));
            let (max, min) = (rate("max").max(1.0), rate("min").max(1.0));
            let mut rows = found.lock().expect("no panic holding the rows");
            rows.extend([
                "## In headless Chromium".to_owned(),
                String::new(),
                "| measure | value |".to_owned(),
                "|---|---|".to_owned(),
                format!(
                    "| navigation to the phone list painted (customer page, {LOADS} loads) | median {:.0} ms, worst {:.0} ms |",
                    painted[painted.len() / 2],
                    painted[painted.len() - 1]
                ),
                format!("| a repeat visit (the last of those loads): the app's files on the wire, the API's answers not counted | {bytes:.0} bytes, {files} files |"),
                format!("| `validatePhoneNumber` (our module, every region), validations/s | {validate:.0} |"),
                format!("| `isValidNumber` (our module, every region), validations/s | {is_valid:.0} |"),
                format!("| libphonenumber-js 1.13.16 max `isValidPhoneNumber`, validations/s | {max:.0} |"),
                format!("| libphonenumber-js 1.13.16 min `isValidPhoneNumber`, validations/s | {min:.0} |"),
                format!("| `validatePhoneNumber` ÷ libphonenumber-js max (min) | {:.2}× ({:.2}×) |", validate / max, validate / min),
                format!("| `isValidNumber` ÷ libphonenumber-js max (min) | {:.2}× ({:.2}×) |", is_valid / max, is_valid / min),
            ]);
            Ok(())
        });
    })
    .join()
    .expect("the browser measurements finish");
    Arc::try_unwrap(rows).map(|m| m.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The bytes the page's navigation and its resources took on the wire (headers included, 0 for
/// a file the cache answered), leaving out the API and sign-in calls, which are data.
const REPEAT_BYTES: &str = r#"
const app = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .filter((entry) => !/^\/(CustomerServices|auth)\//.test(new URL(entry.name).pathname));
return { bytes: app.reduce((sum, entry) => sum + entry.transferSize, 0), files: app.length };
"#;

/// Runs both validators on the same eight numbers for a second each: our module's two calls,
/// and libphonenumber-js's `isValidPhoneNumber` with its max and min metadata (each bundle
/// defines the global `libphonenumber`, so they load one after the other).
const SPEED: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const module = await import('/embed/phone_wasm.js');
  await module.default();
  const load = (name) => new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `/bench/${name}`;
    script.onload = () => resolve(window.libphonenumber);
    script.onerror = () => reject(`${name} did not load`);
    document.head.appendChild(script);
  });
  const numbers = [
    ['+64', 'NZ', '09', '264 5555'], ['+64', 'NZ', '', '021 123 4567'], ['+61', 'AU', '', '0412 345 678'],
    ['+61', 'AU', '02', '9876 5432'], ['+64', 'NZ', '', '0800 123 456'], ['+44', 'GB', '', '020 7946 0000'],
    ['+64', 'NZ', '', 'call me'], ['+64', 'NZ', '', '09 064 5555'],
  ];
  const ours = numbers.map(([countryCode, , areaCode, phoneNumber]) =>
    ({ phoneName: 'Bench', countryCode, areaCode, phoneNumber, phoneType: 'home', isPrimary: true }));
  const theirs = numbers.map(([, country, area, number]) => [`${area ? area + ' ' : ''}${number}`, country]);
  const rate = (run) => {
    for (let i = 0; i < 2000; i++) run(i % numbers.length);
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < 1000) {
      for (let i = 0; i < numbers.length; i++) run(i);
      count += numbers.length;
    }
    return count / ((performance.now() - start) / 1000);
  };
  const flat = numbers.map(([countryCode, , area, number]) => [countryCode, `${area ? area + ' ' : ''}${number}`]);
  const validate = rate((i) => module.validatePhoneNumber(ours[i]));
  const isValid = rate((i) => module.isValidNumber(flat[i][0], flat[i][1]));
  const max = await load('libphonenumber-max.js');
  const maxRate = rate((i) => max.isValidPhoneNumber(theirs[i][0], theirs[i][1]));
  const min = await load('libphonenumber-min.js');
  const minRate = rate((i) => min.isValidPhoneNumber(theirs[i][0], theirs[i][1]));
  done({ validate, isValid, max: maxRate, min: minRate });
})().catch((error) => done({ error: String(error) }));
"#;
