//! Helpers shared by the benchmarks (each bench is its own crate and
//! includes this module).

use std::time::{Duration, Instant};

/// Median wall time of `n` runs of `f` (`n` odd).
pub fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}
