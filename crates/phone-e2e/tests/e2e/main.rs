//! The staff workflows in headless Chromium against the real server, as staff do them.
//! Each scenario has its own server, database, chromedriver and browser (see the harness).

mod accessibility;
mod calls;
mod conflicts;
mod deleting;
mod element;
mod embed;
mod failures;
mod finding;
mod first_load;
mod focus;
mod gateway;
mod importing;
mod keyboard;
mod layout;
mod new_customer;
mod reviewing;
mod words;
mod workflows;
mod wrong_numbers;
