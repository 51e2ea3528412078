//! The library's synchronisation objects beyond locks: `Semaphore`, `BoundedSemaphore`,
//! `Event`, `Condition`, `Barrier` (here), queues (`queue.rs`) and thread pools with their
//! futures (`futures.rs`). Each is an instance of a library class whose native state is a
//! [`SyncState`]; every operation on it is one [`Op::Sync`] (or, for a condition's lock, a lock
//! op), and whether a blocking one may proceed is derived from the state by
//! [`Vm::sync_enabled`], never stored.

use std::collections::VecDeque;

use crate::call::Args;
use crate::exceptions::ExcKind;
use crate::heap::{Instance, Object, Payload, ThreadRole};
use crate::interp::Res;
use crate::value::{Method, Value};
use crate::vm::{Phase, Vm};
use crate::{Access, ObjId, Op, SyncOp, ThreadId};

/// A library class with native state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SyncClass {
    /// `threading.Semaphore`.
    Semaphore,
    /// `threading.BoundedSemaphore`.
    BoundedSemaphore,
    /// `threading.Event`.
    Event,
    /// `threading.Condition`.
    Condition,
    /// `threading.Barrier`.
    Barrier,
    /// `queue.Queue`.
    Queue,
    /// `queue.LifoQueue`.
    LifoQueue,
    /// `queue.SimpleQueue`.
    SimpleQueue,
    /// `concurrent.futures.ThreadPoolExecutor`.
    Executor,
    /// `concurrent.futures.Future`.
    Future,
}

impl SyncClass {
    /// Every class, in heap order.
    pub(crate) const ALL: &'static [SyncClass] = &[
        SyncClass::Semaphore,
        SyncClass::BoundedSemaphore,
        SyncClass::Event,
        SyncClass::Condition,
        SyncClass::Barrier,
        SyncClass::Queue,
        SyncClass::LifoQueue,
        SyncClass::SimpleQueue,
        SyncClass::Executor,
        SyncClass::Future,
    ];

    /// The class name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SyncClass::Semaphore => "Semaphore",
            SyncClass::BoundedSemaphore => "BoundedSemaphore",
            SyncClass::Event => "Event",
            SyncClass::Condition => "Condition",
            SyncClass::Barrier => "Barrier",
            SyncClass::Queue => "Queue",
            SyncClass::LifoQueue => "LifoQueue",
            SyncClass::SimpleQueue => "SimpleQueue",
            SyncClass::Executor => "ThreadPoolExecutor",
            SyncClass::Future => "Future",
        }
    }

    /// The module CPython defines it in (as `repr` and tracebacks name it).
    pub(crate) fn module(self) -> &'static str {
        match self {
            SyncClass::Semaphore
            | SyncClass::BoundedSemaphore
            | SyncClass::Event
            | SyncClass::Condition
            | SyncClass::Barrier => "threading",
            SyncClass::Queue | SyncClass::LifoQueue => "queue",
            SyncClass::SimpleQueue => "_queue",
            SyncClass::Executor => "concurrent.futures.thread",
            SyncClass::Future => "concurrent.futures._base",
        }
    }

    /// The class object.
    pub(crate) fn class(self) -> ObjId {
        crate::exceptions::sync_class(self)
    }
}

/// The native state of a library object.
#[derive(Clone, Debug)]
pub(crate) enum SyncState {
    /// A subclass instance whose `__init__` has not called the library's yet.
    Uninit,
    /// A semaphore.
    Semaphore(Semaphore),
    /// An event's flag.
    Event(bool),
    /// A condition variable.
    Condition(Condition),
    /// A barrier.
    Barrier(Barrier),
    /// A queue.
    Queue(super::queue::QueueState),
    /// A thread pool.
    Executor(super::futures::Executor),
    /// A future.
    Future(super::futures::Future),
}

/// A `Semaphore` or `BoundedSemaphore`.
#[derive(Clone, Debug)]
pub(crate) struct Semaphore {
    pub(crate) value: i64,
    /// A `BoundedSemaphore`'s initial value.
    pub(crate) bound: Option<i64>,
    /// Permits taken minus permits returned, per thread (for wait-for edges).
    pub(crate) holders: Vec<(ThreadId, i64)>,
}

/// A `Condition`.
#[derive(Clone, Debug)]
pub(crate) struct Condition {
    /// The underlying `Lock` or `RLock`.
    pub(crate) lock: ObjId,
    /// Threads in `wait()`, in arrival order, and whether each was notified.
    pub(crate) waiters: VecDeque<(ThreadId, bool)>,
}

