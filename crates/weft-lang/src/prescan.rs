//! A cheap scan of the raw source, before parsing, that rejects input nested so deeply that the
//! recursive-descent parser (or dropping its tree) could overflow the stack.
//!
//! The scan knows just enough Python to skip comments and string contents: it tracks bracket
//! depth, indentation depth, and an upper bound on how deeply the operators of each logical
//! line can nest. The limits match CPython's where CPython has one (200 nested brackets, 100
//! levels of indentation); the operator bound is far above what any real program reaches, and
//! the exact expression-depth limit is enforced later on the tree, by `lower`.

use crate::ast::Span;
use crate::diagnostic::RawDiagnostic;

/// CPython's tokenizer limit on nested brackets (`MAXLEVEL`).
const MAX_BRACKETS: usize = 200;
/// CPython's tokenizer limit on indentation levels (`MAXINDENT`).
const MAX_INDENT: usize = 100;
/// The bound on the estimated nesting of one logical line.
const MAX_NESTING: u32 = 1000;

/// The nesting bookkeeping of one open bracket (or of the logical line itself).
#[derive(Default)]
struct Frame {
    /// Operators since the last comma at this level.
    ops: u32,
    /// The deepest bracketed child since the last comma.
    max_child: u32,
    /// The deepest element before the last comma.
    best: u32,
    /// Where the bracket opened.
    start: u32,
}

impl Frame {
    fn depth(&self) -> u32 {
        self.best.max(self.ops.saturating_add(self.max_child))
    }
}

