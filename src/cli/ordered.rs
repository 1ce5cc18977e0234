//! Parallel work, consumed in input order, with a bounded backlog.
//!
//! `run` reads and matches reports on the rayon pool but must write them in
//! the order given, and must not hold more than a few reports' results at
//! once (a sweep is tens of thousands of reports). Rayon's ordered `collect`
//! would hold everything; fixed chunks leave a core idle while the slowest
//! report of each chunk finishes. Here workers pull the next report as soon
//! as they are free, the calling thread writes results as they come due, and
//! a report is only started when fewer than `window` are waiting to be
//! written. No crate offers this ordered, bounded pipeline over rayon.
//!
//! Only the producer (a thread of its own) ever waits for room; pool
//! threads never block, so `consume` may itself run work on the pool.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};

/// Runs `work` on every item on the rayon pool and gives the results (with
/// the item's index) to `consume` on the calling thread, in item order. At most `window` items
/// are started ahead of the last one consumed. When `consume` returns
/// false, no further item is started and the function returns once the
/// running ones are done. With one rayon thread everything runs on the
/// calling thread, one item after the other.
pub fn ordered_map<T, R>(
    items: &[T],
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(usize, R) -> bool,
) where
    T: Sync,
    R: Send,
{
    if rayon::current_num_threads() <= 1 || items.len() <= 1 {
        for (i, item) in items.iter().enumerate() {
            if !consume(i, work(item)) {
                return;
            }
        }
        return;
    }
    let window = window.max(1);
    // How many results have been consumed; feeders wait on it.
    let consumed = Mutex::new(0usize);
    let advanced = Condvar::new();
    let stop = AtomicBool::new(false);
    let panicked = Mutex::new(None);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        let (consumed, advanced, stop, work, panicked) =
            (&consumed, &advanced, &stop, &work, &panicked);
        // The producer waits for room on a thread of its own and only hands
        // ready work to the pool: a pool thread that waited here could
        // leave no thread for work the consumer itself puts on the pool
        // (the blocks of a big report), and the two would wait forever.
        scope.spawn(move || {
            rayon::in_place_scope(|pool| {
                for (i, item) in items.iter().enumerate() {
                    let mut done = consumed.lock().unwrap_or_else(PoisonError::into_inner);
                    while i >= *done + window && !stop.load(Ordering::Acquire) {
                        done = advanced.wait(done).unwrap_or_else(PoisonError::into_inner);
                    }
                    drop(done);
                    if stop.load(Ordering::Acquire) {
                        break;
                    }
                    let tx = tx.clone();
                    pool.spawn(move |_| {
                        if stop.load(Ordering::Acquire) {
                            return;
                        }
                        // A panic (a bug) must not leave the others waiting
                        // for a result that never comes: stop, then re-raise.
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(item)))
                        {
                            // The receiver is gone only after a stop.
                            Ok(r) => drop(tx.send((i, r))),
                            Err(payload) => {
                                stop.store(true, Ordering::Release);
                                drop(consumed.lock().unwrap_or_else(PoisonError::into_inner));
                                advanced.notify_all();
                                let mut slot =
                                    panicked.lock().unwrap_or_else(PoisonError::into_inner);
                                slot.get_or_insert(payload);
                            }
                        }
                    });
                }
                drop(tx);
            });
        });
        // However the loop below ends — done, stopped, or a panic in
        // `consume` (a bug, or a closed stderr before it was handled) — the
        // producer must be woken and stop, or the scope waits for it forever.
        let _wake = StopOnDrop {
            stop,
            consumed,
            advanced,
        };
        let mut pending = BTreeMap::new();
        let mut next = 0;
        'receive: while next < items.len() {
            let Ok((i, r)) = rx.recv_timeout(std::time::Duration::from_millis(100)) else {
                if stop.load(Ordering::Acquire) {
                    break;
                }
                continue;
            };
            pending.insert(i, r);
            while let Some(r) = pending.remove(&next) {
                next += 1;
                *consumed.lock().unwrap_or_else(PoisonError::into_inner) = next;
                advanced.notify_all();
                if !consume(next - 1, r) {
                    break 'receive;
                }
            }
        }
        drop(rx);
    });
    if let Some(payload) = panicked
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        std::panic::resume_unwind(payload);
    }
}

