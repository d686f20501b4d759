//! The process's soft limit on open files (`ulimit -n`, RLIMIT_NOFILE): what the connection cap
//! fits under (see [`crate::serving`]) and what `/metrics` shows as `process_max_fds`.
//!
//! The limit is read from `/proc/self/limits`: `getrlimit` would need `unsafe`, which the
//! workspace forbids.

/// The process's soft limit on open files, from `/proc/self/limits`; `None` when it is
/// unlimited or cannot be read (not Linux).
pub fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    soft_limit(&limits, "Max open files")
}

/// A limit's soft value, from `/proc/self/limits`'s table (name, soft, hard, units).
fn soft_limit(limits: &str, name: &str) -> Option<u64> {
    let line = limits.lines().find_map(|line| line.strip_prefix(name))?;
    line.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_limit_is_the_first_figure_and_unlimited_is_none() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             unlimited            unlimited            processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(soft_limit(limits, "Max open files"), Some(1024));
        assert_eq!(soft_limit(limits, "Max processes"), None);
    }
}
