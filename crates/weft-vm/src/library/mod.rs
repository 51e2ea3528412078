//! The library modules a scenario imports: `threading` (threads and locks) and `time`.
//!
//! Time is virtual and frozen in this slice: `time.time()` is [`VIRTUAL_EPOCH`] and
//! `time.monotonic()`/`time.perf_counter()` are `0.0`; `time.sleep(x)` blocks nothing and is a
//! pure scheduling point (design §2 "Time", `--time any`).

mod threading;

pub(crate) use threading::TIMEOUT_MAX;
mod time;

/// What `time.time()` returns: 2024-01-01T00:00:00Z, so output is reproducible.
pub(crate) const VIRTUAL_EPOCH: f64 = 1_704_067_200.0;
