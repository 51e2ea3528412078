//! The interpreter loop: `loop { match instr { ... } }` dispatching to one small method per
//! instruction, plus running a thread to its next visible operation and unwinding exceptions.

use std::sync::Arc;

use weft_bytecode::{
    BinOp, CmpOp, CodeId, ConstId, Conversion, Count, Instr, LocalSlot, NameId, Pc, Program,
    UnaryOp,
};

use crate::call::Args;
use crate::exceptions::{ExcKind, OBJECT_CLASS, exc_class};
use crate::heap::{
    Attrs, Cell, Class, Function, Iter, Label, NativeKind, Object, ThreadRole, TracebackEntry,
    ViewKind,
};
use crate::value::{Builtin, Method, Tuple, Value};
use crate::vm::{Frame, FrameKind, Phase, Vm};
use crate::{
    Access, Event, Footprint, ItemKey, Location, LockAccess, ObjId, Op, SyncOp, ThreadId, VmError,
};

/// The positions `[lower:upper:step]` selects in a sequence of `len` items, as CPython's
/// `PySlice_AdjustIndices` computes them (`step` is not 0).
fn slice_positions(
    len: usize,
    lower: Option<i64>,
    upper: Option<i64>,
    step: i64,
) -> impl Iterator<Item = usize> {
    let len = len as i64;
    let clamp = |bound: i64| {
        if bound < 0 {
            (bound.saturating_add(len)).max(if step < 0 { -1 } else { 0 })
        } else {
            bound.min(if step < 0 { len - 1 } else { len })
        }
    };
    let (default_start, default_stop) = if step < 0 { (len - 1, -1) } else { (0, len) };
    let start = lower.map_or(default_start, clamp);
    let stop = upper.map_or(default_stop, clamp);
    let count = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && stop < start {
        (start - stop - 1) / step.saturating_neg() + 1
    } else {
        0
    };
    (0..count).map(move |index| (start + index * step) as usize)
}

/// The object a value is, if it is one.
fn container_id(value: &Value) -> Option<&ObjId> {
    match value {
        Value::Obj(id) => Some(id),
        _ => None,
    }
}

/// Why the normal flow of instructions stopped.
#[derive(Debug)]
pub(crate) enum Interrupt {
    /// The thread reached a visible op it may not perform yet; the pc is left on it.
    Stop(Op),
    /// An exception was raised.
    Raise(ObjId),
    /// The run must end.
    Abort(VmError),
}

/// The result of interpreter operations.
pub(crate) type Res<T = ()> = Result<T, Interrupt>;

/// What an instruction did to the control flow.
#[must_use]
pub(crate) enum Flow {
    /// Go on with the next instruction of the (possibly new) top frame.
    Next,
    /// The frame at the stop depth returned this value.
    Exit(Value),
}

impl Vm {
    /// Runs thread `index` until it stops before a visible op it was not granted, or finishes.
    pub(crate) fn run_thread(&mut self, index: usize) {
        self.current = index;
        self.budget = 0;
        // Whatever the thread does next is an operation of its own, not part of another's.
        self.instr_has_op = false;
        loop {
            let outcome = match self.threads[index].phase {
                Phase::Finished => return,
                Phase::Boot => match self.boot() {
                    Ok(()) if self.threads[index].frames.is_empty() => {
                        // A native callee ran to completion (or there was none).
                        let result = self.threads[index].stack.pop().unwrap_or(Value::None);
                        Ok(result)
                    }
                    Ok(()) => {
                        self.threads[index].phase = Phase::Running;
                        continue;
                    }
                    Err(interrupt) => Err(interrupt),
                },
                Phase::Running => self.run_frames(0),
                Phase::Worker => {
                    // The worker's own loop comes after the task's last instruction: its
                    // operations (storing the result, taking work) are steps of their own.
                    self.instr_has_op = false;
                    let executor = match self.thread_data(self.threads[index].object) {
                        Some(data) => match data.role {
                            ThreadRole::Worker { executor } => executor,
                            _ => unreachable!("a worker thread has the worker role"),
                        },
                        None => unreachable!("a worker has a Thread object"),
                    };
                    match self.worker_next(executor) {
                        Ok(true) => {
                            self.threads[index].phase = Phase::Boot;
                            continue;
                        }
                        Ok(false) => {
                            self.finish_thread(index);
                            return;
                        }
                        Err(interrupt) => Err(interrupt),
                    }
                }
                Phase::Exiting => {
                    // Ending the program comes after the module's last instruction.
                    self.instr_has_op = false;
                    self.touch(Access::ProgramEnd { ends: true });
                    self.exiting = true;
                    let main = self.program.code(self.program.main);
                    let line = main.lines.last().copied().unwrap_or(main.first_line);
                    let daemons_alive = (1..self.threads.len())
                        .any(|t| self.threads[t].phase != Phase::Finished)
                        || matches!(self.threads[index].pending, Some((Op::Exit, _)));
                    // Wait for the non-daemon threads, then end the program: a step of its own
                    // while daemon threads still run (they may run before it, or be stopped).
                    let ended = self.visible(Op::ExitWait).and_then(|()| {
                        // Whether the end of the program is a step of its own depends on
                        // whether daemon threads still run: the step that lets the main thread
                        // end reads their lives.
                        for daemon in 1..self.threads.len() {
                            if self.threads[daemon].daemon {
                                let thread = self.threads[daemon].object;
                                self.touch(Access::Thread {
                                    thread,
                                    changes: false,
                                });
                            }
                        }
                        if daemons_alive {
                            self.visible(Op::Exit)
                        } else {
                            Ok(())
                        }
                    });
                    match ended {
                        Ok(()) => self.finish_main(),
                        Err(Interrupt::Stop(op)) => self.threads[index].pending = Some((op, line)),
                        Err(_) => unreachable!("waiting at exit raises nothing"),
                    }
                    return;
                }
            };
            match outcome {
                Err(Interrupt::Stop(op)) => {
                    let line = self.stop_line();
                    self.threads[index].pending = Some((op, line));
                    return;
                }
                Err(Interrupt::Abort(error)) => {
                    self.aborted = Some(error);
                    return;
                }
                Ok(value) => {
                    if let Some(task) = &mut self.threads[index].task {
                        task.outcome = Some(Ok(value));
                        self.threads[index].phase = Phase::Worker;
                    } else if index == 0 {
                        self.threads[index].phase = Phase::Exiting;
                    } else {
                        self.finish_thread(index);
                        return;
                    }
                }
                Err(Interrupt::Raise(exc)) => {
                    let th = &mut self.threads[index];
                    th.frames.clear();
                    th.stack.clear();
                    if let Some(task) = &mut th.task {
                        // An exception in a pool task is stored in its future.
                        task.outcome = Some(Err(exc));
                        th.phase = Phase::Worker;
                        continue;
                    }
                    self.report_uncaught(index, exc);
                    if index == 0 {
                        self.threads[index].phase = Phase::Exiting;
                    } else {
                        self.finish_thread(index);
                        return;
                    }
                }
            }
        }
    }

    /// The line of the instruction the current thread is stopped at.
    fn stop_line(&self) -> u32 {
        let th = &self.threads[self.current];
        match th.frames.last() {
            Some(frame) => self.program.code(frame.code).line(Pc(frame.pc)),
            None => th.boot_line,
        }
    }

    /// The line of the instruction being executed.
    pub(crate) fn current_line(&self) -> u32 {
        let th = &self.threads[self.current];
        match th.frames.last() {
            Some(frame) => self
                .program
                .code(frame.code)
                .line(Pc(frame.pc.saturating_sub(1))),
            None => th.boot_line,
        }
    }

