//! Counterexample shrinking: a failing schedule is reduced to the fewest preemptions, then the
//! fewest steps, that still reproduce the same finding.
//!
//! A *preemption* is a step that switches away from a thread that could still run (the thread
//! of the previous step is enabled but another one is chosen), as in CHESS and
//! [`ExploreConfig::preemption_bound`](crate::ExploreConfig::preemption_bound).
//!
//! The algorithm is documented on [`shrink`].

use std::sync::Arc;

use serde::Serialize;
use weft_bytecode::Program;
use weft_vm::ThreadId;

use crate::run::{not_enabled, run, too_long};
use crate::{ReplayError, RunConfig, RunReport, Schedule, replay};

/// The most runs one [`shrink`] performs.
pub const MAX_SHRINK_REPLAYS: u64 = 2_000;

/// The most steps one [`shrink`] executes in total, over all its runs: a few seconds of work.
/// A schedule of a million steps leaves room for about twenty candidate runs; one that reaches
/// the default step limit of ten million, for one.
pub const MAX_SHRINK_STEPS: u64 = 20_000_000;

/// The result of [`shrink`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shrunk {
    /// The shrunk schedule; [`replay`](crate::replay) reproduces the finding with it.
    pub schedule: Schedule,
    /// Its preemptions.
    pub preemptions: usize,
    /// The original schedule's preemptions.
    pub original_preemptions: usize,
    /// The runs the shrinker performed.
    pub replays: u64,
    /// Whether shrinking reached a fixpoint (false: the budget ran out first).
    pub fixpoint: bool,
}

/// A run of one thread, as part of a constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    thread: ThreadId,
    steps: usize,
}

fn segments(choices: &[ThreadId]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    for &thread in choices {
        match segments.last_mut() {
            Some(last) if last.thread == thread => last.steps += 1,
            _ => segments.push(Segment { thread, steps: 1 }),
        }
    }
    segments
}

/// A constrained run: its report and the steps (from 0) at which it preempted.
struct ConstrainedRun {
    report: RunReport,
    preemption_steps: Vec<usize>,
}

impl ConstrainedRun {
    /// The order in which runs are preferred: fewer preemptions, then fewer steps.
    fn cost(&self) -> (usize, usize) {
        (self.preemption_steps.len(), self.report.steps())
    }
}

/// Runs `program` under the lenient constraint `segments` (see the module documentation).
fn run_constrained(
    program: Arc<Program>,
    segments: &[Segment],
    config: &RunConfig,
) -> ConstrainedRun {
    let mut index = 0;
    let mut used = 0;
    let mut last: Option<ThreadId> = None;
    let mut preemption_steps = Vec::new();
    let report = run(program, config, |vm, enabled| {
        let thread = loop {
            match segments.get(index) {
                Some(segment) if used < segment.steps && enabled.contains(&segment.thread) => {
                    used += 1;
                    break segment.thread;
                }
                Some(_) => {
                    index += 1;
                    used = 0;
                }
                None => break non_preemptive(last, enabled),
            }
        };
        if let Some(previous) = last
            && previous != thread
            && enabled.contains(&previous)
        {
            preemption_steps.push(vm.steps() as usize);
        }
        last = Some(thread);
        Ok::<_, std::convert::Infallible>(thread)
    })
    .unwrap_or_else(|never| match never {});
    ConstrainedRun {
        report,
        preemption_steps,
    }
}

/// The non-preemptive choice: the previous step's thread while it is enabled, else the lowest
/// enabled id.
fn non_preemptive(last: Option<ThreadId>, enabled: &[ThreadId]) -> ThreadId {
    match last {
        Some(thread) if enabled.contains(&thread) => thread,
        _ => enabled[0],
    }
}

/// Replays `prefix` exactly, then completes the run non-preemptively: it keeps the thread of
/// the previous step while that thread is enabled, else takes the lowest enabled id. A prefix
/// that picks a thread that cannot run is an error, as in [`replay`](crate::replay); a prefix
/// longer than the run is [`ReplayError::TooLong`].
pub fn replay_prefix(
    program: Arc<Program>,
    prefix: &Schedule,
    config: &RunConfig,
) -> Result<RunReport, ReplayError> {
    let choices = prefix.choices();
    let mut last = None;
    let report = run(program, config, |vm, enabled| {
        let thread = match choices.get(vm.steps() as usize) {
            Some(&thread) if enabled.contains(&thread) => thread,
            Some(&thread) => return Err(not_enabled(vm, enabled, thread)),
            None => non_preemptive(last, enabled),
        };
        last = Some(thread);
        Ok(thread)
    })?;
    if report.steps() < choices.len() {
        return Err(too_long(&report, choices.len()));
    }
    Ok(report)
}