/// Sets `stop` and wakes the producer when dropped, also during a panic.
struct StopOnDrop<'a> {
    stop: &'a AtomicBool,
    consumed: &'a Mutex<usize>,
    advanced: &'a Condvar,
}

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Under the lock, so that a producer about to wait cannot miss it.
        drop(self.consumed.lock().unwrap_or_else(PoisonError::into_inner));
        self.advanced.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    }

    #[test]
    fn results_come_in_order_on_any_number_of_threads() {
        let items: Vec<u64> = (0..500).collect();
        for threads in [1, 2, 4] {
            let mut got = Vec::new();
            pool(threads).install(|| {
                ordered_map(
                    &items,
                    3,
                    |&i| {
                        // Uneven work, so that results finish out of order.
                        std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                        i * 2
                    },
                    |i, r| {
                        assert_eq!(r, items[i] * 2);
                        got.push(r);
                        true
                    },
                );
            });
            let want: Vec<u64> = items.iter().map(|i| i * 2).collect();
            assert_eq!(got, want, "{threads} threads");
        }
    }

    #[test]
    fn the_backlog_stays_within_the_window() {
        let items: Vec<usize> = (0..300).collect();
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut worst = 0;
        let mut consumed = 0;
        pool(4).install(|| {
            ordered_map(
                &items,
                5,
                |&i| {
                    started.fetch_max(i + 1, Ordering::SeqCst);
                    i
                },
                |_, _| {
                    consumed += 1;
                    worst = worst.max(started.load(Ordering::SeqCst) - consumed);
                    true
                },
            );
        });
        assert_eq!(consumed, items.len());
        assert!(worst <= 5, "started {worst} items ahead");
    }

    #[test]
    fn a_panicking_item_stops_the_run_instead_of_hanging_it() {
        let items: Vec<usize> = (0..1_000).collect();
        let result = std::panic::catch_unwind(|| {
            pool(2).install(|| {
                ordered_map(
                    &items,
                    3,
                    |&i| {
                        assert!(i != 5, "item 5 is broken");
                        i
                    },
                    |_, _| true,
                );
            });
        });
        assert!(result.is_err(), "the panic reaches the caller");
    }

    #[test]
    fn consume_may_use_the_pool_itself() {
        // As in `run`: called from outside the pool, with a full window, the
        // writer runs work on the pool (a big report's blocks). That must
        // not wait on a producer that holds the pool's threads.
        use rayon::prelude::*;
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let items: Vec<u64> = (0..200).collect();
            let mut sum = 0;
            ordered_map(
                &items,
                2,
                |&i| i,
                |_, r| {
                    sum += (0..100u64).into_par_iter().map(|k| k + r).sum::<u64>();
                    true
                },
            );
            let _ = done.send(sum);
        });
        let sum = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("ordered_map finished (no deadlock)");
        let want: u64 = (0..200u64)
            .map(|r| (0..100).map(|k| k + r).sum::<u64>())
            .sum();
        assert_eq!(sum, want);
    }

    #[test]
    fn a_panic_in_consume_stops_the_producer_instead_of_hanging() {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let items: Vec<usize> = (0..10_000).collect();
            let result = std::panic::catch_unwind(|| {
                pool(2).install(|| {
                    ordered_map(
                        &items,
                        2,
                        |&i| i,
                        |i, _| {
                            assert!(i < 5, "the writer failed");
                            true
                        },
                    );
                });
            });
            let _ = done.send(result.is_err());
        });
        let panicked = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("ordered_map returned (no hang)");
        assert!(panicked, "the panic reaches the caller");
    }

    #[test]
    fn stopping_early_starts_nothing_more() {
        let items: Vec<usize> = (0..10_000).collect();
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = 0;
        pool(2).install(|| {
            ordered_map(
                &items,
                4,
                |&i| {
                    started.fetch_add(1, Ordering::SeqCst);
                    i
                },
                |_, _| {
                    seen += 1;
                    seen < 10
                },
            );
        });
        assert_eq!(seen, 10);
        assert!(started.load(Ordering::SeqCst) < 100);
    }
}
