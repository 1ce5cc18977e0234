//! A meter of the work done per input, for the linearity tests.
//!
//! The one meter: the verifier adds its steps (states looked up in its
//! memo plus memo words cleared, `engine::matcher`), and the paths that
//! once were quadratic (status inference reading a clause without
//! punctuation to its end for every figure, checking a rule whose `<>`
//! double its program, a long sequence of literals, scoring facts against
//! annotations) add what they look at: bytes scanned, instructions compiled
//! or visited, pairs compared. A test runs the same
//! shape at 1× and 2× and asserts that the count at most about doubles — an
//! operation count, not a timing, so it holds on a busy machine and in a
//! debug build (issue 25).
//!
//! The meter is per thread and costs one thread-local addition per call
//! site; nothing reads it but the tests.

use std::cell::Cell;

thread_local! {
    static UNITS: Cell<u64> = const { Cell::new(0) };
}

/// Adds `n` units of work done on this thread.
#[inline]
pub fn add(n: usize) {
    UNITS.with(|u| u.set(u.get().wrapping_add(n as u64)));
}

/// The units of work done on this thread since the last call, and resets
/// the meter.
pub fn take() -> u64 {
    UNITS.with(|u| u.replace(0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_and_resets() {
        super::take();
        super::add(3);
        super::add(4);
        assert_eq!(super::take(), 7);
        assert_eq!(super::take(), 0);
    }
}
