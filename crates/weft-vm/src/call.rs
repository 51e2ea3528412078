//! Calls: binding arguments to parameters, pushing frames, instantiating classes, dispatching
//! to native functions, and synchronous calls from native code back into Python code.

use std::sync::Arc;

use crate::ObjId;
use crate::exceptions::ExcKind;
use crate::heap::{
    Attrs, ExceptionData, Function, Instance, NativeKind, Object, Payload, ThreadObject, ThreadRole,
};
use crate::interp::{Interrupt, Res};
use crate::library::SyncState;
use crate::value::{Tuple, Value};
use crate::vm::{Frame, FrameKind, MAX_FRAMES, Vm};

/// How deep native code may call back into Python code (each level uses the Rust stack).
const MAX_SYNC_DEPTH: u32 = 40;

/// The arguments of a native call.
#[derive(Clone, Debug, Default)]
pub(crate) struct Args {
    pub(crate) pos: Vec<Value>,
    pub(crate) kw: Vec<(Arc<str>, Value)>,
}

impl Args {
    /// The keyword argument with this name.
    pub(crate) fn kw(&self, name: &str) -> Option<&Value> {
        self.kw
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| value)
    }

    /// Positional argument `index`, or else the keyword argument `name`.
    pub(crate) fn get(&self, index: usize, name: &str) -> Option<&Value> {
        self.pos.get(index).or_else(|| self.kw(name))
    }
}

