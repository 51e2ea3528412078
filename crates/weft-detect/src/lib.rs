//! weft's detectors: analyses over VM states that turn what the simulated program did into
//! findings a person can act on, each in the one [`Finding`] model (kind, severity, message,
//! positions).
//!
//! The deadlock report: when no thread is enabled and some are blocked, it builds the wait-for
//! graph (an edge from each blocked thread to each thread that could unblock it, given by
//! `waits_on` for each `BlockReason`: a new blocking primitive adds a reason and its edges,
//! nothing else) with petgraph and lists, for every blocked thread, where it waits, what for, who
//! holds it and which locks it holds, plus the graph's cycles in canonical order, each named:
//! self-deadlock, lock-order inversion, join cycle — or a stall when there is no cycle.
//!
//! Lost updates, data races and lock-order edges: [`DetectorState`] follows an execution step by
//! step (happens-before vector clocks, per-location shadow state, held locks), linear in the run's
//! length, and rolls back when an exploration backtracks; [`LockOrderGraph`] collects the edges of
//! many executions and reports its cycles.
#![deny(missing_docs)]

mod commute;
mod finding;
mod state;

use petgraph::graphmap::DiGraphMap;
use serde::Serialize;
use weft_vm::{BlockReason, SyncOp, ThreadId, ThreadState, Vm};

pub use commute::{Relation, VectorClock, conflicts, dependent, overlap, relation};
pub use finding::{Finding, Kind, Severity, library_warnings, raise_line};
pub use state::{Described, DetectorState, FindingKey, Found, Mark, Name};

/// One blocked thread at a deadlock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedThread {
    /// The thread.
    pub thread: ThreadId,
    /// Its name.
    pub name: String,
    /// The line where it waits.
    pub line: Option<u32>,
    /// What it waits for.
    pub reason: BlockReason,
    /// What it waits for, in words: "acquire Lock lock2, held by Thread-2 (fun2)".
    pub waits_for: String,
    /// The threads that could unblock it (the edges of the wait-for graph), ascending.
    pub waits_on: Vec<ThreadId>,
    /// The locks it holds, described (`Lock lock1`).
    pub holds: Vec<String>,
}

/// What kind of deadlock a wait-for cycle (or its absence) is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlockKind {
    /// A thread waits for a lock it holds itself (a `Lock` acquired twice): a one-thread cycle.
    SelfDeadlock,
    /// Two or more threads each hold a lock another one of them waits for.
    LockOrderInversion,
    /// A cycle with at least one `join` in it (a thread joining a thread that waits for it).
    JoinCycle,
    /// Everyone is blocked but there is no cycle (waiting for something nobody will release),
    /// or everyone waits for a signal (an `Event`, a queue item, a semaphore permit) that no
    /// thread is left to send.
    Stall,
    /// A thread waits in `Condition.wait()` for a notify that no thread will send (it came
    /// before the wait, or never).
    LostWakeup,
    /// Threads wait at a `Barrier` for parties that never arrive.
    BarrierShortOfParties,
    /// `Queue.join()` waits for items that were taken but never marked `task_done()`.
    QueueJoinWithoutTaskDone,
    /// Pool workers wait for futures whose tasks are queued behind them in the same pool.
    PoolStarvation,
}

/// One cycle of the wait-for graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaitCycle {
    /// Its kind.
    pub kind: DeadlockKind,
    /// The threads, each waiting for the next (and the last for the first), starting at the
    /// smallest id.
    pub threads: Vec<ThreadId>,
}

/// Everything the VM knows about a deadlocked state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadlockReport {
    /// The kind of the first cycle, or a stall when there is none.
    pub kind: DeadlockKind,
    /// Every blocked thread, by id.
    pub blocked: Vec<BlockedThread>,
    /// The wait-for graph's cycles, each rotated to start at its smallest thread id, sorted.
    /// A `Lock` acquired twice by one thread is a one-thread cycle.
    pub cycles: Vec<WaitCycle>,
}

