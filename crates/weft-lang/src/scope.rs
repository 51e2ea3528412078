//! Scope analysis: which names a module or function binds, which it declares `global`, and
//! CPython's checks on the order of `global` declarations.

use std::collections::BTreeSet;

use crate::ast::{ClassMember, Expr, ExprKind, FStringPiece, FunctionDef, Ident, Stmt, StmtKind};
use crate::diagnostic::RawDiagnostic;

/// The local variables of one function.
pub(crate) struct FunctionScope {
    /// Slot names: parameters, then `*args`, then other locals in order of first binding.
    pub(crate) slots: Vec<String>,
    /// Names declared `global`.
    pub(crate) globals: BTreeSet<String>,
}

impl FunctionScope {
    pub(crate) fn slot(&self, name: &str) -> Option<usize> {
        if self.globals.contains(name) {
            return None;
        }
        self.slots.iter().position(|slot| slot == name)
    }
}

/// A name event, in source (evaluation) order, within one scope.
enum Event<'a> {
    Use(&'a str),
    Bind(&'a str),
    Global(&'a Ident),
}

/// Names the module binds: at module level, or through `global` in any function.
pub(crate) fn module_globals(body: &[Stmt]) -> BTreeSet<String> {
    let mut globals = BTreeSet::new();
    walk_stmts(body, &mut |event| {
        if let Event::Bind(name) = event {
            globals.insert(name.to_string());
        }
    });
    collect_global_decls(body, &mut globals);
    globals
}

/// Every name declared `global` anywhere, at any depth.
fn collect_global_decls(body: &[Stmt], out: &mut BTreeSet<String>) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Global(names) => out.extend(names.iter().map(|name| name.name.clone())),
            StmtKind::If { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::For { body, orelse, .. } => {
                collect_global_decls(body, out);
                collect_global_decls(orelse, out);
            }
            StmtKind::With { body, .. } => collect_global_decls(body, out),
            StmtKind::FunctionDef(def) => collect_global_decls(&def.body, out),
            StmtKind::ClassDef(class) => {
                for member in &class.members {
                    if let ClassMember::Method(def) = member {
                        collect_global_decls(&def.body, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Checks the module body's `global` statements (which are otherwise ignored at module level).
pub(crate) fn check_module(body: &[Stmt], diagnostics: &mut Vec<RawDiagnostic>) {
    let _ = analyse(&[], body, diagnostics);
}

/// The scope of a function.
pub(crate) fn function_scope(
    def: &FunctionDef,
    diagnostics: &mut Vec<RawDiagnostic>,
) -> FunctionScope {
    let params: Vec<&Ident> = def
        .params
        .iter()
        .map(|(name, _)| name)
        .chain(def.varargs.iter())
        .collect();
    let (bound, globals) = analyse(&params, &def.body, diagnostics);
    let mut slots: Vec<String> = params.iter().map(|param| param.name.clone()).collect();
    for name in bound {
        if !globals.contains(&name) && !slots.contains(&name) {
            slots.push(name);
        }
    }
    FunctionScope { slots, globals }
}

/// The names bound (in order of first binding) and declared global in a body, reporting
/// `global` declarations that come too late.
fn analyse(
    params: &[&Ident],
    body: &[Stmt],
    diagnostics: &mut Vec<RawDiagnostic>,
) -> (Vec<String>, BTreeSet<String>) {
    let mut bound: Vec<String> = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut globals = BTreeSet::new();
    walk_stmts(body, &mut |event| match event {
        Event::Use(name) => {
            used.insert(name.to_string());
        }
        Event::Bind(name) => {
            if !bound.iter().any(|seen| seen == name) {
                bound.push(name.to_string());
            }
        }
        Event::Global(ident) => {
            let name = ident.name.as_str();
            let problem = if params.iter().any(|param| param.name == name) {
                Some("is parameter and global")
            } else if bound.iter().any(|seen| seen == name) {
                Some("is assigned to before global declaration")
            } else if used.contains(name) {
                Some("is used prior to global declaration")
            } else {
                None
            };
            if let Some(problem) = problem {
                diagnostics.push(RawDiagnostic::semantic(
                    format!("name '{name}' {problem}"),
                    ident.span,
                ));
            }
            globals.insert(name.to_string());
        }
    });
    (bound, globals)
}

fn walk_stmts<'a>(body: &'a [Stmt], visit: &mut impl FnMut(Event<'a>)) {
    for stmt in body {
        walk_stmt(stmt, visit);
    }
}

fn walk_stmt<'a>(stmt: &'a Stmt, visit: &mut impl FnMut(Event<'a>)) {
    match &stmt.kind {
        StmtKind::Expr(expr) => walk_expr(expr, visit),
        StmtKind::Assign { targets, value } => {
            walk_expr(value, visit);
            for target in targets {
                walk_target(target, visit);
            }
        }
        StmtKind::AugAssign { target, value, .. } => {
            walk_expr(target, visit);
            walk_expr(value, visit);
            walk_target(target, visit);
        }
        StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
            walk_expr(test, visit);
            walk_stmts(body, visit);
            walk_stmts(orelse, visit);
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
        } => {
            walk_expr(iter, visit);
            walk_target(target, visit);
            walk_stmts(body, visit);
            walk_stmts(orelse, visit);
        }
        StmtKind::With { items, body } => {
            for item in items {
                walk_expr(&item.context, visit);
                if let Some(target) = &item.target {
                    walk_target(target, visit);
                }
            }
            walk_stmts(body, visit);
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        StmtKind::Return(value) => {
            if let Some(value) = value {
                walk_expr(value, visit);
            }
        }
        StmtKind::Global(names) => {
            for name in names {
                visit(Event::Global(name));
            }
        }
        StmtKind::FunctionDef(def) => {
            walk_defaults(def, visit);
            visit(Event::Bind(&def.name.name));
        }
        StmtKind::ClassDef(class) => {
            if let Some(base) = &class.base {
                walk_expr(base, visit);
            }
            for member in &class.members {
                match member {
                    ClassMember::Method(def) => walk_defaults(def, visit),
                    ClassMember::Attr { value, .. } => walk_expr(value, visit),
                }
            }
            visit(Event::Bind(&class.name.name));
        }
        StmtKind::Assert { test, msg } => {
            walk_expr(test, visit);
            if let Some(msg) = msg {
                walk_expr(msg, visit);
            }
        }
        StmtKind::Raise(exc) => walk_expr(exc, visit),
        StmtKind::Import(names) | StmtKind::ImportFrom { names, .. } => {
            for name in names {
                let bound = name.bound();
                visit(Event::Bind(&bound.name));
            }
        }
    }
}

fn walk_defaults<'a>(def: &'a FunctionDef, visit: &mut impl FnMut(Event<'a>)) {
    for (_, default) in &def.params {
        if let Some(default) = default {
            walk_expr(default, visit);
        }
    }
}

fn walk_target<'a>(target: &'a Expr, visit: &mut impl FnMut(Event<'a>)) {
    match &target.kind {
        ExprKind::Name(name) => visit(Event::Bind(name)),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            for item in items {
                walk_target(item, visit);
            }
        }
        ExprKind::Attribute { value, .. } => walk_expr(value, visit),
        ExprKind::Subscript { value, index } => {
            walk_expr(value, visit);
            walk_expr(index, visit);
        }
        _ => walk_expr(target, visit),
    }
}

fn walk_expr<'a>(expr: &'a Expr, visit: &mut impl FnMut(Event<'a>)) {
    match &expr.kind {
        ExprKind::Literal(_) => {}
        ExprKind::Name(name) => visit(Event::Use(name)),
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            for item in items {
                walk_expr(item, visit);
            }
        }
        ExprKind::Dict(items) => {
            for (key, value) in items {
                walk_expr(key, visit);
                walk_expr(value, visit);
            }
        }
        ExprKind::BinOp { left, right, .. } => {
            walk_expr(left, visit);
            walk_expr(right, visit);
        }
        ExprKind::UnaryOp { operand, .. } => walk_expr(operand, visit),
        ExprKind::BoolOp { values, .. } => {
            for value in values {
                walk_expr(value, visit);
            }
        }
        ExprKind::Compare { left, comparisons } => {
            walk_expr(left, visit);
            for (_, right) in comparisons {
                walk_expr(right, visit);
            }
        }
        ExprKind::IfExp { test, body, orelse } => {
            walk_expr(test, visit);
            walk_expr(body, visit);
            walk_expr(orelse, visit);
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            walk_expr(func, visit);
            for arg in args {
                walk_expr(arg, visit);
            }
            for (_, value) in keywords {
                walk_expr(value, visit);
            }
        }
        ExprKind::Attribute { value, .. } => walk_expr(value, visit),
        ExprKind::Subscript { value, index } => {
            walk_expr(value, visit);
            walk_expr(index, visit);
        }
        ExprKind::FString(pieces) => walk_pieces(pieces, visit),
    }
}

fn walk_pieces<'a>(pieces: &'a [FStringPiece], visit: &mut impl FnMut(Event<'a>)) {
    for piece in pieces {
        if let FStringPiece::Field { value, spec, .. } = piece {
            walk_expr(value, visit);
            if let Some(spec) = spec {
                walk_pieces(spec, visit);
            }
        }
    }
}
