//! The library modules a scenario imports: `threading` (threads, locks and the other
//! synchronisation objects), `queue`, `concurrent.futures`, `time`, `logging`, `random` and
//! `sys`.
//!
//! Time is virtual and frozen in this slice: `time.time()` is [`VIRTUAL_EPOCH`] and
//! `time.monotonic()`/`time.perf_counter()` are `0.0`; `time.sleep(x)` blocks nothing and is a
//! pure scheduling point (design §2 "Time", `--time any`).

mod futures;
mod logging;
mod queue;
mod random;
mod sync;
mod threading;
mod time;

pub(crate) use futures::FuturesIter;
pub(crate) use logging::LoggingConfig;
pub(crate) use random::Rng;
pub(crate) use sync::{SyncClass, SyncState};
pub(crate) use threading::TIMEOUT_MAX;

/// What `time.time()` returns: 2024-01-01T00:00:00Z, so output is reproducible.
pub(crate) const VIRTUAL_EPOCH: f64 = 1_704_067_200.0;
