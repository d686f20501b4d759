//! The staff app arrives compressed and cached: the build's `.br` and `.gz` copies, chosen by
//! `Accept-Encoding`; content-hashed files kept for a year; the page and the validator's folder
//! revalidated, answering 304 when unchanged.

use reqwest::{Client, StatusCode, header};

use crate::server::{TestServer, write_file};

const SCRIPT: &str = "app-0123456789abcdef.js";

/// A built app in a folder: the page, a hashed script and the validator, each with stand-ins
/// for its compressed copies (what they hold is for the test to recognise, not to decode).
fn built_app() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    let page = "<!doctype html><title>Phonedesk</title>";
    for (name, text) in [("index.html", page), (SCRIPT, "export {}")] {
        write_file(dist.path(), name, text);
        write_file(dist.path(), &format!("{name}.br"), &format!("br of {name}"));
        write_file(dist.path(), &format!("{name}.gz"), &format!("gz of {name}"));
    }
    std::fs::create_dir(dist.path().join("embed")).unwrap();
    write_file(&dist.path().join("embed"), "phone_wasm.js", "export {}");
    write_file(&dist.path().join("embed"), "phone_wasm.js.br", "br of phone_wasm.js");
    dist
}

async fn fetch(root: &str, path: &str, encodings: &str) -> reqwest::Response {
    let request = Client::new().get(format!("{root}{path}"));
    let request = if encodings.is_empty() {
        request
    } else {
        request.header(header::ACCEPT_ENCODING, encodings)
    };
    request.send().await.unwrap()
}

fn header_of(answer: &reqwest::Response, name: header::HeaderName) -> String {
    answer.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn each_file_comes_as_the_browser_accepts_it_with_how_long_to_keep_it() {
    let dist = built_app();
    let server = TestServer::start_with(&["--app-dir", dist.path().to_str().unwrap()]).await;
    let root = &server.root;
    for (path, encodings, encoding, body, keep) in [
        (
            format!("/{SCRIPT}"),
            "gzip, deflate, br",
            "br",
            format!("br of {SCRIPT}"),
            "public, max-age=31536000, immutable",
        ),
        (
            format!("/{SCRIPT}"),
            "gzip",
            "gzip",
            format!("gz of {SCRIPT}"),
            "public, max-age=31536000, immutable",
        ),
        (
            format!("/{SCRIPT}"),
            "",
            "",
            "export {}".to_owned(),
            "public, max-age=31536000, immutable",
        ),
        ("/".to_owned(), "br", "br", "br of index.html".to_owned(), "no-cache"),
        ("/customers/123".to_owned(), "gzip", "gzip", "gz of index.html".to_owned(), "no-cache"),
        (
            "/embed/phone_wasm.js".to_owned(),
            "br, gzip",
            "br",
            "br of phone_wasm.js".to_owned(),
            "no-cache",
        ),
        ("/embed/phone_wasm.js".to_owned(), "gzip", "", "export {}".to_owned(), "no-cache"),
    ] {
        let answer = fetch(root, &path, encodings).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path} ({encodings})");
        assert_eq!(header_of(&answer, header::CONTENT_ENCODING), encoding, "{path} ({encodings})");
        assert_eq!(header_of(&answer, header::VARY), "accept-encoding", "{path}");
        assert_eq!(header_of(&answer, header::CACHE_CONTROL), keep, "{path}");
        assert!(!header_of(&answer, header::CONTENT_SECURITY_POLICY).is_empty(), "{path}");
        assert_eq!(answer.text().await.unwrap(), body, "{path} ({encodings})");
    }
    // A file the validator's folder lacks is missing, not the app's page.
    assert_eq!(fetch(root, "/embed/nothing.js", "").await.status(), StatusCode::NOT_FOUND);
    // The API's answers are never cached.
    let api = server.get("/customers").await;
    assert_eq!(header_of(&api, header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn a_repeat_visit_revalidates_the_page_and_gets_a_304() {
    let dist = built_app();
    let server = TestServer::start_with(&["--app-dir", dist.path().to_str().unwrap()]).await;
    let first = fetch(&server.root, "/", "br").await;
    let modified = header_of(&first, header::LAST_MODIFIED);
    assert!(!modified.is_empty(), "the page has a validator");
    let again = Client::new()
        .get(format!("{}/", server.root))
        .header(header::ACCEPT_ENCODING, "br")
        .header(header::IF_MODIFIED_SINCE, &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty(), "a 304 sends no body");
}
