//! Text rendering of runs: the footer `run` and `replay` print on stderr, and the step trace.

use std::fmt::Write;
use std::path::Path;

use weft_detect::{Finding, Kind, Severity};
use weft_sched::{
    Ending, ExploreConfig, ExploreReport, FindingKind, RandomReport, RunEnd, RunReport, StopReason,
    Strategy,
};

/// Where a run's schedule came from.
pub(crate) enum Origin {
    /// The random scheduler with this seed.
    Seed(u64),
    /// PCT with this seed, depth and expected length.
    Pct {
        /// The run seed.
        seed: u64,
        /// The bug depth.
        depth: u32,
        /// The expected run length k.
        steps: u64,
    },
    /// A replayed schedule.
    Replay,
}

/// What the footer of a run shows besides the report.
pub(crate) struct FooterView<'a> {
    /// The `--observe` expressions.
    pub(crate) observers: &'a [String],
    /// Flags the replay command repeats.
    pub(crate) replay_flags: &'a str,
    /// Where the schedule was written, if it was.
    pub(crate) schedule_file: Option<&'a Path>,
}

/// Whether the run found nothing wrong: it completed, no thread raised, and it has no finding of
/// `severity` or worse (with `Severity::Warning`, no data race or lock-order cycle either).
pub(crate) fn is_clean(report: &RunReport, severity: Severity) -> bool {
    report.end == RunEnd::Completed
        && report.main_exception.is_none()
        && report.thread_exceptions.is_empty()
        && !run_findings(report, "")
            .iter()
            .any(|finding| finding.severity <= severity)
}

/// A run's lost updates, data races, lock-order cycles and library warnings in the one model.
fn run_findings(report: &RunReport, file_name: &str) -> Vec<Finding> {
    let updates = (report.lost_updates.iter()).map(|u| Finding::lost_update(u, file_name));
    let races = (report.data_races.iter()).map(|r| Finding::data_race(r, file_name));
    let cycles = (report.lock_order_cycles.iter()).map(|c| Finding::lock_order_cycle(c, file_name));
    let library = (report.library_warnings.iter())
        .map(|(kind, message, line)| Finding::library_warning(*kind, message, *line, file_name));
    updates.chain(races).chain(cycles).chain(library).collect()
}

/// A finding's title in a text report: `lost update`, `data race (warning)`.
fn finding_title(finding: &Finding) -> String {
    let warning = match finding.severity {
        Severity::Error => "",
        Severity::Warning => " (warning)",
    };
    format!("{}{warning}", kind_title(finding.kind))
}

/// A path as a shell word: unchanged when it is plain, single-quoted otherwise.
pub(crate) fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./+,:@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The footer: how the run ended, what was blocked, the schedule and the replay command.
pub(crate) fn footer(
    file: &Path,
    report: &RunReport,
    origin: &Origin,
    view: &FooterView<'_>,
) -> String {
    let (observers, replay_flags) = (view.observers, view.replay_flags);
    let mut out = String::new();
    let steps = report.steps();
    let origin_text = match origin {
        Origin::Seed(seed) => format!(" (seed {seed})"),
        Origin::Pct { seed, depth, steps } => {
            format!(" (seed {seed}, PCT depth {depth}, k = {steps})")
        }
        Origin::Replay => String::new(),
    };
    let ending = match &report.end {
        RunEnd::Completed => match &report.main_exception {
            Some(exception) => format!("exception in the main thread ({exception})"),
            None => "completed".to_string(),
        },
        RunEnd::Deadlocked { .. } => "deadlocked".to_string(),
        RunEnd::StepLimit => "stopped at the step limit (possible non-termination)".to_string(),
        RunEnd::Aborted { message } => format!("aborted: {message}"),
    };
    let _ = writeln!(out, "weft: {ending} after {steps} steps{origin_text}");
    for (thread, exception) in &report.thread_exceptions {
        let _ = writeln!(
            out,
            "weft: uncaught exception in {}: {exception}",
            report.thread_names[thread.0 as usize]
        );
    }
    for finding in run_findings(report, &file.display().to_string()) {
        let _ = writeln!(
            out,
            "weft: {}: {}",
            finding_title(&finding),
            finding.message
        );
    }
    if let RunEnd::Deadlocked { report: deadlock } = &report.end {
        let _ = writeln!(out, "  kind: {}", deadlock.kind.describe());
        deadlock_lines(&mut out, file, deadlock);
    }
    for (expression, value) in observers.iter().zip(&report.observed) {
        let _ = writeln!(out, "weft: observed {expression} = {value}");
    }
    let file_word = shell_word(&file.display().to_string());
    match view.schedule_file {
        Some(path) => {
            let path_word = shell_word(&path.display().to_string());
            let _ = writeln!(out, "weft: schedule written to {path_word}");
            let _ = writeln!(
                out,
                "weft: replay with: weft replay {file_word} --schedule-file {path_word}{replay_flags}"
            );
        }
        None => {
            let _ = writeln!(out, "weft: schedule {}", report.schedule);
            let _ = writeln!(
                out,
                "weft: replay with: weft replay {file_word} --schedule {}{replay_flags}",
                report.schedule
            );
        }
    }
    out
}

