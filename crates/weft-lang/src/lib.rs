//! weft's Python-subset front end: parses a scenario file, checks it, and compiles it to a
//! [`weft_bytecode::Program`].
//!
//! The pipeline is `prescan` (reject input nested deeply enough to overflow the parser) →
//! `lower` (the only module that knows the parser: its tree becomes weft's own `ast`, and every
//! construct outside the subset is reported) → `compile` (scopes, CPython's compile-time checks,
//! bytecode). Problems in the file are [`Diagnostic`]s, never panics.
//!
//! The subset compiled today: module code as the main thread; `int` (64-bit), `float`, `str`
//! (with implicit concatenation and f-strings), `True`/`False`/`None`, list, tuple and dict
//! displays; arithmetic, bitwise, comparison (chained), boolean, membership, identity and
//! conditional expressions; calls with positional and keyword arguments; attribute and
//! subscript loads and stores; assignment (chained, unpacking), augmented assignment, `if`,
//! `while`/`for` (with `else`), `break`, `continue`, `pass`, `def` (defaults, keyword arguments,
//! `*args`), `return`, `global`, `class` (one base; methods and `name = value` members),
//! `assert`, `raise`, `with`, `import`/`from ... import` of [`weft_bytecode::MODULES`].
//! Everything else is a [`DiagnosticKind::Unsupported`] diagnostic naming the construct.
#![deny(missing_docs)]

mod ast;
mod compile;
mod diagnostic;
mod lower;
mod prescan;
mod scope;

pub use diagnostic::{Diagnostic, DiagnosticKind};

/// How many diagnostics are reported at most.
const MAX_DIAGNOSTICS: usize = 50;

/// Compiles a scenario file. `file_name` is recorded in the program for tracebacks; `source` is
/// the file's text.
///
/// Returns every problem found, sorted by position: syntax errors alone if there are any (at most
/// ten), otherwise every unsupported construct and semantic error.
pub fn compile(file_name: &str, source: &str) -> Result<weft_bytecode::Program, Vec<Diagnostic>> {
    if source.len() >= u32::MAX as usize {
        let diagnostic = diagnostic::RawDiagnostic::unsupported(
            "file is too large (weft accepts files below 4 GiB)",
            ast::Span { start: 0, end: 0 },
        );
        return Err(diagnostic::finish("", vec![diagnostic], 1));
    }
    if let Some(problem) = prescan::prescan(source) {
        return Err(diagnostic::finish(source, vec![problem], 1));
    }
    let (body, mut problems) = match lower::parse_and_lower(source) {
        Ok(lowered) => lowered,
        Err(syntax_errors) => {
            return Err(diagnostic::finish(source, syntax_errors, MAX_DIAGNOSTICS));
        }
    };
    match compile::compile_module(file_name, source, &body) {
        Ok(program) if problems.is_empty() => Ok(program),
        Ok(_) => Err(diagnostic::finish(source, problems, MAX_DIAGNOSTICS)),
        Err(semantic) => {
            problems.extend(semantic);
            Err(diagnostic::finish(source, problems, MAX_DIAGNOSTICS))
        }
    }
}
