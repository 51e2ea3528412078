//! Scope analysis: which names a module or function binds, which it declares `global` or
//! `nonlocal`, which of its variables nested functions capture (cells) and which it takes from
//! enclosing functions (free variables), and CPython's checks on those declarations.
//!
//! Functions, lambdas and comprehensions are scopes; a class body is not (its methods see the
//! enclosing function's variables directly, as in CPython).

use std::collections::BTreeSet;

use crate::ast::{
    ClassMember, Comprehension, ComprehensionKind, Expr, ExprKind, FStringPiece, FunctionDef,
    Ident, Stmt, StmtKind,
};
use crate::diagnostic::RawDiagnostic;

/// The name of a comprehension's implicit parameter (its first iterator), as in CPython.
pub(crate) const COMPREHENSION_ARG: &str = ".0";

/// The local variables of one function, lambda or comprehension.
pub(crate) struct FunctionScope {
    /// Slot names: parameters, then `*args`, then other locals in order of first binding, then
    /// the free variables (the last `n_free`).
    pub(crate) slots: Vec<String>,
    /// Names declared `global`.
    pub(crate) globals: BTreeSet<String>,
    /// Locals that nested scopes capture: they live in cells.
    pub(crate) cells: BTreeSet<String>,
    /// How many of the last slots are free variables (cells of enclosing functions).
    pub(crate) n_free: usize,
}

impl FunctionScope {
    pub(crate) fn slot(&self, name: &str) -> Option<usize> {
        if self.globals.contains(name) {
            return None;
        }
        self.slots.iter().position(|slot| slot == name)
    }

    /// Whether the slot holds a cell (a captured local or a free variable).
    pub(crate) fn is_cell(&self, slot: usize) -> bool {
        slot >= self.slots.len() - self.n_free || self.cells.contains(&self.slots[slot])
    }
}

