//! The server through real HTTP: each test starts its own server on a random loopback port,
//! on its own database file.

mod abuse;
mod access;
mod app_delivery;
mod backups;
mod bad_input;
mod commands;
mod conditions;
mod connections;
mod copy;
mod crash;
mod customers;
mod demo;
mod file_modes;
mod first_run;
mod gateway;
mod history;
mod idempotency;
mod keys;
mod logs;
mod metrics;
mod openapi;
mod operating;
mod persistence;
mod phone_numbers;
mod races;
mod rate_limits;
mod review;
mod schema;
mod server;
mod several_servers;
mod shared_cases;
mod shared_marks;
mod tenancy;
mod warnings;
mod writers;
