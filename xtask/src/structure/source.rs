//! What a module's source names: the children it declares and the paths into its crate it uses,
//! read from a few tokens rather than a parse, with comments, literals and test code left out.

/// What one module's source names.
#[derive(Debug)]
pub(super) struct Names {
    /// The children it declares with `mod x;` (not through `#[path]`, not under `#[cfg(test)]`).
    pub(super) children: Vec<String>,
    /// Every path it uses that starts with `crate`, `super` or `self`, as written
    /// (`["super", "super", "b"]`). (One starting with a child's name names the module's own
    /// part, which is never an import between peers.)
    pub(super) paths: Vec<Vec<String>>,
}

/// What `source` names, its test code left out.
pub(super) fn names(source: &str) -> Names {
    let code = without_tests(&strip(source));
    let toks = tokens(&code);
    let children = children(&toks);
    Names { paths: paths(&toks), children }
}

/// The source with comments and string and character literals blanked out, lines kept, so that
/// a `crate::` in them is not taken for a path.
fn strip(source: &str) -> String {
    let s: Vec<char> = source.chars().collect();
    let ident = |at: usize| s.get(at).is_some_and(|c| c.is_alphanumeric() || *c == '_');
    let find =
        |from: usize, needle: &[char]| (from..s.len()).find(|&at| s[at..].starts_with(needle));
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let raw_start = s[i] == 'r'
            && (i == 0
                || !ident(i - 1)
                || (matches!(s[i - 1], 'b' | 'c') && (i < 2 || !ident(i - 2))));
        let hashes = rest.iter().skip(1).take_while(|c| **c == '#').count();
        let literal_end = if rest.starts_with(&['/', '/']) {
            find(i, &['\n']).unwrap_or(s.len())
        } else if rest.starts_with(&['/', '*']) {
            block_comment_end(&s, i)
        } else if raw_start && rest.get(hashes + 1) == Some(&'"') {
            let closing: Vec<char> =
                std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            find(i + hashes + 2, &closing).map_or(s.len(), |at| at + closing.len())
        } else if s[i] == '"' {
            let mut at = i + 1;
            while at < s.len() && s[at] != '"' {
                at += if s[at] == '\\' { 2 } else { 1 };
            }
            (at + 1).min(s.len())
        } else if s[i] == '\'' && s.get(i + 1) == Some(&'\\') {
            find(i + 3, &['\'']).map_or(s.len(), |at| at + 1)
        } else if s[i] == '\'' && s.get(i + 2) == Some(&'\'') {
            i + 3
        } else {
            out.push(s[i]);
            i += 1;
            continue;
        };
        out.extend(s[i..literal_end].iter().map(|c| if *c == '\n' { '\n' } else { ' ' }));
        i = literal_end;
    }
    out
}

/// Just past the `*/` that closes the comment opened at `open`; block comments nest.
fn block_comment_end(s: &[char], open: usize) -> usize {
    let (mut depth, mut at) = (0, open);
    while at < s.len() {
        if s[at..].starts_with(&['/', '*']) {
            depth += 1;
            at += 2;
        } else if s[at..].starts_with(&['*', '/']) {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += 1;
        }
    }
    s.len()
}

/// The code with every item under `#[cfg(test)]` blanked out, lines kept.
fn without_tests(code: &str) -> String {
    let mut code = code.to_owned();
    while let Some(start) = code.find("#[cfg(test)]") {
        let end = item_end(code.as_bytes(), start + "#[cfg(test)]".len());
        let blank: String =
            code[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        code.replace_range(start..end, &blank);
    }
    code
}

/// Just past the end of the item that starts at `from`: its `;`, or the `}` closing its body.
/// An item inside a block ends at the latest where that block does.
fn item_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0;
    for (at, byte) in bytes.iter().enumerate().skip(from) {
        match byte {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b';' if depth == 0 => return at + 1,
            b'{' if depth == 0 => return closing_brace(bytes, at),
            b'}' if depth == 0 => return at,
            _ => {}
        }
    }
    bytes.len()
}

/// Just past the `}` that closes the `{` at `open`, or the end.
fn closing_brace(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (at, byte) in bytes.iter().enumerate().skip(open) {
        depth += match byte {
            b'{' => 1,
            b'}' => -1,
            _ => 0,
        };
        if depth == 0 {
            return at + 1;
        }
    }
    bytes.len()
}

/// Names, `::` and single punctuation, in order; whitespace dropped.
fn tokens(code: &str) -> Vec<&str> {
    let mut toks = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() || c == '_' {
            while let Some(&(at, next)) =
                chars.peek().filter(|(_, next)| next.is_alphanumeric() || *next == '_')
            {
                end = at + next.len_utf8();
                chars.next();
            }
        } else if c == ':' && chars.peek().is_some_and(|(_, next)| *next == ':') {
            chars.next();
            end += 1;
        } else if c.is_whitespace() {
            continue;
        }
        toks.push(&code[start..end]);
    }
    toks
}

