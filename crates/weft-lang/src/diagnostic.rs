//! Diagnostics: problems in a scenario file, with positions, rendered like rustc's errors.

use std::fmt::Write;

use weft_bytecode::ObserverId;

use crate::ast::Span;

/// A problem in a scenario file or in an observer expression, with the range of source it is
/// about.
///
/// Positions are 1-based; columns count characters (not bytes) from the start of the line. The
/// end position is exclusive: it is the position just after the last character of the range.
/// When [`Diagnostic::observer`] is set, positions are in that observer's expression, not in the
/// file: render with [`Diagnostic::render_with`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub kind: DiagnosticKind,
    /// What is wrong, lowercase, without a trailing period (and without the kind's prefix,
    /// which [`Diagnostic::render`] adds).
    pub message: String,
    /// The line where the range starts.
    pub line: u32,
    /// The column where the range starts.
    pub column: u32,
    /// The line where the range ends.
    pub end_line: u32,
    /// The column just after the range.
    pub end_column: u32,
    /// `None` for a problem in the scenario file; for a problem in an observer expression given
    /// to [`compile_with_observers`](crate::compile_with_observers), which one.
    pub observer: Option<ObserverId>,
}

/// The kinds of diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// The file is not valid Python: the parser rejected it, or it exceeds a nesting limit that
    /// CPython also has.
    Syntax,
    /// Valid Python that weft does not support (yet).
    Unsupported,
    /// An error CPython's compiler reports after parsing (`'return' outside function`, ...).
    Semantic,
}

impl DiagnosticKind {
    /// The prefix `render` puts before the message.
    fn prefix(self) -> &'static str {
        match self {
            DiagnosticKind::Syntax | DiagnosticKind::Semantic => "syntax error",
            DiagnosticKind::Unsupported => "unsupported syntax",
        }
    }
}

impl Diagnostic {
    /// The diagnostic as a plain-text block: the message, `file:line:column`, and the source line
    /// with the range underlined by carets.
    ///
    /// ```text
    /// error: unsupported syntax: `try` statement is not supported by weft yet
    ///  --> scenarios/x.py:3:1
    ///   |
    /// 3 | try:
    ///   | ^^^
    /// ```
    ///
    /// This renders against the text it is given: for diagnostics that may be about an observer
    /// expression, use [`Diagnostic::render_with`].
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "error: {}: {}", self.kind.prefix(), self.message);
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {file_name}:{}:{}", self.line, self.column);
        let Some(text) = source_line(source, self.line) else {
            return out;
        };
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", self.line, text.trim_end());
        let start = self.column.saturating_sub(1) as usize;
        let n_chars = text.chars().count();
        let end = if self.end_line == self.line {
            (self.end_column.saturating_sub(1) as usize).min(n_chars)
        } else {
            n_chars
        };
        let indent: String = text
            .chars()
            .take(start)
            .map(|ch| if ch == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = "^".repeat(end.saturating_sub(start).max(1));
        let _ = writeln!(out, "{pad} | {indent}{carets}");
        out
    }

    /// Renders a diagnostic from [`compile_with_observers`](crate::compile_with_observers) with
    /// the same `file_name`, `source` and `observers` it was given: a problem in the file is
    /// rendered as by [`Diagnostic::render`]; a problem in observer `i` (0-based) is rendered
    /// as if the expression were a file named `--observe i+1`.
    ///
    /// ```text
    /// error: unsupported syntax: `lambda` is not supported by weft yet; use a `def`
    ///  --> --observe 2:1:1
    ///   |
    /// 1 | lambda: 1
    ///   | ^^^^^^^^^
    /// ```
    pub fn render_with(&self, file_name: &str, source: &str, observers: &[String]) -> String {
        match self.observer {
            None => self.render(file_name, source),
            Some(id) => self.render(
                &observer_file_name(id),
                observers.get(id.index()).map_or("", String::as_str),
            ),
        }
    }
}

