//! weft's schedulers: the schedule format, the seeded random scheduler and exact replay.
//!
//! A strategy picks a thread among the enabled ones, `Vm::step` runs it through its next
//! visible operation, and the run loop collects the schedule, the output and how the run ended
//! into a [`RunReport`]. Exhaustive exploration, DPOR and PCT will plug into the same loop.
#![deny(missing_docs)]

mod explore;
mod rng;
mod run;
mod schedule;

pub use explore::{
    Bound, DeadlockFinding, Ending, ExploreConfig, ExploreReport, Outcome, Progress, Strategy,
    dependent, explore, explore_with_progress,
};
pub use rng::SplitMix64;
pub use run::{ReplayError, RunConfig, RunEnd, RunReport, TraceStep, replay, run_random};
pub use schedule::{Schedule, ScheduleParseError};