/// A `Barrier`.
#[derive(Clone, Debug)]
pub(crate) struct Barrier {
    pub(crate) parties: i64,
    /// Bumped each time the barrier fills (or is reset).
    pub(crate) generation: u64,
    /// Broken by `abort()` or a timed-out `wait()`, until `reset()`.
    pub(crate) broken: bool,
    /// The threads inside `wait()`.
    pub(crate) waiting: Vec<BarrierWaiter>,
}

/// A thread inside `Barrier.wait()`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BarrierWaiter {
    pub(crate) thread: ThreadId,
    /// The generation it arrived in.
    pub(crate) generation: u64,
    /// What `wait()` returns.
    pub(crate) index: i64,
    /// The barrier broke (or was reset) while it waited.
    pub(crate) broken: bool,
}

impl Vm {
    /// The native state of a library object.
    pub(crate) fn sync_state(&self, obj: ObjId) -> Option<&SyncState> {
        match self.heap.get(obj.index()).map(|entry| &entry.object) {
            Some(Object::Instance(Instance {
                payload: Payload::Sync(state),
                ..
            })) => Some(state),
            _ => None,
        }
    }

    /// The native state of a library object, mutably.
    pub(crate) fn sync_state_mut(&mut self, obj: ObjId) -> Option<&mut SyncState> {
        match &mut self.heap[obj.index()].object {
            Object::Instance(Instance {
                payload: Payload::Sync(state),
                ..
            }) => Some(state),
            _ => None,
        }
    }

    /// The library class an instance's class derives from.
    pub(crate) fn sync_class_of(&self, obj: ObjId) -> Option<SyncClass> {
        let mut class = self.class_of(obj);
        while let Some(id) = class {
            let Object::Class(data) = &self.heap[id.index()].object else {
                return None;
            };
            if let crate::heap::NativeKind::Sync(kind) = data.native {
                return Some(kind);
            }
            class = data.base;
        }
        None
    }

    /// Whether a [`SyncOp`] of thread `index` on `obj` can proceed in the current state.
    pub(crate) fn sync_enabled(&self, index: usize, obj: ObjId, kind: SyncOp) -> bool {
        if !kind.may_block() {
            return true;
        }
        let me = ThreadId(index as u32);
        match (self.sync_state(obj), kind) {
            (Some(SyncState::Semaphore(sem)), SyncOp::SemAcquire { .. }) => sem.value > 0,
            (Some(SyncState::Event(flag)), SyncOp::EventWait { .. }) => *flag,
            (Some(SyncState::Condition(cond)), SyncOp::CondWait { .. }) => cond
                .waiters
                .iter()
                .any(|&(thread, notified)| thread == me && notified),
            (Some(SyncState::Barrier(barrier)), SyncOp::BarrierLeave { .. }) => {
                barrier.waiting.iter().any(|waiter| {
                    waiter.thread == me && (waiter.broken || waiter.generation < barrier.generation)
                })
            }
            (Some(SyncState::Queue(queue)), SyncOp::QueuePut { .. }) => !queue.is_full(),
            (Some(SyncState::Queue(queue)), SyncOp::QueueGet { .. }) => !queue.items.is_empty(),
            (Some(SyncState::Queue(queue)), SyncOp::QueueJoin) => queue.unfinished == 0,
            (Some(SyncState::Executor(executor)), SyncOp::WorkGet) => {
                !executor.work.is_empty() || executor.shutdown || self.exiting
            }
            (_, SyncOp::FutureWait { future, .. }) => self.future_done(future),
            (_, SyncOp::AsCompleted { iter }) => self.as_completed_ready(iter),
            (_, SyncOp::AllDone { iter }) => self.all_done(iter),
            _ => true,
        }
    }

    /// The threads that could let a blocked [`SyncOp`] proceed: the wait-for edges of a
    /// deadlock report.
    pub(crate) fn sync_waits_for(&self, index: usize, obj: ObjId, kind: SyncOp) -> Vec<ThreadId> {
        let me = ThreadId(index as u32);
        let others = || -> Vec<ThreadId> {
            (0..self.threads.len())
                .filter(|&t| t != index && self.threads[t].phase != Phase::Finished)
                .map(|t| ThreadId(t as u32))
                .collect()
        };
        match (self.sync_state(obj), kind) {
            (Some(SyncState::Semaphore(sem)), _) => {
                let holders: Vec<ThreadId> = sem
                    .holders
                    .iter()
                    .filter(|&&(thread, count)| count > 0 && thread != me)
                    .map(|&(thread, _)| thread)
                    .filter(|thread| self.threads[thread.index()].phase != Phase::Finished)
                    .collect();
                if holders.is_empty() {
                    others()
                } else {
                    holders
                }
            }
            (Some(SyncState::Barrier(barrier)), _) => {
                let arrived: Vec<ThreadId> = barrier.waiting.iter().map(|w| w.thread).collect();
                others()
                    .into_iter()
                    .filter(|thread| !arrived.contains(thread))
                    .collect()
            }
            (_, SyncOp::FutureWait { future, .. }) => match self.future_worker(future) {
                Some(worker) => vec![worker],
                None => self.executor_workers(obj).unwrap_or_else(others),
            },
            _ => others(),
        }
    }