/// How many of `total` outcomes a text report shows for `--max-outcomes max` (0 = all).
fn shown_outcomes(max: usize, total: usize) -> usize {
    if max == 0 { total } else { max.min(total) }
}

/// What an outcome is: other threads' uncaught exceptions, then the program's output, or the
/// observed values when there are observers.
fn outcome_body(
    out: &mut String,
    thread_exceptions: &[(String, String)],
    stdout: &str,
    observers: &[String],
    observed: &[String],
) {
    for (thread, exception) in thread_exceptions {
        let _ = writeln!(out, "  uncaught exception in {thread}: {exception}");
    }
    if observers.is_empty() {
        quoted_output(out, stdout);
    } else {
        for (expression, value) in observers.iter().zip(observed) {
            let _ = writeln!(out, "    {expression} = {value}");
        }
    }
}

/// A deadlock's blocked threads (where each waits, for what, what it holds) and its wait-for
/// cycles, one line each.
fn deadlock_lines(out: &mut String, file: &Path, deadlock: &weft_detect::DeadlockReport) {
    for blocked in &deadlock.blocked {
        let position = blocked
            .line
            .map(|line| format!(" at {}:{line}", file.display()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}{position} waits to {}{}",
            blocked.name,
            blocked.waits_for,
            holding(&blocked.holds)
        );
    }
    for cycle in &deadlock.cycles {
        let names: Vec<String> = cycle
            .threads
            .iter()
            .chain(cycle.threads.first())
            .map(|t| {
                deadlock
                    .blocked
                    .iter()
                    .find(|b| b.thread == *t)
                    .map_or_else(|| t.to_string(), |b| b.name.clone())
            })
            .collect();
        let _ = writeln!(out, "  wait-for cycle: {}", names.join(" -> "));
    }
}

/// ", holding Lock lock1" for a blocked thread's held locks, or nothing.
fn holding(locks: &[String]) -> String {
    if locks.is_empty() {
        String::new()
    } else {
        format!("; holds {}", locks.join(", "))
    }
}

