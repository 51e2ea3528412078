//! PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
//! ASPLOS 2010): a randomised priority scheduler that finds any bug of depth `d` in a program
//! with `n` threads and `k` steps with probability at least `1 / (n · k^(d−1))` per run.
//!
//! The algorithm is documented on [`run_pct`].

use std::sync::Arc;

use weft_bytecode::Program;
use weft_vm::ThreadId;

use crate::run::run;
use crate::{RunConfig, RunReport, SplitMix64};

/// Runs `program` once under PCT with bug depth `depth` and `expected_steps` as the step count
/// `k` the change points are drawn from. `weft run --seed N --pct-depth d --pct-steps k` is
/// this function.
///
/// # The algorithm (fixed; tests pin seed → schedule pairs)
///
/// One [`SplitMix64`] seeded with the run's seed drives every random choice, in this order;
/// `below(n)` takes one draw `r` and gives `(r · n) >> 64`, as [`SplitMix64::below`] does.
///
/// 1. **Change points.** `d − 1` priority-change points `c_1, ..., c_{d−1}` (for `d` =
///    `depth`; a depth of 0 counts as 1), each drawn in turn as `1 + below(k)`: uniform among
///    steps `1..=k` for `k` = `expected_steps` (0 counts as 1), independently (two may
///    coincide, as in the paper's analysis).
/// 2. **Initial priorities.** Threads appear while the program runs, so each thread gets its
///    priority when the scheduler first sees it (before the first step, and after each step that
///    started threads), in ascending id order: the thread is inserted into the list of threads
///    that still hold their initial priority (finished ones included), ordered from highest to
///    lowest, at position
///    `below(m + 1)`, where `m` is the list's length (no draw when `m` is 0). Random insertion
///    makes the final order a uniformly random permutation; read as numbers, the list holds the
///    distinct priorities `d, d + 1, ...` from its end upwards, all above every changed priority.
/// 3. **Steps.** Before each step the scheduler runs the enabled thread with the highest
///    priority (no draw).
/// 4. **Priority changes.** When step `s` (counted from 1, every step counts) has run, the thread
///    that ran it drops to priority `i` for every `i` with `c_i = s`, in ascending `i`
///    (so with coinciding points the largest `i` stays): it leaves the initial list, and ranks
///    below every initial priority and above the changed priorities `< i`.
///
/// Runs past step `k` keep the priorities they have. The same `(seed, depth, expected_steps)`
/// and run options give the same schedule on every machine.
pub fn run_pct(
    program: Arc<Program>,
    seed: u64,
    depth: u32,
    expected_steps: u64,
    config: &RunConfig,
) -> RunReport {
    let mut scheduler = PctScheduler::new(seed, depth, expected_steps);
    run(program, config, |vm, enabled| {
        scheduler.after_step(vm.steps());
        scheduler.see_threads(vm.n_threads());
        Ok::<_, std::convert::Infallible>(scheduler.choose(enabled))
    })
    .unwrap_or_else(|never| match never {})
}

/// The state of one PCT run.
struct PctScheduler {
    rng: SplitMix64,
    /// `change_points[i - 1]` is the step at which the running thread drops to priority `i`.
    change_points: Vec<u64>,
    /// Threads holding their initial priority, highest first.
    initial: Vec<ThreadId>,
    /// Threads whose priority changed, with their new priority `i` (each `i` at most once).
    changed: Vec<(u32, ThreadId)>,
    /// Threads seen so far (their ids are `0..seen`).
    seen: usize,
    /// The thread chosen for the previous step.
    last: Option<ThreadId>,
}

impl PctScheduler {
    fn new(seed: u64, depth: u32, expected_steps: u64) -> PctScheduler {
        let mut rng = SplitMix64::new(seed);
        let k = expected_steps.max(1);
        let change_points = (1..depth.max(1))
            .map(|_| 1 + below_u64(&mut rng, k))
            .collect();
        PctScheduler {
            rng,
            change_points,
            initial: Vec::new(),
            changed: Vec::new(),
            seen: 0,
            last: None,
        }
    }

    /// Applies the priority changes of step `step`, which `self.last` ran.
    fn after_step(&mut self, step: u64) {
        let Some(last) = self.last else { return };
        for (index, &point) in self.change_points.iter().enumerate() {
            if point == step {
                let priority = index as u32 + 1;
                self.initial.retain(|&t| t != last);
                self.changed.retain(|&(_, t)| t != last);
                self.changed.push((priority, last));
            }
        }
    }

    /// Gives every thread not seen yet its initial priority, in id order.
    fn see_threads(&mut self, n_threads: usize) {
        while self.seen < n_threads {
            let thread = ThreadId(self.seen as u32);
            let position = if self.initial.is_empty() {
                0
            } else {
                self.rng.below(self.initial.len() + 1)
            };
            self.initial.insert(position, thread);
            self.seen += 1;
        }
    }

    /// The enabled thread with the highest priority.
    fn choose(&mut self, enabled: &[ThreadId]) -> ThreadId {
        let thread = self
            .initial
            .iter()
            .copied()
            .find(|t| enabled.contains(t))
            .or_else(|| {
                self.changed
                    .iter()
                    .filter(|(_, t)| enabled.contains(t))
                    .max_by_key(|(priority, _)| *priority)
                    .map(|&(_, t)| t)
            })
            .expect("the run loop only asks for a choice when some thread is enabled");
        self.last = Some(thread);
        thread
    }
}

/// A uniform number in `0..n` (`n > 0`) from one draw, by the same rule as
/// [`SplitMix64::below`].
fn below_u64(rng: &mut SplitMix64, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}
