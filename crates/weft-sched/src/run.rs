//! One run of a program under one schedule: chosen by the seeded random scheduler, or replayed.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use weft_bytecode::Program;
use weft_detect::{
    DataRace, DeadlockReport, Described, DetectorState, LockOrderCycle, LockOrderGraph, LostUpdate,
    deadlock_report, describe_block,
};
use weft_vm::{RunStatus, ThreadId, ThreadState, Vm, VmConfig};

use crate::{Schedule, SplitMix64};

/// Options of a single run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The most steps a run may take; a run that reaches it ends as [`RunEnd::StepLimit`].
    pub max_steps: u64,
    /// Whether to record a [`TraceStep`] per step (and the values read and written).
    pub trace: bool,
    /// Whether one `print` call is one step (instead of one step per piece written).
    pub print_atomic: bool,
    /// The seed of the `random` module (`--data-seed`).
    pub data_seed: u64,
    /// `--time virtual`: a virtual clock for `sleep`, timeouts and timers.
    pub virtual_time: bool,
}

impl Default for RunConfig {
    fn default() -> RunConfig {
        RunConfig {
            max_steps: 10_000_000,
            trace: false,
            print_atomic: false,
            data_seed: 0,
            virtual_time: false,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunEnd {
    /// Every thread finished (the main thread may still have raised; see `main_exception`).
    Completed,
    /// Some thread is unfinished and none can run.
    Deadlocked {
        /// What each blocked thread waits for.
        report: DeadlockReport,
    },
    /// The run reached [`RunConfig::max_steps`]: possible non-termination.
    StepLimit,
    /// The VM stopped the run (for example a loop without visible operations).
    Aborted {
        /// The VM's message.
        message: String,
    },
}

/// One step of a traced run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceStep {
    /// The step number, from 1.
    pub step: u64,
    /// The thread that ran.
    pub thread: ThreadId,
    /// The source line of the operation.
    pub line: u32,
    /// The visible operation, in words.
    pub operation: String,
    /// The value read or written, the text printed, or the lock's result.
    pub detail: Option<String>,
    /// The threads that were enabled before the step.
    pub enabled: Vec<ThreadId>,
}

/// Everything one run produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// The thread chosen at each step.
    pub schedule: Schedule,
    /// How the run ended.
    pub end: RunEnd,
    /// What the program printed.
    pub stdout: String,
    /// What the program wrote to stderr (uncaught exception reports).
    pub stderr: String,
    /// The main thread's uncaught exception (`RuntimeError: release unlocked lock`), if any.
    pub main_exception: Option<String>,
    /// The uncaught exceptions of the other threads (each ended only its thread), by thread.
    pub thread_exceptions: Vec<(ThreadId, String)>,
    /// Every thread's name, by id.
    pub thread_names: Vec<String>,
    /// The values of the program's `--observe` expressions at the end of the run.
    pub observed: Vec<String>,
    /// The lost updates of this run, in the order they happened.
    pub lost_updates: Vec<LostUpdate>,
    /// The data races of this run (warnings), in the order found, one per location, access
    /// kinds and lines (the first pair of threads that showed it).
    pub data_races: Vec<DataRace>,
    /// The cycles of this run's lock-order graph (warnings): potential deadlocks.
    pub lock_order_cycles: Vec<LockOrderCycle>,
    /// Warnings about how the library was used, seen in the end state: (kind, message, line).
    pub library_warnings: Vec<(weft_detect::Kind, String, Option<u32>)>,
    /// The steps, when [`RunConfig::trace`] was set.
    pub trace: Vec<TraceStep>,
}

impl RunReport {
    /// The number of steps taken.
    pub fn steps(&self) -> usize {
        self.schedule.len()
    }
}

/// Why a schedule could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The schedule names a thread that cannot run at that step.
    NotEnabled {
        /// The step, from 1.
        step: usize,
        /// The thread the schedule names.
        thread: ThreadId,
        /// Why it cannot run.
        why: String,
        /// The threads that could run, with their names.
        enabled: Vec<(ThreadId, String)>,
    },
    /// The schedule is longer than the run.
    TooLong {
        /// The steps the run took before it ended.
        steps: usize,
        /// How the run ended.
        end: String,
        /// The schedule's length.
        schedule_len: usize,
    },
    /// The schedule ended while threads could still run.
    TooShort {
        /// The schedule's length.
        schedule_len: usize,
        /// The threads that could run next, with their names.
        enabled: Vec<(ThreadId, String)>,
    },
}

