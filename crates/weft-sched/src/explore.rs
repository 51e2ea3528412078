//! Exhaustive exploration: plain DFS over every interleaving of visible operations, and
//! source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014), which explores
//! at least one schedule per Mazurkiewicz trace and usually exactly one.
//!
//! Both strategies share one iterative search over a stack of [`Node`]s. A node holds the VM
//! state before a step (a snapshot: `Vm` is `Clone`), so backtracking restores a state instead
//! of re-executing the prefix. DPOR additionally keeps, per executed event, its thread, its
//! operation and its vector clock, from which happens-before and races are read.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use weft_bytecode::Program;
use weft_detect::{
    DataRace, DeadlockReport, Described, DetectorState, Finding, FindingKey, Found, Kind,
    LockOrderCycle, LockOrderGraph, LostUpdate, Mark, Relation, VectorClock, deadlock_report,
    dependent, library_warnings, raise_line, relation,
};
use weft_vm::{Footprint, Op, RunStatus, ThreadId, Vm, VmConfig};

use crate::Schedule;

/// The most threads a search can tell apart (thread sets are bit masks).
const MAX_THREADS: usize = 64;

/// How to search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Every interleaving of visible operations: the reference.
    Dfs,
    /// Source-DPOR with sleep sets: one schedule per class of equivalent interleavings.
    Dpor,
}

/// Options of a search.
#[derive(Clone, Debug)]
pub struct ExploreConfig {
    /// The search strategy.
    pub strategy: Strategy,
    /// Stop after this many schedules.
    pub max_schedules: Option<u64>,
    /// The most steps of one execution; a longer one is reported as possible non-termination.
    pub max_steps: u64,
    /// Explore only schedules with at most this many preemptions (CHESS-style).
    pub preemption_bound: Option<u32>,
    /// Stop after this much wall-clock time (the only input that makes a report depend on the
    /// machine; a report cut by it says so).
    pub time_limit: Option<Duration>,
    /// Whether one `print` call is one step (instead of one step per piece written).
    pub print_atomic: bool,
    /// The seed of the `random` module (`--data-seed`).
    pub data_seed: u64,
    /// `--time virtual`. A thread's waits then depend on whether others can run (the clock
    /// advances only when none can), which DPOR's independence relation does not capture, so
    /// the search is DFS whatever `strategy` says (virtual time leaves few choices).
    pub virtual_time: bool,
    /// Whether to run the detectors of lost updates, lock-order cycles and data races along
    /// the executions (deadlocks are always reported). Off only to measure what they cost: the
    /// report then has none of those findings.
    pub detectors: bool,
}

impl Default for ExploreConfig {
    fn default() -> ExploreConfig {
        ExploreConfig {
            strategy: Strategy::Dpor,
            max_schedules: None,
            max_steps: 10_000,
            preemption_bound: None,
            time_limit: None,
            print_atomic: false,
            data_seed: 0,
            virtual_time: false,
            detectors: true,
        }
    }
}

/// A bound that cut the search short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// `--max-schedules` was reached.
    MaxSchedules,
    /// Some execution reached `--max-steps`.
    MaxSteps,
    /// Some schedules were skipped for having too many preemptions.
    PreemptionBound,
    /// `--time-limit` was reached.
    TimeLimit,
    /// A run created more threads than the search can tell apart.
    TooManyThreads,
}

/// How one execution ended, as part of its outcome.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ending {
    /// Every thread finished and the main thread did not raise.
    Completed,
    /// The main thread raised this exception.
    MainException {
        /// `Type: message`.
        exception: String,
    },
    /// Some thread is unfinished and none can run.
    Deadlocked,
    /// The execution reached the step limit.
    StepLimit,
    /// The VM stopped the execution.
    Aborted {
        /// The VM's message.
        message: String,
    },
}

/// One distinct outcome: what the program printed (or, with observers, the observed values)
/// and how it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// How the execution ended.
    pub ending: Ending,
    /// Uncaught exceptions of non-main threads, as `(thread name, "Type: message")`.
    pub thread_exceptions: Vec<(String, String)>,
    /// The program's stdout (empty when the program has observers: they replace it).
    pub stdout: String,
    /// The value of each `--observe` expression at the end (Python `repr`), in order.
    pub observed: Vec<String>,
    /// How many explored schedules reach this outcome.
    pub schedules: u64,
    /// The shortest schedule found that reaches it (first found among equals).
    pub schedule: Schedule,
}

/// A deadlock found by the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadlockFinding {
    /// What each blocked thread waits for.
    pub report: DeadlockReport,
    /// How many explored schedules reach it.
    pub schedules: u64,
    /// The shortest schedule found that reaches it.
    pub schedule: Schedule,
}

/// A lost update found by the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostUpdateFinding {
    /// The read, the lost write and the overwriting write (from the first schedule found).
    pub update: LostUpdate,
    /// How many explored schedules show it.
    pub schedules: u64,
    /// The shortest schedule found that shows it.
    pub schedule: Schedule,
}

