//! `cargo xtask structure`: the structure goals of issue 34, measured on every crate's sources.
//!
//! A circle is a set of modules of one crate that import each other (a strongly connected
//! component, found with Tarjan's algorithm). Module A imports module B when A's code, test code
//! left out, names B through `crate::`, `super::`, `self::` or a child's name (`b::X` is
//! `self::b::X`: how a path is written must not change the count); declaring a child (`mod b;`)
//! and re-exporting from one's own children (`pub use b::X;`) are not imports. A path counts as
//! the longest module it starts with: `crate::store::sql::Row` is `store::sql`.
//! A long file is a source file over 400 lines that does not say why at its top (see [`REASON`]).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use crate::{Result, root};

mod source;

/// Longer than this, a file says why at its top.
const MOST_LINES: usize = 400;
/// How many lines make a file's top, where its reason for being long is written.
const TOP_LINES: usize = 15;
/// What a comment among a long file's first lines says before its reason:
/// `// Over 400 lines: one table of every case, read top to bottom.`
const REASON: &str = "Over 400 lines:";

/// A module's path inside its crate: `[]` for the crate's root, `["store", "sql"]` for `store::sql`.
type ModPath = Vec<String>;

/// Prints the circles, the long files and the goals table; with `check`, fails unless both are none.
///
/// # Errors
/// When a source file cannot be read, or, with `check`, when a goal is not met.
pub(crate) fn run_structure(check: bool) -> Result {
    let root = root();
    let mut circles = Vec::new();
    println!("## Circles of modules importing each other\n");
    for (label, root_file) in crate_roots(&root)? {
        let modules = load(&root_file)?;
        let (names, edges) = graph(&modules);
        let found = circles_of(&edges);
        let found_sizes = sizes(found.iter().map(Vec::len));
        println!("{label}: {} modules, circles: {}{found_sizes}", names.len(), found.len());
        for circle in &found {
            println!("  circle of {}, each module with those it imports:", circle.len());
            for &module in circle {
                let inside = edges[module].iter().filter(|target| circle.contains(target));
                let inside: Vec<&str> = inside.map(|&target| names[target].as_str()).collect();
                println!("    {} -> {}", names[module], inside.join(", "));
            }
            let members: Vec<&str> = circle.iter().map(|&module| names[module].as_str()).collect();
            circles.push((format!("{label}: {}", members.join(", ")), circle.len()));
        }
    }
    println!("\n## Source files over {MOST_LINES} lines\n");
    let long = long_files(&root)?;
    for (file, lines, reason) in &long {
        match reason {
            Some(why) => println!("{file}: {lines} lines, because: {why}"),
            None => println!("{file}: {lines} lines, NO REASON AT ITS TOP"),
        }
    }
    let unexplained: Vec<_> = long.iter().filter(|(.., reason)| reason.is_none()).collect();
    let all_sizes = sizes(circles.iter().map(|(_, size)| *size));
    println!("\n| goal | target | today |\n|---|---|---|");
    println!(
        "| circles of modules importing each other, whole workspace | 0 | {}{all_sizes} |",
        circles.len()
    );
    println!(
        "| source files over {MOST_LINES} lines without a reason at their top | 0 | {} |",
        unexplained.len()
    );
    if !check || (circles.is_empty() && unexplained.is_empty()) {
        return Ok(());
    }
    let mut failures: Vec<String> =
        circles.into_iter().map(|(circle, _)| format!("circle in {circle}")).collect();
    failures.extend(unexplained.iter().map(|(file, lines, _)| {
        format!("{file}: {lines} lines and no `// {REASON} <why>` in its first {TOP_LINES} lines")
    }));
    Err(format!("the structure goals are not met:\n  {}", failures.join("\n  ")).into())
}

/// ` (40, 2)`: the sizes of some circles, or nothing when there are none.
fn sizes(sizes: impl Iterator<Item = usize>) -> String {
    let sizes: Vec<String> = sizes.map(|size| size.to_string()).collect();
    if sizes.is_empty() { String::new() } else { format!(" ({})", sizes.join(", ")) }
}

/// Every package of the workspace, by name: the staff app, `crates/*` and xtask.
fn packages(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    let name = manifest.lines().find_map(|line| line.strip_prefix("name = ")).ok_or("no name")?;
    let mut packages = vec![(name.trim_matches('"').to_owned(), root.to_path_buf())];
    let mut crates: Vec<_> = fs::read_dir(root.join("crates"))?.collect::<std::io::Result<_>>()?;
    crates.sort_by_key(|entry| entry.file_name());
    for entry in crates {
        packages.push((entry.file_name().to_string_lossy().into_owned(), entry.path()));
    }
    packages.push(("xtask".to_owned(), root.join("xtask")));
    Ok(packages)
}