/// Scans `source` and returns the first nesting problem found, if any.
pub(crate) fn prescan(source: &str) -> Option<RawDiagnostic> {
    let bytes = source.as_bytes();
    let mut frames = vec![Frame::default()];
    let mut indents: Vec<usize> = vec![0];
    let mut at_line_start = true;
    let mut index = 0;
    let mut line_start = 0u32;
    while index < bytes.len() {
        let byte = bytes[index];
        if at_line_start && frames.len() == 1 {
            at_line_start = false;
            // Measure indentation of a logical line that is not blank or a comment.
            let mut width = 0;
            let mut cursor = index;
            while cursor < bytes.len() {
                match bytes[cursor] {
                    b' ' => width += 1,
                    b'\t' => width = (width / 8 + 1) * 8,
                    b'\x0c' => width = 0,
                    _ => break,
                }
                cursor += 1;
            }
            let blank = matches!(bytes.get(cursor), None | Some(b'\n' | b'\r' | b'#'));
            if !blank {
                while indents.len() > 1 && width < *indents.last().unwrap_or(&0) {
                    indents.pop();
                }
                if width > *indents.last().unwrap_or(&0) {
                    indents.push(width);
                    if indents.len() > MAX_INDENT {
                        return Some(RawDiagnostic::syntax(
                            "too many levels of indentation",
                            span(cursor, cursor + 1),
                        ));
                    }
                }
                line_start = cursor as u32;
            }
            index = cursor;
            continue;
        }
        match byte {
            b'#' => {
                while index < bytes.len() && !matches!(bytes[index], b'\n' | b'\r') {
                    index += 1;
                }
                continue;
            }
            b'\\' => {
                // A line continuation (or a stray backslash): skip it and the next character.
                index += 2;
                if bytes.get(index - 1) == Some(&b'\r') && bytes.get(index) == Some(&b'\n') {
                    index += 1;
                }
                continue;
            }
            b'\n' | b'\r' | b';' => {
                if frames.len() == 1 {
                    if let Some(problem) = check_line(&mut frames[0], line_start, index) {
                        return Some(problem);
                    }
                    at_line_start = byte != b';';
                }
            }
            b'(' | b'[' | b'{' => {
                // A bracket also nests in its parent: `f()()()` is a chain of calls.
                if let Some(parent) = frames.last_mut() {
                    parent.ops = parent.ops.saturating_add(1);
                }
                frames.push(Frame {
                    start: index as u32,
                    ..Frame::default()
                });
                if frames.len() > MAX_BRACKETS + 1 {
                    return Some(RawDiagnostic::syntax(
                        "too many nested parentheses",
                        span(index, index + 1),
                    ));
                }
            }
            b')' | b']' | b'}' => {
                if frames.len() > 1 {
                    let Some(frame) = frames.pop() else { break };
                    if let Some(parent) = frames.last_mut() {
                        parent.max_child = parent.max_child.max(frame.depth().saturating_add(1));
                    }
                    if let Some(problem) = check_depth(&frames, index) {
                        return Some(problem);
                    }
                }
            }
            b',' => {
                if let Some(frame) = frames.last_mut() {
                    frame.best = frame.depth();
                    frame.ops = 0;
                    frame.max_child = 0;
                }
            }
            b'"' | b'\'' => {
                match skip_string(bytes, index, false, frames.len() - 1) {
                    Ok(next) => index = next,
                    Err(problem) => return Some(problem),
                }
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | 0x80..=0xff => {
                let begin = index;
                while index < bytes.len()
                    && matches!(bytes[index], b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | 0x80..=0xff)
                {
                    index += 1;
                }
                let word = &bytes[begin..index];
                if matches!(bytes.get(index), Some(b'"' | b'\''))
                    && word.len() <= 3
                    && word.iter().all(|ch| {
                        matches!(ch.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't')
                    })
                {
                    let is_format = word
                        .iter()
                        .any(|ch| matches!(ch.to_ascii_lowercase(), b'f' | b't'));
                    match skip_string(bytes, index, is_format, frames.len() - 1) {
                        Ok(next) => index = next,
                        Err(problem) => return Some(problem),
                    }
                    continue;
                }
                if matches!(
                    word,
                    b"not"
                        | b"and"
                        | b"or"
                        | b"if"
                        | b"else"
                        | b"lambda"
                        | b"await"
                        | b"in"
                        | b"is"
                ) && let Some(frame) = frames.last_mut()
                {
                    frame.ops = frame.ops.saturating_add(1);
                }
                continue;
            }
            b' ' | b'\t' | b'\x0c' | b':' => {}
            _ => {
                if let Some(frame) = frames.last_mut() {
                    frame.ops = frame.ops.saturating_add(1);
                }
            }
        }
        index += 1;
    }
    if let Some(frame) = frames.last()
        && frames.len() > 1
    {
        // Unclosed brackets: the parser reports them; only the nesting bound matters here.
        let mut total = 0u32;
        for frame in &frames {
            total = total.saturating_add(frame.depth()).saturating_add(1);
        }
        if total > MAX_NESTING {
            return Some(too_deep(frame.start as usize, bytes.len()));
        }
        return None;
    }
    check_line(&mut frames[0], line_start, bytes.len())
}

/// Checks the running estimate of the open brackets.
fn check_depth(frames: &[Frame], index: usize) -> Option<RawDiagnostic> {
    let mut total = 0u32;
    for frame in frames {
        total = total.saturating_add(frame.depth()).saturating_add(1);
    }
    (total > MAX_NESTING).then(|| too_deep(frames.last().map_or(0, |f| f.start as usize), index))
}

/// Checks and resets the estimate at the end of a logical line.
fn check_line(frame: &mut Frame, line_start: u32, index: usize) -> Option<RawDiagnostic> {
    let depth = frame.depth();
    *frame = Frame::default();
    (depth > MAX_NESTING).then(|| too_deep(line_start as usize, index))
}

fn too_deep(start: usize, end: usize) -> RawDiagnostic {
    RawDiagnostic::unsupported(
        format!(
            "expression nested too deeply (weft allows at most {MAX_NESTING} operators in a row)"
        ),
        span(start, end.max(start)),
    )
}

fn span(start: usize, end: usize) -> Span {
    Span {
        start: start as u32,
        end: end as u32,
    }
}

/// Skips a string literal starting at the quote at `index`; returns the index after it.
/// In f-strings (`is_format`) brackets and operators inside the literal count as nesting, because
/// the replacement fields are parsed as expressions; `outer` is the enclosing bracket depth.
fn skip_string(
    bytes: &[u8],
    index: usize,
    is_format: bool,
    outer: usize,
) -> Result<usize, RawDiagnostic> {
    let quote = bytes[index];
    let triple = bytes.get(index + 1) == Some(&quote) && bytes.get(index + 2) == Some(&quote);
    let mut cursor = index + if triple { 3 } else { 1 };
    let mut local_depth = 0usize;
    let mut ops = 0usize;
    while cursor < bytes.len() {
        let byte = bytes[cursor];
        if byte == b'\\' {
            cursor += 2;
            continue;
        }
        if byte == quote {
            if !triple {
                return Ok(cursor + 1);
            }
            if bytes.get(cursor + 1) == Some(&quote) && bytes.get(cursor + 2) == Some(&quote) {
                return Ok(cursor + 3);
            }
        }
        if !triple && matches!(byte, b'\n' | b'\r') {
            // Unterminated: the parser reports it.
            return Ok(cursor);
        }
        if is_format {
            match byte {
                b'{' | b'(' | b'[' => local_depth += 1,
                b'}' | b')' | b']' => local_depth = local_depth.saturating_sub(1),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | b' ' | b',' | b':' => {}
                _ => ops += 1,
            }
            if outer + local_depth > MAX_BRACKETS {
                return Err(RawDiagnostic::syntax(
                    "too many nested parentheses",
                    span(cursor, cursor + 1),
                ));
            }
            if outer + local_depth + ops > MAX_NESTING as usize {
                return Err(too_deep(index, cursor));
            }
        }
        cursor += 1;
    }
    Ok(cursor)
}
