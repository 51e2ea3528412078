//! The one model of a finding every report renders: its kind, its severity, a message in plain
//! words and the source positions of the events involved. Schedules and counts are added by the
//! strategy that found it.

use serde::Serialize;

use crate::{DataRace, DeadlockReport, LockOrderCycle, LostUpdate};

/// What a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// No thread can run and some are unfinished.
    Deadlock,
    /// A thread wrote a location based on a stale read of it: another thread's write was lost.
    LostUpdate,
    /// Locks taken in opposite orders by different executions' threads: a potential deadlock.
    LockOrderCycle,
    /// Conflicting accesses no synchronisation orders.
    DataRace,
    /// An uncaught exception (not one of the kinds below).
    UncaughtException,
    /// A failed `assert` (an uncaught `AssertionError`).
    AssertionFailed,
    /// An uncaught `RuntimeError`, `ValueError` or `BrokenBarrierError`: the errors the threading
    /// library raises when it is misused (releasing a lock nobody holds, ...). Classified by the
    /// exception's type: a scenario's own `raise` of one of them is classified the same.
    LibraryMisuse,
    /// An exception raised in a thread-pool task and stored in its future, which nobody asked
    /// for with `result()` or `exception()`: the pool swallowed it.
    SwallowedTaskException,
    /// A daemon thread stopped by the end of the program while it held a lock.
    DaemonStoppedHoldingLock,
}

/// How serious a finding is: errors make `weft` exit 1, warnings only with `--deny warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A bug shown by a schedule.
    Error,
    /// A potential bug (a lock-order cycle, a data race).
    Warning,
}

impl Kind {
    /// Its severity.
    pub fn severity(self) -> Severity {
        match self {
            Kind::LockOrderCycle
            | Kind::DataRace
            | Kind::SwallowedTaskException
            | Kind::DaemonStoppedHoldingLock => Severity::Warning,
            Kind::Deadlock
            | Kind::LostUpdate
            | Kind::UncaughtException
            | Kind::AssertionFailed
            | Kind::LibraryMisuse => Severity::Error,
        }
    }

    /// The kind of an uncaught exception, from its `Type: message` text.
    pub fn of_exception(exception: &str) -> Kind {
        let type_name = exception.split(':').next().unwrap_or_default();
        match type_name {
            "AssertionError" => Kind::AssertionFailed,
            "RuntimeError" | "ValueError" | "BrokenBarrierError" => Kind::LibraryMisuse,
            _ => Kind::UncaughtException,
        }
    }
}

/// One finding: what, how serious, in words, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is.
    pub kind: Kind,
    /// How serious it is.
    pub severity: Severity,
    /// What happened, in plain words, with `file:line` positions.
    pub message: String,
    /// The source positions of the events involved (`file:line`), in the order the message
    /// names them.
    pub positions: Vec<String>,
}

impl Finding {
    fn new(kind: Kind, message: String, file_name: &str, lines: &[u32]) -> Finding {
        Finding {
            kind,
            severity: kind.severity(),
            message,
            positions: lines
                .iter()
                .map(|line| format!("{file_name}:{line}"))
                .collect(),
        }
    }

    /// A deadlock: who waits where.
    pub fn deadlock(report: &DeadlockReport, file_name: &str) -> Finding {
        let waits: Vec<String> = report
            .blocked
            .iter()
            .map(|blocked| {
                let position = blocked
                    .line
                    .map(|line| format!(" at {file_name}:{line}"))
                    .unwrap_or_default();
                format!("{}{position} waits to {}", blocked.name, blocked.waits_for)
            })
            .collect();
        let lines: Vec<u32> = report.blocked.iter().filter_map(|b| b.line).collect();
        let message = format!("{}: {}", report.kind.describe(), waits.join("; "));
        Finding::new(Kind::Deadlock, message, file_name, &lines)
    }

    /// A lost update: the read, the lost write and the overwriting write.
    pub fn lost_update(update: &LostUpdate, file_name: &str) -> Finding {
        Finding::new(
            Kind::LostUpdate,
            update.message(file_name),
            file_name,
            &[update.read_line, update.lost_write_line, update.write_line],
        )
    }

