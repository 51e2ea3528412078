//! Code generation: weft's [`ast`](crate::ast) to a [`Program`], with the semantic checks
//! CPython's compiler makes (`'return' outside function`, ...).
//!
//! Layout of the control-flow constructs (the VM relies on these shapes):
//!
//! ```text
//! for:    <iter>; GetIter; head: ForIter -> else; <store target>; <body>; Jump head;
//!         else: <orelse>; after:
//!         break = [WithExit for each `with` left]; Pop (the iterator); Jump after
//!         continue = [WithExit for each `with` left]; Jump head
//! while:  head: <test>; PopJumpIfFalse else; <body>; Jump head; else: <orelse>; after:
//! with:   <mgr>; WithEnter; start: <store target> | Pop; <body>; end: WithExit; Jump after;
//!         handler: WithExitExc; Jump after; after:
//!         exception table: start..end -> handler, depth = depth before the `with` + 1
//!         (the manager stays on the stack), minus the exit sequences of `break`, `continue`
//!         and `return` that leave this `with` (they have already consumed the manager).
//! try:    start: <body>; body_end: <orelse>; Jump after;
//!         handler: PushExcInfo ([previous, exc]); for each clause:
//!           [<type>; CheckExcMatch; PopJumpIfFalse next]; <store name> | Pop;
//!           <clause body>; PopExcept; [name = None; del name]; Jump after; next:
//!         Reraise (no clause matched); [named: name = None; del name; Rot2; PopExcept;
//!         Reraise]; cleanup: Rot2; PopExcept; Reraise; after:
//!         exception table: start..body_end -> handler (depth d); each named clause's body ->
//!         its `named` cleanup, and the clauses -> cleanup (depth d + 1: the previous
//!         exception stays on the stack while a clause runs)
//! finally: start: <try/except/else as above>; end: <finalbody>; Jump after;
//!         exc: PushExcInfo; <finalbody>; Reraise; cleanup: Rot2; PopExcept; Reraise; after:
//!         exception table: start..end -> exc (depth d), exc's body -> cleanup (depth d + 1)
//! return: <value>; for each block left, innermost first: Rot2; Pop (iterator) or
//!         Rot2; WithExit (manager) or Rot2; PopExcept (a clause) or the `finally` body
//!         inlined (the value kept below it); Return
//!
//! Every protected range excludes the exit sequences of `break`, `continue` and `return` that
//! leave it (its *holes*): they have already undone what the range's handler would undo.
//!
//! A `def`, a `lambda` and a comprehension each compile to a code object. A local variable a
//! nested scope captures lives in a cell (`MakeCell` at entry, `LoadDeref`/`StoreDeref`); the
//! nested function gets the cells it uses as its closure (`LoadCell`s, `BuildTuple`,
//! `MakeFunction`), in the order of its free-variable slots. A comprehension is called at once
//! with its first iterator: `MakeFunction; <iter>; GetIter; Call 1`; its body is
//! `BuildList 0; LoadLocal .0; head: ForIter -> end; <target>; [<if>; PopJumpIfFalse head];
//! [<nested for>]; <element>; ListAppend n; Jump head; end: Return`.
//! ```

use std::collections::{BTreeSet, HashMap};

use weft_bytecode::{
    BUILTINS, BinOp, Code, CodeId, CodeKind, Const, ConstId, Count, ExcEntry, Instr, LocalSlot,
    NameId, Observer, ObserverId, Pc, Program,
};

use crate::ast::{
    ClassDef, ClassMember, Comprehension, ComprehensionKind, Expr, ExprKind, FStringPiece,
    FunctionDef, Ident, ImportName, Literal, Span, Stmt, StmtKind, Try, WithItem,
};
use crate::diagnostic::{LineTable, RawDiagnostic};
use crate::scope::{self, Child, FunctionScope};

/// An observer expression, lowered, ready to compile.
pub(crate) struct LoweredObserver<'src> {
    pub(crate) id: ObserverId,
    pub(crate) source: &'src str,
    pub(crate) expr: Expr,
}

/// Compiles a lowered module and its observer expressions (each into a code object of kind
/// [`CodeKind::Observer`], after the module's own). Returns the program, or the semantic
/// diagnostics (those about an observer say which).
pub(crate) fn compile_module<'src, 'ast>(
    file_name: &str,
    source: &'src str,
    body: &'ast [Stmt],
    observers: &'ast [LoweredObserver<'src>],
) -> Result<Program, Vec<RawDiagnostic>> {
    let mut compiler = Compiler {
        lines: LineTable::new(source),
        names: Vec::new(),
        name_ids: HashMap::new(),
        consts: Vec::new(),
        const_ids: HashMap::new(),
        codes: Vec::new(),
        stored_attrs: BTreeSet::new(),
        diagnostics: Vec::new(),
        module_globals: scope::module_globals(body),
        frames: Vec::new(),
        class_members: Vec::new(),
        class_path: Vec::new(),
    };
    scope::check_module(body, &mut compiler.diagnostics);
    let main = compiler.reserve_code();
    compiler
        .frames
        .push(Frame::new(CodeKind::Module, None, "<module>".to_string()));
    compiler.stmts(body);
    let last_line = body.last().map_or(1, |stmt| compiler.line(stmt.span));
    compiler.emit_return_none(last_line);
    let frame = compiler.frames.pop().expect("module frame");
    compiler.finish_code(main, frame, "<module>", Signature::default(), 1);
    let observers = observers
        .iter()
        .map(|observer| compiler.observer(observer))
        .collect();
    if !compiler.diagnostics.is_empty() {
        return Err(compiler.diagnostics);
    }
    Ok(Program {
        file_name: file_name.to_string(),
        names: compiler.names,
        consts: compiler.consts,
        codes: compiler
            .codes
            .into_iter()
            .map(|code| code.expect("every reserved code is compiled"))
            .collect(),
        main,
        stored_attrs: compiler.stored_attrs.into_iter().collect(),
        observers,
    })
}

/// A jump target, bound to a pc once its position is known.
#[derive(Clone, Copy, Debug)]
struct Label(usize);

/// Pc ranges of exit sequences that leave a protected range early, excluded from its
/// exception-table entries.
type Holes = Vec<(u32, u32)>;

/// A block the current statement is nested in, within one code object.
#[derive(Clone)]
enum Block<'ast> {
    /// A loop: `break` jumps to `after`, `continue` to `head`; a `for` loop keeps its iterator
    /// on the stack.
    Loop {
        is_for: bool,
        head: Label,
        after: Label,
    },
    /// A `with`: its manager is on the stack.
    With { holes: Holes },
    /// The body of a `try` with `except` clauses.
    TryBody { holes: Holes },
    /// The part of a `try` a `finally` protects: leaving it early runs `body` first.
    Finally { body: &'ast [Stmt], holes: Holes },
    /// An `except` clause's body: the previously handled exception is on the stack; `name`
    /// is unbound when the clause is left.
    Handler {
        name: Option<&'ast Ident>,
        holes: Holes,
    },
    /// A `finally` body run because of an exception: the previously handled exception and
    /// the exception are on the stack.
    FinallyExc { holes: Holes },
    /// A `return` value kept on the stack while an inlined `finally` body runs.
    Value,
}

