//! What the benchmarks run on: the machine's description, who used its CPUs during a
//! measurement and a process's memory (read from `/proc`), so that a report can say what
//! limited a figure.

use std::{fmt, fs, path::Path};

/// The machine's cores and memory, as the report's first line says them.
pub fn describe() -> String {
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
        })
        .map_or(0.0, |kb| kb as f64 / 1024.0 / 1024.0);
    format!("{} cores, {memory:.0} GiB memory; server and load generator share them", cores())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The processes whose CPU time a measurement reports, in three groups.
pub struct Watched {
    /// The `phone-server` processes.
    pub servers: Vec<u32>,
    /// PostgreSQL's postmaster: it and its children (the backends, the WAL writer, …).
    pub postmaster: Option<u32>,
}

/// CPU time so far, in clock ticks: the machine's busy and total time, and each group's.
pub struct Sample {
    busy: u64,
    total: u64,
    servers: u64,
    postgres: u64,
    this: u64,
}

impl Watched {
    /// The CPU time used until now.
    pub fn sample(&self) -> Sample {
        let (busy, total) = machine_ticks();
        let servers = self.servers.iter().map(|&pid| process_ticks(pid).unwrap_or(0)).sum();
        let postgres = self.postmaster.map_or(0, family_ticks);
        let this = process_ticks(std::process::id()).unwrap_or(0);
        Sample { busy, total, servers, postgres, this }
    }
}

/// The cores (of [`describe`]'s) used during a measurement, by group.
pub struct Usage {
    pub servers: f64,
    pub postgres: f64,
    /// This load generator.
    pub load: f64,
    /// Every other process (a build running beside the benchmark, say) and the kernel's own
    /// threads.
    pub other: f64,
    /// The machine's busy share, 0 to 1.
    pub busy: f64,
}

impl Sample {
    /// What was used between `self` and `later`.
    pub fn used_until(&self, later: &Sample) -> Usage {
        let elapsed = later.total.saturating_sub(self.total).max(1) as f64;
        // `total` counts every core's ticks: one core's worth is `elapsed / cores`.
        let count = cores() as f64;
        let used = |from: u64, to: u64| to.saturating_sub(from) as f64 / elapsed * count;
        let (servers, postgres, load, busy) = (
            used(self.servers, later.servers),
            used(self.postgres, later.postgres),
            used(self.this, later.this),
            used(self.busy, later.busy),
        );
        let other = (busy - servers - postgres - load).max(0.0);
        Usage { servers, postgres, load, other, busy: busy / count }
    }
}

/// As a report cell: "server 1.10, PostgreSQL 0.50, load 0.20, other 0.20 (100% busy)".
impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "server {:.2}, PostgreSQL {:.2}, load {:.2}, other {:.2} ({:.0}% busy)",
            self.servers,
            self.postgres,
            self.load,
            self.other,
            self.busy * 100.0
        )
    }
}

/// The first line of `/proc/stat`: busy ticks (all but idle and iowait) and all ticks.
fn machine_ticks() -> (u64, u64) {
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user already).
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    (total - idle.min(total), total)
}

/// The numeric fields of `/proc/<pid>/stat` after the command (which may hold spaces, so it is
/// skipped to its closing bracket) and the state: field 0 here is the parent.
fn stat_fields(pid: u32) -> Option<Vec<u64>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    Some(after.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect())
}

/// A process's user and system ticks, with those of its children it has waited for.
fn process_ticks(pid: u32) -> Option<u64> {
    // After the state: ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
    // stime cutime cstime.
    let fields = stat_fields(pid)?;
    Some(fields.get(10..14)?.iter().sum())
}

/// `parent`'s ticks and those of its living children.
fn family_ticks(parent: u32) -> u64 {
    let children: u64 = fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| stat_fields(pid).is_some_and(|f| f.first() == Some(&u64::from(parent))))
        .filter_map(process_ticks)
        .sum();
    process_ticks(parent).unwrap_or(0) + children
}

/// A process's resident memory in bytes (`VmRSS` in `/proc/<pid>/status`).
pub fn resident_bytes(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The postmaster's process id, from `postmaster.pid` in a cluster's data folder.
pub fn postmaster(data: &Path) -> Option<u32> {
    fs::read_to_string(data.join("postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
}