    /// A short description of a [`SyncOp`] on `obj`: `acquire Semaphore sem`, `get Queue q`.
    pub(crate) fn describe_sync_op(&self, obj: ObjId, kind: SyncOp) -> String {
        let object = self.describe_object(obj);
        let timed = |blocking: bool| if blocking { "" } else { "try to " };
        match kind {
            SyncOp::SemAcquire { blocking } => format!("{}acquire {object}", timed(blocking)),
            SyncOp::SemRelease => format!("release {object}"),
            SyncOp::EventSet => format!("set {object}"),
            SyncOp::EventClear => format!("clear {object}"),
            SyncOp::EventWait { blocking } => format!("{}see {object} set", timed(blocking)),
            SyncOp::CondNotify => format!("notify {object}"),
            SyncOp::CondWait { blocking } => {
                format!("{}be notified through {object}", timed(blocking))
            }
            SyncOp::BarrierArrive => format!("arrive at {object}"),
            SyncOp::BarrierLeave { blocking } => {
                format!(
                    "{}pass {object} (when all its parties arrive)",
                    timed(blocking)
                )
            }
            SyncOp::BarrierBreak => format!("abort/reset {object}"),
            SyncOp::QueuePut { blocking } => format!("{}put into {object}", timed(blocking)),
            SyncOp::QueueGet { blocking } => format!("{}get from {object}", timed(blocking)),
            SyncOp::QueueTaskDone => format!("task_done on {object}"),
            SyncOp::QueueJoin => format!("see every item of {object} marked done (join)"),
            SyncOp::Submit => format!("submit to {object}"),
            SyncOp::WorkGet => format!("take work from {object}"),
            SyncOp::TaskDone { future } => format!(
                "store the result of {} ({object})",
                self.describe_object(future)
            ),
            SyncOp::Shutdown => format!("shut down {object}"),
            SyncOp::FutureWait { future, blocking } => format!(
                "{}get the result of {}",
                timed(blocking),
                self.describe_object(future)
            ),
            SyncOp::AsCompleted { .. } => format!("get the next finished future of {object}"),
            SyncOp::AllDone { .. } => format!("get the results of futures of {object}"),
            SyncOp::FutureCancel => format!("cancel a future of {object}"),
            SyncOp::TimerFire => format!("fire {object}"),
            SyncOp::TimerCancel => format!("cancel {object}"),
            SyncOp::Query => format!("query {object}"),
        }
    }

    /// A new instance of a library class, not initialised yet.
    pub(crate) fn new_sync_object(&mut self, class: SyncClass) -> ObjId {
        self.alloc(Object::Instance(Instance {
            class: class.class(),
            attrs: crate::heap::Attrs::default(),
            payload: Payload::Sync(Box::new(SyncState::Uninit)),
        }))
    }

    /// Performs a [`SyncOp`] step on `obj` (the gate of every library operation).
    pub(crate) fn sync_op(&mut self, obj: ObjId, kind: SyncOp) -> Res {
        self.visible(Op::Sync { obj, kind })
    }