/// Every crate root of the workspace's packages, with the name its circles are reported under.
fn crate_roots(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut roots = Vec::new();
    for (name, folder) in packages(root)? {
        let src = folder.join("src");
        let has_lib = src.join("lib.rs").is_file();
        if has_lib {
            roots.push((name.clone(), src.join("lib.rs")));
        }
        if src.join("main.rs").is_file() {
            // A binary beside a library is a crate of its own, whose `crate::` is not the library's.
            let label = if has_lib { format!("{name} (main.rs)") } else { name.clone() };
            roots.push((label, src.join("main.rs")));
        }
        for file in rust_files(&src.join("bin")) {
            let file_name =
                file.file_name().expect("a file has a name").to_string_lossy().into_owned();
            roots.push((format!("{name} (bin/{file_name})"), file));
        }
    }
    Ok(roots)
}

/// The sources of a crate's modules, found by following `mod x;` from its root; test modules and
/// `#[path]` modules are not followed.
fn load(root_file: &Path) -> Result<Vec<(ModPath, String)>> {
    let mut modules = Vec::new();
    let mut queue = vec![(ModPath::new(), root_file.to_path_buf())];
    while let Some((path, file)) = queue.pop() {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        // A crate root and a `mod.rs` keep their children beside them; `foo.rs` in `foo/`.
        let folder = if path.is_empty() || file.ends_with("mod.rs") {
            file.parent().expect("a file has a folder").to_path_buf()
        } else {
            file.with_extension("")
        };
        for child in source::names(&text).children {
            let candidates =
                [folder.join(format!("{child}.rs")), folder.join(&child).join("mod.rs")];
            if let Some(found) = candidates.into_iter().find(|candidate| candidate.is_file()) {
                queue.push(([path.as_slice(), &[child]].concat(), found));
            }
        }
        modules.push((path, text));
    }
    modules.sort();
    Ok(modules)
}

/// The modules' names (`crate`, `store::sql`) and, for each, the modules it imports.
fn graph(modules: &[(ModPath, String)]) -> (Vec<String>, Vec<BTreeSet<usize>>) {
    let index: BTreeMap<&[String], usize> =
        modules.iter().enumerate().map(|(i, (path, _))| (path.as_slice(), i)).collect();
    let names = modules
        .iter()
        .map(|(path, _)| if path.is_empty() { "crate".to_owned() } else { path.join("::") })
        .collect();
    let mut edges = vec![BTreeSet::new(); modules.len()];
    for (from, (own, text)) in modules.iter().enumerate() {
        for raw in source::names(text).paths {
            let Some(target) = resolve(own, &raw, |path| index.contains_key(path)) else {
                continue;
            };
            // A module's descendants are its parts: using them is the module tree, not an
            // import between peers (or a module and its parent would always be a circle).
            let own_descendant = target.len() > own.len() && target.starts_with(own);
            if target != *own && !own_descendant {
                edges[from].insert(index[target.as_slice()]);
            }
        }
    }
    (names, edges)
}

/// The module a path names from module `own`: the longest of its prefixes that is a module.
fn resolve(
    own: &[String],
    raw: &[String],
    is_module: impl Fn(&[String]) -> bool,
) -> Option<ModPath> {
    let (mut path, rest) = match raw.first()?.as_str() {
        "crate" => (ModPath::new(), &raw[1..]),
        "self" => (own.to_vec(), &raw[1..]),
        "super" => {
            let up = raw.iter().take_while(|segment| *segment == "super").count();
            (own[..own.len().checked_sub(up)?].to_vec(), &raw[up..])
        }
        _ => (own.to_vec(), raw),
    };
    // `self` inside braces (`use a::{self, B}`) names the path before the braces.
    for segment in rest.iter().filter(|segment| *segment != "self") {
        path.push(segment.clone());
        if !is_module(&path) {
            path.pop();
            break;
        }
    }
    Some(path)
}

/// The modules of each circle (strongly connected component of more than one), largest first.
fn circles_of(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct Tarjan<'a> {
        edges: &'a [BTreeSet<usize>],
        order: Vec<Option<usize>>,
        visited: usize,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        found: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            let order = self.visited;
            self.visited += 1;
            self.order[v] = Some(order);
            self.low[v] = order;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in self.edges[v].iter() {
                match self.order[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(w_order) if self.on_stack[w] => self.low[v] = self.low[v].min(w_order),
                    Some(_) => {}
                }
            }
            if self.low[v] == order {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort_unstable();
                    self.found.push(component);
                }
            }
        }
    }
    let n = edges.len();
    let mut tarjan = Tarjan {
        edges,
        order: vec![None; n],
        visited: 0,
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        found: Vec::new(),
    };
    for v in 0..n {
        if tarjan.order[v].is_none() {
            tarjan.visit(v);
        }
    }
    let mut found = tarjan.found;
    found.sort_by_key(|component| std::cmp::Reverse(component.len()));
    found
}

/// Every `.rs` file over the limit in a package's `src/` or `tests/`: its path from the root, its
/// lines, and the reason written at its top, if any.
fn long_files(root: &Path) -> Result<Vec<(String, usize, Option<String>)>> {
    let mut files: Vec<PathBuf> = packages(root)?
        .iter()
        .flat_map(|(_, folder)| [folder.join("src"), folder.join("tests")])
        .flat_map(|folder| rust_files(&folder))
        .collect();
    files.sort();
    let mut long = Vec::new();
    for file in files {
        let source = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let lines = source.lines().count();
        if lines > MOST_LINES {
            let relative =
                file.strip_prefix(root).expect("found under the root").display().to_string();
            long.push((relative, lines, reason(&source)));
        }
    }
    Ok(long)
}

