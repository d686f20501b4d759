//! Finding customers (the `search` extension of `GET /customers`): the documents and reversed
//! digits kept for it, and the query. What matches, and how well, is the core's
//! (`phone_model::search`); the database's own text index finds the candidates (SQLite FTS5 with
//! trigrams, PostgreSQL's `pg_trgm`), and a B-tree the numbers, so no search reads every row.

use phone_model::{
    CustomerQuery, CustomerResource, MatchRank, PageSize, customer_document, match_rank,
    reversed_digits, typo_anchors,
};

use super::customers::{CustomerFilter, customer_from};
use super::sql::{Dialect, Param, Sql, params};
use super::{Page, StoreError, page};

/// A result's place in the order: its rank times this, plus its `seq`. Results come best rank
/// first, oldest first within a rank, and a page's cursor is the last place shown.
const RANK_STEP: i64 = 1 << 40;

/// The most candidates a search for typos reads; it answers one page, never "more".
const TYPO_CANDIDATES: i64 = 500;

/// The setting a migration leaves when the documents and digits must be made again.
const STALE: &str = "search_index_stale";

/// Makes (or makes again) customer `seq`'s document.
pub(super) fn put_document(db: &mut dyn Sql, seq: i64, document: &str) -> Result<(), StoreError> {
    let key = db.dialect().search_key();
    db.execute(&format!("DELETE FROM customer_search WHERE {key} = $1"), params![seq])?;
    db.execute(
        &format!("INSERT INTO customer_search ({key}, document) VALUES ($1, $2)"),
        params![seq, document],
    )?;
    Ok(())
}

/// Makes again the documents of the customers of `business_id` (of all when `None`), after
/// the business was renamed or the database was copied or migrated.
pub(super) fn remake_documents(
    db: &mut dyn Sql,
    business_id: Option<&str>,
) -> Result<(), StoreError> {
    let mut after = 0;
    loop {
        let rows = db.rows(
            "SELECT c.seq, c.first_name, c.last_name, c.external_reference, c.customer_id, b.name
             FROM customers c JOIN businesses b USING (business_id)
             WHERE c.seq > $1 AND (CAST($2 AS TEXT) IS NULL OR c.business_id = $2)
             ORDER BY c.seq LIMIT 1000",
            params![after, business_id],
        )?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.int(0)?;
        for row in &rows {
            let document = customer_document(
                &row.text(1)?,
                &row.text(2)?,
                &row.text(3)?,
                &row.text(4)?,
                &row.text(5)?,
            );
            put_document(db, row.int(0)?, &document)?;
        }
    }
}

/// Makes every document and every number's reversed digits when a migration asked for it
/// (the folding rules are the core's, so SQL cannot): run in the transaction that migrates.
pub(super) fn remake_if_stale(db: &mut dyn Sql) -> Result<(), StoreError> {
    if db.optional_row("SELECT 1 FROM settings WHERE name = $1", params![STALE])?.is_none() {
        return Ok(());
    }
    remake_documents(db, None)?;
    let mut after = 0;
    loop {
        let rows = db.rows(
            "SELECT seq, duplicate_key FROM phone_numbers WHERE seq > $1 ORDER BY seq LIMIT 1000",
            params![after],
        )?;
        let Some(last) = rows.last() else { break };
        after = last.int(0)?;
        for row in &rows {
            db.execute(
                "UPDATE phone_numbers SET digits_reversed = $1 WHERE seq = $2",
                params![reversed_digits(&row.text(1)?).as_str(), row.int(0)?],
            )?;
        }
    }
    db.execute("DELETE FROM settings WHERE name = $1", params![STALE])?;
    Ok(())
}

/// One page of the customers matching `query` within `filter` and the caller's businesses
/// (`within`, see `store::within`), best first: exact, prefix and substring matches, then, on
/// a first page with room left, those one typo away.
pub(super) fn search(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
    after: i64,
    size: PageSize,
) -> Result<Page<CustomerResource>, StoreError> {
    let mut found = ranked(db, query, filter, within, after, size)?;
    if after != 0 || found.next_after.is_some() || query.words.is_empty() {
        return Ok(found);
    }
    let room = size.get() as usize - found.items.len();
    let typos = with_typos(db, query, filter, within)?;
    found.items.extend(typos.into_iter().take(room));
    Ok(found)
}

