//! Random testing campaigns: many seeded runs, uniform or PCT, with their distinct outcomes and
//! findings, each finding with the seed and schedule that reproduce it (and a shrunk schedule).
//!
//! The campaign is documented on [`random_runs`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use weft_bytecode::Program;
use weft_detect::{DataRace, DeadlockReport, LockOrderCycle, LostUpdate, Severity};

use crate::{
    Ending, RunConfig, RunEnd, RunReport, Schedule, Shrunk, SplitMix64, count_preemptions, run_pct,
    run_random, shrink,
};

/// The seed of run `run_index` (from 0) of a campaign seeded with `base_seed`: the
/// `(run_index + 1)`-th output of [`SplitMix64`] seeded with `base_seed`, computed directly.
pub fn run_seed(base_seed: u64, run_index: u64) -> u64 {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
    SplitMix64::new(base_seed.wrapping_add(run_index.wrapping_mul(GAMMA))).next_u64()
}

/// The step count `k` a campaign gives PCT: the steps of the uniform run with `seed` (at
/// least 1).
pub fn pct_expected_steps(program: Arc<Program>, seed: u64, config: &RunConfig) -> u64 {
    let config = RunConfig {
        trace: false,
        ..config.clone()
    };
    (run_random(program, seed, &config).steps() as u64).max(1)
}

/// Options of a random campaign.
#[derive(Clone, Debug)]
pub struct RandomConfig {
    /// How many runs to do (at most).
    pub runs: u64,
    /// The campaign seed; run `i` uses [`run_seed`]`(seed, i)`.
    pub seed: u64,
    /// Run PCT with this bug depth instead of the uniform random scheduler.
    pub pct_depth: Option<u32>,
    /// Stop after the first run with an error (a finding that is not a warning).
    pub stop_on_first: bool,
    /// Stop starting runs after this much wall-clock time (the only input that makes a report
    /// depend on the machine; a report cut by it says so).
    pub time_limit: Option<Duration>,
    /// Shrink each finding's schedule ([`shrink`]).
    pub shrink: bool,
    /// Options of each run (its `trace` is ignored: campaign runs are never traced).
    pub run: RunConfig,
}

impl Default for RandomConfig {
    fn default() -> RandomConfig {
        RandomConfig {
            runs: 1000,
            seed: 0,
            pct_depth: None,
            stop_on_first: false,
            time_limit: None,
            shrink: true,
            run: RunConfig::default(),
        }
    }
}

/// Why a campaign ended before doing all its runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// [`RandomConfig::stop_on_first`]: a run had a finding.
    FirstFinding,
    /// [`RandomConfig::time_limit`] was reached.
    TimeLimit,
}

/// One distinct outcome of a campaign: what the program printed (or, with observers, the
/// observed values) and how it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RandomOutcome {
    /// How the run ended.
    pub ending: Ending,
    /// Uncaught exceptions of non-main threads, as `(thread name, "Type: message")`.
    pub thread_exceptions: Vec<(String, String)>,
    /// The program's stdout (empty when the program has observers: they replace it).
    pub stdout: String,
    /// The value of each `--observe` expression at the end (Python `repr`), in order.
    pub observed: Vec<String>,
    /// How many runs reached it.
    pub runs: u64,
    /// The first run (from 0) that reached it.
    pub first_run: u64,
    /// That run's seed.
    pub first_seed: u64,
}