    /// A lock-order cycle: each nested acquisition's acquire.
    pub fn lock_order_cycle(cycle: &LockOrderCycle, file_name: &str) -> Finding {
        let lines: Vec<u32> = cycle.edges.iter().map(|e| e.acquire_line).collect();
        Finding::new(
            Kind::LockOrderCycle,
            cycle.message(file_name),
            file_name,
            &lines,
        )
    }

    /// A data race: the two accesses.
    pub fn data_race(race: &DataRace, file_name: &str) -> Finding {
        Finding::new(
            Kind::DataRace,
            race.message(file_name),
            file_name,
            &[race.first_line, race.second_line],
        )
    }

    /// An uncaught exception (`Type: message`) of `thread`, raised at `line` if known.
    pub fn exception(thread: &str, exception: &str, line: Option<u32>, file_name: &str) -> Finding {
        let kind = Kind::of_exception(exception);
        let at = line
            .map(|line| format!(" at {file_name}:{line}"))
            .unwrap_or_default();
        let message = match kind {
            Kind::AssertionFailed => format!("an assert failed in {thread}{at}: {exception}"),
            Kind::LibraryMisuse => {
                format!("{thread} misused the threading library{at}: {exception}")
            }
            _ => format!("{thread} raised {exception}{at} and did not catch it"),
        };
        let lines: Vec<u32> = line.into_iter().collect();
        Finding::new(kind, message, file_name, &lines)
    }
}

impl Finding {
    /// A warning about how the library was used, found in an end state: `message` names the
    /// thread and the object; `line` is where it happened.
    pub fn library_warning(
        kind: Kind,
        message: &str,
        line: Option<u32>,
        file_name: &str,
    ) -> Finding {
        let at = line
            .map(|line| format!(" ({file_name}:{line})"))
            .unwrap_or_default();
        let lines: Vec<u32> = line.into_iter().collect();
        Finding::new(kind, format!("{message}{at}"), file_name, &lines)
    }
}

/// The warnings an end state shows about how the library was used: pool-task exceptions
/// nobody retrieved, daemon threads stopped while holding locks; as (kind, message, line).
pub fn library_warnings(vm: &weft_vm::Vm) -> Vec<(Kind, String, Option<u32>)> {
    let swallowed =
        vm.unretrieved_task_exceptions()
            .into_iter()
            .map(|(worker, exception, line)| {
                let message = format!(
                    "{exception}, raised by a task in {}, is stored in its future and never \
                 retrieved with result() or exception(): the pool swallowed it",
                    vm.thread_name(worker)
                );
                (Kind::SwallowedTaskException, message, line)
            });
    let stopped = vm
        .daemons_stopped_holding_locks()
        .iter()
        .map(|(thread, locks, line)| {
            let locks: Vec<String> = locks.iter().map(|l| vm.describe_object(*l)).collect();
            let message = format!(
                "daemon thread {} was stopped by the end of the program while holding {}",
                vm.thread_name(*thread),
                locks.join(", ")
            );
            (Kind::DaemonStoppedHoldingLock, message, *line)
        });
    swallowed.chain(stopped).collect()
}

/// The line where `thread` (named `thread_name`; thread 0 is the main thread) raised its uncaught
/// exception: the innermost frame of its traceback in `stderr` (the VM's `Exception in thread
/// NAME:` reports and the main thread's traceback).
pub fn raise_line(stderr: &str, thread_name: &str, is_main: bool) -> Option<u32> {
    let mut owner_is_thread = false;
    let mut found = None;
    let mut header_before = false;
    for text in stderr.lines() {
        if let Some(name) = text
            .strip_prefix("Exception in thread ")
            .and_then(|rest| rest.strip_suffix(':'))
        {
            owner_is_thread = name == thread_name && !is_main;
            header_before = true;
            continue;
        }
        if text == "Traceback (most recent call last):" {
            if !header_before {
                owner_is_thread = is_main;
            }
            header_before = false;
            continue;
        }
        header_before = false;
        if owner_is_thread
            && let Some(rest) = text.trim_start().strip_prefix("File \"")
            && let Some((_, after)) = rest.split_once("\", line ")
        {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(line) = digits.parse() {
                found = Some(line);
            }
        }
    }
    found
}
