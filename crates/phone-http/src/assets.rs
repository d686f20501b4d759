//! The built staff app (Trunk's `dist/`, with the embeddable validator in `dist/embed/`), as a
//! browser should get it: the build's own compressed copies (`NAME.br`, `NAME.gz`) picked by
//! `Accept-Encoding`, so no request costs compression work; files whose names carry the
//! build's content hash cached for a year; everything else (`index.html`, the validator's
//! folder) revalidated on every use, so a deploy is seen at once and a repeat visit costs a 304.
//! Unknown paths outside `/embed/` are the app's routes: `index.html` answers them.

use std::path::Path;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use tower::ServiceBuilder;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

use crate::headers;

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The app in `dir`, for every path the router does not otherwise answer.
pub fn app_files<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    let embed = ServeDir::new(dir.join("embed")).precompressed_br().precompressed_gzip();
    Router::new().nest_service("/embed", embed).fallback_service(files).layer(
        ServiceBuilder::new()
            // The pages' Content Security Policy allows their inline loaders by hash.
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                headers::content_security_policy(dir),
            ))
            .layer(axum::middleware::from_fn(cache_policy)),
    )
}

/// How long a browser may keep an answer, and that it differs by `Accept-Encoding`.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let keep = if hashed && response.status().is_success() { IMMUTABLE } else { REVALIDATE };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, keep);
    response
}

/// Whether a path names a file named by its content: `NAME-<hash>.EXT`, so another build of
/// different content has another name. Trunk writes its 64-bit hash in hex without leading
/// zeros (one name in sixteen has 15 digits); the plans file's name has 16.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = file.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && (12..=16).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_trunks_content_hashed_names_are_kept_for_a_year() {
        for hashed in [
            "/phonedesk-23ca847a9e4c1bc6.js",
            "/phonedesk-23ca847a9e4c1bc6_bg.wasm",
            "/main-6caf5c0569141068.css",
            "/boot-16aaeccd127992e.js",
            "/plans-b0c0059bb7cdd3dc.bin",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/customers/123",
            "/embed/phone_wasm.js",
            "/embed/phone_wasm_bg.wasm",
            "/phonedesk-23ca847a9e4.js",
            "/phonedesk-23ca847a9e4c1bc6x.js",
            "/phonedesk-23ca847a9e4c1bc6a.js",
            "/-23ca847a9e4c1bc6.js",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