impl DeadlockKind {
    /// The kind in words.
    pub fn describe(self) -> &'static str {
        match self {
            DeadlockKind::SelfDeadlock => "self-deadlock (a Lock acquired twice by one thread)",
            DeadlockKind::LockOrderInversion => "lock-order inversion",
            DeadlockKind::JoinCycle => "join cycle",
            DeadlockKind::Stall => "stall (everyone waits, no cycle)",
            DeadlockKind::LostWakeup => "lost wakeup (a Condition.wait() nobody will notify)",
            DeadlockKind::BarrierShortOfParties => {
                "barrier short of parties (Barrier.wait() for parties that never arrive)"
            }
            DeadlockKind::QueueJoinWithoutTaskDone => {
                "queue.join() without task_done() (items were never marked done)"
            }
            DeadlockKind::PoolStarvation => {
                "thread-pool starvation (workers wait for futures queued behind them)"
            }
        }
    }
}

/// Why `thread` cannot run, in words, or `None` if it is not blocked.
pub fn describe_block(vm: &Vm, thread: ThreadId) -> Option<String> {
    match vm.thread_state(thread) {
        ThreadState::Blocked(reason) => Some(describe_reason(vm, thread, &reason)),
        ThreadState::Ready | ThreadState::Finished => None,
    }
}

fn describe_reason(vm: &Vm, thread: ThreadId, reason: &BlockReason) -> String {
    match reason {
        BlockReason::Lock { lock, owner } => {
            let holder = match owner {
                Some(owner) if *owner == thread => "held by itself".to_string(),
                Some(owner) if vm.thread_state(*owner) == ThreadState::Finished => format!(
                    "held by {}, which has finished without releasing it",
                    vm.thread_name(*owner)
                ),
                Some(owner) => format!("held by {}", vm.thread_name(*owner)),
                None => "held by no thread".to_string(),
            };
            format!("acquire {}, {holder}", vm.describe_object(*lock))
        }
        BlockReason::Join(target) => format!("join {}", vm.thread_name(*target)),
        BlockReason::ExitWait => {
            let names: Vec<&str> = exit_wait_targets(vm, thread)
                .into_iter()
                .map(|other| vm.thread_name(other))
                .collect();
            format!("exit, for {} to finish", names.join(", "))
        }
        BlockReason::Sync { obj, op, .. } => vm.describe_op(&weft_vm::Op::Sync {
            obj: *obj,
            kind: *op,
        }),
    }
}

/// The unfinished threads other than `thread`, which the main thread waits for at exit.
fn exit_wait_targets(vm: &Vm, thread: ThreadId) -> Vec<ThreadId> {
    (0..vm.n_threads() as u32)
        .map(ThreadId)
        .filter(|&other| other != thread && vm.thread_state(other) != ThreadState::Finished)
        .collect()
}

/// The threads that could unblock a thread blocked for `reason`.
fn waits_on(vm: &Vm, thread: ThreadId, reason: &BlockReason) -> Vec<ThreadId> {
    match reason {
        BlockReason::Lock { owner, .. } => owner.iter().copied().collect(),
        BlockReason::Join(target) => vec![*target],
        BlockReason::ExitWait => exit_wait_targets(vm, thread),
        BlockReason::Sync { waits_for, .. } => waits_for.clone(),
    }
}

/// The deadlock report of a VM state: every blocked thread and the wait-for graph's cycles.
pub fn deadlock_report(vm: &Vm) -> DeadlockReport {
    let mut graph = DiGraphMap::<ThreadId, ()>::new();
    let mut blocked = Vec::new();
    for index in 0..vm.n_threads() as u32 {
        let thread = ThreadId(index);
        let ThreadState::Blocked(reason) = vm.thread_state(thread) else {
            continue;
        };
        let targets = waits_on(vm, thread, &reason);
        graph.add_node(thread);
        for &target in &targets {
            graph.add_edge(thread, target, ());
        }
        blocked.push(BlockedThread {
            thread,
            name: vm.thread_name(thread).to_string(),
            line: vm.pending_line(thread),
            waits_for: describe_reason(vm, thread, &reason),
            reason,
            waits_on: targets,
            holds: vm
                .held_locks(thread)
                .into_iter()
                .map(|lock| vm.describe_object(lock))
                .collect(),
        });
    }
    let cycles: Vec<WaitCycle> = cycles(&graph)
        .into_iter()
        .map(|threads| WaitCycle {
            kind: cycle_kind(vm, &threads, &blocked),
            threads,
        })
        .collect();
    let kind = match cycles.first() {
        Some(cycle) => cycle.kind,
        None => library_kind(vm, blocked.iter().map(|b| (b.thread, &b.reason)))
            .unwrap_or(DeadlockKind::Stall),
    };
    DeadlockReport {
        kind,
        blocked,
        cycles,
    }
}