fn list_threads(threads: &[(ThreadId, String)]) -> String {
    if threads.is_empty() {
        return "none".to_string();
    }
    threads
        .iter()
        .map(|(id, name)| format!("{id} ({name})"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::NotEnabled {
                step,
                thread,
                why,
                enabled,
            } => write!(
                f,
                "the schedule picks thread {thread} at step {step}, but {why}; enabled at that step: {}",
                list_threads(enabled)
            ),
            ReplayError::TooLong {
                steps,
                end,
                schedule_len,
            } => write!(
                f,
                "the run {end} after {steps} steps, but the schedule has {schedule_len}: check that it belongs to this scenario"
            ),
            ReplayError::TooShort {
                schedule_len,
                enabled,
            } => write!(
                f,
                "the schedule ends after {schedule_len} step{}, but the run is not over; enabled at step {}: {}",
                if *schedule_len == 1 { "" } else { "s" },
                schedule_len + 1,
                list_threads(enabled)
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Runs `program` under the seeded random scheduler: at each step with more than one enabled
/// thread, one draw of [`SplitMix64`] picks among them in ascending id order.
pub fn run_random(program: Arc<Program>, seed: u64, config: &RunConfig) -> RunReport {
    let mut rng = SplitMix64::new(seed);
    run(program, config, |_, enabled| {
        Ok::<_, std::convert::Infallible>(if enabled.len() == 1 {
            enabled[0]
        } else {
            enabled[rng.below(enabled.len())]
        })
    })
    .unwrap_or_else(|never| match never {})
}

/// Replays `schedule` exactly.
pub fn replay(
    program: Arc<Program>,
    schedule: &Schedule,
    config: &RunConfig,
) -> Result<RunReport, ReplayError> {
    let choices = schedule.choices();
    let report = run(program, config, |vm, enabled| {
        let step = vm.steps() as usize;
        let Some(&thread) = choices.get(step) else {
            return Err(ReplayError::TooShort {
                schedule_len: choices.len(),
                enabled: named(vm, enabled),
            });
        };
        if enabled.contains(&thread) {
            return Ok(thread);
        }
        Err(not_enabled(vm, enabled, thread))
    })?;
    if report.steps() < choices.len() {
        return Err(too_long(&report, choices.len()));
    }
    Ok(report)
}

/// The error for a schedule of `schedule_len` steps whose run ended sooner, as `report`.
pub(crate) fn too_long(report: &RunReport, schedule_len: usize) -> ReplayError {
    let end = match report.end {
        RunEnd::Completed => "completed",
        RunEnd::Deadlocked { .. } => "deadlocked",
        RunEnd::StepLimit => "reached the step limit",
        RunEnd::Aborted { .. } => "was aborted",
    };
    ReplayError::TooLong {
        steps: report.steps(),
        end: end.to_string(),
        schedule_len,
    }
}

/// The error for a schedule that picks `thread`, which is not among `enabled`, at the next step.
pub(crate) fn not_enabled(vm: &Vm, enabled: &[ThreadId], thread: ThreadId) -> ReplayError {
    let why = if thread.0 as usize >= vm.n_threads() {
        let existing = match vm.n_threads() {
            1 => "only thread 0 exists".to_string(),
            n => format!("threads 0 to {} exist", n - 1),
        };
        format!("no thread {thread} has been started by then ({existing})")
    } else if vm.thread_state(thread) == ThreadState::Finished {
        format!("{} has finished", vm.thread_name(thread))
    } else {
        let reason = describe_block(vm, thread).unwrap_or_else(|| "it is not enabled".into());
        format!("{} waits to {reason}", vm.thread_name(thread))
    };
    ReplayError::NotEnabled {
        step: vm.steps() as usize + 1,
        thread,
        why,
        enabled: named(vm, enabled),
    }
}

fn named(vm: &Vm, threads: &[ThreadId]) -> Vec<(ThreadId, String)> {
    threads
        .iter()
        .map(|&t| (t, vm.thread_name(t).to_string()))
        .collect()
}

/// The one run loop: `choose` picks the next thread among the enabled ones (ascending ids).
/// Every strategy (random, PCT, replay, the shrinker's constrained runs) goes through it.
pub(crate) fn run<E>(
    program: Arc<Program>,
    config: &RunConfig,
    mut choose: impl FnMut(&Vm, &[ThreadId]) -> Result<ThreadId, E>,
) -> Result<RunReport, E> {
    let vm_config = VmConfig {
        record_values: config.trace,
        print_atomic: config.print_atomic,
        data_seed: config.data_seed,
        virtual_time: config.virtual_time,
        ..VmConfig::default()
    };
    let mut vm = Vm::new(program, vm_config);
    let mut schedule = Schedule::new();
    let mut trace = Vec::new();
    let mut detectors = DetectorState::new(&vm);
    let mut enabled = Vec::new();
    let end = loop {
        match vm.status() {
            RunStatus::Running => {}
            RunStatus::Completed => break RunEnd::Completed,
            RunStatus::Deadlocked => {
                break RunEnd::Deadlocked {
                    report: deadlock_report(&vm),
                };
            }
            RunStatus::Aborted(error) => {
                break RunEnd::Aborted {
                    message: error.to_string(),
                };
            }
        }
        if vm.steps() >= config.max_steps {
            break RunEnd::StepLimit;
        }
        vm.enabled_threads(&mut enabled);
        let thread = choose(&vm, &enabled)?;
        let event = vm.step(thread);
        schedule.push(thread);
        detectors.step(&vm, &event);
        if config.trace {
            trace.push(TraceStep {
                step: vm.steps(),
                thread,
                line: event.line,
                operation: vm.describe_op(&event.op),
                detail: event.detail,
                enabled: enabled.clone(),
            });
        }
    };
    let mut lost_updates = Vec::new();
    let mut data_races: Vec<DataRace> = Vec::new();
    for finding in detectors.described(&vm) {
        match finding {
            Described::LostUpdate(update) => lost_updates.push(update),
            Described::DataRace(race) => {
                if !data_races.iter().any(|r| r.same_finding(&race)) {
                    data_races.push(race);
                }
            }
            Described::LockOrder(_) => {}
        }
    }
    let mut lock_order = LockOrderGraph::default();
    lock_order.add_all(&detectors, &vm);
    Ok(RunReport {
        lost_updates,
        data_races,
        lock_order_cycles: lock_order.cycles(),
        library_warnings: weft_detect::library_warnings(&vm),
        schedule,
        end,
        stdout: vm.stdout().to_string(),
        stderr: vm.stderr().to_string(),
        main_exception: vm.main_exception().map(str::to_string),
        thread_exceptions: (1..vm.n_threads() as u32)
            .map(ThreadId)
            .filter_map(|t| vm.thread_exception(t).map(|e| (t, e.to_string())))
            .collect(),
        thread_names: (0..vm.n_threads() as u32)
            .map(|id| vm.thread_name(ThreadId(id)).to_string())
            .collect(),
        observed: vm.observe(),
        trace,
    })
}