/// What a finding is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// A deadlock: distinct deadlocks differ in the blocked threads' names, lines and waits.
    Deadlock {
        /// What each blocked thread waits for (in the first run that found it).
        report: DeadlockReport,
    },
    /// An uncaught exception in the main thread (distinct by message).
    MainException {
        /// `Type: message`.
        exception: String,
    },
    /// An uncaught exception in another thread (distinct by message, whatever the thread).
    ThreadException {
        /// The name of the thread that raised it in the first run that found it.
        thread: String,
        /// `Type: message`.
        exception: String,
    },
    /// A lost update (distinct by location and the lines of the read, the lost write and the
    /// overwriting write).
    LostUpdate {
        /// The three events (thread names from the first run that found it).
        update: LostUpdate,
    },
    /// A data race, a warning (distinct by location, access kinds and lines).
    DataRace {
        /// The two accesses (thread names from the first run that found it).
        race: DataRace,
    },
    /// A cycle of one run's lock-order graph, a warning (distinct by its locks).
    LockOrderCycle {
        /// The nested acquisitions (from the first run that found it).
        cycle: LockOrderCycle,
    },
    /// A warning about how the library was used, seen in a run's end state (a pool-task
    /// exception nobody retrieved, a daemon stopped holding a lock), by message.
    LibraryWarning {
        /// [`weft_detect::Kind::SwallowedTaskException`] or
        /// [`weft_detect::Kind::DaemonStoppedHoldingLock`].
        warning: weft_detect::Kind,
        /// What happened.
        message: String,
        /// Where.
        line: Option<u32>,
    },
    /// A run reached the step limit: possible non-termination.
    StepLimit,
    /// The VM stopped a run (for example a loop without visible operations), by message.
    Aborted {
        /// The VM's message.
        message: String,
    },
}

/// A distinct finding of a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// How many runs found it.
    pub runs: u64,
    /// The first run (from 0) that found it.
    pub first_run: u64,
    /// That run's seed: `weft run --seed` with it (and the PCT flags) reproduces the finding.
    pub seed: u64,
    /// That run's schedule.
    pub schedule: Schedule,
    /// The preemptions in that schedule.
    pub preemptions: usize,
    /// The shrunk schedule, when [`RandomConfig::shrink`] is set.
    pub shrunk: Option<Shrunk>,
}

/// What a campaign did and found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RandomReport {
    /// The campaign seed.
    pub seed: u64,
    /// The PCT bug depth, if PCT was used.
    pub pct_depth: Option<u32>,
    /// The step count `k` PCT's change points were drawn from (see [`pct_expected_steps`]).
    pub pct_expected_steps: Option<u64>,
    /// The runs requested.
    pub runs_requested: u64,
    /// The runs done.
    pub runs: u64,
    /// Why the campaign stopped early, if it did.
    pub stopped: Option<StopReason>,
    /// Visible steps executed by the runs (not counting the step estimate or shrinking).
    pub steps_executed: u64,
    /// The distinct outcomes, sorted by ending, thread exceptions, stdout and observed values.
    pub outcomes: Vec<RandomOutcome>,
    /// The distinct findings, sorted by kind and then by deadlock, message or the like.
    pub findings: Vec<Finding>,
}

/// What makes two runs the same outcome: (ending, thread exceptions, stdout, observed).
type OutcomeKey = (Ending, Vec<(String, String)>, String, Vec<String>);

/// What makes two findings the same, in report order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FindingKey {
    /// Blocked threads' names, lines and waits, as `explore` keys deadlocks.
    Deadlock(String),
    MainException(String),
    ThreadException(String),
    LostUpdate(String, u32, u32, u32),
    DataRace(String, String, u32, String, u32),
    LockOrderCycle(Vec<(String, String)>),
    LibraryWarning(String),
    StepLimit,
    Aborted(String),
}

