//! What the integration tests of weft-sched share: compiling a generated scenario and comparing
//! explorations. Each test binary uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Arc;

use weft_bytecode::Program;
use weft_sched::{ExploreConfig, ExploreReport, Strategy, explore};

/// Compiles `source`, panicking with the rendered diagnostics if it does not compile.
pub(crate) fn compile(source: &str) -> Arc<Program> {
    let program = weft_lang::compile("generated.py", source).unwrap_or_else(|diagnostics| {
        let text: Vec<String> = diagnostics
            .iter()
            .map(|d| d.render("generated.py", source))
            .collect();
        panic!("scenario does not compile:\n{}\n{source}", text.join("\n"))
    });
    Arc::new(program)
}

/// Explores `source` with `strategy`, capped at `max_schedules` (a capped search still reports
/// only what its explored schedules show).
pub(crate) fn explore_capped(
    source: &str,
    strategy: Strategy,
    max_schedules: u64,
) -> ExploreReport {
    let config = ExploreConfig {
        strategy,
        max_schedules: Some(max_schedules),
        ..ExploreConfig::default()
    };
    explore(compile(source), &config)
}

/// The outcomes as a set of (ending, thread exceptions, stdout), and the deadlocks' blocked
/// threads: what DFS and DPOR must agree on.
pub(crate) fn outcome_set(report: &ExploreReport) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = report
        .outcomes
        .iter()
        .map(|o| format!("{:?} {:?} {:?}", o.ending, o.thread_exceptions, o.stdout))
        .collect();
    for deadlock in &report.deadlocks {
        set.insert(format!("deadlock {:?}", deadlock.report.blocked));
    }
    set
}