/// A nested scope met while walking a body.
#[derive(Clone, Copy)]
pub(crate) enum Child<'a> {
    Function(&'a FunctionDef),
    Comprehension(&'a Comprehension),
}

/// A name event, in source (evaluation) order, within one scope.
enum Event<'a> {
    Use(&'a str),
    Bind(&'a str),
    Global(&'a Ident),
    Nonlocal(&'a Ident),
    Child(Child<'a>),
}

/// Names the module binds: at module level, or through `global` in any function.
pub(crate) fn module_globals(body: &[Stmt]) -> BTreeSet<String> {
    let mut globals = BTreeSet::new();
    walk_stmts(body, &mut |event| match event {
        Event::Bind(name) => {
            globals.insert(name.to_string());
        }
        Event::Child(child) => collect_global_decls(child, &mut globals),
        _ => {}
    });
    walk_stmts(body, &mut |event| {
        if let Event::Global(ident) = event {
            globals.insert(ident.name.clone());
        }
    });
    globals
}

/// Every name declared `global` inside a nested scope, at any depth.
fn collect_global_decls(child: Child<'_>, out: &mut BTreeSet<String>) {
    walk_child(child, &mut |event| match event {
        Event::Global(ident) => {
            out.insert(ident.name.clone());
        }
        Event::Child(grandchild) => collect_global_decls(grandchild, out),
        _ => {}
    });
}

/// Checks the module body's `global` and `nonlocal` statements (`global` is otherwise ignored
/// at module level; `nonlocal` is an error there).
pub(crate) fn check_module(body: &[Stmt], diagnostics: &mut Vec<RawDiagnostic>) {
    let analysis = analyse(&[], Body::Stmts(body), diagnostics);
    for ident in analysis.nonlocals {
        diagnostics.push(RawDiagnostic::semantic(
            "nonlocal declaration not allowed at module level",
            ident.span,
        ));
    }
}

/// The scope of a function or comprehension. `is_enclosing_local` says whether a name is a
/// local variable of an enclosing function (the innermost one that mentions it), so that a use
/// here is a free variable.
pub(crate) fn function_scope(
    child: Child<'_>,
    is_enclosing_local: &dyn Fn(&str) -> bool,
    diagnostics: &mut Vec<RawDiagnostic>,
) -> FunctionScope {
    let (params, analysis) = analyse_child(child, diagnostics);
    for ident in &analysis.nonlocals {
        if !is_enclosing_local(&ident.name) {
            diagnostics.push(RawDiagnostic::semantic(
                format!("no binding for nonlocal '{}' found", ident.name),
                ident.span,
            ));
        }
    }
    let mut slots = params;
    for name in &analysis.bound {
        if !analysis.is_declared(name) && !slots.contains(name) {
            slots.push(name.clone());
        }
    }
    let cells = slots
        .iter()
        .filter(|name| analysis.children_need.contains(*name))
        .cloned()
        .collect();
    let free: Vec<String> = analysis
        .needs(&slots)
        .into_iter()
        .filter(|name| is_enclosing_local(name))
        .collect();
    let n_free = free.len();
    slots.extend(free);
    FunctionScope {
        slots,
        globals: analysis
            .globals
            .iter()
            .map(|ident| ident.name.clone())
            .collect(),
        cells,
        n_free,
    }
}

/// The parameters and the analysis of a nested scope's body.
fn analyse_child(
    child: Child<'_>,
    diagnostics: &mut Vec<RawDiagnostic>,
) -> (Vec<String>, Analysis) {
    match child {
        Child::Function(def) => {
            let params: Vec<&Ident> = def.param_names().collect();
            let analysis = analyse(&params, Body::Stmts(&def.body), diagnostics);
            let names = params.iter().map(|param| param.name.clone()).collect();
            (names, analysis)
        }
        Child::Comprehension(comprehension) => {
            let analysis = analyse(&[], Body::Comprehension(comprehension), diagnostics);
            (vec![COMPREHENSION_ARG.to_string()], analysis)
        }
    }
}

/// What a scope's body does with names.
struct Analysis {
    /// Names bound, in order of first binding (including `nonlocal`/`global` ones).
    bound: Vec<String>,
    used: BTreeSet<String>,
    globals: Vec<Ident>,
    nonlocals: Vec<Ident>,
    /// The names nested scopes take from outside themselves.
    children_need: BTreeSet<String>,
}

impl Analysis {
    fn is_declared(&self, name: &str) -> bool {
        self.globals.iter().any(|ident| ident.name == name)
            || self.nonlocals.iter().any(|ident| ident.name == name)
    }

    /// The names this scope takes from outside itself, given its local slots.
    fn needs(&self, locals: &[String]) -> BTreeSet<String> {
        self.used
            .iter()
            .chain(&self.children_need)
            .chain(self.nonlocals.iter().map(|ident| &ident.name))
            .filter(|name| {
                !locals.contains(name) && !self.globals.iter().any(|ident| &ident.name == *name)
            })
            .cloned()
            .collect()
    }
}

/// The names a nested scope takes from outside itself.
fn child_needs(child: Child<'_>) -> BTreeSet<String> {
    // Diagnostics are reported when the child itself is compiled.
    let (params, analysis) = analyse_child(child, &mut Vec::new());
    let mut locals = params;
    for name in &analysis.bound {
        if !analysis.is_declared(name) {
            locals.push(name.clone());
        }
    }
    analysis.needs(&locals)
}

/// The code of a scope.
enum Body<'a> {
    Stmts(&'a [Stmt]),
    Comprehension(&'a Comprehension),
}

/// Analyses a scope's code, reporting `global`/`nonlocal` declarations that come too late.
fn analyse(params: &[&Ident], body: Body<'_>, diagnostics: &mut Vec<RawDiagnostic>) -> Analysis {
    let mut analysis = Analysis {
        bound: Vec::new(),
        used: BTreeSet::new(),
        globals: Vec::new(),
        nonlocals: Vec::new(),
        children_need: BTreeSet::new(),
    };
    let mut visit = |event: Event<'_>| match event {
        Event::Use(name) => {
            analysis.used.insert(name.to_string());
        }
        Event::Bind(name) => {
            if !analysis.bound.iter().any(|seen| seen == name) {
                analysis.bound.push(name.to_string());
            }
        }
        Event::Global(ident) | Event::Nonlocal(ident) => {
            let is_global = matches!(event, Event::Global(_));
            let kind = if is_global { "global" } else { "nonlocal" };
            let name = ident.name.as_str();
            let problem = if params.iter().any(|param| param.name == name) {
                Some(format!("is parameter and {kind}"))
            } else if analysis.bound.iter().any(|seen| seen == name) {
                Some(format!("is assigned to before {kind} declaration"))
            } else if analysis.used.contains(name) {
                Some(format!("is used prior to {kind} declaration"))
            } else {
                None
            };
            if let Some(problem) = problem {
                diagnostics.push(RawDiagnostic::semantic(
                    format!("name '{name}' {problem}"),
                    ident.span,
                ));
            }
            if is_global {
                analysis.globals.push(ident.clone());
            } else {
                analysis.nonlocals.push(ident.clone());
            }
        }
        Event::Child(child) => analysis.children_need.extend(child_needs(child)),
    };
    match body {
        Body::Comprehension(comprehension) => walk_comprehension_body(comprehension, &mut visit),
        Body::Stmts(body) => walk_stmts(body, &mut visit),
    }
    analysis
}

fn walk_child<'a>(child: Child<'a>, visit: &mut impl FnMut(Event<'a>)) {
    match child {
        Child::Function(def) => walk_stmts(&def.body, visit),
        Child::Comprehension(comprehension) => walk_comprehension_body(comprehension, visit),
    }
}

/// What a comprehension's own scope sees: every clause but the first iterator (which the
/// enclosing scope evaluates), then the element.
fn walk_comprehension_body<'a>(
    comprehension: &'a Comprehension,
    visit: &mut impl FnMut(Event<'a>),
) {
    for (index, clause) in comprehension.clauses.iter().enumerate() {
        if index > 0 {
            walk_expr(&clause.iter, visit);
        }
        walk_target(&clause.target, visit);
        for condition in &clause.ifs {
            walk_expr(condition, visit);
        }
    }
    match &comprehension.kind {
        ComprehensionKind::List(element) | ComprehensionKind::Generator(element) => {
            walk_expr(element, visit);
        }
        ComprehensionKind::Dict(key, value) => {
            walk_expr(key, visit);
            walk_expr(value, visit);
        }
    }
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
        StmtKind::Try(try_) => {
            walk_stmts(&try_.body, visit);
            for handler in &try_.handlers {
                if let Some(type_) = &handler.type_ {
                    walk_expr(type_, visit);
                }
                if let Some(name) = &handler.name {
                    visit(Event::Bind(&name.name));
                }
                walk_stmts(&handler.body, visit);
            }
            walk_stmts(&try_.orelse, visit);
            walk_stmts(&try_.finalbody, visit);
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
        StmtKind::Nonlocal(names) => {
            for name in names {
                visit(Event::Nonlocal(name));
            }
        }
        StmtKind::Delete(targets) => {
            for target in targets {
                walk_target(target, visit);
            }
        }
        StmtKind::FunctionDef(def) => {
            walk_function(def, visit);
            visit(Event::Bind(&def.name.name));
        }
        StmtKind::ClassDef(class) => {
            if let Some(base) = &class.base {
                walk_expr(base, visit);
            }
            for member in &class.members {
                match member {
                    ClassMember::Method(def) => walk_function(def, visit),
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
        StmtKind::Raise { exc, cause } => {
            for expr in [exc, cause].into_iter().flatten() {
                walk_expr(expr, visit);
            }
        }
        StmtKind::Import(names) | StmtKind::ImportFrom { names, .. } => {
            for name in names {
                // The bound name is the alias or the first dotted component, both borrowed.
                let bound = match &name.alias {
                    Some(alias) => alias.name.as_str(),
                    None => name.name.name.split('.').next().unwrap_or_default(),
                };
                visit(Event::Bind(bound));
            }
        }
    }
}

/// A `def` or `lambda`: its defaults belong to the enclosing scope, its body is a child.
fn walk_function<'a>(def: &'a FunctionDef, visit: &mut impl FnMut(Event<'a>)) {
    for (_, default) in def.params.iter().chain(&def.kwonly) {
        if let Some(default) = default {
            walk_expr(default, visit);
        }
    }
    visit(Event::Child(Child::Function(def)));
}

fn walk_target<'a>(target: &'a Expr, visit: &mut impl FnMut(Event<'a>)) {
    match &target.kind {
        ExprKind::Name(name) => visit(Event::Bind(name)),
        ExprKind::Starred(inner) => walk_target(inner, visit),
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
        ExprKind::Lambda(def) => walk_function(def, visit),
        ExprKind::Starred(value) => walk_expr(value, visit),
        ExprKind::Slice(parts) => {
            for part in parts.iter().flatten() {
                walk_expr(part, visit);
            }
        }
        ExprKind::Comprehension(comprehension) => {
            if let Some(first) = comprehension.clauses.first() {
                walk_expr(&first.iter, visit);
            }
            visit(Event::Child(Child::Comprehension(comprehension)));
        }
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
