//! The SQL of the audit trail: every change to a phone number, with who made it and the values
//! before and after.

use phone_model::{
    Businesses, ChangeAction, PhoneNumberChange, PhoneNumberId, PhoneNumberResource,
};

use super::rows::customer_for;
use super::sql::{Row, Sql, params, unexpected};
use super::{Change, OperationError, Store, StoreError};

impl Store {
    /// A customer's phone number history, newest first.
    ///
    /// # Errors
    /// The contract's refusal for a customer that does not exist or is outside `businesses`;
    /// when the database cannot be read.
    pub fn phone_number_history(
        &self,
        customer_id: &str,
        businesses: &Businesses,
    ) -> Result<Vec<PhoneNumberChange>, OperationError> {
        self.read(|db| {
            let customer_seq = customer_for(db, customer_id, businesses, false)?;
            let rows = db.rows(
                "SELECT phone_number_id, at, actor, action, before, after FROM phone_number_changes
                 WHERE customer_seq = $1 ORDER BY seq DESC LIMIT 200",
                params![customer_seq],
            )?;
            Ok(rows.iter().map(change_from).collect::<Result<_, _>>()?)
        })
    }
}

fn change_from(row: &Row) -> Result<PhoneNumberChange, StoreError> {
    let json = |column: usize| -> Result<Option<PhoneNumberResource>, StoreError> {
        row.optional_text(column)?
            .map(|text| serde_json::from_str(&text).map_err(|e| unexpected(column, e)))
            .transpose()
    };
    Ok(PhoneNumberChange {
        phone_number_id: PhoneNumberId::new(&row.text(0)?).map_err(|e| unexpected(0, e))?,
        at: row.int(1)?,
        actor: row.text(2)?,
        action: match row.text(3)?.as_str() {
            "created" => ChangeAction::Created,
            "deleted" => ChangeAction::Deleted,
            "markedSharedExpected" => ChangeAction::MarkedSharedExpected,
            "unmarkedSharedExpected" => ChangeAction::UnmarkedSharedExpected,
            _ => ChangeAction::Updated,
        },
        before: json(4)?,
        after: json(5)?,
    })
}

/// Adds a change to the audit trail, in the transaction that makes it.
pub(super) fn record_change(
    db: &mut dyn Sql,
    customer_seq: i64,
    change: &Change<'_>,
    action: ChangeAction,
    before: Option<&PhoneNumberResource>,
    after: Option<&PhoneNumberResource>,
) -> Result<(), OperationError> {
    let id = after.or(before).map(|n| n.phone_number_id.to_string()).unwrap_or_default();
    let json = |n: Option<&PhoneNumberResource>| {
        n.map(|n| serde_json::to_string(n).expect("a phone number serialises"))
    };
    let action = match action {
        ChangeAction::Created => "created",
        ChangeAction::Updated => "updated",
        ChangeAction::Deleted => "deleted",
        ChangeAction::MarkedSharedExpected => "markedSharedExpected",
        ChangeAction::UnmarkedSharedExpected => "unmarkedSharedExpected",
    };
    db.execute(
        "INSERT INTO phone_number_changes (customer_seq, phone_number_id, at, actor, action,
                                           before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![
            customer_seq,
            id.as_str(),
            change.at,
            change.actor,
            action,
            json(before).as_ref(),
            json(after).as_ref()
        ],
    )?;
    Ok(())
}
