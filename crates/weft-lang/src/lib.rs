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
//! `*args`), `lambda`, closures and `nonlocal`, list and dict comprehensions (and a generator
//! expression as the sole argument of a call), `return`, `global`, `class` (one base; methods
//! and `name = value` members; `super()`), `try`/`except`/`else`/`finally`, `raise` (bare and
//! `from`), `del`, `assert`, `with`, `import`/`from ... import` of [`weft_bytecode::MODULES`]
//! (dotted names included).
//! Everything else is a [`DiagnosticKind::Unsupported`] diagnostic naming the construct.
//!
//! # Observers
//!
//! [`compile_with_observers`] also compiles *observer* expressions (`weft explore --observe
//! account.balance`): each is one expression of the same subset, with names resolved as at
//! module level, compiled into a code object that returns its value
//! ([`weft_bytecode::Program::observers`]; the VM evaluates them after a run). A problem in an
//! observer is a [`Diagnostic`] whose [`Diagnostic::observer`] says which one and whose
//! positions are inside the expression. Render every diagnostic of that call with
//! [`Diagnostic::render_with`], passing the same file name, source and observers: a problem in
//! the second observer then reads
//!
//! ```text
//! error: unsupported syntax: set display is not supported by weft yet
//!  --> --observe 2:1:1
//!   |
//! 1 | {1, 2}
//!   | ^^^^^^
//! ```
#![deny(missing_docs)]

mod ast;
mod compile;
mod diagnostic;
mod lower;
mod prescan;
mod scope;

pub use diagnostic::{Diagnostic, DiagnosticKind};

use weft_bytecode::{ObserverId, Program};

/// How many diagnostics are reported at most.
const MAX_DIAGNOSTICS: usize = 50;

/// Compiles a scenario file. `file_name` is recorded in the program for tracebacks; `source` is
/// the file's text.
///
/// Returns every problem found, sorted by position: syntax errors alone if there are any (at most
/// ten), otherwise every unsupported construct and semantic error.
pub fn compile(file_name: &str, source: &str) -> Result<Program, Vec<Diagnostic>> {
    compile_with_observers(file_name, source, &[])
}

/// Compiles a scenario file like [`compile`], and with it `observers`: Python expressions
/// (`account.balance`, `len(results)`) to evaluate in the program's global scope once a run has
/// ended (`weft explore --observe EXPR`). They become [`Program::observers`], in order.
///
/// Each observer must be one expression (what Python's `eval` accepts) inside the same subset as
/// the file; its names resolve as at module level: a name the module binds is a global, another
/// builtin name is the builtin, anything else is a global that raises `NameError` when evaluated.
///
/// Returns the file's diagnostics (as [`compile`] would) followed by each observer's, in observer
/// order. A diagnostic about an observer has [`Diagnostic::observer`] set and positions inside
/// the expression: render every diagnostic with
/// `diagnostic.render_with(file_name, source, observers)` ([`Diagnostic::render_with`]), which
/// shows an observer as a file named `--observe N` (N counting from 1) whose one line is the
/// expression.
pub fn compile_with_observers(
    file_name: &str,
    source: &str,
    observers: &[String],
) -> Result<Program, Vec<Diagnostic>> {
    let file = lower_file(source);
    let mut lowered = Vec::new();
    let mut observer_problems = Vec::new();
    for (index, text) in observers.iter().enumerate() {
        let id = ObserverId(u32::try_from(index).unwrap_or(u32::MAX));
        match lower_observer(id, text) {
            Ok(expr) => lowered.push(compile::LoweredObserver {
                id,
                source: text,
                expr,
            }),
            Err(problems) => observer_problems.extend(problems),
        }
    }
    let (body, mut problems) = match file {
        Ok(lowered_file) => lowered_file,
        Err(mut diagnostics) => {
            diagnostics.extend(observer_problems);
            return Err(diagnostics);
        }
    };
    let semantic = match compile::compile_module(file_name, source, &body, &lowered) {
        Ok(program) if problems.is_empty() && observer_problems.is_empty() => return Ok(program),
        Ok(_) => Vec::new(),
        Err(semantic) => semantic,
    };
    let mut by_observer: Vec<Vec<diagnostic::RawDiagnostic>> = vec![Vec::new(); observers.len()];
    for problem in semantic {
        match problem.observer {
            None => problems.push(problem),
            Some(id) => by_observer[id.index()].push(problem),
        }
    }
    let mut diagnostics = if problems.is_empty() {
        Vec::new()
    } else {
        diagnostic::finish(source, problems, MAX_DIAGNOSTICS)
    };
    for (text, raw) in observers.iter().zip(by_observer) {
        if !raw.is_empty() {
            observer_problems.extend(diagnostic::finish(text, raw, MAX_DIAGNOSTICS));
        }
    }
    // Stable: each observer's own diagnostics stay sorted by position.
    observer_problems.sort_by_key(|diagnostic| diagnostic.observer);
    diagnostics.extend(observer_problems);
    Err(diagnostics)
}

/// The front half for the file: its lowered body and the unsupported constructs found, or the
/// diagnostics that stop compilation before code generation.
fn lower_file(
    source: &str,
) -> Result<(Vec<ast::Stmt>, Vec<diagnostic::RawDiagnostic>), Vec<Diagnostic>> {
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
    lower::parse_and_lower(source)
        .map_err(|syntax_errors| diagnostic::finish(source, syntax_errors, MAX_DIAGNOSTICS))
}

/// The front half for one observer expression: it lowered, or every problem found in it.
fn lower_observer(id: ObserverId, source: &str) -> Result<ast::Expr, Vec<Diagnostic>> {
    let mark = |mut problems: Vec<diagnostic::RawDiagnostic>| {
        for problem in &mut problems {
            problem.observer = Some(id);
        }
        problems
    };
    if source.len() >= u32::MAX as usize {
        let problem = diagnostic::RawDiagnostic::unsupported(
            "observer expression is too large",
            ast::Span { start: 0, end: 0 },
        );
        return Err(diagnostic::finish("", mark(vec![problem]), 1));
    }
    if let Some(problem) = prescan::prescan(source) {
        return Err(diagnostic::finish(source, mark(vec![problem]), 1));
    }
    lower::parse_and_lower_expression(source)
        .map_err(|problems| diagnostic::finish(source, mark(problems), MAX_DIAGNOSTICS))
}
