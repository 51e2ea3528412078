//! `Schedule`: the list of thread choices of one run, printable on one line and parsable back.
//!
//! The text form lists one thread id per step, separated by dots: `0.0.1.1.0`. A run of the
//! same thread may be written `TxN` (thread T for N steps): `0x2.1x2.0`. Printing uses the
//! run-length form for runs of three or more, so long schedules stay short. Only digits, `.`
//! and `x` appear, so a schedule is safe to paste into a shell unquoted.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use weft_vm::ThreadId;

/// The thread chosen at each step of a run, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Schedule {
    choices: Vec<ThreadId>,
}

impl Schedule {
    /// An empty schedule.
    pub fn new() -> Schedule {
        Schedule::default()
    }

    /// Appends one step.
    pub fn push(&mut self, thread: ThreadId) {
        self.choices.push(thread);
    }

    /// The choices, step by step.
    pub fn choices(&self) -> &[ThreadId] {
        &self.choices
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.choices.len()
    }

    /// Whether the schedule has no steps.
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }
}

impl From<Vec<ThreadId>> for Schedule {
    fn from(choices: Vec<ThreadId>) -> Schedule {
        Schedule { choices }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut index = 0;
        while index < self.choices.len() {
            let thread = self.choices[index];
            let run = self.choices[index..]
                .iter()
                .take_while(|&&t| t == thread)
                .count();
            let (text, used) = match run {
                1 => (format!("{thread}"), 1),
                2 => (format!("{thread}.{thread}"), 2),
                _ => (format!("{thread}x{run}"), run),
            };
            if !first {
                f.write_str(".")?;
            }
            f.write_str(&text)?;
            first = false;
            index += used;
        }
        Ok(())
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why a schedule's text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleParseError {
    /// The offending item (between dots).
    pub item: String,
    /// Its position among the items, from 1.
    pub position: usize,
}

impl fmt::Display for ScheduleParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid schedule item `{}` at position {}: expected a thread id such as `2`, or `2x5` for five steps of thread 2, separated by dots",
            self.item, self.position
        )
    }
}

impl std::error::Error for ScheduleParseError {}

/// The most steps a schedule text may expand to (a guard against `0x99999999999`).
const MAX_SCHEDULE_LEN: usize = 100_000_000;

impl FromStr for Schedule {
    type Err = ScheduleParseError;

    fn from_str(text: &str) -> Result<Schedule, ScheduleParseError> {
        let mut choices = Vec::new();
        let text = text.trim();
        if text.is_empty() {
            return Ok(Schedule::new());
        }
        for (index, item) in text.split('.').enumerate() {
            let error = || ScheduleParseError {
                item: item.to_string(),
                position: index + 1,
            };
            let (thread, count) = match item.split_once('x') {
                Some((thread, count)) => (thread, parse_number(count).ok_or_else(error)?),
                None => (item, 1),
            };
            let thread = parse_number(thread).ok_or_else(error)?;
            let thread = u32::try_from(thread).map_err(|_| error())?;
            if count == 0 || choices.len() + count > MAX_SCHEDULE_LEN {
                return Err(error());
            }
            choices.extend(std::iter::repeat_n(ThreadId(thread), count));
        }
        Ok(Schedule { choices })
    }
}

fn parse_number(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(ids: &[u32]) -> Schedule {
        Schedule::from(ids.iter().map(|&id| ThreadId(id)).collect::<Vec<_>>())
    }

    #[test]
    fn prints_runs_compactly_and_parses_back() {
        let cases: &[(&[u32], &str)] = &[
            (&[], ""),
            (&[0], "0"),
            (&[0, 0, 1, 1, 0], "0.0.1.1.0"),
            (&[0, 0, 0, 1, 2, 2, 2, 2, 0], "0x3.1.2x4.0"),
            (&[12, 12, 12, 3], "12x3.3"),
        ];
        for (ids, text) in cases {
            let original = schedule(ids);
            assert_eq!(original.to_string(), *text);
            assert_eq!(text.parse::<Schedule>().unwrap(), original);
        }
        assert_eq!("0x1.0x1".parse::<Schedule>().unwrap(), schedule(&[0, 0]));
    }

    #[test]
    fn rejects_malformed_text() {
        for text in [
            "a",
            "0..1",
            "1x",
            "x2",
            "1x0",
            "-1",
            "0.1x2x3",
            "1 2",
            "4294967296",
        ] {
            let error = text.parse::<Schedule>().unwrap_err();
            assert!(
                error.to_string().starts_with("invalid schedule item"),
                "{text}"
            );
        }
        assert!("0x100000001".parse::<Schedule>().is_err());
    }
}