/// The number of preemptions of `schedule`: steps that switch away from a thread that could
/// still run. The schedule must replay exactly ([`replay`](crate::replay)'s errors otherwise).
pub fn count_preemptions(
    program: Arc<Program>,
    schedule: &Schedule,
    config: &RunConfig,
) -> Result<usize, ReplayError> {
    let exact = run_constrained(
        Arc::clone(&program),
        &segments(schedule.choices()),
        &quiet(config),
    );
    if exact.report.schedule == *schedule {
        return Ok(exact.preemption_steps.len());
    }
    match replay(program, schedule, config) {
        Err(error) => Err(error),
        Ok(_) => panic!("a constraint built from a valid schedule must follow it exactly"),
    }
}

/// The run options for the shrinker's own runs: no trace.
fn quiet(config: &RunConfig) -> RunConfig {
    RunConfig {
        trace: false,
        ..config.clone()
    }
}

/// Shrinks `schedule`, a schedule of `program` whose run `same_finding` accepts, to the fewest
/// preemptions and then the fewest steps the algorithm below finds (greedy: a local minimum,
/// not always the global one). The result never has more preemptions than `schedule`, and
/// [`replay`](crate::replay) of it gives a run `same_finding` accepts. A schedule that does not
/// replay, or whose run `same_finding` rejects, is returned unchanged.
///
/// # The algorithm
///
/// A schedule is read as *segments*: maximal runs of one thread. A list of segments is a
/// *constraint*, run leniently: the scheduler takes the current segment's thread while it is
/// enabled and the segment has steps left, skips to the next segment otherwise, and once the
/// segments are used up completes the run *non-preemptively* (it keeps the thread of the
/// previous step while that thread is enabled, else takes the lowest enabled id). Every
/// constraint therefore yields a run, and its executed schedule is an exact schedule that
/// [`replay`](crate::replay) reproduces.
///
/// Starting from the original schedule's segments, the shrinker tries candidate constraints and
/// accepts the first whose run reproduces the finding (the caller's `same_finding`) with fewer
/// preemptions, or as many preemptions and fewer steps; the accepted run's schedule becomes the
/// new starting point. The candidates, in order:
///
/// 1. the shortest prefix of segments whose non-preemptive completion reproduces (a binary
///    search over the number of segments kept);
/// 2. for each preemption, in schedule order: drop the preempting segment (its thread runs
///    later); move each later segment, in order, to just before it (which lets the preempted
///    thread run on when the segment is that thread's, and reorders threads otherwise); or
///    move the preempting segment back onto its thread's previous segment;
/// 3. dropping each other segment (fewer steps before the finding).
///
/// It stops at a fixpoint (no candidate improves) or when the budget runs out:
/// [`MAX_SHRINK_REPLAYS`] runs or [`MAX_SHRINK_STEPS`] steps in total, whichever comes first.
/// Every accepted schedule improves `(preemptions, steps)`, so the result never has more
/// preemptions than the original, and shrinking is deterministic: no clock is read.
pub fn shrink(
    program: Arc<Program>,
    schedule: &Schedule,
    config: &RunConfig,
    same_finding: &dyn Fn(&RunReport) -> bool,
) -> Shrunk {
    let config = quiet(config);
    let mut best = run_constrained(Arc::clone(&program), &segments(schedule.choices()), &config);
    let original_preemptions = best.preemption_steps.len();
    let mut shrinker = Shrinker {
        program,
        config: &config,
        same_finding,
        replays: 1,
        steps: best.report.steps() as u64,
    };
    if best.report.schedule != *schedule || !same_finding(&best.report) {
        return Shrunk {
            schedule: schedule.clone(),
            preemptions: original_preemptions,
            original_preemptions,
            replays: shrinker.replays,
            fixpoint: true,
        };
    }
    let fixpoint = loop {
        match shrinker.improve(&best) {
            Step::Improved(better) => best = *better,
            Step::Fixpoint => break true,
            Step::OutOfBudget => break false,
        }
    };
    Shrunk {
        preemptions: best.preemption_steps.len(),
        schedule: best.report.schedule,
        original_preemptions,
        replays: shrinker.replays,
        fixpoint,
    }
}

