//! One route per file, and the page for routes that do not exist.

pub mod customer;
pub mod find_customer;
pub mod import;
pub mod new_customer;
pub mod not_found;
pub mod phone_number;
pub mod review;
pub mod sign_in;