impl FindingKind {
    /// What makes two findings the same.
    fn key(&self) -> FindingKey {
        match self {
            FindingKind::Deadlock { report } => FindingKey::Deadlock(
                report
                    .blocked
                    .iter()
                    .map(|b| format!("{}@{:?}:{}", b.name, b.line, b.waits_for))
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            FindingKind::MainException { exception } => {
                FindingKey::MainException(exception.clone())
            }
            FindingKind::ThreadException { exception, .. } => {
                FindingKey::ThreadException(exception.clone())
            }
            FindingKind::LostUpdate { update } => FindingKey::LostUpdate(
                update.location.clone(),
                update.read_line,
                update.lost_write_line,
                update.write_line,
            ),
            FindingKind::DataRace { race } => FindingKey::DataRace(
                race.location.clone(),
                race.first_access.clone(),
                race.first_line,
                race.second_access.clone(),
                race.second_line,
            ),
            FindingKind::LockOrderCycle { cycle } => FindingKey::LockOrderCycle(
                (cycle.edges.iter())
                    .map(|e| (e.held.clone(), e.acquired.clone()))
                    .collect(),
            ),
            FindingKind::LibraryWarning { message, .. } => {
                FindingKey::LibraryWarning(message.clone())
            }
            FindingKind::StepLimit => FindingKey::StepLimit,
            FindingKind::Aborted { message } => FindingKey::Aborted(message.clone()),
        }
    }

    /// How serious it is: data races, lock-order cycles and library warnings are warnings, the
    /// rest errors.
    pub fn severity(&self) -> Severity {
        match self {
            FindingKind::DataRace { .. }
            | FindingKind::LockOrderCycle { .. }
            | FindingKind::LibraryWarning { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Whether `report`'s run shows this finding (the same deadlock, the same exception
    /// message, ...): what a replayed or shrunk schedule must reproduce.
    pub fn found_in(&self, report: &RunReport) -> bool {
        let key = self.key();
        findings_of(report).iter().any(|found| found.key() == key)
    }
}

/// The findings of one run.
fn findings_of(report: &RunReport) -> Vec<FindingKind> {
    let mut findings = Vec::new();
    match &report.end {
        RunEnd::Completed => {}
        RunEnd::Deadlocked { report } => findings.push(FindingKind::Deadlock {
            report: report.clone(),
        }),
        RunEnd::StepLimit => findings.push(FindingKind::StepLimit),
        RunEnd::Aborted { message } => findings.push(FindingKind::Aborted {
            message: message.clone(),
        }),
    }
    if let Some(exception) = &report.main_exception {
        findings.push(FindingKind::MainException {
            exception: exception.clone(),
        });
    }
    for (thread, exception) in &report.thread_exceptions {
        findings.push(FindingKind::ThreadException {
            thread: report.thread_names[thread.index()].clone(),
            exception: exception.clone(),
        });
    }
    for update in &report.lost_updates {
        findings.push(FindingKind::LostUpdate {
            update: update.clone(),
        });
    }
    for race in &report.data_races {
        findings.push(FindingKind::DataRace { race: race.clone() });
    }
    for cycle in &report.lock_order_cycles {
        findings.push(FindingKind::LockOrderCycle {
            cycle: cycle.clone(),
        });
    }
    for (kind, message, line) in &report.library_warnings {
        findings.push(FindingKind::LibraryWarning {
            warning: *kind,
            message: message.clone(),
            line: *line,
        });
    }
    // One finding per key and run (two threads raising the same exception, or the same lost
    // update between different threads, count once).
    let mut seen = std::collections::BTreeSet::new();
    findings.retain(|kind| seen.insert(kind.key()));
    findings
}

/// How a run ended, as part of its outcome.
fn ending(report: &RunReport) -> Ending {
    match &report.end {
        RunEnd::Completed => match &report.main_exception {
            Some(exception) => Ending::MainException {
                exception: exception.clone(),
            },
            None => Ending::Completed,
        },
        RunEnd::Deadlocked { .. } => Ending::Deadlocked,
        RunEnd::StepLimit => Ending::StepLimit,
        RunEnd::Aborted { message } => Ending::Aborted {
            message: message.clone(),
        },
    }
}

/// Runs a random campaign over `program`: `config.runs` runs (fewer when stopped early), run
/// `i` with seed [`run_seed`]`(config.seed, i)` under the uniform random scheduler
/// ([`run_random`]) or PCT ([`run_pct`]); then counts the preemptions of each finding's first
/// schedule and, with [`RandomConfig::shrink`], shrinks it ([`shrink`], with
/// [`FindingKind::found_in`] as the test).
///
/// # Reproducing a run
///
/// A uniform run with run seed `N` is [`run_random`]`(N)`, i.e. `weft run --seed N`; a PCT run
/// is [`run_pct`]`(N, d, k)`, i.e. `weft run --seed N --pct-depth d --pct-steps k`, with `k` the
/// campaign's [`RandomReport::pct_expected_steps`]. Every finding also carries its schedule.
///
/// # PCT's step estimate
///
/// PCT draws its change points among the first `k` steps. A campaign measures `k` once, before
/// its first run, as [`pct_expected_steps`]`(config.seed)`: the step count of the uniform run
/// [`run_random`]`(config.seed)` (the campaign seed itself, not a derived run seed), and uses
/// it for every run.
///
/// # Determinism
///
/// The report is a function of the program and the configuration, except where
/// [`RandomConfig::time_limit`] cuts the campaign short (the report says so; shrinking has a
/// budget in runs and steps, never in time). Outcomes and findings are kept in ordered maps,
/// so they come out sorted.
pub fn random_runs(program: Arc<Program>, config: &RandomConfig) -> RandomReport {
    let started = Instant::now();
    let run_config = RunConfig {
        trace: false,
        ..config.run.clone()
    };
    let observing = !program.observers.is_empty();
    let pct_expected_steps = config
        .pct_depth
        .map(|_| pct_expected_steps(Arc::clone(&program), config.seed, &run_config));
    let mut outcomes: BTreeMap<OutcomeKey, RandomOutcome> = BTreeMap::new();
    let mut findings: BTreeMap<FindingKey, Finding> = BTreeMap::new();
    let mut runs = 0;
    let mut steps_executed = 0;
    let mut stopped = None;
    while runs < config.runs {
        if let Some(limit) = config.time_limit
            && started.elapsed() >= limit
        {
            stopped = Some(StopReason::TimeLimit);
            break;
        }
        let seed = run_seed(config.seed, runs);
        let report = match (config.pct_depth, pct_expected_steps) {
            (Some(depth), Some(steps)) => {
                run_pct(Arc::clone(&program), seed, depth, steps, &run_config)
            }
            _ => run_random(Arc::clone(&program), seed, &run_config),
        };
        steps_executed += report.steps() as u64;
        let thread_exceptions = report
            .thread_exceptions
            .iter()
            .map(|(t, e)| (report.thread_names[t.index()].clone(), e.clone()))
            .collect::<Vec<_>>();
        let key = if observing {
            (
                ending(&report),
                thread_exceptions,
                String::new(),
                report.observed.clone(),
            )
        } else {
            (
                ending(&report),
                thread_exceptions,
                report.stdout.clone(),
                Vec::new(),
            )
        };
        outcomes
            .entry(key)
            .or_insert_with_key(
                |(ending, thread_exceptions, stdout, observed)| RandomOutcome {
                    ending: ending.clone(),
                    thread_exceptions: thread_exceptions.clone(),
                    stdout: stdout.clone(),
                    observed: observed.clone(),
                    runs: 0,
                    first_run: runs,
                    first_seed: seed,
                },
            )
            .runs += 1;
        let found = findings_of(&report);
        let any_error = found.iter().any(|f| f.severity() == Severity::Error);
        for kind in found {
            findings
                .entry(kind.key())
                .or_insert_with(|| Finding {
                    kind,
                    runs: 0,
                    first_run: runs,
                    seed,
                    schedule: report.schedule.clone(),
                    preemptions: 0,
                    shrunk: None,
                })
                .runs += 1;
        }
        runs += 1;
        if config.stop_on_first && any_error {
            stopped = Some(StopReason::FirstFinding);
            break;
        }
    }
    let findings = findings
        .into_values()
        .map(|mut finding| {
            finding.preemptions =
                count_preemptions(Arc::clone(&program), &finding.schedule, &run_config)
                    .expect("a schedule the scheduler produced replays");
            // Warnings are not shrunk: their runs' seeds and schedules reproduce them.
            if config.shrink && finding.kind.severity() == Severity::Error {
                let kind = finding.kind.clone();
                let same_finding = |report: &RunReport| kind.found_in(report);
                finding.shrunk = Some(shrink(
                    Arc::clone(&program),
                    &finding.schedule,
                    &run_config,
                    &same_finding,
                ));
            }
            finding
        })
        .collect();
    RandomReport {
        seed: config.seed,
        pct_depth: config.pct_depth,
        pct_expected_steps,
        runs_requested: config.runs,
        runs,
        stopped,
        steps_executed,
        outcomes: outcomes.into_values().collect(),
        findings,
    }
}
