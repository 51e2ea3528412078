//! `threading`: `Thread` (construction, `start`, `join`, `is_alive`, names), `Lock` and `RLock`
//! with CPython 3.11's semantics and messages.

use std::sync::Arc;

use crate::call::Args;
use crate::exceptions::ExcKind;
use crate::heap::{LockObject, Object};
use crate::interp::Res;
use crate::value::{Method, Value};
use crate::vm::{Phase, VThread, Vm};
use crate::{Access, LockAccess, ObjId, Op, ThreadId};

/// `threading.TIMEOUT_MAX`.
pub(crate) const TIMEOUT_MAX: f64 = 9_223_372_036.0;

/// Keyword arguments as name/value pairs.
type Keywords = Vec<(Arc<str>, Value)>;

impl Vm {
    /// A new `Lock` or `RLock`.
    pub(crate) fn new_lock(&mut self, reentrant: bool) -> Value {
        Value::Obj(self.alloc(Object::Lock(LockObject {
            reentrant,
            owner: None,
            count: 0,
        })))
    }

    fn lock_mut(&mut self, lock: ObjId) -> &mut LockObject {
        match &mut self.heap[lock.index()].object {
            Object::Lock(lock) => lock,
            _ => unreachable!("a lock method on a non-lock"),
        }
    }

    /// `lock.acquire(blocking, timeout)` after argument checks.
    pub(crate) fn lock_acquire(&mut self, lock: ObjId, blocking: bool, timeout: f64) -> Res<Value> {
        if !blocking && timeout != -1.0 {
            return Err(self.value_error("can't specify a timeout for a non-blocking call"));
        }
        if timeout < 0.0 && timeout != -1.0 {
            return Err(self.value_error("timeout value must be positive"));
        }
        if timeout > TIMEOUT_MAX {
            return Err(self.error(
                ExcKind::OverflowError,
                "timestamp out of range for platform time_t",
            ));
        }
        // With a timeout, time is not modelled (`--time any`): the wait may end at any moment,
        // so a timed acquire is a try-acquire that the scheduler may place before or after the
        // release it would have waited for.
        let waits = blocking && timeout == -1.0;
        if blocking && timeout >= 0.0 {
            self.timed_wait(Some(timeout));
        }
        self.visible(Op::Acquire {
            lock,
            blocking: waits,
        })?;
        let me = ThreadId(self.current as u32);
        let state = self.lock_mut(lock);
        if state.can_acquire(me) {
            let reentrant = state.count > 0;
            state.count += 1;
            state.owner = Some(me);
            // A reentrant acquire only counts: the owner stays the same.
            self.refine_lock_access(lock, (!reentrant).then_some(LockAccess::Take));
            if self.recording() {
                self.set_detail(if waits { "acquired" } else { "True" }.to_owned());
            }
            Ok(Value::Bool(true))
        } else {
            assert!(
                !waits,
                "a blocking acquire ran while the lock was unavailable (a weft bug)"
            );
            self.refine_lock_access(lock, Some(LockAccess::Observe));
            if self.recording() {
                self.set_detail("False".to_owned());
            }
            Ok(Value::Bool(false))
        }
    }

    /// `lock.release()`.
    pub(crate) fn lock_release(&mut self, lock: ObjId) -> Res {
        self.visible(Op::Release(lock))?;
        let me = ThreadId(self.current as u32);
        let state = self.lock_mut(lock);
        if state.reentrant {
            if state.count == 0 || state.owner != Some(me) {
                self.refine_lock_access(lock, Some(LockAccess::Observe));
                return Err(self.error(ExcKind::RuntimeError, "cannot release un-acquired lock"));
            }
            state.count -= 1;
            if state.count == 0 {
                state.owner = None;
            } else {
                // An inner release only counts down.
                self.refine_lock_access(lock, None);
            }
        } else {
            if state.count == 0 {
                self.refine_lock_access(lock, Some(LockAccess::Observe));
                return Err(self.error(ExcKind::RuntimeError, "release unlocked lock"));
            }
            state.count = 0;
            state.owner = None;
        }
        if self.recording() {
            self.set_detail("released".to_owned());
        }
        Ok(())
    }

