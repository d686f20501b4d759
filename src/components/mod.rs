//! Reusable pieces of the app's pages.

pub(crate) mod number_check;
