//! `phone-server`, the binary's parts that are not HTTP: its configuration (`config`), its
//! log (`logging`), staff accounts and their password policy (`accounts`), and the demo data
//! (`demo`). The binary (`main.rs`) serves (`serve.rs`) or runs a command (`commands.rs`).

pub mod accounts;
pub mod config;
pub mod demo;
pub mod logging;