    /// Performs the initial call of a started thread (its callee and arguments are on the stack).
    /// A `Timer` first waits for its interval (a step that may come at any moment) and calls
    /// nothing if it was cancelled.
    fn boot(&mut self) -> Res {
        let object = self.threads[self.current].object;
        if let Some(ThreadRole::Timer { .. }) = self.thread_data(object).map(|data| data.role)
            && !self.threads[self.current].timer_fired
        {
            if let Some(ThreadRole::Timer { interval_ns, .. }) =
                self.thread_data(object).map(|data| data.role)
            {
                self.timed_wait(Some(interval_ns as f64 / 1e9));
            }
            self.visible(Op::Sync {
                obj: object,
                kind: SyncOp::TimerFire,
            })?;
            self.instr_has_op = false;
            self.threads[self.current].timer_fired = true;
            if let Some(ThreadRole::Timer {
                cancelled: true, ..
            }) = self.thread_data(object).map(|data| data.role)
            {
                self.threads[self.current].stack.clear();
                return Ok(());
            }
        }
        let th = &self.threads[self.current];
        if th.stack.first().is_none_or(Value::is_none) {
            // No target: `run()` does nothing.
            self.threads[self.current].stack.clear();
            return Ok(());
        }
        let kw = Tuple::new(
            th.boot_kw
                .iter()
                .map(|name| Value::Str(name.clone()))
                .collect::<Vec<_>>(),
        );
        // The initial call is an instruction of its own.
        self.instr_has_op = false;
        self.call_at(0, &kw, FrameKind::Normal)
    }

    /// Gate for a visible op: proceeds if the thread was granted its step (consuming the grant),
    /// else stops the thread before it. Non-scheduling ops proceed when enabled.
    pub(crate) fn visible(&mut self, op: Op) -> Res {
        if self.atomic_depth > 0 {
            return if self.op_enabled(self.current, &op) {
                self.touch_op(&op);
                Ok(())
            } else if self.observing {
                self.observer_blocked.get_or_insert(op);
                Err(self.unsupported("a blocking operation in an observer"))
            } else {
                Err(self.unsupported(
                    "a blocking operation inside code called by a builtin (a key function, \
                     __str__, __repr__ or a default run())",
                ))
            };
        }
        if !op.is_scheduling_point() {
            return if self.op_enabled(self.current, &op) {
                self.touch_op(&op);
                Ok(())
            } else {
                Err(Interrupt::Stop(op))
            };
        }
        if self.instr_has_op {
            // One visible op per instruction: later accesses ride along with the first.
            self.touch_op(&op);
            return Ok(());
        }
        let th = &mut self.threads[self.current];
        if !th.granted {
            return Err(Interrupt::Stop(op));
        }
        th.granted = false;
        th.wake_at = None;
        th.join_target = None;
        self.instr_has_op = true;
        self.event = Some(Event {
            thread: ThreadId(self.current as u32),
            op,
            line: self.current_line(),
            detail: None,
            footprint: Footprint::new(),
        });
        self.touch_op(&op);
        Ok(())
    }

    /// Records in the step's footprint what `op` touches as the current thread performs it (a
    /// lock operation's access is then refined by what it did, [`Vm::refine_lock_access`]).
    fn touch_op(&mut self, op: &Op) {
        let access = match *op {
            Op::Join(target) => Some(Access::Joined(self.threads[target.index()].object)),
            _ => op.predicted_access(),
        };
        if let Some(access) = access {
            self.touch(access);
        }
    }

    /// Records that the current thread touched `access` in this step.
    pub(crate) fn touch(&mut self, access: Access) {
        self.touch_as(self.current, access);
    }

    /// Records that thread `index` touched `access` in this step (nothing while evaluating
    /// observers, which run on a scratch copy).
    pub(crate) fn touch_as(&mut self, index: usize, access: Access) {
        if !self.observing {
            self.footprint.push((ThreadId(index as u32), access));
        }
    }

    /// Replaces the current thread's last recorded access of `lock` by what the lock operation
    /// really did (`None`: nothing other threads can see, as for a reentrant acquire).
    pub(crate) fn refine_lock_access(&mut self, lock: ObjId, kind: Option<LockAccess>) {
        let me = ThreadId(self.current as u32);
        let Some(position) = self.footprint.iter().rposition(|&(thread, access)| {
            thread == me && matches!(access, Access::Lock { lock: l, .. } if l == lock)
        }) else {
            return;
        };
        match kind {
            Some(kind) => self.footprint[position].1 = Access::Lock { lock, kind },
            None => {
                self.footprint.remove(position);
            }
        }
    }

    /// Whether the detail of the op just performed should be recorded.
    pub(crate) fn recording(&self) -> bool {
        self.config.record_values && self.instr_has_op && self.atomic_depth == 0
    }

    /// Records the detail of the op performed by this instruction.
    pub(crate) fn set_detail(&mut self, detail: String) {
        if let Some(event) = &mut self.event {
            event.detail = Some(detail);
        }
    }

    /// Records the repr of a value as the detail of the op just performed (if recording).
    pub(crate) fn detail_value(&mut self, value: &Value) {
        if self.recording() {
            let text = self.repr_or_placeholder(value);
            self.set_detail(text);
        }
    }

    /// Runs the current thread's frames until the frame count drops to `stop_depth` (returning
    /// the value the last frame returned) or the thread stops.
    pub(crate) fn run_frames(&mut self, stop_depth: usize) -> Res<Value> {
        let program = self.program.clone();
        // At least one instruction: a step always performs its pending op.
        let limit = self.config.max_local_instructions.max(1);
        loop {
            self.maybe_collect();
            self.budget += 1;
            if self.budget > limit {
                return Err(Interrupt::Abort(VmError::LocalInstructionLimit {
                    thread: ThreadId(self.current as u32),
                    line: self.stop_line(),
                    instructions: self.budget - 1,
                }));
            }
            let th = &mut self.threads[self.current];
            let frame = th.frames.last_mut().expect("a running thread has a frame");
            let pc = frame.pc;
            let instr = program.codes[frame.code.index()].instrs[pc as usize];
            frame.pc = pc + 1;
            self.instr_has_op = false;
            match self.exec(instr, &program, stop_depth) {
                Err(Interrupt::Raise(exc))
                    if !matches!(instr, Instr::Reraise | Instr::RaiseCurrent) =>
                {
                    self.set_context(exc, matches!(instr, Instr::Raise | Instr::RaiseFrom));
                    self.raised(exc, stop_depth)?;
                }
                Ok(Flow::Next) => {}
                Ok(Flow::Exit(value)) => return Ok(value),
                Err(Interrupt::Stop(op)) => {
                    let th = &mut self.threads[self.current];
                    th.frames
                        .last_mut()
                        .expect("frames are unchanged by a stop")
                        .pc = pc;
                    return Err(Interrupt::Stop(op));
                }
                Err(Interrupt::Raise(exc)) => self.raised(exc, stop_depth)?,
                Err(abort @ Interrupt::Abort(_)) => return Err(abort),
            }
        }
    }

    /// An instruction raised `exc`: resets the thread's multi-step state and unwinds.
    fn raised(&mut self, exc: ObjId, stop_depth: usize) -> Res {
        let th = &mut self.threads[self.current];
        th.progress = 0;
        th.print_text = None;
        th.print_texts.clear();
        if self.recording() {
            let summary = self.exception_summary(exc);
            self.set_detail(format!("raised {summary}"));
        }
        self.unwind(exc, stop_depth)
    }

    /// Sets `exc.__context__` to the exception being handled, as CPython does when an exception
    /// is raised (not re-raised) during handling: by a `raise` statement (`explicit`), or a
    /// fresh one from an operation. An exception passing back out of code that native code
    /// called already has its traceback, and keeps its context.
    fn set_context(&mut self, exc: ObjId, explicit: bool) {
        let Some(handled) = self.threads[self.current]
            .frames
            .last()
            .and_then(|frame| frame.handled)
        else {
            return;
        };
        let fresh = self
            .exception_data(exc)
            .is_some_and(|data| data.traceback.is_empty());
        if handled == exc || !(explicit || fresh) {
            return;
        }
        // Break a cycle as CPython does: `exc` must not be in the chain it gets as context.
        let mut link = handled;
        while let Some(next) = self.exception_data(link).and_then(|data| data.context) {
            if next == exc {
                if let Some(data) = self.exception_data_mut(link) {
                    data.context = None;
                }
                break;
            }
            link = next;
        }
        if self.is_shared(exc) {
            self.publish(&Value::Obj(handled));
        }
        if let Some(data) = self.exception_data_mut(exc) {
            data.context = Some(handled);
        }
    }