impl Block<'_> {
    /// How many operand stack entries the block keeps.
    fn stack_entries(&self) -> u32 {
        match self {
            Block::Loop { is_for, .. } => u32::from(*is_for),
            Block::With { .. } | Block::Handler { .. } | Block::Value => 1,
            Block::FinallyExc { .. } => 2,
            Block::TryBody { .. } | Block::Finally { .. } => 0,
        }
    }

    fn holes(&mut self) -> Option<&mut Holes> {
        match self {
            Block::With { holes }
            | Block::TryBody { holes }
            | Block::Finally { holes, .. }
            | Block::Handler { holes, .. }
            | Block::FinallyExc { holes } => Some(holes),
            Block::Loop { .. } | Block::Value => None,
        }
    }
}

/// The code object being compiled.
struct Frame<'ast> {
    kind: CodeKind,
    scope: Option<FunctionScope>,
    qualname: String,
    instrs: Vec<Instr>,
    lines: Vec<u32>,
    labels: Vec<Option<u32>>,
    /// Instructions whose jump target is a label.
    fixups: Vec<(usize, Label)>,
    /// Exception-table entries: start, end, handler label, stack depth.
    exc_table: Vec<(u32, u32, Label, u32)>,
    blocks: Vec<Block<'ast>>,
}

impl<'ast> Frame<'ast> {
    fn new(kind: CodeKind, scope: Option<FunctionScope>, qualname: String) -> Frame<'ast> {
        Frame {
            kind,
            scope,
            qualname,
            instrs: Vec::new(),
            lines: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            exc_table: Vec::new(),
            blocks: Vec::new(),
        }
    }

    fn pc(&self) -> u32 {
        self.instrs.len() as u32
    }

    /// The operand stack depth at a statement boundary: what the enclosing blocks keep there
    /// (`for` iterators, `with` managers, saved exceptions, ...).
    fn depth(&self) -> u32 {
        self.blocks.iter().map(Block::stack_entries).sum()
    }
}

/// Where a name lives.
enum NameRef {
    Local(LocalSlot),
    /// A local slot holding a cell: a captured or free variable.
    Deref(LocalSlot),
    Global(NameId),
    Builtin(NameId),
}

struct Compiler<'src, 'ast> {
    lines: LineTable<'src>,
    names: Vec<String>,
    name_ids: HashMap<String, NameId>,
    consts: Vec<Const>,
    /// Constants by their `Debug` text, which tells `1`, `1.0` and `True` apart.
    const_ids: HashMap<String, ConstId>,
    codes: Vec<Option<Code>>,
    stored_attrs: BTreeSet<NameId>,
    diagnostics: Vec<RawDiagnostic>,
    module_globals: BTreeSet<String>,
    /// The code objects being compiled, outermost first.
    frames: Vec<Frame<'ast>>,
    /// For each class body being compiled in the current code (innermost last), the members
    /// defined so far.
    class_members: Vec<Vec<String>>,
    /// The names of the classes being compiled in the current code, outermost first.
    class_path: Vec<String>,
}