/// Whether a token is a name (a keyword counts as one).
fn is_ident(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The children a module declares with `mod x;`, other than through `#[path]`.
fn children(toks: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for i in 1..toks.len().saturating_sub(1) {
        if toks[i - 1] == "mod" && toks[i + 1] == ";" {
            let attributes = toks[..i - 1]
                .iter()
                .rev()
                .skip_while(|t| ["pub", "(", ")", "crate", "super", "in"].contains(t));
            let mut attributes = attributes.take_while(|t| **t != ";" && **t != "}" && **t != "{");
            if !attributes.any(|t| *t == "path") {
                found.push(toks[i].to_owned());
            }
        }
    }
    found
}

/// Paths into the crate that code names: whole `use` trees, and paths in code, starting with
/// `crate`, `super` or `self`.
fn paths(toks: &[&str]) -> Vec<Vec<String>> {
    let inside = |path: &Vec<String>| {
        path.first().is_some_and(|first| ["crate", "super", "self"].contains(&first.as_str()))
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let previous = if i == 0 { "" } else { toks[i - 1] };
        if toks[i] == "use" {
            let mut trees = Vec::new();
            i += 1;
            use_tree(toks, &mut i, Vec::new(), &mut trees);
            found.extend(trees.into_iter().filter(inside));
        } else if previous != "::"
            && previous != "."
            && toks.get(i + 1) == Some(&"::")
            && is_ident(toks[i])
        {
            // A path in code: its segments run while `::` is followed by a name.
            let mut path = vec![toks[i].to_owned()];
            i += 1;
            while toks.get(i) == Some(&"::") && toks.get(i + 1).is_some_and(|t| is_ident(t)) {
                path.push(toks[i + 1].to_owned());
                i += 2;
            }
            if inside(&path) {
                found.push(path);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Reads one use tree at `toks[*i]`, pushing every full path it names onto `out`.
fn use_tree(toks: &[&str], i: &mut usize, mut path: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut want_name = true;
    while let Some(&tok) = toks.get(*i) {
        match tok {
            "::" => want_name = true,
            "{" if want_name => {
                *i += 1;
                while toks.get(*i).is_some_and(|t| *t != "}") {
                    let before = *i;
                    use_tree(toks, i, path.clone(), out);
                    if toks.get(*i) == Some(&",") || *i == before {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" if want_name => want_name = false,
            name if want_name && is_ident(name) => {
                path.push(name.to_owned());
                want_name = false;
            }
            _ => break,
        }
        *i += 1;
    }
    if toks.get(*i) == Some(&"as") {
        *i += 2;
    }
    if !path.is_empty() {
        out.push(path);
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[track_caller]
    fn assert_paths(source: &str, expected: &[&str]) {
        let found: Vec<String> = names(source).paths.iter().map(|path| path.join("::")).collect();
        assert_eq!(found, expected, "in {source}");
    }

    #[test]
    fn a_use_tree_gives_each_full_path_it_names() {
        let cases: &[(&str, &[&str])] = &[
            (
                "use crate::{a::{b, c::{self, D}}, e as f};",
                &["crate::a::b", "crate::a::c::self", "crate::a::c::D", "crate::e"],
            ),
            (
                "use crate::{\n    a,\n    b::{c, d},\n};",
                &["crate::a", "crate::b::c", "crate::b::d"],
            ),
            ("use super::super::g::H;", &["super::super::g::H"]),
            ("use self::h::*;", &["self::h"]),
            ("use super::*;", &["super"]),
            ("pub(crate) use super::X as Y;", &["super::X"]),
            ("mod kid; pub use kid::Z; use kid::{W, V as _};", &[]),
            ("use std::fmt; use phone_model::{plan, Page}; use ::kid::Q;", &[]),
        ];
        for (source, expected) in cases {
            assert_paths(source, expected);
        }
    }

    #[test]
    fn a_path_in_code_counts_and_a_method_or_foreign_path_does_not() {
        let cases: &[(&str, &[&str])] = &[
            ("fn f() { crate::i::j(); super::K::new(); }", &["crate::i::j", "super::K::new"]),
            (
                "fn f() -> Vec<crate::Row> { crate::store::sql::Row::<u8>::new() }",
                &["crate::Row", "crate::store::sql::Row"],
            ),
            ("mod kid; fn f() { kid::go(); list.kid::<u8>(); phone::kid::x(); Self::kid(); }", &[]),
            ("macro_rules! m { () => { $crate::m::n() }; }", &["crate::m::n"]),
            ("fn f(&self) -> usize { self.len() + self::LIMIT }", &["self::LIMIT"]),
        ];
        for (source, expected) in cases {
            assert_paths(source, expected);
        }
    }

    #[test]
    fn comments_and_literals_name_nothing() {
        let source = r###"
            //! crate::a in a module comment
            // use crate::b;
            /* crate::c /* nested crate::d */ crate::e */
            /// crate::f in an item comment
            fn f<'a>(name: &'a str) -> &'static str {
                let s = "crate::g \" crate::h";
                let raw = r#"crate::i "quoted" crate::j"#;
                let bytes = br"crate::k";
                let (quote, apostrophe, letter) = ('"', '\'', b'x');
                crate::real::call(s);
                "crate::l"
            }
        "###;
        assert_paths(source, &["crate::real::call"]);
    }

    #[test]
    fn test_code_is_left_out() {
        let source = "use super::Parent;
            mod kid;
            #[cfg(test)]
            mod tests {
                use super::*;
                use crate::other::{self, X};
                fn f() { crate::third::g() }
            }
            #[cfg(test)]
            mod fixtures;
            impl Parent {
                #[cfg(test)]
                pub(crate) fn helper(&self) -> usize { crate::fourth::h() }
            }
            #[cfg(any(test, feature = \"bench\"))]
            mod support;
            #[path = \"../../elsewhere/layout.rs\"]
            mod layout;
            fn after() { crate::fifth::i() }";
        let names = names(source);
        assert_eq!(names.children, ["kid", "support"]);
        let paths: Vec<String> = names.paths.iter().map(|path| path.join("::")).collect();
        assert_eq!(paths, ["super::Parent", "crate::fifth::i"]);
    }
}
