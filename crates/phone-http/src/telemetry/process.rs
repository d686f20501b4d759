//! The process's own figures, under the names every Prometheus client library uses
//! (`process_cpu_seconds_total`, `process_resident_memory_bytes`, …), so the dashboards and
//! alerts written for them work unchanged. Read from `/proc/self` at each scrape: Linux only.
//!
//! No crate: `procfs` would bring far more than the five small files read here, and
//! `sysconf` (for the clock's tick and the page size) would need `unsafe`, which the workspace
//! forbids; the kernel gives both in the auxiliary vector, `/proc/self/auxv`.

use std::fs;

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeMetric},
    metrics::{counter::ConstCounter, gauge::ConstGauge},
};

/// The auxiliary vector's keys for the page size and the clock's ticks per second
/// (`AT_PAGESZ`, `AT_CLKTCK` in `<elf.h>`).
const AT_PAGESZ: usize = 6;
const AT_CLKTCK: usize = 17;

/// What the process figures are read with: its constants, read once.
#[derive(Debug)]
pub struct Process {
    /// Bytes per page, for `/proc/self/stat`'s resident size.
    page_size: f64,
    /// Ticks per second, for `/proc/self/stat`'s times (100 on every Linux we know, but read).
    ticks: f64,
    /// When the process started, in seconds since the epoch: `None` when `/proc` says not.
    started: Option<f64>,
}

impl Process {
    /// This process's collector, or `None` where `/proc/self` cannot tell its constants.
    pub fn new() -> Option<Self> {
        let auxv = fs::read("/proc/self/auxv").ok()?;
        let page_size = auxiliary(&auxv, AT_PAGESZ)? as f64;
        let ticks = auxiliary(&auxv, AT_CLKTCK)? as f64;
        let started = Stat::read().and_then(|stat| Some(boot_time()? + stat.started / ticks));
        Some(Self { page_size, ticks, started })
    }

    /// Each figure that can be read now, with its name and help.
    fn figures(&self) -> Figures {
        let stat = Stat::read();
        Figures {
            cpu_seconds: stat.as_ref().map(|stat| stat.cpu_ticks / self.ticks),
            gauges: [
                (
                    "process_resident_memory_bytes",
                    "Resident memory size in bytes.",
                    stat.as_ref().map(|stat| stat.resident_pages * self.page_size),
                ),
                (
                    "process_virtual_memory_bytes",
                    "Virtual memory size in bytes.",
                    stat.as_ref().map(|stat| stat.virtual_bytes),
                ),
                ("process_open_fds", "Number of open file descriptors.", open_fds()),
                ("process_max_fds", "Maximum number of open file descriptors.", max_fds()),
                (
                    "process_start_time_seconds",
                    "Start time of the process since unix epoch in seconds.",
                    self.started,
                ),
            ],
        }
    }
}

/// The figures of one scrape; `None` where `/proc` did not tell (the family is left out).
struct Figures {
    cpu_seconds: Option<f64>,
    gauges: [(&'static str, &'static str, Option<f64>); 5],
}

impl Collector for Process {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Figures { cpu_seconds, gauges } = self.figures();
        if let Some(seconds) = cpu_seconds {
            let counter = ConstCounter::new(seconds);
            // The counter's series gets `_total`, as in every client library.
            let help = "Total user and system CPU time spent in seconds.";
            let metric = encoder.encode_descriptor(
                "process_cpu_seconds",
                help,
                None,
                counter.metric_type(),
            )?;
            counter.encode(metric)?;
        }
        for (name, help, value) in gauges {
            let Some(value) = value else { continue };
            let gauge = ConstGauge::new(value);
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
        }
        Ok(())
    }
}

/// What `/proc/self/stat` says, in its own units.
#[derive(Debug, PartialEq)]
struct Stat {
    /// User and system time, in clock ticks.
    cpu_ticks: f64,
    /// When the process started, in clock ticks after the machine booted.
    started: f64,
    virtual_bytes: f64,
    resident_pages: f64,
}

impl Stat {
    fn read() -> Option<Self> {
        Self::parse(&fs::read_to_string("/proc/self/stat").ok()?)
    }

