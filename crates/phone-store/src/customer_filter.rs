//! Which customers a list asks for: what `customers` lists, and `search` finds within.

use phone_model::CustomerQuery;

/// Which customers to list.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CustomerFilter {
    pub business_id: Option<String>,
    pub external_reference: Option<String>,
    /// What a person typed to find a customer (see `phone_model::search`): then the page is
    /// the best matches first.
    pub search: Option<CustomerQuery>,
}