/// The kind of deadlock that waits on library objects show, most specific first: a
/// `queue.join()`, a barrier, a condition, a pool worker waiting for a future; any other
/// library wait is a stall.
fn library_kind<'a>(
    vm: &Vm,
    waits: impl Iterator<Item = (ThreadId, &'a BlockReason)>,
) -> Option<DeadlockKind> {
    let mut kinds: Vec<DeadlockKind> = waits
        .filter_map(|(thread, reason)| match reason {
            BlockReason::Sync { op, .. } => Some(match op {
                SyncOp::QueueJoin => DeadlockKind::QueueJoinWithoutTaskDone,
                SyncOp::BarrierLeave { .. } => DeadlockKind::BarrierShortOfParties,
                SyncOp::CondWait { .. } => DeadlockKind::LostWakeup,
                SyncOp::FutureWait { .. } | SyncOp::AsCompleted { .. }
                    if vm.is_pool_worker(thread) =>
                {
                    DeadlockKind::PoolStarvation
                }
                _ => DeadlockKind::Stall,
            }),
            _ => None,
        })
        .collect();
    kinds.sort_by_key(|kind| match kind {
        DeadlockKind::QueueJoinWithoutTaskDone => 0,
        DeadlockKind::BarrierShortOfParties => 1,
        DeadlockKind::LostWakeup => 2,
        DeadlockKind::PoolStarvation => 3,
        _ => 4,
    });
    kinds.first().copied()
}

/// The kind of a cycle, from what its threads wait for.
fn cycle_kind(vm: &Vm, threads: &[ThreadId], blocked: &[BlockedThread]) -> DeadlockKind {
    let reasons: Vec<&BlockReason> = threads
        .iter()
        .filter_map(|t| blocked.iter().find(|b| b.thread == *t).map(|b| &b.reason))
        .collect();
    let waits = threads
        .iter()
        .filter_map(|t| blocked.iter().find(|b| b.thread == *t))
        .map(|b| (b.thread, &b.reason));
    if let Some(kind) = library_kind(vm, waits) {
        kind
    } else if reasons
        .iter()
        .any(|r| matches!(r, BlockReason::Join(_) | BlockReason::ExitWait))
    {
        DeadlockKind::JoinCycle
    } else if threads.len() == 1 {
        DeadlockKind::SelfDeadlock
    } else {
        DeadlockKind::LockOrderInversion
    }
}

/// The wait-for graph of a deadlock in Graphviz DOT: a node per blocked thread (name, file:line,
/// held locks), an edge per wait labelled with what it waits for; cycle edges drawn bold.
pub fn wait_for_dot(report: &DeadlockReport, file_name: &str) -> String {
    // Escape for a DOT string; line breaks become DOT's `\n`.
    let quote = |text: &str| {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        format!("\"{escaped}\"")
    };
    let mut out = format!(
        "digraph wait_for {{\n  label={};\n  node [shape=box];\n",
        quote(&format!("{file_name}: {}", report.kind.describe()))
    );
    for blocked in &report.blocked {
        let mut label = blocked.name.clone();
        if let Some(line) = blocked.line {
            label.push_str(&format!("\n{file_name}:{line}"));
        }
        if !blocked.holds.is_empty() {
            label.push_str(&format!("\nholds {}", blocked.holds.join(", ")));
        }
        out.push_str(&format!(
            "  t{} [label={}];\n",
            blocked.thread,
            quote(&label)
        ));
    }
    let in_cycle = |from: ThreadId, to: ThreadId| {
        report.cycles.iter().any(|cycle| {
            let n = cycle.threads.len();
            (0..n).any(|i| cycle.threads[i] == from && cycle.threads[(i + 1) % n] == to)
        })
    };
    for blocked in &report.blocked {
        for &target in &blocked.waits_on {
            let style = if in_cycle(blocked.thread, target) {
                ", style=bold, color=red"
            } else {
                ""
            };
            out.push_str(&format!(
                "  t{} -> t{} [label={}{style}];\n",
                blocked.thread,
                target,
                quote(&blocked.waits_for)
            ));
        }
    }
    out.push_str("}\n");
    out
}