    /// Finds a handler for `exc` in the frames above `stop_depth`, adding traceback entries on
    /// the way; pops the frames without one. Returns the exception when none handles it.
    fn unwind(&mut self, exc: ObjId, stop_depth: usize) -> Res {
        let program = self.program.clone();
        loop {
            let depth = self.threads[self.current].frames.len();
            if depth <= stop_depth {
                return Err(Interrupt::Raise(exc));
            }
            let frame = *self.threads[self.current].frames.last().expect("depth > 0");
            let code = program.code(frame.code);
            let pc = frame.pc.saturating_sub(1);
            let entry = TracebackEntry {
                code: frame.code,
                line: code.line(Pc(pc)),
                depth: depth as u32,
            };
            if let Object::Instance(instance) = &mut self.heap[exc.index()].object
                && let crate::heap::Payload::Exception(data) = &mut instance.payload
                && data.traceback.last().map(|last| last.depth) != Some(entry.depth)
            {
                data.traceback.push(entry);
            }
            let handler = code
                .exc_table
                .iter()
                .find(|handler| handler.start.0 <= pc && pc < handler.end.0);
            let th = &mut self.threads[self.current];
            if let Some(handler) = handler {
                th.stack
                    .truncate(frame.stack_start as usize + handler.stack_depth as usize);
                th.stack.push(Value::Obj(exc));
                th.frames.last_mut().expect("depth > 0").pc = handler.handler.0;
                return Ok(());
            }
            th.frames.pop();
            th.stack.truncate(frame.ret as usize);
        }
    }

    // ----- stack helpers -----

    /// Pushes onto the current thread's stack.
    pub(crate) fn push(&mut self, value: Value) {
        self.threads[self.current].stack.push(value);
    }

    /// Pops the current thread's stack.
    pub(crate) fn pop(&mut self) -> Value {
        self.threads[self.current]
            .stack
            .pop()
            .expect("operand stack underflow (a compiler bug)")
    }

    /// The value `depth` places below the top (0 is the top).
    pub(crate) fn peek(&self, depth: usize) -> &Value {
        let stack = &self.threads[self.current].stack;
        &stack[stack.len() - 1 - depth]
    }

    fn jump(&mut self, target: Pc) {
        let th = &mut self.threads[self.current];
        th.frames.last_mut().expect("a frame").pc = target.0;
    }

    fn exec(&mut self, instr: Instr, program: &Program, stop_depth: usize) -> Res<Flow> {
        match instr {
            Instr::LoadConst(id) => self.op_load_const(id),
            Instr::LoadLocal(slot) => self.op_load_local(slot, program)?,
            Instr::StoreLocal(slot) => self.op_store_local(slot),
            Instr::LoadGlobal(name) => self.op_load_global(name)?,
            Instr::StoreGlobal(name) => self.op_store_global(name)?,
            Instr::LoadBuiltin(name) => self.op_load_builtin(name)?,
            Instr::LoadAttr(name) => self.op_load_attr(name)?,
            Instr::StoreAttr(name) => self.op_store_attr(name)?,
            Instr::LoadSubscr => self.op_load_subscr()?,
            Instr::StoreSubscr => self.op_store_subscr()?,
            Instr::LoadSlice => self.op_load_slice()?,
            Instr::CallUnpacked => self.op_call_unpacked()?,
            Instr::BinaryOp(op) => self.op_binary(op, false)?,
            Instr::InplaceOp(op) => self.op_binary(op, true)?,
            Instr::UnaryOp(op) => self.op_unary(op)?,
            Instr::CompareOp(op) => self.op_compare(op)?,
            Instr::Jump(target) => self.jump(target),
            Instr::PopJumpIfFalse(target) => self.op_pop_jump(target, false)?,
            Instr::PopJumpIfTrue(target) => self.op_pop_jump(target, true)?,
            Instr::JumpIfFalseOrPop(target) => self.op_jump_or_pop(target, false)?,
            Instr::JumpIfTrueOrPop(target) => self.op_jump_or_pop(target, true)?,
            Instr::GetIter => self.op_get_iter()?,
            Instr::ForIter(target) => self.op_for_iter(target)?,
            Instr::Return => return self.op_return(stop_depth),
            Instr::Pop => {
                self.pop();
            }
            Instr::Dup => {
                let top = self.peek(0).clone();
                self.push(top);
            }
            Instr::Dup2 => {
                let a = self.peek(1).clone();
                let b = self.peek(0).clone();
                self.push(a);
                self.push(b);
            }
            Instr::Rot2 => {
                let stack = &mut self.threads[self.current].stack;
                let n = stack.len();
                stack.swap(n - 1, n - 2);
            }
            Instr::Rot3 => {
                let stack = &mut self.threads[self.current].stack;
                let n = stack.len();
                stack[n - 3..].rotate_right(1);
            }
            Instr::BuildTuple(n) => self.op_build_tuple(n),
            Instr::BuildList(n) => self.op_build_list(n),
            Instr::BuildDict(n) => self.op_build_dict(n)?,
            Instr::BuildString(n) => self.op_build_string(n),
            Instr::FormatValue {
                conversion,
                has_spec,
            } => self.op_format_value(conversion, has_spec)?,
            Instr::UnpackSequence(n) => self.op_unpack(n.index(), None)?,
            Instr::UnpackStarred { before, after } => {
                self.op_unpack(before.index(), Some(after.index()))?;
            }
            Instr::Call(n) => self.op_call(n, None)?,
            Instr::CallKw { n_args, kw_names } => self.op_call(n_args, Some(kw_names))?,
            Instr::MakeFunction { code, n_defaults } => {
                self.op_make_function(code, n_defaults, program)?;
            }
            Instr::MakeClass {
                name,
                members,
                has_base,
            } => self.op_make_class(name, members, has_base)?,
            Instr::Import(name) => self.op_import(name)?,
            Instr::Raise => self.op_raise()?,
            Instr::Reraise => {
                let exc = self.pop();
                return Err(self.raise_value(exc));
            }
            Instr::RaiseCurrent => return Err(self.op_raise_current()),
            Instr::RaiseFrom => self.op_raise_from()?,
            Instr::PushExcInfo => self.op_push_exc_info(),
            Instr::PopExcept => {
                let previous = self.pop();
                self.frame_mut().handled = match previous {
                    Value::Obj(id) => Some(id),
                    _ => None,
                };
            }
            Instr::CheckExcMatch => self.op_check_exc_match()?,
            Instr::DeleteLocal(slot) => {
                self.op_load_local(slot, program)?;
                self.pop();
                self.set_local(slot, Value::Unbound);
            }
            Instr::DeleteGlobal(name) => self.op_delete_global(name)?,
            Instr::DeleteSubscr => self.op_delete_subscr()?,
            Instr::DeleteAttr(name) => self.op_delete_attr(name)?,
            Instr::MakeCell(slot) => self.op_make_cell(slot),
            Instr::LoadDeref(slot) => self.op_load_deref(slot, program)?,
            Instr::StoreDeref(slot) => {
                let value = self.peek(0).clone();
                self.op_store_deref(slot, value)?;
                self.pop();
            }
            Instr::DeleteDeref(slot) => {
                self.op_load_deref(slot, program)?;
                self.pop();
                // The read above was this instruction's visible op: the write rides along.
                self.op_store_deref(slot, Value::Unbound)?;
            }
            Instr::LoadCell(slot) => {
                let cell = self.local(slot);
                self.push(cell);
            }
            Instr::ListAppend(n) => {
                let value = self.pop();
                if let Value::Obj(list) = *self.peek(n.index())
                    && let Object::List(items) = &mut self.heap[list.index()].object
                {
                    items.push(value);
                }
            }
            Instr::MapAdd(n) => {
                let value = self.pop();
                let key = self.pop();
                if let Value::Obj(dict) = *self.peek(n.index()) {
                    self.dict_set(dict, key, value)?;
                }
            }
            Instr::LoadSuper => self.op_load_super(program)?,
            Instr::WithEnter => self.op_with_enter()?,
            Instr::WithExit => self.op_with_exit()?,
            Instr::WithExitExc => self.op_with_exit_exc()?,
        }
        Ok(Flow::Next)
    }