/// A data race found by the search (a warning).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataRaceFinding {
    /// The two accesses (thread names from the first schedule found).
    pub race: DataRace,
    /// How many explored schedules show it.
    pub schedules: u64,
    /// The shortest schedule found that shows it.
    pub schedule: Schedule,
}

/// An uncaught exception found by the search (distinct by its text and the line that raised
/// it, whatever the thread).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExceptionFinding {
    /// The thread that raised it (in the first schedule found).
    pub thread: String,
    /// `Type: message`.
    pub exception: String,
    /// The line that raised it (the innermost frame of its traceback), if known.
    pub line: Option<u32>,
    /// How many explored schedules show it.
    pub schedules: u64,
    /// The shortest schedule found that shows it.
    pub schedule: Schedule,
}

/// One finding of a search, in the one model every report renders: kind, severity, message
/// and positions, with how many schedules show it and the shortest one (none for a lock-order
/// cycle, which the lock-order graph of all executions shows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExploreFinding {
    /// What, how serious, in words, where.
    #[serde(flatten)]
    pub finding: Finding,
    /// How many explored schedules show it (none for a lock-order cycle).
    pub schedules: Option<u64>,
    /// The shortest schedule found that shows it.
    pub schedule: Option<Schedule>,
}

/// What a search found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExploreReport {
    /// The strategy used.
    pub strategy: Strategy,
    /// Whether every schedule that matters was explored (no bound cut the search).
    pub exhaustive: bool,
    /// The bounds that cut the search, if any.
    pub bounds_hit: Vec<Bound>,
    /// Executions run to their end (including redundant ones).
    pub schedules_executed: u64,
    /// Executions that ended in a distinct outcome state: the interleavings explored.
    pub complete_schedules: u64,
    /// Executions DPOR abandoned because every enabled thread was asleep (equivalent to one
    /// already explored).
    pub redundant_schedules: u64,
    /// Visible steps executed in total.
    pub steps_executed: u64,
    /// The distinct outcomes, sorted by ending and stdout.
    pub outcomes: Vec<Outcome>,
    /// The distinct deadlocks (by the blocked threads' lines and waits), sorted.
    pub deadlocks: Vec<DeadlockFinding>,
    /// The distinct lost updates (by location and the three lines), sorted.
    pub lost_updates: Vec<LostUpdateFinding>,
    /// Cycles of the lock-order graph over every explored execution: potential deadlocks
    /// (warnings), reported whether or not a schedule deadlocked.
    pub lock_order_cycles: Vec<LockOrderCycle>,
    /// The distinct data races (warnings), by location and the two accesses' lines and kinds.
    pub data_races: Vec<DataRaceFinding>,
    /// The distinct uncaught exceptions (failed asserts and library misuse included), by text and
    /// line.
    pub exceptions: Vec<ExceptionFinding>,
    /// Warnings about how the library was used, seen in end states: pool-task exceptions
    /// nobody retrieved, daemon threads stopped while holding a lock.
    pub library_warnings: Vec<LibraryWarningFinding>,
}

/// A warning about how the library was used, seen in the end states of explored executions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LibraryWarningFinding {
    /// [`Kind::SwallowedTaskException`] or [`Kind::DaemonStoppedHoldingLock`].
    pub kind: Kind,
    /// What happened, naming the thread and the exception or locks.
    pub message: String,
    /// Where: the raising line, or the line the daemon was stopped at.
    pub line: Option<u32>,
    /// How many explored schedules show it.
    pub schedules: u64,
    /// The shortest schedule found that shows it.
    pub schedule: Schedule,
}

impl ExploreReport {
    /// Every finding in the one model, in report order: deadlocks, lost updates, lock-order
    /// cycles, data races, exceptions; positions name `file_name`.
    pub fn findings(&self, file_name: &str) -> Vec<ExploreFinding> {
        let with = |finding: Finding, schedules: u64, schedule: &Schedule| ExploreFinding {
            finding,
            schedules: Some(schedules),
            schedule: Some(schedule.clone()),
        };
        let deadlocks = self.deadlocks.iter().map(|found| {
            let finding = Finding::deadlock(&found.report, file_name);
            with(finding, found.schedules, &found.schedule)
        });
        let updates = self.lost_updates.iter().map(|found| {
            let finding = Finding::lost_update(&found.update, file_name);
            with(finding, found.schedules, &found.schedule)
        });
        let cycles = self.lock_order_cycles.iter().map(|cycle| ExploreFinding {
            finding: Finding::lock_order_cycle(cycle, file_name),
            schedules: None,
            schedule: None,
        });
        let races = self.data_races.iter().map(|found| {
            let finding = Finding::data_race(&found.race, file_name);
            with(finding, found.schedules, &found.schedule)
        });
        let exceptions = self.exceptions.iter().map(|found| {
            let finding =
                Finding::exception(&found.thread, &found.exception, found.line, file_name);
            with(finding, found.schedules, &found.schedule)
        });
        let warnings = self.library_warnings.iter().map(|found| {
            let finding =
                Finding::library_warning(found.kind, &found.message, found.line, file_name);
            with(finding, found.schedules, &found.schedule)
        });
        deadlocks
            .chain(updates)
            .chain(cycles)
            .chain(races)
            .chain(exceptions)
            .chain(warnings)
            .collect()
    }
}