/// One elementary cycle per strongly connected component that has one (canonical order).
fn cycles(graph: &DiGraphMap<ThreadId, ()>) -> Vec<Vec<ThreadId>> {
    let mut found = Vec::new();
    for component in petgraph::algo::tarjan_scc(graph) {
        let start = *component.iter().min().expect("components are not empty");
        if component.len() == 1 && !graph.contains_edge(start, start) {
            continue;
        }
        // Walk from the smallest thread along the smallest successor inside the component
        // until a thread repeats; the repeated part is a cycle through the component.
        let mut path = vec![start];
        loop {
            let current = *path.last().expect("path is not empty");
            let next = graph
                .neighbors(current)
                .filter(|n| component.contains(n))
                .min()
                .expect("a thread in a cyclic component has a successor in it");
            if let Some(position) = path.iter().position(|&t| t == next) {
                let mut cycle = path.split_off(position);
                let smallest = cycle
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, t)| **t)
                    .map(|(i, _)| i)
                    .expect("cycle is not empty");
                cycle.rotate_left(smallest);
                found.push(cycle);
                break;
            }
            path.push(next);
        }
    }
    found.sort();
    found
}

/// A lost update: a thread read a location, another thread then wrote it, and the first thread
/// wrote it afterwards — so the other thread's write was overwritten by a value computed from a
/// stale read.
///
/// The detector sees reads and writes, not data flow: it reports a write by a thread that read
/// the same location earlier (with no re-read since) when another thread's write fell in
/// between, whether or not the value written depends on the value read. Accesses protected by a
/// common lock never produce it, since the other write cannot fall in between.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LostUpdate {
    /// The location, described (`account.balance`, `global counter`).
    pub location: String,
    /// The line of the stale read.
    pub read_line: u32,
    /// The line of the write that was lost.
    pub lost_write_line: u32,
    /// The line of the overwriting write.
    pub write_line: u32,
    /// The thread that read and overwrote.
    pub thread: String,
    /// The thread whose write was lost.
    pub other_thread: String,
}

impl LostUpdate {
    /// The finding in words, with `file:line` positions.
    pub fn message(&self, file_name: &str) -> String {
        format!(
            "{} wrote {} at {file_name}:{} based on the value it read at line {}; {}'s write at line {} in between was lost",
            self.thread,
            self.location,
            self.write_line,
            self.read_line,
            self.other_thread,
            self.lost_write_line
        )
    }
}

/// One edge of the lock-order graph: `thread` acquired `acquired` (at `acquire_line`) while
/// holding `held` (acquired at `held_line`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LockOrderEdge {
    /// The lock held, described (`Lock lock1`).
    pub held: String,
    /// The lock acquired while holding it.
    pub acquired: String,
    /// The line where the held lock was acquired.
    pub held_line: u32,
    /// The line of the nested acquire.
    pub acquire_line: u32,
    /// The thread that did it (the first one seen).
    pub thread: String,
}

/// A cycle of the lock-order graph: a potential deadlock, whether or not a schedule deadlocked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LockOrderCycle {
    /// The edges, each acquiring the lock the next one holds, starting at the smallest lock name.
    pub edges: Vec<LockOrderEdge>,
}

/// The lock-order graph accumulated over many executions: an edge A → B whenever a thread
/// acquires B while holding A (re-entering an `RLock` it holds adds none). Locks are identified
/// by their [`Name`]s (interned descriptions such as `Lock lock1`, the same in every execution of
/// a scenario), all from one [`DetectorState`].
#[derive(Clone, Debug, Default)]
pub struct LockOrderGraph {
    edges: std::collections::BTreeMap<(Name, Name), LockOrderEdge>,
}

