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
//! return: <value>; for each block left, innermost first: Rot2; Pop (iterator) or
//!         Rot2; WithExit (manager); Return
//! ```

use std::collections::{BTreeSet, HashMap};

use weft_bytecode::{
    BUILTINS, BinOp, Code, CodeId, CodeKind, Const, ConstId, Count, ExcEntry, Instr, LocalSlot,
    NameId, Observer, ObserverId, Pc, Program,
};

use crate::ast::{
    ClassDef, ClassMember, Expr, ExprKind, FStringPiece, FunctionDef, ImportName, Literal, Span,
    Stmt, StmtKind, WithItem,
};
use crate::diagnostic::{LineTable, RawDiagnostic};
use crate::scope::{self, FunctionScope};

/// An observer expression, lowered, ready to compile.
pub(crate) struct LoweredObserver<'src> {
    pub(crate) id: ObserverId,
    pub(crate) source: &'src str,
    pub(crate) expr: Expr,
}

/// Compiles a lowered module and its observer expressions (each into a code object of kind
/// [`CodeKind::Observer`], after the module's own). Returns the program, or the semantic
/// diagnostics (those about an observer say which).
pub(crate) fn compile_module<'src>(
    file_name: &str,
    source: &'src str,
    body: &[Stmt],
    observers: &[LoweredObserver<'src>],
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
    compiler.finish_code(main, frame, "<module>", Vec::new(), None, 1);
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

/// A block the current statement is nested in, within one code object.
enum Block {
    /// A loop: `break` jumps to `after`, `continue` to `head`; a `for` loop keeps its iterator
    /// on the stack.
    Loop {
        is_for: bool,
        head: Label,
        after: Label,
    },
    /// A `with`: its manager is on the stack. `holes` are the pc ranges of exit sequences that
    /// leave it early, excluded from its exception-table entry.
    With { holes: Vec<(u32, u32)> },
}

/// The code object being compiled.
struct Frame {
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
    blocks: Vec<Block>,
}

impl Frame {
    fn new(kind: CodeKind, scope: Option<FunctionScope>, qualname: String) -> Frame {
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

    /// The operand stack depth at a statement boundary: one entry per enclosing `for`
    /// iterator and `with` manager.
    fn depth(&self) -> u32 {
        self.blocks
            .iter()
            .filter(|block| matches!(block, Block::With { .. } | Block::Loop { is_for: true, .. }))
            .count() as u32
    }
}

/// Where a name lives.
enum NameRef {
    Local(LocalSlot),
    Global(NameId),
    Builtin(NameId),
}

struct Compiler<'src> {
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
    frames: Vec<Frame>,
    /// For each class body being compiled in the current code (innermost last), the members
    /// defined so far.
    class_members: Vec<Vec<String>>,
    /// The names of the classes being compiled in the current code, outermost first.
    class_path: Vec<String>,
}

impl<'src> Compiler<'src> {
    fn frame(&mut self) -> &mut Frame {
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
        frame: Frame,
        name: &str,
        params: Vec<String>,
        varargs: Option<String>,
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
        let local_names = scope.map(|scope| scope.slots).unwrap_or_default();
        self.codes[id.index()] = Some(Code {
            kind,
            name: name.to_string(),
            qualname,
            params,
            varargs,
            local_names,
            instrs,
            lines,
            exc_table,
            first_line,
        });
    }

    /// Compiles an observer expression into a code object that returns its value. Names resolve
    /// as at module level; the diagnostics it causes are marked as the observer's.
    fn observer(&mut self, observer: &LoweredObserver<'src>) -> Observer {
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
        self.finish_code(id, frame, "<observe>", Vec::new(), None, 1);
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
        if let Some(scope) = &self.frames[frame_index].scope {
            if let Some(slot) = scope.slot(name) {
                return NameRef::Local(LocalSlot(slot as u32));
            }
            if !is_store && !scope.globals.contains(name) {
                self.check_closure(name, span);
            }
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
            if !self.module_globals.contains(name) {
                if BUILTINS.contains(&name) {
                    return NameRef::Builtin(self.name(name));
                }
                if name == "super" {
                    self.error(RawDiagnostic::unsupported(
                        "`super()` is not supported by weft yet; call the base class method \
                         directly, e.g. `Base.__init__(self, ...)`",
                        span,
                    ));
                }
            }
        }
        NameRef::Global(self.name(name))
    }

    /// Reports a read of an enclosing function's local variable (a closure).
    fn check_closure(&mut self, name: &str, span: Span) {
        let current = self.frames.len() - 1;
        for outer in self.frames[..current].iter().rev() {
            if let Some(scope) = &outer.scope {
                if scope.globals.contains(name) {
                    return;
                }
                if scope.slot(name).is_some() {
                    let outer_name = outer.qualname.clone();
                    let inner_name = self.frames[current].qualname.clone();
                    self.error(RawDiagnostic::unsupported(
                        format!(
                            "`{inner_name}` uses `{name}`, a local variable of the enclosing \
                             function `{outer_name}`; closures are not supported by weft yet, \
                             pass it as an argument"
                        ),
                        span,
                    ));
                    return;
                }
            }
        }
    }

    fn load_name(&mut self, name: &str, span: Span) {
        let line = self.line(span);
        let instr = match self.resolve(name, span, false) {
            NameRef::Local(slot) => Instr::LoadLocal(slot),
            NameRef::Global(id) => Instr::LoadGlobal(id),
            NameRef::Builtin(id) => Instr::LoadBuiltin(id),
        };
        self.emit(instr, line);
    }

    fn store_name(&mut self, name: &str, span: Span) {
        if name == "__debug__" {
            self.error(RawDiagnostic::semantic("cannot assign to __debug__", span));
        }
        let line = self.line(span);
        let instr = match self.resolve(name, span, true) {
            NameRef::Local(slot) => Instr::StoreLocal(slot),
            NameRef::Global(id) | NameRef::Builtin(id) => Instr::StoreGlobal(id),
        };
        self.emit(instr, line);
    }

    // ----- statements -----

    fn stmts(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
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
            StmtKind::Raise(exc) => {
                self.expr(exc);
                self.emit(Instr::Raise, line);
            }
            StmtKind::Import(names) => {
                for import in names {
                    let module = self.name(&import.name.name);
                    self.emit(Instr::Import(module), line);
                    let bound = import.bound();
                    self.store_name(&bound.name, bound.span);
                }
            }
            StmtKind::ImportFrom { module, names } => self.import_from(&module.name, names, line),
        }
    }

    fn aug_assign(&mut self, target: &Expr, op: BinOp, value: &Expr, line: u32) {
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
            _ => unreachable!("lower only lets names, attributes and subscripts through"),
        }
    }

    /// Stores the value on top of the stack into a target.
    fn store(&mut self, target: &Expr) {
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
                self.emit(Instr::UnpackSequence(Count(items.len() as u32)), line);
                for item in items {
                    self.store(item);
                }
            }
            // Lowering reported anything else and replaced it with a literal.
            _ => self.emit(Instr::Pop, line),
        }
    }

    /// `with a as x, b: body` is `with a as x: with b: body`.
    fn with(&mut self, items: &[WithItem], body: &[Stmt], line: u32) {
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
        // The protected range minus the early-exit sequences.
        let mut segment_start = start;
        let frame = self.frame();
        for (hole_start, hole_end) in holes {
            if hole_start > segment_start {
                frame
                    .exc_table
                    .push((segment_start, hole_start, handler, depth + 1));
            }
            segment_start = segment_start.max(hole_end);
        }
        if end > segment_start {
            frame
                .exc_table
                .push((segment_start, end, handler, depth + 1));
        }
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
    /// (returning where to jump), all of them for `return`. Records the hole each `with`
    /// left must exclude from its exception-table entry; `close_holes` ends them.
    fn emit_exits(&mut self, kind: ExitKind, line: u32) -> Option<Label> {
        let n_blocks = self.frame().blocks.len();
        let mut target = None;
        for index in (0..n_blocks).rev() {
            let pc = self.frame().pc();
            match &mut self.frame().blocks[index] {
                Block::With { holes } => {
                    holes.push((pc, u32::MAX));
                    if kind == ExitKind::Return {
                        self.emit(Instr::Rot2, line);
                    }
                    self.emit(Instr::WithExit, line);
                }
                Block::Loop {
                    is_for,
                    head,
                    after,
                } => {
                    let (is_for, head, after) = (*is_for, *head, *after);
                    match kind {
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
                    }
                }
            }
        }
        if kind == ExitKind::Return {
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
            if let Block::With { holes } = block
                && let Some(hole) = holes.last_mut()
                && hole.1 == u32::MAX
            {
                hole.1 = end;
            }
        }
    }

    fn import_from(&mut self, module: &str, names: &[ImportName], line: u32) {
        if names.is_empty() {
            return;
        }
        let module_id = self.name(module);
        self.emit(Instr::Import(module_id), line);
        for (index, import) in names.iter().enumerate() {
            if index + 1 < names.len() {
                self.emit(Instr::Dup, line);
            }
            let attr = self.name(&import.name.name);
            self.emit(Instr::LoadAttr(attr), self.line(import.name.span));
            let bound = import.bound();
            self.store_name(&bound.name, bound.span);
        }
    }

    /// Evaluates the defaults, compiles the body and emits `MakeFunction`.
    fn make_function(&mut self, def: &FunctionDef) {
        let line = self.line(def.name.span);
        let mut n_defaults = 0;
        for (_, default) in &def.params {
            if let Some(default) = default {
                self.expr(default);
                n_defaults += 1;
            }
        }
        let scope = scope::function_scope(def, &mut self.diagnostics);
        let qualname = self.qualname(&def.name.name);
        let id = self.reserve_code();
        self.frames
            .push(Frame::new(CodeKind::Function, Some(scope), qualname));
        // Function bodies do not see the members of the class they are defined in.
        let class_members = std::mem::take(&mut self.class_members);
        let class_path = std::mem::take(&mut self.class_path);
        self.stmts(&def.body);
        self.class_members = class_members;
        self.class_path = class_path;
        if !matches!(
            def.body.last().map(|stmt| &stmt.kind),
            Some(StmtKind::Return(_))
        ) {
            let last_line = def.body.last().map_or(line, |stmt| self.line(stmt.span));
            self.emit_return_none(last_line);
        }
        let frame = self.frames.pop().expect("function frame");
        let params = def
            .params
            .iter()
            .map(|(name, _)| name.name.clone())
            .collect();
        let varargs = def.varargs.as_ref().map(|name| name.name.clone());
        let first_line = self.lines.line(def.name.span.start);
        self.finish_code(id, frame, &def.name.name, params, varargs, first_line);
        self.emit(
            Instr::MakeFunction {
                code: id,
                n_defaults: Count(n_defaults),
            },
            line,
        );
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

    fn class(&mut self, class: &ClassDef, line: u32) {
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

    fn expr(&mut self, expr: &Expr) {
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
            } => {
                self.expr(func);
                for arg in args {
                    self.expr(arg);
                }
                for (_, value) in keywords {
                    self.expr(value);
                }
                let n_args = Count((args.len() + keywords.len()) as u32);
                if keywords.is_empty() {
                    self.emit(Instr::Call(n_args), line);
                } else {
                    let names = keywords
                        .iter()
                        .map(|(name, _)| Const::Str(name.name.clone()))
                        .collect();
                    let kw_names = self.constant(Const::Tuple(names));
                    self.emit(Instr::CallKw { n_args, kw_names }, line);
                }
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value);
                let attr_id = self.name(&attr.name);
                self.emit(Instr::LoadAttr(attr_id), self.line(attr.span));
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
                self.emit(Instr::LoadSubscr, line);
            }
            ExprKind::FString(pieces) => self.fstring(pieces, line),
        }
    }

    /// `a < b < c`: `b` is evaluated once; the chain stops at the first false comparison.
    fn compare(&mut self, left: &Expr, comparisons: &[(weft_bytecode::CmpOp, Expr)], line: u32) {
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
    fn fstring(&mut self, pieces: &[FStringPiece], line: u32) {
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