/// The name an observer's diagnostics show in place of a file name: `--observe 1` for the
/// first.
fn observer_file_name(id: ObserverId) -> String {
    format!("--observe {}", u64::from(id.0) + 1)
}

/// The text of a 1-based line, without its line terminator.
fn source_line(source: &str, line: u32) -> Option<&str> {
    let table = LineTable::new(source);
    let index = line.checked_sub(1)? as usize;
    let start = *table.starts.get(index)? as usize;
    let end = table
        .starts
        .get(index + 1)
        .map_or(source.len(), |&next| next as usize);
    Some(source[start..end].trim_end_matches(['\n', '\r']))
}

/// Where each line starts, to turn byte offsets into lines and columns. Like Python, `\n`,
/// `\r\n` and a lone `\r` all end a line.
pub(crate) struct LineTable<'src> {
    source: &'src str,
    starts: Vec<u32>,
}

impl<'src> LineTable<'src> {
    pub(crate) fn new(source: &'src str) -> Self {
        let bytes = source.as_bytes();
        let mut starts = vec![0];
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\n' => starts.push(index as u32 + 1),
                b'\r' if bytes.get(index + 1) != Some(&b'\n') => starts.push(index as u32 + 1),
                _ => {}
            }
            index += 1;
        }
        LineTable { source, starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: u32) -> u32 {
        self.starts.partition_point(|&start| start <= offset) as u32
    }

    /// The 1-based line and character column of a byte offset.
    pub(crate) fn line_column(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.source.len() as u32);
        let line = self.line(offset);
        let start = self.starts[line as usize - 1] as usize;
        let mut end = offset as usize;
        while !self.source.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.source[start..end].chars().count() as u32 + 1;
        (line, column)
    }

    /// A diagnostic about a span.
    pub(crate) fn diagnostic(
        &self,
        kind: DiagnosticKind,
        message: String,
        span: Span,
    ) -> Diagnostic {
        let (line, column) = self.line_column(span.start);
        let (end_line, end_column) = self.line_column(span.end.max(span.start));
        Diagnostic {
            kind,
            message,
            line,
            column,
            end_line,
            end_column,
            observer: None,
        }
    }
}

/// A diagnostic before positions are resolved: a kind, a message, a byte span and which text
/// the span is in (the file, or an observer expression).
#[derive(Clone, Debug)]
pub(crate) struct RawDiagnostic {
    pub(crate) kind: DiagnosticKind,
    pub(crate) message: String,
    pub(crate) span: Span,
    pub(crate) observer: Option<ObserverId>,
}

impl RawDiagnostic {
    pub(crate) fn unsupported(message: impl Into<String>, span: Span) -> Self {
        RawDiagnostic {
            kind: DiagnosticKind::Unsupported,
            message: message.into(),
            span,
            observer: None,
        }
    }

    pub(crate) fn semantic(message: impl Into<String>, span: Span) -> Self {
        RawDiagnostic {
            kind: DiagnosticKind::Semantic,
            message: message.into(),
            span,
            observer: None,
        }
    }

    pub(crate) fn syntax(message: impl Into<String>, span: Span) -> Self {
        RawDiagnostic {
            kind: DiagnosticKind::Syntax,
            message: message.into(),
            span,
            observer: None,
        }
    }
}

/// Sorts raw diagnostics by position, drops exact duplicates, keeps at most `limit`, and
/// resolves their positions. All of them must be about `source` (the file, or one observer).
pub(crate) fn finish(source: &str, mut raw: Vec<RawDiagnostic>, limit: usize) -> Vec<Diagnostic> {
    raw.sort_by(|a, b| (a.span, a.kind, &a.message).cmp(&(b.span, b.kind, &b.message)));
    raw.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    raw.truncate(limit);
    let table = LineTable::new(source);
    raw.into_iter()
        .map(|raw| {
            let mut diagnostic = table.diagnostic(raw.kind, raw.message, raw.span);
            diagnostic.observer = raw.observer;
            diagnostic
        })
        .collect()
}