struct Shrinker<'a> {
    program: Arc<Program>,
    config: &'a RunConfig,
    same_finding: &'a dyn Fn(&RunReport) -> bool,
    replays: u64,
    steps: u64,
}

enum Step {
    Improved(Box<ConstrainedRun>),
    Fixpoint,
    OutOfBudget,
}

impl Shrinker<'_> {
    /// Runs a candidate constraint; `None` when the budget is spent.
    fn attempt(&mut self, candidate: &[Segment]) -> Option<ConstrainedRun> {
        if self.replays >= MAX_SHRINK_REPLAYS || self.steps >= MAX_SHRINK_STEPS {
            return None;
        }
        let result = run_constrained(Arc::clone(&self.program), candidate, self.config);
        self.replays += 1;
        self.steps += result.report.steps() as u64;
        Some(result)
    }

    fn reproduces(&self, result: &ConstrainedRun) -> bool {
        (self.same_finding)(&result.report)
    }

    /// One round: the first candidate that improves on `best`.
    fn improve(&mut self, best: &ConstrainedRun) -> Step {
        let segments = segments(best.report.schedule.choices());
        // 1. The shortest prefix of segments that still reproduces, completed without
        //    preemptions (binary search: `high` always reproduces at no higher cost).
        let (mut low, mut high) = (0, segments.len());
        let mut found: Option<ConstrainedRun> = None;
        while low < high {
            let middle = low + (high - low) / 2;
            let Some(result) = self.attempt(&segments[..middle]) else {
                return Step::OutOfBudget;
            };
            if self.reproduces(&result) && result.cost() <= best.cost() {
                high = middle;
                found = Some(result);
            } else {
                low = middle + 1;
            }
        }
        if let Some(result) = found
            && result.cost() < best.cost()
        {
            return Step::Improved(Box::new(result));
        }
        // 2. Remove each preemption; 3. drop each other segment.
        let mut starts = Vec::with_capacity(segments.len());
        let mut position = 0;
        for segment in &segments {
            starts.push(position);
            position += segment.steps;
        }
        let n_segments = segments.len();
        let is_preempting = |j: &usize| best.preemption_steps.binary_search(&starts[*j]).is_ok();
        // Generated lazily: with many segments the list would be quadratic.
        let around_preemptions = (1..n_segments).filter(is_preempting).flat_map(|j| {
            std::iter::once((j, Edit::Drop))
                .chain((j + 1..n_segments).map(move |from| (j, Edit::PullForward { from })))
                .chain(std::iter::once((j, Edit::MoveBack)))
        });
        let others = (1..n_segments)
            .filter(|j| !is_preempting(j))
            .map(|j| (j, Edit::Drop));
        let candidates = around_preemptions.chain(others);
        for (j, edit) in candidates {
            let Some(candidate) = edit.apply(&segments, j) else {
                continue;
            };
            let Some(result) = self.attempt(&candidate) else {
                return Step::OutOfBudget;
            };
            if result.cost() < best.cost() && self.reproduces(&result) {
                return Step::Improved(Box::new(result));
            }
        }
        Step::Fixpoint
    }
}

/// A change to a constraint around segment `j`.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// Remove segment `j`: its thread runs later.
    Drop,
    /// Move the later segment `from` to just before segment `j` (when `from` is the preempted
    /// thread's next segment, the preempted thread simply runs on).
    PullForward {
        /// The segment to move.
        from: usize,
    },
    /// Move segment `j` back onto the previous segment of its thread.
    MoveBack,
}

impl Edit {
    fn apply(self, segments: &[Segment], j: usize) -> Option<Vec<Segment>> {
        let mut result = segments.to_vec();
        match self {
            Edit::Drop => {
                result.remove(j);
            }
            Edit::PullForward { from } => {
                let segment = result.remove(from);
                result.insert(j, segment);
            }
            Edit::MoveBack => {
                let thread = segments[j].thread;
                let previous = (0..j - 1).rev().find(|&k| segments[k].thread == thread)?;
                result[previous].steps += segments[j].steps;
                result.remove(j);
            }
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_maximal_runs() {
        let ids = |v: &[u32]| v.iter().map(|&t| ThreadId(t)).collect::<Vec<_>>();
        let got = segments(&ids(&[0, 0, 1, 0, 0, 0]));
        assert_eq!(
            got,
            [
                Segment {
                    thread: ThreadId(0),
                    steps: 2
                },
                Segment {
                    thread: ThreadId(1),
                    steps: 1
                },
                Segment {
                    thread: ThreadId(0),
                    steps: 3
                },
            ]
        );
    }
}