    /// The current frame.
    fn frame_mut(&mut self) -> &mut Frame {
        self.threads[self.current]
            .frames
            .last_mut()
            .expect("a running thread has a frame")
    }

    /// The value in a local slot of the current frame.
    fn local(&self, slot: LocalSlot) -> Value {
        let th = &self.threads[self.current];
        let base = th.frames.last().expect("a frame").base as usize;
        th.stack[base + slot.index()].clone()
    }

    fn set_local(&mut self, slot: LocalSlot, value: Value) {
        let th = &mut self.threads[self.current];
        let base = th.frames.last().expect("a frame").base as usize;
        th.stack[base + slot.index()] = value;
    }

    fn op_load_const(&mut self, id: ConstId) {
        let value = self.tables.consts[id.index()].clone();
        self.push(value);
    }

    fn op_load_local(&mut self, slot: LocalSlot, program: &Program) -> Res {
        let th = &mut self.threads[self.current];
        let frame = th.frames.last().expect("a frame");
        let value = th.stack[frame.base as usize + slot.index()].clone();
        if let Value::Unbound = value {
            let code = program.code(frame.code);
            let name = code
                .local_names
                .get(slot.index())
                .map_or("?", String::as_str);
            return Err(self.unbound_local(name));
        }
        th.stack.push(value);
        Ok(())
    }

    fn op_store_local(&mut self, slot: LocalSlot) {
        let th = &mut self.threads[self.current];
        let value = th.stack.pop().expect("operand stack underflow");
        let base = th.frames.last().expect("a frame").base as usize;
        th.stack[base + slot.index()] = value;
    }

    fn op_make_cell(&mut self, slot: LocalSlot) {
        let value = self.local(slot);
        let code = self.frame_mut().code;
        let cell = self.alloc(Object::Cell(Cell {
            value,
            code,
            slot: slot.0,
        }));
        self.set_local(slot, Value::Obj(cell));
    }

    /// The cell in a local slot.
    fn cell_in(&self, slot: LocalSlot) -> ObjId {
        match self.local(slot) {
            Value::Obj(cell) if matches!(self.heap[cell.index()].object, Object::Cell(_)) => cell,
            _ => panic!("a deref of a slot without a cell (a compiler bug)"),
        }
    }

    fn op_load_deref(&mut self, slot: LocalSlot, program: &Program) -> Res {
        let cell = self.cell_in(slot);
        if self.is_shared(cell) {
            self.visible(Op::Read(Location::Cell(cell)))?;
        }
        let Object::Cell(Cell { value, .. }) = &self.heap[cell.index()].object else {
            unreachable!("cell_in checked the object");
        };
        if let Value::Unbound = value {
            let code = program.code(self.frame_mut().code);
            let name = code
                .local_names
                .get(slot.index())
                .map_or("?", String::as_str);
            let first_free = code.local_names.len() - code.free_vars as usize;
            return Err(if slot.index() >= first_free {
                self.error(
                    ExcKind::NameError,
                    format!(
                        "cannot access free variable '{name}' where it is not associated with a \
                         value in enclosing scope"
                    ),
                )
            } else {
                self.unbound_local(name)
            });
        }
        let value = value.clone();
        self.detail_value(&value);
        self.push(value);
        Ok(())
    }

    fn op_store_deref(&mut self, slot: LocalSlot, value: Value) -> Res {
        let cell = self.cell_in(slot);
        if self.is_shared(cell) {
            self.visible(Op::Write(Location::Cell(cell)))?;
            self.publish(&value);
        }
        self.detail_value(&value);
        if let Object::Cell(cell) = &mut self.heap[cell.index()].object {
            cell.value = value;
        }
        Ok(())
    }

    /// `UnboundLocalError` for a local variable read before assignment.
    fn unbound_local(&mut self, name: &str) -> Interrupt {
        self.error(
            ExcKind::UnboundLocalError,
            format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        )
    }

    fn op_load_global(&mut self, name: NameId) -> Res {
        self.visible(Op::Read(Location::Global(name)))?;
        let value = match &self.globals[name.index()] {
            Value::Unbound => match &self.tables.builtins[name.index()] {
                Some(value) => value.clone(),
                None => {
                    let text = self.name_text(name).to_owned();
                    return Err(
                        self.error(ExcKind::NameError, format!("name '{text}' is not defined"))
                    );
                }
            },
            value => value.clone(),
        };
        self.detail_value(&value);
        self.push(value);
        Ok(())
    }

    fn op_store_global(&mut self, name: NameId) -> Res {
        self.visible(Op::Write(Location::Global(name)))?;
        let value = self.pop();
        self.detail_value(&value);
        self.label(&value, Label::Global(name));
        self.publish(&value);
        self.globals[name.index()] = value;
        Ok(())
    }

    fn op_delete_global(&mut self, name: NameId) -> Res {
        self.visible(Op::Write(Location::Global(name)))?;
        if let Value::Unbound = self.globals[name.index()] {
            let text = self.name_text(name).to_owned();
            return Err(self.error(ExcKind::NameError, format!("name '{text}' is not defined")));
        }
        self.globals[name.index()] = Value::Unbound;
        Ok(())
    }

    fn op_load_builtin(&mut self, name: NameId) -> Res {
        match &self.tables.builtins[name.index()] {
            Some(value) => {
                let value = value.clone();
                self.push(value);
                Ok(())
            }
            None => {
                let text = self.name_text(name).to_owned();
                Err(self.error(ExcKind::NameError, format!("name '{text}' is not defined")))
            }
        }
    }

    /// Whether an attribute access on this value is a shared access.
    fn attr_location(&self, obj: &Value, name: NameId) -> Option<Location> {
        let Value::Obj(id) = obj else {
            return None;
        };
        let entry = &self.heap[id.index()];
        match entry.object {
            Object::Instance(_) | Object::Class(_) if entry.shared => {
                Some(Location::Attr(*id, name))
            }
            _ => None,
        }
    }

    /// Whether reading `obj.name` is a shared access, and of which location: the object's own
    /// attribute when the object is shared, else, when a private instance does not have it, the
    /// first shared class the lookup reaches.
    fn attr_read_location(&self, obj: &Value, name: NameId) -> Option<Location> {
        if !self.tables.stored[name.index()] {
            return None;
        }
        if let Some(location) = self.attr_location(obj, name) {
            return Some(location);
        }
        let Value::Obj(id) = obj else {
            return None;
        };
        match &self.heap[id.index()].object {
            Object::Instance(instance) if instance.attrs.get(name).is_none() => self
                .shared_class_on_path(instance.class, name)
                .map(|class| Location::Attr(class, name)),
            _ => None,
        }
    }

    fn op_load_attr(&mut self, name: NameId) -> Res {
        let obj = self.peek(0).clone();
        if let Some(location) = self.attr_read_location(&obj, name) {
            self.visible(Op::Read(location))?;
        }
        let value = self.get_attr(&obj, name)?;
        self.detail_value(&value);
        self.pop();
        self.push(value);
        Ok(())
    }

