//! The search's order: tiers of match, best first, each read in `seq` order straight from an
//! index with a `LIMIT`, so a page costs what it shows, not what matches ("physio" may match
//! every customer of a business).

use phone_model::{CustomerQuery, CustomerResource, MatchRank, PageSize, match_rank, typo_anchors};

use super::super::customer_filter::CustomerFilter;
use super::super::rows::{columns_of, customer_from, phone_number_from};
use super::super::sql::{Row, Sql};
use super::super::{Page, StoreError, page};
use super::statement::{Holds, Statement};

/// A result's place in the order: its tier times this, plus its `seq`. A page's cursor is the
/// last place it showed.
const TIER_STEP: i64 = 1 << 40;

/// The tiers, best first: a number in the query's digits, then the core's ranks of a match of
/// words (`MatchRank`), typos aside.
const TIERS: [Tier; 4] = [
    Tier::Number,
    Tier::Words(MatchRank::Exact),
    Tier::Words(MatchRank::Prefix),
    Tier::Words(MatchRank::Within),
];

/// The most candidates a search for typos reads; it answers within one page, never "more".
const TYPO_CANDIDATES: i64 = 500;

/// Where a result row's customer's primary number comes from, and its columns (after the
/// customer's seven), then the document's column in a search for typos, or the matched
/// number's columns in the number tier.
const WITH_PRIMARY: &str = "LEFT JOIN phone_numbers p ON p.customer_seq = c.seq AND p.is_primary";
const PRIMARY_FIRST: usize = 7;
const DOCUMENT: usize = 14;
const MATCHED_FIRST: usize = 14;

/// A result: the customer (from column 1) with its primary number, and the number the query
/// matched when the row has one (from `matched`).
fn found(row: &Row, matched: Option<usize>) -> Result<CustomerResource, StoreError> {
    let number_at = |first: usize| -> Result<_, StoreError> {
        row.optional_text(first)?.map(|_| phone_number_from(row, first)).transpose()
    };
    let mut customer = customer_from(row, 1)?;
    customer.primary_phone_number = number_at(PRIMARY_FIRST)?;
    customer.matched_phone_number = matched.map(number_at).transpose()?.flatten();
    Ok(customer)
}

#[derive(Debug, Clone, Copy)]
enum Tier {
    Number,
    Words(MatchRank),
}

/// One page of the tiers' matches from `after` (a place).
pub(super) fn ranked(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
    after: i64,
    size: PageSize,
) -> Result<Page<CustomerResource>, StoreError> {
    let wanted = size.get() as usize + 1;
    let (first, after_seq) = (after / TIER_STEP, after % TIER_STEP);
    let mut rows = Vec::new();
    for (index, tier) in (0_i64..).zip(TIERS).skip(usize::try_from(first).unwrap_or(0)) {
        if rows.len() == wanted {
            break;
        }
        // A number's digits are an id or a reference, whole or its start; not inside one.
        if query.number.is_some() && matches!(tier, Tier::Words(MatchRank::Within)) {
            continue;
        }
        let from = if index == first { after_seq } else { 0 };
        let limit = (wanted - rows.len()) as i64;
        for (seq, customer) in tier_rows(db, query, tier, filter, within, from, limit)? {
            rows.push((index * TIER_STEP + seq, customer));
        }
    }
    Ok(page(rows, size))
}

/// What a document holds to match the query's words at `rank` or better.
fn holds(query: &CustomerQuery, rank: MatchRank) -> Holds {
    let mut holds = Holds::default();
    for word in &query.words {
        let length = word.chars().count();
        match (rank, length) {
            (MatchRank::Exact, _) => holds.groups.push(vec![format!(" {word} ")]),
            (_, 1) => holds.letters.push(word.clone()),
            (MatchRank::Prefix, _) | (_, 2) => holds.groups.push(vec![format!(" {word}")]),
            (MatchRank::Within, _) => holds.groups.push(vec![word.clone()]),
            (MatchRank::Typo, _) => {
                let mut texts = vec![word.clone()];
                texts.extend(typo_anchors(word).into_iter().flatten());
                holds.groups.push(texts);
            }
        }
    }
    // Only single letters ("x 1"): found together, as words in a row.
    let phrase = format!(" {}", holds.letters.join(" "));
    if holds.groups.is_empty() && phrase.chars().count() >= 3 {
        holds.groups.push(vec![phrase]);
    }
    holds
}

/// The better rank a tier's matches must not have (they were shown in its tier).
fn better(rank: MatchRank) -> Option<MatchRank> {
    match rank {
        MatchRank::Exact => None,
        MatchRank::Prefix => Some(MatchRank::Exact),
        MatchRank::Within => Some(MatchRank::Prefix),
        MatchRank::Typo => Some(MatchRank::Within),
    }
}

