//! Parsing and lowering: runs the Python parser and turns its tree into weft's own [`ast`],
//! reporting syntax errors and every construct outside weft's subset.
//!
//! This is the only module that knows the parser (`rustpython-ruff_python_parser`); swapping the
//! parser means rewriting this file and nothing else.

use rustpython_ruff_python_ast as py;
use rustpython_ruff_python_parser::{Mode, ParseOptions, parse_unchecked, parse_unchecked_source};
use rustpython_ruff_text_size::{Ranged, TextRange};
use weft_bytecode::{BinOp, CmpOp, Conversion, UnaryOp};

use crate::ast::{
    ClassDef, ClassMember, Comprehension, ComprehensionFor, ComprehensionKind, ExceptHandler, Expr,
    ExprKind, FStringPiece, FunctionDef, Ident, ImportName, Literal, Span, Stmt, StmtKind, Try,
    WithItem,
};
use crate::diagnostic::RawDiagnostic;

/// How deeply expressions may nest (CPython's own limit is in the same range).
pub(crate) const MAX_DEPTH: u32 = 200;

/// How many syntax errors are reported at most.
const MAX_SYNTAX_ERRORS: usize = 10;

/// Parses `source` and lowers it. On syntax errors, returns only those (they make the rest of the
/// tree unreliable); otherwise returns the lowered module body and the diagnostics for every
/// unsupported construct.
pub(crate) fn parse_and_lower(
    source: &str,
) -> Result<(Vec<Stmt>, Vec<RawDiagnostic>), Vec<RawDiagnostic>> {
    let parsed = parse_unchecked_source(source, py::PySourceType::Python);
    if !parsed.errors().is_empty() {
        return Err(syntax_errors(parsed.errors()));
    }
    let mut lowerer = Lowerer {
        source,
        diagnostics: Vec::new(),
        depth: 0,
        reported_depth: false,
    };
    let body = lowerer.stmts(&parsed.syntax().body);
    Ok((body, lowerer.diagnostics))
}

/// Parses `source` as one Python expression (what `eval` accepts) and lowers it. Returns the
/// lowered expression, or every syntax error (alone) or unsupported construct.
pub(crate) fn parse_and_lower_expression(source: &str) -> Result<Expr, Vec<RawDiagnostic>> {
    let indent = source.len() - source.trim_start_matches([' ', '\t']).len();
    if indent > 0 {
        // CPython's `compile(source, ..., 'eval')` says the same; ruff's message is less clear.
        return Err(vec![RawDiagnostic::syntax(
            "unexpected indent",
            Span {
                start: 0,
                end: indent as u32,
            },
        )]);
    }
    let parsed = parse_unchecked(source, ParseOptions::from(Mode::Expression));
    if !parsed.errors().is_empty() {
        return Err(syntax_errors(parsed.errors()));
    }
    let Some(parsed) = parsed.try_into_expression() else {
        return Err(vec![RawDiagnostic::syntax(
            "expected an expression",
            Span {
                start: 0,
                end: source.len() as u32,
            },
        )]);
    };
    let mut lowerer = Lowerer {
        source,
        diagnostics: Vec::new(),
        depth: 0,
        reported_depth: false,
    };
    let expr = lowerer.expr(parsed.expr());
    if lowerer.diagnostics.is_empty() {
        Ok(expr)
    } else {
        Err(lowerer.diagnostics)
    }
}

/// The parser's errors as diagnostics, sorted, at most [`MAX_SYNTAX_ERRORS`].
fn syntax_errors(errors: &[rustpython_ruff_python_parser::ParseError]) -> Vec<RawDiagnostic> {
    let mut errors: Vec<RawDiagnostic> = errors
        .iter()
        .map(|error| {
            RawDiagnostic::syntax(
                lowercase_first(&error.error.to_string()),
                span(error.location),
            )
        })
        .collect();
    errors.sort_by_key(|error| error.span);
    errors.truncate(MAX_SYNTAX_ERRORS);
    errors
}

/// Ruff capitalises its messages; weft's are lowercase (but `IPython` stays `IPython`).
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message.to_string(),
    }
}

fn span(range: TextRange) -> Span {
    Span {
        start: range.start().to_u32(),
        end: range.end().to_u32(),
    }
}

fn ident(identifier: &py::Identifier) -> Ident {
    Ident {
        name: identifier.as_str().to_string(),
        span: span(identifier.range),
    }
}