    fn op_store_attr(&mut self, name: NameId) -> Res {
        let obj = self.peek(0).clone();
        if let Some(location) = self.attr_location(&obj, name) {
            self.visible(Op::Write(location))?;
        }
        let value = self.peek(1).clone();
        self.detail_value(&value);
        self.set_attr(&obj, name, value)?;
        self.pop();
        self.pop();
        Ok(())
    }

    /// The whole-container location of a shared list or dict ([`Location::Items`]; `None` for
    /// other values and private containers). A dict view stands for its dict.
    pub(crate) fn container_location(&self, value: &Value) -> Option<Location> {
        self.shared_container(value).map(Location::Items)
    }

    /// The shared list or dict `value` is (or views), if any.
    fn shared_container(&self, value: &Value) -> Option<ObjId> {
        let Value::Obj(id) = value else {
            return None;
        };
        let entry = &self.heap[id.index()];
        match entry.object {
            Object::List(_) | Object::Dict(_) if entry.shared => Some(*id),
            // A view reads its dict.
            Object::DictView { dict, .. } => self.shared_container(&Value::Obj(dict)),
            _ => None,
        }
    }

    /// The location `container[key]` touches in the current state, if `container` is a shared
    /// list or dict: the item ([`Location::Item`]) for a list index in range (non-negative: a
    /// negative one depends on the length) and for a hashable dict key; else the whole
    /// container, since the outcome depends on its length (an `IndexError`). With `store`, a dict
    /// key not in the dict yet is the whole dict: storing it changes the dict's shape.
    pub(crate) fn item_location(
        &self,
        container: &Value,
        key: &Value,
        store: bool,
    ) -> Option<Location> {
        let id = self.shared_container(container)?;
        let whole = Some(Location::Items(id));
        if id != *container_id(container)? && !self.is_key_membership(container) {
            // A values or items view has no items of its own to name.
            return whole;
        }
        match &self.heap[id.index()].object {
            Object::List(items) => {
                let index = match *key {
                    Value::Int(index) => index,
                    Value::Bool(flag) => i64::from(flag),
                    _ => return whole,
                };
                if index >= 0 && (index as u64) < items.len() as u64 {
                    Some(Location::Item(id, ItemKey(index as u64)))
                } else {
                    whole
                }
            }
            Object::Dict(entries) => {
                let Some(hash) = self.key_hash(key) else {
                    return whole;
                };
                if store
                    && entries
                        .find(hash, |candidate| self.eq(candidate, key))
                        .is_none()
                {
                    return whole;
                }
                Some(Location::Item(id, ItemKey(hash)))
            }
            _ => whole,
        }
    }

    /// Whether `x in container` asks whether a dict has a key: `container` is a dict or its
    /// `keys()` view.
    fn is_key_membership(&self, container: &Value) -> bool {
        let Value::Obj(id) = container else {
            return false;
        };
        matches!(
            self.heap[id.index()].object,
            Object::Dict(_)
                | Object::DictView {
                    kind: ViewKind::Keys,
                    ..
                }
        )
    }

    /// Performs the visible read of a list or dict operand as a whole (nothing for other
    /// values).
    pub(crate) fn read_container(&mut self, value: &Value) -> Res {
        match self.container_location(value) {
            Some(location) => self.visible(Op::Read(location)),
            None => Ok(()),
        }
    }

    /// Performs the visible write of a list or dict operand as a whole (nothing for other
    /// values).
    pub(crate) fn write_container(&mut self, value: &Value) -> Res {
        match self.container_location(value) {
            Some(location) => self.visible(Op::Write(location)),
            None => Ok(()),
        }
    }

    /// Performs the visible read of `container[key]` (one item when it can, see
    /// [`Vm::item_location`]; nothing for other values).
    pub(crate) fn read_item(&mut self, container: &Value, key: &Value) -> Res {
        match self.item_location(container, key, false) {
            Some(location) => self.visible(Op::Read(location)),
            None => Ok(()),
        }
    }

    /// Performs the visible write of `container[key] = ...` (one item when it can, see
    /// [`Vm::item_location`]; nothing for other values). Adding a key to a dict writes the whole
    /// dict and, with it, that key's item ([`Vm::write_dict_key`]).
    pub(crate) fn write_item(&mut self, container: &Value, key: &Value) -> Res {
        match self.item_location(container, key, true) {
            Some(location @ Location::Item(..)) => self.visible(Op::Write(location)),
            Some(_) => self.write_dict_key(container, key),
            None => Ok(()),
        }
    }

    /// Performs the visible write of a whole shared dict that adds or removes `key` (nothing for
    /// other values), and records the write of that key's item with it: the item another
    /// thread's read-modify-write of the key may have lost.
    pub(crate) fn write_dict_key(&mut self, container: &Value, key: &Value) -> Res {
        self.write_container(container)?;
        if let Some(id) = self.shared_container(container)
            && matches!(self.heap[id.index()].object, Object::Dict(_))
            && let Some(hash) = self.key_hash(key)
        {
            self.touch(Access::Write(Location::Item(id, ItemKey(hash))));
        }
        Ok(())
    }

    fn op_load_subscr(&mut self) -> Res {
        let container = self.peek(1).clone();
        let key = self.peek(0).clone();
        self.read_item(&container, &key)?;
        let value = self.subscript(&container, &key)?;
        self.detail_value(&value);
        self.pop();
        self.pop();
        self.push(value);
        Ok(())
    }

    fn op_store_subscr(&mut self) -> Res {
        let key = self.peek(0).clone();
        let container = self.peek(1).clone();
        let value = self.peek(2).clone();
        self.write_item(&container, &key)?;
        self.detail_value(&value);
        self.store_subscript(&container, key, value)?;
        for _ in 0..3 {
            self.pop();
        }
        Ok(())
    }

