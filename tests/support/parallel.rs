//! Independent cases of one test spread over the machine's cores: a test of 141 PACE
//! configurations is one test binary's only long test, and cargo runs the binaries one after
//! another.

/// Calls `f(index, item)` for every item, on `available_parallelism` threads. A panic in any
/// call fails the test (the scope re-raises it after every thread has ended).
pub fn on_every_core<T: Sync>(items: &[T], f: impl Fn(usize, &T) + Sync) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for first in 0..threads {
            let f = &f;
            s.spawn(move || {
                for (i, item) in items.iter().enumerate().skip(first).step_by(threads) {
                    f(i, item);
                }
            });
        }
    });
}