    /// Creates the native state of a new instance of a library class (its `__init__`); the
    /// positional arguments start at `offset`.
    pub(crate) fn sync_init(
        &mut self,
        instance: ObjId,
        class: SyncClass,
        args: &Args,
        offset: usize,
    ) -> Res {
        let args = Args {
            pos: args.pos[offset.min(args.pos.len())..].to_vec(),
            kw: args.kw.clone(),
        };
        let state = match class {
            SyncClass::Semaphore | SyncClass::BoundedSemaphore => {
                self.check_kwargs(&args, &["value"], "__init__")?;
                let value = match args.get(0, "value") {
                    Some(value) => self.int_arg(value)?,
                    None => 1,
                };
                if value < 0 {
                    return Err(self.value_error("semaphore initial value must be >= 0"));
                }
                SyncState::Semaphore(Semaphore {
                    value,
                    bound: (class == SyncClass::BoundedSemaphore).then_some(value),
                    holders: Vec::new(),
                })
            }
            SyncClass::Event => {
                self.check_kwargs(&args, &[], "__init__")?;
                SyncState::Event(false)
            }
            SyncClass::Condition => {
                self.check_kwargs(&args, &["lock"], "__init__")?;
                let lock = match args.get(0, "lock") {
                    None | Some(Value::None) => match self.new_lock(true) {
                        Value::Obj(lock) => lock,
                        _ => unreachable!("a new lock is a heap object"),
                    },
                    Some(Value::Obj(lock))
                        if matches!(self.heap[lock.index()].object, Object::Lock(_)) =>
                    {
                        *lock
                    }
                    Some(_) => return Err(self.unsupported("a Condition over a non-lock")),
                };
                SyncState::Condition(Condition {
                    lock,
                    waiters: VecDeque::new(),
                })
            }
            SyncClass::Barrier => {
                self.check_kwargs(&args, &["parties", "action", "timeout"], "__init__")?;
                let Some(parties) = args.get(0, "parties").cloned() else {
                    return Err(self.type_error(
                        "Barrier.__init__() missing 1 required positional argument: 'parties'",
                    ));
                };
                let parties = self.int_arg(&parties)?;
                if args
                    .get(1, "action")
                    .is_some_and(|action| !action.is_none())
                {
                    return Err(self.unsupported("Barrier(action=...)"));
                }
                SyncState::Barrier(Barrier {
                    parties,
                    generation: 0,
                    broken: false,
                    waiting: Vec::new(),
                })
            }
            SyncClass::Queue | SyncClass::LifoQueue | SyncClass::SimpleQueue => {
                self.queue_init(class, &args)?
            }
            SyncClass::Executor => self.executor_init(&args)?,
            SyncClass::Future => {
                self.check_kwargs(&args, &[], "__init__")?;
                SyncState::Future(super::futures::Future::new(None))
            }
        };
        if let Some(slot) = self.sync_state_mut(instance) {
            *slot = state;
        }
        Ok(())
    }