    fn op_load_slice(&mut self) -> Res {
        let container = self.peek(3).clone();
        let mut bounds = [None; 3];
        for (index, bound) in bounds.iter_mut().enumerate() {
            *bound = match self.peek(2 - index) {
                Value::None => None,
                Value::Int(value) => Some(*value),
                Value::Bool(value) => Some(i64::from(*value)),
                _ => {
                    return Err(self.type_error(
                        "slice indices must be integers or None or have an __index__ method",
                    ));
                }
            };
        }
        let [lower, upper, step] = bounds;
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(self.value_error("slice step cannot be zero"));
        }
        self.read_container(&container)?;
        let pick = |len: usize| slice_positions(len, lower, upper, step);
        let result = match &container {
            Value::Tuple(items) => {
                Value::tuple(pick(items.len()).map(|i| items[i].clone()).collect())
            }
            Value::Str(text) => {
                let chars: Vec<char> = text.chars().collect();
                Value::Str(Arc::from(
                    pick(chars.len()).map(|i| chars[i]).collect::<String>(),
                ))
            }
            Value::Obj(id) if self.is_list(*id) => {
                let items = match &self.heap[id.index()].object {
                    Object::List(items) => pick(items.len()).map(|i| items[i].clone()).collect(),
                    _ => Vec::new(),
                };
                Value::Obj(self.alloc(Object::List(items)))
            }
            other => {
                let type_name = self.type_name(other);
                return Err(if matches!(other, Value::Range(_)) {
                    self.unsupported("slicing a range")
                } else {
                    self.type_error(format!("'{type_name}' object is not subscriptable"))
                });
            }
        };
        self.detail_value(&result);
        for _ in 0..4 {
            self.pop();
        }
        self.push(result);
        Ok(())
    }

    fn op_delete_attr(&mut self, name: NameId) -> Res {
        let obj = self.peek(0).clone();
        if let Some(location) = self.attr_location(&obj, name) {
            self.visible(Op::Write(location))?;
        }
        let removed = match &obj {
            Value::Obj(id) => match &mut self.heap[id.index()].object {
                Object::Instance(instance) => instance.attrs.remove(name),
                Object::Class(class) => class.attrs.remove(name),
                _ => false,
            },
            _ => false,
        };
        if !removed {
            return Err(self.attribute_error(&obj, name));
        }
        self.pop();
        Ok(())
    }

    fn op_delete_subscr(&mut self) -> Res {
        let container = self.peek(1).clone();
        let key = self.peek(0).clone();
        self.write_dict_key(&container, &key)?;
        match &container {
            Value::Obj(id) if self.is_list(*id) => {
                let len = match &self.heap[id.index()].object {
                    Object::List(items) => items.len(),
                    _ => 0,
                };
                let Some(index) = self.seq_index(&key, len, "list")? else {
                    return Err(
                        self.error(ExcKind::IndexError, "list assignment index out of range")
                    );
                };
                if let Object::List(items) = &mut self.heap[id.index()].object {
                    items.remove(index);
                }
            }
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Dict(_)) => {
                let Some(position) = self.dict_find(*id, &key)? else {
                    return Err(self.key_error(key));
                };
                if let Object::Dict(entries) = &mut self.heap[id.index()].object {
                    entries.remove_at(position);
                }
            }
            other => {
                let type_name = self.type_name(other);
                return Err(self.type_error(format!(
                    "'{type_name}' object doesn't support item deletion"
                )));
            }
        }
        self.pop();
        self.pop();
        Ok(())
    }

    fn op_binary(&mut self, op: BinOp, inplace: bool) -> Res {
        let a = self.peek(1).clone();
        let b = self.peek(0).clone();
        if inplace && matches!(op, BinOp::Add | BinOp::Mul) && self.container_location(&a).is_some()
        {
            self.write_container(&a)?;
        } else if self.container_location(&a).is_some() {
            self.read_container(&a)?;
        } else if let (BinOp::Mod, Value::Str(_)) = (op, &a) {
            // `format % args` reads the shared containers it formats.
            if let Some(location) = self.print_read_location(&b) {
                self.visible(Op::Read(location))?;
            }
        } else {
            self.read_container(&b)?;
        }
        let result = if inplace {
            self.inplace_op(op, &a, &b)?
        } else {
            self.binary_op(op, &a, &b)?
        };
        self.pop();
        self.pop();
        self.push(result);
        Ok(())
    }

    fn op_unary(&mut self, op: UnaryOp) -> Res {
        let a = self.peek(0).clone();
        if op == UnaryOp::Not {
            self.read_container(&a)?;
        }
        let result = self.unary_op(op, &a)?;
        self.pop();
        self.push(result);
        Ok(())
    }

    fn op_compare(&mut self, op: CmpOp) -> Res {
        let a = self.peek(1).clone();
        let b = self.peek(0).clone();
        match op {
            CmpOp::Is | CmpOp::IsNot => {}
            // `key in d` (or `in d.keys()`) reads one item: whether the key is there.
            CmpOp::In | CmpOp::NotIn if self.is_key_membership(&b) => self.read_item(&b, &a)?,
            CmpOp::In | CmpOp::NotIn => self.read_container(&b)?,
            _ => {
                if self.container_location(&a).is_some() {
                    self.read_container(&a)?;
                } else {
                    self.read_container(&b)?;
                }
            }
        }
        let result = self.compare_op(op, &a, &b)?;
        self.pop();
        self.pop();
        self.push(Value::Bool(result));
        Ok(())
    }

    fn op_pop_jump(&mut self, target: Pc, when: bool) -> Res {
        let cond = self.peek(0).clone();
        self.read_container(&cond)?;
        let truth = self.truthy(&cond)?;
        self.pop();
        if truth == when {
            self.jump(target);
        }
        Ok(())
    }

    fn op_jump_or_pop(&mut self, target: Pc, when: bool) -> Res {
        let cond = self.peek(0).clone();
        self.read_container(&cond)?;
        if self.truthy(&cond)? == when {
            self.jump(target);
        } else {
            self.pop();
        }
        Ok(())
    }

    fn op_get_iter(&mut self) -> Res {
        let iterable = self.peek(0).clone();
        // Not a scheduling point, but the iterator starts from the container's current size
        // (a dict iterator fails if it changes), so the step reads it.
        if let Some(location) = self.container_location(&iterable) {
            self.touch(Access::Read(location));
        }
        let iterator = self.make_iter(&iterable, true)?;
        self.pop();
        self.push(Value::Obj(iterator));
        Ok(())
    }

    fn op_for_iter(&mut self, target: Pc) -> Res {
        let Value::Obj(iterator) = *self.peek(0) else {
            panic!("ForIter without an iterator on the stack (a compiler bug)");
        };
        match self.iter_next(iterator)? {
            Some(value) => {
                self.detail_value(&value);
                self.push(value);
            }
            None => {
                self.pop();
                self.free_iter(iterator);
                self.jump(target);
            }
        }
        Ok(())
    }

    fn op_return(&mut self, stop_depth: usize) -> Res<Flow> {
        let value = self.pop();
        let th = &mut self.threads[self.current];
        let frame = th.frames.pop().expect("a frame to return from");
        th.stack.truncate(frame.ret as usize);
        let depth = th.frames.len();
        let value = match frame.kind {
            FrameKind::Init(instance) => {
                if !value.is_none() {
                    let type_name = self.type_name(&value);
                    return Err(self
                        .type_error(format!("__init__() should return None, not '{type_name}'")));
                }
                Value::Obj(instance)
            }
            _ => value,
        };
        if depth == stop_depth {
            return Ok(Flow::Exit(value));
        }
        match frame.kind {
            FrameKind::Normal | FrameKind::Init(_) => self.push(value),
            FrameKind::Discard => {}
            FrameKind::ExitExc(exc) => {
                if !self.truthy(&value)? {
                    return Err(Interrupt::Raise(exc));
                }
            }
        }
        Ok(Flow::Next)
    }

    fn op_build_tuple(&mut self, n: Count) {
        let stack = &mut self.threads[self.current].stack;
        let items: Vec<Value> = stack.drain(stack.len() - n.index()..).collect();
        stack.push(Value::tuple(items));
    }

    fn op_build_list(&mut self, n: Count) {
        let stack = &mut self.threads[self.current].stack;
        let items: Vec<Value> = stack.drain(stack.len() - n.index()..).collect();
        let list = self.alloc(Object::List(items));
        self.push(Value::Obj(list));
    }

    fn op_build_dict(&mut self, n: Count) -> Res {
        let stack = &mut self.threads[self.current].stack;
        let items: Vec<Value> = stack.drain(stack.len() - 2 * n.index()..).collect();
        let dict = self.alloc(Object::Dict(Default::default()));
        let mut items = items.into_iter();
        while let (Some(key), Some(value)) = (items.next(), items.next()) {
            self.dict_set(dict, key, value)?;
        }
        self.push(Value::Obj(dict));
        Ok(())
    }

    fn op_build_string(&mut self, n: Count) {
        let stack = &mut self.threads[self.current].stack;
        let mut text = String::new();
        for value in stack.drain(stack.len() - n.index()..) {
            if let Value::Str(piece) = value {
                text.push_str(&piece);
            }
        }
        stack.push(Value::Str(Arc::from(text)));
    }

    fn op_format_value(&mut self, conversion: Conversion, has_spec: bool) -> Res {
        let spec = if has_spec {
            match self.peek(0) {
                Value::Str(spec) => Some(spec.clone()),
                _ => None,
            }
        } else {
            None
        };
        let value = self.peek(usize::from(has_spec)).clone();
        self.read_container(&value)?;
        let value = match conversion {
            Conversion::None => value,
            Conversion::Str => Value::Str(Arc::from(self.str_of(&value)?)),
            Conversion::Repr => Value::Str(Arc::from(self.repr_of(&value)?)),
            Conversion::Ascii => {
                let repr = self.repr_of(&value)?;
                Value::Str(Arc::from(crate::format::ascii_escape(&repr)))
            }
        };
        let text = self.format_value(&value, spec.as_deref().unwrap_or(""))?;
        if has_spec {
            self.pop();
        }
        self.pop();
        self.push(Value::Str(Arc::from(text)));
        Ok(())
    }

    /// Unpacks exactly `before` items, or with `after: Some(n)`, `before` items, a list of the
    /// ones in between and `n` more.
    fn op_unpack(&mut self, before: usize, after: Option<usize>) -> Res {
        let seq = self.peek(0).clone();
        self.read_container(&seq)?;
        let items = match &seq {
            Value::Tuple(items) => items.to_vec(),
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::List(_)) => {
                match &self.heap[id.index()].object {
                    Object::List(items) => items.clone(),
                    _ => unreachable!(),
                }
            }
            _ => {
                if !self.is_iterable(&seq) {
                    let type_name = self.type_name(&seq);
                    return Err(
                        self.type_error(format!("cannot unpack non-iterable {type_name} object"))
                    );
                }
                self.collect(&seq)?
            }
        };
        let expected = before + after.unwrap_or(0);
        if items.len() < expected {
            let at_least = if after.is_some() { "at least " } else { "" };
            return Err(self.value_error(format!(
                "not enough values to unpack (expected {at_least}{expected}, got {})",
                items.len()
            )));
        }
        if items.len() > expected && after.is_none() {
            return Err(
                self.value_error(format!("too many values to unpack (expected {expected})"))
            );
        }
        self.pop();
        let mut items = items;
        if let Some(after) = after {
            let tail = items.split_off(items.len() - after);
            let middle = items.split_off(before);
            let list = self.alloc(Object::List(middle));
            items.push(Value::Obj(list));
            items.extend(tail);
        }
        for item in items.into_iter().rev() {
            self.push(item);
        }
        Ok(())
    }

    fn op_call(&mut self, n_args: Count, kw_names: Option<ConstId>) -> Res {
        let callee_pos = self.threads[self.current].stack.len() - n_args.index() - 1;
        let kw = match kw_names {
            Some(id) => match &self.tables.consts[id.index()] {
                Value::Tuple(names) => names.clone(),
                _ => Tuple::new(Vec::new()),
            },
            None => self.tables.empty_tuple.clone(),
        };
        self.call_at(callee_pos, &kw, FrameKind::Normal)
    }

    fn op_call_unpacked(&mut self) -> Res {
        let kwargs = self.pop();
        let args = self.pop();
        let callee_pos = self.threads[self.current].stack.len() - 1;
        let positional = match &args {
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::List(items) => items.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let entries: Vec<(Value, Value)> = match &kwargs {
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::Dict(dict) => dict
                    .entries()
                    .iter()
                    .map(|entry| (entry.key.clone(), entry.value.clone()))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (key, value) in entries {
            if !matches!(key, Value::Str(_)) {
                self.push(args);
                self.push(kwargs);
                return Err(self.type_error("keywords must be strings"));
            }
            names.push(key);
            values.push(value);
        }
        let stack = &mut self.threads[self.current].stack;
        stack.extend(positional);
        stack.extend(values);
        let result = self.call_at(callee_pos, &Tuple::new(names), FrameKind::Normal);
        if let Err(Interrupt::Stop(_)) = &result {
            // The instruction runs again from the start when the thread resumes.
            let stack = &mut self.threads[self.current].stack;
            stack.truncate(callee_pos + 1);
            stack.push(args);
            stack.push(kwargs);
        }
        result
    }

    fn op_make_function(&mut self, code: CodeId, n_defaults: Count, program: &Program) -> Res {
        let closure = if program.code(code).free_vars > 0 {
            match self.pop() {
                Value::Tuple(cells) => cells,
                _ => panic!("a closure is a tuple of cells (a compiler bug)"),
            }
        } else {
            self.tables.empty_tuple.clone()
        };
        let kwonly = &program.code(code).kwonly_params;
        let kw_defaults = if kwonly.is_empty() {
            self.tables.empty_tuple.clone()
        } else {
            let Value::Obj(dict) = self.pop() else {
                panic!("keyword-only defaults are a dict (a compiler bug)");
            };
            let mut values = Vec::new();
            for name in kwonly {
                let position = self.dict_find(dict, &Value::str(name))?;
                values.push(position.map_or(Value::Unbound, |at| self.dict_value_at(dict, at)));
            }
            Tuple::new(values)
        };
        let stack = &mut self.threads[self.current].stack;
        let defaults: Vec<Value> = stack.drain(stack.len() - n_defaults.index()..).collect();
        // A function defined inside a method can use zero-argument `super()` too.
        let class = self.frame_mut().class;
        let function = self.alloc(Object::Function(Function {
            code,
            defaults: Tuple::new(defaults),
            kw_defaults,
            closure,
            class,
        }));
        self.push(Value::Obj(function));
        Ok(())
    }

    fn op_make_class(&mut self, name: NameId, members: ConstId, has_base: bool) -> Res {
        let member_names: Vec<NameId> = match &self.tables.consts[members.index()] {
            Value::Tuple(names) => names
                .iter()
                .map(|name| match name {
                    Value::Str(text) => self.tables.name_index[text],
                    _ => panic!("class member names are strings"),
                })
                .collect(),
            _ => Vec::new(),
        };
        let stack = &mut self.threads[self.current].stack;
        let values: Vec<Value> = stack.drain(stack.len() - member_names.len()..).collect();
        let base = if has_base {
            let base = self.pop();
            match base {
                Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Class(_)) => id,
                Value::Builtin(builtin) if builtin.is_type() => {
                    return Err(self.unsupported(&format!(
                        "subclassing the builtin type '{}'",
                        builtin.name()
                    )));
                }
                other => {
                    let type_name = self.type_name(&other);
                    return Err(self.type_error(format!("bases must be types, not '{type_name}'")));
                }
            }
        } else {
            OBJECT_CLASS
        };
        let native = match &self.heap[base.index()].object {
            Object::Class(class) => class.native,
            _ => NativeKind::Object,
        };
        let mut attrs = Attrs::default();
        let mut methods = Vec::new();
        for (member, value) in member_names.into_iter().zip(values) {
            if let Value::Obj(id) = value
                && matches!(self.heap[id.index()].object, Object::Function(_))
            {
                methods.push(id);
            }
            attrs.set(member, value);
        }
        let class = self.alloc(Object::Class(Class {
            name: self.tables.names[name.index()].clone(),
            module: "__main__",
            base: Some(base),
            attrs,
            native,
        }));
        for method in methods {
            if let Object::Function(function) = &mut self.heap[method.index()].object {
                function.class = Some(class);
            }
        }
        self.push(Value::Obj(class));
        Ok(())
    }

    fn op_import(&mut self, name: NameId) -> Res {
        let text = self.tables.names[name.index()].clone();
        let module = self.import_module(&text)?;
        self.push(module);
        Ok(())
    }

    /// The library module with this dotted name (`threading`, `concurrent.futures`).
    pub(crate) fn import_module(&mut self, name: &str) -> Res<Value> {
        let module = match name {
            "threading" => Builtin::ModThreading,
            "time" => Builtin::ModTime,
            "queue" => Builtin::ModQueue,
            "logging" => Builtin::ModLogging,
            "random" => Builtin::ModRandom,
            "sys" => Builtin::ModSys,
            "concurrent" => Builtin::ModConcurrent,
            "concurrent.futures" => Builtin::ModFutures,
            other => return Err(self.unsupported(&format!("the module '{other}'"))),
        };
        Ok(Value::Builtin(module))
    }

    fn op_raise_current(&mut self) -> Interrupt {
        match self.frame_mut().handled {
            Some(exc) => Interrupt::Raise(exc),
            None => self.error(ExcKind::RuntimeError, "No active exception to reraise"),
        }
    }

    fn op_raise_from(&mut self) -> Res {
        let cause = self.peek(0).clone();
        let cause = match cause {
            Value::None => None,
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Class(_)) => {
                if !self.is_subclass(id, exc_class(ExcKind::BaseException)) {
                    return Err(self.type_error("exception causes must derive from BaseException"));
                }
                match self.call_sync(Value::Obj(id), Vec::new())? {
                    Value::Obj(instance) => Some(instance),
                    _ => None,
                }
            }
            Value::Obj(id) if self.exception_data(id).is_some() => Some(id),
            _ => return Err(self.type_error("exception causes must derive from BaseException")),
        };
        self.pop();
        self.op_raise().map_err(|interrupt| {
            if let Interrupt::Raise(exc) = interrupt
                && let Some(data) = self.exception_data_mut(exc)
            {
                data.cause = cause;
                data.suppress_context = true;
            }
            interrupt
        })
    }

    fn op_push_exc_info(&mut self) {
        let exc = self.pop();
        let frame = self.frame_mut();
        let previous = frame.handled.map_or(Value::None, Value::Obj);
        if let Value::Obj(id) = exc {
            frame.handled = Some(id);
        }
        self.push(previous);
        self.push(exc);
    }

    fn op_check_exc_match(&mut self) -> Res {
        let classes = self.pop();
        let candidates: Vec<Value> = match &classes {
            Value::Tuple(items) => items.to_vec(),
            other => vec![other.clone()],
        };
        let base = exc_class(ExcKind::BaseException);
        let mut ids = Vec::new();
        for candidate in &candidates {
            match candidate {
                Value::Obj(id)
                    if matches!(self.heap[id.index()].object, Object::Class(_))
                        && self.is_subclass(*id, base) =>
                {
                    ids.push(*id);
                }
                _ => {
                    return Err(self.type_error(
                        "catching classes that do not inherit from BaseException is not allowed",
                    ));
                }
            }
        }
        let class = match self.peek(0) {
            Value::Obj(exc) => self.class_of(*exc),
            _ => None,
        };
        let matches = class.is_some_and(|class| ids.iter().any(|id| self.is_subclass(class, *id)));
        self.push(Value::Bool(matches));
        Ok(())
    }

    fn op_load_super(&mut self, program: &Program) -> Res {
        let frame = *self.frame_mut();
        let code = program.code(frame.code);
        if code.params.is_empty() {
            return Err(self.error(ExcKind::RuntimeError, "super(): no arguments"));
        }
        let mut receiver = self.local(LocalSlot(0));
        if let Value::Obj(id) = receiver
            && let Object::Cell(cell) = &self.heap[id.index()].object
        {
            receiver = cell.value.clone();
        }
        if let Value::Unbound = receiver {
            return Err(self.error(ExcKind::RuntimeError, "super(): arg[0] deleted"));
        }
        let Some(class) = frame.class else {
            return Err(self.error(ExcKind::RuntimeError, "super(): __class__ cell not found"));
        };
        let value = self.make_super(class, &receiver)?;
        self.push(value);
        Ok(())
    }

    fn op_raise(&mut self) -> Res {
        let exc = self.peek(0).clone();
        let exc = match exc {
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Class(_)) => {
                if !self.is_subclass(id, exc_class(ExcKind::BaseException)) {
                    return Err(self.type_error("exceptions must derive from BaseException"));
                }
                self.call_sync(Value::Obj(id), Vec::new())?
            }
            other => other,
        };
        self.pop();
        Err(self.raise_value(exc))
    }

    /// The interrupt raising `value`, or a `TypeError` if it is not an exception instance.
    fn raise_value(&mut self, value: Value) -> Interrupt {
        if let Value::Obj(id) = value
            && self.exception_data(id).is_some()
        {
            return Interrupt::Raise(id);
        }
        self.type_error("exceptions must derive from BaseException")
    }

    fn op_with_enter(&mut self) -> Res {
        let manager = self.peek(0).clone();
        if let Some((obj, method)) = self.native_manager_method(&manager, "__enter__") {
            let result = self.call_method(method, obj, &Args::default())?;
            self.push(result);
            return Ok(());
        }
        let enter = self.tables.sym.enter;
        match self.user_method(&manager, enter) {
            Some(func) => {
                let Value::Obj(receiver) = manager else {
                    unreachable!("user methods are found on instances");
                };
                let callee_pos = self.threads[self.current].stack.len();
                self.push(Value::Method { func, receiver });
                let empty = self.tables.empty_tuple.clone();
                self.call_at(callee_pos, &empty, FrameKind::Normal)
            }
            None => {
                let type_name = self.type_name(&manager);
                Err(self.type_error(format!(
                    "'{type_name}' object does not support the context manager protocol"
                )))
            }
        }
    }

    fn op_with_exit(&mut self) -> Res {
        let manager = self.peek(0).clone();
        if let Some((obj, method)) = self.native_manager_method(&manager, "__exit__") {
            self.call_method(method, obj, &Args::default())?;
            self.pop();
            return Ok(());
        }
        let exit = self.tables.sym.exit;
        let func = self.user_method(&manager, exit);
        let (Some(func), Value::Obj(receiver)) = (func, manager) else {
            return Err(self.type_error("the context manager has no __exit__"));
        };
        self.pop();
        let callee_pos = self.threads[self.current].stack.len();
        self.push(Value::Method { func, receiver });
        for _ in 0..3 {
            self.push(Value::None);
        }
        let empty = self.tables.empty_tuple.clone();
        self.call_at(callee_pos, &empty, FrameKind::Discard)
    }

    fn op_with_exit_exc(&mut self) -> Res {
        let manager = self.peek(1).clone();
        let exc = self.peek(0).clone();
        let Value::Obj(exc_id) = exc else {
            panic!("WithExitExc without an exception (a compiler bug)");
        };
        if let Some((obj, method)) = self.native_manager_method(&manager, "__exit__") {
            // The library's managers (locks included) never suppress an exception.
            self.call_method(method, obj, &Args::default())?;
            self.pop();
            self.pop();
            return Err(Interrupt::Raise(exc_id));
        }
        let exit = self.tables.sym.exit;
        let func = self.user_method(&manager, exit);
        let (Some(func), Value::Obj(receiver)) = (func, manager) else {
            return Err(self.type_error("the context manager has no __exit__"));
        };
        self.pop();
        self.pop();
        let class = self.class_of(exc_id).map_or(Value::None, Value::Obj);
        let callee_pos = self.threads[self.current].stack.len();
        self.push(Value::Method { func, receiver });
        self.push(class);
        self.push(Value::Obj(exc_id));
        // weft has no traceback objects; `__exit__` gets a stand-in that is at least not None.
        self.push(Value::str("<traceback>"));
        let empty = self.tables.empty_tuple.clone();
        self.call_at(callee_pos, &empty, FrameKind::ExitExc(exc_id))
    }

    /// The native `__enter__`/`__exit__` of a lock or library object used in `with` (a
    /// subclass's own method, if it defines one, is a user method and takes precedence).
    fn native_manager_method(&self, manager: &Value, name: &str) -> Option<(ObjId, Method)> {
        let Value::Obj(obj) = manager else {
            return None;
        };
        let enter = name == "__enter__";
        if let Object::Lock(_) = self.heap[obj.index()].object {
            let method = if enter {
                Method::LockEnter
            } else {
                Method::LockExit
            };
            return Some((*obj, method));
        }
        let dunder = if enter {
            self.tables.sym.enter
        } else {
            self.tables.sym.exit
        };
        if self.user_method(manager, dunder).is_some() {
            return None;
        }
        let class = self.sync_class_of(*obj)?;
        Vm::sync_method(class, name).map(|method| (*obj, method))
    }

    /// Recycles a loop iterator that only the operand stack referenced.
    fn free_iter(&mut self, iterator: ObjId) {
        let entry = &mut self.heap[iterator.index()];
        if let Object::Iter(_, true) = entry.object
            && !entry.shared
        {
            entry.object = Object::Free;
            self.free_slots.push(iterator);
        }
    }

    /// Allocates an iterator.
    pub(crate) fn alloc_iter(&mut self, iter: Iter, temporary: bool) -> ObjId {
        self.alloc(Object::Iter(iter, temporary))
    }
}