/// What makes two executions the same outcome: (ending, thread exceptions, stdout, observed).
type OutcomeKey = (Ending, Vec<(String, String)>, String, Vec<String>);

/// Findings by key: the first one found, how many executions showed it, the shortest schedule.
type Tally<K, F> = BTreeMap<K, (F, u64, Vec<ThreadId>)>;

/// A set of threads as a bit mask.
type ThreadSet = u64;

/// The set holding `thread` (empty for ids past [`MAX_THREADS`]; such runs are cut off).
fn bit(thread: ThreadId) -> ThreadSet {
    1u64.checked_shl(thread.0).unwrap_or(0)
}

fn threads_in(set: ThreadSet) -> impl Iterator<Item = ThreadId> {
    (0..MAX_THREADS as u32)
        .filter(move |t| set & (1 << t) != 0)
        .map(ThreadId)
}

type Clock = VectorClock;

/// Counts one execution's findings (`schedule`), each distinct key once, into `found`: the
/// first finding of a key is the one kept (`describe` makes it, only then), and the shortest
/// schedule.
fn count_once<K: Ord + Clone, F>(
    found: &mut Tally<K, F>,
    findings: impl IntoIterator<Item = (K, impl FnOnce() -> F)>,
    schedule: &[ThreadId],
) {
    let mut counted: Vec<K> = Vec::new();
    for (key, describe) in findings {
        if counted.contains(&key) {
            continue;
        }
        counted.push(key.clone());
        let entry = found
            .entry(key)
            .or_insert_with(|| (describe(), 0, schedule.to_vec()));
        entry.1 += 1;
        if schedule.len() < entry.2.len() {
            entry.2 = schedule.to_vec();
        }
    }
}

/// Whether an operation may wait: only then can a race with it be irreversible (it could not
/// have run earlier).
fn may_wait(op: &Op) -> bool {
    match op {
        Op::Acquire { blocking, .. } => *blocking,
        Op::Sync { kind, .. } => kind.may_block(),
        Op::Join(_) | Op::ExitWait | Op::Exit => true,
        _ => false,
    }
}

/// The footprint a thread's pending op is predicted to have (for a blocked thread, whose op
/// never ran; when it does run, its recorded footprint is used).
fn predicted(thread: ThreadId, op: &Op) -> Footprint {
    op.predicted_access()
        .map(|access| (thread, access))
        .into_iter()
        .collect()
}

/// One executed event of the current path.
#[derive(Clone, Debug)]
struct EventRecord {
    thread: ThreadId,
    /// The visible operation the step started with.
    op: Op,
    /// Everything the step touched.
    footprint: Footprint,
    /// The event is the `index`-th of its thread (from 1).
    index: u32,
    /// DPOR's clock: after its thread's past and every dependent event (empty for DFS).
    clock: Clock,
}

impl EventRecord {
    /// Whether this event happens before the point `later` describes.
    fn clock_precedes(&self, later: &Clock) -> bool {
        later.has_seen(self.thread, self.index)
    }
}

/// One state of the current path.
struct Node {
    /// The state before the node's step; taken (not cloned) by the last child that needs it.
    vm: Option<Vm>,
    /// The run has more threads than a `ThreadSet` holds: the search cannot continue here.
    too_many_threads: bool,
    enabled: ThreadSet,
    /// Threads still to explore from here.
    backtrack: ThreadSet,
    /// Threads taken out of `backtrack`: explored, skipped by a bound, or unable to run.
    done: ThreadSet,
    /// Threads whose step from here was explored.
    explored: ThreadSet,
    /// Threads whose next operation need not be explored from here.
    sleep: ThreadSet,
    /// The footprint of each sleeping or explored thread's step from here, as it ran.
    footprints: Vec<(ThreadId, Footprint)>,
    /// Per thread, the clock of its last event (with the start and join edges it received).
    thread_clocks: Vec<Clock>,
    /// Per thread, how many events it has executed.
    thread_events: Vec<u32>,
    /// The detectors' state at this node, to roll back to before each of its children.
    mark: Mark,
    /// The thread of the step that led here.
    last_thread: Option<ThreadId>,
    /// Preemptions along the path to here.
    preemptions: u32,
}

/// How far a search has come, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Executions run so far.
    pub schedules: u64,
    /// Visible steps executed so far.
    pub steps: u64,
    /// Distinct outcomes so far.
    pub outcomes: usize,
}

impl Node {
    /// The state before the node's step (present until its last child took it).
    fn vm(&self) -> &Vm {
        self.vm
            .as_ref()
            .expect("a node's state is read only before its last child takes it")
    }
}

