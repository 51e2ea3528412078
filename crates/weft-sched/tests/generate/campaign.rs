//! One case of the soundness campaign: generate a scenario from its case seed, compile it,
//! explore it with DFS and (when DFS is exhaustive) DPOR, and say how they compare; shrink a
//! disagreement to a small scenario that still shows one.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use weft_bytecode::Program;
use weft_sched::{ExploreConfig, RunConfig, SplitMix64, run_random};
use weft_vm::ThreadId;

use super::{Scenario, scenario, shrink};
use crate::common::{Comparison, explore_both, try_compile};

/// Exception types a generated program raises only when the generator wrote something wrong
/// (every other exception is something a schedule can make the program do: `IndexError` from
/// popping an emptied list, `queue.Empty`, `RuntimeError` from releasing a lock nobody
/// holds, ...).
const GENERATOR_BUG_EXCEPTIONS: &[&str] = &[
    "NameError",
    "UnboundLocalError",
    "TypeError",
    "AttributeError",
    "NotImplementedError",
    "SyntaxError",
];

/// The seed of case `case` of the campaign seeded `seed`: one SplitMix64 draw from a state
/// spread by the case index, so any case can be rerun alone from its own seed.
pub(crate) fn case_seed(seed: u64, case: u64) -> u64 {
    SplitMix64::new(seed ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64()
}

/// The most interleavings [`interleaving_estimate`] may give a case's scenario: larger ones
/// lose random statements until they fit, so that most cases stay within DFS's reach.
pub(crate) const INTERLEAVING_BUDGET: f64 = 2_500.0;

/// The scenario of a case seed: generated, then fitted to [`INTERLEAVING_BUDGET`].
pub(crate) fn case_scenario(case_seed: u64) -> Scenario {
    let mut rng = SplitMix64::new(case_seed);
    let mut scenario = scenario(&mut rng);
    while scenario.n_statements() > 1 {
        let Ok(program) = try_compile(&scenario.source(), &[]) else {
            break;
        };
        // A panic in weft is left for `verdict` to report.
        let estimate =
            std::panic::catch_unwind(|| interleaving_estimate(&program, scenario.print_atomic));
        if estimate.is_err() || estimate.is_ok_and(|e| e <= INTERLEAVING_BUDGET) {
            break;
        }
        scenario = scenario.without_random_statement(&mut rng);
    }
    scenario
}

/// A cheap estimate of how many interleavings DFS explores: over a few random runs, the
/// largest multinomial of the steps each thread takes while another thread could run too
/// (blocking and joins make the truth smaller, unexplored branches larger).
pub(crate) fn interleaving_estimate(program: &Arc<Program>, print_atomic: bool) -> f64 {
    let config = RunConfig {
        max_steps: 2_000,
        trace: true,
        print_atomic,
        ..RunConfig::default()
    };
    (0..3)
        .map(|seed| {
            let report = run_random(Arc::clone(program), seed, &config);
            let mut counts: BTreeMap<ThreadId, u32> = BTreeMap::new();
            for step in report.trace.iter().filter(|step| step.enabled.len() > 1) {
                *counts.entry(step.thread).or_default() += 1;
            }
            // The multinomial as a product of binomials, in floating point.
            let mut total = 0.0;
            let mut estimate = 1.0;
            for &count in counts.values() {
                for i in 1..=count {
                    total += 1.0;
                    estimate *= total / f64::from(i);
                }
            }
            estimate
        })
        .fold(0.0, f64::max)
}

/// How one scenario fared.
pub(crate) enum Verdict {
    /// weft-lang rejected it: a generator bug.
    Rejected(String),
    /// Some schedule raised an exception only a malformed program raises: a generator bug.
    IllFormed(String),
    /// weft panicked (a weft bug): the panic message.
    Panicked(String),
    /// DFS was cut by the schedule cap: nothing to compare.
    Skipped,
    /// DPOR found what DFS found.
    Agreed {
        /// Schedules DFS and DPOR executed.
        schedules: (u64, u64),
    },
    /// DPOR differs from DFS: these differences.
    Disagreed(Vec<String>),
}

/// The exploration options of `scenario` with at most `cap` schedules per search.
pub(crate) fn config(scenario: &Scenario, cap: u64) -> ExploreConfig {
    ExploreConfig {
        max_schedules: Some(cap),
        print_atomic: scenario.print_atomic,
        ..ExploreConfig::default()
    }
}

/// Compiles and compares one scenario; a panic in weft is a verdict too.
pub(crate) fn verdict(scenario: &Scenario, cap: u64) -> Verdict {
    let source = scenario.source();
    let program = match try_compile(&source, &[]) {
        Ok(program) => program,
        Err(diagnostics) => return Verdict::Rejected(diagnostics),
    };
    let config = config(scenario, cap);
    let explored = std::panic::catch_unwind(|| explore_both(&program, &config));
    let comparison = match explored {
        Ok(comparison) => comparison,
        Err(payload) => {
            let message = (payload.downcast_ref::<String>().cloned())
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".to_string());
            return Verdict::Panicked(message);
        }
    };
    if let Some(exception) = generator_bug_exception(&comparison) {
        return Verdict::IllFormed(exception);
    }
    let Some(dpor) = &comparison.dpor else {
        return Verdict::Skipped;
    };
    let differences = comparison.differences();
    if differences.is_empty() {
        Verdict::Agreed {
            schedules: (comparison.dfs.schedules_executed, dpor.schedules_executed),
        }
    } else {
        Verdict::Disagreed(differences)
    }
}

/// The first exception DFS saw that only a malformed program raises.
fn generator_bug_exception(comparison: &Comparison) -> Option<String> {
    let is_bug = |text: &str| {
        GENERATOR_BUG_EXCEPTIONS
            .iter()
            .any(|name| text.starts_with(&format!("{name}:")) || text == *name)
    };
    comparison.dfs.outcomes.iter().find_map(|outcome| {
        let main = match &outcome.ending {
            weft_sched::Ending::MainException { exception } => Some(exception.clone()),
            _ => None,
        };
        main.into_iter()
            .chain(outcome.thread_exceptions.iter().map(|(_, e)| e.clone()))
            .find(|text| is_bug(text))
    })
}

/// A failing case shrunk: the smallest scenario found that still fails the same way, and how
/// (a disagreement's differences, or a panic's message).
pub(crate) struct Shrunk {
    pub(crate) scenario: Scenario,
    pub(crate) differences: Vec<String>,
}

/// Shrinks a disagreeing `scenario` by deleting threads and statements (and simplifying
/// statements and parameters) while DPOR still disagrees with an exhaustive DFS, within
/// `budget` comparisons.
pub(crate) fn shrink_disagreement(scenario: &Scenario, cap: u64, budget: usize) -> Shrunk {
    let disagrees = |s: &Scenario| matches!(verdict(s, cap), Verdict::Disagreed(_));
    let shrunk = shrink(scenario, budget, disagrees);
    let differences = match verdict(&shrunk, cap) {
        Verdict::Disagreed(differences) => differences,
        _ => unreachable!("a shrunk scenario still disagrees"),
    };
    Shrunk {
        scenario: shrunk,
        differences,
    }
}

/// Shrinks a `scenario` that makes weft panic while it panics with the same message.
pub(crate) fn shrink_panic(scenario: &Scenario, message: &str, cap: u64, budget: usize) -> Shrunk {
    let panics = |s: &Scenario| matches!(verdict(s, cap), Verdict::Panicked(m) if m == message);
    Shrunk {
        scenario: shrink(scenario, budget, panics),
        differences: vec![format!("weft panicked: {message}")],
    }
}

/// Renders a shrunk disagreement for a failure message: class, options, differences, source.
pub(crate) fn describe(case: u64, case_seed: u64, shrunk: &Shrunk) -> String {
    describe_scenario(case, case_seed, &shrunk.scenario, &shrunk.differences)
}

/// Renders a failing scenario (shrunk or not) for a failure message.
pub(crate) fn describe_scenario(
    case: u64,
    case_seed: u64,
    scenario: &Scenario,
    differences: &[String],
) -> String {
    let mut text = format!(
        "case {case} (case seed {case_seed:#018x}): class [{}]{}\n",
        scenario.labels().join(", "),
        if scenario.print_atomic {
            ", explored with --print atomic"
        } else {
            ""
        }
    );
    for difference in differences {
        text.push_str(difference);
        text.push('\n');
    }
    text.push_str("--- source\n");
    text.push_str(&scenario.source());
    text
}

/// Runs `job(index)` for every index below `n` on `threads` threads; results in index order.
pub(crate) fn parallel<T: Send>(
    n: usize,
    threads: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(n));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(n.max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= n {
                        break;
                    }
                    let result = job(index);
                    results.lock().expect("no panic").push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no panic");
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}