/// The reason a file gives at its top for being long: `// Over 400 lines: <why>`.
fn reason(source: &str) -> Option<String> {
    source.lines().take(TOP_LINES).find_map(|line| {
        let (_, why) = line.trim_start().strip_prefix("//")?.split_once(REASON)?;
        Some(why.trim().to_owned()).filter(|why| !why.is_empty())
    })
}

/// The `.rs` files under `folder`, outside build output and installed packages.
fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else { return Vec::new() };
    let mut files = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        if path.is_dir() && !path.ends_with("target") && !path.ends_with("node_modules") {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{ModPath, circles_of, graph, reason, resolve};

    fn path(text: &str) -> ModPath {
        text.split("::").filter(|segment| !segment.is_empty()).map(str::to_owned).collect()
    }

    #[test]
    fn a_path_resolves_to_the_longest_module_it_starts_with() {
        let modules = ["", "store", "store::sql", "store::search", "store::search::tiers", "auth"];
        let is_module = |candidate: &[String]| modules.contains(&candidate.join("::").as_str());
        let cases = [
            ("store::search::tiers", "crate::store::sql::Row", "store::sql"),
            ("auth", "crate::store::Store", "store"),
            ("auth", "crate::AppState", ""),
            ("store::search::tiers", "super::super::sql::params", "store::sql"),
            ("store::search::tiers", "super::Ranked", "store::search"),
            ("store", "self::search::self", "store::search"),
            ("store", "sql::Sql", "store::sql"),
        ];
        for (own, raw, expected) in cases {
            let found = resolve(&path(own), &path(raw), is_module);
            assert_eq!(found, Some(path(expected)), "{raw} from {own}");
        }
        assert_eq!(resolve(&path("auth"), &path("super::super::x"), is_module), None);
    }

    #[test]
    fn circles_are_the_strongly_connected_components_of_more_than_one() {
        // 0 -> 1 -> 2 -> 0 and 3 <-> 4, joined by 2 -> 3; 5 imports itself only.
        let edges: Vec<BTreeSet<usize>> = [&[1][..], &[2], &[0, 3], &[4], &[3], &[5]]
            .iter()
            .map(|to| to.iter().copied().collect())
            .collect();
        assert_eq!(circles_of(&edges), [vec![0, 1, 2], vec![3, 4]]);
        let line: Vec<BTreeSet<usize>> =
            [&[1][..], &[2], &[]].iter().map(|to| to.iter().copied().collect()).collect();
        assert!(circles_of(&line).is_empty());
    }

    #[track_caller]
    fn assert_circles(modules: &[(&str, &str)], expected: &[&[&str]]) {
        let modules: Vec<(ModPath, String)> =
            modules.iter().map(|(name, source)| (path(name), (*source).to_owned())).collect();
        let (names, edges) = graph(&modules);
        let found: Vec<Vec<&str>> = circles_of(&edges)
            .iter()
            .map(|circle| circle.iter().map(|&module| names[module].as_str()).collect())
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_child_using_its_parent_is_no_circle_but_siblings_using_each_other_are() {
        let child = ("a", "use super::Root; pub struct Thing;");
        assert_circles(&[("", "mod a; pub use a::Thing; pub struct Root;"), child], &[]);
        assert_circles(&[("", "mod a; use a::Thing; pub struct Root;"), child], &[]);
        assert_circles(&[("", "mod a; fn f() { self::a::Thing; }"), child], &[]);
        let sibling = ("b", "use crate::a::Thing; pub struct Other;");
        let a = ("a", "use super::b::Other; pub struct Thing;");
        assert_circles(&[("", "mod a; mod b;"), a, sibling], &[&["a", "b"]]);
    }

    #[test]
    fn a_test_module_importing_everything_makes_no_circle() {
        let a =
            "pub struct Thing;\n#[cfg(test)]\nmod tests { use super::*; use crate::b::Helper; }";
        let modules =
            [("", "mod a; mod b;"), ("a", a), ("b", "use crate::a::Thing; pub struct Helper;")];
        assert_circles(&modules, &[]);
    }

    #[test]
    fn a_long_file_gives_its_reason_in_a_comment_at_its_top() {
        let at_top = "//! The store.\n//!\n//! Over 400 lines: one table of every case.\n";
        assert_eq!(reason(at_top).as_deref(), Some("one table of every case."));
        assert_eq!(reason("// Over 400 lines:   \nfn f() {}"), None);
        assert_eq!(reason("const WHY: &str = \"Over 400 lines: no\";"), None);
        let too_low = format!("{}// Over 400 lines: too far down.\n", "\n".repeat(15));
        assert_eq!(reason(&too_low), None);
    }
}