/// Explores `program` with `config`.
pub fn explore(program: Arc<Program>, config: &ExploreConfig) -> ExploreReport {
    explore_with_progress(program, config, &mut |_| {})
}

/// Explores `program` with `config`, calling `on_progress` every few thousand steps.
pub fn explore_with_progress(
    program: Arc<Program>,
    config: &ExploreConfig,
    on_progress: &mut dyn FnMut(Progress),
) -> ExploreReport {
    if config.virtual_time && config.strategy != Strategy::Dfs {
        let dfs = ExploreConfig {
            strategy: Strategy::Dfs,
            ..config.clone()
        };
        return Explorer::new(program, &dfs).run(on_progress);
    }
    Explorer::new(program, config).run(on_progress)
}

struct Explorer<'a> {
    config: &'a ExploreConfig,
    stack: Vec<Node>,
    events: Vec<EventRecord>,
    schedule: Vec<ThreadId>,
    bounds_hit: Vec<Bound>,
    schedules_executed: u64,
    complete_schedules: u64,
    redundant_schedules: u64,
    steps_executed: u64,
    outcomes: BTreeMap<OutcomeKey, (u64, Vec<ThreadId>)>,
    deadlocks: Tally<String, DeadlockReport>,
    /// Uncaught exceptions by (text, line), with the first thread that raised it.
    exceptions: Tally<(String, Option<u32>), String>,
    /// Library warnings by (kind, message, line).
    library_warnings: Tally<(Kind, String, Option<u32>), ()>,
    /// Lost updates and data races, by key.
    found: Tally<FindingKey, Described>,
    lock_order: LockOrderGraph,
    /// The detectors' state along the current path (none when detectors are off).
    detectors: Option<DetectorState>,
    started: Instant,
    stopped: bool,
    /// The program has `--observe` expressions: they, not stdout, make the outcome.
    observing: bool,
}