/// A statement being written, with its parameters numbered in the order they first appear.
struct Statement {
    text: String,
    args: Vec<Arg>,
}

#[derive(Debug)]
enum Arg {
    Text(String),
    Int(i64),
    Null,
}

impl Statement {
    fn new() -> Self {
        Self { text: String::new(), args: Vec::new() }
    }

    /// Adds a parameter; its placeholder.
    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn text(&mut self, text: impl Into<Option<String>>) -> String {
        self.arg(text.into().map_or(Arg::Null, Arg::Text))
    }

    fn params(&self) -> Vec<Param<'_>> {
        self.args
            .iter()
            .map(|arg| match arg {
                Arg::Text(text) => Param::Text(text),
                Arg::Int(value) => Param::Int(*value),
                Arg::Null => Param::Null,
            })
            .collect()
    }

    /// The condition that a customer's document (`s.document`) holds, for each of `groups`,
    /// one of its texts, through the engine's text index.
    fn contains(&mut self, dialect: Dialect, groups: &[Vec<String>]) -> String {
        match dialect {
            // One FTS5 query: each text a phrase of trigrams.
            Dialect::Sqlite => {
                let any = |texts: &Vec<String>| {
                    let phrases: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
                    format!("({})", phrases.join(" OR "))
                };
                let query = groups.iter().map(any).collect::<Vec<_>>().join(" AND ");
                format!("s.document MATCH {}", self.text(query))
            }
            // LIKE, which pg_trgm's GIN index answers.
            Dialect::Postgres => {
                let mut all = Vec::new();
                for texts in groups {
                    let any: Vec<String> = texts
                        .iter()
                        .map(|t| format!("s.document LIKE {}", self.text(format!("%{t}%"))))
                        .collect();
                    all.push(format!("({})", any.join(" OR ")));
                }
                all.join(" AND ")
            }
        }
    }

    /// The conditions of `filter` and the caller's businesses on customers `c`.
    fn filters(
        &mut self,
        dialect: Dialect,
        filter: &CustomerFilter,
        within: Option<&str>,
    ) -> String {
        let business = self.text(filter.business_id.clone());
        let reference = self.text(filter.external_reference.clone());
        let within = self.text(within.map(str::to_owned));
        let n = self.args.len();
        format!(
            "(CAST({business} AS TEXT) IS NULL OR c.business_id = {business})
             AND (CAST({reference} AS TEXT) IS NULL OR c.external_reference = {reference})
             AND (CAST({within} AS TEXT) IS NULL OR c.business_id IN ({}))",
            dialect.json_strings(n)
        )
    }
}

/// What each word needs through the index: a word of three letters or more anywhere (or, for
/// typos, its start or end), one of two at a word's start. Single letters are checked on the
/// candidates alone (`LIKE`), since no trigram index can find one.
fn word_groups(query: &CustomerQuery, typos: bool) -> (Vec<Vec<String>>, Vec<&str>) {
    let (mut groups, mut letters) = (Vec::new(), Vec::new());
    for word in &query.words {
        match word.chars().count() {
            1 => letters.push(word.as_str()),
            2 => groups.push(vec![format!(" {word}")]),
            _ => {
                let mut texts = vec![word.clone()];
                if typos {
                    texts.extend(typo_anchors(word).into_iter().flatten());
                }
                groups.push(texts);
            }
        }
    }
    // Only single letters ("x 1"): they are found together, as words in a row.
    let phrase = format!(" {}", letters.join(" "));
    if groups.is_empty() && phrase.chars().count() >= 3 {
        groups.push(vec![phrase]);
    }
    (groups, letters)
}

