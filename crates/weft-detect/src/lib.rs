//! weft's detectors: analyses over VM states that turn what the simulated program did into
//! findings a person can act on.
//!
//! For now: the deadlock report. When no thread is enabled and some are blocked, it builds the
//! wait-for graph (an edge from each blocked thread to each thread that could unblock it) with
//! petgraph and lists, for every blocked thread, where it waits, what for and who holds it, plus
//! the graph's cycles in canonical order.
#![deny(missing_docs)]

use petgraph::graphmap::DiGraphMap;
use serde::Serialize;
use weft_vm::{BlockReason, ThreadId, ThreadState, Vm};

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
}

/// Everything the VM knows about a deadlocked state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadlockReport {
    /// Every blocked thread, by id.
    pub blocked: Vec<BlockedThread>,
    /// The wait-for graph's cycles, each rotated to start at its smallest thread id, sorted.
    /// A `Lock` acquired twice by one thread is a one-thread cycle.
    pub cycles: Vec<Vec<ThreadId>>,
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
        });
    }
    DeadlockReport {
        blocked,
        cycles: cycles(&graph),
    }
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