/// Up to `limit` of a tier's customers after `from` (a `seq`), in `seq` order.
fn tier_rows(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    tier: Tier,
    filter: &CustomerFilter,
    within: Option<&str>,
    from: i64,
    limit: i64,
) -> Result<Vec<(i64, CustomerResource)>, StoreError> {
    let dialect = db.dialect();
    let key = dialect.search_key();
    let (primary, with_primary) = (columns_of("p"), WITH_PRIMARY);
    let mut statement = Statement::new(dialect);
    // Every written form of a number is an ending of its digits: its reversed digits start
    // with the query's. (':' sorts just after '9'.) The range's placeholders.
    let range = |statement: &mut Statement, ending: &str| {
        (statement.text(ending.to_owned()), statement.text(format!("{ending}:")))
    };
    let numbers = |(start, end): &(String, String)| {
        format!(
            "SELECT customer_seq FROM phone_numbers
             WHERE digits_reversed >= {start} AND digits_reversed < {end}"
        )
    };
    let (text, matched) = match tier {
        Tier::Number => {
            let Some(ending) = &query.number else { return Ok(Vec::new()) };
            let range = range(&mut statement, ending);
            let (start, end) = &range;
            let matching = numbers(&range);
            let from = statement.int(from);
            let filters = statement.filters(filter, within);
            let limit = statement.int(limit);
            // The number that matched, for each customer of the page (a page's worth of
            // lookups through the customer's own numbers): the one the query is most of,
            // then the primary, then the oldest.
            let matched = columns_of("m");
            let text = format!(
                "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                        c.external_reference, {primary}, {matched}
                 FROM customers c JOIN businesses b USING (business_id) {with_primary}
                 LEFT JOIN phone_numbers m ON m.seq = (
                     SELECT n.seq FROM phone_numbers n
                     WHERE n.customer_seq = c.seq
                       AND n.digits_reversed >= {start} AND n.digits_reversed < {end}
                     ORDER BY length(n.digits_reversed), n.is_primary DESC, n.seq LIMIT 1)
                 WHERE c.seq IN ({matching}) AND c.seq > {from} AND {filters}
                 ORDER BY c.seq LIMIT {limit}"
            );
            (text, Some(MATCHED_FIRST))
        }
        Tier::Words(rank) => {
            let holds = holds(query, rank);
            if !holds.is_searchable() {
                return Ok(Vec::new());
            }
            let unless = better(rank).map(|better| self::holds(query, better));
            let document = statement.document(&holds, unless.as_ref());
            let from = statement.int(from);
            // Shown in the number tier already.
            let shown = match &query.number {
                Some(ending) => {
                    format!("c.seq NOT IN ({})", numbers(&range(&mut statement, ending)))
                }
                None => "TRUE".to_owned(),
            };
            let filters = statement.filters(filter, within);
            let limit = statement.int(limit);
            let text = format!(
                "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                        c.external_reference, {primary}
                 FROM customer_search s JOIN customers c ON c.seq = s.{key}
                 JOIN businesses b USING (business_id) {with_primary}
                 WHERE {document} AND s.{key} > {from} AND {shown} AND {filters}
                 ORDER BY s.{key} LIMIT {limit}"
            );
            (text, None)
        }
    };
    db.rows_planned_for_values(&text, &statement.params())?
        .iter()
        .map(|row| Ok((row.int(0)?, found(row, matched)?)))
        .collect()
}

/// Up to `limit` customers with a number in the query's digits, oldest first, each with the
/// number that matched: the first tier alone, as a caller lookup asks.
pub(in super::super) fn by_number(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
    limit: i64,
) -> Result<Vec<CustomerResource>, StoreError> {
    let rows = tier_rows(db, query, Tier::Number, filter, within, 0, limit)?;
    Ok(rows.into_iter().map(|(_, customer)| customer).collect())
}

/// The customers one typo from the query (and no closer), oldest first: candidates that keep
/// each word's start or end, judged by the core.
pub(super) fn with_typos(
    db: &mut dyn Sql,
    query: &CustomerQuery,
    filter: &CustomerFilter,
    within: Option<&str>,
) -> Result<Vec<CustomerResource>, StoreError> {
    let holds = holds(query, MatchRank::Typo);
    if !holds.is_searchable() {
        return Ok(Vec::new());
    }
    let dialect = db.dialect();
    let key = dialect.search_key();
    let (primary, with_primary) = (columns_of("p"), WITH_PRIMARY);
    let mut statement = Statement::new(dialect);
    let document = statement.document(&holds, None);
    let filters = statement.filters(filter, within);
    let limit = statement.int(TYPO_CANDIDATES);
    let text = format!(
        "SELECT c.seq, c.customer_id, c.business_id, b.name, c.first_name, c.last_name,
                c.external_reference, {primary}, s.document
         FROM customer_search s JOIN customers c ON c.seq = s.{key}
         JOIN businesses b USING (business_id) {with_primary}
         WHERE {document} AND {filters}
         ORDER BY s.{key} LIMIT {limit}"
    );
    let mut customers = Vec::new();
    for row in db.rows_planned_for_values(&text, &statement.params())? {
        if match_rank(&row.text(DOCUMENT)?, &query.words) == Some(MatchRank::Typo) {
            customers.push(found(&row, None)?);
        }
    }
    Ok(customers)
}