impl<'src, 'ast> Compiler<'src, 'ast> {
    fn frame(&mut self) -> &mut Frame<'ast> {
        self.frames
            .last_mut()
            .expect("a code object is being compiled")
    }

    fn line(&self, span: Span) -> u32 {
        self.lines.line(span.start)
    }

    fn name(&mut self, name: &str) -> NameId {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = NameId(self.names.len() as u32);
        self.names.push(name.to_string());
        self.name_ids.insert(name.to_string(), id);
        id
    }

    fn constant(&mut self, constant: Const) -> ConstId {
        let key = format!("{constant:?}");
        if let Some(&id) = self.const_ids.get(&key) {
            return id;
        }
        let id = ConstId(self.consts.len() as u32);
        self.consts.push(constant);
        self.const_ids.insert(key, id);
        id
    }

    fn reserve_code(&mut self) -> CodeId {
        self.codes.push(None);
        CodeId(self.codes.len() as u32 - 1)
    }

    fn emit(&mut self, instr: Instr, line: u32) {
        let frame = self.frame();
        frame.instrs.push(instr);
        frame.lines.push(line);
    }

    fn new_label(&mut self) -> Label {
        let frame = self.frame();
        frame.labels.push(None);
        Label(frame.labels.len() - 1)
    }

    fn bind(&mut self, label: Label) {
        let frame = self.frame();
        frame.labels[label.0] = Some(frame.pc());
    }

    /// Emits a jump instruction (built with a placeholder target) to `label`.
    fn emit_jump(&mut self, make: fn(Pc) -> Instr, label: Label, line: u32) {
        let frame = self.frame();
        frame.fixups.push((frame.instrs.len(), label));
        self.emit(make(Pc(u32::MAX)), line);
    }

    fn emit_const(&mut self, constant: Const, line: u32) {
        let id = self.constant(constant);
        self.emit(Instr::LoadConst(id), line);
    }

    fn emit_return_none(&mut self, line: u32) {
        self.emit_const(Const::None, line);
        self.emit(Instr::Return, line);
    }

    fn error(&mut self, diagnostic: RawDiagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Resolves jumps and the exception table and stores the finished code object.
    fn finish_code(
        &mut self,
        id: CodeId,
        frame: Frame<'ast>,
        name: &str,
        signature: Signature,
        first_line: u32,
    ) {
        let Frame {
            kind,
            scope,
            qualname,
            mut instrs,
            lines,
            labels,
            fixups,
            exc_table,
            ..
        } = frame;
        let resolve = |label: Label| Pc(labels[label.0].expect("every label is bound"));
        for (index, label) in fixups {
            let target = resolve(label);
            instrs[index] = match instrs[index] {
                Instr::Jump(_) => Instr::Jump(target),
                Instr::PopJumpIfFalse(_) => Instr::PopJumpIfFalse(target),
                Instr::PopJumpIfTrue(_) => Instr::PopJumpIfTrue(target),
                Instr::JumpIfFalseOrPop(_) => Instr::JumpIfFalseOrPop(target),
                Instr::JumpIfTrueOrPop(_) => Instr::JumpIfTrueOrPop(target),
                Instr::ForIter(_) => Instr::ForIter(target),
                other => unreachable!("fixup on a non-jump instruction {other:?}"),
            };
        }
        let exc_table = exc_table
            .into_iter()
            .map(|(start, end, handler, stack_depth)| ExcEntry {
                start: Pc(start),
                end: Pc(end),
                handler: resolve(handler),
                stack_depth,
            })
            .collect();
        let free_vars = scope.as_ref().map_or(0, |scope| scope.n_free as u32);
        let local_names = scope.map(|scope| scope.slots).unwrap_or_default();
        self.codes[id.index()] = Some(Code {
            kind,
            name: name.to_string(),
            qualname,
            params: signature.params,
            kwonly_params: signature.kwonly,
            varargs: signature.varargs,
            varkw: signature.varkw,
            local_names,
            free_vars,
            instrs,
            lines,
            exc_table,
            first_line,
        });
    }

    /// Compiles an observer expression into a code object that returns its value. Names resolve
    /// as at module level; the diagnostics it causes are marked as the observer's.
    fn observer(&mut self, observer: &'ast LoweredObserver<'src>) -> Observer {
        let file_lines = std::mem::replace(&mut self.lines, LineTable::new(observer.source));
        let n_diagnostics = self.diagnostics.len();
        let id = self.reserve_code();
        let qualname = format!("<observe {}>", u64::from(observer.id.0) + 1);
        self.frames
            .push(Frame::new(CodeKind::Observer, None, qualname));
        self.expr(&observer.expr);
        let line = self.line(observer.expr.span);
        self.emit(Instr::Return, line);
        let frame = self.frames.pop().expect("observer frame");
        self.finish_code(id, frame, "<observe>", Signature::default(), 1);
        for diagnostic in &mut self.diagnostics[n_diagnostics..] {
            diagnostic.observer = Some(observer.id);
        }
        self.lines = file_lines;
        Observer {
            source: observer.source.to_string(),
            code: id,
        }
    }

    // ----- names -----

    /// Where `name` lives for a load (`is_store` false) or a store, seen from the current code.
    fn resolve(&mut self, name: &str, span: Span, is_store: bool) -> NameRef {
        let frame_index = self.frames.len() - 1;
        if let Some(scope) = &self.frames[frame_index].scope
            && let Some(slot) = scope.slot(name)
        {
            let local = LocalSlot(slot as u32);
            return if scope.is_cell(slot) {
                NameRef::Deref(local)
            } else {
                NameRef::Local(local)
            };
        }
        if !is_store {
            if let Some(members) = self.class_members.last()
                && members.iter().any(|member| member == name)
            {
                self.error(RawDiagnostic::unsupported(
                    format!(
                        "class body uses the class attribute `{name}` defined above it; \
                         this is not supported by weft yet, use a module-level variable"
                    ),
                    span,
                ));
            }
            if !self.module_globals.contains(name) && BUILTINS.contains(&name) {
                return NameRef::Builtin(self.name(name));
            }
        }
        NameRef::Global(self.name(name))
    }

    /// Whether `name` is a local variable of the innermost enclosing function that mentions it,
    /// seen from the code being compiled (which encloses the scope being analysed).
    fn is_enclosing_local(&self, name: &str) -> bool {
        for frame in self.frames.iter().rev() {
            let Some(scope) = &frame.scope else {
                return false;
            };
            if scope.globals.contains(name) {
                return false;
            }
            if scope.slot(name).is_some() {
                return true;
            }
        }
        false
    }

    fn load_name(&mut self, name: &str, span: Span) {
        let line = self.line(span);
        let instr = match self.resolve(name, span, false) {
            NameRef::Local(slot) => Instr::LoadLocal(slot),
            NameRef::Deref(slot) => Instr::LoadDeref(slot),
            NameRef::Global(id) => Instr::LoadGlobal(id),
            NameRef::Builtin(id) => Instr::LoadBuiltin(id),
        };
        self.emit(instr, line);
    }

    fn store_name(&mut self, name: &str, span: Span) {
        self.bind_name(name, span, BindKind::Store);
    }

    fn delete_name(&mut self, name: &str, span: Span) {
        self.bind_name(name, span, BindKind::Delete);
    }

    /// Emits the store or delete of a name.
    fn bind_name(&mut self, name: &str, span: Span, kind: BindKind) {
        if name == "__debug__" {
            let verb = match kind {
                BindKind::Store => "assign to",
                BindKind::Delete => "delete",
            };
            self.error(RawDiagnostic::semantic(
                format!("cannot {verb} __debug__"),
                span,
            ));
        }
        let line = self.line(span);
        let instr = match (self.resolve(name, span, true), kind) {
            (NameRef::Local(slot), BindKind::Store) => Instr::StoreLocal(slot),
            (NameRef::Local(slot), BindKind::Delete) => Instr::DeleteLocal(slot),
            (NameRef::Deref(slot), BindKind::Store) => Instr::StoreDeref(slot),
            (NameRef::Deref(slot), BindKind::Delete) => Instr::DeleteDeref(slot),
            (NameRef::Global(id) | NameRef::Builtin(id), BindKind::Store) => Instr::StoreGlobal(id),
            (NameRef::Global(id) | NameRef::Builtin(id), BindKind::Delete) => {
                Instr::DeleteGlobal(id)
            }
        };
        self.emit(instr, line);
    }

    /// `name = None; del name`: how leaving an `except ... as name:` clause unbinds the name.
    fn clear_name(&mut self, name: &Ident) {
        let line = self.line(name.span);
        self.emit_const(Const::None, line);
        self.store_name(&name.name, name.span);
        self.delete_name(&name.name, name.span);
    }

    // ----- statements -----

    fn stmts(&mut self, body: &'ast [Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'ast Stmt) {
        let line = self.line(stmt.span);
        match &stmt.kind {
            StmtKind::Expr(expr) => {
                // A constant expression statement (a docstring) does nothing, as in CPython.
                if !matches!(expr.kind, ExprKind::Literal(_)) {
                    self.expr(expr);
                    self.emit(Instr::Pop, line);
                }
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value);
                for (index, target) in targets.iter().enumerate() {
                    if index + 1 < targets.len() {
                        self.emit(Instr::Dup, line);
                    }
                    self.store(target);
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value, line),
            StmtKind::If { test, body, orelse } => {
                let else_label = self.new_label();
                self.expr(test);
                self.emit_jump(Instr::PopJumpIfFalse, else_label, line);
                self.stmts(body);
                if orelse.is_empty() {
                    self.bind(else_label);
                } else {
                    let end = self.new_label();
                    self.emit_jump(Instr::Jump, end, line);
                    self.bind(else_label);
                    self.stmts(orelse);
                    self.bind(end);
                }
            }
            StmtKind::While { test, body, orelse } => {
                let head = self.new_label();
                let else_label = self.new_label();
                let after = self.new_label();
                self.bind(head);
                if !is_always_true(test) {
                    self.expr(test);
                    self.emit_jump(Instr::PopJumpIfFalse, else_label, line);
                }
                self.frame().blocks.push(Block::Loop {
                    is_for: false,
                    head,
                    after,
                });
                self.stmts(body);
                self.frame().blocks.pop();
                self.emit_jump(Instr::Jump, head, line);
                self.bind(else_label);
                self.stmts(orelse);
                self.bind(after);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => {
                let head = self.new_label();
                let else_label = self.new_label();
                let after = self.new_label();
                self.expr(iter);
                self.emit(Instr::GetIter, line);
                self.bind(head);
                self.emit_jump(Instr::ForIter, else_label, line);
                self.frame().blocks.push(Block::Loop {
                    is_for: true,
                    head,
                    after,
                });
                self.store(target);
                self.stmts(body);
                self.emit_jump(Instr::Jump, head, line);
                self.frame().blocks.pop();
                self.bind(else_label);
                self.stmts(orelse);
                self.bind(after);
            }
            StmtKind::With { items, body } => self.with(items, body, line),
            StmtKind::Break => self.break_or_continue(true, stmt.span, line),
            StmtKind::Continue => self.break_or_continue(false, stmt.span, line),
            StmtKind::Pass => {}
            StmtKind::Return(value) => {
                if self.frame().kind == CodeKind::Module {
                    self.error(RawDiagnostic::semantic(
                        "'return' outside function",
                        stmt.span,
                    ));
                    return;
                }
                match value {
                    Some(value) => self.expr(value),
                    None => self.emit_const(Const::None, line),
                }
                self.emit_exits(ExitKind::Return, line);
                self.emit(Instr::Return, line);
            }
            // Checked by scope analysis; at module level `global` changes nothing.
            StmtKind::Global(_) => {}
            StmtKind::FunctionDef(def) => {
                self.make_function(def);
                self.store_name(&def.name.name, def.name.span);
            }
            StmtKind::ClassDef(class) => self.class(class, line),
            StmtKind::Assert { test, msg } => {
                let ok = self.new_label();
                self.expr(test);
                self.emit_jump(Instr::PopJumpIfTrue, ok, line);
                let assertion_error = self.name("AssertionError");
                self.emit(Instr::LoadBuiltin(assertion_error), line);
                match msg {
                    Some(msg) => {
                        self.expr(msg);
                        self.emit(Instr::Call(Count(1)), line);
                    }
                    None => self.emit(Instr::Call(Count(0)), line),
                }
                self.emit(Instr::Raise, line);
                self.bind(ok);
            }
            StmtKind::Raise { exc, cause } => match (exc, cause) {
                (Some(exc), Some(cause)) => {
                    self.expr(exc);
                    self.expr(cause);
                    self.emit(Instr::RaiseFrom, line);
                }
                (Some(exc), None) => {
                    self.expr(exc);
                    self.emit(Instr::Raise, line);
                }
                // The parser allows no `from` without an exception.
                (None, _) => self.emit(Instr::RaiseCurrent, line),
            },
            StmtKind::Import(names) => {
                for import in names {
                    let module = self.name(&import.name.name);
                    self.emit(Instr::Import(module), line);
                    let bound = import.bound();
                    if import.alias.is_none() && bound.name != import.name.name {
                        // `import a.b` imports `a.b` and binds the package `a`.
                        self.emit(Instr::Pop, line);
                        let package = self.name(&bound.name);
                        self.emit(Instr::Import(package), line);
                    }
                    self.store_name(&bound.name, bound.span);
                }
            }
            StmtKind::Try(try_) => self.try_finally(try_, line),
            // Scope analysis made the names free variables.
            StmtKind::Nonlocal(_) => {}
            StmtKind::Delete(targets) => {
                for target in targets {
                    match &target.kind {
                        ExprKind::Subscript { value, index } => {
                            self.expr(value);
                            self.expr(index);
                            self.emit(Instr::DeleteSubscr, self.line(target.span));
                        }
                        ExprKind::Name(name) => self.delete_name(name, target.span),
                        ExprKind::Attribute { value, attr } => {
                            self.expr(value);
                            let attr_id = self.name(&attr.name);
                            self.emit(Instr::DeleteAttr(attr_id), self.line(attr.span));
                            self.stored_attrs.insert(attr_id);
                        }
                        // Lowering reported anything else and replaced it with a literal.
                        _ => {}
                    }
                }
            }
            StmtKind::ImportFrom { module, names } => self.import_from(&module.name, names, line),
        }
    }

    fn aug_assign(&mut self, target: &'ast Expr, op: BinOp, value: &'ast Expr, line: u32) {
        match &target.kind {
            ExprKind::Name(name) => {
                self.load_name(name, target.span);
                self.expr(value);
                self.emit(Instr::InplaceOp(op), line);
                self.store_name(name, target.span);
            }
            ExprKind::Attribute {
                value: object,
                attr,
            } => {
                self.expr(object);
                let attr_line = self.line(attr.span);
                let attr_id = self.name(&attr.name);
                self.emit(Instr::Dup, attr_line);
                self.emit(Instr::LoadAttr(attr_id), attr_line);
                self.expr(value);
                self.emit(Instr::InplaceOp(op), line);
                self.emit(Instr::Rot2, line);
                self.emit(Instr::StoreAttr(attr_id), attr_line);
                self.stored_attrs.insert(attr_id);
            }
            ExprKind::Subscript {
                value: container,
                index,
            } => {
                let target_line = self.line(target.span);
                self.expr(container);
                self.expr(index);
                self.emit(Instr::Dup2, target_line);
                self.emit(Instr::LoadSubscr, target_line);
                self.expr(value);
                self.emit(Instr::InplaceOp(op), line);
                self.emit(Instr::Rot3, line);
                self.emit(Instr::StoreSubscr, target_line);
            }
            // Lowering reported anything else and replaced it with a literal.
            _ => {}
        }
    }

    /// Stores the value on top of the stack into a target.
    fn store(&mut self, target: &'ast Expr) {
        let line = self.line(target.span);
        match &target.kind {
            ExprKind::Name(name) => self.store_name(name, target.span),
            ExprKind::Attribute { value, attr } => {
                self.expr(value);
                let attr_id = self.name(&attr.name);
                self.emit(Instr::StoreAttr(attr_id), self.line(attr.span));
                self.stored_attrs.insert(attr_id);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
                self.emit(Instr::StoreSubscr, line);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let starred = items
                    .iter()
                    .position(|item| matches!(item.kind, ExprKind::Starred(_)));
                let unpack = match starred {
                    Some(before) => Instr::UnpackStarred {
                        before: Count(before as u32),
                        after: Count((items.len() - before - 1) as u32),
                    },
                    None => Instr::UnpackSequence(Count(items.len() as u32)),
                };
                self.emit(unpack, line);
                for item in items {
                    match &item.kind {
                        ExprKind::Starred(inner) => self.store(inner),
                        _ => self.store(item),
                    }
                }
            }
            // Lowering reported anything else and replaced it with a literal.
            _ => self.emit(Instr::Pop, line),
        }
    }

    /// `with a as x, b: body` is `with a as x: with b: body`.
    fn with(&mut self, items: &'ast [WithItem], body: &'ast [Stmt], line: u32) {
        let Some((item, rest)) = items.split_first() else {
            self.stmts(body);
            return;
        };
        let depth = self.frame().depth();
        let handler = self.new_label();
        let after = self.new_label();
        self.expr(&item.context);
        self.emit(Instr::WithEnter, line);
        // Like CPython, storing the entered value is protected: if it raises, `__exit__` runs.
        let start = self.frame().pc();
        match &item.target {
            Some(target) => self.store(target),
            None => self.emit(Instr::Pop, line),
        }
        self.frame().blocks.push(Block::With { holes: Vec::new() });
        self.with(rest, body, line);
        let end = self.frame().pc();
        let Some(Block::With { holes }) = self.frame().blocks.pop() else {
            unreachable!("the with block is innermost");
        };
        self.emit(Instr::WithExit, line);
        self.emit_jump(Instr::Jump, after, line);
        self.bind(handler);
        self.emit(Instr::WithExitExc, line);
        self.emit_jump(Instr::Jump, after, line);
        self.bind(after);
        self.protect(start..end, &holes, handler, depth + 1);
    }

    /// Adds the exception-table entries for a protected pc range minus its holes.
    fn protect(&mut self, range: std::ops::Range<u32>, holes: &Holes, handler: Label, depth: u32) {
        let mut segment_start = range.start;
        let frame = self.frame();
        for &(hole_start, hole_end) in holes {
            if hole_start > segment_start {
                frame
                    .exc_table
                    .push((segment_start, hole_start, handler, depth));
            }
            segment_start = segment_start.max(hole_end);
        }
        if range.end > segment_start {
            frame
                .exc_table
                .push((segment_start, range.end, handler, depth));
        }
    }

    /// Pops the innermost block, which must have holes, and returns them.
    fn pop_holes(&mut self) -> Holes {
        let mut block = self.frame().blocks.pop().expect("a block to pop");
        block.holes().map(std::mem::take).unwrap_or_default()
    }

    /// `try` with an optional `finally` (see the module documentation for the layout).
    fn try_finally(&mut self, try_: &'ast Try, line: u32) {
        if try_.finalbody.is_empty() {
            self.try_except(try_, line);
            return;
        }
        let depth = self.frame().depth();
        let exc = self.new_label();
        let after = self.new_label();
        let start = self.frame().pc();
        self.frame().blocks.push(Block::Finally {
            body: &try_.finalbody,
            holes: Vec::new(),
        });
        self.try_except(try_, line);
        let holes = self.pop_holes();
        let end = self.frame().pc();
        self.stmts(&try_.finalbody);
        self.emit_jump(Instr::Jump, after, line);
        self.protect(start..end, &holes, exc, depth);
        self.bind(exc);
        self.emit(Instr::PushExcInfo, line);
        let exc_start = self.frame().pc();
        self.frame()
            .blocks
            .push(Block::FinallyExc { holes: Vec::new() });
        self.stmts(&try_.finalbody);
        let holes = self.pop_holes();
        self.emit(Instr::Reraise, line);
        let exc_end = self.frame().pc();
        let cleanup = self.new_label();
        self.protect(exc_start..exc_end, &holes, cleanup, depth + 1);
        self.emit_handler_cleanup(cleanup, line);
        self.bind(after);
    }

    /// `cleanup: Rot2; PopExcept; Reraise`: an exception raised while handling another restores
    /// the exception handled before and propagates.
    fn emit_handler_cleanup(&mut self, cleanup: Label, line: u32) {
        self.bind(cleanup);
        self.emit(Instr::Rot2, line);
        self.emit(Instr::PopExcept, line);
        self.emit(Instr::Reraise, line);
    }

    /// `try`/`except`/`else` (see the module documentation for the layout).
    fn try_except(&mut self, try_: &'ast Try, line: u32) {
        if try_.handlers.is_empty() {
            self.stmts(&try_.body);
            self.stmts(&try_.orelse);
            return;
        }
        let depth = self.frame().depth();
        let handler = self.new_label();
        let after = self.new_label();
        let start = self.frame().pc();
        self.frame()
            .blocks
            .push(Block::TryBody { holes: Vec::new() });
        self.stmts(&try_.body);
        let holes = self.pop_holes();
        let body_end = self.frame().pc();
        self.protect(start..body_end, &holes, handler, depth);
        self.stmts(&try_.orelse);
        self.emit_jump(Instr::Jump, after, line);
        self.bind(handler);
        let handler_line = try_
            .handlers
            .first()
            .map_or(line, |clause| self.line(clause.span));
        self.emit(Instr::PushExcInfo, handler_line);
        let clauses_start = self.frame().pc();
        let cleanup = self.new_label();
        let mut clause_holes = Vec::new();
        let mut named_cleanups = Vec::new();
        for clause in &try_.handlers {
            let clause_line = self.line(clause.span);
            let next = self.new_label();
            if let Some(type_) = &clause.type_ {
                self.expr(type_);
                self.emit(Instr::CheckExcMatch, clause_line);
                self.emit_jump(Instr::PopJumpIfFalse, next, clause_line);
            }
            match &clause.name {
                Some(name) => self.store_name(&name.name, name.span),
                None => self.emit(Instr::Pop, clause_line),
            }
            self.frame().blocks.push(Block::Handler {
                name: clause.name.as_ref(),
                holes: Vec::new(),
            });
            let body_start = self.frame().pc();
            self.stmts(&clause.body);
            let holes = self.pop_holes();
            let body_end = self.frame().pc();
            self.emit(Instr::PopExcept, clause_line);
            if let Some(name) = &clause.name {
                self.clear_name(name);
                let named = self.new_label();
                self.protect(body_start..body_end, &holes, named, depth + 1);
                named_cleanups.push((named, name));
            }
            self.emit_jump(Instr::Jump, after, clause_line);
            clause_holes.extend(holes);
            self.bind(next);
        }
        if try_
            .handlers
            .last()
            .is_some_and(|clause| clause.type_.is_some())
        {
            self.emit(Instr::Reraise, handler_line);
        }
        let clauses_end = self.frame().pc();
        self.protect(
            clauses_start..clauses_end,
            &clause_holes,
            cleanup,
            depth + 1,
        );
        for (named, name) in named_cleanups {
            self.bind(named);
            self.clear_name(name);
            self.emit_jump(Instr::Jump, cleanup, handler_line);
        }
        self.emit_handler_cleanup(cleanup, handler_line);
        self.bind(after);
    }

    fn break_or_continue(&mut self, is_break: bool, span: Span, line: u32) {
        let has_loop = self
            .frame()
            .blocks
            .iter()
            .any(|block| matches!(block, Block::Loop { .. }));
        if !has_loop {
            let message = if is_break {
                "'break' outside loop"
            } else {
                "'continue' not properly in loop"
            };
            self.error(RawDiagnostic::semantic(message, span));
            return;
        }
        let kind = if is_break {
            ExitKind::Break
        } else {
            ExitKind::Continue
        };
        let target = self.emit_exits(kind, line);
        if let Some(target) = target {
            self.emit_jump(Instr::Jump, target, line);
        }
        self.close_holes();
    }

    /// Emits the cleanup for leaving blocks: up to the innermost loop for `break`/`continue`
    /// (returning where to jump), all of them for `return`. Opens the hole each block left
    /// must exclude from its exception-table entries; `close_holes` (or, for `return`, this)
    /// ends them.
    fn emit_exits(&mut self, kind: ExitKind, line: u32) -> Option<Label> {
        let is_return = kind == ExitKind::Return;
        let mut index = self.frame().blocks.len();
        let mut target = None;
        while index > 0 {
            index -= 1;
            let pc = self.frame().pc();
            let block = &mut self.frame().blocks[index];
            if let Some(holes) = block.holes() {
                holes.push((pc, u32::MAX));
            }
            match block.clone() {
                Block::With { .. } => {
                    if is_return {
                        self.emit(Instr::Rot2, line);
                    }
                    self.emit(Instr::WithExit, line);
                }
                Block::TryBody { .. } => {}
                Block::Finally { body, .. } => {
                    // The `finally` body runs here, in the blocks around its `try`.
                    let inner = self.frame().blocks.split_off(index);
                    if is_return {
                        self.frame().blocks.push(Block::Value);
                    }
                    self.stmts(body);
                    if is_return {
                        self.frame().blocks.pop();
                    }
                    self.frame().blocks.extend(inner);
                }
                Block::Handler { name, .. } => {
                    if is_return {
                        self.emit(Instr::Rot2, line);
                    }
                    self.emit(Instr::PopExcept, line);
                    if let Some(name) = name {
                        self.clear_name(name);
                    }
                }
                Block::FinallyExc { .. } => {
                    if is_return {
                        self.emit(Instr::Rot3, line);
                    }
                    self.emit(Instr::Pop, line);
                    self.emit(Instr::PopExcept, line);
                }
                Block::Value => {
                    if is_return {
                        self.emit(Instr::Rot2, line);
                    }
                    self.emit(Instr::Pop, line);
                }
                Block::Loop {
                    is_for,
                    head,
                    after,
                } => match kind {
                    ExitKind::Return => {
                        if is_for {
                            self.emit(Instr::Rot2, line);
                            self.emit(Instr::Pop, line);
                        }
                    }
                    ExitKind::Break => {
                        if is_for {
                            self.emit(Instr::Pop, line);
                        }
                        target = Some(after);
                        break;
                    }
                    ExitKind::Continue => {
                        target = Some(head);
                        break;
                    }
                },
            }
        }
        if is_return {
            // The `Return` itself is emitted by the caller right after; include it.
            let end = self.frame().pc() + 1;
            self.set_hole_ends(end);
        }
        target
    }

    /// Ends the open holes after a `break`/`continue` jump.
    fn close_holes(&mut self) {
        let end = self.frame().pc();
        self.set_hole_ends(end);
    }

    fn set_hole_ends(&mut self, end: u32) {
        for block in &mut self.frame().blocks {
            if let Some(holes) = block.holes()
                && let Some(hole) = holes.last_mut()
                && hole.1 == u32::MAX
            {
                hole.1 = end;
            }
        }
    }

    /// `from module import a, b as c`: a name that is itself a module (`from concurrent import
    /// futures`) is imported by its dotted name, anything else is an attribute of the module.
    fn import_from(&mut self, module: &str, names: &[ImportName], line: u32) {
        for import in names {
            let submodule = format!("{module}.{}", import.name.name);
            if weft_bytecode::MODULES.contains(&submodule.as_str()) {
                let id = self.name(&submodule);
                self.emit(Instr::Import(id), line);
            } else {
                let module_id = self.name(module);
                self.emit(Instr::Import(module_id), line);
                let attr = self.name(&import.name.name);
                self.emit(Instr::LoadAttr(attr), self.line(import.name.span));
            }
            let bound = import.bound();
            self.store_name(&bound.name, bound.span);
        }
    }

    /// Evaluates the defaults, compiles the body and emits `MakeFunction` (a `def` or a
    /// `lambda`).
    fn make_function(&mut self, def: &'ast FunctionDef) {
        let line = self.line(def.name.span);
        let mut n_defaults = 0;
        for (_, default) in &def.params {
            if let Some(default) = default {
                self.expr(default);
                n_defaults += 1;
            }
        }
        if !def.kwonly.is_empty() {
            let mut n_kw_defaults = 0;
            for (name, default) in &def.kwonly {
                if let Some(default) = default {
                    self.emit_const(Const::Str(name.name.clone()), line);
                    self.expr(default);
                    n_kw_defaults += 1;
                }
            }
            self.emit(Instr::BuildDict(Count(n_kw_defaults)), line);
        }
        let id = self.scope_code(Child::Function(def), &def.name.name, def.name.span);
        self.emit_make_function(id, n_defaults, line);
    }

    /// `MakeFunction`, after the closure tuple when the code has free variables: the cells of
    /// the current code with the same names, in the order of the code's free-variable slots.
    fn emit_make_function(&mut self, id: CodeId, n_defaults: u32, line: u32) {
        let code = self.codes[id.index()]
            .as_ref()
            .expect("the code object was just compiled");
        let n_locals = code.local_names.len();
        let free: Vec<String> = code.local_names[n_locals - code.free_vars as usize..].to_vec();
        if !free.is_empty() {
            for name in &free {
                let slot = self.frames.last().and_then(|frame| frame.scope.as_ref());
                let slot = slot
                    .and_then(|scope| scope.slot(name))
                    .expect("a free variable is a cell of the enclosing code");
                self.emit(Instr::LoadCell(LocalSlot(slot as u32)), line);
            }
            self.emit(Instr::BuildTuple(Count(free.len() as u32)), line);
        }
        self.emit(
            Instr::MakeFunction {
                code: id,
                n_defaults: Count(n_defaults),
            },
            line,
        );
    }

    /// Compiles a function's or comprehension's code object; returns its id.
    fn scope_code(&mut self, child: Child<'ast>, name: &str, span: Span) -> CodeId {
        let line = self.line(span);
        let scope = {
            let is_enclosing_local = |name: &str| self.is_enclosing_local(name);
            let mut diagnostics = Vec::new();
            let scope = scope::function_scope(child, &is_enclosing_local, &mut diagnostics);
            self.diagnostics.extend(diagnostics);
            scope
        };
        let cells: Vec<usize> = (0..scope.slots.len() - scope.n_free)
            .filter(|slot| scope.is_cell(*slot))
            .collect();
        let qualname = self.qualname(name);
        let id = self.reserve_code();
        self.frames
            .push(Frame::new(CodeKind::Function, Some(scope), qualname));
        for slot in cells {
            self.emit(Instr::MakeCell(LocalSlot(slot as u32)), line);
        }
        // Function bodies do not see the members of the class they are defined in.
        let class_members = std::mem::take(&mut self.class_members);
        let class_path = std::mem::take(&mut self.class_path);
        let signature = match child {
            Child::Function(def) => {
                self.stmts(&def.body);
                if !matches!(
                    def.body.last().map(|stmt| &stmt.kind),
                    Some(StmtKind::Return(_))
                ) {
                    let last_line = def.body.last().map_or(line, |stmt| self.line(stmt.span));
                    self.emit_return_none(last_line);
                }
                let names = |list: &[(Ident, Option<Expr>)]| {
                    list.iter().map(|(name, _)| name.name.clone()).collect()
                };
                Signature {
                    params: names(&def.params),
                    kwonly: names(&def.kwonly),
                    varargs: def.varargs.as_ref().map(|name| name.name.clone()),
                    varkw: def.varkw.as_ref().map(|name| name.name.clone()),
                }
            }
            Child::Comprehension(comprehension) => {
                self.comprehension_body(comprehension, line);
                Signature {
                    params: vec![scope::COMPREHENSION_ARG.to_string()],
                    ..Signature::default()
                }
            }
        };
        self.class_members = class_members;
        self.class_path = class_path;
        let frame = self.frames.pop().expect("function frame");
        self.finish_code(id, frame, name, signature, line);
        id
    }

    /// A comprehension: its function, called at once with its first iterator.
    fn comprehension(&mut self, comprehension: &'ast Comprehension, span: Span) {
        let line = self.line(span);
        let id = self.scope_code(
            Child::Comprehension(comprehension),
            comprehension.name(),
            span,
        );
        self.emit_make_function(id, 0, line);
        if let Some(first) = comprehension.clauses.first() {
            self.expr(&first.iter);
        }
        self.emit(Instr::GetIter, line);
        self.emit(Instr::Call(Count(1)), line);
    }

    /// The body of a comprehension's function (its argument, slot 0, is the first iterator).
    fn comprehension_body(&mut self, comprehension: &'ast Comprehension, line: u32) {
        let build = match comprehension.kind {
            ComprehensionKind::Dict(..) => Instr::BuildDict(Count(0)),
            ComprehensionKind::List(_) | ComprehensionKind::Generator(_) => {
                Instr::BuildList(Count(0))
            }
        };
        self.emit(build, line);
        self.emit(Instr::LoadLocal(LocalSlot(0)), line);
        let n_clauses = Count(comprehension.clauses.len() as u32);
        let mut ends = Vec::new();
        for (index, clause) in comprehension.clauses.iter().enumerate() {
            if index > 0 {
                self.expr(&clause.iter);
                self.emit(Instr::GetIter, line);
            }
            let head = self.new_label();
            let end = self.new_label();
            self.bind(head);
            self.emit_jump(Instr::ForIter, end, line);
            self.store(&clause.target);
            for condition in &clause.ifs {
                self.expr(condition);
                self.emit_jump(Instr::PopJumpIfFalse, head, line);
            }
            ends.push((head, end));
        }
        match &comprehension.kind {
            ComprehensionKind::List(element) | ComprehensionKind::Generator(element) => {
                self.expr(element);
                self.emit(Instr::ListAppend(n_clauses), line);
            }
            ComprehensionKind::Dict(key, value) => {
                self.expr(key);
                self.expr(value);
                self.emit(Instr::MapAdd(n_clauses), line);
            }
        }
        for (head, end) in ends.into_iter().rev() {
            self.emit_jump(Instr::Jump, head, line);
            self.bind(end);
        }
        self.emit(Instr::Return, line);
    }

    /// The qualified name of a function or class defined here.
    fn qualname(&mut self, name: &str) -> String {
        let frame = self.frame();
        let mut prefix = match frame.kind {
            CodeKind::Module => String::new(),
            CodeKind::Function | CodeKind::Observer => format!("{}.<locals>.", frame.qualname),
        };
        for class in &self.class_path {
            prefix.push_str(class);
            prefix.push('.');
        }
        format!("{prefix}{name}")
    }

    fn class(&mut self, class: &'ast ClassDef, line: u32) {
        if let Some(base) = &class.base {
            self.expr(base);
        }
        let mut member_names = Vec::new();
        self.class_members.push(Vec::new());
        self.class_path.push(class.name.name.clone());
        for member in &class.members {
            let name = match member {
                ClassMember::Method(def) => {
                    self.make_function(def);
                    &def.name
                }
                ClassMember::Attr { name, value } => {
                    self.expr(value);
                    name
                }
            };
            member_names.push(Const::Str(name.name.clone()));
            if let Some(members) = self.class_members.last_mut() {
                members.push(name.name.clone());
            }
        }
        self.class_path.pop();
        self.class_members.pop();
        let name = self.name(&class.name.name);
        let members = self.constant(Const::Tuple(member_names));
        self.emit(
            Instr::MakeClass {
                name,
                members,
                has_base: class.base.is_some(),
            },
            line,
        );
        self.store_name(&class.name.name, class.name.span);
    }

    // ----- expressions -----

    fn expr(&mut self, expr: &'ast Expr) {
        let line = self.line(expr.span);
        match &expr.kind {
            ExprKind::Literal(literal) => {
                let constant = match literal {
                    Literal::None => Const::None,
                    Literal::Bool(value) => Const::Bool(*value),
                    Literal::Int(value) => Const::Int(*value),
                    Literal::Float(value) => Const::Float(*value),
                    Literal::Str(value) => Const::Str(value.clone()),
                };
                self.emit_const(constant, line);
            }
            ExprKind::Name(name) => self.load_name(name, expr.span),
            ExprKind::List(items) => {
                for item in items {
                    self.expr(item);
                }
                self.emit(Instr::BuildList(Count(items.len() as u32)), line);
            }
            ExprKind::Tuple(items) => {
                for item in items {
                    self.expr(item);
                }
                self.emit(Instr::BuildTuple(Count(items.len() as u32)), line);
            }
            ExprKind::Dict(items) => {
                for (key, value) in items {
                    self.expr(key);
                    self.expr(value);
                }
                self.emit(Instr::BuildDict(Count(items.len() as u32)), line);
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left);
                self.expr(right);
                self.emit(Instr::BinaryOp(*op), line);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand);
                self.emit(Instr::UnaryOp(*op), line);
            }
            ExprKind::BoolOp { is_and, values } => {
                let end = self.new_label();
                for (index, value) in values.iter().enumerate() {
                    self.expr(value);
                    if index + 1 < values.len() {
                        let jump = if *is_and {
                            Instr::JumpIfFalseOrPop
                        } else {
                            Instr::JumpIfTrueOrPop
                        };
                        self.emit_jump(jump, end, line);
                    }
                }
                self.bind(end);
            }
            ExprKind::Compare { left, comparisons } => self.compare(left, comparisons, line),
            ExprKind::IfExp { test, body, orelse } => {
                let else_label = self.new_label();
                let end = self.new_label();
                self.expr(test);
                self.emit_jump(Instr::PopJumpIfFalse, else_label, line);
                self.expr(body);
                self.emit_jump(Instr::Jump, end, line);
                self.bind(else_label);
                self.expr(orelse);
                self.bind(end);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } if args.is_empty() && keywords.is_empty() && self.is_builtin_super(func) => {
                self.emit(Instr::LoadSuper, line);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.expr(func);
                let unpacks = args
                    .iter()
                    .any(|arg| matches!(arg.kind, ExprKind::Starred(_)))
                    || keywords.iter().any(|(name, _)| name.is_none());
                if unpacks {
                    self.call_unpacking(args, keywords, line);
                    return;
                }
                for arg in args {
                    self.expr(arg);
                }
                let mut names = Vec::new();
                for (name, value) in keywords {
                    self.expr(value);
                    names.extend(name.as_ref().map(|name| Const::Str(name.name.clone())));
                }
                let n_args = Count((args.len() + keywords.len()) as u32);
                if keywords.is_empty() {
                    self.emit(Instr::Call(n_args), line);
                } else {
                    let kw_names = self.constant(Const::Tuple(names));
                    self.emit(Instr::CallKw { n_args, kw_names }, line);
                }
            }
            // Only inside a call's arguments, which `call_unpacking` compiles.
            ExprKind::Starred(value) => self.expr(value),
            ExprKind::Attribute { value, attr } => {
                self.expr(value);
                let attr_id = self.name(&attr.name);
                self.emit(Instr::LoadAttr(attr_id), self.line(attr.span));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
                let load = match index.kind {
                    ExprKind::Slice(_) => Instr::LoadSlice,
                    _ => Instr::LoadSubscr,
                };
                self.emit(load, line);
            }
            // Three values, for `LoadSlice` (lowering puts slices only there).
            ExprKind::Slice(parts) => {
                for part in parts {
                    match part {
                        Some(part) => self.expr(part),
                        None => self.emit_const(Const::None, line),
                    }
                }
            }
            ExprKind::FString(pieces) => self.fstring(pieces, line),
            ExprKind::Lambda(def) => self.make_function(def),
            ExprKind::Comprehension(comprehension) => self.comprehension(comprehension, expr.span),
        }
    }

    /// The arguments of a call with `*` or `**` unpacking, as a list and a dict, then
    /// `CallUnpacked` (the callee is on the stack).
    fn call_unpacking(
        &mut self,
        args: &'ast [Expr],
        keywords: &'ast [(Option<Ident>, Expr)],
        line: u32,
    ) {
        self.emit(Instr::BuildList(Count(0)), line);
        for arg in args {
            match &arg.kind {
                ExprKind::Starred(value) => {
                    self.expr(value);
                    self.emit(Instr::InplaceOp(BinOp::Add), line);
                }
                _ => {
                    self.expr(arg);
                    self.emit(Instr::ListAppend(Count(0)), line);
                }
            }
        }
        self.emit(Instr::BuildDict(Count(0)), line);
        for (name, value) in keywords {
            match name {
                Some(name) => {
                    self.emit_const(Const::Str(name.name.clone()), line);
                    self.expr(value);
                    self.emit(Instr::MapAdd(Count(0)), line);
                }
                None => {
                    self.emit(Instr::Dup, line);
                    let update = self.name("update");
                    self.emit(Instr::LoadAttr(update), line);
                    self.expr(value);
                    self.emit(Instr::Call(Count(1)), line);
                    self.emit(Instr::Pop, line);
                }
            }
        }
        self.emit(Instr::CallUnpacked, line);
    }

    /// Whether `func` is the builtin `super` (not a variable of that name), which makes a call
    /// without arguments the zero-argument form.
    fn is_builtin_super(&self, func: &Expr) -> bool {
        let ExprKind::Name(name) = &func.kind else {
            return false;
        };
        name == "super"
            && !self.module_globals.contains(name)
            && self.frames.iter().all(|frame| {
                frame
                    .scope
                    .as_ref()
                    .is_none_or(|scope| scope.slot(name).is_none())
            })
    }

    /// `a < b < c`: `b` is evaluated once; the chain stops at the first false comparison.
    fn compare(
        &mut self,
        left: &'ast Expr,
        comparisons: &'ast [(weft_bytecode::CmpOp, Expr)],
        line: u32,
    ) {
        self.expr(left);
        let Some(((last_op, last), middle)) = comparisons.split_last() else {
            return;
        };
        if middle.is_empty() {
            self.expr(last);
            self.emit(Instr::CompareOp(*last_op), line);
            return;
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for (op, right) in middle {
            self.expr(right);
            self.emit(Instr::Dup, line);
            self.emit(Instr::Rot3, line);
            self.emit(Instr::CompareOp(*op), line);
            self.emit_jump(Instr::JumpIfFalseOrPop, cleanup, line);
        }
        self.expr(last);
        self.emit(Instr::CompareOp(*last_op), line);
        self.emit_jump(Instr::Jump, end, line);
        self.bind(cleanup);
        self.emit(Instr::Rot2, line);
        self.emit(Instr::Pop, line);
        self.bind(end);
    }

    /// Pushes the pieces of an f-string (or of a format spec) as one string.
    fn fstring(&mut self, pieces: &'ast [FStringPiece], line: u32) {
        let mut count = 0;
        let mut text = String::new();
        for piece in pieces {
            match piece {
                FStringPiece::Text(more) => text.push_str(more),
                FStringPiece::Field {
                    value,
                    conversion,
                    spec,
                } => {
                    if !text.is_empty() {
                        self.emit_const(Const::Str(std::mem::take(&mut text)), line);
                        count += 1;
                    }
                    self.expr(value);
                    if let Some(spec) = spec {
                        self.fstring(spec, line);
                    }
                    self.emit(
                        Instr::FormatValue {
                            conversion: *conversion,
                            has_spec: spec.is_some(),
                        },
                        line,
                    );
                    count += 1;
                }
            }
        }
        if !text.is_empty() || count == 0 {
            self.emit_const(Const::Str(text), line);
            count += 1;
        }
        if count > 1 {
            self.emit(Instr::BuildString(Count(count)), line);
        }
    }
}

/// A code object's parameters.
#[derive(Default)]
struct Signature {
    params: Vec<String>,
    kwonly: Vec<String>,
    varargs: Option<String>,
    varkw: Option<String>,
}

/// What a name binding statement does to the name.
#[derive(Clone, Copy)]
enum BindKind {
    Store,
    Delete,
}

/// Why blocks are being left early.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExitKind {
    Break,
    Continue,
    Return,
}

/// Whether a `while` test is a constant that is always true (`while True:`, `while 1:`).
fn is_always_true(test: &Expr) -> bool {
    matches!(test.kind, ExprKind::Literal(Literal::Bool(true)))
        || matches!(test.kind, ExprKind::Literal(Literal::Int(value)) if value != 0)
}