    /// A `timeout` argument: `None` for none, else a number of seconds.
    pub(crate) fn timeout_arg(&mut self, value: Option<&Value>) -> Res<Option<f64>> {
        match value {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(*i as f64)),
            Some(Value::Bool(b)) => Ok(Some(f64::from(u8::from(*b)))),
            Some(Value::Float(f)) => Ok(Some(*f)),
            Some(other) => {
                let type_name = self.type_name(other);
                Err(self.type_error(format!(
                    "'<' not supported between instances of '{type_name}' and 'int'"
                )))
            }
        }
    }

    /// The native method `name` of an instance of a library class.
    pub(crate) fn sync_method(class: SyncClass, name: &str) -> Option<Method> {
        use Method::*;
        Some(match (class, name) {
            (SyncClass::Semaphore | SyncClass::BoundedSemaphore, _) => match name {
                "acquire" => SemAcquire,
                "release" => SemRelease,
                "__enter__" => SemEnter,
                "__exit__" => SemExit,
                _ => return None,
            },
            (SyncClass::Event, _) => match name {
                "set" => EventSet,
                "clear" => EventClear,
                "is_set" | "isSet" => EventIsSet,
                "wait" => EventWait,
                _ => return None,
            },
            (SyncClass::Condition, _) => match name {
                "acquire" => CondAcquire,
                "release" => CondRelease,
                "__enter__" => CondEnter,
                "__exit__" => CondExit,
                "wait" => CondWait,
                "wait_for" => CondWaitFor,
                "notify" => CondNotify,
                "notify_all" | "notifyAll" => CondNotifyAll,
                _ => return None,
            },
            (SyncClass::Barrier, _) => match name {
                "wait" => BarrierWait,
                "abort" => BarrierAbort,
                "reset" => BarrierReset,
                _ => return None,
            },
            (SyncClass::Queue | SyncClass::LifoQueue | SyncClass::SimpleQueue, _) => {
                return super::queue::queue_method(class, name);
            }
            (SyncClass::Executor | SyncClass::Future, _) => {
                return super::futures::futures_method(class, name);
            }
        })
    }

    /// A non-method attribute of a library object (`Semaphore._value`, `Barrier.parties`,
    /// `Queue.maxsize`); reading shared state is a visible query.
    pub(crate) fn sync_attr(&mut self, obj: ObjId, name: &str) -> Res<Option<Value>> {
        let Some(state) = self.sync_state(obj) else {
            return Ok(None);
        };
        let needs_query = match (state, name) {
            (SyncState::Semaphore(_), "_value") => true,
            (SyncState::Barrier(_), "n_waiting" | "broken") => true,
            (SyncState::Barrier(_), "parties") => false,
            (SyncState::Queue(_), _) => return self.queue_attr(obj, name),
            _ => return Ok(None),
        };
        if needs_query && self.is_shared(obj) {
            self.sync_op(obj, SyncOp::Query)?;
        }
        let value = match (self.sync_state(obj), name) {
            (Some(SyncState::Semaphore(sem)), _) => Value::Int(sem.value),
            (Some(SyncState::Barrier(barrier)), "parties") => Value::Int(barrier.parties),
            (Some(SyncState::Barrier(barrier)), "broken") => Value::Bool(barrier.broken),
            (Some(SyncState::Barrier(barrier)), _) => Value::Int(barrier.n_waiting() as i64),
            _ => return Ok(None),
        };
        self.detail_value(&value);
        Ok(Some(value))
    }

    /// Calls a method of a library object.
    pub(crate) fn call_sync_method(
        &mut self,
        method: Method,
        obj: ObjId,
        args: &Args,
    ) -> Res<Value> {
        use Method::*;
        if matches!(self.sync_state(obj), None | Some(SyncState::Uninit)) {
            let class = self.class_name(self.class_of(obj).unwrap_or(obj));
            return Err(self.error(
                ExcKind::AttributeError,
                format!(
                    "'{class}' object is not initialised: its __init__ did not call the library's"
                ),
            ));
        }
        match method {
            SemAcquire | SemEnter => self.semaphore_acquire(obj, args, method == SemEnter),
            SemRelease | SemExit => self.semaphore_release(obj, args, method == SemExit),
            EventSet | EventClear => {
                self.check_kwargs(args, &[], method.name())?;
                let set = method == EventSet;
                self.sync_op(
                    obj,
                    if set {
                        SyncOp::EventSet
                    } else {
                        SyncOp::EventClear
                    },
                )?;
                if let Some(SyncState::Event(flag)) = self.sync_state_mut(obj) {
                    *flag = set;
                }
                Ok(Value::None)
            }
            EventIsSet => {
                self.sync_op(obj, SyncOp::Query)?;
                let flag = matches!(self.sync_state(obj), Some(SyncState::Event(true)));
                self.detail_value(&Value::Bool(flag));
                Ok(Value::Bool(flag))
            }
            EventWait => {
                self.check_kwargs(args, &["timeout"], "wait")?;
                let timeout = self.timeout_arg(args.get(0, "timeout"))?;
                self.timed_wait(timeout);
                self.sync_op(
                    obj,
                    SyncOp::EventWait {
                        blocking: timeout.is_none(),
                    },
                )?;
                let flag = matches!(self.sync_state(obj), Some(SyncState::Event(true)));
                self.detail_value(&Value::Bool(flag));
                Ok(Value::Bool(flag))
            }
            CondAcquire | CondEnter | CondRelease | CondExit => {
                let Some(SyncState::Condition(cond)) = self.sync_state(obj) else {
                    unreachable!("a condition method on a condition")
                };
                let lock_method = match method {
                    CondAcquire => Method::LockAcquire,
                    CondEnter => Method::LockEnter,
                    CondRelease => Method::LockRelease,
                    _ => Method::LockExit,
                };
                let lock = cond.lock;
                self.call_lock_method(lock_method, lock, args)
            }
            CondWait => {
                self.check_kwargs(args, &["timeout"], "wait")?;
                let timeout = self.timeout_arg(args.get(0, "timeout"))?;
                let notified = self.condition_wait(obj, timeout, 0)?;
                Ok(Value::Bool(notified))
            }
            CondWaitFor => self.condition_wait_for(obj, args),
            CondNotify | CondNotifyAll => {
                let n = if method == CondNotify {
                    self.check_kwargs(args, &["n"], "notify")?;
                    match args.get(0, "n").cloned() {
                        Some(n) => self.int_arg(&n)?,
                        None => 1,
                    }
                } else {
                    self.check_kwargs(args, &[], "notify_all")?;
                    i64::MAX
                };
                if !self.condition_owned(obj) {
                    return Err(
                        self.error(ExcKind::RuntimeError, "cannot notify on un-acquired lock")
                    );
                }
                self.sync_op(obj, SyncOp::CondNotify)?;
                if let Some(SyncState::Condition(cond)) = self.sync_state_mut(obj) {
                    let mut left = n;
                    for (_, notified) in cond.waiters.iter_mut() {
                        if left <= 0 {
                            break;
                        }
                        if !*notified {
                            *notified = true;
                            left -= 1;
                        }
                    }
                }
                Ok(Value::None)
            }
            BarrierWait => self.barrier_wait(obj, args),
            BarrierAbort | BarrierReset => {
                self.check_kwargs(args, &[], method.name())?;
                self.sync_op(obj, SyncOp::BarrierBreak)?;
                if let Some(SyncState::Barrier(barrier)) = self.sync_state_mut(obj) {
                    for waiter in &mut barrier.waiting {
                        waiter.broken = true;
                    }
                    barrier.broken = method == BarrierAbort;
                    barrier.generation += 1;
                }
                Ok(Value::None)
            }
            _ if self.is_queue_method(method) => self.call_queue_method(method, obj, args),
            _ => self.call_futures_method(method, obj, args),
        }
    }

    /// `Semaphore.acquire(blocking=True, timeout=None)` (also `__enter__`).
    fn semaphore_acquire(&mut self, obj: ObjId, args: &Args, enter: bool) -> Res<Value> {
        let (blocking, timeout) = if enter {
            (true, None)
        } else {
            self.check_kwargs(args, &["blocking", "timeout"], "acquire")?;
            let blocking = match args.get(0, "blocking").cloned() {
                Some(value) => self.truthy(&value)?,
                None => true,
            };
            (blocking, self.timeout_arg(args.get(1, "timeout"))?)
        };
        if !blocking && timeout.is_some() {
            return Err(self.value_error("can't specify timeout for non-blocking acquire"));
        }
        if blocking {
            self.timed_wait(timeout);
        }
        self.sync_op(
            obj,
            SyncOp::SemAcquire {
                blocking: blocking && timeout.is_none(),
            },
        )?;
        let me = ThreadId(self.current as u32);
        let Some(SyncState::Semaphore(sem)) = self.sync_state_mut(obj) else {
            unreachable!("a semaphore method on a semaphore")
        };
        let acquired = sem.value > 0;
        if acquired {
            sem.value -= 1;
            match sem.holders.iter_mut().find(|(thread, _)| *thread == me) {
                Some((_, count)) => *count += 1,
                None => sem.holders.push((me, 1)),
            }
        }
        self.detail_value(&Value::Bool(acquired));
        Ok(Value::Bool(acquired))
    }

    /// `Semaphore.release(n=1)` (also `__exit__`).
    fn semaphore_release(&mut self, obj: ObjId, args: &Args, exit: bool) -> Res<Value> {
        let n = if exit {
            1
        } else {
            self.check_kwargs(args, &["n"], "release")?;
            match args.get(0, "n").cloned() {
                Some(n) => self.int_arg(&n)?,
                None => 1,
            }
        };
        if n < 1 {
            return Err(self.value_error("n must be one or more"));
        }
        self.sync_op(obj, SyncOp::SemRelease)?;
        let me = ThreadId(self.current as u32);
        let Some(SyncState::Semaphore(sem)) = self.sync_state_mut(obj) else {
            unreachable!("a semaphore method on a semaphore")
        };
        if sem.bound.is_some() {
            // A bounded release reads the value to check the bound: two of them do not
            // commute (one of them may be the release too many).
            self.touch(Access::Sync {
                obj,
                kind: SyncOp::Query,
            });
        }
        let Some(SyncState::Semaphore(sem)) = self.sync_state_mut(obj) else {
            unreachable!("a semaphore method on a semaphore")
        };
        if sem.bound.is_some_and(|bound| sem.value + n > bound) {
            return Err(self.value_error("Semaphore released too many times"));
        }
        sem.value += n;
        if let Some((_, count)) = sem.holders.iter_mut().find(|(thread, _)| *thread == me) {
            *count -= n;
        }
        Ok(if exit {
            Value::Bool(false)
        } else {
            Value::None
        })
    }

    /// Whether the current thread may wait on or notify the condition (CPython's
    /// `_is_owned`: it owns an `RLock`; a `Lock` is held by anyone).
    fn condition_owned(&self, obj: ObjId) -> bool {
        let Some(SyncState::Condition(cond)) = self.sync_state(obj) else {
            return false;
        };
        match &self.heap[cond.lock.index()].object {
            Object::Lock(lock) if lock.reentrant => {
                lock.count > 0 && lock.owner == Some(ThreadId(self.current as u32))
            }
            Object::Lock(lock) => lock.count > 0,
            _ => false,
        }
    }

    /// `Condition.wait()` as three steps, counted by the thread's `progress` from `base`: release
    /// the lock (registering as a waiter), wait for a notify (a timed wait may stop waiting at
    /// any moment), re-acquire the lock. Returns whether it was notified.
    fn condition_wait(&mut self, obj: ObjId, timeout: Option<f64>, base: u32) -> Res<bool> {
        let blocking = timeout.is_none();
        let me = ThreadId(self.current as u32);
        let Some(SyncState::Condition(cond)) = self.sync_state(obj) else {
            unreachable!("a condition method on a condition")
        };
        let lock = cond.lock;
        if self.threads[self.current].progress == base {
            if !self.condition_owned(obj) {
                return Err(self.error(ExcKind::RuntimeError, "cannot wait on un-acquired lock"));
            }
            self.visible(Op::Release(lock))?;
            let Object::Lock(state) = &mut self.heap[lock.index()].object else {
                unreachable!("a condition's lock is a lock")
            };
            let saved = state.count;
            state.count = 0;
            state.owner = None;
            if let Some(SyncState::Condition(cond)) = self.sync_state_mut(obj) {
                cond.waiters.push_back((me, false));
            }
            let th = &mut self.threads[self.current];
            th.saved_count = saved;
            th.progress = base + 1;
            self.instr_has_op = false;
        }
        if self.threads[self.current].progress == base + 1 {
            self.timed_wait(timeout);
            self.sync_op(obj, SyncOp::CondWait { blocking })?;
            let mut notified = false;
            if let Some(SyncState::Condition(cond)) = self.sync_state_mut(obj)
                && let Some(position) = cond.waiters.iter().position(|&(t, _)| t == me)
            {
                notified = cond.waiters[position].1;
                cond.waiters.remove(position);
            }
            self.detail_value(&Value::Bool(notified));
            let th = &mut self.threads[self.current];
            th.notified = notified;
            th.progress = base + 2;
            self.instr_has_op = false;
        }
        self.visible(Op::Acquire {
            lock,
            blocking: true,
        })?;
        let (saved, notified) = {
            let th = &mut self.threads[self.current];
            th.progress = base;
            (th.saved_count, th.notified)
        };
        let Object::Lock(state) = &mut self.heap[lock.index()].object else {
            unreachable!("a condition's lock is a lock")
        };
        state.count = saved;
        state.owner = Some(me);
        Ok(notified)
    }

    /// `Condition.wait_for(predicate, timeout=None)`: the predicate is evaluated atomically (as
    /// all Python code called from native code is) while the lock is held; a timed `wait_for`
    /// waits at most once.
    fn condition_wait_for(&mut self, obj: ObjId, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["predicate", "timeout"], "wait_for")?;
        let Some(predicate) = args.get(0, "predicate").cloned() else {
            return Err(self.type_error(
                "Condition.wait_for() missing 1 required positional argument: 'predicate'",
            ));
        };
        let timeout = self.timeout_arg(args.get(1, "timeout"))?;
        loop {
            let progress = self.threads[self.current].progress;
            // progress 0: evaluate; 1..=3: waiting; 4: a timed wait is over, evaluate once more.
            if progress == 0 || progress == 4 {
                let result = self.call_sync(predicate.clone(), Vec::new())?;
                if progress == 4 || self.truthy(&result)? {
                    self.threads[self.current].progress = 0;
                    return Ok(result);
                }
                self.threads[self.current].progress = 1;
            }
            self.condition_wait(obj, timeout, 1)?;
            self.threads[self.current].progress = if timeout.is_some() { 4 } else { 0 };
        }
    }

    /// `Barrier.wait(timeout=None)`: arrive (the last party releases the others and returns at
    /// once), then wait for the barrier to fill; a timed wait may give up at any moment, which
    /// breaks the barrier.
    fn barrier_wait(&mut self, obj: ObjId, args: &Args) -> Res<Value> {
        self.check_kwargs(args, &["timeout"], "wait")?;
        let timeout = self.timeout_arg(args.get(0, "timeout"))?;
        let me = ThreadId(self.current as u32);
        if self.threads[self.current].progress == 0 {
            self.sync_op(obj, SyncOp::BarrierArrive)?;
            let Some(SyncState::Barrier(barrier)) = self.sync_state_mut(obj) else {
                unreachable!("a barrier method on a barrier")
            };
            if barrier.broken {
                return Err(self.broken_barrier());
            }
            let index = barrier.n_waiting() as i64;
            if index + 1 == barrier.parties {
                barrier.generation += 1;
                self.detail_value(&Value::Int(index));
                return Ok(Value::Int(index));
            }
            let generation = barrier.generation;
            barrier.waiting.push(BarrierWaiter {
                thread: me,
                generation,
                index,
                broken: false,
            });
            self.threads[self.current].progress = 1;
            self.instr_has_op = false;
        }
        self.timed_wait(timeout);
        self.sync_op(
            obj,
            SyncOp::BarrierLeave {
                blocking: timeout.is_none(),
            },
        )?;
        self.threads[self.current].progress = 0;
        let Some(SyncState::Barrier(barrier)) = self.sync_state_mut(obj) else {
            unreachable!("a barrier method on a barrier")
        };
        let position = barrier
            .waiting
            .iter()
            .position(|waiter| waiter.thread == me)
            .expect("a thread in Barrier.wait() is registered");
        let waiter = barrier.waiting.remove(position);
        if waiter.broken {
            return Err(self.broken_barrier());
        }
        if waiter.generation == barrier.generation {
            // A timed wait gave up before the barrier filled: it breaks the barrier.
            barrier.broken = true;
            for other in &mut barrier.waiting {
                other.broken = true;
            }
            return Err(self.broken_barrier());
        }
        self.detail_value(&Value::Int(waiter.index));
        Ok(Value::Int(waiter.index))
    }

    fn broken_barrier(&mut self) -> crate::interp::Interrupt {
        self.error(ExcKind::BrokenBarrierError, "")
    }

    /// `Timer.cancel()`: the timer's function will not run if it has not started yet.
    pub(crate) fn timer_cancel(&mut self, timer: ObjId) -> Res<Value> {
        self.sync_op(timer, SyncOp::TimerCancel)?;
        if let Some(data) = self.thread_data_mut(timer)
            && let ThreadRole::Timer { cancelled, .. } = &mut data.role
        {
            *cancelled = true;
        }
        Ok(Value::None)
    }

    /// The `repr` of a library object, as CPython 3.11 prints it (with weft's fake address).
    pub(crate) fn sync_repr(&self, obj: ObjId, address: &str) -> Option<String> {
        let class = self.sync_class_of(obj)?;
        let state = self.sync_state(obj)?;
        Some(match state {
            SyncState::Semaphore(sem) => format!(
                "<threading.{} at {address}: value={}>",
                class.name(),
                sem.value
            ),
            SyncState::Event(flag) => format!(
                "<threading.Event at {address}: {}>",
                if *flag { "set" } else { "unset" }
            ),
            SyncState::Condition(cond) => {
                format!(
                    "<Condition({}, {})>",
                    self.lock_repr(cond.lock),
                    cond.waiters.len()
                )
            }
            SyncState::Barrier(barrier) => {
                if barrier.broken {
                    format!("<threading.Barrier at {address}: broken>")
                } else {
                    format!(
                        "<threading.Barrier at {address}: waiters={}/{}>",
                        barrier.n_waiting(),
                        barrier.parties
                    )
                }
            }
            SyncState::Future(future) => {
                format!("<Future at {address} state={}>", future.state_name())
            }
            SyncState::Queue(_) | SyncState::Executor(_) | SyncState::Uninit => {
                format!("<{}.{} object at {address}>", class.module(), class.name())
            }
        })
    }
}