impl Vm {
    /// Calls `stack[callee_pos]` with the values above it as arguments, the last
    /// `kw_names.len()` of them by keyword. A Python callee gets a frame (whose return value
    /// `kind` disposes of); a native one runs now and leaves its result in place of the callee.
    pub(crate) fn call_at(&mut self, callee_pos: usize, kw_names: &Tuple, kind: FrameKind) -> Res {
        let stack_len = self.threads[self.current].stack.len();
        let n_args = stack_len - callee_pos - 1;
        let callee = self.threads[self.current].stack[callee_pos].clone();
        match callee {
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::Function(_) => {
                    self.push_frame(id, callee_pos + 1, n_args, kw_names, callee_pos, kind)
                }
                Object::Class(_) => self.instantiate(id, callee_pos, kw_names, kind),
                _ => {
                    let type_name = self.type_name(&callee);
                    Err(self.type_error(format!("'{type_name}' object is not callable")))
                }
            },
            Value::Method { func, receiver } => {
                self.threads[self.current].stack[callee_pos] = Value::Obj(receiver);
                self.push_frame(func, callee_pos, n_args + 1, kw_names, callee_pos, kind)
            }
            Value::BoundBuiltin(builtin, receiver) => {
                let stack = &mut self.threads[self.current].stack;
                stack[callee_pos] = Value::Builtin(builtin);
                stack.insert(callee_pos + 1, Value::Obj(receiver));
                self.call_at(callee_pos, kw_names, kind)
            }
            Value::Builtin(_) | Value::Native(..) | Value::StrMethod(..) => {
                let args = self.collect_args(callee_pos + 1, kw_names);
                let result = self.call_native(&callee, &args);
                self.arg_pool.push(args);
                let value = result?;
                self.threads[self.current].stack.truncate(callee_pos);
                self.dispose(value, kind)
            }
            _ => {
                let type_name = self.type_name(&callee);
                Err(self.type_error(format!("'{type_name}' object is not callable")))
            }
        }
    }

    /// Handles a call result the way a returning frame of this kind would.
    fn dispose(&mut self, value: Value, kind: FrameKind) -> Res {
        match kind {
            FrameKind::Normal => self.push(value),
            FrameKind::Init(instance) => self.push(Value::Obj(instance)),
            FrameKind::Discard => {}
            FrameKind::ExitExc(exc) => {
                if !self.truthy(&value)? {
                    return Err(Interrupt::Raise(exc));
                }
            }
        }
        Ok(())
    }

    /// Copies the call arguments above `start` into a pooled buffer.
    fn collect_args(&mut self, start: usize, kw_names: &Tuple) -> Args {
        let mut args = self.arg_pool.pop().unwrap_or_default();
        args.pos.clear();
        args.kw.clear();
        let stack = &self.threads[self.current].stack;
        let n_kw = kw_names.len();
        let kw_start = stack.len() - n_kw;
        args.pos.extend_from_slice(&stack[start..kw_start]);
        for (name, value) in kw_names.iter().zip(&stack[kw_start..]) {
            if let Value::Str(name) = name {
                args.kw.push((name.clone(), value.clone()));
            }
        }
        args
    }

    /// Pushes a frame for a user function whose arguments start at `args_start`.
    fn push_frame(
        &mut self,
        func: ObjId,
        args_start: usize,
        n_args: usize,
        kw_names: &Tuple,
        ret: usize,
        kind: FrameKind,
    ) -> Res {
        if self.threads[self.current].frames.len() >= MAX_FRAMES {
            return Err(self.error(ExcKind::RecursionError, "maximum recursion depth exceeded"));
        }
        let Object::Function(function) = &self.heap[func.index()].object else {
            panic!("push_frame of a non-function");
        };
        let code_id = function.code;
        let closure = function.closure.clone();
        let class = function.class;
        let program = self.program.clone();
        let code = program.code(code_id);
        let n_locals = code.local_names.len();
        let n_params = code.params.len();
        let n_kw = kw_names.len();
        let n_pos = n_args - n_kw;
        let simple =
            code.varargs.is_none() && code.varkw.is_none() && code.kwonly_params.is_empty();
        if n_kw == 0 && n_pos == n_params && simple {
            let stack = &mut self.threads[self.current].stack;
            stack.resize(args_start + n_locals, Value::Unbound);
        } else {
            let function = function.clone();
            let locals = self.bind_args(code, &function, args_start, n_pos, kw_names)?;
            let stack = &mut self.threads[self.current].stack;
            stack.truncate(args_start);
            stack.extend(locals);
        }
        let th = &mut self.threads[self.current];
        let first_free = args_start + n_locals - closure.len();
        th.stack[first_free..args_start + n_locals].clone_from_slice(&closure);
        let handled = th.frames.last().and_then(|frame| frame.handled);
        th.frames.push(Frame {
            code: code_id,
            pc: 0,
            base: args_start as u32,
            stack_start: (args_start + n_locals) as u32,
            ret: ret as u32,
            kind,
            handled,
            class,
        });
        Ok(())
    }

    /// Binds positional and keyword arguments, defaults, `*args` and `**kwargs` to local
    /// slots, raising CPython's `TypeError`s.
    fn bind_args(
        &mut self,
        code: &weft_bytecode::Code,
        function: &Function,
        args_start: usize,
        n_pos: usize,
        kw_names: &Tuple,
    ) -> Res<Vec<Value>> {
        let n_params = code.params.len();
        let n_kwonly = code.kwonly_params.len();
        let varargs_slot = n_params + n_kwonly;
        let varkw_slot = varargs_slot + usize::from(code.varargs.is_some());
        let defaults = &function.defaults;
        let mut locals = vec![Value::Unbound; code.local_names.len().max(varkw_slot + 1)];
        let stack = &self.threads[self.current].stack;
        let args = &stack[args_start..];
        let qualname = &code.qualname;
        if n_pos > n_params && code.varargs.is_none() {
            let min = n_params - defaults.len().min(n_params);
            let takes = if min == n_params {
                format!(
                    "{n_params} positional argument{}",
                    if n_params == 1 { "" } else { "s" }
                )
            } else {
                format!("from {min} to {n_params} positional arguments")
            };
            let n_kwonly_given = kw_names
                .iter()
                .filter(|name| matches!(name, Value::Str(name) if code.kwonly_params.iter().any(|param| param == &**name)))
                .count();
            let given = if n_kwonly_given > 0 {
                format!(
                    "{n_pos} positional argument{} (and {n_kwonly_given} keyword-only argument{}) were",
                    if n_pos == 1 { "" } else { "s" },
                    if n_kwonly_given == 1 { "" } else { "s" }
                )
            } else if n_pos == 1 {
                format!("{n_pos} was")
            } else {
                format!("{n_pos} were")
            };
            return Err(self.type_error(format!("{qualname}() takes {takes} but {given} given")));
        }
        for (slot, value) in locals.iter_mut().zip(&args[..n_pos.min(n_params)]) {
            *slot = value.clone();
        }
        if code.varargs.is_some() {
            let extra: Vec<Value> = args[n_pos.min(n_params)..n_pos].to_vec();
            locals[varargs_slot] = Value::tuple(extra);
        }
        let mut extra_kw: Vec<(Value, Value)> = Vec::new();
        for (name, value) in kw_names.iter().zip(&args[n_pos..]) {
            let Value::Str(text) = name else { continue };
            let index = code
                .params
                .iter()
                .chain(&code.kwonly_params)
                .position(|param| param == &**text);
            let Some(index) = index else {
                if code.varkw.is_some() {
                    extra_kw.push((name.clone(), value.clone()));
                    continue;
                }
                return Err(self.type_error(format!(
                    "{qualname}() got an unexpected keyword argument '{text}'"
                )));
            };
            if !matches!(locals[index], Value::Unbound) {
                return Err(self.type_error(format!(
                    "{qualname}() got multiple values for argument '{text}'"
                )));
            }
            locals[index] = value.clone();
        }
        let first_default = n_params - defaults.len().min(n_params);
        let mut missing = Vec::new();
        for index in 0..n_params {
            if matches!(locals[index], Value::Unbound) {
                if index >= first_default {
                    locals[index] = defaults[index - first_default].clone();
                } else {
                    missing.push(format!("'{}'", code.params[index]));
                }
            }
        }
        self.check_missing(qualname, "positional", &missing)?;
        for (index, name) in code.kwonly_params.iter().enumerate() {
            let slot = &mut locals[n_params + index];
            if matches!(slot, Value::Unbound) {
                match function.kw_defaults.get(index) {
                    Some(Value::Unbound) | None => missing.push(format!("'{name}'")),
                    Some(default) => *slot = default.clone(),
                }
            }
        }
        self.check_missing(qualname, "keyword-only", &missing)?;
        if code.varkw.is_some() {
            let dict = self.alloc(Object::Dict(Default::default()));
            for (key, value) in extra_kw {
                self.dict_set(dict, key, value)?;
            }
            locals[varkw_slot] = Value::Obj(dict);
        }
        locals.truncate(code.local_names.len());
        Ok(locals)
    }

    /// The `TypeError` for missing required arguments of a kind (`positional`,
    /// `keyword-only`), if any are missing.
    fn check_missing(&mut self, qualname: &str, kind: &str, missing: &[String]) -> Res {
        let n = missing.len();
        let names = match missing {
            [] => return Ok(()),
            [one] => one.clone(),
            [first, second] => format!("{first} and {second}"),
            [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        };
        Err(self.type_error(format!(
            "{qualname}() missing {n} required {kind} argument{}: {names}",
            if n == 1 { "" } else { "s" }
        )))
    }

    /// Creates an instance of `class` and runs its `__init__`.
    fn instantiate(
        &mut self,
        class: ObjId,
        callee_pos: usize,
        kw_names: &Tuple,
        kind: FrameKind,
    ) -> Res {
        let native = match &self.heap[class.index()].object {
            Object::Class(class) => class.native,
            _ => NativeKind::Object,
        };
        let stack = &self.threads[self.current].stack;
        let n_kw = kw_names.len();
        let positional: Vec<Value> = stack[callee_pos + 1..stack.len() - n_kw].to_vec();
        let payload = match native {
            NativeKind::Object => Payload::None,
            NativeKind::Exception => {
                Payload::Exception(Box::new(ExceptionData::new(Tuple::new(positional))))
            }
            NativeKind::Thread | NativeKind::Timer => Payload::Thread(Box::new(ThreadObject {
                name: Arc::from(""),
                target: Value::None,
                args: Value::tuple(Vec::new()),
                kwargs: Value::None,
                daemon: false,
                initialized: false,
                thread: None,
                role: if native == NativeKind::Timer {
                    ThreadRole::Timer {
                        cancelled: false,
                        interval_ns: 0,
                    }
                } else {
                    ThreadRole::Plain
                },
            })),
            NativeKind::Sync(_) => Payload::Sync(Box::new(SyncState::Uninit)),
        };
        let instance = self.alloc(Object::Instance(Instance {
            class,
            attrs: Attrs::default(),
            payload,
        }));
        let init = self.tables.sym.init;
        if let Some(func) = self.user_class_function(class, init) {
            self.threads[self.current].stack[callee_pos] = Value::Obj(instance);
            let n_args = self.threads[self.current].stack.len() - callee_pos;
            let kind = match kind {
                FrameKind::Normal => FrameKind::Init(instance),
                other => other,
            };
            return self.push_frame(func, callee_pos, n_args, kw_names, callee_pos, kind);
        }
        match native {
            NativeKind::Object => {
                let n_args = self.threads[self.current].stack.len() - callee_pos - 1;
                if n_args > 0 {
                    let name = self.class_name(class);
                    return Err(self.type_error(format!("{name}() takes no arguments")));
                }
            }
            NativeKind::Exception => {
                if n_kw > 0 {
                    let name = self.class_name(class);
                    return Err(self.type_error(format!("{name}() takes no keyword arguments")));
                }
            }
            NativeKind::Thread | NativeKind::Timer | NativeKind::Sync(_) => {
                let args = self.collect_args(callee_pos + 1, kw_names);
                let result = match native {
                    NativeKind::Timer => self.timer_init(instance, &args, 0),
                    NativeKind::Sync(class) => self.sync_init(instance, class, &args, 0),
                    _ => self.thread_init(instance, &args, 0),
                };
                self.arg_pool.push(args);
                result?;
            }
        }
        self.threads[self.current].stack.truncate(callee_pos);
        self.dispose(Value::Obj(instance), kind)
    }

    /// The user function `name` found on `class` or its bases, stopping at native classes.
    pub(crate) fn user_class_function(
        &self,
        class: ObjId,
        name: weft_bytecode::NameId,
    ) -> Option<ObjId> {
        let mut current = Some(class);
        while let Some(id) = current {
            let Object::Class(class) = &self.heap[id.index()].object else {
                return None;
            };
            if class.module != "__main__" {
                return None;
            }
            if let Some(value) = class.attrs.get(name) {
                return match value {
                    Value::Obj(func)
                        if matches!(self.heap[func.index()].object, Object::Function(_)) =>
                    {
                        Some(*func)
                    }
                    _ => None,
                };
            }
            current = class.base;
        }
        None
    }

    /// The user method `name` of an instance's class, if it has one.
    pub(crate) fn user_method(&self, value: &Value, name: weft_bytecode::NameId) -> Option<ObjId> {
        let Value::Obj(id) = value else {
            return None;
        };
        let class = self.class_of(*id)?;
        self.user_class_function(class, name)
    }

    /// The module a class was defined in (`__main__` for the program's classes).
    pub(crate) fn class_module(&self, class: ObjId) -> &'static str {
        match &self.heap[class.index()].object {
            Object::Class(class) => class.module,
            _ => "builtins",
        }
    }

    /// A class's name.
    pub(crate) fn class_name(&self, class: ObjId) -> String {
        match &self.heap[class.index()].object {
            Object::Class(class) => class.name.to_string(),
            _ => "?".to_owned(),
        }
    }

    /// Dispatches a native call.
    fn call_native(&mut self, callee: &Value, args: &Args) -> Res<Value> {
        match callee {
            Value::Builtin(builtin) => self.call_builtin(*builtin, args),
            Value::Native(method, receiver) => self.call_method(*method, *receiver, args),
            Value::StrMethod(method, text) => self.call_str_method(*method, text, args),
            _ => unreachable!("call_native of a non-native"),
        }
    }

    /// Calls a Python callable from native code and runs it to completion atomically (its
    /// shared accesses are not scheduling points; blocking raises `NotImplementedError`).
    pub(crate) fn call_sync(&mut self, callee: Value, args: Vec<Value>) -> Res<Value> {
        if self.atomic_depth >= MAX_SYNC_DEPTH {
            return Err(self.error(ExcKind::RecursionError, "maximum recursion depth exceeded"));
        }
        let saved_has_op = self.instr_has_op;
        let saved_progress = self.threads[self.current].progress;
        let saved_text = self.threads[self.current].print_text.take();
        let saved_texts = std::mem::take(&mut self.threads[self.current].print_texts);
        self.atomic_depth += 1;
        let stack_len = self.threads[self.current].stack.len();
        let depth = self.threads[self.current].frames.len();
        self.push(callee);
        for arg in args {
            self.push(arg);
        }
        self.threads[self.current].progress = 0;
        let empty = self.tables.empty_tuple.clone();
        let result = match self.call_at(stack_len, &empty, FrameKind::Normal) {
            Ok(()) if self.threads[self.current].frames.len() > depth => self.run_frames(depth),
            Ok(()) => Ok(self.pop()),
            Err(interrupt) => Err(interrupt),
        };
        let th = &mut self.threads[self.current];
        th.stack.truncate(stack_len);
        th.frames.truncate(depth);
        th.progress = saved_progress;
        th.print_text = saved_text;
        th.print_texts = saved_texts;
        self.atomic_depth -= 1;
        self.instr_has_op = saved_has_op;
        match result {
            Err(Interrupt::Stop(_)) => {
                panic!("a stop inside an atomic call (a weft bug)")
            }
            other => other,
        }
    }
}
