//! `cargo xtask sizes`: what the staff app's wasm is made of, item by item and crate by crate,
//! from a release build that keeps its function names (the one Trunk ships strips them).

use std::collections::BTreeMap;

use crate::{
    Result,
    process::{command, output, run},
    root,
    sizes::kb,
};

/// The twiggy release whose output this reads (its JSON of `top`).
const TWIGGY_VERSION: &str = "0.8.0";

/// How many of the largest items, and of the most duplicated generic functions, to print.
const TOP_ITEMS: usize = 30;
const TOP_MONOS: &str = "15";

/// One item of the wasm (a function, a data segment, a table) as twiggy names and sizes it.
struct Item {
    name: String,
    bytes: usize,
}

/// Builds the staff app as Trunk does, but keeping the name section, and prints its largest
/// items, each crate's share and the generic functions compiled most often.
///
/// # Errors
/// When the build, wasm-bindgen, wasm-opt or twiggy fails.
pub(crate) fn run_sizes() -> Result {
    ensure_twiggy()?;
    let named = named_build()?;
    let items = items(&named)?;
    let shipped: usize = items.iter().map(|item| item.bytes).sum();
    println!("The staff app's wasm, names kept: {} as shipped (before compression)\n", kb(shipped));
    println!("{:>10} {:>6}  largest items", "bytes", "share");
    for item in items.iter().take(TOP_ITEMS) {
        println!("{:>10} {:>5.1}%  {}", item.bytes, percent(item.bytes, shipped), item.name);
    }
    println!("\n{:>10} {:>6}  by crate", "bytes", "share");
    for (owner, bytes) in by_crate(&items) {
        println!("{bytes:>10} {:>5.1}%  {owner}", percent(bytes, shipped));
    }
    println!("\nGeneric functions compiled most often (twiggy monos):");
    run(command("twiggy", &["monos", "--only-generics", "-m", TOP_MONOS, &named]))
}

fn ensure_twiggy() -> Result {
    let found = output("twiggy", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(TWIGGY_VERSION) {
        return Ok(());
    }
    eprintln!("installing twiggy {TWIGGY_VERSION}: about 2 minutes on 2 cores, once");
    run(command("cargo", &["install", "--locked", "twiggy", "--version", TWIGGY_VERSION]))
}

/// The app's wasm as `trunk build --release` makes it (the size profile, wasm-bindgen, then
/// `wasm-opt -Oz`), with `-g` so that wasm-opt keeps the names. Its path.
fn named_build() -> Result<String> {
    let build = ["build", "--package", "phonedesk", "--target", "wasm32-unknown-unknown"];
    run(command("cargo", &[&build[..], &["--profile", "wasm-release"]].concat()))?;
    let out = root().join("target/sizes");
    let out = out.to_str().ok_or("the target folder's path is not UTF-8")?;
    let linked = root().join("target/wasm32-unknown-unknown/wasm-release/phonedesk.wasm");
    let linked = linked.to_str().ok_or("the target folder's path is not UTF-8")?;
    run(command("wasm-bindgen", &["--target", "web", "--keep-debug", "--out-dir", out, linked]))?;
    let named = format!("{out}/named.wasm");
    let bound = format!("{out}/phonedesk_bg.wasm");
    let features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int"];
    run(command("wasm-opt", &[&["-Oz", "-g"], &features[..], &["-o", &named, &bound]].concat()))?;
    Ok(named)
}

/// Every item twiggy sees, largest first, without the custom sections a shipped build drops
/// (the names, the producers).
fn items(wasm: &str) -> Result<Vec<Item>> {
    let json = output("twiggy", &["top", "-n", "1000000", "-f", "json", wasm])
        .ok_or("twiggy top failed")?;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json)?;
    let mut items: Vec<Item> = rows
        .iter()
        .filter_map(|row| {
            let name = row.get("name")?.as_str()?.to_owned();
            let bytes = usize::try_from(row.get("shallow_size")?.as_u64()?).ok()?;
            Some(Item { name, bytes })
        })
        .filter(|item| !item.name.contains("subsection") && !item.name.starts_with("custom"))
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.bytes));
    Ok(items)
}

/// The items' bytes summed by the crate each belongs to, largest first.
fn by_crate(items: &[Item]) -> Vec<(String, usize)> {
    let mut sums = BTreeMap::<String, usize>::new();
    for item in items {
        *sums.entry(crate_of(&item.name)).or_default() += item.bytes;
    }
    let mut sums: Vec<_> = sums.into_iter().collect();
    sums.sort_by_key(|&(_, bytes)| std::cmp::Reverse(bytes));
    sums
}

/// The crate an item's code came from: a path's first segment; for `<T as Trait>::f`, `T`'s
/// crate, or the trait's when `T` is a type parameter or a primitive (`<F as
/// leptos_router::ChooseView>::choose` is the router's; `<f64 as core::fmt::Display>` core's).
fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(data: constants, strings, plans)".to_owned();
    }
    if name.starts_with("func[") {
        return "(functions without a name)".to_owned();
    }
    let Some(qualified) = name.strip_prefix('<') else {
        return path_crate(name).unwrap_or_else(|| "(wasm structure: tables, types)".to_owned());
    };
    let (self_type, rest) = split_as(qualified);
    path_crate(self_type)
        .or_else(|| path_crate(rest))
        .unwrap_or_else(|| "(wasm structure: tables, types)".to_owned())
}

/// `T as Trait>::f` split at its top-level ` as `: `T`, then `Trait>::f`.
fn split_as(qualified: &str) -> (&str, &str) {
    let mut depth = 0_i32;
    for (at, c) in qualified.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ' ' if depth == 0 && qualified[at..].starts_with(" as ") => {
                return (&qualified[..at], &qualified[at + 4..]);
            }
            _ => {}
        }
    }
    (qualified, "")
}

/// The first segment of a path (`tachys` of `tachys::view::Render`, `core` of
/// `core[c5930c85]::fmt`), after any reference or pointer; `None` when it is not a path.
fn path_crate(path: &str) -> Option<String> {
    let mut path = path.trim_start();
    for prefix in ["&", "mut ", "*const ", "*mut ", "dyn ", "[", "("] {
        while let Some(rest) = path.strip_prefix(prefix) {
            path = rest.trim_start();
        }
    }
    let end = path.find("::")?;
    let first = &path[..end];
    let first = first.split('[').next().unwrap_or(first);
    let is_name = !first.is_empty() && first.chars().all(|c| c.is_alphanumeric() || c == '_');
    is_name.then(|| first.to_owned())
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn an_item_belongs_to_its_types_crate_or_else_its_traits() {
        let cases = [
            ("phonedesk::main::h241e39b2b04228c2", "phonedesk"),
            (
                "<F as leptos_router::matching::choose_view::ChooseView>::choose::h1",
                "leptos_router",
            ),
            ("<f64 as core[c5930c85a12de822]::fmt::Display>::fmt", "core"),
            (
                "<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::x",
                "serde_json",
            ),
            ("tachys::reactive_graph::<impl tachys::view::Render for F>::build", "tachys"),
            (
                "<dlmalloc[e24a2770]::dlmalloc::Dlmalloc<dlmalloc[e24a2770]::sys::System>>::malloc",
                "dlmalloc",
            ),
        ];
        for (name, owner) in cases {
            assert_eq!(crate_of(name), owner, "{name}");
        }
        assert!(crate_of("data segment \".rodata.47\"").starts_with("(data"));
        assert!(crate_of("elem[0]").starts_with("(wasm structure"));
    }
}