/// The step-by-step trace, as an aligned table.
pub(crate) fn trace(file: &Path, report: &RunReport) -> String {
    let file_name = file.display().to_string();
    let rows: Vec<[String; 5]> = report
        .trace
        .iter()
        .map(|step| {
            let enabled: Vec<String> = step.enabled.iter().map(|t| t.to_string()).collect();
            let mut operation = step.operation.clone();
            if let Some(detail) = &step.detail {
                let _ = write!(operation, " -> {detail}");
            }
            [
                step.step.to_string(),
                enabled.join(","),
                format!(
                    "{} {}",
                    step.thread, report.thread_names[step.thread.0 as usize]
                ),
                format!("{file_name}:{}", step.line),
                operation,
            ]
        })
        .collect();
    let header = [
        "step".to_string(),
        "enabled".to_string(),
        "thread".to_string(),
        "position".to_string(),
        "operation".to_string(),
    ];
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The program output of an outcome, indented, with missing final newlines made visible.
fn quoted_output(out: &mut String, text: &str) {
    if text.is_empty() {
        out.push_str("    (no output)\n");
        return;
    }
    for line in text.split_inclusive('\n') {
        let _ = writeln!(out, "    | {}", line.trim_end_matches('\n'));
    }
    if !text.ends_with('\n') {
        out.push_str("    (no newline at the end)\n");
    }
}

fn bound_text(bound: weft_sched::Bound, config: &ExploreConfig) -> String {
    use weft_sched::Bound;
    match bound {
        Bound::MaxSchedules => format!(
            "--max-schedules {}",
            config.max_schedules.unwrap_or_default()
        ),
        Bound::MaxSteps => format!(
            "--max-steps {} (some executions were cut)",
            config.max_steps
        ),
        Bound::PreemptionBound => format!(
            "--preemption-bound {}",
            config.preemption_bound.unwrap_or_default()
        ),
        Bound::TimeLimit => "--time-limit".to_string(),
        Bound::TooManyThreads => "more than 64 threads in one run".to_string(),
    }
}

fn ending_text(ending: &Ending) -> String {
    match ending {
        Ending::Completed => "completed".to_string(),
        Ending::MainException { exception } => format!("exception in the main thread: {exception}"),
        Ending::Deadlocked => "deadlocked".to_string(),
        Ending::StepLimit => "step limit reached (possible non-termination)".to_string(),
        Ending::Aborted { message } => format!("aborted: {message}"),
    }
}

fn replay_command(file: &Path, schedule: &weft_sched::Schedule, extra: &str) -> String {
    format!(
        "weft replay {} --schedule {schedule}{extra}",
        shell_word(&file.display().to_string())
    )
}

/// How to show an explore report.
pub(crate) struct ExploreView<'a> {
    /// Show at most this many outcomes (0 = all).
    pub(crate) max_outcomes: usize,
    /// The `--observe` expressions (the outcome is their values).
    pub(crate) observers: &'a [String],
    /// Flags every replay command repeats (`--print atomic`, `--observe ...`).
    pub(crate) replay_flags: &'a str,
    /// The scenario's `# weft:` pragma words, shown so a report says where its options came from.
    pub(crate) pragma: &'a [String],
}

