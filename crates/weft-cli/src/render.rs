//! Text rendering of runs: the footer `run` and `replay` print on stderr, and the step trace.

use std::fmt::Write;
use std::path::Path;

use weft_sched::{RunEnd, RunReport};

/// Where a run's schedule came from.
pub(crate) enum Origin {
    /// The random scheduler with this seed.
    Seed(u64),
    /// A replayed schedule.
    Replay,
}

/// Whether the run found nothing wrong: it completed and no thread raised.
pub(crate) fn is_clean(report: &RunReport) -> bool {
    report.end == RunEnd::Completed
        && report.main_exception.is_none()
        && report.thread_exceptions.is_empty()
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
    replay_flags: &str,
) -> String {
    let mut out = String::new();
    let steps = report.steps();
    let origin_text = match origin {
        Origin::Seed(seed) => format!(" (seed {seed})"),
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
    if let RunEnd::Deadlocked { report: deadlock } = &report.end {
        for blocked in &deadlock.blocked {
            let position = blocked
                .line
                .map(|line| format!(" at {}:{line}", file.display()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{position} waits to {}",
                blocked.name, blocked.waits_for
            );
        }
        for cycle in &deadlock.cycles {
            let mut names: Vec<&str> = cycle
                .iter()
                .map(|t| report.thread_names[t.0 as usize].as_str())
                .collect();
            names.push(names[0]);
            let _ = writeln!(out, "  wait-for cycle: {}", names.join(" -> "));
        }
    }
    let _ = writeln!(out, "weft: schedule {}", report.schedule);
    let _ = writeln!(
        out,
        "weft: replay with: weft replay {} --schedule {}{replay_flags}",
        shell_word(&file.display().to_string()),
        report.schedule
    );
    out
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
                format!("{} {}", step.thread, report.thread_names[step.thread.0 as usize]),
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
