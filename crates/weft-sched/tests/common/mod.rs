//! What the integration tests of weft-sched share: compiling a generated scenario and comparing
//! explorations. Each test binary uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Arc;

use weft_bytecode::Program;
use weft_detect::Kind;
use weft_sched::{ExploreConfig, ExploreReport, Strategy, explore};

/// The file name generated scenarios are compiled under (it appears in findings' positions).
pub(crate) const FILE_NAME: &str = "generated.py";

/// Compiles `source`, panicking with the rendered diagnostics if it does not compile.
pub(crate) fn compile(source: &str) -> Arc<Program> {
    try_compile(source, &[])
        .unwrap_or_else(|diagnostics| panic!("scenario does not compile:\n{diagnostics}\n{source}"))
}

/// Compiles `source` with `observers`, or renders why it does not compile.
pub(crate) fn try_compile(source: &str, observers: &[String]) -> Result<Arc<Program>, String> {
    match weft_lang::compile_with_observers(FILE_NAME, source, observers) {
        Ok(program) => Ok(Arc::new(program)),
        Err(diagnostics) => Err(diagnostics
            .iter()
            .map(|d| d.render(FILE_NAME, source))
            .collect::<Vec<_>>()
            .join("\n")),
    }
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

/// The outcomes as a set of (ending, thread exceptions, stdout, observed values), and the
/// deadlocks' blocked threads: what DFS and DPOR must agree on.
pub(crate) fn outcome_set(report: &ExploreReport) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = report
        .outcomes
        .iter()
        .map(|o| {
            let observed = if o.observed.is_empty() {
                String::new()
            } else {
                format!(" observed {:?}", o.observed)
            };
            format!(
                "{:?} {:?} {:?}{observed}",
                o.ending, o.thread_exceptions, o.stdout
            )
        })
        .collect();
    for deadlock in &report.deadlocks {
        set.insert(format!("deadlock {:?}", deadlock.report.blocked));
    }
    set
}

/// Every finding as (kind, message, positions), without how many schedules show it or which:
/// what DFS and DPOR must agree on besides the outcomes. A search tells lost updates, data
/// races and uncaught exceptions apart by location, lines and text, whatever the threads, and
/// names in the message the threads of the first schedule that showed it, which depends on
/// the search order: in those messages thread names are masked (`<thread>`), so the set holds
/// exactly what makes the findings distinct. Deadlocks and library warnings are told apart by
/// their threads too and keep them.
pub(crate) fn finding_set(report: &ExploreReport) -> BTreeSet<String> {
    report
        .findings(FILE_NAME)
        .into_iter()
        .map(|found| {
            let finding = found.finding;
            let message = match finding.kind {
                Kind::LostUpdate
                | Kind::DataRace
                | Kind::UncaughtException
                | Kind::AssertionFailed
                | Kind::LibraryMisuse => mask_thread_names(&finding.message),
                _ => finding.message,
            };
            format!("{:?}: {message} at {:?}", finding.kind, finding.positions)
        })
        .collect()
}

/// `message` with every thread name weft makes up (`MainThread`, `Thread-3`,
/// `Thread-3 (worker1)`, `ThreadPoolExecutor-0_1`) replaced by `<thread>`.
pub(crate) fn mask_thread_names(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while !rest.is_empty() {
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let name_len = if rest.starts_with("MainThread") {
            "MainThread".len()
        } else if let Some(after) = rest.strip_prefix("ThreadPoolExecutor-") {
            let pool = digits(after);
            let worker = after[pool..].strip_prefix('_').map_or(0, digits);
            if pool > 0 && worker > 0 {
                "ThreadPoolExecutor-".len() + pool + 1 + worker
            } else {
                0
            }
        } else if let Some(after) = rest.strip_prefix("Thread-") {
            let number = digits(after);
            let target = (after[number..].strip_prefix(" ("))
                .and_then(|s| s.find(')').filter(|&end| !s[..end].contains(' ')))
                .map_or(0, |end| 2 + end + 1);
            if number > 0 {
                "Thread-".len() + number + target
            } else {
                0
            }
        } else {
            0
        };
        if name_len > 0 {
            out.push_str("<thread>");
            rest = &rest[name_len..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// DFS and DPOR on one program, as the soundness campaign compares them.
pub(crate) struct Comparison {
    /// The reference search.
    pub(crate) dfs: ExploreReport,
    /// The search under test (`None` when DFS was cut by a bound: nothing to compare).
    pub(crate) dpor: Option<ExploreReport>,
}

/// Explores `program` with DFS under `config` (whatever its strategy), and when DFS is
/// exhaustive, with DPOR under the same options.
pub(crate) fn explore_both(program: &Arc<Program>, config: &ExploreConfig) -> Comparison {
    let dfs = explore(
        Arc::clone(program),
        &ExploreConfig {
            strategy: Strategy::Dfs,
            ..config.clone()
        },
    );
    let dpor = dfs.exhaustive.then(|| {
        explore(
            Arc::clone(program),
            &ExploreConfig {
                strategy: Strategy::Dpor,
                ..config.clone()
            },
        )
    });
    Comparison { dfs, dpor }
}

impl Comparison {
    /// How DPOR differs from DFS, in words (empty when they agree): DPOR not exhaustive where
    /// DFS is, then each of the outcome and finding sets with what only one search found.
    pub(crate) fn differences(&self) -> Vec<String> {
        let Some(dpor) = &self.dpor else {
            return Vec::new();
        };
        let mut differences = Vec::new();
        if !dpor.exhaustive {
            differences.push(format!(
                "DPOR was cut by {:?} where DFS was exhaustive ({} schedules)",
                dpor.bounds_hit, self.dfs.schedules_executed
            ));
        }
        let sets = [
            ("outcomes", outcome_set(&self.dfs), outcome_set(dpor)),
            ("findings", finding_set(&self.dfs), finding_set(dpor)),
        ];
        for (name, dfs_set, dpor_set) in sets {
            if dfs_set == dpor_set {
                continue;
            }
            let mut text = format!("{name} differ");
            for item in dfs_set.difference(&dpor_set) {
                text.push_str(&format!("\n  only DFS:  {item}"));
            }
            for item in dpor_set.difference(&dfs_set) {
                text.push_str(&format!("\n  only DPOR: {item}"));
            }
            differences.push(text);
        }
        differences
    }
}
