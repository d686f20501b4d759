//! Security headers: a Content Security Policy for the app's pages that allows no inline
//! script except by hash, and the headers every answer carries.

use std::path::Path;

use axum::http::HeaderValue;
use base64::{Engine, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};

/// The pages served with inline code that the policy must allow by hash: the app's shell
/// (Trunk writes its loader inline) and the validator's demo.
const PAGES: [&str; 2] = ["index.html", "embed/index.html"];

/// The Content Security Policy for the app in `app_dir`: scripts only from our origin, plus
/// WebAssembly and the pages' own inline `<script>` and `<style>` by their SHA-256.
pub fn content_security_policy(app_dir: &Path) -> HeaderValue {
    let mut scripts = String::new();
    let mut styles = String::new();
    for page in PAGES {
        let Ok(html) = std::fs::read_to_string(app_dir.join(page)) else {
            continue;
        };
        for code in inline_contents(&html, "script") {
            scripts.push_str(&format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(code))));
        }
        for code in inline_contents(&html, "style") {
            styles.push_str(&format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(code))));
        }
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII: quotes, names and base64")
}

/// The text inside each `<tag …>…</tag>` of `html` that has no `src` (inline code).
fn inline_contents<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(body_end) = body.find(&close) else {
            break;
        };
        if !attributes.contains(" src=") {
            found.push(&body[..body_end]);
        }
        rest = &body[body_end + close.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_code_is_found_and_sourced_scripts_are_not() {
        let html = "<head><script type=\"module\">run()</script><script src=\"/a.js\"></script>\
                    <style>p{}</style></head>";
        assert_eq!(inline_contents(html, "script"), ["run()"]);
        assert_eq!(inline_contents(html, "style"), ["p{}"]);
    }
}