    /// Reads the fields after the command's name, which is in parentheses and may hold
    /// spaces and parentheses itself: the fields start after the last `)`. Counting from
    /// there (proc(5) numbers them from 1, the state being the 3rd): utime 14, stime 15,
    /// starttime 22, vsize 23, rss 24.
    fn parse(stat: &str) -> Option<Self> {
        let (_, fields) = stat.rsplit_once(')')?;
        let fields: Vec<&str> = fields.split_whitespace().collect();
        let field = |number: usize| fields.get(number - 3)?.parse::<u64>().ok().map(|v| v as f64);
        Some(Self {
            cpu_ticks: field(14)? + field(15)?,
            started: field(22)?,
            virtual_bytes: field(23)?,
            resident_pages: field(24)?,
        })
    }
}

/// The value of `key` in an auxiliary vector: pairs of native words, key then value.
fn auxiliary(auxv: &[u8], key: usize) -> Option<usize> {
    const WORD: usize = size_of::<usize>();
    let word = |bytes: &[u8]| bytes.try_into().ok().map(usize::from_ne_bytes);
    auxv.chunks_exact(2 * WORD).find_map(|pair| {
        let (found, value) = pair.split_at(WORD);
        if word(found)? == key { word(value) } else { None }
    })
}

/// When the machine booted, in seconds since the epoch (`btime` in `/proc/stat`).
fn boot_time() -> Option<f64> {
    let stat = fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find_map(|line| line.strip_prefix("btime "))?;
    line.trim().parse::<u64>().ok().map(|seconds| seconds as f64)
}

/// The descriptors open now (the one that lists them included, as in other clients).
fn open_fds() -> Option<f64> {
    Some(fs::read_dir("/proc/self/fd").ok()?.count() as f64)
}

/// The soft limit on open descriptors, as the server's connection cap reads it; `None` when
/// unlimited.
fn max_fds() -> Option<f64> {
    crate::open_files::open_file_limit().map(|limit| limit as f64)
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use super::*;

    #[test]
    fn stat_fields_are_found_after_a_command_name_with_spaces_and_parentheses() {
        let stat = "4242 (odd) name) S 1 4242 4242 0 -1 4194560 2718 0 0 0 \
                    150 25 0 0 20 0 9 0 34567 123456789 2048 18446744073709551615";
        let expected = Stat {
            cpu_ticks: 175.0,
            started: 34567.0,
            virtual_bytes: 123456789.0,
            resident_pages: 2048.0,
        };
        assert_eq!(Stat::parse(stat), Some(expected));
        assert_eq!(Stat::parse("4242 (cut short) S 1 2 3"), None);
    }

    #[test]
    fn an_auxiliary_vector_is_read_as_pairs_of_words() {
        let auxv: Vec<u8> = [(AT_PAGESZ, 4096), (AT_CLKTCK, 100), (0, 0)]
            .into_iter()
            .flat_map(|(key, value): (usize, usize)| [key.to_ne_bytes(), value.to_ne_bytes()])
            .flatten()
            .collect();
        assert_eq!(auxiliary(&auxv, AT_CLKTCK), Some(100));
        assert_eq!(auxiliary(&auxv, AT_PAGESZ), Some(4096));
        assert_eq!(auxiliary(&auxv, 99), None);
    }

    /// The real `/proc`: a test process started moments ago, with memory and descriptors.
    #[test]
    fn this_process_started_moments_ago_and_holds_memory_and_descriptors() {
        let process = Process::new().expect("/proc/self on Linux");
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs_f64();
        let started = process.started.expect("a start time");
        // Wrong ticks or a wrong boot time would put it hours or years away.
        assert!((now - 600.0..=now + 1.0).contains(&started), "started {started}, now {now}");
        let Figures { cpu_seconds, gauges } = process.figures();
        assert!(cpu_seconds.is_some_and(|seconds| seconds >= 0.0));
        let figure = |name| gauges.iter().find(|(n, _, _)| *n == name).and_then(|(_, _, v)| *v);
        let resident = figure("process_resident_memory_bytes").expect("resident memory");
        assert!(resident > 1_000_000.0, "{resident}");
        assert!(figure("process_virtual_memory_bytes").is_some_and(|bytes| bytes >= resident));
        let open = figure("process_open_fds").expect("open descriptors");
        assert!(open >= 3.0, "{open}");
        assert!(figure("process_max_fds").is_none_or(|max| max >= open));
    }
}