/// The text report of `weft explore`.
pub(crate) fn explore(
    file: &Path,
    config: &ExploreConfig,
    report: &ExploreReport,
    view: &ExploreView<'_>,
) -> String {
    let max_outcomes = view.max_outcomes;
    let mut out = String::new();
    let strategy = match report.strategy {
        Strategy::Dfs => "dfs (every interleaving)",
        Strategy::Dpor => "dpor (source-DPOR with sleep sets)",
    };
    let _ = writeln!(out, "weft explore {}", file.display());
    if !view.pragma.is_empty() {
        let words: Vec<String> = view.pragma.iter().map(|w| shell_word(w)).collect();
        let _ = writeln!(
            out,
            "options from the scenario's `# weft:` line: {}",
            words.join(" ")
        );
    }
    if report.exhaustive {
        let _ = writeln!(out, "search: exhaustive, strategy {strategy}");
    } else {
        let bounds: Vec<String> = report
            .bounds_hit
            .iter()
            .map(|&b| bound_text(b, config))
            .collect();
        let _ = writeln!(
            out,
            "search: bounded by {}, strategy {strategy}",
            bounds.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "schedules: {} executed: {} complete interleavings explored, {} redundant; {} steps",
        report.schedules_executed,
        report.complete_schedules,
        report.redundant_schedules,
        report.steps_executed
    );
    let _ = writeln!(out, "outcomes: {}", report.outcomes.len());
    let step_limit_flags = format!("{} --max-steps {}", view.replay_flags, config.max_steps);
    let shown = shown_outcomes(max_outcomes, report.outcomes.len());
    for (index, outcome) in report.outcomes.iter().take(shown).enumerate() {
        let _ = writeln!(
            out,
            "\noutcome {}: {}, reached by {} of {} schedules",
            index + 1,
            ending_text(&outcome.ending),
            outcome.schedules,
            report.complete_schedules
        );
        outcome_body(
            &mut out,
            &outcome.thread_exceptions,
            &outcome.stdout,
            view.observers,
            &outcome.observed,
        );
        let extra = if outcome.ending == Ending::StepLimit {
            step_limit_flags.as_str()
        } else {
            view.replay_flags
        };
        let _ = writeln!(
            out,
            "  replay: {}",
            replay_command(file, &outcome.schedule, extra)
        );
    }
    if shown < report.outcomes.len() {
        let _ = writeln!(
            out,
            "\n... and {} more outcomes (--max-outcomes 0 shows all; --format json lists all)",
            report.outcomes.len() - shown
        );
    }
    let file_name = file.display().to_string();
    let findings = report.findings(&file_name);
    let count = |kinds: &[Kind]| {
        findings
            .iter()
            .filter(|f| kinds.contains(&f.finding.kind))
            .count()
    };
    let exceptions = count(&[
        Kind::UncaughtException,
        Kind::AssertionFailed,
        Kind::LibraryMisuse,
    ]);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (deadlocks, updates) = (count(&[Kind::Deadlock]), count(&[Kind::LostUpdate]));
    let (cycles, races) = (count(&[Kind::LockOrderCycle]), count(&[Kind::DataRace]));
    let library = count(&[Kind::SwallowedTaskException, Kind::DaemonStoppedHoldingLock]);
    let library_text = if library > 0 {
        format!(", {library} library warning{}", plural(library))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\nfindings: {deadlocks} deadlock{}, {updates} lost update{}, {exceptions} uncaught exception{}; warnings: {cycles} potential deadlock{} (lock order), {races} data race{}{library_text}",
        plural(deadlocks),
        plural(updates),
        plural(exceptions),
        plural(cycles),
        plural(races)
    );
    let mut deadlock_reports = report.deadlocks.iter();
    let mut numbers: std::collections::BTreeMap<Kind, usize> = Default::default();
    for found in &findings {
        let finding = &found.finding;
        let number = numbers.entry(finding.kind).or_default();
        *number += 1;
        let title = match finding.severity {
            Severity::Error => format!("{} {number}", kind_title(finding.kind)),
            Severity::Warning => format!("{} {number} (warning)", kind_title(finding.kind)),
        };
        let reached = found.schedules.map(|n| format!("reached by {n} schedules"));
        match (finding.kind, reached) {
            (Kind::Deadlock, Some(reached)) => {
                let deadlock = deadlock_reports
                    .next()
                    .expect("a deadlock finding per deadlock");
                let _ = writeln!(
                    out,
                    "\n{title}: {}, {reached}",
                    deadlock.report.kind.describe()
                );
                deadlock_lines(&mut out, file, &deadlock.report);
            }
            (_, Some(reached)) => {
                let _ = writeln!(out, "\n{title}: {reached}\n  {}", finding.message);
            }
            (_, None) => {
                let _ = writeln!(out, "\n{title}: {}", finding.message);
            }
        }
        if let Some(schedule) = &found.schedule {
            let _ = writeln!(
                out,
                "  replay: {}",
                replay_command(file, schedule, view.replay_flags)
            );
        }
    }
    out
}

/// What a finding of `kind` is called in a text report.
fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Deadlock => "deadlock",
        Kind::LostUpdate => "lost update",
        Kind::LockOrderCycle => "potential deadlock",
        Kind::DataRace => "data race",
        Kind::UncaughtException => "uncaught exception",
        Kind::AssertionFailed => "failed assert",
        Kind::LibraryMisuse => "library misuse",
        Kind::SwallowedTaskException => "swallowed task exception",
        Kind::DaemonStoppedHoldingLock => "daemon stopped holding a lock",
    }
}