    /// Calls a `Lock`/`RLock` method.
    pub(crate) fn call_lock_method(
        &mut self,
        method: Method,
        lock: ObjId,
        args: &Args,
    ) -> Res<Value> {
        match method {
            Method::LockAcquire | Method::LockEnter => {
                let name = if method == Method::LockEnter {
                    "__enter__"
                } else {
                    "acquire"
                };
                self.check_kwargs(args, &["blocking", "timeout"], name)?;
                if args.pos.len() > 2 {
                    return Err(self.type_error(format!(
                        "{name}() takes at most 2 arguments ({} given)",
                        args.pos.len()
                    )));
                }
                let blocking = match args.get(0, "blocking").cloned() {
                    Some(value) => self.truthy(&value)?,
                    None => true,
                };
                let timeout = match args.get(1, "timeout").cloned() {
                    None | Some(Value::None) => -1.0,
                    Some(Value::Int(i)) => i as f64,
                    Some(Value::Bool(b)) => f64::from(u8::from(b)),
                    Some(Value::Float(f)) => f,
                    Some(other) => {
                        let type_name = self.type_name(&other);
                        return Err(self.type_error(format!(
                            "'{type_name}' object cannot be interpreted as an integer"
                        )));
                    }
                };
                self.lock_acquire(lock, blocking, timeout)
            }
            Method::LockRelease | Method::LockExit => {
                if method == Method::LockRelease && !(args.pos.is_empty() && args.kw.is_empty()) {
                    return Err(self.type_error(format!(
                        "release() takes no arguments ({} given)",
                        args.pos.len() + args.kw.len()
                    )));
                }
                self.lock_release(lock)?;
                Ok(Value::None)
            }
            Method::LockLocked => {
                self.visible(Op::LockQuery(lock))?;
                let locked = self.lock_mut(lock).count > 0;
                if self.recording() {
                    self.set_detail(if locked { "True" } else { "False" }.to_owned());
                }
                Ok(Value::Bool(locked))
            }
            _ => unreachable!("not a lock method: {method:?}"),
        }
    }

    /// `Thread.__init__(self, group=None, target=None, name=None, args=(), kwargs=None, *,
    /// daemon=None)`; the positional arguments start at `offset`.
    pub(crate) fn thread_init(&mut self, instance: ObjId, args: &Args, offset: usize) -> Res {
        for (name, _) in &args.kw {
            if !["group", "target", "name", "args", "kwargs", "daemon"].contains(&&**name) {
                return Err(self.type_error(format!(
                    "Thread.__init__() got an unexpected keyword argument '{name}'"
                )));
            }
        }
        let positional = &args.pos[offset.min(args.pos.len())..];
        if positional.len() > 5 {
            return Err(self.type_error(format!(
                "Thread.__init__() takes from 1 to 6 positional arguments but {} were given",
                positional.len() + 1
            )));
        }
        let get =
            |index: usize, name: &str| positional.get(index).or_else(|| args.kw(name)).cloned();
        if get(0, "group").is_some_and(|group| !group.is_none()) {
            return Err(self.error(
                ExcKind::AssertionError,
                "group argument must be None for now",
            ));
        }
        let target = get(1, "target").unwrap_or(Value::None);
        let name = get(2, "name").unwrap_or(Value::None);
        let thread_args = get(3, "args").unwrap_or_else(|| Value::tuple(Vec::new()));
        let kwargs = get(4, "kwargs").unwrap_or(Value::None);
        let name: Arc<str> = if self.truthy(&name)? {
            Arc::from(self.str_of(&name)?)
        } else {
            self.touch(Access::NameCounter);
            self.thread_counter += 1;
            let number = self.thread_counter;
            match self.callable_name(&target) {
                Some(target_name) => Arc::from(format!("Thread-{number} ({target_name})")),
                None => Arc::from(format!("Thread-{number}")),
            }
        };
        let daemon = match args.kw("daemon").cloned() {
            None | Some(Value::None) => self.threads[self.current].daemon,
            Some(value) => self.truthy(&value)?,
        };
        let Some(data) = self.thread_data_mut(instance) else {
            return Err(self.type_error("Thread.__init__() needs a Thread instance"));
        };
        data.name = name;
        data.target = target;
        data.args = thread_args;
        data.kwargs = kwargs;
        data.daemon = daemon;
        data.initialized = true;
        let added = Value::tuple(vec![
            data.target.clone(),
            data.args.clone(),
            data.kwargs.clone(),
        ]);
        if self.is_shared(instance) {
            self.publish(&added);
        }
        Ok(())
    }