impl SyncState {
    /// Pushes every value the state refers to (for the collector and for publication).
    pub(crate) fn push_children(&self, out: &mut Vec<Value>) {
        match self {
            SyncState::Uninit | SyncState::Semaphore(_) | SyncState::Event(_) => {}
            SyncState::Barrier(_) => {}
            SyncState::Condition(cond) => out.push(Value::Obj(cond.lock)),
            SyncState::Queue(queue) => {
                out.extend(queue.items.iter().cloned());
                out.extend(queue.internals.iter().flatten().map(|id| Value::Obj(*id)));
            }
            SyncState::Executor(executor) => {
                for item in &executor.work {
                    out.push(item.callee.clone());
                    out.extend(item.args.iter().cloned());
                    out.extend(item.kwargs.iter().map(|(_, value)| value.clone()));
                    out.push(Value::Obj(item.future));
                }
            }
            SyncState::Future(future) => {
                out.push(future.result.clone());
                out.extend(future.exception.map(Value::Obj));
                out.extend(future.executor.map(Value::Obj));
            }
        }
    }
}

impl Barrier {
    /// The threads waiting for the current generation to fill.
    pub(crate) fn n_waiting(&self) -> usize {
        self.waiting
            .iter()
            .filter(|waiter| waiter.generation == self.generation && !waiter.broken)
            .count()
    }
}
