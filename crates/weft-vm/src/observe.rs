//! Observers: evaluating the program's observer expressions (`weft explore --observe EXPR`)
//! against the state a run ended in, on a scratch copy of the VM.

use weft_bytecode::CodeId;

use crate::heap::{Function, Object};
use crate::interp::Interrupt;
use crate::value::Value;
use crate::vm::Vm;
use crate::{BlockReason, Op, ThreadId};

impl Vm {
    /// The value of each of the program's observers ([`Program::observers`](crate::Program)),
    /// in order, evaluated against the current state: the Python `repr` of the value
    /// (`100`, `'done'`, `[1, 2]`), or a text in angle brackets when there is none:
    ///
    /// - `<raises NameError: name 'x' is not defined>` when evaluation raises (also when the
    ///   value's `__repr__` does);
    /// - `<blocks: acquire Lock lock, held by Thread-1 (worker)>` when it would wait for another
    ///   thread (an `acquire` of a held lock, a `join` of an unfinished thread);
    /// - `<does not finish within N instructions>` past [`VmConfig::max_local_instructions`](crate::VmConfig).
    ///
    /// Call it on a finished run (any state works). Evaluation runs as the main thread, with no
    /// scheduling: every shared access is allowed at once, nothing is a step. The observers run
    /// one after the other on one scratch copy of the VM, so one that changes state (`items.pop()`)
    /// is seen by the next, as if the program ended with `print(repr(e1)); print(repr(e2))`; the VM
    /// itself does not change. Deterministic; without observers it returns at once.
    pub fn observe(&self) -> Vec<String> {
        if self.program.observers.is_empty() {
            return Vec::new();
        }
        let mut scratch = self.clone();
        scratch.observing = true;
        let codes: Vec<CodeId> = self
            .program
            .observers
            .iter()
            .map(|observer| observer.code)
            .collect();
        codes
            .into_iter()
            .map(|code| scratch.evaluate_observer(code))
            .collect()
    }

    /// Evaluates one observer's code as the main thread, atomically, and describes its value.
    fn evaluate_observer(&mut self, code: CodeId) -> String {
        self.current = 0;
        self.budget = 0;
        self.observer_blocked = None;
        // Native work (the `repr` of a shared list) is allowed like the code's own accesses.
        self.atomic_depth += 1;
        let defaults = self.tables.empty_tuple.clone();
        let function = self.alloc(Object::Function(Function {
            code,
            defaults: defaults.clone(),
            kw_defaults: defaults.clone(),
            closure: defaults,
            class: None,
        }));
        let result = self
            .call_sync(Value::Obj(function), Vec::new())
            .and_then(|value| self.repr_of(&value));
        self.atomic_depth -= 1;
        if let Some(op) = self.observer_blocked.take() {
            return format!("<blocks: {}>", self.describe_blocking(&op));
        }
        match result {
            Ok(text) => text,
            Err(Interrupt::Raise(exc)) => format!("<raises {}>", self.exception_summary(exc)),
            Err(Interrupt::Abort(_)) => format!(
                "<does not finish within {} instructions>",
                self.config.max_local_instructions
            ),
            Err(Interrupt::Stop(op)) => {
                unreachable!("an observer stopped before {op:?}: atomic code never stops")
            }
        }
    }

    /// An op an observer would wait on, and whom it waits for.
    fn describe_blocking(&self, op: &Op) -> String {
        let what = self.describe_op(op);
        match self.block_reason(self.current, op) {
            BlockReason::Lock {
                owner: Some(ThreadId(0)),
                ..
            } => format!("{what}, held by the main thread"),
            BlockReason::Lock {
                owner: Some(owner), ..
            } => format!("{what}, held by {}", self.thread_name(owner)),
            _ => what,
        }
    }
}