/// The findings of an explore report as JSON: the one model plus its replay command.
#[derive(serde::Serialize)]
pub(crate) struct ExploreJson<'a> {
    #[serde(flatten)]
    report: &'a ExploreReport,
    findings: Vec<FindingJson>,
}

/// One finding in an explore report's JSON `findings` array.
#[derive(serde::Serialize)]
struct FindingJson {
    #[serde(flatten)]
    finding: weft_sched::ExploreFinding,
    /// The command that replays the finding's schedule.
    replay: Option<String>,
}

impl<'a> ExploreJson<'a> {
    /// The JSON view of `report`; replay commands repeat `replay_flags`.
    pub(crate) fn new(file: &Path, report: &'a ExploreReport, replay_flags: &str) -> Self {
        let findings = report
            .findings(&file.display().to_string())
            .into_iter()
            .map(|finding| FindingJson {
                replay: finding
                    .schedule
                    .as_ref()
                    .map(|schedule| replay_command(file, schedule, replay_flags)),
                finding,
            })
            .collect();
        ExploreJson { report, findings }
    }
}

/// Whether an explore report holds a finding of `severity` or worse: an error (a deadlock, a lost
/// update, an uncaught exception) or an execution that did not complete normally; with
/// `Severity::Warning`, warnings too.
pub(crate) fn explore_found_something(report: &ExploreReport, severity: Severity) -> bool {
    report
        .findings("")
        .iter()
        .any(|f| f.finding.severity <= severity)
        || report
            .outcomes
            .iter()
            .any(|o| o.ending != Ending::Completed || !o.thread_exceptions.is_empty())
}

/// A report as a JSON document: a schema name, the scenario path, then the report's fields.
pub(crate) fn json_document<T: serde::Serialize>(schema: &str, file: &Path, report: &T) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a, T> {
        schema: &'a str,
        file: String,
        #[serde(flatten)]
        report: &'a T,
    }
    let document = Document {
        schema,
        file: file.display().to_string(),
        report,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("reports serialize");
    text.push('\n');
    text
}

/// How to show a random campaign.
pub(crate) struct RandomView<'a> {
    /// Show at most this many outcomes (0 = all).
    pub(crate) max_outcomes: usize,
    /// The `--observe` expressions.
    pub(crate) observers: &'a [String],
    /// Flags every reproduction command repeats.
    pub(crate) flags: &'a str,
}

