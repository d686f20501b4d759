//! A search statement being written: its text and parameters, numbered in the order the text
//! first uses them (as both engines read `$n`), and the conditions each engine's text index
//! answers.

use super::super::customer_filter::CustomerFilter;
use super::super::sql::{Dialect, Param};

/// What a customer's document (`s.document`) must hold: for each group, one of its texts
/// (found through the trigram index, so each at least three characters), and each of
/// `letters` at a word's start (checked on the candidates only: no index finds one letter).
#[derive(Debug, Default, Clone)]
pub(super) struct Holds {
    pub groups: Vec<Vec<String>>,
    pub letters: Vec<String>,
}

impl Holds {
    /// Whether the index can find candidates for it.
    pub fn is_searchable(&self) -> bool {
        !self.groups.is_empty()
    }
}

#[derive(Debug)]
enum Arg {
    Text(String),
    Int(i64),
    Null,
}

#[derive(Debug)]
pub(super) struct Statement {
    dialect: Dialect,
    args: Vec<Arg>,
}

impl Statement {
    pub fn new(dialect: Dialect) -> Self {
        Self { dialect, args: Vec::new() }
    }

    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    /// A text parameter (`NULL` for `None`); its placeholder.
    pub fn text(&mut self, text: impl Into<Option<String>>) -> String {
        self.arg(text.into().map_or(Arg::Null, Arg::Text))
    }

    /// An integer parameter; its placeholder.
    pub fn int(&mut self, value: i64) -> String {
        self.arg(Arg::Int(value))
    }

    pub fn params(&self) -> Vec<Param<'_>> {
        self.args
            .iter()
            .map(|arg| match arg {
                Arg::Text(text) => Param::Text(text),
                Arg::Int(value) => Param::Int(*value),
                Arg::Null => Param::Null,
            })
            .collect()
    }

    /// The condition that the document `holds` and, when given, not `unless` (a better tier,
    /// whose letters are the same or stricter): through the text index.
    pub fn document(&mut self, holds: &Holds, unless: Option<&Holds>) -> String {
        let condition = match self.dialect {
            // One FTS5 query: each text a phrase of trigrams.
            Dialect::Sqlite => {
                let query = |holds: &Holds| {
                    let any = |texts: &Vec<String>| {
                        let phrases: Vec<String> =
                            texts.iter().map(|t| format!("\"{t}\"")).collect();
                        format!("({})", phrases.join(" OR "))
                    };
                    holds.groups.iter().map(any).collect::<Vec<_>>().join(" AND ")
                };
                let query = match unless.filter(|u| u.is_searchable()) {
                    Some(unless) => format!("({}) NOT ({})", query(holds), query(unless)),
                    None => query(holds),
                };
                format!("s.document MATCH {}", self.text(query))
            }
            // LIKE, which pg_trgm's GIN index answers.
            Dialect::Postgres => {
                let holds_sql = self.likes(holds);
                match unless.filter(|u| u.is_searchable()) {
                    Some(unless) => format!("{holds_sql} AND NOT ({})", self.likes(unless)),
                    None => holds_sql,
                }
            }
        };
        let mut all = vec![condition];
        for letter in &holds.letters {
            all.push(format!("s.document LIKE {}", self.text(format!("% {letter}%"))));
        }
        all.join(" AND ")
    }

    fn likes(&mut self, holds: &Holds) -> String {
        let mut all = Vec::new();
        for texts in &holds.groups {
            let any: Vec<String> = texts
                .iter()
                .map(|t| format!("s.document LIKE {}", self.text(format!("%{t}%"))))
                .collect();
            all.push(format!("({})", any.join(" OR ")));
        }
        all.join(" AND ")
    }

    /// The conditions of `filter` and the caller's businesses (`within`) on customers `c`.
    pub fn filters(&mut self, filter: &CustomerFilter, within: Option<&str>) -> String {
        let business = self.text(filter.business_id.clone());
        let reference = self.text(filter.external_reference.clone());
        let within = self.text(within.map(str::to_owned));
        let n = self.args.len();
        format!(
            "(CAST({business} AS TEXT) IS NULL OR c.business_id = {business})
             AND (CAST({reference} AS TEXT) IS NULL OR c.external_reference = {reference})
             AND (CAST({within} AS TEXT) IS NULL OR c.business_id IN ({}))",
            self.dialect.json_strings(n)
        )
    }
}