impl LockOrderGraph {
    /// Adds the nested acquisitions `state` found in an execution that ended in `vm`: the first
    /// edge seen between two locks is the one reported.
    pub fn add_all(&mut self, state: &DetectorState, vm: &Vm) {
        for found in state.found() {
            if let Found::LockOrder { held, acquired, .. } = *found {
                self.edges
                    .entry((held, acquired))
                    .or_insert_with(|| state.lock_order_edge(vm, found));
            }
        }
    }

    /// The graph's cycles: one elementary cycle per strongly connected component, rotated to
    /// start at its smallest lock, sorted.
    pub fn cycles(&self) -> Vec<LockOrderCycle> {
        let edges: std::collections::BTreeMap<(&str, &str), &LockOrderEdge> = self
            .edges
            .values()
            .map(|edge| ((edge.held.as_str(), edge.acquired.as_str()), edge))
            .collect();
        let mut graph = DiGraphMap::<&str, ()>::new();
        for &(held, acquired) in edges.keys() {
            graph.add_edge(held, acquired, ());
        }
        let mut found = Vec::new();
        for component in petgraph::algo::tarjan_scc(&graph) {
            if component.len() < 2 {
                continue;
            }
            let start = *component.iter().min().expect("components are not empty");
            let mut path = vec![start];
            let cycle = loop {
                let current = *path.last().expect("path is not empty");
                let next = graph
                    .neighbors(current)
                    .filter(|n| component.contains(n))
                    .min()
                    .expect("a lock in a cyclic component has a successor in it");
                if let Some(position) = path.iter().position(|&l| l == next) {
                    let mut cycle = path.split_off(position);
                    let smallest = (0..cycle.len())
                        .min_by_key(|&i| cycle[i])
                        .expect("cycle is not empty");
                    cycle.rotate_left(smallest);
                    break cycle;
                }
                path.push(next);
            };
            let edges = (0..cycle.len())
                .map(|i| edges[&(cycle[i], cycle[(i + 1) % cycle.len()])].clone())
                .collect();
            found.push(LockOrderCycle { edges });
        }
        found.sort();
        found
    }
}

impl LockOrderCycle {
    /// The cycle in words, with `file:line` acquisition sites.
    pub fn message(&self, file_name: &str) -> String {
        let mut names: Vec<&str> = self.edges.iter().map(|e| e.held.as_str()).collect();
        names.push(&self.edges[0].held);
        let sites: Vec<String> = self
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} acquires {} at {file_name}:{} while holding {} (acquired at line {})",
                    e.thread, e.acquired, e.acquire_line, e.held, e.held_line
                )
            })
            .collect();
        format!(
            "locks are taken in the order {}: {}",
            names.join(" -> "),
            sites.join("; ")
        )
    }
}

/// A data race: two accesses to the same location by different threads, at least one a write,
/// that no synchronisation orders (happens-before from program order, thread start and join,
/// and lock release → acquire).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DataRace {
    /// The location, described.
    pub location: String,
    /// The earlier access: `read` or `write`.
    pub first_access: String,
    /// Its line.
    pub first_line: u32,
    /// Its thread.
    pub first_thread: String,
    /// The later access: `read` or `write`.
    pub second_access: String,
    /// Its line.
    pub second_line: u32,
    /// Its thread.
    pub second_thread: String,
}

impl DataRace {
    /// Whether it is the same finding as `other`: the same location, access kinds and lines,
    /// whichever threads showed it.
    pub fn same_finding(&self, other: &DataRace) -> bool {
        self.location == other.location
            && self.first_access == other.first_access
            && self.first_line == other.first_line
            && self.second_access == other.second_access
            && self.second_line == other.second_line
    }

    /// The race in words, with `file:line` positions.
    pub fn message(&self, file_name: &str) -> String {
        format!(
            "{} {}s {} at {file_name}:{} and {} {}s it at line {} with no synchronisation between them",
            self.first_thread,
            self.first_access,
            self.location,
            self.first_line,
            self.second_thread,
            self.second_access,
            self.second_line
        )
    }
}