impl<'a> Explorer<'a> {
    fn new(program: Arc<Program>, config: &'a ExploreConfig) -> Explorer<'a> {
        let observing = !program.observers.is_empty();
        let vm = Vm::new(
            program,
            VmConfig {
                print_atomic: config.print_atomic,
                data_seed: config.data_seed,
                virtual_time: config.virtual_time,
                ..VmConfig::default()
            },
        );
        let mut explorer = Explorer {
            config,
            stack: Vec::new(),
            events: Vec::new(),
            schedule: Vec::new(),
            bounds_hit: Vec::new(),
            schedules_executed: 0,
            complete_schedules: 0,
            redundant_schedules: 0,
            steps_executed: 0,
            outcomes: BTreeMap::new(),
            deadlocks: BTreeMap::new(),
            exceptions: BTreeMap::new(),
            library_warnings: BTreeMap::new(),
            found: BTreeMap::new(),
            lock_order: LockOrderGraph::default(),
            detectors: config.detectors.then(|| DetectorState::for_search(&vm)),
            started: Instant::now(),
            stopped: false,
            observing,
        };
        let n_threads = vm.n_threads();
        let mut thread_clocks = vec![Clock::new(); n_threads];
        let thread_events = vec![0; n_threads];
        for child in 1..n_threads {
            thread_clocks[child] = thread_clocks[0].clone();
        }
        let node = explorer.make_node(vm, Vec::new(), thread_clocks, thread_events, None, 0);
        explorer.stack.push(node);
        explorer
    }

    fn hit(&mut self, bound: Bound) {
        if !self.bounds_hit.contains(&bound) {
            self.bounds_hit.push(bound);
        }
    }

    fn make_node(
        &mut self,
        vm: Vm,
        sleeping: Vec<(ThreadId, Footprint)>,
        thread_clocks: Vec<Clock>,
        thread_events: Vec<u32>,
        last_thread: Option<ThreadId>,
        preemptions: u32,
    ) -> Node {
        let mut enabled_list = Vec::new();
        vm.enabled_threads(&mut enabled_list);
        let too_many_threads = vm.n_threads() > MAX_THREADS;
        if too_many_threads {
            self.hit(Bound::TooManyThreads);
        }
        let enabled = enabled_list
            .iter()
            .fold(0, |set, &thread| set | bit(thread));
        let sleep = sleeping
            .iter()
            .fold(0, |set, &(thread, _)| set | bit(thread));
        Node {
            too_many_threads,
            vm: Some(vm),
            enabled,
            backtrack: 0,
            done: 0,
            explored: 0,
            sleep,
            footprints: sleeping,
            thread_clocks,
            thread_events,
            mark: self
                .detectors
                .as_ref()
                .map_or(Mark::default(), DetectorState::mark),
            last_thread,
            preemptions,
        }
    }

    fn run(mut self, on_progress: &mut dyn FnMut(Progress)) -> ExploreReport {
        let mut iterations: u64 = 0;
        while !self.stack.is_empty() && !self.stopped {
            iterations += 1;
            if iterations.is_multiple_of(4096) {
                on_progress(Progress {
                    schedules: self.schedules_executed,
                    steps: self.steps_executed,
                    outcomes: self.outcomes.len(),
                });
                if let Some(limit) = self.config.time_limit
                    && self.started.elapsed() >= limit
                {
                    self.hit(Bound::TimeLimit);
                    break;
                }
            }
            self.advance();
        }
        self.finish()
    }

    /// One move of the search: visit the top node's next child, or leave the node.
    fn advance(&mut self) {
        let depth = self.stack.len() - 1;
        let node = self.stack.last_mut().expect("stack is not empty");
        if node.done == 0 && node.backtrack == 0 {
            // First visit.
            if node.too_many_threads {
                self.pop();
                return;
            }
            if node.vm().status() != RunStatus::Running || node.enabled == 0 {
                self.record_end();
                self.pop();
                return;
            }
            if depth as u64 >= self.config.max_steps {
                self.hit(Bound::MaxSteps);
                self.record_end();
                self.pop();
                return;
            }
            let awake = node.enabled & !node.sleep;
            if awake == 0 {
                self.redundant_schedules += 1;
                self.schedules_executed += 1;
                self.check_max_schedules();
                self.pop();
                return;
            }
            node.backtrack = match self.config.strategy {
                Strategy::Dfs => node.enabled,
                Strategy::Dpor => {
                    // Prefer continuing the current thread: fewer preemptions first.
                    match node.last_thread {
                        Some(last) if awake & bit(last) != 0 => bit(last),
                        _ => awake & awake.wrapping_neg(),
                    }
                }
            };
        }
        let node = self.stack.last_mut().expect("stack is not empty");
        let candidates = node.backtrack & !node.done & !node.sleep & node.enabled;
        // Backtrack entries for threads that cannot run here are irreversible races: drop them.
        node.done |= node.backtrack & !node.enabled;
        let Some(thread) = threads_in(candidates).next() else {
            self.pop();
            return;
        };
        node.done |= bit(thread);
        let preemptions = node.preemptions
            + u32::from(
                matches!(node.last_thread, Some(last) if last != thread && node.enabled & bit(last) != 0),
            );
        if let Some(bound) = self.config.preemption_bound
            && preemptions > bound
        {
            self.hit(Bound::PreemptionBound);
            return;
        }
        node.explored |= bit(thread);
        self.descend(thread, preemptions);
    }

    /// Steps `thread` from the top node and pushes the resulting node. DPOR's races and sleep
    /// sets are computed after the step, from what it really touched.
    fn descend(&mut self, thread: ThreadId, preemptions: u32) {
        let dpor = self.config.strategy == Strategy::Dpor;
        let depth = self.stack.len() - 1;
        let node = &mut self.stack[depth];
        let op = node
            .vm()
            .pending_op(thread)
            .expect("an enabled thread has a pending operation");
        if dpor && op == Op::Exit {
            // Ending the program races with the next step of every daemon thread still
            // running, which never happens in this execution: try each of them here, and race
            // their pending operations with the earlier events, as for threads still blocked
            // at the end of an execution.
            node.backtrack |= node.enabled;
            self.race_pending_ops(|t, _| t != thread);
        }
        let node = &mut self.stack[depth];
        // A node with one enabled thread never gets another child (backtrack points are only
        // added for enabled threads), and a DFS node's children are all known at its first
        // visit: the last child takes the state instead of copying it.
        let remaining = node.backtrack & !node.done & !node.sleep & node.enabled;
        // The root keeps its state: DPOR rebuilds a state it no longer keeps from the nearest
        // one before it that it does.
        let last_child = depth > 0 && (node.enabled.count_ones() == 1 || (!dpor && remaining == 0));
        let mut vm = if last_child {
            node.vm
                .take()
                .expect("the state is taken only by the last child")
        } else {
            node.vm().clone()
        };
        let mut waiting = Vec::new();
        for t in 0..vm.n_threads() as u32 {
            let t = ThreadId(t);
            if let Some(waiting_op @ (Op::Join(_) | Op::ExitWait)) = vm.pending_op(t) {
                waiting.push((t, waiting_op));
            }
        }
        let n_before = vm.n_threads();
        let event = vm.step(thread);
        self.steps_executed += 1;
        let (clock, index, joins) = if dpor {
            let (clock, index, dependent_events, joins) =
                self.prospective_event(thread, &event.op, &event.footprint);
            self.add_backtrack_points(thread, &clock, &dependent_events);
            (clock, index, joins)
        } else {
            let index = self.stack[depth].thread_events[thread.0 as usize] + 1;
            (Clock::new(), index, Clock::new())
        };
        let node = &mut self.stack[depth];
        // The child's sleep set: sleeping or explored siblings whose step from here is
        // independent of this one stay asleep.
        let mut sleeping = Vec::new();
        if dpor {
            for (other, footprint) in &node.footprints {
                if *other != thread
                    && (node.sleep | node.explored) & bit(*other) != 0
                    && !dependent(footprint, &event.footprint)
                {
                    sleeping.push((*other, footprint.clone()));
                }
            }
            node.footprints.push((thread, event.footprint.clone()));
        }
        let mut thread_clocks = if dpor {
            node.thread_clocks.clone()
        } else {
            Vec::new()
        };
        let mut thread_events = node.thread_events.clone();
        thread_events[thread.0 as usize] = index;
        thread_events.resize(vm.n_threads(), 0);
        let parents: Vec<ThreadId> = (n_before..vm.n_threads())
            .map(|child| vm.thread_parent(ThreadId(child as u32)).unwrap_or(thread))
            .collect();
        if let Some(detectors) = &mut self.detectors {
            detectors.rollback(node.mark);
            detectors.step(&vm, &event);
        }
        if dpor {
            // DPOR's clocks take only the join edges that certainly follow this step's event
            // (a thread that waited in a join, or at exit, and moved on), so that a thread
            // started earlier in the step never inherits them: fewer edges are safe for DPOR.
            // A join completed inside the step orders what the thread does next after the
            // joined thread's end, not the step itself (what it did before the join could have
            // come before that end).
            let mut after = clock.clone();
            after.join(&joins);
            thread_clocks[thread.0 as usize] = after;
            for (t, previous) in waiting {
                if t != thread && vm.pending_op(t) != Some(previous) {
                    thread_clocks[t.0 as usize].join(&clock);
                }
            }
            for &parent in &parents {
                // A thread started in the step starts after the step's event, not after the
                // joins the step completed later.
                let start = if parent == thread {
                    clock.clone()
                } else {
                    thread_clocks[parent.0 as usize].clone()
                };
                thread_clocks.push(start);
            }
        }
        if vm.n_threads() > MAX_THREADS {
            self.hit(Bound::TooManyThreads);
        }
        self.events.push(EventRecord {
            thread,
            op: event.op,
            footprint: event.footprint,
            index,
            clock,
        });
        self.schedule.push(thread);
        let child = self.make_node(
            vm,
            sleeping,
            thread_clocks,
            thread_events,
            Some(thread),
            preemptions,
        );
        self.stack.push(child);
    }

    /// The event `thread` executes (or would execute) with `op`, touching `footprint`: its
    /// vector clock (after its thread's previous event and every dependent event), its index in
    /// its thread, the earlier events of other threads it races with that could be reversed,
    /// and the clocks of the thread ends its joins waited for (which order the thread's next
    /// events, not this one).
    fn prospective_event(
        &self,
        thread: ThreadId,
        op: &Op,
        footprint: &Footprint,
    ) -> (Clock, u32, Vec<usize>, Clock) {
        let node = self.stack.last().expect("stack is not empty");
        let mut clock = node.thread_clocks[thread.0 as usize].clone();
        let index = node.thread_events[thread.0 as usize] + 1;
        let mut dependent_events = Vec::new();
        let mut joins = Clock::new();
        for (position, event) in self.events.iter().enumerate() {
            if event.thread == thread {
                continue;
            }
            match relation(&event.footprint, footprint) {
                Relation::Independent => {}
                Relation::Ordered => joins.join(&event.clock),
                Relation::Race => {
                    clock.join(&event.clock);
                    dependent_events.push(position);
                }
            }
        }
        clock.set(thread, index);
        let reversible: Vec<usize> = dependent_events
            .iter()
            .copied()
            .filter(|&position| self.reversible(position, thread, op))
            .collect();
        (clock, index, reversible, joins)
    }

    /// Whether the race between event `position` and `thread`'s operation `op` (later, on the
    /// current path) can be reversed: whether `op` can run in the state before that event once
    /// the events after it that do not depend on it have run, as they would in the reversed
    /// order. An operation that never waits always can; a waiting one may have been let in by
    /// the event (a release before the acquire it lets in: then the race that decides is the
    /// one between the acquires).
    fn reversible(&self, position: usize, thread: ThreadId, op: &Op) -> bool {
        if !may_wait(op) {
            return true;
        }
        let mut vm = self.state_at(position);
        if vm.could_perform(thread, op) {
            return true;
        }
        let racing = &self.events[position];
        for event in &self.events[position + 1..] {
            if racing.clock_precedes(&event.clock) {
                continue;
            }
            if event.thread.index() >= vm.n_threads()
                || !vm.is_enabled(event.thread)
                || vm.pending_op(event.thread) != Some(event.op)
            {
                // The events that do not depend on the racing one should replay unchanged; if
                // one does not, assume the reversal is possible (the safe side).
                return true;
            }
            vm.step(event.thread);
            if vm.could_perform(thread, op) {
                return true;
            }
        }
        false
    }

    /// The state before event `position`: the node's, or, when its last child took it, rebuilt
    /// by replaying the path from the nearest earlier node that keeps its state (the root
    /// always does).
    fn state_at(&self, position: usize) -> Vm {
        let kept = (0..=position)
            .rev()
            .find(|&at| self.stack[at].vm.is_some())
            .expect("the root keeps its state");
        let mut vm = self.stack[kept].vm().clone();
        for event in &self.events[kept..position] {
            vm.step(event.thread);
        }
        vm
    }

    /// At the end of an execution, a thread still waiting has an event that never ran: its
    /// races decide whether another order lets it in, so DPOR handles them as if it were about
    /// to run, with the footprint its op is predicted to have.
    fn add_backtrack_points_of_blocked_threads(&mut self) {
        self.race_pending_ops(|_, enabled| !enabled);
    }

    /// Races the pending operations of the threads `which(thread, enabled)` selects in the top
    /// node's state with the earlier events, as if they were about to run: operations that
    /// never run in this execution (a blocked thread's at its end, a daemon's stopped by the
    /// end of the program).
    fn race_pending_ops(&mut self, which: impl Fn(ThreadId, bool) -> bool) {
        let node = self.stack.last().expect("stack is not empty");
        let blocked: Vec<(ThreadId, Op)> = (0..node.vm().n_threads().min(MAX_THREADS) as u32)
            .map(ThreadId)
            .filter(|&t| which(t, node.enabled & bit(t) != 0))
            .filter_map(|t| match node.vm().pending_op(t) {
                Some(op @ Op::Acquire { blocking: true, .. }) => Some((t, op)),
                Some(op @ Op::Sync { kind, .. }) if kind.may_block() => Some((t, op)),
                Some(op) if node.enabled & bit(t) != 0 => Some((t, op)),
                _ => None,
            })
            .collect();
        for (thread, op) in blocked {
            let (clock, _, dependent_events, _) =
                self.prospective_event(thread, &op, &predicted(thread, &op));
            self.add_backtrack_points(thread, &clock, &dependent_events);
        }
    }

    /// Source-DPOR's race handling for the event `thread` is about to execute. `dependent_events`
    /// are the earlier events of other threads that it depends on and whose race with it could
    /// be reversed; a race is immediate when no other of them, and nothing the thread did
    /// before, lies between.
    fn add_backtrack_points(
        &mut self,
        thread: ThreadId,
        clock: &Clock,
        dependent_events: &[usize],
    ) {
        let depth = self.stack.len() - 1;
        let own_clock = self.stack[depth].thread_clocks[thread.0 as usize].clone();
        for &position in dependent_events {
            let racing = &self.events[position];
            // Not a race if it happens before through the thread's own past or another
            // dependent event: only immediate races are reversed.
            if racing.clock_precedes(&own_clock)
                || dependent_events.iter().any(|&other| {
                    other != position && racing.clock_precedes(&self.events[other].clock)
                })
            {
                continue;
            }
            // v = the events after the racing one that do not happen after it, then ours.
            let mut initials: ThreadSet = 0;
            let mut seen: ThreadSet = 0;
            let mut v: Vec<&EventRecord> = Vec::new();
            for event in &self.events[position + 1..] {
                if racing.clock_precedes(&event.clock) {
                    continue;
                }
                if seen & bit(event.thread) == 0 {
                    seen |= bit(event.thread);
                    if !v.iter().any(|earlier| earlier.clock_precedes(&event.clock)) {
                        initials |= bit(event.thread);
                    }
                }
                v.push(event);
            }
            if seen & bit(thread) == 0 && !v.iter().any(|earlier| earlier.clock_precedes(clock)) {
                initials |= bit(thread);
            }
            let node = &mut self.stack[position];
            if initials & node.backtrack != 0 {
                continue;
            }
            let runnable = initials & node.enabled;
            if runnable & bit(thread) != 0 {
                node.backtrack |= bit(thread);
            } else if runnable != 0 {
                node.backtrack |= runnable & runnable.wrapping_neg();
            }
        }
    }

    fn check_max_schedules(&mut self) {
        if let Some(max) = self.config.max_schedules
            && self.schedules_executed >= max
        {
            self.hit(Bound::MaxSchedules);
            self.stopped = true;
        }
    }

    /// Records the end state at the top of the stack as an outcome.
    fn record_end(&mut self) {
        if self.config.strategy == Strategy::Dpor {
            self.add_backtrack_points_of_blocked_threads();
        }
        let node = self.stack.last().expect("stack is not empty");
        let vm = node.vm();
        let ending = match vm.status() {
            RunStatus::Running if node.enabled == 0 => Ending::Deadlocked,
            RunStatus::Running => Ending::StepLimit,
            RunStatus::Deadlocked => Ending::Deadlocked,
            RunStatus::Completed => match vm.main_exception() {
                Some(exception) => Ending::MainException {
                    exception: exception.to_string(),
                },
                None => Ending::Completed,
            },
            RunStatus::Aborted(error) => Ending::Aborted {
                message: error.to_string(),
            },
        };
        let raised = (0..vm.n_threads() as u32).map(ThreadId).filter_map(|t| {
            let exception = vm.thread_exception(t)?;
            let name = vm.thread_name(t);
            let line = raise_line(vm.stderr(), name, t == ThreadId(0));
            Some(((exception.to_string(), line), || name.to_string()))
        });
        count_once(&mut self.exceptions, raised, &self.schedule);
        let warnings = library_warnings(vm).into_iter().map(|key| (key, || ()));
        count_once(&mut self.library_warnings, warnings, &self.schedule);
        let thread_exceptions: Vec<(String, String)> = (1..vm.n_threads() as u32)
            .map(ThreadId)
            .filter_map(|t| {
                vm.thread_exception(t)
                    .map(|e| (vm.thread_name(t).to_string(), e.to_string()))
            })
            .collect();
        if ending == Ending::Deadlocked {
            let report = deadlock_report(vm);
            let key = report
                .blocked
                .iter()
                .map(|b| format!("{}@{:?}:{}", b.name, b.line, b.waits_for))
                .collect::<Vec<_>>()
                .join("|");
            count_once(&mut self.deadlocks, [(key, || report)], &self.schedule);
        }
        if let Some(detectors) = &self.detectors {
            self.lock_order.add_all(detectors, vm);
            // Each distinct finding counts once per execution, whichever threads showed it.
            let found = (detectors.found().iter())
                .filter(|found| !matches!(found, Found::LockOrder { .. }))
                .map(|found| (found.key(), || detectors.describe(vm, found)));
            count_once(&mut self.found, found, &self.schedule);
        }
        let key = if self.observing {
            (ending, thread_exceptions, String::new(), vm.observe())
        } else {
            (
                ending,
                thread_exceptions,
                vm.output().to_string(),
                Vec::new(),
            )
        };
        let entry = self
            .outcomes
            .entry(key)
            .or_insert_with(|| (0, self.schedule.clone()));
        entry.0 += 1;
        if self.schedule.len() < entry.1.len() {
            entry.1 = self.schedule.clone();
        }
        self.schedules_executed += 1;
        self.complete_schedules += 1;
        self.check_max_schedules();
    }

    fn pop(&mut self) {
        self.stack.pop();
        if !self.stack.is_empty() {
            self.events.pop();
            self.schedule.pop();
        }
    }

    fn finish(mut self) -> ExploreReport {
        self.bounds_hit.sort();
        let outcomes = std::mem::take(&mut self.outcomes)
            .into_iter()
            .map(
                |((ending, thread_exceptions, stdout, observed), (schedules, schedule))| Outcome {
                    ending,
                    thread_exceptions,
                    stdout,
                    observed,
                    schedules,
                    schedule: Schedule::from(schedule),
                },
            )
            .collect();
        let deadlocks = std::mem::take(&mut self.deadlocks)
            .into_values()
            .map(|(report, schedules, schedule)| DeadlockFinding {
                report,
                schedules,
                schedule: Schedule::from(schedule),
            })
            .collect();
        let mut lost_updates = Vec::new();
        let mut data_races = Vec::new();
        for (finding, schedules, schedule) in std::mem::take(&mut self.found).into_values() {
            let schedule = Schedule::from(schedule);
            match finding {
                Described::LostUpdate(update) => lost_updates.push(LostUpdateFinding {
                    update,
                    schedules,
                    schedule,
                }),
                Described::DataRace(race) => data_races.push(DataRaceFinding {
                    race,
                    schedules,
                    schedule,
                }),
                Described::LockOrder(_) => unreachable!("lock-order edges go to the graph"),
            }
        }
        // By location and lines (and access kinds), as the report promises.
        lost_updates.sort_by(|a, b| {
            let key = |f: &LostUpdateFinding| {
                let u = &f.update;
                (
                    u.location.clone(),
                    u.read_line,
                    u.lost_write_line,
                    u.write_line,
                )
            };
            key(a).cmp(&key(b))
        });
        data_races.sort_by(|a, b| {
            let key = |f: &DataRaceFinding| {
                let r = &f.race;
                (
                    r.location.clone(),
                    r.first_access.clone(),
                    r.first_line,
                    r.second_access.clone(),
                    r.second_line,
                )
            };
            key(a).cmp(&key(b))
        });
        ExploreReport {
            strategy: self.config.strategy,
            exhaustive: self.bounds_hit.is_empty(),
            bounds_hit: self.bounds_hit,
            schedules_executed: self.schedules_executed,
            complete_schedules: self.complete_schedules,
            redundant_schedules: self.redundant_schedules,
            steps_executed: self.steps_executed,
            outcomes,
            deadlocks,
            lost_updates,
            lock_order_cycles: self.lock_order.cycles(),
            data_races,
            exceptions: std::mem::take(&mut self.exceptions)
                .into_iter()
                .map(
                    |((exception, line), (thread, schedules, schedule))| ExceptionFinding {
                        thread,
                        exception,
                        line,
                        schedules,
                        schedule: Schedule::from(schedule),
                    },
                )
                .collect(),
            library_warnings: std::mem::take(&mut self.library_warnings)
                .into_iter()
                .map(
                    |((kind, message, line), ((), schedules, schedule))| LibraryWarningFinding {
                        kind,
                        message,
                        line,
                        schedules,
                        schedule: Schedule::from(schedule),
                    },
                )
                .collect(),
        }
    }
}