/// The text report of `weft random`.
pub(crate) fn random(file: &Path, report: &RandomReport, view: &RandomView<'_>) -> String {
    let mut out = String::new();
    let file_word = shell_word(&file.display().to_string());
    let pct_flags = match (report.pct_depth, report.pct_expected_steps) {
        (Some(depth), Some(steps)) => format!(" --pct-depth {depth} --pct-steps {steps}"),
        _ => String::new(),
    };
    let reproduce = |seed: u64| {
        format!(
            "weft run {file_word} --seed {seed}{pct_flags}{}",
            view.flags
        )
    };
    let _ = writeln!(out, "weft random {}", file.display());
    let scheduler = match (report.pct_depth, report.pct_expected_steps) {
        (Some(depth), Some(steps)) => format!(
            "PCT depth {depth}, k = {steps} (the length of a uniform run with seed {})",
            report.seed
        ),
        _ => "uniform random".to_string(),
    };
    let _ = writeln!(
        out,
        "runs: {} of {}, {scheduler}, campaign seed {}",
        report.runs, report.runs_requested, report.seed
    );
    match report.stopped {
        Some(StopReason::FirstFinding) => {
            let _ = writeln!(out, "stopped early: --stop-on-first");
        }
        Some(StopReason::TimeLimit) => {
            let _ = writeln!(out, "stopped early: --time-limit");
        }
        None => {}
    }
    let _ = writeln!(out, "steps: {}", report.steps_executed);
    let _ = writeln!(out, "outcomes: {}", report.outcomes.len());
    let shown = shown_outcomes(view.max_outcomes, report.outcomes.len());
    for (index, outcome) in report.outcomes.iter().take(shown).enumerate() {
        let _ = writeln!(
            out,
            "\noutcome {}: {}, {} of {} runs",
            index + 1,
            ending_text(&outcome.ending),
            outcome.runs,
            report.runs
        );
        outcome_body(
            &mut out,
            &outcome.thread_exceptions,
            &outcome.stdout,
            view.observers,
            &outcome.observed,
        );
        let _ = writeln!(
            out,
            "  first in run {} (run seed {}): {}",
            outcome.first_run,
            outcome.first_seed,
            reproduce(outcome.first_seed)
        );
    }
    if shown < report.outcomes.len() {
        let _ = writeln!(
            out,
            "\n... and {} more outcomes (--max-outcomes 0 shows all)",
            report.outcomes.len() - shown
        );
    }
    let _ = writeln!(out, "\nfindings: {}", report.findings.len());
    for (index, finding) in report.findings.iter().enumerate() {
        let title = match &finding.kind {
            FindingKind::Deadlock { report } => format!("deadlock, {}", report.kind.describe()),
            FindingKind::MainException { exception } => {
                format!("uncaught exception in MainThread: {exception}")
            }
            FindingKind::ThreadException { thread, exception } => {
                format!("uncaught exception in {thread}: {exception}")
            }
            FindingKind::LostUpdate { update } => {
                format!(
                    "lost update: {}",
                    update.message(&file.display().to_string())
                )
            }
            FindingKind::DataRace { race } => {
                let finding = Finding::data_race(race, &file.display().to_string());
                format!("{}: {}", finding_title(&finding), finding.message)
            }
            FindingKind::LockOrderCycle { cycle } => {
                let finding = Finding::lock_order_cycle(cycle, &file.display().to_string());
                format!("{}: {}", finding_title(&finding), finding.message)
            }
            FindingKind::LibraryWarning {
                warning,
                message,
                line,
            } => {
                let file_name = file.display().to_string();
                let finding = Finding::library_warning(*warning, message, *line, &file_name);
                format!("{}: {}", finding_title(&finding), finding.message)
            }
            FindingKind::StepLimit => "step limit reached (possible non-termination)".to_string(),
            FindingKind::Aborted { message } => format!("aborted: {message}"),
        };
        let _ = writeln!(
            out,
            "\nfinding {}: {title}, in {} of {} runs",
            index + 1,
            finding.runs,
            report.runs
        );
        if let FindingKind::Deadlock { report: deadlock } = &finding.kind {
            deadlock_lines(&mut out, file, deadlock);
        }
        let _ = writeln!(
            out,
            "  first in run {} (run seed {}), {} steps, {} preemption{}: {}",
            finding.first_run,
            finding.seed,
            finding.schedule.len(),
            finding.preemptions,
            if finding.preemptions == 1 { "" } else { "s" },
            reproduce(finding.seed)
        );
        if let Some(shrunk) = &finding.shrunk {
            let _ = writeln!(
                out,
                "  shrunk to {} preemption{}, {} steps{}: weft replay {file_word} --schedule {}{}",
                shrunk.preemptions,
                if shrunk.preemptions == 1 { "" } else { "s" },
                shrunk.schedule.len(),
                if shrunk.fixpoint {
                    ""
                } else {
                    " (shrinking budget reached)"
                },
                shrunk.schedule,
                view.flags
            );
        }
    }
    out
}