    /// A callable's `__name__`, if it has one.
    fn callable_name(&self, callable: &Value) -> Option<String> {
        match callable {
            Value::Obj(id) => match &self.heap[id.index()].object {
                Object::Function(function) => Some(self.program.code(function.code).name.clone()),
                Object::Class(class) => Some(class.name.to_string()),
                _ => None,
            },
            Value::Method { func, .. } => self.callable_name(&Value::Obj(*func)),
            Value::Builtin(builtin) => Some(builtin.name().to_owned()),
            Value::Native(method, _) | Value::StrMethod(method, _) => {
                Some(method.name().to_owned())
            }
            _ => None,
        }
    }

    /// Calls a `Thread` method.
    pub(crate) fn call_thread_method(
        &mut self,
        method: Method,
        thread: ObjId,
        args: &Args,
    ) -> Res<Value> {
        let Some(data) = self.thread_data(thread) else {
            return Err(self.type_error("a Thread method needs a Thread instance"));
        };
        let data = data.clone();
        match method {
            Method::ThreadStart => {
                // Whether it was started already is part of its life.
                self.touch(Access::Thread {
                    thread,
                    changes: false,
                });
                if !data.initialized {
                    return Err(self.error(ExcKind::RuntimeError, "thread.__init__() not called"));
                }
                if data.thread.is_some() {
                    return Err(
                        self.error(ExcKind::RuntimeError, "threads can only be started once")
                    );
                }
                self.thread_start(thread, &data)?;
                Ok(Value::None)
            }
            Method::ThreadJoin => {
                self.check_kwargs(args, &["timeout"], "join")?;
                let timeout = args
                    .get(0, "timeout")
                    .cloned()
                    .filter(|timeout| !timeout.is_none());
                if let Some(timeout) = &timeout
                    && !matches!(timeout, Value::Int(_) | Value::Float(_) | Value::Bool(_))
                {
                    let type_name = self.type_name(timeout);
                    return Err(self.type_error(format!(
                        "'>' not supported between instances of 'int' and '{type_name}'"
                    )));
                }
                if !data.initialized {
                    return Err(self.error(ExcKind::RuntimeError, "Thread.__init__() not called"));
                }
                let Some(target) = data.thread else {
                    return Err(self.error(
                        ExcKind::RuntimeError,
                        "cannot join thread before it is started",
                    ));
                };
                if target.index() == self.current {
                    return Err(self.error(ExcKind::RuntimeError, "cannot join current thread"));
                }
                if let Some(timeout) = &timeout {
                    // `--time any`: the wait may end at any moment, before or after the thread
                    // finishes: a scheduling point that waits for nothing. `--time virtual`: it
                    // waits for the thread or the deadline.
                    let seconds = self.timeout_arg(Some(timeout))?;
                    self.timed_wait(seconds);
                    self.threads[self.current].join_target = Some(target);
                    self.visible(Op::Sleep)?;
                    return Ok(Value::None);
                }
                self.visible(Op::Join(target))?;
                self.threads[self.current].joined.push(target);
                Ok(Value::None)
            }
            Method::ThreadIsAlive => {
                self.touch(Access::Thread {
                    thread,
                    changes: false,
                });
                let alive = data
                    .thread
                    .is_some_and(|id| self.threads[id.index()].phase != Phase::Finished);
                Ok(Value::Bool(alive))
            }
            Method::ThreadGetName => Ok(Value::Str(data.name.clone())),
            Method::ThreadRun => {
                if data.target.is_none() {
                    return Ok(Value::None);
                }
                let (positional, keywords) = self.thread_call_args(&data.args, &data.kwargs)?;
                if !keywords.is_empty() {
                    return Err(self.unsupported("calling Thread.run() directly with kwargs"));
                }
                self.call_sync(data.target.clone(), positional)?;
                Ok(Value::None)
            }
            _ => unreachable!("not a thread method: {method:?}"),
        }
    }

    /// The positional values and keyword pairs of a thread's `args`/`kwargs` (a snapshot taken
    /// when the thread starts).
    fn thread_call_args(&mut self, args: &Value, kwargs: &Value) -> Res<(Vec<Value>, Keywords)> {
        let positional = match args {
            Value::Tuple(items) => items.to_vec(),
            Value::Obj(id) if self.is_list(*id) => self.list_items(*id).to_vec(),
            other => {
                if !self.is_iterable(other) {
                    let type_name = self.type_name(other);
                    return Err(self.type_error(format!(
                        "Thread target argument after * must be an iterable, not {type_name}"
                    )));
                }
                self.collect(other)?
            }
        };
        let mut keywords = Vec::new();
        match kwargs {
            Value::None => {}
            Value::Obj(id) if matches!(self.heap[id.index()].object, Object::Dict(_)) => {
                let Object::Dict(dict) = &self.heap[id.index()].object else {
                    unreachable!()
                };
                for entry in dict.entries() {
                    match &entry.key {
                        Value::Str(name) => keywords.push((name.clone(), entry.value.clone())),
                        _ => {
                            let type_name = self.type_name(&entry.key);
                            return Err(self
                                .type_error(format!("keywords must be strings, not {type_name}")));
                        }
                    }
                }
            }
            other => {
                let type_name = self.type_name(other);
                return Err(self.type_error(format!(
                    "Thread target argument after ** must be a mapping, not {type_name}"
                )));
            }
        }
        Ok((positional, keywords))
    }