struct Lowerer<'src> {
    source: &'src str,
    diagnostics: Vec<RawDiagnostic>,
    /// Current expression nesting.
    depth: u32,
    /// Whether "nested too deeply" was reported (once is enough).
    reported_depth: bool,
}

impl Lowerer<'_> {
    fn unsupported(&mut self, what: &str, range: TextRange) {
        self.diagnostics.push(RawDiagnostic::unsupported(
            format!("{what} is not supported by weft yet"),
            span(range),
        ));
    }

    fn unsupported_hint(&mut self, what: &str, hint: &str, range: TextRange) {
        self.diagnostics.push(RawDiagnostic::unsupported(
            format!("{what} is not supported by weft yet; {hint}"),
            span(range),
        ));
    }

    fn stmts(&mut self, body: &[py::Stmt]) -> Vec<Stmt> {
        body.iter().filter_map(|stmt| self.stmt(stmt)).collect()
    }

    /// Lowers statements only to report what is unsupported inside a construct that is itself
    /// unsupported.
    fn scan(&mut self, body: &[py::Stmt]) {
        let _ = self.stmts(body);
    }

    fn stmt(&mut self, stmt: &py::Stmt) -> Option<Stmt> {
        let kind = match stmt {
            py::Stmt::FunctionDef(def) => StmtKind::FunctionDef(Box::new(self.function_def(def)?)),
            py::Stmt::ClassDef(class) => StmtKind::ClassDef(Box::new(self.class_def(class)?)),
            py::Stmt::Return(ret) => {
                StmtKind::Return(ret.value.as_deref().map(|value| self.expr(value)))
            }
            py::Stmt::Delete(node) => {
                let mut targets = Vec::new();
                for target in &node.targets {
                    match target {
                        py::Expr::Name(_) | py::Expr::Subscript(_) | py::Expr::Attribute(_) => {
                            targets.push(self.target(target));
                        }
                        other => {
                            self.unsupported("this `del` target", other.range());
                            return None;
                        }
                    }
                }
                StmtKind::Delete(targets)
            }
            py::Stmt::TypeAlias(node) => {
                self.unsupported("`type` alias statement", node.range);
                return None;
            }
            py::Stmt::Assign(assign) => {
                let targets = assign
                    .targets
                    .iter()
                    .map(|target| self.target(target))
                    .collect();
                StmtKind::Assign {
                    targets,
                    value: self.expr(&assign.value),
                }
            }
            py::Stmt::AugAssign(assign) => {
                let op = self.bin_op(assign.op, assign.range)?;
                let target = match &*assign.target {
                    py::Expr::Name(_) | py::Expr::Attribute(_) | py::Expr::Subscript(_) => {
                        self.target(&assign.target)
                    }
                    other => {
                        self.unsupported("this augmented assignment target", other.range());
                        return None;
                    }
                };
                StmtKind::AugAssign {
                    target,
                    op,
                    value: self.expr(&assign.value),
                }
            }
            py::Stmt::AnnAssign(assign) => match &assign.value {
                // The annotation is ignored (CPython evaluates it but only stores it).
                Some(value) => StmtKind::Assign {
                    targets: vec![self.target(&assign.target)],
                    value: self.expr(value),
                },
                None => StmtKind::Pass,
            },
            py::Stmt::For(node) => {
                if node.is_async {
                    self.unsupported("`async for`", node.range);
                    return None;
                }
                StmtKind::For {
                    target: self.target(&node.target),
                    iter: self.expr(&node.iter),
                    body: self.stmts(&node.body),
                    orelse: self.stmts(&node.orelse),
                }
            }
            py::Stmt::While(node) => StmtKind::While {
                test: self.expr(&node.test),
                body: self.stmts(&node.body),
                orelse: self.stmts(&node.orelse),
            },
            py::Stmt::If(node) => {
                // `elif` / `else` clauses become nested `If`s in `orelse`, innermost last.
                let mut orelse = Vec::new();
                for clause in node.elif_else_clauses.iter().rev() {
                    let body = self.stmts(&clause.body);
                    orelse = match &clause.test {
                        Some(test) => vec![Stmt {
                            kind: StmtKind::If {
                                test: self.expr(test),
                                body,
                                orelse,
                            },
                            span: Span {
                                start: clause.range.start().to_u32(),
                                end: node.range.end().to_u32(),
                            },
                        }],
                        None => body,
                    };
                }
                StmtKind::If {
                    test: self.expr(&node.test),
                    body: self.stmts(&node.body),
                    orelse,
                }
            }
            py::Stmt::With(node) => {
                if node.is_async {
                    self.unsupported("`async with`", node.range);
                    return None;
                }
                let items = node
                    .items
                    .iter()
                    .map(|item| WithItem {
                        context: self.expr(&item.context_expr),
                        target: item
                            .optional_vars
                            .as_deref()
                            .map(|target| self.target(target)),
                    })
                    .collect();
                StmtKind::With {
                    items,
                    body: self.stmts(&node.body),
                }
            }
            py::Stmt::Match(node) => {
                self.unsupported("`match` statement", node.range);
                return None;
            }
            py::Stmt::Raise(node) => StmtKind::Raise {
                exc: node.exc.as_deref().map(|exc| self.expr(exc)),
                cause: node.cause.as_deref().map(|cause| self.expr(cause)),
            },
            py::Stmt::Try(node) => {
                if node.is_star {
                    let keyword = TextRange::at(node.range.start(), 3.into());
                    self.unsupported("`try`/`except*` statement", keyword);
                    self.scan(&node.body);
                    for handler in &node.handlers {
                        let py::ExceptHandler::ExceptHandler(handler) = handler;
                        self.scan(&handler.body);
                    }
                    self.scan(&node.orelse);
                    self.scan(&node.finalbody);
                    return None;
                }
                let mut handlers = Vec::new();
                for (index, handler) in node.handlers.iter().enumerate() {
                    let py::ExceptHandler::ExceptHandler(handler) = handler;
                    if handler.type_.is_none() && index + 1 < node.handlers.len() {
                        self.diagnostics.push(RawDiagnostic::semantic(
                            "default 'except:' must be last",
                            span(handler.range),
                        ));
                    }
                    handlers.push(ExceptHandler {
                        type_: handler.type_.as_deref().map(|type_| self.expr(type_)),
                        name: handler.name.as_ref().map(ident),
                        body: self.stmts(&handler.body),
                        span: span(handler.range),
                    });
                }
                StmtKind::Try(Box::new(Try {
                    body: self.stmts(&node.body),
                    handlers,
                    orelse: self.stmts(&node.orelse),
                    finalbody: self.stmts(&node.finalbody),
                }))
            }
            py::Stmt::Assert(node) => StmtKind::Assert {
                test: self.expr(&node.test),
                msg: node.msg.as_deref().map(|msg| self.expr(msg)),
            },
            py::Stmt::Import(node) => {
                let mut names = Vec::new();
                for alias in &node.names {
                    if !self.check_module(alias.name.as_str(), alias.name.range) {
                        continue;
                    }
                    names.push(ImportName {
                        name: ident(&alias.name),
                        alias: alias.asname.as_ref().map(ident),
                    });
                }
                StmtKind::Import(names)
            }
            py::Stmt::ImportFrom(node) => {
                let Some(module) = node.module.as_ref().filter(|_| node.level == 0) else {
                    self.unsupported("relative import", node.range);
                    return None;
                };
                if !self.check_module(module.as_str(), module.range) {
                    return None;
                }
                let mut names = Vec::new();
                for alias in &node.names {
                    if alias.name.as_str() == "*" {
                        self.unsupported_hint(
                            "`from ... import *`",
                            "import the names you use",
                            alias.range,
                        );
                        continue;
                    }
                    names.push(ImportName {
                        name: ident(&alias.name),
                        alias: alias.asname.as_ref().map(ident),
                    });
                }
                StmtKind::ImportFrom {
                    module: ident(module),
                    names,
                }
            }
            py::Stmt::Global(node) => StmtKind::Global(node.names.iter().map(ident).collect()),
            py::Stmt::Nonlocal(node) => StmtKind::Nonlocal(node.names.iter().map(ident).collect()),
            py::Stmt::Expr(node) => {
                if let py::Expr::EllipsisLiteral(_) = &*node.value {
                    // `...` as a placeholder statement does nothing.
                    StmtKind::Pass
                } else {
                    StmtKind::Expr(self.expr(&node.value))
                }
            }
            py::Stmt::Pass(_) => StmtKind::Pass,
            py::Stmt::Break(_) => StmtKind::Break,
            py::Stmt::Continue(_) => StmtKind::Continue,
            py::Stmt::IpyEscapeCommand(node) => {
                self.unsupported("IPython escape command", node.range);
                return None;
            }
        };
        Some(Stmt {
            kind,
            span: span(stmt.range()),
        })
    }

    /// Whether `module` is one weft provides; reports it when not.
    fn check_module(&mut self, module: &str, range: TextRange) -> bool {
        if weft_bytecode::MODULES.contains(&module) {
            return true;
        }
        self.diagnostics.push(RawDiagnostic::unsupported(
            format!(
                "module `{module}` is not supported by weft; supported modules: {}",
                weft_bytecode::MODULES.join(", ")
            ),
            span(range),
        ));
        false
    }

    fn function_def(&mut self, def: &py::StmtFunctionDef) -> Option<FunctionDef> {
        let mut ok = true;
        if def.is_async {
            self.unsupported("`async def`", def.range);
            ok = false;
        }
        for decorator in &def.decorator_list {
            self.unsupported("decorator", decorator.range);
            ok = false;
        }
        if let Some(type_params) = &def.type_params {
            self.unsupported("type parameters", type_params.range);
            ok = false;
        }
        let signature = self.parameters(&def.parameters, ident(&def.name));
        let body = self.stmts(&def.body);
        let mut function = signature?;
        function.body = body;
        ok.then_some(function)
    }

    /// A function with the parameters of a `def` or `lambda` (defaults lowered) and an empty
    /// body, or `None` after reporting what is unsupported.
    fn parameters(&mut self, parameters: &py::Parameters, name: Ident) -> Option<FunctionDef> {
        let mut ok = true;
        if let Some(first) = parameters.posonlyargs.first() {
            self.unsupported("positional-only parameter", first.range);
            ok = false;
        }
        let mut with_defaults = |list: &[py::ParameterWithDefault]| {
            list.iter()
                .map(|param| {
                    let default = param.default.as_deref().map(|value| self.expr(value));
                    (ident(&param.parameter.name), default)
                })
                .collect::<Vec<_>>()
        };
        let params = with_defaults(&parameters.args);
        let kwonly = with_defaults(&parameters.kwonlyargs);
        let function = FunctionDef {
            name,
            params,
            varargs: parameters.vararg.as_ref().map(|param| ident(&param.name)),
            kwonly,
            varkw: parameters.kwarg.as_ref().map(|param| ident(&param.name)),
            body: Vec::new(),
        };
        let mut seen: Vec<&str> = Vec::new();
        for name in function.param_names() {
            if seen.contains(&name.name.as_str()) {
                self.diagnostics.push(RawDiagnostic::semantic(
                    format!("duplicate argument '{}' in function definition", name.name),
                    name.span,
                ));
                ok = false;
            }
            seen.push(&name.name);
        }
        ok.then_some(function)
    }

    /// A comprehension's clauses, or `None` after reporting `async for`.
    fn comprehension(
        &mut self,
        kind: ComprehensionKind,
        generators: &[py::Comprehension],
    ) -> Option<ExprKind> {
        let mut clauses = Vec::new();
        for generator in generators {
            if generator.is_async {
                self.unsupported("`async for` in a comprehension", generator.range);
                return None;
            }
            clauses.push(ComprehensionFor {
                target: self.target(&generator.target),
                iter: self.expr(&generator.iter),
                ifs: self.exprs(&generator.ifs),
            });
        }
        Some(ExprKind::Comprehension(Box::new(Comprehension {
            kind,
            clauses,
        })))
    }

    fn class_def(&mut self, class: &py::StmtClassDef) -> Option<ClassDef> {
        let mut ok = true;
        for decorator in &class.decorator_list {
            self.unsupported("decorator", decorator.range);
            ok = false;
        }
        if let Some(type_params) = &class.type_params {
            self.unsupported("type parameters", type_params.range);
            ok = false;
        }
        let mut base = None;
        if let Some(arguments) = &class.arguments {
            if let Some(keyword) = arguments.keywords.first() {
                self.unsupported("class keyword argument", keyword.range);
                ok = false;
            }
            match &*arguments.args {
                [] => {}
                [single] => {
                    if let py::Expr::Starred(starred) = single {
                        self.unsupported("starred base class", starred.range);
                        ok = false;
                    } else {
                        base = Some(self.expr(single));
                    }
                }
                [_, second, ..] => {
                    self.unsupported_hint(
                        "multiple inheritance",
                        "use a single base class",
                        second.range(),
                    );
                    ok = false;
                }
            }
        }
        let mut members = Vec::new();
        for (index, stmt) in class.body.iter().enumerate() {
            match stmt {
                py::Stmt::FunctionDef(def) => {
                    if let Some(def) = self.function_def(def) {
                        members.push(ClassMember::Method(def));
                    }
                }
                py::Stmt::Assign(assign)
                    if assign.targets.len() == 1 && assign.targets[0].is_name_expr() =>
                {
                    if let py::Expr::Name(name) = &assign.targets[0] {
                        members.push(ClassMember::Attr {
                            name: Ident {
                                name: name.id.as_str().to_string(),
                                span: span(name.range),
                            },
                            value: self.expr(&assign.value),
                        });
                    }
                }
                py::Stmt::Pass(_) => {}
                py::Stmt::Expr(expr)
                    if matches!(&*expr.value, py::Expr::EllipsisLiteral(_))
                        || (index == 0 && expr.value.is_string_literal_expr()) => {}
                other => {
                    self.unsupported_hint(
                        "this statement in a class body",
                        "a class body may contain only `def`, `name = value`, `pass` and a docstring",
                        other.range(),
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| ClassDef {
            name: ident(&class.name),
            base,
            members,
        })
    }

    /// An assignment target; the compiler stores into it.
    fn target(&mut self, target: &py::Expr) -> Expr {
        if let py::Expr::Subscript(subscript) = target
            && let py::Expr::Slice(slice) = &*subscript.slice
        {
            self.unsupported("assigning to or deleting a slice", slice.range);
            return placeholder(slice.range);
        }
        match target {
            py::Expr::Name(_) | py::Expr::Attribute(_) | py::Expr::Subscript(_) => {
                self.expr(target)
            }
            py::Expr::Tuple(py::ExprTuple { elts, range, .. })
            | py::Expr::List(py::ExprList { elts, range, .. }) => {
                if !self.enter(*range) {
                    return placeholder(*range);
                }
                let mut items = Vec::new();
                let mut starred_seen = false;
                for elt in elts {
                    let py::Expr::Starred(starred) = elt else {
                        items.push(self.target(elt));
                        continue;
                    };
                    if starred_seen {
                        self.diagnostics.push(RawDiagnostic::semantic(
                            "multiple starred expressions in assignment",
                            span(starred.range),
                        ));
                    }
                    starred_seen = true;
                    items.push(Expr {
                        kind: ExprKind::Starred(Box::new(self.target(&starred.value))),
                        span: span(starred.range),
                    });
                }
                self.leave();
                let kind = if target.is_tuple_expr() {
                    ExprKind::Tuple(items)
                } else {
                    ExprKind::List(items)
                };
                Expr {
                    kind,
                    span: span(*range),
                }
            }
            py::Expr::Starred(starred) => {
                self.diagnostics.push(RawDiagnostic::semantic(
                    "starred assignment target must be in a list or tuple",
                    span(starred.range),
                ));
                placeholder(starred.range)
            }
            other => {
                self.unsupported("this assignment target", other.range());
                placeholder(other.range())
            }
        }
    }

    /// Enters one nesting level; past [`MAX_DEPTH`] reports (once) and refuses.
    fn enter(&mut self, range: TextRange) -> bool {
        if self.depth >= MAX_DEPTH {
            if !self.reported_depth {
                self.reported_depth = true;
                self.diagnostics.push(RawDiagnostic::unsupported(
                    format!("expression nested too deeply (weft allows {MAX_DEPTH} levels)"),
                    span(range),
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn exprs(&mut self, exprs: &[py::Expr]) -> Vec<Expr> {
        exprs.iter().map(|expr| self.expr(expr)).collect()
    }

    fn expr(&mut self, expr: &py::Expr) -> Expr {
        let range = expr.range();
        if !self.enter(range) {
            return placeholder(range);
        }
        let kind = self.expr_kind(expr);
        self.leave();
        match kind {
            Some(kind) => Expr {
                kind,
                span: span(range),
            },
            None => placeholder(range),
        }
    }

    /// The lowered kind of an expression, or `None` after reporting it as unsupported.
    fn expr_kind(&mut self, expr: &py::Expr) -> Option<ExprKind> {
        let kind = match expr {
            py::Expr::BoolOp(node) => ExprKind::BoolOp {
                is_and: node.op == py::BoolOp::And,
                values: self.exprs(&node.values),
            },
            py::Expr::Named(node) => {
                self.unsupported("assignment expression (`:=`)", node.range);
                return None;
            }
            py::Expr::BinOp(node) => {
                let op = self.bin_op(node.op, node.range)?;
                ExprKind::BinOp {
                    left: Box::new(self.expr(&node.left)),
                    op,
                    right: Box::new(self.expr(&node.right)),
                }
            }
            py::Expr::UnaryOp(node) => {
                let op = match node.op {
                    py::UnaryOp::Invert => UnaryOp::Invert,
                    py::UnaryOp::Not => UnaryOp::Not,
                    py::UnaryOp::UAdd => UnaryOp::Pos,
                    py::UnaryOp::USub => UnaryOp::Neg,
                };
                if op == UnaryOp::Neg
                    && let py::Expr::NumberLiteral(number) = &*node.operand
                {
                    // Fold `-literal` like CPython, which also makes `-9223372036854775808` fit.
                    return match &number.value {
                        py::Number::Int(int) => match int.as_i64() {
                            Some(value) => Some(ExprKind::Literal(Literal::Int(-value))),
                            None if int.to_string().parse::<u64>() == Ok(1 << 63) => {
                                Some(ExprKind::Literal(Literal::Int(i64::MIN)))
                            }
                            None => {
                                self.int_too_big(node.range);
                                None
                            }
                        },
                        py::Number::Float(value) => Some(ExprKind::Literal(Literal::Float(-value))),
                        py::Number::Complex { .. } => {
                            self.unsupported("complex number literal", number.range);
                            None
                        }
                    };
                }
                ExprKind::UnaryOp {
                    op,
                    operand: Box::new(self.expr(&node.operand)),
                }
            }
            py::Expr::Lambda(node) => {
                let name = Ident {
                    name: "<lambda>".to_string(),
                    span: span(node.range),
                };
                let mut function = match &node.parameters {
                    Some(parameters) => self.parameters(parameters, name)?,
                    None => FunctionDef {
                        name,
                        params: Vec::new(),
                        varargs: None,
                        kwonly: Vec::new(),
                        varkw: None,
                        body: Vec::new(),
                    },
                };
                let body = self.expr(&node.body);
                function.body = vec![Stmt {
                    span: body.span,
                    kind: StmtKind::Return(Some(body)),
                }];
                ExprKind::Lambda(Box::new(function))
            }
            py::Expr::If(node) => ExprKind::IfExp {
                test: Box::new(self.expr(&node.test)),
                body: Box::new(self.expr(&node.body)),
                orelse: Box::new(self.expr(&node.orelse)),
            },
            py::Expr::Dict(node) => {
                let mut items = Vec::new();
                for item in &node.items {
                    let Some(key) = &item.key else {
                        self.unsupported("dict unpacking (`**`)", item.value.range());
                        return None;
                    };
                    items.push((self.expr(key), self.expr(&item.value)));
                }
                ExprKind::Dict(items)
            }
            py::Expr::Set(node) => {
                self.unsupported("set display", node.range);
                return None;
            }
            py::Expr::ListComp(node) => {
                let elt = self.expr(&node.elt);
                self.comprehension(ComprehensionKind::List(elt), &node.generators)?
            }
            py::Expr::SetComp(node) => {
                self.unsupported("set comprehension", node.range);
                return None;
            }
            py::Expr::DictComp(node) => {
                let key = self.expr(&node.key);
                let value = self.expr(&node.value);
                self.comprehension(ComprehensionKind::Dict(key, value), &node.generators)?
            }
            py::Expr::Generator(node) => {
                self.unsupported_hint(
                    "generator expression",
                    "weft accepts one only as the sole argument of a call, such as \
                     `sum(x for x in xs)`; use a list comprehension",
                    node.range,
                );
                return None;
            }
            py::Expr::Await(node) => {
                self.unsupported("`await`", node.range);
                return None;
            }
            py::Expr::Yield(py::ExprYield { range, .. })
            | py::Expr::YieldFrom(py::ExprYieldFrom { range, .. }) => {
                self.unsupported("`yield`", *range);
                return None;
            }
            py::Expr::Compare(node) => {
                let left = Box::new(self.expr(&node.left));
                let comparisons = node
                    .ops
                    .iter()
                    .zip(node.comparators.iter())
                    .map(|(op, right)| (cmp_op(*op), self.expr(right)))
                    .collect();
                ExprKind::Compare { left, comparisons }
            }
            py::Expr::Call(node) => self.call(node)?,
            py::Expr::FString(node) => {
                let mut pieces = Vec::new();
                for part in &node.value {
                    match part {
                        py::FStringPart::Literal(literal) => {
                            pieces.push(FStringPiece::Text(literal.as_str().to_string()));
                        }
                        py::FStringPart::FString(fstring) => {
                            self.fstring_elements(&fstring.elements, &mut pieces);
                        }
                    }
                }
                ExprKind::FString(pieces)
            }
            py::Expr::TString(node) => {
                self.unsupported("t-string", node.range);
                return None;
            }
            py::Expr::StringLiteral(node) => {
                ExprKind::Literal(Literal::Str(node.value.to_str().to_string()))
            }
            py::Expr::BytesLiteral(node) => {
                self.unsupported("bytes literal", node.range);
                return None;
            }
            py::Expr::NumberLiteral(node) => match &node.value {
                py::Number::Int(int) => match int.as_i64() {
                    Some(value) => ExprKind::Literal(Literal::Int(value)),
                    None => {
                        self.int_too_big(node.range);
                        return None;
                    }
                },
                py::Number::Float(value) => ExprKind::Literal(Literal::Float(*value)),
                py::Number::Complex { .. } => {
                    self.unsupported("complex number literal", node.range);
                    return None;
                }
            },
            py::Expr::BooleanLiteral(node) => ExprKind::Literal(Literal::Bool(node.value)),
            py::Expr::NoneLiteral(_) => ExprKind::Literal(Literal::None),
            py::Expr::EllipsisLiteral(node) => {
                self.unsupported("`...` (Ellipsis) as a value", node.range);
                return None;
            }
            py::Expr::Attribute(node) => ExprKind::Attribute {
                value: Box::new(self.expr(&node.value)),
                attr: ident(&node.attr),
            },
            py::Expr::Subscript(node) => {
                let index = match &*node.slice {
                    py::Expr::Slice(slice) => {
                        let parts = [&slice.lower, &slice.upper, &slice.step]
                            .map(|part| part.as_deref().map(|part| Box::new(self.expr(part))));
                        Expr {
                            kind: ExprKind::Slice(parts),
                            span: span(slice.range),
                        }
                    }
                    index => self.expr(index),
                };
                ExprKind::Subscript {
                    value: Box::new(self.expr(&node.value)),
                    index: Box::new(index),
                }
            }
            py::Expr::Starred(node) => {
                self.unsupported("starred expression", node.range);
                return None;
            }
            py::Expr::Name(node) => ExprKind::Name(node.id.as_str().to_string()),
            py::Expr::List(node) => ExprKind::List(self.exprs(&node.elts)),
            py::Expr::Tuple(node) => ExprKind::Tuple(self.exprs(&node.elts)),
            py::Expr::Slice(node) => {
                self.unsupported("slice", node.range);
                return None;
            }
            py::Expr::IpyEscapeCommand(node) => {
                self.unsupported("IPython escape command", node.range);
                return None;
            }
        };
        Some(kind)
    }

    fn int_too_big(&mut self, range: TextRange) {
        self.diagnostics.push(RawDiagnostic::unsupported(
            "integer literal does not fit in 64 bits; weft's ints are 64-bit",
            span(range),
        ));
    }

    fn call(&mut self, call: &py::ExprCall) -> Option<ExprKind> {
        let func = Box::new(self.expr(&call.func));
        let mut args = Vec::new();
        for arg in &call.arguments.args {
            match arg {
                py::Expr::Starred(starred) => args.push(Expr {
                    kind: ExprKind::Starred(Box::new(self.expr(&starred.value))),
                    span: span(starred.range),
                }),
                // The sole argument: built eagerly, as a list (see `ComprehensionKind`).
                py::Expr::Generator(generator)
                    if call.arguments.args.len() == 1 && call.arguments.keywords.is_empty() =>
                {
                    if !self.enter(generator.range) {
                        return None;
                    }
                    let elt = self.expr(&generator.elt);
                    let kind = self
                        .comprehension(ComprehensionKind::Generator(elt), &generator.generators);
                    self.leave();
                    args.push(Expr {
                        kind: kind?,
                        span: span(generator.range),
                    });
                }
                _ => args.push(self.expr(arg)),
            }
        }
        let mut keywords: Vec<(Option<Ident>, Expr)> = Vec::new();
        for keyword in &call.arguments.keywords {
            if let Some(name) = &keyword.arg
                && keywords
                    .iter()
                    .any(|(seen, _)| seen.as_ref().is_some_and(|seen| seen.name == name.as_str()))
            {
                self.diagnostics.push(RawDiagnostic::semantic(
                    format!("keyword argument repeated: {}", name.as_str()),
                    span(keyword.range),
                ));
                return None;
            }
            keywords.push((keyword.arg.as_ref().map(ident), self.expr(&keyword.value)));
        }
        Some(ExprKind::Call {
            func,
            args,
            keywords,
        })
    }

    fn fstring_elements(
        &mut self,
        elements: &py::InterpolatedStringElements,
        pieces: &mut Vec<FStringPiece>,
    ) {
        for element in elements {
            match element {
                py::InterpolatedStringElement::Literal(literal) => {
                    pieces.push(FStringPiece::Text(literal.value.to_string()));
                }
                py::InterpolatedStringElement::Interpolation(field) => {
                    let mut conversion = match field.conversion {
                        py::ConversionFlag::None => Conversion::None,
                        py::ConversionFlag::Str => Conversion::Str,
                        py::ConversionFlag::Repr => Conversion::Repr,
                        py::ConversionFlag::Ascii => Conversion::Ascii,
                    };
                    if let Some(debug) = &field.debug_text {
                        // `f"{x=}"` is `"x=" + repr(x)` (or `format(x, spec)` with a spec).
                        let expression = self
                            .source
                            .get(field.expression.range().to_std_range())
                            .unwrap_or_default();
                        pieces.push(FStringPiece::Text(format!(
                            "{}{expression}{}",
                            debug.leading, debug.trailing
                        )));
                        if conversion == Conversion::None && field.format_spec.is_none() {
                            conversion = Conversion::Repr;
                        }
                    }
                    let value = Box::new(self.expr(&field.expression));
                    let mut spec = None;
                    if let Some(format_spec) = &field.format_spec
                        && self.enter(format_spec.range)
                    {
                        let mut spec_pieces = Vec::new();
                        self.fstring_elements(&format_spec.elements, &mut spec_pieces);
                        self.leave();
                        spec = Some(spec_pieces);
                    }
                    pieces.push(FStringPiece::Field {
                        value,
                        conversion,
                        spec,
                    });
                }
            }
        }
    }

    fn bin_op(&mut self, op: py::Operator, range: TextRange) -> Option<BinOp> {
        Some(match op {
            py::Operator::Add => BinOp::Add,
            py::Operator::Sub => BinOp::Sub,
            py::Operator::Mult => BinOp::Mul,
            py::Operator::MatMult => {
                self.unsupported("`@` (matrix multiplication) operator", range);
                return None;
            }
            py::Operator::Div => BinOp::TrueDiv,
            py::Operator::Mod => BinOp::Mod,
            py::Operator::Pow => BinOp::Pow,
            py::Operator::LShift => BinOp::LShift,
            py::Operator::RShift => BinOp::RShift,
            py::Operator::BitOr => BinOp::BitOr,
            py::Operator::BitXor => BinOp::BitXor,
            py::Operator::BitAnd => BinOp::BitAnd,
            py::Operator::FloorDiv => BinOp::FloorDiv,
        })
    }
}

fn cmp_op(op: py::CmpOp) -> CmpOp {
    match op {
        py::CmpOp::Eq => CmpOp::Eq,
        py::CmpOp::NotEq => CmpOp::Ne,
        py::CmpOp::Lt => CmpOp::Lt,
        py::CmpOp::LtE => CmpOp::Le,
        py::CmpOp::Gt => CmpOp::Gt,
        py::CmpOp::GtE => CmpOp::Ge,
        py::CmpOp::Is => CmpOp::Is,
        py::CmpOp::IsNot => CmpOp::IsNot,
        py::CmpOp::In => CmpOp::In,
        py::CmpOp::NotIn => CmpOp::NotIn,
    }
}

/// What an unsupported expression lowers to: `None`, never compiled because a diagnostic was
/// reported.
fn placeholder(range: TextRange) -> Expr {
    Expr {
        kind: ExprKind::Literal(Literal::None),
        span: span(range),
    }
}