/// The exact, prefix and substring matches, and customers with a number that ends in the
/// query's digits.
fn ranked(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
    after: i64,
    size: PageSize,
) -> Result<Page<CustomerResource>, StoreError> {
    let dialect = db.dialect();
    let key = dialect.search_key();
    let (groups, letters) = word_groups(query, false);
    let mut statement = Statement::new();
    let mut sources = Vec::new();
    if !groups.is_empty() {
        // Parameters in the order the text uses them: the rank's patterns, then the index's.
        let mut like = |pattern: &dyn Fn(&str) -> String| {
            let words = query.words.iter();
            let all: Vec<String> =
                words.map(|w| format!("s.document LIKE {}", statement.text(pattern(w)))).collect();
            all.join(" AND ")
        };
        let exact = like(&|word| format!("% {word} %"));
        let prefix = like(&|word| format!("% {word}%"));
        let contains = statement.contains(dialect, &groups);
        let letters = letter_conditions(&mut statement, &letters);
        // The core's `MatchRank` in SQL, so that the order comes from the index's candidates
        // without reading them all out (the tests hold the two to the same answers).
        sources.push(format!(
            "SELECT s.{key} AS seq,
                    (CASE WHEN {} THEN {} WHEN {} THEN {} ELSE {} END) * {RANK_STEP} + s.{key} AS place
             FROM customer_search s WHERE {contains} AND {letters}",
            exact,
            MatchRank::Exact.number(),
            prefix,
            MatchRank::Prefix.number(),
            MatchRank::Within.number(),
        ));
    }
    if let Some(ending) = &query.number {
        // Every written form of a number is an ending of its digits: the reversed digits
        // start with the query's. (':' sorts just after '9'.)
        let from = statement.text(ending.clone());
        let to = statement.text(format!("{ending}:"));
        sources.push(format!(
            "SELECT customer_seq AS seq, customer_seq + {} AS place FROM phone_numbers
             WHERE digits_reversed >= {from} AND digits_reversed < {to}",
            MatchRank::Exact.number() * RANK_STEP
        ));
    }
    if sources.is_empty() {
        return Ok(Page { items: Vec::new(), next_after: None });
    }
    let after = statement.arg(Arg::Int(after));
    let filters = statement.filters(dialect, filter, within);
    let limit = statement.arg(Arg::Int(i64::from(size.get()) + 1));
    statement.text = format!(
        "SELECT m.place, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                c.external_reference
         FROM (SELECT seq, min(place) AS place FROM ({}) u GROUP BY seq) m
         JOIN customers c ON c.seq = m.seq JOIN businesses b USING (business_id)
         WHERE m.place > {after} AND {filters}
         ORDER BY m.place LIMIT {limit}",
        sources.join(" UNION ALL ")
    );
    let rows = db.rows(&statement.text, &statement.params())?;
    let rows = rows
        .iter()
        .map(|row| Ok((row.int(0)?, customer_from(row, 1)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(page(rows, size))
}

/// `LIKE` conditions for single letters at a word's start, joined by `AND` (`TRUE` for none).
fn letter_conditions(statement: &mut Statement, letters: &[&str]) -> String {
    let mut conditions = vec!["TRUE".to_owned()];
    for letter in letters {
        conditions.push(format!("s.document LIKE {}", statement.text(format!("% {letter}%"))));
    }
    conditions.join(" AND ")
}

/// The customers one typo away from the query (and no closer, which `ranked` finds), oldest
/// first: candidates that keep each word's start or end, judged by the core.
fn with_typos(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
) -> Result<Vec<CustomerResource>, StoreError> {
    let dialect = db.dialect();
    let key = dialect.search_key();
    let (groups, letters) = word_groups(query, true);
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new();
    let contains = statement.contains(dialect, &groups);
    let letters = letter_conditions(&mut statement, &letters);
    let filters = statement.filters(dialect, filter, within);
    let limit = statement.arg(Arg::Int(TYPO_CANDIDATES));
    statement.text = format!(
        "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                c.external_reference, s.document
         FROM customer_search s JOIN customers c ON c.seq = s.{key}
         JOIN businesses b USING (business_id)
         WHERE {contains} AND {letters} AND {filters}
         ORDER BY c.seq LIMIT {limit}"
    );
    let mut found = Vec::new();
    for row in db.rows(&statement.text, &statement.params())? {
        if match_rank(&row.text(7)?, &query.words) == Some(MatchRank::Typo) {
            found.push(customer_from(&row, 1)?);
        }
    }
    Ok(found)
}