    /// Creates the virtual thread for a `Thread` object; it runs its local prefix when the VM
    /// next settles.
    fn thread_start(&mut self, thread: ObjId, data: &crate::heap::ThreadObject) -> Res {
        let class = self
            .class_of(thread)
            .unwrap_or(crate::exceptions::THREAD_CLASS);
        let run = self.tables.sym.run;
        let (stack, boot_kw) = match self.user_class_function(class, run) {
            Some(func) => (
                vec![Value::Method {
                    func,
                    receiver: thread,
                }],
                Vec::new(),
            ),
            None if data.target.is_none() => (vec![Value::None], Vec::new()),
            None => {
                let (positional, keywords) = self.thread_call_args(&data.args, &data.kwargs)?;
                let mut stack = vec![data.target.clone()];
                stack.extend(positional);
                let mut names = Vec::new();
                for (name, value) in keywords {
                    names.push(name);
                    stack.push(value);
                }
                (stack, names)
            }
        };
        let id = ThreadId(self.threads.len() as u32);
        if let Some(data) = self.thread_data_mut(thread) {
            data.thread = Some(id);
        }
        // The new thread reaches its Thread object (and through it the target and arguments).
        self.publish(&Value::Obj(thread));
        self.spawn_thread(thread, Phase::Boot, stack, boot_kw, data.daemon);
        Ok(())
    }

    /// Adds a virtual thread for a `Thread` object, started by the current thread at the
    /// current line; it runs when the VM next settles.
    pub(crate) fn spawn_thread(
        &mut self,
        object: ObjId,
        phase: Phase,
        stack: Vec<Value>,
        boot_kw: Vec<Arc<str>>,
        daemon: bool,
    ) {
        // Starting a thread (a pool worker or a timer too) changes the set of live threads.
        self.touch(Access::Thread {
            thread: object,
            changes: true,
        });
        let mut thread = VThread::new(object, phase, stack);
        thread.daemon = daemon;
        thread.boot_kw = boot_kw;
        thread.boot_line = self.current_line();
        thread.parent = Some(ThreadId(self.current as u32));
        self.threads.push(thread);
    }

    /// `Timer.__init__(self, interval, function, args=None, kwargs=None)`; the positional
    /// arguments start at `offset`. The interval is checked and otherwise ignored: the timer
    /// may fire at any moment after `start()` (time is not modelled).
    pub(crate) fn timer_init(&mut self, instance: ObjId, args: &Args, offset: usize) -> Res {
        self.check_kwargs(
            args,
            &["interval", "function", "args", "kwargs"],
            "__init__",
        )?;
        let positional = &args.pos[offset.min(args.pos.len())..];
        let get =
            |index: usize, name: &str| positional.get(index).or_else(|| args.kw(name)).cloned();
        let (Some(interval), Some(function)) = (get(0, "interval"), get(1, "function")) else {
            return Err(self.type_error(
                "Timer.__init__() missing 2 required positional arguments: 'interval' and \
                 'function'",
            ));
        };
        let interval = self.timeout_arg(Some(&interval))?.unwrap_or(0.0);
        let timer_args = match get(2, "args") {
            None | Some(Value::None) => Value::Obj(self.alloc(Object::List(Vec::new()))),
            Some(value) => value,
        };
        let timer_kwargs = get(3, "kwargs").unwrap_or(Value::None);
        let none = Args {
            pos: Vec::new(),
            kw: Vec::new(),
        };
        self.thread_init(instance, &none, 0)?;
        if let Some(data) = self.thread_data_mut(instance) {
            data.target = function;
            data.args = timer_args;
            data.kwargs = timer_kwargs;
            data.role = crate::heap::ThreadRole::Timer {
                cancelled: false,
                interval_ns: (interval.max(0.0) * 1e9) as u64,
            };
        }
        Ok(())
    }
}
