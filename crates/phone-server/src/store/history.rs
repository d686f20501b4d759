//! The SQL of the audit trail: every change to a phone number, with who made it and the values
//! before and after.

use phone_model::{
    Businesses, ChangeAction, PhoneNumberChange, PhoneNumberId, PhoneNumberResource,
};
use rusqlite::{Transaction, params};

use super::customers::customer_for;
use super::{Change, OperationError, Store};

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
        self.read_checked(|c| {
            let customer_seq = customer_for(c, customer_id, businesses)?;
            let mut statement = c.prepare_cached(
                "SELECT phone_number_id, at, actor, action, before, after FROM phone_number_changes
                 WHERE customer_seq = ?1 ORDER BY seq DESC LIMIT 200",
            )?;
            let rows = statement
                .query_map([customer_seq], |row| {
                    let json = |column: usize| -> rusqlite::Result<Option<PhoneNumberResource>> {
                        let text: Option<String> = row.get(column)?;
                        text.map(|t| {
                            serde_json::from_str(&t).map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    column,
                                    rusqlite::types::Type::Text,
                                    Box::new(e),
                                )
                            })
                        })
                        .transpose()
                    };
                    let id: String = row.get(0)?;
                    let action: String = row.get(3)?;
                    Ok(PhoneNumberChange {
                        phone_number_id: PhoneNumberId::new(&id).map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(
                                0,
                                rusqlite::types::Type::Text,
                                Box::new(e),
                            )
                        })?,
                        at: row.get(1)?,
                        actor: row.get(2)?,
                        action: match action.as_str() {
                            "created" => ChangeAction::Created,
                            "deleted" => ChangeAction::Deleted,
                            _ => ChangeAction::Updated,
                        },
                        before: json(4)?,
                        after: json(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}

/// Adds a change to the audit trail, in the transaction that makes it.
pub(super) fn record_change(
    tx: &Transaction<'_>,
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
    };
    tx.execute(
        "INSERT INTO phone_number_changes (customer_seq, phone_number_id, at, actor, action, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![customer_seq, id, change.at, change.actor, action, json(before), json(after)],
    )?;
    Ok(())
}
