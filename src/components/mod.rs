//! Reusable pieces of the app's pages.

pub mod call_banner;
pub mod changed_meanwhile;
pub mod country_field;
pub mod delete_dialog;
pub mod error_summary;
pub mod form_field;
pub mod number_fields;
pub mod number_marks;
pub mod page_heading;
pub mod phone_number_form;
pub mod phone_number_list;
pub mod problem;
pub mod unsaved_changes;
