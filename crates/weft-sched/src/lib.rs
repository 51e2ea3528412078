//! weft's schedulers: the schedule format, the seeded random scheduler, PCT, exact replay,
//! exhaustive exploration, random campaigns and counterexample shrinking.
//!
//! A strategy picks a thread among the enabled ones, `Vm::step` runs it through its next
//! visible operation, and the run loop collects the schedule, the output and how the run ended
//! into a [`RunReport`]. The random scheduler, PCT, replay and the shrinker's constrained runs
//! all share that loop; exploration keeps its own search over VM snapshots.
#![deny(missing_docs)]

mod explore;
mod pct;
mod random;
mod rng;
mod run;
mod schedule;
mod shrink;

pub use explore::{
    Bound, DataRaceFinding, DeadlockFinding, Ending, ExceptionFinding, ExploreConfig,
    ExploreFinding, ExploreReport, LostUpdateFinding, Outcome, Progress, Strategy, explore,
    explore_with_progress,
};
pub use pct::run_pct;
pub use random::{
    Finding, FindingKind, RandomConfig, RandomOutcome, RandomReport, StopReason,
    pct_expected_steps, random_runs, run_seed,
};
pub use rng::SplitMix64;
pub use run::{ReplayError, RunConfig, RunEnd, RunReport, TraceStep, replay, run_random};
pub use schedule::{Schedule, ScheduleParseError};
pub use shrink::{
    MAX_SHRINK_REPLAYS, MAX_SHRINK_STEPS, Shrunk, count_preemptions, replay_prefix, shrink,
};
